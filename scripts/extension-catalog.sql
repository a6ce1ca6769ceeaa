-- Every finmon object with its definition, one per line, sorted: run in two databases and
-- diff to check that an upgraded install equals a fresh one (scripts/run-tests does).
\pset tuples_only on
\pset format unaligned
WITH member AS (
    SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
     WHERE e.extname = 'finmon' AND d.deptype = 'e'
)
SELECT line FROM (
    SELECT 'member ' || pg_describe_object(m.classid, m.objid, 0)
           || ' comment=' || COALESCE(obj_description(m.objid, m.classid::regclass::name), '-') AS line
      FROM member m
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure || ' -> ' || pg_get_function_result(p.oid)
           || ' ' || concat_ws(' ', p.prokind, p.provolatile, p.proparallel, p.proisstrict, p.prosecdef,
                                p.proconfig::text, md5(p.prosrc), p.probin)
      FROM pg_proc p WHERE p.pronamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data'))
    UNION ALL
    SELECT 'aggregate ' || a.aggfnoid::regprocedure || ' ' ||
           concat_ws(' ', a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
                     a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, a.aggfinalextra, a.aggmfinalextra,
                     a.aggfinalmodify, a.aggtranstype::regtype, a.aggmtranstype::regtype, a.agginitval)
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid WHERE p.pronamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data'))
    UNION ALL
    SELECT 'column ' || c.oid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || COALESCE(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
           || ' comment=' || COALESCE(col_description(c.oid, a.attnum), '-')
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
     WHERE c.relnamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data'))
    UNION ALL
    SELECT 'view ' || c.oid::regclass || ' ' || md5(pg_get_viewdef(c.oid))
      FROM pg_class c WHERE c.relnamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data')) AND c.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'constraint ' || r.conrelid::regclass || ' ' || r.conname || ' ' || pg_get_constraintdef(r.oid)
      FROM pg_constraint r WHERE r.connamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data'))
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data'))
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid)
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data')) AND NOT t.tgisinternal
    UNION ALL
    -- the tables pg_dump keeps, in any order
    SELECT 'config ' || c.relid::regclass || ' ' || quote_literal(c.condition)
      FROM pg_extension x CROSS JOIN LATERAL unnest(x.extconfig, x.extcondition) AS c(relid, condition)
     WHERE x.extname = 'finmon'
    UNION ALL
    SELECT 'policy ' || p.polrelid::regclass || ' ' || p.polname || ' ' || p.polcmd::text || ' ' || p.polpermissive::text
           || ' ' || p.polroles::regrole[]::text || ' ' || COALESCE(pg_get_expr(p.polqual, p.polrelid), '-')
           || ' ' || COALESCE(pg_get_expr(p.polwithcheck, p.polrelid), '-')
      FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data'))
    UNION ALL
    SELECT 'row security ' || c.oid::regclass || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity
      FROM pg_class c WHERE c.relnamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data')) AND c.relkind IN ('r', 'p')
    UNION ALL
    SELECT 'grant ' || c.oid::regclass || ' ' || pg_get_userbyid(c.relowner) || ' ' || COALESCE(c.relacl::text, '-')
      FROM pg_class c WHERE c.relnamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data'))
    UNION ALL
    SELECT 'grant function ' || p.oid::regprocedure || ' ' || pg_get_userbyid(p.proowner) || ' '
           || COALESCE(p.proacl::text, '-')
      FROM pg_proc p WHERE p.pronamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data'))
    UNION ALL
    SELECT 'grant schema ' || n.nspname || ' ' || COALESCE(n.nspacl::text, '-') FROM pg_namespace n WHERE n.nspname IN ('finmon', 'finmon_data')
) l
ORDER BY line;
