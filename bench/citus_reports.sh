#!/usr/bin/env bash
# bench/citus_reports.sh: one council's committee tables on a Citus cluster against a single
# server (issue 14's benchmark). finmon's own tables, placed on the cluster by
# finmon.distribute(), holding the same councils' figures as one plain PostgreSQL server.
#
# The nodes: a single server (PostgreSQL 15, no Citus) and a Citus 13.2.2 cluster (a coordinator
# and two workers), all on this machine, on loopback, as the postgres user, on free ports in
# 5800-5899, in a temporary directory removed on exit (the servers stopped, even on failure).
# jit = off and max_parallel_workers_per_gather = BENCH_PARALLEL_WORKERS (default 0: one worker, as
# the other benchmarks; PostgreSQL's default is 2) on every node (printed). With 2, on this
# 2-core machine, the single server planned the live reports of one council in parallel (a
# misestimate of the council's rows) and ran them about twice as slowly.
#
# The data, the same on both sides, generated as bench/councils.sh does: BENCH_COUNCILS councils
# (default 150, C001 to C150) x BENCH_YEARS financial years (default 2, 2022-23 on) x 12 periods x
# BENCH_LINES leaf lines (default 300: 'Area a > Group g > Line l', 5 areas of 6 groups of 10
# lines) of revenue figures, 1,080,000 rows at the defaults; each council a committee table
# layout 'summary' of 20 rows (revenue_tables_import, revenue_table_rows_import) and a
# service_name setting (settings_import). BENCH_IMPORT_COUNCILS (default 1: the measured council)
# councils go in through finmon.revenue_import (\copy of a CSV written once); the others' rows are
# written straight into finmon_data.revenue and finmon_data.revenue_node as a superuser (setting
# up, as councils.sh does with the same knob). On the cluster everything is loaded on the
# coordinator BEFORE SELECT * FROM finmon.distribute(shard_count => BENCH_SHARDS) (default 32),
# which moves them into the shards (bench/citus_ledger.sh times imports on the cluster). Then VACUUM
# ANALYZE on every node, SELECT count(*) FROM finmon.refresh_period_views(true) on both sides
# (timed, printed), and ANALYZE again.
#
# Timed on both sides, for the measured council (the middle one, C075 at the defaults), its
# table 'summary', the last year, period 6, the queries of councils.sh:
#   1. finmon.revenue_table_printed (the committee table as printed, live);
#   2. finmon.revenue_table_period (the same rows from the period table);
#   3. finmon.revenue_report for the year and period (live);
#   4. finmon.revenue_period for the year and period (the BI query);
# and across every council:
#   5. SELECT financial_year, (s.v).* FROM (SELECT financial_year, finmon.variance_agg(budget,
#      forecast_outturn) AS v FROM finmon_data.revenue GROUP BY financial_year) s.
# Each as a superuser and (BENCH_READER=1, the default) as bench_council_reader, a LOGIN role
# given finmon_reader and the measured council only (finmon.grant_council: row-level security
# applies); query 5 reads finmon_data as a superuser only. Before timing: every query's rows, as
# text, sorted, md5 of their string_agg, the same on both sides and for both roles (and some
# rows), the reader sees only its council; it stops with an error otherwise. Also printed: whether
# Citus sends each one-council query whole to one node (EXPLAIN: a single "Task Count: 1" and no
# subplans) or not; BENCH_EXPLAIN=1 prints those plans.
#
# Timing: one controlling session on the single server reaches each side through one dblink
# session per role (the single server itself, the coordinator), and each query is timed in its
# server (clock_timestamp() around EXECUTE, each execution planned afresh, as a client's
# unprepared query is; the average over BENCH_QUERY_LOOPS executions, default 5, for queries 1-4,
# one execution for query 5). A warm-up round, then BENCH_REPEAT rounds (default 5), the two
# sides alternating query by query (the single server first in odd rounds); medians. Not a test:
# nothing here asserts a timing.
#
# usage: ./bench/citus_reports.sh                         as root, with finmon and Citus installed
#        BENCH_COUNCILS=20 BENCH_YEARS=1 BENCH_REPEAT=3 ./bench/citus_reports.sh   a quick run
set -euo pipefail

councils=${BENCH_COUNCILS:-150}
years=${BENCH_YEARS:-2}
lines=${BENCH_LINES:-300}
import_councils=${BENCH_IMPORT_COUNCILS:-1}
repeat=${BENCH_REPEAT:-5}
shards=${BENCH_SHARDS:-32}
query_loops=${BENCH_QUERY_LOOPS:-5}
with_reader=${BENCH_READER:-1}
explain=${BENCH_EXPLAIN:-0}
parallel=${BENCH_PARALLEL_WORKERS:-0}
started=$(date +%s.%N)

measured_no=$(( (councils + 1) / 2 ))
measured=$(printf 'C%03d' "$measured_no")
last_year=2023
first_year=$(( last_year - years + 1 ))
fy() { printf '%d-%02d' "$1" $(( ($1 + 1) % 100 )); }
query_year=$(fy $last_year)
query_period=6
reader=bench_council_reader
[ "$import_councils" -le "$councils" ] || import_councils=$councils
[ "$import_councils" -ge 1 ] || import_councils=1

cat <<EOF
bench/citus_reports.sh: one council's committee tables on a Citus cluster against a single server.
  rerun: as root, ./bench/citus_reports.sh   (knobs: BENCH_COUNCILS=$councils BENCH_YEARS=$years BENCH_LINES=$lines
         BENCH_IMPORT_COUNCILS=$import_councils BENCH_SHARDS=$shards BENCH_REPEAT=$repeat BENCH_QUERY_LOOPS=$query_loops BENCH_READER=$with_reader BENCH_EXPLAIN=$explain
         BENCH_PARALLEL_WORKERS=$parallel)
  data: $councils councils x $years years ($(fy $first_year) to $query_year) x 12 periods x $lines lines = $(( councils * years * 12 * lines )) revenue rows;
        measured: $measured, table summary, $query_year period $query_period
EOF

. "$(dirname "$0")/lib.sh"

me=citus_reports.sh
. "$(dirname "$0")/citus_lib.sh"

# The councils, the generator of their revenue rows (lib.sh's, as councils.sh: budgets and
# forecasts in pounds vary by council, line, year and period; every tenth line is income) and the
# reader: the same on both sides. bench_council and bench_revenue stay local to the coordinator.
setup_sql=$(cat <<SQL
CREATE TABLE bench_council AS SELECT n, format('C%s', to_char(n, 'FM000')) AS council FROM generate_series(1, $councils) AS n;
INSERT INTO finmon.council_import SELECT council, 'Council ' || to_char(n, 'FM000') FROM bench_council ORDER BY n;
$(revenue_generator_sql "$lines")
CREATE ROLE $reader LOGIN IN ROLE finmon_reader;
SELECT finmon.grant_council('$reader', '$measured');
SQL
)
sql "$single" <<<"$setup_sql" >/dev/null
sql "$coord" <<<"$setup_sql" >/dev/null

# The councils loaded through revenue_import: the measured one, and the first others. Their files
# written once, from the single server.
imported=("$measured_no")
for ((i = 1; ${#imported[@]} < import_councils; i++)); do
  [ "$i" = "$measured_no" ] || imported+=("$i")
done
imported_list=$(IFS=,; echo "${imported[*]}")
for n in "${imported[@]}"; do
  sql "$single" -c "\\copy (SELECT * FROM bench_revenue($n, $first_year, $last_year, 1, 12)) TO '$dir/revenue_$n.csv' WITH (FORMAT csv, HEADER)"
done

# The load, the same statements on both sides: the imported councils' files through
# revenue_import; the others straight into the tables (setting up; the hierarchy is the measured
# council's, which its import made); the layouts and settings of every council through the
# import views, in one load of each.
load_sql=$(
  for n in "${imported[@]}"; do
    echo "\\copy finmon.revenue_import FROM '$dir/revenue_$n.csv' WITH (FORMAT csv, HEADER)"
  done
  cat <<SQL
$(revenue_direct_sql "$measured" "$imported_list" $first_year $last_year)
$revenue_layouts_sql
SQL
)
step "Loading the single server..."
t0=$(now); sql "$single" <<<"$load_sql"; t1=$(now)
load_single=$(ms "$t0" "$t1")
step "Loading the coordinator..."
t0=$(now); sql "$coord" <<<"$load_sql"; t1=$(now)
load_coord=$(ms "$t0" "$t1")
revenue_rows=$(sql "$single" -c "SELECT count(*) FROM finmon_data.revenue")
[ "$revenue_rows" = "$(sql "$coord" -c "SELECT count(*) FROM finmon_data.revenue")" ] ||
  { echo "bench/citus_reports.sh: the two sides hold different numbers of revenue rows" >&2; exit 1; }

# finmon.distribute(): the 35 tables of councils' figures by council, the 15 others reference tables.
step "Distributing on the cluster (finmon.distribute(shard_count => $shards))..."
t0=$(now)
placed=$(sql "$coord" -F ' ' -c "SELECT placement, count(*) FILTER (WHERE placed_now), count(*)
                                   FROM finmon.distribute(shard_count => $shards) GROUP BY 1 ORDER BY 1")
t1=$(now)
distribute_ms=$(ms "$t0" "$t1")
[ "$placed" = $'distributed by council 35 35\nreference 15 15' ] ||
  { echo "bench/citus_reports.sh: finmon.distribute() placed an unexpected set of tables:" >&2; echo "$placed" >&2; exit 1; }

# Statistics on every node (the workers hold the shards), the full refresh on both sides (timed),
# statistics again for the period tables it filled.
analyze_all() {
  local p
  for p in "$single" "$coord" "$worker1" "$worker2"; do sql "$p" -c "$1"; done
}
analyze_all 'VACUUM ANALYZE'
refresh_sql="SELECT count(*), count(*) FILTER (WHERE status NOT IN ('ok', 'unchanged')),
                    left(string_agg(DISTINCT view_name || ': ' || error, '; ') FILTER (WHERE status NOT IN ('ok', 'unchanged')), 300)
               FROM finmon.refresh_period_views(true)"
step "Refreshing the period views on the single server..."
t0=$(now); refreshed_single=$(sql "$single" -F '|' -c "$refresh_sql"); t1=$(now)
refresh_single=$(ms "$t0" "$t1")
step "Refreshing the period views on the cluster..."
t0=$(now); refreshed_cluster=$(sql "$coord" -F '|' -c "$refresh_sql"); t1=$(now)
refresh_cluster=$(ms "$t0" "$t1")
for r in "single server|$refreshed_single" "cluster|$refreshed_cluster"; do
  IFS='|' read -r side n failed why <<<"$r"
  [ "$failed" = 0 ] && [ "$n" -gt 0 ] ||
    { echo "bench/citus_reports.sh: refresh_period_views(true) on the $side: $failed of $n failed: $why" >&2; exit 1; }
done
refreshed_rows=${refreshed_single%%|*}
analyze_all 'ANALYZE'

# The queries.
q_printed="SELECT * FROM finmon.revenue_table_printed WHERE council = '$measured' AND table_name = 'summary' AND financial_year = '$query_year' AND period = $query_period ORDER BY row_number"
q_table="SELECT * FROM finmon.revenue_table_period WHERE council = '$measured' AND table_name = 'summary' AND financial_year = '$query_year' AND period = $query_period ORDER BY row_number"
q_report="SELECT * FROM finmon.revenue_report WHERE council = '$measured' AND financial_year = '$query_year' AND period = $query_period"
q_period="SELECT * FROM finmon.revenue_period WHERE council = '$measured' AND financial_year = '$query_year' AND period = $query_period"
q_variance="SELECT financial_year, (s.v).* FROM (SELECT financial_year, finmon.variance_agg(budget, forecast_outturn) AS v FROM finmon_data.revenue GROUP BY financial_year) s"
queries=('' "$q_printed" "$q_table" "$q_report" "$q_period" "$q_variance")
labels=(''
  "1. $measured's committee table as printed: revenue_table_printed"
  "2. the same from the period table: revenue_table_period"
  "3. $measured's revenue_report, one year and period (live)"
  "4. $measured's revenue_period, one year and period (BI query)"
  '5. every council: variance_agg(budget, forecast_outturn) GROUP BY financial_year')

# Where Citus runs each query: from EXPLAIN on the coordinator (as a superuser), the Task Counts of
# its distributed scans. Sent whole to one node: a single Citus scan with Task Count: 1.
routed=()
for k in 1 2 3 4 5; do
  plan=$(sql "$coord" -c "EXPLAIN (COSTS OFF) ${queries[$k]}")
  [ "$explain" != 1 ] || { echo "EXPLAIN (COSTS OFF) on the coordinator of query $k:"; sed 's/^/    /' <<<"$plan"; }
  counts=$(sed -n 's/.*Task Count: \([0-9]*\).*/\1/p' <<<"$plan" | paste -sd/ -)
  subplans=$(grep -c 'Distributed Subplan' <<<"$plan" || true)
  if [ "$counts" = 1 ] && [ "$subplans" = 0 ]; then
    routed[$k]="yes: one node (Task Count: 1)"
  else
    routed[$k]="no: Task Count ${counts:-none}"
    [ "$subplans" = 0 ] || routed[$k]+=", after $subplans distributed subplan$([ "$subplans" = 1 ] || echo s)"
  fi
done

values=
for k in 1 2 3 4 5; do
  loops=$([ "$k" = 5 ] && echo 1 || echo "$query_loops")
  values+="${values:+,
  }($k, \$q\$${labels[$k]}\$q\$, \$q\$${queries[$k]}\$q\$, $loops, \$q\$${routed[$k]}\$q\$)"
done
roles="('superuser', 'postgres', 1)"
[ "$with_reader" != 1 ] || roles+=", ('reader', '$reader', 2)"

# What the sessions timed need: time_ms(query, loops), ms per execution over loops executions, each
# planned afresh; digest(query), the rows' count and the md5 of their text, sorted.
functions_sql="$time_loops_ms_sql"$'\n'"$digest_sql"

settings_sql="SELECT string_agg(name || ' = ' || current_setting(name), ', ' ORDER BY name)
  FROM pg_settings WHERE name IN ('max_parallel_workers_per_gather', 'jit', 'shared_buffers', 'work_mem')"
set_single=$(sql "$single" -c "$settings_sql")
set_coord=$(sql "$coord" -c "$settings_sql")
citus_version=$(sql "$coord" -c "SELECT substring(pg_catalog.citus_version() FROM '^Citus [0-9.]+')")
size_single=$(sql "$single" -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c
                                 WHERE c.relnamespace = 'finmon_data'::regnamespace AND c.relkind = 'r'")
size_cluster=$(sql "$coord" -c "SELECT pg_size_pretty(sum(pg_catalog.citus_total_relation_size(logicalrelid)))
                                  FROM pg_dist_partition WHERE partmethod = 'h'")

step "Checking and timing: a warm-up round, then $repeat rounds..."
sql "$single" <<SQL
SET client_min_messages = warning;
CREATE TEMP TABLE query (k int, label text, sql text, loops int, routed text);
INSERT INTO query VALUES
  $values;
CREATE TEMP TABLE role (role text, name text, o int);
INSERT INTO role VALUES $roles;
CREATE TEMP TABLE side (side text, port int, o int);
INSERT INTO side VALUES ('single', $single, 1), ('cluster', $coord, 2);
-- one dblink session per side and role, each with the functions
SELECT dblink_connect(s.side || '_' || r.role, format('host=127.0.0.1 port=%s dbname=$db user=%s', s.port, r.name)),
       dblink_exec(s.side || '_' || r.role, \$x\$$functions_sql\$x\$)
  FROM side s, role r \g /dev/null
-- which (k, role) pairs are measured: query 5 reads finmon_data, as a superuser only
CREATE TEMP VIEW measured AS
SELECT q.k, r.role, r.o FROM query q, role r WHERE q.k < 5 OR r.role = 'superuser';
CREATE FUNCTION pg_temp.on_side(side text, role text, query text, loops int) RETURNS double precision LANGUAGE sql
    AS \$f\$ SELECT ms FROM dblink(side || '_' || role, format('SELECT pg_temp.time_ms(%L, %s)', query, loops)) AS r(ms double precision) \$f\$;

-- correct first: the same rows on both sides and for both roles, and some
CREATE TEMP TABLE checked AS
SELECT m.k, m.role, s.side, d.rows, d.md5
  FROM measured m JOIN query q USING (k) CROSS JOIN side s,
       LATERAL dblink(s.side || '_' || m.role, format('SELECT * FROM pg_temp.digest(%L)', q.sql)) AS d(rows bigint, md5 text);
CREATE TEMP TABLE seen AS
SELECT s.side, d.councils, d.which
  FROM side s, LATERAL dblink(s.side || '_reader',
                              'SELECT count(DISTINCT council), string_agg(DISTINCT council, '','') FROM finmon.revenue_period') AS d(councils bigint, which text)
 WHERE EXISTS (SELECT FROM role WHERE role = 'reader');
DO \$\$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(format('query %s: %s', k, digests), '; ') INTO bad
      FROM (SELECT k, string_agg(side || '/' || role || ' ' || rows || ' rows ' || md5, ', ') AS digests
              FROM checked GROUP BY k HAVING count(DISTINCT (rows, md5)) > 1 OR min(rows) = 0) AS d;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'the queries do not give the same rows on the single server and the cluster and for both roles (or give none): %', bad;
    END IF;
    SELECT string_agg(format('%s: %s councils (%s)', side, councils, which), '; ') INTO bad FROM seen WHERE councils <> 1 OR which <> '$measured';
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'the reader given $measured sees other councils in finmon.revenue_period: %', bad;
    END IF;
END;
\$\$;

-- a warm-up round, then interleaved rounds: query by query and role by role, the two sides
-- alternate, the single server first in odd rounds and the cluster first in even ones
CREATE TEMP TABLE timing (k int, role text, side text, round int, ms double precision);
SELECT pg_temp.on_side(s.side, m.role, q.sql, 1) FROM measured m JOIN query q USING (k) CROSS JOIN side s ORDER BY m.k, m.o, s.o \g /dev/null
DO \$\$
DECLARE
    q record;
BEGIN
    FOR r IN 1 .. $repeat LOOP
        FOR q IN SELECT m.k, m.role, query.sql, query.loops FROM measured m JOIN query USING (k) ORDER BY m.k, m.o LOOP
            IF r % 2 = 1 THEN
                INSERT INTO timing VALUES (q.k, q.role, 'single', r, pg_temp.on_side('single', q.role, q.sql, q.loops));
                INSERT INTO timing VALUES (q.k, q.role, 'cluster', r, pg_temp.on_side('cluster', q.role, q.sql, q.loops));
            ELSE
                INSERT INTO timing VALUES (q.k, q.role, 'cluster', r, pg_temp.on_side('cluster', q.role, q.sql, q.loops));
                INSERT INTO timing VALUES (q.k, q.role, 'single', r, pg_temp.on_side('single', q.role, q.sql, q.loops));
            END IF;
        END LOOP;
    END LOOP;
END;
\$\$;

\pset tuples_only off
\pset format aligned
\pset footer off
SELECT 'data' AS item,
       format('$councils councils x $years years ($(fy $first_year) to $query_year) x 12 periods x $lines leaf lines = %s finmon_data.revenue rows, %s nodes; each council a committee table of %s rows and a setting',
              to_char($revenue_rows, 'FM999,999,999'), to_char((SELECT count(*) FROM finmon_data.revenue_node), 'FM999,999,999'),
              (SELECT count(*) FROM finmon_data.revenue_table_row WHERE council = '$measured')) AS value
UNION ALL SELECT 'loaded', '$import_councils council(s) through revenue_import ($measured and the first others), the others written straight into finmon_data.revenue and revenue_node (setup); layouts and settings through the import views. Single server $load_single ms; coordinator (before distributing) $load_coord ms'
UNION ALL SELECT 'nodes', 'single server: one PostgreSQL, no Citus; cluster: a coordinator and 2 workers, $citus_version; all on this machine, loopback'
UNION ALL SELECT 'distribute', 'finmon.distribute(shard_count => $shards): 35 tables distributed by council, 15 reference tables, $distribute_ms ms'
UNION ALL SELECT 'size of finmon_data', 'single server $size_single; cluster $size_cluster (the distributed tables, all shards)'
UNION ALL SELECT 'refresh_period_views(true)', 'single server $refresh_single ms; cluster $refresh_cluster ms ($refreshed_rows rows of its log each, every one ok)'
UNION ALL SELECT 'settings, single server', \$s\$$set_single\$s\$
UNION ALL SELECT 'settings, coordinator', \$s\$$set_coord\$s\$ || ' (the workers as the coordinator)'
UNION ALL SELECT 'measured', '$measured, table summary, $query_year period $query_period; queries 1-4 ms per execution over $query_loops executions, query 5 one; each planned afresh, timed in its server'
UNION ALL SELECT 'roles', 'superuser (postgres)' || CASE WHEN $with_reader = 1 THEN '; reader: $reader, a LOGIN role given finmon_reader and $measured only (finmon.grant_council), its own session on each side (queries 1-4)' ELSE '' END
UNION ALL SELECT 'answers', 'identical on both sides and for both roles (md5 of the rows as text, sorted; rows per query '
                 || (SELECT string_agg(DISTINCT k || ': ' || rows, ', ') FROM checked) || ')'
                 || CASE WHEN EXISTS (SELECT FROM seen) THEN '; the reader sees only $measured on both sides' ELSE '' END
UNION ALL SELECT 'repetitions', '$repeat rounds (median reported), after a warm-up round; the sides alternating query by query'
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

WITH m AS (
    SELECT k, role, side, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
           round(min(ms)::numeric, 2) || '–' || round(max(ms)::numeric, 2) AS range
      FROM timing GROUP BY k, role, side
)
SELECT q.label AS query, r.role,
       round(s.ms::numeric, 2) AS "single ms", s.range AS "single min–max",
       round(c.ms::numeric, 2) AS "cluster ms", c.range AS "cluster min–max",
       round((s.ms / c.ms)::numeric, 2) AS "single / cluster",
       CASE WHEN q.k < 5 THEN q.routed ELSE 'across councils, ' || q.routed END AS "on the cluster"
  FROM query q JOIN role r ON true
  JOIN m s ON s.k = q.k AND s.role = r.role AND s.side = 'single'
  JOIN m c ON c.k = q.k AND c.role = r.role AND c.side = 'cluster'
 ORDER BY q.k, r.o;
SQL

elapsed=$(awk "BEGIN { printf \"%.0f\", $(date +%s.%N) - $started }")
echo "Every answer was identical on the single server and the cluster. Wall time ${elapsed} s."
finished=1
