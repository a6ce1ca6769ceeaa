-- savings_agg and reserve_rollforward.
-- A part of finmon's fuzz test (scripts/test-fuzz runs them all).  Runs alone in an empty
-- database (psql -X -v ON_ERROR_STOP=1 -f test/fuzz/savings_reserves.sql) and reports its own checks.
\ir setup.sql
SELECT setseed(0.44);

-- savings_agg: groups of skewed sizes, targets mostly negative (savings), some positive
-- (reversals), forecasts around them, NULLs in either column, amounts of every kind.
CREATE TABLE fuzz.srows AS
SELECT g, i,
       CASE WHEN k1 % 3 = 0 THEN fuzz.amount(k1, r1, s1) ELSE -abs(fuzz.amount(k1, r1, s1)) END AS t,
       CASE WHEN k2 % 4 = 0 THEN fuzz.amount(k2, r2, s2)
            ELSE round(-abs(fuzz.amount(k1, r1, s1)) * (r2 * 1.5)::numeric, floor(s2 * 4)::int) END AS f
  FROM (SELECT floor(random() ^ 3 * 2500)::int AS g, i,
               floor(random() * 22)::int AS k1, random() AS r1, random() AS s1,
               floor(random() * 22)::int AS k2, random() AS r2, random() AS s2
          FROM generate_series(1, 80000) i OFFSET 0) x;
INSERT INTO fuzz.srows SELECT 10000 + i % 40, i, NULL, NULL FROM generate_series(1, 400) i;
INSERT INTO fuzz.srows SELECT 10100 + i % 40, i, NULL, fuzz.amount(i, random(), random()) FROM generate_series(1, 400) i;
INSERT INTO fuzz.srows SELECT 10200 + i % 40, i, fuzz.amount(i, random(), random()), NULL FROM generate_series(1, 400) i;
INSERT INTO fuzz.srows SELECT 10300 + i % 40, i, -fuzz.amount(3, random(), 0), 0 FROM generate_series(1, 400) i;
UPDATE fuzz.srows SET f = t WHERE i % 23 = 0;                         -- exactly on target
ANALYZE fuzz.srows;

-- target and forecast: sums, 0 when no row has one; shortfall = forecast - target;
-- delivered_pct = forecast / target * 100, NULL for a zero target; schemes: rows with either;
-- off target: forecast > target, a missing one counting as 0.  NULL when no row has either.
CREATE FUNCTION fuzz.savings_ok(a finmon.savings_summary, st numeric, sf numeric, schemes bigint, off bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN schemes = 0 THEN a::text IS NULL
            ELSE (a).target::text = coalesce(st, 0)::text
             AND (a).forecast::text = coalesce(sf, 0)::text
             AND (a).shortfall::text = (coalesce(sf, 0) - coalesce(st, 0))::text
             AND (a).delivered_pct::text IS NOT DISTINCT FROM
                 (CASE WHEN coalesce(st, 0) = 0 THEN NULL ELSE coalesce(sf, 0) / coalesce(st, 0) * 100 END)::text
             AND (a).schemes = schemes AND (a).schemes_off_target = off END $$;

SELECT fuzz.check('savings_agg', 'GROUP BY, empty (FILTER) and all-NULL groups', $q$
SELECT n AS calls, fuzz.savings_ok(a, st, sf, schemes, off) AS ok,
       format('group %s: %s; sum(target) %s, sum(forecast) %s, %s schemes, %s off target', g, left(a::text, 300),
              left(st::text, 100), left(sf::text, 100), schemes, off) AS detail
  FROM (SELECT g, count(*) AS n, finmon.savings_agg(t, f) FILTER (WHERE keep) AS a,
               sum(t) FILTER (WHERE keep) AS st, sum(f) FILTER (WHERE keep) AS sf,
               count(*) FILTER (WHERE keep AND (t IS NOT NULL OR f IS NOT NULL)) AS schemes,
               count(*) FILTER (WHERE keep AND (t IS NOT NULL OR f IS NOT NULL) AND coalesce(f, 0) > coalesce(t, 0)) AS off
          FROM (SELECT *, i % 9 <> 0 AND g % 13 <> 5 AS keep FROM fuzz.srows) s GROUP BY g OFFSET 0) x $q$);
SELECT fuzz.check('savings_agg', 'ungrouped: all rows, no rows, NULL rows', $q$
SELECT n AS calls, fuzz.savings_ok(a, st, sf, schemes, off) AS ok, format('%s: %s', what, left(a::text, 300)) AS detail
  FROM (SELECT 'all' AS what, count(*) AS n, finmon.savings_agg(t, f) AS a, sum(t) AS st, sum(f) AS sf,
               count(*) FILTER (WHERE t IS NOT NULL OR f IS NOT NULL) AS schemes,
               count(*) FILTER (WHERE (t IS NOT NULL OR f IS NOT NULL) AND coalesce(f, 0) > coalesce(t, 0)) AS off FROM fuzz.srows
        UNION ALL
        SELECT 'none', 0, finmon.savings_agg(t, f), NULL, NULL, 0, 0 FROM fuzz.srows WHERE false
        UNION ALL
        SELECT 'nulls', count(*), finmon.savings_agg(t, f), NULL, NULL, 0, 0 FROM fuzz.srows WHERE g BETWEEN 10000 AND 10039) x $q$);
-- As a cumulative window (the final function runs again on a growing state) and a moving one.
SELECT fuzz.check('savings_agg', 'window ' || frame, format($q$
SELECT 1 AS calls, fuzz.savings_ok(a, st, sf, schemes, off) AS ok, format('row %%s/%%s: %%s', g, i, left(a::text, 300)) AS detail
  FROM (SELECT g, i, finmon.savings_agg(t, f) OVER w AS a, sum(t) OVER w AS st, sum(f) OVER w AS sf,
               count(*) FILTER (WHERE t IS NOT NULL OR f IS NOT NULL) OVER w AS schemes,
               count(*) FILTER (WHERE (t IS NOT NULL OR f IS NOT NULL) AND coalesce(f, 0) > coalesce(t, 0)) OVER w AS off
          FROM fuzz.srows WHERE g %% 8 = 0 AND g > 100 WINDOW w AS (PARTITION BY g ORDER BY i %s) OFFSET 0) x $q$, frame))
  FROM unnest(ARRAY['ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', 'ROWS BETWEEN 2 PRECEDING AND CURRENT ROW']) frame;

-- Errors: NaN or an infinity in a row with a figure: 22023 (a row whose other figure is NULL too).
CREATE TABLE fuzz.sbad AS
SELECT g, i, CASE WHEN i = bad AND col <> 1 THEN fuzz.special(s) WHEN i = bad THEN NULL ELSE fuzz.amount(k, r, s) END AS t,
             CASE WHEN i = bad AND col <> 0 THEN fuzz.special(r) WHEN i = bad THEN NULL ELSE fuzz.amount(k + 5, s, r) END AS f
  FROM (SELECT g, floor(random() * 3)::int AS col, 1 + floor(random() * n)::int AS bad, n
          FROM (SELECT g, 1 + floor(random() * 30)::int AS n FROM generate_series(1, 300) g) gn OFFSET 0) gb,
       LATERAL (SELECT i, floor(random() * 22)::int AS k, random() AS r, random() AS s FROM generate_series(1, gb.n) i OFFSET 0) rows;
SELECT fuzz.check('savings_agg', 'a NaN or infinite amount in the group: 22023', $q$
SELECT n AS calls, got = '22023' AS ok, format('group %s: %s', g, got) AS detail
  FROM (SELECT g, count(*) AS n, fuzz.state_of(format('SELECT finmon.savings_agg(t, f) FROM fuzz.sbad WHERE g = %s', g)) AS got
          FROM fuzz.sbad GROUP BY g) x $q$);

-- reserve_rollforward: balances over runs of years (gaps of a year now and then), each year's
-- opening mostly the previous closing (sometimes at another scale: not a break), sometimes not;
-- rows in random order; a NULL in any column now and then (the row is ignored).
CREATE TABLE fuzz.rrows (g int, y int, fy text, o numeric, m numeric);
DO $$
DECLARE
    y int;
    close numeric;
    o numeric;
    m numeric;
BEGIN
    FOR g IN 1..5000 LOOP
        y := CASE WHEN g % 10 = 0 THEN 1 + floor(random() * 3)::int
                  WHEN g % 10 = 1 THEN 9999 - floor(random() * 20)::int
                  ELSE 1900 + floor(random() * 300)::int END;
        close := NULL;
        FOR j IN 1..1 + floor(random() ^ 2 * 20)::int LOOP
            EXIT WHEN y > 9999;
            o := CASE WHEN close IS NULL OR random() < 0.25 THEN fuzz.amount(1 + floor(random() * 21)::int, random(), random())
                      WHEN random() < 0.2 THEN round(close, scale(close) + floor(random() * 3)::int)
                      ELSE close END;
            m := fuzz.amount(1 + floor(random() * 21)::int, random(), random());
            INSERT INTO fuzz.rrows VALUES (g, y, fuzz.fy(y),
                CASE WHEN random() < 0.04 THEN NULL ELSE o END, CASE WHEN random() < 0.04 THEN NULL ELSE m END);
            close := o + m;
            y := y + CASE WHEN random() < 0.15 THEN 2 ELSE 1 END;
        END LOOP;
    END LOOP;
END $$;
UPDATE fuzz.rrows SET fy = NULL WHERE random() < 0.03;
-- A year given twice where one of the two has a NULL: no error.
INSERT INTO fuzz.rrows SELECT g, y, fy, NULL, 1 FROM fuzz.rrows WHERE g % 50 = 7 AND o IS NOT NULL;
-- All-NULL balances.
INSERT INTO fuzz.rrows SELECT 6000 + i % 20, 2000 + i, CASE WHEN i % 2 = 0 THEN fuzz.fy(2000 + i) END,
                              CASE WHEN i % 3 = 0 THEN 5 END, NULL FROM generate_series(1, 100) i;
CREATE TABLE fuzz.rshuffled AS SELECT * FROM fuzz.rrows ORDER BY random();
ANALYZE fuzz.rshuffled;

SELECT fuzz.check('reserve_rollforward', 'balances over runs of years, rows in random order', $q$
WITH r AS (SELECT g, y, fy, o, m, lag(o + m) OVER (PARTITION BY g ORDER BY y) AS prev
             FROM fuzz.rshuffled WHERE fy IS NOT NULL AND o IS NOT NULL AND m IS NOT NULL AND g % 11 <> 4),
ref AS (SELECT g, min(y) AS y0, max(y) AS y1, count(*)::int AS years,
               (array_agg(o ORDER BY y))[1] AS opening, (array_agg(o + m ORDER BY y DESC))[1] AS closing,
               count(*) FILTER (WHERE prev <> o)::int AS breaks,
               coalesce(array_agg(fy ORDER BY y) FILTER (WHERE prev <> o), '{}') AS break_years,
               coalesce(array_agg(prev ORDER BY y) FILTER (WHERE prev <> o), '{}') AS break_expected,
               coalesce(array_agg(o ORDER BY y) FILTER (WHERE prev <> o), '{}') AS break_stated
          FROM r GROUP BY g),
got AS (SELECT g, count(*) AS n, finmon.reserve_rollforward(fy, o, m) FILTER (WHERE g % 11 <> 4) AS a
          FROM fuzz.rshuffled GROUP BY g)
SELECT n AS calls,
       CASE WHEN ref.g IS NULL THEN a::text IS NULL
            ELSE (a).first_year = fuzz.fy(y0) AND (a).last_year = fuzz.fy(y1) AND (a).years = years
             AND (a).opening_balance::text = opening::text AND (a).closing_balance::text = closing::text
             AND (a).breaks = breaks AND (a).break_years = break_years
             AND (a).break_expected::text = break_expected::text AND (a).break_stated::text = break_stated::text END AS ok,
       format('balance %s: %s; expected %s', got.g, left(a::text, 300), left(ref::text, 300)) AS detail
  FROM got LEFT JOIN ref USING (g) $q$);
SELECT fuzz.check('reserve_rollforward', 'no rows', $q$
SELECT 1 AS calls, finmon.reserve_rollforward(fy, o, m)::text IS NULL AS ok, 'not NULL' AS detail FROM fuzz.rrows WHERE false $q$);

-- Errors: a year twice (both rows complete) 21000; NaN or an infinity 22023; a year that is
-- not YYYY-YY 22007.  Each balance has one fault.
CREATE TABLE fuzz.rolbad AS
SELECT g, y, fault,
       CASE WHEN fault = 3 AND y = bad THEN (ARRAY['2018-20', '18-19', '', '0000-01', '2018/19'])[1 + floor(random() * 5)::int] ELSE fuzz.fy(y) END AS fy,
       CASE WHEN fault = 1 AND y = bad THEN fuzz.special(random()) ELSE fuzz.amount(3, random(), 0) END AS o,
       CASE WHEN fault = 2 AND y = bad THEN fuzz.special(random()) ELSE fuzz.amount(7, random(), 0) END AS m
  FROM (SELECT g, g % 4 AS fault, 2000 + floor(random() * n)::int AS bad, n
          FROM (SELECT g, 1 + floor(random() * 12)::int AS n FROM generate_series(1, 400) g) gn OFFSET 0) gb,
       LATERAL generate_series(2000, 1999 + gb.n) y;
INSERT INTO fuzz.rolbad SELECT g, y, fault, fy, o + 1, m FROM fuzz.rolbad WHERE fault = 0 AND y = 2000;
SELECT fuzz.check('reserve_rollforward', 'a year twice 21000, NaN or infinity 22023, a bad year 22007', $q$
SELECT n AS calls, got = (ARRAY['21000', '22023', '22023', '22007'])[fault + 1] AS ok, format('balance %s (fault %s): %s', g, fault, got) AS detail
  FROM (SELECT g, fault, count(*) AS n,
               fuzz.state_of(format('SELECT finmon.reserve_rollforward(fy, o, m) FROM fuzz.rolbad WHERE g = %s', g)) AS got
          FROM fuzz.rolbad GROUP BY g, fault) x $q$);

-- Alone, the part reports its own functions' checks (part_end.sql).
\set part_functions 'savings_agg reserve_rollforward'
\ir part_end.sql
