-- finmon upgrade script, built by `make upgrade-script` from src/*.sql (see Makefile).
\echo Use "ALTER EXTENSION finmon UPDATE" to load this file. \quit
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
-- Reconciliation: the figures a committee paper prints, checked against the data.
--
-- published.csv holds each printed figure as printed (signed, with its printed decimal
-- places and unit); finmon.report_figures is every figure finmon computes, with how many
-- printed figures it is made of; finmon.reconciliation sets the two side by side with a
-- verdict.  finmon.consistency_issues checks the data against itself: stated balances,
-- carry forwards and savings totals that do not follow from their parts, and reserves whose
-- opening balance is not last year's closing.

-- What can be printed -------------------------------------------------------------

CREATE TABLE finmon.report_column (
    report text NOT NULL,
    column_name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('amount', 'percentage', 'measure')),
    description text NOT NULL,
    PRIMARY KEY (report, column_name)
);
COMMENT ON TABLE finmon.report_column IS
    'The report columns a printed figure can claim to be (published.csv''s report and column), with what finmon computes for each.';
COMMENT ON COLUMN finmon.report_column.report IS '''revenue'', ''savings'', ''reserves'', ''capital'', ''grants'' or ''measures''.';
COMMENT ON COLUMN finmon.report_column.column_name IS 'The column, as published.csv writes it.';
COMMENT ON COLUMN finmon.report_column.kind IS '''amount'' (printed in £m, £k or £), ''percentage'' (printed in %) or ''measure'' (a performance measure''s value, printed in the measure''s own unit).';
COMMENT ON COLUMN finmon.report_column.description IS 'What the figure is and how finmon computes it.';

INSERT INTO finmon.report_column (report, column_name, kind, description) VALUES
    ('revenue', 'budget', 'amount', 'Budget: the sum of the node''s leaf budgets.'),
    ('revenue', 'forecast_outturn', 'amount', 'Forecast outturn: the sum of its leaf forecasts.'),
    ('revenue', 'variance', 'amount', 'forecast_outturn - budget; positive is an overspend.'),
    ('revenue', 'variance_pct', 'percentage', 'variance / budget * 100.'),
    ('revenue', 'previous_variance', 'amount', 'The variance at the previous period loaded for the year.'),
    ('revenue', 'movement', 'amount', 'variance - previous_variance.'),
    ('revenue', 'prior_year_actual', 'amount', 'Last year''s outturn (its period 12 forecast outturn).'),
    ('revenue', 'prior_year_variance', 'amount', 'Last year''s over/underspend at outturn.'),
    ('savings', 'target', 'amount', 'The year''s savings target (negative: a reduction in spend).'),
    ('savings', 'target_next_year', 'amount', 'Next year''s target.'),
    ('savings', 'target_year_after', 'amount', 'The target the year after.'),
    ('savings', 'forecast', 'amount', 'Forecast delivery in the year.'),
    ('savings', 'shortfall', 'amount', 'forecast - target; positive is not delivered.'),
    ('savings', 'variance', 'amount', 'target - forecast, as Appendix C prints it: negative is a shortfall.'),
    ('savings', 'shortfall_pct', 'percentage', 'shortfall / target * 100 (negative for a shortfall, as the papers print it).'),
    ('savings', 'delivered_pct', 'percentage', 'forecast / target * 100.'),
    ('savings', 'previous_shortfall', 'amount', 'The shortfall at the previous period loaded for the year.'),
    ('reserves', 'opening_balance', 'amount', 'Balance at 1 April.'),
    ('reserves', 'agreed_usage', 'amount', 'Usage agreed at budget setting.'),
    ('reserves', 'planned_usage', 'amount', 'Usage planned now; negative draws down.'),
    ('reserves', 'closing_balance', 'amount', 'opening_balance + planned_usage.'),
    ('capital', 'budget', 'amount', 'Current capital budget.'),
    ('capital', 'forecast_outturn', 'amount', 'Forecast outturn.'),
    ('capital', 'slippage', 'amount', 'budget - forecast_outturn.'),
    ('capital', 'next_year_budget', 'amount', 'Next year''s draft budget.'),
    ('grants', 'allocation', 'amount', 'The year''s allocation.'),
    ('grants', 'brought_forward', 'amount', 'Brought forward from last year.'),
    ('grants', 'forecast_spend', 'amount', 'Forecast spend.'),
    ('grants', 'carry_forward', 'amount', 'allocation + brought_forward - forecast_spend.'),
    ('measures', 'value', 'measure', 'The month''s value: rolling 12 months computed from the counts, or the published value (measure_report.r12_value).'),
    ('measures', 'ytd_value', 'measure', 'The year-to-date value computed from the counts (measure_report.ytd_value).'),
    ('measures', 'target', 'measure', 'The month''s target, or its financial year''s (measure_report.target).');

-- Printed figures -----------------------------------------------------------------

CREATE TABLE finmon.published (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    report text NOT NULL,
    item text NOT NULL,
    column_name text NOT NULL,
    value numeric NOT NULL,
    unit text NOT NULL CHECK (unit <> ''),
    source text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, report, item, column_name, source),
    FOREIGN KEY (report, column_name) REFERENCES finmon.report_column (report, column_name)
);
COMMENT ON TABLE finmon.published IS
    'Figures as a committee paper prints them, to be checked against the data (finmon.reconciliation). Loaded through finmon.published_import.';
COMMENT ON COLUMN finmon.published.financial_year IS 'The paper''s financial year, YYYY-YY (for a measure, the year of the month the value is for).';
COMMENT ON COLUMN finmon.published.period IS 'The paper''s monitoring period, 1 to 12 (for a measure, the period of the month the value is for).';
COMMENT ON COLUMN finmon.published.report IS 'Which report the figure belongs to (finmon.report_column).';
COMMENT ON COLUMN finmon.published.item IS 'What the figure is about, in the report''s own key (a node path, saving reference, balance, scheme, ''area: measure''; '''' for the total; see the README).';
COMMENT ON COLUMN finmon.published.column_name IS 'Which report column the figure claims to be (finmon.report_column).';
COMMENT ON COLUMN finmon.published.value IS 'The figure as printed, signed, keeping its printed decimal places (the numeric''s scale).';
COMMENT ON COLUMN finmon.published.unit IS '''£m'', ''£k'', ''£'' or ''%''; for a measure, its own unit as in measures.csv (''per 100000'', ''%'').';
COMMENT ON COLUMN finmon.published.source IS 'Where it is printed (table and page); one paper can print the same figure in several tables.';
COMMENT ON COLUMN finmon.published.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.published.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.published.import_row IS 'The row number in that load; orders the figures as the file did.';

SELECT pg_catalog.pg_extension_config_dump('finmon.published', '');

-- A printed value: a signed plain decimal, brackets already turned into a minus sign.
CREATE FUNCTION finmon.printed_value_problem(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', 'value is empty', NULL]
    WHEN btrim(value) !~ '^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$' THEN
        ARRAY['22P02', format('value "%s" is not a signed decimal', value),
              'Write the figure as printed, as a signed decimal keeping its decimal places: (0.163) is -0.163, 15.08% is 15.08 with unit %, £0.750m is 0.750 with unit £m.']
END;
COMMENT ON FUNCTION finmon.printed_value_problem(text) IS
    'What is wrong with an imported printed figure, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

-- What is wrong with a figure's report, column and unit: the report must be known, the
-- column one of its columns (for a stated figure, which has no unit, an amount column), the
-- unit % for a percentage and £m, £k or £ for an amount (a measure's unit is checked
-- against the measure by the reconciliation).
CREATE FUNCTION finmon.report_column_problem(report text, column_name text, unit text) RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN (
    SELECT CASE
        WHEN NOT EXISTS (SELECT FROM finmon.report_column c WHERE c.report = btrim($1)) THEN
            ARRAY['22023', format('unknown report "%s"', $1), 'report is one of revenue, savings, reserves, capital, grants, measures.']
        WHEN $3 IS NULL AND NOT EXISTS (SELECT FROM finmon.report_column c WHERE c.report = btrim($1) AND c.kind = 'amount') THEN
            ARRAY['22023', format('report %s has no amount column "%s"', btrim($1), $2),
                  format('Stated figures are amounts in pounds; report %s has none.', btrim($1))]
        WHEN k.kind IS NULL OR ($3 IS NULL AND k.kind <> 'amount') THEN
            ARRAY['22023', format('report %s has no %scolumn "%s"', btrim($1), CASE WHEN $3 IS NULL THEN 'amount ' END, $2),
                  format('The %scolumns of %s are: %s (finmon.report_column).', CASE WHEN $3 IS NULL THEN 'amount ' END, btrim($1),
                         (SELECT string_agg(c.column_name, ', ' ORDER BY c.column_name) FROM finmon.report_column c
                           WHERE c.report = btrim($1) AND ($3 IS NOT NULL OR c.kind = 'amount')))]
        WHEN $3 IS NULL OR k.kind = 'measure' THEN NULL
        WHEN btrim($3) NOT IN ('£m', '£k', '£', '%') THEN
            ARRAY['22023', format('unknown unit "%s"', $3), 'unit is £m, £k, £ or %.']
        WHEN (k.kind = 'percentage') <> (btrim($3) = '%') THEN
            ARRAY['22023', format('%s %s is %s, but its unit is "%s"', btrim($1), btrim($2),
                                  CASE k.kind WHEN 'percentage' THEN 'a percentage' ELSE 'an amount' END, btrim($3)),
                  'Percentages are in %; amounts in £m, £k or £.']
    END
      FROM (SELECT (SELECT c.kind FROM finmon.report_column c
                     WHERE c.report = btrim($1) AND c.column_name = btrim($2)) AS kind) AS k);
COMMENT ON FUNCTION finmon.report_column_problem(text, text, text) IS
    'What is wrong with a printed (unit given) or stated (unit NULL: an amount) figure''s report, column and unit, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

-- A revenue item as the reports key it: each ' + ' part's names trimmed and joined by ' > ',
-- as revenue.csv's lines are, after an analysis name and ':' where the part starts with one.
CREATE FUNCTION finmon.revenue_item(item text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN COALESCE((
    SELECT string_agg(CASE WHEN a.analysis IS NULL THEN array_to_string(finmon.line_names(x.part), ' > ')
                           ELSE a.analysis || ':' || COALESCE(NULLIF(' ' || array_to_string(
                                    finmon.line_names(substr(x.part, strpos(x.part, ':') + 1)), ' > '), ' '), '') END,
                      ' + ' ORDER BY x.n)
      FROM unnest(string_to_array(item, ' + ')) WITH ORDINALITY AS x(part, n)
      LEFT JOIN LATERAL (SELECT DISTINCT r.analysis FROM finmon.revenue_node r
                          WHERE r.analysis <> '' AND strpos(x.part, ':') > 0
                            AND r.analysis = btrim(substr(x.part, 1, strpos(x.part, ':') - 1))) AS a ON true), '');
COMMENT ON FUNCTION finmon.revenue_item(text) IS
    'A printed revenue item as finmon keys it: names trimmed and joined by '' > '', after a memorandum analysis''s name and '':'' (internal).';

CREATE FUNCTION finmon.published_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    figure_item text;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                 finmon.period_problem(NEW.period),
                 finmon.text_problem('report', NEW.report),
                 finmon.text_problem('column', NEW."column"),
                 finmon.printed_value_problem(NEW.value),
                 finmon.text_problem('unit', NEW.unit),
                 finmon.text_problem('source', NEW.source));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    problem := finmon.report_column_problem(NEW.report, NEW."column", NEW.unit);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    figure_item := COALESCE(btrim(NEW.item), '');
    IF btrim(NEW.report) = 'revenue' THEN
        figure_item := finmon.revenue_item(figure_item);
    END IF;
    INSERT INTO finmon.published AS p
           (financial_year, period, report, item, column_name, value, unit, source, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.report), figure_item,
            btrim(NEW."column"), btrim(NEW.value)::numeric, btrim(NEW.unit), btrim(NEW.source),
            now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT published_pkey DO UPDATE
       SET value = excluded.value, unit = excluded.unit, loaded_at = excluded.loaded_at,
           import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE p.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT p.import_row INTO first_row FROM finmon.published p
         WHERE (p.financial_year, p.period, p.report, p.item, p.column_name, p.source)
             = (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.report), figure_item,
                btrim(NEW."column"), btrim(NEW.source));
    END IF;
    problem := finmon.duplicate_problem(written, format('%s %s of "%s" in "%s" for %s period %s', btrim(NEW.report),
                                                 btrim(NEW."column"), figure_item, btrim(NEW.source),
                                                 btrim(NEW.financial_year), btrim(NEW.period)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.published_import_row() IS
    'Trigger function of finmon.published_import: checks a printed figure and stores it, replacing an earlier load''s figure with the same key (internal).';

CREATE VIEW finmon.published_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS report, NULL::text AS item,
           NULL::text AS "column", NULL::text AS value, NULL::text AS unit, NULL::text AS source
     WHERE false;
COMMENT ON VIEW finmon.published_import IS
    'Load published.csv here: \copy finmon.published_import FROM ''published.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,report,item,column,value,unit,source: the paper''s year and period, the report and column (finmon.report_column), the item in the report''s key ('''' for a total), the value as printed as a signed decimal keeping its decimal places ((0.163) is -0.163), unit £m, £k, £ or %, and where it is printed. A figure already loaded with the same key replaces it; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.published_import.financial_year IS 'The paper''s financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.published_import.period IS 'The paper''s period, 1 to 12.';
COMMENT ON COLUMN finmon.published_import.report IS 'revenue, savings, reserves, capital, grants or measures.';
COMMENT ON COLUMN finmon.published_import.item IS 'What the figure is about, in the report''s key; empty for the total.';
COMMENT ON COLUMN finmon.published_import."column" IS 'The report column the figure claims to be (finmon.report_column).';
COMMENT ON COLUMN finmon.published_import.value IS 'As printed, as a signed decimal keeping its decimal places.';
COMMENT ON COLUMN finmon.published_import.unit IS '£m, £k, £ or %; for a measure, its own unit.';
COMMENT ON COLUMN finmon.published_import.source IS 'Where it is printed.';

CREATE TRIGGER published_import_begin BEFORE INSERT ON finmon.published_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER published_import_row INSTEAD OF INSERT ON finmon.published_import
    FOR EACH ROW EXECUTE FUNCTION finmon.published_import_row();

-- What finmon computes --------------------------------------------------------------

-- Every figure a paper could print, per year, period, report, item and column, with how many
-- printed figures it is made of: a total of n leaves sums n printed budgets, a variance of n
-- leaves 2n (their budgets and forecasts).  A percentage is amount / base * 100, each with its
-- own count.  Items are the keys published.csv uses (see finmon.published.item).
CREATE VIEW finmon.report_figures AS
WITH revenue_leaves AS (
    -- how many leaves each node total sums, at the period, the previous period and last year's
    -- outturn (the windows of finmon.revenue_figures, over the same rows)
    SELECT l.*,
           lag(l.leaves) OVER (PARTITION BY l.financial_year, l.analysis, l.path ORDER BY l.period) AS previous_leaves,
           max(CASE WHEN l.period = 12 THEN l.leaves END)
               OVER (PARTITION BY l.analysis, l.path ORDER BY substr(l.financial_year, 1, 4)::integer
                     RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING) AS prior_leaves
      FROM (SELECT r.financial_year, r.period, r.analysis, a.path, count(*)::integer AS leaves
              FROM finmon.revenue r
              JOIN finmon.revenue_node n ON n.analysis = r.analysis AND n.path = r.line
             CROSS JOIN LATERAL unnest(n.ancestors) AS a(path)
             GROUP BY r.financial_year, r.period, r.analysis, a.path) AS l
),
revenue AS (
    SELECT f.financial_year, f.period, 'revenue'::text AS report,
           CASE WHEN f.analysis = '' THEN f.path
                WHEN f.path = '' THEN f.analysis || ':'
                ELSE f.analysis || ': ' || f.path END AS item,
           c.column_name, c.amount, c.amount_figures, c.base, c.base_figures, '£'::text AS unit
      FROM finmon.revenue_figures f
      JOIN revenue_leaves l
        ON l.financial_year = f.financial_year AND l.period = f.period AND l.analysis = f.analysis AND l.path = f.path
     CROSS JOIN LATERAL (VALUES
           ('budget', f.budget, l.leaves, NULL::numeric, NULL::integer),
           ('forecast_outturn', f.forecast_outturn, l.leaves, NULL, NULL),
           ('variance', f.variance, 2 * l.leaves, NULL, NULL),
           ('variance_pct', f.variance, 2 * l.leaves, f.budget, l.leaves),
           ('previous_variance', f.previous_variance, 2 * l.previous_leaves, NULL, NULL),
           ('movement', f.movement, 2 * l.leaves + 2 * l.previous_leaves, NULL, NULL),
           ('prior_year_actual', f.prior_year_actual, l.prior_leaves, NULL, NULL),
           ('prior_year_variance', f.prior_year_variance, 2 * l.prior_leaves, NULL, NULL))
           AS c(column_name, amount, amount_figures, base, base_figures)
),
savings_totals AS (
    SELECT s.financial_year, s.period,
           CASE WHEN GROUPING(s.ref) = 0 THEN s.ref
                WHEN GROUPING(s.workstream) = 0 THEN 'workstream: ' || s.workstream
                WHEN GROUPING(s.status) = 0 THEN 'status: ' || s.status
                ELSE '' END AS item,
           -- a total of no targets is zero (a blank in a saving's row is no target)
           CASE WHEN GROUPING(s.ref) = 0 THEN sum(s.target) ELSE COALESCE(sum(s.target), 0) END AS target,
           count(s.target)::integer AS targets,
           sum(s.forecast) AS forecast, count(s.forecast)::integer AS forecasts,
           sum(s.shortfall) AS shortfall,
           sum(s.previous_shortfall) AS previous_shortfall, count(s.previous_shortfall)::integer AS previous_shortfalls,
           CASE WHEN GROUPING(s.ref) = 0 THEN sum(s.target_next_year) ELSE COALESCE(sum(s.target_next_year), 0) END
               AS target_next_year,
           count(s.target_next_year)::integer AS targets_next_year,
           CASE WHEN GROUPING(s.ref) = 0 THEN sum(s.target_year_after) ELSE COALESCE(sum(s.target_year_after), 0) END
               AS target_year_after,
           count(s.target_year_after)::integer AS targets_year_after
      FROM (SELECT r.*, CASE WHEN r.shortfall > 0 THEN 'off target' ELSE 'on target' END AS status
              FROM finmon.savings_report r) s
     GROUP BY GROUPING SETS ((s.financial_year, s.period, s.ref), (s.financial_year, s.period, s.workstream),
                             (s.financial_year, s.period, s.status), (s.financial_year, s.period))
),
savings AS (
    SELECT t.financial_year, t.period, 'savings'::text AS report, t.item,
           c.column_name, c.amount, c.amount_figures, c.base, c.base_figures, '£'::text AS unit
      FROM savings_totals t
     CROSS JOIN LATERAL (VALUES
           ('target', t.target, t.targets, NULL::numeric, NULL::integer),
           ('target_next_year', t.target_next_year, t.targets_next_year, NULL, NULL),
           ('target_year_after', t.target_year_after, t.targets_year_after, NULL, NULL),
           ('forecast', t.forecast, t.forecasts, NULL, NULL),
           ('shortfall', t.shortfall, t.forecasts + t.targets, NULL, NULL),
           ('variance', -t.shortfall, t.forecasts + t.targets, NULL, NULL),
           ('shortfall_pct', t.shortfall, t.forecasts + t.targets, t.target, t.targets),
           ('delivered_pct', t.forecast, t.forecasts, t.target, t.targets),
           ('previous_shortfall', t.previous_shortfall, 2 * t.previous_shortfalls, NULL, NULL))
           AS c(column_name, amount, amount_figures, base, base_figures)
     WHERE t.item IS NOT NULL
),
reserve_totals AS (
    SELECT r.financial_year, r.period,
           CASE WHEN GROUPING(r.name) = 0 THEN r.name
                WHEN GROUPING(r.kind) = 0 THEN 'kind: ' || r.kind
                ELSE '' END AS item,
           count(*)::integer AS balances,
           sum(r.opening_balance) AS opening_balance, sum(r.agreed_usage) AS agreed_usage,
           count(r.agreed_usage)::integer AS agreed_usages, sum(r.planned_usage) AS planned_usage
      FROM finmon.reserve r
     GROUP BY GROUPING SETS ((r.financial_year, r.period, r.name), (r.financial_year, r.period, r.kind),
                             (r.financial_year, r.period))
),
reserves AS (
    SELECT t.financial_year, t.period, 'reserves'::text AS report, t.item,
           c.column_name, c.amount, c.amount_figures, NULL::numeric AS base, NULL::integer AS base_figures,
           '£'::text AS unit
      FROM reserve_totals t
     CROSS JOIN LATERAL (VALUES
           ('opening_balance', t.opening_balance, t.balances),
           ('agreed_usage', t.agreed_usage, t.agreed_usages),
           ('planned_usage', t.planned_usage, t.balances),
           ('closing_balance', t.opening_balance + t.planned_usage, 2 * t.balances))
           AS c(column_name, amount, amount_figures)
),
capital_totals AS (
    SELECT k.financial_year, k.period, t.item, count(*)::integer AS schemes,
           sum(k.budget) AS budget, sum(k.forecast_outturn) AS forecast_outturn,
           CASE WHEN count(k.next_year_budget) = count(*) THEN sum(k.next_year_budget) END AS next_year_budget
      FROM finmon.capital k
     CROSS JOIN LATERAL (VALUES (k.scheme), ('programme total'), ('')) AS t(item)
     WHERE t.item <> 'programme total' OR NOT k.passported
     GROUP BY k.financial_year, k.period, t.item
),
capital AS (
    SELECT t.financial_year, t.period, 'capital'::text AS report, t.item,
           c.column_name, c.amount, c.amount_figures, NULL::numeric AS base, NULL::integer AS base_figures,
           '£'::text AS unit
      FROM capital_totals t
     CROSS JOIN LATERAL (VALUES
           ('budget', t.budget, t.schemes),
           ('forecast_outturn', t.forecast_outturn, t.schemes),
           ('slippage', t.budget - t.forecast_outturn, 2 * t.schemes),
           ('next_year_budget', t.next_year_budget, t.schemes))
           AS c(column_name, amount, amount_figures)
),
grant_totals AS (
    -- a scheme's name alone, or with its grant; a name in two grants is two figures (and so
    -- ambiguous to the reconciliation)
    SELECT g.financial_year, g.period, t.item, count(*)::integer AS schemes,
           sum(g.allocation) AS allocation, sum(g.brought_forward) AS brought_forward,
           sum(g.forecast_spend) AS forecast_spend
      FROM finmon.grant_scheme g
     CROSS JOIN LATERAL (VALUES (g.scheme, g."grant"), ('grant: ' || g."grant" || ' > ' || g.scheme, g."grant"),
                                ('grant: ' || g."grant", g."grant"), ('', NULL)) AS t(item, in_grant)
     GROUP BY g.financial_year, g.period, t.item, t.in_grant
),
grants AS (
    SELECT t.financial_year, t.period, 'grants'::text AS report, t.item,
           c.column_name, c.amount, c.amount_figures, NULL::numeric AS base, NULL::integer AS base_figures,
           '£'::text AS unit
      FROM grant_totals t
     CROSS JOIN LATERAL (VALUES
           ('allocation', t.allocation, t.schemes),
           ('brought_forward', t.brought_forward, t.schemes),
           ('forecast_spend', t.forecast_spend, t.schemes),
           ('carry_forward', t.allocation + t.brought_forward - t.forecast_spend, 3 * t.schemes))
           AS c(column_name, amount, amount_figures)
),
measures AS (
    SELECT r.financial_year, r.period, 'measures'::text AS report, r.area || ': ' || r.measure AS item,
           c.column_name, c.amount, 1 AS amount_figures, NULL::numeric AS base, NULL::integer AS base_figures,
           m.unit
      FROM finmon.measure_report r
      JOIN finmon.measure m ON m.measure = r.measure
     CROSS JOIN LATERAL (VALUES ('value', r.r12_value), ('ytd_value', r.ytd_value), ('target', r.target))
           AS c(column_name, amount)
)
SELECT * FROM revenue
UNION ALL SELECT * FROM savings
UNION ALL SELECT * FROM reserves
UNION ALL SELECT * FROM capital
UNION ALL SELECT * FROM grants
UNION ALL SELECT * FROM measures;
COMMENT ON VIEW finmon.report_figures IS
    'Every figure finmon computes that a paper can print, keyed as published.csv keys printed figures, with how many printed figures each is made of (what finmon.reconciliation''s rounding tolerance counts). Pounds, or a measure''s unit.';
COMMENT ON COLUMN finmon.report_figures.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.report_figures.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.report_figures.report IS 'revenue, savings, reserves, capital, grants or measures.';
COMMENT ON COLUMN finmon.report_figures.item IS 'The item, as finmon.published.item writes it (a measure: ''area: measure'').';
COMMENT ON COLUMN finmon.report_figures.column_name IS 'The column (finmon.report_column).';
COMMENT ON COLUMN finmon.report_figures.amount IS 'The amount in pounds (a measure: its value in its unit); for a percentage, its numerator. NULL when the data do not give it (no previous period, no prior year, a suppressed value).';
COMMENT ON COLUMN finmon.report_figures.amount_figures IS 'How many printed figures the amount sums (a variance of n leaves: 2n).';
COMMENT ON COLUMN finmon.report_figures.base IS 'For a percentage, its denominator in pounds (the percentage is amount / base * 100); NULL for an amount.';
COMMENT ON COLUMN finmon.report_figures.base_figures IS 'How many printed figures the base sums.';
COMMENT ON COLUMN finmon.report_figures.unit IS '''£'' for amounts (pounds), or a measure''s own unit.';

-- The check --------------------------------------------------------------------------

CREATE VIEW finmon.reconciliation AS
WITH printed AS (
    SELECT p.*,
           -- for a percentage: half a unit of the last place of the amounts printed beside it,
           -- the finest of the same item in the same table, else of the table, else £0.001m
           -- (in pounds)
           COALESCE(min(p.half_unit_pounds) OVER (PARTITION BY p.financial_year, p.period, p.source, p.report, p.item),
                    min(p.half_unit_pounds) OVER (PARTITION BY p.financial_year, p.period, p.source),
                    500) AS amount_half_unit
      FROM (SELECT p.*, c.kind, scale(p.value) AS places,
                   CASE WHEN c.kind = 'measure' THEN 1
                        ELSE CASE p.unit WHEN '£m' THEN 1000000 WHEN '£k' THEN 1000 ELSE 1 END END AS unit_pounds,
                   CASE WHEN c.kind = 'amount' THEN
                       0.5 * power(10::numeric, -scale(p.value))
                           * CASE p.unit WHEN '£m' THEN 1000000 WHEN '£k' THEN 1000 ELSE 1 END END AS half_unit_pounds
              FROM finmon.published p
              JOIN finmon.report_column c ON c.report = p.report AND c.column_name = p.column_name) p
),
-- the item itself and, for an item written 'a + b', each of its parts
parts AS (
    SELECT p.financial_year, p.period, p.report, p.item, p.column_name, p.source, false AS split, p.item AS part
      FROM printed p
    UNION ALL
    SELECT p.financial_year, p.period, p.report, p.item, p.column_name, p.source, true, btrim(x.part)
      FROM printed p
     CROSS JOIN LATERAL unnest(string_to_array(p.item, ' + ')) AS x(part)
     WHERE p.item LIKE '% + %'
),
-- each part's figure; a part matching more than one figure (a scheme name in two grants) is
-- ambiguous
part_figures AS (
    SELECT q.financial_year, q.period, q.report, q.item, q.column_name, q.source, q.split, q.part,
           count(f.item) AS matches, min(f.amount) AS amount, min(f.amount_figures) AS amount_figures,
           min(f.base) AS base, min(f.base_figures) AS base_figures, min(f.unit) AS unit
      FROM parts q
      LEFT JOIN finmon.report_figures f
             ON f.financial_year = q.financial_year AND f.period = q.period AND f.report = q.report
            AND f.item = q.part AND f.column_name = q.column_name
     GROUP BY q.financial_year, q.period, q.report, q.item, q.column_name, q.source, q.split, q.part
),
matched AS (
    SELECT q.financial_year, q.period, q.report, q.item, q.column_name, q.source, q.split,
           count(*)::integer AS parts, count(*) FILTER (WHERE q.matches > 0)::integer AS found,
           bool_or(q.matches > 1) AS ambiguous,
           count(q.amount) FILTER (WHERE q.matches = 1)::integer AS amounts,
           sum(q.amount) AS amount, sum(q.amount_figures)::integer AS amount_figures,
           min(q.base) AS base, min(q.base_figures) AS base_figures, count(q.base)::integer AS bases,
           min(q.unit) AS figure_unit
      FROM part_figures q
     GROUP BY q.financial_year, q.period, q.report, q.item, q.column_name, q.source, q.split
),
-- the item as written when finmon knows it, else the sum of its parts
chosen AS (
    SELECT DISTINCT ON (m.financial_year, m.period, m.report, m.item, m.column_name, m.source) m.*
      FROM matched m
     ORDER BY m.financial_year, m.period, m.report, m.item, m.column_name, m.source,
              (m.found = m.parts) DESC, (m.found > 0) DESC, m.split
),
computed AS (
    SELECT p.*, c.split, c.parts, c.found, c.ambiguous, c.amount, c.amount_figures, c.base, c.base_figures, c.figure_unit,
           CASE WHEN c.found < c.parts OR c.ambiguous OR c.amounts < c.parts THEN NULL
                WHEN p.kind = 'amount' THEN c.amount / p.unit_pounds
                WHEN p.kind = 'measure' THEN CASE WHEN c.parts = 1 AND c.figure_unit = p.unit THEN c.amount END
                WHEN c.parts > 1 OR c.bases < c.parts OR c.base = 0 THEN NULL
                ELSE c.amount / c.base * 100 END AS exact,
           0.5 * power(10::numeric, -p.places) AS half_unit
      FROM printed p
      JOIN chosen c USING (financial_year, period, report, item, column_name, source)
),
ranged AS (
    SELECT c.*,
           CASE WHEN c.exact IS NULL THEN NULL
                WHEN c.kind <> 'percentage' THEN c.exact - c.amount_figures * c.half_unit
                WHEN abs(c.base) <= c.base_figures * c.amount_half_unit THEN NULL
                ELSE LEAST((c.amount - c.amount_figures * c.amount_half_unit) / (c.base - c.base_figures * c.amount_half_unit),
                           (c.amount - c.amount_figures * c.amount_half_unit) / (c.base + c.base_figures * c.amount_half_unit),
                           (c.amount + c.amount_figures * c.amount_half_unit) / (c.base - c.base_figures * c.amount_half_unit),
                           (c.amount + c.amount_figures * c.amount_half_unit) / (c.base + c.base_figures * c.amount_half_unit))
                     * 100 - c.half_unit END AS range_from,
           CASE WHEN c.exact IS NULL THEN NULL
                WHEN c.kind <> 'percentage' THEN c.exact + c.amount_figures * c.half_unit
                WHEN abs(c.base) <= c.base_figures * c.amount_half_unit THEN NULL
                ELSE GREATEST((c.amount - c.amount_figures * c.amount_half_unit) / (c.base - c.base_figures * c.amount_half_unit),
                              (c.amount - c.amount_figures * c.amount_half_unit) / (c.base + c.base_figures * c.amount_half_unit),
                              (c.amount + c.amount_figures * c.amount_half_unit) / (c.base - c.base_figures * c.amount_half_unit),
                              (c.amount + c.amount_figures * c.amount_half_unit) / (c.base + c.base_figures * c.amount_half_unit))
                     * 100 + c.half_unit END AS range_to
      FROM computed c
),
judged AS (
    SELECT r.*,
           round(r.exact, r.places) AS shown,
           r.value <> 0 AND round(r.exact, r.places) <> 0 AND sign(r.value) <> sign(r.exact) AS wrong_sign,
           r.kind = 'percentage' AND r.exact IS NOT NULL AND r.range_from IS NULL AS unbounded
      FROM ranged r
)
SELECT j.financial_year,
       j.period,
       j.report,
       j.item,
       j.column_name,
       j.source,
       j.unit,
       j.value AS printed,
       j.shown AS computed,
       j.value - j.shown AS difference,
       round(j.range_from, j.places + 2) AS explainable_from,
       round(j.range_to, j.places + 2) AS explainable_to,
       j.amount_figures + COALESCE(j.base_figures, 0) AS figures,
       CASE WHEN j.exact IS NULL THEN 'no data'
            WHEN j.shown = j.value THEN 'agrees'
            WHEN j.unbounded OR j.value BETWEEN j.range_from AND j.range_to THEN 'rounding'
            ELSE 'misstated' END AS verdict,
       CASE WHEN j.found < j.parts THEN
                CASE WHEN j.split THEN 'finmon holds no figures for some of these items at this period'
                     ELSE 'finmon holds no figures for this item at this period' END
            WHEN j.ambiguous THEN 'the item matches more than one figure (a scheme in two grants: write grant: <name> > <scheme>)'
            WHEN j.exact IS NULL AND j.split AND j.kind = 'percentage' THEN 'a percentage of several items is not their sum'
            WHEN j.exact IS NULL AND j.split AND j.kind = 'measure' THEN 'a measure of several items is not their sum'
            WHEN j.exact IS NULL AND j.kind = 'measure' AND j.amount IS NOT NULL AND j.figure_unit <> j.unit THEN
                format('the measure''s unit is "%s"', j.figure_unit)
            WHEN j.exact IS NULL AND j.base = 0 THEN 'the base of the percentage is zero'
            WHEN j.exact IS NULL THEN format('the data give no %s for this item (e.g. no earlier period or year loaded)', j.column_name)
            WHEN j.shown <> j.value AND j.wrong_sign AND NOT j.unbounded
                 AND NOT j.value BETWEEN j.range_from AND j.range_to
                 AND (-j.value BETWEEN j.range_from AND j.range_to OR -j.value = j.shown) THEN 'wrong sign'
            WHEN j.split THEN format('the sum of %s items', j.parts)
       END AS note,
       j.import_batch,
       j.import_row
  FROM judged j;
COMMENT ON VIEW finmon.reconciliation IS
    'Every printed figure (finmon.published) beside the figure finmon computes from the data, rounded to the printed places, with the difference in the printed unit and a verdict: ''agrees'' (equal once rounded), ''rounding'' (within what rounding the printed figures it is made of can explain: half a unit of the last printed place for each; for a percentage, the range of amount / base as each of them moves so, widened by half a unit of the printed percentage), ''misstated'' (beyond that; the note says when only the sign is wrong), ''no data'' (finmon holds nothing for that item and column). Order by import_batch, import_row for the file''s order.';
COMMENT ON COLUMN finmon.reconciliation.financial_year IS 'The paper''s year.';
COMMENT ON COLUMN finmon.reconciliation.period IS 'The paper''s period.';
COMMENT ON COLUMN finmon.reconciliation.report IS 'The report.';
COMMENT ON COLUMN finmon.reconciliation.item IS 'The item, as published.csv gives it; ''a + b'' is checked against the sum of a and b.';
COMMENT ON COLUMN finmon.reconciliation.column_name IS 'The column.';
COMMENT ON COLUMN finmon.reconciliation.source IS 'Where it is printed.';
COMMENT ON COLUMN finmon.reconciliation.unit IS 'The printed unit.';
COMMENT ON COLUMN finmon.reconciliation.printed IS 'The figure as printed.';
COMMENT ON COLUMN finmon.reconciliation.computed IS 'finmon''s figure in the printed unit, rounded to the printed decimal places; NULL with no data.';
COMMENT ON COLUMN finmon.reconciliation.difference IS 'printed - computed, in the printed unit.';
COMMENT ON COLUMN finmon.reconciliation.explainable_from IS 'The lowest figure rounding could explain (NULL for a percentage of a base too near zero to bound: any figure of the right sign is rounding).';
COMMENT ON COLUMN finmon.reconciliation.explainable_to IS 'The highest figure rounding could explain.';
COMMENT ON COLUMN finmon.reconciliation.figures IS 'How many printed figures the computed one sums or divides (a total of n leaves: n; a variance: 2n).';
COMMENT ON COLUMN finmon.reconciliation.verdict IS '''agrees'', ''rounding'', ''misstated'' or ''no data''.';
COMMENT ON COLUMN finmon.reconciliation.note IS 'Why there is no data, ''wrong sign'' where only the sign is wrong, or how a combined item was summed.';
COMMENT ON COLUMN finmon.reconciliation.import_batch IS 'The load of the printed figure.';
COMMENT ON COLUMN finmon.reconciliation.import_row IS 'Its row in that load.';

-- Stated figures and consistency ------------------------------------------------------

-- Totals and balances as the source workbook states them, in pounds (not rounded for print):
-- a reserve's closing balance, a grant's carry forward, a savings total.  They are checked
-- exactly against what finmon computes from their parts (finmon.consistency_issues).
CREATE TABLE finmon.stated_figure (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    report text NOT NULL,
    item text NOT NULL,
    column_name text NOT NULL,
    value numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, report, item, column_name),
    FOREIGN KEY (report, column_name) REFERENCES finmon.report_column (report, column_name)
);
COMMENT ON TABLE finmon.stated_figure IS
    'Totals and balances as the source data state them, in pounds: a reserve''s closing balance, a grant''s carry forward, a savings total. Checked against their parts by finmon.consistency_issues. Loaded through finmon.stated_import.';
COMMENT ON COLUMN finmon.stated_figure.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.stated_figure.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.stated_figure.report IS 'The report (finmon.report_column).';
COMMENT ON COLUMN finmon.stated_figure.item IS 'The item, keyed as in published.csv ('''' for the total).';
COMMENT ON COLUMN finmon.stated_figure.column_name IS 'An amount column of the report (finmon.report_column).';
COMMENT ON COLUMN finmon.stated_figure.value IS 'The stated amount in pounds.';
COMMENT ON COLUMN finmon.stated_figure.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.stated_figure.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.stated_figure.import_row IS 'The row number in that load.';

SELECT pg_catalog.pg_extension_config_dump('finmon.stated_figure', '');

CREATE FUNCTION finmon.stated_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    figure_item text;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                 finmon.period_problem(NEW.period),
                 finmon.text_problem('report', NEW.report),
                 finmon.text_problem('column', NEW."column"),
                 finmon.amount_problem('value', NEW.value));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    problem := finmon.report_column_problem(NEW.report, NEW."column", NULL);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    figure_item := COALESCE(btrim(NEW.item), '');
    IF btrim(NEW.report) = 'revenue' THEN
        figure_item := finmon.revenue_item(figure_item);
    END IF;
    INSERT INTO finmon.stated_figure AS s
           (financial_year, period, report, item, column_name, value, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.report), figure_item,
            btrim(NEW."column"), btrim(NEW.value)::numeric, now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT stated_figure_pkey DO UPDATE
       SET value = excluded.value, loaded_at = excluded.loaded_at,
           import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE s.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT s.import_row INTO first_row FROM finmon.stated_figure s
         WHERE (s.financial_year, s.period, s.report, s.item, s.column_name)
             = (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.report),
                figure_item, btrim(NEW."column"));
    END IF;
    problem := finmon.duplicate_problem(written, format('%s %s of "%s" for %s period %s', btrim(NEW.report),
                                                 btrim(NEW."column"), figure_item,
                                                 btrim(NEW.financial_year), btrim(NEW.period)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.stated_import_row() IS
    'Trigger function of finmon.stated_import: checks a stated figure and stores it, replacing an earlier load''s figure with the same key (internal).';

CREATE VIEW finmon.stated_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS report, NULL::text AS item,
           NULL::text AS "column", NULL::text AS value
     WHERE false;
COMMENT ON VIEW finmon.stated_import IS
    'Load stated.csv here: \copy finmon.stated_import FROM ''stated.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,report,item,column,value: a total or balance as the source data state it, in pounds (a reserve''s closing_balance, a grant scheme''s carry_forward, a savings total''s target), keyed as in published.csv. A figure already loaded with the same key replaces it; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.stated_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.stated_import.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.stated_import.report IS 'revenue, savings, reserves, capital or grants.';
COMMENT ON COLUMN finmon.stated_import.item IS 'The item, keyed as in published.csv; empty for the total.';
COMMENT ON COLUMN finmon.stated_import."column" IS 'An amount column of the report (finmon.report_column).';
COMMENT ON COLUMN finmon.stated_import.value IS 'The amount in pounds.';

CREATE TRIGGER stated_import_begin BEFORE INSERT ON finmon.stated_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER stated_import_row INSTEAD OF INSERT ON finmon.stated_import
    FOR EACH ROW EXECUTE FUNCTION finmon.stated_import_row();

CREATE VIEW finmon.consistency_issues AS
SELECT 'stated figure'::text AS issue,
       s.financial_year,
       s.period,
       s.report,
       s.item,
       s.column_name,
       s.value AS stated,
       CASE WHEN f.matches = 1 THEN f.amount END AS computed,
       s.value - CASE WHEN f.matches = 1 THEN f.amount END AS difference,
       CASE WHEN f.matches = 0 THEN format('finmon holds no figures for %s item "%s" at %s period %s',
                                          s.report, s.item, s.financial_year, s.period)
            WHEN f.matches > 1 THEN format('%s item "%s" matches more than one figure (a scheme in two grants: write grant: <name> > <scheme>)',
                                           s.report, s.item)
            WHEN f.amount IS NULL THEN format('the data give no %s for %s item "%s"', s.column_name, s.report, s.item)
            ELSE format('the stated %s of %s item "%s" is not what its parts give (%s)', s.column_name, s.report,
                        s.item, (SELECT c.description FROM finmon.report_column c
                                  WHERE c.report = s.report AND c.column_name = s.column_name)) END AS message
  FROM finmon.stated_figure s
 CROSS JOIN LATERAL (SELECT count(*) AS matches, min(r.amount) AS amount
                       FROM finmon.report_figures r
                      WHERE r.financial_year = s.financial_year AND r.period = s.period AND r.report = s.report
                        AND r.item = s.item AND r.column_name = s.column_name) AS f
 WHERE f.matches <> 1 OR f.amount IS DISTINCT FROM s.value
UNION ALL
SELECT 'opening balance',
       b.financial_year,
       (SELECT max(r.period) FROM finmon.reserve r WHERE r.name = b.name AND r.financial_year = b.financial_year),
       'reserves',
       b.name,
       'opening_balance',
       b.opening_balance,
       b.previous_closing_balance,
       b.difference,
       format('the opening balance of "%s" is not its %s closing balance (opening + planned usage at %s''s latest period)',
              b.name, b.previous_year, b.previous_year)
  FROM finmon.reserve_chain_breaks b;
COMMENT ON VIEW finmon.consistency_issues IS
    'Where the data contradict themselves, with no printed figures needed: a stated total or balance (finmon.stated_figure: a reserve''s closing balance, a grant''s carry forward, a savings total) that is not what its parts give, and a reserve whose opening balance is not the previous year''s closing balance (finmon.reserve_chain_breaks). Pounds.';
COMMENT ON COLUMN finmon.consistency_issues.issue IS '''stated figure'' or ''opening balance''.';
COMMENT ON COLUMN finmon.consistency_issues.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.consistency_issues.period IS 'Monitoring period (for an opening balance, the latest loaded for the year).';
COMMENT ON COLUMN finmon.consistency_issues.report IS 'The report.';
COMMENT ON COLUMN finmon.consistency_issues.item IS 'The item (for an opening balance, the balance''s name).';
COMMENT ON COLUMN finmon.consistency_issues.column_name IS 'The column.';
COMMENT ON COLUMN finmon.consistency_issues.stated IS 'The figure as stated.';
COMMENT ON COLUMN finmon.consistency_issues.computed IS 'What its parts give (for an opening balance, the previous year''s closing balance); NULL when finmon has no such figure.';
COMMENT ON COLUMN finmon.consistency_issues.difference IS 'stated - computed.';
COMMENT ON COLUMN finmon.consistency_issues.message IS 'The issue in words.';
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
