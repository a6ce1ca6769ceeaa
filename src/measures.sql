-- Performance measures: definitions, populations, monthly activity, published values,
-- targets and comparator groups; the measure report (rolling 12 months and year to date,
-- intervals, targets, exceptions, small-number suppression) and benchmarking.

-- A measure period is a month, YYYY-MM, or a financial year, YYYY-YY.  Twelve strings are
-- both (2000-01 to 2011-12: November 2010 or 2010-11?); they are read as financial years.
CREATE FUNCTION finmon.period_month(period text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' AND period !~ '^0000' AND NOT finmon.is_financial_year(period)
            THEN (period || '-01')::date END;
COMMENT ON FUNCTION finmon.period_month(text) IS
    'The first day of a measure period that is a month (YYYY-MM); NULL for a financial year (YYYY-YY, which wins for the twelve strings that could be either, 2000-01 to 2011-12) or anything else.';

CREATE TABLE finmon.measure (
    measure text PRIMARY KEY CHECK (measure <> ''),
    title text NOT NULL,
    unit text NOT NULL,
    multiplier numeric NOT NULL CHECK (multiplier > 0),
    age_band text,
    polarity text NOT NULL CHECK (polarity IN ('lower', 'higher')),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer
);
COMMENT ON TABLE finmon.measure IS 'Performance measures. Loaded through finmon.measures_import.';
COMMENT ON COLUMN finmon.measure.measure IS 'The measure''s code, e.g. 2A(2).';
COMMENT ON COLUMN finmon.measure.title IS 'Its title as published.';
COMMENT ON COLUMN finmon.measure.unit IS 'Its unit as printed: ''per 100000'', ''%'', ''score'', ''count''.';
COMMENT ON COLUMN finmon.measure.multiplier IS 'numerator / denominator * multiplier is the value: 100000 for a rate per 100,000, 100 for a percentage.';
COMMENT ON COLUMN finmon.measure.age_band IS 'The population''s age band for a rate per head (e.g. 65+); NULL for proportions.';
COMMENT ON COLUMN finmon.measure.polarity IS '''lower'' or ''higher'': which way is better.';
COMMENT ON COLUMN finmon.measure.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.measure.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.measure.import_row IS 'The row number in that load; orders the measures as the file did.';

CREATE TABLE finmon.population (
    area text NOT NULL CHECK (area <> ''),
    year integer NOT NULL CHECK (year BETWEEN 1 AND 9999),
    age_band text NOT NULL CHECK (age_band <> ''),
    population numeric NOT NULL CHECK (population >= 0),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (area, age_band, year)
);
COMMENT ON TABLE finmon.population IS 'Mid-year population estimates (ONS) per area, calendar year and age band. Loaded through finmon.population_import.';
COMMENT ON COLUMN finmon.population.area IS 'The area (council).';
COMMENT ON COLUMN finmon.population.year IS 'The calendar year of the mid-year (30 June) estimate.';
COMMENT ON COLUMN finmon.population.age_band IS 'The age band, as the measures name it (e.g. 18-64, 65+).';
COMMENT ON COLUMN finmon.population.population IS 'The estimate.';
COMMENT ON COLUMN finmon.population.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.population.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.population.import_row IS 'The row number in that load.';

CREATE TABLE finmon.activity (
    measure text NOT NULL REFERENCES finmon.measure,
    area text NOT NULL CHECK (area <> ''),
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    numerator numeric NOT NULL CHECK (numerator >= 0),
    denominator numeric CHECK (denominator >= numerator),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (measure, area, month)
);
COMMENT ON TABLE finmon.activity IS 'Monthly counts per measure and area: the numerator, and the denominator for a proportion (NULL for a rate per head of population). Loaded through finmon.activity_import.';
COMMENT ON COLUMN finmon.activity.measure IS 'The measure.';
COMMENT ON COLUMN finmon.activity.area IS 'The area.';
COMMENT ON COLUMN finmon.activity.month IS 'The first day of the month.';
COMMENT ON COLUMN finmon.activity.numerator IS 'The month''s count (admissions, people, days).';
COMMENT ON COLUMN finmon.activity.denominator IS 'For a proportion, the month''s denominator; NULL for a rate per head, whose denominator is the population.';
COMMENT ON COLUMN finmon.activity.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.activity.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.activity.import_row IS 'The row number in that load.';

CREATE TABLE finmon.published_value (
    measure text NOT NULL REFERENCES finmon.measure,
    area text NOT NULL CHECK (area <> ''),
    period text NOT NULL CHECK (finmon.period_month(period) IS NOT NULL OR finmon.is_financial_year(period)),
    value numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (measure, area, period)
);
COMMENT ON TABLE finmon.published_value IS 'Published values of a measure where the counts are not available (a dashboard''s monthly values, the ASCOF tables), for a month (YYYY-MM) or a financial year (YYYY-YY). Loaded through finmon.values_import.';
COMMENT ON COLUMN finmon.published_value.measure IS 'The measure.';
COMMENT ON COLUMN finmon.published_value.area IS 'The area.';
COMMENT ON COLUMN finmon.published_value.period IS 'YYYY-MM (a month, e.g. the rolling 12 months to it) or YYYY-YY (a financial year).';
COMMENT ON COLUMN finmon.published_value.value IS 'The value in the measure''s unit, with its printed decimal places.';
COMMENT ON COLUMN finmon.published_value.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.published_value.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.published_value.import_row IS 'The row number in that load.';

CREATE TABLE finmon.measure_target (
    measure text NOT NULL REFERENCES finmon.measure,
    area text NOT NULL CHECK (area <> ''),
    period text NOT NULL CHECK (finmon.period_month(period) IS NOT NULL OR finmon.is_financial_year(period)),
    target numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (measure, area, period)
);
COMMENT ON TABLE finmon.measure_target IS 'Targets in the measure''s unit, for a month (YYYY-MM) or a whole financial year (YYYY-YY, applying to each of its months). Loaded through finmon.targets_import.';
COMMENT ON COLUMN finmon.measure_target.measure IS 'The measure.';
COMMENT ON COLUMN finmon.measure_target.area IS 'The area.';
COMMENT ON COLUMN finmon.measure_target.period IS 'YYYY-MM or YYYY-YY; a month''s own target wins over its year''s.';
COMMENT ON COLUMN finmon.measure_target.target IS 'The target, in the measure''s unit.';
COMMENT ON COLUMN finmon.measure_target.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.measure_target.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.measure_target.import_row IS 'The row number in that load.';

CREATE TABLE finmon.comparator (
    comparator_group text NOT NULL CHECK (comparator_group <> ''),
    area text NOT NULL CHECK (area <> ''),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (comparator_group, area)
);
COMMENT ON TABLE finmon.comparator IS 'Comparator (family) groups of councils: one row per member, the council itself included. Loaded through finmon.comparators_import.';
COMMENT ON COLUMN finmon.comparator.comparator_group IS 'The group''s name (the file''s "group").';
COMMENT ON COLUMN finmon.comparator.area IS 'A member.';
COMMENT ON COLUMN finmon.comparator.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.comparator.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.comparator.import_row IS 'The row number in that load.';

CREATE TABLE finmon.published_benchmark (
    measure text NOT NULL REFERENCES finmon.measure,
    comparator_group text NOT NULL CHECK (comparator_group <> ''),
    area text NOT NULL CHECK (area <> ''),
    period text NOT NULL CHECK (finmon.is_financial_year(period)),
    group_average numeric NOT NULL,
    rank integer NOT NULL CHECK (rank >= 1),
    group_size integer NOT NULL CHECK (group_size >= rank),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (measure, comparator_group, area, period)
);
COMMENT ON TABLE finmon.published_benchmark IS 'A comparator group''s average and an area''s rank as published, for when the other members'' values are not loaded. Loaded through finmon.benchmarks_import.';
COMMENT ON COLUMN finmon.published_benchmark.measure IS 'The measure.';
COMMENT ON COLUMN finmon.published_benchmark.comparator_group IS 'The comparator group.';
COMMENT ON COLUMN finmon.published_benchmark.area IS 'The area ranked.';
COMMENT ON COLUMN finmon.published_benchmark.period IS 'The financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.published_benchmark.group_average IS 'The group''s average as published.';
COMMENT ON COLUMN finmon.published_benchmark.rank IS 'The area''s rank in the group, 1 = best.';
COMMENT ON COLUMN finmon.published_benchmark.group_size IS 'How many councils were ranked.';
COMMENT ON COLUMN finmon.published_benchmark.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.published_benchmark.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.published_benchmark.import_row IS 'The row number in that load.';

SELECT pg_catalog.pg_extension_config_dump('finmon.measure', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.population', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.activity', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.published_value', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.measure_target', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.comparator', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.published_benchmark', '');

-- Import checks ------------------------------------------------------------------

CREATE FUNCTION finmon.month_problem(column_name text, value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', format('%s is empty', column_name), NULL]
    WHEN btrim(value) !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' OR btrim(value) LIKE '0000%' THEN
        ARRAY['22007', format('invalid month "%s"', value), 'A month is written YYYY-MM, as in "2016-11".']
END;
COMMENT ON FUNCTION finmon.month_problem(text, text) IS
    'What is wrong with an imported month, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

CREATE FUNCTION finmon.measure_period_problem(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', 'period is empty', NULL]
    WHEN finmon.period_month(btrim(value)) IS NULL AND NOT finmon.is_financial_year(btrim(value)) THEN
        ARRAY['22007', format('invalid period "%s"', value),
              'A period is a month, YYYY-MM ("2016-11"), or a financial year, YYYY-YY ("2015-16").']
END;
COMMENT ON FUNCTION finmon.measure_period_problem(text) IS
    'What is wrong with an imported measure period (a month or a financial year), as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

CREATE FUNCTION finmon.count_problem(column_name text, value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN COALESCE(finmon.amount_problem(column_name, value),
                CASE WHEN btrim(value)::numeric < 0 THEN
                    ARRAY['22023', format('%s %s is negative', column_name, btrim(value)),
                          'Counts and populations are numbers of people or events: zero or more.'] END);
COMMENT ON FUNCTION finmon.count_problem(text, text) IS
    'What is wrong with an imported count or population (must be a number, zero or more), as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

CREATE FUNCTION finmon.known_measure_problem(value text) RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', 'measure is empty', NULL]
    WHEN NOT EXISTS (SELECT FROM finmon.measure m WHERE m.measure = btrim(value)) THEN
        ARRAY['23503', format('measure "%s" is not defined', btrim(value)),
              'Load measures.csv, with this measure, first.']
END;
COMMENT ON FUNCTION finmon.known_measure_problem(text) IS
    'The 23503 problem for a measure not in finmon.measure; NULL when it is (internal).';

-- Imports ---------------------------------------------------------------------------

CREATE FUNCTION finmon.measures_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.text_problem('measure', NEW.measure),
                        finmon.text_problem('title', NEW.title),
                        finmon.text_problem('unit', NEW.unit),
                        finmon.amount_problem('multiplier', NEW.multiplier),
                        CASE WHEN btrim(NEW.multiplier)::numeric <= 0 THEN
                            ARRAY['22023', format('multiplier %s is not positive', btrim(NEW.multiplier)),
                                  'Use 100000 for a rate per 100,000, 100 for a percentage, 1 for a score.'] END,
                        finmon.text_problem('polarity', NEW.polarity),
                        CASE WHEN lower(btrim(NEW.polarity)) NOT IN ('lower', 'higher') THEN
                            ARRAY['22023', format('polarity "%s" is not lower or higher', NEW.polarity),
                                  'polarity says which way is better: lower or higher.'] END);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    INSERT INTO finmon.measure AS m (measure, title, unit, multiplier, age_band, polarity, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.measure), btrim(NEW.title), btrim(NEW.unit), btrim(NEW.multiplier)::numeric,
            NULLIF(btrim(NEW.age_band), ''), lower(btrim(NEW.polarity)), now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT measure_pkey DO UPDATE
       SET title = excluded.title, unit = excluded.unit, multiplier = excluded.multiplier,
           age_band = excluded.age_band, polarity = excluded.polarity, loaded_at = excluded.loaded_at,
           import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE m.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT m.import_row INTO first_row FROM finmon.measure m WHERE m.measure = btrim(NEW.measure);
    END IF;
    problem := finmon.duplicate_problem(written, format('measure "%s"', btrim(NEW.measure)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.measures_import_row() IS
    'Trigger function of finmon.measures_import: checks a row and stores it, replacing an earlier load''s definition (internal).';

CREATE VIEW finmon.measures_import AS
    SELECT NULL::text AS measure, NULL::text AS title, NULL::text AS unit, NULL::text AS multiplier,
           NULL::text AS age_band, NULL::text AS polarity
     WHERE false;
COMMENT ON VIEW finmon.measures_import IS
    'Load measures.csv here: \copy finmon.measures_import FROM ''measures.csv'' WITH (FORMAT csv, HEADER). Header measure,title,unit,multiplier,age_band,polarity; polarity lower or higher. A measure already loaded is replaced; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.measures_import.measure IS 'Code, e.g. 2A(2).';
COMMENT ON COLUMN finmon.measures_import.title IS 'Title.';
COMMENT ON COLUMN finmon.measures_import.unit IS 'Unit as printed, e.g. per 100000, %.';
COMMENT ON COLUMN finmon.measures_import.multiplier IS '100000, 100, 1, ...';
COMMENT ON COLUMN finmon.measures_import.age_band IS 'Population age band for rates per head; may be empty.';
COMMENT ON COLUMN finmon.measures_import.polarity IS 'lower or higher (which is better).';
CREATE TRIGGER measures_import_begin BEFORE INSERT ON finmon.measures_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER measures_import_row INSTEAD OF INSERT ON finmon.measures_import
    FOR EACH ROW EXECUTE FUNCTION finmon.measures_import_row();

CREATE FUNCTION finmon.population_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.text_problem('area', NEW.area),
                        finmon.text_problem('year', NEW.year),
                        CASE WHEN btrim(NEW.year) !~ '^[0-9]{4}$' OR btrim(NEW.year) = '0000' THEN
                            ARRAY['22007', format('invalid year "%s"', NEW.year),
                                  'The year of a mid-year estimate is a calendar year, as in "2016".'] END,
                        finmon.text_problem('age_band', NEW.age_band),
                        finmon.count_problem('population', NEW.population));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    INSERT INTO finmon.population AS p (area, year, age_band, population, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.area), btrim(NEW.year)::integer, btrim(NEW.age_band), btrim(NEW.population)::numeric,
            now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT population_pkey DO UPDATE
       SET population = excluded.population, loaded_at = excluded.loaded_at,
           import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE p.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT p.import_row INTO first_row FROM finmon.population p
         WHERE (p.area, p.year, p.age_band) = (btrim(NEW.area), btrim(NEW.year)::integer, btrim(NEW.age_band));
    END IF;
    problem := finmon.duplicate_problem(written, format('population of %s %s in %s', btrim(NEW.area),
                                        btrim(NEW.age_band), btrim(NEW.year)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.population_import_row() IS
    'Trigger function of finmon.population_import: checks a row and stores it, replacing an earlier load''s estimate (internal).';

CREATE VIEW finmon.population_import AS
    SELECT NULL::text AS area, NULL::text AS year, NULL::text AS age_band, NULL::text AS population WHERE false;
COMMENT ON VIEW finmon.population_import IS
    'Load population.csv here: \copy finmon.population_import FROM ''population.csv'' WITH (FORMAT csv, HEADER). Header area,year,age_band,population (ONS mid-year estimates). An estimate already loaded is replaced; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.population_import.area IS 'The area.';
COMMENT ON COLUMN finmon.population_import.year IS 'Calendar year of the mid-year estimate, YYYY.';
COMMENT ON COLUMN finmon.population_import.age_band IS 'Age band, as the measures name it.';
COMMENT ON COLUMN finmon.population_import.population IS 'The estimate, zero or more.';
CREATE TRIGGER population_import_begin BEFORE INSERT ON finmon.population_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER population_import_row INSTEAD OF INSERT ON finmon.population_import
    FOR EACH ROW EXECUTE FUNCTION finmon.population_import_row();

CREATE FUNCTION finmon.activity_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.known_measure_problem(NEW.measure),
                        finmon.text_problem('area', NEW.area),
                        finmon.month_problem('month', NEW.month),
                        finmon.count_problem('numerator', NEW.numerator),
                        CASE WHEN btrim(NEW.denominator) <> '' THEN finmon.count_problem('denominator', NEW.denominator) END,
                        CASE WHEN btrim(NEW.denominator) <> ''
                              AND btrim(NEW.numerator)::numeric > btrim(NEW.denominator)::numeric THEN
                            ARRAY['22023', format('numerator %s is greater than denominator %s',
                                                  btrim(NEW.numerator), btrim(NEW.denominator)),
                                  'A proportion counts part of its denominator.'] END);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    INSERT INTO finmon.activity AS a (measure, area, month, numerator, denominator, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.measure), btrim(NEW.area), (btrim(NEW.month) || '-01')::date, btrim(NEW.numerator)::numeric,
            NULLIF(btrim(NEW.denominator), '')::numeric, now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT activity_pkey DO UPDATE
       SET numerator = excluded.numerator, denominator = excluded.denominator, loaded_at = excluded.loaded_at,
           import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE a.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT a.import_row INTO first_row FROM finmon.activity a
         WHERE (a.measure, a.area, a.month) = (btrim(NEW.measure), btrim(NEW.area), (btrim(NEW.month) || '-01')::date);
    END IF;
    problem := finmon.duplicate_problem(written, format('%s for %s in %s', btrim(NEW.measure), btrim(NEW.area),
                                        btrim(NEW.month)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.activity_import_row() IS
    'Trigger function of finmon.activity_import: checks a row and stores it, replacing an earlier load''s counts (internal).';

CREATE VIEW finmon.activity_import AS
    SELECT NULL::text AS measure, NULL::text AS area, NULL::text AS month, NULL::text AS numerator,
           NULL::text AS denominator
     WHERE false;
COMMENT ON VIEW finmon.activity_import IS
    'Load activity.csv here: \copy finmon.activity_import FROM ''activity.csv'' WITH (FORMAT csv, HEADER). Header measure,area,month,numerator,denominator; month YYYY-MM; denominator empty for a rate per head of population. Counts already loaded are replaced; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.activity_import.measure IS 'A measure in finmon.measure.';
COMMENT ON COLUMN finmon.activity_import.area IS 'The area.';
COMMENT ON COLUMN finmon.activity_import.month IS 'YYYY-MM.';
COMMENT ON COLUMN finmon.activity_import.numerator IS 'The month''s count, zero or more.';
COMMENT ON COLUMN finmon.activity_import.denominator IS 'For a proportion, its denominator; empty for a rate per head.';
CREATE TRIGGER activity_import_begin BEFORE INSERT ON finmon.activity_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER activity_import_row INSTEAD OF INSERT ON finmon.activity_import
    FOR EACH ROW EXECUTE FUNCTION finmon.activity_import_row();

-- values.csv and targets.csv share a shape: measure, area, period, amount.
CREATE FUNCTION finmon.measure_value_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    is_target boolean := TG_TABLE_NAME = 'targets_import';
    amount text := CASE WHEN TG_TABLE_NAME = 'targets_import' THEN to_jsonb(NEW) ->> 'target'
                        ELSE to_jsonb(NEW) ->> 'value' END;
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.known_measure_problem(NEW.measure),
                        finmon.text_problem('area', NEW.area),
                        finmon.measure_period_problem(NEW.period),
                        finmon.amount_problem(CASE WHEN is_target THEN 'target' ELSE 'value' END, amount));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    IF is_target THEN
        INSERT INTO finmon.measure_target AS t (measure, area, period, target, loaded_at, import_batch, import_row)
        VALUES (btrim(NEW.measure), btrim(NEW.area), btrim(NEW.period), btrim(amount)::numeric, now(),
                load.batch, load.row_number)
        ON CONFLICT ON CONSTRAINT measure_target_pkey DO UPDATE
           SET target = excluded.target, loaded_at = excluded.loaded_at,
               import_batch = excluded.import_batch, import_row = excluded.import_row
         WHERE t.import_batch IS DISTINCT FROM excluded.import_batch;
        GET DIAGNOSTICS written = ROW_COUNT;
        IF written = 0 THEN
            SELECT t.import_row INTO first_row FROM finmon.measure_target t
             WHERE (t.measure, t.area, t.period) = (btrim(NEW.measure), btrim(NEW.area), btrim(NEW.period));
        END IF;
    ELSE
        INSERT INTO finmon.published_value AS v (measure, area, period, value, loaded_at, import_batch, import_row)
        VALUES (btrim(NEW.measure), btrim(NEW.area), btrim(NEW.period), btrim(amount)::numeric, now(),
                load.batch, load.row_number)
        ON CONFLICT ON CONSTRAINT published_value_pkey DO UPDATE
           SET value = excluded.value, loaded_at = excluded.loaded_at,
               import_batch = excluded.import_batch, import_row = excluded.import_row
         WHERE v.import_batch IS DISTINCT FROM excluded.import_batch;
        GET DIAGNOSTICS written = ROW_COUNT;
        IF written = 0 THEN
            SELECT v.import_row INTO first_row FROM finmon.published_value v
             WHERE (v.measure, v.area, v.period) = (btrim(NEW.measure), btrim(NEW.area), btrim(NEW.period));
        END IF;
    END IF;
    problem := finmon.duplicate_problem(written, format('%s for %s in %s', btrim(NEW.measure), btrim(NEW.area),
                                        btrim(NEW.period)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.measure_value_import_row() IS
    'Trigger function of finmon.values_import and finmon.targets_import: checks a row and stores it, replacing an earlier load''s value or target (internal).';

CREATE VIEW finmon.values_import AS
    SELECT NULL::text AS measure, NULL::text AS area, NULL::text AS period, NULL::text AS value WHERE false;
COMMENT ON VIEW finmon.values_import IS
    'Load values.csv here: \copy finmon.values_import FROM ''values.csv'' WITH (FORMAT csv, HEADER). Header measure,area,period,value; period YYYY-MM or YYYY-YY; the value in the measure''s unit, as published. A value already loaded is replaced; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.values_import.measure IS 'A measure in finmon.measure.';
COMMENT ON COLUMN finmon.values_import.area IS 'The area.';
COMMENT ON COLUMN finmon.values_import.period IS 'YYYY-MM or YYYY-YY.';
COMMENT ON COLUMN finmon.values_import.value IS 'The published value.';
CREATE TRIGGER values_import_begin BEFORE INSERT ON finmon.values_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER values_import_row INSTEAD OF INSERT ON finmon.values_import
    FOR EACH ROW EXECUTE FUNCTION finmon.measure_value_import_row();

CREATE VIEW finmon.targets_import AS
    SELECT NULL::text AS measure, NULL::text AS area, NULL::text AS period, NULL::text AS target WHERE false;
COMMENT ON VIEW finmon.targets_import IS
    'Load targets.csv here: \copy finmon.targets_import FROM ''targets.csv'' WITH (FORMAT csv, HEADER). Header measure,area,period,target; period YYYY-MM (one month) or YYYY-YY (each month of the year). A target already loaded is replaced; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.targets_import.measure IS 'A measure in finmon.measure.';
COMMENT ON COLUMN finmon.targets_import.area IS 'The area.';
COMMENT ON COLUMN finmon.targets_import.period IS 'YYYY-MM or YYYY-YY.';
COMMENT ON COLUMN finmon.targets_import.target IS 'The target in the measure''s unit.';
CREATE TRIGGER targets_import_begin BEFORE INSERT ON finmon.targets_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER targets_import_row INSTEAD OF INSERT ON finmon.targets_import
    FOR EACH ROW EXECUTE FUNCTION finmon.measure_value_import_row();

CREATE FUNCTION finmon.comparators_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.text_problem('group', NEW."group"), finmon.text_problem('area', NEW.area));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    INSERT INTO finmon.comparator AS c (comparator_group, area, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW."group"), btrim(NEW.area), now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT comparator_pkey DO UPDATE
       SET loaded_at = excluded.loaded_at, import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE c.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT c.import_row INTO first_row FROM finmon.comparator c
         WHERE (c.comparator_group, c.area) = (btrim(NEW."group"), btrim(NEW.area));
    END IF;
    problem := finmon.duplicate_problem(written, format('%s in %s', btrim(NEW.area), btrim(NEW."group")), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.comparators_import_row() IS
    'Trigger function of finmon.comparators_import: checks a row and stores it (internal).';

CREATE VIEW finmon.comparators_import AS
    SELECT NULL::text AS "group", NULL::text AS area WHERE false;
COMMENT ON VIEW finmon.comparators_import IS
    'Load comparators.csv here: \copy finmon.comparators_import FROM ''comparators.csv'' WITH (FORMAT csv, HEADER). Header group,area; one row per member, the council itself included. A bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.comparators_import."group" IS 'The comparator group''s name.';
COMMENT ON COLUMN finmon.comparators_import.area IS 'A member council.';
CREATE TRIGGER comparators_import_begin BEFORE INSERT ON finmon.comparators_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER comparators_import_row INSTEAD OF INSERT ON finmon.comparators_import
    FOR EACH ROW EXECUTE FUNCTION finmon.comparators_import_row();

CREATE FUNCTION finmon.benchmarks_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.known_measure_problem(NEW.measure),
                        finmon.text_problem('group', NEW."group"),
                        finmon.text_problem('area', NEW.area),
                        finmon.financial_year_problem(NEW.period),
                        finmon.amount_problem('group_average', NEW.group_average),
                        CASE WHEN btrim(COALESCE(NEW.rank, '')) !~ '^[0-9]+$' OR btrim(NEW.rank)::integer < 1 THEN
                            ARRAY['22P02', format('rank "%s" is not a whole number from 1', NEW.rank), NULL] END,
                        CASE WHEN btrim(COALESCE(NEW.group_size, '')) !~ '^[0-9]+$'
                              OR btrim(NEW.group_size)::integer < btrim(NEW.rank)::integer THEN
                            ARRAY['22P02', format('group_size "%s" is not a whole number of at least the rank', NEW.group_size), NULL] END);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    INSERT INTO finmon.published_benchmark AS b
           (measure, comparator_group, area, period, group_average, rank, group_size, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.measure), btrim(NEW."group"), btrim(NEW.area), btrim(NEW.period), btrim(NEW.group_average)::numeric,
            btrim(NEW.rank)::integer, btrim(NEW.group_size)::integer, now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT published_benchmark_pkey DO UPDATE
       SET group_average = excluded.group_average, rank = excluded.rank, group_size = excluded.group_size,
           loaded_at = excluded.loaded_at, import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE b.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT b.import_row INTO first_row FROM finmon.published_benchmark b
         WHERE (b.measure, b.comparator_group, b.area, b.period)
             = (btrim(NEW.measure), btrim(NEW."group"), btrim(NEW.area), btrim(NEW.period));
    END IF;
    problem := finmon.duplicate_problem(written, format('%s for %s in %s', btrim(NEW.measure), btrim(NEW.area),
                                        btrim(NEW.period)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.benchmarks_import_row() IS
    'Trigger function of finmon.benchmarks_import: checks a row and stores it, replacing an earlier load''s (internal).';

CREATE VIEW finmon.benchmarks_import AS
    SELECT NULL::text AS measure, NULL::text AS "group", NULL::text AS area, NULL::text AS period,
           NULL::text AS group_average, NULL::text AS rank, NULL::text AS group_size
     WHERE false;
COMMENT ON VIEW finmon.benchmarks_import IS
    'Load benchmarks.csv here: \copy finmon.benchmarks_import FROM ''benchmarks.csv'' WITH (FORMAT csv, HEADER). Header measure,group,area,period,group_average,rank,group_size: a comparator group''s average and an area''s rank as published, for when the members'' values are not loaded. A bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.benchmarks_import.measure IS 'A measure in finmon.measure.';
COMMENT ON COLUMN finmon.benchmarks_import."group" IS 'The comparator group.';
COMMENT ON COLUMN finmon.benchmarks_import.area IS 'The area ranked.';
COMMENT ON COLUMN finmon.benchmarks_import.period IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.benchmarks_import.group_average IS 'The group average as published.';
COMMENT ON COLUMN finmon.benchmarks_import.rank IS 'The area''s rank, 1 = best.';
COMMENT ON COLUMN finmon.benchmarks_import.group_size IS 'How many were ranked.';
CREATE TRIGGER benchmarks_import_begin BEFORE INSERT ON finmon.benchmarks_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER benchmarks_import_row INSTEAD OF INSERT ON finmon.benchmarks_import
    FOR EACH ROW EXECUTE FUNCTION finmon.benchmarks_import_row();
