-- finmon upgrade script, built by `make upgrade-script` from src/*.sql (see Makefile).
\echo Use "ALTER EXTENSION finmon UPDATE" to load this file. \quit
-- 0.2.0: revenue_figures takes last year's outturn from a window over the years instead of
-- joining its node totals to themselves, whose row estimates (a CTE scanned twice) led the
-- planner to a nested loop that grew with the square of the figures: 18 s for 5 years of 300
-- lines at 12 periods, against 0.1 s now (bench/ledger_refresh.sh). Same columns, same rows.

CREATE OR REPLACE VIEW finmon.revenue_figures AS
WITH node_totals AS (
    SELECT r.financial_year, r.period, r.analysis, a.path,
           finmon.variance_agg(r.budget, r.forecast_outturn) AS total,
           bool_or(a.path = r.line) AS is_leaf
      FROM finmon.revenue r
      JOIN finmon.revenue_node n ON n.analysis = r.analysis AND n.path = r.line
     CROSS JOIN LATERAL pg_catalog.unnest(n.ancestors) AS a(path)
     GROUP BY r.financial_year, r.period, r.analysis, a.path
),
numbered AS (
    SELECT t.*, pg_catalog.substr(t.financial_year, 1, 4)::integer AS year_number
      FROM node_totals t
)
SELECT t.financial_year, t.period, t.analysis, t.path, n.label, n.depth, t.is_leaf,
       (t.total).budget, (t.total).forecast_outturn, (t.total).variance, (t.total).variance_pct,
       pg_catalog.lag(t.period) OVER previous AS previous_period,
       pg_catalog.lag((t.total).variance) OVER previous AS previous_variance,
       (t.total).variance - pg_catalog.lag((t.total).variance) OVER previous AS movement,
       pg_catalog.max(CASE WHEN t.period = 12 THEN (t.total).forecast_outturn END) OVER prior AS prior_year_actual,
       pg_catalog.max(CASE WHEN t.period = 12 THEN (t.total).variance END) OVER prior AS prior_year_variance,
       pg_catalog.row_number() OVER (PARTITION BY t.financial_year, t.period, t.analysis
                                     ORDER BY n.sort_key) AS row_order
  FROM numbered t
  JOIN finmon.revenue_node n ON n.analysis = t.analysis AND n.path = t.path
WINDOW previous AS (PARTITION BY t.financial_year, t.analysis, t.path ORDER BY t.period),
       -- the previous financial year's rows of the same node; only its period 12 counts
       prior AS (PARTITION BY t.analysis, t.path ORDER BY t.year_number
                 RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING);
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
-- Rates per 100,000 and proportions with confidence intervals (the Fingertips methods of
-- PHEindicatormethods), their aggregates, and the 2013 European Standard Population.

CREATE TYPE finmon.confidence_interval AS (
    lower double precision,
    upper double precision
);
COMMENT ON TYPE finmon.confidence_interval IS
    'A confidence interval: lower and upper limits, in the unit of the value they bound.';
COMMENT ON COLUMN finmon.confidence_interval.lower IS 'Lower limit.';
COMMENT ON COLUMN finmon.confidence_interval.upper IS 'Upper limit.';

CREATE FUNCTION finmon.rate(count numeric, population numeric, multiplier numeric DEFAULT 100000)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'finmon_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate(numeric, numeric, numeric) IS
    'count / population * multiplier (per 100,000 by default), exactly. Negative count or population: 22023; zero population: 22012.';

CREATE FUNCTION finmon.rate_ci(count numeric, population numeric, confidence double precision DEFAULT 0.95,
                               multiplier numeric DEFAULT 100000)
    RETURNS finmon.confidence_interval
    AS 'MODULE_PATHNAME', 'finmon_rate_ci'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_ci(numeric, numeric, double precision, numeric) IS
    'Confidence interval of a rate, as PHEindicatormethods phe_rate: Byar''s method for counts of 10 or more, the exact Poisson interval below 10. Double precision.';

CREATE FUNCTION finmon.proportion_ci(numerator numeric, denominator numeric, confidence double precision DEFAULT 0.95)
    RETURNS finmon.confidence_interval
    AS 'MODULE_PATHNAME', 'finmon_proportion_ci'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.proportion_ci(numeric, numeric, double precision) IS
    'Wilson score interval of a proportion, as a share from 0 to 1 (multiply by 100 for %), as PHEindicatormethods phe_proportion. A numerator above the denominator: 22023.';

CREATE TYPE finmon.rate_summary AS (
    count numeric,
    population numeric,
    rate numeric,
    ci_lower double precision,
    ci_upper double precision
);
COMMENT ON TYPE finmon.rate_summary IS
    'What rate_agg returns: summed count and population, the rate and its 95% interval.';
COMMENT ON COLUMN finmon.rate_summary.count IS 'Sum of the counts.';
COMMENT ON COLUMN finmon.rate_summary.population IS 'Sum of the populations.';
COMMENT ON COLUMN finmon.rate_summary.rate IS 'count / population * multiplier, exactly.';
COMMENT ON COLUMN finmon.rate_summary.ci_lower IS 'Lower 95% limit (Byar''s, or exact Poisson below a count of 10).';
COMMENT ON COLUMN finmon.rate_summary.ci_upper IS 'Upper 95% limit.';

CREATE FUNCTION finmon.rate_accum(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_accum(internal, numeric, numeric) IS 'rate_agg transition function (internal).';
CREATE FUNCTION finmon.rate_accum(internal, numeric, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_accum(internal, numeric, numeric, numeric) IS 'rate_agg transition function (internal).';
CREATE FUNCTION finmon.rate_discard(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_discard' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_discard(internal, numeric, numeric) IS 'rate_agg inverse transition function for moving frames (internal).';
CREATE FUNCTION finmon.rate_discard(internal, numeric, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_discard' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_discard(internal, numeric, numeric, numeric) IS 'rate_agg inverse transition function for moving frames (internal).';
CREATE FUNCTION finmon.rate_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_combine(internal, internal) IS 'rate_agg combine function (internal).';
CREATE FUNCTION finmon.rate_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_rate_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_serialize(internal) IS 'rate_agg state serialisation (internal).';
CREATE FUNCTION finmon.rate_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_deserialize(bytea, internal) IS 'rate_agg state deserialisation (internal).';
CREATE FUNCTION finmon.rate_final(internal) RETURNS finmon.rate_summary
    AS 'MODULE_PATHNAME', 'finmon_rate_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_final(internal) IS 'rate_agg final function (internal).';

CREATE AGGREGATE finmon.rate_agg(count numeric, population numeric) (
    SFUNC = finmon.rate_accum, STYPE = internal, FINALFUNC = finmon.rate_final,
    COMBINEFUNC = finmon.rate_combine, SERIALFUNC = finmon.rate_serialize,
    DESERIALFUNC = finmon.rate_deserialize,
    MSFUNC = finmon.rate_accum, MINVFUNC = finmon.rate_discard, MSTYPE = internal,
    MFINALFUNC = finmon.rate_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.rate_agg(numeric, numeric) IS
    'Sums counts and populations (combining areas or age bands) and gives the rate per 100,000 with its 95% interval, as finmon.rate_summary. Rows with a NULL are ignored; NULL when none is left. Parallel safe; runs as a moving window aggregate.';

CREATE AGGREGATE finmon.rate_agg(count numeric, population numeric, multiplier numeric) (
    SFUNC = finmon.rate_accum, STYPE = internal, FINALFUNC = finmon.rate_final,
    COMBINEFUNC = finmon.rate_combine, SERIALFUNC = finmon.rate_serialize,
    DESERIALFUNC = finmon.rate_deserialize,
    MSFUNC = finmon.rate_accum, MINVFUNC = finmon.rate_discard, MSTYPE = internal,
    MFINALFUNC = finmon.rate_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.rate_agg(numeric, numeric, numeric) IS
    'As rate_agg(count, population), per the given multiplier; two different multipliers in one group raise 22023.';

CREATE TYPE finmon.dsr_summary AS (
    count double precision,
    population double precision,
    dsr double precision,
    ci_lower double precision,
    ci_upper double precision
);
COMMENT ON TYPE finmon.dsr_summary IS
    'What dsr_agg returns: total count and population, the directly age-standardised rate per 100,000 and its 95% interval by Dobson''s method.';
COMMENT ON COLUMN finmon.dsr_summary.count IS 'Total count over the age bands.';
COMMENT ON COLUMN finmon.dsr_summary.population IS 'Total population over the age bands.';
COMMENT ON COLUMN finmon.dsr_summary.dsr IS 'sum(standard_population * count / population) / sum(standard_population) * 100000.';
COMMENT ON COLUMN finmon.dsr_summary.ci_lower IS 'Lower 95% limit (Dobson: Byar''s limits of the total count, exact Poisson below 10); NULL for a zero count.';
COMMENT ON COLUMN finmon.dsr_summary.ci_upper IS 'Upper 95% limit; NULL for a zero count.';

CREATE FUNCTION finmon.dsr_accum(internal, numeric, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_dsr_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_accum(internal, numeric, numeric, numeric) IS 'dsr_agg transition function (internal).';
CREATE FUNCTION finmon.dsr_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_dsr_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_combine(internal, internal) IS 'dsr_agg combine function (internal).';
CREATE FUNCTION finmon.dsr_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_dsr_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_serialize(internal) IS 'dsr_agg state serialisation (internal).';
CREATE FUNCTION finmon.dsr_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_dsr_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_deserialize(bytea, internal) IS 'dsr_agg state deserialisation (internal).';
CREATE FUNCTION finmon.dsr_final(internal) RETURNS finmon.dsr_summary
    AS 'MODULE_PATHNAME', 'finmon_dsr_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_final(internal) IS 'dsr_agg final function (internal).';

CREATE AGGREGATE finmon.dsr_agg(count numeric, population numeric, standard_population numeric) (
    SFUNC = finmon.dsr_accum, STYPE = internal, FINALFUNC = finmon.dsr_final,
    COMBINEFUNC = finmon.dsr_combine, SERIALFUNC = finmon.dsr_serialize,
    DESERIALFUNC = finmon.dsr_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.dsr_agg(numeric, numeric, numeric) IS
    'Directly age-standardised rate per 100,000 with Dobson''s 95% interval, fed one row per age band (count, population, standard population: see finmon.european_standard_population). Double precision. Parallel safe.';

CREATE TABLE finmon.european_standard_population (
    age_band text PRIMARY KEY,
    lower_age integer NOT NULL,
    upper_age integer,
    population integer NOT NULL
);
COMMENT ON TABLE finmon.european_standard_population IS
    'The 2013 European Standard Population (Eurostat), 19 five-year age bands summing to 100,000: the weights of finmon.dsr_agg. Reference data shipped with finmon.';
COMMENT ON COLUMN finmon.european_standard_population.age_band IS 'The band, e.g. 65-69, or 90+.';
COMMENT ON COLUMN finmon.european_standard_population.lower_age IS 'First age in the band.';
COMMENT ON COLUMN finmon.european_standard_population.upper_age IS 'Last age in the band; NULL for 90+.';
COMMENT ON COLUMN finmon.european_standard_population.population IS 'Standard population of the band.';
INSERT INTO finmon.european_standard_population VALUES
    ('0-4', 0, 4, 5000), ('5-9', 5, 9, 5500), ('10-14', 10, 14, 5500), ('15-19', 15, 19, 5500),
    ('20-24', 20, 24, 6000), ('25-29', 25, 29, 6000), ('30-34', 30, 34, 6500), ('35-39', 35, 39, 7000),
    ('40-44', 40, 44, 7000), ('45-49', 45, 49, 7000), ('50-54', 50, 54, 7000), ('55-59', 55, 59, 6500),
    ('60-64', 60, 64, 6000), ('65-69', 65, 69, 5500), ('70-74', 70, 74, 5000), ('75-79', 75, 79, 4000),
    ('80-84', 80, 84, 2500), ('85-89', 85, 89, 1500), ('90+', 90, NULL, 1000);
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
-- The measure report: rolling 12 months and financial year to date from monthly counts,
-- or published values; targets, status, worsening runs, exceptions, small-number
-- suppression; benchmarking against comparator groups; the printed dashboard and ASCOF table.

CREATE FUNCTION finmon.small_number_threshold() RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN COALESCE((SELECT s.value::numeric FROM finmon.setting s WHERE s.name = 'small_number_threshold'), 5);
COMMENT ON FUNCTION finmon.small_number_threshold() IS
    'Counts below this are suppressed in published columns: the small_number_threshold setting, 5 when unset.';

CREATE FUNCTION finmon.population_at(area text, age_band text, year integer) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN (SELECT p.population FROM finmon.population p
         WHERE p.area = population_at.area AND p.age_band = population_at.age_band AND p.year <= population_at.year
         ORDER BY p.year DESC LIMIT 1);
COMMENT ON FUNCTION finmon.population_at(text, text, integer) IS
    'The mid-year estimate for the area and age band in that calendar year, or failing that the latest earlier one; NULL when there is none.';

CREATE FUNCTION finmon.format_measure(value numeric, unit text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL THEN NULL
    WHEN unit = '%' THEN to_char(value, 'FM999990.0') || '%'
    ELSE to_char(value, 'FM999,999,999,990' || CASE WHEN scale(value) > 0 THEN '.' || repeat('0', scale(value)) ELSE '' END)
END;
COMMENT ON FUNCTION finmon.format_measure(numeric, text) IS
    'A measure''s value as a dashboard prints it: percentages to 1 place with %, others at their own decimal places with thousands separators (3495 is 3,495).';

CREATE TYPE finmon.measure_figure AS (
    value numeric,
    ci_lower double precision,
    ci_upper double precision
);
COMMENT ON TYPE finmon.measure_figure IS 'A value and its 95% interval (internal: what measure_figures returns).';
COMMENT ON COLUMN finmon.measure_figure.value IS 'numerator / denominator * multiplier, exactly.';
COMMENT ON COLUMN finmon.measure_figure.ci_lower IS 'Lower 95% limit.';
COMMENT ON COLUMN finmon.measure_figure.ci_upper IS 'Upper 95% limit.';

CREATE FUNCTION finmon.measure_figures(numerator numeric, denominator numeric, proportion boolean, multiplier numeric)
    RETURNS finmon.measure_figure
    AS 'MODULE_PATHNAME', 'finmon_measure_figures'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.measure_figures(numeric, numeric, boolean, numeric) IS
    'A rolling or year-to-date figure''s value and 95% interval in one call: rate_ci''s method, or proportion_ci''s times the multiplier when proportion is true; NULL for a zero denominator (internal, for finmon.measure_computed).';

-- Internal: rolling 12 months and year to date from the monthly counts, unsuppressed.
-- Each row's population and figures are computed once, in FROM (a join, a LIMIT subquery
-- and a C function there are not flattened into repeated expressions); the estimate of the
-- exact year comes by hash join, and the index lookup for an earlier one runs only when
-- there is none.
CREATE VIEW finmon.measure_computed AS
WITH windowed AS (
    SELECT a.measure, a.area, a.month, m.multiplier, m.age_band,
           extract(year FROM a.month)::integer AS calendar_year,
           extract(year FROM a.month)::integer - CASE WHEN extract(month FROM a.month) < 4 THEN 1 ELSE 0 END AS start_year,
           sum(a.numerator) OVER w12 AS r12_numerator,
           sum(a.denominator) OVER w12 AS r12_denominator_sum,
           count(*) OVER w12 AS r12_months,
           count(a.denominator) OVER w12 AS r12_denominators,
           sum(a.numerator) OVER wytd AS ytd_numerator,
           sum(a.denominator) OVER wytd AS ytd_denominator_sum,
           count(*) OVER wytd AS ytd_months,
           count(a.denominator) OVER wytd AS ytd_denominators
      FROM finmon.activity a
      JOIN finmon.measure m ON m.measure = a.measure
    WINDOW w12 AS (PARTITION BY a.measure, a.area ORDER BY a.month
                   RANGE BETWEEN interval '11 months' PRECEDING AND CURRENT ROW),
           wytd AS (PARTITION BY a.measure, a.area, finmon.financial_year_of(a.month) ORDER BY a.month
                    ROWS UNBOUNDED PRECEDING)
),
based AS (
    SELECT w.measure, w.area, w.month, w.multiplier,
           w.r12_denominators = 12 AS r12_proportion,
           CASE WHEN w.r12_months = 12 THEN w.r12_numerator END AS r12_numerator,
           CASE WHEN w.r12_months = 12 THEN
               CASE WHEN w.r12_denominators = 12 THEN w.r12_denominator_sum
                    WHEN w.r12_denominators = 0 THEN COALESCE(e12.population, p12.population) END
           END AS r12_denominator,
           w.ytd_denominators = w.ytd_months AS ytd_proportion,
           CASE WHEN w.ytd_months = finmon.period_of(w.month) THEN w.ytd_numerator END AS ytd_numerator,
           CASE WHEN w.ytd_months = finmon.period_of(w.month) THEN
               CASE WHEN w.ytd_denominators = w.ytd_months THEN w.ytd_denominator_sum
                    WHEN w.ytd_denominators = 0 THEN COALESCE(eytd.population, pytd.population) END
           END AS ytd_denominator
      FROM windowed w
      -- the mid-year estimate for the month's calendar year (a hash join) ...
      LEFT JOIN finmon.population e12
             ON e12.area = w.area AND e12.age_band = w.age_band AND e12.year = w.calendar_year
      -- ... or, only when there is none, the latest earlier one
      LEFT JOIN LATERAL (SELECT p.population FROM finmon.population p
                          WHERE e12.population IS NULL
                            AND p.area = w.area AND p.age_band = w.age_band AND p.year < w.calendar_year
                          ORDER BY p.year DESC LIMIT 1) p12 ON true
      -- for the year to date, the calendar year the financial year starts in
      LEFT JOIN finmon.population eytd
             ON eytd.area = w.area AND eytd.age_band = w.age_band AND eytd.year = w.start_year
      LEFT JOIN LATERAL (SELECT p.population FROM finmon.population p
                          WHERE eytd.population IS NULL
                            AND p.area = w.area AND p.age_band = w.age_band AND p.year < w.start_year
                          ORDER BY p.year DESC LIMIT 1) pytd ON true
)
SELECT b.measure, b.area, b.month, b.multiplier,
       b.r12_proportion, b.r12_numerator, b.r12_denominator,
       f12.value AS r12_value, f12.ci_lower AS r12_ci_lower, f12.ci_upper AS r12_ci_upper,
       b.ytd_proportion, b.ytd_numerator, b.ytd_denominator,
       fytd.value AS ytd_value, fytd.ci_lower AS ytd_ci_lower, fytd.ci_upper AS ytd_ci_upper
  FROM based b
  LEFT JOIN LATERAL finmon.measure_figures(b.r12_numerator, b.r12_denominator, b.r12_proportion, b.multiplier) f12 ON true
  LEFT JOIN LATERAL finmon.measure_figures(b.ytd_numerator, b.ytd_denominator, b.ytd_proportion, b.multiplier) fytd ON true;
COMMENT ON VIEW finmon.measure_computed IS
    'Rolling 12-month and year-to-date numerators, denominators, values and 95% intervals from the monthly counts, before small-number suppression (internal: publish finmon.measure_report).';
COMMENT ON COLUMN finmon.measure_computed.measure IS 'The measure.';
COMMENT ON COLUMN finmon.measure_computed.area IS 'The area.';
COMMENT ON COLUMN finmon.measure_computed.month IS 'The month (first day).';
COMMENT ON COLUMN finmon.measure_computed.multiplier IS 'The measure''s multiplier.';
COMMENT ON COLUMN finmon.measure_computed.r12_proportion IS 'True when all 12 months have denominators (a proportion).';
COMMENT ON COLUMN finmon.measure_computed.r12_numerator IS 'Sum of the 12 months'' counts; NULL unless all 12 are loaded.';
COMMENT ON COLUMN finmon.measure_computed.r12_denominator IS 'Sum of the 12 denominators, or the population (mid-year estimate of the month''s calendar year).';
COMMENT ON COLUMN finmon.measure_computed.r12_value IS 'numerator / denominator * multiplier.';
COMMENT ON COLUMN finmon.measure_computed.r12_ci_lower IS 'Lower 95% limit (rate_ci, or proportion_ci * multiplier).';
COMMENT ON COLUMN finmon.measure_computed.r12_ci_upper IS 'Upper 95% limit.';
COMMENT ON COLUMN finmon.measure_computed.ytd_proportion IS 'True when every month so far has a denominator.';
COMMENT ON COLUMN finmon.measure_computed.ytd_numerator IS 'Sum of the counts from April; NULL unless every month from April is loaded.';
COMMENT ON COLUMN finmon.measure_computed.ytd_denominator IS 'Sum of the denominators, or the population (mid-year estimate of the calendar year the financial year starts in).';
COMMENT ON COLUMN finmon.measure_computed.ytd_value IS 'numerator / denominator * multiplier, not annualised.';
COMMENT ON COLUMN finmon.measure_computed.ytd_ci_lower IS 'Lower 95% limit.';
COMMENT ON COLUMN finmon.measure_computed.ytd_ci_upper IS 'Upper 95% limit.';

CREATE VIEW finmon.measure_report AS
WITH series AS (
    SELECT c.measure, c.area, c.month, 'computed'::text AS source, c.r12_proportion,
           c.r12_numerator, c.r12_denominator, c.r12_value, c.r12_ci_lower, c.r12_ci_upper,
           c.ytd_proportion, c.ytd_numerator, c.ytd_denominator, c.ytd_value, c.ytd_ci_lower, c.ytd_ci_upper,
           c.r12_value AS value
      FROM finmon.measure_computed c
    UNION ALL
    SELECT v.measure, v.area, v.month, 'published', NULL,
           NULL, NULL, v.value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, v.value
      FROM (SELECT p.*, finmon.period_month(p.period) AS month FROM finmon.published_value p) v
     WHERE v.month IS NOT NULL
       AND NOT EXISTS (SELECT FROM finmon.activity a
                        WHERE a.measure = v.measure AND a.area = v.area AND a.month = v.month)
),
targeted AS (
    SELECT s.*, m.polarity, m.unit,
           COALESCE(tm.target, ty.target) AS target,
           CASE WHEN m.unit = 'count' THEN COALESCE(tm.target, ty.target * finmon.period_of(s.month) / 12)
                ELSE COALESCE(tm.target, ty.target) END AS ytd_target
      FROM series s
      JOIN finmon.measure m ON m.measure = s.measure
      LEFT JOIN finmon.measure_target tm
             ON tm.measure = s.measure AND tm.area = s.area AND finmon.period_month(tm.period) = s.month
      LEFT JOIN finmon.measure_target ty
             ON ty.measure = s.measure AND ty.area = s.area AND ty.period = finmon.financial_year_of(s.month)
),
scored AS (
    SELECT t.*,
           CASE WHEN t.target <> 0 AND t.value IS NOT NULL THEN
               (CASE t.polarity WHEN 'lower' THEN t.value - t.target ELSE t.target - t.value END) / abs(t.target) * 100
           END AS target_diff_pct,
           CASE t.polarity WHEN 'lower' THEN t.value > lag(t.value) OVER wm
                           ELSE t.value < lag(t.value) OVER wm END AS worse
      FROM targeted t
    WINDOW wm AS (PARTITION BY t.measure, t.area ORDER BY t.month)
),
runs AS (
    SELECT s.*,
           sum(CASE WHEN s.worse THEN 0 ELSE 1 END) OVER (PARTITION BY s.measure, s.area ORDER BY s.month) AS run
      FROM scored s
),
flagged AS (
    SELECT r.*,
           (row_number() OVER (PARTITION BY r.measure, r.area, r.run ORDER BY r.month) - 1)::integer AS worsening_months,
           r.source = 'computed' AND (r.r12_numerator < th.t
               OR (r.r12_proportion AND r.r12_denominator - r.r12_numerator < th.t)) AS r12_suppressed,
           r.source = 'computed' AND (r.ytd_numerator < th.t
               OR (r.ytd_proportion AND r.ytd_denominator - r.ytd_numerator < th.t)) AS ytd_suppressed
      FROM runs r
     CROSS JOIN (SELECT finmon.small_number_threshold() AS t OFFSET 0) th  -- OFFSET 0: read once, not per row
)
SELECT f.measure,
       f.area,
       f.month,
       finmon.financial_year_of(f.month) AS financial_year,
       finmon.period_of(f.month) AS period,
       f.source,
       CASE WHEN NOT f.r12_suppressed THEN f.r12_numerator END AS r12_numerator,
       f.r12_denominator,
       CASE WHEN f.r12_suppressed IS NOT TRUE THEN f.r12_value END AS r12_value,
       CASE WHEN NOT f.r12_suppressed THEN f.r12_ci_lower END AS r12_ci_lower,
       CASE WHEN NOT f.r12_suppressed THEN f.r12_ci_upper END AS r12_ci_upper,
       CASE WHEN NOT f.ytd_suppressed THEN f.ytd_numerator END AS ytd_numerator,
       f.ytd_denominator,
       CASE WHEN NOT f.ytd_suppressed THEN f.ytd_value END AS ytd_value,
       CASE WHEN NOT f.ytd_suppressed THEN f.ytd_ci_lower END AS ytd_ci_lower,
       CASE WHEN NOT f.ytd_suppressed THEN f.ytd_ci_upper END AS ytd_ci_upper,
       f.target,
       f.ytd_target,
       CASE WHEN f.r12_suppressed IS NOT TRUE THEN f.target_diff_pct END AS target_diff_pct,
       CASE WHEN f.target_diff_pct IS NULL THEN NULL
            WHEN f.target_diff_pct <= 0 THEN 'on target'
            WHEN f.target_diff_pct < 5 THEN 'within 5%'
            ELSE 'off target' END AS status,
       f.worsening_months,
       COALESCE(f.target_diff_pct >= 5, false) OR f.worsening_months >= 3 AS exception,
       COALESCE(f.r12_suppressed, false) AS r12_suppressed,
       COALESCE(f.ytd_suppressed, false) AS ytd_suppressed
  FROM flagged f;
COMMENT ON VIEW finmon.measure_report IS
    'Each measure, area and month: the rolling 12 months and the financial year to date (numerator, denominator, value, 95% interval) computed from monthly counts, or the published monthly value where there are no counts; target, difference from target in % (positive = worse), status, consecutive months worsening, and exception (off target by 5% or more, or worse for 3 months running). Counts below the small-number threshold are suppressed with what they could be recovered from.';
COMMENT ON COLUMN finmon.measure_report.measure IS 'The measure.';
COMMENT ON COLUMN finmon.measure_report.area IS 'The area.';
COMMENT ON COLUMN finmon.measure_report.month IS 'The month (first day); rolling and year-to-date figures run to its end.';
COMMENT ON COLUMN finmon.measure_report.financial_year IS 'The month''s financial year.';
COMMENT ON COLUMN finmon.measure_report.period IS 'The month''s period, 1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.measure_report.source IS '''computed'' from monthly counts, or ''published'' (a loaded value; no counts or intervals).';
COMMENT ON COLUMN finmon.measure_report.r12_numerator IS 'Count over the 12 months to this one; NULL unless all 12 are loaded, or when suppressed.';
COMMENT ON COLUMN finmon.measure_report.r12_denominator IS 'Population (rate per head) or summed denominator (proportion).';
COMMENT ON COLUMN finmon.measure_report.r12_value IS 'The rolling 12-month value, or the published value; NULL when suppressed.';
COMMENT ON COLUMN finmon.measure_report.r12_ci_lower IS 'Lower 95% limit; NULL when suppressed or published.';
COMMENT ON COLUMN finmon.measure_report.r12_ci_upper IS 'Upper 95% limit; NULL when suppressed or published.';
COMMENT ON COLUMN finmon.measure_report.ytd_numerator IS 'Count from April to this month; NULL unless every month is loaded, or when suppressed.';
COMMENT ON COLUMN finmon.measure_report.ytd_denominator IS 'Population (estimate for the calendar year the financial year starts in) or summed denominator.';
COMMENT ON COLUMN finmon.measure_report.ytd_value IS 'Year-to-date value (not annualised); NULL when suppressed.';
COMMENT ON COLUMN finmon.measure_report.ytd_ci_lower IS 'Lower 95% limit of the year-to-date value.';
COMMENT ON COLUMN finmon.measure_report.ytd_ci_upper IS 'Upper 95% limit of the year-to-date value.';
COMMENT ON COLUMN finmon.measure_report.target IS 'The month''s target, or its financial year''s.';
COMMENT ON COLUMN finmon.measure_report.ytd_target IS 'The target for the year-to-date value: the same level for rates and percentages; for a count measure, a year''s target pro rata to the months elapsed.';
COMMENT ON COLUMN finmon.measure_report.target_diff_pct IS 'How far the rolling value is from target, % of the target, positive = worse by polarity; NULL when suppressed.';
COMMENT ON COLUMN finmon.measure_report.status IS '''on target'' (no worse than target), ''within 5%'', ''off target'' (5% or more worse); NULL without a target.';
COMMENT ON COLUMN finmon.measure_report.worsening_months IS 'Consecutive months, to this one, in which the value was worse than the month before.';
COMMENT ON COLUMN finmon.measure_report.exception IS 'True when off target by 5% or more, or worse for 3 months running: the report''s exception rule.';
COMMENT ON COLUMN finmon.measure_report.r12_suppressed IS 'True when the rolling count (or, for a proportion, the rest of the denominator) is below the small-number threshold.';
COMMENT ON COLUMN finmon.measure_report.ytd_suppressed IS 'The same for the year-to-date count.';

CREATE VIEW finmon.measure_benchmark AS
WITH fy_value AS (
    SELECT c.measure, c.area, finmon.financial_year_of(c.month) AS financial_year, c.r12_value AS value,
           'computed'::text AS source
      FROM finmon.measure_computed c
     WHERE extract(month FROM c.month) = 3 AND c.r12_value IS NOT NULL
    UNION ALL
    SELECT v.measure, v.area, v.period, v.value, 'published'
      FROM finmon.published_value v
     WHERE finmon.is_financial_year(v.period)
       AND NOT EXISTS (SELECT FROM finmon.measure_computed c
                        WHERE c.measure = v.measure AND c.area = v.area AND c.r12_value IS NOT NULL
                          AND c.month = finmon.financial_year_end(v.period) - 30)
)
SELECT f.measure,
       f.financial_year,
       f.area,
       f.value,
       f.source,
       g.comparator_group,
       s.group_average,
       s.rank,
       s.group_size,
       g.members AS group_members,
       pb.group_average AS published_group_average,
       pb.rank AS published_rank,
       pb.group_size AS published_group_size
  FROM fy_value f
  JOIN finmon.measure m ON m.measure = f.measure
  LEFT JOIN (SELECT c.comparator_group, c.area, count(*) OVER (PARTITION BY c.comparator_group) AS members
               FROM finmon.comparator c) g ON g.area = f.area
  LEFT JOIN LATERAL (
        SELECT avg(o.value) AS group_average,
               count(*)::integer AS group_size,
               (1 + count(*) FILTER (WHERE CASE m.polarity WHEN 'lower' THEN o.value < f.value
                                                           ELSE o.value > f.value END))::integer AS rank
          FROM finmon.comparator oc
          JOIN fy_value o ON o.area = oc.area AND o.measure = f.measure AND o.financial_year = f.financial_year
         WHERE oc.comparator_group = g.comparator_group) s ON g.comparator_group IS NOT NULL
  LEFT JOIN finmon.published_benchmark pb
         ON pb.measure = f.measure AND pb.comparator_group = g.comparator_group AND pb.area = f.area
        AND pb.period = f.financial_year;
COMMENT ON VIEW finmon.measure_benchmark IS
    'Each measure, financial year and area with a value (computed for the full year from monthly counts, or published), against each comparator group it belongs to: the group''s average and the area''s rank (1 = best, by polarity; ties share a rank) over the members with a value, and any published average and rank.';
COMMENT ON COLUMN finmon.measure_benchmark.measure IS 'The measure.';
COMMENT ON COLUMN finmon.measure_benchmark.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.measure_benchmark.area IS 'The area.';
COMMENT ON COLUMN finmon.measure_benchmark.value IS 'Its value for the year: the rolling 12 months to March, or the published value.';
COMMENT ON COLUMN finmon.measure_benchmark.source IS '''computed'' or ''published''.';
COMMENT ON COLUMN finmon.measure_benchmark.comparator_group IS 'A comparator group the area belongs to; NULL when none.';
COMMENT ON COLUMN finmon.measure_benchmark.group_average IS 'Mean of the members'' values (the area included).';
COMMENT ON COLUMN finmon.measure_benchmark.rank IS 'The area''s rank among members with a value, 1 = best.';
COMMENT ON COLUMN finmon.measure_benchmark.group_size IS 'Members with a value.';
COMMENT ON COLUMN finmon.measure_benchmark.group_members IS 'Members of the group.';
COMMENT ON COLUMN finmon.measure_benchmark.published_group_average IS 'The group average as published (finmon.published_benchmark), if loaded.';
COMMENT ON COLUMN finmon.measure_benchmark.published_rank IS 'The rank as published, if loaded.';
COMMENT ON COLUMN finmon.measure_benchmark.published_group_size IS 'How many were ranked, as published.';

-- Printed views --------------------------------------------------------------------------

CREATE TABLE finmon.ascof_domain (
    domain integer PRIMARY KEY,
    title text NOT NULL
);
COMMENT ON TABLE finmon.ascof_domain IS
    'The four domains of the Adult Social Care Outcomes Framework, by the first digit of a measure''s code. Reference data shipped with finmon.';
COMMENT ON COLUMN finmon.ascof_domain.domain IS '1 to 4.';
COMMENT ON COLUMN finmon.ascof_domain.title IS 'The domain''s title.';
INSERT INTO finmon.ascof_domain VALUES
    (1, 'Enhancing quality of life for people with care and support needs'),
    (2, 'Delaying and reducing the need for care and support'),
    (3, 'Ensuring that people have a positive experience of care and support'),
    (4, 'Safeguarding adults whose circumstances make them vulnerable and protecting from avoidable harm');

CREATE VIEW finmon.dashboard AS
SELECT r.area,
       r.measure,
       m.title,
       CASE m.polarity WHEN 'higher' THEN 'Bigger' ELSE 'Smaller' END AS better,
       r.month,
       to_char(r.month, 'Mon YY') AS month_label,
       finmon.format_measure(r.r12_value, m.unit) AS value,
       finmon.format_measure(r.target, m.unit) AS target,
       CASE r.status WHEN 'on target' THEN 'Green' WHEN 'within 5%' THEN 'Amber'
                     WHEN 'off target' THEN 'Red' END AS rag,
       r.exception,
       (SELECT count(*) FROM finmon.measure o
         WHERE (o.import_batch, o.import_row) < (m.import_batch, m.import_row))::integer + 1 AS row_order
  FROM finmon.measure_report r
  JOIN finmon.measure m ON m.measure = r.measure;
COMMENT ON VIEW finmon.dashboard IS
    'The vital-signs dashboard, one row per measure, area and month: the rolling 12-month value as printed, the target, the RAG colour (Green on target, Amber within 5%, Red off target) and the exception flag. Pivot months into columns to print it.';
COMMENT ON COLUMN finmon.dashboard.area IS 'The area.';
COMMENT ON COLUMN finmon.dashboard.measure IS 'The measure.';
COMMENT ON COLUMN finmon.dashboard.title IS 'Its title.';
COMMENT ON COLUMN finmon.dashboard.better IS '''Bigger'' or ''Smaller'' is better, as the dashboard says.';
COMMENT ON COLUMN finmon.dashboard.month IS 'The month.';
COMMENT ON COLUMN finmon.dashboard.month_label IS 'The month as the dashboard heads it, e.g. Jan 16.';
COMMENT ON COLUMN finmon.dashboard.value IS 'The value as printed (finmon.format_measure).';
COMMENT ON COLUMN finmon.dashboard.target IS 'The target as printed.';
COMMENT ON COLUMN finmon.dashboard.rag IS 'Green, Amber or Red; NULL without a target.';
COMMENT ON COLUMN finmon.dashboard.exception IS 'The exception flag of finmon.measure_report.';
COMMENT ON COLUMN finmon.dashboard.row_order IS 'The measure''s position in the measures file.';

CREATE VIEW finmon.ascof_summary AS
SELECT b.area,
       b.financial_year,
       b.comparator_group,
       d.title AS domain,
       b.measure,
       m.title,
       b.value,
       prev.value AS previous_year_value,
       CASE WHEN b.group_size = b.group_members THEN b.group_average
            ELSE b.published_group_average END AS group_average,
       CASE WHEN b.group_size = b.group_members THEN b.rank ELSE b.published_rank END AS rank,
       CASE WHEN b.group_size = b.group_members THEN 'computed'
            WHEN b.published_rank IS NOT NULL THEN 'published' END AS benchmark_source,
       (SELECT count(*) FROM finmon.measure o
         WHERE (o.import_batch, o.import_row) < (m.import_batch, m.import_row))::integer + 1 AS row_order
  FROM finmon.measure_benchmark b
  JOIN finmon.measure m ON m.measure = b.measure
  JOIN finmon.ascof_domain d ON d.domain::text = left(b.measure, 1)
  LEFT JOIN finmon.measure_benchmark prev
         ON prev.measure = b.measure AND prev.area = b.area
        AND prev.financial_year = finmon.previous_financial_year(b.financial_year)
        AND prev.comparator_group IS NOT DISTINCT FROM b.comparator_group
 WHERE b.measure ~ '^[1-4][A-Z]';
COMMENT ON VIEW finmon.ascof_summary IS
    'The ASCOF summary table: each ASCOF measure (code 1A to 4B) for an area, year and comparator group, with last year''s value, the group average and the area''s rank (1 = best): computed when every member has a value, else as published (benchmark_source says which).';
COMMENT ON COLUMN finmon.ascof_summary.area IS 'The area.';
COMMENT ON COLUMN finmon.ascof_summary.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.ascof_summary.comparator_group IS 'The comparator group.';
COMMENT ON COLUMN finmon.ascof_summary.domain IS 'The ASCOF domain (finmon.ascof_domain).';
COMMENT ON COLUMN finmon.ascof_summary.measure IS 'The ASCOF code.';
COMMENT ON COLUMN finmon.ascof_summary.title IS 'Its title.';
COMMENT ON COLUMN finmon.ascof_summary.value IS 'The year''s value.';
COMMENT ON COLUMN finmon.ascof_summary.previous_year_value IS 'The previous year''s value.';
COMMENT ON COLUMN finmon.ascof_summary.group_average IS 'The comparator group''s average.';
COMMENT ON COLUMN finmon.ascof_summary.rank IS 'The area''s rank in the group, 1 = best.';
COMMENT ON COLUMN finmon.ascof_summary.benchmark_source IS '''computed'' (every member''s value loaded) or ''published''.';
COMMENT ON COLUMN finmon.ascof_summary.row_order IS 'The measure''s position in the measures file.';
-- Ledger actuals: individual transactions against leaf lines, partitioned by financial
-- year, with per (year, period, line) summaries kept up to date as rows arrive, so reports
-- and refreshes read the summaries, never the whole ledger; budget profiles; spend to date
-- against the profiled budget.

CREATE TABLE finmon.ledger (
    financial_year text NOT NULL,
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    posting_date date NOT NULL,
    line text NOT NULL,
    amount numeric NOT NULL,
    reference text NOT NULL,
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, reference)
) PARTITION BY LIST (financial_year);
COMMENT ON TABLE finmon.ledger IS
    'Ledger transactions against leaf budget lines, partitioned by financial year (finmon.ledger_partition creates a year''s partition). Loaded through finmon.ledger_import; totals per year, period and line are kept in finmon.ledger_summary.';
COMMENT ON COLUMN finmon.ledger.financial_year IS 'The posting date''s financial year (the partition key).';
COMMENT ON COLUMN finmon.ledger.period IS 'The posting date''s period, 1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.ledger.posting_date IS 'The date the transaction was posted.';
COMMENT ON COLUMN finmon.ledger.line IS 'The leaf budget line, as in revenue.csv.';
COMMENT ON COLUMN finmon.ledger.amount IS 'Pounds; income and credits negative.';
COMMENT ON COLUMN finmon.ledger.reference IS 'The transaction''s reference, unique within its financial year.';
COMMENT ON COLUMN finmon.ledger.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.ledger.import_row IS 'The row number in that load.';

CREATE FUNCTION finmon.ledger_partition(financial_year text) RETURNS regclass
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    name text;
BEGIN
    IF NOT finmon.is_financial_year(financial_year) THEN
        RAISE EXCEPTION 'invalid financial year "%"', financial_year USING ERRCODE = '22007';
    END IF;
    name := 'ledger_' || replace(financial_year, '-', '_');
    IF to_regclass(format('finmon.%I', name)) IS NULL THEN
        EXECUTE format('CREATE TABLE finmon.%I PARTITION OF finmon.ledger FOR VALUES IN (%L)', name, financial_year);
        EXECUTE format('COMMENT ON TABLE finmon.%I IS %L', name,
                       format('finmon.ledger''s partition for %s.', financial_year));
    END IF;
    RETURN format('finmon.%I', name)::regclass;
END;
$$;
COMMENT ON FUNCTION finmon.ledger_partition(text) IS
    'The ledger''s partition for a financial year, created when missing (ledger_import does this itself).';

CREATE TABLE finmon.ledger_summary (
    financial_year text NOT NULL,
    period integer NOT NULL,
    line text NOT NULL,
    amount numeric NOT NULL,
    transactions bigint NOT NULL,
    PRIMARY KEY (financial_year, line, period)
);
COMMENT ON TABLE finmon.ledger_summary IS
    'Ledger totals per financial year, period and line, kept up to date by triggers on finmon.ledger as rows are inserted, updated or deleted (finmon.rebuild_ledger_summary recomputes them).';
COMMENT ON COLUMN finmon.ledger_summary.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.ledger_summary.period IS '1 to 12.';
COMMENT ON COLUMN finmon.ledger_summary.line IS 'The leaf line.';
COMMENT ON COLUMN finmon.ledger_summary.amount IS 'Sum of the period''s transactions on the line, pounds.';
COMMENT ON COLUMN finmon.ledger_summary.transactions IS 'How many transactions.';

-- Summary maintenance: one statement-level trigger per kind of change, reading the
-- statement's transition tables, so a load of 100,000 rows is one aggregate and one upsert.
CREATE FUNCTION finmon.ledger_summary_apply() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO finmon.ledger_summary AS s (financial_year, period, line, amount, transactions)
        SELECT o.financial_year, o.period, o.line, -sum(o.amount), -count(*)
          FROM old_rows o GROUP BY o.financial_year, o.period, o.line
        ON CONFLICT (financial_year, line, period) DO UPDATE
           SET amount = s.amount + excluded.amount, transactions = s.transactions + excluded.transactions;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO finmon.ledger_summary AS s (financial_year, period, line, amount, transactions)
        SELECT n.financial_year, n.period, n.line, sum(n.amount), count(*)
          FROM new_rows n GROUP BY n.financial_year, n.period, n.line
        ON CONFLICT (financial_year, line, period) DO UPDATE
           SET amount = s.amount + excluded.amount, transactions = s.transactions + excluded.transactions;
    END IF;
    DELETE FROM finmon.ledger_summary s WHERE s.transactions = 0;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.ledger_summary_apply() IS
    'Trigger function: applies a statement''s inserted, updated or deleted ledger rows to finmon.ledger_summary (internal).';

CREATE TRIGGER ledger_summary_insert AFTER INSERT ON finmon.ledger
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_summary_apply();
CREATE TRIGGER ledger_summary_update AFTER UPDATE ON finmon.ledger
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_summary_apply();
CREATE TRIGGER ledger_summary_delete AFTER DELETE ON finmon.ledger
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_summary_apply();

CREATE FUNCTION finmon.rebuild_ledger_summary() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM finmon.ledger_summary;
    INSERT INTO finmon.ledger_summary (financial_year, period, line, amount, transactions)
    SELECT l.financial_year, l.period, l.line, sum(l.amount), count(*)
      FROM finmon.ledger l GROUP BY l.financial_year, l.period, l.line;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION finmon.rebuild_ledger_summary() IS
    'Recomputes finmon.ledger_summary from the whole ledger (never needed in normal use: the triggers keep it current); returns the number of summary rows.';

SELECT pg_catalog.pg_extension_config_dump('finmon.ledger_summary', '');

-- Loading the ledger ----------------------------------------------------------------------

-- Rows are checked one by one into a staging table, then moved into the ledger by one
-- statement at the end of the load, so the summaries are updated once per load.
CREATE UNLOGGED TABLE finmon.ledger_stage (LIKE finmon.ledger INCLUDING COMMENTS);
COMMENT ON TABLE finmon.ledger_stage IS 'Rows of a ledger load in progress (internal; empty between loads).';

-- A date written YYYY-MM-DD that exists (no 30 February), checked without raising.
CREATE FUNCTION finmon.date_problem(column_name text, value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL OR btrim(value) = '' THEN ARRAY['22004', format('%s is empty', column_name), NULL]
    WHEN btrim(value) !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
      OR substr(btrim(value), 1, 4) = '0000'
      OR substr(btrim(value), 9, 2)::integer >
         extract(day FROM make_date(substr(btrim(value), 1, 4)::integer, substr(btrim(value), 6, 2)::integer, 1)
                          + interval '1 month - 1 day')
        THEN ARRAY['22007', format('invalid %s "%s"', column_name, value), 'Dates are written YYYY-MM-DD.']
END;
COMMENT ON FUNCTION finmon.date_problem(text, text) IS
    'What is wrong with an imported date (YYYY-MM-DD, a day that exists), as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

CREATE FUNCTION finmon.ledger_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    posted date;
    leaf text;
BEGIN
    problem := COALESCE(
        finmon.date_problem('posting date', NEW.posting_date),
        finmon.line_problem(NEW.line),
        finmon.amount_problem('amount', NEW.amount),
        finmon.text_problem('reference', NEW.reference));
    IF problem IS NULL THEN
        leaf := array_to_string(finmon.line_names(NEW.line), ' > ');
        IF NOT EXISTS (SELECT FROM finmon.revenue r WHERE r.analysis = '' AND r.line = leaf) THEN
            problem := ARRAY['23503', format('line "%s" has no revenue figures', leaf),
                             'Ledger transactions are posted to leaf lines loaded through revenue_import.'];
        END IF;
    END IF;
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);

    posted := btrim(NEW.posting_date)::date;
    INSERT INTO finmon.ledger_stage (financial_year, period, posting_date, line, amount, reference, import_batch, import_row)
    VALUES (finmon.financial_year_of(posted), finmon.period_of(posted), posted, leaf, btrim(NEW.amount)::numeric,
            btrim(NEW.reference), load.batch, load.row_number);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.ledger_import_row() IS
    'Trigger function of finmon.ledger_import: checks a row and stages it (internal).';

CREATE FUNCTION finmon.ledger_import_end() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    batch bigint := current_setting('finmon.import_batch')::bigint;
    twice record;
    year text;
BEGIN
    SELECT s.financial_year, s.reference, min(s.import_row) AS first_row, max(s.import_row) AS second_row INTO twice
      FROM finmon.ledger_stage s WHERE s.import_batch = batch
     GROUP BY s.financial_year, s.reference HAVING count(*) > 1
     ORDER BY max(s.import_row) LIMIT 1;
    IF FOUND THEN
        PERFORM finmon.raise_import_problem(TG_TABLE_NAME, twice.second_row,
            finmon.duplicate_problem(0, format('reference "%s" in %s', twice.reference, twice.financial_year), twice.first_row));
    END IF;
    FOR year IN SELECT DISTINCT s.financial_year FROM finmon.ledger_stage s WHERE s.import_batch = batch LOOP
        PERFORM finmon.ledger_partition(year);
    END LOOP;
    INSERT INTO finmon.ledger AS l (financial_year, period, posting_date, line, amount, reference, import_batch, import_row)
    SELECT s.financial_year, s.period, s.posting_date, s.line, s.amount, s.reference, s.import_batch, s.import_row
      FROM finmon.ledger_stage s WHERE s.import_batch = batch
    ON CONFLICT (financial_year, reference) DO UPDATE
       SET period = excluded.period, posting_date = excluded.posting_date, line = excluded.line,
           amount = excluded.amount, import_batch = excluded.import_batch, import_row = excluded.import_row;
    DELETE FROM finmon.ledger_stage s WHERE s.import_batch = batch;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.ledger_import_end() IS
    'Trigger function of finmon.ledger_import, at the end of a load: moves the staged rows into the ledger in one statement, replacing transactions already loaded with the same reference (internal).';

CREATE VIEW finmon.ledger_import AS
    SELECT NULL::text AS posting_date, NULL::text AS line, NULL::text AS amount, NULL::text AS reference WHERE false;
COMMENT ON VIEW finmon.ledger_import IS
    'Load ledger.csv here: \copy finmon.ledger_import FROM ''ledger.csv'' WITH (FORMAT csv, HEADER). Header posting_date,line,amount,reference; date YYYY-MM-DD; a leaf line with revenue figures; amount in pounds; reference unique within its financial year (a reference already loaded is replaced). A bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.ledger_import.posting_date IS 'YYYY-MM-DD.';
COMMENT ON COLUMN finmon.ledger_import.line IS 'Leaf line path, names joined by '' > ''.';
COMMENT ON COLUMN finmon.ledger_import.amount IS 'Pounds.';
COMMENT ON COLUMN finmon.ledger_import.reference IS 'The transaction''s reference.';
CREATE TRIGGER ledger_import_begin BEFORE INSERT ON finmon.ledger_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER ledger_import_row INSTEAD OF INSERT ON finmon.ledger_import
    FOR EACH ROW EXECUTE FUNCTION finmon.ledger_import_row();
CREATE TRIGGER ledger_import_end AFTER INSERT ON finmon.ledger_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.ledger_import_end();

-- Budget profiles ---------------------------------------------------------------------------

CREATE TABLE finmon.budget_profile (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    line text NOT NULL,
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    share numeric NOT NULL CHECK (share >= 0 AND share <= 1),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, line, period)
);
COMMENT ON TABLE finmon.budget_profile IS
    'How a line''s annual budget spreads over the periods: shares summing to 1 per line and year. A line without a profile spreads evenly (1/12 a period). Loaded through finmon.budget_profile_import.';
COMMENT ON COLUMN finmon.budget_profile.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.budget_profile.line IS 'The leaf line.';
COMMENT ON COLUMN finmon.budget_profile.period IS '1 to 12.';
COMMENT ON COLUMN finmon.budget_profile.share IS 'Share of the year''s budget falling in the period, 0 to 1.';
COMMENT ON COLUMN finmon.budget_profile.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon.budget_profile.import_row IS 'The row number in that load.';
SELECT pg_catalog.pg_extension_config_dump('finmon.budget_profile', '');

CREATE FUNCTION finmon.budget_profile_import_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    load record := finmon.import_next_row();
    problem text[];
    written integer;
    first_row integer;
    leaf text;
BEGIN
    problem := COALESCE(finmon.financial_year_problem(NEW.financial_year),
                        finmon.line_problem(NEW.line),
                        finmon.period_problem(NEW.period),
                        finmon.amount_problem('share', NEW.share),
                        CASE WHEN btrim(NEW.share)::numeric NOT BETWEEN 0 AND 1 THEN
                            ARRAY['22023', format('share %s is not between 0 and 1', btrim(NEW.share)), NULL] END);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    leaf := array_to_string(finmon.line_names(NEW.line), ' > ');
    INSERT INTO finmon.budget_profile AS b (financial_year, line, period, share, import_batch, import_row)
    VALUES (btrim(NEW.financial_year), leaf, btrim(NEW.period)::integer, btrim(NEW.share)::numeric, load.batch, load.row_number)
    ON CONFLICT ON CONSTRAINT budget_profile_pkey DO UPDATE
       SET share = excluded.share, import_batch = excluded.import_batch, import_row = excluded.import_row
     WHERE b.import_batch IS DISTINCT FROM excluded.import_batch;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written = 0 THEN
        SELECT b.import_row INTO first_row FROM finmon.budget_profile b
         WHERE (b.financial_year, b.line, b.period) = (btrim(NEW.financial_year), leaf, btrim(NEW.period)::integer);
    END IF;
    problem := finmon.duplicate_problem(written, format('line "%s" period %s of %s', leaf, btrim(NEW.period),
                                        btrim(NEW.financial_year)), first_row);
    PERFORM finmon.raise_import_problem(TG_TABLE_NAME, load.row_number, problem);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION finmon.budget_profile_import_row() IS
    'Trigger function of finmon.budget_profile_import: checks a row and stores it (internal).';

-- At the end of a load: every line and year it touched must have shares summing to 1.
CREATE FUNCTION finmon.budget_profile_import_end() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    batch bigint := current_setting('finmon.import_batch')::bigint;
    bad record;
BEGIN
    SELECT b.financial_year, b.line, sum(b.share) AS total INTO bad
      FROM finmon.budget_profile b
     WHERE (b.financial_year, b.line) IN (SELECT t.financial_year, t.line FROM finmon.budget_profile t WHERE t.import_batch = batch)
     GROUP BY b.financial_year, b.line HAVING sum(b.share) <> 1
     ORDER BY b.financial_year, b.line LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23514',
            MESSAGE = format('%s: the shares of line "%s" in %s sum to %s, not 1', TG_TABLE_NAME, bad.line,
                             bad.financial_year, bad.total),
            DETAIL = 'Nothing of this load has been kept.',
            HINT = 'Give every period of the year a share (0 for none), summing to 1.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.budget_profile_import_end() IS
    'Trigger function of finmon.budget_profile_import, at the end of a load: checks that each line''s shares sum to 1 (internal).';

CREATE VIEW finmon.budget_profile_import AS
    SELECT NULL::text AS financial_year, NULL::text AS line, NULL::text AS period, NULL::text AS share WHERE false;
COMMENT ON VIEW finmon.budget_profile_import IS
    'Load budget_profile.csv here: \copy finmon.budget_profile_import FROM ''budget_profile.csv'' WITH (FORMAT csv, HEADER). Header financial_year,line,period,share; each line''s shares for a year sum to 1 (checked at the end of the load). A share already loaded is replaced; a bad row fails the whole load. Always reads as empty.';
COMMENT ON COLUMN finmon.budget_profile_import.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.budget_profile_import.line IS 'Leaf line path.';
COMMENT ON COLUMN finmon.budget_profile_import.period IS '1 to 12.';
COMMENT ON COLUMN finmon.budget_profile_import.share IS 'Share of the annual budget, 0 to 1.';
CREATE TRIGGER budget_profile_import_begin BEFORE INSERT ON finmon.budget_profile_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.import_begin();
CREATE TRIGGER budget_profile_import_row INSTEAD OF INSERT ON finmon.budget_profile_import
    FOR EACH ROW EXECUTE FUNCTION finmon.budget_profile_import_row();
CREATE TRIGGER budget_profile_import_end AFTER INSERT ON finmon.budget_profile_import
    FOR EACH STATEMENT EXECUTE FUNCTION finmon.budget_profile_import_end();

-- Spend to date -------------------------------------------------------------------------------

-- Spend and profiled budget to date per leaf line: the summaries accumulated over the periods
-- (set-based: each is a join, not a lookup per row).
CREATE VIEW finmon.ledger_to_date AS
SELECT s.financial_year, s.line, p.period, sum(s.amount) AS amount
  FROM finmon.ledger_summary s
  JOIN generate_series(1, 12) AS p(period) ON s.period <= p.period
 GROUP BY s.financial_year, s.line, p.period;
COMMENT ON VIEW finmon.ledger_to_date IS
    'Ledger spend per financial year and line from April to the end of each period at which the line has spend so far, from the summaries. Pounds.';
COMMENT ON COLUMN finmon.ledger_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.ledger_to_date.line IS 'The leaf line.';
COMMENT ON COLUMN finmon.ledger_to_date.period IS 'The period the spend runs to.';
COMMENT ON COLUMN finmon.ledger_to_date.amount IS 'Spend from April to the end of the period.';

CREATE VIEW finmon.profile_to_date AS
SELECT b.financial_year, b.line, p.period, sum(b.share) AS share
  FROM finmon.budget_profile b
  JOIN generate_series(1, 12) AS p(period) ON b.period <= p.period
 GROUP BY b.financial_year, b.line, p.period;
COMMENT ON VIEW finmon.profile_to_date IS
    'The share of each profiled line''s annual budget falling from April to the end of each period.';
COMMENT ON COLUMN finmon.profile_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.profile_to_date.line IS 'The leaf line.';
COMMENT ON COLUMN finmon.profile_to_date.period IS 'The period the share runs to.';
COMMENT ON COLUMN finmon.profile_to_date.share IS 'Sum of the shares of periods 1 to period.';

-- Each leaf line at each year and reporting period, and each period from April to it.
CREATE VIEW finmon.revenue_spend_profile AS
WITH leaf AS (
    SELECT r.financial_year, r.period AS report_period, r.line, r.budget, p.period
      FROM finmon.revenue r
     CROSS JOIN LATERAL generate_series(1, r.period) AS p(period)
     WHERE r.analysis = ''
),
figures AS (
    SELECT l.financial_year, l.report_period, l.period, l.line,
           CASE WHEN y.financial_year IS NOT NULL THEN COALESCE(a.amount, 0) END AS actual,
           CASE WHEN pl.line IS NOT NULL THEN l.budget * COALESCE(pd.share, 0)
                ELSE l.budget * l.period / 12 END AS profiled
      FROM leaf l
      LEFT JOIN (SELECT DISTINCT s.financial_year FROM finmon.ledger_summary s) y ON y.financial_year = l.financial_year
      LEFT JOIN finmon.ledger_to_date a
             ON a.financial_year = l.financial_year AND a.line = l.line AND a.period = l.period
      LEFT JOIN (SELECT DISTINCT b.financial_year, b.line FROM finmon.budget_profile b) pl
             ON pl.financial_year = l.financial_year AND pl.line = l.line
      LEFT JOIN finmon.profile_to_date pd
             ON pd.financial_year = l.financial_year AND pd.line = l.line AND pd.period = l.period
)
SELECT f.financial_year, f.report_period, f.period, a.path,
       sum(f.actual) AS actual_to_date,
       sum(f.profiled) AS profiled_budget_to_date
  FROM figures f
  JOIN finmon.revenue_node n ON n.analysis = '' AND n.path = f.line
 CROSS JOIN LATERAL unnest(n.ancestors) AS a(path)
 GROUP BY f.financial_year, f.report_period, f.period, a.path;
COMMENT ON VIEW finmon.revenue_spend_profile IS
    'Spend against profiled budget, period by period (the chart data): for each node at each year and reporting period, and each period from April to it, ledger spend to the end of that period and the budget (at the reporting period) profiled to it. Pounds.';
COMMENT ON COLUMN finmon.revenue_spend_profile.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_spend_profile.report_period IS 'The monitoring period whose budget is profiled.';
COMMENT ON COLUMN finmon.revenue_spend_profile.period IS 'The period the figures run to, 1 to report_period.';
COMMENT ON COLUMN finmon.revenue_spend_profile.path IS 'The node; '''' for the grand total.';
COMMENT ON COLUMN finmon.revenue_spend_profile.actual_to_date IS 'Ledger spend from April to the end of the period; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon.revenue_spend_profile.profiled_budget_to_date IS 'The budget times the profile''s shares to the period (or period / 12 for a line without a profile).';

-- The same at each reporting period only, for revenue_report (the condition is on grouping
-- columns, so it is applied before anything is summed).
CREATE VIEW finmon.revenue_to_date AS
SELECT s.financial_year, s.report_period AS period, s.path, s.actual_to_date, s.profiled_budget_to_date
  FROM finmon.revenue_spend_profile s
 WHERE s.period = s.report_period;
COMMENT ON VIEW finmon.revenue_to_date IS
    'Ledger spend and profiled budget to the end of each reporting period, per node (revenue_report''s two columns). Pounds.';
COMMENT ON COLUMN finmon.revenue_to_date.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_to_date.period IS 'The reporting period.';
COMMENT ON COLUMN finmon.revenue_to_date.path IS 'The node.';
COMMENT ON COLUMN finmon.revenue_to_date.actual_to_date IS 'Ledger spend from April to the end of the period; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon.revenue_to_date.profiled_budget_to_date IS 'The budget profiled to the end of the period.';

CREATE OR REPLACE VIEW finmon.revenue_report AS
SELECT f.financial_year, f.period, f.path, f.label, f.depth, f.is_leaf, f.budget, f.forecast_outturn, f.variance,
       f.variance_pct, f.previous_period, f.previous_variance, f.movement, f.prior_year_actual,
       f.prior_year_variance, f.row_order, t.actual_to_date, t.profiled_budget_to_date
  FROM finmon.revenue_figures f
  LEFT JOIN finmon.revenue_to_date t
         ON t.financial_year = f.financial_year AND t.period = f.period AND t.path = f.path
 WHERE f.analysis = '';
COMMENT ON COLUMN finmon.revenue_report.actual_to_date IS 'Ledger spend from April to the end of the period, pounds; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon.revenue_report.profiled_budget_to_date IS 'The budget profiled to the end of the period (finmon.budget_profile, or an even spread), pounds.';
-- Materialised period views for BI tools: each report frozen per financial year and period,
-- refreshed together (concurrently, so readers are never blocked) by refresh_period_views(),
-- which logs each view's refresh and skips the views none of whose source tables changed
-- since their last refresh; schedule_refresh() runs it nightly with pg_cron.

-- The revenue report in two parts, so a ledger load refreshes only the spend columns.
CREATE MATERIALIZED VIEW finmon.revenue_figures_period AS
SELECT financial_year, period, path, label, depth, is_leaf, budget, forecast_outturn, variance,
       variance_pct, previous_period, previous_variance, movement, prior_year_actual,
       prior_year_variance, row_order
  FROM finmon.revenue_figures WHERE analysis = '';
CREATE UNIQUE INDEX revenue_figures_period_key ON finmon.revenue_figures_period (financial_year, period, path);
COMMENT ON MATERIALIZED VIEW finmon.revenue_figures_period IS
    'The budget and forecast columns of finmon.revenue_report as of the last refresh (read finmon.revenue_period).';

CREATE MATERIALIZED VIEW finmon.revenue_spend_period AS SELECT * FROM finmon.revenue_to_date;
CREATE UNIQUE INDEX revenue_spend_period_key ON finmon.revenue_spend_period (financial_year, period, path);
COMMENT ON MATERIALIZED VIEW finmon.revenue_spend_period IS
    'The spend-to-date columns of finmon.revenue_report as of the last refresh (read finmon.revenue_period).';

CREATE VIEW finmon.revenue_period AS
SELECT f.*, s.actual_to_date, s.profiled_budget_to_date
  FROM finmon.revenue_figures_period f
  LEFT JOIN finmon.revenue_spend_period s
         ON s.financial_year = f.financial_year AND s.period = f.period AND s.path = f.path;
COMMENT ON VIEW finmon.revenue_period IS
    'finmon.revenue_report as of the last finmon.refresh_period_views(): one row per year, period and node, from two materialised views refreshed together. For BI tools.';
-- revenue_period's columns mean what revenue_report's do.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) AS description
                 FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = 'finmon.revenue_report'::pg_catalog.regclass AND a.attnum > 0 LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN finmon.revenue_period.%I IS %L', col.attname, col.description);
    END LOOP;
END;
$$;

CREATE MATERIALIZED VIEW finmon.revenue_table_period AS SELECT * FROM finmon.revenue_table_report;
CREATE UNIQUE INDEX revenue_table_period_key ON finmon.revenue_table_period (table_name, financial_year, period, row_number);
COMMENT ON MATERIALIZED VIEW finmon.revenue_table_period IS
    'finmon.revenue_table_report (the committee tables, in pounds) as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.savings_period AS SELECT * FROM finmon.savings_report;
CREATE UNIQUE INDEX savings_period_key ON finmon.savings_period (financial_year, period, ref);
COMMENT ON MATERIALIZED VIEW finmon.savings_period IS 'finmon.savings_report as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.reserves_period AS SELECT * FROM finmon.reserves_report;
CREATE UNIQUE INDEX reserves_period_key ON finmon.reserves_period (financial_year, period, row_number);
COMMENT ON MATERIALIZED VIEW finmon.reserves_period IS 'finmon.reserves_report as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.capital_period AS SELECT * FROM finmon.capital_report;
CREATE UNIQUE INDEX capital_period_key ON finmon.capital_period (financial_year, period, row_number);
COMMENT ON MATERIALIZED VIEW finmon.capital_period IS 'finmon.capital_report as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.grants_period AS SELECT * FROM finmon.grant_report;
CREATE UNIQUE INDEX grants_period_key ON finmon.grants_period (financial_year, period, "grant", row_number);
COMMENT ON MATERIALIZED VIEW finmon.grants_period IS 'finmon.grant_report as of the last refresh.';

CREATE MATERIALIZED VIEW finmon.measures_period AS SELECT * FROM finmon.measure_report;
CREATE UNIQUE INDEX measures_period_key ON finmon.measures_period (measure, area, month);
COMMENT ON MATERIALIZED VIEW finmon.measures_period IS 'finmon.measure_report (suppressed as published) as of the last refresh.';

CREATE TABLE finmon.refresh_log (
    id bigserial PRIMARY KEY,
    run bigint NOT NULL,
    view_name text NOT NULL,
    started timestamptz NOT NULL,
    finished timestamptz NOT NULL,
    rows bigint,
    concurrent boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('ok', 'failed', 'unchanged')),
    error text
);
COMMENT ON TABLE finmon.refresh_log IS 'One row per period view per run of finmon.refresh_period_views().';
COMMENT ON COLUMN finmon.refresh_log.id IS 'Row number.';
COMMENT ON COLUMN finmon.refresh_log.run IS 'The run of finmon.refresh_period_views() (from finmon.refresh_run).';
COMMENT ON COLUMN finmon.refresh_log.view_name IS 'The materialised view.';
COMMENT ON COLUMN finmon.refresh_log.started IS 'When its refresh started.';
COMMENT ON COLUMN finmon.refresh_log.finished IS 'When it finished or failed.';
COMMENT ON COLUMN finmon.refresh_log.rows IS 'Rows in the view after the refresh; NULL when it failed.';
COMMENT ON COLUMN finmon.refresh_log.concurrent IS 'True when refreshed CONCURRENTLY (readers not blocked); the first refresh of an unpopulated view cannot be.';
COMMENT ON COLUMN finmon.refresh_log.status IS '''ok'', ''failed'' (the view keeps its previous contents) or ''unchanged'' (no source table changed since its last refresh, so it was not refreshed).';
COMMENT ON COLUMN finmon.refresh_log.error IS 'SQLSTATE and message of a failure.';
SELECT pg_catalog.pg_extension_config_dump('finmon.refresh_log', '');
COMMENT ON SEQUENCE finmon.refresh_log_id_seq IS 'Numbers the rows of finmon.refresh_log.';
SELECT pg_catalog.pg_extension_config_dump('finmon.refresh_log_id_seq', '');
CREATE SEQUENCE finmon.refresh_run;
COMMENT ON SEQUENCE finmon.refresh_run IS 'Numbers the runs of finmon.refresh_period_views().';
SELECT pg_catalog.pg_extension_config_dump('finmon.refresh_run', '');

-- Which tables changed, and when: every source table of a period view notes its changes.
CREATE SEQUENCE finmon.source_change_number;
COMMENT ON SEQUENCE finmon.source_change_number IS 'Numbers the changes to the source tables of the period views.';
CREATE TABLE finmon.source_change (
    table_name text PRIMARY KEY,
    change bigint NOT NULL
);
COMMENT ON TABLE finmon.source_change IS 'The latest change to each source table of the period views (internal; what refresh_period_views() compares).';
COMMENT ON COLUMN finmon.source_change.table_name IS 'The source table.';
COMMENT ON COLUMN finmon.source_change.change IS 'The number of its latest change (finmon.source_change_number).';

CREATE FUNCTION finmon.note_source_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO finmon.source_change AS c (table_name, change)
    VALUES (TG_TABLE_NAME, nextval('finmon.source_change_number'))
    ON CONFLICT (table_name) DO UPDATE SET change = excluded.change;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon.note_source_change() IS
    'Trigger function: notes that a source table of the period views changed (internal).';

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['revenue', 'revenue_node', 'revenue_table', 'revenue_table_row', 'ledger_summary',
                             'budget_profile', 'savings_plan', 'savings_forecast', 'reserve', 'capital',
                             'grant_scheme', 'measure', 'population', 'activity', 'published_value',
                             'measure_target', 'setting'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON finmon.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION finmon.note_source_change()', t || '_changed', t);
    END LOOP;
END;
$$;

CREATE TABLE finmon.refresh_state (
    view_name text PRIMARY KEY,
    change bigint NOT NULL
);
COMMENT ON TABLE finmon.refresh_state IS 'For each period view, the latest source change its last successful refresh saw (internal).';
COMMENT ON COLUMN finmon.refresh_state.view_name IS 'The materialised view.';
COMMENT ON COLUMN finmon.refresh_state.change IS 'The latest finmon.source_change of its sources when it was last refreshed.';

CREATE FUNCTION finmon.period_views() RETURNS TABLE (refresh_order integer, view_name text, sources text[])
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT * FROM (VALUES
            (1, 'revenue_figures_period', ARRAY['revenue', 'revenue_node']),
            (2, 'revenue_spend_period', ARRAY['revenue', 'revenue_node', 'ledger_summary', 'budget_profile']),
            (3, 'revenue_table_period', ARRAY['revenue', 'revenue_node', 'revenue_table', 'revenue_table_row']),
            (4, 'savings_period', ARRAY['savings_plan', 'savings_forecast']),
            (5, 'reserves_period', ARRAY['reserve']),
            (6, 'capital_period', ARRAY['capital']),
            (7, 'grants_period', ARRAY['grant_scheme']),
            (8, 'measures_period', ARRAY['measure', 'population', 'activity', 'published_value', 'measure_target', 'setting'])
        ) AS v(refresh_order, view_name, sources);
    END;
COMMENT ON FUNCTION finmon.period_views() IS
    'The materialised period views, in refresh order, with the tables each is computed from (each reads only base tables, so any order is a dependency order).';

CREATE FUNCTION finmon.refresh_period_views(force boolean DEFAULT false)
    RETURNS TABLE (view_name text, status text, rows bigint, milliseconds numeric, error text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v record;
    run_id bigint := nextval('finmon.refresh_run');
    started timestamptz;
    populated boolean;
    latest bigint;
    n bigint;
    message text;
    state text;
BEGIN
    FOR v IN SELECT p.view_name, p.sources FROM finmon.period_views() p ORDER BY p.refresh_order LOOP
        started := clock_timestamp();
        populated := (SELECT c.relispopulated FROM pg_class c
                       WHERE c.oid = format('finmon.%I', v.view_name)::regclass);
        latest := COALESCE((SELECT max(c.change) FROM finmon.source_change c WHERE c.table_name = ANY (v.sources)), 0);
        IF NOT force AND populated
           AND latest <= (SELECT r.change FROM finmon.refresh_state r WHERE r.view_name = v.view_name) THEN
            INSERT INTO finmon.refresh_log (run, view_name, started, finished, rows, concurrent, status)
            VALUES (run_id, v.view_name, started, clock_timestamp(), NULL, false, 'unchanged');
            CONTINUE;
        END IF;
        BEGIN
            IF populated THEN
                EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY finmon.%I', v.view_name);
            ELSE
                EXECUTE format('REFRESH MATERIALIZED VIEW finmon.%I', v.view_name);
            END IF;
            EXECUTE format('SELECT count(*) FROM finmon.%I', v.view_name) INTO n;
            -- statistics for BI queries' plans, when the view has none or its size moved by a tenth
            IF (SELECT c.reltuples < 0 OR n NOT BETWEEN c.reltuples * 0.9 AND c.reltuples * 1.1
                  FROM pg_class c WHERE c.oid = format('finmon.%I', v.view_name)::regclass) THEN
                EXECUTE format('ANALYZE finmon.%I', v.view_name);
            END IF;
            INSERT INTO finmon.refresh_state AS r (view_name, change) VALUES (v.view_name, latest)
            ON CONFLICT ON CONSTRAINT refresh_state_pkey DO UPDATE SET change = excluded.change;
            INSERT INTO finmon.refresh_log (run, view_name, started, finished, rows, concurrent, status)
            VALUES (run_id, v.view_name, started, clock_timestamp(), n, populated, 'ok');
        EXCEPTION WHEN OTHERS THEN
            -- the failed view's refresh is rolled back to its previous contents; the others go on
            GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
            INSERT INTO finmon.refresh_log (run, view_name, started, finished, rows, concurrent, status, error)
            VALUES (run_id, v.view_name, started, clock_timestamp(), NULL, populated, 'failed', state || ': ' || message);
        END;
    END LOOP;
    RETURN QUERY
        SELECT l.view_name, l.status, l.rows,
               round(extract(epoch FROM l.finished - l.started)::numeric * 1000, 1), l.error
          FROM finmon.refresh_log l WHERE l.run = run_id ORDER BY l.id;
END;
$$;
COMMENT ON FUNCTION finmon.refresh_period_views(boolean) IS
    'Refreshes the materialised period views (CONCURRENTLY once populated, so BI tools keep reading), logging each in finmon.refresh_log. A view none of whose source tables changed since its last refresh is skipped (''unchanged'') unless force is true. A view that fails is logged and keeps its previous contents; the others are refreshed. All views change together when the calling transaction commits. Returns this run''s log.';

CREATE FUNCTION finmon.schedule_refresh(schedule text DEFAULT '0 2 * * *') RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE NOTICE 'pg_cron is not installed in this database: nothing scheduled'
            USING HINT = 'Install postgresql-15-cron, set shared_preload_libraries = ''pg_cron'' and cron.database_name = '''
                         || current_database() || ''', restart, CREATE EXTENSION pg_cron, and call this again; '
                         || 'or have cron or a systemd timer run: psql -d ' || current_database()
                         || ' -c "SELECT * FROM finmon.refresh_period_views()"';
        RETURN NULL;
    END IF;
    EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO job
        USING 'finmon-refresh-period-views', schedule, 'SELECT * FROM finmon.refresh_period_views()';
    RETURN job;
END;
$$;
COMMENT ON FUNCTION finmon.schedule_refresh(text) IS
    'Schedules finmon.refresh_period_views() with pg_cron (job finmon-refresh-period-views; the default is 02:00 every night, in pg_cron''s time zone) and returns the job id; scheduling again replaces the schedule. Without pg_cron, says how to schedule it with cron or a systemd timer and returns NULL.';
