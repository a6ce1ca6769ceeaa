-- rate_agg (2 and 3 arguments; grouped and in moving windows) and dsr_agg.
-- A part of finmon's fuzz test (scripts/test-fuzz runs them all).  Runs alone in an empty
-- database (psql -X -v ON_ERROR_STOP=1 -f test/fuzz/rate_agg.sql) and reports its own checks.
\ir setup.sql
SELECT setseed(0.66);

-- Counts for the aggregates: whole numbers and quarters at many scales, so that every total
-- below 10 is a quarter (their exact limits are computed once, below), and large ones.
CREATE FUNCTION fuzz.agg_count(k int, r float8, s float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 13
    WHEN 0 THEN NULL
    WHEN 1 THEN floor(r * 10)::numeric
    WHEN 2 THEN round(floor(r * 10)::numeric, floor(s * 6)::int)
    WHEN 3 THEN floor(r * 40)::numeric / 4
    WHEN 4 THEN 10 + floor(r * 90)::numeric
    WHEN 5 THEN floor(r * 1e4)::numeric
    WHEN 6 THEN floor(r * 1e6)::numeric
    WHEN 7 THEN round(floor(r * 1e3)::numeric, floor(s * 1001)::int)
    WHEN 8 THEN 0::numeric
    WHEN 9 THEN round(0::numeric, floor(s * 1001)::int)
    WHEN 10 THEN floor(r * 1e12)::numeric
    WHEN 11 THEN floor(r * 1e15)::numeric
    ELSE round(floor(r * 4)::numeric / 4, floor(s * 3)::int + 2)
END $$;

-- Grouped: groups of skewed sizes, each with its own multiplier; populations of every kind,
-- 0 now and then; a NULL in any column now and then (the row is ignored).
CREATE TABLE fuzz.ragg AS
SELECT g, i, fuzz.agg_count(k1, r1, s1) AS c,
       CASE WHEN k2 % 29 = 0 THEN NULL WHEN k2 % 31 = 1 THEN 0::numeric ELSE fuzz.population(k2, r2, s2) END AS p,
       CASE WHEN k1 % 41 = 0 THEN NULL ELSE fuzz.multiplier((g % 10) / 10.0) END AS m
  FROM (SELECT floor(random() ^ 3 * 3000)::int AS g, i,
               floor(random() * 1000)::int AS k1, random() AS r1, random() AS s1,
               floor(random() * 1000)::int AS k2, random() AS r2, random() AS s2
          FROM generate_series(1, 60000) i OFFSET 0) x;
INSERT INTO fuzz.ragg SELECT 10000 + i % 30, i, CASE WHEN i % 2 = 0 THEN 5 END, CASE WHEN i % 2 = 1 THEN 7 END, 1000
  FROM generate_series(1, 300) i;
ANALYZE fuzz.ragg;

-- rate_agg's result: summed count and population (sum() as text), the rate exactly, and the
-- 95% limits of the summed count / population * multiplier.
CREATE FUNCTION fuzz.rate_agg_ok(a finmon.rate_summary, sc numeric, sp numeric, m numeric) RETURNS boolean
    LANGUAGE sql AS $$
SELECT CASE WHEN sc IS NULL THEN a::text IS NULL
            ELSE (a).count::text = sc::text AND (a).population::text = sp::text AND (a).rate::text = (sc * m / sp)::text
             AND fuzz.close((a).ci_lower, l.lo / sp::float8 * m::float8, 1e-12 * l.hi / sp::float8 * m::float8)
             AND fuzz.close((a).ci_upper, l.hi / sp::float8 * m::float8) END
  FROM (SELECT CASE WHEN sc::float8 < 10 THEN e.lo ELSE fuzz.byars_lo(sc::float8, z.z) END AS lo,
               CASE WHEN sc::float8 < 10 THEN e.hi ELSE fuzz.byars_hi(sc::float8, z.z) END AS hi
          FROM fuzz.z LEFT JOIN fuzz.exact e ON e.x = sc::float8 AND e.conf = 0.95 WHERE z.conf = 0.95) l $$;

SELECT fuzz.check('rate_agg', 'GROUP BY (count, population), empty (FILTER) and all-NULL groups', $q$
SELECT n AS calls, fuzz.rate_agg_ok(a, sc, sp, 100000) AS ok,
       format('group %s: %s; sums %s, %s', g, left(a::text, 300), left(sc::text, 100), left(sp::text, 100)) AS detail
  FROM (SELECT g, count(*) AS n, finmon.rate_agg(c, p) FILTER (WHERE keep) AS a,
               sum(c) FILTER (WHERE keep AND p IS NOT NULL) AS sc, sum(p) FILTER (WHERE keep AND c IS NOT NULL) AS sp
          FROM (SELECT *, i % 10 <> 0 AND g % 19 <> 2 AS keep FROM fuzz.ragg) r
         WHERE g NOT IN (SELECT g FROM fuzz.ragg WHERE c IS NOT NULL GROUP BY g HAVING sum(p) = 0)
         GROUP BY g OFFSET 0) x $q$);
SELECT fuzz.check('rate_agg', 'GROUP BY (count, population, multiplier)', $q$
SELECT n AS calls, fuzz.rate_agg_ok(a, sc, sp, m) AS ok,
       format('group %s: %s; sums %s, %s, multiplier %s', g, left(a::text, 300), left(sc::text, 100), left(sp::text, 100), m) AS detail
  FROM (SELECT g, count(*) AS n, finmon.rate_agg(c, p, m) AS a, min(m) AS m,
               sum(c) FILTER (WHERE p IS NOT NULL AND m IS NOT NULL) AS sc, sum(p) FILTER (WHERE c IS NOT NULL AND m IS NOT NULL) AS sp
          FROM fuzz.ragg
         WHERE g NOT IN (SELECT g FROM fuzz.ragg WHERE c IS NOT NULL AND m IS NOT NULL GROUP BY g HAVING sum(p) = 0)
         GROUP BY g OFFSET 0) x $q$);
SELECT fuzz.check('rate_agg', 'no rows', $q$
SELECT 2 AS calls, a2::text IS NULL AND a3::text IS NULL AS ok, 'not NULL' AS detail
  FROM (SELECT finmon.rate_agg(c, p) AS a2, finmon.rate_agg(c, p, m) AS a3 FROM fuzz.ragg WHERE false) x $q$);

-- Moving windows (the rolling 12 months among them): partitions of 120 rows, populations > 0,
-- counts and populations at mixed scales, each partition with one multiplier.
CREATE TABLE fuzz.rwin AS
SELECT i / 120 AS g, i, fuzz.agg_count(k1, r1, s1) AS c,
       CASE WHEN k2 % 23 = 0 THEN NULL ELSE round(fuzz.population(k2, r2, s2), floor(s1 * 4)::int) + 1 END AS p,
       fuzz.multiplier((i / 120 % 10) / 10.0) AS m
  FROM (SELECT i, floor(random() * 1000)::int AS k1, random() AS r1, random() AS s1,
               floor(random() * 1000)::int AS k2, random() AS r2, random() AS s2
          FROM generate_series(0, 11999) i OFFSET 0) x;

SELECT fuzz.check('rate_agg', 'window ' || frame, format($q$
SELECT 2 AS calls, fuzz.rate_agg_ok(a2, sc, sp, 100000) AND fuzz.rate_agg_ok(a3, sc, sp, m) AS ok,
       format('row %%s: %%s / %%s; sums %%s, %%s', i, left(a2::text, 200), left(a3::text, 200), left(sc::text, 100), left(sp::text, 100)) AS detail
  FROM (SELECT i, m, finmon.rate_agg(c, p) OVER w AS a2, finmon.rate_agg(c, p, m) OVER w AS a3,
               sum(c) FILTER (WHERE p IS NOT NULL) OVER w AS sc, sum(p) FILTER (WHERE c IS NOT NULL) OVER w AS sp
          FROM fuzz.rwin WINDOW w AS (PARTITION BY g ORDER BY i %s) OFFSET 0) x $q$, frame))
  FROM unnest(ARRAY['ROWS BETWEEN 11 PRECEDING AND CURRENT ROW', 'ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING',
                    'ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING', 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
                    'ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING']) frame;

-- Errors: a negative or non-finite count or population 22023; populations summing to 0 22012;
-- a multiplier 0 22012, negative or not finite 22023; two multipliers 22023.  A bad value in a
-- row that has a NULL is ignored (no error).
CREATE TABLE fuzz.rbad AS
SELECT g, i, fault,
       CASE WHEN i = 1 AND fault IN (0, 7) THEN (ARRAY[-1, -0.5, 'NaN', 'Infinity', '-Infinity']::numeric[])[1 + g % 5]
            ELSE fuzz.agg_count(1 + (g * i) % 12, random(), random()) END AS c,
       CASE WHEN fault = 2 THEN 0
            WHEN i = 1 AND fault = 1 THEN (ARRAY[-1, -1e-1000, 'NaN', 'Infinity', '-Infinity']::numeric[])[1 + g % 5]
            WHEN i = 1 AND fault = 7 THEN NULL
            ELSE fuzz.population(g + i, random(), random()) END AS p,
       CASE WHEN fault = 3 AND i = 1 THEN (ARRAY[0, 0.000]::numeric[])[1 + g % 2]
            WHEN fault = 4 AND i = 1 THEN (ARRAY[-1, 'NaN', 'Infinity', '-Infinity']::numeric[])[1 + g % 4]
            WHEN fault = 5 AND i = 2 THEN 1000.001
            ELSE 1000 END AS m
  FROM (SELECT g, g % 8 AS fault, 1 + floor(random() * 20)::int AS n FROM generate_series(1, 400) g) gb,
       LATERAL generate_series(1, gb.n + 2) i;
SELECT fuzz.check('rate_agg', 'bad counts, populations, multipliers: 22023, 22012', $q$
SELECT n AS calls, got2 = expected2 AND got3 = expected3 AND (fault > 2 OR got_window = expected2) AS ok,
       format('group %s (fault %s): %s %s %s, expected %s %s', g, fault, got2, got3, got_window, expected2, expected3) AS detail
  FROM (SELECT g, fault, count(*) AS n,
               fuzz.state_of(format('SELECT finmon.rate_agg(c, p) FROM fuzz.rbad WHERE g = %s', g)) AS got2,
               fuzz.state_of(format('SELECT finmon.rate_agg(c, p, m) FROM fuzz.rbad WHERE g = %s', g)) AS got3,
               fuzz.state_of(format('SELECT finmon.rate_agg(c, p) OVER (ORDER BY i ROWS 2 PRECEDING) FROM fuzz.rbad WHERE g = %s', g)) AS got_window,
               (ARRAY['22023', '22023', '22012', '00000', '00000', '00000', '00000', '00000'])[fault + 1] AS expected2,
               (ARRAY['22023', '22023', '22012', '22012', '22023', '22023', '00000', '00000'])[fault + 1] AS expected3
          FROM fuzz.rbad GROUP BY g, fault) x $q$);

-- dsr_agg: areas of 1 to 19 age bands, standard populations from the 2013 ESP or random
-- (0 now and then), populations of every kind (> 0), a NULL now and then.
CREATE TABLE fuzz.dsr AS
SELECT g, b, fuzz.agg_count(k1, r1, s1) AS c,
       CASE WHEN k2 % 37 = 0 THEN NULL ELSE fuzz.population(k2, r2, s2) END AS p,
       CASE WHEN g % 3 = 0 THEN (SELECT population FROM finmon.european_standard_population ORDER BY lower_age OFFSET b - 1 LIMIT 1)::numeric
            WHEN k1 % 7 = 0 THEN 0 WHEN k1 % 53 = 0 THEN NULL
            ELSE round((r2 * 1e5)::numeric, floor(s2 * 5)::int) END AS w
  FROM (SELECT g, b, floor(random() * 1000)::int AS k1, random() AS r1, random() AS s1,
               floor(random() * 1000)::int AS k2, random() AS r2, random() AS s2
          FROM (SELECT g, 1 + floor(random() * 19)::int AS nb FROM generate_series(1, 4000) g) gb,
               LATERAL generate_series(1, gb.nb) b OFFSET 0) x;
INSERT INTO fuzz.dsr SELECT 10000 + b % 20, b, NULL, 5, 1000 FROM generate_series(1, 60) b;
ANALYZE fuzz.dsr;

-- Dobson: dsr = sum(w x / n) / sum(w) * 100000; limits dsr + sqrt(var / O) * (L(O) - O) * 100000
-- with var = sum(w^2 x / n^2) / sum(w)^2 and L the limits of the total count O.  Compared within
-- 1e-9 of |dsr| + |the half-width|, where L(O) - O counts as at least 1e-6 O: for a large O it
-- is a difference of nearly equal numbers, good to a few units of O's last place only.
CREATE FUNCTION fuzz.dsr_ok(a finmon.dsr_summary, o float8, n float8, w float8, s float8, v float8) RETURNS boolean
    LANGUAGE sql AS $$
SELECT CASE WHEN o IS NULL THEN a::text IS NULL
            ELSE fuzz.close((a).count, o) AND fuzz.close((a).population, n) AND fuzz.close((a).dsr, s / w * 100000)
             AND CASE WHEN o = 0 THEN (a).ci_lower IS NULL AND (a).ci_upper IS NULL
                      ELSE fuzz.close((a).ci_lower, s / w * 100000 + k * (l.lo - o), abs(s / w * 100000) + k * (abs(l.lo - o) + 1e-6 * o))
                       AND fuzz.close((a).ci_upper, s / w * 100000 + k * (l.hi - o), abs(s / w * 100000) + k * (abs(l.hi - o) + 1e-6 * o)) END END
  FROM (SELECT CASE WHEN o < 10 THEN e.lo ELSE fuzz.byars_lo(o, z.z) END AS lo,
               CASE WHEN o < 10 THEN e.hi ELSE fuzz.byars_hi(o, z.z) END AS hi,
               CASE WHEN o > 0 THEN sqrt(v / (w * w) / o) * 100000 END AS k
          FROM fuzz.z LEFT JOIN fuzz.exact e ON e.x = o AND e.conf = 0.95 WHERE z.conf = 0.95) l $$;

SELECT fuzz.check('dsr_agg', 'GROUP BY areas of 1 to 19 bands, empty (FILTER) and all-NULL groups', $q$
SELECT n AS calls, fuzz.dsr_ok(a, o, pn, w, s, v) AS ok,
       format('area %s: %s; expected count %s, population %s, dsr %s', g, a, o, pn, s / w * 100000) AS detail
  FROM (SELECT g, count(*) AS n, finmon.dsr_agg(c, p, w) FILTER (WHERE keep) AS a,
               sum(c::float8) FILTER (WHERE used) AS o, sum(p::float8) FILTER (WHERE used) AS pn, sum(w::float8) FILTER (WHERE used) AS w,
               sum(w::float8 * c::float8 / p::float8) FILTER (WHERE used) AS s,
               sum(w::float8 * w::float8 * c::float8 / (p::float8 * p::float8)) FILTER (WHERE used) AS v
          FROM (SELECT *, keep AND c IS NOT NULL AND p IS NOT NULL AND w IS NOT NULL AS used
                  FROM (SELECT *, g % 23 <> 4 AS keep FROM fuzz.dsr) d) d
         WHERE g NOT IN (SELECT g FROM fuzz.dsr WHERE c IS NOT NULL AND p IS NOT NULL GROUP BY g HAVING sum(w) = 0)
         GROUP BY g OFFSET 0) x $q$);
SELECT fuzz.check('dsr_agg', 'cumulative window over the bands', $q$
SELECT 1 AS calls, fuzz.dsr_ok(a, o, pn, w, s, v) AS ok, format('area %s band %s: %s', g, b, a) AS detail
  FROM (SELECT g, b, finmon.dsr_agg(c, p, w) OVER wb AS a,
               sum(c::float8) FILTER (WHERE used) OVER wb AS o, sum(p::float8) FILTER (WHERE used) OVER wb AS pn,
               sum(w::float8) FILTER (WHERE used) OVER wb AS w, sum(w::float8 * c::float8 / p::float8) FILTER (WHERE used) OVER wb AS s,
               sum(w::float8 * w::float8 * c::float8 / (p::float8 * p::float8)) FILTER (WHERE used) OVER wb AS v
          FROM (SELECT *, c IS NOT NULL AND p IS NOT NULL AND w IS NOT NULL AS used FROM fuzz.dsr WHERE g % 3 = 0) d
        WINDOW wb AS (PARTITION BY g ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) OFFSET 0) x $q$);
SELECT fuzz.check('dsr_agg', 'no rows', $q$
SELECT 1 AS calls, finmon.dsr_agg(c, p, w)::text IS NULL AS ok, 'not NULL' AS detail FROM fuzz.dsr WHERE false $q$);

-- Errors: a negative or non-finite count or standard population 22023; a population 0 22012,
-- negative or not finite 22023; standard populations summing to 0 22012.
CREATE TABLE fuzz.dbad AS
SELECT g, b, fault,
       CASE WHEN b = 1 AND fault = 0 THEN (ARRAY[-1, -0.25, 'NaN', 'Infinity', '-Infinity']::numeric[])[1 + g % 5] ELSE 5 + b END::numeric AS c,
       CASE WHEN b = 1 AND fault = 1 THEN (ARRAY[0, -1, 'NaN', 'Infinity', '-Infinity', 0.000]::numeric[])[1 + g % 6] ELSE 1000 * b END::numeric AS p,
       CASE WHEN b = 1 AND fault = 2 THEN (ARRAY[-1, 'NaN', 'Infinity', '-Infinity']::numeric[])[1 + g % 4]
            WHEN fault = 3 THEN 0 ELSE 500 * b END::numeric AS w
  FROM (SELECT g, g % 4 AS fault FROM generate_series(1, 300) g) gb, generate_series(1, 1 + g % 19) b;
SELECT fuzz.check('dsr_agg', 'bad counts, populations, standard populations: 22023, 22012', $q$
SELECT n AS calls, got = (ARRAY[ '22023', CASE WHEN g % 6 IN (0, 5) THEN '22012' ELSE '22023' END, '22023', '22012'])[fault + 1] AS ok,
       format('area %s (fault %s): %s', g, fault, got) AS detail
  FROM (SELECT g, fault, count(*) AS n, fuzz.state_of(format('SELECT finmon.dsr_agg(c, p, w) FROM fuzz.dbad WHERE g = %s', g)) AS got
          FROM fuzz.dbad GROUP BY g, fault) x $q$);

-- Alone, the part reports its own functions' checks (part_end.sql).
\set part_functions 'rate_agg dsr_agg'
\ir part_end.sql
