-- Governance: councils given to roles, closed periods, renaming a council, forecast history
-- (row-level security, ownership and privileges: privileges.sql).
--
-- Figures that went to a committee are a public record: once a council closes a period, its
-- figures cannot change until an admin of the council reopens it with a reason; every change
-- to figures, commentary, layouts and settings, every close and reopen and every grant of a
-- council is written to the audit log with the role that made it.  The tables belong to
-- finmon_guard, a role that cannot log in; only the write path (which runs as it) writes them,
-- and row-level security shows each role the councils it has been given.

-- Councils given to roles -------------------------------------------------------------------

-- May the acting role give others a council?  The owner of finmon (a superuser) any, and an
-- admin of the council that council.
CREATE FUNCTION finmon_data.may_grant(council text) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
RETURN (SELECT r.rolsuper FROM pg_roles r WHERE r.oid = finmon.acting_role())
    OR (SELECT e.extowner FROM pg_extension e WHERE e.extname = 'finmon') = finmon.acting_role()
    OR (council <> '*' AND pg_has_role(finmon.acting_role(), 'finmon_admin', 'USAGE')
        AND (finmon_data.role_councils(finmon.acting_role()) IS NULL
             OR council = ANY (finmon_data.role_councils(finmon.acting_role()))));
COMMENT ON FUNCTION finmon_data.may_grant(text) IS
    'Whether the acting role may give or take away a council (''*'': every council): the owner of finmon may any, an admin of the council that council (internal).';

CREATE FUNCTION finmon.grant_council(role_name name, council text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    code text := btrim(council);
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = grant_council.role_name) THEN
        RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('role "%s" does not exist', role_name);
    END IF;
    IF code IS NULL OR (code <> '*' AND NOT EXISTS (SELECT FROM finmon.council c WHERE c.council = code)) THEN
        RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('council "%s" is not defined', council),
            HINT = 'Give a council''s code (finmon.council), or ''*'' for every council.';
    END IF;
    IF NOT finmon_data.may_grant(code) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('you may not give roles council "%s"', code),
            HINT = 'An admin of a council gives roles that council; the owner of finmon gives any, and ''*''.';
    END IF;
    PERFORM finmon_data.lock_councils(ARRAY[code]);
    INSERT INTO finmon_data.council_grant AS g (role_name, council, granted_by)
    VALUES (role_name, code, pg_catalog.pg_get_userbyid(finmon.acting_role()))
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        INSERT INTO finmon_data.audit_log (council, changed_by, action, table_name, key, new_values)
        VALUES (code, pg_catalog.pg_get_userbyid(finmon.acting_role()), 'grant', 'council_grant',
                jsonb_build_object('role_name', role_name, 'council', code), jsonb_build_object('role_name', role_name, 'council', code));
    END IF;
END;
$$;
COMMENT ON FUNCTION finmon.grant_council(name, text) IS
    'Gives a role (a login or a group role) a council: it and its members then read that council''s figures and, as editors or admins, change them; ''*'' gives every council. The owner of finmon may give any council, an admin of a council that council. Logged in finmon_data.audit_log.';

CREATE FUNCTION finmon.revoke_council(role_name name, council text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    code text := btrim(council);
BEGIN
    IF NOT finmon_data.may_grant(code) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('you may not take council "%s" from roles', code),
            HINT = 'An admin of a council takes that council from roles; the owner of finmon any, and ''*''.';
    END IF;
    PERFORM finmon_data.lock_councils(ARRAY[code]);
    DELETE FROM finmon_data.council_grant g WHERE g.role_name = revoke_council.role_name AND g.council = code;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '42704',
            MESSAGE = format('role "%s" has not been given council "%s"', role_name, code);
    END IF;
    INSERT INTO finmon_data.audit_log (council, changed_by, action, table_name, key, old_values)
    VALUES (code, pg_catalog.pg_get_userbyid(finmon.acting_role()), 'revoke', 'council_grant',
            jsonb_build_object('role_name', role_name, 'council', code), jsonb_build_object('role_name', role_name, 'council', code));
END;
$$;
COMMENT ON FUNCTION finmon.revoke_council(name, text) IS
    'Takes a council from a role (what finmon.grant_council gave it; a role also has the councils of the roles whose privileges it inherits). Who may: as for grant_council. Logged in finmon_data.audit_log.';

-- (security_barrier: a caller's own cheap function in a WHERE clause runs after this view's
-- filter, so it cannot see the grants of councils the caller was not given)
CREATE VIEW finmon_data.council_grants WITH (security_barrier) AS
SELECT g.role_name, g.council, g.granted_by, g.granted_at
  FROM finmon_data.council_grant g
 WHERE (SELECT finmon.council_scope()) IS NULL OR g.council = ANY ((SELECT finmon.council_scope())::text[]);
COMMENT ON VIEW finmon_data.council_grants IS
    'The roles given each council, for the councils the current user may read (every grant, for a role given every council). For finmon_admin.';
COMMENT ON COLUMN finmon_data.council_grants.role_name IS 'The role.';
COMMENT ON COLUMN finmon_data.council_grants.council IS 'The council (''*'': every council).';
COMMENT ON COLUMN finmon_data.council_grants.granted_by IS 'The role that granted it.';
COMMENT ON COLUMN finmon_data.council_grants.granted_at IS 'When.';

-- Closing and reopening ----------------------------------------------------------------------

CREATE FUNCTION finmon.close_period(council text, financial_year text, period integer) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    chosen text;
    acting text := pg_catalog.pg_get_userbyid(finmon.acting_role());
BEGIN
    PERFORM finmon_data.require_read_committed('close_period');
    PERFORM finmon_data.require_year_and_period(financial_year, period);
    chosen := finmon_data.council_to_change(council, 'close_period');
    IF NOT pg_has_role(finmon.acting_role(), 'finmon_admin', 'USAGE') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'close_period: closing a period needs finmon_admin';
    END IF;
    -- wait for the council's loads in progress to commit (they were checked before the close),
    -- and hold new ones until it commits (they will see it)
    PERFORM finmon_data.lock_councils(ARRAY[chosen]);
    IF EXISTS (SELECT FROM finmon.closed_period c
                WHERE c.council = chosen AND c.financial_year = btrim(close_period.financial_year)
                  AND c.period = close_period.period) THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('%s period %s of council %s is already closed', btrim(financial_year), period, chosen);
    END IF;
    INSERT INTO finmon.closed_period (council, financial_year, period, closed_by)
    VALUES (chosen, btrim(financial_year), period, acting);
    INSERT INTO finmon_data.audit_log (council, changed_by, action, table_name, financial_year, period, key)
    VALUES (chosen, acting, 'close', 'closed_period', btrim(financial_year), period,
            jsonb_build_object('council', chosen, 'financial_year', btrim(financial_year), 'period', period));
END;
$$;
COMMENT ON FUNCTION finmon.close_period(text, text, integer) IS
    'Closes a council''s period: from now on none of the figures its reports show (its year to date of revenue, commentary, savings, reserves, capital, grants, measures, ledger and profiles; the savings targets it shows; the measure definitions and populations its months use; printed and stated figures) can change until it is reopened. Waits for the council''s loads in progress. Logged in finmon_data.audit_log. For finmon_admin of the council.';

CREATE FUNCTION finmon.close_period(financial_year text, period integer) RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT finmon.close_period(NULL::text, financial_year, period);
    END;
COMMENT ON FUNCTION finmon.close_period(text, integer) IS
    'close_period of the council named by the setting finmon.council, or the database''s only council (the 1.0 form).';

CREATE FUNCTION finmon.reopen_period(council text, financial_year text, period integer, reason text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    chosen text;
    acting text := pg_catalog.pg_get_userbyid(finmon.acting_role());
BEGIN
    PERFORM finmon_data.require_read_committed('reopen_period');
    PERFORM finmon_data.require_year_and_period(financial_year, period);
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = 'reopen_period: reason is empty',
            HINT = 'Say why the period is reopened; the reason is kept in finmon_data.audit_log.';
    END IF;
    chosen := finmon_data.council_to_change(council, 'reopen_period');
    IF NOT pg_has_role(finmon.acting_role(), 'finmon_admin', 'USAGE') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'reopen_period: reopening a period needs finmon_admin';
    END IF;
    PERFORM finmon_data.lock_councils(ARRAY[chosen]);
    DELETE FROM finmon.closed_period c
     WHERE c.council = chosen AND c.financial_year = btrim(reopen_period.financial_year) AND c.period = reopen_period.period;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('%s period %s of council %s is not closed', btrim(financial_year), period, chosen);
    END IF;
    INSERT INTO finmon_data.audit_log (council, changed_by, action, table_name, financial_year, period, key, reason)
    VALUES (chosen, acting, 'reopen', 'closed_period', btrim(financial_year), period,
            jsonb_build_object('council', chosen, 'financial_year', btrim(financial_year), 'period', period), btrim(reason));
END;
$$;
COMMENT ON FUNCTION finmon.reopen_period(text, text, integer, text) IS
    'Reopens a council''s closed period so its figures can change again; the reason is required and logged in finmon_data.audit_log. For finmon_admin of the council.';

CREATE FUNCTION finmon.reopen_period(financial_year text, period integer, reason text) RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT finmon.reopen_period(NULL::text, financial_year, period, reason);
    END;
COMMENT ON FUNCTION finmon.reopen_period(text, integer, text) IS
    'reopen_period of the council named by the setting finmon.council, or the database''s only council (the 1.0 form).';

-- Renaming a council's code ------------------------------------------------------------------

-- The tables that hold a council's rows, parents before the tables whose rows refer to them.
CREATE FUNCTION finmon.council_tables() RETURNS TABLE (table_order integer, table_name text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT o::integer, t FROM unnest(ARRAY[
            'finmon_data.revenue_node', 'finmon_data.revenue', 'finmon_data.commentary',
            'finmon_data.revenue_table', 'finmon_data.revenue_table_row', 'finmon_data.revenue_table_column',
            'finmon.setting', 'finmon_data.savings_plan', 'finmon_data.savings_forecast',
            'finmon_data.reserve', 'finmon_data.capital', 'finmon_data.grant_scheme', 'finmon.population',
            'finmon_data.activity', 'finmon_data.published_value', 'finmon_data.measure_target',
            'finmon_data.comparator', 'finmon_data.published_benchmark', 'finmon_data.ledger',
            'finmon_data.ledger_summary', 'finmon_data.budget_profile', 'finmon_data.actuals',
            'finmon_data.packages', 'finmon_data.demand_allowance', 'finmon_data.published',
            'finmon_data.stated_figure', 'finmon.closed_period',
            'finmon_data.revenue_figures_period', 'finmon_data.revenue_spend_period',
            'finmon_data.revenue_table_figures_period', 'finmon_data.savings_period',
            'finmon_data.reserves_period', 'finmon_data.capital_period', 'finmon_data.grants_period',
            'finmon_data.measures_period', 'finmon_data.refresh_state']) WITH ORDINALITY AS x(t, o);
    END;
COMMENT ON FUNCTION finmon.council_tables() IS
    'The tables holding a council''s rows (schema-qualified), keyed by council, in an order in which a council''s rows can be copied (parents first) (internal).';

CREATE FUNCTION finmon.rename_council(council text, new_council text) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old_code text := btrim(council);
    new_code text := btrim(new_council);
    t record;
    moved bigint := 0;
    n bigint;
    columns text;
BEGIN
    PERFORM finmon_data.require_read_committed('rename_council');
    IF finmon_data.role_councils(finmon.acting_role()) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'rename_council: only a role given every council may rename one';
    END IF;
    IF NOT EXISTS (SELECT FROM finmon.council c WHERE c.council = old_code) THEN
        RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('council "%s" is not defined', council);
    END IF;
    IF new_code IS NULL OR new_code = '' OR new_code = '*' OR new_code ~ '\s' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('invalid council code "%s"', new_council),
            HINT = 'A council''s code is a word such as its ONS code (E10000020): no spaces, not *.';
    END IF;
    IF EXISTS (SELECT FROM finmon.council c WHERE c.council = new_code) THEN
        RAISE EXCEPTION USING ERRCODE = '23505', MESSAGE = format('council "%s" already exists', new_code);
    END IF;
    PERFORM finmon_data.lock_councils(ARRAY[old_code, new_code]);
    INSERT INTO finmon.council (council, name, loaded_at, import_batch, import_row)
    SELECT new_code, c.name, c.loaded_at, c.import_batch, c.import_row FROM finmon.council c WHERE c.council = old_code;
    -- copy each table's rows under the new code, parents first; then remove the old, children first
    FOR t IN SELECT * FROM finmon.council_tables() ORDER BY table_order LOOP
        columns := (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                     WHERE a.attrelid = t.table_name::regclass AND a.attnum > 0
                       AND NOT a.attisdropped AND a.attgenerated = '' AND a.attname <> 'council');
        EXECUTE format('INSERT INTO %1$s (council, %2$s) SELECT $2, %2$s FROM %1$s WHERE council = $1',
                       t.table_name::regclass, columns) USING old_code, new_code;
        GET DIAGNOSTICS n = ROW_COUNT;
        moved := moved + n;
    END LOOP;
    FOR t IN SELECT * FROM finmon.council_tables() ORDER BY table_order DESC LOOP
        EXECUTE format('DELETE FROM %s WHERE council = $1', t.table_name::regclass) USING old_code;
    END LOOP;
    UPDATE finmon_data.council_grant g SET council = new_code WHERE g.council = old_code;
    UPDATE finmon_data.audit_log a SET council = new_code WHERE a.council = old_code;
    UPDATE finmon_data.change_log c SET council = new_code WHERE c.council = old_code;
    UPDATE finmon.refresh_log l SET council = new_code WHERE l.council = old_code;
    DELETE FROM finmon.council c WHERE c.council = old_code;
    INSERT INTO finmon_data.audit_log (council, changed_by, action, table_name, key, old_values, new_values)
    VALUES (new_code, pg_catalog.pg_get_userbyid(finmon.acting_role()), 'rename', 'council',
            jsonb_build_object('council', new_code), jsonb_build_object('council', old_code),
            jsonb_build_object('council', new_code));
    RETURN moved;
END;
$$;
COMMENT ON FUNCTION finmon.rename_council(text, text) IS
    'Changes a council''s code everywhere: its figures, layouts, settings, closed periods, period views, grants and audit log move to the new code. For a role given every council (the owner of finmon). Returns the rows moved. (A council''s name is changed by loading councils.csv again.)';

CREATE FUNCTION finmon_data.council_import_check_sql() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN $sql$
SELECT n.load_row, format('invalid council code "%s"', n.council), 'A council''s code is a word such as its ONS code (E10000020): no spaces, not *.'
  FROM n
 WHERE n.council IS NULL OR n.council = '*' OR n.council ~ '\s'
$sql$;
COMMENT ON FUNCTION finmon_data.council_import_check_sql() IS 'The check of a councils.csv load for a code that cannot be one (internal).';

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('council', 'council', 'none', 'every council', 'format(''council "%s"'', council)',
     'Load councils.csv here: \copy finmon.council_import FROM ''councils.csv'' WITH (FORMAT csv, HEADER). Header council,name: a council''s code (such as its ONS code, E10000020) and its name. A council already loaded is renamed. For a role given every council (the owner of finmon). Always reads as empty.', 1);
INSERT INTO finmon_data.import_column (format, position, name, kind, description) VALUES
    ('council', 1, 'council', 'text', 'The council''s code, such as its ONS code (E10000020).'),
    ('council', 2, 'name', 'text', 'The council''s name, e.g. Norfolk County Council.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('council', 1, '22023', finmon_data.council_import_check_sql());
SELECT finmon_data.create_import_view('council');

-- Forecast history ------------------------------------------------------------------------

CREATE VIEW finmon.forecast_history AS
SELECT f.council,
       f.financial_year,
       f.path AS line,
       f.label,
       f.period,
       f.budget,
       f.forecast_outturn,
       f.previous_period,
       f.forecast_outturn - lag(f.forecast_outturn) OVER w AS forecast_movement,
       o.forecast_outturn AS outturn,
       f.forecast_outturn - o.forecast_outturn AS forecast_error,
       CASE WHEN o.forecast_outturn <> 0
            THEN (f.forecast_outturn - o.forecast_outturn) / abs(o.forecast_outturn) * 100 END AS forecast_error_pct
  FROM finmon_data.revenue_figures f
  LEFT JOIN finmon_data.revenue_figures o
         ON o.council = f.council AND o.financial_year = f.financial_year AND o.period = 12
        AND o.analysis = f.analysis AND o.path = f.path
 WHERE f.analysis = ''
WINDOW w AS (PARTITION BY f.council, f.financial_year, f.path ORDER BY f.period);
COMMENT ON VIEW finmon.forecast_history IS
    'Each line''s (and each total''s) forecast outturn at every period it was reported, the movement since the last report, and against the year''s outturn (period 12) once it is loaded: forecast accuracy. Pounds. (A period reloaded shows its latest figures; finmon_data.audit_log keeps the earlier ones.)';
COMMENT ON COLUMN finmon.forecast_history.council IS 'The council.';
COMMENT ON COLUMN finmon.forecast_history.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.forecast_history.line IS 'The node''s path; '''' for the grand total.';
COMMENT ON COLUMN finmon.forecast_history.label IS 'The node''s name.';
COMMENT ON COLUMN finmon.forecast_history.period IS 'The period it was reported at.';
COMMENT ON COLUMN finmon.forecast_history.budget IS 'The budget at that period.';
COMMENT ON COLUMN finmon.forecast_history.forecast_outturn IS 'The forecast outturn reported at that period.';
COMMENT ON COLUMN finmon.forecast_history.previous_period IS 'The previous period reported in the year.';
COMMENT ON COLUMN finmon.forecast_history.forecast_movement IS 'Forecast outturn minus the previous report''s: the movement since the last report.';
COMMENT ON COLUMN finmon.forecast_history.outturn IS 'The year''s outturn (its period 12 forecast outturn); NULL until loaded.';
COMMENT ON COLUMN finmon.forecast_history.forecast_error IS 'forecast_outturn - outturn: how far this period''s forecast was from the outturn.';
COMMENT ON COLUMN finmon.forecast_history.forecast_error_pct IS 'forecast_error as a % of the outturn''s size.';

