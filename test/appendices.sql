-- pgTAP: the savings, reserves, capital and grants imports (every error path with its
-- SQLSTATE, atomic loads, replacement) and their reports: savings_report,
-- savings_summary_report, savings_by_workstream, reserves_report, reserve_chain_breaks,
-- capital_report, grant_report, and the printed appendices' formatting.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(104);

INSERT INTO finmon.council_import VALUES ('T1', 'Test council');

-- Savings imports ---------------------------------------------------------------

INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES
    ('S1', 'Day services', 'Commissioning', '2018-19', '-1000'),
    ('S1', 'Day services', 'Commissioning', '2019-20', '-500'),
    ('S2', 'Transport', '', '2018-19', '-200'),
    ('S3', 'Reversal', 'Other', '2018-19', '300'),
    ('S4', 'Later saving', 'Other', '2019-20', '-50'),
    ('S4', 'Later saving', 'Other', '2020-21', '-70');
INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES
    ('2018-19', '4', 'S1', '-800', ''),
    ('2018-19', '5', 'S1', '-400', ''),
    ('2018-19', '5', 'S2', '-200', 'green'),
    ('2018-19', '5', 'S3', '350', 'Amber'),
    ('2018-19', '5', 'S4', '0', '');

SELECT is((SELECT workstream FROM finmon_data.savings_plan WHERE ref = 'S2'), NULL,
          'an empty workstream is stored as NULL');
SELECT is((SELECT (target, forecast, shortfall, rag, rag_source)::text FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S1'),
          '(-1000.00,-400.00,600.00,Red,derived)', 'S1: 40% delivered, no rag stated: derived Red');
SELECT is((SELECT round(delivered_pct, 2) FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S1'),
          40.00, 'delivered_pct = forecast / target * 100');
SELECT is((SELECT (rag, rag_source)::text FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S2'),
          '(Green,stated)', 'a stated rag is normalised to Green and reported as stated');
SELECT is((SELECT (shortfall, rag, rag_source)::text FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S3'),
          '(50.00,Amber,stated)', 'a stated rag wins over the derived one (a reversal overrun derives Red)');
SELECT is((SELECT (target, shortfall, delivered_pct, rag, rag_source)::text FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S4'),
          '(,0.00,,,)', 'no target this year: target, delivered_pct, rag and rag_source are NULL, shortfall counts the target as 0');
SELECT is((SELECT title FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S4'),
          'Later saving', 'no target this year: the title comes from the next year''s plan');
SELECT is((SELECT (previous_shortfall, target_next_year, target_year_after)::text FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S1'),
          '(200.00,-500.00,)', 'previous_shortfall is P4''s; next year''s target from the plan; none the year after');
SELECT is((SELECT (target_next_year, target_year_after)::text FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S4'),
          '(-50.00,-70.00)', 'the next two years'' targets');
SELECT is((SELECT string_agg(ref, ',' ORDER BY row_order) FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5),
          'S1,S2,S3,S4', 'row_order follows the forecast file');

SELECT is((SELECT string_agg(format('%s:%s/%s/%s/%s', status, target, forecast, shortfall, schemes), ' ' ORDER BY status_order)
             FROM finmon.savings_summary_report WHERE financial_year = '2018-19' AND period = 5),
          'off target:-700.00/-50.00/650.00/2 on target:-200.00/-200.00/0.00/2 total:-900.00/-250.00/650.00/4',
          'summary: off target (S1, S3), on target (S2, S4) and total');
SELECT is((SELECT round(shortfall_pct, 2) FROM finmon.savings_summary_report
            WHERE financial_year = '2018-19' AND period = 5 AND status = 'total'),
          -72.22, 'shortfall_pct = shortfall / target * 100, negative on savings as printed');
SELECT is((SELECT previous_shortfall FROM finmon.savings_summary_report
            WHERE financial_year = '2018-19' AND period = 5 AND status = 'off target'),
          200::numeric, 'the summary''s previously reported shortfall is P4''s row');
SELECT is((SELECT (target, forecast, shortfall)::text FROM finmon.savings_summary_report
            WHERE financial_year = '2018-19' AND period = 4 AND status = 'on target'),
          '(0.00,0.00,0.00)', 'a status with no savings is a row of zeros');
SELECT is((SELECT string_agg(format('%s:%s/%s', COALESCE(workstream, '-'), target, schemes_off_target), ' ' ORDER BY row_order)
             FROM finmon.savings_by_workstream WHERE financial_year = '2018-19' AND period = 5),
          'Commissioning:-1000.00/1 -:-200.00/0 Other:300.00/1',
          'by workstream, in order of first appearance, NULL for none');

-- Reloading replaces; a key twice in one load is an error.
INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '5', 'S1', '-1000', '');
SELECT is((SELECT (forecast, rag)::text FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5 AND ref = 'S1'),
          '(-1000.00,Green)', 'reloading a forecast replaces it');
SELECT is((SELECT count(*) FROM finmon_data.savings_forecast), 5::bigint, 'and adds no row');
INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('S1', 'Day services (revised)', 'Commissioning', '2018-19', '-900');
SELECT is((SELECT (title, target)::text FROM finmon_data.savings_plan WHERE ref = 'S1' AND financial_year = '2018-19'),
          '("Day services (revised)",-900)', 'reloading a plan row replaces it');
-- 2.0: rows loaded again unchanged keep their load number (notes, item 7); the report's order
-- must still be the file's (savings_report.row_order: 'Order of the forecast file', as in 1.0)
INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES
    ('2018-19', '5', 'S1', '-950', ''), ('2018-19', '5', 'S2', '-200', 'green'), ('2018-19', '5', 'S3', '350', 'Amber'), ('2018-19', '5', 'S4', '0', '');
SELECT is((SELECT string_agg(ref || '=' || forecast, ',' ORDER BY row_order) FROM finmon.savings_report
            WHERE financial_year = '2018-19' AND period = 5),
          'S1=-950.00,S2=-200.00,S3=350.00,S4=0.00', 'reloading the whole forecast file with one forecast corrected: row_order follows the file');

SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('', 't', '', '2018-19', '1')$$,
                 '22004', 'savings_plan_import row 1: ref is empty', 'plan: empty ref');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', ' ', '', '2018-19', '1')$$,
                 '22004', 'savings_plan_import row 1: title is empty', 'plan: empty title');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '2018/19', '1')$$,
                 '22007', 'savings_plan_import row 1: invalid financial year "2018/19"', 'plan: bad year');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '', '1')$$,
                 '22004', 'savings_plan_import row 1: financial_year is empty', 'plan: empty year');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '2018-19', '(1.5)')$$,
                 '22P02', 'savings_plan_import row 1: target "(1.5)" is not an amount', 'plan: bracketed amount');
-- Money is in pounds and pence: a third decimal place is refused, whatever the notation; more
-- places that are zeros, and an exponent that leaves two, are pence.
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '2018-19', '-1000.005')$$,
                 '22P02', 'savings_plan_import row 1: target "-1000.005" is not a whole number of pence', 'plan: a fraction of a penny');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '2018-19', '-1.23456e2')$$,
                 '22P02', 'savings_plan_import row 1: target "-1.23456e2" is not a whole number of pence', 'plan: a fraction of a penny, with an exponent');
SELECT lives_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('PENCE1', 't', '', '2030-31', '-1000.500'), ('PENCE2', 't', '', '2030-31', '-1.2345e4')$$,
                'plan: 1000.500 and 1.2345e4 are pounds and pence');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '2018-19', '-10000000000000')$$,
                 '22003', 'savings_plan_import row 1: target -10000000000000 is out of range', 'plan: ten trillion pounds is out of range');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '2018-19', '1e13')$$,
                 '22003', 'savings_plan_import row 1: target 1e13 is out of range', 'plan: and with an exponent');
SELECT lives_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('PENCE3', 't', '', '2030-31', '-9999999999999.99'), ('PENCE4', 't', '', '2030-31', '100e-2'), ('PENCE5', 't', '', '2030-31', '0e-3')$$,
                'plan: -9999999999999.99, 100e-2 (1.00) and 0e-3 (0) are pounds and pence');
SELECT is((SELECT string_agg(ref || ' ' || target, ', ' ORDER BY ref) FROM finmon_data.savings_plan WHERE ref LIKE 'PENCE%'),
          'PENCE1 -1000.500, PENCE2 -12345, PENCE3 -9999999999999.99, PENCE4 1.00, PENCE5 0.000', 'and are stored as given');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '2018-19', '')$$,
                 '22004', 'savings_plan_import row 1: target is empty', 'plan: empty target');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target) VALUES ('X', 't', '', '2018-19', '1'), ('X', 't', '', '2018-19', '2')$$,
                 '23505', 'savings_plan_import row 2: saving "X" for 2018-19 appears twice in this load (first at row 1)',
                 'plan: the same saving and year twice in one load');
SELECT is((SELECT count(*) FROM finmon_data.savings_plan WHERE ref = 'X'), 0::bigint,
          'a failed plan load keeps nothing, not even its good first row');

SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-20', '5', 'S1', '1', '')$$,
                 '22007', NULL, 'forecast: bad year');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '13', 'S1', '1', '')$$,
                 '22023', 'savings_forecast_import row 1: invalid period "13"', 'forecast: period 13');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '', 'S1', '1', '')$$,
                 '22004', 'savings_forecast_import row 1: period is empty', 'forecast: empty period');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '5', '', '1', '')$$,
                 '22004', 'savings_forecast_import row 1: ref is empty', 'forecast: empty ref');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '5', 'S1', '£1', '')$$,
                 '22P02', 'savings_forecast_import row 1: forecast "£1" is not an amount', 'forecast: currency sign');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '5', 'S1', '1', 'Yellow')$$,
                 '22023', 'savings_forecast_import row 1: rag "Yellow" is not Red, Amber or Green', 'forecast: bad rag');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '6', 'S1', '1', ''), ('2018-19', '6', 'NOPE', '1', '')$$,
                 '23503', 'savings_forecast_import row 2: saving "NOPE" has no row in the savings plan',
                 'forecast: a saving with no plan row');
SELECT is((SELECT count(*) FROM finmon_data.savings_forecast WHERE period = 6), 0::bigint,
          'a failed forecast load keeps nothing');
-- 2.0 checks duplicates after the last row, on the normalised rows: the message gives period 6, not the file's 06
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '6', 'S1', '1', ''), ('2018-19', '06', 'S1', '2', '')$$,
                 '23505', 'savings_forecast_import row 2: saving "S1" for 2018-19 period 6 appears twice in this load (first at row 1)',
                 'forecast: the same saving and period twice in one load');

-- Reserves ----------------------------------------------------------------------

INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES
    ('2017-18', '12', 'Bad debts', 'Provision', '400', '', '-100', ''),
    ('2017-18', '12', 'Fund A', 'reserve', '100', '', '-30', 'A fund'),
    ('2017-18', '12', 'Fund B', 'reserve', '50', '', '0', ''),
    ('2018-19', '3', 'Fund A', 'reserve', '75', '-10', '-10', 'A fund'),
    ('2018-19', '5', 'Fund A', 'reserve', '70', '-10', '-20', 'A fund'),
    ('2018-19', '5', 'Fund B', 'reserve', '55', '-5', '10', ''),
    ('2018-19', '5', 'Bad debts', 'provision', '300', '0', '-50', ''),
    ('2019-20', '2', 'Fund A', 'reserve', '50', '', '0', '');

SELECT is((SELECT kind FROM finmon_data.reserve WHERE name = 'Bad debts' AND financial_year = '2017-18'),
          'provision', 'kind is stored in lower case');
SELECT is((SELECT string_agg(format('%s:%s:%s', row_type, COALESCE(name, kind, 'all'), closing_balance), ' ' ORDER BY row_number)
             FROM finmon.reserves_report WHERE financial_year = '2018-19' AND period = 5),
          'balance:Bad debts:250.00 kind total:provision:250.00 balance:Fund A:50.00 balance:Fund B:65.00 kind total:reserve:115.00 total:all:365.00',
          'reserves report: provisions, their total, reserves, their total, the grand total; closing = opening + planned');
SELECT is((SELECT (opening_balance, agreed_usage, planned_usage)::text FROM finmon.reserves_report
            WHERE financial_year = '2018-19' AND period = 5 AND row_type = 'total'),
          '(425.00,-15.00,-60.00)', 'the grand total sums each column');
SELECT is((SELECT agreed_usage FROM finmon.reserves_report
            WHERE financial_year = '2017-18' AND period = 12 AND row_type = 'total'),
          NULL, 'no agreed usage given: the total''s agreed usage is NULL');
SELECT is((SELECT string_agg(format('%s %s %s->%s (%s) %s', name, financial_year, previous_closing_balance, opening_balance, difference, previous_year), '; '
                             ORDER BY name, financial_year) FROM finmon.reserve_chain_breaks),
          'Fund B 2018-19 50.00->55.00 (5.00) 2017-18',
          'chain breaks: only Fund B; each year''s latest period is used (Fund A''s P3 opening of 75 would break)');

SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2018-19', '5', '', 'reserve', '1', '', '1', '')$$,
                 '22004', 'reserves_import row 1: name is empty', 'reserves: empty name');
SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2018-19', '5', 'X', '', '1', '', '1', '')$$,
                 '22004', 'reserves_import row 1: kind is empty', 'reserves: empty kind');
SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2018-19', '5', 'X', 'fund', '1', '', '1', '')$$,
                 '22023', 'reserves_import row 1: kind "fund" is not reserve or provision', 'reserves: bad kind');
SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2018-19', '5', 'X', 'reserve', '1,000', '', '1', '')$$,
                 '22P02', 'reserves_import row 1: opening_balance "1,000" is not an amount', 'reserves: bad opening balance');
SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2018-19', '5', 'X', 'reserve', '1', 'n/a', '1', '')$$,
                 '22P02', 'reserves_import row 1: agreed_usage "n/a" is not an amount', 'reserves: bad agreed usage');
SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2018-19', '5', 'X', 'reserve', '1', '', '', '')$$,
                 '22004', 'reserves_import row 1: planned_usage is empty', 'reserves: empty planned usage');
SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2018-19', '0', 'X', 'reserve', '1', '', '1', '')$$,
                 '22023', 'reserves_import row 1: invalid period "0"', 'reserves: period 0');
SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('18-19', '5', 'X', 'reserve', '1', '', '1', '')$$,
                 '22007', NULL, 'reserves: bad year');
SELECT throws_ok($$INSERT INTO finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) VALUES ('2018-19', '7', 'X', 'reserve', '1', '', '1', ''), ('2018-19', '7', 'X', 'reserve', '1', '', '1', '')$$,
                 '23505', 'reserves_import row 2: balance "X" for 2018-19 period 7 appears twice in this load (first at row 1)',
                 'reserves: the same balance twice in one load');
SELECT is((SELECT count(*) FROM finmon_data.reserve WHERE name = 'X'), 0::bigint, 'a failed reserves load keeps nothing');

-- Capital -----------------------------------------------------------------------

INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES
    ('2018-19', '5', 'Scheme A', '1000', '600', '200', 'false'),
    ('2018-19', '5', 'Passported grant', '700', '700', '', 'true'),
    ('2018-19', '5', 'Scheme B', '100', '100', '0', '');
SELECT is((SELECT string_agg(format('%s:%s:%s/%s/%s/%s', row_type, COALESCE(scheme, '-'), budget, forecast_outturn, slippage, COALESCE(next_year_budget::text, 'tbc')), ' ' ORDER BY row_number)
             FROM finmon.capital_report WHERE financial_year = '2018-19' AND period = 5),
          'scheme:Scheme A:1000.00/600.00/400.00/200.00 scheme:Scheme B:100.00/100.00/0.00/0.00 programme total:-:1100.00/700.00/400.00/200.00 passported:Passported grant:700.00/700.00/0.00/tbc total capital programme:-:1800.00/1400.00/400.00/tbc',
          'capital report: schemes, programme total, passported, total capital programme; slippage = budget - forecast');
SELECT is((SELECT string_agg(scheme || '=' || next_year_budget, ' ' ORDER BY row_number) FROM finmon.appendix_e
            WHERE financial_year = '2018-19' AND period = 5),
          'Scheme A=0.000 Scheme B=0.000 TOTAL=0.000 Passported grant=tbc Total capital programme=tbc',
          'appendix E prints £m and tbc for an unknown next-year budget');
SELECT throws_ok($$INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('2018-19', '5', '', '1', '1', '', '')$$,
                 '22004', 'capital_import row 1: scheme is empty', 'capital: empty scheme');
SELECT throws_ok($$INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('2018-19', '5', 'S', 'x', '1', '', '')$$,
                 '22P02', 'capital_import row 1: budget "x" is not an amount', 'capital: bad budget');
SELECT throws_ok($$INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('2018-19', '5', 'S', '1', '', '', '')$$,
                 '22004', 'capital_import row 1: forecast_outturn is empty', 'capital: empty forecast');
SELECT throws_ok($$INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('2018-19', '5', 'S', '1', '1', 'tbc', '')$$,
                 '22P02', 'capital_import row 1: next_year_budget "tbc" is not an amount', 'capital: tbc is written as empty');
SELECT throws_ok($$INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('2018-19', '5', 'S', '1', '1', '', 'passported')$$,
                 '22P02', 'capital_import row 1: passported "passported" is not true or false', 'capital: bad passported');
SELECT throws_ok($$INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('2018-19', 'P5', 'S', '1', '1', '', '')$$,
                 '22023', NULL, 'capital: bad period');
SELECT throws_ok($$INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('', '5', 'S', '1', '1', '', '')$$,
                 '22004', NULL, 'capital: empty year');
SELECT throws_ok($$INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('2018-19', '6', 'S', '1', '1', '', ''), ('2018-19', '6', 'S', '1', '1', '', '')$$,
                 '23505', 'capital_import row 2: scheme "S" for 2018-19 period 6 appears twice in this load (first at row 1)',
                 'capital: the same scheme twice in one load');
INSERT INTO finmon.capital_import (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported) VALUES ('2018-19', '5', 'Scheme A', '1000', '900', '200', 'no');
SELECT is((SELECT (forecast_outturn, passported)::text FROM finmon_data.capital WHERE scheme = 'Scheme A'),
          '(900,f)', 'reloading a scheme replaces it');

-- Grants ------------------------------------------------------------------------

INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES
    ('2018-19', '5', 'iBCF', 'Scheme 1', '750', '740', '550'),
    ('2018-19', '5', 'iBCF', 'Scheme 2', '0', '506', '265'),
    ('2018-19', '5', 'DFG', 'Adaptations', '100', '0', '120');
SELECT is((SELECT string_agg(format('%s:%s:%s', "grant", COALESCE(scheme, 'total'), carry_forward), ' ' ORDER BY "grant", row_number)
             FROM finmon.grant_report WHERE financial_year = '2018-19' AND period = 5),
          'DFG:Adaptations:-20.00 DFG:total:-20.00 iBCF:Scheme 1:940.00 iBCF:Scheme 2:241.00 iBCF:total:1181.00',
          'grant report: carry forward = allocation + brought forward - spend, each scheme and a total per grant');
SELECT is((SELECT (allocation, brought_forward, forecast_spend)::text FROM finmon.grant_report
            WHERE "grant" = 'iBCF' AND row_type = 'total'),
          '(750.00,1246.00,815.00)', 'the grant total sums each column');
SELECT is((SELECT carry_forward FROM finmon.appendix_f WHERE "grant" = 'iBCF' AND scheme = 'Scheme 1'),
          '£0.001m', 'appendix F prints £m with the pound sign');
SELECT throws_ok($$INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2018-19', '5', '', 'S', '1', '1', '1')$$,
                 '22004', 'grants_import row 1: grant is empty', 'grants: empty grant');
SELECT throws_ok($$INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2018-19', '5', 'G', '', '1', '1', '1')$$,
                 '22004', 'grants_import row 1: scheme is empty', 'grants: empty scheme');
SELECT throws_ok($$INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2018-19', '5', 'G', 'S', '1e', '1', '1')$$,
                 '22P02', 'grants_import row 1: allocation "1e" is not an amount', 'grants: bad allocation');
SELECT throws_ok($$INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2018-19', '5', 'G', 'S', '1', '-', '1')$$,
                 '22P02', 'grants_import row 1: brought_forward "-" is not an amount', 'grants: bad brought forward');
SELECT throws_ok($$INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2018-19', '5', 'G', 'S', NULL, '1', '1')$$,
                 '22004', 'grants_import row 1: allocation is empty', 'grants: missing allocation (brought forward and forecast spend may be empty: test/layouts.sql)');
SELECT throws_ok($$INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2018-19', '5', 'G', 'S', '1', '1', '1'), ('2018-19', '5', 'G', 'S', '1', '1', '1')$$,
                 '23505', 'grants_import row 2: G scheme "S" for 2018-19 period 5 appears twice in this load (first at row 1)',
                 'grants: the same scheme twice in one load');
SELECT throws_ok($$INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2018-19', '99', 'G', 'S', '1', '1', '1')$$,
                 '22023', NULL, 'grants: bad period');
SELECT throws_ok($$INSERT INTO finmon.grants_import (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend) VALUES ('2019-18', '5', 'G', 'S', '1', '1', '1')$$,
                 '22007', NULL, 'grants: bad year');

-- Printing ----------------------------------------------------------------------

SELECT is(finmon.format_signed(-700000), '-0.700', 'format_signed: a saving prints with a minus sign');
SELECT is(finmon.format_signed(3000000), '3.000', 'format_signed: positive without a sign');
SELECT is(finmon.format_signed(-1234, '£k', 1), '-1.2', 'format_signed: £k to 1 place');
SELECT is(finmon.format_signed(NULL), NULL, 'format_signed: NULL is NULL');
SELECT throws_ok($$SELECT finmon.format_signed(1, '$', 3)$$, '22023', NULL, 'format_signed: unknown unit');
SELECT is(finmon.next_financial_year('2018-19', 2), '2020-21', 'next_financial_year two years on');
SELECT is(finmon.next_financial_year('1999-00', 1), '2000-01', 'next_financial_year across a century');
SELECT is(finmon.service_label('T1', 'Total %s Reserves'), 'Total Reserves', 'service_label without a service_name setting');
INSERT INTO finmon.settings_import VALUES ('T1', 'service_name', 'Adult Social Care');
SELECT is(finmon.service_label('T1', 'Total %s Reserves'), 'Total Adult Social Care Reserves', 'service_label with the setting');

-- A second council (2.0) ------------------------------------------------------------
-- Its savings, balances, schemes, grants and settings under the same refs, names, years and
-- periods change none of the first council's report rows, and its own reports use its own.

CREATE TEMP TABLE t1_savings AS SELECT * FROM finmon.savings_report;
CREATE TEMP TABLE t1_savings_summary AS SELECT * FROM finmon.savings_summary_report;
CREATE TEMP TABLE t1_workstreams AS SELECT * FROM finmon.savings_by_workstream;
CREATE TEMP TABLE t1_reserves AS SELECT * FROM finmon.reserves_report;
CREATE TEMP TABLE t1_breaks AS SELECT * FROM finmon.reserve_chain_breaks;
CREATE TEMP TABLE t1_capital AS SELECT * FROM finmon.capital_report;
CREATE TEMP TABLE t1_grants AS SELECT * FROM finmon.grant_report;
CREATE TEMP TABLE t1_printed AS
SELECT 'c' AS appendix, to_jsonb(x) AS r FROM finmon.appendix_c x UNION ALL
SELECT 'cw', to_jsonb(x) FROM finmon.appendix_c_workstreams x UNION ALL
SELECT 'st', to_jsonb(x) FROM finmon.savings_summary_table x UNION ALL
SELECT 'd', to_jsonb(x) FROM finmon.appendix_d x UNION ALL
SELECT 'e', to_jsonb(x) FROM finmon.appendix_e x UNION ALL
SELECT 'f', to_jsonb(x) FROM finmon.appendix_f x;

INSERT INTO finmon.council_import VALUES ('T2', 'Second council');
INSERT INTO finmon.savings_plan_import VALUES
    ('T2', 'S1', 'Other title', 'Other workstream', '2018-19', '-5000'),
    ('T2', 'S1', 'Other title', 'Other workstream', '2020-21', '-9'),
    ('T2', 'S4', 'Other S4', 'Other', '2018-19', '-10'),
    ('T2', 'S9', 'Only here', '', '2018-19', '-1');
INSERT INTO finmon.savings_forecast_import VALUES
    ('T2', '2018-19', '3', 'S1', '-1', ''),
    ('T2', '2018-19', '5', 'S1', '-4000', 'Red'),
    ('T2', '2018-19', '5', 'S4', '-10', ''),
    ('T2', '2018-19', '5', 'S9', '0', '');
INSERT INTO finmon.reserves_import VALUES
    ('T2', '2017-18', '12', 'Fund A', 'reserve', '1000', '', '0', ''),
    ('T2', '2018-19', '5', 'Fund A', 'provision', '1000', '1', '-1', ''),
    ('T2', '2018-19', '6', 'Fund B', 'reserve', '7', '', '0', '');
INSERT INTO finmon.capital_import VALUES ('T2', '2018-19', '5', 'Scheme A', '9', '9', '', 'false');
INSERT INTO finmon.grants_import VALUES ('T2', '2018-19', '5', 'iBCF', 'Scheme 1', '1', '2', '3');
INSERT INTO finmon.settings_import VALUES ('T2', 'service_name', 'Children''s Services');

SELECT bag_eq($$SELECT * FROM finmon.savings_report WHERE council = 'T1'$$, $$SELECT * FROM t1_savings$$,
              'the first council''s savings report is unchanged (targets, previous shortfall, later years, titles, row order)');
SELECT bag_eq($$SELECT * FROM finmon.savings_summary_report WHERE council = 'T1'$$, $$SELECT * FROM t1_savings_summary$$, 'the first council''s savings summary is unchanged');
SELECT bag_eq($$SELECT * FROM finmon.savings_by_workstream WHERE council = 'T1'$$, $$SELECT * FROM t1_workstreams$$,
              'the first council''s savings by workstream are unchanged');
SELECT bag_eq($$SELECT * FROM finmon.reserves_report WHERE council = 'T1'$$, $$SELECT * FROM t1_reserves$$,
              'the first council''s reserves report is unchanged');
SELECT bag_eq($$SELECT * FROM finmon.reserve_chain_breaks WHERE council = 'T1'$$, $$SELECT * FROM t1_breaks$$,
              'the first council''s chain breaks are unchanged (a balance chains within its council)');
SELECT bag_eq($$SELECT * FROM finmon.capital_report WHERE council = 'T1'$$, $$SELECT * FROM t1_capital$$,
              'the first council''s capital report is unchanged');
SELECT bag_eq($$SELECT * FROM finmon.grant_report WHERE council = 'T1'$$, $$SELECT * FROM t1_grants$$,
              'the first council''s grant report is unchanged');
SELECT bag_eq($$SELECT 'c', to_jsonb(x) FROM finmon.appendix_c x WHERE council = 'T1' UNION ALL
                SELECT 'cw', to_jsonb(x) FROM finmon.appendix_c_workstreams x WHERE council = 'T1' UNION ALL
                SELECT 'st', to_jsonb(x) FROM finmon.savings_summary_table x WHERE council = 'T1' UNION ALL
                SELECT 'd', to_jsonb(x) FROM finmon.appendix_d x WHERE council = 'T1' UNION ALL
                SELECT 'e', to_jsonb(x) FROM finmon.appendix_e x WHERE council = 'T1' UNION ALL
                SELECT 'f', to_jsonb(x) FROM finmon.appendix_f x WHERE council = 'T1'$$,
              $$SELECT appendix, r FROM t1_printed$$, 'the first council''s printed appendices C to F are unchanged');
SELECT is((SELECT (target, forecast, previous_shortfall, target_next_year, target_year_after, title)::text FROM finmon.savings_report
            WHERE council = 'T2' AND financial_year = '2018-19' AND period = 5 AND ref = 'S1'),
          '(-5000.00,-4000.00,4999.00,,-9.00,"Other title")', 'the second council''s savings report uses its own plan and forecasts');
SELECT is((SELECT string_agg(format('%s:%s/%s', status, target, forecast), ' ' ORDER BY status_order)
             FROM finmon.savings_summary_report WHERE council = 'T2' AND financial_year = '2018-19' AND period = 5),
          -- (in pounds and pence, as the report declares money)
          (SELECT format('off target:%s/%s on target:%s/%s total:%s/%s',
                         (sum(p.target) FILTER (WHERE f.forecast > p.target))::numeric(18,2), (sum(f.forecast) FILTER (WHERE f.forecast > p.target))::numeric(18,2),
                         (sum(p.target) FILTER (WHERE f.forecast <= p.target))::numeric(18,2), (sum(f.forecast) FILTER (WHERE f.forecast <= p.target))::numeric(18,2),
                         sum(p.target)::numeric(18,2), sum(f.forecast)::numeric(18,2))
             FROM finmon_data.savings_forecast f JOIN finmon_data.savings_plan p USING (council, ref, financial_year)
            WHERE f.council = 'T2' AND f.financial_year = '2018-19' AND f.period = 5),
          'the second council''s savings summary sums its own savings (as core sum() does)');
SELECT is((SELECT string_agg(format('%s:%s', balance, closing_balance), ' ' ORDER BY row_number) FROM finmon.appendix_d
            WHERE council = 'T2' AND financial_year = '2018-19' AND period = 5),
          'Fund A:0.001 Total Children''s Services Provisions:0.001 Total Reserves & Provisions:0.001',
          'the second council''s appendix D uses its own balances and its own service_name');
SELECT is((SELECT count(*) FROM finmon.reserve_chain_breaks WHERE council = 'T2'), 0::bigint,
          'the second council''s Fund A chains from its own 2017-18 closing balance');
SELECT is(finmon.service_label('T2', 'Total %s Reserves'), 'Total Children''s Services Reserves', 'service_label reads the council''s own setting');
SELECT is(finmon.service_label('T1', 'Total %s Reserves'), 'Total Adult Social Care Reserves', 'and not another council''s');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import VALUES ('T2', '2018-19', '6', 'S2', '1', '')$$,
                 '23503', 'savings_forecast_import row 1: saving "S2" has no row in the savings plan',
                 'forecast: a saving in another council''s plan only');

SELECT * FROM finish();
ROLLBACK;
