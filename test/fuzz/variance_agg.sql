-- variance_agg: grouped, ungrouped, empty and all-NULL input, moving window frames.
-- A part of finmon's fuzz test (scripts/test-fuzz runs them all).  Runs alone in an empty
-- database (psql -X -v ON_ERROR_STOP=1 -f test/fuzz/variance_agg.sql) and reports its own checks.
\ir setup.sql
SELECT setseed(0.33);

-- Groups of skewed sizes (group 0 has thousands of rows), each drawing its amounts from one
-- profile: g % 4 = 0 pounds and pence, 1 every kind, 2 huge, tiny and the 64/128-bit edges,
-- 3 scales up to 1000.
CREATE TABLE fuzz.vrows (g int, i int, b numeric, f numeric);
INSERT INTO fuzz.vrows
SELECT g, i, fuzz.amount(k1, r1, s1), fuzz.amount(k2, r2, s2)
  FROM (SELECT g, i,
               CASE g % 4 WHEN 0 THEN (ARRAY[3, 4, 5, 6, 7, 8, 17, 21, 0])[1 + floor(random() * 9)::int]
                          WHEN 1 THEN floor(random() * 22)::int
                          WHEN 2 THEN (ARRAY[9, 10, 11, 12, 15, 20, 1, 2, 0])[1 + floor(random() * 9)::int]
                          ELSE (ARRAY[13, 14, 16, 18, 19, 2, 3])[1 + floor(random() * 7)::int] END AS k1,
               random() AS r1, random() AS s1,
               CASE g % 4 WHEN 0 THEN (ARRAY[3, 4, 5, 6, 7, 8, 17, 21, 0])[1 + floor(random() * 9)::int]
                          WHEN 1 THEN floor(random() * 22)::int
                          WHEN 2 THEN (ARRAY[9, 10, 11, 12, 15, 20, 1, 2, 0])[1 + floor(random() * 9)::int]
                          ELSE (ARRAY[13, 14, 16, 18, 19, 2, 3])[1 + floor(random() * 7)::int] END AS k2,
               random() AS r2, random() AS s2
          FROM (SELECT floor(random() ^ 3 * 3000)::int AS g, i FROM generate_series(1, 100000) i OFFSET 0) gi OFFSET 0) x;
-- All-NULL groups, and groups with one column all NULL.
INSERT INTO fuzz.vrows SELECT 10000 + i % 50, i, NULL, NULL FROM generate_series(1, 500) i;
INSERT INTO fuzz.vrows SELECT 10100 + i % 50, i, NULL, fuzz.amount(i, random(), random()) FROM generate_series(1, 500) i;
INSERT INTO fuzz.vrows SELECT 10200 + i % 50, i, fuzz.amount(i, random(), random()), NULL FROM generate_series(1, 500) i;
-- Stress: sums that overflow 128 bits again and again; scales 0..9 rescaling 30-digit sums;
-- the 64-bit edges; 16 digits at scale 2; large sums that cancel.
INSERT INTO fuzz.vrows SELECT 20000, i, 9e37 + i, -(8e37 + i * 7) FROM generate_series(1, 20000) i;
INSERT INTO fuzz.vrows SELECT 20001, i, round(((random() - 0.5) * 1e15)::numeric * 1e15, i % 10),
                                        round(((random() - 0.5) * 1e15)::numeric * 1e20, (i * 7) % 10)
  FROM generate_series(1, 5000) i;
INSERT INTO fuzz.vrows SELECT 20002, i, (ARRAY[9223372036854775807, -9223372036854775808, 9223372036854775808, 1])[1 + i % 4],
                                        (ARRAY[-9223372036854775807, 9223372036854775806.99, 0.01])[1 + i % 3]
  FROM generate_series(1, 3000) i;
INSERT INTO fuzz.vrows SELECT 20003, i, 99999999999999.99 * (1 - 2 * (i % 2)), 9999999999999999 FROM generate_series(1, 3000) i;
INSERT INTO fuzz.vrows SELECT 20004, i, CASE WHEN i % 2 = 0 THEN 1e38 ELSE -1e38 + 0.0001 END,
                                        CASE WHEN i % 3 = 0 THEN 170141183460469231731687303715884105727 ELSE -1 END
  FROM generate_series(1, 3000) i;
-- TOASTed values: 8000 repeated digits (compressed) and 6000 random digits (stored out of line).
INSERT INTO fuzz.vrows
SELECT 30000, i, CASE WHEN i % 2 = 0 THEN repeat('9', 8000)::numeric ELSE -repeat('1', 7000)::numeric END,
       (SELECT string_agg(floor(random() * 10)::text, '') FROM generate_series(1, 6000 + i * 0))::numeric / 1e300
  FROM generate_series(1, 6) i;
INSERT INTO fuzz.vrows SELECT 30000, 10, 1.5, -2.25;
ANALYZE fuzz.vrows;

-- Compared with sum() as text, digit for digit and scale for scale; NULL exactly when no row
-- had a budget or a forecast.
CREATE FUNCTION fuzz.variance_ok(a finmon.variance_summary, sb numeric, sf numeric, cb bigint, cf bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
SELECT (a::text IS NULL) = (cb = 0 AND cf = 0)
   AND (a).budget::text IS NOT DISTINCT FROM sb::text
   AND (a).forecast_outturn::text IS NOT DISTINCT FROM sf::text
   AND (a).variance::text IS NOT DISTINCT FROM (sf - sb)::text
   AND (a).variance_pct::text IS NOT DISTINCT FROM (CASE WHEN sb = 0 THEN NULL ELSE (sf - sb) / sb * 100 END)::text $$;

-- Grouped; groups with g % 17 = 3 are filtered empty (NULL), and every 11th row is filtered out.
SELECT fuzz.check('variance_agg', 'GROUP BY, empty (FILTER) and all-NULL groups', $q$
SELECT n AS calls, fuzz.variance_ok(a, sb, sf, cb, cf) AS ok,
       format('group %s (%s rows): %s; sum(budget) %s, sum(forecast) %s', g, n, left(a::text, 200), left(sb::text, 200), left(sf::text, 200)) AS detail
  FROM (SELECT g, count(*) AS n,
               finmon.variance_agg(b, f) FILTER (WHERE keep) AS a,
               sum(b) FILTER (WHERE keep) AS sb, sum(f) FILTER (WHERE keep) AS sf,
               count(b) FILTER (WHERE keep) AS cb, count(f) FILTER (WHERE keep) AS cf
          FROM (SELECT *, i % 11 <> 0 AND g % 17 <> 3 AS keep FROM fuzz.vrows) v
         GROUP BY g OFFSET 0) x $q$);
-- The same, fed values computed in the query (4-byte headers rather than a table's short ones).
SELECT fuzz.check('variance_agg', 'GROUP BY, values computed in the query', $q$
SELECT n AS calls, fuzz.variance_ok(a, sb, sf, cb, cf) AS ok,
       format('group %s: %s; sum(budget) %s, sum(forecast) %s', g, left(a::text, 200), left(sb::text, 200), left(sf::text, 200)) AS detail
  FROM (SELECT g, count(*) AS n, finmon.variance_agg(b, f) AS a, sum(b) AS sb, sum(f) AS sf, count(b) AS cb, count(f) AS cf
          FROM (SELECT g, b::text::numeric AS b, (f::text || '')::numeric AS f FROM fuzz.vrows WHERE g % 3 = 1 OR g >= 10000) v
         GROUP BY g OFFSET 0) x $q$);
-- Ungrouped: everything; no rows; all-NULL rows; one row.
SELECT fuzz.check('variance_agg', 'ungrouped: all rows, no rows, NULL rows, one row', $q$
SELECT n AS calls, fuzz.variance_ok(a, sb, sf, cb, cf) AS ok, format('%s: %s', what, left(a::text, 300)) AS detail
  FROM (SELECT 'all' AS what, count(*) AS n, finmon.variance_agg(b, f) AS a, sum(b) AS sb, sum(f) AS sf, count(b) AS cb, count(f) AS cf FROM fuzz.vrows
        UNION ALL
        SELECT 'none', count(*), finmon.variance_agg(b, f), sum(b), sum(f), count(b), count(f) FROM fuzz.vrows WHERE false
        UNION ALL
        SELECT 'nulls', count(*), finmon.variance_agg(b, f), sum(b), sum(f), count(b), count(f) FROM fuzz.vrows WHERE g BETWEEN 10000 AND 10049
        UNION ALL
        SELECT 'no forecast', count(*), finmon.variance_agg(b, NULL), sum(b), NULL, count(b), 0 FROM fuzz.vrows WHERE g = 1
        UNION ALL
        SELECT 'one row ' || i, 1, finmon.variance_agg(b, f), sum(b), sum(f), count(b), count(f) FROM fuzz.vrows WHERE g = 5 GROUP BY i) x $q$);

-- Moving windows: 72 partitions of 150 rows, each with one profile (pounds and pence with a few
-- odd scales; every kind; small values at scales 0..9), under several ROWS frames, compared
-- with sum() over the same frame.
CREATE TABLE fuzz.vwin AS
SELECT i / 150 AS p, i, fuzz.amount(k1, r1, s1) AS b, fuzz.amount(k2, r2, s2) AS f
  FROM (SELECT i,
               CASE i / 150 % 3 WHEN 0 THEN (ARRAY[3, 3, 3, 3, 4, 4, 4, 5, 7, 0, 13, 18])[1 + floor(random() * 12)::int]
                                WHEN 1 THEN floor(random() * 22)::int ELSE 18 END AS k1,
               random() AS r1, random() AS s1,
               CASE i / 150 % 3 WHEN 0 THEN (ARRAY[3, 3, 3, 3, 4, 4, 4, 5, 7, 0, 13, 18])[1 + floor(random() * 12)::int]
                                WHEN 1 THEN floor(random() * 22)::int ELSE 6 END AS k2,
               random() AS r2, random() AS s2
          FROM generate_series(0, 10799) i OFFSET 0) x;
UPDATE fuzz.vwin SET b = round(b, (i * 13) % 10) WHERE p % 3 = 2 AND b IS NOT NULL;

SELECT fuzz.check('variance_agg', 'window ' || frame, format($q$
SELECT 1 AS calls, fuzz.variance_ok(a, sb, sf, cb, cf) AS ok,
       format('row %%s: %%s; sum(budget) %%s, sum(forecast) %%s', i, left(a::text, 200), left(sb::text, 200), left(sf::text, 200)) AS detail
  FROM (SELECT i, finmon.variance_agg(b, f) OVER w AS a, sum(b) OVER w AS sb, sum(f) OVER w AS sf,
               count(b) OVER w AS cb, count(f) OVER w AS cf
          FROM fuzz.vwin WINDOW w AS (PARTITION BY p ORDER BY i %s) OFFSET 0) x $q$, frame))
  FROM unnest(ARRAY['ROWS BETWEEN 2 PRECEDING AND CURRENT ROW', 'ROWS BETWEEN 7 PRECEDING AND 1 PRECEDING',
                    'ROWS BETWEEN CURRENT ROW AND 4 FOLLOWING', 'ROWS BETWEEN 25 PRECEDING AND 25 FOLLOWING',
                    'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', 'ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING',
                    'ROWS BETWEEN CURRENT ROW AND CURRENT ROW']) frame;
-- A moving frame over the stress and TOASTed rows.
SELECT fuzz.check('variance_agg', 'window over the stress groups', $q$
SELECT 1 AS calls, fuzz.variance_ok(a, sb, sf, cb, cf) AS ok, format('row %s/%s: %s', g, i, left(a::text, 300)) AS detail
  FROM (SELECT g, i, finmon.variance_agg(b, f) OVER w AS a, sum(b) OVER w AS sb, sum(f) OVER w AS sf,
               count(b) OVER w AS cb, count(f) OVER w AS cf
          FROM fuzz.vrows WHERE g >= 20000 AND i % 10 = 0 OR g = 30000
        WINDOW w AS (PARTITION BY g ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) OFFSET 0) x $q$);

-- Errors: a group with one NaN or infinite amount among others raises 22023, grouped or in a window.
CREATE TABLE fuzz.vbad AS
SELECT g, i, CASE WHEN i = bad AND col = 0 THEN fuzz.special(s) ELSE fuzz.amount(k, r, s) END AS b,
             CASE WHEN i = bad AND col = 1 THEN fuzz.special(r) ELSE fuzz.amount(k + 3, s, r) END AS f
  FROM (SELECT g, floor(random() * 2)::int AS col, 1 + floor(random() * n)::int AS bad, n
          FROM (SELECT g, 1 + floor(random() * 40)::int AS n FROM generate_series(1, 300) g) gn OFFSET 0) gb,
       LATERAL (SELECT i, floor(random() * 22)::int AS k, random() AS r, random() AS s
                  FROM generate_series(1, gb.n) i OFFSET 0) rows;
SELECT fuzz.check('variance_agg', 'a NaN or infinite amount in the group: 22023', $q$
SELECT n AS calls, got = '22023' AND got_window = '22023' AS ok, format('group %s: %s, in a window %s', g, got, got_window) AS detail
  FROM (SELECT g, count(*) AS n,
               fuzz.state_of(format('SELECT finmon.variance_agg(b, f) FROM fuzz.vbad WHERE g = %s', g)) AS got,
               fuzz.state_of(format('SELECT finmon.variance_agg(b, f) OVER (ORDER BY i ROWS 2 PRECEDING) FROM fuzz.vbad WHERE g = %s', g)) AS got_window
          FROM fuzz.vbad GROUP BY g) x $q$);

-- Alone, the part reports its own functions' checks (part_end.sql).
\set part_functions 'variance_agg'
\ir part_end.sql
