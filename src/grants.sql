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
