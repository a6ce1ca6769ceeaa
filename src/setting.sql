-- Settings for printed reports, per council: the service's name in printed labels, the
-- small-number threshold of the performance report.

CREATE TABLE finmon.setting (
    council text NOT NULL REFERENCES finmon.council,
    name text NOT NULL,
    value text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, name)
);
COMMENT ON TABLE finmon.setting IS
    'Settings for printed reports, one row each per council. Known: service_name (e.g. ''Adult Social Care''), used in printed total labels such as "Total Adult Social Care Reserves"; small_number_threshold (default 5); demand_allowance, trend (default) or none (the commitment forecast''s demand allowance). Loaded through finmon.settings_import.';
COMMENT ON COLUMN finmon.setting.council IS 'The council.';
COMMENT ON COLUMN finmon.setting.name IS 'The setting.';
COMMENT ON COLUMN finmon.setting.value IS 'Its value.';
COMMENT ON COLUMN finmon.setting.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon.setting.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon.setting.import_row IS 'The row of that load it came from.';
SELECT pg_catalog.pg_extension_config_dump('finmon.setting', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('settings', 'setting', 'none', 'finmon_admin', 'format(''setting "%s"'', name)',
     'Load settings.csv here: \copy finmon.settings_import FROM ''settings.csv'' WITH (FORMAT csv, HEADER). Header council,name,value: service_name (for printed labels such as "Total Adult Social Care Reserves"), small_number_threshold (default 5) and demand_allowance (trend, the default, or none). A setting already loaded is replaced. For finmon_admin. Always reads as empty.', 70);
INSERT INTO finmon_data.import_column (format, position, name, kind, description) VALUES
    ('settings', 1, 'council', 'council', 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('settings', 2, 'name', 'text', 'The setting: service_name, small_number_threshold or demand_allowance.'),
    ('settings', 3, 'value', 'text', 'Its value.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('settings', 1, '22P02', $sql$
SELECT n.load_row, format('small_number_threshold "%s" is not a count', n.value),
       'The threshold is a number of people or events, zero or more, such as 5.'
  FROM n
 WHERE n.name = 'small_number_threshold' AND n.value !~ '^[0-9]+(\.[0-9]*)?$'
$sql$);
SELECT finmon_data.create_import_view('settings');

-- A label with %s replaced by a service name: what service_label gives, for a view that joins
-- the council's service_name setting itself (on Citus a function called on a shard cannot read
-- another distributed table).
CREATE FUNCTION finmon.label_with_service(template text, service_name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN regexp_replace(replace(template, '%s', COALESCE(service_name, '')), '  +', ' ', 'g');
COMMENT ON FUNCTION finmon.label_with_service(text, text) IS
    'A printed label with %s replaced by a service name (nothing when NULL) and runs of spaces closed up: finmon.service_label given the name (internal).';

-- (PL/pgSQL: on Citus 13.2 a SQL function cannot read a distributed or reference table.)
CREATE FUNCTION finmon.service_label(council text, template text) RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN finmon.label_with_service(template,
               (SELECT s.value FROM finmon.setting s WHERE s.council = service_label.council AND s.name = 'service_name'));
END;
$$;
COMMENT ON FUNCTION finmon.service_label(text, text) IS
    'A printed label with %s replaced by the council''s service_name setting (nothing when unset): (''E10000020'', ''Total %s Reserves'') gives ''Total Adult Social Care Reserves''.';

-- (PL/pgSQL: on Citus 13.2 a SQL function cannot read a distributed or reference table.)
CREATE FUNCTION finmon.small_number_threshold(council text) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN COALESCE((SELECT s.value::numeric FROM finmon.setting s
                      WHERE s.council = small_number_threshold.council AND s.name = 'small_number_threshold'), 5);
END;
$$;
COMMENT ON FUNCTION finmon.small_number_threshold(text) IS
    'Counts below this are suppressed in published columns: the council''s small_number_threshold setting, 5 when unset.';
