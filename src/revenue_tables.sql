-- Committee tables: which nodes a council's published table shows, in what order and under what
-- labels, is data (finmon_data.revenue_table and finmon_data.revenue_table_row), not code.

CREATE TABLE finmon_data.revenue_table (
    council text NOT NULL REFERENCES finmon.council,
    table_name text NOT NULL,
    analysis text,
    title text NOT NULL,
    variance_sign text NOT NULL DEFAULT 'forecast - budget' CHECK (variance_sign IN ('forecast - budget', 'budget - forecast')),
    unit text NOT NULL DEFAULT 'millions' CHECK (unit IN ('millions', 'thousands', 'pounds')),
    money_places integer CHECK (money_places BETWEEN 0 AND 10),
    percent_places integer CHECK (percent_places BETWEEN 0 AND 10),
    thousands_separator boolean NOT NULL DEFAULT false,
    negatives text NOT NULL DEFAULT 'brackets' CHECK (negatives IN ('brackets', 'minus')),
    zero_budget_percent text,
    periods integer[] CHECK (periods <@ ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, table_name)
);
COMMENT ON TABLE finmon_data.revenue_table IS
    'A council''s committee table layouts, such as a paper''s summary by expenditure area or its Appendix A. Loaded through finmon.revenue_tables_import (revenue_tables.csv).';
COMMENT ON COLUMN finmon_data.revenue_table.council IS 'The council.';
COMMENT ON COLUMN finmon_data.revenue_table.table_name IS 'Short name used to select the table.';
COMMENT ON COLUMN finmon_data.revenue_table.analysis IS 'NULL (empty in the CSV) for the service''s hierarchy, or the memorandum analysis the table shows.';
COMMENT ON COLUMN finmon_data.revenue_table.title IS 'Title as printed.';
COMMENT ON COLUMN finmon_data.revenue_table.variance_sign IS '''forecast - budget'' (an overspend is positive; the default) or ''budget - forecast'' (an underspend is positive, as papers printing "under/(over) spend" do): the sign of every variance, movement and variance % the table shows.';
COMMENT ON COLUMN finmon_data.revenue_table.unit IS 'The unit amounts are printed in: millions (the default), thousands or pounds.';
COMMENT ON COLUMN finmon_data.revenue_table.money_places IS 'Decimal places of printed amounts; NULL for the unit''s usual: 3 for millions, 0 for thousands, 2 for pounds.';
COMMENT ON COLUMN finmon_data.revenue_table.percent_places IS 'Decimal places of printed percentages; NULL for 2.';
COMMENT ON COLUMN finmon_data.revenue_table.thousands_separator IS 'Whether printed amounts group thousands with commas (48,420).';
COMMENT ON COLUMN finmon_data.revenue_table.negatives IS 'How a negative figure is printed: ''brackets'' (the default: (0.163)) or ''minus'' (-0.163).';
COMMENT ON COLUMN finmon_data.revenue_table.zero_budget_percent IS 'What a percentage of a zero budget prints (such as 0.0% or n/a); NULL prints nothing.';
COMMENT ON COLUMN finmon_data.revenue_table.periods IS 'The periods at which the table is used (such as {3,6,9,12}); NULL for every period with figures.';
COMMENT ON COLUMN finmon_data.revenue_table.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon_data.revenue_table.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon_data.revenue_table.import_row IS 'The row of that load it came from.';

CREATE TABLE finmon_data.revenue_table_row (
    council text NOT NULL,
    table_name text NOT NULL,
    row_number integer NOT NULL CHECK (row_number > 0),
    row_type text NOT NULL CHECK (row_type IN ('node', 'total', 'heading')),
    label text NOT NULL,
    line text,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    node_path text GENERATED ALWAYS AS (CASE row_type WHEN 'total' THEN '' WHEN 'node' THEN line END) STORED,
    PRIMARY KEY (council, table_name, row_number),
    FOREIGN KEY (council, table_name) REFERENCES finmon_data.revenue_table (council, table_name),
    CONSTRAINT revenue_table_row_line_check
        CHECK ((row_type = 'node') = (line IS NOT NULL AND line <> ''))
);
COMMENT ON TABLE finmon_data.revenue_table_row IS
    'The rows of a committee table layout, in printed order. Loaded through finmon.revenue_table_rows_import (revenue_table_rows.csv); a load replaces every row of each table it names.';
COMMENT ON COLUMN finmon_data.revenue_table_row.council IS 'The council.';
COMMENT ON COLUMN finmon_data.revenue_table_row.table_name IS 'The table the row belongs to.';
COMMENT ON COLUMN finmon_data.revenue_table_row.row_number IS 'Position in the printed table, from 1.';
COMMENT ON COLUMN finmon_data.revenue_table_row.row_type IS '''node'' (figures of the node at line), ''total'' (the grand total of the hierarchy) or ''heading'' (a label with no figures).';
COMMENT ON COLUMN finmon_data.revenue_table_row.label IS 'The row label as printed ('''' for none).';
COMMENT ON COLUMN finmon_data.revenue_table_row.line IS 'For a node row, the path of the node (a leaf or any total above leaves); NULL otherwise.';
COMMENT ON COLUMN finmon_data.revenue_table_row.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon_data.revenue_table_row.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon_data.revenue_table_row.import_row IS 'The row of that load it came from.';
COMMENT ON COLUMN finmon_data.revenue_table_row.node_path IS 'The path of the node whose figures the row prints: line for a node row, '''' (the grand total) for a total row, NULL for a heading (computed; a column so that the planner joins the rows to the figures by it, with statistics).';

SELECT pg_catalog.pg_extension_config_dump('finmon_data.revenue_table', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.revenue_table_row', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, replaces, key_description, description, file_order) VALUES
    ('revenue_tables', 'revenue_table', 'none', 'finmon_admin', NULL, 'format(''table "%s"'', table_name)',
     'Load revenue_tables.csv here: \copy finmon.revenue_tables_import FROM ''revenue_tables.csv'' WITH (FORMAT csv, HEADER). Header council,table_name,analysis,title,variance_sign,unit,money_places,percent_places,thousands_separator,negatives,zero_budget_percent,periods: one row per committee table; analysis empty for the service hierarchy; the printing conventions may be left empty for the defaults (forecast - budget, millions to 3 places, % to 2, no separators, negatives in brackets, every period). A table already loaded is replaced. For finmon_admin. Always reads as empty.', 20),
    ('revenue_table_rows', 'revenue_table_row', 'none', 'finmon_admin', ARRAY['council', 'table_name'],
     'format(''row %s of table "%s"'', row_number, table_name)',
     'Load revenue_table_rows.csv here: \copy finmon.revenue_table_rows_import FROM ''revenue_table_rows.csv'' WITH (FORMAT csv, HEADER). Header council,table_name,row_number,row_type,label,line; row_type node (figures of the node at line), total (the grand total; line empty) or heading (label only). A load replaces every row of each table it names. For finmon_admin. Always reads as empty.', 21);
INSERT INTO finmon_data.import_column (format, position, name, kind, choices, hint, expression, description) VALUES
    ('revenue_tables', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('revenue_tables', 2, 'table_name', 'text', NULL, NULL, NULL, 'Short name of the table.'),
    ('revenue_tables', 3, 'analysis', 'optional text', NULL, NULL, NULL, 'Empty for the service hierarchy, or the memorandum analysis the table shows.'),
    ('revenue_tables', 4, 'title', 'text', NULL, NULL, NULL, 'Title as printed.'),
    ('revenue_tables', 5, 'variance_sign', 'optional choice', ARRAY['forecast - budget', 'budget - forecast'], NULL,
     'COALESCE(lower(%1$s), ''forecast - budget'')', 'forecast - budget (the default: an overspend is positive) or budget - forecast.'),
    ('revenue_tables', 6, 'unit', 'optional choice', ARRAY['millions', 'thousands', 'pounds'], NULL,
     'COALESCE(lower(%1$s), ''millions'')', 'millions (the default), thousands or pounds.'),
    ('revenue_tables', 7, 'money_places', 'places', NULL, NULL, NULL, 'Decimal places of amounts; empty for the unit''s usual (3 for millions, 0 for thousands, 2 for pounds).'),
    ('revenue_tables', 8, 'percent_places', 'places', NULL, NULL, NULL, 'Decimal places of percentages; empty for 2.'),
    ('revenue_tables', 9, 'thousands_separator', 'boolean', NULL, NULL, NULL, 'true to group thousands with commas; empty for false.'),
    ('revenue_tables', 10, 'negatives', 'optional choice', ARRAY['brackets', 'minus'], NULL,
     'COALESCE(lower(%1$s), ''brackets'')', 'brackets (the default) or minus.'),
    ('revenue_tables', 11, 'zero_budget_percent', 'optional text', NULL, NULL, NULL, 'What a percentage of a zero budget prints (0.0%, n/a); empty prints nothing.'),
    ('revenue_tables', 12, 'periods', 'periods', NULL, NULL, NULL, 'The periods the table is used at, such as "3 6 9 12"; empty for every period.'),
    ('revenue_table_rows', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('revenue_table_rows', 2, 'table_name', 'text', NULL, NULL, NULL, 'The table (revenue_tables.csv).'),
    ('revenue_table_rows', 3, 'row_number', 'whole', NULL, NULL, NULL, 'Position in the printed table, from 1.'),
    ('revenue_table_rows', 4, 'row_type', 'choice', ARRAY['node', 'total', 'heading'], NULL, NULL, 'node, total or heading.'),
    ('revenue_table_rows', 5, 'label', 'optional text', NULL, NULL, 'COALESCE(%1$s, '''')', 'The row label as printed; may be empty.'),
    ('revenue_table_rows', 6, 'line', 'optional line', NULL, NULL, 'NULLIF(%1$s, '''')', 'For a node row, the node''s path; empty otherwise.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('revenue_table_rows', 1, '23503', $sql$
SELECT n.load_row, format('table "%s" is not a layout of council %s', n.table_name, n.council),
       'Load the table into finmon.revenue_tables_import (revenue_tables.csv) first.'
  FROM n
  LEFT JOIN finmon_data.revenue_table t ON t.council = n.council AND t.table_name = n.table_name
 WHERE t.table_name IS NULL
$sql$),
    ('revenue_table_rows', 2, '23514', $sql$
SELECT n.load_row,
       CASE WHEN n.row_type = 'node' THEN 'a node row needs a line' ELSE format('a %s row has no line, but line is "%s"', n.row_type, n.line) END,
       'A node row shows the node at line; a total or heading row leaves line empty.'
  FROM n
 WHERE (n.row_type = 'node') <> (n.line IS NOT NULL)
$sql$);
SELECT finmon_data.create_import_view('revenue_tables');
SELECT finmon_data.create_import_view('revenue_table_rows');

-- The columns a committee table may show, and the columns each table shows.

CREATE TABLE finmon.revenue_column (
    column_name text PRIMARY KEY,
    default_position integer UNIQUE,
    kind text NOT NULL CHECK (kind IN ('money', 'percent', 'text')),
    signed boolean NOT NULL,
    heading text NOT NULL,
    description text NOT NULL
);
COMMENT ON TABLE finmon.revenue_column IS
    'The columns a committee table layout may show (finmon_data.revenue_table_column), with their default headings; the columns with a default_position are those of a layout that names none. Shared by every council.';
COMMENT ON COLUMN finmon.revenue_column.column_name IS 'The column''s name, as revenue_table_report and revenue_table_printed name it.';
COMMENT ON COLUMN finmon.revenue_column.default_position IS 'Its place among the columns of a layout that names none (today''s columns); NULL if such a layout does not show it.';
COMMENT ON COLUMN finmon.revenue_column.kind IS 'money (printed in the layout''s unit), percent, or text.';
COMMENT ON COLUMN finmon.revenue_column.signed IS 'Whether the layout''s variance_sign applies to it.';
COMMENT ON COLUMN finmon.revenue_column.heading IS 'Its heading when the layout gives none.';
COMMENT ON COLUMN finmon.revenue_column.description IS 'What it holds.';
INSERT INTO finmon.revenue_column (column_name, default_position, kind, signed, heading, description) VALUES
    ('prior_year_budget', NULL, 'money', false, 'Last year''s budget', 'Last year''s budget (its period 12 budget).'),
    ('prior_year_actual', 1, 'money', false, 'Last year''s actual', 'Last year''s outturn (its period 12 forecast outturn).'),
    ('prior_year_variance', 2, 'money', true, 'Last year''s variance', 'Last year''s variance at outturn.'),
    ('prior_year_actual_to_date', NULL, 'money', false, 'Last year''s actual to date', 'Last year''s actual to the end of the same period.'),
    ('prior_year_pct_spent', NULL, 'percent', false, 'Last year''s % spent', 'Last year''s actual to the same period as a % of last year''s budget.'),
    ('budget', 3, 'money', false, 'Budget', 'The budget for the year.'),
    ('forecast_outturn', 4, 'money', false, 'Forecast outturn', 'The forecast outturn.'),
    ('variance', 5, 'money', true, 'Variance', 'The forecast variance.'),
    ('variance_pct', 6, 'percent', true, 'Variance %', 'The variance as a % of the budget.'),
    ('previous_variance', 7, 'money', true, 'Previous variance', 'The variance at the previous report.'),
    ('movement', 8, 'money', true, 'Movement', 'The movement in the variance since the previous report.'),
    ('budget_to_date', NULL, 'money', false, 'Budget to date', 'The budget profiled to the end of the period.'),
    ('actual_to_date', NULL, 'money', false, 'Actual to date', 'Actual spend from April to the end of the period.'),
    ('variance_to_date', NULL, 'money', true, 'Variance to date', 'Actual to date against budget to date.'),
    ('pct_spent', NULL, 'percent', false, '% spent', 'Actual to date as a % of the year''s budget.'),
    ('budget_remaining', NULL, 'money', false, 'Budget remaining', 'Budget less actual to date.'),
    ('commentary', NULL, 'text', false, 'Commentary', 'The commentary on the row''s node at the period (finmon_data.commentary).');

CREATE TABLE finmon_data.revenue_table_column (
    council text NOT NULL,
    table_name text NOT NULL,
    position integer NOT NULL CHECK (position > 0),
    column_name text NOT NULL REFERENCES finmon.revenue_column,
    heading text,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, table_name, position),
    FOREIGN KEY (council, table_name) REFERENCES finmon_data.revenue_table (council, table_name)
);
COMMENT ON TABLE finmon_data.revenue_table_column IS
    'The columns of a committee table layout, after the row labels, in printed order with their headings. A layout with none shows finmon.revenue_column''s default columns. Loaded through finmon.revenue_table_columns_import (revenue_table_columns.csv); a load replaces every column of each table it names (so a table shows each column once: a load naming one twice is refused).';
COMMENT ON COLUMN finmon_data.revenue_table_column.council IS 'The council.';
COMMENT ON COLUMN finmon_data.revenue_table_column.table_name IS 'The table the column belongs to.';
COMMENT ON COLUMN finmon_data.revenue_table_column.position IS 'Position after the row labels, from 1.';
COMMENT ON COLUMN finmon_data.revenue_table_column.column_name IS 'Which column (finmon.revenue_column).';
COMMENT ON COLUMN finmon_data.revenue_table_column.heading IS 'Its heading as printed; NULL for finmon.revenue_column''s.';
COMMENT ON COLUMN finmon_data.revenue_table_column.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon_data.revenue_table_column.import_batch IS 'The load that last wrote the row.';
COMMENT ON COLUMN finmon_data.revenue_table_column.import_row IS 'The row of that load it came from.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.revenue_table_column', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, replaces, key_description, description, file_order) VALUES
    ('revenue_table_columns', 'revenue_table_column', 'none', 'finmon_admin', ARRAY['council', 'table_name'],
     'format(''column %s of table "%s"'', position, table_name)',
     'Load revenue_table_columns.csv here: \copy finmon.revenue_table_columns_import FROM ''revenue_table_columns.csv'' WITH (FORMAT csv, HEADER). Header council,table_name,position,column_name,heading: the columns a table prints after its row labels, in order; column_name one of finmon.revenue_column''s; heading empty for its default. A load replaces every column of each table it names. For finmon_admin. Always reads as empty.', 22);
INSERT INTO finmon_data.import_column (format, position, name, kind, choices, hint, expression, description) VALUES
    ('revenue_table_columns', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('revenue_table_columns', 2, 'table_name', 'text', NULL, NULL, NULL, 'The table (revenue_tables.csv).'),
    ('revenue_table_columns', 3, 'position', 'whole', NULL, NULL, NULL, 'Position after the row labels, from 1.'),
    ('revenue_table_columns', 4, 'column_name', 'choice',
     ARRAY['prior_year_budget', 'prior_year_actual', 'prior_year_variance', 'prior_year_actual_to_date', 'prior_year_pct_spent',
           'budget', 'forecast_outturn', 'variance', 'variance_pct', 'previous_variance', 'movement', 'budget_to_date',
           'actual_to_date', 'variance_to_date', 'pct_spent', 'budget_remaining', 'commentary'],
     'The columns are those of finmon.revenue_column.', NULL, 'Which column.'),
    ('revenue_table_columns', 5, 'heading', 'optional text', NULL, NULL, NULL, 'The heading as printed; empty for the column''s default.');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('revenue_table_columns', 1, '23503', $sql$
SELECT n.load_row, format('table "%s" is not a layout of council %s', n.table_name, n.council),
       'Load the table into finmon.revenue_tables_import (revenue_tables.csv) first.'
  FROM n
  LEFT JOIN finmon_data.revenue_table t ON t.council = n.council AND t.table_name = n.table_name
 WHERE t.table_name IS NULL
$sql$),
    ('revenue_table_columns', 2, '23505', $sql$
SELECT d.load_row, format('column %s is already column %s of table "%s"', d.column_name, d.first_position, d.table_name),
       'A table shows each column once.'
  FROM (SELECT n.load_row, n.table_name, n.column_name,
               pg_catalog.first_value(n.position) OVER w AS first_position,
               pg_catalog.row_number() OVER w AS k
          FROM n
        WINDOW w AS (PARTITION BY n.council, n.table_name, n.column_name ORDER BY n.load_row)) AS d
 WHERE d.k > 1
$sql$);
SELECT finmon_data.create_import_view('revenue_table_columns');

-- The columns each layout shows: its own, or the default ones.
CREATE VIEW finmon.revenue_table_columns AS
SELECT t.council, t.table_name, c.position, c.column_name, COALESCE(c.heading, d.heading) AS heading, d.kind
  FROM finmon_data.revenue_table t
  JOIN finmon_data.revenue_table_column c ON c.council = t.council AND c.table_name = t.table_name
  JOIN finmon.revenue_column d ON d.column_name = c.column_name
UNION ALL
SELECT t.council, t.table_name, d.default_position, d.column_name, d.heading, d.kind
  FROM finmon_data.revenue_table t
  JOIN finmon.revenue_column d ON d.default_position IS NOT NULL
 WHERE NOT EXISTS (SELECT FROM finmon_data.revenue_table_column c WHERE c.council = t.council AND c.table_name = t.table_name);
COMMENT ON VIEW finmon.revenue_table_columns IS
    'The columns each committee table layout prints after its row labels, in order, with their headings: the layout''s own (finmon_data.revenue_table_column), or finmon.revenue_column''s default columns.';
COMMENT ON COLUMN finmon.revenue_table_columns.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_table_columns.table_name IS 'The layout''s short name.';
COMMENT ON COLUMN finmon.revenue_table_columns.position IS 'Printed order after the row labels.';
COMMENT ON COLUMN finmon.revenue_table_columns.column_name IS 'The column (finmon.revenue_column).';
COMMENT ON COLUMN finmon.revenue_table_columns.heading IS 'Its heading as printed.';
COMMENT ON COLUMN finmon.revenue_table_columns.kind IS 'money, percent or text.';

-- Whether a table is used at a period, estimated by the planner as keeping every row.
CREATE FUNCTION finmon.table_used_at_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_council_visible_support'
    LANGUAGE C STRICT;
COMMENT ON FUNCTION finmon.table_used_at_support(internal) IS
    'The planner''s estimate of finmon.table_used_at: every row passes (the same estimate as council_visible''s) (internal).';
CREATE FUNCTION finmon.table_used_at(periods integer[], period integer) RETURNS boolean
    AS 'MODULE_PATHNAME', 'finmon_table_used_at'
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    SUPPORT finmon.table_used_at_support;
COMMENT ON FUNCTION finmon.table_used_at(integer[], integer) IS
    'Whether a committee table used at periods (NULL: every period) is used at period; planned as keeping every row, so that the few periods a table drops do not make the planner expect a handful of figures.';

-- Each layout filled with the figures of every period it is used at, forecast - budget, before
-- the layout's other conventions (kept by finmon_data.revenue_table_figures_period).  A table used at
-- some periods only reports its movement since the last of them in the year.
CREATE VIEW finmon_data.revenue_table_figures AS
SELECT t.council, t.table_name, t.title, p.financial_year, p.period, r.row_number, r.row_type, r.label,
       f.path, f.budget, f.forecast_outturn, f.variance, f.variance_pct,
       CASE WHEN t.periods IS NULL THEN f.previous_period ELSE pg_catalog.lag(p.period) OVER used END AS previous_period,
       CASE WHEN t.periods IS NULL THEN f.previous_variance ELSE pg_catalog.lag(f.variance) OVER used END AS previous_variance,
       CASE WHEN t.periods IS NULL THEN f.movement ELSE f.variance - pg_catalog.lag(f.variance) OVER used END AS movement,
       f.prior_year_actual, f.prior_year_variance, f.prior_year_budget
  FROM finmon_data.revenue_table t
  JOIN finmon_data.revenue_table_row r ON r.council = t.council AND r.table_name = t.table_name
  JOIN (SELECT DISTINCT x.council, x.financial_year, x.period, x.analysis FROM finmon_data.revenue x) p
    ON p.council = t.council AND p.analysis = COALESCE(t.analysis, '')
  LEFT JOIN finmon_data.revenue_figures f
    ON f.council = p.council AND f.financial_year = p.financial_year AND f.period = p.period AND f.analysis = p.analysis
   AND f.path = r.node_path
 WHERE finmon.table_used_at(t.periods, p.period)
WINDOW used AS (PARTITION BY t.council, t.table_name, p.financial_year, r.row_number ORDER BY p.period);
COMMENT ON VIEW finmon_data.revenue_table_figures IS
    'Each committee table layout filled with the budget and forecast figures of every period it is used at, variances as forecast - budget (internal: revenue_table_report applies the layout''s other conventions).';

-- revenue_table_report over the figures and spend to date, live or as of the last refresh.
CREATE FUNCTION finmon_data.revenue_table_report_sql(figures text, to_date text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN format($sql$
SELECT f.council, f.table_name, f.title, f.financial_year, f.period, f.row_number, f.row_type, f.label, f.path,
       f.budget, f.forecast_outturn, s.sign * f.variance AS variance, s.sign * f.variance_pct AS variance_pct,
       f.previous_period, s.sign * f.previous_variance AS previous_variance, s.sign * f.movement AS movement,
       f.prior_year_actual, s.sign * f.prior_year_variance AS prior_year_variance, f.prior_year_budget,
       d.profiled_budget_to_date AS budget_to_date, d.actual_to_date,
       s.sign * (d.actual_to_date - d.profiled_budget_to_date) AS variance_to_date,
       CASE WHEN f.budget <> 0 THEN d.actual_to_date * 100 / f.budget END AS pct_spent,
       f.budget - d.actual_to_date AS budget_remaining,
       y.actual_to_date AS prior_year_actual_to_date,
       CASE WHEN f.prior_year_budget <> 0 THEN y.actual_to_date * 100 / f.prior_year_budget END AS prior_year_pct_spent,
       c.commentary, t.variance_sign
  FROM %1$s f
  JOIN finmon_data.revenue_table t ON t.council = f.council AND t.table_name = f.table_name
 CROSS JOIN LATERAL (SELECT CASE t.variance_sign WHEN 'budget - forecast' THEN -1 ELSE 1 END AS sign) s
  LEFT JOIN %2$s d
         ON t.analysis IS NULL AND d.council = f.council AND d.financial_year = f.financial_year
        AND d.period = f.period AND d.path = f.path
  LEFT JOIN %2$s y
         ON t.analysis IS NULL AND y.council = f.council
        AND y.financial_year = CASE WHEN f.financial_year <> '0001-02' THEN finmon.previous_financial_year(f.financial_year) END
        AND y.period = f.period AND y.path = f.path
  LEFT JOIN finmon_data.commentary c
         ON t.analysis IS NULL AND c.council = f.council AND c.financial_year = f.financial_year
        AND c.period = f.period AND c.line = f.path
$sql$, figures, to_date);
COMMENT ON FUNCTION finmon_data.revenue_table_report_sql(text, text) IS
    'The query of revenue_table_report (over revenue_table_figures and revenue_to_date) and of revenue_table_period (over the tables the refresh keeps) (internal: used when finmon is installed).';

DO $$ BEGIN
    EXECUTE 'CREATE VIEW finmon.revenue_table_report AS '
            || finmon_data.revenue_table_report_sql('finmon_data.revenue_table_figures', 'finmon_data.revenue_to_date');
END $$;
COMMENT ON VIEW finmon.revenue_table_report IS
    'Each committee table layout filled with the figures of every period it is used at, in pounds, in the layout''s variance sign, for BI tools. Select a table with WHERE council = ... AND table_name = ... AND financial_year = ... AND period = ..., ORDER BY row_number.';
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
COMMENT ON COLUMN finmon.revenue_table_report.variance IS 'Variance to budget, pounds: forecast - budget (positive is adverse), or budget - forecast where the layout''s variance_sign says so.';
COMMENT ON COLUMN finmon.revenue_table_report.variance_pct IS 'Variance as % of budget, in the variance''s sign.';
COMMENT ON COLUMN finmon.revenue_table_report.previous_period IS 'The period of the previous report: for a table used at some periods only, the last of them before this one in the year.';
COMMENT ON COLUMN finmon.revenue_table_report.previous_variance IS 'Variance at the previous report, pounds, in the variance''s sign.';
COMMENT ON COLUMN finmon.revenue_table_report.movement IS 'Movement in the variance since the previous report, pounds, in the variance''s sign.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_actual IS 'Last year''s actual (outturn), pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_variance IS 'Last year''s over/underspend at outturn, pounds, in the variance''s sign.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_budget IS 'Last year''s budget (its period 12 budget), pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.budget_to_date IS 'The budget profiled to the end of the period (finmon_data.budget_profile, or an even spread), pounds; NULL for an analysis.';
COMMENT ON COLUMN finmon.revenue_table_report.actual_to_date IS 'Actual spend from April to the end of the period (actuals.csv at a period that has them, else the ledger), pounds; NULL when neither is loaded.';
COMMENT ON COLUMN finmon.revenue_table_report.variance_to_date IS 'actual_to_date - budget_to_date, pounds, in the variance''s sign.';
COMMENT ON COLUMN finmon.revenue_table_report.pct_spent IS 'actual_to_date as a % of the year''s budget; NULL when the budget is zero.';
COMMENT ON COLUMN finmon.revenue_table_report.budget_remaining IS 'budget - actual_to_date, pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_actual_to_date IS 'Last year''s actual to the end of the same period (at last year''s report of that period), pounds.';
COMMENT ON COLUMN finmon.revenue_table_report.prior_year_pct_spent IS 'prior_year_actual_to_date as a % of prior_year_budget.';
COMMENT ON COLUMN finmon.revenue_table_report.commentary IS 'The commentary on the node at the period (finmon_data.commentary); NULL for an analysis.';
COMMENT ON COLUMN finmon.revenue_table_report.variance_sign IS 'The layout''s variance sign: forecast - budget or budget - forecast.';
SELECT finmon_data.copy_column_comments('finmon.revenue_table_report', 'finmon_data.revenue_table_figures');
COMMENT ON COLUMN finmon_data.revenue_table_figures.variance IS 'forecast_outturn - budget, pounds.';
COMMENT ON COLUMN finmon_data.revenue_table_figures.variance_pct IS 'variance / budget * 100.';
COMMENT ON COLUMN finmon_data.revenue_table_figures.previous_variance IS 'forecast_outturn - budget at the previous report, pounds.';
COMMENT ON COLUMN finmon_data.revenue_table_figures.movement IS 'variance - previous_variance, pounds.';
COMMENT ON COLUMN finmon_data.revenue_table_figures.prior_year_variance IS 'Last year''s forecast_outturn - budget at period 12, pounds.';

-- A figure as a layout prints it.
CREATE FUNCTION finmon.format_figure(amount numeric, kind text, layout finmon_data.revenue_table, base numeric DEFAULT NULL)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE kind
    WHEN 'money' THEN finmon.format_money(amount, layout.unit,
                                          COALESCE(layout.money_places, CASE layout.unit WHEN 'millions' THEN 3 WHEN 'thousands' THEN 0 ELSE 2 END),
                                          layout.thousands_separator, layout.negatives)
    WHEN 'percent' THEN CASE WHEN base = 0 THEN layout.zero_budget_percent
                             ELSE finmon.format_percent(amount, COALESCE(layout.percent_places, 2), layout.negatives) END
END;
COMMENT ON FUNCTION finmon.format_figure(numeric, text, finmon_data.revenue_table, numeric) IS
    'An amount (kind money) or a percentage of base (kind percent) printed in a committee table layout''s conventions: its unit, places, separators and negatives, and what a percentage of a zero base prints.';

CREATE VIEW finmon.revenue_table_printed AS
SELECT r.council, r.table_name, r.financial_year, r.period, r.row_number, r.label,
       finmon.format_figure(r.prior_year_actual, 'money', t.layout) AS prior_year_actual,
       finmon.format_figure(r.prior_year_variance, 'money', t.layout) AS prior_year_variance,
       finmon.format_figure(r.budget, 'money', t.layout) AS budget,
       finmon.format_figure(r.forecast_outturn, 'money', t.layout) AS forecast_outturn,
       finmon.format_figure(r.variance, 'money', t.layout) AS variance,
       finmon.format_figure(r.variance_pct, 'percent', t.layout, r.budget) AS variance_pct,
       finmon.format_figure(r.previous_variance, 'money', t.layout) AS previous_variance,
       finmon.format_figure(r.movement, 'money', t.layout) AS movement,
       finmon.format_figure(r.prior_year_budget, 'money', t.layout) AS prior_year_budget,
       finmon.format_figure(r.budget_to_date, 'money', t.layout) AS budget_to_date,
       finmon.format_figure(r.actual_to_date, 'money', t.layout) AS actual_to_date,
       finmon.format_figure(r.variance_to_date, 'money', t.layout) AS variance_to_date,
       finmon.format_figure(r.pct_spent, 'percent', t.layout, CASE WHEN r.actual_to_date IS NOT NULL THEN r.budget END) AS pct_spent,
       finmon.format_figure(r.budget_remaining, 'money', t.layout) AS budget_remaining,
       finmon.format_figure(r.prior_year_actual_to_date, 'money', t.layout) AS prior_year_actual_to_date,
       finmon.format_figure(r.prior_year_pct_spent, 'percent', t.layout,
                            CASE WHEN r.prior_year_actual_to_date IS NOT NULL THEN r.prior_year_budget END) AS prior_year_pct_spent,
       r.commentary
  FROM finmon.revenue_table_report r
  -- the layout as a value of its table's row type, not a whole-row reference: on a Citus
  -- worker a whole-row reference has the shard's row type, which format_figure does not take
  JOIN (SELECT l.council, l.table_name, ROW(l.*)::finmon_data.revenue_table AS layout
          FROM finmon_data.revenue_table l) t ON t.council = r.council AND t.table_name = r.table_name;
COMMENT ON VIEW finmon.revenue_table_printed IS
    'The committee tables as printed, in each layout''s conventions (by default £m to 3 decimal places with negatives in brackets, percentages to 2 places, variance forecast - budget). ORDER BY row_number. finmon.revenue_table_cells gives each layout''s own columns in order with their headings.';
SELECT finmon_data.copy_column_comments('finmon.revenue_table_report', 'finmon.revenue_table_printed');
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_actual IS 'Last year''s actual, printed in the layout''s unit.';
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_variance IS 'Last year''s over/underspend at outturn, printed in the layout''s unit and variance sign.';
COMMENT ON COLUMN finmon.revenue_table_printed.budget IS 'Budget, printed in the layout''s unit.';
COMMENT ON COLUMN finmon.revenue_table_printed.forecast_outturn IS 'Forecast outturn, printed in the layout''s unit.';
COMMENT ON COLUMN finmon.revenue_table_printed.variance IS 'Variance to budget, printed in the layout''s unit and variance sign (by default positive is adverse, negative in brackets).';
COMMENT ON COLUMN finmon.revenue_table_printed.variance_pct IS 'Variance as % of budget; for a zero budget, the layout''s zero_budget_percent.';
COMMENT ON COLUMN finmon.revenue_table_printed.previous_variance IS 'Variance at the previous report, printed in the layout''s unit and variance sign.';
COMMENT ON COLUMN finmon.revenue_table_printed.movement IS 'Movement since the previous report, printed in the layout''s unit and variance sign.';
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_budget IS 'Last year''s budget, printed in the layout''s unit.';
COMMENT ON COLUMN finmon.revenue_table_printed.budget_to_date IS 'Budget to date, printed in the layout''s unit.';
COMMENT ON COLUMN finmon.revenue_table_printed.actual_to_date IS 'Actual to date, printed in the layout''s unit.';
COMMENT ON COLUMN finmon.revenue_table_printed.variance_to_date IS 'Variance to date, printed in the layout''s unit and variance sign.';
COMMENT ON COLUMN finmon.revenue_table_printed.pct_spent IS '% of the budget spent to date; for a zero budget, the layout''s zero_budget_percent.';
COMMENT ON COLUMN finmon.revenue_table_printed.budget_remaining IS 'Budget remaining, printed in the layout''s unit.';
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_actual_to_date IS 'Last year''s actual to the same period, printed in the layout''s unit.';
COMMENT ON COLUMN finmon.revenue_table_printed.prior_year_pct_spent IS 'Last year''s % spent to the same period.';

-- Each layout's own columns, cell by cell.
CREATE VIEW finmon.revenue_table_cells AS
SELECT p.council, p.table_name, p.financial_year, p.period, p.row_number, p.label, c.position, c.column_name, c.heading,
       CASE c.column_name
           WHEN 'prior_year_budget' THEN p.prior_year_budget WHEN 'prior_year_actual' THEN p.prior_year_actual
           WHEN 'prior_year_variance' THEN p.prior_year_variance WHEN 'prior_year_actual_to_date' THEN p.prior_year_actual_to_date
           WHEN 'prior_year_pct_spent' THEN p.prior_year_pct_spent WHEN 'budget' THEN p.budget
           WHEN 'forecast_outturn' THEN p.forecast_outturn WHEN 'variance' THEN p.variance
           WHEN 'variance_pct' THEN p.variance_pct WHEN 'previous_variance' THEN p.previous_variance
           WHEN 'movement' THEN p.movement WHEN 'budget_to_date' THEN p.budget_to_date
           WHEN 'actual_to_date' THEN p.actual_to_date WHEN 'variance_to_date' THEN p.variance_to_date
           WHEN 'pct_spent' THEN p.pct_spent WHEN 'budget_remaining' THEN p.budget_remaining
           WHEN 'commentary' THEN p.commentary
       END AS printed
  FROM finmon.revenue_table_printed p
  JOIN finmon.revenue_table_columns c ON c.council = p.council AND c.table_name = p.table_name;
COMMENT ON VIEW finmon.revenue_table_cells IS
    'The committee tables as printed, one row per table row and column of the layout (finmon.revenue_table_columns), for reports that lay a table out themselves: ORDER BY row_number, position. finmon.revenue_table_text() prints it.';
COMMENT ON COLUMN finmon.revenue_table_cells.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_table_cells.table_name IS 'The layout''s short name.';
COMMENT ON COLUMN finmon.revenue_table_cells.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_table_cells.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.revenue_table_cells.row_number IS 'The row''s printed order.';
COMMENT ON COLUMN finmon.revenue_table_cells.label IS 'Row label as printed.';
COMMENT ON COLUMN finmon.revenue_table_cells.position IS 'The column''s printed order after the labels.';
COMMENT ON COLUMN finmon.revenue_table_cells.column_name IS 'The column (finmon.revenue_column).';
COMMENT ON COLUMN finmon.revenue_table_cells.heading IS 'The column''s heading.';
COMMENT ON COLUMN finmon.revenue_table_cells.printed IS 'The cell as printed, in the layout''s conventions; NULL for an empty cell.';

CREATE FUNCTION finmon.revenue_table_text(table_name text, financial_year text, period integer, council text DEFAULT NULL)
    RETURNS SETOF text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    the_council text := COALESCE(council, finmon.default_council());
BEGIN
    IF NOT EXISTS (SELECT FROM finmon.revenue_table_columns t WHERE t.council = the_council AND t.table_name = revenue_table_text.table_name) THEN
        RAISE EXCEPTION 'table "%" is not a layout of council %', revenue_table_text.table_name, the_council
            USING ERRCODE = '42704', HINT = 'The layouts a role may read are in finmon.revenue_table_columns.';
    END IF;
    RETURN QUERY
    WITH cells AS MATERIALIZED (
        SELECT c.row_number, c.label, c.position, c.heading, COALESCE(c.printed, '') AS printed, k.kind
          FROM finmon.revenue_table_cells c
          JOIN finmon.revenue_column k ON k.column_name = c.column_name
         WHERE c.council = the_council AND c.table_name = revenue_table_text.table_name
           AND c.financial_year = revenue_table_text.financial_year AND c.period = revenue_table_text.period
    ),
    widths AS (
        SELECT x.position, greatest(max(length(x.printed)), max(length(x.heading))) AS width
          FROM cells x GROUP BY x.position
    ),
    label_width AS (
        SELECT max(length(x.label)) AS width FROM cells x
    ),
    lines AS (
        SELECT DISTINCT 0 AS row_number, '' AS label, x.position, x.heading AS cell, x.kind FROM cells x
        UNION ALL
        SELECT x.row_number, x.label, x.position, x.printed, x.kind FROM cells x
    )
    SELECT z.line FROM (
        SELECT -1 AS k, t.title || ': ' || revenue_table_text.financial_year || ' period ' || revenue_table_text.period AS line
          FROM (SELECT r.title FROM finmon.revenue_table_report r
                 WHERE r.council = the_council AND r.table_name = revenue_table_text.table_name
                   AND r.financial_year = revenue_table_text.financial_year AND r.period = revenue_table_text.period
                 LIMIT 1) AS t
        UNION ALL
        SELECT l.row_number,
               rtrim(rpad(l.label, lw.width) || string_agg(CASE l.kind WHEN 'text' THEN '  ' || rpad(l.cell, w.width)
                                                                   ELSE '  ' || lpad(l.cell, w.width) END, '' ORDER BY l.position))
          FROM lines l
          JOIN widths w ON w.position = l.position
         CROSS JOIN label_width lw
         GROUP BY l.row_number, l.label, lw.width
    ) AS z
     ORDER BY z.k;
END;
$$;
COMMENT ON FUNCTION finmon.revenue_table_text(text, text, integer, text) IS
    'A committee table as printed, as lines of text: its title, the headings, then each row with its label and the layout''s columns, amounts aligned right. The council is the one named, or finmon.default_council(); no lines when the table is not used at the period or has no figures.';
