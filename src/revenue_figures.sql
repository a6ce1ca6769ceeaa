-- 0.2.0: revenue_figures takes last year's outturn from a window over the years instead of
-- joining its node totals to themselves, whose row estimates (a CTE scanned twice) led the
-- planner to a nested loop that grew with the square of the figures: 18 s for 5 years of 300
-- lines at 12 periods, against 0.1 s now (bench/ledger_refresh.sh). Same columns, same rows.

CREATE OR REPLACE VIEW finmon.revenue_figures AS
WITH node_totals AS (
    SELECT r.financial_year, r.period, r.analysis, a.path,
           finmon.variance_agg(r.budget, r.forecast_outturn) AS total,
           bool_or(a.path = r.line) AS is_leaf
      FROM finmon.revenue r
      JOIN finmon.revenue_node n ON n.analysis = r.analysis AND n.path = r.line
     CROSS JOIN LATERAL pg_catalog.unnest(n.ancestors) AS a(path)
     GROUP BY r.financial_year, r.period, r.analysis, a.path
),
numbered AS (
    SELECT t.*, pg_catalog.substr(t.financial_year, 1, 4)::integer AS year_number
      FROM node_totals t
)
SELECT t.financial_year, t.period, t.analysis, t.path, n.label, n.depth, t.is_leaf,
       (t.total).budget, (t.total).forecast_outturn, (t.total).variance, (t.total).variance_pct,
       pg_catalog.lag(t.period) OVER previous AS previous_period,
       pg_catalog.lag((t.total).variance) OVER previous AS previous_variance,
       (t.total).variance - pg_catalog.lag((t.total).variance) OVER previous AS movement,
       pg_catalog.max(CASE WHEN t.period = 12 THEN (t.total).forecast_outturn END) OVER prior AS prior_year_actual,
       pg_catalog.max(CASE WHEN t.period = 12 THEN (t.total).variance END) OVER prior AS prior_year_variance,
       pg_catalog.row_number() OVER (PARTITION BY t.financial_year, t.period, t.analysis
                                     ORDER BY n.sort_key) AS row_order
  FROM numbered t
  JOIN finmon.revenue_node n ON n.analysis = t.analysis AND n.path = t.path
WINDOW previous AS (PARTITION BY t.financial_year, t.analysis, t.path ORDER BY t.period),
       -- the previous financial year's rows of the same node; only its period 12 counts
       prior AS (PARTITION BY t.analysis, t.path ORDER BY t.year_number
                 RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING);
