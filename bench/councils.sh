#!/bin/bash
# bench/councils.sh: many councils in one database (part 1 of finmon 2.0's targets), single worker.
# BENCH_COUNCILS councils (default 150) x BENCH_YEARS financial years (default 5, 2019-20 on) x 12
# periods x BENCH_LINES leaf lines (default 300: 'Area a > Group g > Line l', 5 areas of 6 groups
# of 10 lines) of revenue figures, 2,700,000 rows at the defaults; each council also has a
# committee table layout of about 20 rows (revenue_tables_import, revenue_table_rows_import) and
# a settings row (settings_import).  Then:
#   - the load: one CSV per council (written with \copy (SELECT ...) TO), each loaded with
#     \copy finmon.revenue_import;
#   - the full refresh of the period views, refresh_period_views(force => true);
#   - for one council (the middle one, C075 at the defaults), four queries: its committee table as
#     printed (finmon.revenue_table_printed), the same rows from the period table
#     (finmon.revenue_table_period), finmon.revenue_report for one year and period, and the BI
#     query on finmon.revenue_period for one year and period; each as a superuser and as a login
#     role given only that council (finmon.grant_council, SET ROLE: row-level security applies),
#     each timed as the average of BENCH_QUERY_LOOPS executions, planned afresh each time;
#   - the same in a second database holding that council alone (the same rows, loaded the same
#     way), and the ratios many councils / alone (the 2.0 target: at most 1.2);
#   - the refresh after one council's new period: period 1 of the next year loaded for that
#     council through revenue_import, then refresh_period_views(), with what it recomputed.
# Run in a throwaway cluster where finmon is installed:
#     make && make install && pg_virtualenv -t -v 15 ./bench/councils.sh
# BENCH_IMPORT_COUNCILS (default: all) loads only that many councils through revenue_import (the
# measured one and the first others) and writes the others' rows straight into finmon_data.revenue and
# finmon_data.revenue_node as a superuser (setting up data, which bypasses the write path: their load is
# not measured; the load time printed is for the imported councils only).  BENCH_REPEAT (default 5)
# interleaved rounds of the queries (the two databases alternating), medians reported;
# BENCH_FULL_REFRESH_REPEAT (default 1) full refreshes after the first, BENCH_REFRESH_REPEAT
# (default 3) rounds of the refresh after one council's new period, after a warm-up.  BENCH_EXPLAIN=1 also prints EXPLAIN
# (ANALYZE, BUFFERS) of the slowest query in each database.  Scratch files go in BENCH_WORKDIR
# (default /tmp/councilsbench).  Checks first that each query gives the same rows in both
# databases and for both roles, that the reader sees only its council, and that the period
# tables equal the live reports.  Not a test: nothing here asserts a timing.
set -euo pipefail

councils=${BENCH_COUNCILS:-150}
years=${BENCH_YEARS:-5}
lines=${BENCH_LINES:-300}
import_councils=${BENCH_IMPORT_COUNCILS:-$councils}
repeat=${BENCH_REPEAT:-5}
refresh_repeat=${BENCH_REFRESH_REPEAT:-3}
full_refresh_repeat=${BENCH_FULL_REFRESH_REPEAT:-1}
query_loops=${BENCH_QUERY_LOOPS:-20}
explain=${BENCH_EXPLAIN:-0}
workdir=${BENCH_WORKDIR:-/tmp/councilsbench}
db_many=finmon_bench_councils
db_alone=finmon_bench_alone
reader=bench_council_reader

measured_no=$(( (councils + 1) / 2 ))
measured=$(printf 'C%03d' "$measured_no")
first_year=2019
last_year=$(( first_year + years - 1 ))
fy() { printf '%d-%02d' "$1" $(( ($1 + 1) % 100 )); }
query_year=$(fy $last_year)
query_period=6
new_year=$(fy $(( last_year + 1 )))
[ "$import_councils" -le "$councils" ] || import_councils=$councils
[ "$import_councils" -ge 1 ] || import_councils=1

mkdir -p "$workdir"
. "$(dirname "$0")/lib.sh"
timing=$workdir/timing_$$.csv
refreshed=$workdir/refreshed_$$.csv
checks=$workdir/checks_$$.csv
trap 'rm -f "$workdir"/*_$$.csv' EXIT
: > "$timing"
: > "$refreshed"
: > "$checks"

psql_db() { # $1 database; the rest: psql arguments.  Quiet, unaligned, stops at the first error.
    local d=$1
    shift
    psql -X -q -At -F'|' -v ON_ERROR_STOP=1 -d "$d" "$@"
}
ms_since() { # $1: a psql variable holding a clock_timestamp()
    echo "extract(epoch FROM clock_timestamp() - :'$1'::timestamptz) * 1000"
}
council_code() { printf 'C%03d' "$1"; }
csv_of() { echo "$workdir/revenue_$(council_code "$1")_$$.csv"; }

# The councils loaded through revenue_import: the measured one, and the first others.
imported=("$measured_no")
for ((i = 1; ${#imported[@]} < import_councils; i++)); do
    [ "$i" = "$measured_no" ] || imported+=("$i")
done
imported_list=$(IFS=,; echo "${imported[*]}")

# A database with finmon, the councils, and the generator of each council's revenue rows (lib.sh's,
# the same function in both databases, so the same rows): budgets and forecasts in pounds vary by
# council, line, year and period; every tenth line is income.
setup_db() { # $1 database, $2 the councils it holds (numbers, space-separated)
    dropdb --if-exists "$1" >/dev/null 2>&1 || true
    createdb "$1"
    psql_db "$1" -c "ALTER DATABASE $1 SET max_parallel_workers_per_gather = 0" -c "ALTER DATABASE $1 SET jit = off"
    psql_db "$1" -v years="$years" -v lines="$lines" -v first_year="$first_year" <<SQL
CREATE EXTENSION finmon;
CREATE TABLE bench_council AS SELECT n, format('C%s', to_char(n, 'FM000')) AS council FROM unnest('{${2// /,}}'::integer[]) AS n;
INSERT INTO finmon.council_import SELECT council, 'Council ' || to_char(n, 'FM000') FROM bench_council ORDER BY n;
$(revenue_generator_sql "$lines")
SQL
}
# A council's file: council,financial_year,period,line,budget,forecast_outturn.
write_csv() { # $1 database, $2 council number, $3 file, $4-$7 years and periods
    psql_db "$1" -c "\\copy (SELECT * FROM bench_revenue($2, $4, $5, $6, $7)) TO '$3' WITH (FORMAT csv, HEADER)"
}

# The queries, for the measured council.
q_printed="SELECT * FROM finmon.revenue_table_printed WHERE council = '$measured' AND table_name = 'summary' AND financial_year = '$query_year' AND period = $query_period ORDER BY row_number"
q_table="SELECT * FROM finmon.revenue_table_period WHERE council = '$measured' AND table_name = 'summary' AND financial_year = '$query_year' AND period = $query_period ORDER BY row_number"
q_report="SELECT * FROM finmon.revenue_report WHERE council = '$measured' AND financial_year = '$query_year' AND period = $query_period"
q_period="SELECT * FROM finmon.revenue_period WHERE council = '$measured' AND financial_year = '$query_year' AND period = $query_period"
queries_sql="(VALUES (1, 'committee table as printed: revenue_table_printed', \$q\$$q_printed\$q\$),
                     (2, 'committee table from the period table: revenue_table_period', \$q\$$q_table\$q\$),
                     (3, 'revenue_report, one year and period (live)', \$q\$$q_report\$q\$),
                     (4, 'BI query: revenue_period, one year and period', \$q\$$q_period\$q\$)) AS q(k, name, sql)"
# Milliseconds per execution over loops executions, each planned afresh (EXECUTE), as a client's
# unprepared query is; and a digest of a query's rows, to compare databases and roles.
functions_sql="$time_loops_ms_sql"$'\n'"$digest_sql"

echo "Setting up $db_many: $councils councils ($import_councils through revenue_import), $years years x 12 periods x $lines lines..."
setup_db $db_many "$(seq -s ' ' 1 "$councils")"
setup_db $db_alone "$measured_no"
for n in "${imported[@]}"; do
    write_csv $db_many "$n" "$(csv_of "$n")" $first_year $last_year 1 12
done
write_csv $db_many "$measured_no" "$workdir/new_period_$$.csv" $(( last_year + 1 )) $(( last_year + 1 )) 1 1
for d in $db_many $db_alone; do
    psql_db $d <<SQL
SET client_min_messages = warning;
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$reader') THEN CREATE ROLE $reader LOGIN; END IF;
END \$\$;
GRANT finmon_reader TO $reader;
SELECT finmon.grant_council('$reader', '$measured');
SQL
done

# The load: each imported council's file through revenue_import, timed one by one.
{
    for n in "${imported[@]}"; do
        cat <<SQL
SELECT clock_timestamp() AS t0 \gset
\copy finmon.revenue_import FROM '$(csv_of "$n")' WITH (FORMAT csv, HEADER)
SELECT 'load', 'many', $n, $(ms_since t0);
SQL
    done
} | psql_db $db_many >> "$timing"
# The other councils, straight into the tables (setting up: not a load, not timed as one).  The
# hierarchy is the measured council's, whose nodes the import made.
psql_db $db_many <<SQL >> "$timing"
SELECT clock_timestamp() AS t0 \gset
$(revenue_direct_sql "$measured" "$imported_list" $first_year $last_year)
SELECT 'direct', 'many', count(*), $(ms_since t0) FROM bench_council WHERE n <> ALL ('{$imported_list}'::integer[]);
SQL
psql_db $db_alone <<SQL >> "$timing"
SELECT clock_timestamp() AS t0 \gset
\copy finmon.revenue_import FROM '$(csv_of "$measured_no")' WITH (FORMAT csv, HEADER)
SELECT 'load', 'alone', $measured_no, $(ms_since t0);
SQL
# The councils' committee table layouts (about 20 rows each) and settings, through the import
# views, all the database's councils in one load of each.
for d in $db_many $db_alone; do
    psql_db $d <<<"$revenue_layouts_sql"
done

# Statistics, then the full refresh: the first after the load, then again.
echo "Refreshing the period views..."
for d in $db_many $db_alone; do
    label=$([ $d = $db_many ] && echo many || echo alone)
    psql_db $d <<SQL >> "$timing"
SELECT clock_timestamp() AS t0 \gset
VACUUM ANALYZE;
SELECT 'analyze', '$label', 0, $(ms_since t0);
SQL
done
for r in $(seq 0 "$full_refresh_repeat"); do
    for d in $db_many $db_alone; do
        label=$([ $d = $db_many ] && echo many || echo alone)
        psql_db $d <<SQL >> "$timing"
CREATE TEMP TABLE refreshed AS SELECT * FROM finmon.refresh_period_views() WHERE false;
SELECT clock_timestamp() AS t0 \gset
INSERT INTO refreshed SELECT * FROM finmon.refresh_period_views(force => true);
SELECT 'full refresh', '$label', $r, $(ms_since t0);
DO \$\$ BEGIN
    IF EXISTS (SELECT FROM refreshed WHERE status NOT IN ('ok', 'unchanged')) THEN
        RAISE EXCEPTION 'a period view failed to refresh: %', (SELECT string_agg(view_name || ' of ' || council || ': ' || error, '; ') FROM refreshed WHERE status NOT IN ('ok', 'unchanged'));
    END IF;
END \$\$;
SELECT 'full refresh: ' || view_name, '$label', $r, max(milliseconds) FROM refreshed GROUP BY view_name;
SQL
    done
done

# The checks: each query's rows the same in both databases and for both roles; the reader sees
# its council only; the period tables equal the live reports.
echo "Checking..."
for d in $db_many $db_alone; do
    label=$([ $d = $db_many ] && echo many || echo alone)
    psql_db $d <<SQL >> "$checks"
$functions_sql
SELECT '$label', 'superuser', q.k, d.* FROM $queries_sql, LATERAL pg_temp.digest(q.sql) d ORDER BY q.k;
SET ROLE $reader;
SELECT '$label', 'reader', q.k, d.* FROM $queries_sql, LATERAL pg_temp.digest(q.sql) d ORDER BY q.k;
SELECT '$label', 'reader', 'councils seen', count(DISTINCT council), string_agg(DISTINCT council, ',') FROM finmon.revenue_period;
RESET ROLE;
SELECT '$label', 'superuser', 'councils seen', count(DISTINCT council), NULL FROM finmon.revenue_period;
SELECT '$label', 'superuser', 'period = live', count(*),
       count(*) FILTER (WHERE l.path IS NULL OR p.path IS NULL
                           OR to_jsonb(p.*) IS DISTINCT FROM to_jsonb(l.*) || jsonb_build_object('variance_pct', round(l.variance_pct, 4)))
  FROM ($q_period) p FULL JOIN ($q_report) l ON l.path = p.path;
SELECT '$label', 'superuser', 'table = live', count(*),
       count(*) FILTER (WHERE l.row_number IS NULL OR p.row_number IS NULL
                           OR to_jsonb(p.*) IS DISTINCT FROM to_jsonb(l.*) || jsonb_build_object('variance_pct', round(l.variance_pct, 4),
                                  'pct_spent', round(l.pct_spent, 4), 'prior_year_pct_spent', round(l.prior_year_pct_spent, 4)))
  FROM ($q_table) p
  FULL JOIN (SELECT * FROM finmon.revenue_table_report WHERE council = '$measured' AND table_name = 'summary'
                AND financial_year = '$query_year' AND period = $query_period) l ON l.row_number = p.row_number;
SQL
done
psql_db $db_many <<SQL
CREATE TEMP TABLE checked (db text, role text, what text, a text, b text);
\copy checked FROM '$checks' WITH (FORMAT csv, DELIMITER '|')
DO \$\$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(format('query %s: %s', what, digests), '; ') INTO bad
      FROM (SELECT what, string_agg(DISTINCT db || '/' || role || ' ' || a || ' rows ' || b, ', ') AS digests
              FROM checked WHERE what ~ '^[0-9]+$' GROUP BY what HAVING count(DISTINCT (a, b)) > 1 OR min(a::bigint) = 0) AS d;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'the queries do not give the same rows in both databases and for both roles (or give none): %', bad;
    END IF;
    IF EXISTS (SELECT FROM checked WHERE what = 'councils seen' AND role = 'reader' AND (a <> '1' OR b <> '$measured')) THEN
        RAISE EXCEPTION 'the reader given $measured sees other councils';
    END IF;
    IF EXISTS (SELECT FROM checked WHERE what IN ('period = live', 'table = live') AND (b <> '0' OR a = '0')) THEN
        RAISE EXCEPTION 'the period tables differ from the live reports: %',
            (SELECT string_agg(format('%s %s: %s of %s rows differ', db, what, b, a), '; ') FROM checked WHERE what LIKE '% = live');
    END IF;
END;
\$\$;
SQL

# The queries, timed: BENCH_REPEAT rounds, the databases alternating; in each session every query
# runs once untimed first.
echo "Timing the queries: $repeat rounds..."
for r in $(seq 1 "$repeat"); do
    for d in $db_many $db_alone; do
        label=$([ $d = $db_many ] && echo many || echo alone)
        psql_db $d <<SQL >> "$timing"
$functions_sql
SELECT count(pg_temp.time_ms(q.sql, 1)) FROM $queries_sql \g /dev/null
SELECT 'query ' || q.k, '$label superuser', $r, pg_temp.time_ms(q.sql, $query_loops) FROM $queries_sql ORDER BY q.k;
SET ROLE $reader;
SELECT count(pg_temp.time_ms(q.sql, 1)) FROM $queries_sql \g /dev/null
SELECT 'query ' || q.k, '$label reader', $r, pg_temp.time_ms(q.sql, $query_loops) FROM $queries_sql ORDER BY q.k;
RESET ROLE;
SQL
    done
done

# The refresh after one council's new period: period 1 of the next year for the measured council,
# through revenue_import (timed), then refresh_period_views() (timed); then deleted again and
# refreshed (untimed).  Round 0 is a warm-up.
echo "Timing the refresh after one council's new period: $refresh_repeat rounds..."
for r in $(seq 0 "$refresh_repeat"); do
    for d in $db_many $db_alone; do
        label=$([ $d = $db_many ] && echo many || echo alone)
        psql_db $d <<SQL >> "$timing"
CREATE TEMP TABLE refreshed AS SELECT * FROM finmon.refresh_period_views() WHERE false;
SELECT clock_timestamp() AS t0 \gset
\copy finmon.revenue_import FROM '$workdir/new_period_$$.csv' WITH (FORMAT csv, HEADER)
SELECT 'new period load', '$label', $r, $(ms_since t0);
SELECT clock_timestamp() AS t0 \gset
INSERT INTO refreshed SELECT * FROM finmon.refresh_period_views();
SELECT 'new period refresh', '$label', $r, $(ms_since t0);
\copy (SELECT '$label', $r, view_name, COALESCE(council, ''), status, rows, milliseconds FROM refreshed) TO STDOUT WITH (FORMAT csv, DELIMITER '|')
SELECT finmon.delete_figures('revenue', '$new_year', 1, '$measured') \g /dev/null
SELECT count(*) FROM finmon.refresh_period_views() \g /dev/null
SQL
    done
done
# (the refresh rows went to the timing file too: split them out)
grep -E '^(many|alone)\|' "$timing" > "$refreshed" || true
grep -vE '^(many|alone)\|' "$timing" > "$timing.tmp_$$.csv" && mv "$timing.tmp_$$.csv" "$timing"

psql -X -q -v ON_ERROR_STOP=1 -d $db_many <<SQL
CREATE TEMP TABLE timing (step text, db text, round integer, ms double precision);
\copy timing FROM '$timing' WITH (FORMAT csv, DELIMITER '|')
CREATE TEMP TABLE refreshed (db text, round integer, view_name text, council text, status text, rows bigint, ms numeric);
\copy refreshed FROM '$refreshed' WITH (FORMAT csv, DELIMITER '|')
CREATE TEMP TABLE checked (db text, role text, what text, a text, b text);
\copy checked FROM '$checks' WITH (FORMAT csv, DELIMITER '|')
-- medians; round 0 of the refreshes is their warm-up (and the first refresh after the load)
CREATE TEMP VIEW median AS
SELECT step, db, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, min(ms) AS lo, max(ms) AS hi, count(*) AS n
  FROM timing
 WHERE round > 0 OR NOT (step IN ('full refresh', 'new period load', 'new period refresh') OR step LIKE 'full refresh: %')
 GROUP BY step, db;
\pset footer off
SELECT 'data' AS item,
       format('$councils councils x $years years ($(fy $first_year) to $query_year) x 12 periods x %s leaf lines (3 levels) = %s finmon_data.revenue rows, %s nodes; each council a committee table of %s rows and a setting',
              $lines, to_char((SELECT count(*) FROM finmon_data.revenue), 'FM999,999,999'),
              to_char((SELECT count(*) FROM finmon_data.revenue_node), 'FM999,999,999'),
              (SELECT count(*) FROM finmon_data.revenue_table_row WHERE council = '$measured')) AS value
UNION ALL SELECT 'loaded', format('%s councils through revenue_import (one file of %s rows each)%s',
              $import_councils, to_char($years * 12 * $lines, 'FM999,999,999'),
              CASE WHEN $import_councils < $councils THEN format('; the other %s written straight into the tables (setup, not a load: %s s)',
                   $councils - $import_councils, (SELECT round((ms / 1000)::numeric, 1) FROM timing WHERE step = 'direct')) ELSE '' END)
UNION ALL SELECT 'measured', 'council $measured: table summary, $query_year period $query_period; ms per execution over $query_loops executions, each planned; reader = $reader, given only $measured (finmon.grant_council), by SET ROLE'
UNION ALL SELECT 'alone', 'database $db_alone: council $measured alone, the same rows, loaded the same way'
UNION ALL SELECT 'checked', format('each query gives the same rows (%s) in both databases and for both roles; the reader sees only $measured; revenue_period equals revenue_report (%s rows) and revenue_table_period revenue_table_report (%s rows)',
              (SELECT string_agg(DISTINCT 'query ' || what || ' ' || a, ', ') FROM checked WHERE what ~ '^[0-9]+$'),
              (SELECT max(a) FROM checked WHERE what = 'period = live'),
              (SELECT max(a) FROM checked WHERE what = 'table = live'))
UNION ALL SELECT 'settings', 'max_parallel_workers_per_gather = 0, jit = off, shared_buffers = ' || current_setting('shared_buffers')
                              || ', work_mem = ' || current_setting('work_mem')
UNION ALL SELECT 'repetitions', '$repeat rounds of the queries, the databases alternating; $full_refresh_repeat full refreshes after the first; $refresh_repeat rounds of the refresh after a new period, after a warm-up; medians'
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

SELECT t.measurement, t.db AS database, t.rows, round(t.ms::numeric, 1) AS "ms", t.note
  FROM (
    SELECT 1 AS k, 'load: \\copy finmon.revenue_import, one file per council' AS measurement, 'many' AS db,
           to_char(count(*) * $years * 12 * $lines, 'FM999,999,999') AS rows, sum(ms) AS ms,
           format('%s files; %s rows/s; %s ms a file (min %s, max %s)', count(*), to_char(count(*) * $years * 12 * $lines / (sum(ms) / 1000), 'FM999,999'),
                  round(avg(ms)::numeric), round(min(ms)::numeric), round(max(ms)::numeric)) AS note
      FROM timing WHERE step = 'load' AND db = 'many'
    UNION ALL
    SELECT 2, 'load: \\copy finmon.revenue_import, the council''s file', 'alone', to_char($years * 12 * $lines, 'FM999,999,999'), ms,
           to_char($years * 12 * $lines / (ms / 1000), 'FM999,999') || ' rows/s'
      FROM timing WHERE step = 'load' AND db = 'alone'
    UNION ALL
    SELECT 3, 'VACUUM ANALYZE after the load', db, '', ms, '' FROM timing WHERE step = 'analyze'
    UNION ALL
    SELECT 4, 'full refresh, first after the load: refresh_period_views(force => true)', db, '', ms, 'round 0' FROM timing WHERE step = 'full refresh' AND round = 0
    UNION ALL
    SELECT 5, 'full refresh again: refresh_period_views(force => true)', db, '', ms,
           format('median of %s, %s-%s; %s', n, round(lo::numeric), round(hi::numeric),
                  (SELECT string_agg(format('%s %s', replace(m2.step, 'full refresh: ', ''), round(m2.ms::numeric)), ', ' ORDER BY m2.ms DESC)
                     FROM median m2 WHERE m2.db = m.db AND m2.step LIKE 'full refresh: %' AND m2.ms >= 10))
      FROM median m WHERE step = 'full refresh'
  ) AS t
 ORDER BY t.k, t.db DESC;

SELECT q.name AS query, r.role,
       round(m.ms::numeric, 2) AS "many councils ms", round(m.lo::numeric, 2) || '-' || round(m.hi::numeric, 2) AS "min-max",
       round(a.ms::numeric, 2) AS "alone ms", round(a.lo::numeric, 2) || '-' || round(a.hi::numeric, 2) AS "min-max ",
       round((m.ms / a.ms)::numeric, 2) || CASE WHEN m.ms / a.ms <= 1.2 THEN ' (target <= 1.2: met)' ELSE ' (target <= 1.2: MISSED)' END
           AS "many / alone"
  FROM $queries_sql
 CROSS JOIN (VALUES (1, 'superuser'), (2, 'reader')) AS r(k, role)
  JOIN median m ON m.step = 'query ' || q.k AND m.db = 'many ' || r.role
  JOIN median a ON a.step = 'query ' || q.k AND a.db = 'alone ' || r.role
 ORDER BY q.k, r.k;

SELECT s.measurement, d.db AS database, round(m.ms::numeric, 1) AS "median ms", round(m.lo::numeric) || '-' || round(m.hi::numeric) AS "min-max",
       CASE WHEN s.step = 'new period refresh' THEN
           (SELECT string_agg(format('%s of %s (%s rows, %s ms)', x.view_name, x.council, x.rows, round(x.ms)), '; ' ORDER BY x.view_name)
              FROM (SELECT view_name, council, max(rows) AS rows, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms
                      FROM refreshed WHERE db = d.db AND round > 0 AND status = 'ok' GROUP BY view_name, council) x)
           || '; the other views unchanged'
       ELSE '$lines rows through revenue_import' END AS "recomputed"
  FROM (VALUES (1, 'new period load', 'one council''s new period: \\copy finmon.revenue_import ($new_year period 1)'),
               (2, 'new period refresh', 'the refresh after it: refresh_period_views()')) AS s(k, step, measurement)
 CROSS JOIN (VALUES ('many'), ('alone')) AS d(db)
  JOIN median m ON m.step = s.step AND m.db = d.db
 ORDER BY s.k, d.db DESC;
SQL

if [ "$explain" = 1 ]; then
    for d in $db_many $db_alone; do
        label=$([ $d = $db_many ] && echo many || echo alone)
        slowest=$(psql_db $db_many <<SQL
CREATE TEMP TABLE timing (step text, db text, round integer, ms double precision);
\copy timing FROM '$timing' WITH (FORMAT csv, DELIMITER '|')
SELECT replace(step, 'query ', '') || '|' || split_part(db, ' ', 2) FROM timing
 WHERE step LIKE 'query %' AND db LIKE '$label %' GROUP BY step, db ORDER BY percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) DESC LIMIT 1;
SQL
)
        k=${slowest%%|*}
        role=${slowest##*|}
        echo "EXPLAIN (ANALYZE, BUFFERS) in $d of its slowest query (query $k, as the $role):"
        psql -X -q -v ON_ERROR_STOP=1 -d $d <<SQL
$([ "$role" = reader ] && echo "SET ROLE $reader;")
SELECT sql AS query FROM $queries_sql WHERE q.k = $k \gset
\echo :query
EXPLAIN (ANALYZE, BUFFERS) :query;
SQL
    done
fi
