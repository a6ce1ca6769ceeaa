-- The revenue report: every node of every hierarchy of every council at every loaded period,
-- totalled from its leaves.
--
-- Every window of revenue_figures is partitioned by council and financial year, so a query for
-- one council and year (a committee table, revenue_report for a period) computes that year alone:
-- PostgreSQL pushes a condition on a partitioning column below the windows, and so below the
-- totals, to the index on revenue.  Last year's outturn therefore does not come from a window
-- across the years: each year's rows carry, as extra rows marked is_prior, the previous year's
-- period 12 totals of the same nodes, and a window over the year picks them up.  The previous
-- year is found by joining the years loaded, so that the planner estimates those rows from
-- revenue's statistics; and the node's label and outline order are joined to the leaf rows
-- before totalling (on revenue_node's key), where the planner has statistics for them too.

CREATE VIEW finmon_data.revenue_node_totals AS
SELECT r.council, r.financial_year, r.period, r.analysis, a.path, a.label, a.depth, a.sort_key,
       finmon.variance_agg(r.budget, r.forecast_outturn) AS total,
       bool_or(a.path = r.line) AS is_leaf,
       bool_and(r.forecast_outturn IS NOT NULL) AS forecast_complete
  FROM finmon_data.revenue r
  JOIN finmon_data.revenue_node n ON n.council = r.council AND n.analysis = r.analysis AND n.path = r.line
 CROSS JOIN LATERAL pg_catalog.unnest(n.ancestors) AS u(path)
  JOIN finmon_data.revenue_node a ON a.council = n.council AND a.analysis = n.analysis AND a.path = u.path
 GROUP BY r.council, r.financial_year, r.period, r.analysis, a.council, a.analysis, a.path;
COMMENT ON VIEW finmon_data.revenue_node_totals IS
    'Each node''s totals of its leaf lines per council, financial year, period and analysis, with the node''s label, depth and outline order (internal: read by revenue_figures).';
COMMENT ON COLUMN finmon_data.revenue_node_totals.total IS 'variance_agg over the node''s leaf lines.';
COMMENT ON COLUMN finmon_data.revenue_node_totals.is_leaf IS 'Whether figures were loaded for the node itself.';
COMMENT ON COLUMN finmon_data.revenue_node_totals.forecast_complete IS 'Whether every leaf line below the node has a forecast outturn.';
COMMENT ON COLUMN finmon_data.revenue_node_totals.sort_key IS 'The node''s outline position (revenue_node.sort_key).';

CREATE VIEW finmon_data.revenue_figures AS
WITH totals AS (
    SELECT x.council, x.financial_year, x.period, x.analysis, x.path, x.label, x.depth, x.sort_key, x.total,
           x.is_leaf, x.forecast_complete, false AS is_prior
      FROM finmon_data.revenue_node_totals x
    UNION ALL
    -- the previous year's period 12 totals, as rows of each year loaded
    SELECT x.council, y.financial_year, x.period, x.analysis, x.path, x.label, x.depth, x.sort_key, x.total,
           x.is_leaf, x.forecast_complete, true
      FROM (SELECT DISTINCT v.council, v.financial_year FROM finmon_data.revenue v) y
      JOIN finmon_data.revenue_node_totals x
        ON x.council = y.council AND x.period = 12
       AND x.financial_year = CASE WHEN y.financial_year <> '0001-02' THEN finmon.previous_financial_year(y.financial_year) END
),
-- a node has a forecast only when every leaf below it has one (a budget may be loaded alone)
numbered AS (
    SELECT t.council, t.financial_year, t.period, t.analysis, t.path, t.label, t.depth, t.sort_key, t.is_leaf,
           t.is_prior, (t.total).budget,
           CASE WHEN t.forecast_complete THEN (t.total).forecast_outturn END AS forecast_outturn,
           CASE WHEN t.forecast_complete THEN (t.total).variance END AS variance,
           CASE WHEN t.forecast_complete THEN (t.total).variance_pct END AS variance_pct
      FROM totals t
),
windowed AS (
    SELECT t.council, t.financial_year, t.period, t.analysis, t.path, t.label, t.depth, t.is_leaf, t.is_prior,
           t.budget, t.forecast_outturn, t.variance, t.variance_pct,
           pg_catalog.lag(t.period) OVER previous AS previous_period,
           pg_catalog.lag(t.variance) OVER previous AS previous_variance,
           t.variance - pg_catalog.lag(t.variance) OVER previous AS movement,
           pg_catalog.max(CASE WHEN t.is_prior THEN t.forecast_outturn END) OVER prior AS prior_year_actual,
           pg_catalog.max(CASE WHEN t.is_prior THEN t.variance END) OVER prior AS prior_year_variance,
           pg_catalog.max(CASE WHEN t.is_prior THEN t.budget END) OVER prior AS prior_year_budget,
           pg_catalog.row_number() OVER (PARTITION BY t.council, t.financial_year, t.period, t.analysis, t.is_prior
                                         ORDER BY t.sort_key) AS row_order
      FROM numbered t
    WINDOW previous AS (PARTITION BY t.council, t.financial_year, t.analysis, t.path, t.is_prior ORDER BY t.period),
           prior AS (PARTITION BY t.council, t.financial_year, t.analysis, t.path)
)
SELECT council, financial_year, period, analysis, path, label, depth, is_leaf, budget, forecast_outturn, variance,
       variance_pct, previous_period, previous_variance, movement, prior_year_actual, prior_year_variance,
       prior_year_budget, row_order
  FROM windowed
 WHERE NOT is_prior;
COMMENT ON VIEW finmon_data.revenue_figures IS
    'revenue_report and revenue_analysis_report together, with the analysis column; for committee table layouts.';

CREATE VIEW finmon.revenue_report AS
SELECT f.council, f.financial_year, f.period, f.path, f.label, f.depth, f.is_leaf, f.budget, f.forecast_outturn,
       f.variance, f.variance_pct, f.previous_period, f.previous_variance, f.movement, f.prior_year_actual,
       f.prior_year_variance, f.prior_year_budget, f.row_order, t.actual_to_date, t.profiled_budget_to_date
  FROM finmon_data.revenue_figures f
  LEFT JOIN finmon_data.revenue_to_date t
         ON t.council = f.council AND t.financial_year = f.financial_year AND t.period = f.period AND t.path = f.path
 WHERE f.analysis = '';
COMMENT ON VIEW finmon.revenue_report IS
    'One row per council, financial year, period and node of the service''s budget hierarchy: every loaded line, every ancestor and the grand total, totalled from the leaf lines. Amounts in pounds.';
COMMENT ON COLUMN finmon.revenue_report.council IS 'The council.';
COMMENT ON COLUMN finmon.revenue_report.financial_year IS 'Financial year, YYYY-YY.';
COMMENT ON COLUMN finmon.revenue_report.period IS 'Monitoring period, 1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.revenue_report.path IS 'The node''s path, names joined by '' > ''; '''' for the grand total.';
COMMENT ON COLUMN finmon.revenue_report.label IS 'The node''s own name; ''Total'' for the grand total.';
COMMENT ON COLUMN finmon.revenue_report.depth IS '0 for the grand total, 1 for a top-level expenditure area, and so on down.';
COMMENT ON COLUMN finmon.revenue_report.is_leaf IS 'Whether figures were loaded for this line itself (a leaf) rather than totalled from lines below it.';
COMMENT ON COLUMN finmon.revenue_report.budget IS 'Budget for the year, pounds.';
COMMENT ON COLUMN finmon.revenue_report.forecast_outturn IS 'Forecast outturn at this period, pounds.';
COMMENT ON COLUMN finmon.revenue_report.variance IS 'forecast_outturn - budget, pounds; positive is an overspend (adverse).';
COMMENT ON COLUMN finmon.revenue_report.variance_pct IS 'variance / budget * 100 (signed budget); NULL when the budget is zero.';
COMMENT ON COLUMN finmon.revenue_report.previous_period IS 'The latest earlier period of the same year with figures for this node.';
COMMENT ON COLUMN finmon.revenue_report.previous_variance IS 'The variance reported at previous_period.';
COMMENT ON COLUMN finmon.revenue_report.movement IS 'variance - previous_variance: the movement since the last report.';
COMMENT ON COLUMN finmon.revenue_report.prior_year_actual IS 'The node''s outturn last year: its forecast_outturn at period 12 of the previous financial year.';
COMMENT ON COLUMN finmon.revenue_report.prior_year_variance IS 'The node''s over/underspend at last year''s outturn (period 12 variance).';
COMMENT ON COLUMN finmon.revenue_report.prior_year_budget IS 'The node''s budget last year: its budget at period 12 of the previous financial year.';
COMMENT ON COLUMN finmon.revenue_report.row_order IS 'Outline order within the period: the grand total first, then each node followed by the nodes below it, in the order lines first appeared in the imports.';
COMMENT ON COLUMN finmon.revenue_report.actual_to_date IS 'Ledger spend from April to the end of the period, pounds; NULL when no ledger is loaded for the year.';
COMMENT ON COLUMN finmon.revenue_report.profiled_budget_to_date IS 'The budget profiled to the end of the period (finmon_data.budget_profile, or an even spread), pounds.';

CREATE VIEW finmon.revenue_analysis_report AS
SELECT council, financial_year, period, analysis, path, label, depth, is_leaf, budget, forecast_outturn,
       variance, variance_pct, previous_period, previous_variance, movement, prior_year_actual,
       prior_year_variance, prior_year_budget, row_order
  FROM finmon_data.revenue_figures
 WHERE analysis <> '';
COMMENT ON VIEW finmon.revenue_analysis_report IS
    'The same as revenue_report for memorandum analyses (loaded through revenue_analysis_import), whose totals do not add into the service total.';
COMMENT ON COLUMN finmon.revenue_analysis_report.analysis IS 'Name of the analysis.';
COMMENT ON COLUMN finmon.revenue_analysis_report.path IS 'The node''s path within the analysis; '''' for the analysis total.';
COMMENT ON COLUMN finmon.revenue_analysis_report.variance IS 'forecast_outturn - budget, pounds; positive is adverse.';

-- Views that share revenue_report's columns share their descriptions.
CREATE FUNCTION finmon_data.copy_column_comments(source regclass, target regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
          FROM pg_attribute a
         WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
           AND col_description(a.attrelid, a.attnum) IS NOT NULL
    LOOP
        IF EXISTS (SELECT FROM pg_attribute t
                    WHERE t.attrelid = target AND t.attname = col.attname AND NOT t.attisdropped
                      AND col_description(t.attrelid, t.attnum) IS NULL) THEN
            EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', target, col.attname, col.description);
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION finmon_data.copy_column_comments(regclass, regclass) IS
    'Gives the columns of a view or table that have no comment the comment of the same column of another (internal: used when finmon is installed).';

SELECT finmon_data.copy_column_comments('finmon.revenue_report', 'finmon_data.revenue_figures');
SELECT finmon_data.copy_column_comments('finmon.revenue_report', 'finmon.revenue_analysis_report');
COMMENT ON COLUMN finmon_data.revenue_figures.analysis IS ''''' for the service''s hierarchy, or the name of a memorandum analysis.';
SELECT finmon_data.copy_column_comments('finmon_data.revenue_figures', 'finmon_data.revenue_node_totals');
