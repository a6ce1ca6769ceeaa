-- pgTAP: closed periods (every kind of figure refused with 55000 until reopened with a
-- reason), the audit log (inserts, updates, deletes, no-op reloads, closes and reopens, who),
-- forecast_history, and each role's privileges, run as that role (42501 where refused),
-- including a caller who tries to use the SECURITY DEFINER functions.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(102);

-- Runs a statement as a role; returns 'ok' or the SQLSTATE it failed with.  (pgTAP's own
-- bookkeeping stays with the test's user.)
CREATE FUNCTION pg_temp.as_role(role_name text, statement text) RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        EXECUTE format('SET ROLE %I', role_name);
        EXECUTE statement;
        RESET ROLE;
        RETURN 'ok';
    EXCEPTION WHEN OTHERS THEN
        RETURN SQLSTATE;
    END;
END;
$$;

-- Roles -------------------------------------------------------------------------------

SELECT has_role('finmon_reader');
SELECT has_role('finmon_editor');
SELECT has_role('finmon_admin');
SELECT ok(pg_has_role('finmon_admin', 'finmon_editor', 'MEMBER') AND pg_has_role('finmon_editor', 'finmon_reader', 'MEMBER'),
          'an admin is an editor, an editor a reader');
SELECT ok(NOT (SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = 'finmon_guard'),
          'finmon_guard, which owns the tables, cannot log in and is not a superuser');

-- Figures of two periods.
INSERT INTO finmon.revenue_import VALUES
    ('2020-21', '3', 'A > B', '100', '110'), ('2020-21', '3', 'C', '50', '40'),
    ('2020-21', '4', 'A > B', '100', '120'), ('2020-21', '4', 'C', '50', '45'),
    ('2020-21', '12', 'A > B', '100', '115'), ('2020-21', '12', 'C', '50', '50');
INSERT INTO finmon.commentary_import VALUES ('2020-21', '3', 'C', 'Underspend on C.');
INSERT INTO finmon.savings_plan_import VALUES ('S1', 'Saving', '', '2020-21', '-10');
INSERT INTO finmon.savings_forecast_import VALUES ('2020-21', '3', 'S1', '-5', '');
INSERT INTO finmon.reserves_import VALUES ('2020-21', '3', 'R', 'reserve', '10', '', '-5', '');
INSERT INTO finmon.capital_import VALUES ('2020-21', '3', 'K', '20', '15', '', 'false');
INSERT INTO finmon.grants_import VALUES ('2020-21', '3', 'G', 'GS', '1', '2', '1');
INSERT INTO finmon.measures_import VALUES ('M', 'A measure', '%', '100', '', 'higher');
INSERT INTO finmon.values_import VALUES ('M', 'Area', '2020-06', '50'), ('M', 'Area', '2019-20', '40');
INSERT INTO finmon.ledger_import VALUES ('2020-06-15', 'C', '5', 'L1');
INSERT INTO finmon.published_import VALUES ('2020-21', '3', 'revenue', '', 'budget', '0.000150', '£m', 'Table 1');

-- Closing ------------------------------------------------------------------------------

SELECT lives_ok($$SELECT finmon.close_period('2020-21', 3)$$, 'close_period closes a period');
SELECT is((SELECT (financial_year, period, closed_by = session_user)::text FROM finmon.closed_period),
          '(2020-21,3,t)', 'and records who closed it');
SELECT throws_ok($$SELECT finmon.close_period('2020-21', 3)$$, '55000', '2020-21 period 3 is already closed',
                 'closing it again: 55000');
SELECT throws_ok($$SELECT finmon.close_period('2020-22', 3)$$, '22007', NULL, 'a bad year: 22007');
SELECT throws_ok($$SELECT finmon.close_period('2020-21', 13)$$, '22023', NULL, 'a bad period: 22023');

-- Every kind of figure of the closed period is refused, whichever way it comes.
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2020-21', '3', 'C', '50', '41')$$, '55000',
                 'finmon.revenue: 2020-21 period 3 is closed, so its figures cannot change', 'revenue: a changed figure');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2020-21', '3', 'C', '50', '40')$$, '55000', NULL,
                 'revenue: a reload of the same figure');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2020-21', '3', 'D', '1', '1')$$, '55000', NULL,
                 'revenue: a new line');
SELECT throws_ok($$UPDATE finmon.revenue SET budget = 0 WHERE financial_year = '2020-21' AND period = 3$$, '55000', NULL,
                 'revenue: an UPDATE');
SELECT throws_ok($$DELETE FROM finmon.revenue WHERE financial_year = '2020-21' AND period = 3$$, '55000', NULL,
                 'revenue: a DELETE');
SELECT throws_ok($$TRUNCATE finmon.revenue CASCADE$$, '55000', NULL, 'revenue: a TRUNCATE while any period is closed');
SELECT throws_ok($$INSERT INTO finmon.commentary_import VALUES ('2020-21', '3', 'C', 'New words.')$$, '55000', NULL, 'commentary');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import VALUES ('2020-21', '3', 'S1', '-6', '')$$, '55000', NULL,
                 'savings forecasts');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import VALUES ('S1', 'Saving', '', '2020-21', '-11')$$, '55000', NULL,
                 'the savings plan of a year with a closed period');
SELECT throws_ok($$INSERT INTO finmon.reserves_import VALUES ('2020-21', '3', 'R', 'reserve', '10', '', '-6', '')$$, '55000', NULL,
                 'reserves');
SELECT throws_ok($$INSERT INTO finmon.capital_import VALUES ('2020-21', '3', 'K', '20', '16', '', 'false')$$, '55000', NULL, 'capital');
SELECT throws_ok($$INSERT INTO finmon.grants_import VALUES ('2020-21', '3', 'G', 'GS', '1', '2', '2')$$, '55000', NULL, 'grants');
SELECT throws_ok($$INSERT INTO finmon.values_import VALUES ('M', 'Area', '2020-06', '51')$$, '55000', NULL,
                 'a measure''s value for a month of the closed period');
SELECT throws_ok($$INSERT INTO finmon.activity_import VALUES ('M', 'Area', '2020-06', '1', '2')$$, '55000', NULL,
                 'a measure''s counts for a month of the closed period');
SELECT throws_ok($$INSERT INTO finmon.values_import VALUES ('M', 'Area', '2020-21', '45')$$, '55000', NULL,
                 'a measure''s value for the financial year of the closed period');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('2020-06-20', 'C', '1', 'L2')$$, '55000', NULL,
                 'a ledger transaction posted in the closed period');
SELECT throws_ok($$DELETE FROM finmon.ledger WHERE reference = 'L1'$$, '55000', NULL, 'deleting one');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import
                   SELECT '2020-21', 'C', p::text, '0.25' FROM generate_series(3, 6) p$$, '55000', NULL, 'a budget profile of the closed period');
SELECT throws_ok($$INSERT INTO finmon.published_import VALUES ('2020-21', '3', 'revenue', '', 'budget', '0.000151', '£m', 'Table 1')$$,
                 '55000', NULL, 'a printed figure of the closed period');
-- What a closed period's reports show is frozen too: its year to date, the savings targets
-- it shows for later years, measure definitions and the populations its months use.
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('2020-21', '2', 'C', '50', '40')$$, '55000', NULL,
                 'an earlier period of the year (its figures are in the closed period''s year to date)');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('2020-04-20', 'C', '1', 'L4')$$, '55000', NULL,
                 'a ledger transaction in an earlier period (spend to date)');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import VALUES ('S1', 'Saving', '', '2021-22', '-12')$$, '55000', NULL,
                 'next year''s target of a saving (the closed report shows it)');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('M', 'A measure, renamed', '%', '100', '', 'higher')$$, '55000', NULL,
                 'a measure''s definition');
SELECT lives_ok($$INSERT INTO finmon.measures_import VALUES ('M2', 'A new measure', '%', '100', '', 'higher')$$,
                'but a new measure is allowed');
SELECT throws_ok($$INSERT INTO finmon.population_import VALUES ('Area', '2020', '65+', '1000')$$, '55000', NULL,
                 'a population estimate that the closed months use');
SELECT lives_ok($$INSERT INTO finmon.population_import VALUES ('Area', '2021', '65+', '1000')$$,
                'but not one for a later year');
SELECT is((SELECT forecast_outturn FROM finmon.revenue WHERE financial_year = '2020-21' AND period = 3 AND line = 'C'),
          40::numeric, 'and nothing changed');

-- Other periods are open.
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES ('2020-21', '4', 'C', '50', '46')$$, 'period 4 is open');
SELECT lives_ok($$INSERT INTO finmon.ledger_import VALUES ('2020-07-20', 'C', '1', 'L3')$$, 'its ledger too');
SELECT lives_ok($$INSERT INTO finmon.values_import VALUES ('M', 'Area', '2020-07', '52')$$, 'and its measures');
SELECT lives_ok($$INSERT INTO finmon.values_import VALUES ('M', 'Area', '2019-20', '41')$$, 'and another year''s');

-- Reopening.
SELECT throws_ok($$SELECT finmon.reopen_period('2020-21', 3, '')$$, '22004', 'reopen_period row 1: reason is empty',
                 'reopening needs a reason: 22004');
SELECT throws_ok($$SELECT finmon.reopen_period('2020-21', 5, 'a reason')$$, '55000', '2020-21 period 5 is not closed',
                 'reopening an open period: 55000');
SELECT lives_ok($$SELECT finmon.reopen_period('2020-21', 3, 'C''s forecast was misstated in the paper')$$,
                'an admin reopens it with a reason');
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES ('2020-21', '3', 'C', '50', '41')$$, 'and its figures can change again');

-- The audit log -------------------------------------------------------------------------

SELECT is((SELECT (old_values ->> 'forecast_outturn', new_values ->> 'forecast_outturn', key::text, changed_by = session_user)::text
             FROM finmon.audit_log WHERE table_name = 'revenue' AND action = 'update' AND period = 3),
          '(40,41,"{""line"": ""C"", ""period"": 3, ""analysis"": """", ""financial_year"": ""2020-21""}",t)',
          'an update: old and new values, the row''s key and who');
SELECT is((SELECT count(*) FROM finmon.audit_log WHERE table_name = 'revenue' AND action = 'insert'), 6::bigint,
          'every inserted row');
INSERT INTO finmon.revenue_import VALUES ('2020-21', '4', 'A > B', '100', '120');
SELECT is((SELECT count(*) FROM finmon.audit_log WHERE table_name = 'revenue' AND period = 4 AND action = 'update'), 1::bigint,
          'reloading a figure unchanged is not a change (only C''s earlier update of period 4 is logged)');
DELETE FROM finmon.revenue WHERE financial_year = '2020-21' AND period = 12 AND line = 'C';
SELECT is((SELECT (old_values ->> 'budget', new_values IS NULL, financial_year, period)::text
             FROM finmon.audit_log WHERE action = 'delete'),
          '(50,t,2020-21,12)', 'a delete: the old values, with the row''s year and period');
SELECT is((SELECT string_agg(action || ' ' || COALESCE(reason, '-'), '; ' ORDER BY id) FROM finmon.audit_log WHERE table_name = 'closed_period'),
          'close -; reopen C''s forecast was misstated in the paper', 'every close and reopen, with the reason');
SELECT is((SELECT (key ->> 'transactions', new_values ->> 'amount') FROM finmon.audit_log WHERE table_name = 'ledger' ORDER BY id LIMIT 1)::text,
          '(1,5)', 'a ledger load is one row: how many transactions and their total');
SELECT is((SELECT count(*) FROM finmon.audit_log WHERE table_name = 'commentary'), 1::bigint, 'commentary is audited');
SELECT is((SELECT count(*) FROM finmon.audit_log WHERE table_name IN ('savings_plan', 'savings_forecast', 'reserve', 'capital',
                                                                        'grant_scheme', 'published_value', 'published')),
          10::bigint, 'so are savings, reserves, capital, grants, measures and printed figures');
SELECT lives_ok($$TRUNCATE finmon.population$$, 'a TRUNCATE of a table not tied to periods is allowed');
SELECT is((SELECT count(*) FROM finmon.audit_log WHERE action = 'truncate' AND table_name = 'population'), 1::bigint,
          'and logged');

-- Forecast history ------------------------------------------------------------------------

SELECT is((SELECT string_agg(period || ':' || forecast_outturn || ' ' || COALESCE(forecast_movement::text, '-') || ' '
                             || COALESCE(forecast_error::text, '-'), ', ' ORDER BY period)
             FROM finmon.forecast_history WHERE financial_year = '2020-21' AND line = 'A > B'),
          '3:110 - -5, 4:120 10 5, 12:115 -5 0',
          'each period''s forecast, its movement since the last report and its error against the outturn');
SELECT is((SELECT round(forecast_error_pct, 2) FROM finmon.forecast_history
            WHERE financial_year = '2020-21' AND line = 'A > B' AND period = 3), -4.35, 'the error as a % of the outturn');

-- Privileges, each as its role -------------------------------------------------------------

-- A reader reads the reports, and nothing else.
SELECT is(pg_temp.as_role('finmon_reader', 'SELECT * FROM finmon.revenue_report'), 'ok', 'reader: reads revenue_report');
SELECT is(pg_temp.as_role('finmon_reader', 'SELECT * FROM finmon.revenue_period'), 'ok', 'reader: reads the period views');
SELECT is(pg_temp.as_role('finmon_reader', 'SELECT * FROM finmon.reconciliation'), 'ok', 'reader: reads the reconciliation');
SELECT is(pg_temp.as_role('finmon_reader', 'SELECT finmon.variance(1, 2)'), 'ok', 'reader: calls the functions the reports use');
SELECT is(pg_temp.as_role('finmon_reader', 'SELECT * FROM finmon.revenue'), '42501', 'reader: not the tables behind');
SELECT is(pg_temp.as_role('finmon_reader', $$INSERT INTO finmon.revenue_import VALUES ('2020-21', '5', 'C', '1', '1')$$), '42501',
          'reader: cannot load');
SELECT is(pg_temp.as_role('finmon_reader', 'SELECT finmon.refresh_period_views()'), '42501', 'reader: cannot refresh');
SELECT is(pg_temp.as_role('finmon_reader', $$SELECT finmon.close_period('2020-21', 5)$$), '42501', 'reader: cannot close a period');
SELECT is(pg_temp.as_role('finmon_reader', 'SELECT * FROM finmon.audit_log'), '42501', 'reader: cannot read the audit log');
SELECT is(pg_temp.as_role('finmon_reader', $$UPDATE finmon.setting SET value = 'x'$$), '42501', 'reader: cannot change settings');

-- An editor loads and refreshes, through the imports only.
SELECT is(pg_temp.as_role('finmon_editor', $$INSERT INTO finmon.revenue_import VALUES ('2020-21', '5', 'C', '50', '49')$$), 'ok',
          'editor: loads through an import');
SELECT is((SELECT changed_by FROM finmon.audit_log WHERE table_name = 'revenue' AND period = 5), session_user::text,
          'and the audit log names the login, not the role set');
SELECT is(pg_temp.as_role('finmon_editor', $$INSERT INTO finmon.commentary_import VALUES ('2020-21', '5', 'C', 'Words.')$$), 'ok',
          'editor: writes commentary');
SELECT is(pg_temp.as_role('finmon_editor', $$INSERT INTO finmon.ledger_import VALUES ('2020-08-01', 'C', '1', 'L9')$$), 'ok',
          'editor: loads ledger transactions');
SELECT is(pg_temp.as_role('finmon_editor', $$INSERT INTO finmon.ledger_import VALUES ('2020-08-01', 'Z', '1', 'L10')$$), '23503',
          'and its rows are checked as anyone''s are (a line with no figures: 23503)');
SELECT is(pg_temp.as_role('finmon_editor', 'SELECT finmon.refresh_period_views()'), 'ok', 'editor: refreshes the period views');
SELECT is(pg_temp.as_role('finmon_editor', $$DELETE FROM finmon.commentary WHERE period = 5$$), 'ok', 'editor: deletes figures');
SELECT is(pg_temp.as_role('finmon_editor', $$INSERT INTO finmon.revenue VALUES ('2020-21', 5, '', 'C', 1, 1)$$), '42501',
          'editor: cannot write a table directly, past the import''s checks');
SELECT is(pg_temp.as_role('finmon_editor', $$UPDATE finmon.revenue SET budget = 1$$), '42501', 'editor: nor update one');
SELECT is(pg_temp.as_role('finmon_editor', $$INSERT INTO finmon.audit_log (action, table_name) VALUES ('insert', 'x')$$), '42501',
          'editor: cannot write the audit log');
SELECT is(pg_temp.as_role('finmon_editor', $$SELECT finmon.close_period('2020-21', 5)$$), '42501', 'editor: cannot close a period');
SELECT is(pg_temp.as_role('finmon_editor', $$INSERT INTO finmon.setting VALUES ('service_name', 'x')$$), '42501',
          'editor: cannot change settings');
SELECT is(pg_temp.as_role('finmon_editor', $$INSERT INTO finmon.revenue_table VALUES ('t', NULL, 'T')$$), '42501',
          'editor: cannot change table layouts');
-- An editor cannot make one load's rows pass for another's by changing settings mid-load:
-- 2020-21's shares sum to 1.5; the last row switches the load number (as finmon kept it in a
-- setting before 1.0.0) to one whose only line sums to 1, but the end-of-load check still
-- sees 2020-21.
SELECT is(pg_temp.as_role('finmon_editor',
          $$INSERT INTO finmon.budget_profile_import
            SELECT '2020-21', 'C', p::text, '0.25' FROM generate_series(7, 12) p
            UNION ALL
            SELECT '2021-22', 'C', '1', '1' || left(set_config('finmon.import_batch', '999999', true), 0)$$), '23514',
          'editor: changing finmon.import_batch between rows does not get past the end-of-load check');
-- A caller trying the SECURITY DEFINER functions: they are triggers, not callable, and
-- cannot be attached to a table of the caller's.
SELECT is(pg_temp.as_role('finmon_editor', $$SELECT finmon.revenue_import_row()$$), '42501',
          'editor: cannot call an import''s trigger function');
SELECT is(pg_temp.as_role('finmon_editor', $$CREATE TEMP TABLE mine (financial_year text, period int)$$), 'ok',
          'editor: makes a table of its own');
SELECT is(pg_temp.as_role('finmon_editor',
          $$CREATE TRIGGER forge AFTER INSERT ON mine REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION finmon.guard_change('period', 'financial_year')$$), '42501',
          'editor: cannot attach the audit trigger to a table of its own to forge audit rows');
SELECT is(pg_temp.as_role('finmon_editor', $$SELECT finmon.ledger_partition('2030-31')$$), 'ok',
          'editor: creates a ledger year''s partition');
SELECT is((SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'finmon.ledger_2030_31'::regclass), 'finmon_guard',
          'which belongs to finmon_guard, like the rest of the ledger');
SELECT is(pg_temp.as_role('finmon_editor', $$SELECT finmon.ledger_partition('2030; DROP TABLE finmon.revenue')$$), '22007',
          'editor: a financial year that is not one is refused before any SQL is built');

-- An admin closes, reopens, and manages layouts and settings; still cannot forge the log.
SELECT is(pg_temp.as_role('finmon_admin', $$SELECT finmon.close_period('2020-21', 5)$$), 'ok', 'admin: closes a period');
SELECT is(pg_temp.as_role('finmon_admin', $$SELECT finmon.reopen_period('2020-21', 5, 'Late journal')$$), 'ok', 'admin: reopens it');
SELECT is(pg_temp.as_role('finmon_admin', $$INSERT INTO finmon.setting VALUES ('service_name', 'Adult Social Care')$$), 'ok',
          'admin: changes settings');
SELECT is(pg_temp.as_role('finmon_admin', $$INSERT INTO finmon.revenue_table VALUES ('t', NULL, 'T')$$), 'ok',
          'admin: changes table layouts');
SELECT is(pg_temp.as_role('finmon_admin', 'SELECT * FROM finmon.audit_log'), 'ok', 'admin: reads the audit log');
SELECT is(pg_temp.as_role('finmon_admin', $$DELETE FROM finmon.audit_log$$), '42501', 'admin: cannot delete from it');
SELECT is(pg_temp.as_role('finmon_admin', $$UPDATE finmon.audit_log SET reason = 'x'$$), '42501', 'admin: nor change it');
SELECT is(pg_temp.as_role('finmon_admin', $$DELETE FROM finmon.closed_period$$), '42501',
          'admin: reopens only through reopen_period (with a reason), not by deleting');
SELECT is((SELECT count(*) FROM finmon.audit_log WHERE table_name = 'setting' AND action = 'insert'), 1::bigint,
          'the admin''s setting is in the audit log');

-- PUBLIC: nothing.
CREATE ROLE finmon_tap_nobody;
SELECT is(pg_temp.as_role('finmon_tap_nobody', 'SELECT * FROM finmon.revenue_report'), '42501', 'a role with no finmon role reads nothing');
SELECT is(pg_temp.as_role('finmon_tap_nobody', 'SELECT finmon.variance(1, 2)'), '42501', 'and calls nothing');
SELECT is((SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a
            WHERE p.pronamespace = 'finmon'::regnamespace AND a.grantee = 0), 0::bigint,
          'no function of finmon is granted to PUBLIC');
SELECT is((SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.relnamespace = 'finmon'::regnamespace AND a.grantee = 0), 0::bigint,
          'no table or view either');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'finmon'::regnamespace AND p.prosecdef
              AND (pg_get_userbyid(p.proowner) <> 'finmon_guard' OR p.proconfig IS NULL
                   OR NOT 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig))),
          NULL, 'every SECURITY DEFINER function is owned by finmon_guard and sets search_path = pg_catalog, pg_temp');

-- The guard must not be a login: CREATE EXTENSION will not hand the tables to one.
DROP EXTENSION finmon;
ALTER ROLE finmon_guard LOGIN;
SELECT throws_ok($$CREATE EXTENSION finmon$$, '42710', 'role finmon_guard already exists and can log in or is a superuser',
                 'CREATE EXTENSION refuses an existing finmon_guard that can log in: 42710');

SELECT * FROM finish();
ROLLBACK;
