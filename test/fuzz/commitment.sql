-- package_cost, commitment_agg (grouped, ungrouped, in parallel plans and window frames) and
-- package_run_start (src/commitment.c).
-- A part of finmon's fuzz test (scripts/test-fuzz runs them all).  Runs alone in an empty
-- database (psql -X -v ON_ERROR_STOP=1 -f test/fuzz/commitment.sql) and reports its own checks.
--
-- The references follow the README and the functions' comments, not the C: a priced period
-- (starts to ends, both inclusive; ends NULL open-ended) is active on the days it shares with
-- the window, counted here as the intersection of two date ranges; it costs weekly_cost x d / 7
-- rounded once to the penny, half away from zero, computed here from the truncated quotient
-- and its remainder (exact at any scale); package_run_start's runs are found with lag() and a
-- running count of breaks.
\ir setup.sql
SELECT setseed(0.77);

-- The days of the window on which a priced period is active: the two as date ranges, both
-- ends inclusive (ends NULL: no upper bound), intersected and counted.
CREATE FUNCTION fuzz.active_days(starts date, ends date, window_start date, window_end date) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$
SELECT coalesce(upper(r) - lower(r), 0)
  FROM (SELECT daterange(starts, ends, '[]') * daterange(window_start, window_end, '[]') AS r) x $$;
-- Whether it is active on a day.
CREATE FUNCTION fuzz.active_on(starts date, ends date, day date) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT daterange(starts, ends, '[]') @> day $$;

-- weekly x days / 7 pounds in pence, rounded half away from zero, as pounds to the penny:
-- q = y / 7 truncated towards zero, exactly (div), and one more penny away from zero when the
-- remainder y - 7q is at least half of 7.
CREATE FUNCTION fuzz.cost_ref(weekly numeric, days integer) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
SELECT (div(y, 7) + CASE WHEN 2 * abs(y - 7 * div(y, 7)) >= 7 THEN CASE WHEN y < 0 THEN -1 ELSE 1 END ELSE 0 END) * 0.01
  FROM (SELECT weekly * days * 100 AS y) x $$;

-- commitment_agg's weekly_cost_at_end as text: to the penny when it is whole pence, else to
-- as many places as it needs.
CREATE FUNCTION fuzz.weekly_text(x numeric) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN x = round(x, 2) THEN round(x, 2)::text ELSE trim_scale(x)::text END $$;

-- Days: k picks the kind, r and s (uniform in [0, 1)) the day.
CREATE FUNCTION fuzz.day(k int, r float8, s float8) RETURNS date LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 8
    WHEN 0 THEN date '2010-01-01' + floor(r * 5500)::int                                 -- 2010 .. 2025
    WHEN 1 THEN make_date((ARRAY[1896, 1900, 1904, 2000, 2019, 2020, 2023, 2024, 2100, 2400])[1 + floor(r * 10)::int], 2, 26)
                + floor(s * 5)::int                                                      -- 26 February .. 1 or 2 March
    WHEN 2 THEN make_date(1900 + floor(r * 200)::int, 4, 1) - 1 + floor(s * 3)::int      -- 31 March, 1 and 2 April
    WHEN 3 THEN make_date(1 + floor(r * 9998)::int, 12, 31) + floor(s * 2)::int          -- New Year
    WHEN 4 THEN date '4000-01-01 BC' + floor(r * 1500000)::int                           -- BC, to about 100 AD
    WHEN 5 THEN date '9999-01-01' + floor(r * 1000)::int + floor(s * 2)::int * floor(r * 70000000)::int  -- to about 200000 AD
    WHEN 6 THEN date '0001-01-01' + floor(r * 3652059)::int                              -- 1 .. 9999 uniformly
    ELSE date '2018-04-01' + floor(r * 1200)::int
END $$;

-- A window of kind k: one day, a week, a year (a financial year from window_start's 1 April),
-- a calendar month (window_start its first day), 0..3 days from around 29 February, or spans
-- of up to 400, 1000, 40000 and 3,000,000 days.
CREATE FUNCTION fuzz.window_end(k int, window_start date, r float8) RETURNS date LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 9
    WHEN 0 THEN window_start
    WHEN 1 THEN window_start + 6
    WHEN 2 THEN window_start + floor(r * 1001)::int
    WHEN 3 THEN (date_trunc('month', window_start::timestamp) + interval '1 month')::date - 1
    WHEN 4 THEN window_start + floor(r * 4)::int
    WHEN 5 THEN window_start + floor(r * 40001)::int
    WHEN 6 THEN window_start + floor(r * 3000001)::int
    WHEN 8 THEN (window_start::timestamp + interval '1 year')::date - 1
    ELSE window_start + floor(r * 401)::int
END $$;
CREATE FUNCTION fuzz.window_start(k int, kd int, r float8, s float8) RETURNS date LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN k % 9 = 3 THEN date_trunc('month', fuzz.day(kd, r, s)::timestamp)::date
            WHEN k % 9 = 4 THEN fuzz.day(1, r, s)
            WHEN k % 9 = 8 THEN make_date(1890 + floor(r * 221)::int, 4, 1)      -- a financial year, 1890-91 .. 2110-11
            ELSE fuzz.day(kd, r, s) END $$;

-- A priced period placed against a window: starting on a window edge or the day either side
-- of one, inside, before, or long before (-infinity now and then); ending open (NULL), on the
-- same day, after some days, on or beside a window edge, or at infinity or 9999-12-31.  The
-- queries below turn round a period that would end before it starts.
CREATE FUNCTION fuzz.period_start(window_start date, window_end date, k int, r float8, s float8) RETURNS date
    LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 11
    WHEN 0 THEN window_start - 1
    WHEN 1 THEN window_start
    WHEN 2 THEN window_start + 1
    WHEN 3 THEN window_end - 1
    WHEN 4 THEN window_end
    WHEN 5 THEN window_end + 1
    WHEN 6 THEN window_start + floor((r - 0.5) * 801)::int
    WHEN 7 THEN window_start - floor(r * 5001)::int
    WHEN 8 THEN window_start + floor(r * (window_end - window_start + 1))::int
    WHEN 9 THEN CASE WHEN s < 0.3 THEN '-infinity'::date ELSE window_start - floor(r * 200000)::int END
    ELSE window_start + floor(s * (window_end - window_start + 1))::int
END $$;
CREATE FUNCTION fuzz.period_end(starts date, window_start date, window_end date, k int, r float8, s float8) RETURNS date
    LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 12
    WHEN 0 THEN NULL
    WHEN 1 THEN NULL
    WHEN 2 THEN starts
    WHEN 3 THEN starts + floor(r * 401)::int
    WHEN 4 THEN window_end - 1
    WHEN 5 THEN window_end
    WHEN 6 THEN window_end + 1
    WHEN 7 THEN window_start - 1
    WHEN 8 THEN window_start
    WHEN 9 THEN starts + floor(r * 20001)::int
    WHEN 10 THEN (ARRAY['infinity', '9999-12-31']::date[])[1 + floor(s * 2)::int]
    ELSE starts + 6
END $$;

-- Weekly costs for commitment_agg: at most six decimal places and small enough for its
-- 128-bit sums (the large ones have checks of their own below).
CREATE FUNCTION fuzz.weekly(k int, r float8, s float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 12
    WHEN 0 THEN NULL
    WHEN 1 THEN 0::numeric
    WHEN 2 THEN round(0::numeric, floor(s * 7)::int)                                     -- 0.000000
    WHEN 3 THEN round((r * 3000)::numeric, 2)                                            -- pounds and pence
    WHEN 4 THEN round(((r - 0.9) * 500)::numeric, 2)                                     -- mostly client contributions
    WHEN 5 THEN round(((r - 0.5) * 2e4)::numeric, 6)                                     -- six decimal places
    WHEN 6 THEN round(((r - 0.5) * 2e4)::numeric, floor(s * 7)::int)                     -- 0 .. 6 places
    WHEN 7 THEN (ARRAY[0.000001, -0.000001, 0.005, 0.035, 0.0175, 999999.999999, 100000000000000.000001, -0.01,
                       0.01, 12345678901234.5, 9223372036854775807, -9223372036854775808, 9223372036854.775807,
                       1.000000, 7, 3.5])[1 + floor(s * 16)::int]
    WHEN 8 THEN round(((r - 0.5) * 2e12)::numeric, floor(s * 7)::int)                    -- to a trillion
    WHEN 9 THEN round(((r - 0.5) * 2e18)::numeric, floor(s * 7)::int)                    -- to 10^18, 25 digits
    WHEN 10 THEN round(r::numeric, 6)
    ELSE round((r * 1500)::numeric, 2)
END $$;

-- package_cost -------------------------------------------------------------------------------

-- Calls: windows and periods of every kind, weekly costs of every kind (NULL, zeros at many
-- scales, huge, tiny, scales up to 1000, the 64- and 128-bit limits, negative); a NULL start
-- or window bound now and then.
CREATE TABLE fuzz.pcalls AS
SELECT i, w, CASE WHEN e < st THEN e ELSE st END AS s, CASE WHEN e < st THEN st ELSE e END AS e, ws, we
  FROM (SELECT i, w, ws, we, st, fuzz.period_end(st, ws, we, ke, r3, s3) AS e
          FROM (SELECT i, CASE WHEN kw % 3 = 0 THEN fuzz.weekly(kw, r1, s1) ELSE fuzz.amount(kw, r1, s1) END AS w,
                       ws, we, fuzz.period_start(ws, we, ka, r3, s3) AS st, ke, r3, s3
                  FROM (SELECT i, ws, fuzz.window_end(k, ws, r2) AS we,
                               kw, r1, s1, ka, ke, r3, s3
                          FROM (SELECT i, k, fuzz.window_start(k, kd, r2, s2) AS ws, kw, r1, s1, r2, ka, ke, r3, s3
                                  FROM (SELECT i, floor(random() * 66)::int AS kw, random() AS r1, random() AS s1,
                                               floor(random() * 9)::int AS k, floor(random() * 8)::int AS kd, random() AS r2, random() AS s2,
                                               floor(random() * 11)::int AS ka, floor(random() * 12)::int AS ke, random() AS r3, random() AS s3
                                          FROM generate_series(1, 120000) i OFFSET 0) a OFFSET 0) b OFFSET 0) c OFFSET 0) d OFFSET 0) e;
UPDATE fuzz.pcalls SET s = NULL WHERE i % 53 = 0;
UPDATE fuzz.pcalls SET ws = NULL WHERE i % 59 = 1;
UPDATE fuzz.pcalls SET we = NULL WHERE i % 61 = 2;
-- Half pennies: over 1, 2 and 7 days, weekly costs of (2m + 1) x 0.035, 0.0175 and 0.005
-- (cost m + 1/2 pence), either sign, and a millionth or 10^-30 either side.
INSERT INTO fuzz.pcalls
SELECT 200000 + j, sign * (half + nudge), s, e, ws, ws + d - 1
  FROM (SELECT j, d, sign, (2 * floor(random() * 1e6) + 1)::numeric * CASE d WHEN 1 THEN 0.035 WHEN 2 THEN 0.0175 ELSE 0.005 END AS half,
               (ARRAY[0, 0, 0.000001, -0.000001, 1e-30, -1e-30])[1 + floor(random() * 6)::int] AS nudge,
               ws, ws - floor(random() * 3)::int AS s, CASE WHEN random() < 0.3 THEN NULL ELSE ws + 10 END AS e
          FROM (SELECT j, (ARRAY[1, 2, 7])[1 + j % 3] AS d, CASE WHEN j % 2 = 0 THEN 1 ELSE -1 END AS sign,
                       fuzz.day(j % 8, random(), random()) AS ws
                  FROM generate_series(1, 6000) j OFFSET 0) a OFFSET 0) b;
ANALYZE fuzz.pcalls;

CREATE VIEW fuzz.pcalls_ref AS
SELECT w, s, e, ws, we, finmon.package_cost(w, s, e, ws, we) AS got,
       CASE WHEN w IS NULL OR s IS NULL OR ws IS NULL OR we IS NULL THEN NULL
            ELSE fuzz.cost_ref(w, fuzz.active_days(s, e, ws, we)) END AS ref
  FROM fuzz.pcalls;
SELECT fuzz.check('package_cost', label, format($q$
SELECT 1 AS calls, got::text IS NOT DISTINCT FROM ref::text AS ok,
       format('package_cost(%%s, %%s, %%s, %%s, %%s) = %%s, expected %%s', left(w::text, 80), s, e, ws, we, left(got::text, 80), left(ref::text, 80)) AS detail
  FROM fuzz.pcalls_ref WHERE %s $q$, cond))
  FROM (VALUES ('windows and periods of every kind, weekly costs of every kind: costs under 10^15',
                'w IS NULL OR ws IS NULL OR we IS NULL OR abs(w) * (we - ws + 1) < 7e15'),
               ('windows and periods of every kind, weekly costs of every kind: costs that may reach 10^15',
                'abs(w) * (we - ws + 1) >= 7e15')) v(label, cond);
-- Hand-worked: the README's example (357 days of 735 a week), a leap year's 366 days, 29
-- February alone, a period ending on the window's first day or starting on its last.
SELECT fuzz.check('package_cost', 'worked examples', $q$
SELECT 1 AS calls, got::text IS NOT DISTINCT FROM expected AS ok, format('%s = %s, expected %s', call, got, expected) AS detail
  FROM (VALUES ('(735, 2018-04-09, NULL, 2018-04-01, 2019-03-31)', finmon.package_cost(735, '2018-04-09', NULL, '2018-04-01', '2019-03-31'), '37485.00'),
               ('(7, 2019-04-01, NULL, 2019-04-01, 2020-03-31)', finmon.package_cost(7, '2019-04-01', NULL, '2019-04-01', '2020-03-31'), '366.00'),
               ('(7, 2018-04-01, NULL, 2018-04-01, 2019-03-31)', finmon.package_cost(7, '2018-04-01', NULL, '2018-04-01', '2019-03-31'), '365.00'),
               ('(7, 1900-01-01, NULL, 1900-02-01, 1900-03-01)', finmon.package_cost(7, '1900-01-01', NULL, '1900-02-01', '1900-03-01'), '29.00'),
               ('(7, 2000-01-01, NULL, 2000-02-01, 2000-03-01)', finmon.package_cost(7, '2000-01-01', NULL, '2000-02-01', '2000-03-01'), '30.00'),
               ('(700, 2024-02-29, 2024-02-29, 2024-01-01, 2024-12-31)', finmon.package_cost(700, '2024-02-29', '2024-02-29', '2024-01-01', '2024-12-31'), '100.00'),
               ('(700, 2020-01-01, 2020-03-31, 2020-03-31, 2020-04-30)', finmon.package_cost(700, '2020-01-01', '2020-03-31', '2020-03-31', '2020-04-30'), '100.00'),
               ('(700, 2020-04-30, NULL, 2020-03-31, 2020-04-30)', finmon.package_cost(700, '2020-04-30', NULL, '2020-03-31', '2020-04-30'), '100.00'),
               ('(700, 2020-05-01, NULL, 2020-03-31, 2020-04-30)', finmon.package_cost(700, '2020-05-01', NULL, '2020-03-31', '2020-04-30'), '0.00'),
               ('(700, 2019-01-01, 2020-03-30, 2020-03-31, 2020-04-30)', finmon.package_cost(700, '2019-01-01', '2020-03-30', '2020-03-31', '2020-04-30'), '0.00'),
               ('(0.035, 2020-01-01, NULL, 2020-01-01, 2020-01-01)', finmon.package_cost(0.035, '2020-01-01', NULL, '2020-01-01', '2020-01-01'), '0.01'),
               ('(-0.035, 2020-01-01, NULL, 2020-01-01, 2020-01-01)', finmon.package_cost(-0.035, '2020-01-01', NULL, '2020-01-01', '2020-01-01'), '-0.01'),
               ('(0.034999, 2020-01-01, NULL, 2020-01-01, 2020-01-01)', finmon.package_cost(0.034999, '2020-01-01', NULL, '2020-01-01', '2020-01-01'), '0.00'),
               ('(100, 2020-01-01, 2020-01-10, 2020-01-01, 2020-01-07)', finmon.package_cost(100, '2020-01-01', '2020-01-10', '2020-01-01', '2020-01-07'), '100.00'),
               ('(100, NULL start)', finmon.package_cost(100, NULL, '2020-01-10', '2020-01-01', '2020-01-07'), NULL)) v(call, got, expected) $q$);

-- Errors: one fault a call: a NaN or infinite weekly cost, a period or a window ending before
-- it starts (22023), an infinite window bound (22008); and faults beside a NULL weekly cost,
-- start or window bound, where the result is NULL.
CREATE FUNCTION fuzz.package_cost_try(w numeric, s date, e date, ws date, we date) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN coalesce(finmon.package_cost(w, s, e, ws, we)::text, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'error ' || SQLSTATE;
END $$;
CREATE TABLE fuzz.pbad AS
SELECT i, fault,
       CASE WHEN fault = 0 THEN fuzz.special(r) WHEN fault = 5 AND nul = 0 THEN NULL ELSE w END AS w,
       CASE WHEN fault = 5 AND nul = 1 THEN NULL ELSE s END AS s,
       CASE WHEN fault = 1 THEN CASE WHEN r < 0.1 THEN '-infinity' ELSE s - 1 - floor(r * 1000)::int END
            WHEN fault = 5 AND r < 0.5 THEN s - 1 ELSE e END AS e,
       CASE WHEN fault = 3 THEN '-infinity' WHEN fault = 5 AND nul = 2 THEN NULL ELSE ws END AS ws,
       CASE WHEN fault = 2 THEN ws - 1 - floor(r * 1000)::int WHEN fault = 4 THEN 'infinity'
            WHEN fault = 3 AND r < 0.5 THEN 'infinity' WHEN fault = 5 AND nul = 3 THEN NULL
            WHEN fault = 5 AND r >= 0.5 THEN ws - 1 ELSE we END AS we
  FROM (SELECT i, i % 6 AS fault, floor(random() * 4)::int AS nul, random() AS r, c.w, c.s, coalesce(c.e, c.s + 30) AS e, c.ws, c.we
          FROM (SELECT * FROM fuzz.pcalls WHERE i < 200000 AND w IS NOT NULL AND w NOT IN ('NaN', 'Infinity', '-Infinity')
                   AND s IS NOT NULL AND isfinite(s) AND ws IS NOT NULL AND we IS NOT NULL LIMIT 12000) c OFFSET 0) x;
SELECT fuzz.check('package_cost', 'NaN or infinite weekly cost, period or window ending before it starts: 22023; infinite window bound: 22008; faults beside a NULL: NULL', $q$
SELECT 1 AS calls, got = expected AS ok, format('package_cost(%s, %s, %s, %s, %s): %s, expected %s', left(w::text, 80), s, e, ws, we, got, expected) AS detail
  FROM (SELECT w, s, e, ws, we, fuzz.package_cost_try(w, s, e, ws, we) AS got,
               (ARRAY['error 22023', 'error 22023', 'error 22023', 'error 22008', 'error 22008', 'NULL'])[fault + 1] AS expected
          FROM fuzz.pbad) x $q$);

-- commitment_agg -----------------------------------------------------------------------------

-- Groups of skewed sizes (group 0 has thousands of rows), each with its own window; rows
-- placed against it as above; a NULL weekly cost, start or window bound now and then (the
-- row is ignored).
CREATE TABLE fuzz.cwin AS
SELECT g, ws, fuzz.window_end(k, ws, r) AS we
  FROM (SELECT g, k, fuzz.window_start(k, floor(random() * 8)::int, random(), random()) AS ws, random() AS r
          FROM (SELECT g, floor(random() * 9)::int AS k FROM generate_series(0, 3099) g OFFSET 0) a OFFSET 0) b;
CREATE TABLE fuzz.crows AS
SELECT g, i, w, CASE WHEN e < st THEN e ELSE st END AS s, CASE WHEN e < st THEN st ELSE e END AS e, ws, we
  FROM (SELECT g, i, w, st, fuzz.period_end(st, ws, we, ke, r2, s2) AS e, ws, we
          FROM (SELECT g, i, fuzz.weekly(kw, r1, s1) AS w, fuzz.period_start(ws, we, ka, r2, s2) AS st, ke, r2, s2, ws, we
                  FROM (SELECT floor(random() ^ 3 * 3000)::int AS g, i, floor(random() * 12)::int AS kw, random() AS r1, random() AS s1,
                               floor(random() * 11)::int AS ka, floor(random() * 12)::int AS ke, random() AS r2, random() AS s2
                          FROM generate_series(1, 60000) i OFFSET 0) x
                  JOIN fuzz.cwin USING (g) OFFSET 0) y OFFSET 0) z;
UPDATE fuzz.crows SET s = NULL WHERE i % 47 = 0;
UPDATE fuzz.crows SET ws = NULL WHERE i % 67 = 1;
UPDATE fuzz.crows SET we = NULL WHERE i % 71 = 2;
-- All-NULL groups (weekly costs, starts or windows), groups of one-day windows on 29 February,
-- and groups whose periods all lie outside the window.
INSERT INTO fuzz.crows
SELECT 3000 + i % 20, i, CASE WHEN i % 3 = 0 THEN NULL ELSE 5 END, CASE WHEN i % 3 = 1 THEN NULL ELSE date '2020-01-01' END,
       NULL, date '2020-01-01', CASE WHEN i % 3 = 2 THEN NULL ELSE date '2020-12-31' END
  FROM generate_series(1, 400) i;
INSERT INTO fuzz.crows
SELECT 3020 + i % 20, i, fuzz.weekly(3 + i % 9, random(), random()),
       date '2024-02-29' - (i % 4), CASE WHEN i % 5 = 0 THEN NULL ELSE date '2024-02-29' - (i % 4) + (i % 3) END, date '2024-02-29', date '2024-02-29'
  FROM generate_series(1, 400) i;
INSERT INTO fuzz.crows
SELECT 3040 + i % 20, i, fuzz.weekly(3 + i % 9, random(), random()),
       CASE WHEN i % 2 = 0 THEN date '2019-04-01' + i ELSE date '2017-01-01' END,
       CASE WHEN i % 2 = 0 THEN NULL ELSE date '2018-03-31' END, date '2018-04-01', date '2019-03-31'
  FROM generate_series(1, 400) i;
ANALYZE fuzz.crows;

-- The reference for a group: the cost as sum(package_cost) and as the sum of the reference
-- costs (each row rounded once), the rows active on some day of the window, and the weekly
-- cost of those active on its last day; (0.00, 0, 0.00) with no rows counted.
CREATE FUNCTION fuzz.commitment_ok(a finmon.commitment_summary, sum_package_cost numeric, sum_ref numeric,
                                   packages bigint, weekly_at_end numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
SELECT (a).cost::text = coalesce(sum_package_cost, 0.00)::text AND (a).cost::text = coalesce(sum_ref, 0.00)::text
   AND (a).packages = packages AND (a).weekly_cost_at_end::text = fuzz.weekly_text(coalesce(weekly_at_end, 0)) $$;

-- The rows with their reference days and cost (NULL for the rows to ignore).
CREATE VIEW fuzz.crows_ref AS
SELECT c.*, d AS days, fuzz.cost_ref(w, d) AS cost, finmon.package_cost(w, s, e, ws, we) AS package_cost,
       d > 0 AS active, fuzz.active_on(s, e, we) AS at_end
  FROM fuzz.crows c
 CROSS JOIN LATERAL (SELECT CASE WHEN w IS NOT NULL AND s IS NOT NULL AND ws IS NOT NULL AND we IS NOT NULL
                                 THEN fuzz.active_days(s, e, ws, we) END AS d) d;

SELECT fuzz.check('commitment_agg', 'GROUP BY, empty (FILTER) and all-NULL groups', $q$
SELECT n AS calls, fuzz.commitment_ok(a, spc, sref, packages, at_end) AS ok,
       format('group %s (%s rows): %s; expected cost %s (sum(package_cost) %s), %s packages, %s a week at the end',
              g, n, a, sref, spc, packages, at_end) AS detail
  FROM (SELECT g, count(*) AS n, finmon.commitment_agg(w, s, e, ws, we) FILTER (WHERE keep) AS a,
               sum(package_cost) FILTER (WHERE keep) AS spc, sum(cost) FILTER (WHERE keep) AS sref,
               count(*) FILTER (WHERE keep AND active) AS packages, sum(w) FILTER (WHERE keep AND at_end AND days IS NOT NULL) AS at_end
          FROM (SELECT *, i % 13 <> 0 AND g % 17 <> 5 AS keep FROM fuzz.crows_ref) c
         GROUP BY g OFFSET 0) x $q$);
SELECT fuzz.check('commitment_agg', 'ungrouped: one group, no rows, NULL rows, one row', $q$
SELECT n AS calls, fuzz.commitment_ok(a, spc, sref, packages, at_end) AS ok, format('%s: %s', what, a) AS detail
  FROM (SELECT 'group 1' AS what, count(*) AS n, finmon.commitment_agg(w, s, e, ws, we) AS a, sum(package_cost) AS spc, sum(cost) AS sref,
               count(*) FILTER (WHERE active) AS packages, sum(w) FILTER (WHERE at_end AND days IS NOT NULL) AS at_end
          FROM fuzz.crows_ref WHERE g = 1
        UNION ALL
        SELECT 'none', 1, finmon.commitment_agg(w, s, e, ws, we), NULL, NULL, 0, NULL FROM fuzz.crows WHERE false
        UNION ALL
        SELECT 'NULL rows', count(*), finmon.commitment_agg(w, s, e, ws, we), NULL, NULL, 0, NULL FROM fuzz.crows WHERE g BETWEEN 3000 AND 3019
        UNION ALL
        SELECT 'one row ' || i, 1, finmon.commitment_agg(w, s, e, ws, we), sum(package_cost), sum(cost),
               count(*) FILTER (WHERE active), sum(w) FILTER (WHERE at_end AND days IS NOT NULL)
          FROM fuzz.crows_ref WHERE g IN (2, 3) GROUP BY i) x $q$);
-- As a cumulative window (the final function runs again on a growing state) and moving ones.
SELECT fuzz.check('commitment_agg', 'window ' || frame, format($q$
SELECT 1 AS calls, fuzz.commitment_ok(a, spc, sref, packages, at_end) AS ok, format('row %%s/%%s: %%s', g, i, a) AS detail
  FROM (SELECT g, i, finmon.commitment_agg(w, s, e, ws, we) OVER w AS a, sum(package_cost) OVER w AS spc, sum(cost) OVER w AS sref,
               count(*) FILTER (WHERE active) OVER w AS packages, sum(w) FILTER (WHERE at_end AND days IS NOT NULL) OVER w AS at_end
          FROM fuzz.crows_ref WHERE g %% 5 = 0 WINDOW w AS (PARTITION BY g ORDER BY i %s) OFFSET 0) x $q$, frame))
  FROM unnest(ARRAY['ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', 'ROWS BETWEEN 3 PRECEDING AND CURRENT ROW',
                    'ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING']) frame;

-- Parallel plans: 120,000 rows over one window (2019-20, with 29 February), grouped into 40
-- groups and not.  The references (each row's days and cost, the serial aggregate) are kept
-- first, so that the checked queries call no function of schema fuzz (not parallel safe).
CREATE TABLE fuzz.cpar AS
SELECT i % 40 AS g, i, w, CASE WHEN e < st THEN e ELSE st END AS s, CASE WHEN e < st THEN st ELSE e END AS e, ws, we
  FROM (SELECT i, w, st, fuzz.period_end(st, ws, we, ke, r2, s2) AS e, ws, we
          FROM (SELECT i, fuzz.weekly(kw, r1, s1) AS w, fuzz.period_start(ws, we, ka, r2, s2) AS st, ke, r2, s2, ws, we
                  FROM (SELECT i, floor(random() * 12)::int AS kw, random() AS r1, random() AS s1,
                               floor(random() * 11)::int AS ka, floor(random() * 12)::int AS ke, random() AS r2, random() AS s2,
                               date '2019-04-01' AS ws, date '2020-03-31' AS we
                          FROM generate_series(1, 120000) i OFFSET 0) x OFFSET 0) y OFFSET 0) z;
UPDATE fuzz.cpar SET s = NULL WHERE i % 97 = 0;
ANALYZE fuzz.cpar;
CREATE TABLE fuzz.cpar_ref AS
SELECT g, count(*) AS n, finmon.commitment_agg(w, s, e, ws, we)::text AS serial,
       format('(%s,%s,%s)', coalesce(sum(fuzz.cost_ref(w, d)), 0.00), count(*) FILTER (WHERE d > 0),
              fuzz.weekly_text(coalesce(sum(w) FILTER (WHERE d IS NOT NULL AND fuzz.active_on(s, e, we)), 0))) AS ref
  FROM (SELECT *, CASE WHEN w IS NOT NULL AND s IS NOT NULL THEN fuzz.active_days(s, e, ws, we) END AS d FROM fuzz.cpar) c
 GROUP BY ROLLUP (g);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- A plan with a Partial Aggregate whose workers ran (EXPLAIN ANALYZE).
CREATE FUNCTION fuzz.ran_in_parallel(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, FORMAT JSON) ' || q INTO plan;
    RETURN jsonb_path_exists(plan, '$.** ? (@."Partial Mode" == "Partial")')
       AND jsonb_path_exists(plan, '$.** ? (@."Workers Launched" > 0)');
END $$;
-- The checks' queries, each run as a check and under EXPLAIN ANALYZE.
CREATE TABLE fuzz.cpar_queries AS
SELECT what, format($q$
SELECT x.n AS calls, a::text = r.serial AND a::text = r.ref AS ok,
       format('group %%s: %%s in parallel, %%s serial, %%s expected', x.g, a, r.serial, r.ref) AS detail
  FROM (%s) x JOIN fuzz.cpar_ref r ON r.g IS NOT DISTINCT FROM x.g $q$, agg) AS q
  FROM (VALUES ('grouped', 'SELECT g, count(*) AS n, finmon.commitment_agg(w, s, e, ws, we) AS a FROM fuzz.cpar GROUP BY g'),
               ('ungrouped', 'SELECT NULL::int AS g, count(*) AS n, finmon.commitment_agg(w, s, e, ws, we) AS a FROM fuzz.cpar')) v(what, agg);
SELECT fuzz.check('commitment_agg', 'parallel, ' || what || ': equal to the serial answer and the reference', q) FROM fuzz.cpar_queries;
SELECT fuzz.check('commitment_agg', 'parallel plans: a Partial Aggregate, its workers launched', $q$
SELECT 1 AS calls, fuzz.ran_in_parallel(q) AS ok, format('%s: no parallel plan, or no worker launched', what) AS detail
  FROM fuzz.cpar_queries $q$);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;

-- Errors: groups of up to 30 valid rows and one at fault: a NaN or infinite weekly cost, more
-- than six decimal places, a period or a window ending before it starts (22023), an infinite
-- window bound (22008), a weekly cost in millionths times the days past 2^125 (22003).  Faults
-- beside a NULL weekly cost, start or window bound are ignored, as the row is.
CREATE FUNCTION fuzz.commitment_try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE q INTO result;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN 'error ' || SQLSTATE;
END $$;
CREATE TABLE fuzz.cbad AS
SELECT g, fault, i,
       CASE WHEN i <> bad THEN w
            WHEN fault = 0 THEN fuzz.special(r)
            WHEN fault = 1 THEN round(w, 6) + ('1e-' || 7 + floor(r * 994)::int)::numeric * (1 + floor(r2 * 9)::int) * (1 - 2 * floor(r2 * 2)::int)
            WHEN fault = 5 THEN (floor(2::numeric ^ 125 / d) + 1 + floor(r * 1e6)::numeric * floor(r2 * 3)::int)
                                 * 0.000001 * (1 - 2 * floor(r2 * 2)::int)
            WHEN fault = 6 THEN (ARRAY[1e33, -1e33, 170141183460469231731687303715884105728, 1e1000])[1 + floor(r * 4)::int]
            WHEN fault = 7 AND r2 < 0.3 THEN NULL
            WHEN fault = 7 AND r2 < 0.5 THEN fuzz.special(r)
            WHEN fault = 7 AND r2 < 0.7 THEN 1.0000001
            ELSE w END AS w,
       CASE WHEN i = bad AND fault = 7 AND r2 >= 0.3 AND r2 < 0.8 THEN NULL ELSE s END AS s,
       CASE WHEN i = bad AND fault IN (2, 7) THEN CASE WHEN r < 0.1 THEN '-infinity' ELSE s - 1 - floor(r * 1000)::int END ELSE e END AS e,
       CASE WHEN i = bad AND fault = 4 AND r < 0.5 THEN '-infinity' WHEN i = bad AND fault = 7 AND r2 >= 0.8 AND r2 < 0.9 THEN NULL
            ELSE ws END AS ws,
       CASE WHEN i = bad AND fault = 3 THEN ws - 1 - floor(r * 1000)::int WHEN i = bad AND fault = 4 AND r >= 0.5 THEN 'infinity'
            WHEN i = bad AND fault = 7 AND r2 >= 0.9 THEN NULL ELSE we END AS we
  FROM (SELECT g, fault, bad, i, w, s, e, ws, we, r, r2, fuzz.active_days(s, e, ws, we) AS d
          FROM (SELECT g, g % 8 AS fault, 1 + floor(random() * n)::int AS bad, n, random() AS r, random() AS r2,
                       fuzz.day(floor(random() * 8)::int, random(), random()) AS ws, floor(random() * 9)::int AS k
                  FROM (SELECT g, 1 + floor(random() * 30)::int AS n FROM generate_series(1, 800) g) gn OFFSET 0) gb
         CROSS JOIN LATERAL (SELECT fuzz.window_end(k, ws, random()) AS we) wb
         CROSS JOIN LATERAL (SELECT i, fuzz.weekly(1 + floor(random() * 11)::int, random(), random()) AS w,
                                    CASE WHEN i = bad THEN ws + floor(random() * (we - ws + 1))::int ELSE ws - 3 + i END AS s,
                                    CASE WHEN random() < 0.3 THEN NULL ELSE we + floor(random() * 3)::int - 1 + i END AS e
                               FROM generate_series(1, gb.n) i OFFSET 0) rows OFFSET 0) x;
SELECT fuzz.check('commitment_agg', 'NaN or infinite weekly cost, more than six decimals, period or window ending before it starts: 22023; infinite window bound: 22008; past 2^125: 22003; faults beside a NULL: ignored', $q$
SELECT n AS calls, got = expected AS ok, format('group %s (fault %s): %s, expected %s', g, fault, got, expected) AS detail
  FROM (SELECT g, fault, n, fuzz.commitment_try(format('SELECT finmon.commitment_agg(w, s, e, ws, we)::text FROM fuzz.cbad WHERE g = %s', g)) AS got,
               CASE WHEN fault = 7
                    THEN (SELECT format('(%s,%s,%s)', coalesce(sum(fuzz.cost_ref(w, fuzz.active_days(s, e, ws, we))), 0.00),
                                        count(*) FILTER (WHERE fuzz.active_days(s, e, ws, we) > 0),
                                        fuzz.weekly_text(coalesce(sum(w) FILTER (WHERE fuzz.active_on(s, e, we)), 0)))
                            FROM fuzz.cbad c WHERE c.g = x.g AND w IS NOT NULL AND s IS NOT NULL AND ws IS NOT NULL AND we IS NOT NULL)
                    ELSE 'error ' || (ARRAY['22023', '22023', '22023', '22023', '22008', '22003', '22003'])[fault + 1] END AS expected
          FROM (SELECT g, fault, count(*) AS n FROM fuzz.cbad GROUP BY g, fault) x) y $q$);

-- Large weekly costs: groups of one to three rows active on every day of a window of 1 to 400
-- days, each weekly cost in millionths times the days up to 2^125 (fine: the README's limit)
-- or just past it (22003); weekly costs from 10^15 to 4 x 10^31, to 0 .. 6 decimal places.
CREATE TABLE fuzz.clarge AS
SELECT g, j, d, ws, ws + d - 1 AS we, ws - floor(r * 3)::int AS s, CASE WHEN r < 0.5 THEN NULL ELSE ws + d - 1 + floor(r * 3)::int END AS e,
       sign * CASE kind
                  WHEN 0 THEN floor(2::numeric ^ 125 / d) * 0.000001                                       -- the limit, or just under
                  WHEN 1 THEN (floor(2::numeric ^ 125 / d) + 1) * 0.000001                                 -- just past it
                  WHEN 2 THEN trunc(floor(2::numeric ^ 125 / d) * 0.000001, places)                        -- under it, fewer places
                  WHEN 3 THEN trunc(floor(2::numeric ^ 125 / d) * 0.000001 * (0.1 + r2 * 0.9)::numeric, places)
                  WHEN 4 THEN trunc(('1e' || floor(15 + r2 * 17))::numeric * (1 + r)::numeric, places)  -- 10^15 .. 2 x 10^31
                  ELSE trunc((floor(2::numeric ^ 125 / d) + 1 + floor(r2 * 1e9)::numeric) * 0.000001, places)
                       + ('1e-' || places)::numeric                                                      -- past it, fewer places
              END AS w
  FROM (SELECT g, j, d, ws, random() AS r, random() AS r2, floor(random() * 7)::int AS places,
               CASE WHEN random() < 0.5 THEN 1 ELSE -1 END AS sign, floor(random() * 6)::int AS kind
          FROM (SELECT g, generate_series(1, 1 + floor(random() * 3)::int) AS j,
                       (ARRAY[1, 1, 2, 3, 7, 30, 64, 365, 366, 400])[1 + floor(random() * 10)::int] AS d, fuzz.day(0, random(), 0) AS ws
                  FROM generate_series(1, 1500) g OFFSET 0) gj OFFSET 0) x;
SELECT fuzz.check('commitment_agg', 'weekly costs to 2^125 millionths x days: fine; past it: 22003', $q$
SELECT n AS calls, got = expected AS ok, format('group %s: %s, expected %s; weekly costs and days: %s', g, got, expected, rows) AS detail
  FROM (SELECT g, count(*) AS n, fuzz.commitment_try(format('SELECT finmon.commitment_agg(w, s, e, ws, we)::text FROM fuzz.clarge WHERE g = %s', g)) AS got,
               CASE WHEN bool_or(abs(w * 1000000 * d) > 2::numeric ^ 125) THEN 'error 22003'
                    ELSE format('(%s,%s,%s)', sum(fuzz.cost_ref(w, d)), count(*), fuzz.weekly_text(sum(w))) END AS expected,
               string_agg(format('%s x %s', w, d), ', ' ORDER BY j) AS rows
          FROM fuzz.clarge GROUP BY g) x $q$);
-- Totals past the 128-bit range, as the README states it (about 1.7 x 10^38 millionths or
-- pence), all of one sign: 1,701 or 1,702 rows of 10^29 a week active on a one-day window's
-- day (10^35 millionths each); 280,000 or 281,000 rows of 10^29 a week costing 425 days of a
-- longer window (6.07 x 10^32 pence each).  Each query counts as one call.
SELECT fuzz.check('commitment_agg', 'totals to and past the 128-bit range: 22003', $q$
SELECT 1 AS calls, got = expected AS ok, format('%s rows of %s a week over %s days: %s, expected %s', n, w, d, got, expected) AS detail
  FROM (SELECT n, w, d,
               fuzz.commitment_try(format('SELECT finmon.commitment_agg(%s, date %L, date %L, date %L, date %L)::text FROM generate_series(1, %s)',
                                          w, date '2020-01-01', date '2020-01-01' + d - 1, date '2020-01-01', date '2020-01-01' + (CASE WHEN d = 1 THEN 0 ELSE 1000 END), n)) AS got,
               CASE WHEN NOT (n * w * 1000000 * (d = 1)::int BETWEEN -(2::numeric ^ 127) AND 2::numeric ^ 127 - 1)
                      OR NOT (n * fuzz.cost_ref(w, d) * 100 BETWEEN -(2::numeric ^ 127) AND 2::numeric ^ 127 - 1) THEN 'error 22003'
                    ELSE format('(%s,%s,%s)', n * fuzz.cost_ref(w, d), n, fuzz.weekly_text(CASE WHEN d = 1 THEN n * w ELSE 0 END)) END AS expected
          FROM (VALUES (1701, 1e29, 1), (1702, 1e29, 1), (1701, -1e29, 1), (1702, -1e29, 1),
                       (280000, 1e29, 425), (281000, 1e29, 425), (280000, -1e29, 425), (281000, -1e29, 425)) v(n, w, d)) x $q$);

-- package_run_start --------------------------------------------------------------------------

-- Packages (in three councils, with the same package names in each) of 1 to 20 priced periods
-- in order: each starts the day after the last ended (the run goes on), two days after (a
-- break of one day) or later; periods of one day and longer; the last open-ended now and then
-- (NULL or infinity); starting in every kind of year, BC and far future included.  Rows stored
-- in random order.
CREATE TABLE fuzz.priced_periods AS
SELECT council, package, j, base + off AS starts,
       CASE WHEN j = n AND open < 0.2 THEN NULL WHEN j = n AND open < 0.25 THEN 'infinity' ELSE base + off + len END AS ends
  FROM (SELECT council, package, n, j, base, len, open,
               coalesce(sum(len + gap) OVER (PARTITION BY council, package ORDER BY j ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS off
          FROM (SELECT (ARRAY['A', 'B', 'C'])[1 + p % 3] AS council, 'package ' || (p / 3) AS package, n,
                       fuzz.day(floor(random() * 8)::int, random(), random()) AS base, random() AS open, p
                  FROM (SELECT p, 1 + floor(random() ^ 2 * 20)::int AS n FROM generate_series(1, 9000) p OFFSET 0) pn OFFSET 0) pb
         CROSS JOIN LATERAL (SELECT j, CASE WHEN random() < 0.15 THEN 0 WHEN random() < 0.5 THEN floor(random() * 31)::int
                                           ELSE floor(random() * 801)::int END AS len,
                                    CASE WHEN random() < 0.6 THEN 1 WHEN random() < 0.3 THEN 2 ELSE 2 + floor(random() * 400)::int END AS gap
                               FROM generate_series(1, pb.n) j OFFSET 0) jl) x;
-- The ends of the calendar: runs from 4713-11-24 BC and to 5874897-12-31.
INSERT INTO fuzz.priced_periods VALUES
    ('A', 'earliest', 1, '4713-11-24 BC', '4713-11-24 BC'), ('A', 'earliest', 2, '4713-11-25 BC', '4713-12-31 BC'),
    ('A', 'earliest', 3, '4712-01-02 BC', '4712-01-02 BC'), ('A', 'earliest', 4, '4712-01-03 BC', NULL),
    ('A', 'latest', 1, '5874897-01-01', '5874897-06-30'), ('A', 'latest', 2, '5874897-07-01', '5874897-12-30'),
    ('A', 'latest', 3, '5874897-12-31', '5874897-12-31'),
    ('A', 'year 0', 1, '0001-12-31 BC', '0001-12-31 BC'), ('A', 'year 0', 2, '0001-01-01', '0001-02-28'),
    ('A', 'year 0', 3, '0001-03-01', NULL);
CREATE TABLE fuzz.priced_shuffled AS SELECT * FROM fuzz.priced_periods ORDER BY random();
ANALYZE fuzz.priced_shuffled;

SELECT fuzz.check('package_run_start', 'runs broken and unbroken, OVER (PARTITION BY council, package ORDER BY starts)', $q$
WITH b AS (SELECT *, CASE WHEN starts - lag(ends) OVER w = 1 THEN 0 ELSE 1 END AS breaks
             FROM fuzz.priced_shuffled WINDOW w AS (PARTITION BY council, package ORDER BY starts)),
r AS (SELECT *, sum(breaks) OVER (PARTITION BY council, package ORDER BY starts) AS run FROM b),
ref AS (SELECT council, package, starts, min(starts) OVER (PARTITION BY council, package, run) AS run_start FROM r),
got AS (SELECT council, package, starts, ends,
               finmon.package_run_start(starts, ends) OVER (PARTITION BY council, package ORDER BY starts) AS run_start
          FROM fuzz.priced_shuffled)
SELECT 1 AS calls, got.run_start IS NOT DISTINCT FROM ref.run_start AS ok,
       format('%s %s, the period %s to %s: run from %s, expected %s', council, package, starts, ends, got.run_start, ref.run_start) AS detail
  FROM got FULL JOIN ref USING (council, package, starts) $q$);

-- Alone, the part reports its own functions' checks (part_end.sql).
\set part_functions 'package_cost commitment_agg package_run_start'
\ir part_end.sql
