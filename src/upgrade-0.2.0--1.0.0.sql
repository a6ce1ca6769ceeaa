-- 0.2.0 to 1.0.0: the changes to 0.2.0's objects (the new objects of 1.0.0 follow, from src/).

-- revenue_spend_period: a table recomputed year by year instead of a materialised view, so a
-- month's ledger load refreshes one financial year (issue 5).
-- revenue_period is recreated: keep what was granted on it (BI logins read it).
SELECT pg_catalog.set_config('finmon.revenue_period_acl',
                              COALESCE((SELECT c.relacl::text FROM pg_catalog.pg_class c
                                         WHERE c.oid = 'finmon.revenue_period'::pg_catalog.regclass), '{}'), true);
DROP VIEW finmon.revenue_period;
DROP MATERIALIZED VIEW finmon.revenue_spend_period;
DELETE FROM finmon.refresh_state WHERE view_name = 'revenue_spend_period';

-- The spend columns are a table kept year by year rather than a materialised view: a month's
-- ledger load changes one financial year, and refresh_period_views() recomputes only the years
-- whose sources changed (finmon.spend_change), so its cost follows what changed.
CREATE TABLE finmon.revenue_spend_period (
    financial_year text NOT NULL,
    period integer NOT NULL,
    path text NOT NULL,
    actual_to_date numeric,
    profiled_budget_to_date numeric,
    CONSTRAINT revenue_spend_period_key PRIMARY KEY (financial_year, period, path)
);
COMMENT ON TABLE finmon.revenue_spend_period IS
    'The spend-to-date columns of finmon.revenue_report (finmon.revenue_to_date) as of the last refresh, recomputed by finmon.refresh_period_views() only for the financial years whose sources changed (read finmon.revenue_period).';
COMMENT ON COLUMN finmon.revenue_spend_period.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_spend_period.period IS 'The reporting period.';
COMMENT ON COLUMN finmon.revenue_spend_period.path IS 'The node.';
COMMENT ON COLUMN finmon.revenue_spend_period.actual_to_date IS 'Ledger spend from April to the end of the period; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon.revenue_spend_period.profiled_budget_to_date IS 'The budget profiled to the end of the period.';

CREATE VIEW finmon.revenue_period AS
SELECT f.*, s.actual_to_date, s.profiled_budget_to_date
  FROM finmon.revenue_figures_period f
  LEFT JOIN finmon.revenue_spend_period s
         ON s.financial_year = f.financial_year AND s.period = f.period AND s.path = f.path;
COMMENT ON VIEW finmon.revenue_period IS
    'finmon.revenue_report as of the last finmon.refresh_period_views(): one row per year, period and node, from finmon.revenue_figures_period and finmon.revenue_spend_period, refreshed together. For BI tools.';
-- revenue_period's columns mean what revenue_report's do.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) AS description
                 FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = 'finmon.revenue_report'::pg_catalog.regclass AND a.attnum > 0 LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN finmon.revenue_period.%I IS %L', col.attname, col.description);
    END LOOP;
END;
$$;

DO $$
DECLARE
    g record;
BEGIN
    IF pg_catalog.current_setting('finmon.revenue_period_acl') = '{}' THEN
        RETURN;
    END IF;
    FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable
               FROM pg_catalog.aclexplode(pg_catalog.current_setting('finmon.revenue_period_acl')::pg_catalog.aclitem[]) AS a
              WHERE a.grantee <> a.grantor LOOP
        EXECUTE pg_catalog.format('GRANT %s ON finmon.revenue_period TO %s%s', g.privilege_type,
                                  CASE g.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                                  CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
END;
$$;

ALTER TABLE finmon.refresh_log ADD COLUMN financial_years text[];
COMMENT ON COLUMN finmon.refresh_log.view_name IS 'The period view (a materialised view, or revenue_spend_period, a table kept year by year).';
COMMENT ON COLUMN finmon.refresh_log.concurrent IS 'True when readers were not blocked: refreshed CONCURRENTLY, or revenue_spend_period (always); the first refresh of an unpopulated materialised view cannot be.';
COMMENT ON COLUMN finmon.refresh_log.financial_years IS 'For a view kept year by year (revenue_spend_period), the financial years recomputed; NULL when the whole view was.';
COMMENT ON COLUMN finmon.refresh_state.view_name IS 'The period view.';

-- The change log is append-only (concurrent loads never wait on each other there).
ALTER TABLE finmon.source_change DROP CONSTRAINT source_change_pkey;
CREATE INDEX source_change_table ON finmon.source_change (table_name, change);
COMMENT ON TABLE finmon.source_change IS 'Changes to the source tables of the period views, one row per changing statement (internal; what refresh_period_views() compares; it keeps the latest per table).';
COMMENT ON COLUMN finmon.source_change.table_name IS 'The source table.';
COMMENT ON COLUMN finmon.source_change.change IS 'The number of the change (finmon.source_change_number).';

CREATE OR REPLACE FUNCTION finmon.note_source_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO finmon.source_change (table_name, change)
    VALUES (TG_TABLE_NAME, nextval('finmon.source_change_number'));
    RETURN NULL;
END;
$$;

-- The load's number is kept in finmon.import_load (created with the roles, below), not in a
-- setting the caller could change.
CREATE OR REPLACE FUNCTION finmon.import_begin() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the load's number is kept where only finmon_guard writes (finmon.import_load), not in
    -- a setting the caller could change between rows
    INSERT INTO finmon.import_load AS l (pid, batch) VALUES (pg_backend_pid(), nextval('finmon.import_batch'))
    ON CONFLICT (pid) DO UPDATE SET batch = excluded.batch;
    PERFORM set_config('finmon.import_row', '0', true);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.import_begin() IS
    'Trigger function: numbers a new load (in finmon.import_load) and restarts its row count (internal).';

CREATE OR REPLACE FUNCTION finmon.import_next_row(OUT batch bigint, OUT row_number integer)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    batch := (SELECT l.batch FROM finmon.import_load l WHERE l.pid = pg_backend_pid());
    row_number := current_setting('finmon.import_row')::integer + 1;
    PERFORM set_config('finmon.import_row', row_number::text, true);
END;
$$;
COMMENT ON FUNCTION finmon.import_next_row() IS
    'The current load''s number and the next row number (internal).';

CREATE OR REPLACE FUNCTION finmon.ledger_import_end() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    batch bigint := (SELECT l.batch FROM finmon.import_load l WHERE l.pid = pg_backend_pid());
    twice record;
    year text;
BEGIN
    SELECT s.financial_year, s.reference, min(s.import_row) AS first_row, max(s.import_row) AS second_row INTO twice
      FROM finmon.ledger_stage s WHERE s.import_batch = batch
     GROUP BY s.financial_year, s.reference HAVING count(*) > 1
     ORDER BY max(s.import_row) LIMIT 1;
    IF FOUND THEN
        PERFORM finmon.raise_import_problem(TG_TABLE_NAME, twice.second_row,
            finmon.duplicate_problem(0, format('reference "%s" in %s', twice.reference, twice.financial_year), twice.first_row));
    END IF;
    FOR year IN SELECT DISTINCT s.financial_year FROM finmon.ledger_stage s WHERE s.import_batch = batch LOOP
        PERFORM finmon.ledger_partition(year);
    END LOOP;
    INSERT INTO finmon.ledger AS l (financial_year, period, posting_date, line, amount, reference, import_batch, import_row)
    SELECT s.financial_year, s.period, s.posting_date, s.line, s.amount, s.reference, s.import_batch, s.import_row
      FROM finmon.ledger_stage s WHERE s.import_batch = batch
    ON CONFLICT (financial_year, reference) DO UPDATE
       SET period = excluded.period, posting_date = excluded.posting_date, line = excluded.line,
           amount = excluded.amount, import_batch = excluded.import_batch, import_row = excluded.import_row;
    DELETE FROM finmon.ledger_stage s WHERE s.import_batch = batch;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION finmon.budget_profile_import_end() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    batch bigint := (SELECT l.batch FROM finmon.import_load l WHERE l.pid = pg_backend_pid());
    bad record;
BEGIN
    SELECT b.financial_year, b.line, sum(b.share) AS total INTO bad
      FROM finmon.budget_profile b
     WHERE (b.financial_year, b.line) IN (SELECT t.financial_year, t.line FROM finmon.budget_profile t WHERE t.import_batch = batch)
     GROUP BY b.financial_year, b.line HAVING sum(b.share) <> 1
     ORDER BY b.financial_year, b.line LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23514',
            MESSAGE = format('%s: the shares of line "%s" in %s sum to %s, not 1', TG_TABLE_NAME, bad.line,
                             bad.financial_year, bad.total),
            DETAIL = 'Nothing of this load has been kept.',
            HINT = 'Give every period of the year a share (0 for none), summing to 1.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.import_begin() IS
    'Trigger function: numbers a new load (in finmon.import_load) and restarts its row count (internal).';

-- A TRUNCATE of the ledger empties its summaries.
CREATE OR REPLACE FUNCTION finmon.ledger_summary_apply() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM finmon.ledger_summary;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO finmon.ledger_summary AS s (financial_year, period, line, amount, transactions)
        SELECT o.financial_year, o.period, o.line, -sum(o.amount), -count(*)
          FROM old_rows o GROUP BY o.financial_year, o.period, o.line
        ON CONFLICT (financial_year, line, period) DO UPDATE
           SET amount = s.amount + excluded.amount, transactions = s.transactions + excluded.transactions;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO finmon.ledger_summary AS s (financial_year, period, line, amount, transactions)
        SELECT n.financial_year, n.period, n.line, sum(n.amount), count(*)
          FROM new_rows n GROUP BY n.financial_year, n.period, n.line
        ON CONFLICT (financial_year, line, period) DO UPDATE
           SET amount = s.amount + excluded.amount, transactions = s.transactions + excluded.transactions;
    END IF;
    DELETE FROM finmon.ledger_summary s WHERE s.transactions = 0;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.ledger_summary_apply() IS
    'Trigger function: applies a statement''s inserted, updated or deleted ledger rows to finmon.ledger_summary, and empties it when the ledger is truncated (internal).';

CREATE TRIGGER ledger_summary_truncate AFTER TRUNCATE ON finmon.ledger
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_summary_apply();

-- Which financial years changed, for the views kept year by year (revenue_spend_period): the
-- spend sources note the years their statements touched; '*' means every year (a TRUNCATE, or
-- a change to the hierarchy, which can move any year's totals).
CREATE TABLE finmon.spend_change (
    financial_year text NOT NULL,
    change bigint NOT NULL
);
CREATE INDEX spend_change_change ON finmon.spend_change (change);
COMMENT ON TABLE finmon.spend_change IS
    'The financial years each statement on a source of finmon.revenue_spend_period changed (internal; ''*'' = every year), numbered like finmon.source_change; append-only, emptied by the refresh that recomputes them.';
COMMENT ON COLUMN finmon.spend_change.financial_year IS 'YYYY-YY, or ''*'' for every year.';
COMMENT ON COLUMN finmon.spend_change.change IS 'The number of the change (finmon.source_change_number).';

CREATE FUNCTION finmon.note_spend_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    years text[];
BEGIN
    -- transition tables exist only for the events that have them: each branch reads its own
    IF TG_OP = 'TRUNCATE' THEN
        years := ARRAY['*'];
    ELSIF TG_TABLE_NAME = 'revenue_node' THEN
        IF TG_OP = 'DELETE' THEN
            PERFORM FROM old_rows LIMIT 1;
        ELSE
            PERFORM FROM new_rows LIMIT 1;
        END IF;
        IF FOUND THEN
            years := ARRAY['*'];
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT n.financial_year) INTO years FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(DISTINCT c.financial_year) INTO years
          FROM (SELECT o.financial_year FROM old_rows o UNION ALL SELECT n.financial_year FROM new_rows n) AS c;
    ELSE
        SELECT array_agg(DISTINCT o.financial_year) INTO years FROM old_rows o;
    END IF;
    INSERT INTO finmon.spend_change (financial_year, change)
    SELECT y.financial_year, nextval('finmon.source_change_number') FROM unnest(years) AS y(financial_year);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.note_spend_change() IS
    'Trigger function: notes which financial years a statement on a source of finmon.revenue_spend_period changed (internal).';

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['revenue', 'revenue_node', 'ledger_summary', 'budget_profile'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON finmon.%I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION finmon.note_spend_change()', t || '_spend_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON finmon.%I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION finmon.note_spend_change()', t || '_spend_update', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON finmon.%I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION finmon.note_spend_change()', t || '_spend_delete', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON finmon.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION finmon.note_spend_change()', t || '_spend_truncate', t);
    END LOOP;
END;
$$;

CREATE FUNCTION finmon.refresh_revenue_spend_period(since bigint) RETURNS text[]
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    years text[];
    every_year boolean := since IS NULL;
BEGIN
    IF NOT every_year THEN
        SELECT array_agg(DISTINCT c.financial_year ORDER BY c.financial_year) INTO years
          FROM finmon.spend_change c WHERE c.change > since;
        every_year := COALESCE('*' = ANY (years), false);
    END IF;
    IF every_year THEN
        years := ARRAY(SELECT r.financial_year FROM finmon.revenue r
                       UNION SELECT s.financial_year FROM finmon.revenue_spend_period s);
    END IF;
    -- DELETE rather than TRUNCATE, so that readers keep reading the old rows until commit
    DELETE FROM finmon.revenue_spend_period s WHERE s.financial_year = ANY (years);
    INSERT INTO finmon.revenue_spend_period (financial_year, period, path, actual_to_date, profiled_budget_to_date)
    SELECT t.financial_year, t.period, t.path, t.actual_to_date, t.profiled_budget_to_date
      FROM finmon.revenue_to_date t
     WHERE t.financial_year = ANY (years);
    RETURN CASE WHEN NOT every_year THEN COALESCE(years, '{}') END;
END;
$$;
COMMENT ON FUNCTION finmon.refresh_revenue_spend_period(bigint) IS
    'Recomputes finmon.revenue_spend_period for the financial years whose sources changed after change number since (all years when since is NULL or a change touched every year); returns the years recomputed, NULL for all (internal: called by finmon.refresh_period_views()).';

COMMENT ON FUNCTION finmon.period_views() IS
    'The period views (materialised views, and the table revenue_spend_period), in refresh order, with the tables each is computed from (each reads only base tables, so any order is a dependency order).';

CREATE OR REPLACE FUNCTION finmon.refresh_period_views(force boolean DEFAULT false)
    RETURNS TABLE (view_name text, status text, rows bigint, milliseconds numeric, error text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v record;
    run_id bigint := nextval('finmon.refresh_run');
    started timestamptz;
    kind "char";
    populated boolean;
    refreshed bigint;
    latest bigint;
    years text[];
    n bigint;
    message text;
    state text;
BEGIN
    -- Each statement must see what committed before it: a snapshot taken before the locks
    -- below would miss a load they waited for.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = '25000',
            MESSAGE = format('refresh_period_views() must run at READ COMMITTED, not %s',
                             upper(current_setting('transaction_isolation')));
    END IF;
    -- One refresh at a time; then the source tables, before the change log (the order a load
    -- or a TRUNCATE takes them in, so neither waits for the other in a cycle); then wait for
    -- the loads in progress to commit, and hold new ones until this transaction ends:
    -- otherwise a load that took an earlier change number but committed later than another
    -- could be taken as seen.
    LOCK TABLE finmon.refresh_state IN EXCLUSIVE MODE;
    FOR v IN SELECT DISTINCT s.source FROM finmon.period_views() p CROSS JOIN LATERAL unnest(p.sources) AS s(source)
              ORDER BY s.source LOOP
        EXECUTE format('LOCK TABLE finmon.%I IN ACCESS SHARE MODE', v.source);
    END LOOP;
    LOCK TABLE finmon.source_change, finmon.spend_change IN SHARE MODE;
    FOR v IN SELECT p.view_name, p.sources FROM finmon.period_views() p ORDER BY p.refresh_order LOOP
        started := clock_timestamp();
        years := NULL;
        SELECT c.relkind, c.relkind <> 'm' OR c.relispopulated INTO kind, populated
          FROM pg_class c WHERE c.oid = format('finmon.%I', v.view_name)::regclass;
        refreshed := (SELECT r.change FROM finmon.refresh_state r WHERE r.view_name = v.view_name);
        latest := COALESCE((SELECT max(c.change) FROM finmon.source_change c WHERE c.table_name = ANY (v.sources)), 0);
        IF kind = 'r' THEN
            latest := GREATEST(latest, COALESCE((SELECT max(c.change) FROM finmon.spend_change c), 0));
        END IF;
        IF NOT force AND populated AND latest <= refreshed THEN
            INSERT INTO finmon.refresh_log (run, view_name, started, finished, rows, concurrent, status)
            VALUES (run_id, v.view_name, started, clock_timestamp(), NULL, false, 'unchanged');
            CONTINUE;
        END IF;
        BEGIN
            IF kind = 'r' THEN
                -- a table kept year by year: recompute the years changed since its last refresh
                EXECUTE format('SELECT finmon.%I($1)', 'refresh_' || v.view_name)
                   INTO years USING CASE WHEN force THEN NULL ELSE refreshed END;
            ELSIF populated THEN
                EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY finmon.%I', v.view_name);
            ELSE
                EXECUTE format('REFRESH MATERIALIZED VIEW finmon.%I', v.view_name);
            END IF;
            EXECUTE format('SELECT count(*) FROM finmon.%I', v.view_name) INTO n;
            -- statistics for BI queries' plans, when the view has none or its size moved by a tenth
            IF (SELECT c.reltuples < 0 OR n NOT BETWEEN c.reltuples * 0.9 AND c.reltuples * 1.1
                  FROM pg_class c WHERE c.oid = format('finmon.%I', v.view_name)::regclass) THEN
                EXECUTE format('ANALYZE finmon.%I', v.view_name);
            END IF;
            INSERT INTO finmon.refresh_state AS r (view_name, change) VALUES (v.view_name, latest)
            ON CONFLICT ON CONSTRAINT refresh_state_pkey DO UPDATE SET change = excluded.change;
            INSERT INTO finmon.refresh_log (run, view_name, started, finished, rows, concurrent, status, financial_years)
            VALUES (run_id, v.view_name, started, clock_timestamp(), n, populated, 'ok', years);
        EXCEPTION WHEN OTHERS THEN
            -- the failed view's refresh is rolled back to its previous contents; the others go on
            GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
            INSERT INTO finmon.refresh_log (run, view_name, started, finished, rows, concurrent, status, error)
            VALUES (run_id, v.view_name, started, clock_timestamp(), NULL, populated, 'failed', state || ': ' || message);
        END;
    END LOOP;
    -- What every view has seen need not be kept: the latest change per table, and the years
    -- revenue_spend_period has not recomputed yet.
    DELETE FROM finmon.source_change s
     WHERE s.change < (SELECT max(c.change) FROM finmon.source_change c WHERE c.table_name = s.table_name);
    DELETE FROM finmon.spend_change s
     WHERE s.change <= (SELECT r.change FROM finmon.refresh_state r WHERE r.view_name = 'revenue_spend_period');
    RETURN QUERY
        SELECT l.view_name, l.status, l.rows,
               round(extract(epoch FROM l.finished - l.started)::numeric * 1000, 1), l.error
          FROM finmon.refresh_log l WHERE l.run = run_id ORDER BY l.id;
END;
$$;
COMMENT ON FUNCTION finmon.refresh_period_views(boolean) IS
    'Refreshes the period views (materialised views CONCURRENTLY once populated, and revenue_spend_period only for the financial years whose sources changed, so BI tools keep reading), logging each in finmon.refresh_log. A view none of whose source tables changed since its last refresh is skipped (''unchanged'') unless force is true. A view that fails is logged and keeps its previous contents; the others are refreshed. Runs one at a time, at READ COMMITTED (25000 otherwise); loads wait while it runs. All views change together when the calling transaction commits. Returns this run''s log.';
