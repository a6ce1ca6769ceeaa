-- Governance: closed periods, the audit trail, forecast history, roles and privileges.
--
-- Figures that went to a committee are a public record: once a period is closed, its
-- figures cannot change until an admin reopens it with a reason; every change to figures,
-- commentary, layouts and settings, and every close and reopen, is written to the audit
-- log with the login that made it.  Roles: finmon_reader reads the reports, finmon_editor
-- loads the imports, finmon_admin closes and reopens periods and manages layouts and
-- settings.  The tables belong to finmon_guard, a role that cannot log in; the functions
-- that write them run as it (SECURITY DEFINER), so the other roles change figures only
-- through the imports, and nobody but the guard writes the audit log.

-- Roles ------------------------------------------------------------------------------

-- Roles belong to the cluster, not the database: a second database's CREATE EXTENSION
-- finds them already there.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['finmon_guard', 'finmon_reader', 'finmon_editor', 'finmon_admin'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    -- finmon_guard will own every table: it must not be a login or a superuser
    IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'finmon_guard' AND (rolcanlogin OR rolsuper)) THEN
        RAISE EXCEPTION USING ERRCODE = '42710',
            MESSAGE = 'role finmon_guard already exists and can log in or is a superuser',
            HINT = 'finmon''s tables will belong to it: ALTER ROLE finmon_guard NOLOGIN NOSUPERUSER, or drop it, first.';
    END IF;
END;
$$;
GRANT finmon_reader TO finmon_editor;
GRANT finmon_editor TO finmon_admin;

-- pg_dump keeps the load counter, so that a load after a restore is never taken for an
-- earlier one (an import replaces a row only if another load wrote it).
SELECT pg_catalog.pg_extension_config_dump('finmon.import_batch', '');

-- The number of the load each backend is running (import_begin writes it, the imports read
-- it): only finmon_guard can write it, so a caller cannot make one load's rows pass for
-- another's.
CREATE UNLOGGED TABLE finmon.import_load (
    pid integer PRIMARY KEY,
    batch bigint NOT NULL
);
COMMENT ON TABLE finmon.import_load IS 'The load (finmon.import_batch) each backend is running (internal).';
COMMENT ON COLUMN finmon.import_load.pid IS 'The backend.';
COMMENT ON COLUMN finmon.import_load.batch IS 'Its current load''s number.';

-- Closed periods ---------------------------------------------------------------------

CREATE TABLE finmon.closed_period (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    closed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    closed_by text NOT NULL DEFAULT SESSION_USER,
    PRIMARY KEY (financial_year, period)
);
COMMENT ON TABLE finmon.closed_period IS
    'Periods whose figures went to committee: none of their figures can change until finmon.reopen_period(). Written by finmon.close_period() and finmon.reopen_period() only.';
COMMENT ON COLUMN finmon.closed_period.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.closed_period.period IS '1 to 12.';
COMMENT ON COLUMN finmon.closed_period.closed_at IS 'When it was closed.';
COMMENT ON COLUMN finmon.closed_period.closed_by IS 'The login that closed it.';
SELECT pg_catalog.pg_extension_config_dump('finmon.closed_period', '');

-- The audit log ----------------------------------------------------------------------

CREATE TABLE finmon.audit_log (
    id bigserial PRIMARY KEY,
    changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    changed_by text NOT NULL DEFAULT SESSION_USER,
    action text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'truncate', 'close', 'reopen')),
    table_name text NOT NULL,
    financial_year text,
    period integer,
    key jsonb,
    old_values jsonb,
    new_values jsonb,
    reason text
);
CREATE INDEX audit_log_period ON finmon.audit_log (financial_year, period);
COMMENT ON TABLE finmon.audit_log IS
    'Every change to figures, commentary, table layouts and settings, and every close and reopen of a period: who, when, which table and key, old and new values. Written by finmon''s triggers and functions only; readable by finmon_admin.';
COMMENT ON COLUMN finmon.audit_log.id IS 'Order of the changes.';
COMMENT ON COLUMN finmon.audit_log.changed_at IS 'When (the start of the changing transaction).';
COMMENT ON COLUMN finmon.audit_log.changed_by IS 'The login that made the change (session_user, whatever role it had set).';
COMMENT ON COLUMN finmon.audit_log.action IS '''insert'', ''update'', ''delete'', ''truncate'', ''close'' or ''reopen''.';
COMMENT ON COLUMN finmon.audit_log.table_name IS 'The table changed (closed_period for a close or reopen).';
COMMENT ON COLUMN finmon.audit_log.financial_year IS 'The financial year of the row changed, where it has one.';
COMMENT ON COLUMN finmon.audit_log.period IS 'Its period, where it has one.';
COMMENT ON COLUMN finmon.audit_log.key IS 'The row''s key (its primary key columns); for a ledger load, the number of transactions.';
COMMENT ON COLUMN finmon.audit_log.old_values IS 'The row before the change (NULL for an insert).';
COMMENT ON COLUMN finmon.audit_log.new_values IS 'The row after the change (NULL for a delete); for a ledger load, its totals.';
COMMENT ON COLUMN finmon.audit_log.reason IS 'Why a period was reopened.';
COMMENT ON SEQUENCE finmon.audit_log_id_seq IS 'Numbers the rows of finmon.audit_log.';
SELECT pg_catalog.pg_extension_config_dump('finmon.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.audit_log_id_seq', '');

-- The financial years and periods a changed row's figures appear in, by how its table keys
-- time: 'period' (financial_year and period columns), 'plan year' (a savings target: every
-- period of its year, and of the two years before, whose reports show it as next year's and
-- the year after's), 'month' (a month column), 'measure period' (a period that is a month
-- or a financial year), 'any' (a definition every period's figures use: a NULL year),
-- 'none' (not tied to a period).  A period NULL means every period of the year.
CREATE FUNCTION finmon.row_period(timing text, row_values jsonb, OUT financial_year text, OUT period integer)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT p.financial_year, p.period
          FROM (SELECT row_values ->> 'financial_year' AS financial_year, (row_values ->> 'period')::integer AS period
                 WHERE timing = 'period'
                UNION ALL
                SELECT y.financial_year, NULL
                  FROM (SELECT row_values ->> 'financial_year' AS financial_year
                        UNION ALL
                        SELECT finmon.previous_financial_year(row_values ->> 'financial_year')
                         WHERE substr(row_values ->> 'financial_year', 1, 4)::integer > 1
                        UNION ALL
                        SELECT finmon.previous_financial_year(finmon.previous_financial_year(row_values ->> 'financial_year'))
                         WHERE substr(row_values ->> 'financial_year', 1, 4)::integer > 2) AS y
                 WHERE timing = 'plan year'
                UNION ALL
                SELECT NULL, NULL WHERE timing = 'any'
                UNION ALL
                SELECT finmon.financial_year_of((row_values ->> 'month')::date), finmon.period_of((row_values ->> 'month')::date)
                 WHERE timing = 'month'
                UNION ALL
                SELECT CASE WHEN m.month IS NULL THEN row_values ->> 'period' ELSE finmon.financial_year_of(m.month) END,
                       finmon.period_of(m.month)
                  FROM (SELECT finmon.period_month(row_values ->> 'period') AS month) AS m
                 WHERE timing = 'measure period') AS p;
    END;
COMMENT ON FUNCTION finmon.row_period(text, jsonb) IS
    'The financial years and periods (NULL period: the whole year; NULL year: every year) whose figures a changed row appears in, by how its table keys time (internal).';

-- Statement trigger on every figure table: refuses a change to a closed period, then writes
-- the audit log.  Arguments: the table's timing (as row_period) and its key columns.
CREATE FUNCTION finmon.guard_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    timing text := TG_ARGV[0];
    key_columns text[] := TG_ARGV[1:];
    old_rows_json jsonb[];
    new_rows_json jsonb[];
    closed record;
BEGIN
    -- a snapshot older than the statement could miss a period closed meanwhile
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = '25000',
            MESSAGE = format('finmon.%s: figures can change only at READ COMMITTED, not %s',
                             TG_TABLE_NAME, upper(current_setting('transaction_isolation')));
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        IF timing <> 'none' AND EXISTS (SELECT FROM finmon.closed_period) THEN
            RAISE EXCEPTION USING ERRCODE = '55000',
                MESSAGE = format('finmon.%s cannot be truncated while periods are closed', TG_TABLE_NAME),
                HINT = 'Delete the rows of open periods instead.';
        END IF;
        INSERT INTO finmon.audit_log (action, table_name) VALUES ('truncate', TG_TABLE_NAME);
        RETURN NULL;
    END IF;

    -- A ledger load is audited as one row (the ledger keeps each transaction with its load).
    IF TG_TABLE_NAME = 'ledger' AND TG_OP = 'INSERT' THEN
        SELECT c.financial_year, c.period INTO closed
          FROM new_rows n JOIN finmon.closed_period c ON c.financial_year = n.financial_year AND c.period >= n.period
         LIMIT 1;
    ELSE
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            SELECT array_agg(to_jsonb(o)) INTO old_rows_json FROM old_rows o;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            SELECT array_agg(to_jsonb(n)) INTO new_rows_json FROM new_rows n;
        END IF;
        IF timing = 'population' THEN
            -- an estimate for a calendar year is used by every month from that year on
            SELECT c.financial_year, c.period INTO closed
              FROM unnest(COALESCE(old_rows_json, '{}') || COALESCE(new_rows_json, '{}')) AS r(row_values)
              JOIN finmon.closed_period c
                ON extract(year FROM finmon.period_end(c.financial_year, c.period)) >= (r.row_values ->> 'year')::integer
             LIMIT 1;
        ELSE
            -- a period's figures run from April to it: closing a period closes its year to
            -- date; a new definition ('any') changes nothing already reported
            SELECT c.financial_year, c.period INTO closed
              FROM unnest(COALESCE(old_rows_json, '{}')
                          || CASE WHEN timing = 'any' THEN '{}' ELSE COALESCE(new_rows_json, '{}') END) AS r(row_values)
             CROSS JOIN LATERAL finmon.row_period(timing, r.row_values) AS p
              JOIN finmon.closed_period c
                ON (p.financial_year IS NULL OR c.financial_year = p.financial_year)
               AND (p.period IS NULL OR c.period >= p.period)
             LIMIT 1;
        END IF;
    END IF;
    IF closed.financial_year IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('finmon.%s: %s period %s is closed, so its figures cannot change',
                             TG_TABLE_NAME, closed.financial_year, closed.period),
            DETAIL = 'Nothing of this change has been kept.',
            HINT = format('An admin can reopen it with finmon.reopen_period(%L, %s, reason).',
                          closed.financial_year, closed.period);
    END IF;

    IF TG_TABLE_NAME = 'ledger' AND TG_OP = 'INSERT' THEN
        INSERT INTO finmon.audit_log (action, table_name, financial_year, period, key, new_values)
        SELECT 'insert', 'ledger',
               CASE WHEN min(n.financial_year) = max(n.financial_year) THEN min(n.financial_year) END,
               CASE WHEN min(n.financial_year) = max(n.financial_year) AND min(n.period) = max(n.period) THEN min(n.period) END,
               jsonb_build_object('transactions', count(*)),
               jsonb_build_object('transactions', count(*), 'amount', sum(n.amount),
                                  'financial_years', array_agg(DISTINCT n.financial_year),
                                  'import_batch', min(n.import_batch))
          FROM new_rows n
        HAVING count(*) > 0;
        RETURN NULL;
    END IF;

    -- One audit row per row changed, old and new paired by key; a reload that changes only
    -- when and by which load a row was written is not a change.
    INSERT INTO finmon.audit_log (action, table_name, financial_year, period, key, old_values, new_values)
    SELECT lower(TG_OP), TG_TABLE_NAME, p.financial_year, p.period, c.key, c.old_values, c.new_values
      FROM (SELECT COALESCE(o.key, n.key) AS key, o.row_values AS old_values, n.row_values AS new_values
              FROM (SELECT (SELECT jsonb_object_agg(k, r.row_values -> k) FROM unnest(key_columns) AS k) AS key, r.row_values
                      FROM unnest(old_rows_json) AS r(row_values)) AS o
              FULL JOIN (SELECT (SELECT jsonb_object_agg(k, r.row_values -> k) FROM unnest(key_columns) AS k) AS key, r.row_values
                           FROM unnest(new_rows_json) AS r(row_values)) AS n ON n.key = o.key) AS c
      LEFT JOIN LATERAL (SELECT * FROM finmon.row_period(timing, COALESCE(c.new_values, c.old_values)) LIMIT 1) AS p ON true
     WHERE c.old_values IS NULL OR c.new_values IS NULL
        OR c.old_values - 'loaded_at' - 'import_batch' - 'import_row'
           IS DISTINCT FROM c.new_values - 'loaded_at' - 'import_batch' - 'import_row';
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.guard_change() IS
    'Trigger function on every figure table: refuses a change to a closed period (55000) and writes the audit log (internal).';

DO $$
DECLARE
    t record;
    key_columns text;
BEGIN
    FOR t IN SELECT * FROM (VALUES
            ('revenue', 'period'), ('commentary', 'period'), ('savings_plan', 'plan year'),
            ('savings_forecast', 'period'), ('reserve', 'period'), ('capital', 'period'),
            ('grant_scheme', 'period'), ('measure', 'any'), ('population', 'population'),
            ('activity', 'month'), ('published_value', 'measure period'),
            ('measure_target', 'measure period'), ('comparator', 'none'),
            ('published_benchmark', 'measure period'), ('budget_profile', 'period'),
            ('ledger', 'period'), ('published', 'period'), ('stated_figure', 'period'),
            ('setting', 'none'), ('revenue_table', 'none'), ('revenue_table_row', 'none'))
            AS g(table_name, timing) LOOP
        SELECT string_agg(pg_catalog.quote_literal(a.attname), ', ' ORDER BY k.n) INTO key_columns
          FROM pg_catalog.pg_index i
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE i.indrelid = pg_catalog.format('finmon.%I', t.table_name)::regclass AND i.indisprimary;
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON finmon.%I REFERENCING NEW TABLE AS new_rows '
                                  'FOR EACH STATEMENT EXECUTE FUNCTION finmon.guard_change(%L, %s)',
                                  t.table_name || '_guard_insert', t.table_name, t.timing, key_columns);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER UPDATE ON finmon.%I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                                  'FOR EACH STATEMENT EXECUTE FUNCTION finmon.guard_change(%L, %s)',
                                  t.table_name || '_guard_update', t.table_name, t.timing, key_columns);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER DELETE ON finmon.%I REFERENCING OLD TABLE AS old_rows '
                                  'FOR EACH STATEMENT EXECUTE FUNCTION finmon.guard_change(%L, %s)',
                                  t.table_name || '_guard_delete', t.table_name, t.timing, key_columns);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE TRUNCATE ON finmon.%I '
                                  'FOR EACH STATEMENT EXECUTE FUNCTION finmon.guard_change(%L, %s)',
                                  t.table_name || '_guard_truncate', t.table_name, t.timing, key_columns);
    END LOOP;
END;
$$;

-- Closing and reopening ----------------------------------------------------------------

CREATE FUNCTION finmon.close_period(financial_year text, period integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM finmon.raise_import_problem('close_period', 1, COALESCE(finmon.financial_year_problem(financial_year),
                                                                    finmon.period_problem(period::text)));
    IF EXISTS (SELECT FROM finmon.closed_period c
                WHERE c.financial_year = close_period.financial_year AND c.period = close_period.period) THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('%s period %s is already closed', financial_year, period);
    END IF;
    -- wait for loads in progress to commit (they were checked before the close), and hold
    -- new ones until it commits (they will see it)
    LOCK TABLE finmon.revenue, finmon.commentary, finmon.savings_plan, finmon.savings_forecast, finmon.reserve,
               finmon.capital, finmon.grant_scheme, finmon.measure, finmon.population, finmon.activity,
               finmon.published_value, finmon.measure_target, finmon.published_benchmark, finmon.budget_profile,
               finmon.ledger, finmon.published, finmon.stated_figure IN SHARE MODE;
    INSERT INTO finmon.closed_period (financial_year, period) VALUES (financial_year, period);
    INSERT INTO finmon.audit_log (action, table_name, financial_year, period, key)
    VALUES ('close', 'closed_period', financial_year, period,
            jsonb_build_object('financial_year', financial_year, 'period', period));
END;
$$;
COMMENT ON FUNCTION finmon.close_period(text, integer) IS
    'Closes a period: from now on none of the figures its reports show (its year to date of revenue, commentary, savings, reserves, capital, grants, measures, ledger and profiles; the savings targets it shows; measure definitions and the populations its months use; printed and stated figures) can change until it is reopened. Waits for loads in progress. Logged in finmon.audit_log. For finmon_admin.';

CREATE FUNCTION finmon.reopen_period(financial_year text, period integer, reason text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM finmon.raise_import_problem('reopen_period', 1, COALESCE(finmon.financial_year_problem(financial_year),
                                                                     finmon.period_problem(period::text),
                                                                     finmon.text_problem('reason', reason)));
    DELETE FROM finmon.closed_period c
     WHERE c.financial_year = reopen_period.financial_year AND c.period = reopen_period.period;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('%s period %s is not closed', financial_year, period);
    END IF;
    INSERT INTO finmon.audit_log (action, table_name, financial_year, period, key, reason)
    VALUES ('reopen', 'closed_period', financial_year, period,
            jsonb_build_object('financial_year', financial_year, 'period', period), btrim(reason));
END;
$$;
COMMENT ON FUNCTION finmon.reopen_period(text, integer, text) IS
    'Reopens a closed period so its figures can change again; the reason is required and logged in finmon.audit_log. For finmon_admin.';

-- Forecast history ------------------------------------------------------------------------

CREATE VIEW finmon.forecast_history AS
SELECT f.financial_year,
       f.path AS line,
       f.label,
       f.period,
       f.budget,
       f.forecast_outturn,
       f.previous_period,
       f.forecast_outturn - lag(f.forecast_outturn) OVER w AS forecast_movement,
       o.forecast_outturn AS outturn,
       f.forecast_outturn - o.forecast_outturn AS forecast_error,
       CASE WHEN o.forecast_outturn <> 0
            THEN (f.forecast_outturn - o.forecast_outturn) / abs(o.forecast_outturn) * 100 END AS forecast_error_pct
  FROM finmon.revenue_figures f
  LEFT JOIN finmon.revenue_figures o
         ON o.financial_year = f.financial_year AND o.period = 12 AND o.analysis = f.analysis AND o.path = f.path
 WHERE f.analysis = ''
WINDOW w AS (PARTITION BY f.financial_year, f.path ORDER BY f.period);
COMMENT ON VIEW finmon.forecast_history IS
    'Each line''s (and each total''s) forecast outturn at every period it was reported, the movement since the last report, and against the year''s outturn (period 12) once it is loaded: forecast accuracy. Pounds. (A period reloaded shows its latest figures; finmon.audit_log keeps the earlier ones.)';
COMMENT ON COLUMN finmon.forecast_history.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.forecast_history.line IS 'The node''s path; '''' for the grand total.';
COMMENT ON COLUMN finmon.forecast_history.label IS 'The node''s name.';
COMMENT ON COLUMN finmon.forecast_history.period IS 'The period it was reported at.';
COMMENT ON COLUMN finmon.forecast_history.budget IS 'The budget at that period.';
COMMENT ON COLUMN finmon.forecast_history.forecast_outturn IS 'The forecast outturn reported at that period.';
COMMENT ON COLUMN finmon.forecast_history.previous_period IS 'The previous period reported in the year.';
COMMENT ON COLUMN finmon.forecast_history.forecast_movement IS 'Forecast outturn minus the previous report''s: the movement since the last report.';
COMMENT ON COLUMN finmon.forecast_history.outturn IS 'The year''s outturn (its period 12 forecast outturn); NULL until loaded.';
COMMENT ON COLUMN finmon.forecast_history.forecast_error IS 'forecast_outturn - outturn: how far this period''s forecast was from the outturn.';
COMMENT ON COLUMN finmon.forecast_history.forecast_error_pct IS 'forecast_error as a % of the outturn''s size.';

-- Ownership and privileges ----------------------------------------------------------------

-- The guard owns every table, view, materialised view and sequence (so that refreshing and
-- loading run as it), and the functions that write them run as it.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                -- a serial column's sequence follows its table
                AND (c.relkind <> 'S' OR NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                                 WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                                   AND d.deptype IN ('a', 'i'))) LOOP
        EXECUTE pg_catalog.format('ALTER %s %s OWNER TO finmon_guard',
                                  CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                                 WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS name FROM pg_catalog.pg_proc p
              WHERE p.pronamespace = 'finmon'::regnamespace
                AND (p.prorettype = 'trigger'::regtype
                     OR p.proname IN ('ledger_partition', 'refresh_period_views', 'rebuild_ledger_summary',
                                      'close_period', 'reopen_period')) LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SECURITY DEFINER', r.name);
        EXECUTE pg_catalog.format('ALTER FUNCTION %s OWNER TO finmon_guard', r.name);
    END LOOP;
END;
$$;

GRANT USAGE ON SCHEMA finmon TO finmon_reader;
GRANT USAGE, CREATE ON SCHEMA finmon TO finmon_guard;   -- it creates the ledger's yearly partitions
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA finmon FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA finmon TO finmon_guard, finmon_reader;
-- Readers call what the reports call; not what writes, refreshes or closes.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
              WHERE p.pronamespace = 'finmon'::regnamespace AND p.prosecdef LOOP
        EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM finmon_reader', f);
    END LOOP;
END;
$$;
REVOKE EXECUTE ON FUNCTION finmon.refresh_revenue_spend_period(bigint), finmon.schedule_refresh(text) FROM finmon_reader;
GRANT EXECUTE ON FUNCTION finmon.refresh_period_views(boolean), finmon.rebuild_ledger_summary(),
      finmon.ledger_partition(text) TO finmon_editor;
GRANT EXECUTE ON FUNCTION finmon.close_period(text, integer), finmon.reopen_period(text, integer, text),
      finmon.schedule_refresh(text) TO finmon_admin;

DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS name, c.relname FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('v', 'm') LOOP
        IF r.relname LIKE '%\_import' THEN
            EXECUTE pg_catalog.format('GRANT INSERT ON %s TO finmon_editor', r.name);
        ELSE
            EXECUTE pg_catalog.format('GRANT SELECT ON %s TO finmon_reader', r.name);
        END IF;
    END LOOP;
END;
$$;
-- Readers also read the reference tables, the refresh log, which periods are closed, and
-- the two tables that functions the reports call read as the caller: settings
-- (service_label, small_number_threshold) and populations (population_at).
GRANT SELECT ON finmon.refresh_log, finmon.closed_period, finmon.report_column, finmon.european_standard_population,
      finmon.ascof_domain, finmon.setting, finmon.population TO finmon_reader;
-- Editors delete figures (to restructure a period) but write them only through the imports.
GRANT SELECT, DELETE ON finmon.revenue, finmon.commentary, finmon.savings_plan, finmon.savings_forecast,
      finmon.reserve, finmon.capital, finmon.grant_scheme, finmon.measure, finmon.population, finmon.activity,
      finmon.published_value, finmon.measure_target, finmon.comparator, finmon.published_benchmark,
      finmon.budget_profile, finmon.published, finmon.stated_figure TO finmon_editor;
GRANT SELECT, INSERT, UPDATE, DELETE ON finmon.revenue_table, finmon.revenue_table_row, finmon.setting TO finmon_admin;
GRANT SELECT ON finmon.audit_log TO finmon_admin;
