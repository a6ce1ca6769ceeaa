-- pgTAP: the materialised period views (each the same rows as its report after a refresh,
-- only those whose source tables changed refreshed unless forced,
-- stale before it, refreshable CONCURRENTLY), refresh_period_views() and its log, a failing
-- view that is logged and keeps its contents while the others refresh, and schedule_refresh()
-- without pg_cron. (scripts/test-cron proves that a scheduled refresh runs under pg_cron.)
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(62);

-- Each view: a materialised view (revenue_spend_period: a table kept year by year) with a
-- unique index on plain columns, covering all rows.
SELECT is((SELECT c.relkind::text FROM pg_class c WHERE c.oid = format('finmon.%I', v.view_name)::regclass),
          CASE v.view_name WHEN 'revenue_spend_period' THEN 'r' ELSE 'm' END,
          v.view_name || CASE v.view_name WHEN 'revenue_spend_period' THEN ' is a table' ELSE ' is a materialised view' END)
  FROM finmon.period_views() v ORDER BY v.refresh_order;
SELECT ok(EXISTS (SELECT FROM pg_index i
                   WHERE i.indrelid = format('finmon.%I', v.view_name)::regclass
                     AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL),
          v.view_name || ' has a unique index usable by REFRESH ... CONCURRENTLY')
  FROM finmon.period_views() v ORDER BY v.refresh_order;

-- Some figures of every kind.
INSERT INTO finmon.revenue_import VALUES ('2018-19', '5', 'A > B', '100', '120'), ('2018-19', '5', 'C', '50', '40');
INSERT INTO finmon.savings_plan_import VALUES ('S1', 'Saving', '', '2018-19', '-100');
INSERT INTO finmon.savings_forecast_import VALUES ('2018-19', '5', 'S1', '-60', '');
INSERT INTO finmon.reserves_import VALUES ('2018-19', '5', 'R', 'reserve', '10', '', '-5', '');
INSERT INTO finmon.capital_import VALUES ('2018-19', '5', 'K', '20', '15', '', 'false');
INSERT INTO finmon.grants_import VALUES ('2018-19', '5', 'G', 'S', '1', '2', '1');
INSERT INTO finmon.measures_import VALUES ('M', 'A measure', '%', '100', '', 'higher');
INSERT INTO finmon.values_import VALUES ('M', 'A', '2016-01', '50');

SELECT is((SELECT count(*) FROM finmon.revenue_period), 0::bigint, 'before a refresh the period view is stale (empty)');

CREATE TEMP TABLE run1 AS SELECT * FROM finmon.refresh_period_views();
SELECT is((SELECT string_agg(view_name || ':' || status, ' ' ORDER BY view_name) FROM run1),
          'capital_period:ok grants_period:ok measures_period:ok reserves_period:ok revenue_figures_period:ok revenue_spend_period:ok revenue_table_period:ok savings_period:ok',
          'the first refresh refreshes every view and reports each');
SELECT is((SELECT count(*) FROM finmon.refresh_log), 8::bigint, 'and logs each');
SELECT is((SELECT count(DISTINCT run) FROM finmon.refresh_log), 1::bigint, 'under one run');
SELECT ok((SELECT bool_and(concurrent) FROM finmon.refresh_log), 'populated views are refreshed concurrently');

-- After the refresh each view holds exactly its report's rows.
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.revenue_period EXCEPT ALL SELECT * FROM finmon.revenue_report) d)
        + (SELECT count(*) FROM (SELECT * FROM finmon.revenue_report EXCEPT ALL SELECT * FROM finmon.revenue_period) d),
          0::bigint, 'revenue_period = revenue_report');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.savings_period EXCEPT ALL SELECT * FROM finmon.savings_report) d)
        + (SELECT count(*) FROM (SELECT * FROM finmon.savings_report EXCEPT ALL SELECT * FROM finmon.savings_period) d),
          0::bigint, 'savings_period = savings_report');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.reserves_period EXCEPT ALL SELECT * FROM finmon.reserves_report) d)
        + (SELECT count(*) FROM (SELECT * FROM finmon.reserves_report EXCEPT ALL SELECT * FROM finmon.reserves_period) d),
          0::bigint, 'reserves_period = reserves_report');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.capital_period EXCEPT ALL SELECT * FROM finmon.capital_report) d)
        + (SELECT count(*) FROM (SELECT * FROM finmon.capital_report EXCEPT ALL SELECT * FROM finmon.capital_period) d),
          0::bigint, 'capital_period = capital_report');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.grants_period EXCEPT ALL SELECT * FROM finmon.grant_report) d)
        + (SELECT count(*) FROM (SELECT * FROM finmon.grant_report EXCEPT ALL SELECT * FROM finmon.grants_period) d),
          0::bigint, 'grants_period = grant_report');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.measures_period EXCEPT ALL SELECT * FROM finmon.measure_report) d)
        + (SELECT count(*) FROM (SELECT * FROM finmon.measure_report EXCEPT ALL SELECT * FROM finmon.measures_period) d),
          0::bigint, 'measures_period = measure_report');
SELECT is((SELECT count(*) FROM finmon.revenue_table_period), (SELECT count(*) FROM finmon.revenue_table_report),
          'revenue_table_period has revenue_table_report''s rows');
SELECT is((SELECT rows FROM finmon.refresh_log WHERE view_name = 'revenue_figures_period'),
          (SELECT count(*) FROM finmon.revenue_figures_period), 'the log counts the rows');
SELECT is((SELECT (budget, forecast_outturn, variance)::text FROM finmon.revenue_period WHERE path = ''),
          '(150,160,10)', 'the period view''s figures');

-- New figures appear at the next refresh, not before.
INSERT INTO finmon.revenue_import VALUES ('2018-19', '5', 'C', '50', '70');
SELECT is((SELECT forecast_outturn FROM finmon.revenue_period WHERE path = ''), 160::numeric, 'a load does not change the period view');
CREATE TEMP TABLE run2 AS SELECT * FROM finmon.refresh_period_views();
SELECT is((SELECT forecast_outturn FROM finmon.revenue_period WHERE path = ''), 190::numeric, 'the next refresh does');
SELECT is((SELECT count(DISTINCT run) FROM finmon.refresh_log), 2::bigint, 'a second run');
SELECT is((SELECT string_agg(view_name || ':' || status, ' ' ORDER BY view_name) FROM run2),
          'capital_period:unchanged grants_period:unchanged measures_period:unchanged reserves_period:unchanged revenue_figures_period:ok revenue_spend_period:ok revenue_table_period:ok savings_period:unchanged',
          'only the views computed from the revenue figures are refreshed after a revenue load');

-- A ledger load changes only the spend columns.
INSERT INTO finmon.ledger_import VALUES ('2018-05-01', 'C', '5', 'L1');
CREATE TEMP TABLE run_ledger AS SELECT * FROM finmon.refresh_period_views();
SELECT is((SELECT string_agg(view_name, ' ' ORDER BY view_name) FROM run_ledger WHERE status = 'ok'),
          'revenue_spend_period', 'after a ledger load only revenue_spend_period is refreshed');
SELECT is((SELECT actual_to_date FROM finmon.revenue_period WHERE path = '' AND period = 5), 5::numeric,
          'and revenue_period shows the spend');
SELECT is((SELECT count(*) FROM finmon.refresh_period_views() WHERE status = 'unchanged'), 8::bigint,
          'with nothing changed, nothing is refreshed');

-- revenue_spend_period is recomputed only for the financial years whose sources changed.
CREATE TEMP VIEW spend_differences AS
SELECT count(*) AS n FROM (
    (SELECT * FROM finmon.revenue_spend_period EXCEPT ALL SELECT * FROM finmon.revenue_to_date)
    UNION ALL
    (SELECT * FROM finmon.revenue_to_date EXCEPT ALL SELECT * FROM finmon.revenue_spend_period)) d;
INSERT INTO finmon.revenue_import VALUES ('2019-20', '3', 'A > B', '110', '100'), ('2019-20', '3', 'C', '60', '60');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT financial_years FROM finmon.refresh_log WHERE view_name = 'revenue_spend_period' ORDER BY id DESC LIMIT 1),
          '{2019-20}', 'a revenue load for one year recomputes that year''s spend only');
CREATE TEMP TABLE spend_2018 AS SELECT xmin::text AS version, * FROM finmon.revenue_spend_period WHERE financial_year = '2018-19';
INSERT INTO finmon.ledger_import VALUES ('2019-06-01', 'A > B', '7', 'L2'), ('2019-05-01', 'C', '3', 'L3');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT financial_years FROM finmon.refresh_log WHERE view_name = 'revenue_spend_period' ORDER BY id DESC LIMIT 1),
          '{2019-20}', 'a ledger load for 2019-20 recomputes 2019-20');
SELECT is((SELECT count(*) FROM finmon.revenue_spend_period s JOIN spend_2018 o USING (financial_year, period, path)
            WHERE s.xmin::text = o.version), (SELECT count(*) FROM spend_2018),
          'and leaves every 2018-19 row as it was (not rewritten)');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
SELECT is((SELECT actual_to_date FROM finmon.revenue_period WHERE financial_year = '2019-20' AND path = ''), 10::numeric,
          'revenue_period shows the new year''s spend');
UPDATE finmon.ledger SET posting_date = '2018-06-01', financial_year = '2018-19', period = 3 WHERE reference = 'L3';
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT financial_years FROM finmon.refresh_log WHERE view_name = 'revenue_spend_period' ORDER BY id DESC LIMIT 1),
          '{2018-19,2019-20}', 'a ledger row moved between years recomputes both');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
INSERT INTO finmon.budget_profile_import
SELECT '2019-20', 'C', p::text, CASE WHEN p <= 6 THEN '0.1' ELSE '0.4' END FROM generate_series(1, 12) p WHERE p <= 6 OR p = 12;
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT financial_years FROM finmon.refresh_log WHERE view_name = 'revenue_spend_period' ORDER BY id DESC LIMIT 1),
          '{2019-20}', 'a budget profile for 2019-20 recomputes 2019-20');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
INSERT INTO finmon.revenue_import VALUES ('2019-20', '3', 'A > D', '5', '5');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT (financial_years IS NULL)::text FROM finmon.refresh_log WHERE view_name = 'revenue_spend_period' ORDER BY id DESC LIMIT 1),
          'true', 'a new node in the hierarchy recomputes every year');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
TRUNCATE finmon.ledger_summary;
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT (financial_years IS NULL)::text FROM finmon.refresh_log WHERE view_name = 'revenue_spend_period' ORDER BY id DESC LIMIT 1),
          'true', 'a TRUNCATE of a source recomputes every year');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
SELECT is((SELECT count(*) FROM finmon.revenue_spend_period WHERE actual_to_date IS NOT NULL), 0::bigint,
          'and with no ledger summaries left, no spend is shown');
DO $$ BEGIN PERFORM finmon.rebuild_ledger_summary(); END $$;
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'a rebuild of the summaries is picked up year by year too');
SELECT is((SELECT (financial_years)::text FROM finmon.refresh_log WHERE view_name = 'revenue_spend_period' ORDER BY id DESC LIMIT 1),
          '{2018-19,2019-20}', '(the years the rebuild inserted)');
TRUNCATE finmon.ledger;
SELECT is((SELECT count(*) FROM finmon.ledger_summary), 0::bigint, 'a TRUNCATE of the ledger empties its summaries');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'and the next refresh shows no spend');
SELECT is((SELECT count(*) FROM finmon.refresh_period_views(force => true) WHERE status = 'ok'), 8::bigint,
          'force refreshes every view');

-- A failing view is logged, keeps its previous contents, and the others still refresh.
INSERT INTO finmon.values_import VALUES ('M', 'A', '2016-02', '60');
INSERT INTO finmon.revenue_import VALUES ('2018-19', '5', 'C', '50', '80');
INSERT INTO finmon.setting VALUES ('small_number_threshold', 'five');
CREATE TEMP TABLE run3 AS SELECT * FROM finmon.refresh_period_views();
SELECT is((SELECT status || ' ' || error FROM run3 WHERE view_name = 'measures_period'),
          'failed 22P02: invalid input syntax for type numeric: "five"', 'the failing view is reported with its SQLSTATE and message');
SELECT is((SELECT string_agg(view_name || ':' || status, ' ' ORDER BY view_name) FROM run3 WHERE view_name <> 'measures_period'),
          'capital_period:unchanged grants_period:unchanged reserves_period:unchanged revenue_figures_period:ok revenue_spend_period:ok revenue_table_period:ok savings_period:unchanged',
          'the others are refreshed where their figures changed');
SELECT is((SELECT count(*) FROM finmon.measures_period), 1::bigint, 'the failed view keeps its previous contents');
SELECT is((SELECT forecast_outturn FROM finmon.revenue_period WHERE financial_year = '2018-19' AND path = ''), 200::numeric, 'while revenue_period has the new figures');
SELECT is((SELECT (rows, status)::text FROM finmon.refresh_log WHERE view_name = 'measures_period' ORDER BY id DESC LIMIT 1),
          '(,failed)', 'the log has no row count for a failure');

-- Without pg_cron, schedule_refresh says how to schedule it (a NOTICE) and schedules nothing.
SET client_min_messages = warning;
SELECT is(finmon.schedule_refresh(), NULL, 'schedule_refresh without pg_cron returns NULL');

SELECT * FROM finish();
ROLLBACK;
