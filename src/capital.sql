-- The capital programme: budget, forecast outturn, slippage and next year's
-- budget per scheme; grants passported to other bodies printed below the total.

CREATE TABLE finmon_data.capital (
    council text NOT NULL REFERENCES finmon.council,
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
    PRIMARY KEY (council, financial_year, period, scheme)
);
COMMENT ON TABLE finmon_data.capital IS
    'Capital schemes at a monitoring period, in pounds. Loaded through finmon.capital_import.';
COMMENT ON COLUMN finmon_data.capital.council IS 'The council.';
COMMENT ON COLUMN finmon_data.capital.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.capital.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon_data.capital.scheme IS 'The scheme''s name.';
COMMENT ON COLUMN finmon_data.capital.budget IS 'Current capital budget for the year, in pounds.';
COMMENT ON COLUMN finmon_data.capital.forecast_outturn IS 'Forecast outturn at year end, in pounds.';
COMMENT ON COLUMN finmon_data.capital.next_year_budget IS 'Draft capital budget for the next year, in pounds; NULL when not yet known (printed "tbc").';
COMMENT ON COLUMN finmon_data.capital.passported IS 'True for grants passed on to other bodies (the Disabled Facilities Grant): printed below the programme total and included in the total capital programme.';
COMMENT ON COLUMN finmon_data.capital.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.capital.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.capital.import_row IS 'The row number in that load; orders the schemes as the file did.';

SELECT pg_catalog.pg_extension_config_dump('finmon_data.capital', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('capital', 'capital', 'period', 'finmon_editor', 'format(''scheme "%s" for %s period %s'', scheme, financial_year, period)',
     'Load capital.csv here: \copy finmon.capital_import FROM ''capital.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,scheme,budget,forecast_outturn,next_year_budget,passported; amounts in pounds; next_year_budget may be empty (not yet known); passported true or false (empty is false). A row for a scheme and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.', 50);
INSERT INTO finmon_data.import_column (format, position, name, kind, description) VALUES
    ('capital', 1, 'council', 'council', 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('capital', 2, 'financial_year', 'year', 'YYYY-YY.'),
    ('capital', 3, 'period', 'period', '1 (April) to 12 (March).'),
    ('capital', 4, 'scheme', 'text', 'The scheme''s name.'),
    ('capital', 5, 'budget', 'money', 'Current capital budget in pounds.'),
    ('capital', 6, 'forecast_outturn', 'money', 'Forecast outturn in pounds.'),
    ('capital', 7, 'next_year_budget', 'optional money', 'Next year''s draft budget in pounds; may be empty.'),
    ('capital', 8, 'passported', 'boolean', 'true for grants passed on to other bodies; empty is false.');
SELECT finmon_data.create_import_view('capital');
