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
