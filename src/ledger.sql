-- Ledger actuals: individual transactions against leaf lines, partitioned by financial year,
-- with per (council, year, period, line) summaries kept by the write path as rows arrive, so
-- reports and refreshes read the summaries, never the whole ledger; budget profiles; spend to
-- date against the profiled budget.

-- The council is checked by the write path, not by a foreign key: a key checked row by row
-- took 3 to 5 s of a million-row load (bench/write_path.sh).
CREATE TABLE finmon_data.ledger (
    council text NOT NULL,
    financial_year text NOT NULL,
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    posting_date date NOT NULL,
    line text NOT NULL,
    amount numeric NOT NULL,
    reference text NOT NULL,
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, reference)
) PARTITION BY LIST (financial_year);
COMMENT ON TABLE finmon_data.ledger IS
    'Ledger transactions against leaf budget lines, partitioned by financial year (finmon.ledger_partition creates a year''s partition). Loaded through finmon.ledger_import; totals per council, year, period and line are kept in finmon_data.ledger_summary.';
COMMENT ON COLUMN finmon_data.ledger.council IS 'The council.';
COMMENT ON COLUMN finmon_data.ledger.financial_year IS 'The posting date''s financial year (the partition key).';
COMMENT ON COLUMN finmon_data.ledger.period IS 'The posting date''s period, 1 (April) to 12 (March).';
COMMENT ON COLUMN finmon_data.ledger.posting_date IS 'The date the transaction was posted.';
COMMENT ON COLUMN finmon_data.ledger.line IS 'The leaf budget line, as in revenue.csv.';
COMMENT ON COLUMN finmon_data.ledger.amount IS 'Pounds; income and credits negative.';
COMMENT ON COLUMN finmon_data.ledger.reference IS 'The transaction''s reference, unique within its council and financial year.';
COMMENT ON COLUMN finmon_data.ledger.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.ledger.import_row IS 'The row number in that load.';

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
    IF to_regclass(format('finmon_data.%I', name)) IS NULL THEN
        EXECUTE format('CREATE TABLE finmon_data.%I PARTITION OF finmon_data.ledger FOR VALUES IN (%L)', name, financial_year);
        EXECUTE format('COMMENT ON TABLE finmon_data.%I IS %L', name,
                       format('finmon_data.ledger''s partition for %s.', financial_year));
        -- read through the ledger, its policy applies; read directly (by a role given the
        -- partition), its own, the same
        EXECUTE format('ALTER TABLE finmon_data.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE finmon_data.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format('CREATE POLICY council_scope ON finmon_data.%I USING (finmon.council_visible(council))', name);
    END IF;
    RETURN format('finmon_data.%I', name)::regclass;
END;
$$;
COMMENT ON FUNCTION finmon.ledger_partition(text) IS
    'The ledger''s partition for a financial year, created when missing (a ledger load does this itself).';

CREATE TABLE finmon_data.ledger_summary (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL,
    period integer NOT NULL,
    line text NOT NULL,
    amount numeric NOT NULL,
    transactions bigint NOT NULL,
    PRIMARY KEY (council, financial_year, line, period)
);
COMMENT ON TABLE finmon_data.ledger_summary IS
    'Ledger totals per council, financial year, period and line, kept up to date by the write path as transactions are loaded, replaced or deleted (finmon.rebuild_ledger_summary recomputes them).';
COMMENT ON COLUMN finmon_data.ledger_summary.council IS 'The council.';
COMMENT ON COLUMN finmon_data.ledger_summary.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.ledger_summary.period IS '1 to 12.';
COMMENT ON COLUMN finmon_data.ledger_summary.line IS 'The leaf line.';
COMMENT ON COLUMN finmon_data.ledger_summary.amount IS 'Sum of the period''s transactions on the line, pounds.';
COMMENT ON COLUMN finmon_data.ledger_summary.transactions IS 'How many transactions.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.ledger_summary', '');

CREATE FUNCTION finmon.rebuild_ledger_summary(council text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    chosen text := finmon_data.council_to_change(council, 'rebuild_ledger_summary');
    years text[];
    n bigint;
BEGIN
    PERFORM finmon_data.lock_councils(ARRAY[chosen]);
    -- the years whose summaries change are noted, as a load notes them
    WITH gone AS (DELETE FROM finmon_data.ledger_summary s WHERE s.council = chosen RETURNING s.financial_year)
    SELECT array_agg(DISTINCT g.financial_year) INTO years FROM gone g;
    WITH made AS (INSERT INTO finmon_data.ledger_summary (council, financial_year, period, line, amount, transactions)
                  SELECT l.council, l.financial_year, l.period, l.line, sum(l.amount), count(*)
                    FROM finmon_data.ledger l WHERE l.council = chosen
                   GROUP BY l.council, l.financial_year, l.period, l.line
                  RETURNING financial_year),
         noted AS (INSERT INTO finmon_data.change_log (change, council, table_name, financial_year)
                   SELECT nextval('finmon_data.change_number'), chosen, 'ledger', y.financial_year
                     FROM (SELECT unnest(years) UNION SELECT financial_year FROM made) AS y(financial_year))
    SELECT count(*) INTO n FROM made;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION finmon.rebuild_ledger_summary(text) IS
    'Recomputes a council''s rows of finmon_data.ledger_summary from its whole ledger (never needed in normal use: the write path keeps them current); the council as for loads. Returns the number of summary rows.';

-- The ledger's summaries follow each load and deletion, in the statement that writes it: the
-- transactions written added, those they replace or delete taken away (ws and gs: the
-- transactions written and gone, summed per council, year, period and line).
CREATE FUNCTION finmon_data.ledger_summary_sql() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN $sql$
summarised AS (
    INSERT INTO finmon_data.ledger_summary AS s (council, financial_year, period, line, amount, transactions)
    SELECT x.council, x.financial_year, x.period, x.line, sum(x.amount), sum(x.k)
      FROM (SELECT w.council, w.financial_year, w.period, w.line, w.amount, w.k FROM ws w
            UNION ALL
            SELECT g.council, g.financial_year, g.period, g.line, -g.amount, -g.k FROM gs g) AS x
     GROUP BY x.council, x.financial_year, x.period, x.line
    ON CONFLICT (council, financial_year, line, period) DO UPDATE
       SET amount = s.amount + excluded.amount, transactions = s.transactions + excluded.transactions
)
$sql$;
COMMENT ON FUNCTION finmon_data.ledger_summary_sql() IS
    'The part of a ledger load''s or deletion''s statement that updates finmon_data.ledger_summary (internal).';

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, audit, prepare, write_extra, finish,
                                  description, file_order) VALUES
    ('ledger', 'ledger', 'period', 'finmon_editor', 'format(''reference "%s" in %s'', reference, financial_year)', 'load',
     'WITH n AS (%1$s) SELECT jsonb_agg(finmon.ledger_partition(y.financial_year)::text) FROM (SELECT DISTINCT n.financial_year FROM n) AS y',
     finmon_data.ledger_summary_sql(),
     'DELETE FROM finmon_data.ledger_summary s WHERE s.council = ANY (%1$s::text[]) AND s.transactions = 0',
     'Load ledger.csv here: \copy finmon.ledger_import FROM ''ledger.csv'' WITH (FORMAT csv, HEADER). Header council,posting_date,line,amount,reference; date YYYY-MM-DD; a leaf line with revenue figures; amount in pounds; reference unique within its council and financial year (a reference already loaded is replaced). A bad row fails the whole load. Always reads as empty.', 90);
INSERT INTO finmon_data.import_column (format, position, name, kind, hint, expression, description) VALUES
    ('ledger', 1, 'council', 'council', NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('ledger', 2, 'posting_date', 'date', NULL, NULL, 'YYYY-MM-DD.'),
    ('ledger', 3, 'line', 'line', NULL, NULL, 'Leaf line path, names joined by '' > ''.'),
    ('ledger', 4, 'amount', 'money', NULL, NULL, 'Pounds.'),
    ('ledger', 5, 'reference', 'text', NULL, NULL, 'The transaction''s reference.');
INSERT INTO finmon_data.import_derived (format, target_column, expression) VALUES
    ('ledger', 'financial_year', 'finmon.financial_year_of(posting_date)'),
    ('ledger', 'period', 'finmon.period_of(posting_date)');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('ledger', 1, '23503', $sql$
SELECT n.load_row, format('line "%s" has no revenue figures', n.line),
       'Ledger transactions are posted to leaf lines loaded through revenue_import.'
  FROM n
  LEFT JOIN finmon_data.revenue r ON r.council = n.council AND r.analysis = '' AND r.line = n.line
 WHERE r.line IS NULL
$sql$);
SELECT finmon_data.create_import_view('ledger');

-- Budget profiles ---------------------------------------------------------------------------

CREATE TABLE finmon_data.budget_profile (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    line text NOT NULL,
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    share numeric,
    amount numeric,
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, line, period),
    CONSTRAINT budget_profile_share_or_amount CHECK ((share IS NULL) <> (amount IS NULL))
);
COMMENT ON TABLE finmon_data.budget_profile IS
    'How a line''s annual budget spreads over the periods: shares summing to 1 per line and year (a share may be negative, or above 1, as a front-loaded payment and its later refund are). Or, for a line, the budget of each period in pounds (amounts), taken as they are. A line without a profile spreads evenly (1/12 a period). The budget to date is the budget times the shares to date (or the amounts to date), rounded to the penny. Loaded through finmon.budget_profile_import.';
COMMENT ON COLUMN finmon_data.budget_profile.council IS 'The council.';
COMMENT ON COLUMN finmon_data.budget_profile.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.budget_profile.line IS 'The leaf line.';
COMMENT ON COLUMN finmon_data.budget_profile.period IS '1 to 12.';
COMMENT ON COLUMN finmon_data.budget_profile.share IS 'Share of the year''s budget falling in the period; a year''s shares sum to 1. NULL when the line''s profile is in pounds.';
COMMENT ON COLUMN finmon_data.budget_profile.amount IS 'The budget falling in the period, in pounds, for a line profiled in pounds; NULL when it is profiled in shares.';
COMMENT ON COLUMN finmon_data.budget_profile.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.budget_profile.import_row IS 'The row number in that load.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.budget_profile', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('budget_profile', 'budget_profile', 'period', 'finmon_editor',
     'format(''line "%s" period %s of %s'', line, period, financial_year)',
     'Load budget_profile.csv here: \copy finmon.budget_profile_import FROM ''budget_profile.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,line,period,share,amount: one of share and amount per row, and a line''s year profiled one way; each line''s shares for a year sum to 1 (with the shares already loaded that the load does not replace), and a share may be negative or above 1; amounts are the budget of each period in pounds. A period already loaded is replaced; a bad row fails the whole load. Always reads as empty.', 91);
INSERT INTO finmon_data.import_column (format, position, name, kind, hint, expression, description) VALUES
    ('budget_profile', 1, 'council', 'council', NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('budget_profile', 2, 'financial_year', 'year', NULL, NULL, 'YYYY-YY.'),
    ('budget_profile', 3, 'line', 'line', NULL, NULL, 'Leaf line path.'),
    ('budget_profile', 4, 'period', 'period', NULL, NULL, '1 to 12.'),
    ('budget_profile', 5, 'share', 'optional amount', NULL, NULL, 'Share of the annual budget (a year''s shares sum to 1); empty when amount is given.'),
    ('budget_profile', 6, 'amount', 'optional money', NULL, NULL, 'The budget of the period in pounds; empty when share is given.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('budget_profile', 1, '23514', $sql$
SELECT n.load_row,
       CASE WHEN n.share IS NULL THEN 'share and amount are both empty' ELSE 'share and amount are both given' END,
       'Give a period''s share of the year''s budget, or its budget in pounds, not both.'
  FROM n
 WHERE (n.share IS NULL) = (n.amount IS NULL)
$sql$),
    ('budget_profile', 2, '23514', $sql$
SELECT NULL::integer,
       CASE WHEN t.mixed THEN format('line "%s" in %s is profiled both in shares and in pounds', t.line, t.financial_year)
            ELSE format('the shares of line "%s" in %s sum to %s, not 1', t.line, t.financial_year, t.total) END,
       CASE WHEN t.mixed THEN 'Profile a line''s year one way: shares (summing to 1) or amounts in pounds.'
            ELSE 'Give every period of the year a share (0 for none), summing to 1.' END
  FROM (SELECT x.council, x.financial_year, x.line, sum(x.share) AS total,
               count(x.share) > 0 AND count(x.share) < count(*) AS mixed
          -- the load's rows and the line's rows already loaded that the load does not replace
          FROM (SELECT n.council, n.financial_year, n.line, n.share FROM n
                UNION ALL
                SELECT b.council, b.financial_year, b.line, b.share
                  FROM finmon_data.budget_profile b
                  JOIN (SELECT DISTINCT n.council, n.financial_year, n.line FROM n) AS k
                    ON k.council = b.council AND k.financial_year = b.financial_year AND k.line = b.line
                  LEFT JOIN n ON n.council = b.council AND n.financial_year = b.financial_year
                             AND n.line = b.line AND n.period = b.period
                 WHERE n.period IS NULL) AS x
         GROUP BY x.council, x.financial_year, x.line
        HAVING count(x.share) > 0 AND (count(x.share) < count(*) OR sum(x.share) <> 1)
         ORDER BY x.council, x.financial_year, x.line LIMIT 1) AS t
$sql$);
SELECT finmon_data.create_import_view('budget_profile');

-- Actuals to date ---------------------------------------------------------------------------

-- A ledger system's cumulative spend per line and period, an alternative to its transactions.
CREATE TABLE finmon_data.actuals (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    line text NOT NULL,
    actual_to_date numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, period, line)
);
COMMENT ON TABLE finmon_data.actuals IS
    'Actual spend to date as a ledger system reports it: per leaf line, cumulative from April to the end of the period. At a period with actuals loaded, actual_to_date comes from here (a leaf line without a row has spent nothing); at other periods, from the ledger. Loaded through finmon.actuals_import.';
COMMENT ON COLUMN finmon_data.actuals.council IS 'The council.';
COMMENT ON COLUMN finmon_data.actuals.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.actuals.period IS 'The period the spend runs to, 1 to 12.';
COMMENT ON COLUMN finmon_data.actuals.line IS 'The leaf line.';
COMMENT ON COLUMN finmon_data.actuals.actual_to_date IS 'Spend from April to the end of the period, pounds (income negative).';
COMMENT ON COLUMN finmon_data.actuals.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon_data.actuals.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon_data.actuals.import_row IS 'The row of that load it came from.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.actuals', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('actuals', 'actuals', 'period', 'finmon_editor',
     'format(''line "%s" at %s period %s'', line, financial_year, period)',
     'Load actuals.csv here: \copy finmon.actuals_import FROM ''actuals.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,line,actual_to_date: spend from April to the end of the period per leaf line, as a ledger system reports it; at a period with actuals, they are the actual to date (instead of the ledger). A line and period already loaded is replaced; a bad row fails the whole load. Always reads as empty.', 92);
INSERT INTO finmon_data.import_column (format, position, name, kind, description) VALUES
    ('actuals', 1, 'council', 'council', 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('actuals', 2, 'financial_year', 'year', 'YYYY-YY.'),
    ('actuals', 3, 'period', 'period', 'The period the spend runs to, 1 to 12.'),
    ('actuals', 4, 'line', 'line', 'Leaf line path.'),
    ('actuals', 5, 'actual_to_date', 'money', 'Spend from April to the end of the period, pounds.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('actuals', 1, '23503', $sql$
SELECT n.load_row, format('line "%s" has no revenue figures in %s', n.line, n.financial_year),
       'Actuals are per leaf line with figures that year, loaded through revenue_import.'
  FROM n
  LEFT JOIN finmon_data.revenue r ON r.council = n.council AND r.analysis = '' AND r.financial_year = n.financial_year AND r.line = n.line
 WHERE r.line IS NULL
$sql$);
SELECT finmon_data.create_import_view('actuals');

-- Spend to date -------------------------------------------------------------------------------

-- Spend and profiled budget to date per leaf line: the summaries accumulated over the periods
-- (set-based: each is a join, not a lookup per row).
CREATE VIEW finmon_data.ledger_to_date AS
SELECT s.council, s.financial_year, s.line, p.period, sum(s.amount) AS amount
  FROM finmon_data.ledger_summary s
  JOIN generate_series(1, 12) AS p(period) ON s.period <= p.period
 GROUP BY s.council, s.financial_year, s.line, p.period;
COMMENT ON VIEW finmon_data.ledger_to_date IS
    'Ledger spend per council, financial year and line from April to the end of each period at which the line has spend so far, from the summaries. Pounds.';
COMMENT ON COLUMN finmon_data.ledger_to_date.council IS 'The council.';
COMMENT ON COLUMN finmon_data.ledger_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.ledger_to_date.line IS 'The leaf line.';
COMMENT ON COLUMN finmon_data.ledger_to_date.period IS 'The period the spend runs to.';
COMMENT ON COLUMN finmon_data.ledger_to_date.amount IS 'Spend from April to the end of the period.';

CREATE VIEW finmon_data.profile_to_date AS
SELECT b.council, b.financial_year, b.line, p.period, sum(b.share) AS share, sum(b.amount) AS amount
  FROM finmon_data.budget_profile b
  JOIN generate_series(1, 12) AS p(period) ON b.period <= p.period
 GROUP BY b.council, b.financial_year, b.line, p.period;
COMMENT ON VIEW finmon_data.profile_to_date IS
    'The share of each profiled line''s annual budget falling from April to the end of each period.';
COMMENT ON COLUMN finmon_data.profile_to_date.council IS 'The council.';
COMMENT ON COLUMN finmon_data.profile_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.profile_to_date.line IS 'The leaf line.';
COMMENT ON COLUMN finmon_data.profile_to_date.period IS 'The period the share runs to.';
COMMENT ON COLUMN finmon_data.profile_to_date.share IS 'Sum of the shares of periods 1 to period; NULL for a line profiled in pounds.';
COMMENT ON COLUMN finmon_data.profile_to_date.amount IS 'Sum of the amounts of periods 1 to period, pounds; NULL for a line profiled in shares.';

-- Each leaf line at each year and reporting period, and each period from April to it.
CREATE VIEW finmon.revenue_spend_profile AS
WITH leaf AS (
    SELECT r.council, r.financial_year, r.period AS report_period, r.line, r.budget, p.period
      FROM finmon_data.revenue r
     CROSS JOIN LATERAL generate_series(1, r.period) AS p(period)
     WHERE r.analysis = ''
),
figures AS (
    SELECT l.council, l.financial_year, l.report_period, l.period, l.line,
           CASE WHEN ap.period IS NOT NULL THEN COALESCE(ac.actual_to_date, 0)
                WHEN y.financial_year IS NOT NULL THEN COALESCE(a.amount, 0) END AS actual,
           -- exact: the shares' budget, and the even spread's budget x period (divided by 12
           -- once per node, below)
           CASE WHEN pl.line IS NOT NULL THEN COALESCE(l.budget * pd.share, pd.amount, 0) END AS profiled,
           CASE WHEN pl.line IS NULL THEN l.budget * l.period END AS spread_twelfths
      FROM leaf l
      LEFT JOIN (SELECT DISTINCT s.council, s.financial_year FROM finmon_data.ledger_summary s) y
             ON y.council = l.council AND y.financial_year = l.financial_year
      LEFT JOIN finmon_data.ledger_to_date a
             ON a.council = l.council AND a.financial_year = l.financial_year AND a.line = l.line AND a.period = l.period
      LEFT JOIN (SELECT DISTINCT x.council, x.financial_year, x.period FROM finmon_data.actuals x) ap
             ON ap.council = l.council AND ap.financial_year = l.financial_year AND ap.period = l.period
      LEFT JOIN finmon_data.actuals ac
             ON ac.council = l.council AND ac.financial_year = l.financial_year AND ac.line = l.line AND ac.period = l.period
      LEFT JOIN (SELECT DISTINCT b.council, b.financial_year, b.line FROM finmon_data.budget_profile b) pl
             ON pl.council = l.council AND pl.financial_year = l.financial_year AND pl.line = l.line
      LEFT JOIN finmon_data.profile_to_date pd
             ON pd.council = l.council AND pd.financial_year = l.financial_year AND pd.line = l.line AND pd.period = l.period
)
SELECT f.council, f.financial_year, f.report_period, f.period, a.path,
       sum(f.actual) AS actual_to_date,
       -- rounded once per node to the penny, half away from zero: a period's budget is the
       -- difference of two rounded figures, and the twelve sum to the budget
       round(COALESCE(sum(f.profiled), 0) + COALESCE(sum(f.spread_twelfths), 0) / 12, 2) AS profiled_budget_to_date
  FROM figures f
  JOIN finmon_data.revenue_node n ON n.council = f.council AND n.analysis = '' AND n.path = f.line
 CROSS JOIN LATERAL unnest(n.ancestors) AS a(path)
 GROUP BY f.council, f.financial_year, f.report_period, f.period, a.path;
COMMENT ON VIEW finmon.revenue_spend_profile IS
    'Spend against profiled budget, period by period (the chart data): for each node at each year and reporting period, and each period from April to it, ledger spend to the end of that period and the budget (at the reporting period) profiled to it. Pounds.';
COMMENT ON COLUMN finmon.revenue_spend_profile.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_spend_profile.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_spend_profile.report_period IS 'The monitoring period whose budget is profiled.';
COMMENT ON COLUMN finmon.revenue_spend_profile.period IS 'The period the figures run to, 1 to report_period.';
COMMENT ON COLUMN finmon.revenue_spend_profile.path IS 'The node; '''' for the grand total.';
COMMENT ON COLUMN finmon.revenue_spend_profile.actual_to_date IS 'Spend from April to the end of the period: from finmon_data.actuals at a period with actuals loaded, else from the ledger; NULL when neither is loaded.';
COMMENT ON COLUMN finmon.revenue_spend_profile.profiled_budget_to_date IS 'The node''s leaves'' budgets times the profile''s shares to the period, their profiles'' amounts to the period (a profile in pounds), or their budgets times period / 12 (no profile), summed exactly and rounded once to the penny.';

-- The same at each reporting period only, for revenue_report (the condition is on grouping
-- columns, so it is applied before anything is summed).
CREATE VIEW finmon_data.revenue_to_date AS
SELECT s.council, s.financial_year, s.report_period AS period, s.path, s.actual_to_date, s.profiled_budget_to_date
  FROM finmon.revenue_spend_profile s
 WHERE s.period = s.report_period;
COMMENT ON VIEW finmon_data.revenue_to_date IS
    'Ledger spend and profiled budget to the end of each reporting period, per node (revenue_report''s two columns). Pounds.';
COMMENT ON COLUMN finmon_data.revenue_to_date.council IS 'The council.';
COMMENT ON COLUMN finmon_data.revenue_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.revenue_to_date.period IS 'The reporting period.';
COMMENT ON COLUMN finmon_data.revenue_to_date.path IS 'The node.';
COMMENT ON COLUMN finmon_data.revenue_to_date.actual_to_date IS 'Ledger spend from April to the end of the period; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon_data.revenue_to_date.profiled_budget_to_date IS 'The budget profiled to the end of the period.';
