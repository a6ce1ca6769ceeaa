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
