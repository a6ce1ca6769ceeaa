-- rate, rate_ci, proportion_ci, measure_figures.
-- A part of finmon's fuzz test (scripts/test-fuzz runs them all).  Runs alone in an empty
-- database (psql -X -v ON_ERROR_STOP=1 -f test/fuzz/rates.sql) and reports its own checks.
\ir setup.sql
SELECT setseed(0.55);

-- Counts, populations, multipliers and confidence levels of every kind; for proportions a
-- denominator n >= the numerator c.  Rates that would leave double precision's range are
-- left out here (they are checked as errors or infinities below).
CREATE TABLE fuzz.rin AS
SELECT c, p, m, conf, n FROM (
    SELECT fuzz.count_value(k1, r1, s1) AS c, fuzz.population(k2, r2, s2) AS p, fuzz.multiplier(s3) AS m,
           fuzz.confidence(r3) AS conf,
           fuzz.count_value(k1, r1, s1) + CASE WHEN k3 % 3 = 0 THEN 0 ELSE coalesce(fuzz.count_value(k3, r3, s2), 1) END AS n
      FROM (SELECT floor(random() * 16)::int AS k1, random() AS r1, random() AS s1,
                   floor(random() * 10)::int AS k2, random() AS r2, random() AS s2,
                   floor(random() * 16)::int AS k3, random() AS r3, random() AS s3
              FROM generate_series(1, 30000) OFFSET 0) g) x
 WHERE c IS NULL OR c = 0 OR c * m / p BETWEEN 1e-250 AND 1e250 AND c * 100000 / p BETWEEN 1e-250 AND 1e250;
SELECT fuzz.fill_exact('SELECT c::float8 AS x, conf FROM fuzz.rin UNION SELECT c::float8, 0.95 FROM fuzz.rin');

SELECT fuzz.check('rate', 'counts, populations, multipliers of every kind', $q$
SELECT 2 AS calls, got::text IS NOT DISTINCT FROM (c * m / p)::text AND got_default::text IS NOT DISTINCT FROM (c * 100000 / p)::text AS ok,
       format('rate(%s, %s, %s) = %s; rate(%s, %s) = %s', c, p, m, got, c, p, got_default) AS detail
  FROM (SELECT c, p, m, finmon.rate(c, p, m) AS got, finmon.rate(c, p) AS got_default FROM fuzz.rin) x $q$);

-- Limits: exact Poisson below a count of 10, Byar's from 10; / population * multiplier.  A
-- lower limit below 1e-12 of the upper one is compared absolutely (the code's bisection stops
-- 2^-200 below its bracket: for a count of 0.1 at 99.99999% it gives 1.6e-63 for 3e-76).
SELECT fuzz.check('rate_ci', 'counts, populations, multipliers, confidence levels', $q$
SELECT 3 AS calls,
       CASE WHEN c IS NULL THEN got::text IS NULL AND got_default::text IS NULL
            ELSE fuzz.close((got).lower, lo / pf * mf, 1e-12 * hi / pf * mf) AND fuzz.close((got).upper, hi / pf * mf)
             AND fuzz.close((got3).lower, lo / pf * 100000, 1e-12 * hi / pf * 100000) AND fuzz.close((got3).upper, hi / pf * 100000)
             AND fuzz.close((got_default).lower, lo95 / pf * 100000, 1e-12 * hi95 / pf * 100000)
             AND fuzz.close((got_default).upper, hi95 / pf * 100000) END AS ok,
       format('rate_ci(%s, %s, %s, %s) = %s, expected (%s,%s); (%s, %s, %s) = %s; default %s, expected (%s,%s)', c, p, conf, m, got,
              lo / pf * mf, hi / pf * mf, c, p, conf, got3, got_default, lo95 / pf * 100000, hi95 / pf * 100000) AS detail
  FROM (SELECT c, p, m, r.conf, p::float8 AS pf, m::float8 AS mf,
               finmon.rate_ci(c, p, r.conf, m) AS got, finmon.rate_ci(c, p, r.conf) AS got3, finmon.rate_ci(c, p) AS got_default,
               CASE WHEN c::float8 < 10 THEN e.lo ELSE fuzz.byars_lo(c::float8, z.z) END AS lo,
               CASE WHEN c::float8 < 10 THEN e.hi ELSE fuzz.byars_hi(c::float8, z.z) END AS hi,
               CASE WHEN c::float8 < 10 THEN e95.lo ELSE fuzz.byars_lo(c::float8, z95.z) END AS lo95,
               CASE WHEN c::float8 < 10 THEN e95.hi ELSE fuzz.byars_hi(c::float8, z95.z) END AS hi95
          FROM fuzz.rin r JOIN fuzz.z z ON z.conf = r.conf JOIN fuzz.z z95 ON z95.conf = 0.95
          LEFT JOIN fuzz.exact e ON e.x = c::float8 AND e.conf = r.conf
          LEFT JOIN fuzz.exact e95 ON e95.x = c::float8 AND e95.conf = 0.95 OFFSET 0) x $q$);

-- Wilson's interval of c of n; the lower limit is compared relative to the upper one.
SELECT fuzz.check('proportion_ci', 'numerators, denominators >= them, confidence levels', $q$
SELECT 2 AS calls,
       CASE WHEN c IS NULL THEN got::text IS NULL AND got_default::text IS NULL
            ELSE fuzz.close((got).lower, fuzz.wilson_lo(cf, nf, z), fuzz.wilson_hi(cf, nf, z))
             AND fuzz.close((got).upper, fuzz.wilson_hi(cf, nf, z))
             AND fuzz.close((got_default).lower, fuzz.wilson_lo(cf, nf, z95), fuzz.wilson_hi(cf, nf, z95))
             AND fuzz.close((got_default).upper, fuzz.wilson_hi(cf, nf, z95)) END AS ok,
       format('proportion_ci(%s, %s, %s) = %s, expected (%s,%s); default %s', c, n, conf, got,
              fuzz.wilson_lo(cf, nf, z), fuzz.wilson_hi(cf, nf, z), got_default) AS detail
  FROM (SELECT c, n, r.conf, c::float8 AS cf, n::float8 AS nf, z.z, z95.z AS z95,
               finmon.proportion_ci(c, n, r.conf) AS got, finmon.proportion_ci(c, n) AS got_default
          FROM fuzz.rin r JOIN fuzz.z z ON z.conf = r.conf JOIN fuzz.z z95 ON z95.conf = 0.95
         WHERE n > 0 OR c IS NULL OFFSET 0) x $q$);

-- measure_figures: the value c * m / n exactly; rate_ci's 95% limits, or proportion_ci's times m
-- (numerator <= denominator, as finmon_data.activity guarantees); NULL for a zero denominator.
SELECT fuzz.check('measure_figures', 'rates and proportions, zero denominators', $q$
SELECT 2 AS calls,
       CASE WHEN c IS NULL OR n = 0 THEN got_rate::text IS NULL AND got_prop::text IS NULL
            ELSE (got_rate).value::text = (c * m / n)::text AND (got_prop).value::text = (c * m / n)::text
             AND fuzz.close((got_rate).ci_lower, lo95 / nf * mf) AND fuzz.close((got_rate).ci_upper, hi95 / nf * mf)
             AND fuzz.close((got_prop).ci_lower, fuzz.wilson_lo(cf, nf, z95) * mf, fuzz.wilson_hi(cf, nf, z95) * mf)
             AND fuzz.close((got_prop).ci_upper, fuzz.wilson_hi(cf, nf, z95) * mf) END AS ok,
       format('measure_figures(%s, %s, false/true, %s) = %s / %s', c, n, m, left(got_rate::text, 200), left(got_prop::text, 200)) AS detail
  FROM (SELECT c, n, m, c::float8 AS cf, n::float8 AS nf, m::float8 AS mf, z95.z AS z95,
               finmon.measure_figures(c, n, false, m) AS got_rate, finmon.measure_figures(c, n, true, m) AS got_prop,
               CASE WHEN c::float8 < 10 THEN e95.lo ELSE fuzz.byars_lo(c::float8, z95.z) END AS lo95,
               CASE WHEN c::float8 < 10 THEN e95.hi ELSE fuzz.byars_hi(c::float8, z95.z) END AS hi95
          FROM fuzz.rin r JOIN fuzz.z z95 ON z95.conf = 0.95
          LEFT JOIN fuzz.exact e95 ON e95.x = c::float8 AND e95.conf = 0.95
         WHERE c IS NULL OR n = 0 OR c * m / n BETWEEN 1e-250 AND 1e250 OFFSET 0) x $q$);

-- Errors.  Each argument is valid half the time, else negative, zero, NaN, infinite or out of
-- double precision's range; the confidence level is outside (0, 1) now and then.  Expected, in
-- the order the code checks: confidence 22023; count or numerator negative or not finite
-- 22023; population, denominator or multiplier negative or not finite 22023, zero 22012; a
-- numerator above its denominator 22023; then a value beyond double precision 22003.
CREATE TABLE fuzz.rbad_in AS
SELECT CASE WHEN w1 < 0.5 THEN fuzz.count_value(1 + k % 15, r, s)
            ELSE (ARRAY[-1, -0.001, -1e-1000, 'NaN', 'Infinity', '-Infinity', 1e400, -1e400, 0, 5]::numeric[])[1 + floor(s * 10)::int] END AS c,
       CASE WHEN w2 < 0.5 THEN fuzz.population(k, s, r)
            ELSE (ARRAY[0, 0.000, -1, -1e-1000, 'NaN', 'Infinity', '-Infinity', 1e-400, 1e400, 1]::numeric[])[1 + floor(r * 10)::int] END AS p,
       CASE WHEN w3 < 0.7 THEN fuzz.multiplier(r)
            ELSE (ARRAY[0, -100, 'NaN', 'Infinity', '-Infinity', 1e400, 1e-400, 0.00]::numeric[])[1 + floor(s * 8)::int] END AS m,
       CASE WHEN w4 < 0.8 THEN fuzz.confidence(s)
            ELSE (ARRAY[0, 1, -0.1, 1.1, 'NaN', 'Infinity', '-Infinity', 1e-320, 0.999999999999]::float8[])[1 + floor(r * 9)::int] END AS conf
  FROM (SELECT floor(random() * 16)::int AS k, random() AS r, random() AS s,
               random() AS w1, random() AS w2, random() AS w3, random() AS w4
          FROM generate_series(1, 8000) OFFSET 0) g;

CREATE FUNCTION fuzz.e_rates(f text, c numeric, p numeric, m numeric, conf float8) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE f
        WHEN 'rate' THEN PERFORM finmon.rate(c, p, m);
        WHEN 'rate_ci' THEN PERFORM finmon.rate_ci(c, p, conf, m);
        WHEN 'proportion_ci' THEN PERFORM finmon.proportion_ci(c, p, conf);
        WHEN 'measure_figures' THEN PERFORM finmon.measure_figures(c, p, c <= p, m);
    END CASE;
    RETURN '00000';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

SELECT fuzz.check(f, 'bad counts, populations, multipliers, confidence levels', format($q$
SELECT 1 AS calls, got = expected AS ok, format('%%s(%%s, %%s, %%s, %%s): %%s, expected %%s', %1$L, c, p, m, conf, got, expected) AS detail
  FROM (SELECT c, p, m, conf, fuzz.e_rates(%1$L, c, p, m, conf) AS got,
               CASE WHEN c IS NULL OR p IS NULL OR m IS NULL OR conf IS NULL THEN '00000'
                    ELSE coalesce(CASE %1$L
                        WHEN 'rate' THEN coalesce(fuzz.nonneg_state(c), fuzz.positive_state(p), fuzz.positive_state(m))
                        WHEN 'rate_ci' THEN coalesce(fuzz.confidence_state(conf), fuzz.nonneg_state(c), fuzz.positive_state(p),
                                                     fuzz.positive_state(m), fuzz.double_state(p), fuzz.double_state(m), fuzz.double_state(c))
                        WHEN 'proportion_ci' THEN coalesce(fuzz.confidence_state(conf), fuzz.nonneg_state(c), fuzz.positive_state(p),
                                                           CASE WHEN c > p THEN '22023' END, fuzz.double_state(c), fuzz.double_state(p))
                        WHEN 'measure_figures' THEN coalesce(fuzz.nonneg_state(c), fuzz.nonneg_state(p), fuzz.positive_state(m),
                                                             CASE WHEN p = 0 THEN '00000' END,
                                                             fuzz.double_state(c), fuzz.double_state(p), fuzz.double_state(m)) END,
                        '00000') END AS expected
          FROM fuzz.rbad_in) x $q$, f))
  FROM unnest(ARRAY['rate', 'rate_ci', 'proportion_ci', 'measure_figures']) f;

-- Alone, the part reports its own functions' checks (part_end.sql).
\set part_functions 'rate rate_ci proportion_ci measure_figures'
\ir part_end.sql
