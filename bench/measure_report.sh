#!/bin/bash
# bench/measure_report.sh: finmon.measure_report's rolling 12-month rates with intervals
# against the same computation written in plain SQL window functions, measured side by side
# in one run, single worker.  One council (B0001) whose areas are the BENCH_AREAS areas.  Run in a
# throwaway cluster where finmon is installed:
#     make && make install && pg_virtualenv -t -v 15 ./bench/measure_report.sh
# BENCH_YEARS (default 20), BENCH_AREAS (default 150), BENCH_REPEAT (default 5) and
# BENCH_TILE_LOOPS (default 20) adjust it; BENCH_EXPLAIN=1 also counts the finmon function
# calls of one whole report and prints EXPLAIN ANALYZE of the four queries.  Prints medians and
# ratios; checks first that finmon's rows equal the plain SQL's.  Not a test: nothing here
# asserts a timing.
set -euo pipefail

years=${BENCH_YEARS:-20}
areas=${BENCH_AREAS:-150}
repeat=${BENCH_REPEAT:-5}
tile_loops=${BENCH_TILE_LOOPS:-20}
explain=${BENCH_EXPLAIN:-0}
db=finmon_bench
export PGDATABASE=$db
council=B0001

. "$(dirname "$0")/lib.sh"

dropdb --if-exists $db >/dev/null 2>&1 || true
createdb $db
psql -X -q -v ON_ERROR_STOP=1 -v years="$years" -v areas="$areas" -v council="$council" <<'SQL'
CREATE EXTENSION finmon;
-- One council, through the write path; the measures, populations and counts below go straight
-- into the tables (setting up data: a superuser's direct writes bypass the write path, which
-- this benchmark does not measure).
INSERT INTO finmon.council_import VALUES (:'council', 'Bench council');
SELECT setseed(0.42) \g /dev/null
-- Three rates per 100,000 of one activity (permanent admissions to care homes), one per age
-- band; lower is better.
INSERT INTO finmon.measure (measure, title, unit, multiplier, age_band, polarity) VALUES
    ('ADM18-64', 'Permanent admissions to residential and nursing care homes, aged 18-64, per 100,000', 'per 100000', 100000, '18-64', 'lower'),
    ('ADM65+', 'Permanent admissions to residential and nursing care homes, aged 65+, per 100,000', 'per 100000', 100000, '65+', 'lower'),
    ('ADM18+', 'Permanent admissions to residential and nursing care homes, aged 18+, per 100,000', 'per 100000', 100000, '18+', 'lower');
-- :areas councils, January 2005 on.  A mid-year estimate per area, calendar year and age band,
-- growing 0.8% a year, for every year but the last, whose months take the year before's (the
-- ONS estimates lag), so "the latest estimate up to the month's year" matters.
CREATE TEMP TABLE area AS
SELECT format('Area %s', to_char(a, 'FM000')) AS area,
       round(100000 + random() * 600000) AS p1864,
       round(20000 + random() * 200000) AS p65
  FROM generate_series(1, :areas) AS a;
INSERT INTO finmon.population (council, area, year, age_band, population)
SELECT :'council', c.area, y, v.band, round(v.p * 1.008 ^ (y - 2005))
  FROM area c,
       generate_series(2005, 2005 + greatest(:years - 2, 0)) AS y,
       LATERAL (VALUES ('18-64', c.p1864), ('65+', c.p65), ('18+', c.p1864 + c.p65)) AS v(band, p);
-- Monthly admissions about 14 (18-64) and 600 (65+) a year per 100,000, at least 1 a month,
-- so every rolling 12-month count is 12 or more and every interval is Byar's (counts of 10 or
-- more; the exact Poisson interval below 10 is not exercised).  18+ is their sum.
CREATE TEMP TABLE monthly AS
SELECT v.measure, c.area, g.month::date AS month,
       greatest(1, round(v.annual / 12.0 * v.p / 100000 * (0.6 + random() * 0.8))) AS numerator
  FROM area c,
       generate_series(date '2005-01-01', date '2005-01-01' + (:years * 12 - 1) * interval '1 month',
                       interval '1 month') AS g(month),
       LATERAL (VALUES ('ADM18-64', 14, c.p1864), ('ADM65+', 600, c.p65)) AS v(measure, annual, p);
INSERT INTO finmon_data.activity (council, measure, area, month, numerator)
SELECT :'council', measure, area, month, numerator FROM monthly
UNION ALL
SELECT :'council', 'ADM18+', area, month, sum(numerator) FROM monthly GROUP BY area, month
ORDER BY 1, 2, 3, 4;
VACUUM ANALYZE finmon.council, finmon.measure, finmon.population, finmon_data.activity;
SQL

tile_measure='ADM65+'
tile_area=$(printf 'Area %03d' $(( (areas + 1) / 2 )))

# finmon: the report view, its rolling 12-month columns.
full_finmon="SELECT council, measure, area, month, r12_numerator, r12_denominator, r12_value, r12_ci_lower, r12_ci_upper FROM finmon.measure_report"
tile_finmon="$full_finmon WHERE council = '$council' AND measure = '$tile_measure' AND area = '$tile_area'"

# Plain SQL: the same columns from the same tables with window functions and a join.  A rolling
# 12-month sum, NULL unless all 12 months are loaded; the population of the month's calendar
# year (the latest estimate up to it, a lateral join on the primary key); rate = count * 100000
# / population, numeric; Byar's 95% interval in double precision; counts below 5 suppressed, as
# the view does by default.  Councils are kept apart: the population is the row's council's.
plain() { # $1: a condition on activity a
    cat <<PLAIN
WITH w AS (
    SELECT a.council, a.measure, a.area, a.month, m.age_band,
           sum(a.numerator) OVER r12 AS x, count(*) OVER r12 AS months
      FROM finmon_data.activity a JOIN finmon.measure m ON m.measure = a.measure
     WHERE $1
    WINDOW r12 AS (PARTITION BY a.council, a.measure, a.area ORDER BY a.month
                   RANGE BETWEEN interval '11 months' PRECEDING AND CURRENT ROW)
), r AS (
    SELECT w.council, w.measure, w.area, w.month, w.x,
           CASE WHEN w.months = 12 THEN p.population END AS pop,
           w.months = 12 AND w.x >= 5 AS shown
      FROM w LEFT JOIN LATERAL (
               SELECT p.population FROM finmon.population p
                WHERE p.council = w.council AND p.area = w.area AND p.age_band = w.age_band AND p.year <= extract(year FROM w.month)::int
                ORDER BY p.year DESC LIMIT 1) AS p ON true
)
SELECT council, measure, area, month,
       CASE WHEN shown THEN x END AS r12_numerator,
       pop AS r12_denominator,
       CASE WHEN shown AND pop > 0 THEN x * 100000 / pop END AS r12_value,
       CASE WHEN shown AND pop > 0 THEN
           x::float8 * (1 - 1 / (9 * x::float8) - 1.959963984540054 / (3 * sqrt(x::float8))) ^ 3 / pop::float8 * 100000
       END AS r12_ci_lower,
       CASE WHEN shown AND pop > 0 THEN
           (x::float8 + 1) * (1 - 1 / (9 * (x::float8 + 1)) + 1.959963984540054 / (3 * sqrt(x::float8 + 1))) ^ 3 / pop::float8 * 100000
       END AS r12_ci_upper
  FROM r
PLAIN
}
full_plain=$(plain "true")
tile_plain=$(plain "a.council = '$council' AND a.measure = '$tile_measure' AND a.area = '$tile_area'")

psql -X -q -v ON_ERROR_STOP=1 -At <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TEMP TABLE timing (shape text, query text, round int, ms double precision);
-- Milliseconds per execution, over loops executions (each planned afresh, as a client's
-- unprepared query is).
$time_loops_ms_sql

-- The answers must be the same rows: numerators, denominators and values identical (as text,
-- so scale counts; the value as measure_report declares it, numeric(24,4), the plain SQL's
-- rounded to 4 places), interval limits equal to 1e-9 relative.  Stops with an error if not.
CREATE FUNCTION pg_temp.compare(finmon_query text, plain_query text,
                                OUT compared bigint, OUT differ bigint, OUT intervals bigint,
                                OUT below_10 bigint, OUT max_rel_diff double precision)
    LANGUAGE plpgsql AS \$\$
BEGIN
    EXECUTE format(\$f\$
        SELECT count(*),
               count(*) FILTER (WHERE f.measure IS NULL OR p.measure IS NULL
                   OR f.r12_numerator::text IS DISTINCT FROM p.r12_numerator::text
                   OR f.r12_denominator::text IS DISTINCT FROM p.r12_denominator::text
                   OR f.r12_value::text IS DISTINCT FROM round(p.r12_value, 4)::text
                   OR (f.r12_ci_lower IS NULL) <> (p.r12_ci_lower IS NULL)
                   OR (f.r12_ci_upper IS NULL) <> (p.r12_ci_upper IS NULL)
                   OR COALESCE(abs(f.r12_ci_lower - p.r12_ci_lower) > 1e-9 * abs(p.r12_ci_lower), false)
                   OR COALESCE(abs(f.r12_ci_upper - p.r12_ci_upper) > 1e-9 * abs(p.r12_ci_upper), false)),
               count(f.r12_ci_lower),
               count(*) FILTER (WHERE f.r12_numerator < 10),
               COALESCE(max(greatest(abs(f.r12_ci_lower - p.r12_ci_lower) / abs(p.r12_ci_lower),
                                     abs(f.r12_ci_upper - p.r12_ci_upper) / abs(p.r12_ci_upper))), 0)
          FROM (%s) AS f FULL JOIN (%s) AS p
            ON p.council = f.council AND p.measure = f.measure AND p.area = f.area AND p.month = f.month
    \$f\$, finmon_query, plain_query) INTO compared, differ, intervals, below_10, max_rel_diff;
    IF differ <> 0 THEN
        RAISE EXCEPTION 'finmon.measure_report differs from the plain SQL in % of % rows', differ, compared;
    END IF;
    IF below_10 <> 0 THEN
        RAISE EXCEPTION '% rolling counts are below 10: not every interval is Byar''s', below_10;
    END IF;
END;
\$\$;
-- Whether a query's filters reach the activity scan: the rows it reads from finmon_data.activity.
CREATE FUNCTION pg_temp.activity_rows_read(query text) RETURNS bigint
    LANGUAGE plpgsql AS \$\$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || query INTO plan;
    RETURN (SELECT sum(n::text::bigint)
              FROM jsonb_path_query(plan::jsonb, 'strict \$.**?(@."Relation Name" == "activity" && @."Alias" == "a")."Actual Rows"') AS n);
END;
\$\$;
CREATE TEMP TABLE checked AS
SELECT k, shape, (pg_temp.compare(f, p)).*
  FROM (VALUES (1, 'whole report', \$q\$$full_finmon\$q\$, \$q\$$full_plain\$q\$),
               (2, 'one measure, one area', \$q\$$tile_finmon\$q\$, \$q\$$tile_plain\$q\$)) AS v(k, shape, f, p);

\o /dev/null
-- Warm the cache once, untimed, then interleave the queries in every round.
SELECT count(*) AS warmed FROM (SELECT pg_temp.time_ms(q, 1) FROM unnest(ARRAY[\$q\$$full_finmon\$q\$, \$q\$$full_plain\$q\$, \$q\$$tile_finmon\$q\$, \$q\$$tile_plain\$q\$]) AS q) AS w;
INSERT INTO timing
SELECT shape, name, r, pg_temp.time_ms(q, loops)
  FROM generate_series(1, $repeat) AS r,
       LATERAL (VALUES (1, 'whole report', 'finmon', \$q\$$full_finmon\$q\$, 1),
                       (2, 'whole report', 'plain SQL', \$q\$$full_plain\$q\$, 1),
                       (3, 'one measure, one area', 'finmon', \$q\$$tile_finmon\$q\$, $tile_loops),
                       (4, 'one measure, one area', 'plain SQL', \$q\$$tile_plain\$q\$, $tile_loops)) AS v(k, shape, name, q, loops)
 ORDER BY r, k;
\o

\pset tuples_only off
\pset format aligned
SELECT 'data' AS item, format('council $council: %s measures x %s areas x %s months = %s activity rows', 3, $areas, $years * 12,
                               to_char((SELECT count(*) FROM finmon_data.activity), 'FM999,999,999')) AS value
UNION ALL SELECT 'tables', pg_size_pretty(pg_total_relation_size('finmon_data.activity') + pg_total_relation_size('finmon.population'))
                            || ' (activity and population, with indexes)'
UNION ALL SELECT 'checked', format('%s: %s rows identical, %s intervals (all Byar''s) within %s relative',
                                    shape, compared, intervals, btrim(to_char(max_rel_diff, '9.9EEEE')))
  FROM (SELECT * FROM checked ORDER BY k) AS c
UNION ALL SELECT 'tile', '$council, $tile_measure, $tile_area; ms per query over $tile_loops executions, each planned'
UNION ALL SELECT 'tile reads', format('%s activity rows (finmon), %s (plain SQL), of %s',
                                      pg_temp.activity_rows_read(\$q\$$tile_finmon\$q\$),
                                      pg_temp.activity_rows_read(\$q\$$tile_plain\$q\$),
                                      (SELECT count(*) FROM finmon_data.activity))
UNION ALL SELECT 'settings', 'max_parallel_workers_per_gather = 0, jit = off, shared_buffers = ' || current_setting('shared_buffers')
                              || ', work_mem = ' || current_setting('work_mem')
UNION ALL SELECT 'repetitions', '$repeat (median reported)'
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

WITH m AS (
    SELECT shape, query, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms
      FROM timing GROUP BY shape, query
)
SELECT m.shape AS "query shape",
       c.compared AS "rows",
       round(max(ms) FILTER (WHERE query = 'finmon')::numeric, 2) AS "finmon.measure_report ms",
       round(max(ms) FILTER (WHERE query = 'plain SQL')::numeric, 2) AS "plain SQL ms",
       round((max(ms) FILTER (WHERE query = 'finmon') / max(ms) FILTER (WHERE query = 'plain SQL'))::numeric, 2)
           AS "finmon / plain",
       round((max(ms) FILTER (WHERE query = 'plain SQL') / max(ms) FILTER (WHERE query = 'finmon'))::numeric, 2)
           AS "plain / finmon"
  FROM m JOIN checked c ON c.shape = m.shape
 GROUP BY m.shape, c.k, c.compared ORDER BY c.k;
SQL
echo "finmon.measure_report's rolling 12-month columns were the plain SQL's, row for row (whole report and one measure, one area)."

if [ "$explain" = 1 ]; then
    psql -X -q -v ON_ERROR_STOP=1 <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\echo 'Calls of finmon functions in one run of the whole report (track_functions = all):'
BEGIN;
SET LOCAL track_functions = 'all';
\o /dev/null
$full_finmon;
\o
SELECT p.oid::regprocedure AS function, pg_stat_get_xact_function_calls(p.oid) AS calls,
       round(pg_stat_get_xact_function_calls(p.oid)::numeric / n.all_rows, 2) AS "per row",
       round(pg_stat_get_xact_function_calls(p.oid)::numeric / n.full_rows, 2) AS "per row with 12 months",
       round(pg_stat_get_xact_function_total_time(p.oid)::numeric) AS ms
  FROM pg_proc p,
       (SELECT count(*) AS all_rows, count(*) FILTER (WHERE months = 12) AS full_rows
          FROM (SELECT count(*) OVER (PARTITION BY council, measure, area ORDER BY month
                                      RANGE BETWEEN interval '11 months' PRECEDING AND CURRENT ROW) AS months
                  FROM finmon_data.activity) AS w) AS n
 WHERE p.pronamespace = 'finmon'::regnamespace AND pg_stat_get_xact_function_calls(p.oid) > 0
 ORDER BY ms DESC;
COMMIT;
\echo 'EXPLAIN ANALYZE, finmon.measure_report, whole report:'
EXPLAIN (ANALYZE, COSTS off) $full_finmon;
\echo 'EXPLAIN ANALYZE, plain SQL, whole report:'
EXPLAIN (ANALYZE, COSTS off) $full_plain;
\echo 'EXPLAIN ANALYZE, finmon.measure_report, one measure, one area:'
EXPLAIN (ANALYZE, COSTS off) $tile_finmon;
\echo 'EXPLAIN ANALYZE, plain SQL, one measure, one area:'
EXPLAIN (ANALYZE, COSTS off) $tile_plain;
SQL
fi
