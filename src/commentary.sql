-- Commentary: the explanation of a variance (a paper's Appendix B), for any node, leaf or total.

CREATE TABLE finmon_data.commentary (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    line text NOT NULL,
    commentary text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, period, line)
);
COMMENT ON TABLE finmon_data.commentary IS
    'Explanations of variances, per period and node of the service hierarchy. Loaded through finmon.commentary_import.';
COMMENT ON COLUMN finmon_data.commentary.council IS 'The council.';
COMMENT ON COLUMN finmon_data.commentary.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon_data.commentary.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon_data.commentary.line IS 'Path of the node explained; '''' for the grand total.';
COMMENT ON COLUMN finmon_data.commentary.commentary IS 'The explanation, as it goes to committee.';
COMMENT ON COLUMN finmon_data.commentary.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon_data.commentary.import_batch IS 'Which load last wrote the row.';
COMMENT ON COLUMN finmon_data.commentary.import_row IS 'The row of that load it came from.';

SELECT pg_catalog.pg_extension_config_dump('finmon_data.commentary', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('commentary', 'commentary', 'period', 'finmon_editor', 'format(''line "%s" for %s period %s'', line, financial_year, period)',
     'Load commentary.csv here: \copy finmon.commentary_import FROM ''commentary.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,line,commentary; line is any node with figures at that period (load revenue first), empty for the grand total. A row for a node and period already loaded replaces it. Always reads as empty.', 12);
INSERT INTO finmon_data.import_column (format, position, name, kind, description) VALUES
    ('commentary', 1, 'council', 'council', 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('commentary', 2, 'financial_year', 'year', 'YYYY-YY.'),
    ('commentary', 3, 'period', 'period', '1 to 12.'),
    ('commentary', 4, 'line', 'optional line', 'Node path, names joined by '' > ''; empty for the grand total.'),
    ('commentary', 5, 'commentary', 'text', 'The explanation.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('commentary', 1, '23503', $sql$
SELECT n.load_row, format('no revenue figures for line "%s" in %s period %s', n.line, n.financial_year, n.period),
       'Commentary explains a variance: load the period''s revenue figures first, and check the line''s spelling.'
  FROM n
 -- (an anti-join written as a LEFT JOIN, not NOT EXISTS: on a Citus cluster, where the load's rows
 -- are a local table, a correlated subquery on a distributed table cannot be planned)
  LEFT JOIN (SELECT r.council, r.financial_year, r.period, a.path
               FROM finmon_data.revenue r
               JOIN finmon_data.revenue_node x ON x.council = r.council AND x.analysis = r.analysis AND x.path = r.line
              CROSS JOIN LATERAL unnest(x.ancestors) AS a(path)
              WHERE r.analysis = '' AND (r.council, r.financial_year, r.period) IN (SELECT n.council, n.financial_year, n.period FROM n)) f
    ON f.council = n.council AND f.financial_year = n.financial_year AND f.period = n.period AND f.path = n.line
 WHERE f.path IS NULL
$sql$);
SELECT finmon_data.create_import_view('commentary');

CREATE VIEW finmon.revenue_commentary AS
SELECT r.council, r.financial_year, r.period, r.path, r.label,
       r.label || ', ' ||
       CASE WHEN r.forecast_outturn IS NULL THEN 'no forecast'
            ELSE CASE finmon.variance_direction(r.budget, r.forecast_outturn)
                     WHEN 'adverse' THEN 'forecast overspend £' || finmon.format_money(r.variance) || 'm'
                     WHEN 'favourable' THEN 'forecast underspend (£' || finmon.format_money(-r.variance) || 'm)'
                     ELSE 'forecast on budget'
                 END
       END AS heading,
       r.variance, c.commentary, r.row_order
  FROM finmon_data.commentary c
  JOIN finmon.revenue_report r
    ON r.council = c.council AND r.financial_year = c.financial_year AND r.period = c.period AND r.path = c.line;
COMMENT ON VIEW finmon.revenue_commentary IS
    'The explanation of variances (a paper''s Appendix B): each explained node with a heading computed from its figures, such as "NorseCare, forecast overspend £0.413m". ORDER BY row_order.';
COMMENT ON COLUMN finmon.revenue_commentary.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_commentary.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_commentary.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.revenue_commentary.path IS 'The node explained; '''' for the grand total.';
COMMENT ON COLUMN finmon.revenue_commentary.label IS 'The node''s name.';
COMMENT ON COLUMN finmon.revenue_commentary.heading IS 'The node with its forecast over- or underspend in £m, computed from the figures.';
COMMENT ON COLUMN finmon.revenue_commentary.variance IS 'The node''s variance, pounds.';
COMMENT ON COLUMN finmon.revenue_commentary.commentary IS 'The explanation.';
COMMENT ON COLUMN finmon.revenue_commentary.row_order IS 'The node''s place in the revenue report''s outline order.';
