-- Norfolk Adult Social Care, Finance Monitoring Report 2018-19 Period 5 (August 2018):
-- its revenue tables, computed from the leaf lines in data/norfolk (loaded by norfolk_load).
-- £m to 3 places, negatives in brackets. Every figure was compared by hand with the paper;
-- where the paper prints something else, a comment says what and why (see
-- data/norfolk/README.md, "What the papers get wrong"). Figures that do not follow from their
-- own rows are shown as computed here, never as printed.
-- Run as a reader given Norfolk only: what Norfolk's staff see (finmon_test_norfolk,
-- made by norfolk_load).
SET ROLE finmon_test_norfolk;
\pset null ''

-- Table 2.1. Printed differently (computed in brackets after):
--   Commissioned Services: 2017/18 over/underspend 0.092 (0.091), budget 58.955 (58.956),
--   variance 1.148 (1.147): the paper's own table 2.6.1 lines sum to the computed figures.
--   Services to Users (net): 2017/18 over/underspend (7.573) ((7.572)), budget 198.074
--   (198.073), forecast 200.059 (200.058), variance @ P4 3.189 (3.190): sums of its lines.
--   Total Net Expenditure: 2017/18 actual 265.585 (265.583) and over/underspend (3.696)
--   ((3.697)); variance @ P4 1.990 (1.992). Budget, forecast and variance agree.
--   All within rounding of the printed components.
SELECT row_number AS "#", label AS "Expenditure area", prior_year_actual AS "Actual 2017/18",
       prior_year_variance AS "Over/under 2017/18", budget AS "Budget 2018/19",
       forecast_outturn AS "Forecast outturn", variance AS "Variance", previous_variance AS "Variance @ P4"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'summary' AND financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- Table 2.5.1, Services to Users. Printed differently:
--   Older People variance: printed 3.167, 124.444 - 121.278 = 3.166 (rounding in the paper's pounds).
--   Total POC Expenditure variance printed 11.152 (Appendix A: 11.151); Total Net POC variance
--   printed 2.735 (Appendix A: 2.734): rounding.
--   Total Service for users: printed budget 198.074 and forecast 200.059; rows give 198.073 and 200.058.
--   Total Service for users 2017/18 over/underspend: printed -7.573, rows give (7.572).
--   The paper prints negatives with a minus sign here; finmon prints brackets throughout.
SELECT row_number AS "#", label AS "Expenditure area", prior_year_actual AS "Actual 2017/18",
       prior_year_variance AS "Over/under 2017/18", budget AS "Budget 2018/19",
       forecast_outturn AS "Forecast outturn", variance AS "Variance"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'services_to_users_2018' AND financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- Table 2.6.1, Commissioned Services. Printed differently:
--   Total Expenditure: budget printed 58.955, its lines sum to 58.956; variance printed
--   1.148, computed 1.147; 2017/18 over/underspend printed 0.092, its lines sum to 0.091.
SELECT row_number AS "#", label AS "Expenditure area", prior_year_actual AS "Actual 2017/18",
       prior_year_variance AS "Over/under 2017/18", budget AS "Budget 2018/19",
       forecast_outturn AS "Forecast outturn", variance AS "Variance"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'commissioned_services' AND financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- Appendix A. Printed differently:
--   MISSTATED: Staffing and support costs budget printed 14.037; table 2.5.1 and the row's
--   own variance and % (13.533 - 14.154 = -0.621, -4.39%) give 14.154. Carried into
--   "Services to users Total" (budget printed 197.956; computed 198.073).
--   MISSTATED: Housing Related Support % printed 15.08%, positive; -0.387 / 2.564 is (15.09%).
--   Within rounding: Older People variance 3.167 (3.166); People with Learning Disabilities
--   4.35% (4.36%); Other Income 40.40% (40.36%); Commissioning (4.46%) ((4.47%)); ICES
--   (7.01%) ((6.90%)); Norfolk Reablement First Support 2.40% (2.41%); Purchase of Care
--   Expenditure at P4 9.788 (9.789); Net Purchase of Care at P4 3.638 (3.639); Services to
--   users Total at P4 3.189 (3.190); Commissioning Total budget 58.955 (58.956) and variance
--   1.148 (1.147). The paper prints negatives with a minus sign; finmon prints brackets.
SELECT row_number AS "#", label AS "Summary", budget AS "Budget", forecast_outturn AS "Forecast outturn",
       variance AS "Variance", variance_pct AS "%", previous_variance AS "Variance at P4"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'appendix_a_2018' AND financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- Appendix A, Net Purchase of Care at specialism level (a memorandum analysis). Printed differently:
--   MISSTATED: Older People – Net variance at P4 printed -0.47; its rows give 2.695 - 2.225 =
--   0.470. The printed Total Net Purchase of Care at P4, 2.699, is the sum with that wrong
--   sign; the rows give 3.639 (and Appendix A's Net Purchase of Care at P4 is 3.638).
--   Within rounding: Older People and Learning Disabilities expenditure budgets printed to
--   2 places (121.28, 101.35); Total Net Purchase of Care budget printed 177.81 (177.814).
SELECT row_number AS "#", label AS "Summary", budget AS "Budget", forecast_outturn AS "Forecast outturn",
       variance AS "Variance", variance_pct AS "%", previous_variance AS "Variance at P4"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'purchase_of_care_by_specialism' AND financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- The analysis totals to the same Net Purchase of Care as the service hierarchy.
SELECT a.budget = r.budget AND a.forecast_outturn = r.forecast_outturn AS analysis_agrees_with_service
  FROM finmon.revenue_analysis_report a, finmon.revenue_report r
 WHERE a.financial_year = '2018-19' AND a.period = 5 AND a.path = ''
   AND r.financial_year = '2018-19' AND r.period = 5 AND r.path = 'Services to Users > Purchase of Care';

-- Appendix B: headings computed from the figures, explanations as loaded. Printed differently:
--   "Commissioned Services forecast overspend £1.148m" (£1.147m, the sum of its lines).
SELECT heading, left(commentary, 60) AS explanation_begins
  FROM finmon.revenue_commentary
 WHERE financial_year = '2018-19' AND period = 5
 ORDER BY row_order;
RESET ROLE;
