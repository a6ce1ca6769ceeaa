#!/bin/bash
# bench/write_path.sh: finmon 2.0's set-based write path (part 2 of 2.0's targets), measured side
# by side in one run, single worker.  Two parts (BENCH_PARTS, default "ledger revenue"):
#   ledger:  BENCH_LEDGER_ROWS ledger rows (default 1,000,000; council,posting_date,line,amount,
#            reference; one council, one financial year, 300 leaf lines whose revenue figures are
#            loaded first) loaded with \copy finmon.ledger_import into an empty ledger, against a
#            plain \copy of the same file into an unindexed table with the same columns, once with
#            text columns and once typed (target: ledger_import at least 0.30 of the typed COPY's
#            rows per second); then a second file of as many rows, a later month with new
#            references, into the year that already holds the first (the path that probes
#            existing keys), against the typed COPY of that file.
#   revenue: a revenue file of BENCH_REVENUE_LINES leaf lines (default 10,000; one year and
#            period, lines 'Area a > Group g > Line l') loaded into finmon 2.0.0 against the same
#            rows (without the council column) loaded into finmon 1.0.0, the two installed side
#            by side in two databases of this cluster; into an empty database, then a reload of
#            the same file (which replaces every row).  Target: 2.0 at least 5 times faster.
# The refresh after a month's ledger load as a share of a full refresh is ledger_refresh.sh's.
# Run in a throwaway cluster where finmon is installed (the tracked 1.0.0 script is installed
# with it):
#     make && make install && pg_virtualenv -t -v 15 ./bench/write_path.sh
# One warm-up round with the correctness checks, then BENCH_REPEAT (default 3) rounds in which the
# loads are interleaved; medians reported.  Every timed load starts after a CHECKPOINT; the
# ledger is emptied between rounds (the year's partition dropped: setting up, not a load), and
# each round of the revenue part loads into newly created databases.  BENCH_LOAD_ROLE=editor loads as a login
# role given finmon_editor and the council (finmon.grant_council) instead of the superuser.
# BENCH_EXPLAIN=1 also prints, through auto_explain, every statement of one load of each kind
# that takes 50 ms or more, with its plan.  Scratch files go in BENCH_WORKDIR (default
# /tmp/writepathbench).  Not a test: nothing here asserts a timing.
set -euo pipefail

ledger_rows=${BENCH_LEDGER_ROWS:-1000000}
revenue_lines=${BENCH_REVENUE_LINES:-10000}
repeat=${BENCH_REPEAT:-3}
parts=${BENCH_PARTS:-ledger revenue}
load_role=${BENCH_LOAD_ROLE:-superuser}
explain=${BENCH_EXPLAIN:-0}
workdir=${BENCH_WORKDIR:-/tmp/writepathbench}
db=finmon_bench_write
db_v1=finmon_bench_rev_v1
db_v2=finmon_bench_rev_v2
council=B0001
year=2024-25
export PGDATABASE=$db

mkdir -p "$workdir"
. "$(dirname "$0")/lib.sh"
ledger1=$workdir/ledger_first_$$.csv
ledger2=$workdir/ledger_later_$$.csv
revenue_v2=$workdir/revenue_v2_$$.csv
revenue_v1=$workdir/revenue_v1_$$.csv
timing=$workdir/timing_$$.csv
checks=$workdir/checks_$$.csv
trap 'rm -f "$ledger1" "$ledger2" "$revenue_v2" "$revenue_v1" "$timing" "$checks"' EXIT
: > "$timing"
: > "$checks"
has_part() { [[ " $parts " == *" $1 "* ]]; }

psql_db() { # $1 database; the rest: psql arguments.  Quiet, unaligned, stops at the first error.
    local d=$1
    shift
    psql -X -q -At -F'|' -v ON_ERROR_STOP=1 -d "$d" "$@"
}
ms_since() { # $1: a psql variable holding a clock_timestamp()
    echo "extract(epoch FROM clock_timestamp() - :'$1'::timestamptz) * 1000"
}
new_db() { # $1 database, $2 finmon version: a database with finmon, one worker, no JIT
    dropdb --if-exists "$1" >/dev/null 2>&1 || true
    createdb "$1"
    psql_db "$1" -c "ALTER DATABASE $1 SET max_parallel_workers_per_gather = 0" -c "ALTER DATABASE $1 SET jit = off" \
        -c "CREATE EXTENSION finmon VERSION '$2'"
}
# SQL that switches to the loading role, and back.
if [ "$load_role" = editor ]; then
    as_loader="SET ROLE bench_editor;"
    as_superuser="RESET ROLE;"
else
    as_loader=""
    as_superuser=""
fi
make_loader() { # $1 database: the login role that loads, given the council there (BENCH_LOAD_ROLE=editor)
    [ "$load_role" = editor ] || return 0
    psql_db "$1" <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_editor') THEN CREATE ROLE bench_editor LOGIN; END IF;
END \$\$;
GRANT finmon_editor TO bench_editor;
SELECT finmon.grant_council('bench_editor', '$council');
SQL
}

new_db $db 2.0.0
echo "Setting up: council $council, 300 leaf lines' revenue figures for $year, and the files..."
psql_db $db -v council="$council" -v year="$year" -v ledger_rows="$ledger_rows" -v revenue_lines="$revenue_lines" <<'SQL'
INSERT INTO finmon.council_import VALUES (:'council', 'Bench council');
SELECT setseed(0.42) \g /dev/null
-- 300 leaf lines, 'Area 03 > Group 02 > Line 017' (5 areas x 6 groups x 10 lines); every tenth
-- line income.  Their revenue figures for period 1 of the year, through the write path.
CREATE TABLE bench_line AS
SELECT k, format('Area %s > Group %s > Line %s', to_char((k - 1) / 60 + 1, 'FM00'), to_char((k - 1) / 10 % 6 + 1, 'FM00'),
                 to_char(k, 'FM000')) AS line, k % 10 = 0 AS income
  FROM generate_series(1, 300) AS k;
INSERT INTO finmon.revenue_import (council, financial_year, period, line, budget, forecast_outturn)
SELECT :'council', :'year', '1', line, (CASE WHEN income THEN -1 ELSE 1 END * (700000 + k * 1000))::text,
       (CASE WHEN income THEN -1 ELSE 1 END * (710000 + k * 1000))::text
  FROM bench_line ORDER BY k;
-- The plain COPY's tables: the ledger file's columns, unindexed, as text and typed.
CREATE TABLE bench_plain_text (council text, posting_date text, line text, amount text, reference text);
CREATE TABLE bench_plain_typed (council text, posting_date date, line text, amount numeric, reference text);
-- The floor of any load that keeps the ledger's key: the same rows, converted, inserted with
-- INSERT ... SELECT into a table shaped as finmon_data.ledger (partitioned by year, the same primary
-- key), with nothing else checked or written.
CREATE TABLE bench_keyed (LIKE finmon_data.ledger) PARTITION BY LIST (financial_year);
ALTER TABLE bench_keyed ADD PRIMARY KEY (council, financial_year, reference);
CREATE TABLE bench_keyed_year PARTITION OF bench_keyed FOR VALUES IN (:'year');
SQL
make_loader $db

# The ledger files, as a finance system exports them: the first spreads its rows over April to
# September (periods 1 to 6), the second is October (period 7), with new references.  Amounts in
# pounds and pence, mostly spend, some credits; each row on a random line.
if has_part ledger; then
    psql_db $db <<SQL
SELECT setseed(0.24) \g /dev/null
\copy (SELECT '$council' AS council, to_char(date '2024-04-01' + ((i - 1) * 183 / $ledger_rows)::integer, 'YYYY-MM-DD') AS posting_date, b.line, (CASE WHEN b.income THEN -1 ELSE 1 END * round((random() * 320 - 20)::numeric, 2))::text AS amount, 'A' || to_char(i, 'FM000000000') AS reference FROM (SELECT i, 1 + floor(random() * 300)::integer AS k FROM generate_series(1, $ledger_rows) AS i) AS m JOIN bench_line b ON b.k = m.k ORDER BY i) TO '$ledger1' WITH (FORMAT csv, HEADER)
\copy (SELECT '$council' AS council, to_char(date '2024-10-01' + ((i - 1) * 31 / $ledger_rows)::integer, 'YYYY-MM-DD') AS posting_date, b.line, (CASE WHEN b.income THEN -1 ELSE 1 END * round((random() * 320 - 20)::numeric, 2))::text AS amount, 'B' || to_char(i, 'FM000000000') AS reference FROM (SELECT i, 1 + floor(random() * 300)::integer AS k FROM generate_series(1, $ledger_rows) AS i) AS m JOIN bench_line b ON b.k = m.k ORDER BY i) TO '$ledger2' WITH (FORMAT csv, HEADER)
SQL
fi
# The revenue files: BENCH_REVENUE_LINES leaf lines for one year and period, 50 lines to a group
# and 20 groups to an area.  The 1.0.0 file is the same rows without the council column.
if has_part revenue; then
    lines_sql="SELECT format('Area %s > Group %s > Line %s', to_char(i / 1000 + 1, 'FM00'), to_char(i / 50 % 20 + 1, 'FM00'), to_char(i + 1, 'FM00000')) AS line, (CASE WHEN i % 10 = 9 THEN -1 ELSE 1 END * (50000 + (i * 7919) % 900000))::text AS budget, (CASE WHEN i % 10 = 9 THEN -1 ELSE 1 END * (50000 + (i * 7919) % 900000 + (i * 104729) % 40000 - 20000))::text AS forecast_outturn FROM generate_series(0, $revenue_lines - 1) AS i ORDER BY i"
    psql_db $db <<SQL
\copy (SELECT '$council' AS council, '$year' AS financial_year, '6' AS period, line, budget, forecast_outturn FROM ($lines_sql) AS l) TO '$revenue_v2' WITH (FORMAT csv, HEADER)
\copy (SELECT '$year' AS financial_year, '6' AS period, line, budget, forecast_outturn FROM ($lines_sql) AS l) TO '$revenue_v1' WITH (FORMAT csv, HEADER)
SQL
fi

# The ledger check, after a load: the ledger must hold the file's rows (their count and the sum of
# their amounts as the plain typed COPY of the same files holds them), and finmon_data.ledger_summary
# must equal the GROUP BY of finmon_data.ledger.  Stops with an error if not.
check_function=$(cat <<'SQL'
CREATE FUNCTION pg_temp.check_ledger(file_table text, OUT ledger_rows bigint, OUT ledger_amount numeric,
                                     OUT summary_rows bigint, OUT summary_differ bigint)
    LANGUAGE plpgsql AS $$
DECLARE
    file_rows bigint;
    file_amount numeric;
BEGIN
    EXECUTE format('SELECT count(*), sum(f.amount) FROM %I f', file_table) INTO file_rows, file_amount;
    SELECT count(*), sum(l.amount) INTO ledger_rows, ledger_amount FROM finmon_data.ledger l;
    IF ledger_rows <> file_rows OR ledger_amount <> file_amount THEN
        RAISE EXCEPTION 'finmon_data.ledger holds % rows summing to %, the files % rows summing to %',
            ledger_rows, ledger_amount, file_rows, file_amount;
    END IF;
    SELECT count(*),
           count(*) FILTER (WHERE s.line IS NULL OR l.line IS NULL OR s.amount <> l.amount OR s.transactions <> l.transactions)
      INTO summary_rows, summary_differ
      FROM finmon_data.ledger_summary s
      FULL JOIN (SELECT x.council, x.financial_year, x.period, x.line, sum(x.amount) AS amount, count(*) AS transactions
                   FROM finmon_data.ledger x GROUP BY x.council, x.financial_year, x.period, x.line) AS l
             ON l.council = s.council AND l.financial_year = s.financial_year AND l.period = s.period AND l.line = s.line;
    IF summary_differ <> 0 THEN
        RAISE EXCEPTION 'finmon_data.ledger_summary differs from the ledger''s GROUP BY in % of % rows', summary_differ, summary_rows;
    END IF;
END;
$$;
SQL
)

ledger_check() { # $1 label: the check, in a session of its own
    psql_db $db -c "$check_function" -c "SELECT '$1', * FROM pg_temp.check_ledger('bench_plain_typed')" >> "$checks"
}
ledger_round() { # $1 round (round 0 is the warm-up and the checks)
    local r=$1
    psql_db $db <<SQL >> "$timing"
TRUNCATE bench_plain_text, bench_plain_typed;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
\copy bench_plain_text FROM '$ledger1' WITH (FORMAT csv, HEADER)
SELECT 'copy text 1', $r, $(ms_since t0);
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
\copy bench_plain_typed FROM '$ledger1' WITH (FORMAT csv, HEADER)
SELECT 'copy typed 1', $r, $(ms_since t0);
TRUNCATE bench_keyed;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
INSERT INTO bench_keyed (council, financial_year, period, posting_date, line, amount, reference)
SELECT council, finmon.financial_year_of(posting_date), finmon.period_of(posting_date), posting_date, line, amount, reference
  FROM bench_plain_typed;
SELECT 'insert keyed 1', $r, $(ms_since t0);
TRUNCATE bench_keyed;
CHECKPOINT;
$as_loader
SELECT clock_timestamp() AS t0 \gset
\copy finmon.ledger_import FROM '$ledger1' WITH (FORMAT csv, HEADER)
SELECT 'ledger_import 1', $r, $(ms_since t0);
$as_superuser
SQL
    [ "$r" != 0 ] || ledger_check 'after the first load (file 1 into an empty ledger)'
    psql_db $db <<SQL >> "$timing"
VACUUM ANALYZE finmon_data.ledger, finmon_data.ledger_summary;
TRUNCATE bench_plain_typed;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
\copy bench_plain_typed FROM '$ledger2' WITH (FORMAT csv, HEADER)
SELECT 'copy typed 2', $r, $(ms_since t0);
CHECKPOINT;
$as_loader
SELECT clock_timestamp() AS t0 \gset
\copy finmon.ledger_import FROM '$ledger2' WITH (FORMAT csv, HEADER)
SELECT 'ledger_import 2', $r, $(ms_since t0);
$as_superuser
SQL
    if [ "$r" = 0 ]; then
        # the ledger now holds both files: compare it with both
        psql_db $db -c "\\copy bench_plain_typed FROM '$ledger1' WITH (FORMAT csv, HEADER)"
        ledger_check 'after the second load (file 2 into the year holding file 1)'
    fi
    # Back to an empty ledger for the next round, as before the first load (setting up, not a
    # load: a superuser drops the year's partition, which the next load creates again, and the
    # summaries).  (An emptied partition kept, with statistics saying it is empty, would change
    # the plan of the first load: see bench/README.md.)
    psql_db $db <<SQL
DROP TABLE finmon_data.ledger_$(echo $year | tr - _);
DELETE FROM finmon_data.ledger_summary WHERE council = '$council';
TRUNCATE bench_plain_text, bench_plain_typed;
VACUUM ANALYZE finmon_data.ledger_summary;
SQL
}

# The revenue part: one round, in two new databases, 1.0.0 and 2.0.0; into the empty database,
# then the reload, each interleaved between the versions.
revenue_load() { # $1 database, $2 file, $3 step, $4 round
    psql_db "$1" <<SQL >> "$timing"
CHECKPOINT;
$as_loader
SELECT clock_timestamp() AS t0 \gset
\copy finmon.revenue_import FROM '$2' WITH (FORMAT csv, HEADER)
SELECT '$3', $4, $(ms_since t0);
$as_superuser
SQL
}
# What a load left, to compare the versions: the rows loaded and revenue_report's totals (the
# revenue table is finmon.revenue in 1.0.0, finmon_data.revenue in 2.0.0; numbers without
# trailing zeros and percentages to 4 places, as 2.0.0's revenue_report declares them).
revenue_fingerprint() { # $1 database
    local revenue
    revenue=$(psql_db "$1" -c "SELECT COALESCE(to_regclass('finmon_data.revenue'), to_regclass('finmon.revenue'))")
    psql_db "$1" <<SQL
SELECT count(*), trim_scale(sum(budget)), trim_scale(sum(forecast_outturn)),
       md5(string_agg(concat_ws('|', financial_year, period, line, trim_scale(budget), trim_scale(forecast_outturn)), ',' ORDER BY line))
  FROM $revenue;
SELECT count(*), md5(string_agg(concat_ws('|', path, depth, trim_scale(budget), trim_scale(forecast_outturn), trim_scale(variance),
                                          trim_scale(round(variance_pct, 4))), ',' ORDER BY path))
  FROM finmon.revenue_report WHERE financial_year = '$year' AND period = 6;
SQL
}
revenue_round() { # $1 round
    local r=$1
    new_db $db_v1 1.0.0
    new_db $db_v2 2.0.0
    psql_db $db_v2 -c "INSERT INTO finmon.council_import VALUES ('$council', 'Bench council')"
    make_loader $db_v2
    if [ "$load_role" = editor ]; then
        # 1.0.0 has one council per database: an editor there needs only finmon_editor
        psql_db $db_v1 -c "GRANT finmon_editor TO bench_editor"
    fi
    revenue_load $db_v1 "$revenue_v1" 'v1 empty' "$r"
    revenue_load $db_v2 "$revenue_v2" 'v2 empty' "$r"
    if [ "$r" = 0 ]; then
        a=$(revenue_fingerprint $db_v1)
        b=$(revenue_fingerprint $db_v2)
        if [ "$a" != "$b" ]; then
            echo "finmon 1.0.0 and 2.0.0 differ after loading the same revenue rows:" >&2
            echo "1.0.0: $a" >&2
            echo "2.0.0: $b" >&2
            exit 1
        fi
        echo "revenue, into an empty database|$(echo "$a" | head -1 | cut -d'|' -f1-3)|$(echo "$a" | tail -1 | cut -d'|' -f1)" >> "$checks"
    fi
    revenue_load $db_v1 "$revenue_v1" 'v1 reload' "$r"
    revenue_load $db_v2 "$revenue_v2" 'v2 reload' "$r"
    if [ "$r" = 0 ]; then
        a=$(revenue_fingerprint $db_v1)
        b=$(revenue_fingerprint $db_v2)
        if [ "$a" != "$b" ]; then
            echo "finmon 1.0.0 and 2.0.0 differ after reloading the same revenue rows:" >&2
            echo "1.0.0: $a" >&2
            echo "2.0.0: $b" >&2
            exit 1
        fi
        echo "revenue, reloaded|$(echo "$a" | head -1 | cut -d'|' -f1-3)|$(echo "$a" | tail -1 | cut -d'|' -f1)" >> "$checks"
    fi
    dropdb $db_v1
    dropdb $db_v2
}

echo "Timing ($parts): a warm-up round with the checks, then $repeat interleaved rounds..."
for r in $(seq 0 "$repeat"); do
    if has_part ledger; then
        ledger_round "$r"
    fi
    if has_part revenue; then
        revenue_round "$r"
    fi
done

ledger_part=$(has_part ledger && echo true || echo false)
revenue_part=$(has_part revenue && echo true || echo false)
psql -X -q -v ON_ERROR_STOP=1 -d $db -v ledger_part=$ledger_part -v revenue_part=$revenue_part <<SQL
CREATE TEMP TABLE timing (step text, round integer, ms double precision);
\copy timing FROM '$timing' WITH (FORMAT csv, DELIMITER '|')
CREATE TEMP TABLE checked (what text, a text, b text, c text, d text);
\copy checked FROM '$checks' WITH (FORMAT csv, DELIMITER '|')
CREATE TEMP VIEW median AS
SELECT step, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, min(ms) AS lo, max(ms) AS hi
  FROM timing WHERE round > 0 GROUP BY step;
\pset footer off
SELECT 'ledger files' AS item,
       format('%s rows each (council,posting_date,line,amount,reference), council $council, 300 leaf lines with revenue figures for $year; the first April to September 2024 (%s), the second October 2024 (%s)',
              to_char($ledger_rows, 'FM999,999,999'), pg_size_pretty($(stat -c %s "$ledger1" 2>/dev/null || echo 0)::bigint),
              pg_size_pretty($(stat -c %s "$ledger2" 2>/dev/null || echo 0)::bigint)) AS value
 WHERE '$parts' LIKE '%ledger%'
UNION ALL SELECT 'revenue file',
       format('%s leaf lines of $year period 6 (council,financial_year,period,line,budget,forecast_outturn; for 1.0.0 without council), 3 levels, 50 lines a group, 20 groups an area; %s',
              to_char($revenue_lines, 'FM999,999,999'), pg_size_pretty($(stat -c %s "$revenue_v2" 2>/dev/null || echo 0)::bigint))
 WHERE '$parts' LIKE '%revenue%'
UNION ALL SELECT 'checked',
       CASE WHEN what LIKE 'after%' THEN format('ledger %s: %s rows, amounts summing to %s, as in the files; ledger_summary''s %s rows equal the ledger''s GROUP BY (%s differ)', what, a, b, c, d)
            ELSE format('%s: 1.0.0 and 2.0.0 hold the same %s rows (budgets summing to %s, forecasts to %s) and give the same revenue_report (%s nodes)', what, a, b, c, d) END
  FROM checked
UNION ALL SELECT 'loaded by', CASE '$load_role' WHEN 'editor' THEN 'bench_editor, a login role given finmon_editor and council $council' ELSE current_user || ' (superuser)' END
UNION ALL SELECT 'settings', 'max_parallel_workers_per_gather = 0, jit = off, shared_buffers = ' || current_setting('shared_buffers')
                              || ', work_mem = ' || current_setting('work_mem') || ', max_wal_size = ' || current_setting('max_wal_size')
UNION ALL SELECT 'repetitions', '$repeat (median reported), after one warm-up round; CHECKPOINT before each timed load'
$(ran_on_rows ' (and 1.0.0 for the revenue comparison)')
UNION ALL SELECT 'date', now()::date::text;

\if :ledger_part
SELECT t.measurement, to_char(t.rows, 'FM999,999,999') AS rows, round(m.ms::numeric, 1) AS "median ms",
       round(m.lo::numeric) || '-' || round(m.hi::numeric) AS "rounds, min-max ms",
       to_char(t.rows / (m.ms / 1000), 'FM999,999,999') AS "rows/s", t.ratio
  FROM (SELECT jsonb_object_agg(step, ms) AS j FROM median) AS x,
       LATERAL (VALUES
    (1, 'copy text 1', 'plain \\copy, text columns: file 1', $ledger_rows, NULL),
    (2, 'copy typed 1', 'plain \\copy, typed columns: file 1', $ledger_rows, NULL),
    (2.5, 'insert keyed 1', 'INSERT ... SELECT of file 1''s rows into a table keyed as the ledger (the floor)', $ledger_rows,
        format('%s of typed COPY''s speed', round(((x.j->>'copy typed 1')::float8 / (x.j->>'insert keyed 1')::float8)::numeric, 3))),
    (3, 'ledger_import 1', '\\copy finmon.ledger_import, file 1 into an empty ledger', $ledger_rows,
        format('%s of typed COPY''s speed (target >= 0.30: %s); %s of text COPY''s',
               round(((x.j->>'copy typed 1')::float8 / (x.j->>'ledger_import 1')::float8)::numeric, 3),
               CASE WHEN (x.j->>'copy typed 1')::float8 / (x.j->>'ledger_import 1')::float8 >= 0.30 THEN 'met' ELSE 'MISSED' END,
               round(((x.j->>'copy text 1')::float8 / (x.j->>'ledger_import 1')::float8)::numeric, 3))
        || format('; %s of the keyed floor''s', round(((x.j->>'insert keyed 1')::float8 / (x.j->>'ledger_import 1')::float8)::numeric, 3))),
    (4, 'copy typed 2', 'plain \\copy, typed columns: file 2', $ledger_rows, NULL),
    (5, 'ledger_import 2', '\\copy finmon.ledger_import, file 2 into the year holding file 1', $ledger_rows,
        format('%s of typed COPY''s speed (target >= 0.30: %s); %s of the first load''s',
               round(((x.j->>'copy typed 2')::float8 / (x.j->>'ledger_import 2')::float8)::numeric, 3),
               CASE WHEN (x.j->>'copy typed 2')::float8 / (x.j->>'ledger_import 2')::float8 >= 0.30 THEN 'met' ELSE 'MISSED' END,
               round(((x.j->>'ledger_import 1')::float8 / (x.j->>'ledger_import 2')::float8)::numeric, 3)))
  ) AS t(k, step, measurement, rows, ratio)
  JOIN median m ON m.step = t.step
 ORDER BY t.k;
\endif

\if :revenue_part
SELECT t.load AS "revenue load", to_char($revenue_lines, 'FM999,999,999') AS rows,
       round(v1.ms::numeric, 1) AS "1.0.0 median ms", round(v1.lo::numeric) || '-' || round(v1.hi::numeric) AS "1.0.0 min-max",
       round(v2.ms::numeric, 1) AS "2.0.0 median ms", round(v2.lo::numeric) || '-' || round(v2.hi::numeric) AS "2.0.0 min-max",
       to_char($revenue_lines / (v2.ms / 1000), 'FM999,999,999') AS "2.0.0 rows/s",
       round((v1.ms / v2.ms)::numeric, 2) || 'x' || CASE WHEN v1.ms / v2.ms >= 5 THEN ' (target >= 5x: met)' ELSE ' (target >= 5x: MISSED)' END
           AS "speed-up, 1.0.0 ms / 2.0.0 ms"
  FROM (VALUES (1, 'into an empty database', 'v1 empty', 'v2 empty'),
               (2, 'reload of the same file (replaces)', 'v1 reload', 'v2 reload')) AS t(k, load, s1, s2)
  JOIN median v1 ON v1.step = t.s1
  JOIN median v2 ON v2.step = t.s2
 ORDER BY t.k;
\endif
SQL
if has_part ledger; then
    echo "Checked before timing: each ledger load's rows and amounts equalled the files' and its summaries the ledger's GROUP BY."
fi
if has_part revenue; then
    echo "Checked before timing: 1.0.0 and 2.0.0 held the same revenue rows and gave the same revenue_report, loaded and reloaded."
fi

if [ "$explain" = 1 ]; then
    explain_sql() { # $1 what to load, as a \copy
        cat <<SQL
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 50;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_buffers = on;
SET auto_explain.log_level = notice;
SELECT clock_timestamp() AS t0 \gset
$1
SELECT round($(ms_since t0)) AS load_ms \gset
\echo 'load ms under auto_explain:' :load_ms
SQL
    }
    if has_part ledger; then
        echo "auto_explain: file 1 into the empty ledger, then file 2 (the statements of 50 ms or more, with their plans):"
        explain_sql "\\copy finmon.ledger_import FROM '$ledger1' WITH (FORMAT csv, HEADER)
VACUUM ANALYZE finmon_data.ledger, finmon_data.ledger_summary;
\\copy finmon.ledger_import FROM '$ledger2' WITH (FORMAT csv, HEADER)" | psql -X -q -v ON_ERROR_STOP=1 -d $db 2>&1
    fi
    if has_part revenue; then
        echo "auto_explain: the revenue file into an empty 2.0.0 database, then reloaded (the statements of 50 ms or more):"
        new_db $db_v2 2.0.0
        psql_db $db_v2 -c "INSERT INTO finmon.council_import VALUES ('$council', 'Bench council')"
        explain_sql "\\copy finmon.revenue_import FROM '$revenue_v2' WITH (FORMAT csv, HEADER)
\\copy finmon.revenue_import FROM '$revenue_v2' WITH (FORMAT csv, HEADER)" | psql -X -q -v ON_ERROR_STOP=1 -d $db_v2 2>&1
        dropdb $db_v2
    fi
fi
