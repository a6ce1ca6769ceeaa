-- Reserves and provisions: opening balance, agreed and planned usage, closing
-- balance, and the roll-forward from one year to the next.

CREATE TABLE finmon_data.reserve (
    council text NOT NULL REFERENCES finmon.council,
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
    PRIMARY KEY (council, financial_year, period, name)
);
COMMENT ON TABLE finmon_data.reserve IS
    'Reserves and provisions at a monitoring period: balance at 1 April and usage in the year, in pounds. Loaded through finmon.reserves_import.';
COMMENT ON COLUMN finmon_data.reserve.council IS 'The council.';
COMMENT ON COLUMN finmon_data.reserve.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.reserve.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon_data.reserve.name IS 'The balance''s name; the same name in each year chains the years together.';
COMMENT ON COLUMN finmon_data.reserve.kind IS '''reserve'' or ''provision''.';
COMMENT ON COLUMN finmon_data.reserve.opening_balance IS 'Balance at 1 April, in pounds.';
COMMENT ON COLUMN finmon_data.reserve.agreed_usage IS 'Usage agreed when the budget was set; negative draws the balance down. NULL when not given.';
COMMENT ON COLUMN finmon_data.reserve.planned_usage IS 'Usage now planned (forecast) for the year; negative draws the balance down, positive adds to it.';
COMMENT ON COLUMN finmon_data.reserve.description IS 'What the balance is for, as the paper explains it.';
COMMENT ON COLUMN finmon_data.reserve.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.reserve.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.reserve.import_row IS 'The row number in that load; orders the balances as the file did.';

SELECT pg_catalog.pg_extension_config_dump('finmon_data.reserve', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('reserves', 'reserve', 'period', 'finmon_editor', 'format(''balance "%s" for %s period %s'', name, financial_year, period)',
     'Load reserves.csv here: \copy finmon.reserves_import FROM ''reserves.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,name,kind,opening_balance,agreed_usage,planned_usage,description; kind reserve or provision; amounts in pounds, usage negative when drawn down; agreed_usage and description may be empty. A row for a balance and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.', 40);
INSERT INTO finmon_data.import_column (format, position, name, kind, choices, description) VALUES
    ('reserves', 1, 'council', 'council', NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('reserves', 2, 'financial_year', 'year', NULL, 'YYYY-YY.'),
    ('reserves', 3, 'period', 'period', NULL, '1 (April) to 12 (March).'),
    ('reserves', 4, 'name', 'text', NULL, 'The balance''s name.'),
    ('reserves', 5, 'kind', 'choice', ARRAY['reserve', 'provision'], 'reserve or provision.'),
    ('reserves', 6, 'opening_balance', 'money', NULL, 'Balance at 1 April in pounds.'),
    ('reserves', 7, 'agreed_usage', 'optional money', NULL, 'Usage agreed at budget setting, in pounds; may be empty.'),
    ('reserves', 8, 'planned_usage', 'money', NULL, 'Planned usage in the year, in pounds; negative draws down.'),
    ('reserves', 9, 'description', 'optional text', NULL, 'What the balance is for; may be empty.');
SELECT finmon_data.create_import_view('reserves');

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
