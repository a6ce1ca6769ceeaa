-- pgTAP tests for finmon's financial calendar (src/calendar.c, src/calendar.sql).
-- Financial years are 'YYYY-YY' running 1 April to 31 March; periods 1 (April) to 12 (March).
-- Expected dates are read off a calendar, or computed in the same test by plain SQL date
-- arithmetic (date_trunc / interval), never by the functions under test.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;

SELECT plan(173);

-- Catalogue attributes: every calendar function is IMMUTABLE STRICT PARALLEL SAFE, so it
-- can be used in indexes, folded by the planner, returns NULL for NULL, and runs in workers.
SELECT function_returns('finmon', f, a::name[], r, format('%s(%s) returns %s', f, array_to_string(a, ', '), r))
  FROM (VALUES ('financial_year_of',       ARRAY['date'],            'text'),
               ('period_of',               ARRAY['date'],            'integer'),
               ('period_start',            ARRAY['text', 'integer'], 'date'),
               ('period_end',              ARRAY['text', 'integer'], 'date'),
               ('financial_year_start',    ARRAY['text'],            'date'),
               ('financial_year_end',      ARRAY['text'],            'date'),
               ('previous_financial_year', ARRAY['text'],            'text')) v(f, a, r);

SELECT volatility_is('finmon', f, a::name[], 'immutable', format('%s(%s) is IMMUTABLE', f, array_to_string(a, ', ')))
  FROM (VALUES ('financial_year_of',       ARRAY['date']),
               ('period_of',               ARRAY['date']),
               ('period_start',            ARRAY['text', 'integer']),
               ('period_end',              ARRAY['text', 'integer']),
               ('financial_year_start',    ARRAY['text']),
               ('financial_year_end',      ARRAY['text']),
               ('previous_financial_year', ARRAY['text'])) v(f, a);

SELECT is_strict('finmon', f, a::name[], format('%s(%s) is STRICT', f, array_to_string(a, ', ')))
  FROM (VALUES ('financial_year_of',       ARRAY['date']),
               ('period_of',               ARRAY['date']),
               ('period_start',            ARRAY['text', 'integer']),
               ('period_end',              ARRAY['text', 'integer']),
               ('financial_year_start',    ARRAY['text']),
               ('financial_year_end',      ARRAY['text']),
               ('previous_financial_year', ARRAY['text'])) v(f, a);

SELECT is((SELECT p.proparallel::text FROM pg_proc p WHERE p.oid = sig::regprocedure), 's',
          sig || ' is PARALLEL SAFE (proparallel = s)')
  FROM (VALUES ('finmon.financial_year_of(date)'),
               ('finmon.period_of(date)'),
               ('finmon.period_start(text, integer)'),
               ('finmon.period_end(text, integer)'),
               ('finmon.financial_year_start(text)'),
               ('finmon.financial_year_end(text)'),
               ('finmon.previous_financial_year(text)')) v(sig);

-- NULL in, NULL out (STRICT in practice, not just in the catalogue: either argument NULL).
SELECT is(finmon.financial_year_of(NULL::date), NULL, 'financial_year_of(NULL) is NULL');
SELECT is(finmon.period_of(NULL::date), NULL, 'period_of(NULL) is NULL');
SELECT is(finmon.period_start(NULL, 1), NULL, 'period_start(NULL, 1) is NULL');
SELECT is(finmon.period_start('2018-19', NULL), NULL, 'period_start(''2018-19'', NULL) is NULL');
SELECT is(finmon.period_end(NULL, 1), NULL, 'period_end(NULL, 1) is NULL');
SELECT is(finmon.period_end('2018-19', NULL), NULL, 'period_end(''2018-19'', NULL) is NULL');
SELECT is(finmon.financial_year_start(NULL), NULL, 'financial_year_start(NULL) is NULL');
SELECT is(finmon.financial_year_end(NULL), NULL, 'financial_year_end(NULL) is NULL');
SELECT is(finmon.previous_financial_year(NULL), NULL, 'previous_financial_year(NULL) is NULL');

-- financial_year_of at the year boundaries, read off a calendar: 1 April starts a year,
-- 31 March ends it, and the 1999-00 / 2000-01 century turn writes its second half as '00'/'01'.
SELECT is(finmon.financial_year_of(d), fy, format('financial_year_of(%s) = %s', d, fy))
  FROM (VALUES ('2018-04-01'::date, '2018-19'),
               ('2019-03-31', '2018-19'),
               ('2018-03-31', '2017-18'),
               ('2019-04-01', '2019-20'),
               ('2018-12-31', '2018-19'),
               ('2019-01-01', '2018-19'),
               ('2020-02-29', '2019-20'),
               ('1999-12-31', '1999-00'),
               ('2000-01-15', '1999-00'),
               ('2000-03-31', '1999-00'),
               ('2000-04-01', '2000-01'),
               ('2099-06-30', '2099-00')) v(d, fy);

-- period_of: April is 1, December 9, January 10, March 12; 29 February is period 11.
SELECT is(finmon.period_of(d), p, format('period_of(%s) = %s', d, p))
  FROM (VALUES ('2018-04-01'::date, 1),
               ('2018-04-30', 1),
               ('2018-05-01', 2),
               ('2018-08-15', 5),
               ('2018-12-31', 9),
               ('2019-01-01', 10),
               ('2019-02-28', 11),
               ('2020-02-29', 11),
               ('2019-03-01', 12),
               ('2019-03-31', 12)) v(d, p);

-- The fixed points named in the specification, plus other month lengths, read off a calendar.
SELECT is(finmon.period_start('2018-19', 1), '2018-04-01'::date, 'period 1 of 2018-19 starts 2018-04-01');
SELECT is(finmon.period_end('2018-19', 1), '2018-04-30'::date, 'period 1 of 2018-19 ends 2018-04-30');
SELECT is(finmon.period_start('2018-19', 5), '2018-08-01'::date, 'period 5 of 2018-19 starts 2018-08-01');
SELECT is(finmon.period_end('2018-19', 6), '2018-09-30'::date, 'period 6 of 2018-19 ends 2018-09-30');
SELECT is(finmon.period_end('2018-19', 9), '2018-12-31'::date, 'period 9 of 2018-19 ends 2018-12-31');
SELECT is(finmon.period_start('2018-19', 10), '2019-01-01'::date, 'period 10 of 2018-19 starts 2019-01-01');
SELECT is(finmon.period_end('2018-19', 11), '2019-02-28'::date, 'period 11 of 2018-19 ends 2019-02-28 (not a leap year)');
SELECT is(finmon.period_end('2018-19', 12), '2019-03-31'::date, 'period 12 of 2018-19 ends 2019-03-31');
SELECT is(finmon.period_end('2019-20', 11), '2020-02-29'::date, 'period 11 of 2019-20 ends 2020-02-29 (leap year)');
SELECT is(finmon.period_start('1999-00', 12), '2000-03-01'::date, 'period 12 of 1999-00 starts 2000-03-01');
SELECT is(finmon.period_end('1999-00', 12), '2000-03-31'::date, 'period 12 of 1999-00 ends 2000-03-31');
SELECT is(finmon.period_end('1999-00', 11), '2000-02-29'::date, 'period 11 of 1999-00 ends 2000-02-29 (2000 is a leap year)');
SELECT is(finmon.period_end('2099-00', 11), '2100-02-28'::date, 'period 11 of 2099-00 ends 2100-02-28 (2100 is not a leap year)');
SELECT is(finmon.period_start('2099-00', 10), '2100-01-01'::date, 'period 10 of 2099-00 starts 2100-01-01');

-- All twelve periods of the leap year 2019-20, written out from a calendar.
SELECT results_eq(
    $$SELECT p, finmon.period_start('2019-20', p), finmon.period_end('2019-20', p)
        FROM generate_series(1, 12) p ORDER BY p$$,
    $$VALUES (1,  '2019-04-01'::date, '2019-04-30'::date),
             (2,  '2019-05-01', '2019-05-31'),
             (3,  '2019-06-01', '2019-06-30'),
             (4,  '2019-07-01', '2019-07-31'),
             (5,  '2019-08-01', '2019-08-31'),
             (6,  '2019-09-01', '2019-09-30'),
             (7,  '2019-10-01', '2019-10-31'),
             (8,  '2019-11-01', '2019-11-30'),
             (9,  '2019-12-01', '2019-12-31'),
             (10, '2020-01-01', '2020-01-31'),
             (11, '2020-02-01', '2020-02-29'),
             (12, '2020-03-01', '2020-03-31')$$,
    'the twelve periods of 2019-20 start and end on the calendar dates');

-- Year bounds and the year before, read off a calendar (including the century turn).
SELECT is(finmon.financial_year_start('2018-19'), '2018-04-01'::date, 'financial_year_start(2018-19) = 2018-04-01');
SELECT is(finmon.financial_year_end('2018-19'), '2019-03-31'::date, 'financial_year_end(2018-19) = 2019-03-31');
SELECT is(finmon.financial_year_start('1999-00'), '1999-04-01'::date, 'financial_year_start(1999-00) = 1999-04-01');
SELECT is(finmon.financial_year_end('1999-00'), '2000-03-31'::date, 'financial_year_end(1999-00) = 2000-03-31');
SELECT is(finmon.financial_year_end('2019-20'), '2020-03-31'::date, 'financial_year_end(2019-20) = 2020-03-31');
SELECT is(finmon.previous_financial_year('2018-19'), '2017-18', 'previous_financial_year(2018-19) = 2017-18');
SELECT is(finmon.previous_financial_year('2000-01'), '1999-00', 'previous_financial_year(2000-01) = 1999-00');
SELECT is(finmon.previous_financial_year('2010-11'), '2009-10', 'previous_financial_year(2010-11) = 2009-10');
SELECT is(finmon.previous_financial_year('2001-02'), '2000-01', 'previous_financial_year(2001-02) = 2000-01');
SELECT is(finmon.previous_financial_year('2100-01'), '2099-00', 'previous_financial_year(2100-01) = 2099-00');

-- Every day of several two-year spans (a leap year in each: 2000 as a century leap year,
-- 2020 and 2024 as ordinary ones, and 2100 which is not a leap year) maps back into its own
-- period: period_start(fy(d), p(d)) <= d <= period_end(fy(d), p(d)).
CREATE TEMP TABLE cal_days AS
SELECT d::date AS d
  FROM (SELECT generate_series('1999-04-01'::date, '2001-03-31'::date, '1 day') UNION ALL
        SELECT generate_series('2019-04-01'::date, '2021-03-31'::date, '1 day') UNION ALL
        SELECT generate_series('2023-04-01'::date, '2025-03-31'::date, '1 day') UNION ALL
        SELECT generate_series('2099-04-01'::date, '2101-03-31'::date, '1 day')) s(d);

SELECT is((SELECT count(*) FROM cal_days), 2923::bigint,
          'the day spans hold 3 x 731 + 730 = 2923 days (sanity check of the fixture)');

SELECT is_empty(
    $$SELECT d, finmon.financial_year_of(d), finmon.period_of(d)
        FROM cal_days
       WHERE NOT (finmon.period_start(finmon.financial_year_of(d), finmon.period_of(d)) <= d
                  AND d <= finmon.period_end(finmon.financial_year_of(d), finmon.period_of(d)))$$,
    'every day lies between the start and end of its own period');

-- The same days against an independent plain-SQL calendar: shifting a date back three
-- months puts 1 April on 1 January, so the shifted year is the financial year's first year
-- and the shifted month is the period; a period is the calendar month of the date.
CREATE TEMP TABLE cal_expected AS
SELECT d,
       y,
       lpad(y::text, 4, '0') || '-' || lpad(((y + 1) % 100)::text, 2, '0') AS fy,
       extract(month FROM d - interval '3 months')::int AS p,
       date_trunc('month', d)::date AS p_start,
       (date_trunc('month', d) + interval '1 month' - interval '1 day')::date AS p_end,
       make_date(y, 4, 1) AS fy_start,
       make_date(y + 1, 3, 31) AS fy_end,
       lpad((y - 1)::text, 4, '0') || '-' || lpad((y % 100)::text, 2, '0') AS prev_fy
  FROM (SELECT d, extract(year FROM d - interval '3 months')::int AS y FROM cal_days) s;

SELECT is_empty(
    $$SELECT d, finmon.financial_year_of(d) AS got, fy AS want FROM cal_expected
       WHERE finmon.financial_year_of(d) IS DISTINCT FROM fy$$,
    'financial_year_of matches the plain-SQL year for every day');

SELECT is_empty(
    $$SELECT d, finmon.period_of(d) AS got, p AS want FROM cal_expected
       WHERE finmon.period_of(d) IS DISTINCT FROM p$$,
    'period_of matches the plain-SQL month-minus-three for every day');

SELECT is_empty(
    $$SELECT d, finmon.period_start(fy, p) AS got, p_start AS want FROM cal_expected
       WHERE finmon.period_start(fy, p) IS DISTINCT FROM p_start$$,
    'period_start is the first of the month for every day');

SELECT is_empty(
    $$SELECT d, finmon.period_end(fy, p) AS got, p_end AS want FROM cal_expected
       WHERE finmon.period_end(fy, p) IS DISTINCT FROM p_end$$,
    'period_end is the last of the month for every day');

SELECT is_empty(
    $$SELECT d, finmon.financial_year_start(fy), fy_start, finmon.financial_year_end(fy), fy_end
        FROM cal_expected
       WHERE finmon.financial_year_start(fy) IS DISTINCT FROM fy_start
          OR finmon.financial_year_end(fy) IS DISTINCT FROM fy_end
          OR NOT (finmon.financial_year_start(fy) <= d AND d <= finmon.financial_year_end(fy))$$,
    'every day lies between 1 April and 31 March of its financial year');

SELECT is_empty(
    $$SELECT d, finmon.previous_financial_year(fy) AS got, prev_fy AS want FROM cal_expected
       WHERE finmon.previous_financial_year(fy) IS DISTINCT FROM prev_fy$$,
    'previous_financial_year matches the plain-SQL year before for every day''s year');

-- Day counts from the calendar: 2019-20 holds 29 February 2020 (366 days), 2020-21 does not,
-- 1999-00 holds 29 February 2000, 2099-00 has no 29 February 2100; period 11 of 2019-20 has 29 days.
SELECT results_eq(
    $$SELECT finmon.financial_year_of(d), count(*) FROM cal_days GROUP BY 1 ORDER BY 1$$,
    $$VALUES ('1999-00', 366::bigint), ('2000-01', 365), ('2019-20', 366), ('2020-21', 365),
             ('2023-24', 366), ('2024-25', 365), ('2099-00', 365), ('2100-01', 365)$$,
    'each financial year in the spans has the number of days a calendar gives it');
SELECT is((SELECT count(*) FROM cal_days
            WHERE finmon.financial_year_of(d) = '2019-20' AND finmon.period_of(d) = 11),
          29::bigint, 'period 11 of 2019-20 has 29 days');

-- Year by year from 1900-01 to 2199-00: periods tile the year with no gap or overlap,
-- period 1 starts on financial_year_start, period 12 ends on financial_year_end, and each
-- year starts the day after the previous year ends.
CREATE TEMP TABLE cal_years AS
SELECT y, lpad(y::text, 4, '0') || '-' || lpad(((y + 1) % 100)::text, 2, '0') AS fy,
       lpad((y - 1)::text, 4, '0') || '-' || lpad((y % 100)::text, 2, '0') AS prev_fy
  FROM generate_series(1900, 2199) y;

SELECT is_empty(
    $$SELECT fy, p FROM cal_years, generate_series(1, 11) p
       WHERE finmon.period_end(fy, p) + 1 IS DISTINCT FROM finmon.period_start(fy, p + 1)$$,
    'each period starts the day after the previous one ends, 1900-01 to 2199-00');

SELECT is_empty(
    $$SELECT fy FROM cal_years
       WHERE finmon.period_start(fy, 1) IS DISTINCT FROM make_date(y, 4, 1)
          OR finmon.financial_year_start(fy) IS DISTINCT FROM make_date(y, 4, 1)
          OR finmon.period_end(fy, 12) IS DISTINCT FROM make_date(y + 1, 3, 31)
          OR finmon.financial_year_end(fy) IS DISTINCT FROM make_date(y + 1, 3, 31)$$,
    'period 1 starts on 1 April and period 12 ends on 31 March, 1900-01 to 2199-00');

SELECT is_empty(
    $$SELECT fy, finmon.previous_financial_year(fy), prev_fy FROM cal_years
       WHERE finmon.previous_financial_year(fy) IS DISTINCT FROM prev_fy
          OR finmon.financial_year_end(finmon.previous_financial_year(fy)) + 1
             IS DISTINCT FROM finmon.financial_year_start(fy)$$,
    'previous_financial_year is the year ending the day before, 1900-01 to 2199-00');

SELECT is_empty(
    $$SELECT fy, p FROM cal_years, generate_series(1, 12) p
       WHERE finmon.period_end(fy, p)
             IS DISTINCT FROM (date_trunc('month', finmon.period_start(fy, p)) + interval '1 month' - interval '1 day')::date
          OR extract(day FROM finmon.period_start(fy, p)) <> 1$$,
    'every period is one whole calendar month, 1900-01 to 2199-00');

-- A malformed financial year raises 22007 (invalid_datetime_format) from every function that
-- takes one: the second part must be the two digits after the first, with nothing around it.
SELECT throws_ok(format(q, y), '22007', NULL, format('%s with year %L raises 22007', f, y))
  FROM (VALUES ('financial_year_start', 'SELECT finmon.financial_year_start(%L)'),
               ('financial_year_end', 'SELECT finmon.financial_year_end(%L)'),
               ('previous_financial_year', 'SELECT finmon.previous_financial_year(%L)'),
               ('period_start', 'SELECT finmon.period_start(%L, 1)'),
               ('period_end', 'SELECT finmon.period_end(%L, 1)')) fns(f, q)
 CROSS JOIN (VALUES ('2018-20'), ('18-19'), ('2018/19'), (''), ('2018-19 '), ('abcd-ef'),
                    (' 2018-19'), ('2018-18'), ('1999-01'), ('2018-2019'), ('2018-1')) ys(y);

-- A period outside 1..12 raises 22023 (invalid_parameter_value).
SELECT throws_ok(format('SELECT finmon.%s(%L, (%s)::int)', f, '2018-19', p), '22023', NULL,
                 format('%s(''2018-19'', %s) raises 22023', f, p))
  FROM (VALUES ('period_start'), ('period_end')) fns(f)
 CROSS JOIN (VALUES (0), (13), (-1), (2147483647), (-2147483648)) ps(p);

-- An infinite date has no financial year or period: 22008 (datetime_field_overflow).
SELECT throws_ok(format('SELECT finmon.%s(%L::date)', f, d), '22008', NULL,
                 format('%s(%s) raises 22008', f, d))
  FROM (VALUES ('financial_year_of'), ('period_of')) fns(f)
 CROSS JOIN (VALUES ('infinity'), ('-infinity')) ds(d);

-- The calendar starts at 0001-02: a date before 1 April of year 1, and the year before it, do not exist.
SELECT throws_ok($$SELECT finmon.financial_year_of('0001-03-31')$$, '22008',
                 'date 0001-03-31 is outside the financial years 0001-02 to 9999-00', 'a date before 1 April 0001: 22008');
SELECT throws_ok($$SELECT finmon.financial_year_of('10000-06-01')$$, '22008',
                 'date 10000-06-01 is outside the financial years 0001-02 to 9999-00',
                 'a date after the last financial year that YYYY-YY can write: 22008');
SELECT is(finmon.financial_year_of('10000-03-31'), '9999-00', 'the last is 9999-00');
SELECT throws_ok($$SELECT finmon.financial_year_of('0100-06-01 BC')$$, '22008', NULL, 'a date BC: 22008');
SELECT is(finmon.financial_year_of('0001-04-01'), '0001-02', 'the first financial year is 0001-02');
SELECT throws_ok($$SELECT finmon.previous_financial_year('0001-02')$$, '22008',
                 'financial year "0001-02" has no previous year', 'no year before 0001-02: 22008');

SELECT * FROM finish();
ROLLBACK;
