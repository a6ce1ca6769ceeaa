-- pgTAP: a hostile search path.  Objects that shadow what finmon uses (an aggregate
-- public.sum(numeric) and an operator public.+ (numeric, numeric) that return 0, tables named
-- like finmon's own in public and in pg_temp) are put ahead of pg_catalog; finmon's reports,
-- functions, aggregates, imports and privileges give exactly what they gave before.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(30);

INSERT INTO finmon.council_import VALUES ('T1', 'Test council');

INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES
    ('2020-21', '3', 'A > B', '100.10', '110.20'), ('2020-21', '3', 'A > C', '50', '40'),
    ('2019-20', '12', 'A > B', '90', '95');
INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('S1', 'Saving', 'W', '2020-21', '-10');
INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2020-21', '3', 'S1', '-5', '');
INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2020-21', '3', 'R', 'reserve', '10', '', '-5', '');
INSERT INTO finmon.measures_import VALUES ('M', 'Admissions per 100,000', 'per 100000', '100000', '65+', 'lower');
INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('Area', '2020', '65+', '200000');
INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator)
SELECT 'M', 'Area', to_char(date '2019-07-01' + make_interval(months => m), 'YYYY-MM'), (10 + m)::text, ''
  FROM generate_series(0, 11) m;
INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'A', 'budget', '0.000150', '£m', 'T');
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
  FROM finmon_data.revenue;
CREATE TEMP TABLE before_privileges AS
SELECT r.rolname, c.oid AS relation, has_table_privilege(r.rolname, c.oid, 'SELECT') AS can_select,
       has_table_privilege(r.rolname, c.oid, 'INSERT') AS can_insert
  FROM pg_roles r, pg_class c
 WHERE r.rolname LIKE 'finmon\_%' AND c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'm');

-- What finmon gave is right: independent oracles (core sum() over finmon's tables, literals), so
-- that "unchanged" below means "still right".
SELECT is((SELECT (count(*) FILTER (WHERE (b.budget, b.forecast_outturn, b.variance, b.prior_year_actual)
                                          IS DISTINCT FROM (o.budget, o.forecast_outturn, o.forecast_outturn - o.budget, o.prior_year_actual)),
                   count(*))::text
             FROM before_revenue b
             CROSS JOIN LATERAL (
                   SELECT sum(r.budget) FILTER (WHERE r.financial_year = b.financial_year AND r.period = b.period) AS budget,
                          sum(r.forecast_outturn) FILTER (WHERE r.financial_year = b.financial_year AND r.period = b.period) AS forecast_outturn,
                          sum(r.forecast_outturn) FILTER (WHERE r.financial_year = finmon.previous_financial_year(b.financial_year)
                                                            AND r.period = 12) AS prior_year_actual
                     FROM finmon_data.revenue r
                    WHERE r.council = b.council AND r.analysis = ''
                      AND (b.path = '' OR r.line = b.path OR r.line LIKE b.path || ' > %')) o),
          '(0,7)', 'oracle: each of revenue_report''s 7 rows totals its leaves, and its prior year, as core sum() does');
-- (the period view declares variance_pct numeric(24,4): the report's, rounded to 4 places)
SELECT is((SELECT count(*) FROM (SELECT to_jsonb(p) FROM before_period p EXCEPT ALL
                                 SELECT to_jsonb(r) || jsonb_build_object('variance_pct', round(r.variance_pct, 4)) FROM before_revenue r) AS d)
        + (SELECT count(*) FROM (SELECT to_jsonb(r) || jsonb_build_object('variance_pct', round(r.variance_pct, 4)) FROM before_revenue r
                                 EXCEPT ALL SELECT to_jsonb(p) FROM before_period p) AS d),
          0::bigint, 'oracle: revenue_period, refreshed, holds revenue_report''s rows (variance_pct to 4 places)');
SELECT is((SELECT (target, forecast, shortfall)::text FROM before_savings WHERE status = 'total'),
          -- (in pounds and pence, as the report declares money)
          (SELECT (sum(p.target)::numeric(18,2), sum(f.forecast)::numeric(18,2), (sum(f.forecast) - sum(p.target))::numeric(18,2))::text
             FROM finmon_data.savings_forecast f JOIN finmon_data.savings_plan p USING (council, ref, financial_year)
            WHERE f.financial_year = '2020-21' AND f.period = 3),
          'oracle: savings_summary_report''s total is core sum() of the plan and forecasts');
SELECT is((SELECT (opening_balance, planned_usage, closing_balance)::text FROM before_reserves WHERE row_type = 'total'),
          (SELECT (sum(opening_balance)::numeric(18,2), sum(planned_usage)::numeric(18,2),
                   sum(opening_balance + planned_usage)::numeric(18,2))::text FROM finmon_data.reserve),
          'oracle: reserves_report''s total is core sum() of the balances');
SELECT is((SELECT (r12_numerator, r12_denominator, r12_suppressed)::text FROM before_measures WHERE month = '2020-06-01'),
          (SELECT (sum(a.numerator), (SELECT p.population FROM finmon.population p WHERE p.year = 2020), false)::text
             FROM finmon_data.activity a WHERE a.month BETWEEN '2019-07-01' AND '2020-06-01'),
          'oracle: measure_report''s rolling 12 months are core sum() of the counts, over the 2020 estimate, not suppressed');
SELECT is((SELECT (computed, verdict)::text FROM before_reconciliation WHERE item = 'A' AND column_name = 'budget'),
          (SELECT (round(sum(budget) / 1000000, 6), 'agrees')::text FROM finmon_data.revenue
            WHERE financial_year = '2020-21' AND period = 3 AND line LIKE 'A > %'),
          'oracle: the reconciliation computes A''s budget as core sum() does, and agrees');
SELECT is((SELECT variance_agg FROM before_functions),
          (SELECT (sum(budget), sum(forecast_outturn), sum(forecast_outturn) - sum(budget),
                   (sum(forecast_outturn) - sum(budget)) / sum(budget) * 100)::text FROM finmon_data.revenue),
          'oracle: variance_agg is core sum() digit for digit');
SELECT is((SELECT savings_agg FROM before_functions),
          (SELECT (sum(budget), sum(forecast_outturn), sum(forecast_outturn) - sum(budget), sum(forecast_outturn) / sum(budget) * 100,
                   count(*), count(*) FILTER (WHERE forecast_outturn > budget))::text FROM finmon_data.revenue),
          'oracle: savings_agg is core sum() and count()');
SELECT ok((SELECT (x.r).count = sum(v.budget) AND (x.r).population = sum(1000::numeric)
                  AND (x.r).rate = sum(v.budget) * 100000 / sum(1000::numeric)
             FROM (SELECT rate_agg::finmon.rate_summary AS r FROM before_functions) x, finmon_data.revenue v GROUP BY x.r),
          'oracle: rate_agg''s count, population and rate are core sum()''s');
SELECT is((SELECT (variance, money)::text FROM before_functions), '(0.75,"(1.235)")',
          'oracle: variance(1.5, 2.25) is 0.75 and format_money(-1234567) is (1.235)');

-- The hostile objects, ahead of pg_catalog.
CREATE FUNCTION public.zero(numeric, numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric';
CREATE AGGREGATE public.sum(numeric) (sfunc = public.zero, stype = numeric, initcond = '0');
CREATE OPERATOR public.+ (leftarg = numeric, rightarg = numeric, function = public.zero);
-- 2.0: the shadowing tables have finmon 2.0's shape (council first), and more of them: the
-- councils (two, so a default council read from here would fail), the change log, and the
-- relation a load's rows are read from
CREATE TABLE public.revenue (council text, financial_year text, period integer, analysis text, line text, budget numeric, forecast_outturn numeric);
INSERT INTO public.revenue VALUES ('T1', '2020-21', 3, '', 'A > B', 999, 999);
CREATE TABLE public.setting (council text, name text, value text);
INSERT INTO public.setting VALUES ('T1', 'small_number_threshold', '1000000');
CREATE TABLE public.council (council text, name text);
INSERT INTO public.council VALUES ('T1', 'Test council'), ('X', 'Hostile council');
CREATE TEMP TABLE closed_period (council text, financial_year text, period integer);
INSERT INTO closed_period VALUES ('T1', '2020-21', 4);
CREATE TEMP TABLE change_log (change bigint, council text, table_name text, financial_year text);
CREATE TEMP TABLE staged (load_row integer, load_line integer, council text, financial_year text, period text, line text,
                          budget text, forecast_outturn text);
INSERT INTO staged VALUES (1, 1, 'T1', '2020-21', '4', 'A > C', '1000000', '1000000');
SET search_path = public, pg_catalog, finmon;

SELECT is((SELECT sum(x) FROM (VALUES (1::numeric), (2::numeric)) AS v(x)), 0::numeric,
          'the hostile sum(numeric) is what plain SQL now gets');
SELECT is(1::numeric + 2::numeric, 0::numeric, 'and so is the hostile + for numeric');

SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.revenue_report EXCEPT ALL SELECT * FROM before_revenue) AS d)
        + (SELECT count(*) FROM (SELECT * FROM before_revenue EXCEPT ALL SELECT * FROM finmon.revenue_report) AS d),
          0::bigint, 'revenue_report is unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.revenue_period EXCEPT ALL SELECT * FROM before_period) AS d)
        + (SELECT count(*) FROM (SELECT * FROM before_period EXCEPT ALL SELECT * FROM finmon.revenue_period) AS d),
          0::bigint, 'revenue_period is unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.savings_summary_report EXCEPT ALL SELECT * FROM before_savings) AS d)
        + (SELECT count(*) FROM (SELECT * FROM before_savings EXCEPT ALL SELECT * FROM finmon.savings_summary_report) AS d),
          0::bigint, 'savings_summary_report is unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.reserves_report EXCEPT ALL SELECT * FROM before_reserves) AS d)
        + (SELECT count(*) FROM (SELECT * FROM before_reserves EXCEPT ALL SELECT * FROM finmon.reserves_report) AS d),
          0::bigint, 'reserves_report is unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.measure_report EXCEPT ALL SELECT * FROM before_measures) AS d)
        + (SELECT count(*) FROM (SELECT * FROM before_measures EXCEPT ALL SELECT * FROM finmon.measure_report) AS d),
          0::bigint, 'measure_report is unchanged (its threshold setting still comes from finmon.setting)');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.reconciliation EXCEPT ALL SELECT * FROM before_reconciliation) AS d)
        + (SELECT count(*) FROM (SELECT * FROM before_reconciliation EXCEPT ALL SELECT * FROM finmon.reconciliation) AS d),
          0::bigint, 'the reconciliation is unchanged');
SELECT is((SELECT (finmon.variance_agg(budget, forecast_outturn))::text FROM finmon_data.revenue),
          (SELECT variance_agg FROM before_functions), 'variance_agg is unchanged');
SELECT is((SELECT (finmon.savings_agg(budget, forecast_outturn))::text FROM finmon_data.revenue),
          (SELECT savings_agg FROM before_functions), 'savings_agg is unchanged');
SELECT is((SELECT (finmon.rate_agg(budget, 1000))::text FROM finmon_data.revenue),
          (SELECT rate_agg FROM before_functions), 'rate_agg is unchanged');
SELECT is(finmon.variance(1.5, 2.25)::text, (SELECT variance FROM before_functions), 'variance is unchanged');
SELECT is(finmon.format_money(-1234567, '£m', 3), (SELECT money FROM before_functions), 'format_money is unchanged');

-- Loads and refreshes under the hostile path store and show the right figures, and a
-- closed period is judged by finmon's table, not the temporary one.
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2020-21', '4', 'A > B', '100.10', '120.30'), ('2020-21', '4', 'A > C', '50', '45');
SELECT is((SELECT (budget, forecast_outturn, variance)::text FROM finmon.revenue_report
            WHERE financial_year = '2020-21' AND period = 4 AND path = 'A'),
          '(150.10,165.30,15.20)', 'a load under the hostile path: totals from finmon''s sums');
SELECT is((SELECT status FROM finmon.refresh_period_views() WHERE view_name = 'revenue_figures_period'), 'ok',
          'a refresh under the hostile path');
SELECT is((SELECT forecast_outturn FROM finmon.revenue_period WHERE financial_year = '2020-21' AND period = 4 AND path = ''),
          165.30, 'shows the right figures');
-- 2.0: deleting goes through finmon.delete_figures, which must write finmon's tables too
SELECT is(finmon.delete_figures('revenue', '2020-21', 4), 2::bigint, 'delete_figures under the hostile path');
SELECT is((SELECT (count(*) FILTER (WHERE period = 4), count(*), (SELECT count(*) FROM public.revenue))::text FROM finmon_data.revenue),
          '(0,3,1)', 'deletes finmon''s rows of the period, and nothing else (not the other periods, not public.revenue)');

-- (both ways: a privilege or relation gone is as much a change as one added)
SELECT is((WITH now AS (
               SELECT r.rolname, c.oid, has_table_privilege(r.rolname, c.oid, 'SELECT'),
                      has_table_privilege(r.rolname, c.oid, 'INSERT')
                 FROM pg_roles r, pg_class c
                WHERE r.rolname LIKE 'finmon\_%' AND c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'm'))
           SELECT (SELECT count(*) FROM (SELECT * FROM now EXCEPT ALL SELECT * FROM before_privileges) AS d)
                + (SELECT count(*) FROM (SELECT * FROM before_privileges EXCEPT ALL SELECT * FROM now) AS d)),
          0::bigint, 'every role''s privileges are unchanged');

RESET search_path;
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.pronamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND l.lanname IN ('sql', 'plpgsql')
              AND NOT COALESCE('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)),
          NULL, 'every SQL and PL/pgSQL function of finmon sets search_path = pg_catalog, pg_temp');
SELECT * FROM finish();
ROLLBACK;
