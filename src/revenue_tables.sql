-- Committee tables: which nodes a council's published table shows, in what order and under what
-- labels, is data (finmon.revenue_table and finmon.revenue_table_row), not code.

CREATE TABLE finmon.revenue_table (
    council text NOT NULL REFERENCES finmon.council,
    table_name text NOT NULL,
    analysis text,
    title text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, table_name)
);
COMMENT ON TABLE finmon.revenue_table IS
    'A council''s committee table layouts, such as a paper''s summary by expenditure area or its Appendix A. Loaded through finmon.revenue_tables_import (revenue_tables.csv).';
COMMENT ON COLUMN finmon.revenue_table.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_table.table_name IS 'Short name used to select the table.';
COMMENT ON COLUMN finmon.revenue_table.analysis IS 'NULL (empty in the CSV) for the service''s hierarchy, or the memorandum analysis the table shows.';
COMMENT ON COLUMN finmon.revenue_table.title IS 'Title as printed.';
COMMENT ON COLUMN finmon.revenue_table.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon.revenue_table.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon.revenue_table.import_row IS 'The row of that load it came from.';

CREATE TABLE finmon.revenue_table_row (
    council text NOT NULL,
    table_name text NOT NULL,
    row_number integer NOT NULL CHECK (row_number > 0),
    row_type text NOT NULL CHECK (row_type IN ('node', 'total', 'heading')),
    label text NOT NULL,
    line text,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, table_name, row_number),
    FOREIGN KEY (council, table_name) REFERENCES finmon.revenue_table (council, table_name),
    CONSTRAINT revenue_table_row_line_check
        CHECK ((row_type = 'node') = (line IS NOT NULL AND line <> ''))
);
COMMENT ON TABLE finmon.revenue_table_row IS
    'The rows of a committee table layout, in printed order. Loaded through finmon.revenue_table_rows_import (revenue_table_rows.csv); a load replaces every row of each table it names.';
COMMENT ON COLUMN finmon.revenue_table_row.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_table_row.table_name IS 'The table the row belongs to.';
COMMENT ON COLUMN finmon.revenue_table_row.row_number IS 'Position in the printed table, from 1.';
COMMENT ON COLUMN finmon.revenue_table_row.row_type IS '''node'' (figures of the node at line), ''total'' (the grand total of the hierarchy) or ''heading'' (a label with no figures).';
COMMENT ON COLUMN finmon.revenue_table_row.label IS 'The row label as printed ('''' for none).';
COMMENT ON COLUMN finmon.revenue_table_row.line IS 'For a node row, the path of the node (a leaf or any total above leaves); NULL otherwise.';
COMMENT ON COLUMN finmon.revenue_table_row.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon.revenue_table_row.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon.revenue_table_row.import_row IS 'The row of that load it came from.';

SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_table', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_table_row', '');

INSERT INTO finmon.import_format (format, target, timing, capability, replaces, key_description, description, file_order) VALUES
    ('revenue_tables', 'revenue_table', 'none', 'finmon_admin', NULL, 'format(''table "%s"'', table_name)',
     'Load revenue_tables.csv here: \copy finmon.revenue_tables_import FROM ''revenue_tables.csv'' WITH (FORMAT csv, HEADER). Header council,table_name,analysis,title: one row per committee table; analysis empty for the service hierarchy. A table already loaded is replaced. For finmon_admin. Always reads as empty.', 20),
    ('revenue_table_rows', 'revenue_table_row', 'none', 'finmon_admin', ARRAY['council', 'table_name'],
     'format(''row %s of table "%s"'', row_number, table_name)',
     'Load revenue_table_rows.csv here: \copy finmon.revenue_table_rows_import FROM ''revenue_table_rows.csv'' WITH (FORMAT csv, HEADER). Header council,table_name,row_number,row_type,label,line; row_type node (figures of the node at line), total (the grand total; line empty) or heading (label only). A load replaces every row of each table it names. For finmon_admin. Always reads as empty.', 21);
INSERT INTO finmon.import_column (format, position, name, kind, choices, hint, expression, description) VALUES
    ('revenue_tables', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('revenue_tables', 2, 'table_name', 'text', NULL, NULL, NULL, 'Short name of the table.'),
    ('revenue_tables', 3, 'analysis', 'optional text', NULL, NULL, NULL, 'Empty for the service hierarchy, or the memorandum analysis the table shows.'),
    ('revenue_tables', 4, 'title', 'text', NULL, NULL, NULL, 'Title as printed.'),
    ('revenue_table_rows', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('revenue_table_rows', 2, 'table_name', 'text', NULL, NULL, NULL, 'The table (revenue_tables.csv).'),
    ('revenue_table_rows', 3, 'row_number', 'whole', NULL, NULL, NULL, 'Position in the printed table, from 1.'),
    ('revenue_table_rows', 4, 'row_type', 'choice', ARRAY['node', 'total', 'heading'], NULL, NULL, 'node, total or heading.'),
    ('revenue_table_rows', 5, 'label', 'optional text', NULL, NULL, 'COALESCE(%1$s, '''')', 'The row label as printed; may be empty.'),
    ('revenue_table_rows', 6, 'line', 'optional line', NULL, NULL, 'NULLIF(%1$s, '''')', 'For a node row, the node''s path; empty otherwise.');
INSERT INTO finmon.import_check (format, position, sqlstate, query) VALUES
    ('revenue_table_rows', 1, '23503', $sql$
SELECT n.load_row, format('table "%s" is not a layout of council %s', n.table_name, n.council),
       'Load the table into finmon.revenue_tables_import (revenue_tables.csv) first.'
  FROM n
 WHERE NOT EXISTS (SELECT FROM finmon.revenue_table t WHERE t.council = n.council AND t.table_name = n.table_name)
$sql$),
    ('revenue_table_rows', 2, '23514', $sql$
SELECT n.load_row,
       CASE WHEN n.row_type = 'node' THEN 'a node row needs a line' ELSE format('a %s row has no line, but line is "%s"', n.row_type, n.line) END,
       'A node row shows the node at line; a total or heading row leaves line empty.'
  FROM n
 WHERE (n.row_type = 'node') <> (n.line IS NOT NULL)
$sql$);
SELECT finmon.create_import_view('revenue_tables');
SELECT finmon.create_import_view('revenue_table_rows');

CREATE VIEW finmon.revenue_table_report AS
SELECT t.council, t.table_name, t.title, p.financial_year, p.period, r.row_number, r.row_type, r.label,
       f.path, f.budget, f.forecast_outturn, f.variance, f.variance_pct, f.previous_period,
       f.previous_variance, f.movement, f.prior_year_actual, f.prior_year_variance
  FROM finmon.revenue_table t
  JOIN finmon.revenue_table_row r ON r.council = t.council AND r.table_name = t.table_name
  JOIN (SELECT DISTINCT x.council, x.financial_year, x.period, x.analysis FROM finmon.revenue x) p
    ON p.council = t.council AND p.analysis = COALESCE(t.analysis, '')
  LEFT JOIN finmon.revenue_figures f
    ON f.council = p.council AND f.financial_year = p.financial_year AND f.period = p.period AND f.analysis = p.analysis
   AND f.path = CASE r.row_type WHEN 'total' THEN '' WHEN 'node' THEN r.line END;
COMMENT ON VIEW finmon.revenue_table_report IS
    'Each committee table layout filled with the figures of every loaded period, in pounds, for BI tools. Select a table with WHERE council = ... AND table_name = ... AND financial_year = ... AND period = ..., ORDER BY row_number.';
COMMENT ON COLUMN finmon.revenue_table_report.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_table_report.table_name IS 'The layout''s short name.';
COMMENT ON COLUMN finmon.revenue_table_report.title IS 'The layout''s title.';
COMMENT ON COLUMN finmon.revenue_table_report.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_table_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.revenue_table_report.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.revenue_table_report.row_type IS 'node, total or heading.';
COMMENT ON COLUMN finmon.revenue_table_report.label IS 'Row label as printed.';
COMMENT ON COLUMN finmon.revenue_table_report.path IS 'The node shown; NULL for a heading, or when no figures are loaded for it at that period.';
COMMENT ON COLUMN finmon.revenue_table_report.budget IS 'Budget, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.forecast_outturn IS 'Forecast outturn, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.variance IS 'Variance to budget, pounds; positive is adverse.';
COMMENT ON COLUMN finmon.revenue_table_report.variance_pct IS 'Variance as % of budget.';
COMMENT ON COLUMN finmon.revenue_table_report.previous_period IS 'The period of the previous report.';
COMMENT ON COLUMN finmon.revenue_table_report.previous_variance IS 'Variance at the previous report, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.movement IS 'Movement in the variance since the previous report, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_actual IS 'Last year''s actual (outturn), pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_variance IS 'Last year''s over/underspend at outturn, pounds.';

CREATE VIEW finmon.revenue_table_printed AS
SELECT council, table_name, financial_year, period, row_number, label,
       finmon.format_money(prior_year_actual) AS prior_year_actual,
       finmon.format_money(prior_year_variance) AS prior_year_variance,
       finmon.format_money(budget) AS budget,
       finmon.format_money(forecast_outturn) AS forecast_outturn,
       finmon.format_money(variance) AS variance,
       finmon.format_percent(variance_pct) AS variance_pct,
       finmon.format_money(previous_variance) AS previous_variance,
       finmon.format_money(movement) AS movement
  FROM finmon.revenue_table_report;
COMMENT ON VIEW finmon.revenue_table_printed IS
    'The committee tables as printed: £m to 3 decimal places with negatives in brackets, percentages to 2 places. ORDER BY row_number.';
COMMENT ON COLUMN finmon.revenue_table_printed.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_table_printed.table_name IS 'The layout''s short name.';
COMMENT ON COLUMN finmon.revenue_table_printed.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_table_printed.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.revenue_table_printed.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.revenue_table_printed.label IS 'Row label as printed.';
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_actual IS 'Last year''s actual, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_variance IS 'Last year''s over/underspend at outturn, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.budget IS 'Budget, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.forecast_outturn IS 'Forecast outturn, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.variance IS 'Variance to budget, £m; positive is adverse, negative in brackets.';
COMMENT ON COLUMN finmon.revenue_table_printed.variance_pct IS 'Variance as % of budget.';
COMMENT ON COLUMN finmon.revenue_table_printed.previous_variance IS 'Variance at the previous report, £m.';
COMMENT ON COLUMN finmon.revenue_table_printed.movement IS 'Movement since the previous report, £m.';
