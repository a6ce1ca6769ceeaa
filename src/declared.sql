-- Declared types in the reports.  Every view a reader reads whose columns hold numbers gives
-- them in declared types (finmon_data.declared_type: money numeric(18,2), percentages and the
-- measures' values numeric(24,4), counts numeric(18,0), the reconciliation's printed-unit
-- figures numeric(24,6)), so that ODBC and JDBC report a precision and scale.
--
-- Each such view, as the files before this one create it, moves to finmon_data under the same
-- name, with every digit, and finmon gets a view of the same name over it with the casts.  The
-- views and functions that read it (revenue_table_printed prints revenue_table_report's
-- percentages to a layout's places, dashboard and measure_benchmark rate measure_report's
-- values, reconciliation compares report_figures) were bound to it when they were created, so
-- they read it still, every digit, and nothing is rounded twice.  (The period views declare
-- theirs in period_views.sql.)
DO $$
DECLARE
    v record;
    exact regclass;
    declared regclass;
    columns text;
BEGIN
    FOR v IN SELECT c.relname FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'finmon'::regnamespace AND c.relkind = 'v'
                AND c.relname NOT LIKE '%\_period' AND c.relname NOT LIKE '%\_import'
                AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                               AND a.atttypid = 'pg_catalog.numeric'::pg_catalog.regtype AND a.atttypmod < 0)
              ORDER BY c.relname LOOP
        EXECUTE pg_catalog.format('ALTER VIEW finmon.%I SET SCHEMA finmon_data', v.relname);
        exact := pg_catalog.format('finmon_data.%I', v.relname)::regclass;
        columns := finmon_data.declared_columns(exact, v.relname);
        EXECUTE pg_catalog.format('CREATE VIEW finmon.%I AS SELECT %s FROM %s x', v.relname, columns, exact);
        declared := pg_catalog.format('finmon.%I', v.relname)::regclass;
        EXECUTE pg_catalog.format('COMMENT ON VIEW %s IS %L', declared, pg_catalog.obj_description(exact, 'pg_class'));
        PERFORM finmon_data.copy_column_comments(exact, declared);
        EXECUTE pg_catalog.format('COMMENT ON VIEW %s IS %L', exact,
            pg_catalog.format('finmon.%s with every digit, before its numbers are given their declared types: what the views and functions built on it read (internal).',
                              v.relname));
    END LOOP;
END;
$$;
