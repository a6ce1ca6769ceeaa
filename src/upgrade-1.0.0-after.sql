-- finmon 1.0.0 to 2.0.0, after 2.0.0's objects are created: 1.0.0's data move from the holding
-- schema finmon_1_0 into 2.0.0's tables, under one council, and the holding schema goes.
--
-- The council: its code is the setting finmon.council and its name the setting
-- finmon.council_name, when set before the update (SET finmon.council = 'E10000020';
-- SET finmon.council_name = 'Norfolk County Council'); otherwise the code is COUNCIL and the name
-- the database's.  finmon.rename_council() changes the code later, loading councils.csv the name.
DO $$
DECLARE
    code text := COALESCE(NULLIF(pg_catalog.btrim(pg_catalog.current_setting('finmon.council', true)), ''), 'COUNCIL');
    council_name text := COALESCE(NULLIF(pg_catalog.btrim(pg_catalog.current_setting('finmon.council_name', true)), ''),
                                  pg_catalog.current_database());
    t record;
    columns text;
    target regclass;
    grantee_name text;
    year text;
    held boolean := false;
BEGIN
    -- 2.0.0 holds money to the penny and counts whole, within what its reports' declared types
    -- hold, and refuses a load that does not: refuse the update, naming the first figure at
    -- fault, while 1.0.0 holds one (nothing has changed then; correct it under 1.0.0 and update
    -- again)
    FOR t IN SELECT f.target, COALESCE(c.target_column, c.name) AS column_name, c.kind
               FROM finmon_data.import_column c JOIN finmon_data.import_format f ON f.format = c.format
              WHERE c.kind IN ('money', 'optional money', 'count', 'optional count')
                AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                             WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.format('finmon_1_0.%I', f.target))
                               AND a.attname = COALESCE(c.target_column, c.name) AND NOT a.attisdropped)
              ORDER BY f.file_order, c.position LOOP
        EXECUTE pg_catalog.format(
            'SELECT x.%1$I::text FROM finmon_1_0.%2$I x WHERE x.%1$I <> pg_catalog.round(x.%1$I, %3$s) OR pg_catalog.abs(x.%1$I) >= %4$s LIMIT 1',
            t.column_name, t.target, CASE WHEN t.kind LIKE '%money' THEN 2 ELSE 0 END,
            CASE WHEN t.kind LIKE '%money' THEN '1e13' ELSE '1e15' END) INTO columns;
        IF columns IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = CASE WHEN pg_catalog.abs(columns::numeric) >= 1e13 THEN '22003' ELSE '22P02' END,
                MESSAGE = pg_catalog.format('finmon 1.0.0 holds %s %s in finmon.%s, which finmon 2.0.0 does not take', t.column_name, columns, t.target),
                DETAIL = CASE WHEN t.kind LIKE '%money' THEN 'finmon 2.0.0 holds money in pounds and pence (at most two decimal places), under 10,000,000,000,000 either way.'
                              ELSE 'finmon 2.0.0 holds counts and populations as whole numbers, under 1,000,000,000,000,000.' END,
                HINT = 'Correct the figure under 1.0.0 (load the corrected file) and update again; nothing has changed.';
        END IF;
    END LOOP;
    columns := NULL;

    -- a council only if there is something of one to keep
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'finmon_1_0'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p')
                AND NOT c.relispartition
                AND c.relname IN ('revenue', 'revenue_node', 'commentary', 'revenue_table', 'setting', 'savings_plan',
                                  'savings_forecast', 'reserve', 'capital', 'grant_scheme', 'population', 'activity',
                                  'published_value', 'measure_target', 'comparator', 'published_benchmark', 'ledger',
                                  'budget_profile', 'published', 'stated_figure', 'closed_period', 'audit_log') LOOP
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM finmon_1_0.%I)', t.relname) INTO held;
        EXIT WHEN held;
    END LOOP;
    IF held THEN
        INSERT INTO finmon.council (council, name) VALUES (code, council_name);
    END IF;

    -- the ledger's years first get their partitions
    -- (made inside the update, each would be a member of the extension, which pg_dump leaves
    -- out with its rows; a partition a load makes is not)
    FOR year IN SELECT DISTINCT l.financial_year FROM finmon_1_0.ledger l LOOP
        target := finmon.ledger_partition(year);
        IF EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = target
                      AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e') THEN
            EXECUTE pg_catalog.format('ALTER EXTENSION finmon DROP TABLE %s', target);
        END IF;
    END LOOP;

    -- each table's rows, the council's where the table has one (the columns they share)
    FOR t IN SELECT * FROM (VALUES
                 (1, 'measure'), (2, 'revenue_node'), (3, 'revenue'), (4, 'commentary'), (5, 'revenue_table'),
                 (6, 'revenue_table_row'), (7, 'setting'), (8, 'savings_plan'), (9, 'savings_forecast'), (10, 'reserve'),
                 (11, 'capital'), (12, 'grant_scheme'), (13, 'population'), (14, 'activity'), (15, 'published_value'),
                 (16, 'measure_target'), (17, 'comparator'), (18, 'published_benchmark'), (19, 'ledger'),
                 (20, 'ledger_summary'), (21, 'budget_profile'), (22, 'published'), (23, 'stated_figure'),
                 (24, 'closed_period'), (25, 'audit_log'), (26, 'refresh_log')) AS x(table_order, relname)
              ORDER BY table_order LOOP
        -- 2.0.0's table of the same name: in finmon, or in finmon_data with the internals
        target := COALESCE(pg_catalog.to_regclass(pg_catalog.format('finmon.%I', t.relname)),
                           pg_catalog.format('finmon_data.%I', t.relname)::pg_catalog.regclass);
        columns := (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
                      FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = pg_catalog.format('finmon_1_0.%I', t.relname)::pg_catalog.regclass
                       AND a.attnum > 0 AND NOT a.attisdropped
                       AND EXISTS (SELECT FROM pg_catalog.pg_attribute n
                                    WHERE n.attrelid = target AND n.attname = a.attname AND NOT n.attisdropped));
        IF EXISTS (SELECT FROM pg_catalog.pg_attribute n
                    WHERE n.attrelid = target AND n.attname = 'council' AND t.relname <> 'refresh_log') THEN
            EXECUTE pg_catalog.format('INSERT INTO %1$s (council, %2$s) SELECT %3$L, %2$s FROM finmon_1_0.%4$I',
                                      target, columns, code, t.relname);
        ELSE
            EXECUTE pg_catalog.format('INSERT INTO %1$s (%2$s) SELECT %2$s FROM finmon_1_0.%3$I', target, columns, t.relname);
        END IF;
    END LOOP;

    -- the counters go on from where they were
    PERFORM pg_catalog.setval('finmon_data.import_batch', s.last_value, s.is_called) FROM finmon_1_0.import_batch s;
    PERFORM pg_catalog.setval('finmon_data.revenue_node_order', s.last_value, s.is_called) FROM finmon_1_0.revenue_node_order s;
    PERFORM pg_catalog.setval('finmon_data.refresh_run', s.last_value, s.is_called) FROM finmon_1_0.refresh_run s;
    PERFORM pg_catalog.setval('finmon_data.audit_log_id_seq', GREATEST(pg_catalog.max(a.id), 1), pg_catalog.max(a.id) IS NOT NULL)
       FROM finmon_data.audit_log a;
    PERFORM pg_catalog.setval('finmon_data.refresh_log_id_seq', GREATEST(pg_catalog.max(l.id), 1), pg_catalog.max(l.id) IS NOT NULL)
       FROM finmon.refresh_log l;

    IF held THEN
        -- every role that read the figures under 1.0.0 (each had a finmon role) still does
        INSERT INTO finmon_data.council_grant (role_name, council, granted_by) VALUES ('finmon_reader', code, CURRENT_USER);
        INSERT INTO finmon_data.audit_log (council, changed_by, action, table_name, key, new_values)
        VALUES (code, CURRENT_USER, 'grant', 'council_grant', pg_catalog.jsonb_build_object('role_name', 'finmon_reader', 'council', code),
                pg_catalog.jsonb_build_object('role_name', 'finmon_reader', 'council', code));
        -- the period views as the data give them now, for the council
        FOR t IN SELECT v.view_name, v.report FROM finmon.period_views() v ORDER BY v.refresh_order LOOP
            EXECUTE pg_catalog.format('INSERT INTO finmon_data.%I SELECT * FROM %s', t.view_name, t.report);
            INSERT INTO finmon_data.refresh_state (view_name, council, change) VALUES (t.view_name, code, 0);
        END LOOP;
    END IF;

    -- what was granted on 1.0.0's relations to roles of the database's own (a BI login reading
    -- revenue_period) is granted on 2.0.0's of the same name: SELECT, and INSERT on an import
    -- view. In 2.0.0 figures change only through the write path, so INSERT elsewhere, UPDATE,
    -- DELETE, TRUNCATE, REFERENCES and TRIGGER are not carried, nor anything on a ledger
    -- partition or on the tables without row-level security (the grants of councils, the
    -- change log, the refresh state); and on a table that moved to finmon_data, only to a role
    -- of its own, never PUBLIC (a WARNING names what was left).
    FOR t IN SELECT c.relname, a.grantee, a.privilege_type, a.is_grantable
               FROM pg_catalog.pg_class c
              CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) AS a
              WHERE c.relnamespace = 'finmon_1_0'::pg_catalog.regnamespace AND c.relacl IS NOT NULL
                AND NOT c.relispartition AND c.relkind IN ('r', 'p', 'v', 'm')
                AND c.relname NOT IN ('council_grant', 'change_log', 'refresh_state')
                AND (a.privilege_type = 'SELECT' OR a.privilege_type = 'INSERT' AND c.relname LIKE '%\_import')
                AND a.grantee <> a.grantor
                AND a.grantee NOT IN (SELECT r.oid FROM pg_catalog.pg_roles r
                                       WHERE r.rolname IN ('finmon_guard', 'finmon_reader', 'finmon_editor', 'finmon_admin'))
                AND COALESCE(pg_catalog.to_regclass(pg_catalog.format('finmon.%I', c.relname)),
                             pg_catalog.to_regclass(pg_catalog.format('finmon_data.%I', c.relname))) IS NOT NULL LOOP
        target := COALESCE(pg_catalog.to_regclass(pg_catalog.format('finmon.%I', t.relname)),
                           pg_catalog.to_regclass(pg_catalog.format('finmon_data.%I', t.relname)));
        grantee_name := CASE t.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(t.grantee)) END;
        IF (SELECT c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid = target) = 'finmon_data'::pg_catalog.regnamespace THEN
            IF t.grantee = 0 THEN
                RAISE WARNING 'finmon 2.0.0 keeps %, which 1.0.0 granted to PUBLIC, in schema finmon_data, which only the roles given it read: not granted again', target;
                CONTINUE;
            END IF;
            EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA finmon_data TO %s', grantee_name);
        END IF;
        EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', t.privilege_type, target, grantee_name,
                                  CASE WHEN t.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
END;
$$;

DROP SCHEMA finmon_1_0 CASCADE;
