#!/bin/bash
# bench/commitment.sh: finmon.commitment_forecast (care packages' commitments: cost to date,
# cost committed to 31 March by the packages in place at the period end, demand allowance, up
# the hierarchy) for every line at one period, against the same table computed in plain SQL
# date arithmetic, measured side by side in one run, single worker (target: finmon at least 2x
# faster).  Also the aggregation alone: finmon.commitment_agg over every priced period with
# the view's four windows against the same four windows in plain SQL.  One council (B0001):
# 37 leaf lines ('Purchase of Care > <client group> > <service>', an income line for client
# contributions and a staffing line without packages) with revenue figures for 2022-23,
# 2023-24 and 2024-25 (to the measured period) and actuals at the measured period, loaded
# through the import views; BENCH_PACKAGES care packages (default 20,000) of 1 to 9 priced
# periods each, starting April 2021 to March 2025 (about 100,000 rows at the default), loaded
# through finmon.packages_import.  Run in a throwaway cluster where finmon is installed:
#     make && make install && pg_virtualenv -t -v 15 ./bench/commitment.sh
# BENCH_PACKAGES (default 20000), BENCH_PERIOD (default 6, of 2024-25), BENCH_ACTUALS (default
# 1: actuals loaded at the measured period; 0: none, so the packages' cost to date stands in),
# BENCH_REPEAT (default 5) interleaved rounds after a warm-up, medians reported; BENCH_EXPLAIN=1
# also prints EXPLAIN ANALYZE of the four queries.  Scratch files go in BENCH_WORKDIR (default
# /tmp/commitmentbench).  Checks first that finmon's rows equal the plain SQL's, both ways,
# every column, with the same declared types, and stops with an error if not.  Not a test:
# nothing here asserts a timing.
set -euo pipefail

packages=${BENCH_PACKAGES:-20000}
period=${BENCH_PERIOD:-6}
actuals=${BENCH_ACTUALS:-1}
repeat=${BENCH_REPEAT:-5}
explain=${BENCH_EXPLAIN:-0}
workdir=${BENCH_WORKDIR:-/tmp/commitmentbench}
db=finmon_bench_commitment
export PGDATABASE=$db
council=B0001
year=2024-25
year_first=2024   # the calendar year the measured financial year starts in

mkdir -p "$workdir"
. "$(dirname "$0")/lib.sh"
packages_csv=$workdir/packages_$$.csv
trap 'rm -f "$packages_csv"' EXIT

dropdb --if-exists $db >/dev/null 2>&1 || true
createdb $db
echo "Setting up: council $council, 37 leaf lines with revenue figures, $packages care packages..."
psql -X -q -v ON_ERROR_STOP=1 -v council="$council" -v packages="$packages" -v period="$period" <<'SQL'
CREATE EXTENSION finmon;
INSERT INTO finmon.council_import VALUES (:'council', 'Bench council');
SELECT setseed(0.42) \g /dev/null
-- The leaf lines: 5 client groups x 7 services, each with a typical weekly cost; the income line
-- the client contributions fall on; a staffing line with figures but no packages.
CREATE TABLE bench_line AS
SELECT g.k AS g, s.k AS s, g.name AS client_group, s.name AS service,
       format('Purchase of Care > %s > %s', g.name, s.name) AS line, s.weekly
  FROM (VALUES (1, 'Older People'), (2, 'Learning Disabilities'), (3, 'Physical Disabilities'), (4, 'Mental Health'),
               (5, 'Autism')) AS g(k, name),
       (VALUES (1, 'Residential', 850), (2, 'Nursing', 1050), (3, 'Home Support', 320), (4, 'Direct Payments', 380),
               (5, 'Day Care', 160), (6, 'Supported Living', 1250), (7, 'Shared Lives', 520)) AS s(k, name, weekly);
CREATE TABLE bench_leaf AS
SELECT line, round((weekly * (150 + random() * 250) * 52)::numeric, -3) AS budget FROM bench_line
UNION ALL SELECT 'Purchase of Care > Income > Client Contributions', -round((4000000 + random() * 2000000)::numeric, -3)
UNION ALL SELECT 'Care Management > Staffing', 2500000;
-- Revenue figures: every period of 2022-23 and 2023-24, 2024-25 to the measured period.
INSERT INTO finmon.revenue_import (council, financial_year, period, line, budget, forecast_outturn)
SELECT :'council', format('%s-%s', y, to_char((y + 1) % 100, 'FM00')), p::text, l.line, l.budget::text,
       round(l.budget * (0.96 + random() * 0.1)::numeric, 2)::text
  FROM generate_series(2022, 2024) AS y, generate_series(1, 12) AS p, bench_leaf l
 WHERE y < 2024 OR p <= :period
 ORDER BY y, p, l.line;
-- The packages: a client group, a service (weighted to the commoner), 1 to 9 priced periods (5.6
-- on average) of 1 to 18 weeks each, the first starting between April 2021 and January 2025
-- (periods starting after March 2025 are not in the file); the last open-ended for half of them;
-- one in ten moves to another service (another line) half-way; 15% are a client's contribution
-- to care, negative, on the income line.  Between periods, one time in ten, a gap
-- of up to 30 days (a hospital stay): a package in a gap at the period end is not in place.
CREATE TABLE bench_package AS
SELECT i, format('P%s', to_char(i, 'FM0000000')) AS package,
       random() < 0.15 AS contribution,
       1 + floor(random() * 5)::int AS g,
       (ARRAY[1, 1, 2, 3, 3, 3, 4, 4, 5, 6, 7])[1 + floor(random() * 11)::int] AS s,
       1 + floor(random() ^ 0.75 * 9)::int AS n,
       date '2021-04-01' + floor(random() * 1400)::int AS first_start,
       random() < 0.5 AS open_ended,
       random() < 0.1 AS moves,
       1 + floor(random() * 7)::int AS s2,
       random() AS price
  FROM generate_series(1, :packages) AS i;
CREATE TABLE bench_period AS
SELECT p.i, j, 7 + floor(random() * 120)::int AS len,
       CASE WHEN j > 1 AND random() < 0.1 THEN 1 + floor(random() * 30)::int ELSE 0 END AS gap,
       CASE WHEN j = 1 THEN 1 ELSE 0.95 + random() * 0.12 END AS change
  FROM bench_package p CROSS JOIN LATERAL generate_series(1, p.n) AS j;
CREATE TABLE bench_row AS
SELECT x.package, g.client_group,
       CASE WHEN x.contribution THEN 'Client Contribution' ELSE l.service END AS service,
       CASE WHEN x.contribution THEN 'Purchase of Care > Income > Client Contributions' ELSE l.line END AS line,
       CASE WHEN x.contribution THEN -round(((15 + x.price * 200) * x.factor)::numeric, 2)
            ELSE round((l.weekly * (0.7 + x.price * 0.6) * x.factor)::numeric, 2) END AS weekly_cost,
       x.starts,
       CASE WHEN x.j = x.n AND x.open_ended THEN NULL ELSE x.starts + x.len - 1 END AS ends
  FROM (SELECT p.*, q.j, q.len,
               p.first_start + (sum(q.len + q.gap) OVER w - q.len)::int AS starts,
               exp(sum(ln(q.change)) OVER w) AS factor
          FROM bench_period q JOIN bench_package p USING (i)
        WINDOW w AS (PARTITION BY q.i ORDER BY q.j)) AS x
  JOIN bench_line l ON l.g = x.g AND l.s = CASE WHEN x.moves AND x.j > (x.n + 1) / 2 THEN x.s2 ELSE x.s END
  JOIN (SELECT DISTINCT g, client_group FROM bench_line) g ON g.g = x.g
 WHERE x.starts <= date '2025-03-31';
SQL

# The packages file, as the social care system exports it, loaded through the write path.
psql -X -q -v ON_ERROR_STOP=1 -c "\\copy (SELECT '$council' AS council, package, client_group, service, line, weekly_cost::text AS weekly_cost, to_char(starts, 'YYYY-MM-DD') AS starts, to_char(ends, 'YYYY-MM-DD') AS ends FROM bench_row ORDER BY package, starts) TO '$packages_csv' WITH (FORMAT csv, HEADER)"
load=$(psql -X -q -At -v ON_ERROR_STOP=1 <<SQL
SELECT clock_timestamp() AS t0 \gset
\\copy finmon.packages_import FROM '$packages_csv' WITH (FORMAT csv, HEADER)
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000;
SQL
)
# Actuals to date at the measured period for every leaf line (near what the packages cost to
# date on their lines), through actuals_import.
if [ "$actuals" = 1 ]; then
    psql -X -q -v ON_ERROR_STOP=1 -v council="$council" -v year="$year" -v period="$period" <<SQL
SELECT setseed(0.24) \g /dev/null
INSERT INTO finmon.actuals_import (council, financial_year, period, line, actual_to_date)
SELECT :'council', :'year', :'period', l.line,
       COALESCE(round(c.cost * (0.97 + random() * 0.06)::numeric, 2), round(l.budget * :period / 12, 2))::text
  FROM bench_leaf l
  LEFT JOIN (SELECT k.line, sum(k.weekly_cost * (LEAST(k.ends, make_date($year_first, 4, 1) + make_interval(months => :period) - interval '1 day')::date
                                                 - GREATEST(k.starts, make_date($year_first, 4, 1)) + 1) / 7) AS cost
               FROM bench_row k
              WHERE k.starts < make_date($year_first, 4, 1) + make_interval(months => :period)
                AND (k.ends IS NULL OR k.ends >= make_date($year_first, 4, 1))
              GROUP BY k.line) c ON c.line = l.line
 ORDER BY l.line;
SQL
fi
psql -X -q -v ON_ERROR_STOP=1 -c "VACUUM ANALYZE finmon_data.packages, finmon_data.revenue, finmon_data.revenue_node, finmon_data.actuals, finmon_data.demand_allowance, finmon.setting"

# finmon: the view readers read, one council, year and period (its money numeric(18,2)); its
# full-digit form, finmon_data.commitment_forecast, is compared with the plain SQL's full digits.
finmon_query="SELECT * FROM finmon.commitment_forecast WHERE council = '$council' AND financial_year = '$year' AND period = $period"
finmon_full="SELECT * FROM finmon_data.commitment_forecast WHERE council = '$council' AND financial_year = '$year' AND period = $period"

# Plain SQL: the same table without any finmon function or aggregate.  The period's dates by
# date arithmetic (in a CTE not materialised, so that they fold to constants); one pass over the council's priced periods that can touch the year or the
# 13 weeks before the period end, each window an aggregate with a FILTER: a row's cost over a
# window is round(weekly_cost x days / 7, 2), days = LEAST(its end, the window's end) -
# GREATEST(its start, the window's start) + 1.  A priced period is committed when its unbroken
# run of the package's priced periods (on any line) began by the period end: the runs found
# with two window functions over the council's rows (lag, then a running max), joined once.
# (finmon keeps each row's run_start at load time; plain_stored below reads it instead.)  The
# spend to date from finmon_data.revenue_to_date as the view takes it; the demand allowance
# from the same override table and setting, else the trend, round(N x D x (D + 1) / 1274, 2),
# a falling one held at minus the committed cost;
# the totals up the hierarchy through finmon_data.revenue_node's ancestors.
plain_sql() { # $1 runs: computed (from the priced periods) or stored (finmon's run_start)
if [ "$1" = computed ]; then
    runs_cte="runs AS (
    SELECT r.package, r.starts, max(CASE WHEN r.breaks THEN r.starts END) OVER (PARTITION BY r.package ORDER BY r.starts) AS run_start
      FROM (SELECT k.package, k.starts,
                   lag(k.ends) OVER (PARTITION BY k.package ORDER BY k.starts) IS DISTINCT FROM k.starts - 1 AS breaks
              FROM w JOIN finmon_data.packages k ON k.council = w.council) r
),"
    runs_join="LEFT JOIN runs u ON u.package = k.package AND u.starts = k.starts"
    committed_rule="u.run_start <= w.period_end"
else
    runs_cte=""
    runs_join=""
    committed_rule="COALESCE(k.run_start, k.starts) <= w.period_end"
fi
cat <<PLAIN
WITH w AS NOT MATERIALIZED (
    SELECT c.council, c.financial_year, c.period, c.year_start, c.year_end,
           (c.year_start + make_interval(months => c.period) - interval '1 day')::date AS period_end,
           EXISTS (SELECT FROM finmon.setting s WHERE s.council = c.council AND s.name = 'demand_allowance' AND s.value = 'none')
               AS allowance_none
      FROM (SELECT '$council'::text AS council, '$year'::text AS financial_year, $period AS period,
                   make_date($year_first, 4, 1) AS year_start, make_date($year_first + 1, 3, 31) AS year_end) AS c
),
$runs_cte
lines AS (
    SELECT k.line,
           COALESCE(sum(round(k.weekly_cost * (LEAST(k.ends, w.period_end) - GREATEST(k.starts, w.year_start) + 1) / 7, 2))
                        FILTER (WHERE k.starts <= w.period_end AND (k.ends IS NULL OR k.ends >= w.year_start)), 0.00) AS cost_to_date,
           COALESCE(sum(round(k.weekly_cost * (LEAST(k.ends, w.year_end) - GREATEST(k.starts, w.period_end + 1) + 1) / 7, 2))
                        FILTER (WHERE w.period < 12 AND $committed_rule AND (k.ends IS NULL OR k.ends > w.period_end)), 0.00)
               AS committed_cost,
           count(*) FILTER (WHERE k.starts <= w.period_end AND (k.ends IS NULL OR k.ends >= w.period_end)) AS packages,
           COALESCE(sum(k.weekly_cost) FILTER (WHERE k.starts <= w.period_end AND (k.ends IS NULL OR k.ends >= w.period_end)), 0.00)
               AS weekly_cost,
           COALESCE(sum(k.weekly_cost) FILTER (WHERE k.starts <= w.period_end - 91 AND (k.ends IS NULL OR k.ends >= w.period_end - 91)), 0.00)
               AS weekly_cost_before
      FROM w
      JOIN finmon_data.packages k
        ON k.council = w.council AND k.starts <= w.year_end AND (k.ends IS NULL OR k.ends >= LEAST(w.year_start, w.period_end - 91))
      $runs_join
     GROUP BY k.line
),
leaf AS (
    SELECT w.council, w.financial_year, w.period, w.period_end, r.line, r.forecast_outturn,
           l.packages, l.weekly_cost, l.cost_to_date, t.actual_to_date, l.committed_cost,
           d.basis, d.weekly_growth, d.allowance,
           COALESCE(t.actual_to_date, l.cost_to_date) + l.committed_cost + d.allowance AS commitment_forecast
      FROM w
      JOIN finmon_data.revenue r
        ON r.council = w.council AND r.analysis = '' AND r.financial_year = w.financial_year AND r.period = w.period
      JOIN lines l ON l.line = r.line
      LEFT JOIN finmon_data.revenue_to_date t
             ON t.council = w.council AND t.financial_year = w.financial_year AND t.period = w.period AND t.path = r.line
      LEFT JOIN finmon_data.demand_allowance o
             ON o.council = w.council AND o.financial_year = w.financial_year AND o.line = r.line
     CROSS JOIN LATERAL (SELECT (w.year_end - w.period_end)::numeric AS days,
                                l.weekly_cost - l.weekly_cost_before AS growth,
                                CASE WHEN o.line IS NOT NULL THEN 'override' WHEN w.allowance_none THEN 'none' ELSE 'trend' END AS basis) g
     CROSS JOIN LATERAL (SELECT g.basis,
                                CASE g.basis WHEN 'override' THEN o.weekly_growth WHEN 'none' THEN 0 ELSE g.growth / 13 END AS weekly_growth,
                                CASE g.basis WHEN 'override' THEN round(o.weekly_growth * g.days * (g.days + 1) / 98, 2)
                                             WHEN 'none' THEN 0.00
                                             ELSE round(g.growth * g.days * (g.days + 1) / 1274, 2) END AS projected) e
     -- a falling allowance held at minus the committed cost (on a line of income, the other way)
     CROSS JOIN LATERAL (SELECT e.basis, e.weekly_growth,
                                CASE WHEN COALESCE(NULLIF(l.weekly_cost, 0), l.weekly_cost_before) > 0
                                     THEN GREATEST(e.projected, -l.committed_cost)
                                     WHEN COALESCE(NULLIF(l.weekly_cost, 0), l.weekly_cost_before) < 0
                                     THEN LEAST(e.projected, -l.committed_cost)
                                     ELSE e.projected END AS allowance) d
)
SELECT f.council, f.financial_year, f.period, min(f.period_end) AS period_end, a.path, a.label, a.depth,
       bool_or(a.path = f.line) AS is_leaf,
       sum(f.packages)::bigint AS packages, sum(f.weekly_cost) AS weekly_cost,
       sum(f.cost_to_date) AS cost_to_date, sum(f.actual_to_date) AS actual_to_date, sum(f.committed_cost) AS committed_cost,
       CASE WHEN min(f.basis) = max(f.basis) THEN min(f.basis) ELSE 'mixed' END AS demand_basis,
       sum(f.weekly_growth) AS weekly_growth, sum(f.allowance) AS demand_allowance,
       sum(f.commitment_forecast) AS commitment_forecast,
       CASE WHEN bool_and(f.forecast_outturn IS NOT NULL) THEN sum(f.forecast_outturn) END AS forecast_outturn,
       sum(f.commitment_forecast) - CASE WHEN bool_and(f.forecast_outturn IS NOT NULL) THEN sum(f.forecast_outturn) END AS difference,
       row_number() OVER (PARTITION BY f.council, f.financial_year, f.period ORDER BY a.sort_key) AS row_order
  FROM leaf f
  JOIN finmon_data.revenue_node n ON n.council = f.council AND n.analysis = '' AND n.path = f.line
 CROSS JOIN LATERAL unnest(n.ancestors) AS u(path)
  JOIN finmon_data.revenue_node a ON a.council = n.council AND a.analysis = '' AND a.path = u.path
 GROUP BY f.council, f.financial_year, f.period, a.path, a.label, a.depth, a.sort_key
PLAIN
}
plain_full=$(plain_sql computed)
plain_stored_full=$(plain_sql stored)
# ... and as finmon.commitment_forecast declares it, money numeric(18,2).
declared_list="SELECT x.council, x.financial_year, x.period, x.period_end, x.path, x.label, x.depth, x.is_leaf, x.packages,
       x.weekly_cost::numeric(18,2) AS weekly_cost, x.cost_to_date::numeric(18,2) AS cost_to_date,
       x.actual_to_date::numeric(18,2) AS actual_to_date, x.committed_cost::numeric(18,2) AS committed_cost, x.demand_basis,
       x.weekly_growth::numeric(18,2) AS weekly_growth, x.demand_allowance::numeric(18,2) AS demand_allowance,
       x.commitment_forecast::numeric(18,2) AS commitment_forecast, x.forecast_outturn::numeric(18,2) AS forecast_outturn,
       x.difference::numeric(18,2) AS difference, x.row_order"
plain_query="$declared_list FROM ($plain_full) AS x"
plain_stored="$declared_list FROM ($plain_stored_full) AS x"

# The aggregation alone, over every priced period of the table, by line: the view's four windows
# for the measured period (1 April to the period end, the day after it to 31 March, the period
# end, 91 days before it), commitment_agg against FILTERed sums and counts.
read -r year_start period_end after_end year_end before_day < <(psql -X -q -At -F' ' -c "SELECT d, e, e + 1, make_date($year_first + 1, 3, 31), e - 91 FROM (SELECT make_date($year_first, 4, 1) AS d, (make_date($year_first, 4, 1) + make_interval(months => $period) - interval '1 day')::date AS e) x")
[ "$period" -lt 12 ] || after_end=$year_end   # (no window after period 12: the day after is 1 April; measure 31 March alone)
agg_query="SELECT k.line,
       finmon.commitment_agg(k.weekly_cost, k.starts, k.ends, '$year_start', '$period_end') AS to_date,
       finmon.commitment_agg(k.weekly_cost, k.starts, k.ends, '$after_end', '$year_end') AS committed,
       finmon.commitment_agg(k.weekly_cost, k.starts, k.ends, '$period_end', '$period_end') AS at_end,
       finmon.commitment_agg(k.weekly_cost, k.starts, k.ends, '$before_day', '$before_day') AS before
  FROM finmon_data.packages k GROUP BY k.line"
plain_window() { # $1 window start, $2 window end: cost, rows active, weekly cost at the end
    echo "COALESCE(sum(round(k.weekly_cost * (LEAST(k.ends, date '$2') - GREATEST(k.starts, date '$1') + 1) / 7, 2))
                        FILTER (WHERE k.starts <= '$2' AND (k.ends IS NULL OR k.ends >= '$1')), 0),
       count(*) FILTER (WHERE k.starts <= '$2' AND (k.ends IS NULL OR k.ends >= '$1')),
       COALESCE(sum(k.weekly_cost) FILTER (WHERE k.starts <= '$2' AND (k.ends IS NULL OR k.ends >= '$2')), 0)"
}
agg_plain="SELECT k.line,
       $(plain_window "$year_start" "$period_end"),
       $(plain_window "$after_end" "$year_end"),
       $(plain_window "$period_end" "$period_end"),
       $(plain_window "$before_day" "$before_day")
  FROM finmon_data.packages k GROUP BY k.line"

psql -X -q -v ON_ERROR_STOP=1 -v repeat="$repeat" <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TEMP TABLE timing (k int, round int, ms double precision);
$time_ms_sql
CREATE TEMP TABLE query (k int, query text, sql text);
INSERT INTO query VALUES
    (1, 'finmon.commitment_forecast, $council $year period $period', \$q\$$finmon_query\$q\$),
    (2, 'the same in plain SQL date arithmetic', \$q\$$plain_query\$q\$),
    (3, 'finmon.commitment_agg alone: every row, 4 windows, GROUP BY line', \$q\$$agg_query\$q\$),
    (4, 'the same 4 windows in plain SQL (FILTERed sums and counts)', \$q\$$agg_plain\$q\$),
    (5, 'plain SQL as 2, reading finmon''s stored run_start', \$q\$$plain_stored\$q\$);

-- Correct first.  (1) The full digits: finmon_data.commitment_forecast against the plain SQL
-- before its casts, every column, EXCEPT ALL both ways; (2) what is timed: finmon's view and
-- the plain query, the same both ways and with the same declared types (as temporary views);
-- (3) the aggregation: commitment_agg's three fields in each window against the plain SQL's, by
-- line.  Stops with an error if any differ.
CREATE TEMP VIEW finmon_full AS $finmon_full;
CREATE TEMP VIEW plain_full AS $plain_full;
CREATE TEMP VIEW finmon_timed AS $finmon_query;
CREATE TEMP VIEW plain_timed AS $plain_query;
CREATE TEMP VIEW plain_stored_timed AS $plain_stored;
CREATE TEMP TABLE checked (k int, what text, value text);
DO \$\$
DECLARE
    n bigint;
    differ bigint;
    types_finmon text;
    types_plain text;
BEGIN
    SELECT count(*) INTO n FROM finmon_full;
    -- (each row as text: every column, and the scale of every amount)
    SELECT count(*) INTO differ FROM ((SELECT f::text FROM finmon_full f EXCEPT ALL SELECT p::text FROM plain_full p)
                                      UNION ALL (SELECT p::text FROM plain_full p EXCEPT ALL SELECT f::text FROM finmon_full f)) AS d;
    IF differ <> 0 OR n = 0 THEN
        RAISE EXCEPTION 'finmon_data.commitment_forecast (% rows) differs from the plain SQL in % rows', n, differ;
    END IF;
    INSERT INTO checked VALUES (1, 'checked', format('finmon_data.commitment_forecast, full digits: %s rows (%s leaf lines), identical to the plain SQL''s as text (every column, scale included), both ways',
                                                   n, (SELECT count(*) FROM finmon_full WHERE is_leaf)));
    SELECT count(*) INTO n FROM finmon_timed;
    SELECT count(*) INTO differ FROM ((TABLE finmon_timed EXCEPT ALL TABLE plain_timed)
                                      UNION ALL (TABLE plain_timed EXCEPT ALL TABLE finmon_timed)) AS d;
    IF differ <> 0 THEN
        RAISE EXCEPTION 'finmon.commitment_forecast (% rows) differs from the plain SQL in % rows', n, differ;
    END IF;
    SELECT count(*) INTO differ FROM ((TABLE finmon_timed EXCEPT ALL TABLE plain_stored_timed)
                                      UNION ALL (TABLE plain_stored_timed EXCEPT ALL TABLE finmon_timed)) AS d;
    IF differ <> 0 THEN
        RAISE EXCEPTION 'finmon.commitment_forecast (% rows) differs from the plain SQL reading run_start in % rows', n, differ;
    END IF;
    SELECT string_agg(format('%s %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum) INTO types_finmon
      FROM pg_attribute a WHERE a.attrelid = 'finmon_timed'::regclass AND a.attnum > 0;
    SELECT string_agg(format('%s %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum) INTO types_plain
      FROM pg_attribute a WHERE a.attrelid = 'plain_timed'::regclass AND a.attnum > 0;
    IF types_finmon <> types_plain THEN
        RAISE EXCEPTION 'declared types differ: finmon (%) and plain SQL (%)', types_finmon, types_plain;
    END IF;
    INSERT INTO checked VALUES (2, 'checked', format('finmon.commitment_forecast, as timed: %s rows, the plain SQL''s, both ways, declared types the same (money numeric(18,2))', n));
    SELECT count(*) INTO n FROM ($agg_query) AS a;
    SELECT count(*) INTO differ FROM (
        (SELECT line, (to_date).cost, (to_date).packages, (to_date).weekly_cost_at_end,
                (committed).cost, (committed).packages, (committed).weekly_cost_at_end,
                (at_end).cost, (at_end).packages, (at_end).weekly_cost_at_end,
                (before).cost, (before).packages, (before).weekly_cost_at_end
           FROM ($agg_query) AS a
         EXCEPT ALL SELECT * FROM ($agg_plain) AS p)
        UNION ALL
        (SELECT * FROM ($agg_plain) AS p
         EXCEPT ALL
         SELECT line, (to_date).cost, (to_date).packages, (to_date).weekly_cost_at_end,
                (committed).cost, (committed).packages, (committed).weekly_cost_at_end,
                (at_end).cost, (at_end).packages, (at_end).weekly_cost_at_end,
                (before).cost, (before).packages, (before).weekly_cost_at_end
           FROM ($agg_query) AS a)) AS d;
    IF differ <> 0 THEN
        RAISE EXCEPTION 'commitment_agg differs from the plain SQL in % of % lines', differ, n;
    END IF;
    INSERT INTO checked VALUES (3, 'checked', format('commitment_agg: its 3 fields in each of the 4 windows, %s lines, the plain SQL''s', n));
END;
\$\$;
$(rounds_sql q.k)

\pset footer off
SELECT 'data' AS item,
       format('council $council: %s leaf lines with revenue figures (%s revenue rows, 2022-23 to $year period $period); %s packages (%s client contributions on the income line), %s priced periods (%s to a package, %s open-ended, %s a package moving line), %s to %s',
              (SELECT count(DISTINCT line) FROM finmon_data.revenue), (SELECT count(*) FROM finmon_data.revenue),
              to_char((SELECT count(DISTINCT package) FROM finmon_data.packages), 'FM999,999,999'),
              to_char((SELECT count(DISTINCT package) FROM finmon_data.packages WHERE weekly_cost < 0), 'FM999,999,999'),
              to_char((SELECT count(*) FROM finmon_data.packages), 'FM999,999,999'),
              (SELECT min(n) || '-' || max(n) FROM (SELECT count(*) AS n FROM finmon_data.packages GROUP BY package) AS c),
              to_char((SELECT count(*) FROM finmon_data.packages WHERE ends IS NULL), 'FM999,999,999'),
              to_char((SELECT count(*) FROM (SELECT package FROM finmon_data.packages GROUP BY package HAVING count(DISTINCT line) > 1) AS m), 'FM999,999,999'),
              (SELECT min(starts) FROM finmon_data.packages), (SELECT max(COALESCE(ends, starts)) FROM finmon_data.packages)) AS value
UNION ALL SELECT 'load', format('\\copy finmon.packages_import, %s rows (%s): %s ms, %s rows/s (setting up; not compared with anything)',
                                to_char((SELECT count(*) FROM finmon_data.packages), 'FM999,999,999'),
                                pg_size_pretty($(stat -c %s "$packages_csv")::bigint), round($load::numeric, 1),
                                to_char((SELECT count(*) FROM finmon_data.packages) / ($load / 1000), 'FM999,999,999'))
UNION ALL SELECT 'measured', format('$year period $period (period end %s): %s packages in place (%s rows), %s of them with later rows; actuals %s',
                                    '$period_end',
                                    to_char((SELECT count(DISTINCT package) FROM finmon_data.packages WHERE starts <= '$period_end' AND (ends IS NULL OR ends >= '$period_end')), 'FM999,999,999'),
                                    to_char((SELECT count(*) FROM finmon_data.packages WHERE starts <= '$period_end' AND (ends IS NULL OR ends >= '$period_end')), 'FM999,999,999'),
                                    to_char((SELECT count(DISTINCT k.package) FROM finmon_data.packages k
                                      WHERE k.starts > '$period_end'
                                        AND EXISTS (SELECT FROM finmon_data.packages q WHERE q.package = k.package AND q.starts <= '$period_end'
                                                                                       AND (q.ends IS NULL OR q.ends >= '$period_end'))), 'FM999,999,999'),
                                    CASE WHEN $actuals = 1 THEN 'loaded at the period (actual_to_date from finmon_data.actuals)'
                                         ELSE 'none (cost_to_date stands in for actual_to_date)' END)
UNION ALL SELECT 'windows', '$year_start..$period_end (to date), $after_end..$year_end (committed), $period_end (in place), $before_day (91 days before)'
UNION ALL SELECT what, value FROM (SELECT * FROM checked ORDER BY k) AS c
UNION ALL SELECT 'tables', pg_size_pretty(pg_total_relation_size('finmon_data.packages')) || ' (finmon_data.packages, with indexes)'
UNION ALL SELECT 'settings', 'max_parallel_workers_per_gather = 0, jit = off, shared_buffers = ' || current_setting('shared_buffers')
                              || ', work_mem = ' || current_setting('work_mem')
UNION ALL SELECT 'repetitions', :'repeat' || ' (median reported), after one warm-up round'
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

WITH m AS (
    SELECT t.k, percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) AS ms, min(t.ms) AS lo, max(t.ms) AS hi
      FROM timing t GROUP BY t.k
), r AS (
    SELECT (SELECT ms FROM m WHERE k = 2) / (SELECT ms FROM m WHERE k = 1) AS view_ratio,
           (SELECT ms FROM m WHERE k = 4) / (SELECT ms FROM m WHERE k = 3) AS agg_ratio
)
SELECT q.query AS measurement, round(m.ms::numeric, 2) AS "median ms",
       round(m.lo::numeric, 1) || '-' || round(m.hi::numeric, 1) AS "rounds, min-max ms",
       CASE q.k WHEN 1 THEN '1 (the base)'
                WHEN 2 THEN format('plain / finmon = %s (target >= 2x: %s)', round(r.view_ratio::numeric, 2),
                                   CASE WHEN r.view_ratio >= 2 THEN 'met' ELSE 'MISSED' END)
                WHEN 3 THEN format('%s of the view''s time', round((m.ms / (SELECT ms FROM m WHERE k = 1))::numeric, 2))
                WHEN 5 THEN format('plain / finmon = %s', round((m.ms / (SELECT ms FROM m WHERE k = 1))::numeric, 2))
                ELSE format('plain / commitment_agg = %s', round(r.agg_ratio::numeric, 2)) END AS ratio
  FROM m JOIN query q USING (k) CROSS JOIN r ORDER BY q.k;
SQL
echo "finmon.commitment_forecast's rows were the plain SQL's (full digits and as declared, both ways); commitment_agg's fields were the plain SQL's in every window."

if [ "$explain" = 1 ]; then
    psql -X -q -v ON_ERROR_STOP=1 <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\echo 'EXPLAIN ANALYZE, finmon.commitment_forecast:'
EXPLAIN (ANALYZE, BUFFERS, COSTS off) $finmon_query;
\echo 'EXPLAIN ANALYZE, plain SQL:'
EXPLAIN (ANALYZE, BUFFERS, COSTS off) $plain_query;
\echo 'EXPLAIN ANALYZE, commitment_agg alone:'
EXPLAIN (ANALYZE, COSTS off) $agg_query;
\echo 'EXPLAIN ANALYZE, the same 4 windows in plain SQL:'
EXPLAIN (ANALYZE, COSTS off) $agg_plain;
SQL
fi
dropdb $db
