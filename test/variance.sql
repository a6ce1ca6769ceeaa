-- pgTAP tests for finmon's variances (src/variance.c, src/variance.sql): variance, variance_pct,
-- variance_direction, and the exact aggregate variance_agg (plain, grouped, parallel, window).
--
-- The aggregate's contract is that its fields are IDENTICAL to sum(budget), sum(forecast),
-- sum(forecast) - sum(budget) and (sum(forecast) - sum(budget)) / sum(budget) * 100, digit
-- for digit and scale for scale, so most expectations here are that plain-SQL equivalent,
-- computed in the same test and compared as ::text (which catches scale differences).
--
-- The parallel tests need a committed table that workers can read: it is created before the
-- test transaction in its own schema, and dropped at the end.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS finmon_tap_variance CASCADE;
CREATE SCHEMA finmon_tap_variance;

-- ~200k ledger rows.  b (budget): NULLs, a few 1e40-sized values (beyond 128 bits), 1e33 values
-- at scale 0 throughout the first 95% of the table and then scale-4 values only in the last 5%,
-- so the largest scale arrives late, after big sums have built up.  f (forecast): NULLs, scales
-- 0..10, a few -1e39.  Groups 1000..1002 are all-NULL, NULL-budget and zero-budget groups.
CREATE TABLE finmon_tap_variance.ledger AS
SELECT id,
       id % 1000 AS grp,
       CASE WHEN id % 97 = 0 THEN NULL
            WHEN id % 49999 = 5 THEN 1e40 + id
            WHEN id < 190000 AND id % 100 = 1 THEN 1e33
            ELSE round(((id::bigint * 7919) % 100003 - 50000)::numeric * 1.0123456789,
                       CASE WHEN id < 190000 THEN 0 ELSE 4 END)
       END AS b,
       CASE WHEN id % 89 = 0 THEN NULL
            WHEN id % 40009 = 11 THEN -1e39
            ELSE round(((id::bigint * 104729) % 1000003 - 500000)::numeric / 7, id % 11)
       END AS f
  FROM generate_series(1, 200000) id;
INSERT INTO finmon_tap_variance.ledger
SELECT 200000 + i, 1000 + i % 3,
       CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN NULL ELSE (CASE WHEN i % 2 = 0 THEN 5.5 ELSE -5.5 END) END,
       CASE i % 3 WHEN 0 THEN NULL ELSE i * 1.25 END
  FROM generate_series(1, 30) i;
ANALYZE finmon_tap_variance.ledger;

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;

SELECT plan(200);

-- ---------------------------------------------------------------------------------------
-- Helpers (created inside the transaction, so rolled back with it).

-- The aggregate's fields as text, and whether the whole result is NULL (v::text IS NULL is true
-- only for a NULL composite, not for one whose fields are all NULL), per group g of src.
CREATE FUNCTION finmon_tap_variance.agg_q(src text, agg_order text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT g, (v).budget::text, (v).forecast_outturn::text, (v).variance::text,
                       (v).variance_pct::text, v::text IS NULL AS whole_null
                  FROM (SELECT g, finmon.variance_agg(b, f %s) AS v FROM (%s) s GROUP BY g) a
                 ORDER BY g$q$, agg_order, src)
$f$;

-- The plain-SQL equivalent: sum(), sum(), their difference, and the percentage of the summed
-- budget (NULL for a zero budget); NULL overall when neither column had a value.
CREATE FUNCTION finmon_tap_variance.sum_q(src text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT g, sb::text, sf::text, (sf - sb)::text, ((sf - sb) / nullif(sb, 0) * 100)::text,
                       sb IS NULL AND sf IS NULL AS whole_null
                  FROM (SELECT g, sum(b) AS sb, sum(f) AS sf FROM (%s) s GROUP BY g) a
                 ORDER BY g$q$, src)
$f$;

-- The same two shapes for a window definition over a table with columns id, b, f.
CREATE FUNCTION finmon_tap_variance.win_agg_q(tab text, wdef text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT id, (v).budget::text, (v).forecast_outturn::text, (v).variance::text,
                       (v).variance_pct::text, v::text IS NULL AS whole_null
                  FROM (SELECT id, finmon.variance_agg(b, f) OVER w AS v FROM %s WINDOW w AS (%s)) s
                 ORDER BY id$q$, tab, wdef)
$f$;

CREATE FUNCTION finmon_tap_variance.win_sum_q(tab text, wdef text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT id, sb::text, sf::text, (sf - sb)::text, ((sf - sb) / nullif(sb, 0) * 100)::text,
                       sb IS NULL AND sf IS NULL AS whole_null
                  FROM (SELECT id, sum(b) OVER w AS sb, sum(f) OVER w AS sf FROM %s WINDOW w AS (%s)) s
                 ORDER BY id$q$, tab, wdef)
$f$;

-- results_eq and is on query text, turning an error raised by the query into a failed test
-- (with the SQLSTATE and message as diagnostics) instead of aborting the whole file.
CREATE FUNCTION finmon_tap_variance.check_eq(have_sql text, want_sql text, descr text) RETURNS text
LANGUAGE plpgsql AS $f$
BEGIN
    RETURN results_eq(have_sql, want_sql, descr);
EXCEPTION WHEN OTHERS THEN
    RETURN fail(descr) || E'\n' || diag('    raised ' || SQLSTATE || ': ' || SQLERRM);
END
$f$;

CREATE FUNCTION finmon_tap_variance.check_is(have_sql text, want text, descr text) RETURNS text
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

-- EXPLAIN (ANALYZE) a statement and return the plan as one text: used on CREATE TABLE AS, so
-- the plan checked and the result stored come from the same execution.
CREATE FUNCTION finmon_tap_variance.explain_lines(q text) RETURNS SETOF text
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

-- ---------------------------------------------------------------------------------------
-- Catalogue: the scalar functions are IMMUTABLE STRICT PARALLEL SAFE; the aggregate is
-- PARALLEL SAFE with combine/serial/deserial functions (so it can run in parallel plans) and a
-- moving-aggregate transition with inverse (so sliding windows need not recompute each frame).
SELECT function_returns('finmon', f, a::name[], 'numeric', format('%s(%s) returns numeric', f, array_to_string(a, ', ')))
  FROM (VALUES ('variance', ARRAY['numeric', 'numeric']),
               ('variance_pct', ARRAY['numeric', 'numeric'])) v(f, a);
SELECT function_returns('finmon', 'variance_direction', ARRAY['numeric', 'numeric', 'numeric'], 'text',
                        'variance_direction(numeric, numeric, numeric) returns text');

SELECT volatility_is('finmon', f, a::name[], 'immutable', format('%s(%s) is IMMUTABLE', f, array_to_string(a, ', ')))
  FROM (VALUES ('variance', ARRAY['numeric', 'numeric']),
               ('variance_pct', ARRAY['numeric', 'numeric']),
               ('variance_direction', ARRAY['numeric', 'numeric', 'numeric'])) v(f, a);
SELECT is_strict('finmon', f, a::name[], format('%s(%s) is STRICT', f, array_to_string(a, ', ')))
  FROM (VALUES ('variance', ARRAY['numeric', 'numeric']),
               ('variance_pct', ARRAY['numeric', 'numeric']),
               ('variance_direction', ARRAY['numeric', 'numeric', 'numeric'])) v(f, a);
SELECT is((SELECT p.proparallel::text FROM pg_proc p WHERE p.oid = sig::regprocedure), 's',
          sig || ' is PARALLEL SAFE (proparallel = s)')
  FROM (VALUES ('finmon.variance(numeric, numeric)'),
               ('finmon.variance_pct(numeric, numeric)'),
               ('finmon.variance_direction(numeric, numeric, numeric)'),
               ('finmon.variance_agg(numeric, numeric)')) v(sig);

SELECT is((SELECT p.prokind::text FROM pg_proc p WHERE p.oid = 'finmon.variance_agg(numeric, numeric)'::regprocedure),
          'a', 'variance_agg(numeric, numeric) is an aggregate');
SELECT is((SELECT p.prorettype::regtype FROM pg_proc p WHERE p.oid = 'finmon.variance_agg(numeric, numeric)'::regprocedure),
          'finmon.variance_summary'::regtype, 'variance_agg returns finmon.variance_summary');
SELECT ok((SELECT a.aggcombinefn <> 0 FROM pg_aggregate a
            WHERE a.aggfnoid = 'finmon.variance_agg(numeric, numeric)'::regprocedure),
          'variance_agg has a combine function (aggcombinefn)');
SELECT is((SELECT a.aggtranstype::regtype FROM pg_aggregate a
            WHERE a.aggfnoid = 'finmon.variance_agg(numeric, numeric)'::regprocedure),
          'finmon.variance_state'::regtype, 'variance_agg''s state is finmon.variance_state, not internal (Citus)');
SELECT is((SELECT a.aggmtranstype::regtype FROM pg_aggregate a
            WHERE a.aggfnoid = 'finmon.variance_agg(numeric, numeric)'::regprocedure),
          'internal'::regtype, 'variance_agg''s moving state (window frames only) stays internal');
SELECT ok((SELECT a.aggmtransfn <> 0 FROM pg_aggregate a
            WHERE a.aggfnoid = 'finmon.variance_agg(numeric, numeric)'::regprocedure),
          'variance_agg has a moving-aggregate transition function (aggmtransfn)');
SELECT ok((SELECT a.aggminvtransfn <> 0 FROM pg_aggregate a
            WHERE a.aggfnoid = 'finmon.variance_agg(numeric, numeric)'::regprocedure),
          'variance_agg has an inverse transition function (aggminvtransfn)');

-- The result type: exactly four numeric columns, in this order.
SELECT results_eq(
    $$SELECT attname, atttypid::regtype::text FROM pg_attribute
       WHERE attrelid = 'finmon.variance_summary'::regclass AND attnum > 0 AND NOT attisdropped
       ORDER BY attnum$$,
    $$VALUES ('budget'::name, 'numeric'), ('forecast_outturn', 'numeric'), ('variance', 'numeric'),
             ('variance_pct', 'numeric')$$,
    'finmon.variance_summary is (budget, forecast_outturn, variance, variance_pct), all numeric');

-- ---------------------------------------------------------------------------------------
-- variance(budget, forecast) = forecast - budget; positive is adverse.  Hand-worked values,
-- compared as text so the scale is checked too.
SELECT is(finmon.variance(b, f)::text, want, format('variance(%s, %s) = %s', b, f, want))
  FROM (VALUES (100::numeric, 120::numeric, '20'),
               (120, 100, '-20'),
               (-85653000, -93440000, '-7787000'),
               (1.10, 1.1, '0.00'),
               (1.5, 2.25, '0.75'),
               (0.001, 1, '0.999'),
               (0, 0, '0'),
               (1e38, -1e38, '-200000000000000000000000000000000000000'),
               (1e-50, 0, '-0.00000000000000000000000000000000000000000000000001')) v(b, f, want);

-- variance and variance_pct over every pair drawn from a set of awkward values (scales 0..20,
-- 100 and 1000 places, 128-bit limits, 1e30..1e1000, 1e-50, signs, zeros) against the SQL
-- expressions f - b and (f - b) / b * 100 (NULL when b = 0), as text.
CREATE TEMP TABLE vals (x numeric);
INSERT INTO vals VALUES (0), (0.00), (1), (-1), (1.5), (-2.25), (100.123456789012345678901),
    (0.12345678901234567890), (-7.1234567890), (85653000), (-93440000), (1e30), (-1e37), (1e38),
    (1e39), (-1e100), (1e1000), (1e-50), (-3e-50),
    (170141183460469231731687303715884105727), (-170141183460469231731687303715884105728),
    (17014118346046923173168730371588410572.7);
INSERT INTO vals SELECT ('0.' || repeat('3', 100))::numeric;
INSERT INTO vals SELECT ('-0.' || repeat('0', 999) || '7')::numeric;
CREATE TEMP TABLE pairs AS SELECT v1.x AS b, v2.x AS f FROM vals v1, vals v2;

SELECT is((SELECT count(*) FROM pairs), 576::bigint, 'the pairs fixture holds 24 x 24 pairs');
SELECT is_empty(
    $$SELECT b, f, finmon.variance(b, f)::text AS got, (f - b)::text AS want FROM pairs
       WHERE finmon.variance(b, f)::text IS DISTINCT FROM (f - b)::text$$,
    'variance(b, f)::text = (f - b)::text for every pair');
SELECT is_empty(
    $$SELECT b, f, finmon.variance_pct(b, f)::text AS got, ((f - b) / nullif(b, 0) * 100)::text AS want
        FROM pairs
       WHERE finmon.variance_pct(b, f)::text IS DISTINCT FROM ((f - b) / nullif(b, 0) * 100)::text$$,
    'variance_pct(b, f)::text = ((f - b) / b * 100)::text, NULL for b = 0, for every pair');

-- variance_pct divides by the SIGNED budget: income budget -85,653,000 over-recovered at
-- -93,440,000 is -7,787,000 / -85,653,000 * 100 = +9.0913...% (hand division); a spending
-- budget of 1,000,000 forecast at 1,100,000 is +10%; at 500,000 it is -50%; income of -100
-- under-recovered at -50 is 50 / -100 * 100 = -50%.
SELECT is(round(finmon.variance_pct(-85653000, -93440000), 4), 9.0913,
          'variance_pct(-85653000, -93440000) is +9.0913% (signed budget)');
SELECT is(finmon.variance_pct(-85653000, -93440000)::text, ((-93440000 - -85653000)::numeric / -85653000 * 100)::text,
          'variance_pct(-85653000, -93440000) equals the SQL expression exactly');
SELECT is(finmon.variance_pct(1000000, 1100000), 10::numeric, 'variance_pct(1000000, 1100000) = 10');
SELECT is(finmon.variance_pct(1000000, 500000), -50::numeric, 'variance_pct(1000000, 500000) = -50');
SELECT is(finmon.variance_pct(-100, -50), -50::numeric, 'variance_pct(-100, -50) = -50');

-- variance_pct is NULL for a zero budget (any scale), and NULL in gives NULL out.
SELECT is(finmon.variance_pct(b, f), NULL, format('variance_pct(%s, %s) is NULL', coalesce(b::text, 'NULL'), coalesce(f::text, 'NULL')))
  FROM (VALUES (0::numeric, 5::numeric), (0.00, 5), (0, 0), (0, -1e100), (NULL, 1), (1, NULL)) v(b, f);
SELECT is(finmon.variance(NULL, 1), NULL, 'variance(NULL, 1) is NULL');
SELECT is(finmon.variance(1, NULL), NULL, 'variance(1, NULL) is NULL');

-- NaN and +/-Infinity are not amounts of money: 22023 (invalid_parameter_value) from
-- variance, variance_pct and variance_direction, in either argument.
SELECT throws_ok(format('SELECT finmon.%s(%s, %s)', fn, b, f), '22023', NULL,
                 format('%s(%s, %s) raises 22023', fn, b, f))
  FROM (VALUES ('variance'), ('variance_pct'), ('variance_direction')) fns(fn)
 CROSS JOIN (VALUES ('''NaN''::numeric', '1::numeric'), ('1::numeric', '''NaN''::numeric'),
                    ('''Infinity''::numeric', '1::numeric'), ('1::numeric', '''Infinity''::numeric'),
                    ('''-Infinity''::numeric', '1::numeric'), ('1::numeric', '''-Infinity''::numeric')) args(b, f);

-- variance_direction: 'adverse' above the tolerance, 'favourable' below minus it, 'on budget'
-- when |variance| <= tolerance (exactly at the tolerance is on budget).  Worked by hand.
SELECT is(finmon.variance_direction(b, f, t), want, format('variance_direction(%s, %s, %s) = %s', b, f, t, want))
  FROM (VALUES (100::numeric, 110::numeric, 0::numeric, 'adverse'),
               (100, 90, 0, 'favourable'),
               (100, 100, 0, 'on budget'),
               (1, 1.00, 0, 'on budget'),
               (100, 105, 5, 'on budget'),
               (100, 105.01, 5, 'adverse'),
               (100, 95, 5, 'on budget'),
               (100, 94.99, 5, 'favourable'),
               (-100, -110, 0, 'favourable'),
               (-100, -90, 0, 'adverse'),
               (0, 1e-50, 0, 'adverse'),
               (0, -1e-50, 0, 'favourable'),
               (0, 1e-50, 1e-50, 'on budget'),
               (1e100, 1e100 + 1, 0.5, 'adverse'),
               (1e38, 1e38, 0, 'on budget'),
               (-85653000, -93440000, 1000000, 'favourable'),
               (-85653000, -93440000, 7787000, 'on budget'),
               (-85653000, -93440000, 7786999.99, 'favourable')) v(b, f, t, want);
SELECT is(finmon.variance_direction(100, 110), 'adverse', 'variance_direction(100, 110) = adverse (default tolerance 0)');
SELECT is(finmon.variance_direction(100, 90), 'favourable', 'variance_direction(100, 90) = favourable (default tolerance 0)');
SELECT is(finmon.variance_direction(100, 100.000), 'on budget', 'variance_direction(100, 100.000) = on budget (default tolerance 0)');

-- variance_direction over every pair and several tolerances against the plain-SQL CASE.
SELECT is_empty(
    $$SELECT b, f, t, finmon.variance_direction(b, f, t) AS got
        FROM pairs, (VALUES (0::numeric), (0.5), (1), (1e30), (1e-50)) ts(t)
       WHERE finmon.variance_direction(b, f, t) IS DISTINCT FROM
             CASE WHEN f - b > t THEN 'adverse' WHEN f - b < -t THEN 'favourable' ELSE 'on budget' END$$,
    'variance_direction matches the plain-SQL CASE for every pair and tolerance');

-- NULL in gives NULL out.
SELECT is(finmon.variance_direction(NULL, 1), NULL, 'variance_direction(NULL, 1) is NULL');
SELECT is(finmon.variance_direction(1, NULL), NULL, 'variance_direction(1, NULL) is NULL');
SELECT is(finmon.variance_direction(1, 2, NULL), NULL, 'variance_direction(1, 2, NULL) is NULL');

-- A negative tolerance, or a NaN/infinite one, raises 22023.
SELECT throws_ok(format('SELECT finmon.variance_direction(100, 110, %s)', t), '22023', NULL,
                 format('variance_direction(100, 110, %s) raises 22023', t))
  FROM (VALUES ('-1'), ('-0.01'), ('-1e-50'), ('''NaN''::numeric'), ('''Infinity''::numeric')) v(t);

-- ---------------------------------------------------------------------------------------
-- variance_agg against the sum() equivalent.  Each category is a set of groups g with rows
-- (id, b, f); every group is compared field by field as text, with the rows fed in id order,
-- in reverse id order, and in whatever order the plan gives (the exact-sum fast path is
-- order-sensitive inside, so all three orders must give the same, exact answer).
CREATE TEMP TABLE cases (cat text, g text, id int, b numeric, f numeric);

-- scales 0..20, one group per scale, with a NULL budget and a NULL forecast in each.
INSERT INTO cases
SELECT 'scales', 's' || lpad(s::text, 2, '0'), i,
       CASE WHEN i = 3 THEN NULL ELSE round(((i * 7919) % 10007 - 5000)::numeric * 1.23456789012345678901234567, s) END,
       CASE WHEN i = 7 THEN NULL ELSE round(((i * 104729) % 10009 - 4000)::numeric * 0.98765432109876543210987654, s) END
  FROM generate_series(0, 20) s, generate_series(1, 10) i;

-- mixed scales 0..20 within one group, rising and falling, with both signs.
INSERT INTO cases
SELECT 'mixed_scales', 'mix', i,
       round(123.456789012345678901234567::numeric * (i + 1), i),
       round(-98.765432109876543210987654::numeric * (i + 1), 20 - i)
  FROM generate_series(0, 20) i;
INSERT INTO cases
SELECT 'mixed_scales', 'mix_signs', i,
       round((CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END) * 98765.4321098765432109876::numeric * (i + 1), (i * 7) % 21),
       round((CASE WHEN i % 3 = 0 THEN -1 ELSE 1 END) * 1234.5678901234567890123::numeric * (i + 1), (i * 5) % 21)
  FROM generate_series(0, 20) i;

-- very large scales: 100 and 1000 decimal places, alone and mixed with integers and 1e100.
INSERT INTO cases VALUES
    ('big_scales', 'd100', 1, ('0.' || repeat('3', 100))::numeric, ('-0.' || repeat('0', 99) || '1')::numeric),
    ('big_scales', 'd100', 2, 1, 7),
    ('big_scales', 'd100', 3, -2.5, NULL),
    ('big_scales', 'd1000', 1, ('0.' || repeat('7', 1000))::numeric, 1.5),
    ('big_scales', 'd1000', 2, 12345, ('0.' || repeat('9', 1000))::numeric),
    ('big_scales', 'd1000', 3, ('-0.' || repeat('0', 999) || '1')::numeric, -1),
    ('big_scales', 'd1000_huge', 1, 1e100, 1e39),
    ('big_scales', 'd1000_huge', 2, ('0.' || repeat('1', 1000))::numeric, 0.5),
    ('big_scales', 'd1000_huge', 3, -1e100, 170141183460469231731687303715884105727),
    ('big_scales', 'fast_then_d100', 1, 1.23, 4.56),
    ('big_scales', 'fast_then_d100', 2, 99999999999999999999.99, 12345678901234567890.12),
    ('big_scales', 'fast_then_d100', 3, ('0.' || repeat('0', 99) || '5')::numeric, ('-0.' || repeat('0', 99) || '5')::numeric),
    ('big_scales', 'fast_then_d100', 4, 7, 8);

-- huge magnitudes, each alone with small values, and negated.
INSERT INTO cases
SELECT 'huge', 'e' || lpad(m::text, 4, '0') || sfx, i,
       sgn * CASE i WHEN 1 THEN ('1e' || m)::numeric WHEN 2 THEN 1 WHEN 3 THEN 0.5 WHEN 4 THEN -('1e' || m)::numeric / 4 ELSE ('1e' || m)::numeric END,
       sgn * CASE i WHEN 1 THEN 1 WHEN 2 THEN ('1e' || m)::numeric WHEN 3 THEN -('1e' || m)::numeric WHEN 4 THEN 0.25 ELSE ('1e' || m)::numeric + 0.01 END
  FROM (VALUES (30), (37), (38), (39), (100), (1000)) ms(m),
       (VALUES ('', 1), ('_neg', -1)) sg(sfx, sgn),
       generate_series(1, 5) i;

-- the edges of a signed 128-bit integer, at scale 0 and scaled, and 36..39-digit values.
INSERT INTO cases VALUES
    ('int128_edges', 'max_plus_1', 1, 170141183460469231731687303715884105727, -170141183460469231731687303715884105728),
    ('int128_edges', 'max_plus_1', 2, 1, -1),
    ('int128_edges', 'max_exact', 1, 170141183460469231731687303715884105720, -170141183460469231731687303715884105720),
    ('int128_edges', 'max_exact', 2, 7, -8),
    ('int128_edges', 'max_scaled', 1, 17014118346046923173168730371588410572.7, -17014118346046923173168730371588410572.8),
    ('int128_edges', 'max_scaled', 2, 0.1, -0.1),
    ('int128_edges', 'max_scaled', 3, 0.01, 0),
    ('int128_edges', 'digits', 1, 999999999999999999999999999999999999, 123456789012345678901234567890123456),
    ('int128_edges', 'digits', 2, 1234567890123456789012345678901234567, 9999999999999999999999999999999999999),
    ('int128_edges', 'digits', 3, 123456789012345678901234567890123456789, 99999999999999999999999999999999999999),
    ('int128_edges', 'digits', 4, -123456789012345678901234567890123456789, 1);

-- sums that overflow 128 bits only when added up, and come back down again.
INSERT INTO cases SELECT 'overflow_sum', 'many_1e37', i, 1e37, -1e37 FROM generate_series(1, 200) i;
INSERT INTO cases SELECT 'overflow_sum', 'seventeen_1e37', i, 1e37, 1e37 FROM generate_series(1, 17) i;
INSERT INTO cases SELECT 'overflow_sum', 'eighteen_1e37', i, 1e37, -1e37 FROM generate_series(1, 18) i;
INSERT INTO cases SELECT 'overflow_sum', 'up_and_down', i,
       CASE WHEN i <= 20 THEN 1e37 ELSE -1e37 END, CASE WHEN i <= 20 THEN 1 ELSE -1 END
  FROM generate_series(1, 40) i;
INSERT INTO cases SELECT 'overflow_sum', 'scaled_1e35', i,
       100000000000000000000000000000000000.000, -100000000000000000000000000000000000.00
  FROM generate_series(1, 5) i;
INSERT INTO cases SELECT 'overflow_sum', 'neg_many', i, -1e37, 0.1 FROM generate_series(1, 30) i;

-- tiny values, alone and against large ones.
INSERT INTO cases VALUES
    ('tiny', 'e-50', 1, 1e-50, -1e-50),
    ('tiny', 'e-50', 2, 3e-50, 1),
    ('tiny', 'e-50', 3, -1e-50, 1e-50),
    ('tiny', 'tiny_and_big', 1, 1e-50, 1e30),
    ('tiny', 'tiny_and_big', 2, 1e30, 1e-50),
    ('tiny', 'tiny_and_big', 3, 1e38, -1e-50);

-- mixed signs; exact cancellation to zero (so the percentage is NULL); zero budgets.
INSERT INTO cases VALUES
    ('signs', 'mixed', 1, 100.25, -50.125),
    ('signs', 'mixed', 2, -300, 299.999),
    ('signs', 'mixed', 3, 0.5, -0.5),
    ('signs', 'mixed', 4, -0.25, 0.75),
    ('cancel', 'both_zero', 1, 100.50, 100.50),
    ('cancel', 'both_zero', 2, -100.50, -100.50),
    ('cancel', 'budget_zero_ints', 1, 5, 1),
    ('cancel', 'budget_zero_ints', 2, -5, 2),
    ('cancel', 'huge_cancel', 1, 1e100, 1),
    ('cancel', 'huge_cancel', 2, -1e100, 1),
    ('cancel', 'int128_cancel', 1, 1e38, 1e38),
    ('cancel', 'int128_cancel', 2, 1e38, 0.5),
    ('cancel', 'int128_cancel', 3, -2e38, -2e38),
    ('zero_budget', 'zeros', 1, 0, 5),
    ('zero_budget', 'zeros', 2, 0.00, -3),
    ('zero_budget', 'zeros', 3, 0.000, 0),
    ('zero_budget', 'zero_only', 1, 0, 0),
    ('negative_budget', 'income', 1, -85653000, -93440000),
    ('negative_budget', 'incomes', 1, -1000, -900),
    ('negative_budget', 'incomes', 2, -2500.50, -2600.75),
    ('negative_budget', 'incomes', 3, 300, 250);

-- single rows, and NULL patterns: all NULL, NULL budgets only, NULL forecasts only, mixed.
INSERT INTO cases VALUES
    ('single', 'one', 1, 100, 120),
    ('single', 'one_b', 1, 1.5, NULL),
    ('single', 'one_f', 1, NULL, 2.75),
    ('single', 'one_huge', 1, 1e39, 1e-39),
    ('nulls', 'all_null', 1, NULL, NULL),
    ('nulls', 'all_null', 2, NULL, NULL),
    ('nulls', 'all_null', 3, NULL, NULL),
    ('nulls', 'budget_null', 1, NULL, 5),
    ('nulls', 'budget_null', 2, NULL, 6.5),
    ('nulls', 'forecast_null', 1, 5, NULL),
    ('nulls', 'forecast_null', 2, 7.25, NULL),
    ('nulls', 'partial', 1, 1, NULL),
    ('nulls', 'partial', 2, NULL, 2),
    ('nulls', 'partial', 3, 3.25, 4),
    ('nulls', 'partial', 4, NULL, NULL);

-- order-sensitive shapes for an internally scaled sum: a large running total at a small
-- scale followed by a value with more decimal places (the total must be rescaled), right at
-- and just past what 128 bits hold.
INSERT INTO cases VALUES
    ('order_sensitive', 'big_then_scale', 1, 1e35, 1),
    ('order_sensitive', 'big_then_scale', 2, 0.0001, 1),
    ('order_sensitive', 'e30_then_e-20', 1, 1e30, 1e30),
    ('order_sensitive', 'e30_then_e-20', 2, 1e-20, 1e-20),
    ('order_sensitive', 'near_max_x100', 1, 1701411834604692317316873037158841057, -1701411834604692317316873037158841057),
    ('order_sensitive', 'near_max_x100', 2, 0.01, -0.01),
    ('order_sensitive', 'near_max_x1000', 1, 1701411834604692317316873037158841057, -1701411834604692317316873037158841057),
    ('order_sensitive', 'near_max_x1000', 2, 0.001, -0.001),
    ('order_sensitive', 'neg_big_then_scale', 1, -1e35, -1),
    ('order_sensitive', 'neg_big_then_scale', 2, 0.0001, 0.0001),
    ('order_sensitive', 'many_then_scale', 1, 1e36, 1e36),
    ('order_sensitive', 'many_then_scale', 2, 1e36, 1e36),
    ('order_sensitive', 'many_then_scale', 3, 1e36, 1e36),
    ('order_sensitive', 'many_then_scale', 4, 0.5, 0.05),
    ('order_sensitive', 'many_then_scale', 5, 1e36, 1e36);

-- many groups: 1000 groups of 5 rows with scales 0..14, NULLs, a few 1e38 and -1e40 values, and
-- every 250th group with no budgets at all.
INSERT INTO cases
SELECT 'many', lpad(gid::text, 4, '0'), j,
       CASE WHEN gid % 250 = 0 THEN NULL
            WHEN (gid + j) % 11 = 0 THEN NULL
            WHEN (gid * j) % 97 = 0 THEN 1e38 + gid
            ELSE round(((gid * 7919 + j * 104729) % 100003 - 50000)::numeric / 7, (gid + j) % 12) END,
       CASE WHEN (gid * 3 + j) % 13 = 0 THEN NULL
            WHEN (gid + j * 7) % 101 = 0 THEN -1e40
            ELSE round(((gid * 104729 + j * 7919) % 100019 - 50000)::numeric / 3, (gid * j) % 15) END
  FROM generate_series(1, 1000) gid, generate_series(1, 5) j;

-- the digit sums that take the usual amount (a short numeric of at most four base-10000 digits
-- between 10^-8 and 10^23): each edge of that range and just outside it, on both sides of zero;
-- groups longer than the 65,536 amounts after which the sums are folded; and one with a scale
-- of 30 against amounts of 10^23, so that the folded sums do not fit in 128 bits.
INSERT INTO cases VALUES
    ('digit_sums', 'edges', 1, 0.00000001, -0.00000001),
    ('digit_sums', 'edges', 2, 0.000000001, 99999999.99999999),
    ('digit_sums', 'edges', 3, 1e23, -9999e20),
    ('digit_sums', 'edges', 4, 1e24, 99999999999999999999999),
    ('digit_sums', 'edges', 5, -1234.5678, 0),
    ('digit_sums', 'edges', 6, 0.00, -0.0001),
    ('digit_sums', 'edges', 7, 12345678.1234, 1234567812345678),
    ('digit_sums', 'edges', 8, 123456781234567.8, -0.12345678),
    ('digit_sums', 'edges', 9, -99999999.99999999, 1e-8);
INSERT INTO cases
SELECT 'digit_sums', 'fold', i,
       round(((i::bigint * 7919) % 1000003 - 500000)::numeric / 100, 2) * CASE WHEN i % 5 = 0 THEN 10000 ELSE 1 END,
       CASE WHEN i = 40000 THEN 0.12345 ELSE round(((i::bigint * 104729) % 999983 - 400000)::numeric / 10, 1) END
  FROM generate_series(1, 70000) i;
INSERT INTO cases
SELECT 'digit_sums', 'fold_wide', i,
       CASE WHEN i = 1 THEN 1e-30 ELSE 9999e20 END,
       CASE WHEN i = 70000 THEN -1e-30 ELSE -9999e20 END
  FROM generate_series(1, 70000) i;

-- The fixture itself: the number of groups per category (so no comparison below is vacuous).
SELECT results_eq(
    $$SELECT cat, count(DISTINCT g) FROM cases GROUP BY cat ORDER BY cat$$,
    $$VALUES ('big_scales', 4::bigint), ('cancel', 4), ('digit_sums', 3), ('huge', 12), ('int128_edges', 4),
             ('many', 1000), ('mixed_scales', 2), ('negative_budget', 2), ('nulls', 4),
             ('order_sensitive', 6), ('overflow_sum', 6), ('scales', 21), ('signs', 1),
             ('single', 4), ('tiny', 2), ('zero_budget', 2)$$,
    'the cases fixture has the expected groups');

SELECT finmon_tap_variance.check_eq(
    finmon_tap_variance.agg_q(format('SELECT g, id, b, f FROM cases WHERE cat = %L', cat), o),
    finmon_tap_variance.sum_q(format('SELECT g, id, b, f FROM cases WHERE cat = %L', cat)),
    format('variance_agg = sum() equivalent, category %s, rows %s', cat, coalesce(nullif(o, ''), 'in plan order')))
  FROM (VALUES ('scales'), ('mixed_scales'), ('big_scales'), ('huge'), ('int128_edges'),
               ('overflow_sum'), ('tiny'), ('signs'), ('cancel'), ('zero_budget'),
               ('negative_budget'), ('single'), ('nulls'), ('order_sensitive'), ('many'),
               ('digit_sums')) c(cat),
       (VALUES ('ORDER BY id'), ('ORDER BY id DESC'), ('')) os(o);

-- Amounts computed in the query (numerics with a four-byte header) rather than read from a
-- table (a one-byte header) take the same paths.
SELECT finmon_tap_variance.check_eq(
    finmon_tap_variance.agg_q(format('SELECT g, id, b * 1 AS b, f * 1 AS f FROM cases WHERE cat = %L', cat), ''),
    finmon_tap_variance.sum_q(format('SELECT g, id, b * 1 AS b, f * 1 AS f FROM cases WHERE cat = %L', cat)),
    format('variance_agg = sum() equivalent over amounts computed in the query, category %s', cat))
  FROM (VALUES ('scales'), ('digit_sums'), ('many')) c(cat);

-- Some of the same by hand, so a failure reads plainly: (100, 120) + (50.5, 40) is budget
-- 150.5, forecast 160, variance 9.5 and 9.5 / 150.5 * 100 = 6.312292...%.
CREATE TEMP TABLE hand AS
SELECT finmon.variance_agg(b, f) AS v FROM (VALUES (100::numeric, 120::numeric), (50.5, 40)) s(b, f);
SELECT is((SELECT (v).budget::text FROM hand), '150.5', 'variance_agg: budget 100 + 50.5 = 150.5');
SELECT is((SELECT (v).forecast_outturn::text FROM hand), '160', 'variance_agg: forecast 120 + 40 = 160');
SELECT is((SELECT (v).variance::text FROM hand), '9.5', 'variance_agg: variance 160 - 150.5 = 9.5');
SELECT is((SELECT round((v).variance_pct, 6) FROM hand), 6.312292, 'variance_agg: variance_pct 9.5 / 150.5 * 100 = 6.312292');

-- 200 x 1e37 = 2e39 (beyond 128 bits); 1e35 + 0.0001 keeps all digits and four places;
-- 1e30 + 1e-20 likewise; the 128-bit maximum plus one; 1e-50 + 1e-50.
SELECT is((SELECT (finmon.variance_agg(1e37, -1e37)).budget::text FROM generate_series(1, 200)),
          '2' || repeat('0', 39), 'variance_agg: 200 x 1e37 = 2e39');
SELECT is((SELECT (finmon.variance_agg(b, f ORDER BY i)).budget::text
             FROM (VALUES (1, 1e35, 1), (2, 0.0001, 1)) s(i, b, f)),
          '100000000000000000000000000000000000.0001', 'variance_agg: 1e35 then 0.0001 = 1e35 + 0.0001');
SELECT is((SELECT (finmon.variance_agg(b, f ORDER BY i)).budget::text
             FROM (VALUES (1, 1e30, 1), (2, 1e-20, 1)) s(i, b, f)),
          '1000000000000000000000000000000.00000000000000000001', 'variance_agg: 1e30 then 1e-20 = 1e30 + 1e-20');
SELECT is((SELECT (finmon.variance_agg(b, f)).budget::text
             FROM (VALUES (170141183460469231731687303715884105727, 1), (1, 1)) s(b, f)),
          '170141183460469231731687303715884105728', 'variance_agg: 2^127 - 1 + 1 = 2^127');
SELECT is((SELECT (finmon.variance_agg(b, f)).budget::text FROM (VALUES (1e-50, 1), (1e-50, 1)) s(b, f)),
          '0.' || repeat('0', 49) || '2', 'variance_agg: 1e-50 + 1e-50 = 2e-50');

-- Income: budget -85,653,000, forecast -93,440,000 is variance -7,787,000 and +9.09%.
SELECT is((SELECT (finmon.variance_agg(-85653000, -93440000)).variance::text), '-7787000',
          'variance_agg: income variance -7787000');
SELECT is((SELECT round((finmon.variance_agg(-85653000, -93440000)).variance_pct, 2)), 9.09,
          'variance_agg: income variance_pct +9.09 (signed budget)');

-- NULL handling by hand: empty input and NULL-only input give a NULL result (not a row of
-- NULLs); a column with no values is NULL, and so are variance and variance_pct; a zero
-- budget gives a NULL percentage.
SELECT is((SELECT finmon.variance_agg(b, f)::text FROM cases WHERE false), NULL,
          'variance_agg over no rows is NULL');
SELECT is((SELECT finmon.variance_agg(NULL::numeric, NULL::numeric)::text FROM generate_series(1, 3)), NULL,
          'variance_agg over NULL-only rows is NULL');
SELECT is((SELECT finmon.variance_agg(b, f)::text FROM (VALUES (NULL::numeric, 5::numeric), (NULL, 6.5)) s(b, f)), '(,11.5,,)',
          'variance_agg with no budgets is (,11.5,,)');
SELECT is((SELECT finmon.variance_agg(b, f)::text FROM (VALUES (5::numeric, NULL::numeric), (7.25, NULL)) s(b, f)), '(12.25,,,)',
          'variance_agg with no forecasts is (12.25,,,)');
SELECT is((SELECT finmon.variance_agg(b, f)::text FROM (VALUES (0::numeric, 5::numeric)) s(b, f)), '(0,5,5,)',
          'variance_agg with a zero budget is (0,5,5,)');
SELECT is((SELECT finmon.variance_agg(b, f)::text FROM (VALUES (100.50, 1::numeric), (-100.50, 2)) s(b, f)), '(0.00,3,3.00,)',
          'variance_agg cancelling to a 0.00 budget is (0.00,3,3.00,)');

-- NaN and +/-Infinity raise 22023 in the aggregate too, in either column, including after
-- values that have gone beyond 128 bits and inside a window.
SELECT throws_ok(format('SELECT finmon.variance_agg(b, f) FROM (VALUES (1::numeric, 1::numeric), (%s, %s)) s(b, f)', b, f),
                 '22023', NULL, format('variance_agg with a row (%s, %s) raises 22023', b, f))
  FROM (VALUES ('''NaN''::numeric', '1'), ('1', '''NaN''::numeric'),
               ('''Infinity''::numeric', '1'), ('1', '''Infinity''::numeric'),
               ('''-Infinity''::numeric', '1'), ('1', '''-Infinity''::numeric')) v(b, f);
SELECT throws_ok($$SELECT finmon.variance_agg(b, f) FROM (VALUES (1e100, 1e1000), ('NaN'::numeric, 1)) s(b, f)$$,
                 '22023', NULL, 'variance_agg with NaN after 1e100 raises 22023');
SELECT throws_ok($$SELECT finmon.variance_agg(b, f) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
                     FROM (VALUES (1, 1::numeric, 1::numeric), (2, 2, 2), (3, 3, 'Infinity')) s(i, b, f)$$,
                 '22023', NULL, 'variance_agg OVER a window with Infinity raises 22023');

-- ---------------------------------------------------------------------------------------
-- Window frames (moving aggregate with inverse): every row of every frame must equal
-- sum(b) OVER w, sum(f) OVER w and the expressions on them.  wt is hand-made: NULLs inside
-- frames, runs of all-NULL rows longer than a frame, the largest-scale value of a column
-- leaving the frame (ids 5, 9, 25, 30), values beyond 128 bits leaving (8, 11, 12, 31..36).
CREATE TEMP TABLE wt (id int, k int, p int, b numeric, f numeric);
INSERT INTO wt (id, b, f) VALUES
    (1, 100, 110), (2, 200.5, 190), (3, NULL, 50), (4, 300, NULL),
    (5, 0.0000000001, 1), (6, -50, -60.25), (7, NULL, NULL), (8, 1e40, 2),
    (9, 1, 1e-30), (10, 2.5, 3), (11, 170141183460469231731687303715884105727, 1),
    (12, 1, 170141183460469231731687303715884105727), (13, NULL, NULL), (14, NULL, NULL),
    (15, NULL, NULL), (16, NULL, NULL), (17, 5.25, NULL), (18, NULL, NULL), (19, NULL, NULL),
    (20, NULL, NULL), (21, -5.25, 7), (22, 5.25, -7), (23, 0, 0), (24, 0.00, 0.000),
    (25, 1e-50, -1e-50), (26, 3, 4), (27, 3, 4), (28, 3, 4), (29, 3, 4), (30, 3.000, 4.0),
    (31, 1e37, 1e37), (32, 1e37, 1e37), (33, 1e37, 1e37), (34, 1e37, 1e37), (35, 1e37, 1e37),
    (36, -1e37, 0.5), (37, 1, 2), (38, 2.50, 3), (39, 3, 4.125), (40, 4, 5);
UPDATE wt SET k = id / 3, p = (id > 20)::int;

-- wt2: 2000 generated rows, scales 0..8 and 0..10 in a scrambled order, NULLs, and occasional
-- 1e38-sized and 1e-40 values.
CREATE TEMP TABLE wt2 AS
SELECT i AS id,
       CASE WHEN i % 7 = 0 THEN NULL
            WHEN i % 113 = 0 THEN 1e38 + i
            WHEN i % 127 = 0 THEN 1e-40
            ELSE round(((i * 7919) % 10007 - 5000)::numeric / 3, (i * 31) % 9) END AS b,
       CASE WHEN i % 5 = 0 THEN NULL
            WHEN i % 131 = 0 THEN -1e38 - i
            ELSE round(((i * 104729) % 10009 - 5000)::numeric / 7, (i * 17) % 11) END AS f
  FROM generate_series(1, 2000) i;

SELECT finmon_tap_variance.check_eq(finmon_tap_variance.win_agg_q(t, w), finmon_tap_variance.win_sum_q(t, w),
                  format('variance_agg OVER (%s) on %s = sum() OVER the same frame, row by row', w, t))
  FROM (VALUES ('wt', 'ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW'),
               ('wt', 'ORDER BY id DESC ROWS BETWEEN 3 PRECEDING AND CURRENT ROW'),
               ('wt', 'ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW'),
               ('wt', 'ORDER BY id ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING'),
               ('wt', 'ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING'),
               ('wt', 'ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING'),
               ('wt', 'ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW'),
               ('wt', 'ORDER BY k RANGE BETWEEN 2 PRECEDING AND CURRENT ROW'),
               ('wt', 'ORDER BY k GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING'),
               ('wt', 'PARTITION BY p ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW'),
               ('wt', 'ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW'),
               ('wt2', 'ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW'),
               ('wt2', 'ORDER BY id ROWS BETWEEN 10 PRECEDING AND 5 FOLLOWING'),
               ('wt2', 'ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING')) v(t, w);

-- Two frames by hand (ROWS 3 PRECEDING): at id 8 the frame is ids 5..8 with budgets
-- 0.0000000001, -50, NULL, 1e40; at id 9 the 0.0000000001 has left, so the budget is
-- 1e40 - 50 + 1 at scale 0.  At id 16 the frame 13..16 is all NULL: a NULL result.
SELECT finmon_tap_variance.check_is(
    $$SELECT (v).budget::text FROM (SELECT id, finmon.variance_agg(b, f) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) v FROM wt) s WHERE id = 9$$,
    '9999999999999999999999999999999999999951', 'window: budget at id 9 is 1e40 - 49, scale 0 once 1e-10 has left');
SELECT finmon_tap_variance.check_is(
    $$SELECT (v).budget::text FROM (SELECT id, finmon.variance_agg(b, f) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) v FROM wt) s WHERE id = 8$$,
    '9999999999999999999999999999999999999950.0000000001', 'window: budget at id 8 is 1e40 - 50 + 1e-10');
SELECT finmon_tap_variance.check_is(
    $$SELECT v::text FROM (SELECT id, finmon.variance_agg(b, f) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) v FROM wt) s WHERE id = 16$$,
    NULL, 'window: an all-NULL frame gives NULL');

-- ---------------------------------------------------------------------------------------
-- Parallel aggregation on the committed ~200k-row ledger, forced: the plan must contain a
-- Partial Aggregate with workers actually launched, and the answer must equal the serial
-- answer and the sum() equivalent, for the whole table and GROUP BY grp (1003 groups).
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;

CREATE TEMP TABLE plans (k text PRIMARY KEY, plan text);
INSERT INTO plans SELECT 'total_par', string_agg(l, E'\n') FROM finmon_tap_variance.explain_lines(
    'CREATE TEMP TABLE r_total_par AS SELECT finmon.variance_agg(b, f) AS v FROM finmon_tap_variance.ledger') l;
INSERT INTO plans SELECT 'grp_par', string_agg(l, E'\n') FROM finmon_tap_variance.explain_lines(
    'CREATE TEMP TABLE r_grp_par AS SELECT grp, finmon.variance_agg(b, f) AS v FROM finmon_tap_variance.ledger GROUP BY grp') l;

SET LOCAL max_parallel_workers_per_gather = 0;
INSERT INTO plans SELECT 'total_ser', string_agg(l, E'\n') FROM finmon_tap_variance.explain_lines(
    'CREATE TEMP TABLE r_total_ser AS SELECT finmon.variance_agg(b, f) AS v FROM finmon_tap_variance.ledger') l;
INSERT INTO plans SELECT 'grp_ser', string_agg(l, E'\n') FROM finmon_tap_variance.explain_lines(
    'CREATE TEMP TABLE r_grp_ser AS SELECT grp, finmon.variance_agg(b, f) AS v FROM finmon_tap_variance.ledger GROUP BY grp') l;

SELECT matches((SELECT plan FROM plans WHERE k = 'total_par'), 'Partial Aggregate',
               'forced-parallel variance_agg plan has a Partial Aggregate');
SELECT matches((SELECT plan FROM plans WHERE k = 'total_par'), 'Workers Launched: [1-9]',
               'forced-parallel variance_agg launched workers');
SELECT matches((SELECT plan FROM plans WHERE k = 'grp_par'), 'Partial (Hash|Group|Mixed)?Aggregate',
               'forced-parallel variance_agg GROUP BY plan has a partial aggregate');
SELECT matches((SELECT plan FROM plans WHERE k = 'grp_par'), 'Workers Launched: [1-9]',
               'forced-parallel variance_agg GROUP BY launched workers');
SELECT doesnt_match((SELECT plan FROM plans WHERE k = 'total_ser') || (SELECT plan FROM plans WHERE k = 'grp_ser'),
                    'Gather|Partial', 'the serial plans really are serial');

SELECT finmon_tap_variance.check_eq($$SELECT v::text FROM r_total_par$$, $$SELECT v::text FROM r_total_ser$$,
          'parallel variance_agg = serial variance_agg (whole table)');
SELECT finmon_tap_variance.check_eq(
    $$SELECT (v).budget::text, (v).forecast_outturn::text, (v).variance::text, (v).variance_pct::text FROM r_total_par$$,
    $$SELECT sb::text, sf::text, (sf - sb)::text, ((sf - sb) / nullif(sb, 0) * 100)::text
        FROM (SELECT sum(b) AS sb, sum(f) AS sf FROM finmon_tap_variance.ledger) s$$,
    'parallel variance_agg = sum() equivalent (whole table)');
SELECT finmon_tap_variance.check_eq(
    $$SELECT (v).budget::text, (v).forecast_outturn::text, (v).variance::text, (v).variance_pct::text FROM r_total_ser$$,
    $$SELECT sb::text, sf::text, (sf - sb)::text, ((sf - sb) / nullif(sb, 0) * 100)::text
        FROM (SELECT sum(b) AS sb, sum(f) AS sf FROM finmon_tap_variance.ledger) s$$,
    'serial variance_agg = sum() equivalent (whole table)');
SELECT finmon_tap_variance.check_eq(
    $$SELECT grp, v::text FROM r_grp_par ORDER BY grp$$,
    $$SELECT grp, v::text FROM r_grp_ser ORDER BY grp$$,
    'parallel variance_agg = serial variance_agg, every group');
SELECT finmon_tap_variance.check_eq(
    finmon_tap_variance.agg_q('SELECT grp AS g, id, b, f FROM finmon_tap_variance.ledger', ''),
    finmon_tap_variance.sum_q('SELECT grp AS g, id, b, f FROM finmon_tap_variance.ledger'),
    'serial variance_agg = sum() equivalent, every group (fixture check for the parallel comparison)');
SELECT finmon_tap_variance.check_eq(
    $$SELECT grp, (v).budget::text, (v).forecast_outturn::text, (v).variance::text, (v).variance_pct::text,
             v::text IS NULL FROM r_grp_par ORDER BY grp$$,
    finmon_tap_variance.sum_q('SELECT grp AS g, id, b, f FROM finmon_tap_variance.ledger'),
    'parallel variance_agg = sum() equivalent, every group');
SELECT finmon_tap_variance.check_is($$SELECT count(*) FROM r_grp_par$$, '1003', 'the parallel GROUP BY gave all 1003 groups');

SELECT * FROM finish();
ROLLBACK;
DROP SCHEMA finmon_tap_variance CASCADE;
