-- finmon 1.0.0 to 2.0.0, before 2.0.0's objects are created.  Almost every object changes (each
-- table and view gains the council; the imports and the write path are new), so 1.0.0's objects
-- leave the extension for a holding schema, finmon_1_0, and 2.0.0's are created in finmon as on
-- a fresh install; the data then move across, under one council (upgrade-1.0.0-after.sql), and
-- the holding schema is dropped.

-- Objects of the database's own that use finmon's (a view over revenue_report, a function
-- calling variance_agg) would be left depending on dropped objects: refuse, naming them.
DO $$
DECLARE
    finmon_extension oid := (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'finmon');
    dependents text;
BEGIN
    WITH member AS (
        SELECT d.classid, d.objid FROM pg_catalog.pg_depend d
         WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.refobjid = finmon_extension
           AND d.deptype = 'e'
    ),
    dependent AS (
        SELECT DISTINCT d.classid, d.objid
          FROM pg_catalog.pg_depend d
          JOIN member m ON m.classid = d.refclassid AND m.objid = d.refobjid
         WHERE d.deptype = 'n'
           AND NOT EXISTS (SELECT FROM member x WHERE x.classid = d.classid AND x.objid = d.objid)
    )
    SELECT pg_catalog.string_agg(DISTINCT CASE WHEN x.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                                               -- a view depends through its rule: name the view
                                               THEN (SELECT pg_catalog.pg_describe_object('pg_catalog.pg_class'::pg_catalog.regclass, r.ev_class, 0)
                                                       FROM pg_catalog.pg_rewrite r WHERE r.oid = x.objid)
                                               ELSE pg_catalog.pg_describe_object(x.classid, x.objid, 0) END, ', ') INTO dependents
      FROM dependent x
     WHERE NOT (
        -- the parts of finmon's own objects: views' rules, tables' triggers, constraints and defaults
        (x.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND EXISTS (
             SELECT FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
              WHERE r.oid = x.objid AND c.relnamespace = 'finmon'::pg_catalog.regnamespace))
        OR (x.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND EXISTS (
             SELECT FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
              WHERE t.oid = x.objid AND c.relnamespace = 'finmon'::pg_catalog.regnamespace))
        OR (x.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND EXISTS (
             SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
              WHERE k.oid = x.objid AND c.relnamespace = 'finmon'::pg_catalog.regnamespace))
        OR (x.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND EXISTS (
             SELECT FROM pg_catalog.pg_attrdef a JOIN pg_catalog.pg_class c ON c.oid = a.adrelid
              WHERE a.oid = x.objid AND c.relnamespace = 'finmon'::pg_catalog.regnamespace))
        OR (x.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND EXISTS (
             SELECT FROM pg_catalog.pg_class c WHERE c.oid = x.objid AND c.relnamespace = 'finmon'::pg_catalog.regnamespace))
        OR (x.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND EXISTS (
             SELECT FROM pg_catalog.pg_type t WHERE t.oid = x.objid AND t.typnamespace = 'finmon'::pg_catalog.regnamespace)));
    IF dependents IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '2BP01',
            MESSAGE = 'finmon 2.0.0 replaces objects that objects of your own depend on: ' || dependents,
            HINT = 'Every finmon report gains the council as its first column. Drop these, update, and create them again over the new objects.';
    END IF;
END;
$$;

CREATE SCHEMA finmon_1_0;

-- Every 1.0.0 object leaves the extension and moves to the holding schema, with the ledger's
-- yearly partitions (which were never members).
DO $$
DECLARE
    o record;
    kind text;
BEGIN
    FOR o IN SELECT d.classid, d.objid, (pg_catalog.pg_identify_object(d.classid, d.objid, 0)).*
               FROM pg_catalog.pg_depend d
              WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'finmon')
                AND d.deptype = 'e' LOOP
        CONTINUE WHEN o.type = 'schema';
        kind := CASE o.type WHEN 'composite type' THEN 'type' ELSE o.type END;
        EXECUTE pg_catalog.format('ALTER EXTENSION finmon DROP %s %s', kind, o.identity);
        IF o.type IN ('table', 'view', 'materialized view', 'function', 'aggregate', 'composite type', 'type')
           OR (o.type = 'sequence' AND NOT EXISTS (
                   SELECT FROM pg_catalog.pg_depend s
                    WHERE s.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND s.objid = o.objid AND s.deptype IN ('a', 'i'))) THEN
            EXECUTE pg_catalog.format('ALTER %s %s SET SCHEMA finmon_1_0', kind, o.identity);
        END IF;
    END LOOP;
    FOR o IN SELECT c.oid::pg_catalog.regclass AS name FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'finmon'::pg_catalog.regnamespace AND c.relkind = 'r' AND c.relispartition LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %s SET SCHEMA finmon_1_0', o.name);
    END LOOP;
END;
$$;

-- 2.0.0's objects follow, as on a fresh install.
