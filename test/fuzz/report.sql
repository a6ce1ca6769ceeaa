-- finmon's fuzz test, the report on the checks run in this database (table fuzz.result): one
-- line per function or aggregate (checks, calls, mismatches, unexpected errors, seconds) and a
-- total; the first differences of any check that found some; then "ok: every result agreed
-- with its reference", or the error "not ok: ..." (psql exits 3) on any mismatch or unexpected
-- error, when a listed function was not called, when fewer than min_calls calls ran, or when
-- parts_ok is false.  Each part includes it at its end, for its own functions; scripts/test-fuzz
-- runs it once after every part.  Alone in a fresh database it reports that nothing was called.
--
-- psql variables (-v name=value):
--   functions  the functions and aggregates to list and require, in order, separated by spaces
--              (default: every function declared LANGUAGE C in src/*.sql that SQL can call)
--   min_calls  the fewest calls in all (default 1000000)
--   parts_ok   false when a part failed outside its checks (default true)
--   seconds    when set, printed as "<seconds> s in all" before the verdict
\ir setup.sql
\if :{?functions}
\else
\set functions 'financial_year_of period_of period_start period_end financial_year_start financial_year_end previous_financial_year is_financial_year variance variance_pct variance_direction variance_agg savings_shortfall savings_rag savings_agg reserve_rollforward rate rate_ci proportion_ci measure_figures rate_agg dsr_agg package_cost commitment_agg package_run_start line_path'
\endif
\if :{?min_calls}
\else
\set min_calls 1000000
\endif
\if :{?parts_ok}
\else
\set parts_ok true
\endif
\o

-- One line per function or aggregate.
\pset format aligned
\pset footer off
WITH f(n, func) AS (
    SELECT n, func FROM unnest(regexp_split_to_array(trim(:'functions'), '\s+')) WITH ORDINALITY AS f(func, n)),
r AS (SELECT f.n, f.func, count(r.func) AS checks, coalesce(sum(r.calls), 0) AS calls,
             coalesce(sum(r.mismatches), 0) AS mismatches, coalesce(sum(r.errors), 0) AS errors,
             coalesce(sum(r.ms), 0) AS ms
        FROM f LEFT JOIN fuzz.result r USING (func) GROUP BY f.n, f.func)
SELECT "function or aggregate", checks, calls, mismatches, "unexpected errors", seconds, result
  FROM (SELECT n, func AS "function or aggregate", checks, calls, mismatches, errors AS "unexpected errors",
               round(ms / 1000, 1) AS seconds,
               CASE WHEN mismatches = 0 AND errors = 0 AND calls > 0 THEN 'ok' ELSE 'NOT OK' END AS result
          FROM r
        UNION ALL
        SELECT 99, 'total', sum(checks), sum(calls), sum(mismatches), sum(errors), round(sum(ms) / 1000, 1), NULL FROM r) t
 ORDER BY n;

-- The first differences of any check that found some.
\pset format unaligned
\pset tuples_only on
SELECT format('%s / %s: %s mismatches, %s unexpected errors', func, label, mismatches, errors)
       || coalesce(E'\n    ' || array_to_string(ARRAY(SELECT left(e, 600) FROM unnest(examples) e), E'\n    '), '')
  FROM fuzz.result WHERE mismatches > 0 OR errors > 0;

-- The verdict.
WITH f(func) AS (SELECT unnest(regexp_split_to_array(trim(:'functions'), '\s+')))
SELECT CASE WHEN (SELECT sum(mismatches) + sum(errors) FROM fuzz.result) > 0 THEN 'mismatches or unexpected errors'
            WHEN EXISTS (SELECT FROM f WHERE NOT EXISTS (SELECT FROM fuzz.result r WHERE r.func = f.func AND r.calls > 0))
                THEN 'a function was not called'
            WHEN (SELECT sum(calls) FROM fuzz.result) < :min_calls
                THEN format('fewer than %s calls', to_char(:min_calls, 'FM999,999,999,999'))
            WHEN NOT :'parts_ok'::boolean THEN 'a part failed'
            ELSE 'ok' END AS verdict \gset
\if :{?seconds}
\echo :seconds 's in all'
\endif
SELECT :'verdict' = 'ok' AS fuzz_ok \gset
\if :fuzz_ok
\echo 'ok: every result agreed with its reference'
\else
\set VERBOSITY terse
SELECT fuzz.fail('not ok: ' || :'verdict');
\endif
