-- Revenue budget monitoring: each council's budget hierarchy and each leaf line's figures per
-- period, loaded through revenue_import and revenue_analysis_import.

CREATE SEQUENCE finmon_data.revenue_node_order;
COMMENT ON SEQUENCE finmon_data.revenue_node_order IS
    'Order in which budget lines first appeared in the imports; reports list rows in this order.';

CREATE TABLE finmon_data.revenue_node (
    council text NOT NULL REFERENCES finmon.council,
    analysis text NOT NULL DEFAULT '',
    path text NOT NULL,
    parent_path text,
    label text NOT NULL,
    depth integer NOT NULL CHECK (depth >= 0),
    sort_key integer[] NOT NULL,
    ancestors text[] NOT NULL,
    PRIMARY KEY (council, analysis, path),
    FOREIGN KEY (council, analysis, parent_path) REFERENCES finmon_data.revenue_node (council, analysis, path)
);
COMMENT ON TABLE finmon_data.revenue_node IS
    'Every node of each council''s budget hierarchies: each loaded line, each of its ancestors and the grand total (path ''''). Filled by the imports; kept when figures are deleted so that row order stays stable.';
COMMENT ON COLUMN finmon_data.revenue_node.council IS 'The council.';
COMMENT ON COLUMN finmon_data.revenue_node.analysis IS
    'Which hierarchy: '''' for the service''s own (whose grand total is the service total), otherwise the name of a memorandum analysis such as ''Purchase of Care by specialism''.';
COMMENT ON COLUMN finmon_data.revenue_node.path IS 'Names from the top of the hierarchy joined by '' > ''; '''' is the grand total.';
COMMENT ON COLUMN finmon_data.revenue_node.parent_path IS 'The parent node''s path; NULL only for the grand total.';
COMMENT ON COLUMN finmon_data.revenue_node.label IS 'The node''s own name (the last part of its path); ''Total'' for the grand total.';
COMMENT ON COLUMN finmon_data.revenue_node.depth IS 'Number of names in the path: 0 for the grand total, 1 for a top-level expenditure area.';
COMMENT ON COLUMN finmon_data.revenue_node.sort_key IS 'Outline order: the parent''s sort key followed by this node''s place in the order of first appearance.';
COMMENT ON COLUMN finmon_data.revenue_node.ancestors IS 'Paths of the grand total, every ancestor and the node itself, top down: the nodes a leaf''s figures add into.';

CREATE TABLE finmon_data.revenue (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    analysis text NOT NULL DEFAULT '',
    line text NOT NULL,
    budget numeric NOT NULL,
    forecast_outturn numeric,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, period, analysis, line),
    FOREIGN KEY (council, analysis, line) REFERENCES finmon_data.revenue_node (council, analysis, path)
);
COMMENT ON TABLE finmon_data.revenue IS
    'Budget and forecast outturn of each leaf budget line at each monitoring period, in pounds. Every total is computed from these rows. Loaded through finmon.revenue_import and finmon.revenue_analysis_import.';
COMMENT ON COLUMN finmon_data.revenue.council IS 'The council.';
COMMENT ON COLUMN finmon_data.revenue.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon_data.revenue.period IS 'Monitoring period, 1 (April) to 12 (March, the outturn).';
COMMENT ON COLUMN finmon_data.revenue.analysis IS ''''' for the service''s hierarchy, or the name of a memorandum analysis.';
COMMENT ON COLUMN finmon_data.revenue.line IS 'Path of the leaf budget line.';
COMMENT ON COLUMN finmon_data.revenue.budget IS 'Budget for the year, pounds; income negative.';
COMMENT ON COLUMN finmon_data.revenue.forecast_outturn IS 'Forecast outturn for the year at this period, pounds; at period 12 the actual outturn; NULL for a budget with no forecast (a node above it then has no forecast, variance or movement).';
COMMENT ON COLUMN finmon_data.revenue.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon_data.revenue.import_batch IS 'Which load (one COPY or INSERT statement) last wrote the row.';
COMMENT ON COLUMN finmon_data.revenue.import_row IS 'The row of that load it came from (data rows counted from 1, after any header).';

CREATE INDEX revenue_line_idx ON finmon_data.revenue (council, analysis, line);

SELECT pg_catalog.pg_extension_config_dump('finmon_data.revenue_node', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.revenue', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.revenue_node_order', '');

-- The nodes a line adds into: the grand total and each path from the top down to the line.
CREATE FUNCTION finmon.line_nodes(line text) RETURNS TABLE (path text, parent_path text, label text, depth integer)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 5
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT '', NULL, 'Total', 0
        UNION ALL
        SELECT array_to_string(x.names[1:i], ' > '), array_to_string(x.names[1:i - 1], ' > '), x.names[i], i
          FROM (SELECT string_to_array(line_nodes.line, ' > ') AS names) AS x,
               generate_series(1, cardinality(x.names)) AS i;
    END;
COMMENT ON FUNCTION finmon.line_nodes(text) IS
    'The nodes a line (as finmon.line_path gives it) adds into, with their parents, labels and depths: the grand total '''' and each path from the top down to the line itself (internal).';

-- Registers the nodes of a load's lines that are new, numbered in the order first met (row by
-- row, top down), so that reports list lines in the order they first appeared.
CREATE FUNCTION finmon_data.register_nodes_sql() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN $sql$
WITH n AS (%1$s),
-- the nodes already registered for the load's councils and analyses
known AS MATERIALIZED (
    SELECT x.council, x.analysis, x.path, x.sort_key, x.ancestors
      FROM finmon_data.revenue_node x
      JOIN (SELECT DISTINCT n.council, n.analysis FROM n) k ON k.council = x.council AND k.analysis = x.analysis
),
met AS (
    SELECT n.council, n.analysis, p.path, p.parent_path, p.label, p.depth, min(n.load_row) AS first_row
      FROM n CROSS JOIN LATERAL finmon.line_nodes(n.line) AS p
     GROUP BY n.council, n.analysis, p.path, p.parent_path, p.label, p.depth
),
numbered AS (
    SELECT m.*, CASE WHEN m.depth > 0 THEN nextval('finmon_data.revenue_node_order')::integer END AS number
      FROM (SELECT m.* FROM met m
              LEFT JOIN known x ON x.council = m.council AND x.analysis = m.analysis AND x.path = m.path
             WHERE x.path IS NULL
             ORDER BY m.council, m.analysis, m.first_row, m.depth OFFSET 0) AS m
),
-- every node's number: the new nodes', and the known ones' (the last of their sort keys)
numbers AS (
    SELECT b.council, b.analysis, b.path, b.number FROM numbered b WHERE b.depth > 0
    UNION ALL
    SELECT x.council, x.analysis, x.path, x.sort_key[cardinality(x.sort_key)] FROM known x WHERE cardinality(x.sort_key) > 0
),
-- a new node's sort key is the numbers of the nodes from the top down to it, its ancestors
-- their paths, the grand total's first (no recursion: on a Citus cluster a recursive query
-- cannot be planned beside a distributed table)
tree AS (
    SELECT b.council, b.analysis, b.path, b.parent_path, b.label, b.depth,
           COALESCE(s.sort_key, '{}') AS sort_key, s.ancestors
      FROM numbered b
     CROSS JOIN LATERAL (SELECT array_agg(u.number ORDER BY a.depth) FILTER (WHERE a.depth > 0) AS sort_key,
                                array_agg(a.path ORDER BY a.depth) AS ancestors
                           FROM finmon.line_nodes(b.path) AS a
                           LEFT JOIN numbers u ON u.council = b.council AND u.analysis = b.analysis AND u.path = a.path) AS s
),
added AS (
    INSERT INTO finmon_data.revenue_node (council, analysis, path, parent_path, label, depth, sort_key, ancestors)
    SELECT t.council, t.analysis, t.path, t.parent_path, t.label, t.depth, t.sort_key, t.ancestors FROM tree t
    RETURNING council
),
changed AS (
    INSERT INTO finmon_data.change_log (change, council, table_name, financial_year)
    SELECT nextval('finmon_data.change_number'), a.council, 'revenue_node', NULL FROM (SELECT DISTINCT council FROM added) a
)
SELECT jsonb_build_object('nodes', count(*)) FROM added
$sql$;
COMMENT ON FUNCTION finmon_data.register_nodes_sql() IS
    'The statement that adds a revenue load''s new nodes to finmon_data.revenue_node in order of first appearance (internal: the revenue formats'' prepare step).';

-- A line and one of its ancestors both loaded for one period (in this load, or one in this
-- load and one in an earlier load that this load does not replace).  Each line's ancestors are
-- listed first and then matched to the lines by equality, so that the check grows with the
-- lines and their depth, not with the square of the lines of a period.
CREATE FUNCTION finmon_data.leaf_and_parent_sql() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN $sql$
WITH lines AS MATERIALIZED (
    -- the load's lines, and the lines already loaded for its periods that it does not replace
    -- (each period's rows read through its key, whatever the size of the table)
    SELECT DISTINCT ON (x.council, x.financial_year, x.period, x.analysis, x.line)
           x.load_row, x.council, x.financial_year, x.period, x.analysis, x.line
      FROM (SELECT n.load_row, n.council, n.financial_year, n.period, n.analysis, n.line, 0 AS source FROM n
            UNION ALL
            SELECT NULL, r.council, r.financial_year, r.period, r.analysis, r.line, 1
              FROM (SELECT DISTINCT n.council, n.financial_year, n.period, n.analysis FROM n) AS k
             CROSS JOIN LATERAL (SELECT r.* FROM finmon_data.revenue r
                                  WHERE r.council = k.council AND r.financial_year = k.financial_year
                                    AND r.period = k.period AND r.analysis = k.analysis OFFSET 0) AS r) AS x
     ORDER BY x.council, x.financial_year, x.period, x.analysis, x.line, x.source
),
ancestors AS MATERIALIZED (
    SELECT c.load_row, c.council, c.financial_year, c.period, c.analysis, c.line, p.path AS ancestor
      FROM lines c CROSS JOIN LATERAL finmon.line_nodes(c.line) AS p
     WHERE p.depth > 0 AND p.path <> c.line
)
SELECT GREATEST(c.load_row, a.load_row),
       format('line "%s" is both a leaf and a parent in %s period %s: "%s" is loaded too (%s)',
              CASE WHEN a.load_row IS NULL OR c.load_row > a.load_row THEN c.line ELSE a.line END,
              c.financial_year, c.period,
              CASE WHEN a.load_row IS NULL OR c.load_row > a.load_row THEN a.line ELSE c.line END,
              CASE WHEN a.load_row IS NULL OR c.load_row IS NULL THEN 'by an earlier load'
                   ELSE format('row %s', LEAST(c.load_row, a.load_row)) END),
       'Load figures for leaf lines only; totals are computed. To restructure a period, delete its figures first: finmon.delete_figures(''revenue'', financial_year, period).'
  FROM ancestors c
  JOIN lines a ON a.council = c.council AND a.financial_year = c.financial_year AND a.period = c.period
              AND a.analysis = c.analysis AND a.line = c.ancestor
 WHERE c.load_row IS NOT NULL OR a.load_row IS NOT NULL
$sql$;
COMMENT ON FUNCTION finmon_data.leaf_and_parent_sql() IS
    'The check of a revenue load for a line loaded as both a leaf and a parent in one period (internal).';

INSERT INTO finmon_data.import_format (format, target, timing, capability, row_filter, key_description, prepare, description, file_order) VALUES
    ('revenue', 'revenue', 'period', 'finmon_editor', 'x.analysis = ''''',
     'format(''line "%s" for %s period %s'', line, financial_year, period)', finmon_data.register_nodes_sql(),
     'Load revenue.csv here: \copy finmon.revenue_import FROM ''revenue.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,line,budget,forecast_outturn; leaf lines only, amounts in pounds. A row for a line and period already loaded replaces it; a bad row fails the whole load. Always reads as empty.', 10),
    ('revenue_analysis', 'revenue', 'period', 'finmon_editor', 'x.analysis <> ''''',
     'format(''line "%s" of %s for %s period %s'', line, analysis, financial_year, period)', finmon_data.register_nodes_sql(),
     'Load revenue_analysis.csv here: a memorandum analysis of part of the service (such as Purchase of Care by specialism) that does not add into the service total. Header council,financial_year,period,analysis,line,budget,forecast_outturn; same rules as revenue_import. Always reads as empty.', 11);

INSERT INTO finmon_data.import_column (format, position, name, kind, hint, expression, description) VALUES
    ('revenue', 1, 'council', 'council', NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('revenue', 2, 'financial_year', 'year', NULL, NULL, 'YYYY-YY, e.g. 2018-19.'),
    ('revenue', 3, 'period', 'period', NULL, NULL, '1 (April) to 12 (March).'),
    ('revenue', 4, 'line', 'line', NULL, NULL, 'Leaf line path, names joined by '' > ''.'),
    ('revenue', 5, 'budget', 'money', NULL, NULL, 'Budget in pounds; income negative.'),
    ('revenue', 6, 'forecast_outturn', 'optional money', NULL, NULL, 'Forecast outturn in pounds; income negative; empty for a budget only (no forecast made, as for an earlier year loaded for last year''s budget).'),
    ('revenue_analysis', 1, 'council', 'council', NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('revenue_analysis', 2, 'financial_year', 'year', NULL, NULL, 'YYYY-YY, e.g. 2018-19.'),
    ('revenue_analysis', 3, 'period', 'period', NULL, NULL, '1 (April) to 12 (March).'),
    ('revenue_analysis', 4, 'analysis', 'text', 'Service figures go in revenue_import; an analysis needs a name.', NULL,
     'Name of the analysis, e.g. Purchase of Care by specialism.'),
    ('revenue_analysis', 5, 'line', 'line', NULL, NULL, 'Leaf line path within the analysis, names joined by '' > ''.'),
    ('revenue_analysis', 6, 'budget', 'money', NULL, NULL, 'Budget in pounds; income negative.'),
    ('revenue_analysis', 7, 'forecast_outturn', 'optional money', NULL, NULL, 'Forecast outturn in pounds; income negative; empty for a budget only.');

INSERT INTO finmon_data.import_derived (format, target_column, expression) VALUES ('revenue', 'analysis', '''''::text');
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('revenue', 1, '23514', finmon_data.leaf_and_parent_sql()),
    ('revenue_analysis', 1, '23514', finmon_data.leaf_and_parent_sql());

SELECT finmon_data.create_import_view('revenue');
SELECT finmon_data.create_import_view('revenue_analysis');
