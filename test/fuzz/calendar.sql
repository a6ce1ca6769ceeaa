-- The calendar: financial_year_of, period_of, period_start, period_end, financial_year_start,
-- financial_year_end, previous_financial_year, is_financial_year.
-- A part of finmon's fuzz test (scripts/test-fuzz runs them all).  Runs alone in an empty
-- database (psql -X -v ON_ERROR_STOP=1 -f test/fuzz/calendar.sql) and reports its own checks.
\ir setup.sql
SELECT setseed(0.11);

-- Dates: uniform over 0001-01-01 .. 9999-12-31, 1990-2040, the days around 1 April, and edges.
CREATE TABLE fuzz.dates AS
SELECT d FROM (
    SELECT CASE i % 4
               WHEN 0 THEN date '0001-01-01' + floor(random() * (date '9999-12-31' - date '0001-01-01' + 1))::int
               WHEN 1 THEN date '1990-01-01' + floor(random() * 18263)::int
               WHEN 2 THEN make_date(1 + floor(random() * 9999)::int, 4, 1) - floor(random() * 3)::int + 1
               ELSE make_date(1 + floor(random() * 9999)::int, 1 + floor(random() * 12)::int, 1)
                    + (floor(random() * 2)::int * (interval '1 month' - interval '1 day'))::interval
           END::date AS d
      FROM generate_series(1, 60000) i) g
 WHERE d >= date '0001-01-01'
UNION ALL
SELECT d::date FROM unnest(ARRAY['0001-01-01', '0001-03-31', '0001-04-01', '9999-12-31', '9999-04-01',
                                 '9999-03-31', '2000-02-29', '2100-02-28', '1900-03-01', '2019-03-31',
                                 '2019-04-01', '1999-12-31', '2000-01-01']) d;

-- Dates that have no financial year: before 1 April of year 1 (BC included), and infinities.
CREATE TABLE fuzz.bad_dates AS
SELECT date '0001-04-01' - 1 - floor(random() * 800000)::int AS d FROM generate_series(1, 3000)
UNION ALL SELECT d::date FROM unnest(ARRAY['infinity', '-infinity', '4713-11-24 BC', '0001-12-31 BC',
                                           '0001-01-01', '0001-03-31', '0001-03-01']) d;

SELECT fuzz.check('financial_year_of', 'dates 0001-04-01 .. 9999-12-31', $q$
SELECT 1 AS calls, got IS NOT DISTINCT FROM ref AS ok, format('financial_year_of(%s) = %s, expected %s', d, got, ref) AS detail
  FROM (SELECT d, finmon.financial_year_of(d) AS got,
               fuzz.fy(extract(year FROM d)::int - CASE WHEN extract(month FROM d) < 4 THEN 1 ELSE 0 END) AS ref
          FROM fuzz.dates WHERE d >= date '0001-04-01') x $q$);
SELECT fuzz.check('financial_year_of', 'dates before 0001-04-01 and infinities: 22008', $q$
SELECT 1 AS calls, got = '22008' AS ok, format('financial_year_of(%s): %s, expected 22008', d, got) AS detail
  FROM (SELECT d, fuzz.state_of(format('SELECT finmon.financial_year_of(%L::date)', d)) AS got FROM fuzz.bad_dates
         WHERE d < date '0001-04-01' OR NOT isfinite(d)) x $q$);
SELECT fuzz.check('financial_year_of', 'NULL', $q$
SELECT 1 AS calls, finmon.financial_year_of(NULL) IS NULL AS ok, 'financial_year_of(NULL) is not NULL' AS detail $q$);

SELECT fuzz.check('period_of', 'finite dates, BC included', $q$
SELECT 1 AS calls, got IS NOT DISTINCT FROM ref AS ok, format('period_of(%s) = %s, expected %s', d, got, ref) AS detail
  FROM (SELECT d, finmon.period_of(d) AS got,
               CASE WHEN extract(month FROM d) >= 4 THEN extract(month FROM d) - 3 ELSE extract(month FROM d) + 9 END::int AS ref
          FROM (SELECT d FROM fuzz.dates UNION ALL SELECT d FROM fuzz.bad_dates WHERE isfinite(d)) d) x $q$);
SELECT fuzz.check('period_of', 'infinities: 22008', $q$
SELECT 1 AS calls, got = '22008' AS ok, format('period_of(%s): %s, expected 22008', d, got) AS detail
  FROM (SELECT d, fuzz.state_of(format('SELECT finmon.period_of(%L::date)', d)) AS got
          FROM unnest(ARRAY['infinity', '-infinity']::date[]) d) x $q$);

-- Texts: financial years, near misses and noise.
CREATE TABLE fuzz.years AS
SELECT t FROM (
    SELECT CASE i % 10
               WHEN 0 THEN fuzz.fy(1 + floor(random() * 9999)::int)
               WHEN 1 THEN fuzz.fy(1990 + floor(random() * 60)::int)
               WHEN 2 THEN fuzz.fy(1 + floor(random() * 9999)::int)
               WHEN 3 THEN lpad(y::text, 4, '0') || '-' || lpad(((y + 1 + floor(random() * 99)::int) % 100)::text, 2, '0')
               WHEN 4 THEN lpad(floor(random() * 10000)::text, 4, '0') || '-' || lpad(floor(random() * 100)::text, 2, '0')
               WHEN 5 THEN (ARRAY['0001-02', '9999-00', '1999-00', '2099-00', '0099-00', '0000-01', '0000-00',
                                  '18-19', '2018/19', '2018-2019', ' 2018-19', '2018-19 ', '', 'abcd-ef', '2018-1',
                                  '２０１８-19', '2018–19', '+018-19', '-018-19', '2018-19' || chr(10), '2018_19',
                                  '2018-19-20', '201-19', '02018-19', '2018-019', '٢٠١٨-١٩', 'Ｘ', '2018-+1',
                                  '1e03-04', '0x12-13', '9998-99', '9999-99', '0098-99', '0100-01'])[1 + floor(random() * 34)::int]
               WHEN 6 THEN overlay(fuzz.fy(y) placing chr(32 + floor(random() * 95)::int) from 1 + floor(random() * 7)::int for 1)
               WHEN 7 THEN substr(md5(random()::text), 1, floor(random() * 9)::int)
               WHEN 8 THEN overlay(fuzz.fy(y) placing (ARRAY['é', '٣', '０', '-', '/', ' ', '', '00'])[1 + floor(random() * 8)::int]
                                   from 1 + floor(random() * 7)::int for floor(random() * 2)::int)
               ELSE fuzz.fy(y)
           END AS t
      FROM (SELECT i, 1 + floor(random() * 9999)::int AS y FROM generate_series(1, 40000) i) g) s;

SELECT fuzz.check('is_financial_year', 'years, near misses and noise', $q$
SELECT 1 AS calls, got = (fuzz.fy_start(t) IS NOT NULL) AS ok, format('is_financial_year(%L) = %s', t, got) AS detail
  FROM (SELECT t, finmon.is_financial_year(t) AS got FROM fuzz.years) x $q$);
SELECT fuzz.check('is_financial_year', 'random digit strings', $q$
SELECT 1 AS calls, got = (fuzz.fy_start(t) IS NOT NULL) AS ok, format('is_financial_year(%L) = %s', t, got) AS detail
  FROM (SELECT t, finmon.is_financial_year(t) AS got
          FROM (SELECT lpad((i % 10000)::text, 4, '0') || '-' || lpad((i * 7919 % 100)::text, 2, '0') AS t
                  FROM generate_series(0, 59999) i) t) x $q$);

SELECT fuzz.check('financial_year_start', 'financial years', $q$
SELECT 1 AS calls, got IS NOT DISTINCT FROM make_date(y, 4, 1) AS ok, format('financial_year_start(%L) = %s', t, got) AS detail
  FROM (SELECT t, fuzz.fy_start(t) AS y, finmon.financial_year_start(t) AS got FROM fuzz.years WHERE fuzz.fy_start(t) IS NOT NULL) x $q$);
SELECT fuzz.check('financial_year_end', 'financial years', $q$
SELECT 1 AS calls, got IS NOT DISTINCT FROM make_date(y + 1, 3, 31) AS ok, format('financial_year_end(%L) = %s', t, got) AS detail
  FROM (SELECT t, fuzz.fy_start(t) AS y, finmon.financial_year_end(t) AS got FROM fuzz.years WHERE fuzz.fy_start(t) IS NOT NULL) x $q$);
SELECT fuzz.check('previous_financial_year', 'financial years after 0001-02', $q$
SELECT 1 AS calls, got IS NOT DISTINCT FROM fuzz.fy(y - 1) AS ok, format('previous_financial_year(%L) = %s', t, got) AS detail
  FROM (SELECT t, fuzz.fy_start(t) AS y, finmon.previous_financial_year(t) AS got FROM fuzz.years WHERE fuzz.fy_start(t) > 1) x $q$);

-- Periods: 1..12 mostly, and -1, 0, 13, 14 and the int4 limits.
CREATE TABLE fuzz.periods AS
SELECT t, CASE WHEN random() < 0.85 THEN 1 + floor(random() * 12)::int
               ELSE (ARRAY[0, 13, -1, 14, 2147483647, -2147483648, -12, 24, 100])[1 + floor(random() * 9)::int] END AS p
  FROM fuzz.years, generate_series(1, 2);

SELECT fuzz.check('period_start', 'financial years, periods 1..12', $q$
SELECT 1 AS calls, got IS NOT DISTINCT FROM make_date(y + CASE WHEN p > 9 THEN 1 ELSE 0 END, (p + 2) % 12 + 1, 1) AS ok,
       format('period_start(%L, %s) = %s', t, p, got) AS detail
  FROM (SELECT t, p, fuzz.fy_start(t) AS y, finmon.period_start(t, p) AS got FROM fuzz.periods
         WHERE fuzz.fy_start(t) IS NOT NULL AND p BETWEEN 1 AND 12) x $q$);
SELECT fuzz.check('period_end', 'financial years, periods 1..12', $q$
SELECT 1 AS calls,
       got IS NOT DISTINCT FROM (make_date(y + CASE WHEN p > 9 THEN 1 ELSE 0 END, (p + 2) % 12 + 1, 1) + interval '1 month')::date - 1 AS ok,
       format('period_end(%L, %s) = %s', t, p, got) AS detail
  FROM (SELECT t, p, fuzz.fy_start(t) AS y, finmon.period_end(t, p) AS got FROM fuzz.periods
         WHERE fuzz.fy_start(t) IS NOT NULL AND p BETWEEN 1 AND 12) x $q$);

-- Errors: a text that is not a financial year 22007 (checked before the period), a period
-- outside 1..12 22023, no year before 0001-02 22008.
CREATE FUNCTION fuzz.e_year(f text, t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE f
        WHEN 'financial_year_start' THEN PERFORM finmon.financial_year_start(t);
        WHEN 'financial_year_end' THEN PERFORM finmon.financial_year_end(t);
        WHEN 'previous_financial_year' THEN PERFORM finmon.previous_financial_year(t);
    END CASE;
    RETURN '00000';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
CREATE FUNCTION fuzz.e_period(f text, t text, p int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    IF f = 'period_start' THEN PERFORM finmon.period_start(t, p); ELSE PERFORM finmon.period_end(t, p); END IF;
    RETURN '00000';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

SELECT fuzz.check(f, 'not financial years: 22007; 0001-02 previous: 22008', format($q$
SELECT 1 AS calls, got = expected AS ok, format('%%s(%%L): %%s, expected %%s', %L, t, got, expected) AS detail
  FROM (SELECT t, fuzz.e_year(%L, t) AS got,
               CASE WHEN fuzz.fy_start(t) IS NULL THEN '22007'
                    WHEN %L = 'previous_financial_year' AND fuzz.fy_start(t) = 1 THEN '22008' ELSE '00000' END AS expected
          FROM fuzz.years WHERE fuzz.fy_start(t) IS NULL OR fuzz.fy_start(t) = 1 OR t LIKE '%%-%%' AND random() < 0.02) x $q$, f, f, f))
  FROM unnest(ARRAY['financial_year_start', 'financial_year_end', 'previous_financial_year']) f;
SELECT fuzz.check(f, 'bad years 22007, then bad periods 22023', format($q$
SELECT 1 AS calls, got = expected AS ok, format('%%s(%%L, %%s): %%s, expected %%s', %L, t, p, got, expected) AS detail
  FROM (SELECT t, p, fuzz.e_period(%L, t, p) AS got,
               CASE WHEN fuzz.fy_start(t) IS NULL THEN '22007' WHEN p NOT BETWEEN 1 AND 12 THEN '22023' ELSE '00000' END AS expected
          FROM fuzz.periods WHERE fuzz.fy_start(t) IS NULL OR p NOT BETWEEN 1 AND 12 OR random() < 0.02) x $q$, f, f))
  FROM unnest(ARRAY['period_start', 'period_end']) f;
SELECT fuzz.check(f, 'NULL arguments', format($q$
SELECT 1 AS calls, %s IS NULL AS ok, %L AS detail $q$, c, c))
  FROM (VALUES ('is_financial_year', 'finmon.is_financial_year(NULL)'),
               ('financial_year_start', 'finmon.financial_year_start(NULL)'),
               ('financial_year_end', 'finmon.financial_year_end(NULL)'),
               ('previous_financial_year', 'finmon.previous_financial_year(NULL)'),
               ('period_of', 'finmon.period_of(NULL)'),
               ('period_start', 'finmon.period_start(NULL, 1)'), ('period_start', 'finmon.period_start(''2018-19'', NULL)'),
               ('period_end', 'finmon.period_end(NULL, 1)'), ('period_end', 'finmon.period_end(''2018-19'', NULL)')) v(f, c);

-- Alone, the part reports its own functions' checks (part_end.sql).
\set part_functions 'financial_year_of period_of period_start period_end financial_year_start financial_year_end previous_financial_year is_financial_year'
\ir part_end.sql
