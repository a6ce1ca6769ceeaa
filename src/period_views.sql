-- Materialised period views for BI tools: each report frozen per financial year and period,
-- refreshed together (concurrently, so readers are never blocked) by refresh_period_views(),
-- which logs each view's refresh; schedule_refresh() runs it nightly with pg_cron.

CREATE MATERIALIZED VIEW finmon.revenue_period AS SELECT * FROM finmon.revenue_report;
CREATE UNIQUE INDEX revenue_period_key ON finmon.revenue_period (financial_year, period, path);
COMMENT ON MATERIALIZED VIEW finmon.revenue_period IS
    'finmon.revenue_report as of the last finmon.refresh_period_views(): one row per year, period and node. For BI tools.';

CREATE MATERIALIZED VIEW finmon.revenue_table_period AS SELECT * FROM finmon.revenue_table_report;
CREATE UNIQUE INDEX revenue_table_period_key ON finmon.revenue_table_period (table_name, financial_year, period, row_number);
COMMENT ON MATERIALIZED VIEW finmon.revenue_table_period IS
    'finmon.revenue_table_report (the committee tables, in pounds) as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.savings_period AS SELECT * FROM finmon.savings_report;
CREATE UNIQUE INDEX savings_period_key ON finmon.savings_period (financial_year, period, ref);
COMMENT ON MATERIALIZED VIEW finmon.savings_period IS 'finmon.savings_report as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.reserves_period AS SELECT * FROM finmon.reserves_report;
CREATE UNIQUE INDEX reserves_period_key ON finmon.reserves_period (financial_year, period, row_number);
COMMENT ON MATERIALIZED VIEW finmon.reserves_period IS 'finmon.reserves_report as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.capital_period AS SELECT * FROM finmon.capital_report;
CREATE UNIQUE INDEX capital_period_key ON finmon.capital_period (financial_year, period, row_number);
COMMENT ON MATERIALIZED VIEW finmon.capital_period IS 'finmon.capital_report as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.grants_period AS SELECT * FROM finmon.grant_report;
CREATE UNIQUE INDEX grants_period_key ON finmon.grants_period (financial_year, period, "grant", row_number);
COMMENT ON MATERIALIZED VIEW finmon.grants_period IS 'finmon.grant_report as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.measures_period AS SELECT * FROM finmon.measure_report;
CREATE UNIQUE INDEX measures_period_key ON finmon.measures_period (measure, area, month);
COMMENT ON MATERIALIZED VIEW finmon.measures_period IS 'finmon.measure_report (suppressed as published) as of the last refresh.';

CREATE TABLE finmon.refresh_log (
    id bigserial PRIMARY KEY,
    run bigint NOT NULL,
    view_name text NOT NULL,
    started timestamptz NOT NULL,
    finished timestamptz NOT NULL,
    rows bigint,
    concurrent boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('ok', 'failed')),
    error text
);
COMMENT ON TABLE finmon.refresh_log IS 'One row per period view per run of finmon.refresh_period_views().';
COMMENT ON COLUMN finmon.refresh_log.id IS 'Row number.';
COMMENT ON COLUMN finmon.refresh_log.run IS 'The run of finmon.refresh_period_views() (from finmon.refresh_run).';
COMMENT ON COLUMN finmon.refresh_log.view_name IS 'The materialised view.';
COMMENT ON COLUMN finmon.refresh_log.started IS 'When its refresh started.';
COMMENT ON COLUMN finmon.refresh_log.finished IS 'When it finished or failed.';
COMMENT ON COLUMN finmon.refresh_log.rows IS 'Rows in the view after the refresh; NULL when it failed.';
COMMENT ON COLUMN finmon.refresh_log.concurrent IS 'True when refreshed CONCURRENTLY (readers not blocked); the first refresh of an unpopulated view cannot be.';
COMMENT ON COLUMN finmon.refresh_log.status IS '''ok'' or ''failed'' (the view keeps its previous contents).';
COMMENT ON COLUMN finmon.refresh_log.error IS 'SQLSTATE and message of a failure.';
SELECT pg_catalog.pg_extension_config_dump('finmon.refresh_log', '');
COMMENT ON SEQUENCE finmon.refresh_log_id_seq IS 'Numbers the rows of finmon.refresh_log.';
SELECT pg_catalog.pg_extension_config_dump('finmon.refresh_log_id_seq', '');
CREATE SEQUENCE finmon.refresh_run;
COMMENT ON SEQUENCE finmon.refresh_run IS 'Numbers the runs of finmon.refresh_period_views().';
SELECT pg_catalog.pg_extension_config_dump('finmon.refresh_run', '');

CREATE FUNCTION finmon.period_views() RETURNS TABLE (refresh_order integer, view_name text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT * FROM (VALUES (1, 'revenue_period'), (2, 'revenue_table_period'), (3, 'savings_period'),
                              (4, 'reserves_period'), (5, 'capital_period'), (6, 'grants_period'),
                              (7, 'measures_period')) AS v(refresh_order, view_name);
    END;
COMMENT ON FUNCTION finmon.period_views() IS
    'The materialised period views, in refresh order (each reads only base tables, so any order is a dependency order).';

CREATE FUNCTION finmon.refresh_period_views()
    RETURNS TABLE (view_name text, status text, rows bigint, milliseconds numeric, error text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v record;
    run_id bigint := nextval('finmon.refresh_run');
    started timestamptz;
    populated boolean;
    n bigint;
    message text;
    state text;
BEGIN
    FOR v IN SELECT p.view_name FROM finmon.period_views() p ORDER BY p.refresh_order LOOP
        started := clock_timestamp();
        populated := (SELECT c.relispopulated FROM pg_class c
                       WHERE c.oid = format('finmon.%I', v.view_name)::regclass);
        BEGIN
            IF populated THEN
                EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY finmon.%I', v.view_name);
            ELSE
                EXECUTE format('REFRESH MATERIALIZED VIEW finmon.%I', v.view_name);
            END IF;
            EXECUTE format('SELECT count(*) FROM finmon.%I', v.view_name) INTO n;
            INSERT INTO finmon.refresh_log (run, view_name, started, finished, rows, concurrent, status)
            VALUES (run_id, v.view_name, started,
                    clock_timestamp(), n, populated, 'ok');
        EXCEPTION WHEN OTHERS THEN
            -- the failed view's refresh is rolled back to its previous contents; the others go on
            GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
            INSERT INTO finmon.refresh_log (run, view_name, started, finished, rows, concurrent, status, error)
            VALUES (run_id, v.view_name, started,
                    clock_timestamp(), NULL, populated, 'failed', state || ': ' || message);
        END;
    END LOOP;
    RETURN QUERY
        SELECT l.view_name, l.status, l.rows,
               round(extract(epoch FROM l.finished - l.started)::numeric * 1000, 1), l.error
          FROM finmon.refresh_log l WHERE l.run = run_id ORDER BY l.id;
END;
$$;
COMMENT ON FUNCTION finmon.refresh_period_views() IS
    'Refreshes every materialised period view (CONCURRENTLY once populated, so BI tools keep reading), logging each in finmon.refresh_log. A view that fails is logged and keeps its previous contents; the others are refreshed. All views change together when the calling transaction commits. Returns this run''s log.';

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
    'Schedules finmon.refresh_period_views() with pg_cron (job finmon-refresh-period-views; the default is 02:00 every night, in pg_cron''s time zone) and returns the job id; scheduling again replaces the schedule. Without pg_cron, says how to schedule it with cron or a systemd timer and returns NULL.';
