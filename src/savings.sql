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

-- savings_agg's state: a type of finmon's own, so that Citus can run the aggregate's partial step on
-- its workers (it will not for a state of type internal).
CREATE TYPE finmon.savings_state;

CREATE FUNCTION finmon.savings_state_in(cstring) RETURNS finmon.savings_state
    AS 'MODULE_PATHNAME', 'finmon_savings_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_state_in(cstring) IS
    'Input of finmon.savings_state: its binary form in hexadecimal, every field checked (internal).';

CREATE FUNCTION finmon.savings_state_out(finmon.savings_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'finmon_savings_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_state_out(finmon.savings_state) IS
    'Output of finmon.savings_state (internal).';

CREATE FUNCTION finmon.savings_state_recv(internal) RETURNS finmon.savings_state
    AS 'MODULE_PATHNAME', 'finmon_savings_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_state_recv(internal) IS
    'Binary input of finmon.savings_state, every field checked (internal).';

CREATE FUNCTION finmon.savings_state_send(finmon.savings_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_savings_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_state_send(finmon.savings_state) IS
    'Binary output of finmon.savings_state (internal).';

CREATE TYPE finmon.savings_state (
    INPUT = finmon.savings_state_in,
    OUTPUT = finmon.savings_state_out,
    RECEIVE = finmon.savings_state_recv,
    SEND = finmon.savings_state_send,
    INTERNALLENGTH = VARIABLE
);
COMMENT ON TYPE finmon.savings_state IS
    'savings_agg''s running state: the exact sums of targets and forecasts, the schemes and those off target (internal; written as its binary form in hexadecimal).';

CREATE FUNCTION finmon.savings_state_accum(finmon.savings_state, numeric, numeric) RETURNS finmon.savings_state
    AS 'MODULE_PATHNAME', 'finmon_savings_state_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_state_accum(finmon.savings_state, numeric, numeric) IS
    'savings_agg transition function (internal).';

CREATE FUNCTION finmon.savings_state_combine(finmon.savings_state, finmon.savings_state) RETURNS finmon.savings_state
    AS 'MODULE_PATHNAME', 'finmon_savings_state_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_state_combine(finmon.savings_state, finmon.savings_state) IS
    'savings_agg combine function, for parallel, partitionwise and Citus plans (internal).';

CREATE FUNCTION finmon.savings_state_final(finmon.savings_state) RETURNS finmon.savings_summary
    AS 'MODULE_PATHNAME', 'finmon_savings_state_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.savings_state_final(finmon.savings_state) IS
    'savings_agg final function (internal).';

CREATE AGGREGATE finmon.savings_agg(target numeric, forecast numeric) (
    SFUNC = finmon.savings_state_accum,
    STYPE = finmon.savings_state, SSPACE = 1300,
    FINALFUNC = finmon.savings_state_final,
    COMBINEFUNC = finmon.savings_state_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.savings_agg(numeric, numeric) IS
    'Totals a savings programme exactly: (target, forecast, shortfall, delivered_pct, schemes, schemes_off_target). Rows with neither figure are ignored; a missing one counts as zero. NULL when no row has a figure. Parallel safe, and run partly on the workers of a Citus cluster (its state, finmon.savings_state, is a type of finmon''s own).';

-- Tables ----------------------------------------------------------------------

CREATE TABLE finmon_data.savings_plan (
    council text NOT NULL REFERENCES finmon.council,
    ref text NOT NULL CHECK (ref <> ''),
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    title text NOT NULL,
    workstream text CHECK (workstream <> ''),
    target numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, ref, financial_year)
);
COMMENT ON TABLE finmon_data.savings_plan IS
    'Savings targets: one row per saving and financial year, in pounds, negative for a saving and positive for a reversal. Loaded through finmon.savings_plan_import.';
COMMENT ON COLUMN finmon_data.savings_plan.council IS 'The council.';
COMMENT ON COLUMN finmon_data.savings_plan.ref IS 'The saving''s reference, as the papers print it (e.g. ASC013).';
COMMENT ON COLUMN finmon_data.savings_plan.financial_year IS 'The year the target falls in, YYYY-YY.';
COMMENT ON COLUMN finmon_data.savings_plan.title IS 'The saving''s title as printed for that year.';
COMMENT ON COLUMN finmon_data.savings_plan.workstream IS 'The programme workstream the saving belongs to in that year; NULL when none is given.';
COMMENT ON COLUMN finmon_data.savings_plan.target IS 'The saving target in pounds: negative is a saving, positive a reversal.';
COMMENT ON COLUMN finmon_data.savings_plan.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.savings_plan.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.savings_plan.import_row IS 'The row number in that load; orders the savings as the file did.';

CREATE TABLE finmon_data.savings_forecast (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    ref text NOT NULL,
    forecast numeric NOT NULL,
    rag text CHECK (rag IN ('Red', 'Amber', 'Green')),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, period, ref)
);
COMMENT ON TABLE finmon_data.savings_forecast IS
    'Forecast delivery of each saving at a monitoring period, in pounds with the plan''s sign, and the RAG status stated for it. Loaded through finmon.savings_forecast_import.';
COMMENT ON COLUMN finmon_data.savings_forecast.council IS 'The council.';
COMMENT ON COLUMN finmon_data.savings_forecast.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.savings_forecast.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon_data.savings_forecast.ref IS 'The saving; it has at least one row in finmon_data.savings_plan.';
COMMENT ON COLUMN finmon_data.savings_forecast.forecast IS 'Forecast delivery in the year, in pounds, same sign as the target.';
COMMENT ON COLUMN finmon_data.savings_forecast.rag IS 'Stated RAG status, or NULL for none (the report then derives one).';
COMMENT ON COLUMN finmon_data.savings_forecast.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.savings_forecast.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.savings_forecast.import_row IS 'The row number in that load.';

SELECT pg_catalog.pg_extension_config_dump('finmon_data.savings_plan', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.savings_forecast', '');

-- Imports ---------------------------------------------------------------------

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('savings_plan', 'savings_plan', 'plan year', 'finmon_editor', 'format(''saving "%s" for %s'', ref, financial_year)',
     'Load savings_plan.csv here: \copy finmon.savings_plan_import FROM ''savings_plan.csv'' WITH (FORMAT csv, HEADER). Header council,ref,title,workstream,financial_year,target; one row per saving and year, target in pounds, negative for a saving. A row for a saving and year already loaded replaces it; a bad row fails the whole load. Always reads as empty.', 30),
    ('savings_forecast', 'savings_forecast', 'period', 'finmon_editor', 'format(''saving "%s" for %s period %s'', ref, financial_year, period)',
     'Load savings_forecast.csv here: \copy finmon.savings_forecast_import FROM ''savings_forecast.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,ref,forecast,rag; forecast in pounds with the plan''s sign; rag Red, Amber, Green or empty. The saving must be in the plan. A row for a saving and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.', 31);
INSERT INTO finmon_data.import_column (format, position, name, kind, choices, hint, expression, description) VALUES
    ('savings_plan', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('savings_plan', 2, 'ref', 'text', NULL, NULL, NULL, 'The saving''s reference.'),
    ('savings_plan', 3, 'title', 'text', NULL, NULL, NULL, 'The saving''s title.'),
    ('savings_plan', 4, 'workstream', 'optional text', NULL, NULL, NULL, 'Programme workstream; may be empty.'),
    ('savings_plan', 5, 'financial_year', 'year', NULL, NULL, NULL, 'YYYY-YY.'),
    ('savings_plan', 6, 'target', 'money', NULL, NULL, NULL, 'Target in pounds; a saving is negative, a reversal positive.'),
    ('savings_forecast', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('savings_forecast', 2, 'financial_year', 'year', NULL, NULL, NULL, 'YYYY-YY.'),
    ('savings_forecast', 3, 'period', 'period', NULL, NULL, NULL, '1 (April) to 12 (March).'),
    ('savings_forecast', 4, 'ref', 'text', NULL, NULL, NULL, 'The saving''s reference, as in the plan.'),
    ('savings_forecast', 5, 'forecast', 'money', NULL, NULL, NULL, 'Forecast delivery in pounds, same sign as the target.'),
    ('savings_forecast', 6, 'rag', 'optional choice', ARRAY['Red', 'Amber', 'Green'],
     'Leave rag empty to have the report derive it from target and forecast.', 'initcap(%1$s)', 'Red, Amber, Green (any case) or empty.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('savings_forecast', 1, '23503', $sql$
SELECT n.load_row, format('saving "%s" has no row in the savings plan', n.ref),
       'Load savings_plan.csv, with this saving''s targets, before its forecasts.'
  FROM n
  LEFT JOIN finmon_data.savings_plan p ON p.council = n.council AND p.ref = n.ref
 WHERE p.ref IS NULL
$sql$);
SELECT finmon_data.create_import_view('savings_plan');
SELECT finmon_data.create_import_view('savings_forecast');
