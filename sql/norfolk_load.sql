-- Load the Norfolk sample council (data/norfolk) as a finance officer would.
\getenv abs_srcdir PG_ABS_SRCDIR
\cd :abs_srcdir/data/norfolk
\copy finmon.revenue_import FROM 'revenue.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_analysis_import FROM 'revenue_analysis.csv' WITH (FORMAT csv, HEADER)
\copy finmon.commentary_import FROM 'commentary.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_table FROM 'revenue_tables.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_table_row FROM 'revenue_table_rows.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_plan_import FROM 'savings_plan.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_forecast_import FROM 'savings_forecast.csv' WITH (FORMAT csv, HEADER)
\copy finmon.reserves_import FROM 'reserves.csv' WITH (FORMAT csv, HEADER)
\copy finmon.capital_import FROM 'capital.csv' WITH (FORMAT csv, HEADER)
\copy finmon.grants_import FROM 'grants.csv' WITH (FORMAT csv, HEADER)
\copy finmon.setting FROM 'settings.csv' WITH (FORMAT csv, HEADER)
\copy finmon.measures_import FROM 'measures.csv' WITH (FORMAT csv, HEADER)
\copy finmon.values_import FROM 'values.csv' WITH (FORMAT csv, HEADER)
\copy finmon.targets_import FROM 'targets.csv' WITH (FORMAT csv, HEADER)
\copy finmon.comparators_import FROM 'comparators.csv' WITH (FORMAT csv, HEADER)
\copy finmon.benchmarks_import FROM 'benchmarks.csv' WITH (FORMAT csv, HEADER)

-- What was loaded: leaf lines per year and period, and the layouts.
SELECT financial_year, period, analysis, count(*) AS leaf_lines
  FROM finmon.revenue GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT t.table_name, t.title, count(r.*) AS printed_rows
  FROM finmon.revenue_table t LEFT JOIN finmon.revenue_table_row r USING (table_name)
 GROUP BY 1, 2 ORDER BY 1;

-- Loading the same file again replaces figures: nothing changes.
\copy finmon.revenue_import FROM 'revenue.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS leaf_rows FROM finmon.revenue;

-- Savings, reserves, capital and grants: rows per year and period.
SELECT 'savings_plan' AS loaded, financial_year, NULL::integer AS period, count(*) FROM finmon.savings_plan GROUP BY 2
UNION ALL SELECT 'savings_forecast', financial_year, period, count(*) FROM finmon.savings_forecast GROUP BY 2, 3
UNION ALL SELECT 'reserve', financial_year, period, count(*) FROM finmon.reserve GROUP BY 2, 3
UNION ALL SELECT 'capital', financial_year, period, count(*) FROM finmon.capital GROUP BY 2, 3
UNION ALL SELECT 'grant_scheme', financial_year, period, count(*) FROM finmon.grant_scheme GROUP BY 2, 3
ORDER BY 1, 2, 3;

-- Loading them again replaces: the same counts.
\copy finmon.savings_plan_import FROM 'savings_plan.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_forecast_import FROM 'savings_forecast.csv' WITH (FORMAT csv, HEADER)
\copy finmon.reserves_import FROM 'reserves.csv' WITH (FORMAT csv, HEADER)
\copy finmon.capital_import FROM 'capital.csv' WITH (FORMAT csv, HEADER)
\copy finmon.grants_import FROM 'grants.csv' WITH (FORMAT csv, HEADER)
SELECT (SELECT count(*) FROM finmon.savings_plan) AS savings_plan,
       (SELECT count(*) FROM finmon.savings_forecast) AS savings_forecast,
       (SELECT count(*) FROM finmon.reserve) AS reserve,
       (SELECT count(*) FROM finmon.capital) AS capital,
       (SELECT count(*) FROM finmon.grant_scheme) AS grant_scheme;

-- Performance measures (2016-17 P9 report): definitions, published values by kind of
-- period, targets, the family group and the published benchmarks.
SELECT (SELECT count(*) FROM finmon.measure) AS measures,
       (SELECT count(*) FROM finmon.published_value WHERE finmon.period_month(period) IS NOT NULL) AS monthly_values,
       (SELECT count(*) FROM finmon.published_value WHERE finmon.is_financial_year(period)) AS yearly_values,
       (SELECT count(*) FROM finmon.measure_target) AS targets,
       (SELECT count(*) FROM finmon.comparator) AS family_group,
       (SELECT count(*) FROM finmon.published_benchmark) AS benchmarks;
