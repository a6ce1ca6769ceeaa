-- finmon upgrade script, built by `make upgrade-script` from src/*.sql (see Makefile).
\echo Use "ALTER EXTENSION finmon UPDATE" to load this file. \quit
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
-- Reserves and provisions: opening balance, agreed and planned usage, closing
-- balance, and the roll-forward from one year to the next.

CREATE TABLE finmon.reserve (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    name text NOT NULL CHECK (name <> ''),
    kind text NOT NULL CHECK (kind IN ('reserve', 'provision')),
    opening_balance numeric NOT NULL,
    agreed_usage numeric,
    planned_usage numeric NOT NULL,
    description text,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, name)
);
COMMENT ON TABLE finmon.reserve IS
    'Reserves and provisions at a monitoring period: balance at 1 April and usage in the year, in pounds. Loaded through finmon.reserves_import.';
COMMENT ON COLUMN finmon.reserve.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.reserve.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.reserve.name IS 'The balance''s name; the same name in each year chains the years together.';
COMMENT ON COLUMN finmon.reserve.kind IS '''reserve'' or ''provision''.';
COMMENT ON COLUMN finmon.reserve.opening_balance IS 'Balance at 1 April, in pounds.';
COMMENT ON COLUMN finmon.reserve.agreed_usage IS 'Usage agreed when the budget was set; negative draws the balance down. NULL when not given.';
COMMENT ON COLUMN finmon.reserve.planned_usage IS 'Usage now planned (forecast) for the year; negative draws the balance down, positive adds to it.';
COMMENT ON COLUMN finmon.reserve.description IS 'What the balance is for, as the paper explains it.';
COMMENT ON COLUMN finmon.reserve.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.reserve.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.reserve.import_row IS 'The row number in that load; orders the balances as the file did.';

SELECT pg_catalog.pg_extension_config_dump('finmon.reserve', '');

CREATE FUNCTION finmon.reserves_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                 finmon.period_problem(NEW.period),
                 finmon.text_problem('name', NEW.name),
                 finmon.text_problem('kind', NEW.kind),
                 CASE WHEN lower(btrim(NEW.kind)) NOT IN ('reserve', 'provision') THEN
                     ARRAY['22023', format('kind "%s" is not reserve or provision', NEW.kind), NULL] END,
                 finmon.amount_problem('opening_balance', NEW.opening_balance),
                 finmon.optional_amount_problem('agreed_usage', NEW.agreed_usage),
                 finmon.amount_problem('planned_usage', NEW.planned_usage));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    INSERT INTO finmon.reserve AS r
           (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage,
            description, loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.name),
            lower(btrim(NEW.kind)), btrim(NEW.opening_balance)::numeric,
            NULLIF(btrim(NEW.agreed_usage), '')::numeric, btrim(NEW.planned_usage)::numeric,
            NULLIF(btrim(NEW.description), ''), now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT reserve_pkey DO UPDATE
       SET kind = excluded.kind, opening_balance = excluded.opening_balance,
           agreed_usage = excluded.agreed_usage, planned_usage = excluded.planned_usage,
           description = excluded.description, loaded_at = excluded.loaded_at,
           import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE r.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT r.import_row INTO first_row FROM finmon.reserve r
         WHERE (r.financial_year, r.period, r.name) = (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.name));
    END IF;
    problem := finmon.duplicate_problem(written, format('balance "%s" for %s period %s', btrim(NEW.name),
                                                 btrim(NEW.financial_year), btrim(NEW.period)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.reserves_import_row() IS
    'Trigger function of finmon.reserves_import: checks a row and stores it, replacing an earlier load''s figures for the same balance and period (internal).';

CREATE VIEW finmon.reserves_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS name, NULL::text AS kind,
           NULL::text AS opening_balance, NULL::text AS agreed_usage, NULL::text AS planned_usage,
           NULL::text AS description
     WHERE false;
COMMENT ON VIEW finmon.reserves_import IS
    'Load reserves.csv here: \copy finmon.reserves_import FROM ''reserves.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,name,kind,opening_balance,agreed_usage,planned_usage,description; kind reserve or provision; amounts in pounds, usage negative when drawn down; agreed_usage and description may be empty. A row for a balance and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.reserves_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.reserves_import.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.reserves_import.name IS 'The balance''s name.';
COMMENT ON COLUMN finmon.reserves_import.kind IS 'reserve or provision.';
COMMENT ON COLUMN finmon.reserves_import.opening_balance IS 'Balance at 1 April in pounds.';
COMMENT ON COLUMN finmon.reserves_import.agreed_usage IS 'Usage agreed at budget setting, in pounds; may be empty.';
COMMENT ON COLUMN finmon.reserves_import.planned_usage IS 'Planned usage in the year, in pounds; negative draws down.';
COMMENT ON COLUMN finmon.reserves_import.description IS 'What the balance is for; may be empty.';

CREATE TRIGGER reserves_import_begin BEFORE INSERT ON finmon.reserves_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER reserves_import_row INSTEAD OF INSERT ON finmon.reserves_import
    FOR EACH ROW EXECUTE FUNCTION finmon.reserves_import_row();

-- Roll-forward ------------------------------------------------------------------

CREATE TYPE finmon.reserve_chain AS (
    first_year text,
    last_year text,
    years integer,
    opening_balance numeric,
    closing_balance numeric,
    breaks integer,
    break_years text[],
    break_expected numeric[],
    break_stated numeric[]
);
COMMENT ON TYPE finmon.reserve_chain IS
    'What reserve_rollforward returns: the years covered, the first opening and the last closing balance, and each break in the chain (a year whose opening balance is not the previous year''s closing).';
COMMENT ON COLUMN finmon.reserve_chain.first_year IS 'The earliest year given.';
COMMENT ON COLUMN finmon.reserve_chain.last_year IS 'The latest year given.';
COMMENT ON COLUMN finmon.reserve_chain.years IS 'How many years were given.';
COMMENT ON COLUMN finmon.reserve_chain.opening_balance IS 'Opening balance of the earliest year.';
COMMENT ON COLUMN finmon.reserve_chain.closing_balance IS 'Closing balance after the latest year: its opening balance plus its movement.';
COMMENT ON COLUMN finmon.reserve_chain.breaks IS 'How many years'' opening balances differ from the previous year''s closing.';
COMMENT ON COLUMN finmon.reserve_chain.break_years IS 'The years whose opening balance breaks the chain.';
COMMENT ON COLUMN finmon.reserve_chain.break_expected IS 'For each break, the previous year''s closing balance (what the opening should have been).';
COMMENT ON COLUMN finmon.reserve_chain.break_stated IS 'For each break, the opening balance stated.';

CREATE FUNCTION finmon.rollforward_accum(internal, text, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rollforward_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rollforward_accum(internal, text, numeric, numeric) IS
    'reserve_rollforward transition function (internal).';

CREATE FUNCTION finmon.rollforward_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rollforward_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rollforward_combine(internal, internal) IS
    'reserve_rollforward combine function (internal).';

CREATE FUNCTION finmon.rollforward_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_rollforward_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rollforward_serialize(internal) IS
    'reserve_rollforward state serialisation (internal).';

CREATE FUNCTION finmon.rollforward_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rollforward_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rollforward_deserialize(bytea, internal) IS
    'reserve_rollforward state deserialisation (internal).';

CREATE FUNCTION finmon.rollforward_final(internal) RETURNS finmon.reserve_chain
    AS 'MODULE_PATHNAME', 'finmon_rollforward_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rollforward_final(internal) IS
    'reserve_rollforward final function (internal).';

CREATE AGGREGATE finmon.reserve_rollforward(financial_year text, opening_balance numeric, movement numeric) (
    SFUNC = finmon.rollforward_accum,
    STYPE = internal,
    FINALFUNC = finmon.rollforward_final,
    COMBINEFUNC = finmon.rollforward_combine,
    SERIALFUNC = finmon.rollforward_serialize,
    DESERIALFUNC = finmon.rollforward_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.reserve_rollforward(text, numeric, numeric) IS
    'Rolls one balance forward over its years (one row per year: opening balance and movement): the closing balance after the last year and every break in the chain. Sorts by year itself, so ORDER BY financial_year is optional; rows with a NULL are ignored; two rows for one year raise 21000. Parallel safe.';
-- The capital programme: budget, forecast outturn, slippage and next year's
-- budget per scheme; grants passported to other bodies printed below the total.

CREATE TABLE finmon.capital (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    scheme text NOT NULL CHECK (scheme <> ''),
    budget numeric NOT NULL,
    forecast_outturn numeric NOT NULL,
    next_year_budget numeric,
    passported boolean NOT NULL DEFAULT false,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, scheme)
);
COMMENT ON TABLE finmon.capital IS
    'Capital schemes at a monitoring period, in pounds. Loaded through finmon.capital_import.';
COMMENT ON COLUMN finmon.capital.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.capital.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.capital.scheme IS 'The scheme''s name.';
COMMENT ON COLUMN finmon.capital.budget IS 'Current capital budget for the year, in pounds.';
COMMENT ON COLUMN finmon.capital.forecast_outturn IS 'Forecast outturn at year end, in pounds.';
COMMENT ON COLUMN finmon.capital.next_year_budget IS 'Draft capital budget for the next year, in pounds; NULL when not yet known (printed "tbc").';
COMMENT ON COLUMN finmon.capital.passported IS 'True for grants passed on to other bodies (the Disabled Facilities Grant): printed below the programme total and included in the total capital programme.';
COMMENT ON COLUMN finmon.capital.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.capital.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.capital.import_row IS 'The row number in that load; orders the schemes as the file did.';

SELECT pg_catalog.pg_extension_config_dump('finmon.capital', '');

CREATE FUNCTION finmon.boolean_problem(column_name text, value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN value IS NOT NULL AND lower(btrim(value)) NOT IN ('', 'true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', '1', '0') THEN
    ARRAY['22P02', format('%s "%s" is not true or false', column_name, value),
          'Write true or false (or leave it empty for false).'] END;
COMMENT ON FUNCTION finmon.boolean_problem(text, text) IS
    'What is wrong with an imported true/false field (empty is false), as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

CREATE FUNCTION finmon.capital_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                 finmon.period_problem(NEW.period),
                 finmon.text_problem('scheme', NEW.scheme),
                 finmon.amount_problem('budget', NEW.budget),
                 finmon.amount_problem('forecast_outturn', NEW.forecast_outturn),
                 finmon.optional_amount_problem('next_year_budget', NEW.next_year_budget),
                 finmon.boolean_problem('passported', NEW.passported));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    INSERT INTO finmon.capital AS c
           (financial_year, period, scheme, budget, forecast_outturn, next_year_budget, passported,
            loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.scheme),
            btrim(NEW.budget)::numeric, btrim(NEW.forecast_outturn)::numeric,
            NULLIF(btrim(NEW.next_year_budget), '')::numeric,
            COALESCE(NULLIF(btrim(NEW.passported), '')::boolean, false),
            now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT capital_pkey DO UPDATE
       SET budget = excluded.budget, forecast_outturn = excluded.forecast_outturn,
           next_year_budget = excluded.next_year_budget, passported = excluded.passported,
           loaded_at = excluded.loaded_at, import_batch = excluded.import_batch,
           import_row = excluded.import_row
     WHERE c.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT c.import_row INTO first_row FROM finmon.capital c
         WHERE (c.financial_year, c.period, c.scheme) = (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW.scheme));
    END IF;
    problem := finmon.duplicate_problem(written, format('scheme "%s" for %s period %s', btrim(NEW.scheme),
                                                 btrim(NEW.financial_year), btrim(NEW.period)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.capital_import_row() IS
    'Trigger function of finmon.capital_import: checks a row and stores it, replacing an earlier load''s figures for the same scheme and period (internal).';

CREATE VIEW finmon.capital_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS scheme,
           NULL::text AS budget, NULL::text AS forecast_outturn, NULL::text AS next_year_budget,
           NULL::text AS passported
     WHERE false;
COMMENT ON VIEW finmon.capital_import IS
    'Load capital.csv here: \copy finmon.capital_import FROM ''capital.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,scheme,budget,forecast_outturn,next_year_budget,passported; amounts in pounds; next_year_budget may be empty (not yet known); passported true or false (empty is false). A row for a scheme and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.capital_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.capital_import.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.capital_import.scheme IS 'The scheme''s name.';
COMMENT ON COLUMN finmon.capital_import.budget IS 'Current capital budget in pounds.';
COMMENT ON COLUMN finmon.capital_import.forecast_outturn IS 'Forecast outturn in pounds.';
COMMENT ON COLUMN finmon.capital_import.next_year_budget IS 'Next year''s draft budget in pounds; may be empty.';
COMMENT ON COLUMN finmon.capital_import.passported IS 'true for grants passed on to other bodies; empty is false.';

CREATE TRIGGER capital_import_begin BEFORE INSERT ON finmon.capital_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER capital_import_row INSTEAD OF INSERT ON finmon.capital_import
    FOR EACH ROW EXECUTE FUNCTION finmon.capital_import_row();
-- Ring-fenced grants (the improved Better Care Fund): allocation, amount brought
-- forward, forecast spend and the carry forward to next year, per scheme.

CREATE TABLE finmon.grant_scheme (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    "grant" text NOT NULL CHECK ("grant" <> ''),
    scheme text NOT NULL CHECK (scheme <> ''),
    allocation numeric NOT NULL,
    brought_forward numeric NOT NULL,
    forecast_spend numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, "grant", scheme)
);
COMMENT ON TABLE finmon.grant_scheme IS
    'Schemes funded by a ring-fenced grant at a monitoring period, in pounds. Loaded through finmon.grants_import.';
COMMENT ON COLUMN finmon.grant_scheme.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.grant_scheme.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.grant_scheme."grant" IS 'The grant, e.g. iBCF.';
COMMENT ON COLUMN finmon.grant_scheme.scheme IS 'The scheme the grant funds.';
COMMENT ON COLUMN finmon.grant_scheme.allocation IS 'The year''s allocation to the scheme, in pounds.';
COMMENT ON COLUMN finmon.grant_scheme.brought_forward IS 'Grant brought forward from the previous year (held in reserve), in pounds.';
COMMENT ON COLUMN finmon.grant_scheme.forecast_spend IS 'Forecast spend in the year, in pounds.';
COMMENT ON COLUMN finmon.grant_scheme.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon.grant_scheme.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.grant_scheme.import_row IS 'The row number in that load; orders the schemes as the file did.';

SELECT pg_catalog.pg_extension_config_dump('finmon.grant_scheme', '');

CREATE FUNCTION finmon.grants_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                 finmon.period_problem(NEW.period),
                 finmon.text_problem('grant', NEW."grant"),
                 finmon.text_problem('scheme', NEW.scheme),
                 finmon.amount_problem('allocation', NEW.allocation),
                 finmon.amount_problem('brought_forward', NEW.brought_forward),
                 finmon.amount_problem('forecast_spend', NEW.forecast_spend));
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    INSERT INTO finmon.grant_scheme AS g
           (financial_year, period, "grant", scheme, allocation, brought_forward, forecast_spend,
            loaded_at, import_batch, import_row)
    VALUES (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW."grant"), btrim(NEW.scheme),
            btrim(NEW.allocation)::numeric, btrim(NEW.brought_forward)::numeric,
            btrim(NEW.forecast_spend)::numeric, now(), load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT grant_scheme_pkey DO UPDATE
       SET allocation = excluded.allocation, brought_forward = excluded.brought_forward,
           forecast_spend = excluded.forecast_spend, loaded_at = excluded.loaded_at,
           import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE g.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT g.import_row INTO first_row FROM finmon.grant_scheme g
         WHERE (g.financial_year, g.period, g."grant", g.scheme)
             = (btrim(NEW.financial_year), btrim(NEW.period)::integer, btrim(NEW."grant"), btrim(NEW.scheme));
    END IF;
    problem := finmon.duplicate_problem(written, format('%s scheme "%s" for %s period %s', btrim(NEW."grant"),
                                                 btrim(NEW.scheme), btrim(NEW.financial_year), btrim(NEW.period)),
                                 first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.grants_import_row() IS
    'Trigger function of finmon.grants_import: checks a row and stores it, replacing an earlier load''s figures for the same scheme and period (internal).';

CREATE VIEW finmon.grants_import AS
    SELECT NULL::text AS financial_year, NULL::text AS period, NULL::text AS "grant",
           NULL::text AS scheme, NULL::text AS allocation, NULL::text AS brought_forward,
           NULL::text AS forecast_spend
     WHERE false;
COMMENT ON VIEW finmon.grants_import IS
    'Load grants.csv here: \copy finmon.grants_import FROM ''grants.csv'' WITH (FORMAT csv, HEADER). Header financial_year,period,grant,scheme,allocation,brought_forward,forecast_spend; amounts in pounds. A row for a scheme and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.grants_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.grants_import.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.grants_import."grant" IS 'The grant, e.g. iBCF.';
COMMENT ON COLUMN finmon.grants_import.scheme IS 'The scheme the grant funds.';
COMMENT ON COLUMN finmon.grants_import.allocation IS 'The year''s allocation in pounds.';
COMMENT ON COLUMN finmon.grants_import.brought_forward IS 'Brought forward from last year, in pounds.';
COMMENT ON COLUMN finmon.grants_import.forecast_spend IS 'Forecast spend in the year, in pounds.';

CREATE TRIGGER grants_import_begin BEFORE INSERT ON finmon.grants_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER grants_import_row INSTEAD OF INSERT ON finmon.grants_import
    FOR EACH ROW EXECUTE FUNCTION finmon.grants_import_row();
-- Reports on savings, reserves, capital and grants (in pounds), and the committee
-- appendices C to F printed as the papers print them (£m to 3 places, minus signs).

CREATE TABLE finmon.setting (
    name text PRIMARY KEY,
    value text NOT NULL
);
COMMENT ON TABLE finmon.setting IS
    'Settings for printed reports, one row each. Known: service_name (e.g. ''Adult Social Care''), used in printed total labels such as "Total Adult Social Care Reserves".';
COMMENT ON COLUMN finmon.setting.name IS 'The setting.';
COMMENT ON COLUMN finmon.setting.value IS 'Its value.';
SELECT pg_catalog.pg_extension_config_dump('finmon.setting', '');

CREATE FUNCTION finmon.service_label(template text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN regexp_replace(replace(template, '%s',
           COALESCE((SELECT s.value FROM finmon.setting s WHERE s.name = 'service_name'), '')),
       '  +', ' ', 'g');
COMMENT ON FUNCTION finmon.service_label(text) IS
    'A printed label with %s replaced by the service_name setting (nothing when unset): ''Total %s Reserves'' gives ''Total Adult Social Care Reserves''.';

CREATE FUNCTION finmon.format_signed(amount numeric, unit text DEFAULT '£m', places integer DEFAULT 3)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN amount IS NULL THEN NULL
            ELSE replace(replace(finmon.format_money(amount, unit, places), '(', '-'), ')', '') END;
COMMENT ON FUNCTION finmon.format_signed(numeric, text, integer) IS
    'An amount in pounds as the savings, reserves and capital appendices print it: in £m (or £k, £) to 3 (or the given) places with a minus sign: -700000 is -0.700.';

-- Savings ---------------------------------------------------------------------

CREATE FUNCTION finmon.next_financial_year(financial_year text, years integer) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN finmon.financial_year_of((finmon.financial_year_start(financial_year) + make_interval(years => years))::date);
COMMENT ON FUNCTION finmon.next_financial_year(text, integer) IS
    'The financial year the given number of years later: (''2018-19'', 2) is ''2020-21''.';


CREATE VIEW finmon.savings_report AS
WITH forecast AS (
    SELECT f.financial_year, f.period, f.ref, f.forecast, f.rag, f.import_batch, f.import_row,
           p.title, p.workstream, p.target,
           finmon.savings_shortfall(COALESCE(p.target, 0), f.forecast) AS shortfall
      FROM finmon.savings_forecast f
      LEFT JOIN finmon.savings_plan p ON p.ref = f.ref AND p.financial_year = f.financial_year
)
SELECT f.financial_year,
       f.period,
       f.ref,
       COALESCE(f.title, later.title) AS title,
       COALESCE(f.workstream, later.workstream) AS workstream,
       f.target,
       f.forecast,
       f.shortfall,
       CASE WHEN f.target <> 0 THEN f.forecast / f.target * 100 END AS delivered_pct,
       COALESCE(f.rag, finmon.savings_rag(f.target, f.forecast)) AS rag,
       CASE WHEN f.rag IS NOT NULL THEN 'stated'
            WHEN f.target IS NOT NULL THEN 'derived' END AS rag_source,
       lag(f.shortfall) OVER (PARTITION BY f.financial_year, f.ref ORDER BY f.period) AS previous_shortfall,
       next1.target AS target_next_year,
       next2.target AS target_year_after,
       row_number() OVER (PARTITION BY f.financial_year, f.period ORDER BY f.import_batch, f.import_row)::integer AS row_order
  FROM forecast f
  LEFT JOIN finmon.savings_plan next1
         ON next1.ref = f.ref AND next1.financial_year = finmon.next_financial_year(f.financial_year, 1)
  LEFT JOIN finmon.savings_plan next2
         ON next2.ref = f.ref AND next2.financial_year = finmon.next_financial_year(f.financial_year, 2)
  LEFT JOIN LATERAL (SELECT p.title, p.workstream FROM finmon.savings_plan p
                      WHERE p.ref = f.ref AND p.financial_year > f.financial_year
                      ORDER BY p.financial_year LIMIT 1) later ON true;
COMMENT ON VIEW finmon.savings_report IS
    'Each saving in the programme at a monitoring period (every saving with a forecast then): target for the year, forecast, shortfall (positive = not delivered), RAG stated or derived, previous period''s shortfall and the next two years'' targets. Pounds.';
COMMENT ON COLUMN finmon.savings_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.savings_report.ref IS 'The saving''s reference.';
COMMENT ON COLUMN finmon.savings_report.title IS 'Its title in the year''s plan (or the next year''s, when it has no target this year).';
COMMENT ON COLUMN finmon.savings_report.workstream IS 'Its workstream in the year''s plan (or the next year''s); NULL when none.';
COMMENT ON COLUMN finmon.savings_report.target IS 'Target for the year; NULL when the plan has none this year.';
COMMENT ON COLUMN finmon.savings_report.forecast IS 'Forecast delivery in the year.';
COMMENT ON COLUMN finmon.savings_report.shortfall IS 'forecast - target (a missing target counts as zero); positive is not delivered.';
COMMENT ON COLUMN finmon.savings_report.delivered_pct IS 'forecast / target * 100; NULL for a zero or missing target.';
COMMENT ON COLUMN finmon.savings_report.rag IS 'The stated RAG status, or else savings_rag(target, forecast); NULL with no target.';
COMMENT ON COLUMN finmon.savings_report.rag_source IS '''stated'' (loaded) or ''derived'' (computed by savings_rag).';
COMMENT ON COLUMN finmon.savings_report.previous_shortfall IS 'The shortfall at the previous monitoring period of the same year with a forecast for this saving.';
COMMENT ON COLUMN finmon.savings_report.target_next_year IS 'Target for the next financial year.';
COMMENT ON COLUMN finmon.savings_report.target_year_after IS 'Target for the year after that.';
COMMENT ON COLUMN finmon.savings_report.row_order IS 'Order of the forecast file.';


CREATE VIEW finmon.savings_summary_report AS
WITH status AS (
    SELECT r.financial_year, r.period, s.status, s.status_order,
           (finmon.savings_agg(r.target, r.forecast)).*
      FROM finmon.savings_report r
     CROSS JOIN LATERAL (VALUES ('off target', 1, r.shortfall > 0),
                                ('on target', 2, r.shortfall <= 0),
                                ('total', 3, true)) AS s(status, status_order, member)
     WHERE s.member
     GROUP BY r.financial_year, r.period, s.status, s.status_order
),
periods AS (
    SELECT DISTINCT r.financial_year, r.period FROM finmon.savings_report r
),
filled AS (
    SELECT p.financial_year, p.period, k.status, k.status_order,
           COALESCE(s.target, 0) AS target, COALESCE(s.forecast, 0) AS forecast,
           COALESCE(s.shortfall, 0) AS shortfall, COALESCE(s.schemes, 0) AS schemes
      FROM periods p
     CROSS JOIN (VALUES ('off target', 1), ('on target', 2), ('total', 3)) AS k(status, status_order)
      LEFT JOIN status s USING (financial_year, period, status)
)
SELECT f.financial_year,
       f.period,
       f.status,
       f.target,
       f.forecast,
       f.shortfall,
       CASE WHEN f.target <> 0 THEN f.shortfall / f.target * 100 END AS shortfall_pct,
       lag(f.shortfall) OVER (PARTITION BY f.financial_year, f.status ORDER BY f.period) AS previous_shortfall,
       f.schemes,
       f.status_order
  FROM filled f;
COMMENT ON VIEW finmon.savings_summary_report IS
    'The savings programme at each monitoring period in three rows: ''off target'' (savings with a shortfall), ''on target'' and ''total'', with target, forecast, shortfall, shortfall as % of target and the shortfall reported at the previous period (the 2018-19 P5 paper''s section 2.7.3 table). Pounds.';
COMMENT ON COLUMN finmon.savings_summary_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_summary_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.savings_summary_report.status IS '''off target'', ''on target'' or ''total''.';
COMMENT ON COLUMN finmon.savings_summary_report.target IS 'Sum of the targets.';
COMMENT ON COLUMN finmon.savings_summary_report.forecast IS 'Sum of the forecasts.';
COMMENT ON COLUMN finmon.savings_summary_report.shortfall IS 'forecast - target; positive is not delivered.';
COMMENT ON COLUMN finmon.savings_summary_report.shortfall_pct IS 'shortfall / target * 100, negative for a shortfall on savings (as the paper prints -37%); NULL for a zero target.';
COMMENT ON COLUMN finmon.savings_summary_report.previous_shortfall IS 'The same row''s shortfall at the previous monitoring period loaded for the year; NULL when there is none.';
COMMENT ON COLUMN finmon.savings_summary_report.schemes IS 'How many savings the row covers.';
COMMENT ON COLUMN finmon.savings_summary_report.status_order IS '1, 2, 3: the printed order.';

CREATE VIEW finmon.savings_by_workstream AS
SELECT r.financial_year,
       r.period,
       r.workstream,
       (finmon.savings_agg(r.target, r.forecast)).*,
       sum(r.target_next_year) AS target_next_year,
       sum(r.target_year_after) AS target_year_after,
       min(r.row_order) AS row_order
  FROM finmon.savings_report r
 GROUP BY r.financial_year, r.period, r.workstream;
COMMENT ON VIEW finmon.savings_by_workstream IS
    'The savings programme at each monitoring period by workstream (NULL: savings with none): totals of target, forecast, shortfall, delivered %, schemes and schemes off target, and the next two years'' targets. Pounds.';
COMMENT ON COLUMN finmon.savings_by_workstream.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_by_workstream.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.savings_by_workstream.workstream IS 'The workstream; NULL for savings without one.';
COMMENT ON COLUMN finmon.savings_by_workstream.target IS 'Sum of the year''s targets.';
COMMENT ON COLUMN finmon.savings_by_workstream.forecast IS 'Sum of the forecasts.';
COMMENT ON COLUMN finmon.savings_by_workstream.shortfall IS 'forecast - target; positive is not delivered.';
COMMENT ON COLUMN finmon.savings_by_workstream.delivered_pct IS 'forecast / target * 100.';
COMMENT ON COLUMN finmon.savings_by_workstream.schemes IS 'Savings in the workstream.';
COMMENT ON COLUMN finmon.savings_by_workstream.schemes_off_target IS 'Of those, how many fall short.';
COMMENT ON COLUMN finmon.savings_by_workstream.target_next_year IS 'Sum of the next year''s targets.';
COMMENT ON COLUMN finmon.savings_by_workstream.target_year_after IS 'Sum of the targets the year after.';
COMMENT ON COLUMN finmon.savings_by_workstream.row_order IS 'Where the workstream first appears in the programme.';

-- Reserves and provisions --------------------------------------------------------

CREATE VIEW finmon.reserves_report AS
WITH balance AS (
    SELECT r.*, r.opening_balance + r.planned_usage AS closing_balance,
           CASE r.kind WHEN 'provision' THEN 1 ELSE 2 END AS kind_order
      FROM finmon.reserve r
),
grouped AS (
    SELECT b.financial_year, b.period, b.kind, b.kind_order, b.name, b.description,
           sum(b.opening_balance) AS opening_balance, sum(b.agreed_usage) AS agreed_usage,
           sum(b.planned_usage) AS planned_usage, sum(b.closing_balance) AS closing_balance,
           min(b.import_batch) AS import_batch, min(b.import_row) AS import_row,
           GROUPING(b.kind, b.name) AS level
      FROM balance b
     GROUP BY GROUPING SETS ((b.financial_year, b.period, b.kind_order, b.kind, b.name, b.description),
                             (b.financial_year, b.period, b.kind_order, b.kind),
                             (b.financial_year, b.period))
)
SELECT g.financial_year,
       g.period,
       row_number() OVER (PARTITION BY g.financial_year, g.period
                          ORDER BY g.kind_order NULLS LAST, (g.name IS NULL), g.import_batch, g.import_row)::integer AS row_number,
       CASE g.level WHEN 0 THEN 'balance' WHEN 1 THEN 'kind total' ELSE 'total' END AS row_type,
       g.kind,
       g.name,
       g.description,
       g.opening_balance,
       g.agreed_usage,
       g.planned_usage,
       g.closing_balance
  FROM grouped g;
COMMENT ON VIEW finmon.reserves_report IS
    'Reserves and provisions at each monitoring period: each balance with its closing balance (opening + planned usage), a total per kind (provisions first) and a grand total. Pounds.';
COMMENT ON COLUMN finmon.reserves_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.reserves_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.reserves_report.row_number IS 'Printed order: provisions, their total, reserves, their total, the grand total.';
COMMENT ON COLUMN finmon.reserves_report.row_type IS '''balance'', ''kind total'' or ''total''.';
COMMENT ON COLUMN finmon.reserves_report.kind IS '''reserve'' or ''provision''; NULL on the grand total.';
COMMENT ON COLUMN finmon.reserves_report.name IS 'The balance; NULL on totals.';
COMMENT ON COLUMN finmon.reserves_report.description IS 'What the balance is for.';
COMMENT ON COLUMN finmon.reserves_report.opening_balance IS 'Balance at 1 April.';
COMMENT ON COLUMN finmon.reserves_report.agreed_usage IS 'Usage agreed at budget setting; NULL when not given.';
COMMENT ON COLUMN finmon.reserves_report.planned_usage IS 'Usage planned now; negative draws down.';
COMMENT ON COLUMN finmon.reserves_report.closing_balance IS 'opening_balance + planned_usage: the forecast balance at 31 March.';

CREATE VIEW finmon.reserve_chain_breaks AS
WITH latest AS (
    SELECT DISTINCT ON (r.name, r.financial_year) r.name, r.kind, r.financial_year, r.period,
           r.opening_balance, r.planned_usage
      FROM finmon.reserve r
     ORDER BY r.name, r.financial_year, r.period DESC
),
chain AS (
    SELECT l.name, finmon.reserve_rollforward(l.financial_year, l.opening_balance, l.planned_usage
                                              ORDER BY l.financial_year) AS c
      FROM latest l
     GROUP BY l.name
)
SELECT ch.name,
       (SELECT l.kind FROM latest l WHERE l.name = ch.name AND l.financial_year = b.financial_year) AS kind,
       b.financial_year,
       (SELECT max(l.financial_year) FROM latest l
         WHERE l.name = ch.name AND l.financial_year < b.financial_year) AS previous_year,
       b.previous_closing_balance,
       b.opening_balance,
       b.opening_balance - b.previous_closing_balance AS difference
  FROM chain ch
 CROSS JOIN LATERAL unnest((ch.c).break_years, (ch.c).break_expected, (ch.c).break_stated)
       AS b(financial_year, previous_closing_balance, opening_balance);
COMMENT ON VIEW finmon.reserve_chain_breaks IS
    'Every year in which a balance''s opening balance is not the previous year''s closing balance (its opening + planned usage at the latest period loaded for that year), by reserve_rollforward. Balances chain by name. Pounds.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.name IS 'The balance.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.kind IS 'reserve or provision.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.financial_year IS 'The year whose opening balance breaks the chain.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.previous_year IS 'The latest earlier year loaded for the balance.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.previous_closing_balance IS 'That year''s closing balance (opening + planned usage at its latest period).';
COMMENT ON COLUMN finmon.reserve_chain_breaks.opening_balance IS 'The opening balance stated for this year.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.difference IS 'opening_balance - previous_closing_balance.';

-- Capital -------------------------------------------------------------------------

CREATE VIEW finmon.capital_report AS
WITH rows AS (
    SELECT c.financial_year, c.period, CASE WHEN c.passported THEN 3 ELSE 1 END AS block,
           CASE WHEN c.passported THEN 'passported' ELSE 'scheme' END AS row_type,
           c.scheme, c.budget, c.forecast_outturn, c.next_year_budget, c.import_batch, c.import_row
      FROM finmon.capital c
    UNION ALL
    SELECT c.financial_year, c.period, t.block, t.row_type, NULL,
           sum(c.budget), sum(c.forecast_outturn),
           CASE WHEN count(c.next_year_budget) = count(*) THEN sum(c.next_year_budget) END, NULL, NULL
      FROM finmon.capital c
     CROSS JOIN (VALUES (2, 'programme total', false), (4, 'total capital programme', true)) AS t(block, row_type, all_schemes)
     WHERE t.all_schemes OR NOT c.passported
     GROUP BY c.financial_year, c.period, t.block, t.row_type
)
SELECT r.financial_year,
       r.period,
       row_number() OVER (PARTITION BY r.financial_year, r.period
                          ORDER BY r.block, r.import_batch, r.import_row)::integer AS row_number,
       r.row_type,
       r.scheme,
       r.budget,
       r.forecast_outturn,
       r.budget - r.forecast_outturn AS slippage,
       r.next_year_budget
  FROM rows r;
COMMENT ON VIEW finmon.capital_report IS
    'The capital programme at each monitoring period: each scheme, the programme total, schemes passported to other bodies, and the total capital programme (both), with slippage = budget - forecast. Pounds.';
COMMENT ON COLUMN finmon.capital_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.capital_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.capital_report.row_number IS 'Printed order: schemes, programme total, passported schemes, total capital programme.';
COMMENT ON COLUMN finmon.capital_report.row_type IS '''scheme'', ''programme total'', ''passported'' or ''total capital programme''.';
COMMENT ON COLUMN finmon.capital_report.scheme IS 'The scheme; NULL on totals.';
COMMENT ON COLUMN finmon.capital_report.budget IS 'Current capital budget.';
COMMENT ON COLUMN finmon.capital_report.forecast_outturn IS 'Forecast outturn at year end.';
COMMENT ON COLUMN finmon.capital_report.slippage IS 'budget - forecast_outturn: spend expected to slip into later years.';
COMMENT ON COLUMN finmon.capital_report.next_year_budget IS 'Next year''s draft budget; NULL when not yet known, and on a total that includes an unknown one.';

-- Grants --------------------------------------------------------------------------

CREATE VIEW finmon.grant_report AS
SELECT g.financial_year,
       g.period,
       g."grant",
       row_number() OVER (PARTITION BY g.financial_year, g.period, g."grant"
                          ORDER BY GROUPING(g.scheme), min(g.import_batch), min(g.import_row))::integer AS row_number,
       CASE GROUPING(g.scheme) WHEN 0 THEN 'scheme' ELSE 'total' END AS row_type,
       g.scheme,
       sum(g.allocation) AS allocation,
       sum(g.brought_forward) AS brought_forward,
       sum(g.forecast_spend) AS forecast_spend,
       sum(g.allocation) + sum(g.brought_forward) - sum(g.forecast_spend) AS carry_forward
  FROM finmon.grant_scheme g
 GROUP BY GROUPING SETS ((g.financial_year, g.period, g."grant", g.scheme),
                         (g.financial_year, g.period, g."grant"));
COMMENT ON VIEW finmon.grant_report IS
    'Ring-fenced grants at each monitoring period: each scheme and the total per grant, with carry forward = allocation + brought forward - forecast spend (the 2018-19 Appendix F iBCF table). Pounds.';
COMMENT ON COLUMN finmon.grant_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.grant_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.grant_report."grant" IS 'The grant.';
COMMENT ON COLUMN finmon.grant_report.row_number IS 'Printed order within the grant: schemes, then the total.';
COMMENT ON COLUMN finmon.grant_report.row_type IS '''scheme'' or ''total''.';
COMMENT ON COLUMN finmon.grant_report.scheme IS 'The scheme; NULL on the total.';
COMMENT ON COLUMN finmon.grant_report.allocation IS 'The year''s allocation.';
COMMENT ON COLUMN finmon.grant_report.brought_forward IS 'Brought forward from last year.';
COMMENT ON COLUMN finmon.grant_report.forecast_spend IS 'Forecast spend in the year.';
COMMENT ON COLUMN finmon.grant_report.carry_forward IS 'allocation + brought_forward - forecast_spend: carried forward to next year.';

-- Printed appendices --------------------------------------------------------------

CREATE VIEW finmon.appendix_c AS
SELECT r.financial_year,
       r.period,
       (row_number() OVER (PARTITION BY r.financial_year, r.period
                           ORDER BY GROUPING(r.ref), min(r.row_order)))::integer AS row_number,
       r.ref,
       CASE WHEN GROUPING(r.ref) = 0 THEN min(r.title) ELSE finmon.service_label('%s net total') END AS saving,
       finmon.format_signed(sum(r.target)) AS target,
       finmon.format_signed(sum(r.target_next_year)) AS target_next_year,
       finmon.format_signed(sum(r.target_year_after)) AS target_year_after,
       finmon.format_signed(sum(r.forecast)) AS forecast,
       finmon.format_signed(-sum(r.shortfall)) AS variance,
       CASE WHEN GROUPING(r.ref) = 0 THEN min(r.rag) END AS rag
  FROM finmon.savings_report r
 GROUP BY GROUPING SETS ((r.financial_year, r.period, r.ref), (r.financial_year, r.period));
COMMENT ON VIEW finmon.appendix_c IS
    'Appendix C, the savings programme, as printed: each saving with its target for the year and the next two, forecast, variance ((shortfall) negative / over-delivery positive, the paper''s sign) and RAG, then the net total. £m to 3 places.';
COMMENT ON COLUMN finmon.appendix_c.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_c.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_c.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.appendix_c.ref IS 'Saving reference; NULL on the total.';
COMMENT ON COLUMN finmon.appendix_c.saving IS 'Saving title, or the total''s label.';
COMMENT ON COLUMN finmon.appendix_c.target IS 'Saving for the year, £m.';
COMMENT ON COLUMN finmon.appendix_c.target_next_year IS 'Saving for the next year, £m.';
COMMENT ON COLUMN finmon.appendix_c.target_year_after IS 'Saving for the year after, £m.';
COMMENT ON COLUMN finmon.appendix_c.forecast IS 'Forecast for the year, £m.';
COMMENT ON COLUMN finmon.appendix_c.variance IS 'Forecast variance as printed: target - forecast, negative for a shortfall, £m.';
COMMENT ON COLUMN finmon.appendix_c.rag IS 'RAG status (stated, or derived when none was stated).';

CREATE VIEW finmon.appendix_c_workstreams AS
WITH saving AS (
    SELECT r.*, min(r.row_order) OVER (PARTITION BY r.financial_year, r.period, r.workstream) AS workstream_order,
           sum(COALESCE(r.target, 0) + COALESCE(r.target_next_year, 0) + COALESCE(r.target_year_after, 0))
               OVER (PARTITION BY r.financial_year, r.period, r.workstream) AS workstream_savings
      FROM finmon.savings_report r
),
printed AS (
    SELECT s.financial_year, s.period, s.workstream_order, s.row_order,
           CASE WHEN s.row_order = s.workstream_order THEN s.workstream END AS workstream,
           CASE WHEN s.row_order = s.workstream_order THEN s.workstream_savings END AS workstream_savings,
           s.ref, s.title AS saving, s.target, s.target_next_year, s.target_year_after
      FROM saving s
    UNION ALL
    SELECT s.financial_year, s.period, NULL, NULL, 'Total', NULL, NULL, NULL,
           sum(s.target), sum(s.target_next_year), sum(s.target_year_after)
      FROM saving s
     GROUP BY s.financial_year, s.period
)
SELECT p.financial_year,
       p.period,
       row_number() OVER (PARTITION BY p.financial_year, p.period
                          ORDER BY p.workstream_order NULLS LAST, p.row_order)::integer AS row_number,
       p.workstream,
       finmon.format_signed(p.workstream_savings) AS workstream_savings,
       p.ref,
       p.saving,
       finmon.format_signed(p.target) AS target,
       finmon.format_signed(p.target_next_year) AS target_next_year,
       finmon.format_signed(p.target_year_after) AS target_year_after
  FROM printed p;
COMMENT ON VIEW finmon.appendix_c_workstreams IS
    'Appendix C by workstream, as the 2017-18 paper prints the restructured programme: each workstream with its savings over three years, the savings in it with their targets for the year and the next two, and the total. £m to 3 places.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.row_number IS 'Printed order: workstreams as first met, savings in file order, the total last.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.workstream IS 'The workstream, on its first saving''s row; ''Total'' on the total.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.workstream_savings IS 'The workstream''s targets over the three years, £m, on its first row.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.ref IS 'Saving reference.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.saving IS 'Saving title.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.target IS 'Target for the year, £m.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.target_next_year IS 'Target for the next year, £m.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.target_year_after IS 'Target for the year after, £m.';

CREATE VIEW finmon.savings_summary_table AS
SELECT s.financial_year,
       s.period,
       s.status_order AS row_number,
       CASE s.status WHEN 'off target' THEN 'Savings off target'
                     WHEN 'on target' THEN 'Savings on target' ELSE 'Total Savings' END AS label,
       finmon.format_signed(s.target) AS saving,
       finmon.format_signed(s.forecast) AS forecast,
       finmon.format_signed(s.shortfall) AS variance,
       round(s.shortfall_pct)::text || '%' AS variance_pct,
       finmon.format_signed(s.previous_shortfall) AS previously_reported
  FROM finmon.savings_summary_report s;
COMMENT ON VIEW finmon.savings_summary_table IS
    'The savings summary table as printed (2018-19 P5 section 2.7.3): savings off target, on target and in total, with saving, forecast, variance (the shortfall, positive), variance as % of the saving (whole percent) and the shortfall previously reported. £m to 3 places.';
COMMENT ON COLUMN finmon.savings_summary_table.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_summary_table.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.savings_summary_table.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.savings_summary_table.label IS 'Row label as printed.';
COMMENT ON COLUMN finmon.savings_summary_table.saving IS 'Saving target for the year, £m.';
COMMENT ON COLUMN finmon.savings_summary_table.forecast IS 'Forecast, £m.';
COMMENT ON COLUMN finmon.savings_summary_table.variance IS 'Shortfall (forecast - saving), £m.';
COMMENT ON COLUMN finmon.savings_summary_table.variance_pct IS 'Shortfall as % of the saving, to the whole percent.';
COMMENT ON COLUMN finmon.savings_summary_table.previously_reported IS 'Shortfall at the previous monitoring period loaded, £m; NULL when none is loaded.';

CREATE VIEW finmon.appendix_d AS
SELECT r.financial_year,
       r.period,
       r.row_number,
       CASE r.row_type
           WHEN 'balance' THEN r.name
           WHEN 'kind total' THEN finmon.service_label(CASE r.kind WHEN 'provision' THEN 'Total %s Provisions'
                                                                   ELSE 'Total %s Reserves' END)
           ELSE 'Total Reserves & Provisions' END AS balance,
       r.description,
       finmon.format_signed(r.opening_balance) AS opening_balance,
       finmon.format_signed(r.agreed_usage) AS agreed_usage,
       finmon.format_signed(r.planned_usage) AS planned_usage,
       finmon.format_signed(r.closing_balance) AS closing_balance
  FROM finmon.reserves_report r;
COMMENT ON VIEW finmon.appendix_d IS
    'Appendix D, reserves and provisions, as printed: provisions and their total, reserves and their total, the grand total; balance at 1 April, agreed usage, planned usage and balance at 31 March. £m to 3 places.';
COMMENT ON COLUMN finmon.appendix_d.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_d.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_d.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.appendix_d.balance IS 'The balance''s name, or the total''s label.';
COMMENT ON COLUMN finmon.appendix_d.description IS 'What the balance is for.';
COMMENT ON COLUMN finmon.appendix_d.opening_balance IS 'Balance at 1 April, £m.';
COMMENT ON COLUMN finmon.appendix_d.agreed_usage IS 'Usage agreed at budget setting, £m.';
COMMENT ON COLUMN finmon.appendix_d.planned_usage IS 'Planned usage, £m.';
COMMENT ON COLUMN finmon.appendix_d.closing_balance IS 'Balance at 31 March, £m.';

CREATE VIEW finmon.appendix_e AS
SELECT c.financial_year,
       c.period,
       c.row_number,
       CASE c.row_type WHEN 'programme total' THEN 'TOTAL'
                       WHEN 'total capital programme' THEN 'Total capital programme'
                       ELSE c.scheme END AS scheme,
       finmon.format_signed(c.budget) AS budget,
       finmon.format_signed(c.forecast_outturn) AS forecast_outturn,
       COALESCE(finmon.format_signed(c.next_year_budget), 'tbc') AS next_year_budget
  FROM finmon.capital_report c;
COMMENT ON VIEW finmon.appendix_e IS
    'Appendix E, the capital programme, as printed: schemes, TOTAL, schemes passported to other bodies, and the total capital programme; current budget, forecast outturn and next year''s draft budget ("tbc" when not known). £m to 3 places.';
COMMENT ON COLUMN finmon.appendix_e.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_e.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_e.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.appendix_e.scheme IS 'Scheme name, or the total''s label.';
COMMENT ON COLUMN finmon.appendix_e.budget IS 'Current capital budget, £m.';
COMMENT ON COLUMN finmon.appendix_e.forecast_outturn IS 'Forecast outturn at year end, £m.';
COMMENT ON COLUMN finmon.appendix_e.next_year_budget IS 'Next year''s draft capital budget, £m, or tbc.';

CREATE VIEW finmon.appendix_f AS
SELECT g.financial_year,
       g.period,
       g."grant",
       g.row_number,
       COALESCE(g.scheme, 'Total') AS scheme,
       '£' || finmon.format_signed(g.allocation) || 'm' AS allocation,
       '£' || finmon.format_signed(g.brought_forward) || 'm' AS brought_forward,
       '£' || finmon.format_signed(g.forecast_spend) || 'm' AS forecast_spend,
       '£' || finmon.format_signed(g.carry_forward) || 'm' AS carry_forward
  FROM finmon.grant_report g;
COMMENT ON VIEW finmon.appendix_f IS
    'Appendix F, grant schemes (the iBCF table), as printed: allocation, brought forward from reserve, forecast spend and carry forward to reserve per scheme and in total, as £0.750m.';
COMMENT ON COLUMN finmon.appendix_f.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_f.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_f."grant" IS 'The grant.';
COMMENT ON COLUMN finmon.appendix_f.row_number IS 'Printed order within the grant.';
COMMENT ON COLUMN finmon.appendix_f.scheme IS 'Scheme name, or Total.';
COMMENT ON COLUMN finmon.appendix_f.allocation IS 'The year''s allocation.';
COMMENT ON COLUMN finmon.appendix_f.brought_forward IS 'Brought forward from the grant''s reserve.';
COMMENT ON COLUMN finmon.appendix_f.forecast_spend IS 'Forecast spend in the year.';
COMMENT ON COLUMN finmon.appendix_f.carry_forward IS 'Forecast carry forward to the reserve for next year.';
