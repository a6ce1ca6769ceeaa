-- pgTAP: revenue imports (every error path with its SQLSTATE, atomic loads, replacement),
-- the revenue report's totals, previous-period and prior-year columns, row order, and
-- committee table layouts.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(80);

INSERT INTO finmon.council_import VALUES ('T1', 'Test council');

-- A small hierarchy: two areas, one with two lines, loaded in the order B then A.
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES
    ('2018-19', '5', 'Services > Older People', '1000.50', '1200.25'),
    ('2018-19', '5', 'Services > Income', '-500', '-650'),
    ('2018-19', '5', 'Admin', '300', '280'),
    ('2018-19', '3', 'Services > Older People', '1000.50', '1100'),
    ('2018-19', '3', 'Admin', '300', '310'),
    ('2018-19', '4', 'Admin', '300', '305'),
    ('2017-18', '12', 'Services > Older People', '900', '950'),
    ('2017-18', '12', 'Services > Income', '-400', '-420');

-- Totals come from the leaves, with exact scale.
SELECT is((SELECT budget::text FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Services'),
          '500.50', 'a parent''s budget is the sum of its leaves');
SELECT is((SELECT (budget, forecast_outturn, variance)::text FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = ''),
          '(800.50,830.25,29.75)', 'the grand total sums every leaf');
SELECT is((SELECT (label, depth, is_leaf)::text FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = ''),
          '(Total,0,f)', 'the grand total has path '''', label Total, depth 0');
SELECT is((SELECT (label, depth, is_leaf)::text FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Services > Income'),
          '(Income,2,t)', 'a leaf''s label is its own name');
SELECT is((SELECT round(variance_pct, 4) FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Services > Income'),
          30.0000::numeric, 'income over-recovered on a negative budget shows a positive %');

-- Previous period: the latest earlier period with figures for that node.
SELECT is((SELECT (previous_period, previous_variance, movement)::text FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Admin'),
          '(4,5.00,-25.00)', 'previous period is the latest earlier one: P4 for Admin');
SELECT is((SELECT (previous_period, previous_variance, movement)::text FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Services > Older People'),
          '(3,99.50,100.25)', 'a node missing at P4 takes P3 as its previous period');
SELECT is((SELECT previous_period FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Services > Income'),
          NULL, 'no earlier period in the year: previous_period is NULL');
SELECT is((SELECT previous_period FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 3 AND path = 'Admin'),
          NULL, 'the previous year''s periods are not previous periods');

-- Prior year: the node's period 12 of the previous financial year.
SELECT is((SELECT (prior_year_actual, prior_year_variance)::text FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Services'),
          '(530.00,30.00)', 'prior-year actual and variance come from last year''s period 12');
SELECT is((SELECT prior_year_actual FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Admin'),
          NULL, 'no outturn loaded last year: prior_year_actual is NULL');

-- Row order: outline order, lines in the order they first appeared.
SELECT is((SELECT string_agg(path, '|' ORDER BY row_order) FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5),
          '|Services|Services > Older People|Services > Income|Admin',
          'rows follow first appearance, each parent before its children, total first');

-- Reloading a line replaces its figures; nothing else changes.
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19', '5', 'Admin', '300', '290');
SELECT is((SELECT forecast_outturn FROM finmon_data.revenue WHERE financial_year = '2018-19' AND period = 5 AND line = 'Admin'),
          290::numeric, 'a row for a line already loaded replaces its figures');
SELECT is((SELECT count(*) FROM finmon_data.revenue), 8::bigint, 'replacing adds no row');
-- A row loaded again with the same figures takes the new load's place in the file order
-- (the reports list rows in it), but is not a change: no audit row.
CREATE TEMP TABLE admin_p5 AS
SELECT import_batch, import_row FROM finmon_data.revenue WHERE financial_year = '2018-19' AND period = 5 AND line = 'Admin';
CREATE TEMP TABLE audit_before AS SELECT count(*) AS n FROM finmon_data.audit_log;
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19', '6', 'Admin', '1', '1'), ('2018-19', '5', 'Admin', '300', '290');
SELECT is((SELECT (import_batch > (SELECT import_batch FROM admin_p5), import_row)::text FROM finmon_data.revenue
            WHERE financial_year = '2018-19' AND period = 5 AND line = 'Admin'),
          '(t,2)', 'a row loaded again with the same figures takes the new load''s number and row');
SELECT is((SELECT count(*) FROM finmon_data.audit_log) - (SELECT n FROM audit_before), 1::bigint,
          'but only the new row is in the audit log: a row loaded unchanged is not a change');
SELECT is(finmon.delete_figures('revenue', '2018-19', 6), 1::bigint, 'delete_figures removes a period''s figures (the P6 row just loaded)');

-- Spaces around names are dropped.
INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19', '6', '  Services >Older People ', '1', '2');
SELECT ok(EXISTS (SELECT 1 FROM finmon_data.revenue WHERE financial_year = '2018-19' AND period = 6
                   AND line = 'Services > Older People'), 'paths are normalised to "A > B"');

-- Every error names the row and has its SQLSTATE; nothing of a failed load is kept.
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','X','1','1'), ('2018-20','5','Y','1','1')$$,
                 '22007', 'revenue_import row 2: invalid financial year "2018-20"', 'malformed year: 22007, row named');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('18-19','5','X','1','1')$$, '22007', NULL, 'two-digit year: 22007');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018/19','5','X','1','1')$$, '22007', NULL, 'slash year: 22007');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES (NULL,'5','X','1','1')$$, '22004', 'revenue_import row 1: financial_year is empty', 'empty year: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','13','X','1','1')$$, '22023', 'revenue_import row 1: invalid period "13"', 'period 13: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','0','X','1','1')$$, '22023', NULL, 'period 0: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','five','X','1','1')$$, '22023', NULL, 'period not a number: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19',NULL,'X','1','1')$$, '22004', NULL, 'empty period: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5',NULL,'1','1')$$, '22004', 'revenue_import row 1: line is empty', 'empty line: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','A >  > B','1','1')$$, '22023', 'revenue_import row 1: line "A >  > B" has an empty name', 'empty path segment: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','A > ','1','1')$$, '22023', NULL, 'trailing empty segment: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','X','1,000','1')$$, '22P02', 'revenue_import row 1: budget "1,000" is not an amount', 'amount with a thousands separator: 22P02');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','X','1','(0.163)')$$, '22P02', 'revenue_import row 1: forecast_outturn "(0.163)" is not an amount', 'bracketed amount: 22P02');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','X','NaN','1')$$, '22P02', NULL, 'NaN amount: 22P02');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','X',NULL,'1')$$, '22004', 'revenue_import row 1: budget is empty', 'empty budget: 22004 (an empty forecast is a budget alone: test/layouts.sql)');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','Admin > Staff','1','1')$$, '23514',
                 'revenue_import row 1: line "Admin > Staff" is both a leaf and a parent in 2018-19 period 5: "Admin" is loaded too (by an earlier load)',
                 'a child of a loaded leaf: 23514');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','5','Services','1','1')$$, '23514', NULL, 'a leaf that is a loaded parent: 23514');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','7','P','1','1'), ('2018-19','7','P > Q','1','1')$$, '23514',
                 'revenue_import row 2: line "P > Q" is both a leaf and a parent in 2018-19 period 7: "P" is loaded too (row 1)',
                 'leaf and parent within one load: 23514, both rows named');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','7','P','1','1'), ('2018-19','7','P','2','2')$$, '23505',
                 'revenue_import row 2: line "P" for 2018-19 period 7 appears twice in this load (first at row 1)', 'a line twice in one load: 23505');
SELECT is((SELECT count(*) FROM finmon_data.revenue), 9::bigint, 'failed loads kept nothing');
SELECT is((SELECT forecast_outturn FROM finmon_data.revenue WHERE financial_year = '2018-19' AND period = 5 AND line = 'Admin'),
          290::numeric, 'a failed load does not replace figures');
SELECT lives_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','7','Admin > Staff','1','1')$$,
                'a line may be a leaf in one period and a parent in another');
SELECT is((SELECT string_agg(format('%s %s %s %s', period, line, budget, forecast_outturn), '; ' ORDER BY period, line) FROM finmon_data.revenue
            WHERE financial_year = '2018-19' AND period >= 5 AND line LIKE 'Admin%'),
          '5 Admin 300 290; 7 Admin > Staff 1 1', 'stored in period 7, beside Admin, a leaf in period 5');

-- Memorandum analyses are reported apart and never add into the service total.
INSERT INTO finmon.revenue_analysis_import (financial_year, period, analysis, line, budget, forecast_outturn) VALUES ('2018-19', '5', 'By client', 'Older > Gross', '700', '800');
SELECT is((SELECT budget FROM finmon.revenue_report WHERE financial_year = '2018-19' AND period = 5 AND path = ''),
          800.50, 'an analysis does not change the service total');
SELECT is((SELECT (budget, forecast_outturn)::text FROM finmon.revenue_analysis_report
            WHERE financial_year = '2018-19' AND period = 5 AND analysis = 'By client' AND path = 'Older'),
          '(700.00,800.00)', 'an analysis has its own hierarchy and totals');
SELECT throws_ok($$INSERT INTO finmon.revenue_analysis_import (financial_year, period, analysis, line, budget, forecast_outturn) VALUES ('2018-19','5',' ','X','1','1')$$, '22004',
                 'revenue_analysis_import row 1: analysis is empty', 'an analysis needs a name: 22004');

-- Commentary: any node, leaf or total; must have figures at that period.
INSERT INTO finmon.commentary_import (financial_year, period, line, commentary) VALUES ('2018-19', '5', 'Services', 'Care costs rose.'), ('2018-19', '5', NULL, 'Overall.');
SELECT is((SELECT heading FROM finmon.revenue_commentary WHERE financial_year = '2018-19' AND period = 5 AND path = 'Services'),
          'Services, forecast overspend £0.000m', 'commentary heading is computed from the figures');
SELECT is((SELECT commentary FROM finmon.revenue_commentary WHERE financial_year = '2018-19' AND period = 5 AND path = ''),
          'Overall.', 'an empty line is the grand total');
SELECT throws_ok($$INSERT INTO finmon.commentary_import (financial_year, period, line, commentary) VALUES ('2018-19','5','Nowhere','x')$$, '23503',
                 'commentary_import row 1: no revenue figures for line "Nowhere" in 2018-19 period 5', 'commentary for a node with no figures: 23503');
SELECT throws_ok($$INSERT INTO finmon.commentary_import (financial_year, period, line, commentary) VALUES ('2018-19','5','Admin',' ')$$, '22004', NULL, 'empty commentary: 22004');
SELECT throws_ok($$INSERT INTO finmon.commentary_import (financial_year, period, line, commentary) VALUES ('2018-19','5','Admin','a'), ('2018-19','5','Admin','b')$$, '23505', NULL, 'commentary twice in one load: 23505');
SELECT throws_ok($$INSERT INTO finmon.commentary_import (financial_year, period, line, commentary) VALUES ('2018-20','5','Admin','a')$$, '22007', NULL, 'commentary with a malformed year: 22007');

-- Committee table layouts are data: headings, nodes and the grand total.
INSERT INTO finmon.revenue_tables_import VALUES ('T1', 't', NULL, 'Test table');
INSERT INTO finmon.revenue_table_rows_import VALUES ('T1', 't', '1', 'heading', 'Services heading', NULL),
    ('T1', 't', '2', 'node', 'Older people', 'Services > Older People'), ('T1', 't', '3', 'total', 'All', NULL);
SELECT is((SELECT string_agg(label || '=' || COALESCE(budget, '-'), '|' ORDER BY row_number)
             FROM finmon.revenue_table_printed WHERE table_name = 't' AND financial_year = '2018-19' AND period = 5),
          'Services heading=-|Older people=0.001|All=0.001', 'a layout prints its rows in order, in £m');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_rows_import VALUES ('T1', 't', '4', 'node', 'No line', NULL)$$, '23514', NULL, 'a node row needs a line: 23514');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_rows_import VALUES ('T1', 't', '4', 'heading', 'With line', 'Admin')$$, '23514', NULL, 'a heading has no line: 23514');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_rows_import VALUES ('T1', 'nope', '1', 'total', 'x', NULL)$$, '23503', NULL, 'a row of an unknown table: 23503');
-- 2.0: layouts are loaded through imports, and a load replaces every row of each table it names
SELECT is((SELECT count(*) FROM finmon_data.revenue_table_row WHERE table_name = 't'), 3::bigint, 'failed layout loads keep the layout');
INSERT INTO finmon.revenue_tables_import VALUES ('T1', 'u', NULL, 'Another table');
INSERT INTO finmon.revenue_table_rows_import VALUES ('T1', 'u', '1', 'total', 'All', NULL);
INSERT INTO finmon.revenue_table_rows_import VALUES ('T1', 't', '1', 'node', 'Admin', 'Admin'), ('T1', 't', '2', 'total', 'All', NULL);
SELECT is((SELECT string_agg(table_name || ':' || label || '=' || COALESCE(budget, '-'), '|' ORDER BY table_name, row_number)
             FROM finmon.revenue_table_printed WHERE financial_year = '2018-19' AND period = 5),
          't:Admin=0.000|t:All=0.001|u:All=0.001', 'a layout load replaces every row of the tables it names, and no other table''s');

-- A second council (2.0): its figures, layout and commentary under the same years, periods,
-- lines and table name change none of the first council's rows, and checks run per council.
CREATE TEMP TABLE t1_figures AS SELECT * FROM finmon_data.revenue_figures;
CREATE TEMP TABLE t1_tables AS SELECT * FROM finmon.revenue_table_report;
CREATE TEMP TABLE t1_commentary AS SELECT * FROM finmon.revenue_commentary;
INSERT INTO finmon.council_import VALUES ('T2', 'Second council');
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES
                    ('T2', '2018-19', '4', 'Services > Income', '-100', '-90'),
                    ('T2', '2018-19', '5', 'Services > Older People', '5000', '5100'),
                    ('T2', '2018-19', '5', 'Admin > Staff', '70', '75'),
                    ('T2', '2018-19', '7', 'Admin', '1', '1'),
                    ('T2', '2017-18', '12', 'Admin > Staff', '60', '66')$$,
                'a line may be a leaf of one council and a parent of another in the same period');
SELECT is((SELECT string_agg(format('%s/%s %s %s %s', financial_year, period, line, budget, forecast_outturn), '; '
                             ORDER BY financial_year, period, line) FROM finmon_data.revenue WHERE council = 'T2'),
          '2017-18/12 Admin > Staff 60 66; 2018-19/4 Services > Income -100 -90; 2018-19/5 Admin > Staff 70 75; '
          '2018-19/5 Services > Older People 5000 5100; 2018-19/7 Admin 1 1',
          'the second council''s five rows are stored as loaded');
INSERT INTO finmon.revenue_analysis_import VALUES ('T2', '2018-19', '5', 'By client', 'Older > Gross', '1', '2');
INSERT INTO finmon.commentary_import VALUES ('T2', '2018-19', '5', 'Services', 'Second council''s care costs.');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_rows_import VALUES ('T2', 'u', '1', 'total', 'x', NULL)$$, '23503',
                 'revenue_table_rows_import row 1: table "u" is not a layout of council T2', 'a row of another council''s table: 23503');
INSERT INTO finmon.revenue_tables_import VALUES ('T2', 't', NULL, 'Second council''s table');
INSERT INTO finmon.revenue_table_rows_import VALUES ('T2', 't', '1', 'total', 'Everything', NULL);
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon_data.revenue_figures WHERE council = 'T1' EXCEPT ALL SELECT * FROM t1_figures) d)
        + (SELECT count(*) FROM (SELECT * FROM t1_figures EXCEPT ALL SELECT * FROM finmon_data.revenue_figures WHERE council = 'T1') d),
          0::bigint, 'the first council''s report rows (totals, previous period, prior year, row order, analyses) are unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.revenue_table_report WHERE council = 'T1' EXCEPT ALL SELECT * FROM t1_tables) d)
        + (SELECT count(*) FROM (SELECT * FROM t1_tables EXCEPT ALL SELECT * FROM finmon.revenue_table_report WHERE council = 'T1') d),
          0::bigint, 'the first council''s committee tables are unchanged');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.revenue_commentary WHERE council = 'T1' EXCEPT ALL SELECT * FROM t1_commentary) d)
        + (SELECT count(*) FROM (SELECT * FROM t1_commentary EXCEPT ALL SELECT * FROM finmon.revenue_commentary WHERE council = 'T1') d),
          0::bigint, 'the first council''s commentary is unchanged');
SELECT is((SELECT (budget, forecast_outturn, variance)::text FROM finmon.revenue_report
            WHERE council = 'T2' AND financial_year = '2018-19' AND period = 5 AND path = ''),
          (SELECT (sum(budget)::numeric(18,2), sum(forecast_outturn)::numeric(18,2), (sum(forecast_outturn) - sum(budget))::numeric(18,2))::text
             FROM finmon_data.revenue WHERE council = 'T2' AND financial_year = '2018-19' AND period = 5 AND analysis = ''),
          'the second council''s grand total is the sum of its own leaves only');
SELECT is((SELECT (previous_period, prior_year_actual)::text FROM finmon.revenue_report
            WHERE council = 'T2' AND financial_year = '2018-19' AND period = 5 AND path = 'Admin'),
          '(,66.00)', 'the second council''s previous period and prior year come from its own figures');
SELECT is((SELECT string_agg(label || '=' || budget, '|' ORDER BY row_number) FROM finmon.revenue_table_printed
            WHERE council = 'T2' AND table_name = 't' AND financial_year = '2018-19' AND period = 5),
          'Everything=0.005', 'a table name may be used by two councils, each with its own layout');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) VALUES ('2018-19','8','X','1','1')$$,
                 '22004', 'revenue_import row 1: council is empty and the database holds 2 councils',
                 'with two councils, a row naming none: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('T1','2018-19','8','X','1','1'), ('T9','2018-19','8','X','1','1')$$,
                 '23503', 'revenue_import row 2: council "T9" is not defined', 'an unknown council: 23503');
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES ('T1','2018-19','9','Z','1','1'), ('T2','2018-19','9','Z','2','2'),
                                                          ('T1','2018-19','9','Y','1','1'), ('T2','2018-19','9','Y > Q','1','1')$$,
                'one load may hold two councils'' rows: the same line twice, and a leaf of one that is a parent of the other');
SELECT is((SELECT string_agg(format('%s %s %s %s', council, line, budget, forecast_outturn), '; ' ORDER BY council, line) FROM finmon_data.revenue
            WHERE financial_year = '2018-19' AND period = 9),
          'T1 Y 1 1; T1 Z 1 1; T2 Y > Q 1 1; T2 Z 2 2', 'each row stored under its own council');
SELECT throws_ok($$INSERT INTO finmon.commentary_import VALUES ('T2','2018-19','5','Services > Income','x')$$, '23503',
                 'commentary_import row 1: no revenue figures for line "Services > Income" in 2018-19 period 5',
                 'commentary needs figures of its own council (the first council has this line at P5)');
SELECT is(finmon.delete_figures('revenue', '2018-19', 5, 'T2'), 2::bigint, 'delete_figures deletes the named council''s figures');
-- (both ways, leaving out the first council's period 9, loaded since the copy was taken)
SELECT is((SELECT count(*) FROM (SELECT * FROM t1_figures EXCEPT ALL SELECT * FROM finmon_data.revenue_figures WHERE council = 'T1') d)
        + (SELECT count(*) FROM (SELECT * FROM finmon_data.revenue_figures WHERE council = 'T1' AND NOT (financial_year = '2018-19' AND period = 9)
                                 EXCEPT ALL SELECT * FROM t1_figures) d),
          0::bigint, 'and none of the other council''s');

-- pg_dump keeps the user data.
-- 2.0 adds finmon.council and finmon_data.council_grant (user data: the councils and who may see them),
-- finmon_data.actuals and finmon_data.revenue_table_column, finmon_data.packages and finmon_data.demand_allowance
SELECT is((SELECT array_agg(c::regclass::text ORDER BY c::regclass::text) FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'finmon'),
          ARRAY['finmon.closed_period', 'finmon.council', 'finmon.measure', 'finmon.population',
                'finmon.refresh_log', 'finmon.setting', 'finmon_data.activity', 'finmon_data.actuals',
                'finmon_data.audit_log', 'finmon_data.audit_log_id_seq', 'finmon_data.budget_profile',
                'finmon_data.capital', 'finmon_data.commentary', 'finmon_data.comparator',
                'finmon_data.council_grant', 'finmon_data.demand_allowance', 'finmon_data.grant_scheme', 'finmon_data.import_batch',
                'finmon_data.ledger_summary', 'finmon_data.measure_target', 'finmon_data.packages', 'finmon_data.published',
                'finmon_data.published_benchmark', 'finmon_data.published_value', 'finmon_data.refresh_log_id_seq',
                'finmon_data.refresh_run', 'finmon_data.reserve', 'finmon_data.revenue', 'finmon_data.revenue_node',
                'finmon_data.revenue_node_order', 'finmon_data.revenue_table', 'finmon_data.revenue_table_column',
                'finmon_data.revenue_table_row', 'finmon_data.savings_forecast', 'finmon_data.savings_plan',
                'finmon_data.stated_figure'],
          'user data tables are registered with pg_extension_config_dump');

-- Every object users see is documented (COMMENT ON), including each column of the public views.
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'S', 'm')
              AND obj_description(c.oid, 'pg_class') IS NULL),
          NULL, 'every table, view and sequence has a comment');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND obj_description(p.oid, 'pg_proc') IS NULL),
          NULL, 'every function and aggregate has a comment');
SELECT is((SELECT array_agg(c.relname || '.' || a.attname ORDER BY 1) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
              AND col_description(c.oid, a.attnum) IS NULL),
          NULL, 'every column of the tables and public views has a comment');

-- Last year's outturn and the movement, against an oracle computed straight from the leaf
-- rows, over years with and without a period 12, nodes that come and go, an analysis, and
-- every way of asking (all rows; one year; one year and period: the filters that reach the
-- figures below the windows).
INSERT INTO finmon.council_import VALUES ('T3', 'Third council');
INSERT INTO finmon.revenue_import VALUES
    ('T3', '2019-20', '3', 'A > B', '10', '11'), ('T3', '2019-20', '12', 'A > B', '10', '12'),
    ('T3', '2019-20', '12', 'A > C', '5', '4'), ('T3', '2019-20', '12', 'D', '7', NULL),
    ('T3', '2020-21', '2', 'A > B', '20', '21'), ('T3', '2020-21', '6', 'A > B', '20', '25'),
    ('T3', '2020-21', '6', 'E', '3', '3'), ('T3', '2020-21', '12', 'A > B', '20', '26'),
    ('T3', '2021-22', '5', 'A > B', '30', '29'), ('T3', '2021-22', '5', 'D', '1', '2'),
    ('T3', '2023-24', '1', 'A > B', '40', '41');
INSERT INTO finmon.revenue_analysis_import VALUES
    ('T3', '2020-21', '12', 'By client', 'X > Y', '8', '9'), ('T3', '2021-22', '5', 'By client', 'X > Y', '9', '9');
CREATE TEMP TABLE t3_oracle AS
WITH leaves AS (
    SELECT r.financial_year, r.period, r.analysis, r.line, r.budget, r.forecast_outturn FROM finmon_data.revenue r WHERE r.council = 'T3'
), nodes AS (   -- every node: each leaf and each of its ancestors, '' the total
    SELECT DISTINCT l.financial_year, l.period, l.analysis, a.path
      FROM leaves l CROSS JOIN LATERAL (SELECT '' AS path UNION ALL
            SELECT array_to_string((string_to_array(l.line, ' > '))[1:k], ' > ')
              FROM generate_series(1, array_length(string_to_array(l.line, ' > '), 1)) AS k) a
), totals AS (
    SELECT n.financial_year, n.period, n.analysis, n.path, sum(l.budget) AS budget,
           CASE WHEN bool_and(l.forecast_outturn IS NOT NULL) THEN sum(l.forecast_outturn) END AS forecast
      FROM nodes n JOIN leaves l ON l.financial_year = n.financial_year AND l.period = n.period AND l.analysis = n.analysis
                                AND (n.path = '' OR l.line = n.path OR l.line LIKE n.path || ' > %')
     GROUP BY n.financial_year, n.period, n.analysis, n.path
)
SELECT t.financial_year, t.period, t.analysis, t.path,
       (SELECT max(e.period) FROM totals e WHERE e.financial_year = t.financial_year AND e.analysis = t.analysis
           AND e.path = t.path AND e.period < t.period) AS previous_period,
       t.forecast - t.budget - (SELECT e.forecast - e.budget FROM totals e
           WHERE e.financial_year = t.financial_year AND e.analysis = t.analysis AND e.path = t.path
             AND e.period = (SELECT max(e2.period) FROM totals e2 WHERE e2.financial_year = t.financial_year
                                AND e2.analysis = t.analysis AND e2.path = t.path AND e2.period < t.period)) AS movement,
       y.forecast AS prior_year_actual, y.budget AS prior_year_budget, y.forecast - y.budget AS prior_year_variance
  FROM totals t
  LEFT JOIN totals y ON y.financial_year = finmon.previous_financial_year(t.financial_year) AND y.period = 12
                    AND y.analysis = t.analysis AND y.path = t.path;
SELECT is((SELECT count(*) FROM (SELECT financial_year, period, analysis, path, previous_period, movement, prior_year_actual,
                                        prior_year_budget, prior_year_variance FROM finmon_data.revenue_figures WHERE council = 'T3'
                                 EXCEPT ALL SELECT * FROM t3_oracle) d)
        + (SELECT count(*) FROM (SELECT * FROM t3_oracle EXCEPT ALL
                                 SELECT financial_year, period, analysis, path, previous_period, movement, prior_year_actual,
                                        prior_year_budget, prior_year_variance FROM finmon_data.revenue_figures WHERE council = 'T3') d),
          0::bigint, 'previous period, movement and last year''s outturn, budget and variance equal an oracle from the leaf rows, for every node, analysis and year');
SELECT is((SELECT count(*) FROM t3_oracle WHERE prior_year_actual IS NOT NULL), 12::bigint,
          'the oracle has last year''s outturn for some nodes (and none where last year has no period 12)');
-- Each year and period asked for with constants (the filters reach the totals below the
-- windows) against the rows of the computation over every council, year and period at once.
CREATE TEMP TABLE t3_all AS SELECT * FROM finmon_data.revenue_figures;
CREATE FUNCTION pg_temp.t3_differences(year text, period integer) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE format('SELECT (SELECT count(*) FROM (SELECT * FROM finmon_data.revenue_figures WHERE council = ''T3'' AND financial_year = %1$L AND period = %2$s
                                                  EXCEPT ALL SELECT * FROM t3_all WHERE council = ''T3'' AND financial_year = %1$L AND period = %2$s) d)
                        + (SELECT count(*) FROM (SELECT * FROM t3_all WHERE council = ''T3'' AND financial_year = %1$L AND period = %2$s
                                                  EXCEPT ALL SELECT * FROM finmon_data.revenue_figures WHERE council = ''T3'' AND financial_year = %1$L AND period = %2$s) d)',
                   year, period) INTO n;
    RETURN n;
END;
$$;
SELECT is((SELECT sum(pg_temp.t3_differences(k.financial_year, k.period))
             FROM (SELECT DISTINCT financial_year, period FROM finmon_data.revenue WHERE council = 'T3') k),
          0::numeric, 'each year and period asked for alone gives the rows of the computation over every year at once');
SELECT is((SELECT string_agg(path || ':' || COALESCE(prior_year_actual::text, '-') || ':' || row_order, '|' ORDER BY row_order)
             FROM finmon.revenue_report WHERE council = 'T3' AND financial_year = '2021-22' AND period = 5),
          ':26.00:1|A:26.00:2|A > B:26.00:3|D:-:4', 'revenue_report for one year and period: last year''s outturn per node, in outline order');

SELECT * FROM finish();
ROLLBACK;
