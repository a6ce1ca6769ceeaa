-- Period views for BI tools: each report kept as a table of its rows as of the last refresh,
-- per council, financial year and period.  refresh_period_views() recomputes, in one
-- transaction, only the councils (and, for the spend columns, the financial years) whose
-- figures changed since their last refresh, reading the change log the write path keeps;
-- readers keep reading the old rows until it commits.  They are tables rather than
-- materialised views so that row-level security applies to them (a reader sees its own
-- councils only), a refresh can recompute one council, and a Citus cluster can distribute them.

CREATE TABLE finmon_data.revenue_figures_period AS
SELECT council, financial_year, period, path, label, depth, is_leaf, budget, forecast_outturn, variance,
       variance_pct, previous_period, previous_variance, movement, prior_year_actual,
       prior_year_variance, prior_year_budget, row_order
  FROM finmon_data.revenue_figures WHERE analysis = '' WITH NO DATA;
ALTER TABLE finmon_data.revenue_figures_period ADD CONSTRAINT revenue_figures_period_key PRIMARY KEY (council, financial_year, period, path);
COMMENT ON TABLE finmon_data.revenue_figures_period IS
    'The budget and forecast columns of finmon.revenue_report as of the last refresh (read finmon.revenue_period).';

-- The spend columns are kept year by year: a month's ledger load changes one financial year,
-- and refresh_period_views() recomputes only the years whose sources changed.
CREATE TABLE finmon_data.revenue_spend_period (
    council text NOT NULL,
    financial_year text NOT NULL,
    period integer NOT NULL,
    path text NOT NULL,
    actual_to_date numeric,
    profiled_budget_to_date numeric,
    CONSTRAINT revenue_spend_period_key PRIMARY KEY (council, financial_year, period, path)
);
COMMENT ON TABLE finmon_data.revenue_spend_period IS
    'The spend-to-date columns of finmon.revenue_report (finmon_data.revenue_to_date) as of the last refresh, recomputed by finmon.refresh_period_views() only for the councils and financial years whose sources changed (read finmon.revenue_period).';
COMMENT ON COLUMN finmon_data.revenue_spend_period.council IS 'The council.';
COMMENT ON COLUMN finmon_data.revenue_spend_period.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.revenue_spend_period.period IS 'The reporting period.';
COMMENT ON COLUMN finmon_data.revenue_spend_period.path IS 'The node.';
COMMENT ON COLUMN finmon_data.revenue_spend_period.actual_to_date IS 'Ledger spend from April to the end of the period; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon_data.revenue_spend_period.profiled_budget_to_date IS 'The budget profiled to the end of the period.';

-- What readers read declares its numbers' types, so that ODBC and JDBC report a precision and
-- scale: money numeric(18,2) (pounds and pence, which every load of money holds to: the value
-- is unchanged), percentages and the measures' values, targets and benchmarks numeric(24,4),
-- the measures' counts numeric(18,0) (whole numbers, as loaded), and the reconciliation's
-- figures, in the unit a paper prints them, numeric(24,6); rounded half away from zero as a
-- view is read.  (The period views here; the reports in declared.sql.)
CREATE FUNCTION finmon_data.declared_type(view_name text, column_name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN column_name ~ '_(numerator|denominator)$' THEN 'numeric(18,0)'
    WHEN view_name IN ('reconciliation', 'footing', 'report_figures') THEN 'numeric(24,6)'
    WHEN view_name IN ('measure_report', 'measures_period', 'measure_benchmark', 'ascof_summary')
         OR column_name ~ '(_pct|pct_spent)$' THEN 'numeric(24,4)'
    ELSE 'numeric(18,2)' END;
COMMENT ON FUNCTION finmon_data.declared_type(text, text) IS
    'The declared type of a numeric column of a view readers read: numeric(18,2) for money, numeric(24,4) for percentages and the measures'' values, targets and benchmarks, numeric(18,0) for the measures'' counts, numeric(24,6) for the reconciliation''s figures in their printed unit (internal).';

-- The select list that gives a relation's columns (as x) with its undeclared numbers cast to
-- their declared types, for the view named view_name; shared by the period views here and
-- the reports (declared.sql).
CREATE FUNCTION finmon_data.declared_columns(relation regclass, view_name text) RETURNS text
    LANGUAGE sql STABLE STRICT
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT string_agg(CASE WHEN a.atttypid = 'pg_catalog.numeric'::pg_catalog.regtype AND a.atttypmod < 0
                               THEN format('x.%1$I::%2$s AS %1$I', a.attname, finmon_data.declared_type(view_name, a.attname))
                               ELSE format('x.%I', a.attname) END, ', ' ORDER BY a.attnum)
          FROM pg_attribute a
         WHERE a.attrelid = relation AND a.attnum > 0 AND NOT a.attisdropped;
    END;
COMMENT ON FUNCTION finmon_data.declared_columns(regclass, text) IS
    'The select list giving a relation''s columns (as x) with its undeclared numbers cast to finmon_data.declared_type for the named view (internal: used when finmon is installed).';

-- A period view: the query's columns, its numeric ones cast to their declared types.
CREATE FUNCTION finmon_data.declare_period_view(view_name text, query text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    columns text;
BEGIN
    EXECUTE format('CREATE VIEW finmon.%I AS %s', view_name, query);
    columns := finmon_data.declared_columns(format('finmon.%I', view_name)::regclass, view_name);
    EXECUTE format('DROP VIEW finmon.%I', view_name);
    EXECUTE format('CREATE VIEW finmon.%I AS SELECT %s FROM (%s) x', view_name, columns, query);
END;
$$;
COMMENT ON FUNCTION finmon_data.declare_period_view(text, text) IS
    'Creates a period view over a query, its numeric columns cast to finmon_data.declared_type (internal: used when finmon is installed).';

SELECT finmon_data.declare_period_view('revenue_period', $q$
SELECT f.*, s.actual_to_date, s.profiled_budget_to_date
  FROM finmon_data.revenue_figures_period f
  LEFT JOIN finmon_data.revenue_spend_period s
         ON s.council = f.council AND s.financial_year = f.financial_year AND s.period = f.period AND s.path = f.path$q$);
COMMENT ON VIEW finmon.revenue_period IS
    'finmon.revenue_report as of the last finmon.refresh_period_views(): one row per council, year, period and node, from finmon_data.revenue_figures_period and finmon_data.revenue_spend_period, refreshed together. For BI tools.';

CREATE TABLE finmon_data.revenue_table_figures_period AS SELECT * FROM finmon_data.revenue_table_figures WITH NO DATA;
ALTER TABLE finmon_data.revenue_table_figures_period ADD CONSTRAINT revenue_table_figures_period_key
    PRIMARY KEY (council, table_name, financial_year, period, row_number);
COMMENT ON TABLE finmon_data.revenue_table_figures_period IS
    'finmon_data.revenue_table_figures (each committee table layout''s budget and forecast figures) as of the last refresh (read finmon.revenue_table_period).';

-- The layouts' conventions and commentary are applied as the period view is read, and the spend
-- to date comes from revenue_spend_period, so that neither a layout's conventions nor a month's
-- ledger recomputes a council's committee tables.
SELECT finmon_data.declare_period_view('revenue_table_period',
    finmon_data.revenue_table_report_sql('finmon_data.revenue_table_figures_period', 'finmon_data.revenue_spend_period'));
COMMENT ON VIEW finmon.revenue_table_period IS
    'finmon.revenue_table_report (the committee tables, in pounds) as of the last refresh: from finmon_data.revenue_table_figures_period and finmon_data.revenue_spend_period, in each layout''s current conventions. For BI tools.';

CREATE TABLE finmon_data.savings_period AS SELECT * FROM finmon.savings_report WITH NO DATA;
ALTER TABLE finmon_data.savings_period ADD CONSTRAINT savings_period_key PRIMARY KEY (council, financial_year, period, ref);
COMMENT ON TABLE finmon_data.savings_period IS 'The rows of finmon.savings_period: finmon.savings_report as of the last refresh.';

CREATE TABLE finmon_data.reserves_period AS SELECT * FROM finmon.reserves_report WITH NO DATA;
ALTER TABLE finmon_data.reserves_period ADD CONSTRAINT reserves_period_key PRIMARY KEY (council, financial_year, period, row_number);
COMMENT ON TABLE finmon_data.reserves_period IS 'The rows of finmon.reserves_period: finmon.reserves_report as of the last refresh.';

CREATE TABLE finmon_data.capital_period AS SELECT * FROM finmon.capital_report WITH NO DATA;
ALTER TABLE finmon_data.capital_period ADD CONSTRAINT capital_period_key PRIMARY KEY (council, financial_year, period, row_number);
COMMENT ON TABLE finmon_data.capital_period IS 'The rows of finmon.capital_period: finmon.capital_report as of the last refresh.';

CREATE TABLE finmon_data.grants_period AS SELECT * FROM finmon.grant_report WITH NO DATA;
ALTER TABLE finmon_data.grants_period ADD CONSTRAINT grants_period_key PRIMARY KEY (council, financial_year, period, "grant", row_number);
COMMENT ON TABLE finmon_data.grants_period IS 'The rows of finmon.grants_period: finmon.grant_report as of the last refresh.';

CREATE TABLE finmon_data.measures_period AS SELECT * FROM finmon.measure_report WITH NO DATA;
ALTER TABLE finmon_data.measures_period ADD CONSTRAINT measures_period_key PRIMARY KEY (council, measure, area, month);
COMMENT ON TABLE finmon_data.measures_period IS 'The rows of finmon.measures_period: finmon.measure_report (suppressed as published) as of the last refresh.';

-- Each period view's columns mean what its report's do.
SELECT finmon_data.copy_column_comments('finmon.revenue_report', t)
  FROM unnest(ARRAY['finmon_data.revenue_figures_period', 'finmon.revenue_period']::regclass[]) AS t;
SELECT finmon_data.copy_column_comments(r, t)
  FROM (VALUES ('finmon.revenue_table_report'::regclass, 'finmon.revenue_table_period'::regclass),
               ('finmon_data.revenue_table_figures', 'finmon_data.revenue_table_figures_period'),
               ('finmon.savings_report', 'finmon_data.savings_period'), ('finmon.reserves_report', 'finmon_data.reserves_period'),
               ('finmon.capital_report', 'finmon_data.capital_period'), ('finmon.grant_report', 'finmon_data.grants_period'),
               ('finmon.measure_report', 'finmon_data.measures_period')) AS v(r, t);

-- The five period views kept whole are views over those tables, so that a BI tool asking for
-- views lists them beside revenue_period and revenue_table_period (the tables are the guard's,
-- and row-level security shows each reader its own councils through the view); their columns
-- mean what their reports' do.
SELECT finmon_data.declare_period_view('savings_period', 'SELECT * FROM finmon_data.savings_period');
COMMENT ON VIEW finmon.savings_period IS
    'finmon.savings_report as of the last finmon.refresh_period_views(), from finmon_data.savings_period. For BI tools.';

SELECT finmon_data.declare_period_view('reserves_period', 'SELECT * FROM finmon_data.reserves_period');
COMMENT ON VIEW finmon.reserves_period IS
    'finmon.reserves_report as of the last finmon.refresh_period_views(), from finmon_data.reserves_period. For BI tools.';

SELECT finmon_data.declare_period_view('capital_period', 'SELECT * FROM finmon_data.capital_period');
COMMENT ON VIEW finmon.capital_period IS
    'finmon.capital_report as of the last finmon.refresh_period_views(), from finmon_data.capital_period. For BI tools.';

SELECT finmon_data.declare_period_view('grants_period', 'SELECT * FROM finmon_data.grants_period');
COMMENT ON VIEW finmon.grants_period IS
    'finmon.grant_report as of the last finmon.refresh_period_views(), from finmon_data.grants_period. For BI tools.';

SELECT finmon_data.declare_period_view('measures_period', 'SELECT * FROM finmon_data.measures_period');
COMMENT ON VIEW finmon.measures_period IS
    'finmon.measure_report (suppressed as published) as of the last finmon.refresh_period_views(), from finmon_data.measures_period. For BI tools.';
SELECT finmon_data.copy_column_comments(('finmon.' || r)::regclass, ('finmon.' || v)::regclass)
  FROM (VALUES ('savings_report', 'savings_period'), ('reserves_report', 'reserves_period'), ('capital_report', 'capital_period'),
               ('grant_report', 'grants_period'), ('measure_report', 'measures_period')) AS x(r, v);

-- (hash_joins true: the view's report joins the output of window functions, whose size the
-- planner cannot see; revenue_table_figures' committee rows join the figures of every period
-- of the council, estimated at a few rows.  A merge join on the financial year alone compared
-- every layout row with every figure of its year (2.6 s for one council's 1,200 rows, against
-- 0.18 s hashed), and with merge joins off a nested loop compared every layout row with every
-- figure of the council (24 million comparisons, 4.3 s): it is planned with hash joins only.)
CREATE FUNCTION finmon.period_views()
    RETURNS TABLE (refresh_order integer, view_name text, report text, sources text[], by_year boolean, hash_joins boolean)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT * FROM (VALUES
            (1, 'revenue_figures_period', 'finmon_data.revenue_figures_of_service', ARRAY['revenue', 'revenue_node'], false, false),
            (2, 'revenue_spend_period', 'finmon_data.revenue_to_date', ARRAY['revenue', 'revenue_node', 'ledger', 'budget_profile', 'actuals'], true, false),
            (3, 'revenue_table_figures_period', 'finmon_data.revenue_table_figures', ARRAY['revenue', 'revenue_node', 'revenue_table', 'revenue_table_row'], false, true),
            (4, 'savings_period', 'finmon_data.savings_report', ARRAY['savings_plan', 'savings_forecast'], false, false),
            (5, 'reserves_period', 'finmon_data.reserves_report', ARRAY['reserve'], false, false),
            (6, 'capital_period', 'finmon_data.capital_report', ARRAY['capital'], false, false),
            (7, 'grants_period', 'finmon_data.grant_report', ARRAY['grant_scheme'], false, false),
            (8, 'measures_period', 'finmon_data.measure_report', ARRAY['measure', 'population', 'activity', 'published_value', 'measure_target', 'setting'], false, false)
        ) AS v(refresh_order, view_name, report, sources, by_year, hash_joins);
    END;
COMMENT ON FUNCTION finmon.period_views() IS
    'The period views, in refresh order: the table, the report it keeps (its namesake in finmon_data, with every digit), the tables its rows are computed from, whether it is recomputed year by year (revenue_spend_period) rather than council by council, and whether its refresh is planned with hash joins only (revenue_table_figures_period''s).';

-- revenue_figures_period's rows: revenue_figures of the service hierarchy.
CREATE VIEW finmon_data.revenue_figures_of_service AS
SELECT council, financial_year, period, path, label, depth, is_leaf, budget, forecast_outturn, variance,
       variance_pct, previous_period, previous_variance, movement, prior_year_actual,
       prior_year_variance, prior_year_budget, row_order
  FROM finmon_data.revenue_figures WHERE analysis = '';
COMMENT ON VIEW finmon_data.revenue_figures_of_service IS
    'The rows of finmon_data.revenue_figures_period: revenue_report''s budget and forecast columns (internal).';
SELECT finmon_data.copy_column_comments('finmon.revenue_report', 'finmon_data.revenue_figures_of_service');

CREATE TABLE finmon_data.refresh_state (
    view_name text NOT NULL,
    council text NOT NULL,
    change bigint NOT NULL,
    PRIMARY KEY (view_name, council)
);
COMMENT ON TABLE finmon_data.refresh_state IS 'For each period view and council, the latest change (finmon_data.change_log) its last successful refresh saw (internal).';
COMMENT ON COLUMN finmon_data.refresh_state.view_name IS 'The period view.';
COMMENT ON COLUMN finmon_data.refresh_state.council IS 'The council.';
COMMENT ON COLUMN finmon_data.refresh_state.change IS 'The latest change of the council''s sources when it was last refreshed.';

-- (its row numbers come from a sequence in finmon_data, with the internals, so that every
-- relation in schema finmon is one a reader may read)
CREATE SEQUENCE finmon_data.refresh_log_id_seq;
CREATE TABLE finmon.refresh_log (
    id bigint PRIMARY KEY DEFAULT nextval('finmon_data.refresh_log_id_seq'),
    run bigint NOT NULL,
    view_name text NOT NULL,
    council text,
    started timestamptz NOT NULL,
    finished timestamptz NOT NULL,
    rows bigint,
    concurrent boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('ok', 'failed', 'unchanged')),
    error text,
    financial_years text[]
);
COMMENT ON TABLE finmon.refresh_log IS 'One row per period view and council refreshed per run of finmon.refresh_period_views(), and one per view that nothing changed for.';
COMMENT ON COLUMN finmon.refresh_log.id IS 'Row number.';
COMMENT ON COLUMN finmon.refresh_log.run IS 'The run of finmon.refresh_period_views() (from finmon_data.refresh_run).';
COMMENT ON COLUMN finmon.refresh_log.view_name IS 'The period view.';
COMMENT ON COLUMN finmon.refresh_log.council IS 'The council recomputed; NULL on an ''unchanged'' row, which covers every council of the run.';
COMMENT ON COLUMN finmon.refresh_log.started IS 'When the refresh of the view for the council started (of the view, for a view with nothing to refresh).';
COMMENT ON COLUMN finmon.refresh_log.finished IS 'When it finished or failed.';
COMMENT ON COLUMN finmon.refresh_log.rows IS 'The council''s rows in the view after the refresh; NULL when it failed or was unchanged.';
COMMENT ON COLUMN finmon.refresh_log.concurrent IS 'True: readers were not blocked (a period view is rewritten in the refreshing transaction, and readers see the old rows until it commits).';
COMMENT ON COLUMN finmon.refresh_log.status IS '''ok'', ''failed'' (the view keeps its previous contents) or ''unchanged'' (no source table changed for the run''s councils since their last refresh, so it was not refreshed).';
COMMENT ON COLUMN finmon.refresh_log.error IS 'SQLSTATE and message of a failure.';
COMMENT ON COLUMN finmon.refresh_log.financial_years IS 'For a view kept year by year (revenue_spend_period), the financial years recomputed; NULL when every year was.';
SELECT pg_catalog.pg_extension_config_dump('finmon.refresh_log', '');
COMMENT ON SEQUENCE finmon_data.refresh_log_id_seq IS 'Numbers the rows of finmon.refresh_log.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.refresh_log_id_seq', '');
CREATE SEQUENCE finmon_data.refresh_run;
COMMENT ON SEQUENCE finmon_data.refresh_run IS 'Numbers the runs of finmon.refresh_period_views().';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.refresh_run', '');

CREATE FUNCTION finmon.refresh_period_views(force boolean DEFAULT false, only_council text DEFAULT NULL)
    RETURNS TABLE (view_name text, council text, status text, rows bigint, milliseconds numeric, error text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v record;
    p record;
    run_id bigint := nextval('finmon_data.refresh_run');
    scope text[] := finmon_data.role_councils(finmon.acting_role());
    named text := NULLIF(btrim(only_council), '');
    councils text[];
    pending jsonb;
    latest bigint;
    started timestamptz;
    message text;
    state text;
    deleted bigint;
    inserted bigint;
    growth bigint;
    council_started timestamptz;
    stale record;
    one_year text;
    caller_mergejoin text := current_setting('enable_mergejoin');
    caller_nestloop text := current_setting('enable_nestloop');
BEGIN
    -- Each statement must see what committed before it: a snapshot taken before the locks
    -- below would miss a load they waited for.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = '25000',
            MESSAGE = format('refresh_period_views() must run at READ COMMITTED, not %s',
                             upper(current_setting('transaction_isolation')));
    END IF;
    IF named IS NOT NULL THEN
        PERFORM finmon_data.council_to_change(named, 'refresh_period_views');
    END IF;
    -- The councils refreshed: those the session's role may change (every one for a role given
    -- every council), or the one named.
    councils := ARRAY(SELECT c.council FROM finmon.council c
                       WHERE (scope IS NULL OR c.council = ANY (scope)) AND (named IS NULL OR c.council = named)
                       ORDER BY c.council);
    -- One refresh at a time; then wait for the loads of those councils in progress to commit,
    -- and hold new ones until this transaction ends.
    LOCK TABLE finmon_data.refresh_state IN EXCLUSIVE MODE;
    PERFORM finmon_data.lock_councils(councils, true);
    latest := COALESCE((SELECT max(c.change) FROM finmon_data.change_log c), 0);
    -- The sources' statistics, when a load has changed a tenth of a table since it was last
    -- analysed (or it never was): the refresh right after a nightly bulk load must not be
    -- planned on statistics that say the tables are empty.
    FOR stale IN SELECT DISTINCT c.oid::regclass AS name
               FROM finmon.period_views() x
              CROSS JOIN LATERAL unnest(x.sources) AS t(source)
               JOIN pg_class c ON c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace)
                              AND c.relname = CASE t.source WHEN 'ledger' THEN 'ledger_summary' ELSE t.source END
              WHERE pg_stat_get_mod_since_analyze(c.oid) > 0.1 * greatest(c.reltuples, 0) + 1000 LOOP
        EXECUTE format('ANALYZE %s', stale.name);
    END LOOP;

    FOR v IN SELECT * FROM finmon.period_views() x ORDER BY x.refresh_order LOOP
        started := clock_timestamp();
        -- merge joins and nested loops as the caller has them, but off for a view declared
        -- hash_joins (set for this transaction and put back below; an error out of here undoes
        -- it with the transaction or subtransaction)
        PERFORM pg_catalog.set_config('enable_mergejoin', CASE WHEN v.hash_joins THEN 'off' ELSE caller_mergejoin END, true);
        PERFORM pg_catalog.set_config('enable_nestloop', CASE WHEN v.hash_joins THEN 'off' ELSE caller_nestloop END, true);
        growth := 0;
        -- What changed since each council's last refresh of this view: per council, the years
        -- (NULL: every year); a change to what every council shares ('*') counts for each.
        pending := (SELECT jsonb_agg(jsonb_build_object('council', x.council, 'years', x.years) ORDER BY x.council)
                      FROM (SELECT k.council,
                                   CASE WHEN force OR NOT v.by_year OR bool_or(c.financial_year IS NULL) THEN NULL
                                        ELSE array_agg(DISTINCT c.financial_year ORDER BY c.financial_year) END AS years
                              FROM unnest(councils) AS k(council)
                              LEFT JOIN finmon_data.refresh_state s ON s.view_name = v.view_name AND s.council = k.council
                              LEFT JOIN finmon_data.change_log c
                                     ON c.council IN (k.council, '*') AND c.table_name = ANY (v.sources)
                                    AND c.change > COALESCE(s.change, 0)
                             GROUP BY k.council
                            HAVING force OR count(c.change) > 0) AS x);
        IF pending IS NULL THEN
            INSERT INTO finmon.refresh_log (run, view_name, council, started, finished, rows, concurrent, status)
            VALUES (run_id, v.view_name, NULL, started, clock_timestamp(), NULL, true, 'unchanged');
            CONTINUE;
        END IF;
        -- each council's rows in a subtransaction of their own: a council whose refresh fails
        -- keeps its previous rows, and the other councils are refreshed
        FOR p IN SELECT x.value ->> 'council' AS council,
                        ARRAY(SELECT jsonb_array_elements_text(NULLIF(x.value -> 'years', 'null'))) AS years,
                        x.value -> 'years' = 'null' AS every_year
                   FROM jsonb_array_elements(pending) AS x LOOP
            council_started := clock_timestamp();
            BEGIN
                IF p.every_year THEN
                    EXECUTE format('DELETE FROM finmon_data.%I x WHERE x.council = $1', v.view_name) USING p.council;
                    GET DIAGNOSTICS deleted = ROW_COUNT;
                    EXECUTE format('INSERT INTO finmon_data.%I SELECT * FROM %s x WHERE x.council = $1', v.view_name, v.report)
                        USING p.council;
                    GET DIAGNOSTICS inserted = ROW_COUNT;
                    growth := growth + inserted - deleted;
                ELSE
                    -- a year at a time: the year, compared with =, reaches the ledger's
                    -- summaries through the join (with = ANY of the years, the report summed
                    -- every year of the council's ledger: 127 ms for a year, against 29 ms)
                    FOREACH one_year IN ARRAY p.years LOOP
                        EXECUTE format('DELETE FROM finmon_data.%I x WHERE x.council = $1 AND x.financial_year = $2', v.view_name)
                            USING p.council, one_year;
                        GET DIAGNOSTICS deleted = ROW_COUNT;
                        EXECUTE format('INSERT INTO finmon_data.%I SELECT * FROM %s x WHERE x.council = $1 AND x.financial_year = $2',
                                       v.view_name, v.report) USING p.council, one_year;
                        GET DIAGNOSTICS inserted = ROW_COUNT;
                        growth := growth + inserted - deleted;
                    END LOOP;
                END IF;
                INSERT INTO finmon_data.refresh_state AS r (view_name, council, change) VALUES (v.view_name, p.council, latest)
                ON CONFLICT ON CONSTRAINT refresh_state_pkey DO UPDATE SET change = excluded.change;
                EXECUTE format('INSERT INTO finmon.refresh_log (run, view_name, council, started, finished, rows, concurrent, status, financial_years) '
                               'SELECT $1, $2, $3, $4, clock_timestamp(), count(*), true, ''ok'', $5 FROM finmon_data.%I x WHERE x.council = $3',
                               v.view_name) USING run_id, v.view_name, p.council, council_started,
                                                  CASE WHEN p.every_year THEN NULL ELSE p.years END;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
                INSERT INTO finmon.refresh_log (run, view_name, council, started, finished, rows, concurrent, status, error)
                VALUES (run_id, v.view_name, p.council, council_started, clock_timestamp(), NULL, true, 'failed', state || ': ' || message);
            END;
        END LOOP;
        -- statistics for BI queries' plans, when the view has none or it grew or shrank by a
        -- tenth (a month's figures added to a year's do not call for it; autovacuum catches up)
        IF (SELECT c.reltuples < 0 OR abs(growth) * 10 >= greatest(c.reltuples, 1)
              FROM pg_class c WHERE c.oid = format('finmon_data.%I', v.view_name)::regclass) THEN
            EXECUTE format('ANALYZE finmon_data.%I', v.view_name);
        END IF;
    END LOOP;
    PERFORM pg_catalog.set_config('enable_mergejoin', caller_mergejoin, true);
    PERFORM pg_catalog.set_config('enable_nestloop', caller_nestloop, true);
    -- What every view has seen, for every council it concerns, need not be kept.
    DELETE FROM finmon_data.change_log c
     WHERE c.change <= latest
       AND NOT EXISTS (SELECT FROM finmon.period_views() v
                         JOIN finmon.council k ON k.council = c.council OR c.council = '*'
                        WHERE c.table_name = ANY (v.sources)
                          AND NOT EXISTS (SELECT FROM finmon_data.refresh_state s
                                           WHERE s.view_name = v.view_name AND s.council = k.council
                                             AND s.change >= c.change));
    RETURN QUERY
        SELECT l.view_name, l.council, l.status, l.rows,
               round(extract(epoch FROM l.finished - l.started)::numeric * 1000, 1), l.error
          FROM finmon.refresh_log l WHERE l.run = run_id ORDER BY l.id;
END;
$$;
COMMENT ON FUNCTION finmon.refresh_period_views(boolean, text) IS
    'Refreshes the period views of the councils the session''s role may change (or only_council): for each view, only the councils whose source tables changed since their last refresh (revenue_spend_period: only the financial years that changed), or every council with force. Logs each in finmon.refresh_log (''ok'', ''failed'': the view keeps its previous contents, ''unchanged''). Runs one at a time, at READ COMMITTED (25000 otherwise); loads of the councils refreshed wait while it runs. All views change together when the calling transaction commits; readers are never blocked. Returns this run''s log.';

CREATE FUNCTION finmon.schedule_refresh(schedule text DEFAULT '0 2 * * *') RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE NOTICE 'pg_cron is not installed in this database: nothing scheduled'
            USING HINT = 'Install postgresql-15-cron, set shared_preload_libraries = ''pg_cron'' and cron.database_name = '''
                         || current_database() || ''', restart, CREATE EXTENSION pg_cron, and call this again; '
                         || 'or have cron or a systemd timer run: psql -d ' || current_database()
                         || ' -c "SELECT * FROM finmon.refresh_period_views()"';
        RETURN NULL;
    END IF;
    EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO job
        USING 'finmon-refresh-period-views', schedule, 'SELECT * FROM finmon.refresh_period_views()';
    RETURN job;
END;
$$;
COMMENT ON FUNCTION finmon.schedule_refresh(text) IS
    'Schedules finmon.refresh_period_views() with pg_cron (job finmon-refresh-period-views; the default is 02:00 every night, in pg_cron''s time zone), run as the role that schedules it, so refreshing that role''s councils (every council for a superuser); returns the job id. Scheduling again replaces the schedule. Without pg_cron, says how to schedule it with cron or a systemd timer and returns NULL.';
