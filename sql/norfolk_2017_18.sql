-- Norfolk Adult Social Care, Finance Monitoring Report 2017-18 Period 2 (May 2017): its revenue
-- tables, computed from the leaf lines in data/norfolk (loaded by norfolk_load). £m to 3 places,
-- negatives in brackets. Compared by hand with the paper; comments say where it differs.
-- Run as a reader given Norfolk only: what Norfolk's staff see (finmon_test_norfolk,
-- made by norfolk_load).
SET ROLE finmon_test_norfolk;
\pset null ''

-- Table 2.1 (the prior-year columns are the 2016-17 outturn). Printed differently (computed after):
--   Commissioned Services forecast 69.085 (69.084) and variance 0.467 (0.466): the sums of its
--   lines in table 2.8.1. Early Help & Prevention variance (0.253) ((0.252)): 9.583 - 9.835.
--   Services to Users (net) outturn variance 12.971 (12.972), budget 186.913 (186.912; Appendix A
--   prints 186.912), variance (3.042) ((3.041)).
--   Total Net Expenditure: outturn variance 4.399 (4.400); budget and forecast 261.453 (261.451;
--   even the printed rows sum to 261.452). The variance, 0, agrees. All within rounding.
SELECT row_number AS "#", label AS "Expenditure area", prior_year_actual AS "Actual 2016/17",
       prior_year_variance AS "Over/under at outturn", budget AS "Budget 2017/18",
       forecast_outturn AS "Forecast outturn", variance AS "Variance @ P2"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'summary' AND financial_year = '2017-18' AND period = 2
 ORDER BY row_number;

-- Table 2.7.1, Services to Users. Printed differently: Care & Assessment & Other staff costs
-- variance (0.225) ((0.224)); Total Expenditure outturn variance 22.710 (22.711) and variance
-- (1.191) ((1.190)); Revised Net Expenditure outturn variance 12.971 (12.972), budget 186.913
-- (186.912), variance (3.042) ((3.041)). All within rounding.
SELECT row_number AS "#", label AS "Expenditure area", prior_year_actual AS "Actual 2016/17",
       prior_year_variance AS "Over/under at outturn", budget AS "Budget 2017/18",
       forecast_outturn AS "Forecast outturn", variance AS "Variance"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'services_to_users_2017' AND financial_year = '2017-18' AND period = 2
 ORDER BY row_number;

-- Table 2.8.1, Commissioned Services. Printed differently: Housing related support variance
-- (0.232) ((0.233)); Total Expenditure forecast 69.085 (69.084), variance 0.467 (0.466).
-- Within rounding.
SELECT row_number AS "#", label AS "Expenditure area", prior_year_actual AS "Actual 2016/17",
       prior_year_variance AS "Variance at outturn", budget AS "Budget 2017/18",
       forecast_outturn AS "Forecast outturn", variance AS "Variance"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'commissioned_services' AND financial_year = '2017-18' AND period = 2
 ORDER BY row_number;

-- Appendix A (no earlier period in 2017-18, so no variance at a previous period). Printed
-- differently, all within rounding: Staffing and support costs variance (0.225) ((0.224));
-- Total Cost of Services to Users variance (1.191) ((1.190)); Net Expenditure variance (3.042)
-- ((3.041)); Commissioning (3.69%) ((3.71%)); Service Level Agreements (2.37%) ((2.36%)); ICES
-- (14.78%) ((14.79%)); Housing Related Support (0.232) (3.33%) ((0.233) (3.34%)); Commissioning
-- Total forecast 69.085 (69.084) and variance 0.467 (0.466); Norfolk Reablement First Support
-- (1.88%) ((1.87%)); Other (0.169) (4.11%) ((0.168) (4.09%)); Prevention Total (0.253) (2.57%)
-- ((0.252) (2.56%)). The paper prints some % to 3 places ((0.396%)); finmon prints 2.
SELECT row_number AS "#", label AS "Summary", budget AS "Budget", forecast_outturn AS "Forecast outturn",
       variance AS "Variance", variance_pct AS "%"
  FROM finmon.revenue_table_printed
 WHERE table_name = 'appendix_a_2017' AND financial_year = '2017-18' AND period = 2
 ORDER BY row_number;

-- Appendix B headings, computed from the figures. Printed differently:
--   MISSTATED: "Other Services, underspend of (£0.165m)": the line's figures give (£0.168m)
--   and Appendix A prints (0.169).
--   MISSTATED: "Management, Finance and HR, forecast overspend (£3.132m)": an overspend printed
--   in the brackets the paper uses for underspends.
--   Within rounding: Commissioned Services £0.467m (£0.466m); Housing Support (£0.232m)
--   ((£0.233m)); Services to Users (£3.042m) ((£3.041m)); Early Help and Prevention (£0.253m)
--   ((£0.252m)). Service User Income is printed as an "over-recovery"; finmon's headings say
--   overspend or underspend for every node.
SELECT heading, left(commentary, 60) AS explanation_begins
  FROM finmon.revenue_commentary
 WHERE financial_year = '2017-18' AND period = 2
 ORDER BY row_order;
RESET ROLE;
