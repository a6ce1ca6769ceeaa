-- Loads through the import views, for scripts/test-citus: run once on a single server and once on
-- the Citus cluster (finmon's tables distributed), after both sample councils are loaded, and
-- the two outputs compared line for line. A new council T9 loads every format the samples do not
-- use (the ledger, budget profiles, actuals, care packages, demand allowances, stated figures),
-- loads again over rows already there (the path that replaces rows), and loads rows at fault,
-- each of which must fail with the same SQLSTATE and message, keeping nothing. Then it prints
-- what was kept: T9's reports, its ledger summaries and its audit log. Last, T9 is renamed T10
-- (two renames refused first) and its rows are printed under the new code. Runs in autocommit (each
-- statement its own transaction); prints errors without context, and each one's SQLSTATE.
\pset format unaligned
\pset tuples_only on
\set SHOW_CONTEXT never
SET client_min_messages = warning;

\echo -- a new council and its revenue figures
INSERT INTO finmon.council_import VALUES ('T9', 'Cluster test council');
SET finmon.council = 'T9';
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn)
SELECT '2018-19', p::text, l, b::text, (b + p * 100)::text
  FROM generate_series(1, 6) p,
       (VALUES ('Care > Older People', 120000), ('Care > Learning Disabilities', 50000), ('Care > Income', -10000),
               ('Staffing', 90000)) AS x(l, b);
INSERT INTO finmon.revenue_analysis_import (financial_year, period, analysis, line, budget, forecast_outturn) VALUES
    ('2018-19', '6', 'Purchase of Care', 'Residential', '60000', '61000'),
    ('2018-19', '6', 'Purchase of Care', 'Home care', '40000', '38500');

\echo -- the ledger, budget profiles and actuals
SELECT finmon.ledger_partition('2018-19') IS NOT NULL;
INSERT INTO finmon.ledger_import (posting_date, line, amount, reference)
SELECT (date '2018-04-01' + i % 180)::text, (ARRAY['Care > Older People', 'Care > Learning Disabilities', 'Staffing'])[i % 3 + 1],
       round((i * 7919 % 100003)::numeric / 7, i % 3)::text, 'R' || i
  FROM generate_series(1, 3000) i;
INSERT INTO finmon.budget_profile_import (financial_year, line, period, share)
SELECT '2018-19', 'Staffing', p::text, CASE WHEN p <= 4 THEN '0.1' ELSE '0.075' END FROM generate_series(1, 12) p;
INSERT INTO finmon.actuals_import (financial_year, period, line, actual_to_date) VALUES
    ('2018-19', '5', 'Care > Income', '-4200.50');

\echo -- care packages, demand allowances, a savings plan and stated figures
INSERT INTO finmon.packages_import (package, client_group, service, line, weekly_cost, starts, ends) VALUES
    ('P1', 'Older People', 'residential', 'Care > Older People', '700.00', '2017-04-01', '2018-04-08'),
    ('P1', 'Older People', 'residential', 'Care > Older People', '735.00', '2018-04-09', ''),
    ('P2', 'Older People', 'home support', 'Care > Older People', '210.50', '2018-06-15', '2018-12-31'),
    ('P3', 'Learning Disabilities', 'supported living', 'Care > Learning Disabilities', '1200', '2018-09-10', NULL);
INSERT INTO finmon.demand_allowances_import (financial_year, line, weekly_growth) VALUES ('2018-19', 'Care > Older People', '10');
INSERT INTO finmon.savings_plan_import (ref, title, financial_year, target) VALUES
    ('S1', 'Review of care packages', '2018-19', '-50000'), ('S2', 'Staffing restructure', '2018-19', '-20000');
INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES
    ('2018-19', '6', 'S1', '-30000', ''), ('2018-19', '6', 'S2', '-20000', 'green');
INSERT INTO finmon.stated_import (financial_year, period, report, item, "column", value) VALUES
    ('2018-19', '6', 'revenue', 'Care', 'budget', '160000'),
    ('2018-19', '6', 'revenue', 'Purchase of Care: Residential', 'budget', '60000');

-- (on a Citus node a load keeps its rows in a temporary table while it runs, and drops it)
SELECT 'no table of a load''s rows left', to_regclass('pg_temp.finmon_staged') IS NULL;

\echo -- loaded again: rows replaced (changed figures), a ledger reference moved, packages replaced whole
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES
    ('2018-19', '6', 'Staffing', '90000', '95000'), ('2018-19', '6', 'Care > Income', '-10000', '-10600');
INSERT INTO finmon.ledger_import (posting_date, line, amount, reference) VALUES
    ('2018-05-02', 'Staffing', '999.99', 'R1'), ('2018-09-30', 'Staffing', '12.34', 'R9999');
INSERT INTO finmon.packages_import (package, client_group, service, line, weekly_cost, starts, ends) VALUES
    ('P2', 'Older People', 'home support', 'Care > Older People', '220.00', '2018-06-15', '2018-10-31');
SELECT finmon.delete_figures('ledger', '2018-19', 3);

\echo -- rows at fault: each load fails whole
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES
    ('2018-19', '7', 'Care', '1', '1'), ('2018-19', '7', 'Care > Older People', '1', '1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES
    ('2018-19', '7', 'Staffing', '1', '1'), ('2018-19', '7', 'Staffing', '2', '2');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.revenue_import (council, financial_year, period, line, budget, forecast_outturn) VALUES
    ('T9', '2018-19', '7', 'Staffing', '1', '1'), ('NOPE', '2018-19', '7', 'Staffing', '1', '1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) VALUES ('2018-19', '7', 'S3', '1', '');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.ledger_import (posting_date, line, amount, reference) VALUES ('2018-06-01', 'Care', '1', 'X1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.budget_profile_import (financial_year, line, period, share) VALUES
    ('2018-19', 'Care > Income', '1', '0.5'), ('2018-19', 'Care > Income', '2', '0.4');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.commentary_import (financial_year, period, line, commentary) VALUES ('2018-19', '6', 'Transport', 'x');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.actuals_import (financial_year, period, line, actual_to_date) VALUES ('2018-19', '5', 'Care > Income', 'abc');
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.close_period('T9', '2018-19', 5);
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19', '4', 'Staffing', '1', '1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.ledger_import (posting_date, line, amount, reference) VALUES ('2018-10-01', 'Staffing', '5', 'R2');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19', '6', 'Staffing', '90000', '96000');

SELECT 'no table of a load''s rows left', to_regclass('pg_temp.finmon_staged') IS NULL;

\echo -- what was kept
SELECT 'revenue_report', r.financial_year, r.period, r.path, r.budget, r.forecast_outturn, r.variance, r.actual_to_date,
       r.profiled_budget_to_date
  FROM finmon.revenue_report r WHERE r.council = 'T9' ORDER BY r.financial_year, r.period, r.path;
SELECT 'ledger_summary', s.financial_year, s.period, s.line, s.transactions, s.amount
  FROM finmon_data.ledger_summary s WHERE s.council = 'T9' ORDER BY 2, 3, 4;
SELECT 'ledger', count(*), sum(l.amount), min(l.reference), max(l.reference) FROM finmon_data.ledger l WHERE l.council = 'T9';
SELECT 'commitment_forecast', c::text FROM finmon.commitment_forecast c WHERE c.council = 'T9' ORDER BY 2;
SELECT 'savings_report', s::text FROM finmon.savings_report s WHERE s.council = 'T9' ORDER BY 2;
SELECT 'stated', s.financial_year, s.period, s.report, s.item, s.column_name, s.value FROM finmon_data.stated_figure s
 WHERE s.council = 'T9' ORDER BY 2, 3, 4, 5, 6;
SELECT 'packages', p.package, p.starts, p.ends, p.weekly_cost FROM finmon_data.packages p WHERE p.council = 'T9' ORDER BY 2, 3;
SELECT 'audit_log', a.action, a.table_name, a.financial_year, a.period, count(*)
  FROM finmon_data.audit_log a WHERE a.council = 'T9' GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5;

\echo -- the council renamed: every row of every table moves to the new code (on Citus, between shards)
SELECT finmon.rename_council('T9', 'E10000020');
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.rename_council('T8', 'T10');
\echo :LAST_ERROR_SQLSTATE
SELECT 'moved', finmon.rename_council('T9', 'T10');
SELECT 'renamed revenue_report', r.financial_year, r.period, r.path, r.budget, r.forecast_outturn, r.actual_to_date
  FROM finmon.revenue_report r WHERE r.council = 'T10' ORDER BY r.financial_year, r.period, r.path;
SELECT 'renamed ledger', count(*), sum(l.amount) FROM finmon_data.ledger l WHERE l.council = 'T10';
SELECT 'left under T9', (SELECT count(*) FROM finmon_data.revenue WHERE council = 'T9')
                      + (SELECT count(*) FROM finmon_data.ledger WHERE council = 'T9')
                      + (SELECT count(*) FROM finmon_data.packages WHERE council = 'T9');
SELECT 'audit_log', a.action, a.table_name, a.old_values, a.new_values FROM finmon_data.audit_log a
 WHERE a.council = 'T10' AND a.action = 'rename';
