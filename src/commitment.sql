-- Care-package commitments: the social care system's priced periods of care packages
-- (packages.csv), what they cost over a window of days (package_cost, commitment_agg), the
-- forecast outturn they imply (commitment_forecast, with a demand allowance for the packages
-- still to start), adopting it as a period's forecast, and the people-supported tables
-- (package_activity).

-- Cost over a window ---------------------------------------------------------------------------

CREATE FUNCTION finmon.package_cost(weekly_cost numeric, starts date, ends date, window_start date, window_end date)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'finmon_package_cost'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.package_cost(numeric, date, date, date, date) IS
    'What a priced period of a care package costs over a window: weekly_cost x d / 7, d the days of the window (both ends inclusive) on which the period (starts to ends, both inclusive; ends NULL: open-ended) is active, rounded once to the penny, half away from zero; exact. NULL when weekly_cost, starts or a window bound is NULL. Raises 22023 for a period or window that ends before it starts, 22008 for an infinite window bound.';

-- The aggregate's state: a type of finmon's own (40 bytes: a count and two 128-bit sums),
-- so that Citus runs the partial step on its workers.
CREATE TYPE finmon.commitment_state;

CREATE FUNCTION finmon.commitment_state_in(cstring) RETURNS finmon.commitment_state
    AS 'MODULE_PATHNAME', 'finmon_commitment_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.commitment_state_in(cstring) IS
    'Input of finmon.commitment_state: (packages,cost,weekly_cost_at_end) (internal).';

CREATE FUNCTION finmon.commitment_state_out(finmon.commitment_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'finmon_commitment_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.commitment_state_out(finmon.commitment_state) IS
    'Output of finmon.commitment_state (internal).';

CREATE FUNCTION finmon.commitment_state_recv(internal) RETURNS finmon.commitment_state
    AS 'MODULE_PATHNAME', 'finmon_commitment_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.commitment_state_recv(internal) IS
    'Binary input of finmon.commitment_state (internal).';

CREATE FUNCTION finmon.commitment_state_send(finmon.commitment_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_commitment_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.commitment_state_send(finmon.commitment_state) IS
    'Binary output of finmon.commitment_state (internal).';

CREATE TYPE finmon.commitment_state (
    INPUT = finmon.commitment_state_in,
    OUTPUT = finmon.commitment_state_out,
    RECEIVE = finmon.commitment_state_recv,
    SEND = finmon.commitment_state_send,
    INTERNALLENGTH = 40,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE finmon.commitment_state IS
    'The running state of finmon.commitment_agg: priced periods active in the window, their cost in pence and the weekly cost of those active on its last day; written (packages,cost,weekly_cost_at_end).';

CREATE TYPE finmon.commitment_summary AS (
    cost numeric,
    packages bigint,
    weekly_cost_at_end numeric
);
COMMENT ON TYPE finmon.commitment_summary IS
    'What finmon.commitment_agg returns: the cost over the window, the priced periods active in it, and the weekly cost of those active on its last day.';
COMMENT ON COLUMN finmon.commitment_summary.cost IS 'The sum of finmon.package_cost over the rows, pounds (each row rounded once to the penny).';
COMMENT ON COLUMN finmon.commitment_summary.packages IS 'Rows (priced periods) active on at least one day of the window; over a one-day window, the packages in place that day.';
COMMENT ON COLUMN finmon.commitment_summary.weekly_cost_at_end IS 'The weekly cost of the rows active on the window''s last day, pounds.';

CREATE FUNCTION finmon.commitment_accum(finmon.commitment_state, numeric, date, date, date, date)
    RETURNS finmon.commitment_state
    AS 'MODULE_PATHNAME', 'finmon_commitment_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.commitment_accum(finmon.commitment_state, numeric, date, date, date, date) IS
    'Transition function of finmon.commitment_agg (internal).';

CREATE FUNCTION finmon.commitment_combine(finmon.commitment_state, finmon.commitment_state)
    RETURNS finmon.commitment_state
    AS 'MODULE_PATHNAME', 'finmon_commitment_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.commitment_combine(finmon.commitment_state, finmon.commitment_state) IS
    'Combine function of finmon.commitment_agg: adds two partial states (internal).';

CREATE FUNCTION finmon.commitment_final(finmon.commitment_state) RETURNS finmon.commitment_summary
    AS 'MODULE_PATHNAME', 'finmon_commitment_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.commitment_final(finmon.commitment_state) IS
    'Final function of finmon.commitment_agg (internal).';

-- (No serial and deserial functions: PostgreSQL takes them only for a state of type internal;
-- this state is a plain fixed-length value, which parallel workers pass as it is.)
CREATE AGGREGATE finmon.commitment_agg(weekly_cost numeric, starts date, ends date, window_start date, window_end date) (
    SFUNC = finmon.commitment_accum,
    STYPE = finmon.commitment_state,
    INITCOND = '(0,0,0)',
    FINALFUNC = finmon.commitment_final,
    COMBINEFUNC = finmon.commitment_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.commitment_agg(numeric, date, date, date, date) IS
    'Totals priced periods of care packages over a window, exactly: (cost, packages, weekly_cost_at_end); cost equals the sum of finmon.package_cost over the rows. Rows with a NULL weekly cost, start or window bound are ignored; no rows gives (0.00, 0, 0.00). Weekly costs to at most six decimal places (22023). Parallel safe; its state type lets Citus push it down.';

-- packages.csv ---------------------------------------------------------------------------------

CREATE TABLE finmon_data.packages (
    council text NOT NULL REFERENCES finmon.council,
    package text NOT NULL,
    starts date NOT NULL,
    ends date,
    client_group text NOT NULL,
    service text NOT NULL,
    line text NOT NULL,
    weekly_cost numeric NOT NULL,
    run_start date,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, package, starts),
    CHECK (ends IS NULL OR ends >= starts)
);
CREATE INDEX packages_line ON finmon_data.packages (council, line);
COMMENT ON TABLE finmon_data.packages IS
    'Care packages as the social care system prices them: one row per priced period of a package (a change of cost ends one row and starts the next). Loaded through finmon.packages_import; a load replaces every package it names.';
COMMENT ON COLUMN finmon_data.packages.council IS 'The council.';
COMMENT ON COLUMN finmon_data.packages.package IS 'The package''s identifier in the social care system.';
COMMENT ON COLUMN finmon_data.packages.starts IS 'The first day of the priced period.';
COMMENT ON COLUMN finmon_data.packages.ends IS 'The last day of the priced period; NULL while open-ended.';
COMMENT ON COLUMN finmon_data.packages.client_group IS 'The client group, e.g. Older People, Learning Disabilities.';
COMMENT ON COLUMN finmon_data.packages.service IS 'The service, e.g. residential, nursing, home support, direct payment, day care, supported living.';
COMMENT ON COLUMN finmon_data.packages.line IS 'The leaf budget line the cost falls on.';
COMMENT ON COLUMN finmon_data.packages.weekly_cost IS 'Pounds a week; a client contribution is negative, on an income line.';
COMMENT ON COLUMN finmon_data.packages.run_start IS 'Where the package''s priced periods run without a break up to this one: the start of the first of them (finmon.package_run_start, as the load writes it).';
COMMENT ON COLUMN finmon_data.packages.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon_data.packages.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon_data.packages.import_row IS 'The row of that load it came from.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.packages', '');

-- Each priced period's run_start, computed as a load writes it (a load holds every priced
-- period of each package it names): a package in place on a day is committed for the priced
-- periods running on from it, so the forecast tests one date per row, not the package's
-- other rows.
CREATE FUNCTION finmon.package_run_accum(bigint, date, date) RETURNS bigint
    AS 'MODULE_PATHNAME', 'finmon_package_run_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.package_run_accum(bigint, date, date) IS
    'Transition function of finmon.package_run_start: the run''s start and the last end, in 64 bits (internal).';

CREATE FUNCTION finmon.package_run_final(bigint) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_package_run_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.package_run_final(bigint) IS
    'Final function of finmon.package_run_start (internal).';

CREATE AGGREGATE finmon.package_run_start(starts date, ends date) (
    SFUNC = finmon.package_run_accum,
    STYPE = bigint,
    FINALFUNC = finmon.package_run_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.package_run_start(date, date) IS
    'As a window function over a package''s priced periods ordered by start (OVER (PARTITION BY council, package ORDER BY starts)): the start of the unbroken run each belongs to, a period starting the day after the one before it ended continuing the run. What packages_import stores as run_start.';

INSERT INTO finmon_data.import_format (format, target, timing, capability, replaces, key_description, description, file_order) VALUES
    ('packages', 'packages', 'none', 'finmon_editor', ARRAY['council', 'package'],
     'format(''package "%s" starting %s'', package, to_char(starts, ''YYYY-MM-DD''))',
     'Load packages.csv here: \copy finmon.packages_import FROM ''packages.csv'' WITH (FORMAT csv, HEADER). Header council,package,client_group,service,line,weekly_cost,starts,ends: one row per priced period of a care package, weekly cost in pounds (a client contribution negative, on an income line), dates YYYY-MM-DD, both inclusive, ends empty while open-ended; the line a leaf line with revenue figures. A load replaces every package it names (all its priced periods); periods of one package may not overlap. A bad row fails the whole load. Always reads as empty.', 94);
INSERT INTO finmon_data.import_column (format, position, name, kind, description) VALUES
    ('packages', 1, 'council', 'council', 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('packages', 2, 'package', 'text', 'The package''s identifier in the social care system.'),
    ('packages', 3, 'client_group', 'text', 'The client group, e.g. Older People.'),
    ('packages', 4, 'service', 'text', 'The service, e.g. residential, nursing, home support, direct payment, day care, supported living.'),
    ('packages', 5, 'line', 'line', 'The leaf budget line the cost falls on, names joined by '' > ''.'),
    ('packages', 6, 'weekly_cost', 'money', 'Pounds a week; a client contribution negative.'),
    ('packages', 7, 'starts', 'date', 'The first day of the priced period, YYYY-MM-DD.'),
    ('packages', 8, 'ends', 'optional date', 'The last day of the priced period, YYYY-MM-DD; empty while open-ended.');
INSERT INTO finmon_data.import_derived (format, target_column, expression) VALUES
    ('packages', 'run_start', 'finmon.package_run_start(starts, ends) OVER (PARTITION BY council, package ORDER BY starts)');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('packages', 1, '23503', $sql$
SELECT n.load_row, format('line "%s" has no revenue figures', n.line),
       'A package''s cost falls on a leaf line loaded through revenue_import.'
  FROM n
  LEFT JOIN finmon_data.revenue r ON r.council = n.council AND r.analysis = '' AND r.line = n.line
 WHERE r.line IS NULL
$sql$),
    ('packages', 2, '23514', $sql$
SELECT n.load_row, format('package "%s" ends on %s, before it starts on %s', n.package, to_char(n.ends, 'YYYY-MM-DD'),
                         to_char(n.starts, 'YYYY-MM-DD')),
       'starts and ends are both inclusive: a one-day period starts and ends on the same day.'
  FROM n
 WHERE n.ends < n.starts
$sql$),
    -- (each row against the latest end of the package's earlier rows: a window per package, not
    -- a join of every pair; the row it overlaps is looked up for the rows at fault only)
    ('packages', 3, '23P01', $sql$
SELECT x.load_row,
       format('package "%s": the period starting %s overlaps the one starting %s (row %s)', x.package,
              to_char(x.starts, 'YYYY-MM-DD'), to_char(o.starts, 'YYYY-MM-DD'), o.load_row),
       'A package''s priced periods follow one another: a change of cost ends one period and starts the next the day after.'
  FROM (SELECT n.load_row, n.council, n.package, n.starts,
               max(COALESCE(n.ends, 'infinity')) OVER (PARTITION BY n.council, n.package ORDER BY n.starts, n.load_row
                                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
          FROM n) x
 CROSS JOIN LATERAL (SELECT e.starts, e.load_row FROM n e
                      WHERE e.council = x.council AND e.package = x.package AND e.load_row <> x.load_row
                        AND (e.starts, e.load_row) < (x.starts, x.load_row) AND COALESCE(e.ends, 'infinity') >= x.starts
                      ORDER BY e.starts, e.load_row LIMIT 1) o
 WHERE x.earlier_end >= x.starts
$sql$);
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('packages', 4, '22008', $sql$
SELECT n.load_row, format('package "%s" starts on %s, outside 1 April 1900 to 31 March 3000', n.package, to_char(n.starts, 'YYYY-MM-DD')),
       'A start is a real date of the social care system''s records; an end may be far off (9999-12-31 for none is read as written).'
  FROM n
 WHERE n.starts < date '1900-04-01' OR n.starts > date '3000-03-31'
$sql$);
SELECT finmon_data.create_import_view('packages');

-- The demand allowance --------------------------------------------------------------------------

-- A council may set the allowance to nothing (setting demand_allowance = none) or give a line
-- its own weekly growth for a year (demand_allowances.csv).
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('settings', 2, '22023', $sql$
SELECT n.load_row, format('demand_allowance "%s" is not trend or none', n.value),
       'trend (the default) projects the last 13 weeks'' net growth in weekly cost to 31 March; none sets the allowance to zero.'
  FROM n
 WHERE n.name = 'demand_allowance' AND n.value NOT IN ('trend', 'none')
$sql$);

CREATE TABLE finmon_data.demand_allowance (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    line text NOT NULL,
    weekly_growth numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, line)
);
COMMENT ON TABLE finmon_data.demand_allowance IS
    'A line''s own demand allowance for a financial year, in place of the trend: the net weekly cost its packages grow by each week until 31 March (0: no allowance). Loaded through finmon.demand_allowances_import.';
COMMENT ON COLUMN finmon_data.demand_allowance.council IS 'The council.';
COMMENT ON COLUMN finmon_data.demand_allowance.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.demand_allowance.line IS 'The leaf line.';
COMMENT ON COLUMN finmon_data.demand_allowance.weekly_growth IS 'Pounds of weekly cost added each week (negative: falling); 0 for no allowance.';
COMMENT ON COLUMN finmon_data.demand_allowance.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon_data.demand_allowance.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon_data.demand_allowance.import_row IS 'The row of that load it came from.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.demand_allowance', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('demand_allowances', 'demand_allowance', 'none', 'finmon_editor',
     'format(''line "%s" in %s'', line, financial_year)',
     'Load demand_allowances.csv here: \copy finmon.demand_allowances_import FROM ''demand_allowances.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,line,weekly_growth: a line''s own demand allowance for the year, in place of the trend of its last 13 weeks, as the weekly cost its packages grow by each week (0: none). A line and year already loaded is replaced. Always reads as empty.', 95);
INSERT INTO finmon_data.import_column (format, position, name, kind, description) VALUES
    ('demand_allowances', 1, 'council', 'council', 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('demand_allowances', 2, 'financial_year', 'year', 'YYYY-YY.'),
    ('demand_allowances', 3, 'line', 'line', 'Leaf line path.'),
    ('demand_allowances', 4, 'weekly_growth', 'money', 'Pounds of weekly cost added each week until 31 March; 0 for no allowance.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('demand_allowances', 1, '23503', $sql$
SELECT n.load_row, format('line "%s" has no revenue figures in %s', n.line, n.financial_year),
       'A demand allowance is for a leaf line with figures that year, loaded through revenue_import.'
  FROM n
  LEFT JOIN finmon_data.revenue r ON r.council = n.council AND r.analysis = '' AND r.financial_year = n.financial_year AND r.line = n.line
 WHERE r.line IS NULL
$sql$);
SELECT finmon_data.create_import_view('demand_allowances');

-- The commitment forecast ------------------------------------------------------------------------

-- Each leaf line with packages at each period with revenue figures: commitment_agg over the
-- line's priced periods, once per window.  The council's priced periods are scanned once per
-- period (its dates computed once: OFFSET 0 keeps them from being recomputed for every priced
-- period) and summed by line; the lines with revenue figures that period are joined after.
CREATE VIEW finmon_data.commitment_lines AS
WITH periods AS (
    SELECT e.council, e.financial_year, e.period, d.year_start, d.period_end, d.year_end
      FROM (SELECT DISTINCT r.council, r.financial_year, r.period FROM finmon_data.revenue r WHERE r.analysis = '') e
     CROSS JOIN LATERAL (SELECT finmon.financial_year_start(e.financial_year) AS year_start,
                                finmon.period_end(e.financial_year, e.period) AS period_end,
                                finmon.financial_year_end(e.financial_year) AS year_end OFFSET 0) d
),
lines AS (
    SELECT p.council, p.financial_year, p.period, k.line, p.period_end, p.year_end,
           -- the packages' cost from 1 April to the period end
           finmon.commitment_agg(k.weekly_cost, k.starts, k.ends, p.year_start, p.period_end) AS to_date,
           -- the packages in place at the period end, from the next day to 31 March: the priced
           -- periods whose unbroken run started by the period end (one running on from it, or
           -- one that ended before it, which costs nothing after it)
           finmon.commitment_agg(k.weekly_cost, k.starts, k.ends, p.period_end + 1, p.year_end)
               FILTER (WHERE p.period < 12 AND COALESCE(k.run_start, k.starts) <= p.period_end) AS committed,
           -- in place on the period end, and 13 weeks (91 days) before it
           finmon.commitment_agg(k.weekly_cost, k.starts, k.ends, p.period_end, p.period_end) AS at_end,
           finmon.commitment_agg(k.weekly_cost, k.starts, k.ends, p.period_end - 91, p.period_end - 91) AS before
      FROM periods p
      JOIN finmon_data.packages k
        ON k.council = p.council AND k.starts <= p.year_end AND (k.ends IS NULL OR k.ends >= LEAST(p.year_start, p.period_end - 91))
     GROUP BY p.council, p.financial_year, p.period, k.line, p.period_end, p.year_end
)
SELECT l.council, l.financial_year, l.period, l.line, l.period_end, l.year_end, r.forecast_outturn,
       l.to_date, l.committed, l.at_end, l.before
  FROM lines l
  JOIN finmon_data.revenue r
    ON r.council = l.council AND r.financial_year = l.financial_year AND r.period = l.period AND r.analysis = '' AND r.line = l.line;
COMMENT ON VIEW finmon_data.commitment_lines IS
    'Each leaf line with priced periods at each period with revenue figures: commitment_agg over the windows commitment_forecast reads (internal).';
COMMENT ON COLUMN finmon_data.commitment_lines.council IS 'The council.';
COMMENT ON COLUMN finmon_data.commitment_lines.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.commitment_lines.period IS 'The period, 1 to 12.';
COMMENT ON COLUMN finmon_data.commitment_lines.line IS 'The leaf line.';
COMMENT ON COLUMN finmon_data.commitment_lines.period_end IS 'The period''s last day.';
COMMENT ON COLUMN finmon_data.commitment_lines.year_end IS 'The 31 March the year ends on.';
COMMENT ON COLUMN finmon_data.commitment_lines.forecast_outturn IS 'The forecast outturn loaded for the line and period.';
COMMENT ON COLUMN finmon_data.commitment_lines.to_date IS 'commitment_agg from 1 April to the period end.';
COMMENT ON COLUMN finmon_data.commitment_lines.committed IS 'commitment_agg from the day after the period end to 31 March, over the priced periods running on without a break from those in place on the period end; (0.00, 0, 0.00) at period 12.';
COMMENT ON COLUMN finmon_data.commitment_lines.at_end IS 'commitment_agg over the period end alone: the packages in place and their weekly cost.';
COMMENT ON COLUMN finmon_data.commitment_lines.before IS 'commitment_agg over the day 13 weeks (91 days) before the period end.';

CREATE VIEW finmon.commitment_forecast AS
WITH leaf AS (
    SELECT l.council, l.financial_year, l.period, l.period_end, l.line, l.forecast_outturn,
           (l.at_end).packages, (l.at_end).weekly_cost_at_end AS weekly_cost,
           (l.to_date).cost AS cost_to_date, t.actual_to_date,
           COALESCE((l.committed).cost, 0) AS committed_cost,
           d.basis AS demand_basis, d.weekly_growth, d.allowance AS demand_allowance,
           COALESCE(t.actual_to_date, (l.to_date).cost) + COALESCE((l.committed).cost, 0) + d.allowance AS commitment_forecast
      FROM finmon_data.commitment_lines l
      LEFT JOIN finmon_data.revenue_to_date t
             ON t.council = l.council AND t.financial_year = l.financial_year AND t.period = l.period AND t.path = l.line
      LEFT JOIN finmon_data.demand_allowance o
             ON o.council = l.council AND o.financial_year = l.financial_year AND o.line = l.line
      -- (a join, not a correlated subquery, which Citus does not run here)
      LEFT JOIN finmon.setting no_allowance
             ON no_allowance.council = l.council AND no_allowance.name = 'demand_allowance' AND no_allowance.value = 'none'
     CROSS JOIN LATERAL (SELECT (l.year_end - l.period_end)::numeric AS days,
                                CASE WHEN o.line IS NOT NULL THEN 'override'
                                     WHEN no_allowance.council IS NOT NULL THEN 'none'
                                     ELSE 'trend' END AS basis,
                                (l.at_end).weekly_cost_at_end - (l.before).weekly_cost_at_end AS growth_13_weeks) AS g
     -- growth g a week, each week's added from the day after it is added: sum over the days
     -- j = 1..D left to 31 March of (g / 7) x (D - j + 1) / 7 = g x D (D + 1) / 98; the trend's
     -- g is the 13 weeks' net growth / 13
     CROSS JOIN LATERAL (SELECT g.basis,
                                CASE g.basis WHEN 'override' THEN o.weekly_growth WHEN 'none' THEN 0
                                             ELSE g.growth_13_weeks / 13 END AS weekly_growth,
                                CASE g.basis WHEN 'override' THEN round(o.weekly_growth * g.days * (g.days + 1) / 98, 2)
                                             WHEN 'none' THEN 0.00
                                             ELSE round(g.growth_13_weeks * g.days * (g.days + 1) / 1274, 2) END AS projected) AS e
     -- a falling allowance may stop what is committed, never reverse it: on a line of spending
     -- (its weekly cost in place, or else 13 weeks before, positive) it is at least minus the
     -- committed cost, on a line of income at most
     CROSS JOIN LATERAL (SELECT e.basis, e.weekly_growth,
                                CASE pg_catalog.sign(COALESCE(NULLIF((l.at_end).weekly_cost_at_end, 0), (l.before).weekly_cost_at_end))
                                     WHEN 1 THEN GREATEST(e.projected, -COALESCE((l.committed).cost, 0))
                                     WHEN -1 THEN LEAST(e.projected, -COALESCE((l.committed).cost, 0))
                                     ELSE e.projected END AS allowance) AS d
)
SELECT f.council, f.financial_year, f.period, min(f.period_end) AS period_end, a.path, a.label, a.depth,
       bool_or(a.path = f.line) AS is_leaf,
       sum(f.packages)::bigint AS packages, sum(f.weekly_cost) AS weekly_cost,
       sum(f.cost_to_date) AS cost_to_date, sum(f.actual_to_date) AS actual_to_date, sum(f.committed_cost) AS committed_cost,
       CASE WHEN min(f.demand_basis) = max(f.demand_basis) THEN min(f.demand_basis) ELSE 'mixed' END AS demand_basis,
       sum(f.weekly_growth) AS weekly_growth, sum(f.demand_allowance) AS demand_allowance,
       sum(f.commitment_forecast) AS commitment_forecast,
       CASE WHEN bool_and(f.forecast_outturn IS NOT NULL) THEN sum(f.forecast_outturn) END AS forecast_outturn,
       sum(f.commitment_forecast) - CASE WHEN bool_and(f.forecast_outturn IS NOT NULL) THEN sum(f.forecast_outturn) END AS difference,
       pg_catalog.row_number() OVER (PARTITION BY f.council, f.financial_year, f.period ORDER BY a.sort_key) AS row_order
  FROM leaf f
  JOIN finmon_data.revenue_node n ON n.council = f.council AND n.analysis = '' AND n.path = f.line
 CROSS JOIN LATERAL pg_catalog.unnest(n.ancestors) AS u(path)
  JOIN finmon_data.revenue_node a ON a.council = n.council AND a.analysis = '' AND a.path = u.path
 GROUP BY f.council, f.financial_year, f.period, a.path, a.label, a.depth, a.sort_key;
COMMENT ON VIEW finmon.commitment_forecast IS
    'The forecast outturn the care packages imply, per council, financial year and period with revenue figures, for each leaf line with packages and its totals up the hierarchy (over those lines only): spend to date (the actual to date where a ledger or actuals are loaded, else the packages'' own cost to date) + the cost of the packages in place at the period end from the next day to 31 March + the demand allowance, beside the forecast outturn loaded. Pounds.';
COMMENT ON COLUMN finmon.commitment_forecast.council IS 'The council.';
COMMENT ON COLUMN finmon.commitment_forecast.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.commitment_forecast.period IS 'The monitoring period, 1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.commitment_forecast.period_end IS 'The period''s last day: what is in place then is committed.';
COMMENT ON COLUMN finmon.commitment_forecast.path IS 'The node: a leaf line with packages, or a node above such lines ('''' for the total).';
COMMENT ON COLUMN finmon.commitment_forecast.label IS 'The node''s own name.';
COMMENT ON COLUMN finmon.commitment_forecast.depth IS '0 for the total, 1 for a top-level heading, and so on.';
COMMENT ON COLUMN finmon.commitment_forecast.is_leaf IS 'Whether the node is a leaf line (its packages'' own figures).';
COMMENT ON COLUMN finmon.commitment_forecast.packages IS 'Packages in place on the period end (priced periods active that day).';
COMMENT ON COLUMN finmon.commitment_forecast.weekly_cost IS 'Their weekly cost on the period end, pounds.';
COMMENT ON COLUMN finmon.commitment_forecast.cost_to_date IS 'What the packages cost from 1 April to the period end (finmon.package_cost), pounds.';
COMMENT ON COLUMN finmon.commitment_forecast.actual_to_date IS 'Spend from April to the period end as revenue_report gives it (finmon_data.actuals at a period with actuals, else the ledger); NULL when neither is loaded, and then cost_to_date stands in for it.';
COMMENT ON COLUMN finmon.commitment_forecast.committed_cost IS 'What the packages in place on the period end cost from the next day to 31 March, to their end dates: their priced periods running on without a break (an agreed price change included; a package starting again after a break, or starting later, is the demand allowance''s), pounds; 0 at period 12.';
COMMENT ON COLUMN finmon.commitment_forecast.demand_basis IS 'How the demand allowance was made: trend (the last 13 weeks), override (finmon_data.demand_allowance), none (the council''s setting demand_allowance = none), or mixed (a total over lines made differently).';
COMMENT ON COLUMN finmon.commitment_forecast.weekly_growth IS 'The weekly cost added each week: for trend, the change in the weekly cost of the packages in place over the 13 weeks to the period end (starts and price changes less ends) / 13; for override, the line''s own; pounds.';
COMMENT ON COLUMN finmon.commitment_forecast.demand_allowance IS 'The cost to 31 March of weekly_growth each week, each week''s added from the day after: weekly_growth x D x (D + 1) / 98 for the D days left, computed from the exact growth and rounded once to the penny; a falling allowance at most the committed cost (it may stop the commitments, not reverse them); pounds.';
COMMENT ON COLUMN finmon.commitment_forecast.commitment_forecast IS 'Spend to date (actual_to_date, else cost_to_date) + committed_cost + demand_allowance, pounds.';
COMMENT ON COLUMN finmon.commitment_forecast.forecast_outturn IS 'The forecast outturn loaded for the same lines (revenue.csv); NULL when a line below has none.';
COMMENT ON COLUMN finmon.commitment_forecast.difference IS 'commitment_forecast - forecast_outturn: positive where the packages point to more spend than the loaded forecast.';
COMMENT ON COLUMN finmon.commitment_forecast.row_order IS 'Outline order within the period, as revenue_report''s.';

-- Adopting the commitment forecast as the period's forecast, through the write path: a revenue
-- load of the lines' budgets as loaded and their commitment forecasts (audited, refused for a
-- closed period like any load).  It runs as finmon_guard (privileges.sql), like delete_figures.
CREATE FUNCTION finmon.adopt_commitment_forecast(council text, financial_year text, period integer) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    chosen text;
    lines bigint;
BEGIN
    -- (it runs as finmon_guard, which writes the load; the role calling it is the one checked
    -- and logged, as for a load of its own)
    IF NOT pg_has_role(finmon.acting_role(), 'finmon_editor', 'USAGE') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'adopt_commitment_forecast: adopting a forecast needs finmon_editor';
    END IF;
    PERFORM finmon_data.require_read_committed('adopt_commitment_forecast');
    PERFORM finmon_data.require_year_and_period(financial_year, period);
    chosen := finmon_data.council_to_change(council, 'adopt_commitment_forecast');
    -- (the council's write lock first, so that the lines counted are the lines loaded)
    PERFORM finmon_data.lock_councils(ARRAY[chosen]);
    SELECT count(*) INTO lines FROM finmon.commitment_forecast c
     WHERE c.council = chosen AND c.financial_year = btrim(adopt_commitment_forecast.financial_year)
       AND c.period = adopt_commitment_forecast.period AND c.is_leaf;
    IF lines = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002',
            MESSAGE = format('adopt_commitment_forecast: council %s has no line with packages and revenue figures at %s period %s',
                             chosen, btrim(financial_year), period),
            HINT = 'Load the period''s revenue.csv and the packages (packages.csv) first.';
    END IF;
    INSERT INTO finmon.revenue_import (council, financial_year, period, line, budget, forecast_outturn)
    SELECT r.council, r.financial_year, r.period::text, r.line, r.budget::text, c.commitment_forecast::text
      FROM finmon.commitment_forecast c
      JOIN finmon_data.revenue r
        ON r.council = c.council AND r.financial_year = c.financial_year AND r.period = c.period AND r.analysis = ''
       AND r.line = c.path
     WHERE c.council = chosen AND c.financial_year = btrim(adopt_commitment_forecast.financial_year)
       AND c.period = adopt_commitment_forecast.period AND c.is_leaf
     ORDER BY c.row_order;
    RETURN lines;
END;
$$;
COMMENT ON FUNCTION finmon.adopt_commitment_forecast(text, text, integer) IS
    'Writes the commitment forecast of each leaf line with packages as its forecast_outturn at the period, through the write path (a revenue load of those lines: audited, refused with 55000 for a closed period); the council as for loads (NULL: finmon.default_council()). Returns the leaf lines loaded (a line whose forecast is unchanged among them: the audit log has a row per line changed). Raises P0002 when the period has no such line. For finmon_editor.';

-- People supported ------------------------------------------------------------------------------

-- Each council's periods from the financial year of its first package to that of its latest
-- start (not its latest end: an end of 9999-12-31 would otherwise list eight thousand years);
-- the packages in place at each period end, and those starting and ending in the period.  A
-- client contribution (a negative weekly cost) is not a person supported.
CREATE VIEW finmon_data.package_activity_computed AS
WITH bounds AS (
    SELECT k.council, min(k.starts) AS first_day, max(k.starts) AS last_day
      FROM finmon_data.packages k
     GROUP BY k.council
),
periods AS (
    SELECT b.council, y.financial_year, p.period, finmon.period_start(y.financial_year, p.period) AS period_start,
           finmon.period_end(y.financial_year, p.period) AS period_end
      FROM bounds b
     CROSS JOIN LATERAL pg_catalog.generate_series(
               pg_catalog.date_part('year', finmon.financial_year_start(finmon.financial_year_of(b.first_day)))::integer,
               pg_catalog.date_part('year', finmon.financial_year_start(finmon.financial_year_of(b.last_day)))::integer) AS s(year)
     CROSS JOIN LATERAL (SELECT finmon.financial_year_of(pg_catalog.make_date(s.year, 4, 1)) AS financial_year) AS y
     CROSS JOIN pg_catalog.generate_series(1, 12) AS p(period)
),
events AS (
    -- in place on the period end
    SELECT p.council, p.financial_year, p.period, p.period_end, k.client_group, k.service,
           1 AS people, k.weekly_cost, 0 AS starts, 0 AS ends
      FROM periods p
      JOIN finmon_data.packages k
        ON k.council = p.council AND k.starts <= p.period_end AND (k.ends IS NULL OR k.ends >= p.period_end)
     WHERE k.weekly_cost >= 0
    UNION ALL
    -- a package's first priced period starting in the period, or its last ending in it
    SELECT p.council, p.financial_year, p.period, p.period_end, k.client_group, k.service, 0, 0,
           CASE WHEN k.starts >= p.period_start AND k.starts <= p.period_end
                 AND NOT EXISTS (SELECT FROM finmon_data.packages e
                                  WHERE e.council = k.council AND e.package = k.package AND e.starts < k.starts) THEN 1 ELSE 0 END,
           CASE WHEN k.ends >= p.period_start AND k.ends <= p.period_end
                 AND NOT EXISTS (SELECT FROM finmon_data.packages e
                                  WHERE e.council = k.council AND e.package = k.package AND e.starts > k.starts) THEN 1 ELSE 0 END
      FROM periods p
      JOIN finmon_data.packages k
        ON k.council = p.council AND k.weekly_cost >= 0
       AND (k.starts >= p.period_start AND k.starts <= p.period_end OR k.ends >= p.period_start AND k.ends <= p.period_end)
)
SELECT e.council, e.financial_year, e.period, e.period_end, e.client_group, e.service,
       sum(e.people)::bigint AS people, sum(e.weekly_cost) AS weekly_cost,
       round(sum(e.weekly_cost) / NULLIF(sum(e.people), 0), 2) AS average_weekly_cost,
       sum(e.starts)::bigint AS starts, sum(e.ends)::bigint AS ends
  FROM events e
 GROUP BY e.council, e.financial_year, e.period, e.period_end, e.client_group, e.service
HAVING sum(e.people) + sum(e.starts) + sum(e.ends) > 0;
COMMENT ON VIEW finmon_data.package_activity_computed IS
    'finmon.package_activity before small-number suppression: not for publication (editors may read it, readers may not).';
COMMENT ON COLUMN finmon_data.package_activity_computed.council IS 'The council.';
COMMENT ON COLUMN finmon_data.package_activity_computed.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.package_activity_computed.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon_data.package_activity_computed.period_end IS 'The period''s last day.';
COMMENT ON COLUMN finmon_data.package_activity_computed.client_group IS 'The client group (of the priced period in place, starting or ending).';
COMMENT ON COLUMN finmon_data.package_activity_computed.service IS 'The service.';
COMMENT ON COLUMN finmon_data.package_activity_computed.people IS 'Packages in place on the period end.';
COMMENT ON COLUMN finmon_data.package_activity_computed.weekly_cost IS 'Their weekly cost that day, pounds.';
COMMENT ON COLUMN finmon_data.package_activity_computed.average_weekly_cost IS 'weekly_cost / people, rounded to the penny; NULL with no one in place.';
COMMENT ON COLUMN finmon_data.package_activity_computed.starts IS 'Packages whose first priced period starts in the period.';
COMMENT ON COLUMN finmon_data.package_activity_computed.ends IS 'Packages whose last priced period ends in the period.';

-- What readers read: a count below the council's small_number_threshold (default 5) is not
-- published, nor, with fewer people than that, their weekly cost and its average (one person's
-- care cost).
CREATE VIEW finmon.package_activity AS
SELECT a.council, a.financial_year, a.period, a.period_end, a.client_group, a.service,
       CASE WHEN a.people >= th.t THEN a.people END AS people,
       CASE WHEN a.people >= th.t THEN a.weekly_cost END AS weekly_cost,
       CASE WHEN a.people >= th.t THEN a.average_weekly_cost END AS average_weekly_cost,
       CASE WHEN a.starts >= th.t THEN a.starts END AS starts,
       CASE WHEN a.ends >= th.t THEN a.ends END AS ends
  FROM finmon_data.package_activity_computed a
  -- each council's threshold, read once per council, not per row
  JOIN (SELECT c.council, finmon.small_number_threshold(c.council) AS t FROM finmon.council c OFFSET 0) th ON th.council = a.council;
COMMENT ON VIEW finmon.package_activity IS
    'People supported with purchased care and their unit costs, per council, financial year, period, client group and service (the papers'' "people supported" tables): packages in place at the period end, their weekly cost and its average, and packages starting and ending in the period. A package counts as one person (the file names packages, not people); client contributions are left out. A count below the council''s small_number_threshold (default 5) is suppressed (NULL), and so, below it, are the people''s weekly cost and average. The periods of every financial year from the council''s first package''s to its latest start''s with anyone in place, starting or ending.';
COMMENT ON COLUMN finmon.package_activity.council IS 'The council.';
COMMENT ON COLUMN finmon.package_activity.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.package_activity.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.package_activity.period_end IS 'The period''s last day.';
COMMENT ON COLUMN finmon.package_activity.client_group IS 'The client group (of the priced period in place, starting or ending).';
COMMENT ON COLUMN finmon.package_activity.service IS 'The service.';
COMMENT ON COLUMN finmon.package_activity.people IS 'Packages in place on the period end; NULL (suppressed) below the small-number threshold.';
COMMENT ON COLUMN finmon.package_activity.weekly_cost IS 'Their weekly cost that day, pounds; NULL when people is suppressed.';
COMMENT ON COLUMN finmon.package_activity.average_weekly_cost IS 'weekly_cost / people, rounded to the penny; NULL with no one in place, or when people is suppressed.';
COMMENT ON COLUMN finmon.package_activity.starts IS 'Packages whose first priced period starts in the period; NULL (suppressed) below the small-number threshold.';
COMMENT ON COLUMN finmon.package_activity.ends IS 'Packages whose last priced period ends in the period; NULL (suppressed) below the small-number threshold.';
