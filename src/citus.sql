-- Running on a Citus cluster: finmon.distribute() places finmon's tables on the cluster.
-- Every table holding a council's figures (finmon.council_tables()) is distributed by
-- council, all co-located, so that one council's rows of every table sit on the same node
-- and a query for one council runs there whole. The tables without a council (definitions,
-- formats, measures), the councils themselves, the grants, the audit log (keyed by id) and
-- the refresh's bookkeeping (the change log, whose council may be '*' for every council, the
-- refresh state and the refresh log) are reference tables: a copy on every node. Tables already placed are left as they are, so a second call
-- does nothing.

CREATE FUNCTION finmon.distribute(shard_count integer DEFAULT NULL)
    RETURNS TABLE (table_name regclass, placement text, placed_now boolean)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    anchor regclass;
    left_over text;
    failed text;
    placed regclass[] := ARRAY[]::regclass[];
    by_council text[] := ARRAY(SELECT c.table_name FROM finmon.council_tables() c
                                WHERE c.table_name <> 'finmon_data.refresh_state');
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension e WHERE e.extname = 'citus') THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = 'finmon.distribute() needs the citus extension, which this database does not have',
            HINT = 'On the coordinator: CREATE EXTENSION citus; add the workers (SELECT citus_add_node(host, port)); then SELECT * FROM finmon.distribute().';
    END IF;
    IF NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'finmon.distribute() is for a superuser';
    END IF;
    IF NOT pg_catalog.citus_is_coordinator() THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'finmon.distribute() runs on the coordinator',
            HINT = 'Connect to the Citus coordinator and call it there.';
    END IF;
    IF shard_count IS NOT NULL AND shard_count NOT BETWEEN 1 AND 64000 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('shard_count %s is out of range', shard_count),
            HINT = 'Give 1 to 64000, or nothing for citus.shard_count.';
    END IF;

    -- The functions that write run as finmon_guard, and Citus reaches the workers as the role
    -- running a statement: the guard logs in (pg_hba.conf of each node admits it from the
    -- cluster's own nodes only; see the README). Citus writes rows into shards with COPY,
    -- which row-level security refuses: the guard passes the policies anyway (it has every
    -- council), so BYPASSRLS changes what it may read or write in nothing.
    IF NOT (SELECT r.rolcanlogin AND r.rolbypassrls FROM pg_roles r WHERE r.rolname = 'finmon_guard') THEN
        ALTER ROLE finmon_guard LOGIN BYPASSRLS;
    END IF;

    -- A reference table referenced by finmon tables still local would otherwise make those
    -- Citus local tables, which extension-owned tables cannot become.
    PERFORM set_config('citus.enable_local_reference_table_foreign_keys', 'off', true);

    -- The co-location group: an already distributed finmon table's, or a new one.
    SELECT p.logicalrelid INTO anchor
      FROM pg_catalog.pg_dist_partition p
     WHERE p.partmethod = 'h' AND p.logicalrelid::text = ANY (by_council)
     ORDER BY p.logicalrelid::text LIMIT 1;

    -- Each round places the tables whose foreign keys point only at tables already placed
    -- (or at themselves): reference tables, then the distributed ones, parents first.
    LOOP
        SELECT c.oid::regclass AS rel, c.oid::regclass::text = ANY (by_council) AS distributed INTO t
          FROM pg_class c
         WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace)
           AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                          AND d.refclassid = 'pg_extension'::regclass
                          AND d.refobjid = (SELECT e.oid FROM pg_extension e WHERE e.extname = 'finmon'))
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = c.oid)
           AND NOT EXISTS (SELECT FROM pg_constraint k
                            WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid <> c.oid
                              AND NOT EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = k.confrelid))
         ORDER BY 2, array_position(by_council, c.oid::regclass::text), c.oid::regclass::text
         LIMIT 1;
        EXIT WHEN NOT FOUND;
        IF NOT t.distributed THEN
            PERFORM pg_catalog.create_reference_table(t.rel);
        ELSIF anchor IS NULL THEN
            PERFORM pg_catalog.create_distributed_table(t.rel, 'council', colocate_with => 'none',
                        shard_count => COALESCE(shard_count, current_setting('citus.shard_count')::integer));
            anchor := t.rel;
        ELSE
            PERFORM pg_catalog.create_distributed_table(t.rel, 'council', colocate_with => anchor::text);
        END IF;
        placed := placed || t.rel;
        table_name := t.rel;
        placement := CASE WHEN t.distributed THEN 'distributed by council' ELSE 'reference' END;
        placed_now := true;
        RETURN NEXT;
    END LOOP;

    -- The rows now live in the shards: the coordinator's own copies, hidden since, are
    -- dropped (once no local table refers to them), a partitioned table's in its partitions.
    FOR t IN SELECT p.relid::regclass AS rel
               FROM unnest(placed) x, LATERAL pg_partition_tree(x) p
              WHERE p.isleaf LOOP
        PERFORM pg_catalog.truncate_local_data_after_distributing_table(t.rel);
    END LOOP;

    -- A finmon table left unplaced: its foreign keys point at a table that is not finmon's
    -- (checked before anything is done on the workers, which a refusal here would not undo).
    SELECT string_agg(c.oid::regclass::text, ', ') INTO left_over
      FROM pg_class c
     WHERE c.relnamespace IN ('finmon'::regnamespace, 'finmon_data'::regnamespace)
       AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = c.oid);
    IF left_over IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('finmon.distribute() could not place %s', left_over),
            HINT = 'A table in finmon''s schemas that finmon did not create, or whose foreign keys point outside them: move it out of finmon''s schemas, or place it with create_distributed_table first.';
    END IF;

    -- A reader's query runs on the workers as the reader, not as the owner of the view it
    -- reads: readers read finmon_data's tables of councils' figures, whose rows row-level
    -- security filters (their own councils' rows, raw), and no other (not the audit log, the
    -- grants, the other logs or the formats). Citus propagates a table's grant, not a
    -- schema's: the schema's is given on every node (a worker added later gets it from
    -- finmon's install script). And Citus creates and moves shards as their table's owner:
    -- the guard creates in finmon.
    GRANT USAGE ON SCHEMA finmon_data TO finmon_reader;
    GRANT CREATE ON SCHEMA finmon TO finmon_guard;
    SELECT string_agg(format('%s:%s: %s', w.nodename, w.nodeport, w.result), '; ') INTO failed
      FROM pg_catalog.run_command_on_workers(
               'GRANT USAGE ON SCHEMA finmon_data TO finmon_reader; GRANT CREATE ON SCHEMA finmon TO finmon_guard') w
     WHERE NOT w.success;
    IF failed IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '58000', MESSAGE = format('finmon.distribute() could not grant on a worker: %s', failed);
    END IF;
    FOR t IN SELECT c.oid::regclass AS rel FROM pg_class c
              WHERE c.relnamespace = 'finmon_data'::regnamespace AND c.relkind IN ('r', 'p')
                AND NOT c.relispartition AND c.relforcerowsecurity
                AND c.oid::regclass::text = ANY (by_council) LOOP
        EXECUTE format('GRANT SELECT ON %s TO finmon_reader', t.rel);
    END LOOP;

    -- What was placed before this call.
    FOR t IN SELECT p.logicalrelid AS rel, p.partmethod FROM pg_catalog.pg_dist_partition p
              WHERE (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.oid = p.logicalrelid) IN ('finmon', 'finmon_data')
                AND NOT (SELECT c.relispartition FROM pg_class c WHERE c.oid = p.logicalrelid)
              ORDER BY p.logicalrelid::text LOOP
        CONTINUE WHEN t.rel = ANY (placed);
        table_name := t.rel;
        placement := CASE t.partmethod WHEN 'h' THEN 'distributed by council' WHEN 'n' THEN 'reference'
                                       ELSE 'placed by hand (' || t.partmethod::text || ')' END;
        placed_now := false;
        RETURN NEXT;
    END LOOP;

END;
$$;
COMMENT ON FUNCTION finmon.distribute(integer) IS
    'On a Citus coordinator, as a superuser: distributes finmon''s tables holding councils'' rows by council, co-located (shard_count shards, default citus.shard_count), and makes the rest reference tables; lets finmon_guard log in (restrict it in pg_hba.conf to the cluster''s nodes). Works on a database holding data; a second call changes nothing. One row per table: how it is placed and whether this call placed it.';
