-- The savings programme: targets per saving and year, forecast delivery at each
-- monitoring period, shortfalls and RAG status.  Savings are negative, reversals
-- of earlier savings positive; shortfall = forecast - target, positive = not delivered.

CREATE FUNCTION finmon.savings_shortfall(target numeric, forecast numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'finmon_savings_shortfall'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_shortfall(numeric, numeric) IS
    'Forecast minus target. Positive is a shortfall (saving not delivered), negative over-delivery, as the papers'' variance column.';

CREATE FUNCTION finmon.savings_rag(target numeric, forecast numeric, red_below numeric DEFAULT 0.5)
    RETURNS text
    AS 'MODULE_PATHNAME', 'finmon_savings_rag'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_rag(numeric, numeric, numeric) IS
    'Derived RAG status: Green when the target is delivered in full (shortfall <= 0); for a saving (negative target) Red when less than red_below (a share, 0 to 1) of it is delivered, Amber otherwise; a zero or positive target that is exceeded is Red.';

CREATE TYPE finmon.savings_summary AS (
    target numeric,
    forecast numeric,
    shortfall numeric,
    delivered_pct numeric,
    schemes bigint,
    schemes_off_target bigint
);
COMMENT ON TYPE finmon.savings_summary IS
    'What savings_agg returns: summed target and forecast, shortfall, forecast as a percentage of target, and how many schemes there are and how many fall short.';
COMMENT ON COLUMN finmon.savings_summary.target IS 'Sum of the targets (0 when no row has one).';
COMMENT ON COLUMN finmon.savings_summary.forecast IS 'Sum of the forecasts (0 when no row has one).';
COMMENT ON COLUMN finmon.savings_summary.shortfall IS 'forecast - target; positive is not delivered.';
COMMENT ON COLUMN finmon.savings_summary.delivered_pct IS 'forecast / target * 100; NULL when the target is zero.';
COMMENT ON COLUMN finmon.savings_summary.schemes IS 'Rows with a target or a forecast.';
COMMENT ON COLUMN finmon.savings_summary.schemes_off_target IS 'Rows whose forecast falls short of their target (a missing one counting as zero).';

CREATE FUNCTION finmon.savings_accum(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_savings_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_accum(internal, numeric, numeric) IS
    'savings_agg transition function (internal).';

CREATE FUNCTION finmon.savings_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_savings_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_combine(internal, internal) IS
    'savings_agg combine function for parallel and partitionwise plans (internal).';

CREATE FUNCTION finmon.savings_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_savings_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_serialize(internal) IS
    'savings_agg state serialisation (internal).';

CREATE FUNCTION finmon.savings_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_savings_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_deserialize(bytea, internal) IS
    'savings_agg state deserialisation (internal).';

CREATE FUNCTION finmon.savings_final(internal) RETURNS finmon.savings_summary
    AS 'MODULE_PATHNAME', 'finmon_savings_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_final(internal) IS
    'savings_agg final function (internal).';

CREATE AGGREGATE finmon.savings_agg(target numeric, forecast numeric) (
    SFUNC = finmon.savings_accum,
    STYPE = internal,
    FINALFUNC = finmon.savings_final,
    COMBINEFUNC = finmon.savings_combine,
    SERIALFUNC = finmon.savings_serialize,
    DESERIALFUNC = finmon.savings_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.savings_agg(numeric, numeric) IS
    'Totals a savings programme exactly: (target, forecast, shortfall, delivered_pct, schemes, schemes_off_target). Rows with neither figure are ignored; a missing one counts as zero. NULL when no row has a figure. Parallel safe.';

-- Tables ----------------------------------------------------------------------

CREATE TABLE finmon.savings_plan (
    ref text NOT NULL CHECK (ref <> ''),
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    title text NOT NULL,
    workstream text CHECK (workstream <> ''),
    target numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (ref, financial_year)
);
COMMENT ON TABLE finmon.savings_plan IS
    'Savings targets: one row per saving and financial year, in pounds, negative for a saving and positive for a reversal. Loaded through finmon.savings_plan_import.';
COMMENT ON COLUMN finmon.savings_plan.ref IS 'The saving''s reference, as the papers print it (e.g. ASC013).';
COMMENT ON COLUMN finmon.savings_plan.financial_year IS 'The year the target falls in, YYYY-YY.';
COMMENT ON COLUMN finmon.savings_plan.title IS 'The saving''s title as printed for that year.';
COMMENT ON COLUMN finmon.savings_plan.workstream IS 'The programme workstream the saving belongs to in that year; NULL when none is given.';
COMMENT ON COLUMN finmon.savings_plan.target IS 'The saving target in pounds: negative is a saving, positive a reversal.';
COMMENT ON COLUMN finmon.savings_plan.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.savings_plan.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.savings_plan.import_row IS 'The row number in that load; orders the savings as the file did.';

CREATE TABLE finmon.savings_forecast (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    ref text NOT NULL,
    forecast numeric NOT NULL,
    rag text CHECK (rag IN ('Red', 'Amber', 'Green')),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, ref)
);
COMMENT ON TABLE finmon.savings_forecast IS
    'Forecast delivery of each saving at a monitoring period, in pounds with the plan''s sign, and the RAG status stated for it. Loaded through finmon.savings_forecast_import.';
COMMENT ON COLUMN finmon.savings_forecast.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_forecast.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.savings_forecast.ref IS 'The saving; it has at least one row in finmon.savings_plan.';
COMMENT ON COLUMN finmon.savings_forecast.forecast IS 'Forecast delivery in the year, in pounds, same sign as the target.';
COMMENT ON COLUMN finmon.savings_forecast.rag IS 'Stated RAG status, or NULL for none (the report then derives one).';
COMMENT ON COLUMN finmon.savings_forecast.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.savings_forecast.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.savings_forecast.import_row IS 'The row number in that load.';

SELECT pg_catalog.pg_extension_config_dump('finmon.savings_plan', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.savings_forecast', '');

-- Imports ---------------------------------------------------------------------

-- Raises a problem found by one of the *_problem checks, naming the view and row.  Called
-- with the problem in a variable, so the error's context stays short.
CREATE FUNCTION finmon.raise_import_problem(view_name text, row_number integer, problem text[])
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = problem[1],
            MESSAGE = format('%s row %s: %s', view_name, row_number, problem[2]),
            DETAIL = 'Nothing of this load has been kept.',
            HINT = COALESCE(problem[3], 'Correct the row and load the whole file again.');
    END IF;
END;
$$;
COMMENT ON FUNCTION finmon.raise_import_problem(text, integer, text[]) IS
    'Raises an import row''s problem {SQLSTATE, message, hint} as an error naming the import view and row; does nothing for NULL (internal).';

CREATE FUNCTION finmon.text_problem(column_name text, value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN value IS NULL OR btrim(value) = '' THEN
    ARRAY['22004', format('%s is empty', column_name), NULL] END;
COMMENT ON FUNCTION finmon.text_problem(text, text) IS
    'What is wrong with a required text field, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

-- An optional amount: empty is fine (NULL), anything else must be an amount.
CREATE FUNCTION finmon.optional_amount_problem(column_name text, value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN value IS NOT NULL AND btrim(value) <> '' THEN finmon.amount_problem(column_name, value) END;
COMMENT ON FUNCTION finmon.optional_amount_problem(text, text) IS
    'As amount_problem, but an empty value is allowed (internal).';

-- The error for a key loaded twice in one load; NULL when the row was written.
CREATE FUNCTION finmon.duplicate_problem(written integer, what text, first_row integer) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN written = 0 THEN
    ARRAY['23505', format('%s appears twice in this load (first at row %s)', what, first_row), NULL] END;
COMMENT ON FUNCTION finmon.duplicate_problem(integer, text, integer) IS
    'The 23505 problem for a key met twice in one load, when an upsert wrote nothing (internal).';

CREATE FUNCTION finmon.savings_plan_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.text_problem('ref', NEW.ref),
                 finmon.text_problem('title', NEW.title),
                 finmon.financial_year_problem(NEW.financial_year),
                 finmon.amount_problem('target', NEW.target));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    INSERT INTO finmon.savings_plan AS p
           (ref, financial_year, title, workstream, target, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.ref), btrim(NEW.financial_year), btrim(NEW.title),
            NULLIF(btrim(NEW.workstream), ''), btrim(NEW.target)::numeric, now(),
            load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT savings_plan_pkey DO UPDATE
       SET title = excluded.title, workstream = excluded.workstream, target = excluded.target,
           loaded_at = excluded.loaded_at, import_batch = excluded.import_batch,
           import_row = excluded.import_row
     WHERE p.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT p.import_row INTO first_row FROM finmon.savings_plan p
         WHERE p.ref = btrim(NEW.ref) AND p.financial_year = btrim(NEW.financial_year);
    END IF;
    problem := finmon.duplicate_problem(written, format('saving "%s" for %s', btrim(NEW.ref), btrim(NEW.financial_year)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.savings_plan_import_row() IS
    'Trigger function of finmon.savings_plan_import: checks a row and stores it, replacing an earlier load''s target for the same saving and year (internal).';

CREATE VIEW finmon.savings_plan_import AS
    SELECT NULL::text AS ref, NULL::text AS title, NULL::text AS workstream,
           NULL::text AS financial_year, NULL::text AS target
     WHERE false;
COMMENT ON VIEW finmon.savings_plan_import IS
    'Load savings_plan.csv here: \copy finmon.savings_plan_import FROM ''savings_plan.csv'' WITH (FORMAT csv, HEADER). Header ref,title,workstream,financial_year,target; one row per saving and year, target in pounds, negative for a saving. A row for a saving and year already loaded replaces it; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.savings_plan_import.ref IS 'The saving''s reference.';
COMMENT ON COLUMN finmon.savings_plan_import.title IS 'The saving''s title.';
COMMENT ON COLUMN finmon.savings_plan_import.workstream IS 'Programme workstream; may be empty.';
COMMENT ON COLUMN finmon.savings_plan_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_plan_import.target IS 'Target in pounds; a saving is negative, a reversal positive.';

CREATE TRIGGER savings_plan_import_begin BEFORE INSERT ON finmon.savings_plan_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER savings_plan_import_row INSTEAD OF INSERT ON finmon.savings_plan_import
    FOR EACH ROW EXECUTE FUNCTION finmon.savings_plan_import_row();

CREATE FUNCTION finmon.savings_forecast_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    rag_value text := NULLIF(btrim(NEW.rag), '');
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                 finmon.period_problem(NEW.period),
                 finmon.text_problem('ref', NEW.ref),
                 finmon.amount_problem('forecast', NEW.forecast),
                 CASE WHEN rag_value IS NOT NULL AND lower(rag_value) NOT IN ('red', 'amber', 'green') THEN
                     ARRAY['22023', format('rag "%s" is not Red, Amber or Green', NEW.rag),
                           'Leave rag empty to have the report derive it from target and forecast.'] END,
                 CASE WHEN NOT EXISTS (SELECT FROM finmon.savings_plan p WHERE p.ref = btrim(NEW.ref)) THEN
                     ARRAY['23503', format('saving "%s" has no row in the savings plan', btrim(NEW.ref)),
                           'Load savings_plan.csv, with this saving''s targets, before its forecasts.'] END);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    INSERT INTO finmon.savings_forecast AS f
           (financial_year, period, ref, forecast, rag, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.ref),
            btrim(NEW.forecast)::numeric, initcap(rag_value), now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT savings_forecast_pkey DO UPDATE
       SET forecast = excluded.forecast, rag = excluded.rag, loaded_at = excluded.loaded_at,
           import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE f.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT f.import_row INTO first_row FROM finmon.savings_forecast f
         WHERE (f.financial_year, f.period, f.ref) = (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.ref));
    END IF;
    problem := finmon.duplicate_problem(written, format('saving "%s" for %s period %s', btrim(NEW.ref),
                                                 btrim(NEW.financial_year), btrim(NEW.period)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.savings_forecast_import_row() IS
    'Trigger function of finmon.savings_forecast_import: checks a row and stores it, replacing an earlier load''s forecast for the same saving and period (internal).';

CREATE VIEW finmon.savings_forecast_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS ref,
           NULL::text AS forecast, NULL::text AS rag
     WHERE false;
COMMENT ON VIEW finmon.savings_forecast_import IS
    'Load savings_forecast.csv here: \copy finmon.savings_forecast_import FROM ''savings_forecast.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,ref,forecast,rag; forecast in pounds with the plan''s sign; rag Red, Amber, Green or empty. The saving must be in the plan. A row for a saving and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.savings_forecast_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_forecast_import.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.savings_forecast_import.ref IS 'The saving''s reference, as in the plan.';
COMMENT ON COLUMN finmon.savings_forecast_import.forecast IS 'Forecast delivery in pounds, same sign as the target.';
COMMENT ON COLUMN finmon.savings_forecast_import.rag IS 'Red, Amber, Green (any case) or empty.';

CREATE TRIGGER savings_forecast_import_begin BEFORE INSERT ON finmon.savings_forecast_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER savings_forecast_import_row INSTEAD OF INSERT ON finmon.savings_forecast_import
    FOR EACH ROW EXECUTE FUNCTION finmon.savings_forecast_import_row();
