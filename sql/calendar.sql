-- The financial calendar, read by eye: 1 April to 31 March, period 1 is April.
\set SHOW_CONTEXT never
SET datestyle = ISO, YMD;

-- Every period of 2019-20 (a leap year: February ends on the 29th).
SELECT p AS period,
       finmon.period_start('2019-20', p) AS starts,
       finmon.period_end('2019-20', p) AS ends,
       finmon.financial_year_of(finmon.period_end('2019-20', p)) AS year_of_end,
       finmon.period_of(finmon.period_start('2019-20', p)) AS period_of_start
  FROM generate_series(1, 12) AS p;

-- The papers' own dates: Period 5 2018-19 is August 2018; Period 2 2017-18 is May 2017.
SELECT d, finmon.financial_year_of(d), finmon.period_of(d)
  FROM (VALUES (date '2018-08-31'), (date '2017-05-31'), (date '2018-03-31'),
               (date '2018-04-01'), (date '2000-01-15')) AS v(d);

SELECT finmon.financial_year_start('2018-19'), finmon.financial_year_end('2018-19'),
       finmon.previous_financial_year('2018-19'), finmon.previous_financial_year('2000-01');

-- Malformed years and periods are refused, each with its SQLSTATE.
SELECT finmon.period_start('2018-20', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.period_start('18-19', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.period_end('2018/19', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.period_start('2018-19', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.period_end('2018-19', 13);
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.financial_year_of('infinity');
\echo :LAST_ERROR_SQLSTATE
