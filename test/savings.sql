-- pgTAP tests for finmon's savings programme and reserve roll-forward (src/savings.c,
-- src/savings.sql, src/reserves.c, src/reserves.sql): savings_shortfall, savings_rag, the
-- aggregate savings_agg (plain, grouped, parallel) and the aggregate reserve_rollforward
-- (worked examples, long chains, breaks, grouped and parallel).
--
-- Savings carry the papers' sign: a saving of £2.5m is -2500000, a positive target is the
-- reversal of an earlier saving; shortfall = forecast - target, positive = not delivered.
-- Worked values come from the Norfolk 2018-19 papers (the savings RAG table, Appendix C's
-- 2018-19 column and its programme total, and the Doubtful Debts / Repairs and renewals
-- balances in the reserves table).  Aggregate results over generated data are compared with
-- a plain-SQL equivalent (sum(coalesce(..)), count(*) FILTER, lag() over the years) computed
-- in the same test, as ::text so scales are checked too.
--
-- The aggregates' inputs must come from real tables (a stored numeric has a short varlena
-- header, a path that once crashed), and the parallel tests need committed tables that
-- workers can read: they are created before the test transaction in their own schema, and
-- dropped at the end.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS finmon_tap_savings CASCADE;
CREATE SCHEMA finmon_tap_savings;

-- ~100k savings rows in 997 groups plus three special groups.  t (target): NULLs, mostly
-- negative savings at scales 0..3, some positive reversals, a few 1e30-sized values.
-- f (forecast): NULLs, scales 0..2, both under- and over-delivery.  Group 1000 is all-NULL
-- rows (no scheme: NULL result), 1001 has targets summing to 0.00 (NULL delivered_pct),
-- 1002 has targets but no forecasts.
CREATE TABLE finmon_tap_savings.programme AS
SELECT id,
       id % 997 AS grp,
       CASE WHEN id % 23 = 0 THEN NULL
            WHEN id % 101 = 0 THEN round(((id::bigint * 31) % 5003)::numeric * 10.5, id % 2)
            WHEN id % 9973 = 5 THEN -1e30 - id
            ELSE -round(((id::bigint * 7919) % 100003)::numeric * 13.37, id % 4)
       END AS t,
       CASE WHEN id % 19 = 0 THEN NULL
            WHEN id % 29 = 0 THEN 0
            ELSE -round(((id::bigint * 104729) % 100019)::numeric * 9.1, id % 3)
       END AS f
  FROM generate_series(1, 100000) id;
INSERT INTO finmon_tap_savings.programme
SELECT 100000 + i, 1000 + i % 3,
       CASE i % 3 WHEN 0 THEN NULL
                  WHEN 1 THEN (CASE WHEN i % 2 = 0 THEN 250.50 ELSE -250.50 END)
                  ELSE -75.125 * i END,
       CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN i * -1.5 ELSE NULL END
  FROM generate_series(1, 30) i;
ANALYZE finmon_tap_savings.programme;

-- Reserve balances: 2000 balances x 20 years (2000-01 .. 2019-20), stored in a scrambled
-- physical order (so the input order is not the year order).  Each year's opening is the
-- previous closing (opening + movement) except where (n * 7 + y) % 29 = 0, where it is
-- stated 1000.5 too high: a break in that year and in the next (whose opening is right).  Movements have scales 0..2; opening balances of balances with
-- n % 5 = 0 carry two decimal places (100.00 = 100, not a break).  Some rows have a NULL
-- movement, opening or year (skipped by the aggregate).  Plus one balance 'long' with 8000
-- unbroken years (1001-02 .. 9000-01), for the ungrouped parallel test.
CREATE TABLE finmon_tap_savings.balances (name text, financial_year text, opening_balance numeric,
                                          movement numeric, pad text);
WITH raw AS (
    SELECT n, y,
           round(((n * 7919 + y * 104729) % 20011 - 10000)::numeric * 3.7, (n + y) % 3) AS m
      FROM generate_series(1, 2000) n, generate_series(2000, 2019) y
), chained AS (
    SELECT n, y, m,
           round(n * 1000::numeric, CASE WHEN n % 5 = 0 THEN 2 ELSE 0 END)
             + coalesce(sum(m) OVER (PARTITION BY n ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS o
      FROM raw
)
INSERT INTO finmon_tap_savings.balances
SELECT 'b' || lpad(n::text, 4, '0'),
       CASE WHEN n % 211 = 0 AND y = 2010 THEN NULL ELSE format('%s-%s', y, lpad(((y + 1) % 100)::text, 2, '0')) END,
       CASE WHEN n % 223 = 0 AND y = 2005 THEN NULL
            WHEN (n * 7 + y) % 29 = 0 AND y > 2000 THEN o + 1000.5 ELSE o END,
       CASE WHEN n % 227 = 0 AND y = 2015 THEN NULL ELSE m END,
       repeat('x', 40)
  FROM chained
 ORDER BY md5(n::text || '/' || y::text);
WITH raw AS (
    SELECT y, ((y * 7919) % 2003 - 1000)::numeric / 4 AS m FROM generate_series(1001, 9000) y
)
INSERT INTO finmon_tap_savings.balances
SELECT 'long', format('%s-%s', y, lpad(((y + 1) % 100)::text, 2, '0')),
       5000000 + coalesce(sum(m) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0),
       m, repeat('y', 40)
  FROM raw
 ORDER BY md5(y::text);
ANALYZE finmon_tap_savings.balances;

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;

SELECT plan(176);

-- ---------------------------------------------------------------------------------------
-- Helpers (created inside the transaction, so rolled back with it).

-- results_eq and is on query text, turning an error raised by the query into a failed test
-- (with the SQLSTATE and message as diagnostics) instead of aborting the whole file.
CREATE FUNCTION finmon_tap_savings.check_eq(have_sql text, want_sql text, descr text) RETURNS text
LANGUAGE plpgsql AS $f$
BEGIN
    RETURN results_eq(have_sql, want_sql, descr);
EXCEPTION WHEN OTHERS THEN
    RETURN fail(descr) || E'\n' || diag('    raised ' || SQLSTATE || ': ' || SQLERRM);
END
$f$;

CREATE FUNCTION finmon_tap_savings.check_is(have_sql text, want text, descr text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
    got text;
BEGIN
    EXECUTE have_sql INTO got;
    RETURN is(got, want, descr);
EXCEPTION WHEN OTHERS THEN
    RETURN fail(descr) || E'\n' || diag('    raised ' || SQLSTATE || ': ' || SQLERRM);
END
$f$;

-- EXPLAIN (ANALYZE) a statement and return the plan lines: used on CREATE TABLE AS, so the
-- plan checked and the result stored come from the same execution.
CREATE FUNCTION finmon_tap_savings.explain_lines(q text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE
    r record;
BEGIN
    FOR r IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        RETURN NEXT r."QUERY PLAN";
    END LOOP;
EXCEPTION WHEN OTHERS THEN
    RETURN NEXT 'raised ' || SQLSTATE || ': ' || SQLERRM;
END
$f$;

-- savings_agg per group g of src (columns g, t, f) as text, and the plain-SQL equivalent:
-- sums of coalesce(x, 0), their difference, forecast / target * 100 (NULL for a zero
-- target), the rows with a figure, those with coalesce(f, 0) > coalesce(t, 0); NULL overall
-- when no row has a figure.
CREATE FUNCTION finmon_tap_savings.sagg_q(src text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT g, finmon.savings_agg(t, f)::text FROM (%s) s GROUP BY g ORDER BY g$q$, src)
$f$;

CREATE FUNCTION finmon_tap_savings.ssum_q(src text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT g, CASE WHEN n > 0 THEN ROW(st, sf, sf - st, sf / nullif(st, 0) * 100, n, off)::finmon.savings_summary END::text
                  FROM (SELECT g, sum(coalesce(t, 0)) AS st, sum(coalesce(f, 0)) AS sf,
                               count(*) FILTER (WHERE t IS NOT NULL OR f IS NOT NULL) AS n,
                               count(*) FILTER (WHERE (t IS NOT NULL OR f IS NOT NULL)
                                                  AND coalesce(f, 0) > coalesce(t, 0)) AS off
                          FROM (%s) s GROUP BY g) a
                 ORDER BY g$q$, src)
$f$;

-- reserve_rollforward per group g of src (columns g, fy, o, m) as text, and the plain-SQL
-- equivalent over the rows with no NULL: years sorted as text (four-digit years), lag() of
-- opening + movement as the expected opening, a break where it differs (numerically).
CREATE FUNCTION finmon_tap_savings.ragg_q(src text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT g, finmon.reserve_rollforward(fy, o, m)::text FROM (%s) s GROUP BY g ORDER BY g$q$, src)
$f$;

CREATE FUNCTION finmon_tap_savings.rsql_q(src text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT g, ROW(min(fy), max(fy), count(*)::int, (array_agg(o ORDER BY fy))[1],
                              (array_agg(o + m ORDER BY fy DESC))[1],
                              count(*) FILTER (WHERE o <> prev)::int,
                              coalesce(array_agg(fy ORDER BY fy) FILTER (WHERE o <> prev), '{}'),
                              coalesce(array_agg(prev ORDER BY fy) FILTER (WHERE o <> prev), '{}'),
                              coalesce(array_agg(o ORDER BY fy) FILTER (WHERE o <> prev), '{}')
                             )::finmon.reserve_chain::text
                  FROM (SELECT g, fy, o, m, lag(o + m) OVER (PARTITION BY g ORDER BY fy) AS prev
                          FROM (%s) s
                         WHERE fy IS NOT NULL AND o IS NOT NULL AND m IS NOT NULL) l
                 GROUP BY g ORDER BY g$q$, src)
$f$;

-- ---------------------------------------------------------------------------------------
-- Catalogue: the scalar functions are IMMUTABLE STRICT PARALLEL SAFE; both aggregates are
-- PARALLEL SAFE with combine/serial/deserial functions, so they can run in parallel plans.
SELECT function_returns('finmon', 'savings_shortfall', ARRAY['numeric', 'numeric'], 'numeric',
                        'savings_shortfall(numeric, numeric) returns numeric');
SELECT function_returns('finmon', 'savings_rag', ARRAY['numeric', 'numeric', 'numeric'], 'text',
                        'savings_rag(numeric, numeric, numeric) returns text');
SELECT volatility_is('finmon', f, a::name[], 'immutable', format('%s(%s) is IMMUTABLE', f, array_to_string(a, ', ')))
  FROM (VALUES ('savings_shortfall', ARRAY['numeric', 'numeric']),
               ('savings_rag', ARRAY['numeric', 'numeric', 'numeric'])) v(f, a);
SELECT is_strict('finmon', f, a::name[], format('%s(%s) is STRICT', f, array_to_string(a, ', ')))
  FROM (VALUES ('savings_shortfall', ARRAY['numeric', 'numeric']),
               ('savings_rag', ARRAY['numeric', 'numeric', 'numeric'])) v(f, a);
SELECT is((SELECT p.proparallel::text FROM pg_proc p WHERE p.oid = sig::regprocedure), 's',
          sig || ' is PARALLEL SAFE (proparallel = s)')
  FROM (VALUES ('finmon.savings_shortfall(numeric, numeric)'),
               ('finmon.savings_rag(numeric, numeric, numeric)'),
               ('finmon.savings_agg(numeric, numeric)'),
               ('finmon.reserve_rollforward(text, numeric, numeric)')) v(sig);
SELECT is((SELECT p.prokind::text || ' ' || p.prorettype::regtype::text FROM pg_proc p WHERE p.oid = sig::regprocedure),
          'a ' || rt, sig || ' is an aggregate returning ' || rt)
  FROM (VALUES ('finmon.savings_agg(numeric, numeric)', 'finmon.savings_summary'),
               ('finmon.reserve_rollforward(text, numeric, numeric)', 'finmon.reserve_chain')) v(sig, rt);
SELECT is((SELECT a.aggcombinefn::text || ' ' || a.aggserialfn::text || ' ' || a.aggdeserialfn::text
             FROM pg_aggregate a WHERE a.aggfnoid = sig::regprocedure),
          want, sig || ' combine/serial/deserial are ' || want)
  FROM (VALUES ('finmon.savings_agg(numeric, numeric)', 'finmon.savings_state_combine - -'),
               ('finmon.reserve_rollforward(text, numeric, numeric)',
                'finmon.rollforward_combine finmon.rollforward_serialize finmon.rollforward_deserialize')) v(sig, want);

SELECT results_eq(
    $$SELECT attname, atttypid::regtype::text FROM pg_attribute
       WHERE attrelid = 'finmon.savings_summary'::regclass AND attnum > 0 AND NOT attisdropped
       ORDER BY attnum$$,
    $$VALUES ('target'::name, 'numeric'), ('forecast', 'numeric'), ('shortfall', 'numeric'),
             ('delivered_pct', 'numeric'), ('schemes', 'bigint'), ('schemes_off_target', 'bigint')$$,
    'finmon.savings_summary is (target, forecast, shortfall, delivered_pct, schemes, schemes_off_target)');
SELECT results_eq(
    $$SELECT attname, atttypid::regtype::text FROM pg_attribute
       WHERE attrelid = 'finmon.reserve_chain'::regclass AND attnum > 0 AND NOT attisdropped
       ORDER BY attnum$$,
    $$VALUES ('first_year'::name, 'text'), ('last_year', 'text'), ('years', 'integer'),
             ('opening_balance', 'numeric'), ('closing_balance', 'numeric'), ('breaks', 'integer'),
             ('break_years', 'text[]'), ('break_expected', 'numeric[]'), ('break_stated', 'numeric[]')$$,
    'finmon.reserve_chain is (first_year, last_year, years, opening_balance, closing_balance, breaks, break_years, break_expected, break_stated)');

-- ---------------------------------------------------------------------------------------
-- savings_shortfall(target, forecast) = forecast - target, compared as text (scale too).
SELECT is(finmon.savings_shortfall(t, f)::text, want, format('savings_shortfall(%s, %s) = %s', t, f, want))
  FROM (VALUES (-2500000::numeric, -843000::numeric, '1657000'),   -- under-delivered: positive
               (-700000, -700000, '0'),                            -- delivered in full
               (-500000, -650000, '-150000'),                      -- over-delivered: negative
               (100000, 150000, '50000'),                          -- a reversal exceeded
               (0, 0, '0'),
               (-1.50, -1.5, '0.00'),
               (-0.001, 2, '2.001'),
               (-1e30, 1e30, '2000000000000000000000000000000')) v(t, f, want);
SELECT is(finmon.savings_shortfall(NULL, 1), NULL, 'savings_shortfall(NULL, 1) is NULL');
SELECT is(finmon.savings_shortfall(1, NULL), NULL, 'savings_shortfall(1, NULL) is NULL');

-- NaN and +/-Infinity are not sums of money: 22023, in either argument.
SELECT throws_ok(format('SELECT finmon.savings_shortfall(%s, %s)', t, f), '22023', NULL,
                 format('savings_shortfall(%s, %s) raises 22023', t, f))
  FROM (VALUES ('''NaN''::numeric', '1::numeric'), ('1::numeric', '''NaN''::numeric'),
               ('''Infinity''::numeric', '1::numeric'), ('1::numeric', '''Infinity''::numeric'),
               ('''-Infinity''::numeric', '1::numeric'), ('1::numeric', '''-Infinity''::numeric')) v(t, f);

-- ---------------------------------------------------------------------------------------
-- savings_rag: the 2018-19 paper's printed RAG statuses (default red_below 0.5).
-- -4067000 of -6794000 is 59.9% delivered: Amber; -4099000 of -4665000 87.9%: Amber;
-- -50000 of -500000 10%: Red; -843000 of -2500000 33.7%: Red; -549000 of -686000 80%: Amber;
-- delivered in full: Green.
SELECT is(finmon.savings_rag(t, f), want, format('savings_rag(%s, %s) = %s (2018-19 paper)', t, f, want))
  FROM (VALUES (-6794000::numeric, -4067000::numeric, 'Amber'),
               (-4665000, -4099000, 'Amber'),
               (-500000, -50000, 'Red'),
               (-2500000, -843000, 'Red'),
               (-686000, -549000, 'Amber'),
               (-700000, -700000, 'Green'),
               (-3000000, -3000000, 'Green')) v(t, f, want);

-- Boundaries, worked by hand: Red when forecast / target < red_below, i.e. forecast >
-- red_below * target for a negative target.
SELECT is(finmon.savings_rag(t, f, r), want, format('savings_rag(%s, %s, %s) = %s (%s)', t, f, r, want, why))
  FROM (VALUES (-1000000::numeric, -500000::numeric, 0.5::numeric, 'Amber', 'exactly half delivered is not Red'),
               (-1000000, -499999, 0.5, 'Red', 'one pound short of half is Red'),
               (-100, -49.99, 0.5, 'Red', 'a penny short of half is Red'),
               (-100.00, -50, 0.50, 'Amber', 'exactly half, other scales'),
               (-100, -99.99, 0.5, 'Amber', 'a penny short of the target is Amber'),
               (-100, -150, 0.5, 'Green', 'over-delivery is Green'),
               (-100, 0, 0.5, 'Red', 'nothing delivered is Red'),
               (-100, 20, 0.5, 'Red', 'a cost instead of a saving is Red'),
               (0, 0, 0.5, 'Green', 'zero target, zero forecast'),
               (0, -10, 0.5, 'Green', 'zero target, a saving anyway'),
               (0, 10, 0.5, 'Red', 'zero target exceeded'),
               (100000, 150000, 0.5, 'Red', 'a reversal exceeded'),
               (100000, 100000, 0.5, 'Green', 'a reversal matched'),
               (100000, 40000, 0.5, 'Green', 'a reversal smaller than planned'),
               (-100, -75, 0.75, 'Amber', 'red_below 0.75: three quarters delivered'),
               (-100, -74, 0.75, 'Red', 'red_below 0.75: 74% delivered'),
               (-100, 0, 0, 'Amber', 'red_below 0: nothing delivered is Amber (0 < 0 is false)'),
               (-100, -99, 0, 'Amber', 'red_below 0: short of the target is Amber'),
               (-100, 0.01, 0, 'Red', 'red_below 0: a positive forecast is Red'),
               (-100, -100, 0, 'Green', 'red_below 0: delivered in full is Green'),
               (-100, -99.99, 1, 'Red', 'red_below 1: any shortfall is Red'),
               (-100, -100, 1, 'Green', 'red_below 1: delivered in full is Green'),
               (-100, -100.01, 1, 'Green', 'red_below 1: over-delivery is Green'),
               (100, 101, 0, 'Red', 'red_below 0: a reversal exceeded is still Red')) v(t, f, r, want, why);
SELECT is(finmon.savings_rag(-1000000, -499999), 'Red', 'savings_rag(-1000000, -499999) defaults to red_below 0.5: Red');
SELECT is(finmon.savings_rag(-1000000, -500000), 'Amber', 'savings_rag(-1000000, -500000) defaults to red_below 0.5: Amber');

-- STRICT: a NULL in any argument, including red_below, gives NULL.
SELECT is(finmon.savings_rag(t, f, r), NULL, format('savings_rag(%s, %s, %s) is NULL',
          coalesce(t::text, 'NULL'), coalesce(f::text, 'NULL'), coalesce(r::text, 'NULL')))
  FROM (VALUES (NULL::numeric, -1::numeric, 0.5::numeric), (-1, NULL, 0.5), (-1, -1, NULL)) v(t, f, r);

-- red_below must be a share between 0 and 1: 22023 outside it.
SELECT throws_ok('SELECT finmon.savings_rag(-100, -50, 1.01)', '22023',
                 'red_below 1.01 is not a share between 0 and 1', 'savings_rag red_below 1.01 raises 22023');
SELECT throws_ok(format('SELECT finmon.savings_rag(-100, -50, %s)', r), '22023', NULL,
                 format('savings_rag red_below %s raises 22023', r))
  FROM (VALUES ('-0.01'), ('-1'), ('2'), ('50')) v(r);

-- NaN and +/-Infinity in any argument: 22023.
SELECT throws_ok(format('SELECT finmon.savings_rag(%s)', args), '22023', NULL,
                 format('savings_rag(%s) raises 22023', args))
  FROM (VALUES ('''NaN''::numeric, -1, 0.5'), ('-1, ''NaN''::numeric, 0.5'), ('-1, -1, ''NaN''::numeric'),
               ('''Infinity''::numeric, -1, 0.5'), ('-1, ''Infinity''::numeric, 0.5'), ('-1, -1, ''Infinity''::numeric'),
               ('''-Infinity''::numeric, -1, 0.5'), ('-1, ''-Infinity''::numeric, 0.5'), ('-1, -1, ''-Infinity''::numeric'),
               ('''NaN''::numeric, -1')) v(args);

-- ---------------------------------------------------------------------------------------
-- savings_agg: the 2018-19 paper's Appendix C column, 20 schemes, stored in a table.
-- Printed totals: target -27.290m, forecast -21.753m, variance 5.537m; 5 schemes off target
-- (-15.145m / -9.608m).  21753 / 27290 = 79.71% delivered.
CREATE TEMP TABLE paper (n int, target numeric, forecast numeric);
INSERT INTO paper
SELECT n, t, f
  FROM unnest('{-700000,-6794000,-4665000,-500000,-500000,-250000,-2500000,-3400000,-275000,-230000,
                -400000,-550000,-686000,NULL,-49000,-300000,NULL,-2300000,-191000,-3000000}'::numeric[],
              '{-700000,-4067000,-4099000,-500000,-50000,-250000,-843000,-3400000,-275000,-230000,
                -400000,-550000,-549000,0,-49000,-300000,0,-2300000,-191000,-3000000}'::numeric[])
       WITH ORDINALITY u(t, f, n);

SELECT is((SELECT count(*) FROM paper), 20::bigint, 'the paper fixture holds 20 schemes');
SELECT finmon_tap_savings.check_is($$SELECT (finmon.savings_agg(target, forecast)).target::text FROM paper$$,
          '-27290000', 'paper total: target -27290000');
SELECT finmon_tap_savings.check_is($$SELECT (finmon.savings_agg(target, forecast)).forecast::text FROM paper$$,
          '-21753000', 'paper total: forecast -21753000');
SELECT finmon_tap_savings.check_is($$SELECT (finmon.savings_agg(target, forecast)).shortfall::text FROM paper$$,
          '5537000', 'paper total: shortfall 5537000');
SELECT finmon_tap_savings.check_is($$SELECT (finmon.savings_agg(target, forecast)).schemes::text FROM paper$$,
          '20', 'paper total: 20 schemes (the two with no target count, their target as 0)');
SELECT finmon_tap_savings.check_is($$SELECT (finmon.savings_agg(target, forecast)).schemes_off_target::text FROM paper$$,
          '5', 'paper total: 5 schemes off target');
SELECT finmon_tap_savings.check_is($$SELECT round((finmon.savings_agg(target, forecast)).delivered_pct, 2)::text FROM paper$$,
          '79.71', 'paper total: 79.71% delivered');
SELECT finmon_tap_savings.check_is($$SELECT (finmon.savings_agg(target, forecast)).delivered_pct::text FROM paper$$,
          ((-21753000)::numeric / (-27290000)::numeric * 100)::text, 'paper total: delivered_pct = -21753000 / -27290000 * 100 exactly');
SELECT finmon_tap_savings.check_is(
    $$SELECT finmon.savings_agg(target, forecast)::text FROM paper WHERE coalesce(forecast, 0) > coalesce(target, 0)$$,
    ROW(-15145000::numeric, -9608000::numeric, 5537000::numeric, (-9608000)::numeric / (-15145000)::numeric * 100,
        5::bigint, 5::bigint)::finmon.savings_summary::text,
    'paper: the 5 schemes off target total -15145000 / -9608000');
SELECT finmon_tap_savings.check_is(
    $$SELECT finmon.savings_agg(target, forecast ORDER BY n DESC)::text FROM paper$$,
    (SELECT finmon.savings_agg(target, forecast)::text FROM paper),
    'paper total: the same in reverse order');
SELECT finmon_tap_savings.check_is(
    $$SELECT finmon.savings_agg(target, forecast ORDER BY n DESC)::text FROM paper$$,
    ROW(-27290000::numeric, -21753000::numeric, 5537000::numeric, (-21753000)::numeric / (-27290000)::numeric * 100,
        20::bigint, 5::bigint)::finmon.savings_summary::text,
    'paper total in reverse order: the printed -27.290m, -21.753m, 5.537m, 20 schemes and 5 off target');
SELECT finmon_tap_savings.check_eq(
    $$SELECT n, finmon.savings_agg(target, forecast) OVER (ORDER BY n)::text FROM paper ORDER BY n$$,
    $$SELECT n, ROW(sum(coalesce(target, 0)) OVER w, sum(coalesce(forecast, 0)) OVER w,
                    sum(coalesce(forecast, 0)) OVER w - sum(coalesce(target, 0)) OVER w,
                    sum(coalesce(forecast, 0)) OVER w / nullif(sum(coalesce(target, 0)) OVER w, 0) * 100,
                    count(*) OVER w,
                    count(*) FILTER (WHERE coalesce(forecast, 0) > coalesce(target, 0)) OVER w)::finmon.savings_summary::text
        FROM paper WINDOW w AS (ORDER BY n) ORDER BY n$$,
    'paper: running savings_agg OVER (ORDER BY n) = running sums, row by row');

-- NULL handling by hand.  Empty and all-NULL input: NULL (not a row of NULLs).  A row with
-- one figure is a scheme, the other counting as 0; a sum with no values is 0; a zero target
-- gives a NULL delivered_pct.
SELECT is((SELECT finmon.savings_agg(target, forecast)::text FROM paper WHERE false), NULL,
          'savings_agg over no rows is NULL');
SELECT is((SELECT finmon.savings_agg(NULL::numeric, NULL::numeric)::text FROM generate_series(1, 3)), NULL,
          'savings_agg over NULL-only rows is NULL');
SELECT is((SELECT finmon.savings_agg(t, f)::text
             FROM (VALUES (NULL::numeric, 5::numeric), (NULL, NULL), (3, NULL), (NULL, NULL)) s(t, f)),
          ROW(3::numeric, 5::numeric, 2::numeric, 5::numeric / 3 * 100, 2::bigint, 1::bigint)::finmon.savings_summary::text,
          'savings_agg (NULL,5),(NULL,NULL),(3,NULL): 2 schemes, 1 off target (5 > 0), NULL/NULL ignored');
SELECT is((SELECT finmon.savings_agg(t, f)::text FROM (VALUES (NULL::numeric, -5::numeric), (NULL, -2.5)) s(t, f)),
          '(0,-7.5,-7.5,,2,0)', 'savings_agg with no targets is (0,-7.5,-7.5,,2,0)');
SELECT is((SELECT finmon.savings_agg(t, f)::text FROM (VALUES (-5::numeric, NULL::numeric), (-7.25, NULL)) s(t, f)),
          '(-12.25,0,12.25,0.00000000000000000000,2,2)',
          'savings_agg with no forecasts is (-12.25,0,12.25,0.00000000000000000000,2,2): both off target, 0 / -12.25 * 100 at numeric''s scale');
SELECT is((SELECT finmon.savings_agg(t, f)::text FROM (VALUES (100.50, 50::numeric), (-100.50, -50)) s(t, f)),
          '(0.00,0,0.00,,2,1)', 'savings_agg with targets cancelling to 0.00: NULL delivered_pct');
SELECT is((SELECT finmon.savings_agg(t, f)::text FROM (VALUES (-1.50, -1::numeric), (-1, -2.250)) s(t, f)),
          '(-2.50,-3.250,-0.750,130.0000000000000000,2,1)', 'savings_agg keeps scales: (-2.50,-3.250,-0.750,130.0000000000000000,2,1)');

-- NaN and +/-Infinity in the aggregate: 22023, in either column, even beside a NULL.
SELECT throws_ok(format('SELECT finmon.savings_agg(t, f) FROM (VALUES (-1::numeric, -1::numeric), (%s, %s)) s(t, f)', t, f),
                 '22023', NULL, format('savings_agg with a row (%s, %s) raises 22023', t, f))
  FROM (VALUES ('''NaN''::numeric', '-1'), ('-1', '''NaN''::numeric'),
               ('''Infinity''::numeric', '-1'), ('-1', '''Infinity''::numeric'),
               ('''-Infinity''::numeric', '-1'), ('-1', '''-Infinity''::numeric'),
               ('''NaN''::numeric', 'NULL'), ('NULL', '''Infinity''::numeric')) v(t, f);

-- The generated programme (a committed table: stored numerics), serially.
SELECT is((SELECT count(*) FROM finmon_tap_savings.programme), 100030::bigint, 'the programme fixture holds 100030 rows');
SELECT finmon_tap_savings.check_eq(
    finmon_tap_savings.sagg_q('SELECT 0 AS g, t, f FROM finmon_tap_savings.programme'),
    finmon_tap_savings.ssum_q('SELECT 0 AS g, t, f FROM finmon_tap_savings.programme'),
    'savings_agg over the whole programme = the plain-SQL equivalent');
SELECT finmon_tap_savings.check_eq(
    finmon_tap_savings.sagg_q('SELECT grp AS g, t, f FROM finmon_tap_savings.programme'),
    finmon_tap_savings.ssum_q('SELECT grp AS g, t, f FROM finmon_tap_savings.programme'),
    'savings_agg GROUP BY grp = the plain-SQL equivalent, every group');
SELECT finmon_tap_savings.check_eq(
    $$SELECT grp, finmon.savings_agg(t, f)::text FROM finmon_tap_savings.programme WHERE grp >= 1000 GROUP BY grp ORDER BY grp$$,
    $$VALUES (1000, NULL::text), (1001, '(0.00,-217.5,-217.50,,10,5)'),
             (1002, '(-11644.375,0,11644.375,0.000000000000000000000000,10,10)')$$,
    'savings_agg special groups by hand: all-NULL is NULL, targets cancelling, no forecasts');
SELECT finmon_tap_savings.check_is(
    $$SELECT (finmon.savings_agg(t, f)).schemes::text FROM finmon_tap_savings.programme$$,
    (SELECT count(*)::text FROM finmon_tap_savings.programme WHERE t IS NOT NULL OR f IS NOT NULL),
    'savings_agg over the programme counts the rows with a figure');

-- Forced parallel plans on the programme: a Partial Aggregate with workers launched, and the
-- same answer as the serial plan (whole table and GROUP BY grp).
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;

CREATE TEMP TABLE plans (k text PRIMARY KEY, plan text);
INSERT INTO plans SELECT 's_total_par', string_agg(l, E'\n') FROM finmon_tap_savings.explain_lines(
    'CREATE TEMP TABLE s_total_par AS SELECT finmon.savings_agg(t, f) AS v FROM finmon_tap_savings.programme') l;
INSERT INTO plans SELECT 's_grp_par', string_agg(l, E'\n') FROM finmon_tap_savings.explain_lines(
    'CREATE TEMP TABLE s_grp_par AS SELECT grp, finmon.savings_agg(t, f) AS v FROM finmon_tap_savings.programme GROUP BY grp') l;
INSERT INTO plans SELECT 'r_long_par', string_agg(l, E'\n') FROM finmon_tap_savings.explain_lines(
    $$CREATE TEMP TABLE r_long_par AS SELECT finmon.reserve_rollforward(financial_year, opening_balance, movement) AS v
        FROM finmon_tap_savings.balances WHERE name = 'long'$$) l;
INSERT INTO plans SELECT 'r_grp_par', string_agg(l, E'\n') FROM finmon_tap_savings.explain_lines(
    $$CREATE TEMP TABLE r_grp_par AS SELECT name, finmon.reserve_rollforward(financial_year, opening_balance, movement) AS v
        FROM finmon_tap_savings.balances GROUP BY name$$) l;

SET LOCAL max_parallel_workers_per_gather = 0;
INSERT INTO plans SELECT 's_total_ser', string_agg(l, E'\n') FROM finmon_tap_savings.explain_lines(
    'CREATE TEMP TABLE s_total_ser AS SELECT finmon.savings_agg(t, f) AS v FROM finmon_tap_savings.programme') l;
INSERT INTO plans SELECT 's_grp_ser', string_agg(l, E'\n') FROM finmon_tap_savings.explain_lines(
    'CREATE TEMP TABLE s_grp_ser AS SELECT grp, finmon.savings_agg(t, f) AS v FROM finmon_tap_savings.programme GROUP BY grp') l;
INSERT INTO plans SELECT 'r_long_ser', string_agg(l, E'\n') FROM finmon_tap_savings.explain_lines(
    $$CREATE TEMP TABLE r_long_ser AS SELECT finmon.reserve_rollforward(financial_year, opening_balance, movement) AS v
        FROM finmon_tap_savings.balances WHERE name = 'long'$$) l;
INSERT INTO plans SELECT 'r_grp_ser', string_agg(l, E'\n') FROM finmon_tap_savings.explain_lines(
    $$CREATE TEMP TABLE r_grp_ser AS SELECT name, finmon.reserve_rollforward(financial_year, opening_balance, movement) AS v
        FROM finmon_tap_savings.balances GROUP BY name$$) l;

SELECT matches((SELECT plan FROM plans WHERE k = 's_total_par'), 'Partial Aggregate',
               'forced-parallel savings_agg plan has a Partial Aggregate');
SELECT matches((SELECT plan FROM plans WHERE k = 's_total_par'), 'Workers Launched: [1-9]',
               'forced-parallel savings_agg launched workers');
SELECT matches((SELECT plan FROM plans WHERE k = 's_grp_par'), 'Partial (Hash|Group|Mixed)?Aggregate',
               'forced-parallel savings_agg GROUP BY plan has a partial aggregate');
SELECT matches((SELECT plan FROM plans WHERE k = 's_grp_par'), 'Workers Launched: [1-9]',
               'forced-parallel savings_agg GROUP BY launched workers');
SELECT doesnt_match((SELECT plan FROM plans WHERE k = 's_total_ser') || (SELECT plan FROM plans WHERE k = 's_grp_ser'),
                    'Gather|Partial', 'the serial savings_agg plans really are serial');
SELECT finmon_tap_savings.check_eq($$SELECT v::text FROM s_total_par$$, $$SELECT v::text FROM s_total_ser$$,
          'parallel savings_agg = serial savings_agg (whole table)');
SELECT finmon_tap_savings.check_eq($$SELECT grp, v::text FROM s_grp_par ORDER BY grp$$,
                                   $$SELECT grp, v::text FROM s_grp_ser ORDER BY grp$$,
          'parallel savings_agg = serial savings_agg, every group');
SELECT finmon_tap_savings.check_eq(
    $$SELECT 0, v::text FROM s_total_par$$,
    finmon_tap_savings.ssum_q('SELECT 0 AS g, t, f FROM finmon_tap_savings.programme'),
    'parallel savings_agg = the plain-SQL equivalent (whole table)');
SELECT finmon_tap_savings.check_eq(
    $$SELECT grp, v::text FROM s_grp_par ORDER BY grp$$,
    finmon_tap_savings.ssum_q('SELECT grp AS g, t, f FROM finmon_tap_savings.programme'),
    'parallel savings_agg = the plain-SQL equivalent, every group');
SELECT finmon_tap_savings.check_is($$SELECT count(*) FROM s_grp_par$$, '1000',
          'the parallel savings_agg GROUP BY gave all 1000 groups');

-- ---------------------------------------------------------------------------------------
-- reserve_rollforward: the Norfolk papers' balances.  Doubtful Debts provision: 2017-18
-- opening 4,157,000, no movement; 2018-19 opening 6,454,000 (not 4,157,000: a break),
-- movement -504,000, closing 5,950,000.  Repairs and renewals: 43,000 both years, no
-- movement, no break.
CREATE TEMP TABLE norfolk_reserves (name text, financial_year text, opening_balance numeric, movement numeric);
INSERT INTO norfolk_reserves VALUES
    ('Doubtful Debts provision', '2018-19', 6454000, -504000),
    ('Repairs and renewals', '2017-18', 43000, 0),
    ('Doubtful Debts provision', '2017-18', 4157000, 0),
    ('Repairs and renewals', '2018-19', 43000, 0);

SELECT finmon_tap_savings.check_eq(
    $$SELECT name, finmon.reserve_rollforward(financial_year, opening_balance, movement)::text
        FROM norfolk_reserves GROUP BY name ORDER BY name$$,
    $$VALUES ('Doubtful Debts provision', '(2017-18,2018-19,2,4157000,5950000,1,{2018-19},{4157000},{6454000})'),
             ('Repairs and renewals', '(2017-18,2018-19,2,43000,43000,0,{},{},{})')$$,
    'reserve_rollforward on the Norfolk Doubtful Debts and Repairs and renewals balances');
SELECT finmon_tap_savings.check_is(
    $$SELECT (finmon.reserve_rollforward(financial_year, opening_balance, movement)).closing_balance::text
        FROM norfolk_reserves WHERE name = 'Doubtful Debts provision'$$,
    '5950000', 'Doubtful Debts provision closes at 5950000');
SELECT finmon_tap_savings.check_is(
    $$SELECT (finmon.reserve_rollforward(financial_year, opening_balance, movement)).break_expected[1]::text
        || ' ' || (finmon.reserve_rollforward(financial_year, opening_balance, movement)).break_stated[1]::text
        FROM norfolk_reserves WHERE name = 'Doubtful Debts provision'$$,
    '4157000 6454000', 'Doubtful Debts provision: 2018-19 expected 4157000, stated 6454000');
SELECT finmon_tap_savings.check_is(
    $$SELECT (finmon.reserve_rollforward(financial_year, opening_balance, movement ORDER BY financial_year DESC))::text
        FROM norfolk_reserves WHERE name = 'Doubtful Debts provision'$$,
    '(2017-18,2018-19,2,4157000,5950000,1,{2018-19},{4157000},{6454000})',
    'Doubtful Debts provision: the same with ORDER BY financial_year DESC');
SELECT finmon_tap_savings.check_is(
    $$SELECT (finmon.reserve_rollforward(financial_year, opening_balance, movement ORDER BY financial_year))::text
        FROM norfolk_reserves WHERE name = 'Doubtful Debts provision'$$,
    '(2017-18,2018-19,2,4157000,5950000,1,{2018-19},{4157000},{6454000})',
    'Doubtful Debts provision: the same with ORDER BY financial_year');

-- A 50-year unbroken chain from generate_series (1990-91 .. 2039-40), given in a scrambled
-- order: each opening is the previous closing; the closing is 1,000,000 plus all movements.
CREATE TEMP TABLE chain50 AS
SELECT y, format('%s-%s', y, lpad(((y + 1) % 100)::text, 2, '0')) AS financial_year,
       1000000 + coalesce(sum(m) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS opening_balance,
       m AS movement
  FROM (SELECT y, ((y * 7919) % 1009 - 500)::numeric * 100.25 AS m FROM generate_series(1990, 2039) y) s
 ORDER BY md5(y::text);

SELECT finmon_tap_savings.check_is(
    $$SELECT finmon.reserve_rollforward(financial_year, opening_balance, movement)::text FROM chain50$$,
    (SELECT ROW('1990-91', '2039-40', 50, 1000000, 1000000 + sum(movement), 0, '{}'::text[], '{}'::numeric[], '{}'::numeric[])
              ::finmon.reserve_chain::text FROM chain50),
    '50-year unbroken chain: 1990-91 to 2039-40, no breaks, closing 1000000 + sum of movements');
SELECT finmon_tap_savings.check_is(
    $$SELECT (finmon.reserve_rollforward(financial_year, opening_balance, movement)).breaks::text FROM chain50$$,
    '0', '50-year unbroken chain has 0 breaks');
SELECT finmon_tap_savings.check_is(
    $$SELECT finmon.reserve_rollforward(financial_year, opening_balance, movement ORDER BY y DESC)::text FROM chain50$$,
    (SELECT finmon.reserve_rollforward(financial_year, opening_balance, movement ORDER BY y)::text FROM chain50),
    '50-year chain: ORDER BY year DESC gives the same as ORDER BY year');
SELECT finmon_tap_savings.check_is(
    $$SELECT finmon.reserve_rollforward(financial_year, opening_balance, movement ORDER BY y DESC)::text FROM chain50$$,
    (SELECT ROW('1990-91', '2039-40', 50, 1000000, 1000000 + sum(movement), 0, '{}'::text[], '{}'::numeric[], '{}'::numeric[])
              ::finmon.reserve_chain::text FROM chain50),
    '50-year chain, ORDER BY year DESC: 1990-91 to 2039-40, no breaks, closing 1000000 + sum of movements');
SELECT finmon_tap_savings.check_is(
    $$SELECT (finmon.reserve_rollforward(financial_year,
                CASE WHEN y = 2000 THEN opening_balance + 1 ELSE opening_balance END, movement)).break_years::text
        FROM chain50$$,
    '{2000-01,2001-02}', '50-year chain with 2000-01 stated one pound high: breaks in 2000-01 and (its closing high) 2001-02');
SELECT finmon_tap_savings.check_is(
    $$SELECT (finmon.reserve_rollforward(financial_year,
                CASE WHEN y = 2000 THEN opening_balance + 1 ELSE opening_balance END, movement)).break_years::text
        FROM chain50 WHERE y <> 2001$$,
    '{2000-01,2002-03}', 'the same with 2001-02 missing: 2002-03 compares with 2000-01''s closing and breaks');

-- Hand-made chains: missing years, several breaks, scales, the turn of a century.
SELECT is((SELECT finmon.reserve_rollforward(fy, o, m)::text
             FROM (VALUES ('2015-16', 100::numeric, 10::numeric), ('2017-18', 110, 5)) s(fy, o, m)),
          '(2015-16,2017-18,2,100,115,0,{},{},{})', 'a missing year is not a break: 2017-18 follows 2015-16''s closing');
SELECT is((SELECT finmon.reserve_rollforward(fy, o, m)::text
             FROM (VALUES ('2015-16', 100::numeric, 10::numeric), ('2017-18', 120, 5)) s(fy, o, m)),
          '(2015-16,2017-18,2,100,125,1,{2017-18},{110},{120})', 'after a missing year the break compares with the latest earlier closing');
SELECT is((SELECT ARRAY[(r).breaks::text, (r).break_years::text, (r).break_expected::text, (r).break_stated::text, (r).closing_balance::text]
             FROM (SELECT finmon.reserve_rollforward(fy, o, m) AS r
                     FROM (VALUES ('2020-21', 500::numeric, -50::numeric), ('2018-19', 100, 0), ('2019-20', 90, 10.5),
                                  ('2021-22', 450, 25)) s(fy, o, m)) a),
          ARRAY['2', '{2019-20,2020-21}', '{100,100.5}', '{90,500}', '475'],
          'two breaks, given out of order: 2019-20 (expected 100, stated 90) and 2020-21 (expected 100.5, stated 500)');
SELECT is((SELECT finmon.reserve_rollforward(fy, o, m)::text
             FROM (VALUES ('2018-19', 100.00::numeric, 0.50::numeric), ('2019-20', 100.5, -0.5)) s(fy, o, m)),
          '(2018-19,2019-20,2,100.00,100.0,0,{},{},{})', '100.50 closing and 100.5 opening are equal: not a break');
SELECT is((SELECT finmon.reserve_rollforward(fy, o, m)::text
             FROM (VALUES ('2000-01', 30::numeric, 1::numeric), ('1998-99', 10, 10), ('1999-00', 20, 10)) s(fy, o, m)),
          '(1998-99,2000-01,3,10,31,0,{},{},{})', 'years sort by their start across a century: 1998-99, 1999-00, 2000-01');
SELECT is((SELECT finmon.reserve_rollforward(fy, o, m)::text
             FROM (VALUES ('2018-19', 100::numeric, -20::numeric)) s(fy, o, m)),
          '(2018-19,2018-19,1,100,80,0,{},{},{})', 'a single year: closing = opening + movement, no breaks');

-- NULLs: a row with any NULL argument is skipped; no rows (or only skipped rows) is NULL.
SELECT is((SELECT finmon.reserve_rollforward(fy, o, m)::text
             FROM (VALUES ('2017-18', 100::numeric, 10::numeric), (NULL, 999, 1), ('2018-19', NULL, 1),
                          ('2019-20', 5, NULL), ('2018-19', 110, 0)) s(fy, o, m)),
          '(2017-18,2018-19,2,100,110,0,{},{},{})', 'rows with a NULL year, opening or movement are skipped');
SELECT is((SELECT finmon.reserve_rollforward(fy, o, m)::text FROM norfolk_reserves n(name, fy, o, m) WHERE false), NULL,
          'reserve_rollforward over no rows is NULL');
SELECT is((SELECT finmon.reserve_rollforward(fy, o, m)::text
             FROM (VALUES (NULL::text, 1::numeric, 1::numeric), ('2018-19', NULL, 1), ('2018-19', 1, NULL)) s(fy, o, m)),
          NULL, 'reserve_rollforward over rows that all have a NULL is NULL');

-- Errors: a badly written year 22007; two rows for one year 21000 (even far apart in the
-- input, or via the same year written twice in a group); NaN or infinity 22023.
SELECT throws_ok(format($$SELECT finmon.reserve_rollforward(fy, 1, 0) FROM (VALUES ('2017-18'), (%L)) s(fy)$$, fy),
                 '22007', NULL, format('reserve_rollforward with year %L raises 22007', fy))
  FROM (VALUES ('2018/19'), ('2018-20'), ('18-19'), ('2018-2019'), (''), ('0000-01')) v(fy);
SELECT throws_ok($$SELECT finmon.reserve_rollforward(fy, 1, 0) FROM (VALUES ('2018/19')) s(fy)$$,
                 '22007', 'invalid financial year "2018/19"', 'reserve_rollforward names the bad year');
SELECT throws_ok($$SELECT finmon.reserve_rollforward(fy, o, 0) FROM (VALUES ('2018-19', 1::numeric), ('2018-19', 1)) s(fy, o)$$,
                 '21000', 'reserve_rollforward was given two rows for 2018-19', 'two rows for 2018-19 raise 21000');
SELECT throws_ok($$SELECT finmon.reserve_rollforward(fy, o, 0)
                     FROM (VALUES ('2016-17', 1::numeric), ('2019-20', 1), ('2017-18', 1), ('2016-17', 5)) s(fy, o)$$,
                 '21000', NULL, 'two rows for 2016-17, far apart in the input, raise 21000');
SELECT throws_ok($$SELECT finmon.reserve_rollforward(financial_year, opening_balance, movement)
                     FROM (SELECT * FROM chain50 UNION ALL SELECT * FROM chain50 WHERE y = 2039) s$$,
                 '21000', NULL, 'the 50-year chain with its last year twice raises 21000');
SELECT throws_ok(format('SELECT finmon.reserve_rollforward(fy, o, m) FROM (VALUES (''2017-18'', 1::numeric, 1::numeric), (''2018-19'', %s, %s)) s(fy, o, m)', o, m),
                 '22023', NULL, format('reserve_rollforward with opening %s, movement %s raises 22023', o, m))
  FROM (VALUES ('''NaN''::numeric', '0'), ('''Infinity''::numeric', '0'), ('''-Infinity''::numeric', '0'),
               ('0', '''NaN''::numeric'), ('0', '''Infinity''::numeric'), ('0', '''-Infinity''::numeric')) v(o, m);

-- The generated balances (a committed table: stored numerics), serially, against lag().
SELECT is((SELECT count(*) FROM finmon_tap_savings.balances), 48000::bigint, 'the balances fixture holds 48000 rows');
SELECT finmon_tap_savings.check_eq(
    finmon_tap_savings.ragg_q('SELECT name AS g, financial_year AS fy, opening_balance AS o, movement AS m FROM finmon_tap_savings.balances'),
    finmon_tap_savings.rsql_q('SELECT name AS g, financial_year AS fy, opening_balance AS o, movement AS m FROM finmon_tap_savings.balances'),
    'reserve_rollforward GROUP BY name = the lag() equivalent, every balance');
-- (A fixture check, so the comparisons above and below are not vacuous: most balances break,
-- some do not.)
SELECT finmon_tap_savings.check_is(
    $$SELECT (sum((v).breaks) > 2000 AND count(*) FILTER (WHERE (v).breaks = 0) > 100
              AND count(*) FILTER (WHERE (v).breaks >= 2) > 1000)::text FROM r_grp_ser$$,
    'true', 'the generated balances have breaks in most balances and none in some');
SELECT finmon_tap_savings.check_is(
    $$SELECT (v).years::text || ' ' || (v).breaks::text || ' ' || (v).first_year || ' ' || (v).last_year FROM r_long_ser$$,
    '8000 0 1001-02 9000-01', 'the 8000-year balance: 1001-02 to 9000-01, no breaks');
SELECT finmon_tap_savings.check_is(
    $$SELECT (v).closing_balance::text FROM r_long_ser$$,
    (SELECT (5000000 + sum(movement))::text FROM finmon_tap_savings.balances WHERE name = 'long'),
    'the 8000-year balance closes at 5000000 + sum of movements');

-- Forced parallel plans on the balances (planned and run above, with the savings ones).
SELECT matches((SELECT plan FROM plans WHERE k = 'r_long_par'), 'Partial Aggregate',
               'forced-parallel reserve_rollforward plan has a Partial Aggregate');
SELECT matches((SELECT plan FROM plans WHERE k = 'r_long_par'), 'Workers Launched: [1-9]',
               'forced-parallel reserve_rollforward launched workers');
SELECT matches((SELECT plan FROM plans WHERE k = 'r_grp_par'), 'Partial (Hash|Group|Mixed)?Aggregate',
               'forced-parallel reserve_rollforward GROUP BY plan has a partial aggregate');
SELECT matches((SELECT plan FROM plans WHERE k = 'r_grp_par'), 'Workers Launched: [1-9]',
               'forced-parallel reserve_rollforward GROUP BY launched workers');
SELECT doesnt_match((SELECT plan FROM plans WHERE k = 'r_long_ser') || (SELECT plan FROM plans WHERE k = 'r_grp_ser'),
                    'Gather|Partial', 'the serial reserve_rollforward plans really are serial');
SELECT finmon_tap_savings.check_eq($$SELECT v::text FROM r_long_par$$, $$SELECT v::text FROM r_long_ser$$,
          'parallel reserve_rollforward = serial, the 8000-year balance');
SELECT finmon_tap_savings.check_eq(
    $$SELECT 'long', v::text FROM r_long_par$$,
    finmon_tap_savings.rsql_q($$SELECT name AS g, financial_year AS fy, opening_balance AS o, movement AS m FROM finmon_tap_savings.balances
                                WHERE name = 'long'$$),
    'parallel reserve_rollforward = the lag() equivalent, the 8000-year balance');
SELECT finmon_tap_savings.check_eq($$SELECT name, v::text FROM r_grp_par ORDER BY name$$,
                                   $$SELECT name, v::text FROM r_grp_ser ORDER BY name$$,
          'parallel reserve_rollforward = serial, every balance');
SELECT finmon_tap_savings.check_eq(
    $$SELECT name, v::text FROM r_grp_par ORDER BY name$$,
    finmon_tap_savings.rsql_q('SELECT name AS g, financial_year AS fy, opening_balance AS o, movement AS m FROM finmon_tap_savings.balances'),
    'parallel reserve_rollforward = the lag() equivalent, every balance');
SELECT finmon_tap_savings.check_is($$SELECT count(*) FROM r_grp_par$$, '2001',
          'the parallel reserve_rollforward GROUP BY gave all 2001 balances');

SELECT * FROM finish();
ROLLBACK;
DROP SCHEMA finmon_tap_savings CASCADE;
