-- Revenue budget monitoring: the budget hierarchy and each leaf line's figures per period.

CREATE SEQUENCE finmon.revenue_node_order;
COMMENT ON SEQUENCE finmon.revenue_node_order IS
    'Order in which budget lines first appeared in the imports; reports list rows in this order.';

CREATE TABLE finmon.revenue_node (
    analysis text NOT NULL DEFAULT '',
    path text NOT NULL,
    parent_path text,
    label text NOT NULL,
    depth integer NOT NULL CHECK (depth >= 0),
    sort_key integer[] NOT NULL,
    ancestors text[] NOT NULL,
    PRIMARY KEY (analysis, path),
    FOREIGN KEY (analysis, parent_path) REFERENCES finmon.revenue_node (analysis, path)
);
COMMENT ON TABLE finmon.revenue_node IS
    'Every node of a budget hierarchy: each loaded line, each of its ancestors and the grand total (path ''''). Filled by the imports; kept when figures are deleted so that row order stays stable.';
COMMENT ON COLUMN finmon.revenue_node.analysis IS
    'Which hierarchy: '''' for the service''s own (whose grand total is the service total), otherwise the name of a memorandum analysis such as ''Purchase of Care by specialism''.';
COMMENT ON COLUMN finmon.revenue_node.path IS 'Names from the top of the hierarchy joined by '' > ''; '''' is the grand total.';
COMMENT ON COLUMN finmon.revenue_node.parent_path IS 'The parent node''s path; NULL only for the grand total.';
COMMENT ON COLUMN finmon.revenue_node.label IS 'The node''s own name (the last part of its path); ''Total'' for the grand total.';
COMMENT ON COLUMN finmon.revenue_node.depth IS 'Number of names in the path: 0 for the grand total, 1 for a top-level expenditure area.';
COMMENT ON COLUMN finmon.revenue_node.sort_key IS 'Outline order: the parent''s sort key followed by this node''s place in the order of first appearance.';
COMMENT ON COLUMN finmon.revenue_node.ancestors IS 'Paths of the grand total, every ancestor and the node itself, top down: the nodes a leaf''s figures add into.';

CREATE TABLE finmon.revenue (
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    analysis text NOT NULL DEFAULT '',
    line text NOT NULL,
    budget numeric NOT NULL,
    forecast_outturn numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (financial_year, period, analysis, line),
    FOREIGN KEY (analysis, line) REFERENCES finmon.revenue_node (analysis, path)
);
COMMENT ON TABLE finmon.revenue IS
    'Budget and forecast outturn of each leaf budget line at each monitoring period, in pounds. Every total is computed from these rows. Loaded through finmon.revenue_import and finmon.revenue_analysis_import.';
COMMENT ON COLUMN finmon.revenue.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue.period IS 'Monitoring period, 1 (April) to 12 (March, the outturn).';
COMMENT ON COLUMN finmon.revenue.analysis IS ''''' for the service''s hierarchy, or the name of a memorandum analysis.';
COMMENT ON COLUMN finmon.revenue.line IS 'Path of the leaf budget line.';
COMMENT ON COLUMN finmon.revenue.budget IS 'Budget for the year, pounds; income negative.';
COMMENT ON COLUMN finmon.revenue.forecast_outturn IS 'Forecast outturn for the year at this period, pounds; at period 12 the actual outturn.';
COMMENT ON COLUMN finmon.revenue.loaded_at IS 'When the row was last loaded.';
COMMENT ON COLUMN finmon.revenue.import_batch IS 'Which load (one COPY or INSERT statement) last wrote the row.';
COMMENT ON COLUMN finmon.revenue.import_row IS 'The row of that load it came from (data rows counted from 1, after any header).';

CREATE INDEX revenue_line_idx ON finmon.revenue (analysis, line);

SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_node', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.revenue', '');
SELECT pg_catalog.pg_extension_config_dump('finmon.revenue_node_order', '');

-- Registers a line and its ancestors (in order of first appearance) and returns its path.
CREATE FUNCTION finmon.register_revenue_node(analysis text, names text[]) RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    i integer;
    node_path text := '';
    parent text;
    parent_key integer[];
    parent_ancestors text[];
BEGIN
    INSERT INTO finmon.revenue_node (analysis, path, parent_path, label, depth, sort_key, ancestors)
    VALUES (register_revenue_node.analysis, '', NULL, 'Total', 0, '{}', '{""}')
    ON CONFLICT DO NOTHING;

    FOR i IN 1 .. cardinality(names) LOOP
        parent := node_path;
        node_path := array_to_string(names[1:i], ' > ');
        PERFORM 1 FROM finmon.revenue_node n
         WHERE n.analysis = register_revenue_node.analysis AND n.path = node_path;
        IF NOT FOUND THEN
            SELECT n.sort_key, n.ancestors INTO parent_key, parent_ancestors
              FROM finmon.revenue_node n
             WHERE n.analysis = register_revenue_node.analysis AND n.path = parent;
            INSERT INTO finmon.revenue_node (analysis, path, parent_path, label, depth, sort_key, ancestors)
            VALUES (register_revenue_node.analysis, node_path, parent, names[i], i,
                    parent_key || nextval('finmon.revenue_node_order')::integer,
                    parent_ancestors || node_path);
        END IF;
    END LOOP;
    RETURN node_path;
END;
$$;
COMMENT ON FUNCTION finmon.register_revenue_node(text, text[]) IS
    'Adds a budget line and any missing ancestors to finmon.revenue_node, in order of first appearance, and returns its path (internal, used by the imports).';
