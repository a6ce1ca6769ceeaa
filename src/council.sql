-- Councils: one database holds many, each council's figures kept apart and each council's
-- staff seeing and changing only their own.  Every table that holds a council's rows leads
-- with the column council (the key a Citus cluster distributes on); row-level security lets a
-- role read the councils it has been given (finmon.grant_council), and finmon's write path
-- lets it change only those.

-- Roles belong to the cluster, not the database: a second database's CREATE EXTENSION finds
-- them already there.  finmon_guard owns finmon's tables and runs what writes them; it cannot
-- log in.  finmon_reader reads the reports, finmon_editor loads figures, finmon_admin closes
-- periods, manages layouts and settings, and gives roles its councils.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['finmon_guard', 'finmon_reader', 'finmon_editor', 'finmon_admin'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    -- finmon_guard will own every table: it must not be a login or a superuser; except that on
    -- a Citus node it logs in with BYPASSRLS, no password and no members (finmon.distribute()
    -- gives it that, and only a superuser can give BYPASSRLS), and a worker added later has
    -- the role before finmon
    IF EXISTS (SELECT FROM pg_catalog.pg_authid a
                WHERE a.rolname = 'finmon_guard'
                  AND (a.rolsuper
                       OR (a.rolcanlogin
                           AND NOT (a.rolbypassrls AND a.rolpassword IS NULL
                                    AND EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus')
                                    AND NOT EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.roleid = a.oid))))) THEN
        RAISE EXCEPTION USING ERRCODE = '42710',
            MESSAGE = 'role finmon_guard already exists and can log in or is a superuser',
            HINT = 'finmon''s tables will belong to it: ALTER ROLE finmon_guard NOLOGIN NOSUPERUSER, or drop it, first.';
    END IF;
END;
$$;
GRANT finmon_reader TO finmon_editor;
GRANT finmon_editor TO finmon_admin;

CREATE TABLE finmon.council (
    council text PRIMARY KEY CHECK (council <> '' AND council <> '*' AND council = pg_catalog.btrim(council)),
    name text NOT NULL CHECK (name <> ''),
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer
);
COMMENT ON TABLE finmon.council IS
    'The councils whose figures the database holds. Loaded through finmon.council_import (councils.csv: council,name).';
COMMENT ON COLUMN finmon.council.council IS 'The council''s code, such as its ONS code (E10000020); every row of a council''s figures carries it.';
COMMENT ON COLUMN finmon.council.name IS 'The council''s name, e.g. Norfolk County Council.';
COMMENT ON COLUMN finmon.council.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon.council.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon.council.import_row IS 'The row of that load it came from.';
SELECT pg_catalog.pg_extension_config_dump('finmon.council', '');

CREATE TABLE finmon_data.council_grant (
    role_name name NOT NULL,
    council text NOT NULL,
    granted_by name NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (role_name, council)
);
COMMENT ON TABLE finmon_data.council_grant IS
    'Which councils each role may read and (as an editor or admin) change; ''*'' is every council. A role has the councils granted to it and to the roles whose privileges it inherits. Written by finmon.grant_council() and finmon.revoke_council() only.';
COMMENT ON COLUMN finmon_data.council_grant.role_name IS 'The role (a login or a group role), by name: a role renamed keeps no councils, one dropped and recreated with the name has them again.';
COMMENT ON COLUMN finmon_data.council_grant.council IS 'A council''s code, or ''*'' for every council, present and future.';
COMMENT ON COLUMN finmon_data.council_grant.granted_by IS 'The role that granted it.';
COMMENT ON COLUMN finmon_data.council_grant.granted_at IS 'When.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.council_grant', '');

CREATE FUNCTION finmon.acting_role() RETURNS oid
    AS 'MODULE_PATHNAME', 'finmon_acting_role'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.acting_role() IS
    'The role the session runs as (its login, or the role it SET ROLE to), whatever SECURITY DEFINER function is running: finmon changes only the councils of this role.';

CREATE FUNCTION finmon_data.role_councils(role_id oid) RETURNS text[]
    AS 'MODULE_PATHNAME', 'finmon_role_councils'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon_data.role_councils(oid) IS
    'The councils a role has (granted to it or to a role whose privileges it inherits), NULL when it has every council: a superuser, finmon_guard, or a role granted ''*'' (internal: for finmon_guard).';

CREATE FUNCTION finmon.council_scope() RETURNS text[]
    AS 'MODULE_PATHNAME', 'finmon_council_scope'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.council_scope() IS
    'The councils the current user may read, NULL for every council: what finmon''s row-level security policies compare with.';

CREATE FUNCTION finmon.council_visible_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_council_visible_support'
    LANGUAGE C STRICT;
COMMENT ON FUNCTION finmon.council_visible_support(internal) IS
    'The planner''s estimate of finmon.council_visible: every row passes (a query for one council names it itself, and is then planned alike among one council or many) (internal).';

CREATE FUNCTION finmon.council_visible(council text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'finmon_council_visible'
    LANGUAGE C STABLE PARALLEL SAFE
    SUPPORT finmon.council_visible_support;
COMMENT ON FUNCTION finmon.council_visible(text) IS
    'Whether the current user may read the council''s rows (finmon.council_scope(), read once per query): what finmon''s row-level security policies ask of each row.';

-- (PL/pgSQL: on Citus 13.2 a SQL function cannot read a distributed or reference table.)
CREATE FUNCTION finmon.my_councils() RETURNS TABLE (council text, name text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY SELECT c.council, c.name FROM finmon.council c ORDER BY c.council;
END;
$$;
COMMENT ON FUNCTION finmon.my_councils() IS
    'The councils the current user may read, with their names.';

-- The council a row or call that names none belongs to: the setting finmon.council, or else
-- the database's only council; NULL when there is neither.
-- (PL/pgSQL: on Citus 13.2 a SQL function cannot read a distributed or reference table.)
CREATE FUNCTION finmon.default_council() RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN COALESCE(NULLIF(btrim(current_setting('finmon.council', true)), ''),
                    (SELECT min(c.council) FROM finmon.council c HAVING count(*) = 1));
END;
$$;
COMMENT ON FUNCTION finmon.default_council() IS
    'The council of a row or call that names none: the setting finmon.council (SET finmon.council = ''E10000020''), or else the database''s only council; NULL when there is neither (internal).';
