-- pgTAP tests for a council's own committee table conventions (issue 15): the variance sign,
-- units, places, separators, negatives, a % of a zero budget, the layout's columns and
-- headings, tables used at some periods, actuals to date (actuals.csv), budget profiles with
-- negative shares and the budget to date to the penny.  Every expected figure is worked out
-- by hand in the comments beside it.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(75);

INSERT INTO finmon.council_import VALUES ('L1', 'Layout council');
INSERT INTO finmon.revenue_import VALUES
    ('L1', '2021-22', '6', 'A > X', '1000', '1100'), ('L1', '2021-22', '6', 'A > Y', '-400', '-380'), ('L1', '2021-22', '6', 'Z', '0', '50'),
    ('L1', '2021-22', '12', 'A > X', '1200', '1250'), ('L1', '2021-22', '12', 'A > Y', '-400', '-420'), ('L1', '2021-22', '12', 'Z', '0', '30'),
    ('L1', '2022-23', '3', 'A > X', '1201', '1300'), ('L1', '2022-23', '3', 'A > Y', '-400.01', '-390'), ('L1', '2022-23', '3', 'Z', '0', '10'),
    ('L1', '2022-23', '6', 'A > X', '1201', '1330'), ('L1', '2022-23', '6', 'A > Y', '-400.01', '-380'), ('L1', '2022-23', '6', 'Z', '0', '20');
INSERT INTO finmon.commentary_import VALUES ('L1', '2022-23', '6', 'A > X', 'More placements than budgeted.');

-- Actuals to date, cumulative (Z has none at 2022-23 P6: it spent nothing).
INSERT INTO finmon.actuals_import VALUES
    ('L1', '2021-22', '6', 'A > X', '640'), ('L1', '2021-22', '6', 'A > Y', '-190'), ('L1', '2021-22', '6', 'Z', '25'),
    ('L1', '2022-23', '3', 'A > X', '310.50'), ('L1', '2022-23', '3', 'A > Y', '-100'),
    ('L1', '2022-23', '6', 'A > X', '700'), ('L1', '2022-23', '6', 'A > Y', '-205');
SELECT is((SELECT count(*) FROM finmon_data.actuals WHERE council = 'L1'), 7::bigint, 'actuals: 7 rows loaded');
SELECT throws_ok($$INSERT INTO finmon.actuals_import VALUES ('L1', '2022-23', '6', 'A > Nowhere', '5')$$,
                 '23503', 'actuals_import row 1: line "A > Nowhere" has no revenue figures in 2022-23', 'actuals: an unknown line: 23503');
SELECT throws_ok($$INSERT INTO finmon.actuals_import VALUES ('L1', '2022-23', '6', 'Z', '5'), ('L1', '2022-23', '6', 'A', '5')$$,
                 '23503', 'actuals_import row 2: line "A" has no revenue figures in 2022-23', 'actuals: a total line (no revenue row of its own): 23503, naming its row');
SELECT throws_ok($$INSERT INTO finmon.actuals_import VALUES ('L1', '2022-23', '6', 'Z', 'lots')$$,
                 '22P02', NULL, 'actuals: not an amount: 22P02');
SELECT throws_ok($$INSERT INTO finmon.actuals_import VALUES ('L1', '2022-23', '6', 'Z', '5'), ('L1', '2022-23', '6', 'Z', '6')$$,
                 '23505', NULL, 'actuals: a line and period twice: 23505');
SELECT finmon.close_period('L1', '2022-23', 6);
SELECT throws_ok($$INSERT INTO finmon.actuals_import VALUES ('L1', '2022-23', '6', 'Z', '5')$$,
                 '55000', NULL, 'actuals: a closed period: 55000');
SELECT finmon.reopen_period('L1', '2022-23', 6, 'test');
SELECT is((SELECT count(*) FROM finmon_data.actuals WHERE council = 'L1'), 7::bigint, 'failed actuals loads keep nothing');

-- A profile with a share above 1 and a negative one, summing to 1: 1.25 - 0.5 + 0.1 + 0.15.
INSERT INTO finmon.budget_profile_import
SELECT 'L1', '2022-23', 'A > X', p::text, CASE p WHEN 1 THEN '1.25' WHEN 2 THEN '-0.5' WHEN 3 THEN '0.1' WHEN 4 THEN '0.15' ELSE '0' END
  FROM generate_series(1, 12) p;
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('L1', '2022-23', 'A > Y', '1', '1.5')$$,
                 '23514', 'budget_profile_import: the shares of line "A > Y" in 2022-23 sum to 1.5, not 1', 'profile: shares summing to 1.5: 23514');

-- Budget to date, to the penny: X 1201 x (1.25 - 0.5 + 0.1) = 1020.85 at P3, 1201.00 at P6;
-- Y (no profile) -400.01 x 3/12 = -100.0025 -> -100.00, x 6/12 = -200.005 -> -200.01 (half away from zero).
SELECT is((SELECT string_agg(format('%s:%s', path, profiled_budget_to_date), ' ' ORDER BY path) FROM finmon.revenue_report
            WHERE council = 'L1' AND financial_year = '2022-23' AND period = 3 AND path IN ('A > X', 'A > Y')),
          'A > X:1020.85 A > Y:-100.00', 'budget to date at P3 to the penny');
SELECT is((SELECT string_agg(format('%s:%s', period, profiled_budget_to_date), ' ' ORDER BY period) FROM finmon.revenue_spend_profile
            WHERE council = 'L1' AND financial_year = '2022-23' AND report_period = 6 AND path = 'A > Y'),
          '1:-33.33 2:-66.67 3:-100.00 4:-133.34 5:-166.67 6:-200.01',
          'an even spread, period by period: -400.01 x p / 12 rounded to the penny each time');
SELECT is((SELECT string_agg(format('%s:%s', period, profiled_budget_to_date), ' ' ORDER BY period) FROM finmon.revenue_spend_profile
            WHERE council = 'L1' AND financial_year = '2022-23' AND report_period = 6 AND path = 'A > X'),
          '1:1501.25 2:900.75 3:1020.85 4:1201.00 5:1201.00 6:1201.00',
          'a front-loaded profile: above the budget at P1 (1.25), back at P2 (-0.5)');
-- Actual to date: the actuals at P3 and P6; Z absent at P6, so 0; no actuals at P1 and no ledger: NULL.
SELECT is((SELECT string_agg(format('%s:%s', path, actual_to_date), ' ' ORDER BY path) FROM finmon.revenue_report
            WHERE council = 'L1' AND financial_year = '2022-23' AND period = 6),
          ':495.00 A:495.00 A > X:700.00 A > Y:-205.00 Z:0.00', 'actual to date at P6 from actuals.csv: 700 - 205 + 0');
SELECT is((SELECT string_agg(format('%s:%s', period, COALESCE(actual_to_date::text, 'NULL')), ' ' ORDER BY period) FROM finmon.revenue_spend_profile
            WHERE council = 'L1' AND financial_year = '2022-23' AND report_period = 6 AND path = ''),
          '1:NULL 2:NULL 3:210.50 4:NULL 5:NULL 6:495.00', 'periods without actuals and without a ledger have no actual to date');

-- A layout in another council's conventions, used at periods 6 and 12 only.
INSERT INTO finmon.revenue_tables_import VALUES
    ('L1', 'lt', '', 'Budget monitoring (£)', 'Budget - Forecast', 'pounds', '0', '1', 'true', 'minus', 'n/a', '6;12'),
    ('L1', 'def', '', 'Default layout', '', '', '', '', '', '', '', ''),
    ('L1', 'q', '', 'Every period, under/(over)', 'budget - forecast', '', '', '', '', '', '', '');
INSERT INTO finmon.revenue_table_rows_import VALUES
    ('L1', 'lt', '1', 'node', 'X', 'A > X'), ('L1', 'lt', '2', 'node', 'Y', 'A > Y'), ('L1', 'lt', '3', 'node', 'Z', 'Z'),
    ('L1', 'lt', '4', 'total', 'Total', ''),
    ('L1', 'def', '1', 'node', 'X', 'A > X'), ('L1', 'def', '2', 'total', 'Total', ''), ('L1', 'q', '1', 'node', 'X', 'A > X');
INSERT INTO finmon.revenue_table_columns_import VALUES
    ('L1', 'lt', '1', 'budget', 'Budget'), ('L1', 'lt', '2', 'budget_to_date', ''), ('L1', 'lt', '3', 'Actual_To_Date', 'Spent'),
    ('L1', 'lt', '4', 'variance_to_date', 'Under/(over) to date'), ('L1', 'lt', '5', 'pct_spent', '% spent'),
    ('L1', 'lt', '6', 'variance', 'Under/(over)'), ('L1', 'lt', '7', 'variance_pct', '%'),
    ('L1', 'lt', '8', 'budget_remaining', 'Left'), ('L1', 'lt', '9', 'prior_year_budget', 'Budget last year'),
    ('L1', 'lt', '10', 'prior_year_actual_to_date', 'Spent last year'), ('L1', 'lt', '11', 'prior_year_pct_spent', '% then'),
    ('L1', 'lt', '12', 'commentary', 'Why');
SELECT is((SELECT (variance_sign, unit, money_places, percent_places, thousands_separator, negatives, zero_budget_percent, periods)::text
             FROM finmon_data.revenue_table WHERE council = 'L1' AND table_name = 'lt'),
          '("budget - forecast",pounds,0,1,t,minus,n/a,"{6,12}")', 'the conventions as loaded');
SELECT is((SELECT (variance_sign, unit, money_places, percent_places, thousands_separator, negatives, zero_budget_percent, periods)::text
             FROM finmon_data.revenue_table WHERE council = 'L1' AND table_name = 'def'),
          '("forecast - budget",millions,,,f,brackets,,)', 'empty conventions are the defaults');
SELECT is((SELECT count(*) FROM finmon.revenue_table_report WHERE council = 'L1' AND table_name = 'lt' AND period = 3), 0::bigint,
          'a table used at periods 6 and 12 has no rows at period 3');
SELECT is((SELECT string_agg(DISTINCT format('%s P%s', financial_year, period), ', ') FROM finmon.revenue_table_report
            WHERE council = 'L1' AND table_name = 'lt'), '2021-22 P12, 2021-22 P6, 2022-23 P6', 'but at every period 6 and 12 with figures');
SELECT is((SELECT count(*) FROM finmon.revenue_table_report WHERE council = 'L1' AND table_name = 'def'), 8::bigint,
          'a table with no periods given is used at every period: 4 periods x 2 rows');

-- In pounds, budget - forecast: X 1201 - 1330 = -129; % -129 / 1201 = -10.7410...; to date
-- 1201.00 - 700 = 501.00; spent 700 / 1201 = 58.28...%; left 501; last year's budget (P12)
-- 1200, spent at P6 last year 640 (53.33...%).
SELECT is((SELECT (variance, round(variance_pct, 4), budget_to_date, actual_to_date, variance_to_date, round(pct_spent, 4), budget_remaining,
                   prior_year_budget, prior_year_actual_to_date, round(prior_year_pct_spent, 4), commentary, variance_sign)::text
             FROM finmon.revenue_table_report WHERE council = 'L1' AND table_name = 'lt' AND financial_year = '2022-23' AND period = 6 AND row_number = 1),
          '(-129.00,-10.7410,1201.00,700.00,501.00,58.2848,501.00,1200.00,640.00,53.3333,"More placements than budgeted.","budget - forecast")',
          'revenue_table_report row X in pounds, budget - forecast');
SELECT is((SELECT (variance, movement, previous_variance)::text
             FROM finmon.revenue_table_report WHERE council = 'L1' AND table_name = 'def' AND financial_year = '2022-23' AND period = 6 AND row_number = 1),
          '(129.00,30.00,99.00)', 'the default layout keeps forecast - budget: 1330 - 1201 = 129, 99 at P3, movement 30');
SELECT is((SELECT (variance, movement, previous_variance, prior_year_variance)::text
             FROM finmon.revenue_table_report WHERE council = 'L1' AND table_name = 'q' AND financial_year = '2022-23' AND period = 6 AND row_number = 1),
          '(-129.00,-30.00,-99.00,-50.00)', 'budget - forecast turns every variance: the movement, the previous and last year''s (1200 - 1250)');
SELECT is((SELECT format('%s %s %s', COALESCE(previous_period::text, '-'), COALESCE(previous_variance::text, '-'), COALESCE(movement::text, '-'))
             FROM finmon.revenue_table_report WHERE council = 'L1' AND table_name = 'lt' AND financial_year = '2022-23' AND period = 6 AND row_number = 1),
          '- - -', 'a table used at periods 6 and 12 has no previous report at 2022-23 P6 (P3 is not one of its periods)');
SELECT is((SELECT format('%s %s %s %s', variance, previous_period, previous_variance, movement)
             FROM finmon.revenue_table_report WHERE council = 'L1' AND table_name = 'lt' AND financial_year = '2021-22' AND period = 12 AND row_number = 1),
          '-50.00 6 -100.00 50.00', 'at 2021-22 P12 its previous report is P6: 1000 - 1100 = -100, then 1200 - 1250 = -50, moved by 50');

-- As printed: pounds, no decimals, thousands separated, a minus sign, % to 1 place, n/a for a
-- % of a zero budget.  Y: left -400.01 + 205 = -195.01 -> -195.  Total: budget 1201 - 400.01 + 0
-- = 800.99; forecast 1330 - 380 + 20 = 970; under/(over) -169.01 -> -169, -21.10%; to date 1000.99 - 495 = 505.99 -> 506;
-- spent 495 / 800.99 = 61.798% -> 61.8%; left 305.99 -> 306; last year 800 and 475 (59.375% -> 59.4%).
SELECT results_eq($$SELECT label, budget, budget_to_date, actual_to_date, variance_to_date, pct_spent, variance, variance_pct,
                           budget_remaining, prior_year_budget, prior_year_actual_to_date, prior_year_pct_spent
                      FROM finmon.revenue_table_printed WHERE council = 'L1' AND table_name = 'lt' AND financial_year = '2022-23' AND period = 6
                     ORDER BY row_number$$,
                  $$VALUES ('X', '1,201', '1,201', '700', '501', '58.3%', '-129', '-10.7%', '501', '1,200', '640', '53.3%'),
                           ('Y', '-400', '-200', '-205', '5', '51.2%', '-20', '5.0%', '-195', '-400', '-190', '47.5%'),
                           ('Z', '0', '0', '0', '0', 'n/a', '-20', 'n/a', '0', '0', '25', 'n/a'),
                           ('Total', '801', '1,001', '495', '506', '61.8%', '-169', '-21.1%', '306', '800', '475', '59.4%')$$,
                  'revenue_table_printed in the layout''s conventions');
SELECT is((SELECT string_agg(format('%s:%s=%s', position, heading, printed), ' | ' ORDER BY position) FROM finmon.revenue_table_cells
            WHERE council = 'L1' AND table_name = 'lt' AND financial_year = '2022-23' AND period = 6 AND row_number = 1),
          '1:Budget=1,201 | 2:Budget to date=1,201 | 3:Spent=700 | 4:Under/(over) to date=501 | 5:% spent=58.3% | 6:Under/(over)=-129 | 7:%=-10.7% | 8:Left=501 | 9:Budget last year=1,200 | 10:Spent last year=640 | 11:% then=53.3% | 12:Why=More placements than budgeted.',
          'revenue_table_cells: the layout''s columns in order, an empty heading giving the default');
SELECT is((SELECT string_agg(column_name, ',' ORDER BY position) FROM finmon.revenue_table_columns WHERE council = 'L1' AND table_name = 'def'),
          'prior_year_actual,prior_year_variance,budget,forecast_outturn,variance,variance_pct,previous_variance,movement',
          'a layout naming no columns shows the default ones');
SELECT is((SELECT string_agg(printed, ' ' ORDER BY position) FROM finmon.revenue_table_cells
            WHERE council = 'L1' AND table_name = 'def' AND financial_year = '2022-23' AND period = 6 AND row_number = 2),
          '0.001 0.000 0.001 0.001 0.000 21.10% 0.000 0.000',
          'the default layout prints £m to 3 places: last year''s actual 1250 - 420 + 30 = 860 and variance 60, budget 800.99, forecast 970, variance 169.01 (21.10%); previous variance 119.01 at P3, movement 50');
SELECT is((SELECT array_agg(t ORDER BY o) FROM finmon.revenue_table_text('lt', '2022-23', 6, 'L1') WITH ORDINALITY AS x(t, o)),
          ARRAY['Budget monitoring (£): 2022-23 period 6',
                '       Budget  Budget to date  Spent  Under/(over) to date  % spent  Under/(over)       %  Left  Budget last year  Spent last year  % then  Why',
                'X       1,201           1,201    700                   501    58.3%          -129  -10.7%   501             1,200              640   53.3%  More placements than budgeted.',
                'Y        -400            -200   -205                     5    51.2%           -20    5.0%  -195              -400             -190   47.5%',
                'Z           0               0      0                     0      n/a           -20     n/a     0                 0               25     n/a',
                'Total     801           1,001    495                   506    61.8%          -169  -21.1%   306               800              475   59.4%'],
          'revenue_table_text prints the table: title, headings, rows, amounts aligned right');
SELECT is((SELECT count(*) FROM finmon.revenue_table_text('lt', '2022-23', 3, 'L1')), 0::bigint, 'revenue_table_text: nothing at a period the table is not used');
SELECT throws_ok($$SELECT * FROM finmon.revenue_table_text('nope', '2022-23', 6, 'L1')$$, '42704',
                 'table "nope" is not a layout of council L1', 'revenue_table_text: an unknown table: 42704');

-- The period view gives the same rows after a refresh; a change of convention needs none.
SELECT is((SELECT count(*) FROM finmon.refresh_period_views() WHERE status = 'failed'), 0::bigint, 'refresh');
-- (the period view declares its percentages numeric(24,4): the report's, rounded to 4 places)
CREATE TEMP VIEW table_report_declared AS
SELECT to_jsonb(r) || jsonb_build_object('variance_pct', round(r.variance_pct, 4), 'pct_spent', round(r.pct_spent, 4),
                                         'prior_year_pct_spent', round(r.prior_year_pct_spent, 4)) AS j
  FROM finmon.revenue_table_report r WHERE r.council = 'L1';
SELECT is((SELECT count(*) FROM (SELECT to_jsonb(p) FROM finmon.revenue_table_period p WHERE council = 'L1' EXCEPT ALL
                                  SELECT j FROM table_report_declared) d)
        + (SELECT count(*) FROM (SELECT j FROM table_report_declared EXCEPT ALL
                                  SELECT to_jsonb(p) FROM finmon.revenue_table_period p WHERE council = 'L1') d), 0::bigint,
          'revenue_table_period = revenue_table_report, row for row (percentages to 4 places)');
INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'lt', '', 'Budget monitoring (£)', 'forecast - budget', 'pounds', '0', '1', 'true', 'minus', 'n/a', '6 12');
SELECT is((SELECT variance FROM finmon.revenue_table_period WHERE council = 'L1' AND table_name = 'lt' AND financial_year = '2022-23' AND period = 6 AND row_number = 1),
          129::numeric, 'the period view follows the layout''s sign as soon as it changes');
INSERT INTO finmon.actuals_import VALUES ('L1', '2022-23', '6', 'Z', '3');
SELECT is((SELECT count(*) FROM finmon.refresh_period_views() WHERE view_name = 'revenue_spend_period' AND status = 'ok'), 1::bigint,
          'an actuals load refreshes the spend to date');
SELECT is((SELECT actual_to_date FROM finmon.revenue_table_period WHERE council = 'L1' AND table_name = 'lt' AND financial_year = '2022-23' AND period = 6 AND row_number = 4),
          498::numeric, 'and the committee table''s period view shows it: 495 + 3');

-- The load errors of the layout formats, each with its SQLSTATE and row.
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'bad', '', 'T', 'over', '', '', '', '', '', '', '')$$,
                 '22023', NULL, 'revenue_tables: a variance sign not in the list: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'bad', '', 'T', '', 'billions', '', '', '', '', '', '')$$,
                 '22023', NULL, 'revenue_tables: an unknown unit: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'ok', '', 'T', '', '', '', '', '', '', '', ''), ('L1', 'bad', '', 'T', '', '', '2.5', '', '', '', '', '')$$,
                 '22023', 'revenue_tables_import row 2: money_places "2.5" is not a number of decimal places from 0 to 10',
                 'revenue_tables: places not a whole number: 22023, naming its row');
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'bad', '', 'T', '', '', '', '11', '', '', '', '')$$,
                 '22023', NULL, 'revenue_tables: 11 places: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'bad', '', 'T', '', '', '', '', 'perhaps', '', '', '')$$,
                 '22P02', NULL, 'revenue_tables: a separator neither true nor false: 22P02');
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'bad', '', 'T', '', '', '', '', '', 'red', '', '')$$,
                 '22023', NULL, 'revenue_tables: negatives neither brackets nor minus: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'bad', '', 'T', '', '', '', '', '', '', '', '3 13')$$,
                 '22023', 'revenue_tables_import row 1: periods "3 13" is not a list of periods', 'revenue_tables: period 13 in the list: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'bad', '', 'T', '', '', '', '', '', '', '', ' ; ')$$,
                 '22023', NULL, 'revenue_tables: a list of no periods: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_columns_import VALUES ('L1', 'nope', '1', 'budget', '')$$,
                 '23503', 'revenue_table_columns_import row 1: table "nope" is not a layout of council L1', 'revenue_table_columns: an unknown table: 23503');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_columns_import VALUES ('L1', 'lt', '1', 'budget', ''), ('L1', 'lt', '2', 'BUDGET', 'Again')$$,
                 '23505', 'revenue_table_columns_import row 2: column budget is already column 1 of table "lt"', 'revenue_table_columns: a column twice: 23505');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_columns_import VALUES ('L1', 'lt', '1', 'spend', '')$$,
                 '22023', NULL, 'revenue_table_columns: an unknown column: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_columns_import VALUES ('L1', 'lt', '1', 'budget', ''), ('L1', 'lt', '1', 'variance', '')$$,
                 '23505', NULL, 'revenue_table_columns: a position twice: 23505');
SELECT is((SELECT count(*) FROM finmon_data.revenue_table WHERE council = 'L1'), 3::bigint, 'failed layout loads add no table');
SELECT is((SELECT count(*) FROM finmon_data.revenue_table_column WHERE council = 'L1'), 12::bigint, 'and keep the columns as they were');
-- Reloading a table's columns replaces them all; deleting them restores the defaults.
INSERT INTO finmon.revenue_table_columns_import VALUES ('L1', 'lt', '1', 'budget', ''), ('L1', 'lt', '2', 'variance', 'Var');
SELECT is((SELECT string_agg(column_name || ':' || heading, ',' ORDER BY position) FROM finmon.revenue_table_columns WHERE council = 'L1' AND table_name = 'lt'),
          'budget:Budget,variance:Var', 'a load replaces a table''s columns');
SELECT is(finmon.delete_figures('revenue_table_columns', council => 'L1'), 2::bigint, 'delete_figures removes a council''s table columns');
SELECT is((SELECT count(*) FROM finmon.revenue_table_columns WHERE council = 'L1' AND table_name = 'lt'), 8::bigint, 'and the table shows the default columns');

-- Fields a paper leaves empty -----------------------------------------------------------------
INSERT INTO finmon.council_import VALUES ('L2', 'Empty fields council');
-- Last year's budgets alone (no forecast), and this year's figures: a leaf without a forecast
-- leaves its nodes without one.
INSERT INTO finmon.revenue_import VALUES
    ('L2', '2022-23', '12', 'P > Q', '1000', ''), ('L2', '2022-23', '12', 'P > R', '500', ''),
    ('L2', '2023-24', '3', 'P > Q', '1100', '1150'), ('L2', '2023-24', '3', 'P > R', '520', '510'),
    ('L2', '2023-24', '6', 'P > Q', '1100', '1160'), ('L2', '2023-24', '6', 'P > R', '520', NULL);
SELECT is((SELECT string_agg(format('%s:%s/%s/%s', path, budget, COALESCE(forecast_outturn::text, '-'), COALESCE(variance::text, '-')), ' ' ORDER BY path)
             FROM finmon.revenue_report WHERE council = 'L2' AND financial_year = '2022-23' AND period = 12),
          ':1500.00/-/- P:1500.00/-/- P > Q:1000.00/-/- P > R:500.00/-/-', 'budgets alone: every node has its budget, and no forecast or variance');
SELECT is((SELECT format('%s %s %s', prior_year_budget, COALESCE(prior_year_actual::text, '-'), COALESCE(prior_year_variance::text, '-'))
             FROM finmon.revenue_report WHERE council = 'L2' AND financial_year = '2023-24' AND period = 3 AND path = ''),
          '1500.00 - -', 'last year''s budget from budgets alone; no actual or variance for last year');
SELECT is((SELECT string_agg(format('%s:%s/%s/%s', path, budget, COALESCE(forecast_outturn::text, '-'), COALESCE(movement::text, '-')), ' ' ORDER BY path)
             FROM finmon.revenue_report WHERE council = 'L2' AND financial_year = '2023-24' AND period = 6),
          ':1620.00/-/- P:1620.00/-/- P > Q:1100.00/1160.00/10.00 P > R:520.00/-/-',
          'a leaf without a forecast: its nodes have none (not the sum of the others); the leaf with one keeps its variance and movement (60 - 50)');
-- A budget profile in pounds: the budget to date is the amounts to date, as given.
INSERT INTO finmon.budget_profile_import (council, financial_year, line, period, amount)
SELECT 'L2', '2023-24', 'P > Q', p::text, CASE WHEN p <= 2 THEN '300' ELSE '62.5' END FROM generate_series(1, 12) p;
SELECT is((SELECT string_agg(format('%s:%s', path, profiled_budget_to_date), ' ' ORDER BY path) FROM finmon.revenue_report
            WHERE council = 'L2' AND financial_year = '2023-24' AND period = 3),
          ':792.50 P:792.50 P > Q:662.50 P > R:130.00', 'budget to date from amounts: 300 + 300 + 62.5 = 662.50; R spread evenly, 520 x 3 / 12 = 130');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('L2', '2023-24', 'P > R', '1', '1', '520')$$,
                 '23514', 'budget_profile_import row 1: share and amount are both given', 'profile: a share and an amount: 23514');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('L2', '2023-24', 'P > R', '1', '', '')$$,
                 '23514', 'budget_profile_import row 1: share and amount are both empty', 'profile: neither: 23514');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('L2', '2023-24', 'P > Q', '1', '1', NULL)$$,
                 '23514', 'budget_profile_import: line "P > Q" in 2023-24 is profiled both in shares and in pounds', 'profile: a share among a line''s amounts: 23514');
-- Grants: an allocation-only table, nothing brought forward and no spend forecast yet.
INSERT INTO finmon.grants_import VALUES ('L2', '2023-24', '3', 'iBCF', 'S1', '1000', '', ''),
                                        ('L2', '2023-24', '3', 'iBCF', 'S2', '800', '', '300');
SELECT is((SELECT string_agg(format('%s:%s/%s/%s/%s', COALESCE(scheme, 'total'), allocation, brought_forward,
                                    COALESCE(forecast_spend::text, '-'), COALESCE(carry_forward::text, '-')), ' ' ORDER BY row_number)
             FROM finmon.grant_report WHERE council = 'L2'),
          'S1:1000.00/0.00/-/- S2:800.00/0.00/300.00/500.00 total:1800.00/0.00/-/-',
          'grants: brought forward empty is 0; no forecast spend gives no carry forward, for the scheme and the total');
-- An unlabelled row (a bare empty field, read by COPY as NULL) loads with an empty label.
INSERT INTO finmon.revenue_tables_import (council, table_name, title) VALUES ('L2', 't', 'T');
INSERT INTO finmon.revenue_table_rows_import VALUES ('L2', 't', '1', 'node', NULL, 'P'), ('L2', 't', '2', 'total', NULL, NULL);
SELECT is((SELECT string_agg(format('[%s]', label), '' ORDER BY row_number) FROM finmon_data.revenue_table_row WHERE council = 'L2'),
          '[][]', 'empty labels load as empty');

-- Footing a printed table from its printed figures alone (finmon.footing).
INSERT INTO finmon.published_import VALUES
    ('L2', '2023-24', '3', 'revenue', '', 'budget', '1.62', '£m', 'T'),
    ('L2', '2023-24', '3', 'revenue', 'P > Q', 'budget', '1.10', '£m', 'T'),
    ('L2', '2023-24', '3', 'revenue', 'P > R', 'budget', '0.52', '£m', 'T'),
    ('L2', '2023-24', '3', 'revenue', '', 'forecast_outturn', '1.66', '£m', 'T'),
    ('L2', '2023-24', '3', 'revenue', 'P > Q', 'forecast_outturn', '1.15', '£m', 'T'),
    ('L2', '2023-24', '3', 'revenue', 'P > R', 'forecast_outturn', '0.51', '£m', 'T'),
    ('L2', '2023-24', '3', 'revenue', '', 'variance', '0.04', '£m', 'T'),
    ('L2', '2023-24', '3', 'revenue', 'P > Q', 'variance', '0.06', '£m', 'T'),
    ('L2', '2023-24', '3', 'revenue', '', 'budget', '3', '£000', 'W'),
    ('L2', '2023-24', '3', 'revenue', 'P > Q + P > R', 'budget', '2', '£000', 'W'),
    ('L2', '2023-24', '3', 'revenue', 'Z', 'budget', '1', '£000', 'W'),
    ('L2', '2023-24', '3', 'revenue', 'An: X', 'budget', '2', '£000', 'U'),
    ('L2', '2023-24', '3', 'revenue', 'An: Y', 'budget', '3', '£000', 'U'),
    ('L2', '2023-24', '3', 'revenue', 'An:', 'budget', '7', '£000', 'U');
SELECT is((SELECT string_agg(format('%s|%s|%s|%s:%s-%s=%s (%s) %s', source, item, column_name, check_kind, printed, footed, difference,
                                    round(tolerance, 4), verdict), E'\n' ORDER BY source, item, column_name)
             FROM finmon.footing WHERE council = 'L2'),
          E'T||budget|total:1.620000-1.620000=0.000000 (0.0150) foots\n'
          'T||forecast_outturn|total:1.660000-1.660000=0.000000 (0.0150) foots\n'
          'T||variance|difference:0.040000-0.040000=0.000000 (0.0150) foots\n'
          'T|P > Q|variance|difference:0.060000-0.050000=0.010000 (0.0150) rounding\n'
          'U|An:|budget|total:7.000000-5.000000=2.000000 (1.5000) does not foot',
          'footing: totals against their rows, variances against budget and forecast, within an analysis; no total of a table printing a row a + b');
-- (A path is matched as it is written: an underscore or a percent sign in it is no wildcard.)
-- (A grant total has no forecast spend, and so no carry forward, while a scheme has none:
-- a stated carry forward is then an issue.)
INSERT INTO finmon.stated_import VALUES ('L2', '2023-24', '3', 'grants', 'grant: iBCF', 'carry_forward', '1500');
SELECT is((SELECT count(*) FROM finmon.consistency_issues WHERE council = 'L2' AND item = 'grant: iBCF'), 1::bigint,
          'a stated grant carry forward is not taken from the schemes with a forecast alone');
-- (A node with no forecast is headed so in the commentary.)
INSERT INTO finmon.commentary_import VALUES ('L2', '2023-24', '6', 'P > R', 'Not yet forecast.');
SELECT is((SELECT heading FROM finmon.revenue_commentary WHERE council = 'L2' AND path = 'P > R'), 'R, no forecast',
          'commentary heading of a node without a forecast');
INSERT INTO finmon.published_import VALUES ('L2', '2023-24', '3', 'revenue', 'P_Q', 'budget', '5', '£000', 'V'),
                                           ('L2', '2023-24', '3', 'revenue', 'PxQ > Z', 'budget', '1', '£000', 'V');
SELECT is((SELECT count(*) FROM finmon.footing WHERE council = 'L2' AND source = 'V'), 0::bigint,
          'footing: "PxQ > Z" is not a row under "P_Q"');

-- The first financial year finmon accepts has no year before it: its tables still print.
INSERT INTO finmon.revenue_import VALUES ('L2', '0001-02', '3', 'P > Q', '1', '1');
SELECT is((SELECT count(*) FROM finmon.revenue_table_report WHERE council = 'L2' AND financial_year = '0001-02'), 2::bigint,
          'a table at 0001-02 (no previous year) reports its rows');

-- A reader of L2 only sees nothing of L1's layouts, through any of the new views and functions.
CREATE ROLE finmon_tap_layout_reader IN ROLE finmon_reader;
SELECT finmon.grant_council('finmon_tap_layout_reader', 'L2');
SET ROLE finmon_tap_layout_reader;
SELECT throws_ok($$SELECT * FROM finmon.revenue_table_text('lt', '2022-23', 6, 'L1')$$, '42704',
                 'table "lt" is not a layout of council L1', 'a reader of L2: L1''s table is not one it has (42704, as for no table)');
SELECT is((SELECT count(*) FROM finmon.revenue_table_cells WHERE council = 'L1')
        + (SELECT count(*) FROM finmon.revenue_table_columns WHERE council = 'L1')
        + (SELECT count(*) FROM finmon.revenue_table_printed WHERE council = 'L1')
        + (SELECT count(*) FROM finmon.revenue_table_period WHERE council = 'L1')
        + (SELECT count(*) FROM finmon.footing WHERE council = 'L1'), 0::bigint,
          'a reader of L2: no row of L1 in revenue_table_cells, _columns, _printed, _period or footing');
SELECT ok((SELECT count(*) FROM finmon.revenue_table_text('t', '2023-24', 3, 'L2')) > 0, 'and it prints its own council''s table');
SELECT throws_ok($$SELECT * FROM finmon_data.actuals$$, '42501', NULL, 'a reader does not read the actuals table itself');
RESET ROLE;
-- An editor and an admin of L2 change nothing of L1's through the new formats.
CREATE ROLE finmon_tap_layout_editor IN ROLE finmon_editor;
CREATE ROLE finmon_tap_layout_admin IN ROLE finmon_admin;
SELECT finmon.grant_council('finmon_tap_layout_editor', 'L2'), finmon.grant_council('finmon_tap_layout_admin', 'L2');
SET ROLE finmon_tap_layout_editor;
SELECT throws_ok($$INSERT INTO finmon.actuals_import VALUES ('L1', '2022-23', '6', 'Z', '5')$$, '42501', NULL,
                 'an editor of L2 cannot load actuals for L1');
SELECT throws_ok($$SELECT finmon.delete_figures('actuals', council => 'L1')$$, '42501', NULL,
                 'nor delete L1''s actuals');
RESET ROLE;
SET ROLE finmon_tap_layout_admin;
SELECT throws_ok($$INSERT INTO finmon.revenue_table_columns_import VALUES ('L1', 'lt', '1', 'budget', 'Mine')$$, '42501', NULL,
                 'an admin of L2 cannot change L1''s table columns');
SELECT throws_ok($$INSERT INTO finmon.revenue_tables_import VALUES ('L1', 'lt', '', 'Mine', '', '', '', '', '', '', '', '')$$, '42501', NULL,
                 'nor L1''s table conventions');
RESET ROLE;
SELECT is((SELECT count(*) FROM finmon_data.actuals WHERE council = 'L1'), 8::bigint, 'L1''s actuals are as they were');

SELECT * FROM finish();
ROLLBACK;
