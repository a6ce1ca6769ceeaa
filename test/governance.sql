-- pgTAP: closed periods (every kind of figure of a council refused with 55000 until reopened
-- with a reason, another council's untouched), the audit log (inserts, updates, deletions,
-- no-op reloads, closes, reopens and grants, who, whose), forecast_history, and each role's
-- privileges, run as that role (42501 where refused), including a caller who tries to use
-- the write path's own functions.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(169);

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
        RESET ROLE;
        RETURN SQLSTATE;
    END;
END;
$$;

-- The relations finmon.data_dictionary lists, read as a role.
CREATE FUNCTION pg_temp.dictionary_as(role_name text) RETURNS SETOF text
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET ROLE %I', role_name);
    RETURN QUERY SELECT DISTINCT schema_name || '.' || relation FROM finmon.data_dictionary;
    RESET ROLE;
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

-- Two councils, and a reader, an editor and an admin of each (T1's, and one of T2's).
INSERT INTO finmon.council_import VALUES ('T1', 'First council'), ('T2', 'Second council');
CREATE ROLE finmon_tap_reader IN ROLE finmon_reader;
CREATE ROLE finmon_tap_editor IN ROLE finmon_editor;
CREATE ROLE finmon_tap_admin IN ROLE finmon_admin;
CREATE ROLE finmon_tap_editor2 IN ROLE finmon_editor;
SELECT finmon.grant_council(r, 'T1') FROM unnest(ARRAY['finmon_tap_reader', 'finmon_tap_editor', 'finmon_tap_admin']) AS r;
SELECT finmon.grant_council('finmon_tap_editor2', 'T2');
SELECT ok((SELECT 'security_barrier=true' = ANY (c.reloptions) FROM pg_class c WHERE c.oid = 'finmon_data.council_grants'::regclass),
          'council_grants is a security barrier: a function of the caller''s in a WHERE clause sees only the grants it shows');

-- Figures of two periods for T1, and the same for T2 (its own figures, same keys).
INSERT INTO finmon.revenue_import VALUES
    ('T1', '2020-21', '3', 'A > B', '100', '110'), ('T1', '2020-21', '3', 'C', '50', '40'),
    ('T1', '2020-21', '4', 'A > B', '100', '120'), ('T1', '2020-21', '4', 'C', '50', '45'),
    ('T1', '2020-21', '12', 'A > B', '100', '115'), ('T1', '2020-21', '12', 'C', '50', '50'),
    ('T2', '2020-21', '3', 'A > B', '200', '210'), ('T2', '2020-21', '3', 'C', '70', '70');
INSERT INTO finmon.commentary_import VALUES ('T1', '2020-21', '3', 'C', 'Underspend on C.'), ('T2', '2020-21', '3', 'C', 'On budget.');
INSERT INTO finmon.savings_plan_import VALUES ('T1', 'S1', 'Saving', '', '2020-21', '-10'), ('T2', 'S1', 'Saving', '', '2020-21', '-20');
INSERT INTO finmon.savings_forecast_import VALUES ('T1', '2020-21', '3', 'S1', '-5', ''), ('T2', '2020-21', '3', 'S1', '-20', '');
INSERT INTO finmon.reserves_import VALUES ('T1', '2020-21', '3', 'R', 'reserve', '10', '', '-5', ''), ('T2', '2020-21', '3', 'R', 'reserve', '9', '', '-1', '');
INSERT INTO finmon.capital_import VALUES ('T1', '2020-21', '3', 'K', '20', '15', '', 'false'), ('T2', '2020-21', '3', 'K', '2', '1', '', 'false');
INSERT INTO finmon.grants_import VALUES ('T1', '2020-21', '3', 'G', 'GS', '1', '2', '1'), ('T2', '2020-21', '3', 'G', 'GS', '3', '0', '1');
INSERT INTO finmon.measures_import VALUES ('M', 'A measure', '%', '100', '', 'higher');
INSERT INTO finmon.values_import VALUES ('T1', 'M', 'Area', '2020-06', '50'), ('T1', 'M', 'Area', '2019-20', '40'),
                                        ('T2', 'M', 'Area2', '2020-06', '60');
INSERT INTO finmon.ledger_import VALUES ('T1', '2020-06-15', 'C', '5', 'L1'), ('T2', '2020-06-15', 'C', '7', 'L1');
INSERT INTO finmon.published_import VALUES ('T1', '2020-21', '3', 'revenue', '', 'budget', '0.000150', '£m', 'Table 1');

-- Closing ------------------------------------------------------------------------------

SELECT lives_ok($$SELECT finmon.close_period('T1', '2020-21', 3)$$, 'close_period closes a council''s period');
SELECT is((SELECT (council, financial_year, period, closed_by = current_user)::text FROM finmon.closed_period),
          '(T1,2020-21,3,t)', 'and records whose and who closed it');
SELECT throws_ok($$SELECT finmon.close_period('T1', '2020-21', 3)$$, '55000', '2020-21 period 3 of council T1 is already closed',
                 'closing it again: 55000');
SELECT throws_ok($$SELECT finmon.close_period('T1', '2020-22', 3)$$, '22007', NULL, 'a bad year: 22007');
SELECT throws_ok($$SELECT finmon.close_period('T1', '2020-21', 13)$$, '22023', NULL, 'a bad period: 22023');
SELECT throws_ok($$SELECT finmon.close_period('T9', '2020-21', 3)$$, '23503', NULL, 'an unknown council: 23503');
SELECT throws_ok($$SELECT finmon.close_period('2020-21', 3)$$, '22004', NULL,
                 'the 1.0 form with two councils and no finmon.council: 22004');

-- Every kind of T1's figure of the closed period is refused, whichever way it comes.
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '3', 'C', '50', '41')$$, '55000',
                 'finmon_data.revenue: 2020-21 period 3 of council T1 is closed, so its figures cannot change', 'revenue: a changed figure');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '3', 'C', '50', '40')$$, '55000', NULL,
                 'revenue: a reload of the same figure');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '3', 'D', '1', '1')$$, '55000', NULL,
                 'revenue: a new line');
SELECT throws_ok($$SELECT finmon.delete_figures('revenue', '2020-21', 3, 'T1')$$, '55000', NULL,
                 'revenue: deleting the period''s figures');
SELECT throws_ok($$INSERT INTO finmon.commentary_import VALUES ('T1', '2020-21', '3', 'C', 'New words.')$$, '55000', NULL, 'commentary');
SELECT throws_ok($$INSERT INTO finmon.savings_forecast_import VALUES ('T1', '2020-21', '3', 'S1', '-6', '')$$, '55000', NULL,
                 'savings forecasts');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import VALUES ('T1', 'S1', 'Saving', '', '2020-21', '-11')$$, '55000', NULL,
                 'the savings plan of a year with a closed period');
SELECT throws_ok($$INSERT INTO finmon.reserves_import VALUES ('T1', '2020-21', '3', 'R', 'reserve', '10', '', '-6', '')$$, '55000', NULL,
                 'reserves');
SELECT throws_ok($$INSERT INTO finmon.capital_import VALUES ('T1', '2020-21', '3', 'K', '20', '16', '', 'false')$$, '55000', NULL, 'capital');
SELECT throws_ok($$INSERT INTO finmon.grants_import VALUES ('T1', '2020-21', '3', 'G', 'GS', '1', '2', '2')$$, '55000', NULL, 'grants');
SELECT throws_ok($$INSERT INTO finmon.values_import VALUES ('T1', 'M', 'Area', '2020-06', '51')$$, '55000', NULL,
                 'a measure''s value for a month of the closed period');
SELECT throws_ok($$INSERT INTO finmon.activity_import VALUES ('T1', 'M', 'Area', '2020-06', '1', '2')$$, '55000', NULL,
                 'a measure''s counts for a month of the closed period');
SELECT throws_ok($$INSERT INTO finmon.values_import VALUES ('T1', 'M', 'Area', '2020-21', '45')$$, '55000', NULL,
                 'a measure''s value for the financial year of the closed period');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2020-06-20', 'C', '1', 'L2')$$, '55000', NULL,
                 'a ledger transaction posted in the closed period');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2020-12-01', 'C', '5', 'L1')$$, '55000',
                 'finmon_data.ledger: 2020-21 period 3 of council T1 is closed, so its figures cannot change',
                 'a ledger transaction of the closed period moved to a later, open period (the row it replaces is closed)');
SELECT throws_ok($$SELECT finmon.delete_figures('ledger', '2020-21', NULL, 'T1')$$, '55000', NULL, 'deleting the year''s ledger');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import
                   SELECT 'T1', '2020-21', 'C', p::text, '0.25' FROM generate_series(3, 6) p$$, '55000', NULL,
                 'a budget profile of the closed period');
SELECT throws_ok($$INSERT INTO finmon.published_import VALUES ('T1', '2020-21', '3', 'revenue', '', 'budget', '0.000151', '£m', 'Table 1')$$,
                 '55000', NULL, 'a printed figure of the closed period');
SELECT throws_ok($$INSERT INTO finmon.stated_import VALUES ('T1', '2020-21', '3', 'reserves', 'R', 'closing_balance', '5')$$,
                 '55000', NULL, 'a stated figure of the closed period');
-- What a closed period's reports show is frozen too: its year to date, the savings targets
-- it shows for later years, measure definitions and the populations its months use.
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '2', 'C', '50', '40')$$, '55000', NULL,
                 'an earlier period of the year (its figures are in the closed period''s year to date)');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2020-04-20', 'C', '1', 'L4')$$, '55000', NULL,
                 'a ledger transaction in an earlier period (spend to date)');
SELECT throws_ok($$INSERT INTO finmon.savings_plan_import VALUES ('T1', 'S1', 'Saving', '', '2021-22', '-12')$$, '55000', NULL,
                 'next year''s target of a saving (the closed report shows it)');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('M', 'A measure, renamed', '%', '100', '', 'higher')$$, '55000',
                 'finmon.measure: 2020-21 period 3 of council T1 is closed, so its figures cannot change',
                 'a measure''s definition, which T1''s closed period uses');
SELECT lives_ok($$INSERT INTO finmon.measures_import VALUES ('M2', 'A new measure', '%', '100', '', 'higher')$$,
                'but a new measure is allowed');
SELECT is((SELECT string_agg((measure, title, unit, multiplier, polarity)::text, ' ' ORDER BY measure) FROM finmon.measure),
          '(M,"A measure",%,100,higher) (M2,"A new measure",%,100,higher)', 'and is stored beside M, which is unchanged');
SELECT throws_ok($$INSERT INTO finmon.population_import VALUES ('T1', 'Area', '2020', '65+', '1000')$$, '55000', NULL,
                 'a population estimate that the closed months use');
SELECT lives_ok($$INSERT INTO finmon.population_import VALUES ('T1', 'Area', '2021', '65+', '1000')$$,
                'but not one for a later year');
SELECT is((SELECT string_agg((council, area, year, age_band, population)::text, ' ') FROM finmon.population),
          '(T1,Area,2021,65+,1000)', 'which is stored, and the refused 2020 estimate is not');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('T2', '2020-21', '3', 'C', '70', '71'),
                                                           ('T1', '2020-21', '3', 'C', '50', '41')$$, '55000', NULL,
                 'a load for two councils, one of whose periods is closed, is refused as a whole');
SELECT is((SELECT string_agg(council || ':' || forecast_outturn, ' ' ORDER BY council) FROM finmon_data.revenue
            WHERE financial_year = '2020-21' AND period = 3 AND line = 'C'),
          'T1:40 T2:70', 'and nothing changed');

-- The other council's same period is open, and so are T1's other periods.
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES ('T2', '2020-21', '3', 'C', '70', '72')$$,
                'T2''s period 3 is open: closing is per council');
SELECT is((SELECT string_agg(council || ':' || budget || ':' || forecast_outturn, ' ' ORDER BY council) FROM finmon_data.revenue
            WHERE financial_year = '2020-21' AND period = 3 AND line = 'C'),
          'T1:50:40 T2:70:72', 'T2''s forecast is now 72, T1''s closed figure still 40');
SELECT lives_ok($$INSERT INTO finmon.ledger_import VALUES ('T2', '2020-06-20', 'C', '1', 'L2')$$, 'its ledger too');
SELECT is((SELECT string_agg(format('%s %s %s/%s %s %s', council, reference, financial_year, period, posting_date, amount), ', '
                             ORDER BY council, reference) FROM finmon_data.ledger),
          'T1 L1 2020-21/3 2020-06-15 5, T2 L1 2020-21/3 2020-06-15 7, T2 L2 2020-21/3 2020-06-20 1',
          'T2''s transaction is stored in its period 3; T1''s ledger has no L2');
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '4', 'C', '50', '46')$$, 'T1''s period 4 is open');
SELECT is((SELECT forecast_outturn FROM finmon_data.revenue WHERE council = 'T1' AND financial_year = '2020-21' AND period = 4 AND line = 'C'),
          46::numeric, 'T1''s period 4 forecast for C is now 46 (was 45)');
SELECT lives_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2020-07-20', 'C', '1', 'L3')$$, 'its ledger too');
SELECT is((SELECT string_agg(format('%s %s/%s %s %s', reference, financial_year, period, posting_date, amount), ', ' ORDER BY reference)
             FROM finmon_data.ledger WHERE council = 'T1'),
          'L1 2020-21/3 2020-06-15 5, L3 2020-21/4 2020-07-20 1', 'T1''s July transaction is stored in period 4');
SELECT lives_ok($$INSERT INTO finmon.values_import VALUES ('T1', 'M', 'Area', '2020-07', '52')$$, 'and its measures');
SELECT is((SELECT value FROM finmon_data.published_value WHERE council = 'T1' AND measure = 'M' AND area = 'Area' AND period = '2020-07'),
          52::numeric, 'the July value is stored');
SELECT lives_ok($$INSERT INTO finmon.values_import VALUES ('T1', 'M', 'Area', '2019-20', '41')$$, 'and another year''s');
SELECT is((SELECT string_agg(period || ':' || value, ' ' ORDER BY period) FROM finmon_data.published_value WHERE council = 'T1'),
          '2019-20:41 2020-06:50 2020-07:52', 'the 2019-20 value is replaced (40 by 41), the closed June one kept');

-- Reopening.
SELECT throws_ok($$SELECT finmon.reopen_period('T1', '2020-21', 3, '')$$, '22004', 'reopen_period: reason is empty',
                 'reopening needs a reason: 22004');
SELECT throws_ok($$SELECT finmon.reopen_period('T1', '2020-21', 5, 'a reason')$$, '55000', '2020-21 period 5 of council T1 is not closed',
                 'reopening an open period: 55000');
SELECT throws_ok($$SELECT finmon.reopen_period('T2', '2020-21', 3, 'a reason')$$, '55000', NULL,
                 'reopening another council''s period of the same number: it is not closed');
SELECT lives_ok($$SELECT finmon.reopen_period('T1', '2020-21', 3, 'C''s forecast was misstated in the paper')$$,
                'an admin reopens it with a reason');
SELECT is((SELECT count(*) FROM finmon.closed_period), 0::bigint, 'and it is closed no longer (nor is any other)');
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '3', 'C', '50', '41')$$, 'and its figures can change again');
SELECT is((SELECT (budget, forecast_outturn)::text FROM finmon_data.revenue WHERE council = 'T1' AND financial_year = '2020-21' AND period = 3 AND line = 'C'),
          '(50,41)', 'and C''s period 3 forecast is now 41');

-- The audit log -------------------------------------------------------------------------

SELECT is((SELECT (council, old_values ->> 'forecast_outturn', new_values ->> 'forecast_outturn', key::text, changed_by = current_user)::text
             FROM finmon_data.audit_log WHERE table_name = 'revenue' AND action = 'update' AND period = 3 AND council = 'T1'),
          '(T1,40,41,"{""line"": ""C"", ""period"": 3, ""council"": ""T1"", ""analysis"": """", ""financial_year"": ""2020-21""}",t)',
          'an update: whose, old and new values, the row''s key and who');
SELECT is((SELECT string_agg(council || ':' || count, ' ' ORDER BY council)
             FROM (SELECT council, count(*) FROM finmon_data.audit_log WHERE table_name = 'revenue' AND action = 'insert' GROUP BY 1) x),
          'T1:6 T2:2', 'every inserted row, with its council');
INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '4', 'A > B', '100', '120');
SELECT is((SELECT count(*) FROM finmon_data.audit_log WHERE table_name = 'revenue' AND period = 4 AND action = 'update'), 1::bigint,
          'reloading a figure unchanged is not a change (only C''s earlier update of period 4 is logged)');
SELECT is(finmon.delete_figures('revenue', '2020-21', 12, 'T1'), 2::bigint, 'delete_figures deletes a council''s period');
SELECT is((SELECT string_agg((council, old_values ->> 'budget', new_values IS NULL, financial_year, period)::text, ' ' ORDER BY old_values ->> 'line')
             FROM finmon_data.audit_log WHERE action = 'delete' AND table_name = 'revenue'),
          '(T1,100,t,2020-21,12) (T1,50,t,2020-21,12)', 'a deletion: the old values, with the row''s council, year and period');
SELECT is((SELECT string_agg(council || ' ' || action || ' ' || COALESCE(reason, '-'), '; ' ORDER BY id)
             FROM finmon_data.audit_log WHERE table_name = 'closed_period'),
          'T1 close -; T1 reopen C''s forecast was misstated in the paper', 'every close and reopen, with the reason');
SELECT is((SELECT string_agg(council || ':' || (key ->> 'transactions') || ':' || (new_values ->> 'amount'), ' ' ORDER BY council)
             FROM (SELECT DISTINCT ON (council) * FROM finmon_data.audit_log WHERE table_name = 'ledger' ORDER BY council, id) x),
          'T1:1:5 T2:1:7', 'a ledger load is one row per council: how many transactions and their total');
SELECT is((SELECT count(*) FROM finmon_data.audit_log WHERE table_name = 'commentary'), 2::bigint, 'commentary is audited');
SELECT is((SELECT count(*) FROM finmon_data.audit_log WHERE council = 'T1' AND table_name IN ('savings_plan', 'savings_forecast', 'reserve', 'capital',
                                                                        'grant_scheme', 'published_value', 'published')),
          10::bigint, 'so are savings, reserves, capital, grants, measures (4: three values and an update) and printed figures');
SELECT is((SELECT string_agg(council || ' ' || action, ', ' ORDER BY id) FROM finmon_data.audit_log WHERE table_name = 'measure'),
          '* insert, * insert', 'shared measure definitions are logged under ''*''');
SELECT is((SELECT count(*) FROM finmon_data.audit_log WHERE table_name = 'council_grant' AND action = 'grant'), 4::bigint,
          'every grant of a council is logged');

-- Forecast history ------------------------------------------------------------------------

SELECT is((SELECT string_agg(period || ':' || forecast_outturn || ' ' || COALESCE(forecast_movement::text, '-') || ' '
                             || COALESCE(forecast_error::text, '-'), ', ' ORDER BY period)
             FROM finmon.forecast_history WHERE council = 'T1' AND financial_year = '2020-21' AND line = 'A > B'),
          '3:110.00 - -, 4:120.00 10.00 -', 'each period''s forecast and its movement since the last report (no outturn: period 12 was deleted)');
INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '12', 'A > B', '100', '115'), ('T1', '2020-21', '12', 'C', '50', '50');
SELECT is((SELECT string_agg(period || ':' || forecast_outturn || ' ' || COALESCE(forecast_movement::text, '-') || ' '
                             || COALESCE(forecast_error::text, '-'), ', ' ORDER BY period)
             FROM finmon.forecast_history WHERE council = 'T1' AND financial_year = '2020-21' AND line = 'A > B'),
          '3:110.00 - -5.00, 4:120.00 10.00 5.00, 12:115.00 -5.00 0.00',
          'and, with the outturn loaded again, its error against the outturn');
SELECT is((SELECT round(forecast_error_pct, 2) FROM finmon.forecast_history
            WHERE council = 'T1' AND financial_year = '2020-21' AND line = 'A > B' AND period = 3), -4.35, 'the error as a % of the outturn');
SELECT is((SELECT string_agg(council, ' ' ORDER BY council) FROM finmon.forecast_history
            WHERE financial_year = '2020-21' AND line = '' AND period = 3), 'T1 T2', 'each council''s history is its own');

-- Privileges, each as its role -------------------------------------------------------------

-- A reader reads the reports (of its councils), and nothing else.
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT * FROM finmon.revenue_report'), 'ok', 'reader: reads revenue_report');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT * FROM finmon.revenue_period'), 'ok', 'reader: reads the period views');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT * FROM finmon.reconciliation'), 'ok', 'reader: reads the reconciliation');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT finmon.variance(1, 2)'), 'ok', 'reader: calls the functions the reports use');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT * FROM finmon_data.revenue'), '42501', 'reader: not the tables behind');
SELECT is(pg_temp.as_role('finmon_tap_reader', $$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '5', 'C', '1', '1')$$), '42501',
          'reader: cannot load');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT finmon.refresh_period_views()'), '42501', 'reader: cannot refresh');
SELECT is(pg_temp.as_role('finmon_tap_reader', $$SELECT finmon.close_period('T1', '2020-21', 5)$$), '42501', 'reader: cannot close a period');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT * FROM finmon_data.audit_log'), '42501', 'reader: cannot read the audit log');
SELECT is(pg_temp.as_role('finmon_tap_reader', $$UPDATE finmon.setting SET value = 'x'$$), '42501', 'reader: cannot change settings');
SELECT is(pg_temp.as_role('finmon_tap_reader', $$SELECT finmon.delete_figures('revenue', council => 'T1')$$), '42501',
          'reader: cannot delete figures');

-- An editor loads, deletes and refreshes its councils' figures, through the write path only.
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '5', 'C', '50', '49')$$), 'ok',
          'editor: loads its council''s figures through an import');
SELECT is((SELECT changed_by FROM finmon_data.audit_log WHERE table_name = 'revenue' AND period = 5), 'finmon_tap_editor',
          'and the audit log names the role the session ran as');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon.revenue_import VALUES ('T2', '2020-21', '5', 'C', '50', '49')$$), '42501',
          'editor: cannot load another council''s figures');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon.revenue_import VALUES ('T1', '2020-21', '6', 'C', '50', '49'),
                                                                                        ('T2', '2020-21', '6', 'C', '50', '49')$$), '42501',
          'editor: nor slip one row of another council into a load of its own');
SELECT is((SELECT count(*) FROM finmon_data.revenue WHERE period = 6), 0::bigint, 'and nothing of that load is kept');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SET finmon.council = 'T1';
                                                 INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn)
                                                 VALUES ('2020-21', '6', 'C', '50', '48')$$), 'ok',
          'editor: loads a 1.0-format file into the council finmon.council names');
RESET finmon.council;
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon.commentary_import VALUES ('T1', '2020-21', '5', 'C', 'Words.')$$), 'ok',
          'editor: writes commentary');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon.ledger_import VALUES ('T1', '2020-08-01', 'C', '1', 'L9')$$), 'ok',
          'editor: loads ledger transactions');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon.ledger_import VALUES ('T1', '2020-08-01', 'Z', '1', 'L10')$$), '23503',
          'and its rows are checked as anyone''s are (a line with no figures: 23503)');
SELECT is(pg_temp.as_role('finmon_tap_editor', 'SELECT finmon.refresh_period_views()'), 'ok', 'editor: refreshes the period views');
SELECT is((SELECT string_agg(DISTINCT council, ' ') FROM finmon.refresh_log WHERE status = 'ok'), 'T1',
          'of its own council only');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon.refresh_period_views(only_council => 'T2')$$), '42501',
          'editor: cannot refresh another council''s');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon.delete_figures('commentary', '2020-21', 5, 'T1')$$), 'ok',
          'editor: deletes its council''s figures through delete_figures');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon.delete_figures('commentary', '2020-21', 3, 'T2')$$), '42501',
          'editor: not another council''s');
SELECT is((SELECT count(*) FROM finmon_data.commentary WHERE council = 'T2'), 1::bigint, 'which are still there');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon.delete_figures('revenue_tables', council => 'T1')$$), '42501',
          'editor: nor layouts, which are an admin''s');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$DELETE FROM finmon_data.commentary WHERE period = 5$$), '42501',
          'editor: cannot delete from a table directly, past the write path');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon_data.revenue VALUES ('T1', '2020-21', 5, '', 'C', 1, 1)$$), '42501',
          'editor: nor write one');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$UPDATE finmon_data.revenue SET budget = 1$$), '42501', 'editor: nor update one');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$TRUNCATE finmon_data.revenue CASCADE$$), '42501', 'editor: nor truncate one');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon_data.audit_log (council, changed_by, action, table_name) VALUES ('T1', 'x', 'insert', 'x')$$), '42501',
          'editor: cannot write the audit log');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon.close_period('T1', '2020-21', 5)$$), '42501', 'editor: cannot close a period');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon.settings_import VALUES ('T1', 'service_name', 'x')$$), '42501',
          'editor: cannot change settings');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$INSERT INTO finmon.revenue_tables_import VALUES ('T1', 't', '', 'T')$$), '42501',
          'editor: cannot change table layouts');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon.grant_council('finmon_tap_reader', 'T2')$$), '42501',
          'editor: cannot give councils');
-- A caller trying the write path's own functions: not callable, and its triggers cannot be
-- attached to a view of the caller's.
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon_data.run_load('finmon.revenue_import'::regclass)$$), '42501',
          'editor: cannot run a load''s end itself');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon_data.load_query('finmon.revenue_import'::regclass, 'SELECT NULL::jsonb')$$), '42501',
          'editor: nor run a statement as the write path');
SELECT ok(NOT has_function_privilege('finmon_tap_editor', 'finmon_data.load_problem(oid, text, text, text, text, boolean, jsonb, text)', 'EXECUTE'),
          'editor: nor call the function that reports a load''s problem (it runs statements through load_query)');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon_data.role_councils('finmon_tap_editor2'::regrole)$$), '42501',
          'editor: nor ask another role''s councils');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$CREATE TEMP VIEW mine AS SELECT NULL::text AS council, NULL::text AS name WHERE false$$), 'ok',
          'editor: makes a view of its own');
SELECT is(pg_temp.as_role('finmon_tap_editor',
          $$CREATE TRIGGER forge AFTER INSERT ON mine FOR EACH STATEMENT EXECUTE FUNCTION finmon_data.import_end()$$), '42501',
          'editor: cannot attach the write path''s trigger to it');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon.ledger_partition('2030-31')$$), 'ok',
          'editor: creates a ledger year''s partition');
SELECT is((SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'finmon_data.ledger_2030_31'::regclass), 'finmon_guard',
          'which belongs to finmon_guard, like the rest of the ledger');
SELECT is(pg_temp.as_role('finmon_tap_editor', $$SELECT finmon.ledger_partition('2030; DROP TABLE finmon_data.revenue')$$), '22007',
          'editor: a financial year that is not one is refused before any SQL is built');

-- An admin closes and reopens its councils' periods, manages layouts, settings and who reads
-- them; still cannot forge the log.
SELECT is(pg_temp.as_role('finmon_tap_admin', $$SELECT finmon.close_period('T1', '2020-21', 5)$$), 'ok', 'admin: closes a period');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$SELECT finmon.close_period('T2', '2020-21', 5)$$), '42501',
          'admin: not another council''s');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$SELECT finmon.reopen_period('T1', '2020-21', 5, 'Late journal')$$), 'ok', 'admin: reopens it');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$INSERT INTO finmon.settings_import VALUES ('T1', 'service_name', 'Adult Social Care')$$), 'ok',
          'admin: changes settings');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$INSERT INTO finmon.revenue_tables_import VALUES ('T1', 't', '', 'T')$$), 'ok',
          'admin: changes table layouts');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$INSERT INTO finmon.revenue_tables_import VALUES ('T2', 't', '', 'T')$$), '42501',
          'admin: not another council''s');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$SELECT finmon.grant_council('finmon_tap_editor2', 'T1')$$), 'ok',
          'admin: gives its council to another role');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$SELECT finmon.grant_council('finmon_tap_reader', 'T2')$$), '42501',
          'admin: not another council');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$SELECT finmon.grant_council('finmon_tap_reader', '*')$$), '42501',
          'admin: nor every council');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$SELECT finmon.revoke_council('finmon_tap_editor2', 'T1')$$), 'ok',
          'admin: takes its council back');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$SELECT finmon.revoke_council('finmon_tap_editor2', 'T2')$$), '42501',
          'admin: not another council');
SELECT throws_ok($$SELECT finmon.grant_council('finmon_tap_no_such_role', 'T1')$$, '42704', NULL, 'granting to no role: 42704');
SELECT throws_ok($$SELECT finmon.grant_council('finmon_tap_reader', 'T9')$$, '23503', NULL, 'granting no council: 23503');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$INSERT INTO finmon.measures_import VALUES ('M3', 'Another', '%', '100', '', 'higher')$$), '42501',
          'admin: cannot change the measure definitions every council shares');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$INSERT INTO finmon.council_import VALUES ('T3', 'Third council')$$), '42501',
          'admin: nor the list of councils');
SELECT is(pg_temp.as_role('finmon_tap_admin', 'SELECT * FROM finmon_data.audit_log'), 'ok', 'admin: reads the audit log');
SELECT ok((SELECT count(*) FROM finmon_data.audit_log WHERE council NOT IN ('T1', '*')) > 0, 'which holds other councils'' rows');
SELECT is(pg_temp.as_role('finmon_tap_admin', $q$DO $do$ BEGIN
              IF (SELECT count(*) FROM finmon_data.audit_log WHERE council NOT IN ('T1', '*')) > 0 THEN RAISE EXCEPTION 'seen' USING ERRCODE = 'P0001'; END IF;
              IF (SELECT count(*) FROM finmon_data.audit_log WHERE council = 'T1') = 0 THEN RAISE EXCEPTION 'none' USING ERRCODE = 'P0002'; END IF;
          END $do$$q$), 'ok', 'but the admin sees only its council''s (and those of the shared measure definitions, council *)');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$DELETE FROM finmon_data.audit_log$$), '42501', 'admin: cannot delete from it');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$UPDATE finmon_data.audit_log SET reason = 'x'$$), '42501', 'admin: nor change it');
SELECT is(pg_temp.as_role('finmon_tap_admin', $$DELETE FROM finmon.closed_period$$), '42501',
          'admin: reopens only through reopen_period (with a reason), not by deleting');
SELECT is((SELECT count(*) FROM finmon_data.audit_log WHERE table_name = 'setting' AND action = 'insert'), 1::bigint,
          'the admin''s setting is in the audit log');

-- PUBLIC: nothing.
CREATE ROLE finmon_tap_nobody;
SELECT is(pg_temp.as_role('finmon_tap_nobody', 'SELECT * FROM finmon.revenue_report'), '42501', 'a role with no finmon role reads nothing');
SELECT is(pg_temp.as_role('finmon_tap_nobody', 'SELECT finmon.variance(1, 2)'), '42501', 'and calls nothing');
SELECT is((SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a
            WHERE p.pronamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND a.grantee = 0), 0::bigint,
          'no function of finmon is granted to PUBLIC');
SELECT is((SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND a.grantee = 0), 0::bigint,
          'no table or view either, in finmon or finmon_data');
SELECT is((SELECT count(*) FROM pg_namespace n, aclexplode(n.nspacl) a
            WHERE n.nspname IN ('finmon', 'finmon_data') AND a.grantee = 0), 0::bigint,
          'nor either schema');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND p.prosecdef
              AND (pg_get_userbyid(p.proowner) <> 'finmon_guard' OR p.proconfig IS NULL
                   OR NOT 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig))),
          NULL, 'every SECURITY DEFINER function is owned by finmon_guard and sets search_path = pg_catalog, pg_temp');
SELECT is((SELECT array_agg(c.oid::regclass::text || ' ' || a.privilege_type ORDER BY 1)
             FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind IN ('r', 'p')
              AND a.grantee IN (SELECT oid FROM pg_roles WHERE rolname IN ('finmon_reader', 'finmon_editor', 'finmon_admin'))
              AND a.privilege_type NOT IN ('SELECT')),
          NULL, 'no finmon role may INSERT, UPDATE, DELETE or TRUNCATE any table: every write goes through the write path');
SELECT is((SELECT array_agg(c.oid::regclass::text || ' ' || t.tgname ORDER BY 1)
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind <> 'v' AND NOT t.tgisinternal),
          NULL, 'no table of finmon or finmon_data has a trigger (only the import views do)');

SELECT is((SELECT array_agg(c.oid::regclass::text ORDER BY 1) FROM pg_class c
            WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND pg_get_userbyid(c.relowner) <> 'finmon_guard'),
          NULL, 'finmon_guard owns every table, view and sequence of finmon and finmon_data');
-- What a reader's navigator lists: schema finmon holds only what a reader may read.
SELECT is((SELECT array_agg(c.oid::regclass::text ORDER BY 1) FROM pg_class c
            WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
              AND NOT has_table_privilege('finmon_reader', c.oid, 'SELECT')),
          NULL, 'every relation in schema finmon (tables, views, sequences) is readable by finmon_reader');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'finmon_data'::regnamespace
              AND (has_function_privilege('finmon_editor', p.oid, 'EXECUTE') OR has_function_privilege('finmon_admin', p.oid, 'EXECUTE'))),
          NULL, 'the write path''s functions, in finmon_data, are the guard''s alone: no finmon role may call them');
SELECT ok((SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'finmon_data'::regnamespace
            AND p.proname IN ('run_load', 'load_query', 'write_sql', 'import_stage')) = 4
          AND NOT EXISTS (SELECT FROM pg_proc p WHERE p.pronamespace = 'finmon'::regnamespace
                           AND p.proname IN ('run_load', 'load_query', 'write_sql', 'import_stage')),
          'the write path''s machinery lives in finmon_data, not beside the reports');
SELECT is((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')),
          (SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
              AND pg_temp.as_role('finmon_tap_reader', format('SELECT FROM %s LIMIT 1', c.oid::regclass)) = 'ok'),
          'and a reader reads each of them without error');
SELECT is((SELECT array_agg(v.name ORDER BY v.name) FROM unnest(ARRAY['revenue_period', 'revenue_table_period', 'savings_period',
                  'reserves_period', 'capital_period', 'grants_period', 'measures_period']) AS v(name)
            WHERE NOT EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = 'finmon'::regnamespace AND c.relname = v.name AND c.relkind = 'v')),
          NULL, 'every period view of finmon is a view (a BI tool asking for views lists them all)');
SELECT ok(NOT has_schema_privilege('finmon_reader', 'finmon_data', 'USAGE')
          AND has_schema_privilege('finmon_editor', 'finmon_data', 'USAGE'),
          'finmon_data is not for readers: an editor may look in it, a reader may not');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT * FROM finmon_data.revenue'), '42501',
          'a reader reading a table of finmon_data is refused: 42501');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT * FROM finmon_data.measure_computed'), '42501',
          'a reader cannot read the measures'' figures before small-number suppression: 42501');
SELECT is(pg_temp.as_role('finmon_tap_reader', 'SELECT * FROM finmon.measure_report'), 'ok',
          'and reads them suppressed, in measure_report');
SELECT is(pg_temp.as_role('finmon_tap_editor', 'SELECT * FROM finmon_data.measure_computed'), 'ok',
          'an editor, who loads the counts, can');
-- The data dictionary lists, for the role reading it, exactly the relations it may read.
CREATE TEMP TABLE dictionary_readers AS
SELECT r.role_name, array_agg(DISTINCT d.relation ORDER BY d.relation) AS relations
  FROM unnest(ARRAY['finmon_tap_reader', 'finmon_tap_admin']) AS r(role_name),
       LATERAL pg_temp.dictionary_as(r.role_name) AS d(relation)
 GROUP BY r.role_name;
SELECT is((SELECT relations FROM dictionary_readers WHERE role_name = 'finmon_tap_reader'),
          (SELECT array_agg('finmon.' || c.relname::text ORDER BY 'finmon.' || c.relname::text) FROM pg_class c
            WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')),
          'data_dictionary lists to a reader every relation of finmon, and nothing of finmon_data');
SELECT ok((SELECT 'finmon_data.audit_log' = ANY (relations) FROM dictionary_readers WHERE role_name = 'finmon_tap_admin')
          AND NOT (SELECT 'finmon_data.audit_log' = ANY (relations) FROM dictionary_readers WHERE role_name = 'finmon_tap_reader'),
          'data_dictionary lists the audit log to an admin, not to a reader');
SELECT is((SELECT array_agg(d.column_name ORDER BY d.column_position) FROM finmon.data_dictionary d WHERE d.schema_name = 'finmon' AND d.relation = 'revenue_period'),
          (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
            WHERE a.attrelid = 'finmon.revenue_period'::regclass AND a.attnum > 0 AND NOT a.attisdropped),
          'data_dictionary gives revenue_period''s columns in order');
SELECT is((SELECT count(*) FROM finmon.data_dictionary d
            WHERE d.schema_name = 'finmon' AND d.relation = 'revenue_period' AND d.description IS DISTINCT FROM col_description('finmon.revenue_period'::regclass, d.column_position)),
          0::bigint, 'and each one''s COMMENT as its description');

-- The guard must not be a login: CREATE EXTENSION will not hand the tables to one.
DROP EXTENSION finmon;
ALTER ROLE finmon_guard LOGIN;
SELECT throws_ok($$CREATE EXTENSION finmon$$, '42710', 'role finmon_guard already exists and can log in or is a superuser',
                 'CREATE EXTENSION refuses an existing finmon_guard that can log in: 42710');
-- (on a Citus node the guard logs in with BYPASSRLS, and is accepted there; not without Citus)
ALTER ROLE finmon_guard BYPASSRLS;
SELECT throws_ok($$CREATE EXTENSION finmon$$, '42710', 'role finmon_guard already exists and can log in or is a superuser',
                 'without Citus, also one that can log in with BYPASSRLS: 42710');

SELECT * FROM finish();
ROLLBACK;
