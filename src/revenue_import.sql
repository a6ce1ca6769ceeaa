-- Importing revenue figures: \copy finmon.revenue_import FROM 'revenue.csv' WITH (FORMAT csv, HEADER).
--
-- Each import is a view that holds nothing: an INSTEAD OF trigger checks every
-- row and writes it to the table behind.  A bad row raises an error naming the
-- row, and since one COPY is one statement, nothing of that file is kept.
-- Rows are counted from 1 after the header; COPY's CONTEXT line also gives
-- the file line.

CREATE SEQUENCE finmon.import_batch;
COMMENT ON SEQUENCE finmon.import_batch IS 'Numbers each load (one COPY or INSERT statement into an import view).';

-- Statement-level: start a new load.
CREATE FUNCTION finmon.import_begin() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the load's number is kept where only finmon_guard writes (finmon.import_load), not in
    -- a setting the caller could change between rows
    INSERT INTO finmon.import_load AS l (pid, batch) VALUES (pg_backend_pid(), nextval('finmon.import_batch'))
    ON CONFLICT (pid) DO UPDATE SET batch = excluded.batch;
    PERFORM set_config('finmon.import_row', '0', true);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.import_begin() IS
    'Trigger function: numbers a new load (in finmon.import_load) and restarts its row count (internal).';

-- The current load and the number of the row being checked.
CREATE FUNCTION finmon.import_next_row(OUT batch bigint, OUT row_number integer)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    batch := (SELECT l.batch FROM finmon.import_load l WHERE l.pid = pg_backend_pid());
    row_number := current_setting('finmon.import_row')::integer + 1;
    PERFORM set_config('finmon.import_row', row_number::text, true);
END;
$$;
COMMENT ON FUNCTION finmon.import_next_row() IS
    'The current load''s number and the next row number (internal).';

-- Each check returns NULL when the value is good, or {SQLSTATE, message, hint}; the
-- trigger raises it with the row number, so the error's context is just the trigger
-- and, under COPY, the file line.
CREATE FUNCTION finmon.financial_year_problem(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', 'financial_year is empty', NULL]
    WHEN NOT finmon.is_financial_year(btrim(value)) THEN
        ARRAY['22007', format('invalid financial year "%s"', value),
              'A financial year is written YYYY-YY, the second year following the first, as in "2018-19".']
END;
COMMENT ON FUNCTION finmon.financial_year_problem(text) IS
    'What is wrong with an imported financial year, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

CREATE FUNCTION finmon.period_problem(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', 'period is empty', NULL]
    WHEN btrim(value) !~ '^[0-9]{1,2}$' OR btrim(value)::integer NOT BETWEEN 1 AND 12 THEN
        ARRAY['22023', format('invalid period "%s"', value), 'Periods run from 1 (April) to 12 (March).']
END;
COMMENT ON FUNCTION finmon.period_problem(text) IS
    'What is wrong with an imported period, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

CREATE FUNCTION finmon.amount_problem(column_name text, value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', format('%s is empty', column_name), NULL]
    WHEN btrim(value) !~ '^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$' THEN
        ARRAY['22P02', format('%s "%s" is not an amount', column_name, value),
              'Amounts are in pounds, written as plain decimal numbers such as -85653000 or 1234.56, without currency signs, thousands separators or brackets.']
END;
COMMENT ON FUNCTION finmon.amount_problem(text, text) IS
    'What is wrong with an imported amount, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

-- A line's names, top down: '>' separates them and spaces around names are dropped.
CREATE FUNCTION finmon.line_names(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN (SELECT array_agg(btrim(name) ORDER BY n)
          FROM unnest(string_to_array(value, '>')) WITH ORDINALITY AS s(name, n));
COMMENT ON FUNCTION finmon.line_names(text) IS
    'The names in a line path, top down, with surrounding spaces dropped (internal).';

CREATE FUNCTION finmon.line_problem(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', 'line is empty', NULL]
    WHEN '' = ANY (finmon.line_names(value)) THEN
        ARRAY['22023', format('line "%s" has an empty name', value),
              'A line is the names of its budget headings from the top of the hierarchy, joined by " > ".']
END;
COMMENT ON FUNCTION finmon.line_problem(text) IS
    'What is wrong with an imported line path, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

-- Checks and stores one row of revenue_import or revenue_analysis_import.
CREATE FUNCTION finmon.revenue_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    analysis_name text := '';
    problem text[];
    year text;
    period_number integer;
    leaf_path text;
    clash record;
    written integer;
BEGIN
    IF TG_TABLE_NAME = 'revenue_analysis_import' THEN
        analysis_name := btrim(NEW.analysis);
        IF analysis_name IS NULL OR analysis_name = '' THEN
            problem := ARRAY['22004', 'analysis is empty', 'Service figures go in revenue_import; an analysis needs a name.'];
        END IF;
    END IF;
    problem := COALESCE(problem,
                        finmon.financial_year_problem(NEW.financial_year),
                        finmon.period_problem(NEW.period),
                        finmon.line_problem(NEW.line),
                        finmon.amount_problem('budget', NEW.budget),
                        finmon.amount_problem('forecast_outturn', NEW.forecast_outturn));

    IF problem IS NULL THEN
        year := btrim(NEW.financial_year);
        period_number := btrim(NEW.period)::integer;
        leaf_path := finmon.register_revenue_node(analysis_name, finmon.line_names(NEW.line));

        -- A line cannot be both a leaf and a parent in one year and period.
        SELECT r.line, r.import_batch = load.batch AS this_load, r.import_row INTO clash
          FROM finmon.revenue r
          JOIN finmon.revenue_node n ON n.analysis = r.analysis AND n.path = r.line
         WHERE r.financial_year = year AND r.period = period_number AND r.analysis = analysis_name
           AND r.line <> leaf_path
           AND (leaf_path = ANY (n.ancestors)
                OR r.line = ANY (SELECT unnest(a.ancestors) FROM finmon.revenue_node a
                                  WHERE a.analysis = analysis_name AND a.path = leaf_path))
         LIMIT 1;
        IF FOUND THEN
            problem := ARRAY['23514',
                format('line "%s" is both a leaf and a parent in %s period %s: "%s" is loaded too (%s)',
                       leaf_path, year, period_number, clash.line,
                       CASE WHEN clash.this_load THEN format('row %s', clash.import_row)
                            ELSE 'by an earlier load' END),
                'Load figures for leaf lines only; totals are computed. To restructure a period, delete its rows from finmon.revenue first.'];
        END IF;
    END IF;

    IF problem IS NULL THEN
        INSERT INTO finmon.revenue AS r
               (financial_year, period, analysis, line, budget, forecast_outturn, loaded_at, import_batch, import_row)
        VALUES (year, period_number, analysis_name, leaf_path, btrim(NEW.budget)::numeric,
                btrim(NEW.forecast_outturn)::numeric, now(), load.batch, load.row_number)
        ON CONFLICT ON CONSTRAINT revenue_pkey DO UPDATE
           SET budget = excluded.budget, forecast_outturn = excluded.forecast_outturn,
               loaded_at = excluded.loaded_at, import_batch = excluded.import_batch,
               import_row = excluded.import_row
         WHERE r.import_batch IS DISTINCT FROM excluded.import_batch;
        GET DIAGNOSTICS written = ROW_COUNT;
        IF written = 0 THEN
            SELECT r.import_row INTO clash FROM finmon.revenue r
             WHERE (r.financial_year, r.period, r.analysis, r.line) = (year, period_number, analysis_name, leaf_path);
            problem := ARRAY['23505',
                format('line "%s" for %s period %s appears twice in this load (first at row %s)',
                       leaf_path, year, period_number, clash.import_row), NULL];
        END IF;
    END IF;

    IF problem IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = problem[1],
            MESSAGE = format('%s row %s: %s', TG_TABLE_NAME, load.row_number, problem[2]),
            DETAIL = 'Nothing of this load has been kept.',
            HINT = COALESCE(problem[3], 'Correct the row and load the whole file again.');
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.revenue_import_row() IS
    'Trigger function of finmon.revenue_import and finmon.revenue_analysis_import: checks a row and stores it, replacing an earlier load''s figures for the same line and period (internal).';

CREATE VIEW finmon.revenue_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS line,
           NULL::text AS budget, NULL::text AS forecast_outturn
     WHERE false;
COMMENT ON VIEW finmon.revenue_import IS
    'Load revenue.csv here: \copy finmon.revenue_import FROM ''revenue.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,line,budget,forecast_outturn; leaf lines only, amounts in pounds. A row for a line and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.revenue_import.financial_year IS 'YYYY-YY, e.g. 2018-19.';
COMMENT ON COLUMN finmon.revenue_import.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.revenue_import.line IS 'Leaf line path, names joined by '' > ''.';
COMMENT ON COLUMN finmon.revenue_import.budget IS 'Budget in pounds; income negative.';
COMMENT ON COLUMN finmon.revenue_import.forecast_outturn IS 'Forecast outturn in pounds; income negative.';

CREATE TRIGGER revenue_import_begin BEFORE INSERT ON finmon.revenue_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER revenue_import_row INSTEAD OF INSERT ON finmon.revenue_import
    FOR EACH ROW EXECUTE FUNCTION finmon.revenue_import_row();

CREATE VIEW finmon.revenue_analysis_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS analysis,
           NULL::text AS line, NULL::text AS budget, NULL::text AS forecast_outturn
     WHERE false;
COMMENT ON VIEW finmon.revenue_analysis_import IS
    'Load revenue_analysis.csv here: a memorandum analysis of part of the service (such as Purchase of Care by specialism) that does not add into the service total. Header financial_year,period,analysis,line,budget,forecast_outturn; same rules as revenue_import. Always reads as empty.';
COMMENT ON COLUMN finmon.revenue_analysis_import.financial_year IS 'YYYY-YY, e.g. 2018-19.';
COMMENT ON COLUMN finmon.revenue_analysis_import.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.revenue_analysis_import.analysis IS 'Name of the analysis, e.g. Purchase of Care by specialism.';
COMMENT ON COLUMN finmon.revenue_analysis_import.line IS 'Leaf line path within the analysis, names joined by '' > ''.';
COMMENT ON COLUMN finmon.revenue_analysis_import.budget IS 'Budget in pounds; income negative.';
COMMENT ON COLUMN finmon.revenue_analysis_import.forecast_outturn IS 'Forecast outturn in pounds; income negative.';

CREATE TRIGGER revenue_analysis_import_begin BEFORE INSERT ON finmon.revenue_analysis_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER revenue_analysis_import_row INSTEAD OF INSERT ON finmon.revenue_analysis_import
    FOR EACH ROW EXECUTE FUNCTION finmon.revenue_import_row();
