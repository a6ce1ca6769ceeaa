-- pgTAP: the period views (tables, each the same rows as its report after a refresh, council by
-- council; only the councils, and for the spend columns the financial years, whose source tables
-- changed refreshed unless forced; stale before it), refresh_period_views() and its log, a
-- failing view that is logged and keeps its contents while the others refresh, and
-- schedule_refresh() without pg_cron. (scripts/test-cron proves that a scheduled refresh runs
-- under pg_cron.) Two councils: a load or deletion in one refreshes that council's rows only.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(90);

INSERT INTO finmon.council_import VALUES ('T1', 'Test council'), ('T2', 'Second council');

-- Each row of a council in every period view, with its version (xmin and ctid: a row that a
-- refresh deletes and inserts again gets a new one).
CREATE SCHEMA finmon_tap_period_views;
CREATE FUNCTION finmon_tap_period_views.period_rows(council text)
    RETURNS TABLE (view_name text, version text, row_text text) LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
    FOR v IN SELECT p.view_name FROM finmon.period_views() p LOOP
        RETURN QUERY EXECUTE format('SELECT %L::text, x.xmin::text || x.ctid::text, x::text FROM finmon_data.%I x WHERE x.council = $1', v, v)
            USING council;
    END LOOP;
END $$;
-- How many of a council's period rows differ from (or were rewritten since) a snapshot.
CREATE FUNCTION finmon_tap_period_views.rewritten(council text, snapshot regclass) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((SELECT * FROM finmon_tap_period_views.period_rows($1) EXCEPT ALL SELECT * FROM %s) '
                   'UNION ALL (SELECT * FROM %s EXCEPT ALL SELECT * FROM finmon_tap_period_views.period_rows($1))) d', snapshot, snapshot)
        INTO n USING council;
    RETURN n;
END $$;

-- Each view: a table with row-level security (2.0: period views are tables, not materialised
-- views, so that a reader sees only its councils and a refresh can recompute one council) and
-- a unique index on plain columns, covering all rows, that leads with the council.
SELECT is((SELECT (c.relkind, c.relrowsecurity, c.relforcerowsecurity)::text FROM pg_class c
            WHERE c.oid = format('finmon_data.%I', v.view_name)::regclass),
          '(r,t,t)', v.view_name || ' is a table with row-level security')
  FROM finmon.period_views() v ORDER BY v.refresh_order;
-- (2.0: refreshed by deleting and inserting a council's rows, not REFRESH ... CONCURRENTLY.)
SELECT ok(EXISTS (SELECT FROM pg_index i
                   WHERE i.indrelid = format('finmon_data.%I', v.view_name)::regclass
                     AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                     AND i.indkey[0] = (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = 'council')),
          v.view_name || ' has a unique index on plain columns, leading with the council')
  FROM finmon.period_views() v ORDER BY v.refresh_order;

-- Some figures of every kind, for both councils.
INSERT INTO finmon.revenue_import VALUES ('T1', '2018-19', '5', 'A > B', '100', '120'), ('T1', '2018-19', '5', 'C', '50', '40'),
                                         ('T2', '2018-19', '5', 'A > B', '200', '210'), ('T2', '2018-19', '5', 'C', '80', '90'),
                                         ('T2', '2019-20', '3', 'A > B', '210', '200'), ('T2', '2019-20', '3', 'C', '90', '90');
INSERT INTO finmon.revenue_tables_import VALUES ('T1', 't', '', 'Test table'), ('T2', 't', '', 'Test table');
INSERT INTO finmon.revenue_table_rows_import VALUES ('T1', 't', '1', 'node', 'A', 'A'), ('T1', 't', '2', 'total', 'Total', ''),
                                                    ('T2', 't', '1', 'node', 'A', 'A'), ('T2', 't', '2', 'total', 'Total', '');
INSERT INTO finmon.savings_plan_import VALUES ('T1', 'S1', 'Saving', '', '2018-19', '-100'), ('T2', 'S1', 'Saving', '', '2018-19', '-200');
INSERT INTO finmon.savings_forecast_import VALUES ('T1', '2018-19', '5', 'S1', '-60', ''), ('T2', '2018-19', '5', 'S1', '-150', '');
INSERT INTO finmon.reserves_import VALUES ('T1', '2018-19', '5', 'R', 'reserve', '10', '', '-5', ''),
                                          ('T2', '2018-19', '5', 'R', 'reserve', '20', '', '-5', '');
INSERT INTO finmon.capital_import VALUES ('T1', '2018-19', '5', 'K', '20', '15', '', 'false'), ('T2', '2018-19', '5', 'K', '30', '25', '', 'false');
INSERT INTO finmon.grants_import VALUES ('T1', '2018-19', '5', 'G', 'S', '1', '2', '1'), ('T2', '2018-19', '5', 'G', 'S', '3', '0', '2');
INSERT INTO finmon.measures_import VALUES ('M', 'A measure', '%', '100', '', 'higher');
INSERT INTO finmon.values_import VALUES ('T1', 'M', 'A', '2016-01', '50'), ('T2', 'M', 'A', '2016-01', '40');
INSERT INTO finmon.ledger_import VALUES ('T2', '2018-05-01', 'C', '9', 'L1'), ('T2', '2019-06-01', 'A > B', '4', 'L2');

SELECT is((SELECT count(*) FROM finmon.revenue_period), 0::bigint, 'before a refresh the period view is stale (empty)');

-- (The refresh plans one view with hash joins only, and leaves the session's settings as they were.)
SET enable_mergejoin = off;
SET enable_nestloop = on;
CREATE TEMP TABLE run1 AS SELECT * FROM finmon.refresh_period_views();
SELECT is(current_setting('enable_mergejoin') || ' ' || current_setting('enable_nestloop'), 'off on',
          'the refresh leaves the session''s planner settings as they were');
RESET enable_mergejoin;
RESET enable_nestloop;
-- (2.0: one row per view and council.)
SELECT is((SELECT string_agg(view_name || ':' || status, ' ' ORDER BY view_name) FROM run1 WHERE council = c),
          'capital_period:ok grants_period:ok measures_period:ok reserves_period:ok revenue_figures_period:ok revenue_spend_period:ok revenue_table_figures_period:ok savings_period:ok',
          'the first refresh refreshes every view for ' || c || ' and reports each')
  FROM unnest(ARRAY['T1', 'T2']) c;
SELECT is((SELECT count(*) FROM finmon.refresh_log), 16::bigint, 'and logs each (8 views, 2 councils)');
SELECT is((SELECT count(DISTINCT run) FROM finmon.refresh_log), 1::bigint, 'under one run');
SELECT ok((SELECT bool_and(concurrent) FROM finmon.refresh_log), 'populated views are refreshed without blocking readers');

-- After the refresh each view's table holds exactly its report's rows (every council's), and
-- each period view gives them with its numbers in their declared types: money as it is,
-- percentages and the measures' values to 4 places (compared here as jsonb, every number
-- rounded to 4 places and its trailing zeros dropped).
CREATE FUNCTION pg_temp.rounded(row_value jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_object_agg(e.key, CASE WHEN jsonb_typeof(e.value) = 'number'
                                        THEN to_jsonb(trim_scale(round(e.value::text::numeric, 4))) ELSE e.value END)
      FROM jsonb_each(row_value) AS e
$$;
CREATE FUNCTION pg_temp.differing(a text, b text, exact boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format(CASE WHEN exact
                        THEN 'SELECT (SELECT count(*) FROM (SELECT * FROM %1$s EXCEPT ALL SELECT * FROM %2$s) d) '
                             '     + (SELECT count(*) FROM (SELECT * FROM %2$s EXCEPT ALL SELECT * FROM %1$s) d)'
                        ELSE 'SELECT (SELECT count(*) FROM (SELECT pg_temp.rounded(to_jsonb(r)) FROM %1$s r EXCEPT ALL '
                             '                               SELECT pg_temp.rounded(to_jsonb(r)) FROM %2$s r) d) '
                             '     + (SELECT count(*) FROM (SELECT pg_temp.rounded(to_jsonb(r)) FROM %2$s r EXCEPT ALL '
                             '                               SELECT pg_temp.rounded(to_jsonb(r)) FROM %1$s r) d)' END, a, b) INTO n;
    RETURN n;
END $$;
-- (the tables keep every digit: they are refilled from the reports' namesakes in finmon_data)
SELECT is(pg_temp.differing('finmon_data.' || t, 'finmon_data.' || r, true), 0::bigint, 'finmon_data.' || t || ' = finmon_data.' || r)
  FROM (VALUES ('savings_period', 'savings_report'), ('reserves_period', 'reserves_report'), ('capital_period', 'capital_report'),
               ('grants_period', 'grant_report'), ('measures_period', 'measure_report')) AS v(t, r);
SELECT is(pg_temp.differing('finmon.' || t, 'finmon.' || r, false), 0::bigint, t || ' = ' || r || ' in its declared types')
  FROM (VALUES ('revenue_period', 'revenue_report'), ('savings_period', 'savings_report'), ('reserves_period', 'reserves_report'),
               ('capital_period', 'capital_report'), ('grants_period', 'grant_report'), ('measures_period', 'measure_report'),
               ('revenue_table_period', 'revenue_table_report')) AS v(t, r);
SELECT is((SELECT count(*) FROM finmon.revenue_table_period), (SELECT count(*) FROM finmon.revenue_table_report),
          'revenue_table_period has revenue_table_report''s rows');
-- The declared types, and what they do to the figures: money unchanged, a percentage rounded
-- half away from zero to 4 places (against round(), on the table's full figures).
SELECT is((SELECT string_agg(format('%s.%s %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod)), ', '
                             ORDER BY c.relname, a.attnum)
             FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
            WHERE c.relnamespace = 'finmon'::regnamespace AND c.relname LIKE '%\_period' AND c.relkind = 'v'
              AND a.atttypid = 'numeric'::regtype AND a.atttypmod < 0),
          NULL, 'every numeric column of every period view declares its precision and scale');
SELECT is((SELECT string_agg(format('%s %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attname)
             FROM pg_attribute a
            WHERE (a.attrelid, a.attname) IN (('finmon.revenue_period'::regclass, 'budget'), ('finmon.revenue_period'::regclass, 'variance_pct'),
                                              ('finmon.revenue_table_period'::regclass, 'pct_spent'), ('finmon.savings_period'::regclass, 'target'),
                                              ('finmon.measures_period'::regclass, 'target'), ('finmon.measures_period'::regclass, 'r12_numerator'))),
          'budget numeric(18,2), pct_spent numeric(24,4), r12_numerator numeric(18,0), target numeric(18,2), target numeric(24,4), variance_pct numeric(24,4)',
          'money numeric(18,2), percentages and the measures'' values numeric(24,4), the measures'' counts numeric(18,0)');
SELECT ok((SELECT count(*) FILTER (WHERE f.variance_pct <> round(f.variance_pct, 4)) > 0
              AND count(*) FILTER (WHERE v.variance_pct IS DISTINCT FROM round(f.variance_pct, 4)
                                      OR v.budget IS DISTINCT FROM f.budget OR v.variance IS DISTINCT FROM f.variance) = 0
             FROM finmon.revenue_period v
             JOIN finmon_data.revenue_figures_period f USING (council, financial_year, period, path)),
          'revenue_period: money as the table holds it, variance_pct rounded to 4 places (and some needed it)');
-- The reports declare theirs too: every numeric column of every view of finmon.  Each report is
-- a view over its namesake in finmon_data, which keeps every digit; the views built on a report
-- read that one, so nothing is rounded twice (revenue_table_printed prints a layout's percent
-- places from the full figure).
SELECT is((SELECT string_agg(format('%s.%s', c.relname, a.attname), ', ' ORDER BY c.relname, a.attnum)
             FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind = 'v'
              AND a.atttypid = 'numeric'::regtype AND a.atttypmod < 0),
          NULL, 'every numeric column of every view of finmon declares its precision and scale');
SELECT ok((SELECT count(*) FILTER (WHERE x.variance_pct <> round(x.variance_pct, 4)) > 0
              AND count(*) FILTER (WHERE r.variance_pct IS DISTINCT FROM round(x.variance_pct, 4)
                                      OR r.budget IS DISTINCT FROM x.budget OR r.movement IS DISTINCT FROM x.movement) = 0
              AND count(*) = (SELECT count(*) FROM finmon.revenue_report)
             FROM finmon.revenue_report r
             JOIN finmon_data.revenue_report x USING (council, financial_year, period, path)),
          'revenue_report: finmon_data.revenue_report''s money as it is, variance_pct rounded to 4 places (and some needed it)');
SELECT is((SELECT array_agg(DISTINCT d.refobjid::regclass::text ORDER BY d.refobjid::regclass::text)
             FROM pg_rewrite w JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND d.refobjsubid > 0
            WHERE w.ev_class IN ('finmon.revenue_table_printed'::regclass, 'finmon.dashboard'::regclass,
                                 'finmon_data.reconciliation'::regclass)
              AND d.refobjid IN (SELECT c.oid FROM pg_class c WHERE c.relname IN ('revenue_table_report', 'measure_report', 'report_figures'))),
          ARRAY['finmon_data.measure_report', 'finmon_data.report_figures', 'finmon_data.revenue_table_report'],
          'the printed tables, the dashboard and the reconciliation read the reports with every digit, not the declared ones');

-- (2.0: the log has a row, and a count, per council.)
SELECT is((SELECT string_agg(format('%s:%s', council, rows), ' ' ORDER BY council) FROM finmon.refresh_log WHERE view_name = 'revenue_figures_period'),
          (SELECT string_agg(format('%s:%s', council, n), ' ' ORDER BY council)
             FROM (SELECT council, count(*) AS n FROM finmon_data.revenue_figures_period GROUP BY council) x),
          'the log counts each council''s rows');
SELECT is((SELECT string_agg(format('%s %s', council, (budget, forecast_outturn, variance)), ' ' ORDER BY council)
             FROM finmon.revenue_period WHERE financial_year = '2018-19' AND path = ''),
          'T1 (150.00,160.00,10.00) T2 (280.00,300.00,20.00)', 'the period view''s figures, each council''s own');
CREATE TEMP TABLE t2_rows AS SELECT * FROM finmon_tap_period_views.period_rows('T2');
SELECT is((SELECT count(DISTINCT view_name) FROM t2_rows), 8::bigint, 'T2 has rows in every period view');

-- New figures appear at the next refresh, not before.
INSERT INTO finmon.revenue_import VALUES ('T1', '2018-19', '5', 'C', '50', '70');
SELECT is((SELECT forecast_outturn FROM finmon.revenue_period WHERE council = 'T1' AND path = ''), 160::numeric, 'a load does not change the period view');
CREATE TEMP TABLE run2 AS SELECT * FROM finmon.refresh_period_views();
SELECT is((SELECT forecast_outturn FROM finmon.revenue_period WHERE council = 'T1' AND path = ''), 190::numeric, 'the next refresh does');
SELECT is((SELECT count(DISTINCT run) FROM finmon.refresh_log), 2::bigint, 'a second run');
SELECT is((SELECT string_agg(view_name || COALESCE('/' || council, '') || ':' || status, ' ' ORDER BY view_name) FROM run2),
          'capital_period:unchanged grants_period:unchanged measures_period:unchanged reserves_period:unchanged revenue_figures_period/T1:ok revenue_spend_period/T1:ok revenue_table_figures_period/T1:ok savings_period:unchanged',
          'only the views computed from the revenue figures are refreshed after a revenue load, and only for its council');
SELECT is(finmon_tap_period_views.rewritten('T2', 't2_rows'), 0::bigint, 'T2''s period rows stay as they were (none rewritten)');

-- A ledger load changes only the spend columns.
INSERT INTO finmon.ledger_import VALUES ('T1', '2018-05-01', 'C', '5', 'L1');
CREATE TEMP TABLE run_ledger AS SELECT * FROM finmon.refresh_period_views();
SELECT is((SELECT string_agg(view_name || '/' || council, ' ' ORDER BY view_name) FROM run_ledger WHERE status = 'ok'),
          'revenue_spend_period/T1', 'after a ledger load only revenue_spend_period is refreshed, for the council loaded');
SELECT is((SELECT actual_to_date FROM finmon.revenue_period WHERE council = 'T1' AND path = '' AND period = 5), 5::numeric,
          'and revenue_period shows the spend');
SELECT is((SELECT count(*) FROM finmon.refresh_period_views() WHERE status = 'unchanged'), 8::bigint,
          'with nothing changed, nothing is refreshed');

-- revenue_spend_period is recomputed only for the councils and financial years whose sources changed.
CREATE TEMP VIEW spend_differences AS
SELECT count(*) AS n FROM (
    (SELECT * FROM finmon_data.revenue_spend_period EXCEPT ALL SELECT * FROM finmon_data.revenue_to_date)
    UNION ALL
    (SELECT * FROM finmon_data.revenue_to_date EXCEPT ALL SELECT * FROM finmon_data.revenue_spend_period)) d;
-- What the latest refresh recomputed of revenue_spend_period: each council and its years.
CREATE TEMP VIEW last_spend_refresh AS
SELECT string_agg(l.council || ' ' || COALESCE(l.financial_years::text, 'every year'), ', ' ORDER BY l.council) AS refreshed
  FROM finmon.refresh_log l
 WHERE l.view_name = 'revenue_spend_period' AND l.status = 'ok' AND l.run = (SELECT max(x.run) FROM finmon.refresh_log x);
INSERT INTO finmon.revenue_import VALUES ('T1', '2019-20', '3', 'A > B', '110', '100'), ('T1', '2019-20', '3', 'C', '60', '60');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_spend_refresh), 'T1 {2019-20}', 'a revenue load for one year recomputes that year''s spend only, of its council only');
CREATE TEMP TABLE spend_2018 AS SELECT xmin::text AS version, * FROM finmon_data.revenue_spend_period WHERE council = 'T1' AND financial_year = '2018-19';
INSERT INTO finmon.ledger_import VALUES ('T1', '2019-06-01', 'A > B', '7', 'L2'), ('T1', '2019-05-01', 'C', '3', 'L3');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_spend_refresh), 'T1 {2019-20}', 'a ledger load for 2019-20 recomputes 2019-20');
SELECT is((SELECT count(*) FROM finmon_data.revenue_spend_period s JOIN spend_2018 o USING (council, financial_year, period, path)
            WHERE s.xmin::text = o.version), (SELECT count(*) FROM spend_2018),
          'and leaves every 2018-19 row as it was (not rewritten)');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
SELECT is((SELECT actual_to_date FROM finmon.revenue_period WHERE council = 'T1' AND financial_year = '2019-20' AND path = ''), 10::numeric,
          'revenue_period shows the new year''s spend');
-- 2.0 has no UPDATE of the ledger: a transaction moves between years by a deletion and a load.
SELECT is(finmon.delete_figures('ledger', '2019-20', 2, 'T1'), 1::bigint, 'delete_figures deletes L3, 2019-20''s one transaction of period 2');
INSERT INTO finmon.ledger_import VALUES ('T1', '2018-06-01', 'C', '3', 'L3');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_spend_refresh), 'T1 {2018-19,2019-20}', 'a ledger row moved between years recomputes both');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
INSERT INTO finmon.budget_profile_import
SELECT 'T1', '2019-20', 'C', p::text, CASE WHEN p <= 6 THEN '0.1' ELSE '0.4' END FROM generate_series(1, 12) p WHERE p <= 6 OR p = 12;
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_spend_refresh), 'T1 {2019-20}', 'a budget profile for 2019-20 recomputes 2019-20');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
INSERT INTO finmon.revenue_import VALUES ('T1', '2019-20', '3', 'A > D', '5', '5');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_spend_refresh), 'T1 every year', 'a new node in the hierarchy recomputes every year');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
SELECT is(finmon_tap_period_views.rewritten('T2', 't2_rows'), 0::bigint,
          'through all of T1''s loads, deletions and refreshes, no row of T2 was rewritten');

-- A deletion in one council refreshes that council's rows only.
CREATE TEMP TABLE t1_rows AS SELECT * FROM finmon_tap_period_views.period_rows('T1');
SELECT is(finmon.delete_figures('ledger', '2019-20', 3, 'T2'), 1::bigint, 'delete_figures deletes T2''s transaction of 2019-20 period 3');
CREATE TEMP TABLE run_t2 AS SELECT * FROM finmon.refresh_period_views();
SELECT is((SELECT string_agg(view_name || '/' || council || ' ' || COALESCE(financial_years::text, 'every year'), ' ')
             FROM finmon.refresh_log WHERE run = (SELECT max(run) FROM finmon.refresh_log) AND status = 'ok'),
          'revenue_spend_period/T2 {2019-20}', 'a ledger deletion in T2 recomputes T2''s spend for that year, and nothing else');
SELECT is(finmon_tap_period_views.rewritten('T1', 't1_rows'), 0::bigint, 'T1''s period rows stay as they were (none rewritten)');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');

-- 2.0 has no TRUNCATE of finmon's tables: deleting all of a council's transactions
-- (delete_figures) stands for it, and recomputes the years they were in.
SELECT is(finmon.delete_figures('ledger', council => 'T1'), 3::bigint, 'delete_figures deletes all of T1''s transactions');
SELECT is((SELECT string_agg(DISTINCT council, ' ') FROM finmon_data.ledger_summary), 'T2',
          'which empties T1''s ledger summaries, and only T1''s');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_spend_refresh), 'T1 {2018-19,2019-20}', 'deleting a council''s ledger recomputes the years it had');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
SELECT is((SELECT string_agg(DISTINCT council, ' ') FROM finmon_data.revenue_spend_period WHERE actual_to_date IS NOT NULL), 'T2',
          'and with no ledger summaries left, T1 shows no spend (T2 still does)');
INSERT INTO finmon.ledger_import VALUES ('T1', '2018-05-01', 'C', '5', 'L1'), ('T1', '2019-06-01', 'A > B', '7', 'L2');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_spend_refresh), 'T1 {2018-19,2019-20}', 'reloading it recomputes those years again');
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'revenue_spend_period = revenue_to_date after it');
SELECT is(finmon.rebuild_ledger_summary('T1'), 2::bigint, 'rebuild_ledger_summary(''T1'') makes T1''s 2 summary rows');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT n FROM spend_differences), 0::bigint, 'a rebuild of the summaries is picked up year by year too');
SELECT is((SELECT refreshed FROM last_spend_refresh), 'T1 {2018-19,2019-20}', '(the years the rebuild inserted, of T1 only)');
-- (2.0: one row per view and council.)
SELECT is((SELECT count(*) FROM finmon.refresh_period_views(force => true) WHERE status = 'ok'), 16::bigint,
          'force refreshes every view for every council');

-- A failing view is logged, keeps its previous contents, and the others still refresh.
-- 2.0 checks small_number_threshold as it is loaded, so no load makes measure_report fail:
SELECT throws_ok($$INSERT INTO finmon.settings_import VALUES ('T1', 'small_number_threshold', 'five')$$,
                 '22P02', NULL, 'settings_import refuses a threshold that is not a count');
-- a constraint that T1's rows break stands for a failing view.
ALTER TABLE finmon_data.measures_period ADD CONSTRAINT tap_failing CHECK (council <> 'T1') NOT VALID;
INSERT INTO finmon.values_import VALUES ('T1', 'M', 'A', '2016-02', '60'), ('T2', 'M', 'A', '2016-02', '45');
INSERT INTO finmon.revenue_import VALUES ('T1', '2018-19', '5', 'C', '50', '80');
CREATE TEMP TABLE run3 AS SELECT * FROM finmon.refresh_period_views();
SELECT is((SELECT status || ' ' || error FROM run3 WHERE view_name = 'measures_period' AND council = 'T1'),
          'failed 23514: new row for relation "measures_period" violates check constraint "tap_failing"',
          'the failing view is reported with its SQLSTATE and message');
SELECT is((SELECT string_agg(view_name || COALESCE('/' || council, '') || ':' || status, ' ' ORDER BY view_name, council)
             FROM run3 WHERE view_name <> 'measures_period'),
          'capital_period:unchanged grants_period:unchanged reserves_period:unchanged revenue_figures_period/T1:ok revenue_spend_period/T1:ok revenue_table_figures_period/T1:ok savings_period:unchanged',
          'the others are refreshed where their figures changed');
SELECT is((SELECT count(*) FROM finmon.measures_period WHERE council = 'T1'), 1::bigint, 'the failed view keeps its previous contents');
SELECT is((SELECT forecast_outturn FROM finmon.revenue_period WHERE council = 'T1' AND financial_year = '2018-19' AND path = ''), 200::numeric,
          'while revenue_period has the new figures');
SELECT is((SELECT (rows, status)::text FROM finmon.refresh_log WHERE view_name = 'measures_period' AND council = 'T1' ORDER BY id DESC LIMIT 1),
          '(,failed)', 'the log has no row count for a failure');
SELECT is((SELECT string_agg(format('%s:%s', council, status), ' ' ORDER BY council) FROM run3 WHERE view_name = 'measures_period'),
          'T1:failed T2:ok', 'one council''s failure does not hold back the other council''s refresh of the view');
SELECT is((SELECT count(*) FROM finmon.measures_period WHERE council = 'T2'), 2::bigint, 'which shows T2''s new month');

-- Without pg_cron, schedule_refresh says how to schedule it (a NOTICE) and schedules nothing.
SET client_min_messages = warning;
SELECT is(finmon.schedule_refresh(), NULL, 'schedule_refresh without pg_cron returns NULL');

SELECT * FROM finish();
ROLLBACK;
