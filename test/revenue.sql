-- pgTAP: revenue imports (every error path with its SQLSTATE, atomic loads, replacement),
-- the revenue report's totals, previous-period and prior-year columns, row order, and
-- committee table layouts.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(54);

-- A small hierarchy: two areas, one with two lines, loaded in the order B then A.
INSERT INTO finmon.revenue_import VALUES
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
          '(4,5,-25)', 'previous period is the latest earlier one: P4 for Admin');
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
          '(530,30)', 'prior-year actual and variance come from last year''s period 12');
SELECT is((SELECT prior_year_actual FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5 AND path = 'Admin'),
          NULL, 'no outturn loaded last year: prior_year_actual is NULL');

-- Row order: outline order, lines in the order they first appeared.
SELECT is((SELECT string_agg(path, '|' ORDER BY row_order) FROM finmon.revenue_report
            WHERE financial_year = '2018-19' AND period = 5),
          '|Services|Services > Older People|Services > Income|Admin',
          'rows follow first appearance, each parent before its children, total first');

-- Reloading a line replaces its figures; nothing else changes.
INSERT INTO finmon.revenue_import VALUES ('2018-19', '5', 'Admin', '300', '290');
SELECT is((SELECT forecast_outturn FROM finmon.revenue WHERE financial_year = '2018-19' AND period = 5 AND line = 'Admin'),
          290::numeric, 'a row for a line already loaded replaces its figures');
SELECT is((SELECT count(*) FROM finmon.revenue), 8::bigint, 'replacing adds no row');

-- Spaces around names are dropped.
INSERT INTO finmon.revenue_import VALUES ('2018-19', '6', '  Services >Older People ', '1', '2');
SELECT ok(EXISTS (SELECT 1 FROM finmon.revenue WHERE financial_year = '2018-19' AND period = 6
                   AND line = 'Services > Older People'), 'paths are normalised to "A > B"');

-- Every error names the row and has its SQLSTATE; nothing of a failed load is kept.
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','X','1','1'), ('2018-20','5','Y','1','1')$$,
                 '22007', 'revenue_import row 2: invalid financial year "2018-20"', 'malformed year: 22007, row named');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('18-19','5','X','1','1')$$, '22007', NULL, 'two-digit year: 22007');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018/19','5','X','1','1')$$, '22007', NULL, 'slash year: 22007');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES (NULL,'5','X','1','1')$$, '22004', 'revenue_import row 1: financial_year is empty', 'empty year: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','13','X','1','1')$$, '22023', 'revenue_import row 1: invalid period "13"', 'period 13: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','0','X','1','1')$$, '22023', NULL, 'period 0: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','five','X','1','1')$$, '22023', NULL, 'period not a number: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19',NULL,'X','1','1')$$, '22004', NULL, 'empty period: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5',NULL,'1','1')$$, '22004', 'revenue_import row 1: line is empty', 'empty line: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','A >  > B','1','1')$$, '22023', 'revenue_import row 1: line "A >  > B" has an empty name', 'empty path segment: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','A > ','1','1')$$, '22023', NULL, 'trailing empty segment: 22023');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','X','1,000','1')$$, '22P02', 'revenue_import row 1: budget "1,000" is not an amount', 'amount with a thousands separator: 22P02');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','X','1','(0.163)')$$, '22P02', 'revenue_import row 1: forecast_outturn "(0.163)" is not an amount', 'bracketed amount: 22P02');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','X','NaN','1')$$, '22P02', NULL, 'NaN amount: 22P02');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','X','1',NULL)$$, '22004', 'revenue_import row 1: forecast_outturn is empty', 'empty amount: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','Admin > Staff','1','1')$$, '23514',
                 'revenue_import row 1: line "Admin > Staff" is both a leaf and a parent in 2018-19 period 5: "Admin" is loaded too (by an earlier load)',
                 'a child of a loaded leaf: 23514');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','5','Services','1','1')$$, '23514', NULL, 'a leaf that is a loaded parent: 23514');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','7','P','1','1'), ('2018-19','7','P > Q','1','1')$$, '23514',
                 'revenue_import row 2: line "P > Q" is both a leaf and a parent in 2018-19 period 7: "P" is loaded too (row 1)',
                 'leaf and parent within one load: 23514, both rows named');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','7','P','1','1'), ('2018-19','7','P','2','2')$$, '23505',
                 'revenue_import row 2: line "P" for 2018-19 period 7 appears twice in this load (first at row 1)', 'a line twice in one load: 23505');
SELECT is((SELECT count(*) FROM finmon.revenue), 9::bigint, 'failed loads kept nothing');
SELECT is((SELECT forecast_outturn FROM finmon.revenue WHERE financial_year = '2018-19' AND period = 5 AND line = 'Admin'),
          290::numeric, 'a failed load does not replace figures');
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES ('2018-19','7','Admin > Staff','1','1')$$,
                'a line may be a leaf in one period and a parent in another');

-- Memorandum analyses are reported apart and never add into the service total.
INSERT INTO finmon.revenue_analysis_import VALUES ('2018-19', '5', 'By client', 'Older > Gross', '700', '800');
SELECT is((SELECT budget FROM finmon.revenue_report WHERE financial_year = '2018-19' AND period = 5 AND path = ''),
          800.50, 'an analysis does not change the service total');
SELECT is((SELECT (budget, forecast_outturn)::text FROM finmon.revenue_analysis_report
            WHERE financial_year = '2018-19' AND period = 5 AND analysis = 'By client' AND path = 'Older'),
          '(700,800)', 'an analysis has its own hierarchy and totals');
SELECT throws_ok($$INSERT INTO finmon.revenue_analysis_import VALUES ('2018-19','5',' ','X','1','1')$$, '22004',
                 'revenue_analysis_import row 1: analysis is empty', 'an analysis needs a name: 22004');

-- Commentary: any node, leaf or total; must have figures at that period.
INSERT INTO finmon.commentary_import VALUES ('2018-19', '5', 'Services', 'Care costs rose.'), ('2018-19', '5', NULL, 'Overall.');
SELECT is((SELECT heading FROM finmon.revenue_commentary WHERE financial_year = '2018-19' AND period = 5 AND path = 'Services'),
          'Services, forecast overspend £0.000m', 'commentary heading is computed from the figures');
SELECT is((SELECT commentary FROM finmon.revenue_commentary WHERE financial_year = '2018-19' AND period = 5 AND path = ''),
          'Overall.', 'an empty line is the grand total');
SELECT throws_ok($$INSERT INTO finmon.commentary_import VALUES ('2018-19','5','Nowhere','x')$$, '23503',
                 'commentary_import row 1: no revenue figures for line "Nowhere" in 2018-19 period 5', 'commentary for a node with no figures: 23503');
SELECT throws_ok($$INSERT INTO finmon.commentary_import VALUES ('2018-19','5','Admin',' ')$$, '22004', NULL, 'empty commentary: 22004');
SELECT throws_ok($$INSERT INTO finmon.commentary_import VALUES ('2018-19','5','Admin','a'), ('2018-19','5','Admin','b')$$, '23505', NULL, 'commentary twice in one load: 23505');
SELECT throws_ok($$INSERT INTO finmon.commentary_import VALUES ('2018-20','5','Admin','a')$$, '22007', NULL, 'commentary with a malformed year: 22007');

-- Committee table layouts are data: headings, nodes and the grand total.
INSERT INTO finmon.revenue_table VALUES ('t', NULL, 'Test table');
INSERT INTO finmon.revenue_table_row VALUES ('t', 1, 'heading', 'Services heading', NULL),
    ('t', 2, 'node', 'Older people', 'Services > Older People'), ('t', 3, 'total', 'All', NULL);
SELECT is((SELECT string_agg(label || '=' || COALESCE(budget, '-'), '|' ORDER BY row_number)
             FROM finmon.revenue_table_printed WHERE table_name = 't' AND financial_year = '2018-19' AND period = 5),
          'Services heading=-|Older people=0.001|All=0.001', 'a layout prints its rows in order, in £m');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_row VALUES ('t', 4, 'node', 'No line', NULL)$$, '23514', NULL, 'a node row needs a line: 23514');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_row VALUES ('t', 4, 'heading', 'With line', 'Admin')$$, '23514', NULL, 'a heading has no line: 23514');
SELECT throws_ok($$INSERT INTO finmon.revenue_table_row VALUES ('nope', 1, 'total', 'x', NULL)$$, '23503', NULL, 'a row of an unknown table: 23503');

-- pg_dump keeps the user data.
SELECT is((SELECT array_agg(c::regclass::text ORDER BY c::regclass::text) FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'finmon'),
          ARRAY['finmon.activity', 'finmon.audit_log', 'finmon.audit_log_id_seq', 'finmon.budget_profile', 'finmon.capital',
                'finmon.closed_period', 'finmon.commentary', 'finmon.comparator',
                'finmon.grant_scheme', 'finmon.import_batch', 'finmon.ledger_summary', 'finmon.measure', 'finmon.measure_target', 'finmon.population',
                'finmon.published', 'finmon.published_benchmark', 'finmon.published_value', 'finmon.refresh_log',
                'finmon.refresh_log_id_seq', 'finmon.refresh_run', 'finmon.reserve',
                'finmon.revenue', 'finmon.revenue_node', 'finmon.revenue_node_order',
                'finmon.revenue_table', 'finmon.revenue_table_row', 'finmon.savings_forecast',
                'finmon.savings_plan', 'finmon.setting', 'finmon.stated_figure'],
          'user data tables are registered with pg_extension_config_dump');

-- Every object users see is documented (COMMENT ON), including each column of the public views.
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'v', 'S', 'm')
              AND obj_description(c.oid, 'pg_class') IS NULL),
          NULL, 'every table, view and sequence has a comment');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'finmon'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL),
          NULL, 'every function and aggregate has a comment');
SELECT is((SELECT array_agg(c.relname || '.' || a.attname ORDER BY 1) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped
              AND col_description(c.oid, a.attnum) IS NULL),
          NULL, 'every column of the tables and public views has a comment');

SELECT * FROM finish();
ROLLBACK;
