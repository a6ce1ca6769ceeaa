-- Committee tables: which nodes a council's published table shows, in what order and under what
-- labels, is data (finmon.revenue_table and finmon.revenue_table_row), not code.

CREATE TABLE finmon.revenue_table (
    table_name text PRIMARY KEY,
    analysis text,
    title text NOT NULL
);
COMMENT ON TABLE finmon.revenue_table IS
    'A committee table layout, such as a paper''s summary by expenditure area or its Appendix A. Load with \copy finmon.revenue_table FROM ''revenue_tables.csv'' WITH (FORMAT csv, HEADER).';
COMMENT ON COLUMN finmon.revenue_table.table_name IS 'Short name used to select the table.';
COMMENT ON COLUMN finmon.revenue_table.analysis IS 'NULL (empty in the CSV) for the service''s hierarchy, or the memorandum analysis the table shows.';
COMMENT ON COLUMN finmon.revenue_table.title IS 'Title as printed.';

CREATE TABLE finmon.revenue_table_row (
    table_name text NOT NULL REFERENCES finmon.revenue_table ON UPDATE CASCADE ON DELETE CASCADE,
    row_number integer NOT NULL CHECK (row_number > 0),
    row_type text NOT NULL CHECK (row_type IN ('node', 'total', 'heading')),
    label text NOT NULL,
    line text,
    PRIMARY KEY (table_name, row_number),
    CONSTRAINT revenue_table_row_line_check
        CHECK ((row_type = 'node') = (line IS NOT NULL AND line <> ''))
);
COMMENT ON TABLE finmon.revenue_table_row IS
    'The rows of a committee table layout, in printed order. Load with \copy finmon.revenue_table_row FROM ''revenue_table_rows.csv'' WITH (FORMAT csv, HEADER).';
COMMENT ON COLUMN finmon.revenue_table_row.table_name IS 'The table the row belongs to.';
COMMENT ON COLUMN finmon.revenue_table_row.row_number IS 'Position in the printed table, from 1.';
COMMENT ON COLUMN finmon.revenue_table_row.row_type IS '''node'' (figures of the node at line), ''total'' (the grand total of the hierarchy) or ''heading'' (a label with no figures).';
COMMENT ON COLUMN finmon.revenue_table_row.label IS 'The row label as printed.';
COMMENT ON COLUMN finmon.revenue_table_row.line IS 'For a node row, the path of the node (a leaf or any total above leaves); empty otherwise.';

SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_table', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_table_row', '');

CREATE VIEW finmon.revenue_table_report AS
SELECT t.table_name, t.title, p.financial_year, p.period, r.row_number, r.row_type, r.label,
       f.path, f.budget, f.forecast_outturn, f.variance, f.variance_pct, f.previous_period,
       f.previous_variance, f.movement, f.prior_year_actual, f.prior_year_variance
  FROM finmon.revenue_table t
  JOIN finmon.revenue_table_row r ON r.table_name = t.table_name
  JOIN (SELECT DISTINCT financial_year, period, analysis FROM finmon.revenue) p
    ON p.analysis = COALESCE(t.analysis, '')
  LEFT JOIN finmon.revenue_figures f
    ON f.financial_year = p.financial_year AND f.period = p.period AND f.analysis = p.analysis
   AND f.path = CASE r.row_type WHEN 'total' THEN '' WHEN 'node' THEN r.line END;
COMMENT ON VIEW finmon.revenue_table_report IS
    'Each committee table layout filled with the figures of every loaded period, in pounds, for BI tools. Select a table with WHERE table_name = ... AND financial_year = ... AND period = ..., ORDER BY row_number.';
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
SELECT table_name, financial_year, period, row_number, label,
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
