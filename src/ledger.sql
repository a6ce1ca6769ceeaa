-- Ledger actuals: individual transactions against leaf lines, partitioned by financial
-- year, with per (year, period, line) summaries kept up to date as rows arrive, so reports
-- and refreshes read the summaries, never the whole ledger; budget profiles; spend to date
-- against the profiled budget.

CREATE TABLE finmon.ledger (
    financial_year text NOT NULL,
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    posting_date date NOT NULL,
    line text NOT NULL,
    amount numeric NOT NULL,
    reference text NOT NULL,
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, reference)
) PARTITION BY LIST (financial_year);
COMMENT ON TABLE finmon.ledger IS
    'Ledger transactions against leaf budget lines, partitioned by financial year (finmon.ledger_partition creates a year''s partition). Loaded through finmon.ledger_import; totals per year, period and line are kept in finmon.ledger_summary.';
COMMENT ON COLUMN finmon.ledger.financial_year IS 'The posting date''s financial year (the partition key).';
COMMENT ON COLUMN finmon.ledger.period IS 'The posting date''s period, 1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.ledger.posting_date IS 'The date the transaction was posted.';
COMMENT ON COLUMN finmon.ledger.line IS 'The leaf budget line, as in revenue.csv.';
COMMENT ON COLUMN finmon.ledger.amount IS 'Pounds; income and credits negative.';
COMMENT ON COLUMN finmon.ledger.reference IS 'The transaction''s reference, unique within its financial year.';
COMMENT ON COLUMN finmon.ledger.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.ledger.import_row IS 'The row number in that load.';

CREATE FUNCTION finmon.ledger_partition(financial_year text) RETURNS regclass
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    name text;
BEGIN
    IF NOT finmon.is_financial_year(financial_year) THEN
        RAISE EXCEPTION 'invalid financial year "%"', financial_year USING ERRCODE = '22007';
    END IF;
    name := 'ledger_' || replace(financial_year, '-', '_');
    IF to_regclass(format('finmon.%I', name)) IS NULL THEN
        EXECUTE format('CREATE TABLE finmon.%I PARTITION OF finmon.ledger FOR VALUES IN (%L)', name, financial_year);
        EXECUTE format('COMMENT ON TABLE finmon.%I IS %L', name,
                       format('finmon.ledger''s partition for %s.', financial_year));
    END IF;
    RETURN format('finmon.%I', name)::regclass;
END;
$$;
COMMENT ON FUNCTION finmon.ledger_partition(text) IS
    'The ledger''s partition for a financial year, created when missing (ledger_import does this itself).';

CREATE TABLE finmon.ledger_summary (
    financial_year text NOT NULL,
    period integer NOT NULL,
    line text NOT NULL,
    amount numeric NOT NULL,
    transactions bigint NOT NULL,
    PRIMARY KEY (financial_year, line, period)
);
COMMENT ON TABLE finmon.ledger_summary IS
    'Ledger totals per financial year, period and line, kept up to date by triggers on finmon.ledger as rows are inserted, updated or deleted (finmon.rebuild_ledger_summary recomputes them).';
COMMENT ON COLUMN finmon.ledger_summary.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.ledger_summary.period IS '1 to 12.';
COMMENT ON COLUMN finmon.ledger_summary.line IS 'The leaf line.';
COMMENT ON COLUMN finmon.ledger_summary.amount IS 'Sum of the period''s transactions on the line, pounds.';
COMMENT ON COLUMN finmon.ledger_summary.transactions IS 'How many transactions.';

-- Summary maintenance: one statement-level trigger per kind of change, reading the
-- statement's transition tables, so a load of 100,000 rows is one aggregate and one upsert.
CREATE FUNCTION finmon.ledger_summary_apply() RETURNS trigger
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

CREATE TRIGGER ledger_summary_insert AFTER INSERT ON finmon.ledger
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_summary_apply();
CREATE TRIGGER ledger_summary_update AFTER UPDATE ON finmon.ledger
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_summary_apply();
CREATE TRIGGER ledger_summary_delete AFTER DELETE ON finmon.ledger
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_summary_apply();
CREATE TRIGGER ledger_summary_truncate AFTER TRUNCATE ON finmon.ledger
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_summary_apply();

CREATE FUNCTION finmon.rebuild_ledger_summary() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM finmon.ledger_summary;
    INSERT INTO finmon.ledger_summary (financial_year, period, line, amount, transactions)
    SELECT l.financial_year, l.period, l.line, sum(l.amount), count(*)
      FROM finmon.ledger l GROUP BY l.financial_year, l.period, l.line;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION finmon.rebuild_ledger_summary() IS
    'Recomputes finmon.ledger_summary from the whole ledger (never needed in normal use: the triggers keep it current); returns the number of summary rows.';

SELECT pg_catalog.pg_extension_config_dump('finmon.ledger_summary', '');

-- Loading the ledger ----------------------------------------------------------------------

-- Rows are checked one by one into a staging table, then moved into the ledger by one
-- statement at the end of the load, so the summaries are updated once per load.
CREATE UNLOGGED TABLE finmon.ledger_stage (LIKE finmon.ledger INCLUDING COMMENTS);
COMMENT ON TABLE finmon.ledger_stage IS 'Rows of a ledger load in progress (internal; empty between loads).';

-- A date written YYYY-MM-DD that exists (no 30 February), checked without raising.
CREATE FUNCTION finmon.date_problem(column_name text, value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', format('%s is empty', column_name), NULL]
    WHEN btrim(value) !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
      OR substr(btrim(value), 1, 4) = '0000'
      OR substr(btrim(value), 9, 2)::integer >
         extract(day FROM make_date(substr(btrim(value), 1, 4)::integer, substr(btrim(value), 6, 2)::integer, 1)
                          + interval '1 month - 1 day')
        THEN ARRAY['22007', format('invalid %s "%s"', column_name, value), 'Dates are written YYYY-MM-DD.']
END;
COMMENT ON FUNCTION finmon.date_problem(text, text) IS
    'What is wrong with an imported date (YYYY-MM-DD, a day that exists), as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

CREATE FUNCTION finmon.ledger_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    posted date;
    leaf text;
BEGIN
    problem := COALESCE(
        finmon.date_problem('posting date', NEW.posting_date),
        finmon.line_problem(NEW.line),
        finmon.amount_problem('amount', NEW.amount),
        finmon.text_problem('reference', NEW.reference));
    IF problem IS NULL THEN
        leaf := array_to_string(finmon.line_names(NEW.line), ' > ');
        IF NOT EXISTS (SELECT FROM finmon.revenue r WHERE r.analysis = '' AND r.line = leaf) THEN
            problem := ARRAY['23503', format('line "%s" has no revenue figures', leaf),
                             'Ledger transactions are posted to leaf lines loaded through revenue_import.'];
        END IF;
    END IF;
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    posted := btrim(NEW.posting_date)::date;
    INSERT INTO finmon.ledger_stage (financial_year, period, posting_date, line, amount, reference, import_batch, import_row)
    VALUES (finmon.financial_year_of(posted), finmon.period_of(posted), posted, leaf, btrim(NEW.amount)::numeric,
            btrim(NEW.reference), load.batch, load.row_number);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.ledger_import_row() IS
    'Trigger function of finmon.ledger_import: checks a row and stages it (internal).';

CREATE FUNCTION finmon.ledger_import_end() RETURNS trigger
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
COMMENT ON FUNCTION finmon.ledger_import_end() IS
    'Trigger function of finmon.ledger_import, at the end of a load: moves the staged rows into the ledger in one statement, replacing transactions already loaded with the same reference (internal).';

CREATE VIEW finmon.ledger_import AS
    SELECT NULL::text AS posting_date, NULL::text AS line, NULL::text AS amount, NULL::text AS reference WHERE false;
COMMENT ON VIEW finmon.ledger_import IS
    'Load ledger.csv here: \copy finmon.ledger_import FROM ''ledger.csv'' WITH (FORMAT csv, HEADER). Header posting_date,line,amount,reference; date YYYY-MM-DD; a leaf line with revenue figures; amount in pounds; reference unique within its financial year (a reference already loaded is replaced). A bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.ledger_import.posting_date IS 'YYYY-MM-DD.';
COMMENT ON COLUMN finmon.ledger_import.line IS 'Leaf line path, names joined by '' > ''.';
COMMENT ON COLUMN finmon.ledger_import.amount IS 'Pounds.';
COMMENT ON COLUMN finmon.ledger_import.reference IS 'The transaction''s reference.';
CREATE TRIGGER ledger_import_begin BEFORE INSERT ON finmon.ledger_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER ledger_import_row INSTEAD OF INSERT ON finmon.ledger_import
    FOR EACH ROW EXECUTE FUNCTION finmon.ledger_import_row();
CREATE TRIGGER ledger_import_end AFTER INSERT ON finmon.ledger_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_import_end();

-- Budget profiles ---------------------------------------------------------------------------

CREATE TABLE finmon.budget_profile (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    line text NOT NULL,
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    share numeric NOT NULL CHECK (share >= 0 AND share <= 1),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, line, period)
);
COMMENT ON TABLE finmon.budget_profile IS
    'How a line''s annual budget spreads over the periods: shares summing to 1 per line and year. A line without a profile spreads evenly (1/12 a period). Loaded through finmon.budget_profile_import.';
COMMENT ON COLUMN finmon.budget_profile.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.budget_profile.line IS 'The leaf line.';
COMMENT ON COLUMN finmon.budget_profile.period IS '1 to 12.';
COMMENT ON COLUMN finmon.budget_profile.share IS 'Share of the year''s budget falling in the period, 0 to 1.';
COMMENT ON COLUMN finmon.budget_profile.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.budget_profile.import_row IS 'The row number in that load.';
SELECT pg_catalog.pg_extension_config_dump('finmon.budget_profile', '');

CREATE FUNCTION finmon.budget_profile_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
    leaf text;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                        finmon.line_problem(NEW.line),
                        finmon.period_problem(NEW.period),
                        finmon.amount_problem('share', NEW.share),
                        CASE WHEN btrim(NEW.share)::numeric NOT BETWEEN 0 AND 1 THEN
                            ARRAY['22023', format('share %s is not between 0 and 1', btrim(NEW.share)), NULL] END);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    leaf := array_to_string(finmon.line_names(NEW.line), ' > ');
    INSERT INTO finmon.budget_profile AS b (financial_year, line, period, share, import_batch, import_row)
    VALUES (btrim(NEW.financial_year), leaf, btrim(NEW.period)::integer, btrim(NEW.share)::numeric, load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT budget_profile_pkey DO UPDATE
       SET share = excluded.share, import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE b.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT b.import_row INTO first_row FROM finmon.budget_profile b
         WHERE (b.financial_year, b.line, b.period) = (btrim(NEW.financial_year), leaf, btrim(NEW.period)::integer);
    END IF;
    problem := finmon.duplicate_problem(written, format('line "%s" period %s of %s', leaf, btrim(NEW.period),
                                        btrim(NEW.financial_year)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.budget_profile_import_row() IS
    'Trigger function of finmon.budget_profile_import: checks a row and stores it (internal).';

-- At the end of a load: every line and year it touched must have shares summing to 1.
CREATE FUNCTION finmon.budget_profile_import_end() RETURNS trigger
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
COMMENT ON FUNCTION finmon.budget_profile_import_end() IS
    'Trigger function of finmon.budget_profile_import, at the end of a load: checks that each line''s shares sum to 1 (internal).';

CREATE VIEW finmon.budget_profile_import AS
    SELECT NULL::text AS financial_year, NULL::text AS line, NULL::text AS period, NULL::text AS share WHERE false;
COMMENT ON VIEW finmon.budget_profile_import IS
    'Load budget_profile.csv here: \copy finmon.budget_profile_import FROM ''budget_profile.csv'' WITH (FORMAT csv, HEADER). Header financial_year,line,period,share; each line''s shares for a year sum to 1 (checked at the end of the load). A share already loaded is replaced; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.budget_profile_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.budget_profile_import.line IS 'Leaf line path.';
COMMENT ON COLUMN finmon.budget_profile_import.period IS '1 to 12.';
COMMENT ON COLUMN finmon.budget_profile_import.share IS 'Share of the annual budget, 0 to 1.';
CREATE TRIGGER budget_profile_import_begin BEFORE INSERT ON finmon.budget_profile_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER budget_profile_import_row INSTEAD OF INSERT ON finmon.budget_profile_import
    FOR EACH ROW EXECUTE FUNCTION finmon.budget_profile_import_row();
CREATE TRIGGER budget_profile_import_end AFTER INSERT ON finmon.budget_profile_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.budget_profile_import_end();

-- Spend to date -------------------------------------------------------------------------------

-- Spend and profiled budget to date per leaf line: the summaries accumulated over the periods
-- (set-based: each is a join, not a lookup per row).
CREATE VIEW finmon.ledger_to_date AS
SELECT s.financial_year, s.line, p.period, sum(s.amount) AS amount
  FROM finmon.ledger_summary s
  JOIN generate_series(1, 12) AS p(period) ON s.period <= p.period
 GROUP BY s.financial_year, s.line, p.period;
COMMENT ON VIEW finmon.ledger_to_date IS
    'Ledger spend per financial year and line from April to the end of each period at which the line has spend so far, from the summaries. Pounds.';
COMMENT ON COLUMN finmon.ledger_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.ledger_to_date.line IS 'The leaf line.';
COMMENT ON COLUMN finmon.ledger_to_date.period IS 'The period the spend runs to.';
COMMENT ON COLUMN finmon.ledger_to_date.amount IS 'Spend from April to the end of the period.';

CREATE VIEW finmon.profile_to_date AS
SELECT b.financial_year, b.line, p.period, sum(b.share) AS share
  FROM finmon.budget_profile b
  JOIN generate_series(1, 12) AS p(period) ON b.period <= p.period
 GROUP BY b.financial_year, b.line, p.period;
COMMENT ON VIEW finmon.profile_to_date IS
    'The share of each profiled line''s annual budget falling from April to the end of each period.';
COMMENT ON COLUMN finmon.profile_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.profile_to_date.line IS 'The leaf line.';
COMMENT ON COLUMN finmon.profile_to_date.period IS 'The period the share runs to.';
COMMENT ON COLUMN finmon.profile_to_date.share IS 'Sum of the shares of periods 1 to period.';

-- Each leaf line at each year and reporting period, and each period from April to it.
CREATE VIEW finmon.revenue_spend_profile AS
WITH leaf AS (
    SELECT r.financial_year, r.period AS report_period, r.line, r.budget, p.period
      FROM finmon.revenue r
     CROSS JOIN LATERAL generate_series(1, r.period) AS p(period)
     WHERE r.analysis = ''
),
figures AS (
    SELECT l.financial_year, l.report_period, l.period, l.line,
           CASE WHEN y.financial_year IS NOT NULL THEN COALESCE(a.amount, 0) END AS actual,
           CASE WHEN pl.line IS NOT NULL THEN l.budget * COALESCE(pd.share, 0)
                ELSE l.budget * l.period / 12 END AS profiled
      FROM leaf l
      LEFT JOIN (SELECT DISTINCT s.financial_year FROM finmon.ledger_summary s) y ON y.financial_year = l.financial_year
      LEFT JOIN finmon.ledger_to_date a
             ON a.financial_year = l.financial_year AND a.line = l.line AND a.period = l.period
      LEFT JOIN (SELECT DISTINCT b.financial_year, b.line FROM finmon.budget_profile b) pl
             ON pl.financial_year = l.financial_year AND pl.line = l.line
      LEFT JOIN finmon.profile_to_date pd
             ON pd.financial_year = l.financial_year AND pd.line = l.line AND pd.period = l.period
)
SELECT f.financial_year, f.report_period, f.period, a.path,
       sum(f.actual) AS actual_to_date,
       sum(f.profiled) AS profiled_budget_to_date
  FROM figures f
  JOIN finmon.revenue_node n ON n.analysis = '' AND n.path = f.line
 CROSS JOIN LATERAL unnest(n.ancestors) AS a(path)
 GROUP BY f.financial_year, f.report_period, f.period, a.path;
COMMENT ON VIEW finmon.revenue_spend_profile IS
    'Spend against profiled budget, period by period (the chart data): for each node at each year and reporting period, and each period from April to it, ledger spend to the end of that period and the budget (at the reporting period) profiled to it. Pounds.';
COMMENT ON COLUMN finmon.revenue_spend_profile.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_spend_profile.report_period IS 'The monitoring period whose budget is profiled.';
COMMENT ON COLUMN finmon.revenue_spend_profile.period IS 'The period the figures run to, 1 to report_period.';
COMMENT ON COLUMN finmon.revenue_spend_profile.path IS 'The node; '''' for the grand total.';
COMMENT ON COLUMN finmon.revenue_spend_profile.actual_to_date IS 'Ledger spend from April to the end of the period; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon.revenue_spend_profile.profiled_budget_to_date IS 'The budget times the profile''s shares to the period (or period / 12 for a line without a profile).';

-- The same at each reporting period only, for revenue_report (the condition is on grouping
-- columns, so it is applied before anything is summed).
CREATE VIEW finmon.revenue_to_date AS
SELECT s.financial_year, s.report_period AS period, s.path, s.actual_to_date, s.profiled_budget_to_date
  FROM finmon.revenue_spend_profile s
 WHERE s.period = s.report_period;
COMMENT ON VIEW finmon.revenue_to_date IS
    'Ledger spend and profiled budget to the end of each reporting period, per node (revenue_report''s two columns). Pounds.';
COMMENT ON COLUMN finmon.revenue_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_to_date.period IS 'The reporting period.';
COMMENT ON COLUMN finmon.revenue_to_date.path IS 'The node.';
COMMENT ON COLUMN finmon.revenue_to_date.actual_to_date IS 'Ledger spend from April to the end of the period; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon.revenue_to_date.profiled_budget_to_date IS 'The budget profiled to the end of the period.';

CREATE OR REPLACE VIEW finmon.revenue_report AS
SELECT f.financial_year, f.period, f.path, f.label, f.depth, f.is_leaf, f.budget, f.forecast_outturn, f.variance,
       f.variance_pct, f.previous_period, f.previous_variance, f.movement, f.prior_year_actual,
       f.prior_year_variance, f.row_order, t.actual_to_date, t.profiled_budget_to_date
  FROM finmon.revenue_figures f
  LEFT JOIN finmon.revenue_to_date t
         ON t.financial_year = f.financial_year AND t.period = f.period AND t.path = f.path
 WHERE f.analysis = '';
COMMENT ON COLUMN finmon.revenue_report.actual_to_date IS 'Ledger spend from April to the end of the period, pounds; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon.revenue_report.profiled_budget_to_date IS 'The budget profiled to the end of the period (finmon.budget_profile, or an even spread), pounds.';
