-- Ring-fenced grants (the improved Better Care Fund): allocation, amount brought
-- forward, forecast spend and the carry forward to next year, per scheme.

CREATE TABLE finmon_data.grant_scheme (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    "grant" text NOT NULL CHECK ("grant" <> ''),
    scheme text NOT NULL CHECK (scheme <> ''),
    allocation numeric NOT NULL,
    brought_forward numeric NOT NULL,
    forecast_spend numeric,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, period, "grant", scheme)
);
COMMENT ON TABLE finmon_data.grant_scheme IS
    'Schemes funded by a ring-fenced grant at a monitoring period, in pounds. Loaded through finmon.grants_import.';
COMMENT ON COLUMN finmon_data.grant_scheme.council IS 'The council.';
COMMENT ON COLUMN finmon_data.grant_scheme.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.grant_scheme.period IS '1 (April) to 12 (March).';
COMMENT ON COLUMN finmon_data.grant_scheme."grant" IS 'The grant, e.g. iBCF.';
COMMENT ON COLUMN finmon_data.grant_scheme.scheme IS 'The scheme the grant funds.';
COMMENT ON COLUMN finmon_data.grant_scheme.allocation IS 'The year''s allocation to the scheme, in pounds.';
COMMENT ON COLUMN finmon_data.grant_scheme.brought_forward IS 'Grant brought forward from the previous year (held in reserve), in pounds.';
COMMENT ON COLUMN finmon_data.grant_scheme.forecast_spend IS 'Forecast spend in the year, in pounds; NULL while no spend is forecast yet (an allocation-only table).';
COMMENT ON COLUMN finmon_data.grant_scheme.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.grant_scheme.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.grant_scheme.import_row IS 'The row number in that load; orders the schemes as the file did.';

SELECT pg_catalog.pg_extension_config_dump('finmon_data.grant_scheme', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('grants', 'grant_scheme', 'period', 'finmon_editor',
     'format(''%s scheme "%s" for %s period %s'', "grant", scheme, financial_year, period)',
     'Load grants.csv here: \copy finmon.grants_import FROM ''grants.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,grant,scheme,allocation,brought_forward,forecast_spend; amounts in pounds; brought_forward empty for nothing brought forward (0), forecast_spend empty while no spend is forecast yet. A row for a scheme and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.', 60);
INSERT INTO finmon_data.import_column (format, position, name, kind, expression, description) VALUES
    ('grants', 1, 'council', 'council', NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('grants', 2, 'financial_year', 'year', NULL, 'YYYY-YY.'),
    ('grants', 3, 'period', 'period', NULL, '1 (April) to 12 (March).'),
    ('grants', 4, 'grant', 'text', NULL, 'The grant, e.g. iBCF.'),
    ('grants', 5, 'scheme', 'text', NULL, 'The scheme the grant funds.'),
    ('grants', 6, 'allocation', 'money', NULL, 'The year''s allocation in pounds.'),
    ('grants', 7, 'brought_forward', 'optional money', 'COALESCE(%1$s::numeric, 0)', 'Brought forward from last year, in pounds; empty for nothing (0).'),
    ('grants', 8, 'forecast_spend', 'optional money', NULL, 'Forecast spend in the year, in pounds; empty while no spend is forecast yet.');
SELECT finmon_data.create_import_view('grants');
