-- pgTAP: many councils in one database.  Which council a row goes to (its own column, the
-- setting finmon.council, the only council), every report with two councils loaded equal to
-- the same report with each loaded alone (Norfolk and Brackenfield, the sample councils), and
-- row-level security over every relation a reader can select: a reader of one council sees
-- no row of the other, whatever it reads.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(57);

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

-- Which council a row goes to ----------------------------------------------------------------

SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn)
                   VALUES ('2018-19', '5', 'A', '1', '1')$$, '22004',
                 'revenue_import row 1: council is empty and no council is defined',
                 'a row without a council, and no council defined: 22004');
SELECT throws_ok($$INSERT INTO finmon.council_import VALUES ('*', 'Everyone')$$, '22023', NULL, 'a council cannot be called *');
SELECT throws_ok($$INSERT INTO finmon.council_import VALUES ('E 1', 'Spaced')$$, '22023', NULL, 'nor have a space in its code');
SELECT throws_ok($$INSERT INTO finmon.council_import VALUES ('E1', '')$$, '22004', 'council_import row 1: name is empty',
                 'a council needs a name: 22004');
INSERT INTO finmon.council_import VALUES ('X00000001', 'Brackenfield Borough Council (invented sample)');
SELECT lives_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn)
                  VALUES ('2030-31', '1', 'Only council line', '1', '1')$$,
                'with one council, a row that names none (a 1.0-format file loaded with a column list) is that council''s');
SELECT is((SELECT council FROM finmon_data.revenue WHERE financial_year = '2030-31'), 'X00000001', 'as stored');
SELECT is(finmon.delete_figures('revenue', '2030-31'), 1::bigint, 'and delete_figures, naming no council, uses it too');
INSERT INTO finmon.council_import VALUES ('E10000020', 'Norfolk County Council');
SELECT throws_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn)
                   VALUES ('2030-31', '1', 'A', '1', '1')$$, '22004',
                 'revenue_import row 1: council is empty and the database holds 2 councils',
                 'with two councils, a row that names none: 22004');
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('E99999999', '2030-31', '1', 'A', '1', '1')$$, '23503',
                 'revenue_import row 1: council "E99999999" is not defined', 'an unknown council: 23503 naming the row');
SELECT throws_ok($$SELECT finmon.delete_figures('revenue', '2030-31')$$, '22004', NULL,
                 'delete_figures with two councils and none named: 22004');
SET finmon.council = 'E10000020';
SELECT lives_ok($$INSERT INTO finmon.revenue_import (financial_year, period, line, budget, forecast_outturn)
                  VALUES ('2030-31', '1', 'Set council line', '1', '1')$$,
                'the setting finmon.council names the council of rows that name none');
SELECT is((SELECT council FROM finmon_data.revenue WHERE financial_year = '2030-31'), 'E10000020', 'as stored');
SELECT is(finmon.delete_figures('revenue', '2030-31'), 1::bigint, 'and of delete_figures');
RESET finmon.council;
SELECT lives_ok($$INSERT INTO finmon.revenue_import VALUES ('E10000020', '2030-31', '1', 'Same path', '1', '1'),
                                                           ('X00000001', '2030-31', '1', 'Same path', '2', '2')$$,
                'two councils may have the same line in one load: keys are per council');
SELECT is((SELECT string_agg(council || ':' || budget, ' ' ORDER BY council) FROM finmon.revenue_report
            WHERE financial_year = '2030-31' AND path = ''), 'E10000020:1.00 X00000001:2.00', 'and their totals do not mix');
SELECT finmon.delete_figures('revenue', '2030-31', 1, c) FROM unnest(ARRAY['E10000020', 'X00000001']) AS c;
SELECT throws_ok($$INSERT INTO finmon.revenue_import VALUES ('E10000020', '2030-31', '1', 'Twice', '1', '1'),
                                                           ('E10000020', '2030-31', '1', 'Twice', '2', '2')$$, '23505',
                 'revenue_import row 2: line "Twice" for 2030-31 period 1 appears twice in this load (first at row 1)',
                 'the same key twice in one council: 23505');

-- Every report, with both councils loaded, equals the same report with the council alone -----

-- Every relation a reader can select that holds councils' rows, and its rows of a council as
-- jsonb (pounds and all), to compare.
-- (grantee: the finmon role whose relations these are; finmon_editor also reads the internal
-- views and the tables.)
CREATE FUNCTION pg_temp.council_relations(grantee text DEFAULT 'finmon_reader') RETURNS SETOF regclass
    LANGUAGE sql AS $$
    SELECT c.oid::regclass FROM pg_class c
     WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
       AND c.relname NOT LIKE '%\_import'   -- the import views, which read as empty
       AND has_schema_privilege(grantee, c.relnamespace, 'USAGE') AND has_table_privilege(grantee, c.oid, 'SELECT')
       AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'council' AND NOT a.attisdropped)
     ORDER BY 1::text;
$$;
CREATE FUNCTION pg_temp.snapshot(council text) RETURNS TABLE (relation text, row_values jsonb)
    LANGUAGE plpgsql AS $$
DECLARE
    r regclass;
BEGIN
    FOR r IN SELECT * FROM pg_temp.council_relations() LOOP
        -- what differs between two loads of the same files: when, and which load, a row was written
        RETURN QUERY EXECUTE format('SELECT %L, to_jsonb(x) - ''loaded_at'' - ''import_batch'' - ''changed_at'' - ''id'' - ''run'' - ''started'' - ''finished'' FROM %s x WHERE x.council = $1',
                                    r::text, r) USING council;
    END LOOP;
END;
$$;

\copy finmon.council_import FROM 'data/brackenfield/councils.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_import FROM 'data/brackenfield/revenue.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_analysis_import FROM 'data/brackenfield/revenue_analysis.csv' WITH (FORMAT csv, HEADER)
\copy finmon.commentary_import FROM 'data/brackenfield/commentary.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_tables_import FROM 'data/brackenfield/revenue_tables.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_table_rows_import FROM 'data/brackenfield/revenue_table_rows.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_table_columns_import FROM 'data/brackenfield/revenue_table_columns.csv' WITH (FORMAT csv, HEADER)
\copy finmon.actuals_import FROM 'data/brackenfield/actuals.csv' WITH (FORMAT csv, HEADER)
\copy finmon.packages_import FROM 'data/brackenfield/packages.csv' WITH (FORMAT csv, HEADER)
\copy finmon.settings_import FROM 'data/brackenfield/settings.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_plan_import FROM 'data/brackenfield/savings_plan.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_forecast_import FROM 'data/brackenfield/savings_forecast.csv' WITH (FORMAT csv, HEADER)
\copy finmon.reserves_import FROM 'data/brackenfield/reserves.csv' WITH (FORMAT csv, HEADER)
\copy finmon.capital_import FROM 'data/brackenfield/capital.csv' WITH (FORMAT csv, HEADER)
\copy finmon.grants_import FROM 'data/brackenfield/grants.csv' WITH (FORMAT csv, HEADER)
\copy finmon.measures_import FROM 'data/brackenfield/measures.csv' WITH (FORMAT csv, HEADER)
\copy finmon.population_import FROM 'data/brackenfield/population.csv' WITH (FORMAT csv, HEADER)
\copy finmon.activity_import FROM 'data/brackenfield/activity.csv' WITH (FORMAT csv, HEADER)
\copy finmon.values_import FROM 'data/brackenfield/values.csv' WITH (FORMAT csv, HEADER)
\copy finmon.targets_import FROM 'data/brackenfield/targets.csv' WITH (FORMAT csv, HEADER)
\copy finmon.comparators_import FROM 'data/brackenfield/comparators.csv' WITH (FORMAT csv, HEADER)
\copy finmon.published_import FROM 'data/brackenfield/published.csv' WITH (FORMAT csv, HEADER)
INSERT INTO finmon.ledger_import VALUES ('X00000001', '2018-06-30', 'Management & Support', '1000.50', 'B1'),
                                        ('X00000001', '2018-09-30', 'Management & Support', '-20', 'B2');
SELECT is((SELECT count(*) FROM finmon.refresh_period_views() WHERE status = 'failed'), 0::bigint, 'Brackenfield alone: refreshed');
-- Statistics, as autovacuum would gather within a minute: without them the views read below
-- are planned as if every table were empty (commitment_forecast for one council then ran for
-- 20 to 60 s, re-sorting the packages for each of 7,600 revenue rows, against 23 ms).
ANALYZE;
CREATE TEMP TABLE brackenfield_alone AS SELECT * FROM pg_temp.snapshot('X00000001');

\copy finmon.revenue_import FROM 'data/norfolk/revenue.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_analysis_import FROM 'data/norfolk/revenue_analysis.csv' WITH (FORMAT csv, HEADER)
\copy finmon.commentary_import FROM 'data/norfolk/commentary.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_tables_import FROM 'data/norfolk/revenue_tables.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_table_rows_import FROM 'data/norfolk/revenue_table_rows.csv' WITH (FORMAT csv, HEADER)
\copy finmon.settings_import FROM 'data/norfolk/settings.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_plan_import FROM 'data/norfolk/savings_plan.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_forecast_import FROM 'data/norfolk/savings_forecast.csv' WITH (FORMAT csv, HEADER)
\copy finmon.reserves_import FROM 'data/norfolk/reserves.csv' WITH (FORMAT csv, HEADER)
\copy finmon.capital_import FROM 'data/norfolk/capital.csv' WITH (FORMAT csv, HEADER)
\copy finmon.grants_import FROM 'data/norfolk/grants.csv' WITH (FORMAT csv, HEADER)
\copy finmon.measures_import FROM 'data/norfolk/measures.csv' WITH (FORMAT csv, HEADER)
\copy finmon.values_import FROM 'data/norfolk/values.csv' WITH (FORMAT csv, HEADER)
\copy finmon.targets_import FROM 'data/norfolk/targets.csv' WITH (FORMAT csv, HEADER)
\copy finmon.comparators_import FROM 'data/norfolk/comparators.csv' WITH (FORMAT csv, HEADER)
\copy finmon.benchmarks_import FROM 'data/norfolk/benchmarks.csv' WITH (FORMAT csv, HEADER)
\copy finmon.published_import FROM 'data/norfolk/published.csv' WITH (FORMAT csv, HEADER)
INSERT INTO finmon.ledger_import VALUES ('E10000020', '2018-06-30', 'Business Development', '250', 'B1');
ANALYZE;   -- (as above)
SELECT is((SELECT count(*) FROM finmon.refresh_period_views() WHERE status = 'failed'), 0::bigint, 'both councils: refreshed');
SELECT is((SELECT string_agg(DISTINCT council, ' ') FROM finmon.refresh_log WHERE status = 'ok' AND run = (SELECT max(run) FROM finmon.refresh_log)),
          'E10000020', 'only the council that changed was recomputed');
CREATE TEMP TABLE brackenfield_both AS SELECT * FROM pg_temp.snapshot('X00000001');
CREATE TEMP TABLE norfolk_both AS SELECT * FROM pg_temp.snapshot('E10000020');

SELECT ok((SELECT count(DISTINCT relation) FROM brackenfield_alone) >= 40
          AND (SELECT count(*) FROM brackenfield_alone) > 2500, 'Brackenfield''s rows fill the relations a reader reads');
SELECT is((SELECT count(*) FROM (SELECT * FROM brackenfield_alone EXCEPT ALL SELECT * FROM brackenfield_both) x), 0::bigint,
          'every row of every report, period view and log of Brackenfield alone is there with Norfolk loaded');
SELECT is((SELECT count(*) FROM (SELECT * FROM brackenfield_both EXCEPT ALL SELECT * FROM brackenfield_alone) x), 0::bigint,
          'and no other');
-- An independent oracle: the grand totals straight from the leaf rows.
SELECT is((SELECT (budget, forecast_outturn)::text FROM finmon.revenue_report
            WHERE council = 'X00000001' AND financial_year = '2018-19' AND period = 9 AND path = ''),
          (SELECT (sum(budget)::numeric(18,2), sum(forecast_outturn)::numeric(18,2))::text FROM finmon_data.revenue
            WHERE council = 'X00000001' AND financial_year = '2018-19' AND period = 9 AND analysis = ''),
          'Brackenfield''s grand total is the sum of its own leaves');
SELECT is((SELECT (budget, forecast_outturn)::text FROM finmon.revenue_period
            WHERE council = 'E10000020' AND financial_year = '2018-19' AND period = 5 AND path = ''),
          '(252747000.00,254737000.00)', 'Norfolk''s, in its period view, the paper''s 252.747 and 254.737');

-- Now Brackenfield goes, figure by figure, through the write path: Norfolk alone is left.
SELECT finmon.delete_figures(f, council => 'X00000001')
  FROM unnest(ARRAY['published', 'comparators', 'targets', 'values', 'activity', 'population', 'grants', 'capital',
                    'reserves', 'savings_forecast', 'savings_plan', 'settings', 'revenue_table_columns', 'revenue_table_rows',
                    'revenue_tables', 'commentary', 'actuals', 'ledger', 'revenue_analysis', 'revenue']) AS f;
SELECT is((SELECT count(*) FROM finmon.refresh_period_views(force => true) WHERE status = 'failed'), 0::bigint,
          'Norfolk alone: every period view recomputed');
SELECT is((SELECT count(*) FROM finmon_data.ledger_summary WHERE council = 'X00000001'), 0::bigint,
          'deleting a council''s ledger empties its summaries');
CREATE TEMP TABLE norfolk_alone AS SELECT * FROM pg_temp.snapshot('E10000020');
-- the refresh log's rows of the runs since differ; the rest must not
DELETE FROM norfolk_alone WHERE relation = 'finmon.refresh_log';
DELETE FROM norfolk_both WHERE relation = 'finmon.refresh_log';
SELECT ok((SELECT count(*) FROM norfolk_alone) > 5000, 'Norfolk''s rows fill the relations a reader reads');
SELECT is((SELECT count(*) FROM (SELECT * FROM norfolk_alone EXCEPT ALL SELECT * FROM norfolk_both) x), 0::bigint,
          'every row of every report, period view and log of Norfolk alone was there with Brackenfield loaded');
SELECT is((SELECT count(*) FROM (SELECT * FROM norfolk_both EXCEPT ALL SELECT * FROM norfolk_alone) x), 0::bigint,
          'and no other');

-- Row-level security: a reader of one council, whatever it reads ----------------------------

\copy finmon.revenue_import FROM 'data/brackenfield/revenue.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_plan_import FROM 'data/brackenfield/savings_plan.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_forecast_import FROM 'data/brackenfield/savings_forecast.csv' WITH (FORMAT csv, HEADER)
\copy finmon.reserves_import FROM 'data/brackenfield/reserves.csv' WITH (FORMAT csv, HEADER)
\copy finmon.population_import FROM 'data/brackenfield/population.csv' WITH (FORMAT csv, HEADER)
\copy finmon.activity_import FROM 'data/brackenfield/activity.csv' WITH (FORMAT csv, HEADER)
\copy finmon.published_import FROM 'data/brackenfield/published.csv' WITH (FORMAT csv, HEADER)
INSERT INTO finmon.budget_profile_import
SELECT 'X00000001', '2018-19', 'Management & Support', p::text, CASE WHEN p % 3 = 0 THEN '0.25' ELSE '0' END
  FROM generate_series(1, 12) AS p;
SELECT finmon.close_period('X00000001', '2017-18', 12);
SELECT count(*) FROM finmon.refresh_period_views();
CREATE ROLE finmon_tap_norfolk IN ROLE finmon_admin;
CREATE ROLE finmon_tap_brackenfield IN ROLE finmon_admin;
CREATE ROLE finmon_tap_both IN ROLE finmon_reader;
CREATE ROLE finmon_tap_everyone IN ROLE finmon_admin;
CREATE ROLE finmon_tap_none IN ROLE finmon_reader;
SELECT finmon.grant_council('finmon_tap_norfolk', 'E10000020');
SELECT finmon.grant_council('finmon_tap_brackenfield', 'X00000001');
SELECT finmon.grant_council('finmon_tap_both', c) FROM unnest(ARRAY['E10000020', 'X00000001']) AS c;
SELECT finmon.grant_council('finmon_tap_everyone', '*');

-- Each relation's rows by council, as a role sees them: 'relation council:rows ...'.
CREATE FUNCTION pg_temp.seen_by(role_name text, grantee text DEFAULT 'finmon_reader') RETURNS TABLE (relation text, councils text)
    LANGUAGE plpgsql AS $$
DECLARE
    r regclass;
    seen text;
BEGIN
    FOR r IN SELECT * FROM pg_temp.council_relations(grantee) LOOP
        IF role_name IS NOT NULL THEN   -- NULL: as the test's superuser, every row
            EXECUTE format('SET LOCAL ROLE %I', role_name);
        END IF;
        EXECUTE format('SELECT string_agg(c || '':'' || n, '' '' ORDER BY c) FROM (SELECT COALESCE(council, ''-'') AS c, count(*) AS n FROM %s GROUP BY 1) x', r)
           INTO seen;
        RESET ROLE;
        relation := r::text;
        councils := seen;
        RETURN NEXT;
    END LOOP;
END;
$$;

CREATE TEMP TABLE seen AS
SELECT r.role_name, s.* FROM unnest(ARRAY['finmon_tap_norfolk', 'finmon_tap_brackenfield', 'finmon_tap_both',
                                          'finmon_tap_everyone', 'finmon_tap_none']) AS r(role_name)
 CROSS JOIN LATERAL pg_temp.seen_by(r.role_name) AS s;
SELECT is((SELECT array_agg(relation || ' ' || councils ORDER BY relation) FROM seen
            WHERE role_name = 'finmon_tap_norfolk' AND councils ~ 'X00000001'), NULL,
          'a Norfolk admin sees no row of Brackenfield in any relation it reads');
SELECT is((SELECT array_agg(relation || ' ' || councils ORDER BY relation) FROM seen
            WHERE role_name = 'finmon_tap_brackenfield' AND councils ~ 'E10000020'), NULL,
          'a Brackenfield admin sees no row of Norfolk in any relation it reads');
SELECT is((SELECT array_agg(relation || ' ' || councils ORDER BY relation) FROM seen
            WHERE role_name = 'finmon_tap_none' AND councils IS NOT NULL AND councils <> '-:' || split_part(councils, ':', 2)), NULL,
          'a reader given no council sees no council''s rows (at most the refresh log''s rows of no council)');
CREATE TEMP TABLE seen_all AS SELECT * FROM pg_temp.seen_by(NULL);
SELECT ok((SELECT count(*) FROM seen_all WHERE councils ~ 'E10000020') >= 30 AND (SELECT count(*) FROM seen_all WHERE councils ~ 'X00000001') >= 20,
          'both councils have rows in the reports, period views, appendices, reconciliation and logs a reader may read');
SELECT is((SELECT array_agg(a.relation ORDER BY a.relation) FROM seen_all a JOIN seen s USING (relation)
            WHERE s.role_name = 'finmon_tap_norfolk'
              AND NULLIF(btrim(regexp_replace(s.councils, '-:[0-9]+', '', 'g')), '') IS DISTINCT FROM (regexp_match(a.councils, 'E10000020:[0-9]+'))[1]),
          NULL, 'while a Norfolk admin sees every row of Norfolk''s in each of them (and the refresh log''s rows of no council)');
SELECT is((SELECT array_agg(a.relation ORDER BY a.relation) FROM seen_all a JOIN seen s USING (relation)
            WHERE s.role_name = 'finmon_tap_brackenfield'
              AND NULLIF(btrim(regexp_replace(s.councils, '-:[0-9]+', '', 'g')), '') IS DISTINCT FROM (regexp_match(a.councils, 'X00000001:[0-9]+'))[1]),
          NULL, 'and a Brackenfield admin every row of Brackenfield''s');
SELECT is((SELECT count(*) FROM seen b JOIN seen e USING (relation)
            WHERE b.role_name = 'finmon_tap_both' AND e.role_name = 'finmon_tap_everyone' AND b.councils IS DISTINCT FROM e.councils),
          0::bigint, 'a reader given both councils sees what a role given every council (*) sees');
SELECT is((SELECT array_agg(relation ORDER BY relation) FROM seen WHERE role_name = 'finmon_tap_everyone' AND councils IS NULL),
          NULL, 'which is every row: every relation a reader reads has rows for it');
SELECT is((SELECT array_agg(c.relname ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
              AND has_table_privilege('finmon_reader', c.oid, 'SELECT')
              AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'council')
              AND c.relname NOT LIKE '%\_import'),
          ARRAY['ascof_domain', 'data_dictionary', 'european_standard_population', 'measure', 'report_column', 'revenue_column']::name[],
          'the relations a reader reads without a council column are the shared definitions and the data dictionary (of the catalog, no council''s figures), and the empty import views');
-- What an editor reads beyond a reader (the tables, the internal views behind the reports, the
-- tables behind revenue_period): each admin sees every row of its council there too, and none
-- of the other's.
CREATE TEMP TABLE seen_editor AS
SELECT r.role_name, s.* FROM unnest(ARRAY['finmon_tap_norfolk', 'finmon_tap_brackenfield', 'finmon_tap_everyone']) AS r(role_name)
 CROSS JOIN LATERAL pg_temp.seen_by(r.role_name, 'finmon_editor') AS s
 WHERE NOT has_table_privilege('finmon_reader', s.relation::regclass, 'SELECT');
SELECT is((SELECT array_agg(relation ORDER BY relation) FROM seen_editor
            WHERE role_name = 'finmon_tap_everyone' AND councils ~ 'E10000020' AND councils ~ 'X00000001'
              AND relation IN ('finmon_data.revenue_figures', 'finmon_data.revenue_figures_of_service', 'finmon_data.revenue_figures_period',
                               'finmon_data.revenue_node_totals', 'finmon_data.revenue_spend_period', 'finmon_data.revenue_to_date')),
          ARRAY['finmon_data.revenue_figures', 'finmon_data.revenue_figures_of_service', 'finmon_data.revenue_figures_period',
                'finmon_data.revenue_node_totals', 'finmon_data.revenue_spend_period', 'finmon_data.revenue_to_date'],
          'both councils have rows in the internal revenue views and tables an editor reads');
SELECT is((SELECT array_agg(e.relation ORDER BY e.relation) FROM seen_editor e JOIN seen_editor s USING (relation)
            WHERE e.role_name = 'finmon_tap_everyone' AND s.role_name = 'finmon_tap_norfolk'
              AND NULLIF(btrim(regexp_replace(s.councils, '-:[0-9]+', '', 'g')), '') IS DISTINCT FROM (regexp_match(e.councils, 'E10000020:[0-9]+'))[1]),
          NULL, 'a Norfolk admin sees every row of Norfolk''s there, and no other');
SELECT is((SELECT array_agg(e.relation ORDER BY e.relation) FROM seen_editor e JOIN seen_editor s USING (relation)
            WHERE e.role_name = 'finmon_tap_everyone' AND s.role_name = 'finmon_tap_brackenfield'
              AND NULLIF(btrim(regexp_replace(s.councils, '-:[0-9]+', '', 'g')), '') IS DISTINCT FROM (regexp_match(e.councils, 'X00000001:[0-9]+'))[1]),
          NULL, 'a Brackenfield admin every row of Brackenfield''s there, and no other');
SELECT is(pg_temp.as_role('finmon_tap_norfolk', $$SELECT finmon.close_period('X00000001', '2018-19', 9)$$), '42501',
          'a Norfolk admin cannot close Brackenfield''s periods');
SELECT is(pg_temp.as_role('finmon_tap_norfolk', $$SELECT finmon.reopen_period('X00000001', '2017-18', 12, 'x')$$), '42501',
          'nor reopen them');
SELECT is(pg_temp.as_role('finmon_tap_norfolk', $$SELECT * FROM finmon.refresh_period_views()$$), 'ok',
          'a Norfolk admin refreshes');
SELECT is((SELECT string_agg(DISTINCT council, ' ') FROM finmon.refresh_log WHERE run = (SELECT max(run) FROM finmon.refresh_log)),
          NULL, 'Norfolk''s period views only (nothing had changed: each view unchanged, of no council)');
SELECT is(pg_temp.as_role('finmon_tap_everyone', $$INSERT INTO finmon.measures_import VALUES ('T9', 'A test measure', '%', '100', '', 'higher')$$), 'ok',
          'a role given every council loads the shared measure definitions');
SELECT is(pg_temp.as_role('finmon_tap_norfolk', $q$DO $do$ BEGIN
              IF NOT EXISTS (SELECT FROM finmon_data.audit_log WHERE council = '*' AND table_name = 'measure' AND key ->> 'measure' = 'T9')
              THEN RAISE EXCEPTION 'unseen' USING ERRCODE = 'P0001'; END IF;
          END $do$$q$), 'ok', 'every council''s admin sees that change to a shared definition in its audit log (council *)');

-- Renaming a council's code moves everything of it.
SELECT is(ARRAY(SELECT c.conrelid::regclass::text FROM pg_constraint c
                  WHERE c.contype = 'f' AND c.confrelid = 'finmon.council'::regclass
                 EXCEPT SELECT t.table_name FROM finmon.council_tables() t ORDER BY 1),
          '{}'::text[], 'council_tables() lists every table referencing finmon.council (what rename_council moves)');
SELECT is(finmon.rename_council('X00000001', 'X00000009') > 0, true, 'rename_council moves a council''s rows to a new code');
SELECT is((SELECT string_agg(council, ' ' ORDER BY council) FROM finmon.council), 'E10000020 X00000009', 'the council list');
SELECT is((SELECT count(*) FROM finmon_data.revenue WHERE council = 'X00000001')
          + (SELECT count(*) FROM finmon.closed_period WHERE council = 'X00000001')
          + (SELECT count(*) FROM finmon_data.council_grant WHERE council = 'X00000001'), 0::bigint, 'nothing is left under the old code');
SELECT is((SELECT (council, financial_year, period)::text FROM finmon.closed_period WHERE council LIKE 'X%'),
          '(X00000009,2017-18,12)', 'its closed periods go with it');
SELECT is(pg_temp.as_role('finmon_tap_brackenfield', $q$DO $do$ BEGIN
              IF (SELECT count(*) FROM finmon.revenue_report WHERE council = 'X00000009') = 0 THEN RAISE EXCEPTION 'lost' USING ERRCODE = 'P0001'; END IF;
          END $do$$q$), 'ok', 'and so do its grants: its admin reads it under the new code');
SELECT is(pg_temp.as_role('finmon_tap_brackenfield', $$SELECT finmon.rename_council('X00000009', 'X00000010')$$), '42501',
          'only a role given every council renames one, not the council''s own admin');
SELECT throws_ok($$SELECT finmon.rename_council('X00000001', 'X00000010')$$, '23503', 'council "X00000001" is not defined',
                 'renaming a council that is not defined');
SELECT throws_ok($$SELECT finmon.rename_council('X00000009', 'X 10')$$, '22023', 'invalid council code "X 10"',
                 'a code with a space is not a code');
SELECT throws_ok($$SELECT finmon.rename_council('X00000009', 'E10000020')$$, '23505', 'council "E10000020" already exists',
                 'nor can two councils share one');

SELECT * FROM finish();
ROLLBACK;
