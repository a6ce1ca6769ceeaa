-- Load the two sample councils as a finance officer would: Norfolk (data/norfolk, real
-- committee papers) and Brackenfield (data/brackenfield, invented), each file in finmon's
-- formats with the council's code in its first column.
\getenv abs_srcdir PG_ABS_SRCDIR
\cd :abs_srcdir/data/norfolk
\copy finmon.council_import FROM 'councils.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_import FROM 'revenue.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_analysis_import FROM 'revenue_analysis.csv' WITH (FORMAT csv, HEADER)
\copy finmon.commentary_import FROM 'commentary.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_tables_import FROM 'revenue_tables.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_table_rows_import FROM 'revenue_table_rows.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_plan_import FROM 'savings_plan.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_forecast_import FROM 'savings_forecast.csv' WITH (FORMAT csv, HEADER)
\copy finmon.reserves_import FROM 'reserves.csv' WITH (FORMAT csv, HEADER)
\copy finmon.capital_import FROM 'capital.csv' WITH (FORMAT csv, HEADER)
\copy finmon.grants_import FROM 'grants.csv' WITH (FORMAT csv, HEADER)
\copy finmon.settings_import FROM 'settings.csv' WITH (FORMAT csv, HEADER)
\copy finmon.measures_import FROM 'measures.csv' WITH (FORMAT csv, HEADER)
\copy finmon.values_import FROM 'values.csv' WITH (FORMAT csv, HEADER)
\copy finmon.targets_import FROM 'targets.csv' WITH (FORMAT csv, HEADER)
\copy finmon.comparators_import FROM 'comparators.csv' WITH (FORMAT csv, HEADER)
\copy finmon.benchmarks_import FROM 'benchmarks.csv' WITH (FORMAT csv, HEADER)
\cd :abs_srcdir/data/brackenfield
\copy finmon.council_import FROM 'councils.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_import FROM 'revenue.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_analysis_import FROM 'revenue_analysis.csv' WITH (FORMAT csv, HEADER)
\copy finmon.commentary_import FROM 'commentary.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_tables_import FROM 'revenue_tables.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_table_rows_import FROM 'revenue_table_rows.csv' WITH (FORMAT csv, HEADER)
\copy finmon.revenue_table_columns_import FROM 'revenue_table_columns.csv' WITH (FORMAT csv, HEADER)
\copy finmon.actuals_import FROM 'actuals.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_plan_import FROM 'savings_plan.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_forecast_import FROM 'savings_forecast.csv' WITH (FORMAT csv, HEADER)
\copy finmon.reserves_import FROM 'reserves.csv' WITH (FORMAT csv, HEADER)
\copy finmon.capital_import FROM 'capital.csv' WITH (FORMAT csv, HEADER)
\copy finmon.grants_import FROM 'grants.csv' WITH (FORMAT csv, HEADER)
\copy finmon.settings_import FROM 'settings.csv' WITH (FORMAT csv, HEADER)
\copy finmon.measures_import FROM 'measures.csv' WITH (FORMAT csv, HEADER)
\copy finmon.population_import FROM 'population.csv' WITH (FORMAT csv, HEADER)
\copy finmon.activity_import FROM 'activity.csv' WITH (FORMAT csv, HEADER)
\copy finmon.values_import FROM 'values.csv' WITH (FORMAT csv, HEADER)
\copy finmon.targets_import FROM 'targets.csv' WITH (FORMAT csv, HEADER)
\copy finmon.comparators_import FROM 'comparators.csv' WITH (FORMAT csv, HEADER)
\copy finmon.published_import FROM 'published.csv' WITH (FORMAT csv, HEADER)
\cd :abs_srcdir/data/norfolk

SELECT council, name FROM finmon.council ORDER BY council;

-- What was loaded: leaf lines per council, year and period, and the layouts.
SELECT council, financial_year, period, analysis, count(*) AS leaf_lines
  FROM finmon_data.revenue GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
SELECT t.council, t.table_name, t.title, count(r.*) AS printed_rows
  FROM finmon_data.revenue_table t LEFT JOIN finmon_data.revenue_table_row r USING (council, table_name)
 GROUP BY 1, 2, 3 ORDER BY 1, 2;

-- Loading the same file again replaces figures: nothing changes.
\copy finmon.revenue_import FROM 'revenue.csv' WITH (FORMAT csv, HEADER)
SELECT council, count(*) AS leaf_rows FROM finmon_data.revenue GROUP BY 1 ORDER BY 1;

-- Savings, reserves, capital and grants: rows per council, year and period.
SELECT council, 'savings_plan' AS loaded, financial_year, NULL::integer AS period, count(*) FROM finmon_data.savings_plan GROUP BY 1, 3
UNION ALL SELECT council, 'savings_forecast', financial_year, period, count(*) FROM finmon_data.savings_forecast GROUP BY 1, 3, 4
UNION ALL SELECT council, 'reserve', financial_year, period, count(*) FROM finmon_data.reserve GROUP BY 1, 3, 4
UNION ALL SELECT council, 'capital', financial_year, period, count(*) FROM finmon_data.capital GROUP BY 1, 3, 4
UNION ALL SELECT council, 'grant_scheme', financial_year, period, count(*) FROM finmon_data.grant_scheme GROUP BY 1, 3, 4
ORDER BY 1, 2, 3, 4;

-- Loading them again replaces: the same counts.
\copy finmon.savings_plan_import FROM 'savings_plan.csv' WITH (FORMAT csv, HEADER)
\copy finmon.savings_forecast_import FROM 'savings_forecast.csv' WITH (FORMAT csv, HEADER)
\copy finmon.reserves_import FROM 'reserves.csv' WITH (FORMAT csv, HEADER)
\copy finmon.capital_import FROM 'capital.csv' WITH (FORMAT csv, HEADER)
\copy finmon.grants_import FROM 'grants.csv' WITH (FORMAT csv, HEADER)
SELECT (SELECT count(*) FROM finmon_data.savings_plan WHERE council = 'E10000020') AS savings_plan,
       (SELECT count(*) FROM finmon_data.savings_forecast WHERE council = 'E10000020') AS savings_forecast,
       (SELECT count(*) FROM finmon_data.reserve WHERE council = 'E10000020') AS reserve,
       (SELECT count(*) FROM finmon_data.capital WHERE council = 'E10000020') AS capital,
       (SELECT count(*) FROM finmon_data.grant_scheme WHERE council = 'E10000020') AS grant_scheme;

-- Performance measures: definitions (shared), and each council's published values by kind
-- of period, counts, targets, comparator group and published benchmarks.
SELECT (SELECT count(*) FROM finmon.measure) AS measures;
SELECT c.council,
       (SELECT count(*) FROM finmon_data.published_value v WHERE v.council = c.council AND finmon.period_month(period) IS NOT NULL) AS monthly_values,
       (SELECT count(*) FROM finmon_data.published_value v WHERE v.council = c.council AND finmon.is_financial_year(period)) AS yearly_values,
       (SELECT count(*) FROM finmon_data.activity a WHERE a.council = c.council) AS monthly_counts,
       (SELECT count(*) FROM finmon_data.measure_target t WHERE t.council = c.council) AS targets,
       (SELECT count(*) FROM finmon_data.comparator g WHERE g.council = c.council) AS comparator_group,
       (SELECT count(*) FROM finmon_data.published_benchmark b WHERE b.council = c.council) AS benchmarks
  FROM finmon.council c ORDER BY 1;

-- Each council's staff read only their own figures: the tests that print Norfolk's tables
-- run as a reader given Norfolk, those that print Brackenfield's as one given Brackenfield.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finmon_test_norfolk') THEN
        CREATE ROLE finmon_test_norfolk IN ROLE finmon_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finmon_test_brackenfield') THEN
        CREATE ROLE finmon_test_brackenfield IN ROLE finmon_reader;
    END IF;
END;
$$;
SELECT finmon.grant_council('finmon_test_norfolk', 'E10000020');
SELECT finmon.grant_council('finmon_test_brackenfield', 'X00000001');
SET ROLE finmon_test_norfolk;
SELECT council, name FROM finmon.council;
SELECT council, count(*) AS rows_seen FROM finmon.revenue_report GROUP BY 1;
RESET ROLE;
