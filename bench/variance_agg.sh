#!/bin/bash
# bench/variance_agg.sh: variance_agg against the plain-SQL equivalent and against count(*),
# measured side by side in one run, single worker.  Run with `make bench`, which starts a
# throwaway cluster; BENCH_ROWS (default 10000000) and BENCH_REPEAT (default 5) adjust it.
# Prints medians and ratios; checks that finmon's answers equal plain SQL's.  Not a test:
# nothing here asserts a timing.
set -euo pipefail

rows=${BENCH_ROWS:-10000000}
repeat=${BENCH_REPEAT:-5}
db=finmon_bench
export PGDATABASE=$db

. "$(dirname "$0")/lib.sh"

dropdb --if-exists $db >/dev/null 2>&1 || true
createdb $db
psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" <<'SQL'
CREATE EXTENSION finmon;
-- A ledger-shaped table: 300 budget lines, amounts in pounds and pence, about 9% negative
-- (income), forecasts within a few per cent of budget, 0.1% of each column NULL.
CREATE TABLE t AS
SELECT (i % 300) AS line,
       CASE WHEN i % 997 = 0 THEN NULL ELSE b END AS budget,
       CASE WHEN i % 991 = 0 THEN NULL ELSE round(b * (0.97 + random()::numeric * 0.06), 2) END AS forecast
  FROM (SELECT i, round((random() * 550000 - 50000)::numeric, 2) AS b
          FROM generate_series(1, :rows) AS i) AS s;
VACUUM ANALYZE t;
SQL

ungrouped_count="SELECT count(*) FROM t"
ungrouped_finmon="SELECT finmon.variance_agg(budget, forecast) FROM t"
ungrouped_floor="SELECT count(budget), count(forecast) FROM t"
ungrouped_plain="SELECT sum(budget), sum(forecast), sum(forecast) - sum(budget), (sum(forecast) - sum(budget)) / sum(budget) * 100 FROM t"
grouped_count="SELECT line, count(*) FROM t GROUP BY line"
grouped_finmon="SELECT line, finmon.variance_agg(budget, forecast) FROM t GROUP BY line"
grouped_floor="SELECT line, count(budget), count(forecast) FROM t GROUP BY line"
grouped_plain="SELECT line, sum(budget), sum(forecast), sum(forecast) - sum(budget), (sum(forecast) - sum(budget)) / sum(budget) * 100 FROM t GROUP BY line"

psql -X -q -v ON_ERROR_STOP=1 -At <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TEMP TABLE timing (shape text, query text, round int, ms double precision);
$time_ms_sql

-- The answers must be identical, field by field and scale by scale.
DO \$\$
DECLARE
    differ bigint;
BEGIN
    SELECT count(*) INTO differ FROM (
        SELECT (v).budget::text, (v).forecast_outturn::text, (v).variance::text, (v).variance_pct::text
          FROM ($ungrouped_finmon) AS f(v)
        EXCEPT
        SELECT s1::text, s2::text, s3::text, s4::text FROM ($ungrouped_plain) AS p(s1, s2, s3, s4)) AS d;
    IF differ <> 0 THEN
        RAISE EXCEPTION 'variance_agg differs from the plain SQL (ungrouped)';
    END IF;
    SELECT count(*) INTO differ FROM (
        (SELECT line, (v).budget::text, (v).forecast_outturn::text, (v).variance::text, (v).variance_pct::text
           FROM ($grouped_finmon) AS f(line, v)
         EXCEPT
         SELECT line, s1::text, s2::text, s3::text, s4::text FROM ($grouped_plain) AS p(line, s1, s2, s3, s4))
        UNION ALL
        (SELECT line, s1::text, s2::text, s3::text, s4::text FROM ($grouped_plain) AS p(line, s1, s2, s3, s4)
         EXCEPT
         SELECT line, (v).budget::text, (v).forecast_outturn::text, (v).variance::text, (v).variance_pct::text
           FROM ($grouped_finmon) AS f(line, v))) AS d;
    IF differ <> 0 THEN
        RAISE EXCEPTION 'variance_agg differs from the plain SQL in % groups', differ;
    END IF;
END;
\$\$;

\o /dev/null
-- Warm the cache once, untimed, then interleave the queries in every round.
SELECT count(*) AS warmed FROM (SELECT pg_temp.time_ms(q) FROM unnest(ARRAY[\$q\$$ungrouped_count\$q\$, \$q\$$ungrouped_floor\$q\$, \$q\$$ungrouped_finmon\$q\$, \$q\$$ungrouped_plain\$q\$, \$q\$$grouped_count\$q\$, \$q\$$grouped_floor\$q\$, \$q\$$grouped_finmon\$q\$, \$q\$$grouped_plain\$q\$]) AS q) AS w;
INSERT INTO timing
SELECT shape, name, r, pg_temp.time_ms(q)
  FROM generate_series(1, $repeat) AS r,
       LATERAL (VALUES (1, 'ungrouped', 'count(*)', \$q\$$ungrouped_count\$q\$),
                       (2, 'ungrouped', 'floor', \$q\$$ungrouped_floor\$q\$),
                       (3, 'ungrouped', 'finmon', \$q\$$ungrouped_finmon\$q\$),
                       (4, 'ungrouped', 'plain SQL', \$q\$$ungrouped_plain\$q\$),
                       (5, 'GROUP BY line', 'count(*)', \$q\$$grouped_count\$q\$),
                       (6, 'GROUP BY line', 'floor', \$q\$$grouped_floor\$q\$),
                       (7, 'GROUP BY line', 'finmon', \$q\$$grouped_finmon\$q\$),
                       (8, 'GROUP BY line', 'plain SQL', \$q\$$grouped_plain\$q\$)) AS v(k, shape, name, q)
 ORDER BY r, k;
\o

\pset tuples_only off
\pset format aligned
SELECT 'rows' AS item, to_char($rows, 'FM999,999,999') AS value
UNION ALL SELECT 'table size', pg_size_pretty(pg_total_relation_size('t'))
UNION ALL SELECT 'settings', 'max_parallel_workers_per_gather = 0, jit = off, shared_buffers = ' || current_setting('shared_buffers')
UNION ALL SELECT 'repetitions', '$repeat (median reported)'
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

WITH m AS (
    SELECT shape, query, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms
      FROM timing GROUP BY shape, query
)
SELECT shape AS "query shape",
       round(max(ms) FILTER (WHERE query = 'count(*)')::numeric, 1) AS "count(*) ms",
       round(max(ms) FILTER (WHERE query = 'floor')::numeric, 1) AS "count(budget), count(forecast) ms",
       round(max(ms) FILTER (WHERE query = 'finmon')::numeric, 1) AS "variance_agg ms",
       round(max(ms) FILTER (WHERE query = 'plain SQL')::numeric, 1) AS "plain SQL ms",
       round((max(ms) FILTER (WHERE query = 'plain SQL') / max(ms) FILTER (WHERE query = 'finmon'))::numeric, 2)
           AS "plain / variance_agg (want >= 1.6)",
       round((max(ms) FILTER (WHERE query = 'finmon') / max(ms) FILTER (WHERE query = 'floor'))::numeric, 3)
           AS "variance_agg / two-column floor (want <= 1.15)",
       round((max(ms) FILTER (WHERE query = 'finmon') / max(ms) FILTER (WHERE query = 'count(*)'))::numeric, 2)
           AS "variance_agg / count(*)",
       round((max(ms) FILTER (WHERE query = 'floor') / max(ms) FILTER (WHERE query = 'count(*)'))::numeric, 2)
           AS "two-column floor / count(*)"
  FROM m GROUP BY shape ORDER BY shape DESC;
SQL
echo "variance_agg answers were identical to the plain SQL's (ungrouped and every group)."
