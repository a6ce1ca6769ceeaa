-- variance, variance_pct, variance_direction; savings_shortfall, savings_rag.
-- A part of finmon's fuzz test (scripts/test-fuzz runs them all).  Runs alone in an empty
-- database (psql -X -v ON_ERROR_STOP=1 -f test/fuzz/variance.sql) and reports its own checks.
\ir setup.sql
SELECT setseed(0.22);

-- Pairs of amounts (each kind against each), with a tolerance and a red_below share; and
-- every pair of the edge values.
CREATE TABLE fuzz.pairs AS
SELECT fuzz.amount(k1, r1, s1) AS a, fuzz.amount(k2, r2, s2) AS b,
       abs(fuzz.amount(k3, r3, s3)) AS tol,
       CASE WHEN k3 % 5 = 0 THEN (ARRAY[0, 1, 0.5, 0.50, 1.000, 0.0, 0.999999999999999999999, 1e-1000])[1 + floor(s3 * 8)::int]
            WHEN k3 % 5 = 1 THEN round(r3::numeric, floor(s3 * 1001)::int)
            ELSE round(r3::numeric, 1 + floor(s3 * 4)::int) END AS red_below
  FROM (SELECT floor(random() * 22)::int AS k1, random() AS r1, random() AS s1,
               floor(random() * 22)::int AS k2, random() AS r2, random() AS s2,
               floor(random() * 22)::int AS k3, random() AS r3, random() AS s3
          FROM generate_series(1, 60000) OFFSET 0) g
UNION ALL
SELECT fuzz.amount(15, 0, i / 31.0), fuzz.amount(15, 0, j / 31.0), abs(fuzz.amount(15, 0, (i + j) % 31 / 31.0)), 0.5
  FROM generate_series(0, 30) i, generate_series(0, 30) j
UNION ALL
SELECT fuzz.amount(i, 0.75, 0.3), fuzz.amount(j, 0.25, 0.6), abs(fuzz.amount(j, 0.6, 0.3)), 0.25
  FROM generate_series(0, 21) i, generate_series(0, 21) j;
-- Boundaries: a variance of exactly +-tolerance, a forecast of exactly red_below * target or
-- exactly the target.
INSERT INTO fuzz.pairs
SELECT a, CASE j WHEN 0 THEN a + tol WHEN 1 THEN a - tol WHEN 2 THEN red_below * a ELSE a END, tol, red_below
  FROM (SELECT * FROM fuzz.pairs WHERE a IS NOT NULL AND tol IS NOT NULL AND red_below IS NOT NULL LIMIT 4000) p,
       generate_series(0, 3) j;

SELECT fuzz.check('variance', 'amounts of every kind', $q$
SELECT 1 AS calls, got::text IS NOT DISTINCT FROM (b - a)::text AS ok,
       format('variance(%s, %s) = %s', a, b, got) AS detail
  FROM (SELECT a, b, finmon.variance(a, b) AS got FROM fuzz.pairs) x $q$);
SELECT fuzz.check('variance_pct', 'amounts of every kind', $q$
SELECT 1 AS calls, got::text IS NOT DISTINCT FROM (CASE WHEN a = 0 THEN NULL ELSE (b - a) / a * 100 END)::text AS ok,
       format('variance_pct(%s, %s) = %s', a, b, got) AS detail
  FROM (SELECT a, b, finmon.variance_pct(a, b) AS got FROM fuzz.pairs) x $q$);
SELECT fuzz.check('variance_direction', 'amounts of every kind, tolerances >= 0', $q$
SELECT 2 AS calls,
       got IS NOT DISTINCT FROM CASE WHEN a IS NULL OR b IS NULL OR tol IS NULL THEN NULL WHEN b - a > tol THEN 'adverse' WHEN a - b > tol THEN 'favourable' ELSE 'on budget' END
       AND got0 IS NOT DISTINCT FROM CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN b - a > 0 THEN 'adverse' WHEN a - b > 0 THEN 'favourable' ELSE 'on budget' END AS ok,
       format('variance_direction(%s, %s, %s) = %s; with tolerance 0 %s', a, b, tol, got, got0) AS detail
  FROM (SELECT a, b, tol, finmon.variance_direction(a, b, tol) AS got, finmon.variance_direction(a, b) AS got0 FROM fuzz.pairs) x $q$);
SELECT fuzz.check('savings_shortfall', 'amounts of every kind', $q$
SELECT 1 AS calls, got::text IS NOT DISTINCT FROM (b - a)::text AS ok,
       format('savings_shortfall(%s, %s) = %s', a, b, got) AS detail
  FROM (SELECT a, b, finmon.savings_shortfall(a, b) AS got FROM fuzz.pairs) x $q$);
SELECT fuzz.check('savings_rag', 'amounts of every kind, red_below 0..1', $q$
SELECT 2 AS calls,
       got IS NOT DISTINCT FROM CASE WHEN a IS NULL OR b IS NULL OR red_below IS NULL THEN NULL WHEN b - a <= 0 THEN 'Green' WHEN a >= 0 THEN 'Red' WHEN b > red_below * a THEN 'Red' ELSE 'Amber' END
       AND got5 IS NOT DISTINCT FROM CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN b - a <= 0 THEN 'Green' WHEN a >= 0 THEN 'Red' WHEN b > 0.5 * a THEN 'Red' ELSE 'Amber' END AS ok,
       format('savings_rag(%s, %s, %s) = %s; with 0.5 %s', a, b, red_below, got, got5) AS detail
  FROM (SELECT a, b, red_below, finmon.savings_rag(a, b, red_below) AS got, finmon.savings_rag(a, b) AS got5 FROM fuzz.pairs) x $q$);

-- Errors: NaN and +-Infinity anywhere, a negative tolerance, red_below outside 0..1: 22023.
CREATE TABLE fuzz.bad_pairs AS
SELECT CASE WHEN w IN (0, 2) THEN fuzz.special(r1) ELSE fuzz.amount(k1, r1, s1) END AS a,
       CASE WHEN w IN (1, 2) THEN fuzz.special(r2) ELSE fuzz.amount(k2, r2, s2) END AS b,
       CASE WHEN w = 3 THEN -abs(fuzz.amount(3 + k1 % 19, r2, s1)) - ('1e-' || floor(1 + s2 * 999))::numeric
            WHEN w = 4 THEN fuzz.special(s2) ELSE 0 END AS tol,
       CASE WHEN w = 3 THEN 1 + ('1e-' || floor(1 + s2 * 999))::numeric + floor(r1 * 3)::int
            WHEN w = 4 THEN (ARRAY['NaN', 'Infinity', '-Infinity', '-0.1', '-1e-1000']::numeric[])[1 + floor(s1 * 5)::int]
            ELSE 0.5 END AS red_below
  FROM (SELECT floor(random() * 5)::int AS w,
               1 + floor(random() * 21)::int AS k1, random() AS r1, random() AS s1,
               1 + floor(random() * 21)::int AS k2, random() AS r2, random() AS s2
          FROM generate_series(1, 6000) OFFSET 0) g;

CREATE FUNCTION fuzz.e_amounts(f text, a numeric, b numeric, x numeric) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE f
        WHEN 'variance' THEN PERFORM finmon.variance(a, b);
        WHEN 'variance_pct' THEN PERFORM finmon.variance_pct(a, b);
        WHEN 'variance_direction' THEN PERFORM finmon.variance_direction(a, b, x);
        WHEN 'savings_shortfall' THEN PERFORM finmon.savings_shortfall(a, b);
        WHEN 'savings_rag' THEN PERFORM finmon.savings_rag(a, b, x);
    END CASE;
    RETURN '00000';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

SELECT fuzz.check(f, 'NaN, infinities, bad tolerance or red_below: 22023', format($q$
SELECT 1 AS calls, got = expected AS ok, format('%%s(%%s, %%s, %%s): %%s, expected %%s', %L, a, b, x, got, expected) AS detail
  FROM (SELECT a, b, x, fuzz.e_amounts(%L, a, b, x) AS got,
               CASE WHEN a IS NULL OR b IS NULL OR x IS NULL THEN '00000'
                    WHEN a IN ('NaN', 'Infinity', '-Infinity') OR b IN ('NaN', 'Infinity', '-Infinity') THEN '22023'
                    WHEN %L = 'variance_direction' AND (x IN ('NaN', 'Infinity', '-Infinity') OR x < 0) THEN '22023'
                    WHEN %L = 'savings_rag' AND (x IN ('NaN', 'Infinity', '-Infinity') OR x < 0 OR x > 1) THEN '22023'
                    ELSE '00000' END AS expected
          FROM (SELECT a, b, CASE %L WHEN 'variance_direction' THEN tol ELSE red_below END AS x FROM fuzz.bad_pairs) p) x $q$,
    f, f, f, f, f))
  FROM unnest(ARRAY['variance', 'variance_pct', 'variance_direction', 'savings_shortfall', 'savings_rag']) f;
SELECT fuzz.check(f, 'NULL arguments', format($q$
SELECT 1 AS calls, %s IS NULL AS ok, %L AS detail $q$, c, c))
  FROM (VALUES ('variance', 'finmon.variance(NULL, 1)'), ('variance', 'finmon.variance(1, NULL)'),
               ('variance_pct', 'finmon.variance_pct(NULL, 1)'), ('variance_pct', 'finmon.variance_pct(1, NULL)'),
               ('variance_pct', 'finmon.variance_pct(0, 1)'), ('variance_pct', 'finmon.variance_pct(0.000, 0)'),
               ('variance_direction', 'finmon.variance_direction(1, 2, NULL)'),
               ('savings_shortfall', 'finmon.savings_shortfall(NULL, 1)'),
               ('savings_rag', 'finmon.savings_rag(-1, 0, NULL)'), ('savings_rag', 'finmon.savings_rag(NULL, 0)')) v(f, c);

-- Alone, the part reports its own functions' checks (part_end.sql).
\set part_functions 'variance variance_pct variance_direction savings_shortfall savings_rag'
\ir part_end.sql
