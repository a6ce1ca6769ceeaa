#!/bin/bash
# bench/consistency.sh: finmon.consistency_issues on the sample councils (data/norfolk and
# data/brackenfield, loaded as `make demo` loads them, with their published.csv), single
# worker.  Times, side by side in one run: consistency_issues (its stated figures joined to
# every figure computed once), the same query written as finmon 2.0 first wrote it (a
# subquery over finmon.report_figures for each stated figure; its rows are checked equal),
# and count(*) over the rows it reads (the reserves and the stated figures: the scan floor).
# Each timing is a query planned afresh, as a client's unprepared query is, with the server's
# own settings (JIT on, as PostgreSQL ships) and the tables as a load leaves them (autovacuum
# does not analyse a table of a few dozen rows, so the planner guesses their size).  BENCH_STATED
# (default 20) stated figures are added to Brackenfield's, taken from what finmon computes
# (every fifth one a pound out), since the samples state none.  Run in a throwaway cluster
# where finmon is installed:
#     make && make install && pg_virtualenv -t -v 15 ./bench/consistency.sh
# BENCH_REPEAT (default 5) rounds, interleaved, medians reported.  Not a test: nothing here
# asserts a timing.
set -euo pipefail

repeat=${BENCH_REPEAT:-5}
stated=${BENCH_STATED:-20}
db=finmon_bench_consistency
export PGDATABASE=$db
here=$(cd "$(dirname "$0")/.." && pwd)

. "$(dirname "$0")/lib.sh"

dropdb --if-exists $db >/dev/null 2>&1 || true
createdb $db
"$here/scripts/load-council" "$here/data/norfolk" >/dev/null
"$here/scripts/load-council" "$here/data/brackenfield" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -v stated="$stated" <<'SQL'
INSERT INTO finmon.stated_import
SELECT f.council, f.financial_year, f.period::text, f.report, f.item, f.column_name,
       (f.amount + CASE WHEN f.n % 5 = 0 THEN 1 ELSE 0 END)::text
  FROM (SELECT f.*, row_number() OVER (ORDER BY f.report, f.item, f.column_name) AS n
          FROM finmon.report_figures f
         WHERE f.council = 'X00000001' AND f.report IN ('reserves', 'grants', 'savings') AND f.amount IS NOT NULL
           AND f.column_name IN ('closing_balance', 'carry_forward', 'target')) AS f
 WHERE f.n <= :stated;
SQL

psql -X -q -v ON_ERROR_STOP=1 -v repeat="$repeat" <<SQL
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE timing (k int, round int, ms double precision);
$time_ms_sql
CREATE TEMP TABLE query (k int, query text, sql text);
INSERT INTO query VALUES
    (1, 'finmon.consistency_issues', 'SELECT * FROM finmon.consistency_issues'),
    (2, 'the same, a subquery over report_figures per stated figure (as first written)', \$q\$
SELECT s.council, 'stated figure'::text AS issue, s.financial_year, s.period, s.report, s.item, s.column_name,
       s.value AS stated, CASE WHEN f.matches = 1 THEN f.amount END AS computed
  FROM finmon_data.stated_figure s
 CROSS JOIN LATERAL (SELECT count(*) AS matches, min(r.amount) AS amount
                       FROM finmon.report_figures r
                      WHERE r.council = s.council AND r.financial_year = s.financial_year AND r.period = s.period
                        AND r.report = s.report AND r.item = s.item AND r.column_name = s.column_name) AS f
 WHERE f.matches <> 1 OR f.amount IS DISTINCT FROM s.value
UNION ALL
SELECT b.council, 'opening balance', b.financial_year,
       (SELECT max(r.period) FROM finmon_data.reserve r
         WHERE r.council = b.council AND r.name = b.name AND r.financial_year = b.financial_year),
       'reserves', b.name, 'opening_balance', b.opening_balance, b.previous_closing_balance
  FROM finmon.reserve_chain_breaks b\$q\$),
    (3, 'count(*) over the reserves and the stated figures (scan floor)',
        'SELECT (SELECT count(*) FROM finmon_data.reserve) + (SELECT count(*) FROM finmon_data.stated_figure)');
-- the two forms give the same rows
DO \$\$
DECLARE
    differ bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((SELECT council, issue, financial_year, period, report, item, column_name, stated, computed FROM finmon.consistency_issues
                                           EXCEPT ALL (%1\$s)) UNION ALL ((%1\$s) EXCEPT ALL
                                           SELECT council, issue, financial_year, period, report, item, column_name, stated, computed FROM finmon.consistency_issues)) d',
                   (SELECT sql FROM query WHERE k = 2)) INTO differ;
    IF differ <> 0 THEN
        RAISE EXCEPTION 'consistency_issues and the subquery form differ in % rows', differ;
    END IF;
END;
\$\$;
$(rounds_sql q.k)

\pset footer off
SELECT 'data' AS item, format('the sample councils %s: %s revenue rows, %s reserves rows, %s printed figures, %s stated figures',
                              (SELECT string_agg(council, ', ' ORDER BY council) FROM finmon.council),
                              (SELECT count(*) FROM finmon_data.revenue), (SELECT count(*) FROM finmon_data.reserve),
                              (SELECT count(*) FROM finmon_data.published), (SELECT count(*) FROM finmon_data.stated_figure)) AS value
UNION ALL SELECT 'issues', (SELECT count(*) FROM finmon.consistency_issues)::text || ' rows, the same in both forms ('
                           || (SELECT string_agg(issue || ' ' || n, ', ' ORDER BY issue)
                                 FROM (SELECT issue, count(*) AS n FROM finmon.consistency_issues GROUP BY issue) AS i) || ')'
UNION ALL SELECT 'settings', 'max_parallel_workers_per_gather = 0, jit = ' || current_setting('jit') || ', shared_buffers = ' || current_setting('shared_buffers')
                              || ', work_mem = ' || current_setting('work_mem')
UNION ALL SELECT 'repetitions', :'repeat' || ' (median reported), after one warm-up round'
$(ran_on_rows)
UNION ALL SELECT 'date', now()::date::text;

WITH m AS (
    SELECT t.k, percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) AS ms, min(t.ms) AS lo, max(t.ms) AS hi
      FROM timing t GROUP BY t.k
)
SELECT q.query AS measurement, round(m.ms::numeric, 2) AS "median ms",
       round(m.lo::numeric, 1) || '-' || round(m.hi::numeric, 1) AS "rounds, min-max ms",
       CASE q.k WHEN 1 THEN round((m.ms / (SELECT ms FROM m WHERE k = 3))::numeric) || 'x the scan floor'
                WHEN 2 THEN round((m.ms / (SELECT ms FROM m WHERE k = 1))::numeric, 1) || 'x consistency_issues'
                ELSE '1 (the floor)' END AS ratio
  FROM m JOIN query q USING (k) ORDER BY q.k;
SQL
dropdb $db
