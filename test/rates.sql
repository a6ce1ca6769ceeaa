-- pgTAP tests for finmon's rates and proportions (src/rates.c, src/rates.sql): rate, rate_ci,
-- proportion_ci, the aggregates rate_agg (plain, grouped, rolling window, parallel) and dsr_agg
-- (worked examples, grouped, parallel), and the table european_standard_population.
--
-- Where the expected values come from.  The intervals are those of R's PHEindicatormethods
-- (the Fingertips methods): phe_rate (exact Poisson interval below a count of 10, Byar's method
-- from 10), phe_proportion (Wilson score) and phe_dsr (Dobson's method).  Every expected float
-- below was computed INDEPENDENTLY of finmon, in Python 3 with SciPy 1.10.1, by implementing
-- those formulas directly:
--     exact Poisson: lower = chi2.ppf(alpha/2, 2x) / 2 (0 when x = 0),
--                    upper = chi2.ppf(1 - alpha/2, 2x + 2) / 2;
--     Byar's:        z = norm.ppf(1 - alpha/2),
--                    lower = x (1 - 1/(9x) - z/(3 sqrt x))^3,
--                    upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3;
--     a rate's limits are these / population * multiplier;
--     Wilson:        (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2));
--     Dobson (DSR):  dsr = sum(w x/n) / sum(w) * 100000, vardsr = sum(w^2 x/n^2) / sum(w)^2,
--                    limit = dsr + sqrt(vardsr / O) * (L(O) - O) * 100000, O = sum(x), L(O)
--                    the limits above for the count O;
-- with alpha = 1 - confidence.  scipy.stats.chi2.ppf and norm.ppf are the same distributions'
-- quantiles as R's qchisq and qnorm.  The values were printed with repr() (17 significant
-- figures) and are compared within 1e-9 relative (plus 1e-15 absolute, for limits that are
-- exactly 0): far tighter than the 6 significant figures Fingertips publishes.
-- Exact rates (numeric) were checked against Python's decimal module (count * multiplier /
-- population at 50 digits, rounded to 10 places).
--
-- Aggregate results are compared with references that use no finmon function: for rate_agg,
-- sum() of the counts and populations, count * multiplier / population in numeric (compared as
-- text, so the scale is checked too) and the limits of the summed count by the same methods
-- written out in SQL below (finmon_tap_rates.count_limits: the exact Poisson limits by bisection
-- on the Poisson distribution's sum, Byar's formula from 10; within 1e-9 relative), itself
-- checked against the SciPy values first; for dsr_agg, the Dobson formulas written with float8
-- sum() in SQL (within 1e-9 relative).
--
-- The parallel tests need a committed table that workers can read (and the aggregates' inputs
-- must come from a real table: stored numerics have short varlena headers): it is created
-- before the test transaction in its own schema, and dropped at the end.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS finmon_tap_rates CASCADE;
CREATE SCHEMA finmon_tap_rates;

-- ~100k age-band rows: 5300 areas x the 19 bands of the 2013 European Standard Population
-- (weights written out here, as the extension does not exist yet outside the transaction),
-- stored in a scrambled physical order so that each area is split across parallel workers.
-- count: 0 .. 4b + 2 for band b (zeros occur), NULL now and then; population: 2000 .. 32010,
-- NULL now and then.  mult is 1000 throughout; mixmult is 1000 except one row of 100.
-- Area 0 has only NULL counts (a NULL result); area -1 only zero counts (dsr_agg: NULL limits).
CREATE TABLE finmon_tap_rates.bands AS
WITH esp(b, band, w) AS (
    VALUES (1, '0-4', 5000), (2, '5-9', 5500), (3, '10-14', 5500), (4, '15-19', 5500),
           (5, '20-24', 6000), (6, '25-29', 6000), (7, '30-34', 6500), (8, '35-39', 7000),
           (9, '40-44', 7000), (10, '45-49', 7000), (11, '50-54', 7000), (12, '55-59', 6500),
           (13, '60-64', 6000), (14, '65-69', 5500), (15, '70-74', 5000), (16, '75-79', 4000),
           (17, '80-84', 2500), (18, '85-89', 1500), (19, '90+', 1000)
)
SELECT a AS area, band, b,
       CASE WHEN a = 0 OR (a * 19 + b) % 211 = 0 THEN NULL
            WHEN a = -1 THEN 0
            ELSE ((a::bigint * 7919 + b * 104729) % (b * 4 + 3))::numeric END AS count,
       CASE WHEN a > 0 AND (a * 19 + b) % 307 = 0 THEN NULL
            ELSE (2000 + (abs(a)::bigint * 104729 + b * 7919) % 30011)::numeric END AS population,
       w::numeric AS std,
       1000::numeric AS mult,
       CASE WHEN a = 4000 AND b = 7 THEN 100 ELSE 1000 END::numeric AS mixmult,
       repeat('x', 40) AS pad
  FROM generate_series(-1, 5300) a CROSS JOIN esp
 ORDER BY md5(a::text || '/' || b::text);
ANALYZE finmon_tap_rates.bands;

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;

SELECT plan(271);

-- ---------------------------------------------------------------------------------------
-- Helpers (created inside the transaction, so rolled back with it).

-- Within 1e-9 relative (plus 1e-15 absolute); NULL only matches NULL.
CREATE FUNCTION finmon_tap_rates.near(got double precision, want double precision) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $f$
SELECT CASE WHEN got IS NULL OR want IS NULL THEN got IS NULL AND want IS NULL
            ELSE abs(got - want) <= 1e-9 * abs(want) + 1e-15 END
$f$;

-- Run a query returning one float8 and check it is near want; an error raised by the query is a
-- failed test (with the SQLSTATE and message as diagnostics), not the end of the file.
CREATE FUNCTION finmon_tap_rates.check_near(have_sql text, want double precision, descr text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
    got double precision;
BEGIN
    EXECUTE have_sql INTO got;
    IF finmon_tap_rates.near(got, want) THEN
        RETURN ok(true, descr);
    END IF;
    RETURN ok(false, descr) || E'\n' || diag(format('    got:  %s' || E'\n' || '    want: %s (within 1e-9 relative)',
                                                     coalesce(got::text, 'NULL'), coalesce(want::text, 'NULL')));
EXCEPTION WHEN OTHERS THEN
    RETURN fail(descr) || E'\n' || diag('    raised ' || SQLSTATE || ': ' || SQLERRM);
END
$f$;

-- results_eq and is on query text, turning an error raised by the query into a failed test.
CREATE FUNCTION finmon_tap_rates.check_eq(have_sql text, want_sql text, descr text) RETURNS text
LANGUAGE plpgsql AS $f$
BEGIN
    RETURN results_eq(have_sql, want_sql, descr);
EXCEPTION WHEN OTHERS THEN
    RETURN fail(descr) || E'\n' || diag('    raised ' || SQLSTATE || ': ' || SQLERRM);
END
$f$;

CREATE FUNCTION finmon_tap_rates.check_is(have_sql text, want text, descr text) RETURNS text
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
-- plan checked and the result stored come from the same execution.  With analyze false, only
-- EXPLAIN (COSTS OFF): for a query expected to fail.
CREATE FUNCTION finmon_tap_rates.explain_lines(q text, do_analyze boolean DEFAULT true) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE
    r record;
BEGIN
    FOR r IN EXECUTE CASE WHEN do_analyze THEN 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) '
                          ELSE 'EXPLAIN (COSTS OFF) ' END || q LOOP
        RETURN NEXT r."QUERY PLAN";
    END LOOP;
EXCEPTION WHEN OTHERS THEN
    RETURN NEXT 'raised ' || SQLSTATE || ': ' || SQLERRM;
END
$f$;

-- The standard normal quantile for the two confidences used here, as published (R's
-- qnorm(0.975) and qnorm(0.999); Python's statistics.NormalDist().inv_cdf gives the same).
CREATE FUNCTION finmon_tap_rates.z(confidence double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT AS $f$
SELECT CASE confidence WHEN 0.95 THEN 1.959963984540054 WHEN 0.998 THEN 3.090232306167813 END::float8
$f$;

-- P(X <= x) for X Poisson with mean mu: the finite sum of exp(-mu) mu^k / k!, k = 0 .. x.
CREATE FUNCTION finmon_tap_rates.poisson_below(x integer, mu double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT AS $f$
SELECT sum(exp(-mu) * mu ^ k / factorial(k)::float8) FROM generate_series(0, x) AS k
$f$;

-- The mean mu at which P(X <= x) = p, by bisection (P falls as mu grows), to the last bit.
CREATE FUNCTION finmon_tap_rates.poisson_mean(x integer, p double precision) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
    lo double precision := 0;
    hi double precision := 1;
    mid double precision;
BEGIN
    WHILE finmon_tap_rates.poisson_below(x, hi) > p LOOP
        hi := hi * 2;
    END LOOP;
    FOR i IN 1 .. 200 LOOP
        mid := (lo + hi) / 2;
        EXIT WHEN mid <= lo OR mid >= hi;
        IF finmon_tap_rates.poisson_below(x, mid) > p THEN lo := mid; ELSE hi := mid; END IF;
    END LOOP;
    RETURN (lo + hi) / 2;
END
$f$;

-- The limits of a count x at a confidence, by the methods of the header, with no finmon
-- function: below 10 the exact (Garwood) limits, the means at which P(X >= x) and P(X <= x)
-- are each alpha / 2 (the lower 0 for x = 0); from 10 Byar's formula.  (Whole counts below 10.)
CREATE FUNCTION finmon_tap_rates.count_limits(x numeric, confidence double precision,
                                              OUT lower double precision, OUT upper double precision)
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
    alpha double precision := 1 - confidence;
    z double precision := finmon_tap_rates.z(confidence);
    c double precision := x::float8;
BEGIN
    IF x < 10 THEN
        IF x <> trunc(x) THEN
            RAISE EXCEPTION 'count_limits takes whole counts below 10, not %', x;
        END IF;
        lower := CASE WHEN x = 0 THEN 0 ELSE finmon_tap_rates.poisson_mean(x::integer - 1, 1 - alpha / 2) END;
        upper := finmon_tap_rates.poisson_mean(x::integer, alpha / 2);
    ELSE
        lower := c * (1 - 1 / (9 * c) - z / (3 * sqrt(c))) ^ 3;
        upper := (c + 1) * (1 - 1 / (9 * (c + 1)) + z / (3 * sqrt(c + 1))) ^ 3;
    END IF;
END
$f$;

-- The reference for a rate of count x in population n per multiplier m: x, n, x * m / n in
-- numeric, and the count's limits / n * m.  NULL when any input is.
CREATE FUNCTION finmon_tap_rates.rate_reference(x numeric, n numeric, m numeric, confidence double precision DEFAULT 0.95,
                                                OUT count numeric, OUT population numeric, OUT rate numeric,
                                                OUT lower double precision, OUT upper double precision)
LANGUAGE sql IMMUTABLE STRICT AS $f$
SELECT x, n, x * m / n, l.lower / n::float8 * m::float8, l.upper / n::float8 * m::float8
  FROM finmon_tap_rates.count_limits(x, confidence) AS l
$f$;

-- rate_agg's answers against the reference, group by group: have_sql gives rows (g, a
-- finmon.rate_summary), want_sql rows (g, count, population, rate, lower, upper).  count,
-- population and rate must be the same text (numeric's scale too), the limits within 1e-9
-- relative, and the answer NULL (not a row of NULLs) exactly where the reference has no count;
-- a group on one side only is a difference, and there must be groups to compare.  An error
-- raised by either query is a failed test.
CREATE FUNCTION finmon_tap_rates.check_rates(have_sql text, want_sql text, descr text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
    groups bigint;
    differing bigint;
    example text;
BEGIN
    EXECUTE format($q$
        SELECT count(*), count(*) FILTER (WHERE NOT same), min(shown) FILTER (WHERE NOT same)
          FROM (SELECT coalesce(h.g IS NOT NULL AND w.g IS NOT NULL
                                AND (h.v::text IS NULL) = (w.count IS NULL)
                                AND (h.v).count::text IS NOT DISTINCT FROM w.count::text
                                AND (h.v).population::text IS NOT DISTINCT FROM w.population::text
                                AND (h.v).rate::text IS NOT DISTINCT FROM w.rate::text
                                AND finmon_tap_rates.near((h.v).ci_lower, w.lower)
                                AND finmon_tap_rates.near((h.v).ci_upper, w.upper), false) AS same,
                       format('group %%s: got %%s, want (%%s,%%s,%%s,%%s,%%s)', coalesce(h.g, w.g), coalesce(h.v::text, 'NULL'),
                              w.count, w.population, w.rate, w.lower, w.upper) AS shown
                  FROM (%s) AS h(g, v) FULL JOIN (%s) AS w(g, count, population, rate, lower, upper) ON h.g = w.g) AS c$q$,
        have_sql, want_sql) INTO groups, differing, example;
    IF groups = 0 THEN
        RETURN fail(descr) || E'\n' || diag('    no groups to compare');
    END IF;
    RETURN is(differing, 0::bigint, descr)
        || CASE WHEN differing > 0 THEN E'\n' || diag('    of ' || groups || ' groups, e.g. ' || example) ELSE '' END;
EXCEPTION WHEN OTHERS THEN
    RETURN fail(descr) || E'\n' || diag('    raised ' || SQLSTATE || ': ' || SQLERRM);
END
$f$;

-- rate_agg(count, population[, multiplier]) per group g of src (columns g, c, p, m), and its
-- reference: the sums over the rows with both a count and a population (NULL when there is no
-- such row) given to rate_reference, 95%, per 100000 (mult '') or per 1000 (mult ', m', the
-- fixture's multiplier).
CREATE FUNCTION finmon_tap_rates.ragg_q(src text, mult text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT g, finmon.rate_agg(c, p %s) FROM (%s) s GROUP BY g$q$, mult, src)
$f$;

CREATE FUNCTION finmon_tap_rates.rref_q(src text, mult text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$SELECT a.g, r.* FROM (SELECT g, sum(c) FILTER (WHERE c IS NOT NULL AND p IS NOT NULL) AS sc,
                                            sum(p) FILTER (WHERE c IS NOT NULL AND p IS NOT NULL) AS sp
                                       FROM (%s) s GROUP BY g) a
                  LEFT JOIN LATERAL finmon_tap_rates.rate_reference(a.sc, a.sp, %s) r ON true$q$,
              src, CASE WHEN mult = '' THEN '100000' ELSE '1000' END)
$f$;

-- dsr_agg's answer against Dobson in SQL (a row of dsr_sql below): NULL where no row had a
-- count; each field within 1e-9 relative otherwise.
CREATE FUNCTION finmon_tap_rates.dsr_near(v finmon.dsr_summary, o double precision, n double precision, d double precision,
                                          lo double precision, up double precision, k bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $f$
SELECT coalesce(CASE WHEN k = 0 THEN v::text IS NULL
                     ELSE finmon_tap_rates.near((v).count, o) AND finmon_tap_rates.near((v).population, n)
                          AND finmon_tap_rates.near((v).dsr, d) AND finmon_tap_rates.near((v).ci_lower, lo)
                          AND finmon_tap_rates.near((v).ci_upper, up) END, false)
$f$;

-- ---------------------------------------------------------------------------------------
-- Catalogue: the scalars are IMMUTABLE STRICT PARALLEL SAFE; both aggregates are PARALLEL
-- SAFE with combine/serial/deserial functions; rate_agg also has a moving-aggregate
-- transition with an inverse (rolling windows).
SELECT function_returns('finmon', 'rate', ARRAY['numeric', 'numeric', 'numeric'], 'numeric',
                        'rate(numeric, numeric, numeric) returns numeric');
SELECT function_returns('finmon', 'rate_ci', ARRAY['numeric', 'numeric', 'double precision', 'numeric'],
                        'finmon.confidence_interval', 'rate_ci(numeric, numeric, double precision, numeric) returns finmon.confidence_interval');
SELECT function_returns('finmon', 'proportion_ci', ARRAY['numeric', 'numeric', 'double precision'],
                        'finmon.confidence_interval', 'proportion_ci(numeric, numeric, double precision) returns finmon.confidence_interval');
SELECT volatility_is('finmon', f, a::name[], 'immutable', format('%s(%s) is IMMUTABLE', f, array_to_string(a, ', ')))
  FROM (VALUES ('rate', ARRAY['numeric', 'numeric', 'numeric']),
               ('rate_ci', ARRAY['numeric', 'numeric', 'double precision', 'numeric']),
               ('proportion_ci', ARRAY['numeric', 'numeric', 'double precision'])) v(f, a);
SELECT is_strict('finmon', f, a::name[], format('%s(%s) is STRICT', f, array_to_string(a, ', ')))
  FROM (VALUES ('rate', ARRAY['numeric', 'numeric', 'numeric']),
               ('rate_ci', ARRAY['numeric', 'numeric', 'double precision', 'numeric']),
               ('proportion_ci', ARRAY['numeric', 'numeric', 'double precision'])) v(f, a);
SELECT is((SELECT p.proparallel::text FROM pg_proc p WHERE p.oid = sig::regprocedure), 's',
          sig || ' is PARALLEL SAFE (proparallel = s)')
  FROM (VALUES ('finmon.rate(numeric, numeric, numeric)'),
               ('finmon.rate_ci(numeric, numeric, double precision, numeric)'),
               ('finmon.proportion_ci(numeric, numeric, double precision)'),
               ('finmon.rate_agg(numeric, numeric)'),
               ('finmon.rate_agg(numeric, numeric, numeric)'),
               ('finmon.dsr_agg(numeric, numeric, numeric)')) v(sig);
SELECT is((SELECT p.prokind::text || ' ' || p.prorettype::regtype::text FROM pg_proc p WHERE p.oid = sig::regprocedure),
          'a ' || rt, sig || ' is an aggregate returning ' || rt)
  FROM (VALUES ('finmon.rate_agg(numeric, numeric)', 'finmon.rate_summary'),
               ('finmon.rate_agg(numeric, numeric, numeric)', 'finmon.rate_summary'),
               ('finmon.dsr_agg(numeric, numeric, numeric)', 'finmon.dsr_summary')) v(sig, rt);
SELECT is((SELECT a.aggcombinefn::text || ' ' || a.aggserialfn::text || ' ' || a.aggdeserialfn::text
             FROM pg_aggregate a WHERE a.aggfnoid = sig::regprocedure),
          want, sig || ' combine/serial/deserial are ' || want)
  FROM (VALUES ('finmon.rate_agg(numeric, numeric)', 'finmon.rate_state_combine - -'),
               ('finmon.rate_agg(numeric, numeric, numeric)', 'finmon.rate_state_combine - -'),
               ('finmon.dsr_agg(numeric, numeric, numeric)', 'finmon.dsr_state_combine - -')) v(sig, want);
SELECT ok((SELECT a.aggmtransfn <> 0 AND a.aggminvtransfn <> 0 AND a.aggmfinalfn <> 0
             FROM pg_aggregate a WHERE a.aggfnoid = sig::regprocedure),
          sig || ' has a moving-aggregate transition, inverse and final function')
  FROM (VALUES ('finmon.rate_agg(numeric, numeric)'), ('finmon.rate_agg(numeric, numeric, numeric)')) v(sig);

SELECT results_eq(
    $$SELECT attname, atttypid::regtype::text FROM pg_attribute
       WHERE attrelid = 'finmon.confidence_interval'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum$$,
    $$VALUES ('lower'::name, 'double precision'), ('upper', 'double precision')$$,
    'finmon.confidence_interval is (lower, upper), double precision');
SELECT results_eq(
    $$SELECT attname, atttypid::regtype::text FROM pg_attribute
       WHERE attrelid = 'finmon.rate_summary'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum$$,
    $$VALUES ('count'::name, 'numeric'), ('population', 'numeric'), ('rate', 'numeric'),
             ('ci_lower', 'double precision'), ('ci_upper', 'double precision')$$,
    'finmon.rate_summary is (count, population, rate numeric; ci_lower, ci_upper double precision)');
SELECT results_eq(
    $$SELECT attname, atttypid::regtype::text FROM pg_attribute
       WHERE attrelid = 'finmon.dsr_summary'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum$$,
    $$VALUES ('count'::name, 'double precision'), ('population', 'double precision'), ('dsr', 'double precision'),
             ('ci_lower', 'double precision'), ('ci_upper', 'double precision')$$,
    'finmon.dsr_summary is (count, population, dsr, ci_lower, ci_upper), double precision');

-- ---------------------------------------------------------------------------------------
-- The 2013 European Standard Population (Eurostat, "Revision of the European Standard
-- Population", 2013), 19 five-year bands with 90+ as the last: weights as published.
SELECT is((SELECT count(*) FROM finmon.european_standard_population), 19::bigint, 'european_standard_population has 19 bands');
SELECT is((SELECT sum(population) FROM finmon.european_standard_population), 100000::bigint,
          'european_standard_population sums to 100000');
SELECT results_eq(
    $$SELECT age_band, lower_age, upper_age, population FROM finmon.european_standard_population ORDER BY lower_age$$,
    $$VALUES ('0-4', 0, 4, 5000), ('5-9', 5, 9, 5500), ('10-14', 10, 14, 5500), ('15-19', 15, 19, 5500),
             ('20-24', 20, 24, 6000), ('25-29', 25, 29, 6000), ('30-34', 30, 34, 6500), ('35-39', 35, 39, 7000),
             ('40-44', 40, 44, 7000), ('45-49', 45, 49, 7000), ('50-54', 50, 54, 7000), ('55-59', 55, 59, 6500),
             ('60-64', 60, 64, 6000), ('65-69', 65, 69, 5500), ('70-74', 70, 74, 5000), ('75-79', 75, 79, 4000),
             ('80-84', 80, 84, 2500), ('85-89', 85, 89, 1500), ('90+', 90, NULL::int, 1000)$$,
    'european_standard_population holds the 2013 ESP bands and weights');

-- ---------------------------------------------------------------------------------------
-- rate(count, population, multiplier) = count * multiplier / population, exactly (numeric).
-- Expected values: Python decimal at 50 digits, rounded to 10 places.
SELECT is(round(finmon.rate(c, p, m), 10), want, format('rate(%s, %s, %s) = %s (to 10 places)', c, p, m, want))
  FROM (VALUES (1103::numeric, 179131::numeric, 100000::numeric, 615.7504842825::numeric),
               (2083, 541101, 100000, 384.9558585181),
               (100000, 179131, 100000, 55825.0665713919),
               (11, 150000, 100000, 7.3333333333),
               (1, 3, 1, 0.3333333333),
               (7, 2500, 1000, 2.8000000000)) v(c, p, m, want);
SELECT is(finmon.rate(1103, 179131)::text, finmon.rate(1103, 179131, 100000)::text,
          'rate(count, population) defaults to per 100000');
SELECT is(finmon.rate(1103, 179131)::text, (1103 * 100000::numeric / 179131)::text,
          'rate(1103, 179131) is numeric division at numeric''s own scale');
SELECT is(finmon.rate(0, 179131), 0::numeric, 'rate(0, 179131) = 0');
SELECT is(finmon.rate(50, 200), 25000::numeric, 'rate(50, 200) = 25000 exactly');
SELECT is(finmon.rate(1, 8, 1000), 125::numeric, 'rate(1, 8, 1000) = 125 exactly');
SELECT is(finmon.rate(2.5, 0.5, 100), 500::numeric, 'rate(2.5, 0.5, 100) = 500 (fractional inputs)');
SELECT is(finmon.rate(1e30, 1, 100000), 1e35, 'rate(1e30, 1) = 1e35 (no float rounding)');
SELECT is(finmon.rate(c, p, m), NULL, format('rate(%s, %s, %s) is NULL',
          coalesce(c::text, 'NULL'), coalesce(p::text, 'NULL'), coalesce(m::text, 'NULL')))
  FROM (VALUES (NULL::numeric, 1::numeric, 100000::numeric), (1, NULL, 100000), (1, 1, NULL)) v(c, p, m);

-- Errors: a negative count or population 22023; a zero population 22012; a zero multiplier
-- 22012 and a negative one 22023; NaN and +/-Infinity anywhere 22023.
SELECT throws_ok(format('SELECT finmon.rate(%s)', args), code, NULL, format('rate(%s) raises %s', args, code))
  FROM (VALUES ('-1, 100', '22023'), ('1, -100', '22023'), ('0, -100', '22023'), ('1, 0', '22012'),
               ('0, 0.00', '22012'), ('1, 100, 0', '22012'), ('1, 100, -100000', '22023'),
               ('''NaN''::numeric, 100', '22023'), ('1, ''NaN''::numeric', '22023'), ('1, 100, ''NaN''::numeric', '22023'),
               ('''Infinity''::numeric, 100', '22023'), ('1, ''Infinity''::numeric', '22023'),
               ('1, ''-Infinity''::numeric', '22023'), ('1, 100, ''Infinity''::numeric', '22023')) v(args, code);

-- ---------------------------------------------------------------------------------------
-- rate_ci(count, 179131, confidence): exact Poisson for 0..9, Byar's from 10 (SciPy values,
-- per 100000).  The lower limit for a count of 0 is 0 exactly.
CREATE TEMP TABLE scipy_limits AS SELECT * FROM (VALUES (0::numeric, 0.95::float8, 0.0::float8, 2.0593194109975017::float8),
               (1, 0.95, 0.014133683161647006, 3.1103736321121964),
               (5, 0.95, 0.9063123580610956, 6.513854151052956),
               (9, 0.95, 2.297409771272607, 9.537602900346208),
               (10, 0.95, 2.672597101544435, 10.267044010113533),
               (11, 0.95, 3.06127370385359, 10.98818022349364),
               (100, 0.95, 45.420449553973285, 67.898877123003),
               (1103, 0.95, 579.9434721582494, 653.189608074288),
               (100000, 0.95, 55479.59460678703, 56172.15601300832),
               (0, 0.998, 0.0, 3.856258983080615),
               (1, 0.998, 0.0005585299772700061, 5.154559220040967),
               (5, 0.998, 0.4127547615531833, 9.185872464107332),
               (9, 0.998, 1.3690675563491386, 12.648493733113158),
               (10, 0.998, 1.6280366741076004, 13.506163047088751),
               (11, 0.998, 1.9250549812153572, 14.317187151613862),
               (100, 0.998, 40.14028385516654, 75.33236668263069),
               (1103, 0.998, 560.0405558660483, 675.2261618389698),
               (100000, 0.998, 55281.12459525345, 56372.75137831082)) v(x, c, lo, up);
-- The SQL reference of the aggregate tests below gives the same limits: it is right too.
SELECT is((SELECT count(*) FILTER (WHERE NOT (finmon_tap_rates.near(l.lower / 179131 * 100000, s.lo)
                                               AND finmon_tap_rates.near(l.upper / 179131 * 100000, s.up)))::text
                  || ' of ' || count(*)
             FROM scipy_limits s CROSS JOIN LATERAL finmon_tap_rates.count_limits(s.x, s.c) AS l),
          '0 of 18', 'the reference count_limits (SQL, no finmon function) gives the SciPy limits within 1e-9');
SELECT finmon_tap_rates.check_near(format('SELECT (finmon.rate_ci(%s, 179131, %s)).lower', x, c), lo,
                                   format('rate_ci(%s, 179131, %s) lower = %s', x, c, lo))
  FROM scipy_limits ORDER BY c, x;
SELECT finmon_tap_rates.check_near(format('SELECT (finmon.rate_ci(%s, 179131, %s)).upper', x, c), up,
                                   format('rate_ci(%s, 179131, %s) upper = %s', x, c, up))
  FROM scipy_limits ORDER BY c, x;
SELECT is((finmon.rate_ci(0, 179131)).lower, 0::float8, 'rate_ci(0, 179131) lower is exactly 0');

-- A multiplier of 1000 (per 1,000 of 2500): exact Poisson at 3, Byar's at 42 (SciPy).
SELECT finmon_tap_rates.check_near(format('SELECT (finmon.rate_ci(%s, 2500, 0.95, 1000)).%s', x, f), want,
                                   format('rate_ci(%s, 2500, 0.95, 1000) %s = %s', x, f, want))
  FROM (VALUES (3, 'lower', 0.2474688491582406::float8), (3, 'upper', 3.5069092278969296),
               (42, 'lower', 12.106686875153187), (42, 'upper', 22.709295496173638)) v(x, f, want);

-- Defaults: confidence 0.95 and per 100000.
SELECT ok((SELECT finmon_tap_rates.near((finmon.rate_ci(1103, 179131)).lower, lo) AND finmon_tap_rates.near((finmon.rate_ci(1103, 179131)).upper, up)
             FROM scipy_limits WHERE x = 1103 AND c = 0.95),
          'rate_ci(count, population) defaults to 0.95 per 100000: rate_ci(1103, 179131) is SciPy''s 95% limits per 100000');
SELECT ok((SELECT finmon_tap_rates.near((finmon.rate_ci(9, 179131, 0.998)).lower, lo) AND finmon_tap_rates.near((finmon.rate_ci(9, 179131, 0.998)).upper, up)
             FROM scipy_limits WHERE x = 9 AND c = 0.998),
          'rate_ci(count, population, confidence) defaults to per 100000: rate_ci(9, 179131, 0.998) is SciPy''s limits per 100000');
SELECT ok((finmon.rate_ci(x, 179131)).lower <= finmon.rate(x, 179131) AND finmon.rate(x, 179131) <= (finmon.rate_ci(x, 179131)).upper,
          format('rate_ci(%s, 179131) contains rate(%s, 179131)', x, x))
  FROM unnest('{1, 9, 10, 1103, 100000}'::numeric[]) x;

-- STRICT: a NULL anywhere gives NULL.
SELECT is(finmon.rate_ci(c, p, cf, m)::text, NULL, format('rate_ci(%s, %s, %s, %s) is NULL',
          coalesce(c::text, 'NULL'), coalesce(p::text, 'NULL'), coalesce(cf::text, 'NULL'), coalesce(m::text, 'NULL')))
  FROM (VALUES (NULL::numeric, 1::numeric, 0.95::float8, 100000::numeric), (1, NULL, 0.95, 100000),
               (1, 1, NULL, 100000), (1, 1, 0.95, NULL)) v(c, p, cf, m);

-- Errors: as rate(), and a confidence outside (0, 1) (or NaN) 22023.
SELECT throws_ok(format('SELECT finmon.rate_ci(%s)', args), code, NULL, format('rate_ci(%s) raises %s', args, code))
  FROM (VALUES ('-1, 100', '22023'), ('1, -100', '22023'), ('1, 0', '22012'),
               ('1, 100, 0.95, 0', '22012'), ('1, 100, 0.95, -1000', '22023'),
               ('''NaN''::numeric, 100', '22023'), ('1, ''Infinity''::numeric', '22023'),
               ('1, 100, 0.95, ''NaN''::numeric', '22023'), ('''-Infinity''::numeric, 100', '22023'),
               ('1, 100, 0', '22023'), ('1, 100, 1', '22023'), ('1, 100, -0.5', '22023'), ('1, 100, 1.5', '22023'),
               ('1, 100, 95', '22023'), ('1, 100, ''NaN''::float8', '22023'), ('1, 100, ''Infinity''::float8', '22023')) v(args, code);

-- ---------------------------------------------------------------------------------------
-- proportion_ci(numerator, denominator, confidence): Wilson score, as a share (SciPy values).
-- The limits at 0/n and n/n are 0 and 1 up to rounding (within 1e-15).
SELECT finmon_tap_rates.check_near(format('SELECT (finmon.proportion_ci(%s, %s, %s)).lower', x, n, c), lo,
                                   format('proportion_ci(%s, %s, %s) lower = %s', x, n, c, lo))
  FROM (VALUES (0, 10, 0.95, 0.0::float8, 0.2775327998628892::float8),
               (10, 10, 0.95, 0.7224672001371107, 1.0),
               (3, 200, 0.95, 0.005114237793258312, 0.04316572879269027),
               (65, 81, 0.95, 0.7029560930488834, 0.8745917318129889),
               (500, 1000, 0.95, 0.46906960036810413, 0.5309303996318958),
               (0, 10, 0.998, 0.0, 0.4884789004534622),
               (10, 10, 0.998, 0.5115210995465378, 1.0),
               (3, 200, 0.998, 0.0030166101704423988, 0.07118797183299001),
               (65, 81, 0.998, 0.6373988743810182, 0.9037413934062203),
               (500, 1000, 0.998, 0.4513707786071091, 0.5486292213928909)) v(x, n, c, lo, up);
SELECT finmon_tap_rates.check_near(format('SELECT (finmon.proportion_ci(%s, %s, %s)).upper', x, n, c), up,
                                   format('proportion_ci(%s, %s, %s) upper = %s', x, n, c, up))
  FROM (VALUES (0, 10, 0.95, 0.0::float8, 0.2775327998628892::float8),
               (10, 10, 0.95, 0.7224672001371107, 1.0),
               (3, 200, 0.95, 0.005114237793258312, 0.04316572879269027),
               (65, 81, 0.95, 0.7029560930488834, 0.8745917318129889),
               (500, 1000, 0.95, 0.46906960036810413, 0.5309303996318958),
               (0, 10, 0.998, 0.0, 0.4884789004534622),
               (10, 10, 0.998, 0.5115210995465378, 1.0),
               (3, 200, 0.998, 0.0030166101704423988, 0.07118797183299001),
               (65, 81, 0.998, 0.6373988743810182, 0.9037413934062203),
               (500, 1000, 0.998, 0.4513707786071091, 0.5486292213928909)) v(x, n, c, lo, up);
SELECT is(finmon.proportion_ci(65, 81)::text, finmon.proportion_ci(65, 81, 0.95)::text,
          'proportion_ci(numerator, denominator) defaults to 0.95');
SELECT is(finmon.proportion_ci(x, n, c)::text, NULL, format('proportion_ci(%s, %s, %s) is NULL',
          coalesce(x::text, 'NULL'), coalesce(n::text, 'NULL'), coalesce(c::text, 'NULL')))
  FROM (VALUES (NULL::numeric, 10::numeric, 0.95::float8), (1, NULL, 0.95), (1, 10, NULL)) v(x, n, c);

-- Errors: numerator above the denominator or negative 22023; negative denominator 22023;
-- zero denominator 22012; NaN/Infinity 22023; confidence outside (0, 1) 22023.
SELECT throws_ok(format('SELECT finmon.proportion_ci(%s)', args), code, NULL, format('proportion_ci(%s) raises %s', args, code))
  FROM (VALUES ('11, 10', '22023'), ('10.5, 10', '22023'), ('-1, 10', '22023'), ('0, -10', '22023'),
               ('0, 0', '22012'), ('''NaN''::numeric, 10', '22023'), ('1, ''Infinity''::numeric', '22023'),
               ('1, 10, 0', '22023'), ('1, 10, 1', '22023'), ('1, 10, -0.95', '22023'),
               ('1, 10, ''NaN''::float8', '22023')) v(args, code);

-- ---------------------------------------------------------------------------------------
-- rate_agg by hand (a stored table).  Rows with a NULL count or population are skipped:
-- here 3 + 8 + 0 = 11 of 150000; Byar's at 11, per 100000 (SciPy):
-- lower 3.655793465633316, upper 13.122158077430926; rate 11 * 100000 / 150000.
CREATE TEMP TABLE hand (i int, c numeric, p numeric, m numeric);
INSERT INTO hand VALUES (1, 3, 50000, 1000), (2, 8, 60000, 1000), (3, 0, 40000, 1000),
                        (4, NULL, 1000, 1000), (5, 5, NULL, 1000);
SELECT finmon_tap_rates.check_is($$SELECT (finmon.rate_agg(c, p)).count::text FROM hand$$, '11', 'rate_agg by hand: count 11 (NULL rows skipped)');
SELECT finmon_tap_rates.check_is($$SELECT (finmon.rate_agg(c, p)).population::text FROM hand$$, '150000', 'rate_agg by hand: population 150000');
SELECT finmon_tap_rates.check_is($$SELECT round((finmon.rate_agg(c, p)).rate, 10)::text FROM hand$$, '7.3333333333',
                                 'rate_agg by hand: rate 7.3333333333 (to 10 places)');
SELECT finmon_tap_rates.check_near($$SELECT (finmon.rate_agg(c, p)).ci_lower FROM hand$$, 3.655793465633316,
                                   'rate_agg by hand: ci_lower 3.655793465633316 (Byar''s at 11)');
SELECT finmon_tap_rates.check_near($$SELECT (finmon.rate_agg(c, p)).ci_upper FROM hand$$, 13.122158077430926,
                                   'rate_agg by hand: ci_upper 13.122158077430926 (Byar''s at 11)');
SELECT finmon_tap_rates.check_rates($$SELECT 0, finmon.rate_agg(c, p) FROM hand$$,
    $$SELECT 0, * FROM finmon_tap_rates.rate_reference(11, 150000, 100000)$$,
    'rate_agg by hand = (11, 150000, 11 x 100000 / 150000, Byar''s limits at 11 per 100000)');
SELECT finmon_tap_rates.check_rates($$SELECT 0, finmon.rate_agg(c, p, m) FROM hand$$,
    $$SELECT 0, * FROM finmon_tap_rates.rate_reference(11, 150000, 1000)$$,
    'rate_agg(c, p, 1000) by hand = (11, 150000, 11 x 1000 / 150000, Byar''s limits at 11 per 1000)');
SELECT finmon_tap_rates.check_rates($$SELECT 0, finmon.rate_agg(c, p ORDER BY i DESC) FROM hand$$,
    $$SELECT 0, * FROM finmon_tap_rates.rate_reference(11, 150000, 100000)$$,
    'rate_agg by hand in reverse order = the same reference');
-- A count below 10 in total: the exact Poisson limits (for 3: means 0.6187 and 8.7673).
SELECT finmon_tap_rates.check_rates($$SELECT 0, finmon.rate_agg(c, p) FROM hand WHERE i IN (1, 3)$$,
    $$SELECT 0, * FROM finmon_tap_rates.rate_reference(3, 90000, 100000)$$,
    'rate_agg with a total count of 3 = (3, 90000, 3 x 100000 / 90000, the exact Poisson limits of 3)');
SELECT finmon_tap_rates.check_rates($$SELECT 0, finmon.rate_agg(c, p) FROM hand WHERE i = 3$$,
    $$SELECT 0, 0::numeric, 40000::numeric, 0 * 100000 / 40000::numeric, 0::float8, ln(40) / 40000 * 100000$$,
    'rate_agg with a total count of 0: rate 0, lower 0, upper -ln(0.025) = ln 40 (the exact Poisson limit) per 100000');

-- NULL handling: no rows, or only rows with a NULL: NULL (not a row of NULLs).
SELECT is((SELECT finmon.rate_agg(c, p)::text FROM hand WHERE false), NULL, 'rate_agg over no rows is NULL');
SELECT is((SELECT finmon.rate_agg(c, p)::text FROM hand WHERE i IN (4, 5)), NULL, 'rate_agg over rows each with a NULL is NULL');
SELECT is((SELECT finmon.rate_agg(c, p, m)::text FROM hand WHERE i IN (4, 5)), NULL, 'rate_agg(c, p, m) over rows each with a NULL is NULL');
-- The three-argument form: a row whose multiplier is NULL is a row with a NULL, skipped like
-- the others ("rows with a NULL are ignored"), not counted at some other row's multiplier.
CREATE TEMP TABLE hand_m (i int, c numeric, p numeric, m numeric);
INSERT INTO hand_m VALUES (1, 10, 1000, 1000), (2, 5, 1000, NULL);
SELECT finmon_tap_rates.check_rates($$SELECT 0, finmon.rate_agg(c, p, m) FROM hand_m$$,
    $$SELECT 0, * FROM finmon_tap_rates.rate_reference(10, 1000, 1000)$$,
    'rate_agg(c, p, m) skips a row with a NULL multiplier: (10, 1000) per 1000');

-- Errors in the aggregate.
SELECT throws_ok(format('SELECT finmon.rate_agg(c, p) FROM (VALUES (1::numeric, 100::numeric), (%s, %s)) s(c, p)', c, p),
                 code, NULL, format('rate_agg with a row (%s, %s) raises %s', c, p, code))
  FROM (VALUES ('-1', '100', '22023'), ('1', '-100', '22023'), ('''NaN''::numeric', '100', '22023'),
               ('1', '''Infinity''::numeric', '22023'), ('''-Infinity''::numeric', '100', '22023')) v(c, p, code);
SELECT throws_ok(format('SELECT finmon.rate_agg(c, p, m) FROM (VALUES (1::numeric, 100::numeric, 1000::numeric), (1, 100, %s)) s(c, p, m)', m),
                 code, NULL, format('rate_agg with a multiplier %s after 1000 raises %s', m, code))
  FROM (VALUES ('100000', '22023'), ('0', '22012'), ('-1000', '22023'), ('''NaN''::numeric', '22023')) v(m, code);
SELECT finmon_tap_rates.check_is(
    $$SELECT (finmon.rate_agg(c, p, m)).rate = 150 FROM (VALUES (1::numeric, 10::numeric, 1000.0::numeric), (2, 10, 1e3)) s(c, p, m)$$,
    'true', 'rate_agg: 1000.0 and 1e3 are the same multiplier, no error (3 of 20 per 1000 = 150)');
SELECT throws_ok($$SELECT finmon.rate_agg(c, p) FROM (VALUES (0::numeric, 0::numeric), (0, 0)) s(c, p)$$,
                 '22012', NULL, 'rate_agg with a total population of 0 raises 22012');
SELECT throws_ok($$SELECT finmon.rate_agg(c, p) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
                     FROM (VALUES (1, 1::numeric, 10::numeric), (2, 1, 10), (3, -1, 10)) s(i, c, p)$$,
                 '22023', NULL, 'rate_agg OVER a window with a negative count raises 22023');

-- ---------------------------------------------------------------------------------------
-- rate_agg over a rolling 12-row window (moving aggregate with inverse).  By hand first:
-- 14 months; at month 12 the frame is months 1..12 less the two with a NULL (3 and 8): 47 of
-- 105700; at 13 month 1 (4 of 10000) has left and 10 of 11200 come in: 53 of 106900; at 14
-- month 2 (6 of 10100) leaves and 6 of 11300 arrive: 53 of 108100.  Rates: Python decimal;
-- limits: Byar's (SciPy), per 100000.
CREATE TEMP TABLE r12 (month int, c numeric, p numeric);
INSERT INTO r12 VALUES (1, 4, 10000), (2, 6, 10100), (3, NULL, 10200), (4, 3, 10300), (5, 0, 10400),
    (6, 7, 10500), (7, 5, 10600), (8, 2, NULL), (9, 8, 10800), (10, 1, 10900), (11, 9, 11000),
    (12, 4, 11100), (13, 10, 11200), (14, 6, 11300);
CREATE TEMP TABLE r12_result AS
SELECT month, finmon.rate_agg(c, p) OVER (ORDER BY month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) AS v FROM r12;
SELECT finmon_tap_rates.check_eq(
    $$SELECT month, (v).count::text, (v).population::text, round((v).rate, 10)::text FROM r12_result WHERE month >= 12 ORDER BY month$$,
    $$VALUES (12, '47', '105700', '44.4654683065'), (13, '53', '106900', '49.5790458372'), (14, '53', '108100', '49.0286771508')$$,
    'rolling 12 months by hand: count, population and rate at months 12, 13, 14');
SELECT finmon_tap_rates.check_near(format('SELECT (v).%s FROM r12_result WHERE month = %s', f, m), want,
                                   format('rolling 12 months by hand: %s at month %s = %s', f, m, want))
  FROM (VALUES (12, 'ci_lower', 32.66873959082497::float8), (12, 'ci_upper', 59.13097918814238),
               (13, 'ci_lower', 37.135523014530264), (13, 'ci_upper', 64.85189581667457),
               (14, 'ci_lower', 36.72328779142724), (14, 'ci_upper', 64.13198577985673)) v(m, f, want);

-- Generated months: 3 areas x 40 months, with a run of 14 months of NULL counts in area 2
-- (frames with nothing left: NULL), zero counts and NULL populations in area 3.  Each row
-- must equal the reference for the sum() of the same frame.
CREATE TEMP TABLE monthly AS
SELECT area, month,
       CASE WHEN area = 2 AND month BETWEEN 10 AND 23 THEN NULL
            WHEN area = 3 AND month % 7 = 0 THEN 0
            ELSE ((area * month * 37) % 23)::numeric END AS c,
       CASE WHEN area = 3 AND month % 11 = 0 THEN NULL ELSE (50000 + area * 1000 + month * 17)::numeric END AS p,
       1000::numeric AS m
  FROM generate_series(1, 3) area, generate_series(1, 40) month;
SELECT finmon_tap_rates.check_rates(
    format($q$SELECT area * 1000 + month, finmon.rate_agg(c, p %s) OVER w FROM monthly
               WINDOW w AS (PARTITION BY area ORDER BY month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)$q$, mult),
    format($q$SELECT area * 1000 + month, r.*
                FROM (SELECT area, month, sum(c) FILTER (WHERE c IS NOT NULL AND p IS NOT NULL) OVER w AS sc,
                             sum(p) FILTER (WHERE c IS NOT NULL AND p IS NOT NULL) OVER w AS sp
                        FROM monthly
                      WINDOW w AS (PARTITION BY area ORDER BY month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)) s
                LEFT JOIN LATERAL finmon_tap_rates.rate_reference(s.sc, s.sp, %s) r ON true$q$,
           CASE WHEN mult = '' THEN '100000' ELSE '1000' END),
    format('rate_agg(c, p%s) over a rolling 12-month window = the reference for sum() over the same frame, row by row', mult))
  FROM (VALUES (''), (', m')) v(mult);
SELECT finmon_tap_rates.check_eq(
    $$SELECT area, month FROM (SELECT area, month, finmon.rate_agg(c, p) OVER (PARTITION BY area ORDER BY month
                                 ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) AS v FROM monthly) s
       WHERE v::text IS NULL ORDER BY area, month$$,
    $$VALUES (2, 21), (2, 22), (2, 23)$$,
    'rolling: the frames with only NULL counts (area 2, months 21..23: months 10..23 are NULL) give NULL, and no others');

-- A frame holds one multiplier even though earlier frames held another: rows 1 and 2 are per
-- 1000, row 3 has no count (skipped), rows 4 and 5 per 100000; with ROWS 1 PRECEDING the frame
-- at row 4 is rows 3..4 (only 100000 counted): 9 of 4000 = 225, at row 5 11 of 9000.
-- (PostgreSQL requires the inverse transition to leave the state as if the row had never been
-- added, so a multiplier that has left the frame must not count against the next one.)
CREATE TEMP TABLE mm (i int, c numeric, p numeric, m numeric);
INSERT INTO mm VALUES (1, 5, 1000, 1000), (2, 7, 2000, 1000), (3, NULL, 3000, 100000), (4, 9, 4000, 100000), (5, 2, 5000, 100000);
SELECT finmon_tap_rates.check_eq(
    $$SELECT i, (finmon.rate_agg(c, p, m) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)).rate FROM mm ORDER BY i$$,
    $$VALUES (1, 5 * 1000 / 1000::numeric), (2, 12 * 1000 / 3000::numeric), (3, 7 * 1000 / 2000::numeric),
             (4, 9 * 100000 / 4000::numeric), (5, 11 * 100000 / 9000::numeric)$$,
    'rolling rate_agg(c, p, m): a frame whose rows all have multiplier 100000 is per 100000, after frames per 1000');

-- ---------------------------------------------------------------------------------------
-- dsr_agg worked example: one area's 19 ESP bands (a count of 0 in two bands), weights taken
-- from finmon.european_standard_population.  Expected (Python, the Dobson formulas above,
-- Byar's at the total count O = 2083): dsr 382.2679513847712, limits 365.9660974908305 and
-- 399.10686548552144, count 2083, population 541101.
CREATE TEMP TABLE area_bands (age_band text, c numeric, p numeric);
INSERT INTO area_bands VALUES
    ('0-4', 0, 30512), ('5-9', 1, 32104), ('10-14', 0, 29871), ('15-19', 2, 28650), ('20-24', 3, 31220),
    ('25-29', 5, 34187), ('30-34', 8, 35012), ('35-39', 14, 33460), ('40-44', 22, 31955), ('45-49', 35, 36208),
    ('50-54', 58, 38417), ('55-59', 81, 37110), ('60-64', 120, 33904), ('65-69', 168, 31876), ('70-74', 240, 28540),
    ('75-79', 301, 20115), ('80-84', 355, 14320), ('85-89', 380, 8930), ('90+', 290, 4710);
-- Small counts: the same populations, 7 deaths in all.  Below a total of 10 phe_dsr reports NA
-- (it uses Byar's only); finmon gives Dobson's limits from the EXACT Poisson interval of the
-- total count instead, and so does the Python reference here: dsr 1.2086112293870954, limits
-- 0.48580892530613107 and 2.4904058331526326.
CREATE TEMP TABLE area_small (age_band text, c numeric, p numeric);
INSERT INTO area_small SELECT age_band, CASE age_band WHEN '55-59' THEN 1 WHEN '65-69' THEN 1 WHEN '70-74' THEN 2
                                                      WHEN '80-84' THEN 1 WHEN '85-89' THEN 2 ELSE 0 END, p FROM area_bands;
SELECT finmon_tap_rates.check_near(format('SELECT (finmon.dsr_agg(c, p, e.population)).%s FROM %s JOIN finmon.european_standard_population e USING (age_band)', f, t),
                                   want, format('dsr_agg worked example %s: %s = %s', t, f, want))
  FROM (VALUES ('area_bands', 'count', 2083::float8), ('area_bands', 'population', 541101),
               ('area_bands', 'dsr', 382.2679513847712), ('area_bands', 'ci_lower', 365.9660974908305),
               ('area_bands', 'ci_upper', 399.10686548552144),
               ('area_small', 'count', 7), ('area_small', 'population', 541101),
               ('area_small', 'dsr', 1.2086112293870954), ('area_small', 'ci_lower', 0.48580892530613107),
               ('area_small', 'ci_upper', 2.4904058331526326)) v(t, f, want);

-- Four bands with other weights (the values given, not the ESP): counts 12, 0, 9, 25 of
-- 31876, 28540, 20115, 14320, weights 5500, 5000, 4000, 2500.  Python: count 46, dsr
-- 48.3809269977965, limits 35.39777596635662 and 64.55975412483552 (Byar's at 46).
CREATE TEMP TABLE four (i int, c numeric, p numeric, w numeric);
INSERT INTO four VALUES (1, 12, 31876, 5500), (2, 0, 28540, 5000), (3, 9, 20115, 4000), (4, 25, 14320, 2500);
SELECT finmon_tap_rates.check_near(format('SELECT (finmon.dsr_agg(c, p, w)).%s FROM four', f), want,
                                   format('dsr_agg four bands: %s = %s', f, want))
  FROM (VALUES ('count', 46::float8), ('population', 94851), ('dsr', 48.3809269977965),
               ('ci_lower', 35.39777596635662), ('ci_upper', 64.55975412483552)) v(f, want);
SELECT finmon_tap_rates.check_near(format('SELECT (finmon.dsr_agg(c, p, w ORDER BY i DESC)).%s FROM four', f), want,
                                   format('dsr_agg four bands in reverse order: %s = %s', f, want))
  FROM (VALUES ('dsr', 48.3809269977965::float8), ('ci_lower', 35.39777596635662), ('ci_upper', 64.55975412483552)) v(f, want);

-- NULLs: a row with a NULL anywhere is skipped; no rows, or only such rows: NULL.  A zero
-- total count: dsr 0 and NULL limits (Dobson's method divides by the count).
CREATE TEMP TABLE four_nulls AS
SELECT * FROM four UNION ALL VALUES (5, NULL::numeric, 1000::numeric, 1000::numeric), (6, 5, NULL, 1000), (7, 5, 1000, NULL);
SELECT ok((SELECT finmon_tap_rates.dsr_near(finmon.dsr_agg(c, p, w), 46, 94851, 48.3809269977965, 35.39777596635662, 64.55975412483552, 1)
             FROM four_nulls),
          'dsr_agg skips rows with a NULL: the four bands'' Python values above');
SELECT is((SELECT finmon.dsr_agg(c, p, w)::text FROM four WHERE false), NULL, 'dsr_agg over no rows is NULL');
SELECT is((SELECT finmon.dsr_agg(c, p, w)::text FROM four_nulls WHERE i > 4), NULL, 'dsr_agg over rows each with a NULL is NULL');
SELECT finmon_tap_rates.check_is($$SELECT finmon.dsr_agg(0, p, w)::text FROM four$$, '(0,94851,0,,)',
                                 'dsr_agg with a zero total count is (0,94851,0,,): NULL limits');

-- Errors in dsr_agg.
SELECT throws_ok(format('SELECT finmon.dsr_agg(c, p, w) FROM (VALUES (1::numeric, 100::numeric, 5000::numeric), (%s)) s(c, p, w)', r),
                 code, NULL, format('dsr_agg with a row (%s) raises %s', r, code))
  FROM (VALUES ('-1, 100, 5000', '22023'), ('1, -100, 5000', '22023'), ('1, 0, 5000', '22012'),
               ('1, 100, -5000', '22023'), ('''NaN''::numeric, 100, 5000', '22023'),
               ('1, ''Infinity''::numeric, 5000', '22023'), ('1, 100, ''NaN''::numeric', '22023')) v(r, code);
SELECT throws_ok($$SELECT finmon.dsr_agg(c, p, w) FROM (VALUES (1::numeric, 100::numeric, 0::numeric), (2, 100, 0)) s(c, p, w)$$,
                 '22012', NULL, 'dsr_agg with standard populations summing to 0 raises 22012');

-- ---------------------------------------------------------------------------------------
-- The generated bands (a committed table), serially, against the plain-SQL equivalents.
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT is((SELECT count(*) FROM finmon_tap_rates.bands), 100738::bigint, 'the bands fixture holds 100738 rows');
SELECT is((SELECT count(*) FROM (SELECT area FROM finmon_tap_rates.bands WHERE count IS NOT NULL AND population IS NOT NULL
                                  GROUP BY area HAVING sum(count) BETWEEN 1 AND 9) s), 0::bigint,
          'fixture: no area has a total count of 1..9 (so Dobson in SQL below can use Byar''s throughout)');
SELECT finmon_tap_rates.check_rates(
    finmon_tap_rates.ragg_q('SELECT 0 AS g, count AS c, population AS p FROM finmon_tap_rates.bands', ''),
    finmon_tap_rates.rref_q('SELECT 0 AS g, count AS c, population AS p FROM finmon_tap_rates.bands', ''),
    'rate_agg over the whole fixture = the reference for the sums');
SELECT finmon_tap_rates.check_rates(
    finmon_tap_rates.ragg_q('SELECT area AS g, count AS c, population AS p, mult AS m FROM finmon_tap_rates.bands', ''),
    finmon_tap_rates.rref_q('SELECT area AS g, count AS c, population AS p, mult AS m FROM finmon_tap_rates.bands', ''),
    'rate_agg GROUP BY area = the reference for the sums, every area');
SELECT finmon_tap_rates.check_rates(
    finmon_tap_rates.ragg_q('SELECT area AS g, count AS c, population AS p, mult AS m FROM finmon_tap_rates.bands', ', m'),
    finmon_tap_rates.rref_q('SELECT area AS g, count AS c, population AS p, mult AS m FROM finmon_tap_rates.bands', ', m'),
    'rate_agg(c, p, 1000) GROUP BY area = the reference for the sums per 1000, every area');

-- dsr_agg GROUP BY area against Dobson in SQL (float8 sums; Byar's with z = norm.ppf(0.975) =
-- 1.959963984540054 from SciPy; the fixture check above guarantees no total of 1..9), within
-- 1e-9 relative per field; area 0 (all NULL) is NULL on both sides, area -1 has NULL limits.
-- (The row with a NULL area is the whole fixture's, for the ungrouped aggregate.)
CREATE TEMP TABLE dsr_sql AS
SELECT area, o, n, d,
       CASE WHEN o > 0 THEN d + sqrt(v / o) * (o * (1 - 1 / (9 * o) - 1.959963984540054 / (3 * sqrt(o))) ^ 3 - o) * 100000 END AS lo,
       CASE WHEN o > 0 THEN d + sqrt(v / o) * ((o + 1) * (1 - 1 / (9 * (o + 1)) + 1.959963984540054 / (3 * sqrt(o + 1))) ^ 3 - o) * 100000 END AS up,
       k
  FROM (SELECT area, sum(x) AS o, sum(nn) AS n, sum(w * x / nn) / sum(w) * 100000 AS d,
               sum(w * w * x / (nn * nn)) / sum(w) ^ 2 AS v, count(x) AS k
          FROM (SELECT area, count::float8 AS x, population::float8 AS nn, std::float8 AS w
                  FROM finmon_tap_rates.bands WHERE count IS NOT NULL AND population IS NOT NULL AND std IS NOT NULL
                UNION ALL SELECT 0, NULL, NULL, NULL) b
         GROUP BY GROUPING SETS ((area), ())) s;
CREATE TEMP TABLE dsr_ser AS SELECT area, finmon.dsr_agg(count, population, std) AS v FROM finmon_tap_rates.bands GROUP BY area;
SELECT is((SELECT count(*) FROM dsr_ser), 5302::bigint, 'dsr_agg GROUP BY area gives all 5302 areas');
SELECT is((SELECT count(*) FROM dsr_ser s JOIN dsr_sql q USING (area)
            WHERE NOT (CASE WHEN q.k = 0 THEN s.v::text IS NULL
                            ELSE finmon_tap_rates.near((s.v).count, q.o) AND finmon_tap_rates.near((s.v).population, q.n)
                                 AND finmon_tap_rates.near((s.v).dsr, q.d) AND finmon_tap_rates.near((s.v).ci_lower, q.lo)
                                 AND finmon_tap_rates.near((s.v).ci_upper, q.up) END)),
          0::bigint, 'dsr_agg GROUP BY area = Dobson in SQL within 1e-9, every area');
SELECT is((SELECT v::text FROM dsr_ser WHERE area = 0), NULL, 'dsr_agg for the all-NULL area 0 is NULL');
SELECT is((SELECT (v).dsr::text || ' ' || coalesce((v).ci_lower::text, 'NULL') || ' ' || coalesce((v).ci_upper::text, 'NULL')
             FROM dsr_ser WHERE area = -1), '0 NULL NULL', 'dsr_agg for the zero-count area -1: dsr 0, NULL limits');

-- ---------------------------------------------------------------------------------------
-- Forced parallel plans on the committed fixture: a Partial Aggregate with workers launched,
-- and the same answer as the serial plan.  rate_agg is exact numeric then the same double
-- arithmetic, so parallel and serial results are compared as text.  dsr_agg sums doubles,
-- which in a different order (per worker, then combined) may differ in the last bits: it is
-- compared within 1e-9 relative, field by field.  Each parallel answer is also compared with
-- the references above, so that a fault common to both plans cannot pass.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;

CREATE TEMP TABLE plans (k text PRIMARY KEY, plan text);
INSERT INTO plans SELECT 'rate_total_par', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE rate_total_par AS SELECT finmon.rate_agg(count, population) AS v FROM finmon_tap_rates.bands') l;
INSERT INTO plans SELECT 'rate_grp_par', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE rate_grp_par AS SELECT area, finmon.rate_agg(count, population) AS v FROM finmon_tap_rates.bands GROUP BY area') l;
INSERT INTO plans SELECT 'ratem_total_par', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE ratem_total_par AS SELECT finmon.rate_agg(count, population, mult) AS v FROM finmon_tap_rates.bands') l;
INSERT INTO plans SELECT 'dsr_total_par', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE dsr_total_par AS SELECT finmon.dsr_agg(count, population, std) AS v FROM finmon_tap_rates.bands') l;
INSERT INTO plans SELECT 'dsr_grp_par', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE dsr_grp_par AS SELECT area, finmon.dsr_agg(count, population, std) AS v FROM finmon_tap_rates.bands GROUP BY area') l;

SET LOCAL max_parallel_workers_per_gather = 0;
INSERT INTO plans SELECT 'rate_total_ser', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE rate_total_ser AS SELECT finmon.rate_agg(count, population) AS v FROM finmon_tap_rates.bands') l;
INSERT INTO plans SELECT 'rate_grp_ser', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE rate_grp_ser AS SELECT area, finmon.rate_agg(count, population) AS v FROM finmon_tap_rates.bands GROUP BY area') l;
INSERT INTO plans SELECT 'ratem_total_ser', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE ratem_total_ser AS SELECT finmon.rate_agg(count, population, mult) AS v FROM finmon_tap_rates.bands') l;
INSERT INTO plans SELECT 'dsr_total_ser', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE dsr_total_ser AS SELECT finmon.dsr_agg(count, population, std) AS v FROM finmon_tap_rates.bands') l;
INSERT INTO plans SELECT 'dsr_grp_ser', string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
    'CREATE TEMP TABLE dsr_grp_ser AS SELECT area, finmon.dsr_agg(count, population, std) AS v FROM finmon_tap_rates.bands GROUP BY area') l;

SELECT matches((SELECT plan FROM plans WHERE k = p), 'Partial Aggregate', format('forced-parallel plan %s has a Partial Aggregate', p))
  FROM unnest('{rate_total_par, ratem_total_par, dsr_total_par}'::text[]) p;
SELECT matches((SELECT plan FROM plans WHERE k = p), 'Partial (Hash|Group|Mixed)?Aggregate',
               format('forced-parallel plan %s has a partial aggregate', p))
  FROM unnest('{rate_grp_par, dsr_grp_par}'::text[]) p;
SELECT matches((SELECT plan FROM plans WHERE k = p), 'Workers Launched: [1-9]', format('forced-parallel plan %s launched workers', p))
  FROM unnest('{rate_total_par, rate_grp_par, ratem_total_par, dsr_total_par, dsr_grp_par}'::text[]) p;
SELECT doesnt_match((SELECT string_agg(plan, E'\n') FROM plans WHERE k LIKE '%\_ser'), 'Gather|Partial',
                    'the serial plans really are serial');

SELECT finmon_tap_rates.check_eq($$SELECT v::text FROM rate_total_par$$, $$SELECT v::text FROM rate_total_ser$$,
                                 'parallel rate_agg = serial rate_agg as text (whole table)');
SELECT finmon_tap_rates.check_eq($$SELECT v::text FROM ratem_total_par$$, $$SELECT v::text FROM ratem_total_ser$$,
                                 'parallel rate_agg(c, p, 1000) = serial as text (whole table)');
SELECT finmon_tap_rates.check_rates($$SELECT 0, v FROM ratem_total_par$$,
    finmon_tap_rates.rref_q('SELECT 0 AS g, count AS c, population AS p FROM finmon_tap_rates.bands', ', m'),
    'parallel rate_agg(c, p, 1000) = the reference for the sums per 1000 (whole table)');
SELECT finmon_tap_rates.check_eq($$SELECT area, v::text FROM rate_grp_par ORDER BY area$$,
                                 $$SELECT area, v::text FROM rate_grp_ser ORDER BY area$$,
                                 'parallel rate_agg = serial rate_agg as text, every area');
SELECT finmon_tap_rates.check_rates(
    $$SELECT area, v FROM rate_grp_par$$,
    finmon_tap_rates.rref_q('SELECT area AS g, count AS c, population AS p FROM finmon_tap_rates.bands', ''),
    'parallel rate_agg = the reference for the sums, every area');
SELECT finmon_tap_rates.check_rates($$SELECT 0, v FROM rate_total_par$$,
    finmon_tap_rates.rref_q('SELECT 0 AS g, count AS c, population AS p FROM finmon_tap_rates.bands', ''),
    'parallel rate_agg = the reference for the sums (whole table)');
SELECT finmon_tap_rates.check_is($$SELECT count(*) FROM rate_grp_par$$, '5302', 'the parallel rate_agg GROUP BY gave all 5302 areas');

SELECT ok((SELECT finmon_tap_rates.near((p.v).count, (s.v).count) AND finmon_tap_rates.near((p.v).population, (s.v).population)
              AND finmon_tap_rates.near((p.v).dsr, (s.v).dsr) AND finmon_tap_rates.near((p.v).ci_lower, (s.v).ci_lower)
              AND finmon_tap_rates.near((p.v).ci_upper, (s.v).ci_upper)
             FROM dsr_total_par p, dsr_total_ser s),
          'parallel dsr_agg = serial dsr_agg within 1e-9 relative (whole table)');
SELECT ok((SELECT finmon_tap_rates.dsr_near(t.v, q.o, q.n, q.d, q.lo, q.up, q.k) FROM dsr_total_par t, dsr_sql q WHERE q.area IS NULL),
          'parallel dsr_agg = Dobson in SQL within 1e-9 relative (whole table)');
SELECT ok((SELECT finmon_tap_rates.dsr_near(t.v, q.o, q.n, q.d, q.lo, q.up, q.k) FROM dsr_total_ser t, dsr_sql q WHERE q.area IS NULL),
          'serial dsr_agg = Dobson in SQL within 1e-9 relative (whole table)');
SELECT is((SELECT count(*) FROM dsr_grp_par), 5302::bigint, 'the parallel dsr_agg GROUP BY gave all 5302 areas');
SELECT is((SELECT count(*) FROM dsr_grp_par p FULL JOIN dsr_grp_ser s USING (area)
            WHERE NOT coalesce(CASE WHEN p.v::text IS NULL OR s.v::text IS NULL THEN p.v::text IS NULL AND s.v::text IS NULL
                                    ELSE finmon_tap_rates.near((p.v).count, (s.v).count) AND finmon_tap_rates.near((p.v).population, (s.v).population)
                                         AND finmon_tap_rates.near((p.v).dsr, (s.v).dsr)
                                         AND finmon_tap_rates.near((p.v).ci_lower, (s.v).ci_lower)
                                         AND finmon_tap_rates.near((p.v).ci_upper, (s.v).ci_upper) END, false)),
          0::bigint, 'parallel dsr_agg = serial dsr_agg within 1e-9 relative, every area');
SELECT is((SELECT count(*) FROM dsr_grp_par p FULL JOIN (SELECT * FROM dsr_sql WHERE area IS NOT NULL) q USING (area)
            WHERE NOT finmon_tap_rates.dsr_near(p.v, q.o, q.n, q.d, q.lo, q.up, q.k)),
          0::bigint, 'parallel dsr_agg GROUP BY area = Dobson in SQL within 1e-9, every area');

-- Two multipliers met in a parallel plan (whichever worker or the combine step meets them): 22023.
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT matches((SELECT string_agg(l, E'\n') FROM finmon_tap_rates.explain_lines(
                   'SELECT finmon.rate_agg(count, population, mixmult) FROM finmon_tap_rates.bands', false) l),
               'Partial Aggregate', 'forced-parallel rate_agg with two multipliers in the table plans a Partial Aggregate');
SELECT throws_ok($$SELECT finmon.rate_agg(count, population, mixmult) FROM finmon_tap_rates.bands$$, '22023', NULL,
                 'forced-parallel rate_agg with two multipliers in the table raises 22023');

-- Moving windows keep sum()'s display scale: when the only value with the largest scale
-- leaves the frame, the inverse asks for a recompute (0.5 leaving 10 and 5 gives 15, not 15.0).
SELECT is((SELECT string_agg(w.n::text, ',' ORDER BY w.i) FROM (
               SELECT i, (finmon.rate_agg(c, p) OVER f).count AS n
                 FROM (VALUES (1, 0.5, 1000::numeric), (2, 10, 1000), (3, 5, 1000)) AS v(i, c, p)
               WINDOW f AS (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) w),
          (SELECT string_agg(w.n::text, ',' ORDER BY w.i) FROM (
               SELECT i, sum(c) OVER f AS n
                 FROM (VALUES (1, 0.5, 1000::numeric), (2, 10, 1000), (3, 5, 1000)) AS v(i, c, p)
               WINDOW f AS (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) w),
          'a moving rate_agg count has sum()''s scale after a larger-scale value leaves');
SELECT is((SELECT string_agg(round(w.r, 4)::text, ',' ORDER BY w.i) FROM (
               SELECT i, (finmon.rate_agg(c, p, m) OVER f).rate AS r
                 FROM (VALUES (1, 5, 1000, 1000), (2, 7, 2000, 100000), (3, 9, 4000, 100000)) AS v(i, c, p, m)
               WINDOW f AS (ORDER BY i ROWS BETWEEN CURRENT ROW AND CURRENT ROW)) w),
          '5.0000,350.0000,225.0000',
          'a one-row moving frame takes each row''s own multiplier: an emptied frame forgets the last one');
-- Found by scripts/test-fuzz: a confidence whose tail rounds to 0 in double precision, and a
-- proportion above its denominator given to the report's internal function.
SELECT throws_ok($$SELECT finmon.rate_ci(100, 1, 0.9999999999999999, 1)$$, '22023',
                 'confidence 0.99999999999999989 is too close to 1', 'rate_ci: a confidence too close to 1: 22023');
SELECT throws_ok($$SELECT finmon.proportion_ci(5, 10, 0.9999999999999999)$$, '22023', NULL,
                 'proportion_ci: a confidence too close to 1: 22023');
SELECT ok((finmon.rate_ci(5, 1, 0.9999999999, 1)).upper > 0, 'a confidence of 0.9999999999 still works');
SELECT throws_ok($$SELECT finmon.measure_figures(20, 10, true, 100)$$, '22023',
                 'numerator 20 is greater than denominator 10', 'measure_figures: a proportion above its denominator: 22023');

SELECT * FROM finish();
ROLLBACK;
DROP SCHEMA finmon_tap_rates CASCADE;
