-- pgTAP: printed figures (published_import: every error path with its SQLSTATE, atomic
-- loads, replacement), the verdicts of finmon.reconciliation (agrees, rounding, misstated,
-- no data; percentages and their sign; units; items summed with ' + '; each report's
-- items and totals), stated figures (stated_import) and finmon.consistency_issues.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(89);

INSERT INTO finmon.council_import VALUES ('T1', 'Test council');

-- Data of our own, in pounds. Node X: budget 3,000,800 (3.001 £m), forecast 3,000,000.
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES
    ('2020-21', '3', 'X > L1', '1000400', '1100000'),
    ('2020-21', '3', 'X > L2', '2000400', '1900000'),
    ('2020-21', '3', 'Z', '0', '5000');
INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES
    ('S1', 'First saving', 'W', '2020-21', '-100000'),
    ('S2', 'Second saving', 'W', '2020-21', '-200000'),
    ('S3', 'Later saving', '', '2021-22', '-40000');
INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES
    ('2020-21', '3', 'S1', '-50000', ''), ('2020-21', '3', 'S2', '-200000', ''), ('2020-21', '3', 'S3', '0', '');
INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES
    ('2020-21', '3', 'R1', 'reserve', '1000000', '', '-250000', ''),
    ('2020-21', '3', 'P1', 'provision', '500000', '', '0', ''),
    ('2021-22', '1', 'R1', 'reserve', '700000', '', '0', '');
INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES
    ('2020-21', '3', 'K1', '1000000', '800000', '100000', 'false'),
    ('2020-21', '3', 'K2', '500000', '500000', '', 'true');
INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES
    ('2020-21', '3', 'G', 'GS1', '100000', '50000', '120000'),
    ('2020-21', '3', 'G', 'GS2', '10000', '0', '0');

-- A figure's verdict, difference and note, by source.
CREATE TEMP VIEW v AS
SELECT source, verdict || COALESCE(' ' || difference, '') || COALESCE(' (' || note || ')', '') AS result
  FROM finmon.reconciliation;

-- Loading ---------------------------------------------------------------------------

INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES
    ('2020-21', '3', 'revenue', 'X', 'budget', '3.001', '£m', 'agrees'),
    ('2020-21', '3', 'revenue', 'X', 'budget', '3.000', '£m', 'rounding'),
    ('2020-21', '3', 'revenue', 'X', 'budget', '2.999', '£m', 'misstated'),
    ('2020-21', '3', 'revenue', 'X > L1', 'budget', '1.000', '£m', 'leaf agrees'),
    ('2020-21', '3', 'revenue', 'X > L1', 'budget', '1.001', '£m', 'leaf one unit off'),
    ('2020-21', '3', 'revenue', 'X', 'budget', '3000.8', '£k', 'in £k'),
    ('2020-21', '3', 'revenue', 'X', 'budget', '3000800', '£', 'in £'),
    ('2020-21', '3', 'revenue', 'X', 'budget', '3', '£m', 'fewer places'),
    ('2020-21', '3', 'revenue', 'X', 'variance', '-0.001', '£m', 'variance'),
    ('2020-21', '3', 'revenue', NULL, 'forecast_outturn', '3.005', '£m', 'grand total'),
    ('2020-21', '3', 'revenue', 'X > L1', 'variance_pct', '9.96', '%', 'pct agrees'),
    ('2020-21', '3', 'revenue', 'X > L1', 'variance_pct', '9.95', '%', 'pct rounding'),
    ('2020-21', '3', 'revenue', 'X > L1', 'variance_pct', '-9.96', '%', 'pct wrong sign'),
    ('2020-21', '3', 'revenue', 'X > L1', 'variance_pct', '12.00', '%', 'pct misstated'),
    ('2020-21', '3', 'revenue', 'Z', 'variance_pct', '100', '%', 'zero base'),
    ('2020-21', '3', 'revenue', 'X', 'previous_variance', '0.100', '£m', 'no previous period'),
    ('2020-21', '3', 'revenue', 'Y', 'budget', '1.000', '£m', 'unknown item'),
    ('2020-21', '3', 'revenue', 'X > L1 + X > L2', 'budget', '3.001', '£m', 'sum of parts'),
    ('2020-21', '3', 'revenue', 'X > L1 + X > L2', 'variance_pct', '-0.03', '%', 'pct of parts'),
    ('2020-21', '3', 'revenue', 'X > L1 + Y', 'budget', '3.001', '£m', 'a part unknown'),
    ('2020-21', '3', 'revenue', 'X > L2', 'variance', '0.100', '£m', 'variance wrong sign'),
    ('2020-21', '3', 'revenue', 'X', 'variance', '0.001', '£m', 'variance near zero'),
    ('2020-21', '3', 'savings', 'S1', 'shortfall', '0.050', '£m', 'S1 shortfall'),
    ('2020-21', '3', 'savings', 'S1', 'variance', '-0.050', '£m', 'S1 variance'),
    ('2020-21', '3', 'savings', 'S1', 'shortfall_pct', '-50', '%', 'S1 shortfall %'),
    ('2020-21', '3', 'savings', 'S1', 'delivered_pct', '50', '%', 'S1 delivered %'),
    ('2020-21', '3', 'savings', 'S3', 'target', '0.000', '£m', 'S3 no target this year'),
    ('2020-21', '3', 'savings', 'S3', 'target_next_year', '-0.040', '£m', 'S3 next year'),
    ('2020-21', '3', 'savings', 'status: off target', 'target', '-0.100', '£m', 'off target'),
    ('2020-21', '3', 'savings', 'status: on target', 'forecast', '-0.200', '£m', 'on target'),
    ('2020-21', '3', 'savings', 'workstream: W', 'shortfall', '0.050', '£m', 'workstream'),
    ('2020-21', '3', 'savings', '', 'target', '-0.300', '£m', 'programme'),
    ('2020-21', '3', 'savings', '', 'target_year_after', '0.000', '£m', 'programme year after'),
    ('2020-21', '3', 'reserves', 'R1', 'closing_balance', '0.750', '£m', 'R1 closing'),
    ('2020-21', '3', 'reserves', 'kind: provision', 'opening_balance', '0.500', '£m', 'provisions'),
    ('2020-21', '3', 'reserves', '', 'closing_balance', '1.250', '£m', 'all balances'),
    ('2020-21', '3', 'reserves', '', 'agreed_usage', '0.000', '£m', 'no agreed usage'),
    ('2020-21', '3', 'capital', 'K1', 'slippage', '0.200', '£m', 'K1 slippage'),
    ('2020-21', '3', 'capital', 'programme total', 'budget', '1.000', '£m', 'programme total'),
    ('2020-21', '3', 'capital', '', 'budget', '1.500', '£m', 'total capital programme'),
    ('2020-21', '3', 'capital', '', 'next_year_budget', '0.100', '£m', 'next year with one unknown'),
    ('2020-21', '3', 'grants', 'GS1', 'carry_forward', '0.030', '£m', 'GS1 carry forward'),
    ('2020-21', '3', 'grants', 'grant: G', 'allocation', '0.110', '£m', 'grant total'),
    ('2020-21', '3', 'grants', '', 'carry_forward', '0.040', '£m', 'all grants');

SELECT is((SELECT count(*) FROM finmon_data.published), 44::bigint, 'a load of printed figures keeps every row');
SELECT is((SELECT item FROM finmon_data.published WHERE source = 'grand total'), '', 'an empty item (the total) is stored as ''''');
SELECT is((SELECT scale(value) FROM finmon_data.published WHERE source = 'leaf agrees'), 3, 'the printed places are kept (1.000)');
SELECT is((SELECT count(*) FROM finmon.reconciliation), 44::bigint, 'the reconciliation has one row per printed figure');

-- Verdicts ---------------------------------------------------------------------------

SELECT is((SELECT result FROM v WHERE source = 'agrees'), 'agrees 0.000000', '3.001 for 3,000,800: agrees');
SELECT is((SELECT result FROM v WHERE source = 'rounding'), 'rounding -0.001000',
          '3.000: off by one unit, within two leaves'' rounding: rounding');
SELECT is((SELECT (explainable_from, explainable_to, figures)::text FROM finmon.reconciliation WHERE source = 'rounding'),
          '(2.999800,3.001800,2)', 'a total of 2 leaves: computed 3.0008 ± 2 × 0.0005');
SELECT is((SELECT result FROM v WHERE source = 'misstated'), 'misstated -0.002000', '2.999: beyond rounding: misstated');
SELECT is((SELECT result FROM v WHERE source = 'leaf agrees'), 'agrees 0.000000', 'a leaf rounds to its printed figure');
SELECT is((SELECT result FROM v WHERE source = 'leaf one unit off'), 'misstated 0.001000',
          'a leaf one unit off is misstated: it sums nothing that rounding could explain');
SELECT is((SELECT result FROM v WHERE source = 'in £k'), 'agrees 0.000000', 'units: £k');
SELECT is((SELECT result FROM v WHERE source = 'in £'), 'agrees 0.000000', 'units: £');
SELECT is((SELECT (computed, verdict)::text FROM finmon.reconciliation WHERE source = 'fewer places'), '(3.000000,agrees)',
          'a figure printed with fewer places is compared at its own places');
SELECT is((SELECT result FROM v WHERE source = 'variance'), 'agrees 0.000000', 'variance = forecast - budget (-800 is -0.001)');
SELECT is((SELECT (computed, verdict)::text FROM finmon.reconciliation WHERE source = 'grand total'), '(3.005000,agrees)',
          'the empty item is the grand total');
SELECT is((SELECT result FROM v WHERE source = 'pct agrees'), 'agrees 0.000000', '99,600 / 1,000,400 is 9.96%');
SELECT is((SELECT result FROM v WHERE source = 'pct rounding'), 'rounding -0.010000', '9.95%: within the range rounding allows');
SELECT is((SELECT (explainable_from, explainable_to)::text FROM finmon.reconciliation WHERE source = 'pct rounding'),
          '(9.846100,10.066000)', 'the range: amount and base each moved by half a unit of £0.001m per figure, plus half of 0.01%');
SELECT is((SELECT result FROM v WHERE source = 'pct wrong sign'), 'misstated -19.920000 (wrong sign)',
          'a percentage with the wrong sign is misstated, whatever its size');
SELECT is((SELECT result FROM v WHERE source = 'pct misstated'), 'misstated 2.040000', '12.00%: misstated');
SELECT is((SELECT result FROM v WHERE source = 'zero base'), 'no data (the base of the percentage is zero)',
          'a percentage of a zero budget: no data');
SELECT is((SELECT result FROM v WHERE source = 'no previous period'),
          'no data (the data give no previous_variance for this item (e.g. no earlier period or year loaded))',
          'a column the data cannot give: no data, and why');
SELECT is((SELECT result FROM v WHERE source = 'unknown item'),
          'no data (finmon holds no figures for this item at this period)', 'an unknown item: no data');
SELECT is((SELECT result FROM v WHERE source = 'sum of parts'), 'agrees 0.000000 (the sum of 2 items)',
          'an item written a + b is checked against the sum of a and b');
SELECT is((SELECT result FROM v WHERE source = 'pct of parts'), 'no data (a percentage of several items is not their sum)',
          'but a percentage of a + b is not their sum: no data');
SELECT is((SELECT result FROM v WHERE source = 'a part unknown'),
          'no data (finmon holds no figures for some of these items at this period)', 'a + b with b unknown: no data');
SELECT is((SELECT result FROM v WHERE source = 'variance wrong sign'), 'misstated 0.200000 (wrong sign)',
          'an amount of the right size and the wrong sign is misstated, and said to be');
SELECT is((SELECT result FROM v WHERE source = 'variance near zero'), 'rounding 0.002000',
          'but an amount so near zero that rounding explains either sign is rounding');

-- Each report's items and totals.
SELECT is((SELECT result FROM v WHERE source = 'S1 shortfall'), 'agrees 0.000000', 'savings: shortfall = forecast - target');
SELECT is((SELECT result FROM v WHERE source = 'S1 variance'), 'agrees 0.000000', 'savings: variance = target - forecast');
SELECT is((SELECT result FROM v WHERE source = 'S1 shortfall %'), 'agrees 0.000000', 'savings: shortfall % of the (negative) target');
SELECT is((SELECT result FROM v WHERE source = 'S1 delivered %'), 'agrees 0.000000', 'savings: delivered %');
SELECT is((SELECT result FROM v WHERE source = 'S3 no target this year'),
          'no data (the data give no target for this item (e.g. no earlier period or year loaded))',
          'a saving with no target this year has none (the paper leaves the cell blank)');
SELECT is((SELECT result FROM v WHERE source = 'S3 next year'), 'agrees 0.000000', 'savings: next year''s target');
SELECT is((SELECT result FROM v WHERE source = 'off target'), 'agrees 0.000000', 'savings: the off-target total');
SELECT is((SELECT result FROM v WHERE source = 'on target'), 'agrees 0.000000', 'savings: the on-target total');
SELECT is((SELECT result FROM v WHERE source = 'workstream'), 'agrees 0.000000', 'savings: a workstream total');
SELECT is((SELECT result FROM v WHERE source = 'programme'), 'agrees 0.000000', 'savings: the programme total');
SELECT is((SELECT result FROM v WHERE source = 'programme year after'), 'agrees 0.000000',
          'a total of no targets is zero, as a paper prints it');
SELECT is((SELECT result FROM v WHERE source = 'R1 closing'), 'agrees 0.000000', 'reserves: closing = opening + planned usage');
SELECT is((SELECT result FROM v WHERE source = 'provisions'), 'agrees 0.000000', 'reserves: a kind total');
SELECT is((SELECT result FROM v WHERE source = 'all balances'), 'agrees 0.000000', 'reserves: the grand total');
SELECT is((SELECT result FROM v WHERE source = 'no agreed usage'),
          'no data (the data give no agreed_usage for this item (e.g. no earlier period or year loaded))',
          'reserves: no agreed usage loaded: no data');
SELECT is((SELECT result FROM v WHERE source = 'K1 slippage'), 'agrees 0.000000', 'capital: slippage = budget - forecast');
SELECT is((SELECT result FROM v WHERE source = 'programme total'), 'agrees 0.000000', 'capital: the programme total leaves out passported grants');
SELECT is((SELECT result FROM v WHERE source = 'total capital programme'), 'agrees 0.000000', 'capital: the total includes them');
SELECT alike((SELECT result FROM v WHERE source = 'next year with one unknown'), 'no data%',
            'capital: a total of next year''s budgets with one unknown is unknown');
SELECT is((SELECT result FROM v WHERE source = 'GS1 carry forward'), 'agrees 0.000000',
          'grants: carry forward = allocation + brought forward - spend');
SELECT is((SELECT result FROM v WHERE source = 'grant total'), 'agrees 0.000000', 'grants: a grant''s total');
SELECT is((SELECT result FROM v WHERE source = 'all grants'), 'agrees 0.000000', 'grants: the total of all grants');

-- Measures: keyed 'area: measure' at the month's own year and period, in the measure's unit.
INSERT INTO finmon.measures_import VALUES ('M1', 'Reablement', '%', '100', '', 'higher');
INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('M1', 'Norfolk', '2020-06', '86.2');
INSERT INTO finmon.targets_import (measure, area, period, target) VALUES ('M1', 'Norfolk', '2020-06', '90');
INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES
    ('2020-21', '3', 'measures', 'Norfolk: M1', 'value', '86.2', '%', 'measure agrees'),
    ('2020-21', '3', 'measures', 'Norfolk: M1', 'value', '86.3', '%', 'measure misstated'),
    ('2020-21', '3', 'measures', 'Norfolk: M1', 'value', '86.2', 'per 100000', 'measure unit'),
    ('2020-21', '3', 'measures', 'Norfolk: M1', 'target', '90', '%', 'measure target'),
    ('2020-21', '3', 'measures', 'Norfolk: M1', 'ytd_value', '86.2', '%', 'measure ytd');
SELECT is((SELECT result FROM v WHERE source = 'measure agrees'), 'agrees 0.000000', 'measures: the month''s value (here the published one)');
SELECT is((SELECT result FROM v WHERE source = 'measure misstated'), 'misstated 0.100000', 'measures: a value one unit out is misstated');
SELECT is((SELECT result FROM v WHERE source = 'measure unit'), 'no data (the measure''s unit is "%")',
          'measures: printed in another unit than the measure''s: no data, and why');
SELECT is((SELECT result FROM v WHERE source = 'measure target'), 'agrees 0.000000', 'measures: the target');
SELECT is((SELECT result FROM v WHERE source = 'measure ytd'),
          'no data (the data give no ytd_value for this item (e.g. no earlier period or year loaded))',
          'measures: no year-to-date value without counts: no data');

-- A scheme name in two grants is ambiguous alone; with its grant it is not.
INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2020-21', '3', 'H', 'GS1', '5000', '0', '0');
INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES
    ('2020-21', '3', 'grants', 'GS1', 'allocation', '0.100', '£m', 'ambiguous scheme'),
    ('2020-21', '3', 'grants', 'grant: G > GS1', 'allocation', '0.100', '£m', 'scheme with its grant');
SELECT is((SELECT result FROM v WHERE source = 'ambiguous scheme'),
          'no data (the item matches more than one figure (a scheme in two grants: write grant: <name> > <scheme>))',
          'a scheme name in two grants: no data, not their sum');
SELECT is((SELECT result FROM v WHERE source = 'scheme with its grant'), 'agrees 0.000000', 'grant: G > GS1 is G''s GS1');
SELECT is((SELECT result FROM v WHERE source = 'GS1 carry forward'), 'no data (the item matches more than one figure (a scheme in two grants: write grant: <name> > <scheme>))',
          '(the earlier GS1 figure too, now that H has a GS1)');

-- Revenue items are written as revenue.csv's lines are: spaces around '>' do not matter.
INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', ' X>L1 ', 'budget', '1.000', '£m', 'loose item');
SELECT is((SELECT item FROM finmon_data.published WHERE source = 'loose item'), 'X > L1', 'a printed revenue item is normalised');
SELECT is((SELECT result FROM v WHERE source = 'loose item'), 'agrees 0.000000', 'and checked as the line');

-- A percentage so near zero that rounding explains either sign is rounding.
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2020-21', '3', 'P', '2000000', '1999700');
INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'P', 'variance_pct', '0.01', '%', 'pct near zero');
SELECT is((SELECT result FROM v WHERE source = 'pct near zero'), 'rounding 0.030000',
          '0.01% for -300 on 2,000,000 (-0.015%): rounding, whatever the sign');

-- A reload replaces a printed figure; the reconciliation follows the data.
INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '3.100', '£m', 'agrees');
SELECT is((SELECT (count(*), min(value))::text FROM finmon_data.published WHERE source = 'agrees'), '(1,3.100)',
          'loading a figure again replaces it');
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2020-21', '3', 'X > L1', '1099600', '1100000');
SELECT is((SELECT result FROM v WHERE source = 'agrees'), 'agrees 0.000000', 'and the verdict follows the data');

-- Errors: each names the row, has its SQLSTATE, and nothing of the load is kept.
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '1', '£m', 'ok'),
                                                              ('2020', '3', 'revenue', 'X', 'budget', '1', '£m', 'e')$$,
                 '22007', 'published_import row 2: invalid financial year "2020"', 'a bad year: 22007, naming the row');
SELECT is((SELECT count(*) FROM finmon_data.published WHERE source = 'ok'), 0::bigint, 'and the good row before it is not kept');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '13', 'revenue', 'X', 'budget', '1', '£m', 'e')$$,
                 '22023', 'published_import row 1: invalid period "13"', 'a bad period: 22023');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '1000000000000000', '£m', 'e')$$,
                 '22003', 'published_import row 1: value 1000000000000000 is out of range', 'a printed figure of 10^15 or more: 22003');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', '', 'X', 'budget', '1', '£m', 'e')$$,
                 '22004', 'published_import row 1: report is empty', 'an empty report: 22004');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'payroll', 'X', 'budget', '1', '£m', 'e')$$,
                 '22023', 'published_import row 1: unknown report "payroll"', 'an unknown report: 22023');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'outturn', '1', '£m', 'e')$$,
                 '22023', 'published_import row 1: report revenue has no column "outturn"', 'an unknown column: 22023');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', '', '1', '£m', 'e')$$,
                 '22004', 'published_import row 1: column is empty', 'an empty column: 22004');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '(0.163)', '£m', 'e')$$,
                 '22P02', 'published_import row 1: value "(0.163)" is not a signed decimal', 'a bracketed value: 22P02');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '1,234', '£m', 'e')$$,
                 '22P02', 'published_import row 1: value "1,234" is not a signed decimal', 'a thousands separator: 22P02');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '', '£m', 'e')$$,
                 '22004', 'published_import row 1: value is empty', 'an empty value: 22004');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '1', 'm', 'e')$$,
                 '22023', 'published_import row 1: unknown unit "m"', 'an unknown unit: 22023');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '1', '%', 'e')$$,
                 '22023', 'published_import row 1: revenue budget is an amount, but its unit is "%"', 'an amount in %: 22023');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'variance_pct', '1', '£m', 'e')$$,
                 '22023', 'published_import row 1: revenue variance_pct is a percentage, but its unit is "£m"', 'a percentage in £m: 22023');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '1', '£m', '')$$,
                 '22004', 'published_import row 1: source is empty', 'an empty source: 22004');
SELECT throws_ok($$INSERT INTO finmon.published_import (financial_year, period, report, item, "column", value, unit, source) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '1', '£m', 'twice'),
                                                              ('2020-21', '3', 'revenue', 'X', 'budget', '2', '£m', 'twice')$$,
                 '23505', 'published_import row 2: revenue budget of "X" in "twice" for 2020-21 period 3 appears twice in this load (first at row 1)',
                 'the same figure twice in one load: 23505');

-- Stated figures and consistency issues -------------------------------------------------

SELECT is((SELECT count(*) FROM finmon.consistency_issues WHERE issue = 'opening balance' AND item = 'R1'), 1::bigint,
          'R1''s 2021-22 opening (0.700m) is not its 2020-21 closing (0.750m): an issue');
SELECT is((SELECT (stated, computed, difference, period)::text FROM finmon.consistency_issues WHERE item = 'R1'),
          '(700000.00,750000.00,-50000.00,1)', 'with the stated and expected balances, in pounds');
INSERT INTO finmon.stated_import (financial_year, period, report, item, "column", value) VALUES
    ('2020-21', '3', 'reserves', 'R1', 'closing_balance', '750000'),
    ('2020-21', '3', 'reserves', 'P1', 'closing_balance', '510000'),
    ('2020-21', '3', 'grants', 'GS1', 'carry_forward', '30000'),
    ('2020-21', '3', 'grants', 'GS2', 'carry_forward', '0'),
    ('2020-21', '3', 'savings', '', 'target', '-300000'),
    ('2020-21', '3', 'savings', 'workstream: W', 'target', '-310000'),
    ('2020-21', '3', 'capital', 'K9', 'budget', '1');
SELECT is((SELECT string_agg(item || ' ' || difference, ', ' ORDER BY report, item)
             FROM finmon.consistency_issues WHERE issue = 'stated figure' AND computed IS NOT NULL),
          'GS2 -10000.00, P1 10000.00, workstream: W -10000.00',
          'stated figures that their parts do not give (and only those): a closing balance, a savings total, a carry forward');
SELECT is((SELECT message FROM finmon.consistency_issues WHERE item = 'P1'),
          'the stated closing_balance of reserves item "P1" is not what its parts give (opening_balance + planned_usage.)',
          'each says what was expected');
SELECT is((SELECT message FROM finmon.consistency_issues WHERE item = 'K9'),
          'finmon holds no figures for capital item "K9" at 2020-21 period 3', 'a stated figure for an unknown item is an issue');
SELECT throws_ok($$INSERT INTO finmon.stated_import (financial_year, period, report, item, "column", value) VALUES ('2020-21', '3', 'reserves', 'R1', 'closing_balance', '£750,000')$$,
                 '22P02', NULL, 'a stated value must be an amount in pounds: 22P02');
SELECT throws_ok($$INSERT INTO finmon.stated_import (financial_year, period, report, item, "column", value) VALUES ('2020-21', '3', 'revenue', 'X', 'variance_pct', '1')$$,
                 '22023', 'stated_import row 1: report revenue has no amount column "variance_pct"', 'a percentage cannot be stated: 22023');
SELECT throws_ok($$INSERT INTO finmon.stated_import (financial_year, period, report, item, "column", value) VALUES ('2020-21', '3', 'payroll', 'X', 'budget', '1')$$,
                 '22023', 'stated_import row 1: unknown report "payroll"', 'an unknown report: 22023');
SELECT throws_ok($$INSERT INTO finmon.stated_import (financial_year, period, report, item, "column", value) VALUES ('2020-21', '3', 'revenue', 'X', 'budget', '1'),
                                                           ('2020-21', '3', 'revenue', 'X', 'budget', '2')$$,
                 '23505', NULL, 'the same stated figure twice in one load: 23505');
SELECT throws_ok($$INSERT INTO finmon.stated_import (financial_year, period, report, item, "column", value) VALUES ('2020-21', '0', 'revenue', 'X', 'budget', '1')$$,
                 '22023', NULL, 'a bad period: 22023');

SELECT * FROM finish();
ROLLBACK;
