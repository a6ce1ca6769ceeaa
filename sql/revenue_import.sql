-- What a finance officer sees when a file is wrong: the error names the row (and COPY's
-- CONTEXT the file line), and nothing of the file is kept.
\getenv abs_srcdir PG_ABS_SRCDIR
\cd :abs_srcdir
\set SHOW_CONTEXT errors

-- Row 3 (file line 4) writes an amount with thousands separators.
\copy finmon.revenue_import FROM 'test/data/revenue_bad_amount.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows_kept FROM finmon.revenue;

-- A line loaded both as a leaf and as a parent in the same year and period.
\set SHOW_CONTEXT never
\copy finmon.revenue_import FROM 'test/data/revenue_leaf_and_parent.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows_kept FROM finmon.revenue;

-- The other imports follow the same rules.  A forecast for a saving the plan does not have
-- (file line 3); nothing of the file is kept.
\set SHOW_CONTEXT errors
INSERT INTO finmon.savings_plan_import VALUES ('ASC013', 'Radical review of day-care services', '', '2018-19', '-2500000');
\copy finmon.savings_forecast_import FROM 'test/data/savings_forecast_unknown_ref.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows_kept FROM finmon.savings_forecast;

-- Usage written as the paper prints it, in brackets with a thousands separator.
\copy finmon.reserves_import FROM 'test/data/reserves_bad_usage.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows_kept FROM finmon.reserve;
