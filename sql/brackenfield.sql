-- Brackenfield Borough Council (invented sample, data/brackenfield; loaded by norfolk_load):
-- its 2018-19 Quarter 3 (period 9) committee tables, printed as a reader given Brackenfield
-- only sees them.  Every figure below was compared by hand with the results computed without
-- finmon in data/brackenfield/README.md ("Expected results", from expected.awk).
SET ROLE finmon_test_brackenfield;
\pset null ''

-- Its tables in its own conventions (revenue_tables.csv, revenue_table_columns.csv): £000
-- with thousands separators, under/(over) spend = budget - forecast, % to 1 place, to date
-- from actuals.csv against the budget spread evenly.  Table 1 at period 9 and period 6 (the
-- change is since the quarter before), Table 2 at period 9.
\pset tuples_only on
SELECT * FROM finmon.revenue_table_text('summary', '2018-19', 9, 'X00000001');
SELECT * FROM finmon.revenue_table_text('summary', '2018-19', 6, 'X00000001');
SELECT * FROM finmon.revenue_table_text('purchased_care', '2018-19', 9, 'X00000001');
-- Not used at period 5 or at a period with no figures.
SELECT count(*) FROM finmon.revenue_table_text('summary', '2018-19', 5, 'X00000001');
\pset tuples_only off
-- The same rows in pounds, for BI tools.
SELECT row_number AS "#", label, budget, budget_to_date, actual_to_date, variance_to_date, round(pct_spent, 2) AS pct_spent,
       forecast_outturn, variance, round(variance_pct, 2) AS variance_pct, movement
  FROM finmon.revenue_table_report
 WHERE table_name = 'summary' AND financial_year = '2018-19' AND period = 9
 ORDER BY row_number;

-- The savings programme at period 9 and its summary at periods 6 and 9.
SELECT ref, left(saving, 45) AS saving, target, target_next_year, target_year_after, forecast, variance, rag
  FROM finmon.appendix_c WHERE financial_year = '2018-19' AND period = 9 ORDER BY row_number;
SELECT period, label, saving, forecast, variance, variance_pct, previously_reported
  FROM finmon.savings_summary_table WHERE financial_year = '2018-19' ORDER BY period, row_number;

-- Reserves and provisions at period 9, and the balance whose opening is not last year's closing.
SELECT left(balance, 50) AS balance, opening_balance, agreed_usage, planned_usage, closing_balance
  FROM finmon.appendix_d WHERE financial_year = '2018-19' AND period = 9 ORDER BY row_number;
SELECT name, financial_year, previous_year, previous_closing_balance, opening_balance, difference
  FROM finmon.reserve_chain_breaks;

-- The capital programme and the iBCF schemes at period 9.
SELECT row_type, scheme, budget, forecast_outturn, slippage, next_year_budget
  FROM finmon.capital_report WHERE financial_year = '2018-19' AND period = 9 ORDER BY row_number;
SELECT scheme, allocation, brought_forward, forecast_spend, carry_forward
  FROM finmon.appendix_f WHERE financial_year = '2018-19' AND period = 9 ORDER BY row_number;

-- Permanent admissions aged 65+ (2A(2)) computed from the monthly counts: the rolling 12
-- months to March 2019 against the 2018-19 target, and the 2017-18 benchmark against the
-- comparator group's published values.
SELECT measure, month, r12_numerator, r12_denominator, round(r12_value, 1) AS r12_value, target,
       round(target_diff_pct, 2) AS target_diff_pct, status
  FROM finmon.measure_report WHERE measure IN ('2A(2)', 'BRK02') AND month = '2019-03-01' ORDER BY measure;
SELECT measure, financial_year, area, round(value, 2) AS value, comparator_group, round(group_average, 2) AS group_average,
       rank, group_size
  FROM finmon.measure_benchmark WHERE area = 'Brackenfield' AND financial_year = '2017-18' ORDER BY measure;

-- The council's own paper (published.csv): every printed figure agrees or rounds, but one.
SELECT verdict, count(*) FROM finmon.reconciliation GROUP BY verdict ORDER BY verdict;
SELECT source, item, column_name, printed, computed, difference, note
  FROM finmon.reconciliation WHERE verdict = 'misstated';
-- The paper footed on its own: the misprinted 153 is not its printed budget - forecast
-- (5,278 - 5,143 = 135), and the total under/(over) spend (907) is not the sum of the
-- printed rows with it (-180 - 1,051 + 153 + 47 + 142 = -889).
SELECT source, item, column_name, check_kind, printed, footed, difference, verdict
  FROM finmon.footing WHERE verdict <> 'foots' ORDER BY item, column_name;
SELECT verdict, count(*) FROM finmon.footing GROUP BY verdict ORDER BY verdict;
RESET ROLE;
