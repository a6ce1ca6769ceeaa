#!/usr/bin/env bash
# bench/citus_aggregates.sh: finmon's aggregates across councils on a Citus cluster against one
# plain PostgreSQL server holding the same rows. The cluster: a coordinator and two workers
# (PostgreSQL 15, Citus 13.2.2) on this machine, 32 shards, the table distributed by council.
# The single server: a separate instance, the same settings, no Citus. Both on loopback, in a
# temporary directory removed on exit, on free ports in 5800-5899.
#
# The table, the same rows on both sides (setseed): figures(council, financial_year, line,
# budget, forecast), BENCH_ROWS rows (default 10,000,000) of 150 councils, 3 financial years and
# 300 lines, amounts in pounds and pence (some negative, 0.1% NULL). Generated on the single
# server by INSERT ... SELECT generate_series, then copied to the cluster by COPY ... TO STDOUT
# piped into COPY ... FROM STDIN on the coordinator; VACUUM ANALYZE on both.
#
# Timed on both sides, after checking that both give the same answer as text:
#   1. SELECT financial_year, finmon.variance_agg(budget, forecast) ... GROUP BY financial_year
#      (every council by year: the cross-council case);
#   2. the same ungrouped;
#   3. SELECT financial_year, sum(budget), sum(forecast) ... GROUP BY financial_year (Citus's own
#      pushdown of sum(), for comparison);
#   4. one council's figures, variance_agg ... WHERE council = '<one>' GROUP BY line (a router
#      query to one shard on the cluster; no index on either side, so the single server scans
#      the table).
# Each query is timed in its server (clock_timestamp() around EXECUTE, planned afresh), from one
# session on the single server that reaches the coordinator through dblink (one session there
# too): a warm-up round, then BENCH_REPEAT (default 5) rounds, the two sides alternating query
# by query; medians. Also counted: the rows the workers send the coordinator for each query (the
# workers' query from EXPLAIN VERBOSE, run on every shard with run_command_on_shards), next to
# the rows the cluster scans. Parallel query settings are PostgreSQL's defaults on every node
# (printed); jit = off everywhere. Not a test: nothing here asserts a timing.
#
# usage: bench/citus_aggregates.sh                                 as root, with finmon installed
#        BENCH_ROWS=1000000 BENCH_REPEAT=3 bench/citus_aggregates.sh   a quick run
# Citus must be installed first: ./scripts/install-citus
set -euo pipefail

rows=${BENCH_ROWS:-10000000}
repeat=${BENCH_REPEAT:-5}
council=E10000075                 # the council of query 4
started=$(date +%s.%N)

. "$(dirname "$0")/lib.sh"

# The nodes, started as for citus_reports.sh and citus_ledger.sh, but with PostgreSQL's parallel
# query defaults ($parallel unset). Citus creates finmon on the workers too (worker_partial_agg
# calls the aggregate there).
me=citus_aggregates.sh
. "$(dirname "$0")/citus_lib.sh"

table='CREATE TABLE figures (council text, financial_year text, line int, budget numeric, forecast numeric)'

# The rows, on the single server: councils E10000001-E10000150, budgets from -400,000.00 to
# 1,600,000.00, forecasts within 10% of the budget, each figure NULL one time in a thousand.
t0=$(date +%s.%N)
sql "$single" -v rows="$rows" >/dev/null <<SQL
SELECT pg_catalog.setseed(0.2019);
$table;
INSERT INTO figures
SELECT council, financial_year, line,
       CASE WHEN random() >= 0.001 THEN b END,
       CASE WHEN random() >= 0.001 THEN round(b * (0.9 + random()::numeric * 0.2), 2) END
  FROM (SELECT 'E' || (10000001 + floor(random() * 150))::int AS council,
               (ARRAY['2016-17', '2017-18', '2018-19'])[1 + floor(random() * 3)::int] AS financial_year,
               1 + floor(random() * 300)::int AS line,
               round((random() * 2000000 - 400000)::numeric, 2) AS b
          FROM generate_series(1, :rows)) AS s;
SQL
t1=$(date +%s.%N)
# The same rows to the cluster: 32 shards by council.
sql "$coord" >/dev/null <<SQL
$table;
SELECT pg_catalog.create_distributed_table('figures', 'council', shard_count => 32);
SQL
sql "$single" -c 'COPY figures TO STDOUT' | sql "$coord" -c 'COPY figures FROM STDIN'
t2=$(date +%s.%N)
sql "$single" -c 'VACUUM ANALYZE figures'
sql "$coord" -c 'VACUUM ANALYZE figures'
load_single=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
load_cluster=$(awk "BEGIN { printf \"%.1f\", $t2 - $t1 }")

# The queries, by number.
queries=(
  ''
  'SELECT financial_year, finmon.variance_agg(budget, forecast) FROM figures GROUP BY financial_year'
  'SELECT finmon.variance_agg(budget, forecast) FROM figures'
  'SELECT financial_year, sum(budget), sum(forecast) FROM figures GROUP BY financial_year'
  "SELECT line, finmon.variance_agg(budget, forecast) FROM figures WHERE council = '$council' GROUP BY line"
)
labels=(
  ''
  '1. variance_agg GROUP BY financial_year'
  '2. variance_agg ungrouped'
  '3. sum(budget), sum(forecast) GROUP BY financial_year'
  "4. variance_agg WHERE council = '$council' GROUP BY line"
)

# Correct first: every query's answer, each row as text, sorted, the same on both sides.
checked=
for k in 1 2 3 4; do
  answer="SELECT x::text FROM (${queries[$k]}) AS x ORDER BY 1"
  a_single=$(sql "$single" -c "$answer")
  a_cluster=$(sql "$coord" -c "$answer")
  if [ "$a_single" != "$a_cluster" ]; then
    echo "bench/citus_aggregates.sh: query $k gives different answers on the single server and the cluster:" >&2
    diff <(echo "$a_single") <(echo "$a_cluster") | head -n 20 >&2
    exit 1
  fi
  [ -n "$a_single" ] || { echo "bench/citus_aggregates.sh: query $k gives no rows" >&2; exit 1; }
  checked+="${checked:+, }$k: $(wc -l <<<"$a_single")"
done

# Rows the workers send the coordinator for each query: the workers' query as EXPLAIN VERBOSE
# shows it, run on every shard (workers_send). A router query's shard name is replaced too: the
# other shards hold none of its council's rows and return no groups.
total_rows=$(sql "$coord" -c "SELECT to_char(count(*), 'FM999,999,999') FROM figures")
council_shard_rows=$(sql "$coord" -c "
  SELECT to_char(result::bigint, 'FM999,999,999') FROM pg_catalog.run_command_on_shards('figures', 'SELECT count(*) FROM %s')
   WHERE shardid = pg_catalog.get_shard_id_for_distribution_column('figures', '$council')")
sent=() scanned=() workers_run=()
for k in 1 2 3 4; do
  plan=$(sql "$coord" -c "EXPLAIN (VERBOSE, COSTS OFF) ${queries[$k]}")
  workers_send "$k" public.figures "$plan"
  sent[$k]=$sent_rows
  if [ "$k" = 4 ]; then
    scanned[$k]="$council_shard_rows (1 shard)"
  else
    scanned[$k]="$total_rows ($sent_shards shards)"
  fi
  if grep -qF 'worker_partial_agg(' <<<"$worker_query"; then workers_run[$k]='partial states (worker_partial_agg)'
  elif [ "$(grep -c 'Task Count: 1$' <<<"$plan")" = 1 ]; then workers_run[$k]='the whole query (router)'
  elif grep -qF 'sum(' <<<"$worker_query"; then workers_run[$k]='partial sums'
  else workers_run[$k]='every row'
  fi
done

# The settings of one node, as text: parallel query (the defaults), JIT, memory.
settings_sql="SELECT string_agg(name || ' = ' || current_setting(name), ', ' ORDER BY name)
  FROM pg_settings WHERE name IN ('max_parallel_workers_per_gather', 'max_parallel_workers',
    'max_worker_processes', 'jit', 'shared_buffers', 'work_mem')"
set_single=$(sql "$single" -c "$settings_sql")
set_coord=$(sql "$coord" -c "$settings_sql")
set_workers=$(sql "$coord" -c "SELECT string_agg(DISTINCT result, ' | ')
  FROM pg_catalog.run_command_on_workers(\$q\$$settings_sql\$q\$)")
[ "$set_workers" = "$set_coord" ] && set_workers='the same on both workers' || set_workers="workers: $set_workers"
size_single=$(sql "$single" -c "SELECT pg_size_pretty(pg_total_relation_size('figures'))")
size_cluster=$(sql "$coord" -c "SELECT pg_size_pretty(pg_catalog.citus_total_relation_size('figures'))")
citus_version=$(sql "$coord" -c "SELECT substring(pg_catalog.citus_version() FROM '^Citus [0-9.]+')
  || ', citus.max_adaptive_executor_pool_size = ' || current_setting('citus.max_adaptive_executor_pool_size')")

# The timing session: on the single server, reaching the coordinator through one dblink session
# (so both sides keep one session each, and the cluster keeps its connections to the workers).
values=
for k in 1 2 3 4; do
  values+="${values:+,
  }($k, \$q\$${labels[$k]}\$q\$, \$q\$${queries[$k]}\$q\$, '${sent[$k]}', \$q\$${scanned[$k]}\$q\$, \$q\$${workers_run[$k]}\$q\$)"
done
sql "$single" <<SQL
$time_ms_sql
SELECT dblink_connect('cluster', 'host=127.0.0.1 port=$coord dbname=$db user=postgres') \g /dev/null
SELECT dblink_exec('cluster', \$x\$$time_ms_sql\$x\$) \g /dev/null
CREATE TEMP TABLE query (k int, label text, sql text, sent text, scanned text, workers_run text);
INSERT INTO query VALUES
  $values;
CREATE TEMP TABLE timing (k int, side text, round int, ms double precision);
CREATE FUNCTION pg_temp.cluster_ms(query text) RETURNS double precision LANGUAGE sql
    AS \$f\$ SELECT ms FROM dblink('cluster', format('SELECT pg_temp.time_ms(%L)', query)) AS r(ms double precision) \$f\$;

-- a warm-up round, then interleaved rounds: query by query, the two sides alternate, the
-- single server first in odd rounds and the cluster first in even ones
SELECT pg_temp.time_ms(sql), pg_temp.cluster_ms(sql) FROM query ORDER BY k \g /dev/null
DO \$\$
DECLARE q record;
BEGIN
    FOR r IN 1 .. $repeat LOOP
        FOR q IN SELECT * FROM query ORDER BY k LOOP
            IF r % 2 = 1 THEN
                INSERT INTO timing VALUES (q.k, 'single', r, pg_temp.time_ms(q.sql));
                INSERT INTO timing VALUES (q.k, 'cluster', r, pg_temp.cluster_ms(q.sql));
            ELSE
                INSERT INTO timing VALUES (q.k, 'cluster', r, pg_temp.cluster_ms(q.sql));
                INSERT INTO timing VALUES (q.k, 'single', r, pg_temp.time_ms(q.sql));
            END IF;
        END LOOP;
    END LOOP;
END;
\$\$;

\pset tuples_only off
\pset format aligned
\pset footer off
SELECT 'rows' AS item, to_char($rows, 'FM999,999,999') || ', 150 councils, 3 financial years, 300 lines' AS value
UNION ALL SELECT 'table size', 'single server ' || pg_size_pretty(pg_total_relation_size('figures')) || '; cluster $size_cluster (all shards)'
UNION ALL SELECT 'nodes', 'single server: one PostgreSQL, no Citus; cluster: a coordinator and 2 workers, $citus_version; all on this machine'
UNION ALL SELECT 'shards', '32, distributed by council'
UNION ALL SELECT 'load', 'single server: INSERT ... SELECT generate_series $load_single s; cluster: COPY from the single server (TO STDOUT | FROM STDIN) $load_cluster s'
UNION ALL SELECT 'settings, single server', \$s\$$set_single\$s\$
UNION ALL SELECT 'settings, coordinator', \$s\$$set_coord\$s\$ || '; $set_workers'
UNION ALL SELECT 'answers', 'identical as text on both sides (rows per query $checked)'
UNION ALL SELECT 'repetitions', '$repeat (median reported), after a warm-up round'
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

WITH m AS (
    SELECT k, side, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
           round(min(ms)::numeric, 1) || '–' || round(max(ms)::numeric, 1) AS range
      FROM timing GROUP BY k, side
)
SELECT q.label AS query,
       round(s.ms::numeric, 1) AS "single ms", s.range AS "single min–max",
       round(c.ms::numeric, 1) AS "cluster ms", c.range AS "cluster min–max",
       round((s.ms / c.ms)::numeric, 2) AS "single / cluster"
  FROM query q JOIN m s ON s.k = q.k AND s.side = 'single' JOIN m c ON c.k = q.k AND c.side = 'cluster'
 ORDER BY q.k;

SELECT label AS query, '$total_rows' AS "rows the single server scans", scanned AS "rows the cluster scans", workers_run AS "the workers compute",
       sent AS "rows the workers send the coordinator"
  FROM query ORDER BY k;
SQL

elapsed=$(awk "BEGIN { printf \"%.0f\", $(date +%s.%N) - $started }")
echo "Every answer was identical on the single server and the cluster. Wall time ${elapsed} s."
finished=1
