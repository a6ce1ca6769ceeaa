#!/bin/bash
# bench/reconciliation.sh: finmon.reconciliation checking a paper's printed figures against a
# year of data, single worker.  One council (B0001) of BENCH_LINES leaf lines (default 300, in areas of
# 30) with twelve periods of one year and last year's outturn, 100 savings, 50 reserves, 40
# capital schemes and 20 grant schemes; a paper of BENCH_FIGURES printed figures (default
# 500) drawn from what finmon computes at period 6, rounded to £0.001m or 0.01% as a paper
# prints them, with one in twenty changed by a unit of the last place.  Times, side by side in
# one run: the reconciliation (every verdict), finmon.report_figures (every figure of every
# period, which the reconciliation computes), and count(*) over the printed figures (the
# scan floor).  Run in a throwaway cluster where finmon is installed:
#     make && make install && pg_virtualenv -t -v 15 ./bench/reconciliation.sh
# BENCH_REPEAT (default 5) rounds, interleaved, medians reported.  Not a test: nothing here
# asserts a timing.
set -euo pipefail

lines=${BENCH_LINES:-300}
figures=${BENCH_FIGURES:-500}
repeat=${BENCH_REPEAT:-5}
db=finmon_bench_reconciliation
export PGDATABASE=$db
council=B0001

. "$(dirname "$0")/lib.sh"

dropdb --if-exists $db >/dev/null 2>&1 || true
createdb $db
psql -X -q -v ON_ERROR_STOP=1 -v lines="$lines" -v figures="$figures" -v council="$council" <<'SQL'
CREATE EXTENSION finmon;
SELECT clock_timestamp() AS t0 \gset
INSERT INTO finmon.council_import VALUES (:'council', 'Bench council');
SELECT setseed(0.7) \g /dev/null
-- Leaf lines 'Area NN > Line NNN', 2024-25 periods 1 to 12 and 2023-24 period 12, in pounds.
CREATE TEMP TABLE line AS
SELECT format('Area %s > Line %s', to_char((l - 1) / 30 + 1, 'FM00'), to_char(l, 'FM000')) AS line,
       round(50000 + random() * 5000000) AS budget
  FROM generate_series(1, :lines) AS l;
INSERT INTO finmon.revenue_import
SELECT :'council', y.financial_year, y.period::text, l.line, l.budget::text,
       round(l.budget * (0.9 + random() * 0.2))::text
  FROM line l
 CROSS JOIN (SELECT '2023-24' AS financial_year, 12 AS period
             UNION ALL SELECT '2024-25', p FROM generate_series(1, 12) AS p) AS y
 ORDER BY y.financial_year, y.period, l.line;
INSERT INTO finmon.savings_plan_import
SELECT :'council', format('SAV%s', to_char(s, 'FM000')), format('Saving %s', s), format('Workstream %s', 1 + s % 5),
       y, (-round(10000 + random() * 900000))::text
  FROM generate_series(1, 100) AS s CROSS JOIN unnest(ARRAY['2024-25', '2025-26']) AS y;
INSERT INTO finmon.savings_forecast_import
SELECT p.council, '2024-25', '6', p.ref, round(p.target * (0.4 + random() * 0.6))::text, ''
  FROM finmon_data.savings_plan p WHERE p.financial_year = '2024-25';
INSERT INTO finmon.reserves_import
SELECT :'council', '2024-25', '6', format('Reserve %s', r), CASE WHEN r <= 5 THEN 'provision' ELSE 'reserve' END,
       round(random() * 5000000)::text, '', (-round(random() * 1000000))::text, ''
  FROM generate_series(1, 50) AS r;
INSERT INTO finmon.capital_import
SELECT :'council', '2024-25', '6', format('Scheme %s', c), b::text, round(b * (0.6 + random() * 0.4))::text,
       round(random() * 1000000)::text, (c > 35)::text
  FROM (SELECT c, round(10000 + random() * 4000000) AS b FROM generate_series(1, 40) AS c) AS k;
INSERT INTO finmon.grants_import
SELECT :'council', '2024-25', '6', format('Grant %s', 1 + g % 2), format('Grant scheme %s', g),
       round(random() * 800000)::text, round(random() * 400000)::text, round(random() * 900000)::text
  FROM generate_series(1, 20) AS g;

-- The paper: figures drawn from every report at period 6 (60% revenue), printed as papers
-- print them; one in twenty a unit of the last place out.
CREATE TEMP TABLE drawn AS
SELECT f.*, row_number() OVER (ORDER BY random()) AS n,
       CASE f.report WHEN 'revenue' THEN 0.6 WHEN 'savings' THEN 0.16 ELSE 0.08 END AS share
  FROM finmon.report_figures f
 WHERE f.council = :'council' AND f.financial_year = '2024-25' AND f.period = 6 AND f.amount IS NOT NULL
   AND (f.base IS NULL OR f.base <> 0);
CREATE TEMP TABLE paper AS
SELECT d.council, d.financial_year, d.period::text AS period, d.report, d.item, d.column_name,
       CASE WHEN d.base IS NULL THEN round(d.amount / 1000000, 3) + CASE WHEN random() < 0.05 THEN 0.001 ELSE 0 END
            ELSE round(d.amount / d.base * 100, 2) + CASE WHEN random() < 0.05 THEN 0.01 ELSE 0 END END AS value,
       CASE WHEN d.base IS NULL THEN '£m' ELSE '%' END AS unit
  FROM (SELECT d.*, row_number() OVER (PARTITION BY d.report ORDER BY d.n) AS k FROM drawn d) AS d
 WHERE d.k <= ceil(d.share * :figures)
 ORDER BY random() LIMIT :figures;
INSERT INTO finmon.published_import
SELECT council, financial_year, period, report, item, column_name, value::text, unit, 'Bench table'
  FROM paper;
CREATE TABLE bench_setup AS SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS seconds;
VACUUM ANALYZE;
SQL

psql -X -q -v ON_ERROR_STOP=1 -v repeat="$repeat" <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TEMP TABLE timing (query text, round int, ms double precision);
$time_ms_sql
CREATE TEMP TABLE query (k int, query text, sql text);
INSERT INTO query VALUES
    (1, 'reconciliation: every printed figure''s verdict',
        'SELECT verdict, count(*) FROM finmon.reconciliation GROUP BY verdict'),
    (2, 'report_figures: every figure of every period',
        'SELECT count(*), sum(amount) FROM finmon.report_figures'),
    (3, 'count(*) over the printed figures (scan floor)',
        'SELECT count(*) FROM finmon_data.published');
$(rounds_sql q.query)

\pset footer off
SELECT 'data' AS item, format('council $council: %s leaf lines x 12 periods of 2024-25 and 2023-24 period 12: %s revenue rows; %s savings, %s reserves, %s capital and %s grant schemes at period 6',
                              (SELECT count(DISTINCT line) FROM finmon_data.revenue), (SELECT count(*) FROM finmon_data.revenue),
                              (SELECT count(*) FROM finmon_data.savings_forecast), (SELECT count(*) FROM finmon_data.reserve),
                              (SELECT count(*) FROM finmon_data.capital), (SELECT count(*) FROM finmon_data.grant_scheme)) AS value
UNION ALL SELECT 'paper', format('%s printed figures (%s)', (SELECT count(*) FROM finmon_data.published),
                                 (SELECT string_agg(report || ' ' || n, ', ' ORDER BY n DESC)
                                    FROM (SELECT report, count(*) AS n FROM finmon_data.published GROUP BY report) AS r))
UNION ALL SELECT 'figures computed', (SELECT count(*) FROM finmon.report_figures)::text || ' (report_figures, every period)'
UNION ALL SELECT 'verdicts', (SELECT string_agg(verdict || ' ' || n, ', ' ORDER BY array_position(ARRAY['agrees', 'rounding', 'misstated', 'no data'], verdict))
                                FROM (SELECT verdict, count(*) AS n FROM finmon.reconciliation GROUP BY verdict) AS v)
UNION ALL SELECT 'settings', 'max_parallel_workers_per_gather = 0, jit = off, shared_buffers = ' || current_setting('shared_buffers')
                              || ', work_mem = ' || current_setting('work_mem')
UNION ALL SELECT 'repetitions', :'repeat' || ' (median reported), after one warm-up round'
UNION ALL SELECT 'setup', format('the loads above, through the import views: %s s', (SELECT round(seconds, 1) FROM bench_setup))
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

WITH m AS (
    SELECT t.query, percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) AS ms,
           min(t.ms) AS lo, max(t.ms) AS hi
      FROM timing t GROUP BY t.query
)
SELECT q.query AS measurement, round(m.ms::numeric, 2) AS "median ms",
       round(m.lo::numeric, 1) || '-' || round(m.hi::numeric, 1) AS "rounds, min-max ms",
       CASE q.k WHEN 1 THEN round((m.ms / (SELECT ms FROM m m2 JOIN query q2 USING (query) WHERE q2.k = 2))::numeric, 2)
                            || 'x report_figures; ' ||
                            round((m.ms / (SELECT ms FROM m m2 JOIN query q2 USING (query) WHERE q2.k = 3))::numeric)
                            || 'x the scan floor'
                WHEN 2 THEN round((m.ms / (SELECT ms FROM m m2 JOIN query q2 USING (query) WHERE q2.k = 3))::numeric)
                            || 'x the scan floor'
                ELSE '1 (the floor)' END AS ratio
  FROM m JOIN query q USING (query) ORDER BY q.k;
SQL
dropdb $db
