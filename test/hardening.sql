-- pgTAP: a hostile search path.  Objects that shadow what finmon uses (an aggregate
-- public.sum(numeric) and an operator public.+ (numeric, numeric) that return 0, tables named
-- like finmon's own in public and in pg_temp) are put ahead of pg_catalog; finmon's reports,
-- functions, aggregates, imports and privileges give exactly what they gave before.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(18);

INSERT INTO finmon.revenue_import VALUES
    ('2020-21', '3', 'A > B', '100.10', '110.20'), ('2020-21', '3', 'A > C', '50', '40'),
    ('2019-20', '12', 'A > B', '90', '95');
INSERT INTO finmon.savings_plan_import VALUES ('S1', 'Saving', 'W', '2020-21', '-10');
INSERT INTO finmon.savings_forecast_import VALUES ('2020-21', '3', 'S1', '-5', '');
INSERT INTO finmon.reserves_import VALUES ('2020-21', '3', 'R', 'reserve', '10', '', '-5', '');
INSERT INTO finmon.measures_import VALUES ('M', 'Admissions per 100,000', 'per 100000', '100000', '65+', 'lower');
INSERT INTO finmon.population_import VALUES ('Area', '2020', '65+', '200000');
INSERT INTO finmon.activity_import
SELECT 'M', 'Area', to_char(date '2019-07-01' + make_interval(months => m), 'YYYY-MM'), (10 + m)::text, ''
  FROM generate_series(0, 11) m;
INSERT INTO finmon.published_import VALUES ('2020-21', '3', 'revenue', 'A', 'budget', '0.000150', '£m', 'T');
SELECT finmon.refresh_period_views() \g /dev/null

-- What finmon gives on a clean search path.
CREATE TEMP TABLE before_revenue AS SELECT * FROM finmon.revenue_report;
CREATE TEMP TABLE before_period AS SELECT * FROM finmon.revenue_period;
CREATE TEMP TABLE before_savings AS SELECT * FROM finmon.savings_summary_report;
CREATE TEMP TABLE before_reserves AS SELECT * FROM finmon.reserves_report;
CREATE TEMP TABLE before_measures AS SELECT * FROM finmon.measure_report;
CREATE TEMP TABLE before_reconciliation AS SELECT * FROM finmon.reconciliation;
CREATE TEMP TABLE before_functions AS
SELECT (finmon.variance_agg(budget, forecast_outturn))::text AS variance_agg,
       (finmon.savings_agg(budget, forecast_outturn))::text AS savings_agg,
       finmon.variance(1.5, 2.25)::text AS variance, finmon.format_money(-1234567, '£m', 3) AS money,
       (finmon.rate_agg(budget, 1000))::text AS rate_agg
  FROM finmon.revenue;
CREATE TEMP TABLE before_privileges AS
SELECT r.rolname, c.oid AS relation, has_table_privilege(r.rolname, c.oid, 'SELECT') AS can_select,
       has_table_privilege(r.rolname, c.oid, 'INSERT') AS can_insert
  FROM pg_roles r, pg_class c
 WHERE r.rolname LIKE 'finmon\_%' AND c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'v', 'm');

-- The hostile objects, ahead of pg_catalog.
CREATE FUNCTION public.zero(numeric, numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric';
CREATE AGGREGATE public.sum(numeric) (sfunc = public.zero, stype = numeric, initcond = '0');
CREATE OPERATOR public.+ (leftarg = numeric, rightarg = numeric, function = public.zero);
CREATE TABLE public.revenue (financial_year text, period integer, analysis text, line text, budget numeric, forecast_outturn numeric);
INSERT INTO public.revenue VALUES ('2020-21', 3, '', 'A > B', 999, 999);
CREATE TABLE public.setting (name text, value text);
INSERT INTO public.setting VALUES ('small_number_threshold', '1000000');
CREATE TEMP TABLE closed_period (financial_year text, period integer);
INSERT INTO closed_period VALUES ('2020-21', 4);
SET search_path = public, pg_catalog, finmon;

SELECT is((SELECT sum(x) FROM (VALUES (1::numeric), (2::numeric)) AS v(x)), 0::numeric,
          'the hostile sum(numeric) is what plain SQL now gets');
SELECT is(1::numeric + 2::numeric, 0::numeric, 'and so is the hostile + for numeric');

SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.revenue_report EXCEPT ALL SELECT * FROM before_revenue) AS d)
        + (SELECT count(*) FROM (SELECT * FROM before_revenue EXCEPT ALL SELECT * FROM finmon.revenue_report) AS d),
          0::bigint, 'revenue_report is unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.revenue_period EXCEPT ALL SELECT * FROM before_period) AS d),
          0::bigint, 'revenue_period is unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.savings_summary_report EXCEPT ALL SELECT * FROM before_savings) AS d),
          0::bigint, 'savings_summary_report is unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.reserves_report EXCEPT ALL SELECT * FROM before_reserves) AS d),
          0::bigint, 'reserves_report is unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.measure_report EXCEPT ALL SELECT * FROM before_measures) AS d),
          0::bigint, 'measure_report is unchanged (its threshold setting still comes from finmon.setting)');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.reconciliation EXCEPT ALL SELECT * FROM before_reconciliation) AS d),
          0::bigint, 'the reconciliation is unchanged');
SELECT is((SELECT (finmon.variance_agg(budget, forecast_outturn))::text FROM finmon.revenue),
          (SELECT variance_agg FROM before_functions), 'variance_agg is unchanged');
SELECT is((SELECT (finmon.savings_agg(budget, forecast_outturn))::text FROM finmon.revenue),
          (SELECT savings_agg FROM before_functions), 'savings_agg is unchanged');
SELECT is((SELECT (finmon.rate_agg(budget, 1000))::text FROM finmon.revenue),
          (SELECT rate_agg FROM before_functions), 'rate_agg is unchanged');
SELECT is(finmon.variance(1.5, 2.25)::text, (SELECT variance FROM before_functions), 'variance is unchanged');
SELECT is(finmon.format_money(-1234567, '£m', 3), (SELECT money FROM before_functions), 'format_money is unchanged');

-- Loads and refreshes under the hostile path store and show the right figures, and a
-- closed period is judged by finmon's table, not the temporary one.
INSERT INTO finmon.revenue_import VALUES ('2020-21', '4', 'A > B', '100.10', '120.30'), ('2020-21', '4', 'A > C', '50', '45');
SELECT is((SELECT (budget, forecast_outturn, variance)::text FROM finmon.revenue_report
            WHERE financial_year = '2020-21' AND period = 4 AND path = 'A'),
          '(150.10,165.30,15.20)', 'a load under the hostile path: totals from finmon''s sums');
SELECT is((SELECT status FROM finmon.refresh_period_views() WHERE view_name = 'revenue_figures_period'), 'ok',
          'a refresh under the hostile path');
SELECT is((SELECT forecast_outturn FROM finmon.revenue_period WHERE financial_year = '2020-21' AND period = 4 AND path = ''),
          165.30, 'shows the right figures');

SELECT is((SELECT count(*) FROM (
             SELECT r.rolname, c.oid, has_table_privilege(r.rolname, c.oid, 'SELECT'),
                    has_table_privilege(r.rolname, c.oid, 'INSERT')
               FROM pg_roles r, pg_class c
              WHERE r.rolname LIKE 'finmon\_%' AND c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'v', 'm')
             EXCEPT ALL SELECT * FROM before_privileges) AS d), 0::bigint, 'every role''s privileges are unchanged');

RESET search_path;
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.pronamespace = 'finmon'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
              AND NOT COALESCE('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)),
          NULL, 'every SQL and PL/pgSQL function of finmon sets search_path = pg_catalog, pg_temp');
SELECT * FROM finish();
ROLLBACK;
