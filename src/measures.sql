-- Performance measures: definitions (shared by every council), and each council's
-- populations, monthly activity, published values, targets and comparator groups.

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
COMMENT ON TABLE finmon.measure IS 'Performance measures, shared by every council (a council''s own measures need codes no other council uses). Loaded through finmon.measures_import.';
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
    council text NOT NULL REFERENCES finmon.council,
    area text NOT NULL CHECK (area <> ''),
    year integer NOT NULL CHECK (year BETWEEN 1 AND 9999),
    age_band text NOT NULL CHECK (age_band <> ''),
    population numeric NOT NULL CHECK (population >= 0),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, area, age_band, year)
);
COMMENT ON TABLE finmon.population IS 'Mid-year population estimates (ONS) per area, calendar year and age band. Loaded through finmon.population_import.';
COMMENT ON COLUMN finmon.population.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon.population.area IS 'The area (the council, or a part of it).';
COMMENT ON COLUMN finmon.population.year IS 'The calendar year of the mid-year (30 June) estimate.';
COMMENT ON COLUMN finmon.population.age_band IS 'The age band, as the measures name it (e.g. 18-64, 65+).';
COMMENT ON COLUMN finmon.population.population IS 'The estimate.';
COMMENT ON COLUMN finmon.population.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.population.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.population.import_row IS 'The row number in that load.';

CREATE TABLE finmon_data.activity (
    council text NOT NULL REFERENCES finmon.council,
    measure text NOT NULL REFERENCES finmon.measure,
    area text NOT NULL CHECK (area <> ''),
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    numerator numeric NOT NULL CHECK (numerator >= 0),
    denominator numeric CHECK (denominator >= numerator),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, measure, area, month)
);
COMMENT ON TABLE finmon_data.activity IS 'Monthly counts per measure and area: the numerator, and the denominator for a proportion (NULL for a rate per head of population). Loaded through finmon.activity_import.';
COMMENT ON COLUMN finmon_data.activity.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon_data.activity.measure IS 'The measure.';
COMMENT ON COLUMN finmon_data.activity.area IS 'The area.';
COMMENT ON COLUMN finmon_data.activity.month IS 'The first day of the month.';
COMMENT ON COLUMN finmon_data.activity.numerator IS 'The month''s count (admissions, people, days).';
COMMENT ON COLUMN finmon_data.activity.denominator IS 'For a proportion, the month''s denominator; NULL for a rate per head, whose denominator is the population.';
COMMENT ON COLUMN finmon_data.activity.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.activity.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.activity.import_row IS 'The row number in that load.';

CREATE TABLE finmon_data.published_value (
    council text NOT NULL REFERENCES finmon.council,
    measure text NOT NULL REFERENCES finmon.measure,
    area text NOT NULL CHECK (area <> ''),
    period text NOT NULL CHECK (finmon.period_month(period) IS NOT NULL OR finmon.is_financial_year(period)),
    value numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, measure, area, period)
);
COMMENT ON TABLE finmon_data.published_value IS 'Published values of a measure where the counts are not available (a dashboard''s monthly values, the ASCOF tables), for a month (YYYY-MM) or a financial year (YYYY-YY). Loaded through finmon.values_import.';
COMMENT ON COLUMN finmon_data.published_value.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon_data.published_value.measure IS 'The measure.';
COMMENT ON COLUMN finmon_data.published_value.area IS 'The area.';
COMMENT ON COLUMN finmon_data.published_value.period IS 'YYYY-MM (a month, e.g. the rolling 12 months to it) or YYYY-YY (a financial year).';
COMMENT ON COLUMN finmon_data.published_value.value IS 'The value in the measure''s unit, with its printed decimal places.';
COMMENT ON COLUMN finmon_data.published_value.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.published_value.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.published_value.import_row IS 'The row number in that load.';

CREATE TABLE finmon_data.measure_target (
    council text NOT NULL REFERENCES finmon.council,
    measure text NOT NULL REFERENCES finmon.measure,
    area text NOT NULL CHECK (area <> ''),
    period text NOT NULL CHECK (finmon.period_month(period) IS NOT NULL OR finmon.is_financial_year(period)),
    target numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, measure, area, period)
);
COMMENT ON TABLE finmon_data.measure_target IS 'Targets in the measure''s unit, for a month (YYYY-MM) or a whole financial year (YYYY-YY, applying to each of its months). Loaded through finmon.targets_import.';
COMMENT ON COLUMN finmon_data.measure_target.council IS 'The council whose targets these are.';
COMMENT ON COLUMN finmon_data.measure_target.measure IS 'The measure.';
COMMENT ON COLUMN finmon_data.measure_target.area IS 'The area.';
COMMENT ON COLUMN finmon_data.measure_target.period IS 'YYYY-MM or YYYY-YY; a month''s own target wins over its year''s.';
COMMENT ON COLUMN finmon_data.measure_target.target IS 'The target, in the measure''s unit.';
COMMENT ON COLUMN finmon_data.measure_target.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.measure_target.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.measure_target.import_row IS 'The row number in that load.';

CREATE TABLE finmon_data.comparator (
    council text NOT NULL REFERENCES finmon.council,
    comparator_group text NOT NULL CHECK (comparator_group <> ''),
    area text NOT NULL CHECK (area <> ''),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, comparator_group, area)
);
COMMENT ON TABLE finmon_data.comparator IS 'Comparator (family) groups of councils, as each council compares itself: one row per member, the council itself included. Loaded through finmon.comparators_import.';
COMMENT ON COLUMN finmon_data.comparator.council IS 'The council whose group this is.';
COMMENT ON COLUMN finmon_data.comparator.comparator_group IS 'The group''s name (the file''s "group").';
COMMENT ON COLUMN finmon_data.comparator.area IS 'A member.';
COMMENT ON COLUMN finmon_data.comparator.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.comparator.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.comparator.import_row IS 'The row number in that load.';

CREATE TABLE finmon_data.published_benchmark (
    council text NOT NULL REFERENCES finmon.council,
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
    PRIMARY KEY (council, measure, comparator_group, area, period)
);
COMMENT ON TABLE finmon_data.published_benchmark IS 'A comparator group''s average and an area''s rank as published, for when the other members'' values are not loaded. Loaded through finmon.benchmarks_import.';
COMMENT ON COLUMN finmon_data.published_benchmark.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon_data.published_benchmark.measure IS 'The measure.';
COMMENT ON COLUMN finmon_data.published_benchmark.comparator_group IS 'The comparator group.';
COMMENT ON COLUMN finmon_data.published_benchmark.area IS 'The area ranked.';
COMMENT ON COLUMN finmon_data.published_benchmark.period IS 'The financial year, YYYY-YY.';
COMMENT ON COLUMN finmon_data.published_benchmark.group_average IS 'The group''s average as published.';
COMMENT ON COLUMN finmon_data.published_benchmark.rank IS 'The area''s rank in the group, 1 = best.';
COMMENT ON COLUMN finmon_data.published_benchmark.group_size IS 'How many councils were ranked.';
COMMENT ON COLUMN finmon_data.published_benchmark.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.published_benchmark.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.published_benchmark.import_row IS 'The row number in that load.';

SELECT pg_catalog.pg_extension_config_dump('finmon.measure', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.population', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.activity', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.published_value', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.measure_target', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.comparator', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.published_benchmark', '');

-- Imports ---------------------------------------------------------------------------

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('measures', 'measure', 'measure', 'every council', 'format(''measure "%s"'', measure)',
     'Load measures.csv here: \copy finmon.measures_import FROM ''measures.csv'' WITH (FORMAT csv, HEADER). Header measure,title,unit,multiplier,age_band,polarity (no council: definitions are shared by every council, so only a role given every council loads them); polarity lower or higher. A measure already loaded is replaced; a bad row fails the whole load. Always reads as empty.', 80),
    ('population', 'population', 'population', 'finmon_editor', 'format(''population of %s %s in %s'', area, age_band, year)',
     'Load population.csv here: \copy finmon.population_import FROM ''population.csv'' WITH (FORMAT csv, HEADER). Header council,area,year,age_band,population (ONS mid-year estimates). An estimate already loaded is replaced; a bad row fails the whole load. Always reads as empty.', 81),
    ('activity', 'activity', 'month', 'finmon_editor', 'format(''%s for %s in %s'', measure, area, to_char(month, ''YYYY-MM''))',
     'Load activity.csv here: \copy finmon.activity_import FROM ''activity.csv'' WITH (FORMAT csv, HEADER). Header council,measure,area,month,numerator,denominator; month YYYY-MM; denominator empty for a rate per head of population. Counts already loaded are replaced; a bad row fails the whole load. Always reads as empty.', 82),
    ('values', 'published_value', 'measure period', 'finmon_editor', 'format(''%s for %s in %s'', measure, area, period)',
     'Load values.csv here: \copy finmon.values_import FROM ''values.csv'' WITH (FORMAT csv, HEADER). Header council,measure,area,period,value; period YYYY-MM or YYYY-YY; the value in the measure''s unit, as published. A value already loaded is replaced; a bad row fails the whole load. Always reads as empty.', 83),
    ('targets', 'measure_target', 'measure period', 'finmon_editor', 'format(''%s for %s in %s'', measure, area, period)',
     'Load targets.csv here: \copy finmon.targets_import FROM ''targets.csv'' WITH (FORMAT csv, HEADER). Header council,measure,area,period,target; period YYYY-MM (one month) or YYYY-YY (each month of the year). A target already loaded is replaced; a bad row fails the whole load. Always reads as empty.', 84),
    ('comparators', 'comparator', 'none', 'finmon_editor', 'format(''%s in %s'', area, comparator_group)',
     'Load comparators.csv here: \copy finmon.comparators_import FROM ''comparators.csv'' WITH (FORMAT csv, HEADER). Header council,group,area; one row per member, the council itself included. A bad row fails the whole load. Always reads as empty.', 85),
    ('benchmarks', 'published_benchmark', 'measure period', 'finmon_editor', 'format(''%s for %s in %s'', measure, area, period)',
     'Load benchmarks.csv here: \copy finmon.benchmarks_import FROM ''benchmarks.csv'' WITH (FORMAT csv, HEADER). Header council,measure,group,area,period,group_average,rank,group_size: a comparator group''s average and an area''s rank as published, for when the members'' values are not loaded. A bad row fails the whole load. Always reads as empty.', 86);

INSERT INTO finmon_data.import_column (format, position, name, kind, choices, hint, target_column, description) VALUES
    ('measures', 1, 'measure', 'text', NULL, NULL, NULL, 'Code, e.g. 2A(2).'),
    ('measures', 2, 'title', 'text', NULL, NULL, NULL, 'Title.'),
    ('measures', 3, 'unit', 'text', NULL, NULL, NULL, 'Unit as printed, e.g. per 100000, %.'),
    ('measures', 4, 'multiplier', 'positive', NULL, 'Use 100000 for a rate per 100,000, 100 for a percentage, 1 for a score.', NULL, '100000, 100, 1, ...'),
    ('measures', 5, 'age_band', 'optional text', NULL, NULL, NULL, 'Population age band for rates per head; may be empty.'),
    ('measures', 6, 'polarity', 'choice', ARRAY['lower', 'higher'], 'polarity says which way is better: lower or higher.', NULL, 'lower or higher (which is better).'),
    ('population', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('population', 2, 'area', 'text', NULL, NULL, NULL, 'The area.'),
    ('population', 3, 'year', 'calendar year', NULL, 'The year of a mid-year estimate is a calendar year, as in "2016".', NULL, 'Calendar year of the mid-year estimate, YYYY.'),
    ('population', 4, 'age_band', 'text', NULL, NULL, NULL, 'Age band, as the measures name it.'),
    ('population', 5, 'population', 'count', NULL, NULL, NULL, 'The estimate, zero or more.'),
    ('activity', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('activity', 2, 'measure', 'text', NULL, NULL, NULL, 'A measure in finmon.measure.'),
    ('activity', 3, 'area', 'text', NULL, NULL, NULL, 'The area.'),
    ('activity', 4, 'month', 'month', NULL, NULL, NULL, 'YYYY-MM.'),
    ('activity', 5, 'numerator', 'count', NULL, NULL, NULL, 'The month''s count, zero or more.'),
    ('activity', 6, 'denominator', 'optional count', NULL, NULL, NULL, 'For a proportion, its denominator; empty for a rate per head.'),
    ('values', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('values', 2, 'measure', 'text', NULL, NULL, NULL, 'A measure in finmon.measure.'),
    ('values', 3, 'area', 'text', NULL, NULL, NULL, 'The area.'),
    ('values', 4, 'period', 'measure period', NULL, NULL, NULL, 'YYYY-MM or YYYY-YY.'),
    ('values', 5, 'value', 'amount', NULL, NULL, NULL, 'The published value.'),
    ('targets', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('targets', 2, 'measure', 'text', NULL, NULL, NULL, 'A measure in finmon.measure.'),
    ('targets', 3, 'area', 'text', NULL, NULL, NULL, 'The area.'),
    ('targets', 4, 'period', 'measure period', NULL, NULL, NULL, 'YYYY-MM or YYYY-YY.'),
    ('targets', 5, 'target', 'amount', NULL, NULL, NULL, 'The target in the measure''s unit.'),
    ('comparators', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('comparators', 2, 'group', 'text', NULL, NULL, 'comparator_group', 'The comparator group''s name.'),
    ('comparators', 3, 'area', 'text', NULL, NULL, NULL, 'A member council.'),
    ('benchmarks', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('benchmarks', 2, 'measure', 'text', NULL, NULL, NULL, 'A measure in finmon.measure.'),
    ('benchmarks', 3, 'group', 'text', NULL, NULL, 'comparator_group', 'The comparator group.'),
    ('benchmarks', 4, 'area', 'text', NULL, NULL, NULL, 'The area ranked.'),
    ('benchmarks', 5, 'period', 'year', NULL, NULL, NULL, 'Financial year, YYYY-YY.'),
    ('benchmarks', 6, 'group_average', 'amount', NULL, NULL, NULL, 'The group average as published.'),
    ('benchmarks', 7, 'rank', 'whole', NULL, NULL, NULL, 'The area''s rank, 1 = best.'),
    ('benchmarks', 8, 'group_size', 'whole', NULL, NULL, NULL, 'How many were ranked.');

-- A measure must be defined before its figures are loaded.
CREATE FUNCTION finmon_data.known_measure_sql() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN $sql$
SELECT n.load_row, format('measure "%s" is not defined', n.measure), 'Load measures.csv, with this measure, first.'
  FROM n
 WHERE NOT EXISTS (SELECT FROM finmon.measure m WHERE m.measure = n.measure)
$sql$;
COMMENT ON FUNCTION finmon_data.known_measure_sql() IS
    'The check of a load of measure figures for a measure not in finmon.measure (internal).';

INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('activity', 1, '23503', finmon_data.known_measure_sql()),
    ('activity', 2, '22023', $sql$
SELECT n.load_row, format('numerator %s is greater than denominator %s', n.numerator, n.denominator),
       'A proportion counts part of its denominator.'
  FROM n
 WHERE n.numerator > n.denominator
$sql$),
    ('values', 1, '23503', finmon_data.known_measure_sql()),
    ('targets', 1, '23503', finmon_data.known_measure_sql()),
    ('benchmarks', 1, '23503', finmon_data.known_measure_sql()),
    ('benchmarks', 2, '22P02', $sql$
SELECT n.load_row, format('group_size "%s" is not a whole number of at least the rank', n.group_size), NULL
  FROM n
 WHERE n.group_size < n.rank
$sql$);

SELECT finmon_data.create_import_view(f) FROM unnest(ARRAY['measures', 'population', 'activity', 'values', 'targets',
                                                      'comparators', 'benchmarks']) AS f;
