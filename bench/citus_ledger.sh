#!/usr/bin/env bash
# bench/citus_ledger.sh: the ledger on a Citus cluster against a single server (issue 14): sums
# across councils over BENCH_LEDGER_ROWS transactions, one council's revenue report (its spend to
# date read from the ledger's summaries), and a month's ledger import. finmon's own tables, placed
# on the cluster by finmon.distribute(), holding the same councils' figures as one plain server.
#
# The nodes: a single server (PostgreSQL 15, no Citus) and a Citus 13.2.2 cluster (a coordinator
# and two workers), all on this machine, on loopback, as the postgres user, on free ports in
# 5800-5899, in a temporary directory removed on exit (the servers stopped, even on failure). jit =
# off and max_parallel_workers_per_gather = BENCH_PARALLEL_WORKERS (default 0) on every node.
#
# The data, the same on both sides: BENCH_COUNCILS councils (default 150, C001 to C150), each with
# revenue figures for 2022-23 and 2023-24 x 12 periods x BENCH_LINES leaf lines (default 40: 'Area a
# > Line l', areas of 10 lines), 144,000 rows at the defaults, every council's through
# finmon.revenue_import in one load (INSERT ... SELECT: the write path builds the hierarchy); and a
# ledger of BENCH_LEDGER_ROWS transactions (default 10,000,000): transaction i of council
# (i - 1) mod BENCH_COUNCILS + 1, on line i x 7919 mod BENCH_LINES, posted from 1 April 2022 to
# 29 February 2024 in the order of i (2022-23 whole, 2023-24 periods 1 to 11; its period 12 is the
# month imported below), pounds and pence (every tenth line income, negative), reference L<i>.
# Both years' partitions are made first (finmon.ledger_partition). The measured council's
# transactions go in through finmon.ledger_import (\copy of a CSV written once); the others' are
# written straight into finmon_data.ledger as a superuser (setting up: no checks, audit or change
# log), then SELECT finmon.rebuild_ledger_summary(council) for each of those councils makes
# finmon_data.ledger_summary match them. The same statements on both sides; on the cluster on the
# coordinator BEFORE SELECT * FROM finmon.distribute(shard_count => BENCH_SHARDS) (default 32),
# which moves the rows into the shards. Then VACUUM ANALYZE on every node.
#
# Timed on both sides, the measured council being the middle one (C075 at the defaults):
#   1. SELECT financial_year, sum(amount), count(*) FROM finmon_data.ledger GROUP BY financial_year;
#   2. SELECT financial_year, (s.v).* FROM (SELECT financial_year, finmon.variance_agg(budget,
#      forecast_outturn) AS v FROM finmon_data.revenue GROUP BY financial_year) s;
#   3. SELECT council, financial_year, sum(amount) FROM finmon_data.ledger GROUP BY 1, 2;
#   4. finmon.revenue_report of the measured council, 2023-24, period 6 (live; its actual_to_date
#      from the ledger's summaries);
#   5. \copy finmon.ledger_import of BENCH_IMPORT_ROWS (default 100,000) new transactions of the
#      measured council, March 2024 (2023-24 period 12), from a CSV written once;
#   6. the same file again in the same session (a reload: every reference replaced);
#   7. SELECT finmon.delete_figures('ledger', '2023-24', 12, council): the month taken away
#      through the write path, so that every round loads the same rows afresh.
# As a superuser. Before timing: every query's rows, as text, sorted, md5 of their string_agg,
# the same on both sides; for the loads, after 5, 6 and 7, the council's transactions of the
# month and its summaries (md5 likewise) the same on both sides, 5 adding and 7 deleting
# BENCH_IMPORT_ROWS rows, 6 changing nothing and 7 giving back the summaries of before; it stops
# with an error otherwise. Also printed: for queries 1-3, the rows the workers send the
# coordinator (the workers' query from EXPLAIN (VERBOSE, COSTS OFF), run on every shard with
# run_command_on_shards), against the number of shards; for query 4, whether Citus sends it whole
# to one node. BENCH_EXPLAIN=1 prints the coordinator's plans of queries 1-4.
#
# Timing: queries 1-4 as in citus_reports.sh: one controlling session on the single server
# reaches each side through one dblink session, each query timed in its server (clock_timestamp()
# around EXECUTE, planned afresh; queries 1-3 one execution, query 4 the average of
# BENCH_QUERY_LOOPS, default 5). Loads 5-7: one psql session per side and round, clock_timestamp()
# before and after each \copy and the delete; then VACUUM ANALYZE of 2023-24's partition and the
# summaries (untimed). For each, a warm-up round (with the checks), then BENCH_REPEAT rounds
# (default 5), the two sides alternating (the single server first in odd rounds); medians. The
# queries are timed before the loads, so that no load's dead rows reach them. Not a test: nothing
# here asserts a timing.
#
# usage: ./bench/citus_ledger.sh                               as root, with finmon and Citus installed
#        BENCH_LEDGER_ROWS=1000000 BENCH_REPEAT=3 ./bench/citus_ledger.sh   a quick run
set -euo pipefail

councils=${BENCH_COUNCILS:-150}
lines=${BENCH_LINES:-40}
ledger_rows=${BENCH_LEDGER_ROWS:-10000000}
import_rows=${BENCH_IMPORT_ROWS:-100000}
repeat=${BENCH_REPEAT:-5}
shards=${BENCH_SHARDS:-32}
query_loops=${BENCH_QUERY_LOOPS:-5}
explain=${BENCH_EXPLAIN:-0}
parallel=${BENCH_PARALLEL_WORKERS:-0}
started=$(date +%s.%N)

measured_no=$(( (councils + 1) / 2 ))
measured=$(printf 'C%03d' "$measured_no")
query_year=2023-24
query_period=6
import_period=12

cat <<EOF
bench/citus_ledger.sh: the ledger on a Citus cluster against a single server.
  rerun: as root, ./bench/citus_ledger.sh   (knobs: BENCH_COUNCILS=$councils BENCH_LINES=$lines BENCH_LEDGER_ROWS=$ledger_rows
         BENCH_IMPORT_ROWS=$import_rows BENCH_SHARDS=$shards BENCH_REPEAT=$repeat BENCH_QUERY_LOOPS=$query_loops BENCH_EXPLAIN=$explain
         BENCH_PARALLEL_WORKERS=$parallel)
  data: $councils councils x 2 years x 12 periods x $lines lines = $(( councils * 2 * 12 * lines )) revenue rows; $ledger_rows ledger rows;
        measured: $measured, $query_year period $query_period; import: $import_rows rows, $query_year period $import_period
EOF

. "$(dirname "$0")/lib.sh"

[ "$ledger_rows" -ge "$councils" ] || { echo "bench/citus_ledger.sh: BENCH_LEDGER_ROWS must be at least BENCH_COUNCILS" >&2; exit 1; }
me=citus_ledger.sh
. "$(dirname "$0")/citus_lib.sh"

# The councils, the lines and the ledger's generator, the same on both sides (bench_council and
# bench_line stay local to the coordinator). ledger_select FROM: the transactions i of FROM.
setup_sql="CREATE TABLE bench_council AS SELECT n, format('C%s', to_char(n, 'FM000')) AS council FROM generate_series(1, $councils) AS n;
CREATE TABLE bench_line AS SELECT k, 'Area ' || to_char(k / 10 + 1, 'FM00') || ' > Line ' || to_char(k + 1, 'FM000') AS line FROM generate_series(0, $lines - 1) AS k;
INSERT INTO finmon.council_import SELECT council, 'Council ' || to_char(n, 'FM000') FROM bench_council ORDER BY n;"
sql "$single" <<<"$setup_sql" >/dev/null
sql "$coord" <<<"$setup_sql" >/dev/null
ledger_select() {
  echo "SELECT 'C' || to_char(g.i % $councils + 1, 'FM000') AS council, g.d AS posting_date, x.lines[g.k + 1] AS line,
       CASE WHEN g.k % 10 = 9 THEN -1 ELSE 1 END * round((g.i * 104729 % 32000 - 2000)::numeric / 100, 2) AS amount,
       'L' || to_char(g.i + 1, 'FM000000000') AS reference
  FROM (SELECT i - 1 AS i, date '2022-04-01' + ((i - 1) * 700 / $ledger_rows)::integer AS d, (i - 1) * 7919 % $lines AS k
          FROM $1) AS g,
       (SELECT array_agg(line ORDER BY k) AS lines FROM bench_line) AS x"
}
# The files, written once from the single server: the measured council's transactions, and the
# month it imports (2023-24 period 12, March 2024; references M<i>).
ledger_csv=$dir/ledger_$measured.csv month_csv=$dir/month_$measured.csv
sql "$single" -c "\\copy ($(ledger_select "generate_series($measured_no::bigint, $ledger_rows, $councils) AS i") ORDER BY g.i) TO '$ledger_csv' WITH (FORMAT csv, HEADER)"
sql "$single" -c "\\copy (SELECT '$measured' AS council, date '2024-03-01' + ((i - 1) * 31 / $import_rows)::integer AS posting_date, x.lines[i * 7919 % $lines + 1] AS line,
    CASE WHEN i * 7919 % $lines % 10 = 9 THEN -1 ELSE 1 END * round((i * 104723 % 50000 - 3000)::numeric / 100, 2) AS amount, 'M' || to_char(i, 'FM000000000') AS reference
  FROM generate_series(1::bigint, $import_rows) AS i, (SELECT array_agg(line ORDER BY k) AS lines FROM bench_line) AS x ORDER BY i) TO '$month_csv' WITH (FORMAT csv, HEADER)"

# The load, the same statements on both sides: revenue through revenue_import, every council in
# one load (budgets and forecasts in pounds as citus_reports.sh's, varying by council, line, year
# and period); the measured council's ledger through ledger_import; the others' straight into
# finmon_data.ledger, and their summaries rebuilt.
load_sql="INSERT INTO finmon.revenue_import (council, financial_year, period, line, budget, forecast_outturn)
SELECT c.council, y || '-' || to_char((y + 1) % 100, 'FM00'), p::text, b.line,
       ((CASE WHEN b.k % 10 = 9 THEN -1 ELSE 1 END) * (50000 + (c.n * 7919 + b.k * 104729 + y * 31) % 900000))::text,
       ((CASE WHEN b.k % 10 = 9 THEN -1 ELSE 1 END) * (50000 + (c.n * 7919 + b.k * 104729 + y * 31) % 900000
                                                     + (c.n * 31 + b.k * 17 + p * 13 + y) % 40000 - 20000))::text
  FROM bench_council c, generate_series(2022, 2023) AS y, generate_series(1, 12) AS p, bench_line b
 ORDER BY c.n, y, p, b.k;
SELECT finmon.ledger_partition(y) FROM unnest(ARRAY['2022-23', '2023-24']) AS y \\g /dev/null
\\copy finmon.ledger_import FROM '$ledger_csv' WITH (FORMAT csv, HEADER)
INSERT INTO finmon_data.ledger (council, financial_year, period, posting_date, line, amount, reference)
SELECT l.council, finmon.financial_year_of(l.posting_date), finmon.period_of(l.posting_date), l.posting_date, l.line, l.amount, l.reference
  FROM ($(ledger_select "generate_series(1::bigint, $ledger_rows) AS i") WHERE g.i % $councils + 1 <> $measured_no) AS l;
SELECT count(finmon.rebuild_ledger_summary(council)) FROM bench_council WHERE n <> $measured_no \\g /dev/null"
step "Loading the single server..."
t0=$(now); sql "$single" <<<"$load_sql"; t1=$(now); load_single=$(ms "$t0" "$t1")
step "Loading the coordinator..."
t0=$(now); sql "$coord" <<<"$load_sql"; t1=$(now); load_coord=$(ms "$t0" "$t1")
counts_sql="SELECT (SELECT count(*) FROM finmon_data.revenue) || ' ' || (SELECT count(*) FROM finmon_data.ledger) || ' '
                   || (SELECT count(*) FROM finmon_data.ledger_summary)"
counts=$(sql "$single" -c "$counts_sql")
[ "$counts" = "$(sql "$coord" -c "$counts_sql")" ] ||
  { echo "bench/citus_ledger.sh: the two sides hold different numbers of rows (single server: $counts)" >&2; exit 1; }
read -r revenue_rows ledger_count summary_rows <<<"$counts"
[ "$ledger_count" = "$ledger_rows" ] || { echo "bench/citus_ledger.sh: $ledger_count ledger rows, not $ledger_rows" >&2; exit 1; }

# finmon.distribute(): the 35 tables of councils' figures by council, the 15 others reference tables.
step "Distributing on the cluster (finmon.distribute(shard_count => $shards))..."
t0=$(now)
placed=$(sql "$coord" -F ' ' -c "SELECT placement, count(*) FILTER (WHERE placed_now), count(*)
                                   FROM finmon.distribute(shard_count => $shards) GROUP BY 1 ORDER BY 1")
t1=$(now); distribute_ms=$(ms "$t0" "$t1")
[ "$placed" = $'distributed by council 35 35\nreference 15 15' ] ||
  { echo "bench/citus_ledger.sh: finmon.distribute() placed an unexpected set of tables:" >&2; echo "$placed" >&2; exit 1; }
step "VACUUM ANALYZE on every node..."
for p in "$single" "$coord" "$worker1" "$worker2"; do sql "$p" -c 'VACUUM ANALYZE'; done

# The queries.
q_ledger="SELECT financial_year, sum(amount), count(*) FROM finmon_data.ledger GROUP BY financial_year"
q_variance="SELECT financial_year, (s.v).* FROM (SELECT financial_year, finmon.variance_agg(budget, forecast_outturn) AS v FROM finmon_data.revenue GROUP BY financial_year) s"
q_councils="SELECT council, financial_year, sum(amount) FROM finmon_data.ledger GROUP BY 1, 2"
q_report="SELECT * FROM finmon.revenue_report WHERE council = '$measured' AND financial_year = '$query_year' AND period = $query_period"
queries=('' "$q_ledger" "$q_variance" "$q_councils" "$q_report")
labels=(''
  '1. every council: ledger sum(amount), count(*) GROUP BY financial_year'
  '2. every council: revenue variance_agg(budget, forecast_outturn) GROUP BY financial_year'
  '3. every council: ledger sum(amount) GROUP BY council, financial_year'
  "4. $measured's revenue_report, $query_year period $query_period (actual_to_date from the ledger summaries)"
  "5. $measured's import: \\copy ledger_import, $import_rows new rows ($query_year period $import_period)"
  '6. the same file again (a reload over its own references)'
  "7. delete_figures('ledger', '$query_year', $import_period, '$measured')")

# Correct first: each query's rows the same on both sides (and some).
digest() { sql "$1" -c "SELECT count(*) || ' ' || coalesce(md5(string_agg(q::text, E'\\n' ORDER BY q::text)), 'none') FROM ($2) q"; }
answers=
for k in 1 2 3 4; do
  a=$(digest "$single" "${queries[$k]}") b=$(digest "$coord" "${queries[$k]}")
  [ "$a" = "$b" ] && [ "${a%% *}" -gt 0 ] ||
    { echo "bench/citus_ledger.sh: query $k: single server $a, cluster $b" >&2; exit 1; }
  answers+="${answers:+, }$k: ${a%% *}"
done

# Where Citus runs queries 1-4 (EXPLAIN on the coordinator), and for 1-3 the rows the workers send
# the coordinator: the workers' query as EXPLAIN VERBOSE shows it, run on every shard (workers_send).
notes=()
for k in 1 2 3 4; do
  plan=$(sql "$coord" -c "EXPLAIN (VERBOSE, COSTS OFF) ${queries[$k]}")
  [ "$explain" != 1 ] || { echo "EXPLAIN (VERBOSE, COSTS OFF) on the coordinator of query $k:"; sed 's/^/    /' <<<"$plan"; }
  counts=$(sed -n 's/.*Task Count: \([0-9]*\).*/\1/p' <<<"$plan" | paste -sd/ -)
  subplans=$(grep -c 'Distributed Subplan' <<<"$plan" || true)
  if [ "$k" = 4 ]; then
    [ "$counts" = 1 ] && [ "$subplans" = 0 ] && notes[$k]='one node (Task Count: 1)' || notes[$k]="Task Count ${counts:-none}, $subplans subplans"
    continue
  fi
  table=$([ "$k" = 2 ] && echo revenue || echo ledger)
  workers_send "$k" "finmon_data.$table" "$plan"
  notes[$k]="Task Count $counts$([ "$subplans" = 0 ] || echo ", $subplans subplan"); the workers send $sent_rows rows from $sent_shards shards"
  grep -qF 'worker_partial_agg(' <<<"$worker_query" && notes[$k]+=' (partial states)'
done

settings_sql="SELECT string_agg(name || ' = ' || current_setting(name), ', ' ORDER BY name)
  FROM pg_settings WHERE name IN ('max_parallel_workers_per_gather', 'jit', 'shared_buffers', 'work_mem')"
set_single=$(sql "$single" -c "$settings_sql")
set_coord=$(sql "$coord" -c "$settings_sql")
citus_version=$(sql "$coord" -c "SELECT substring(pg_catalog.citus_version() FROM '^Citus [0-9.]+')")
size_single=$(sql "$single" -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c
                                 WHERE c.relnamespace = 'finmon_data'::regnamespace AND c.relkind = 'r'")
size_cluster=$(sql "$coord" -c "SELECT pg_size_pretty(sum(pg_catalog.citus_total_relation_size(logicalrelid)))
                                  FROM pg_dist_partition WHERE partmethod = 'h'")

values=
for k in 1 2 3 4; do values+="${values:+, }($k, \$q\$${queries[$k]}\$q\$, $([ "$k" = 4 ] && echo "$query_loops" || echo 1))"; done

step "Queries 1-4: checked; timing a warm-up round, then $repeat rounds..."
sql "$single" <<SQL
SET client_min_messages = warning;
CREATE TABLE bench_timing (k int, side text, round int, ms double precision);
CREATE TEMP TABLE query (k int, sql text, loops int);
INSERT INTO query VALUES
  $values;
CREATE TEMP TABLE side (side text, port int, o int);
INSERT INTO side VALUES ('single', $single, 1), ('cluster', $coord, 2);
-- one dblink session per side, with time_ms(query, loops): ms per execution, each planned afresh
SELECT dblink_connect(side, format('host=127.0.0.1 port=%s dbname=$db user=postgres', port)),
       dblink_exec(side, \$x\$$time_loops_ms_sql\$x\$)
  FROM side \g /dev/null
CREATE FUNCTION pg_temp.on_side(side text, query text, loops int) RETURNS double precision LANGUAGE sql
    AS \$f\$ SELECT ms FROM dblink(side, format('SELECT pg_temp.time_ms(%L, %s)', query, loops)) AS r(ms double precision) \$f\$;
-- a warm-up round, then interleaved rounds: query by query the two sides alternate, the single
-- server first in odd rounds and the cluster first in even ones
SELECT pg_temp.on_side(s.side, q.sql, 1) FROM query q CROSS JOIN side s ORDER BY q.k, s.o \g /dev/null
DO \$\$
DECLARE
    q record;
BEGIN
    FOR r IN 1 .. $repeat LOOP
        FOR q IN SELECT * FROM query ORDER BY k LOOP
            IF r % 2 = 1 THEN
                INSERT INTO bench_timing VALUES (q.k, 'single', r, pg_temp.on_side('single', q.sql, q.loops));
                INSERT INTO bench_timing VALUES (q.k, 'cluster', r, pg_temp.on_side('cluster', q.sql, q.loops));
            ELSE
                INSERT INTO bench_timing VALUES (q.k, 'cluster', r, pg_temp.on_side('cluster', q.sql, q.loops));
                INSERT INTO bench_timing VALUES (q.k, 'single', r, pg_temp.on_side('single', q.sql, q.loops));
            END IF;
        END LOOP;
    END LOOP;
END;
\$\$;
SQL

# The loads, one psql session per side and round: the month (5), the same file again (6), the
# month deleted (7), each timed; in the warm-up round (0) the council's month and summaries
# before and after each (digest lines), then the ms. Then VACUUM ANALYZE of what they touched.
state_sql="SELECT (SELECT count(*) || ' ' || coalesce(md5(string_agg(q::text, E'\\n' ORDER BY q::text)), 'none')
                     FROM (SELECT council, financial_year, period, posting_date, line, amount, reference FROM finmon_data.ledger
                            WHERE council = '$measured' AND financial_year = '$query_year' AND period = $import_period) q) || ' / '
               || (SELECT count(*) || ' ' || md5(string_agg(q::text, E'\\n' ORDER BY q::text))
                     FROM (SELECT * FROM finmon_data.ledger_summary WHERE council = '$measured') q)"
load_round() { # SIDE PORT ROUND
  local check= since="SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 AS"
  [ "$3" != 0 ] || check="$state_sql;"
  sql "$2" <<SQL
$check
SELECT clock_timestamp() AS t0 \gset
\copy finmon.ledger_import FROM '$month_csv' WITH (FORMAT csv, HEADER)
$since ms5 \gset
$check
SELECT clock_timestamp() AS t0 \gset
\copy finmon.ledger_import FROM '$month_csv' WITH (FORMAT csv, HEADER)
$since ms6 \gset
$check
SELECT clock_timestamp() AS t0 \gset
SELECT finmon.delete_figures('ledger', '$query_year', $import_period, '$measured') AS deleted \gset
$since ms7 \gset
$check
SELECT :ms5, :ms6, :ms7, :deleted;
SQL
  sql "$2" -c "VACUUM ANALYZE finmon_data.ledger_${query_year/-/_}, finmon_data.ledger_summary"
}
step "Loads 5-7: a warm-up round with the checks, then $repeat rounds..."
declare -A seen=([single]=$(load_round single "$single" 0) [cluster]=$(load_round cluster "$coord" 0))
mapfile -t st <<<"${seen[single]}"
fail=
[ "$(head -n 4 <<<"${seen[single]}")" = "$(head -n 4 <<<"${seen[cluster]}")" ] || fail='the two sides differ'
[ "${st[1]%% *}" = "$import_rows" ] || fail+=" load 5 left ${st[1]%% *} rows of the month;"
[ "${st[2]}" = "${st[1]}" ] || fail+=' the reload changed the month or the summaries;'
[ "${st[3]}" = "${st[0]}" ] || fail+=' delete_figures did not give back the summaries of before;'
[ "${st[4]##*|}" = "$import_rows" ] && [ "${seen[cluster]##*|}" = "$import_rows" ] || fail+=" delete_figures deleted ${st[4]##*|} / ${seen[cluster]##*|} rows;"
[ -z "$fail" ] || { echo "bench/citus_ledger.sh: the loads: $fail" >&2; printf '%s\n' "${seen[@]}" >&2; exit 1; }
timing_values=
for ((r = 1; r <= repeat; r++)); do
  order=$([ $((r % 2)) = 1 ] && echo 'single cluster' || echo 'cluster single')
  for side in $order; do
    port=$([ "$side" = single ] && echo "$single" || echo "$coord")
    IFS='|' read -r t5 t6 t7 deleted <<<"$(load_round "$side" "$port" "$r")"
    [ "$deleted" = "$import_rows" ] || { echo "bench/citus_ledger.sh: round $r on the $side: $deleted rows deleted" >&2; exit 1; }
    timing_values+="${timing_values:+, }(5, '$side', $r, $t5), (6, '$side', $r, $t6), (7, '$side', $r, $t7)"
  done
done

labels_values=
for k in 1 2 3 4 5 6 7; do
  note=${notes[$k]:-}
  [ "$k" = 7 ] || [ -n "$note" ] || note="$import_rows rows"
  labels_values+="${labels_values:+, }($k, \$q\$${labels[$k]}\$q\$, \$q\$$note\$q\$)"
done
sql "$single" <<SQL
INSERT INTO bench_timing VALUES $timing_values;
CREATE TEMP TABLE label (k int, label text, note text);
INSERT INTO label VALUES $labels_values;
\pset tuples_only off
\pset format aligned
\pset footer off
SELECT 'data' AS item,
       format('$councils councils x 2 years (2022-23, 2023-24) x 12 periods x $lines leaf lines = %s finmon_data.revenue rows; %s finmon_data.ledger rows (2022-23 and 2023-24 periods 1-11), %s of ledger_summary',
              to_char($revenue_rows, 'FM999,999,999'), to_char($ledger_count, 'FM999,999,999'), to_char($summary_rows, 'FM999,999,999')) AS value
UNION ALL SELECT 'loaded', 'revenue through revenue_import (one load, every council); $measured''s ledger through ledger_import, the others'' straight into finmon_data.ledger (setup) and rebuild_ledger_summary per council. Single server $load_single ms; coordinator (before distributing) $load_coord ms'
UNION ALL SELECT 'nodes', 'single server: one PostgreSQL, no Citus; cluster: a coordinator and 2 workers, $citus_version; all on this machine, loopback'
UNION ALL SELECT 'distribute', 'finmon.distribute(shard_count => $shards): 35 tables distributed by council, 15 reference tables, $distribute_ms ms'
UNION ALL SELECT 'size of finmon_data', 'single server $size_single; cluster $size_cluster (the distributed tables, all shards)'
UNION ALL SELECT 'settings, single server', \$s\$$set_single\$s\$
UNION ALL SELECT 'settings, coordinator', \$s\$$set_coord\$s\$ || ' (the workers as the coordinator)'
UNION ALL SELECT 'measured', '$measured, $query_year period $query_period; queries 1-3 one execution, query 4 ms per execution over $query_loops, each planned afresh, timed in its server; 5-7 in a psql session per side and round'
UNION ALL SELECT 'answers', 'identical on both sides (md5 of the rows as text, sorted; rows per query $answers); the loads: the month''s rows and the summaries identical after each, $import_rows rows added and deleted'
UNION ALL SELECT 'repetitions', '$repeat rounds (median reported), after a warm-up round; the sides alternating'
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

WITH m AS (
    SELECT k, side, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
           round(min(ms)::numeric, 1) || '–' || round(max(ms)::numeric, 1) AS range
      FROM bench_timing GROUP BY k, side
)
SELECT l.label AS query,
       round(s.ms::numeric, 1) AS "single ms", s.range AS "single min–max",
       round(c.ms::numeric, 1) AS "cluster ms", c.range AS "cluster min–max",
       round((c.ms / s.ms)::numeric, 2) AS "cluster / single",
       CASE WHEN l.k IN (5, 6) THEN l.note || '; rows/s: single ' || to_char($import_rows / s.ms * 1000, 'FM999,999,999') || ', cluster ' || to_char($import_rows / c.ms * 1000, 'FM999,999,999')
            ELSE l.note END AS "on the cluster"
  FROM label l
  JOIN m s ON s.k = l.k AND s.side = 'single'
  JOIN m c ON c.k = l.k AND c.side = 'cluster'
 ORDER BY l.k;
SQL

elapsed=$(awk "BEGIN { printf \"%.0f\", $(date +%s.%N) - $started }")
echo "Every answer was identical on the single server and the cluster. Wall time ${elapsed} s."
finished=1
