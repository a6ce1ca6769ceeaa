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
    FOR year IN SELECT DISTINCT l.financial_year FROM finmon_1_0.ledger l LOOP
        PERFORM finmon.ledger_partition(year);
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
    -- revenue_period) is granted on 2.0.0's of the same name
    FOR t IN SELECT c.relname, a.grantee, a.privilege_type, a.is_grantable
               FROM pg_catalog.pg_class c
              CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) AS a
              WHERE c.relnamespace = 'finmon_1_0'::pg_catalog.regnamespace AND c.relacl IS NOT NULL
                AND a.grantee <> a.grantor
                AND a.grantee NOT IN (SELECT r.oid FROM pg_catalog.pg_roles r
                                       WHERE r.rolname IN ('finmon_guard', 'finmon_reader', 'finmon_editor', 'finmon_admin'))
                AND COALESCE(pg_catalog.to_regclass(pg_catalog.format('finmon.%I', c.relname)),
                             pg_catalog.to_regclass(pg_catalog.format('finmon_data.%I', c.relname))) IS NOT NULL LOOP
        target := COALESCE(pg_catalog.to_regclass(pg_catalog.format('finmon.%I', t.relname)),
                           pg_catalog.to_regclass(pg_catalog.format('finmon_data.%I', t.relname)));
        grantee_name := CASE t.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(t.grantee)) END;
        EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', t.privilege_type, target, grantee_name,
                                  CASE WHEN t.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        -- a table that moved to finmon_data (a 1.0.0 base table): its grantee reaches it there
        IF (SELECT c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid = target) = 'finmon_data'::pg_catalog.regnamespace THEN
            EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA finmon_data TO %s', grantee_name);
        END IF;
    END LOOP;
END;
$$;

DROP SCHEMA finmon_1_0 CASCADE;
