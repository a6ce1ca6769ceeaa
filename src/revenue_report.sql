-- The revenue report: every node of every hierarchy at every loaded period, totalled from its leaves.

CREATE VIEW finmon.revenue_figures AS
WITH node_totals AS (
    SELECT r.financial_year, r.period, r.analysis, a.path,
           finmon.variance_agg(r.budget, r.forecast_outturn) AS total,
           bool_or(a.path = r.line) AS is_leaf
      FROM finmon.revenue r
      JOIN finmon.revenue_node n ON n.analysis = r.analysis AND n.path = r.line
     CROSS JOIN LATERAL pg_catalog.unnest(n.ancestors) AS a(path)
     GROUP BY r.financial_year, r.period, r.analysis, a.path
)
SELECT t.financial_year, t.period, t.analysis, t.path, n.label, n.depth, t.is_leaf,
       (t.total).budget, (t.total).forecast_outturn, (t.total).variance, (t.total).variance_pct,
       pg_catalog.lag(t.period) OVER previous AS previous_period,
       pg_catalog.lag((t.total).variance) OVER previous AS previous_variance,
       (t.total).variance - pg_catalog.lag((t.total).variance) OVER previous AS movement,
       (p.total).forecast_outturn AS prior_year_actual,
       (p.total).variance AS prior_year_variance,
       pg_catalog.row_number() OVER (PARTITION BY t.financial_year, t.period, t.analysis
                                     ORDER BY n.sort_key) AS row_order
  FROM node_totals t
  JOIN finmon.revenue_node n ON n.analysis = t.analysis AND n.path = t.path
  LEFT JOIN node_totals p
         ON p.analysis = t.analysis AND p.path = t.path AND p.period = 12
        AND p.financial_year = finmon.previous_financial_year(t.financial_year)
WINDOW previous AS (PARTITION BY t.financial_year, t.analysis, t.path ORDER BY t.period);
COMMENT ON VIEW finmon.revenue_figures IS
    'revenue_report and revenue_analysis_report together, with the analysis column; for committee table layouts.';

CREATE VIEW finmon.revenue_report AS
SELECT financial_year, period, path, label, depth, is_leaf, budget, forecast_outturn, variance,
       variance_pct, previous_period, previous_variance, movement, prior_year_actual,
       prior_year_variance, row_order
  FROM finmon.revenue_figures
 WHERE analysis = '';
COMMENT ON VIEW finmon.revenue_report IS
    'One row per financial year, period and node of the service''s budget hierarchy: every loaded line, every ancestor and the grand total, totalled from the leaf lines. Amounts in pounds.';
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
COMMENT ON COLUMN finmon.revenue_report.row_order IS 'Outline order within the period: the grand total first, then each node followed by the nodes below it, in the order lines first appeared in the imports.';

CREATE VIEW finmon.revenue_analysis_report AS
SELECT financial_year, period, analysis, path, label, depth, is_leaf, budget, forecast_outturn,
       variance, variance_pct, previous_period, previous_variance, movement, prior_year_actual,
       prior_year_variance, row_order
  FROM finmon.revenue_figures
 WHERE analysis <> '';
COMMENT ON VIEW finmon.revenue_analysis_report IS
    'The same as revenue_report for memorandum analyses (loaded through revenue_analysis_import), whose totals do not add into the service total.';
COMMENT ON COLUMN finmon.revenue_analysis_report.analysis IS 'Name of the analysis.';
COMMENT ON COLUMN finmon.revenue_analysis_report.path IS 'The node''s path within the analysis; '''' for the analysis total.';
COMMENT ON COLUMN finmon.revenue_analysis_report.variance IS 'forecast_outturn - budget, pounds; positive is adverse.';

-- The two views that share revenue_report's columns share their descriptions too.
DO $$
DECLARE
    target text;
    col record;
BEGIN
    FOREACH target IN ARRAY ARRAY['finmon.revenue_figures', 'finmon.revenue_analysis_report'] LOOP
        FOR col IN
            SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) AS description
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = 'finmon.revenue_report'::pg_catalog.regclass AND a.attnum > 0
        LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute t
                        WHERE t.attrelid = target::pg_catalog.regclass AND t.attname = col.attname
                          AND pg_catalog.col_description(t.attrelid, t.attnum) IS NULL) THEN
                EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', target, col.attname, col.description);
            END IF;
        END LOOP;
    END LOOP;
END;
$$;
COMMENT ON COLUMN finmon.revenue_figures.analysis IS ''''' for the service''s hierarchy, or the name of a memorandum analysis.';
