-- Row-level security, the data dictionary, ownership and privileges: last, since it sets those
-- of everything before it.

-- Row-level security ------------------------------------------------------------------------

-- Every table holding councils' rows shows a role only the councils it has been given (all of
-- them to finmon_guard, superusers and roles given every council).  FORCE: the reports are
-- views owned by the guard, and must still show each reader its own councils.  The audit log's
-- rows of shared definitions ('*') and the refresh log's rows of no council are shown to
-- every role that reads them.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.oid::regclass AS name, c.relname
               FROM pg_catalog.pg_class c
               JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = 'council' AND NOT a.attisdropped
              WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind IN ('r', 'p')
                AND c.relname NOT IN ('council_grant', 'change_log', 'refresh_state') LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t.name);
        EXECUTE pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t.name);
        EXECUTE pg_catalog.format(
            'CREATE POLICY council_scope ON %s USING (finmon.council_visible(council)%s)', t.name,
            CASE t.relname WHEN 'refresh_log' THEN ' OR council IS NULL' WHEN 'audit_log' THEN ' OR council = ''*''' ELSE '' END);
    END LOOP;
END;
$$;

-- The descriptions of what a login may read, as rows: for a BI tool whose driver does not
-- pass column comments on (psqlODBC's SQLColumns gives no REMARKS), and for a data catalogue.
-- (finmon_data's relations are listed to the editors and admins who may read them.)
CREATE VIEW finmon.data_dictionary AS
SELECT n.nspname::text AS schema_name, c.relname::text AS relation,
       CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END AS relation_type,
       pg_catalog.obj_description(c.oid, 'pg_class') AS relation_description,
       a.attnum::integer AS column_position, a.attname::text AS column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type,
       pg_catalog.col_description(c.oid, a.attnum) AS description
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname IN ('finmon', 'finmon_data') AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
   AND pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_table_privilege(c.oid, 'SELECT');
COMMENT ON VIEW finmon.data_dictionary IS
    'Every column of every table and view of finmon (and, for editors and admins, of finmon_data) that you may read, with its type and description: the COMMENTs, as rows, for BI tools whose driver does not show them. Select a relation with WHERE schema_name = ''finmon'' AND relation = ..., ORDER BY column_position.';
COMMENT ON COLUMN finmon.data_dictionary.schema_name IS 'finmon (the reports, period views and what a reader uses) or finmon_data (the tables and logs behind them).';
COMMENT ON COLUMN finmon.data_dictionary.relation IS 'The table or view.';
COMMENT ON COLUMN finmon.data_dictionary.relation_type IS 'view or table.';
COMMENT ON COLUMN finmon.data_dictionary.relation_description IS 'What the table or view holds (its COMMENT).';
COMMENT ON COLUMN finmon.data_dictionary.column_position IS 'The column''s position, from 1, as SELECT * returns the columns.';
COMMENT ON COLUMN finmon.data_dictionary.column_name IS 'The column.';
COMMENT ON COLUMN finmon.data_dictionary.data_type IS 'Its type, as PostgreSQL writes it (numeric, text, integer, boolean, date, ...).';
COMMENT ON COLUMN finmon.data_dictionary.description IS 'What the column means (its COMMENT).';

-- Ownership and privileges ----------------------------------------------------------------

-- The guard owns every table, view and sequence (so that loading and refreshing run as it),
-- and the functions that write them run as it.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_catalog.pg_class c
              WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace)
                AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                -- a serial column's sequence follows its table
                AND (c.relkind <> 'S' OR NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                                 WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                                   AND d.deptype IN ('a', 'i'))) LOOP
        EXECUTE pg_catalog.format('ALTER %s %s OWNER TO finmon_guard',
                                  CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                                 WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS name FROM pg_catalog.pg_proc p
              WHERE p.pronamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace)
                AND p.proname IN ('import_begin', 'import_end', 'delete_figures', 'close_period', 'reopen_period',
                                  'grant_council', 'revoke_council', 'rename_council', 'refresh_period_views',
                                  'rebuild_ledger_summary', 'ledger_partition', 'adopt_commitment_forecast')
                AND p.prolang <> (SELECT l.oid FROM pg_catalog.pg_language l WHERE l.lanname = 'sql') LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SECURITY DEFINER', r.name);
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = pg_catalog, pg_temp', r.name);
        EXECUTE pg_catalog.format('ALTER FUNCTION %s OWNER TO finmon_guard', r.name);
    END LOOP;
END;
$$;

GRANT USAGE ON SCHEMA finmon TO finmon_reader;
GRANT USAGE ON SCHEMA finmon TO finmon_guard;
REVOKE CREATE ON SCHEMA finmon FROM finmon_guard;   -- 1.0.0 gave it, for the ledger's partitions
-- finmon_data, with the tables, logs and internal views behind the reports: for editors (the
-- figures they load) and admins (the logs) to read, and the guard to write; a reader's
-- navigator does not show it, and a reader reads none of it.
GRANT USAGE ON SCHEMA finmon_data TO finmon_editor, finmon_admin;
GRANT USAGE, CREATE ON SCHEMA finmon_data TO finmon_guard;   -- it creates the ledger's yearly partitions
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA finmon FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA finmon TO finmon_guard, finmon_reader;
-- The write path's own machinery is in finmon_data, for the guard alone (the import views'
-- triggers run as the loader, but a trigger's function is not checked when it fires).
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA finmon_data FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA finmon_data TO finmon_guard;
-- Readers call what the reports call; not what writes, refreshes, closes or schedules.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
              WHERE p.pronamespace = 'finmon'::regnamespace
                AND (p.prosecdef OR p.proname IN ('schedule_refresh', 'council_visible_support', 'distribute')) LOOP
        EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM finmon_reader', f);
    END LOOP;
END;
$$;
GRANT EXECUTE ON FUNCTION finmon.refresh_period_views(boolean, text), finmon.rebuild_ledger_summary(text),
      finmon.ledger_partition(text), finmon.delete_figures(text, text, integer, text) TO finmon_editor;
GRANT EXECUTE ON FUNCTION finmon.close_period(text, text, integer), finmon.close_period(text, integer),
      finmon.reopen_period(text, text, integer, text), finmon.reopen_period(text, integer, text),
      finmon.grant_council(name, text), finmon.revoke_council(name, text), finmon.schedule_refresh(text) TO finmon_admin;
GRANT EXECUTE ON FUNCTION finmon.rename_council(text, text) TO finmon_admin;
-- Adopting the commitment forecast loads revenue figures: for editors.
GRANT EXECUTE ON FUNCTION finmon.adopt_commitment_forecast(text, text, integer) TO finmon_editor;

-- Readers read every view of finmon: the reports, period views, printed tables, appendices,
-- reconciliation, and the import views, which read as empty and whose columns' comments
-- document the files; editors load the imports of figures, admins those of layouts, settings,
-- councils and measure definitions.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS name, c.relname FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('v', 'm') LOOP
        IF r.relname LIKE '%\_import' THEN
            EXECUTE pg_catalog.format('GRANT INSERT ON %s TO %I', r.name,
                (SELECT CASE f.capability WHEN 'finmon_editor' THEN 'finmon_editor' ELSE 'finmon_admin' END
                   FROM finmon_data.import_format f WHERE f.format || '_import' = r.relname));
        END IF;
        EXECUTE pg_catalog.format('GRANT SELECT ON %s TO finmon_reader', r.name);
    END LOOP;
END;
$$;
GRANT SELECT ON finmon_data.council_grants TO finmon_admin;
-- The measures' figures before small-number suppression are for those who load the counts
-- (editors read finmon_data.activity anyway), not for readers, who read measure_report.
GRANT SELECT ON finmon_data.measure_computed, finmon_data.package_activity_computed TO finmon_editor;
-- Editors read the internal views and tables too (what the reports are made of, for checking
-- a load), and see their imports in a BI tool's navigator.
GRANT SELECT ON finmon_data.revenue_figures, finmon_data.revenue_figures_of_service, finmon_data.revenue_node_totals, finmon_data.revenue_to_date,
      finmon_data.ledger_to_date, finmon_data.profile_to_date, finmon_data.revenue_table_figures, finmon_data.revenue_figures_period,
      finmon_data.revenue_spend_period, finmon_data.revenue_table_figures_period, finmon_data.savings_period,
      finmon_data.reserves_period, finmon_data.capital_period, finmon_data.grants_period, finmon_data.measures_period,
      finmon_data.commitment_lines
   TO finmon_editor;
-- Readers also read the tables left in finmon: the reference tables, the refresh log, which
-- periods are closed, and the tables that functions the reports call read as the caller: the
-- councils, settings (service_label, small_number_threshold), populations (population_at) and
-- measure definitions.  (The tables behind the period views are the views', read as their
-- owner; editors read them.)
GRANT SELECT ON finmon.revenue_column, finmon.refresh_log, finmon.closed_period, finmon.report_column,
      finmon.european_standard_population, finmon.ascof_domain, finmon.council, finmon.setting,
      finmon.population, finmon.measure TO finmon_reader;
-- Editors read the figures behind the reports (their councils' rows); nobody but the guard
-- writes any table.
GRANT SELECT ON finmon_data.revenue, finmon_data.revenue_node, finmon_data.commentary, finmon_data.savings_plan, finmon_data.savings_forecast,
      finmon_data.reserve, finmon_data.capital, finmon_data.grant_scheme, finmon_data.activity, finmon_data.published_value,
      finmon_data.measure_target, finmon_data.comparator, finmon_data.published_benchmark, finmon_data.ledger, finmon_data.ledger_summary,
      finmon_data.budget_profile, finmon_data.published, finmon_data.stated_figure, finmon_data.revenue_table,
      finmon_data.revenue_table_row, finmon_data.revenue_table_column, finmon_data.actuals, finmon_data.packages, finmon_data.demand_allowance,
      finmon_data.import_format, finmon_data.import_column TO finmon_editor;
GRANT SELECT ON finmon_data.audit_log TO finmon_admin;
-- On a Citus node (a worker gets finmon from this script when it joins; see finmon.distribute):
-- Citus creates and moves shards as their table's owner, so the guard creates in finmon too;
-- and a reader's query on a shard runs as the reader, who reads finmon_data's row-level-secured
-- tables there (finmon.distribute() grants SELECT on them; the schema's USAGE is given here,
-- since Citus does not pass a schema's grant on to a worker).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension e WHERE e.extname = 'citus') THEN
        GRANT CREATE ON SCHEMA finmon TO finmon_guard;
        GRANT USAGE ON SCHEMA finmon_data TO finmon_reader;
    END IF;
END;
$$;
