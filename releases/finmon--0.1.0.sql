-- finmon install script, built by `make` from src/*.sql (see Makefile for the order).
\echo Use "CREATE EXTENSION finmon" to load this file. \quit
-- The financial calendar: years 'YYYY-YY' from 1 April, periods 1 (April) to 12 (March).

CREATE FUNCTION finmon.financial_year_of(date) RETURNS text
    AS 'MODULE_PATHNAME', 'finmon_financial_year_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.financial_year_of(date) IS
    'The financial year a date falls in, written YYYY-YY: 2018-04-01 to 2019-03-31 is 2018-19.';

CREATE FUNCTION finmon.period_of(date) RETURNS integer
    AS 'MODULE_PATHNAME', 'finmon_period_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.period_of(date) IS
    'The financial period of a date: April is 1, March is 12.';

CREATE FUNCTION finmon.period_start(financial_year text, period integer) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_period_start'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.period_start(text, integer) IS
    'First day of a period of a financial year: period_start(''2018-19'', 5) is 2018-08-01.';

CREATE FUNCTION finmon.period_end(financial_year text, period integer) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_period_end'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.period_end(text, integer) IS
    'Last day of a period of a financial year: period_end(''2018-19'', 5) is 2018-08-31.';

CREATE FUNCTION finmon.financial_year_start(financial_year text) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_financial_year_start'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.financial_year_start(text) IS
    'The 1 April a financial year starts on; raises 22007 for a malformed year.';

CREATE FUNCTION finmon.financial_year_end(financial_year text) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_financial_year_end'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.financial_year_end(text) IS
    'The 31 March a financial year ends on.';

CREATE FUNCTION finmon.previous_financial_year(financial_year text) RETURNS text
    AS 'MODULE_PATHNAME', 'finmon_previous_financial_year'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.previous_financial_year(text) IS
    'The financial year before: previous_financial_year(''2018-19'') is 2017-18.';

CREATE FUNCTION finmon.is_financial_year(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'finmon_is_financial_year'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.is_financial_year(text) IS
    'Whether a text is a financial year written YYYY-YY, the second year following the first (''2018-19'' yes; ''2018-20'', ''18-19'', ''2018/19'' no).';
-- Variances: forecast outturn against budget (positive = adverse), and their exact aggregate.

CREATE FUNCTION finmon.variance(budget numeric, forecast numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'finmon_variance'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance(numeric, numeric) IS
    'Forecast minus budget. Positive is adverse (an overspend, or income under-recovered); negative is favourable.';

CREATE FUNCTION finmon.variance_pct(budget numeric, forecast numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'finmon_variance_pct'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_pct(numeric, numeric) IS
    'Variance as a percentage of the signed budget, (forecast - budget) / budget * 100; NULL when the budget is zero. Income over-recovered on a negative budget shows a positive percentage, as the papers print it.';

CREATE FUNCTION finmon.variance_direction(budget numeric, forecast numeric, tolerance numeric DEFAULT 0)
    RETURNS text
    AS 'MODULE_PATHNAME', 'finmon_variance_direction'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_direction(numeric, numeric, numeric) IS
    '''adverse'' when the variance is above the tolerance, ''favourable'' when below minus the tolerance, ''on budget'' otherwise.';

CREATE TYPE finmon.variance_summary AS (
    budget numeric,
    forecast_outturn numeric,
    variance numeric,
    variance_pct numeric
);
COMMENT ON TYPE finmon.variance_summary IS
    'What variance_agg returns: the summed budget and forecast outturn, their variance and variance as a percentage of the budget.';
COMMENT ON COLUMN finmon.variance_summary.budget IS 'Sum of the budgets, exactly as sum(budget).';
COMMENT ON COLUMN finmon.variance_summary.forecast_outturn IS 'Sum of the forecasts, exactly as sum(forecast).';
COMMENT ON COLUMN finmon.variance_summary.variance IS 'forecast_outturn - budget; positive is adverse.';
COMMENT ON COLUMN finmon.variance_summary.variance_pct IS 'variance / budget * 100; NULL when the budget is zero.';

CREATE FUNCTION finmon.variance_accum(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_accum(internal, numeric, numeric) IS
    'variance_agg transition function (internal).';

CREATE FUNCTION finmon.variance_moving_accum(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_moving_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_moving_accum(internal, numeric, numeric) IS
    'variance_agg transition function for moving window frames (internal).';

CREATE FUNCTION finmon.variance_discard(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_discard'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_discard(internal, numeric, numeric) IS
    'variance_agg inverse transition function for moving window frames (internal).';

CREATE FUNCTION finmon.variance_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_combine(internal, internal) IS
    'variance_agg combine function for parallel and partitionwise plans (internal).';

CREATE FUNCTION finmon.variance_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_variance_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_serialize(internal) IS
    'variance_agg state serialisation (internal).';

CREATE FUNCTION finmon.variance_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_deserialize(bytea, internal) IS
    'variance_agg state deserialisation (internal).';

CREATE FUNCTION finmon.variance_final(internal, numeric, numeric) RETURNS finmon.variance_summary
    AS 'MODULE_PATHNAME', 'finmon_variance_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_final(internal, numeric, numeric) IS
    'variance_agg final function (internal).';

CREATE AGGREGATE finmon.variance_agg(budget numeric, forecast numeric) (
    SFUNC = finmon.variance_accum,
    STYPE = internal,
    FINALFUNC = finmon.variance_final,
    FINALFUNC_EXTRA,
    COMBINEFUNC = finmon.variance_combine,
    SERIALFUNC = finmon.variance_serialize,
    DESERIALFUNC = finmon.variance_deserialize,
    MSFUNC = finmon.variance_moving_accum,
    MINVFUNC = finmon.variance_discard,
    MSTYPE = internal,
    MFINALFUNC = finmon.variance_final,
    MFINALFUNC_EXTRA,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.variance_agg(numeric, numeric) IS
    'Totals budgets and forecasts exactly (identical to sum()), giving (budget, forecast_outturn, variance, variance_pct). NULLs are ignored column by column; NULL when no row has a budget or forecast. Parallel safe; runs as a moving window aggregate.';
-- Printing amounts the way committee papers do: £m to 3 places, negatives in brackets.

CREATE FUNCTION finmon.format_money(amount numeric, unit text DEFAULT '£m', places integer DEFAULT 3)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    divisor numeric;
    shown numeric;
BEGIN
    IF amount IS NULL THEN
        RETURN NULL;
    END IF;
    divisor := CASE unit WHEN '£m' THEN 1000000 WHEN '£k' THEN 1000 WHEN '£' THEN 1 END;
    IF divisor IS NULL THEN
        RAISE EXCEPTION 'unknown unit "%"', unit
            USING ERRCODE = '22023', HINT = 'Use £m, £k or £.';
    END IF;
    IF places IS NULL OR places < 0 THEN
        RAISE EXCEPTION 'invalid number of decimal places %', places
            USING ERRCODE = '22023';
    END IF;
    shown := round(amount / divisor, places);
    IF shown < 0 THEN
        RETURN '(' || (-shown)::text || ')';
    END IF;
    RETURN abs(shown)::text;
END;
$$;
COMMENT ON FUNCTION finmon.format_money(numeric, text, integer) IS
    'An amount in pounds as a committee paper prints it: in £m (or £k, £) to 3 (or the given) decimal places, negatives in brackets: -163000 is (0.163).';

CREATE FUNCTION finmon.format_percent(pct numeric, places integer DEFAULT 2)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shown numeric;
BEGIN
    IF pct IS NULL THEN
        RETURN NULL;
    END IF;
    IF places IS NULL OR places < 0 THEN
        RAISE EXCEPTION 'invalid number of decimal places %', places
            USING ERRCODE = '22023';
    END IF;
    shown := round(pct, places);
    IF shown < 0 THEN
        RETURN '(' || (-shown)::text || '%)';
    END IF;
    RETURN abs(shown)::text || '%';
END;
$$;
COMMENT ON FUNCTION finmon.format_percent(numeric, integer) IS
    'A percentage as a committee paper prints it, to 2 (or the given) decimal places, negatives in brackets: -15.0936 is (15.09%).';
-- Revenue budget monitoring: the budget hierarchy and each leaf line's figures per period.

CREATE SEQUENCE finmon.revenue_node_order;
COMMENT ON SEQUENCE finmon.revenue_node_order IS
    'Order in which budget lines first appeared in the imports; reports list rows in this order.';

CREATE TABLE finmon.revenue_node (
    analysis text NOT NULL DEFAULT '',
    path text NOT NULL,
    parent_path text,
    label text NOT NULL,
    depth integer NOT NULL CHECK (depth >= 0),
    sort_key integer[] NOT NULL,
    ancestors text[] NOT NULL,
    PRIMARY KEY (analysis, path),
    FOREIGN KEY (analysis, parent_path) REFERENCES finmon.revenue_node (analysis, path)
);
COMMENT ON TABLE finmon.revenue_node IS
    'Every node of a budget hierarchy: each loaded line, each of its ancestors and the grand total (path ''''). Filled by the imports; kept when figures are deleted so that row order stays stable.';
COMMENT ON COLUMN finmon.revenue_node.analysis IS
    'Which hierarchy: '''' for the service''s own (whose grand total is the service total), otherwise the name of a memorandum analysis such as ''Purchase of Care by specialism''.';
COMMENT ON COLUMN finmon.revenue_node.path IS 'Names from the top of the hierarchy joined by '' > ''; '''' is the grand total.';
COMMENT ON COLUMN finmon.revenue_node.parent_path IS 'The parent node''s path; NULL only for the grand total.';
COMMENT ON COLUMN finmon.revenue_node.label IS 'The node''s own name (the last part of its path); ''Total'' for the grand total.';
COMMENT ON COLUMN finmon.revenue_node.depth IS 'Number of names in the path: 0 for the grand total, 1 for a top-level expenditure area.';
COMMENT ON COLUMN finmon.revenue_node.sort_key IS 'Outline order: the parent''s sort key followed by this node''s place in the order of first appearance.';
COMMENT ON COLUMN finmon.revenue_node.ancestors IS 'Paths of the grand total, every ancestor and the node itself, top down: the nodes a leaf''s figures add into.';

CREATE TABLE finmon.revenue (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    analysis text NOT NULL DEFAULT '',
    line text NOT NULL,
    budget numeric NOT NULL,
    forecast_outturn numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, analysis, line),
    FOREIGN KEY (analysis, line) REFERENCES finmon.revenue_node (analysis, path)
);
COMMENT ON TABLE finmon.revenue IS
    'Budget and forecast outturn of each leaf budget line at each monitoring period, in pounds. Every total is computed from these rows. Loaded through finmon.revenue_import and finmon.revenue_analysis_import.';
COMMENT ON COLUMN finmon.revenue.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue.period IS 'Monitoring period, 1 (April) to 12 (March, the outturn).';
COMMENT ON COLUMN finmon.revenue.analysis IS ''''' for the service''s hierarchy, or the name of a memorandum analysis.';
COMMENT ON COLUMN finmon.revenue.line IS 'Path of the leaf budget line.';
COMMENT ON COLUMN finmon.revenue.budget IS 'Budget for the year, pounds; income negative.';
COMMENT ON COLUMN finmon.revenue.forecast_outturn IS 'Forecast outturn for the year at this period, pounds; at period 12 the actual outturn.';
COMMENT ON COLUMN finmon.revenue.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon.revenue.import_batch IS 'Which load (one COPY or INSERT statement) last wrote the row.';
COMMENT ON COLUMN finmon.revenue.import_row IS 'The row of that load it came from (data rows counted from 1, after any header).';

CREATE INDEX revenue_line_idx ON finmon.revenue (analysis, line);

SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_node', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.revenue', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_node_order', '');

-- Registers a line and its ancestors (in order of first appearance) and returns its path.
CREATE FUNCTION finmon.register_revenue_node(analysis text, names text[]) RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    i integer;
    node_path text := '';
    parent text;
    parent_key integer[];
    parent_ancestors text[];
BEGIN
    INSERT INTO finmon.revenue_node (analysis, path, parent_path, label, depth, sort_key, ancestors)
    VALUES (register_revenue_node.analysis, '', NULL, 'Total', 0, '{}', '{""}')
    ON CONFLICT DO NOTHING;

    FOR i IN 1 .. cardinality(names) LOOP
        parent := node_path;
        node_path := array_to_string(names[1:i], ' > ');
        PERFORM 1 FROM finmon.revenue_node n
         WHERE n.analysis = register_revenue_node.analysis AND n.path = node_path;
        IF NOT FOUND THEN
            SELECT n.sort_key, n.ancestors INTO parent_key, parent_ancestors
              FROM finmon.revenue_node n
             WHERE n.analysis = register_revenue_node.analysis AND n.path = parent;
            INSERT INTO finmon.revenue_node (analysis, path, parent_path, label, depth, sort_key, ancestors)
            VALUES (register_revenue_node.analysis, node_path, parent, names[i], i,
                    parent_key || nextval('finmon.revenue_node_order')::integer,
                    parent_ancestors || node_path);
        END IF;
    END LOOP;
    RETURN node_path;
END;
$$;
COMMENT ON FUNCTION finmon.register_revenue_node(text, text[]) IS
    'Adds a budget line and any missing ancestors to finmon.revenue_node, in order of first appearance, and returns its path (internal, used by the imports).';
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
    PERFORM set_config('finmon.import_batch', nextval('finmon.import_batch')::text, true);
    PERFORM set_config('finmon.import_row', '0', true);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.import_begin() IS
    'Trigger function: numbers a new load and restarts its row count (internal).';

-- The current load and the number of the row being checked.
CREATE FUNCTION finmon.import_next_row(OUT batch bigint, OUT row_number integer)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    batch := current_setting('finmon.import_batch')::bigint;
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
-- The revenue report: every node of every hierarchy at every loaded period, totalled from its leaves.

CREATE VIEW finmon.revenue_figures AS
WITH node_totals AS (
    SELECT r.financial_year, r.period, r.analysis, a.path,
           finmon.variance_agg(r.budget, r.forecast_outturn) AS total,
           bool_or(a.path = r.line) AS is_leaf
      FROM finmon.revenue r
      JOIN finmon.revenue_node n ON n.analysis = r.analysis AND n.path = r.line
     CROSS JOIN LATERAL pg_catalog.unnest(n.ancestors) AS a(path)
     GROUP BY r.financial_year, r.period, r.analysis, a.path
)
SELECT t.financial_year, t.period, t.analysis, t.path, n.label, n.depth, t.is_leaf,
       (t.total).budget, (t.total).forecast_outturn, (t.total).variance, (t.total).variance_pct,
       pg_catalog.lag(t.period) OVER previous AS previous_period,
       pg_catalog.lag((t.total).variance) OVER previous AS previous_variance,
       (t.total).variance - pg_catalog.lag((t.total).variance) OVER previous AS movement,
       (p.total).forecast_outturn AS prior_year_actual,
       (p.total).variance AS prior_year_variance,
       pg_catalog.row_number() OVER (PARTITION BY t.financial_year, t.period, t.analysis
                                     ORDER BY n.sort_key) AS row_order
  FROM node_totals t
  JOIN finmon.revenue_node n ON n.analysis = t.analysis AND n.path = t.path
  LEFT JOIN node_totals p
         ON p.analysis = t.analysis AND p.path = t.path AND p.period = 12
        AND p.financial_year = finmon.previous_financial_year(t.financial_year)
WINDOW previous AS (PARTITION BY t.financial_year, t.analysis, t.path ORDER BY t.period);
COMMENT ON VIEW finmon.revenue_figures IS
    'revenue_report and revenue_analysis_report together, with the analysis column; for committee table layouts.';

CREATE VIEW finmon.revenue_report AS
SELECT financial_year, period, path, label, depth, is_leaf, budget, forecast_outturn, variance,
       variance_pct, previous_period, previous_variance, movement, prior_year_actual,
       prior_year_variance, row_order
  FROM finmon.revenue_figures
 WHERE analysis = '';
COMMENT ON VIEW finmon.revenue_report IS
    'One row per financial year, period and node of the service''s budget hierarchy: every loaded line, every ancestor and the grand total, totalled from the leaf lines. Amounts in pounds.';
COMMENT ON COLUMN finmon.revenue_report.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_report.period IS 'Monitoring period, 1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.revenue_report.path IS 'The node''s path, names joined by '' > ''; '''' for the grand total.';
COMMENT ON COLUMN finmon.revenue_report.label IS 'The node''s own name; ''Total'' for the grand total.';
COMMENT ON COLUMN finmon.revenue_report.depth IS '0 for the grand total, 1 for a top-level expenditure area, and so on down.';
COMMENT ON COLUMN finmon.revenue_report.is_leaf IS 'Whether figures were loaded for this line itself (a leaf) rather than totalled from lines below it.';
COMMENT ON COLUMN finmon.revenue_report.budget IS 'Budget for the year, pounds.';
COMMENT ON COLUMN finmon.revenue_report.forecast_outturn IS 'Forecast outturn at this period, pounds.';
COMMENT ON COLUMN finmon.revenue_report.variance IS 'forecast_outturn - budget, pounds; positive is an overspend (adverse).';
COMMENT ON COLUMN finmon.revenue_report.variance_pct IS 'variance / budget * 100 (signed budget); NULL when the budget is zero.';
COMMENT ON COLUMN finmon.revenue_report.previous_period IS 'The latest earlier period of the same year with figures for this node.';
COMMENT ON COLUMN finmon.revenue_report.previous_variance IS 'The variance reported at previous_period.';
COMMENT ON COLUMN finmon.revenue_report.movement IS 'variance - previous_variance: the movement since the last report.';
COMMENT ON COLUMN finmon.revenue_report.prior_year_actual IS 'The node''s outturn last year: its forecast_outturn at period 12 of the previous financial year.';
COMMENT ON COLUMN finmon.revenue_report.prior_year_variance IS 'The node''s over/underspend at last year''s outturn (period 12 variance).';
COMMENT ON COLUMN finmon.revenue_report.row_order IS 'Outline order within the period: the grand total first, then each node followed by the nodes below it, in the order lines first appeared in the imports.';

CREATE VIEW finmon.revenue_analysis_report AS
SELECT financial_year, period, analysis, path, label, depth, is_leaf, budget, forecast_outturn,
       variance, variance_pct, previous_period, previous_variance, movement, prior_year_actual,
       prior_year_variance, row_order
  FROM finmon.revenue_figures
 WHERE analysis <> '';
COMMENT ON VIEW finmon.revenue_analysis_report IS
    'The same as revenue_report for memorandum analyses (loaded through revenue_analysis_import), whose totals do not add into the service total.';
COMMENT ON COLUMN finmon.revenue_analysis_report.analysis IS 'Name of the analysis.';
COMMENT ON COLUMN finmon.revenue_analysis_report.path IS 'The node''s path within the analysis; '''' for the analysis total.';
COMMENT ON COLUMN finmon.revenue_analysis_report.variance IS 'forecast_outturn - budget, pounds; positive is adverse.';

-- The two views that share revenue_report's columns share their descriptions too.
DO $$
DECLARE
    target text;
    col record;
BEGIN
    FOREACH target IN ARRAY ARRAY['finmon.revenue_figures', 'finmon.revenue_analysis_report'] LOOP
        FOR col IN
            SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) AS description
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = 'finmon.revenue_report'::pg_catalog.regclass AND a.attnum > 0
        LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute t
                        WHERE t.attrelid = target::pg_catalog.regclass AND t.attname = col.attname
                          AND pg_catalog.col_description(t.attrelid, t.attnum) IS NULL) THEN
                EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', target, col.attname, col.description);
            END IF;
        END LOOP;
    END LOOP;
END;
$$;
COMMENT ON COLUMN finmon.revenue_figures.analysis IS ''''' for the service''s hierarchy, or the name of a memorandum analysis.';
-- Committee tables: which nodes a council's published table shows, in what order and under what
-- labels, is data (finmon.revenue_table and finmon.revenue_table_row), not code.

CREATE TABLE finmon.revenue_table (
    table_name text PRIMARY KEY,
    analysis text,
    title text NOT NULL
);
COMMENT ON TABLE finmon.revenue_table IS
    'A committee table layout, such as a paper''s summary by expenditure area or its Appendix A. Load with \copy finmon.revenue_table FROM ''revenue_tables.csv'' WITH (FORMAT csv, HEADER).';
COMMENT ON COLUMN finmon.revenue_table.table_name IS 'Short name used to select the table.';
COMMENT ON COLUMN finmon.revenue_table.analysis IS 'NULL (empty in the CSV) for the service''s hierarchy, or the memorandum analysis the table shows.';
COMMENT ON COLUMN finmon.revenue_table.title IS 'Title as printed.';

CREATE TABLE finmon.revenue_table_row (
    table_name text NOT NULL REFERENCES finmon.revenue_table ON UPDATE CASCADE ON DELETE CASCADE,
    row_number integer NOT NULL CHECK (row_number > 0),
    row_type text NOT NULL CHECK (row_type IN ('node', 'total', 'heading')),
    label text NOT NULL,
    line text,
    PRIMARY KEY (table_name, row_number),
    CONSTRAINT revenue_table_row_line_check
        CHECK ((row_type = 'node') = (line IS NOT NULL AND line <> ''))
);
COMMENT ON TABLE finmon.revenue_table_row IS
    'The rows of a committee table layout, in printed order. Load with \copy finmon.revenue_table_row FROM ''revenue_table_rows.csv'' WITH (FORMAT csv, HEADER).';
COMMENT ON COLUMN finmon.revenue_table_row.table_name IS 'The table the row belongs to.';
COMMENT ON COLUMN finmon.revenue_table_row.row_number IS 'Position in the printed table, from 1.';
COMMENT ON COLUMN finmon.revenue_table_row.row_type IS '''node'' (figures of the node at line), ''total'' (the grand total of the hierarchy) or ''heading'' (a label with no figures).';
COMMENT ON COLUMN finmon.revenue_table_row.label IS 'The row label as printed.';
COMMENT ON COLUMN finmon.revenue_table_row.line IS 'For a node row, the path of the node (a leaf or any total above leaves); empty otherwise.';

SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_table', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_table_row', '');

CREATE VIEW finmon.revenue_table_report AS
SELECT t.table_name, t.title, p.financial_year, p.period, r.row_number, r.row_type, r.label,
       f.path, f.budget, f.forecast_outturn, f.variance, f.variance_pct, f.previous_period,
       f.previous_variance, f.movement, f.prior_year_actual, f.prior_year_variance
  FROM finmon.revenue_table t
  JOIN finmon.revenue_table_row r ON r.table_name = t.table_name
  JOIN (SELECT DISTINCT financial_year, period, analysis FROM finmon.revenue) p
    ON p.analysis = COALESCE(t.analysis, '')
  LEFT JOIN finmon.revenue_figures f
    ON f.financial_year = p.financial_year AND f.period = p.period AND f.analysis = p.analysis
   AND f.path = CASE r.row_type WHEN 'total' THEN '' WHEN 'node' THEN r.line END;
COMMENT ON VIEW finmon.revenue_table_report IS
    'Each committee table layout filled with the figures of every loaded period, in pounds, for BI tools. Select a table with WHERE table_name = ... AND financial_year = ... AND period = ..., ORDER BY row_number.';
COMMENT ON COLUMN finmon.revenue_table_report.table_name IS 'The layout''s short name.';
COMMENT ON COLUMN finmon.revenue_table_report.title IS 'The layout''s title.';
COMMENT ON COLUMN finmon.revenue_table_report.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_table_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.revenue_table_report.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.revenue_table_report.row_type IS 'node, total or heading.';
COMMENT ON COLUMN finmon.revenue_table_report.label IS 'Row label as printed.';
COMMENT ON COLUMN finmon.revenue_table_report.path IS 'The node shown; NULL for a heading, or when no figures are loaded for it at that period.';
COMMENT ON COLUMN finmon.revenue_table_report.budget IS 'Budget, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.forecast_outturn IS 'Forecast outturn, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.variance IS 'Variance to budget, pounds; positive is adverse.';
COMMENT ON COLUMN finmon.revenue_table_report.variance_pct IS 'Variance as % of budget.';
COMMENT ON COLUMN finmon.revenue_table_report.previous_period IS 'The period of the previous report.';
COMMENT ON COLUMN finmon.revenue_table_report.previous_variance IS 'Variance at the previous report, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.movement IS 'Movement in the variance since the previous report, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_actual IS 'Last year''s actual (outturn), pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_variance IS 'Last year''s over/underspend at outturn, pounds.';

CREATE VIEW finmon.revenue_table_printed AS
SELECT table_name, financial_year, period, row_number, label,
       finmon.format_money(prior_year_actual) AS prior_year_actual,
       finmon.format_money(prior_year_variance) AS prior_year_variance,
       finmon.format_money(budget) AS budget,
       finmon.format_money(forecast_outturn) AS forecast_outturn,
       finmon.format_money(variance) AS variance,
       finmon.format_percent(variance_pct) AS variance_pct,
       finmon.format_money(previous_variance) AS previous_variance,
       finmon.format_money(movement) AS movement
  FROM finmon.revenue_table_report;
COMMENT ON VIEW finmon.revenue_table_printed IS
    'The committee tables as printed: £m to 3 decimal places with negatives in brackets, percentages to 2 places. ORDER BY row_number.';
COMMENT ON COLUMN finmon.revenue_table_printed.table_name IS 'The layout''s short name.';
COMMENT ON COLUMN finmon.revenue_table_printed.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_table_printed.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.revenue_table_printed.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.revenue_table_printed.label IS 'Row label as printed.';
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_actual IS 'Last year''s actual, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_variance IS 'Last year''s over/underspend at outturn, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.budget IS 'Budget, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.forecast_outturn IS 'Forecast outturn, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.variance IS 'Variance to budget, £m; positive is adverse, negative in brackets.';
COMMENT ON COLUMN finmon.revenue_table_printed.variance_pct IS 'Variance as % of budget.';
COMMENT ON COLUMN finmon.revenue_table_printed.previous_variance IS 'Variance at the previous report, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.movement IS 'Movement since the previous report, £m.';
-- Commentary: the explanation of a variance (a paper's Appendix B), for any node, leaf or total.

CREATE TABLE finmon.commentary (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    line text NOT NULL,
    commentary text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, line)
);
COMMENT ON TABLE finmon.commentary IS
    'Explanations of variances, per period and node of the service hierarchy. Loaded through finmon.commentary_import.';
COMMENT ON COLUMN finmon.commentary.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.commentary.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.commentary.line IS 'Path of the node explained; '''' for the grand total.';
COMMENT ON COLUMN finmon.commentary.commentary IS 'The explanation, as it goes to committee.';
COMMENT ON COLUMN finmon.commentary.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon.commentary.import_batch IS 'Which load last wrote the row.';
COMMENT ON COLUMN finmon.commentary.import_row IS 'The row of that load it came from.';

SELECT pg_catalog.pg_extension_config_dump('finmon.commentary', '');

CREATE VIEW finmon.commentary_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS line,
           NULL::text AS commentary
     WHERE false;
COMMENT ON VIEW finmon.commentary_import IS
    'Load commentary.csv here: \copy finmon.commentary_import FROM ''commentary.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,line,commentary; line is any node with figures at that period (load revenue first), empty for the grand total. A row for a node and period already loaded replaces it. Always reads as empty.';
COMMENT ON COLUMN finmon.commentary_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.commentary_import.period IS '1 to 12.';
COMMENT ON COLUMN finmon.commentary_import.line IS 'Node path, names joined by '' > ''; empty for the grand total.';
COMMENT ON COLUMN finmon.commentary_import.commentary IS 'The explanation.';

CREATE FUNCTION finmon.commentary_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    year text;
    period_number integer;
    node_path text := '';
    written integer;
    earlier integer;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                        finmon.period_problem(NEW.period),
                        CASE WHEN NEW.line IS NOT NULL AND btrim(NEW.line) <> ''
                             THEN finmon.line_problem(NEW.line) END,
                        CASE WHEN NEW.commentary IS NULL OR btrim(NEW.commentary) = ''
                             THEN ARRAY['22004', 'commentary is empty', NULL] END);
    IF problem IS NULL THEN
        year := btrim(NEW.financial_year);
        period_number := btrim(NEW.period)::integer;
        IF NEW.line IS NOT NULL AND btrim(NEW.line) <> '' THEN
            node_path := array_to_string(finmon.line_names(NEW.line), ' > ');
        END IF;
        PERFORM 1
           FROM finmon.revenue r
           JOIN finmon.revenue_node n ON n.analysis = r.analysis AND n.path = r.line
          WHERE r.financial_year = year AND r.period = period_number AND r.analysis = ''
            AND node_path = ANY (n.ancestors)
          LIMIT 1;
        IF NOT FOUND THEN
            problem := ARRAY['23503',
                format('no revenue figures for line "%s" in %s period %s', node_path, year, period_number),
                'Commentary explains a variance: load the period''s revenue figures first, and check the line''s spelling.'];
        END IF;
    END IF;

    IF problem IS NULL THEN
        INSERT INTO finmon.commentary AS c
               (financial_year, period, line, commentary, loaded_at, import_batch, import_row)
        VALUES (year, period_number, node_path, NEW.commentary, now(), load.batch, load.row_number)
        ON CONFLICT ON CONSTRAINT commentary_pkey DO UPDATE
           SET commentary = excluded.commentary, loaded_at = excluded.loaded_at,
               import_batch = excluded.import_batch, import_row = excluded.import_row
         WHERE c.import_batch IS DISTINCT FROM excluded.import_batch;
        GET DIAGNOSTICS written = ROW_COUNT;
        IF written = 0 THEN
            SELECT c.import_row INTO earlier FROM finmon.commentary c
             WHERE (c.financial_year, c.period, c.line) = (year, period_number, node_path);
            problem := ARRAY['23505',
                format('line "%s" for %s period %s appears twice in this load (first at row %s)',
                       node_path, year, period_number, earlier), NULL];
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
COMMENT ON FUNCTION finmon.commentary_import_row() IS 'Trigger function of finmon.commentary_import (internal).';

CREATE TRIGGER commentary_import_begin BEFORE INSERT ON finmon.commentary_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER commentary_import_row INSTEAD OF INSERT ON finmon.commentary_import
    FOR EACH ROW EXECUTE FUNCTION finmon.commentary_import_row();

CREATE VIEW finmon.revenue_commentary AS
SELECT r.financial_year, r.period, r.path, r.label,
       r.label || ', ' ||
       CASE finmon.variance_direction(r.budget, r.forecast_outturn)
            WHEN 'adverse' THEN 'forecast overspend £' || finmon.format_money(r.variance) || 'm'
            WHEN 'favourable' THEN 'forecast underspend (£' || finmon.format_money(-r.variance) || 'm)'
            ELSE 'forecast on budget'
       END AS heading,
       r.variance, c.commentary, r.row_order
  FROM finmon.commentary c
  JOIN finmon.revenue_report r
    ON r.financial_year = c.financial_year AND r.period = c.period AND r.path = c.line;
COMMENT ON VIEW finmon.revenue_commentary IS
    'The explanation of variances (a paper''s Appendix B): each explained node with a heading computed from its figures, such as "NorseCare, forecast overspend £0.413m". ORDER BY row_order.';
COMMENT ON COLUMN finmon.revenue_commentary.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_commentary.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.revenue_commentary.path IS 'The node explained; '''' for the grand total.';
COMMENT ON COLUMN finmon.revenue_commentary.label IS 'The node''s name.';
COMMENT ON COLUMN finmon.revenue_commentary.heading IS 'The node with its forecast over- or underspend in £m, computed from the figures.';
COMMENT ON COLUMN finmon.revenue_commentary.variance IS 'The node''s variance, pounds.';
COMMENT ON COLUMN finmon.revenue_commentary.commentary IS 'The explanation.';
COMMENT ON COLUMN finmon.revenue_commentary.row_order IS 'The node''s place in the revenue report''s outline order.';
