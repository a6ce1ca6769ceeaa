-- What a finance officer sees when a file is wrong: the error names the row (and COPY's
-- CONTEXT the file line), and nothing of the file is kept.  These files are in the 1.0
-- formats, without the council column: loaded with a column list, their rows go to the
-- database's only council.
\getenv abs_srcdir PG_ABS_SRCDIR
\cd :abs_srcdir
\set SHOW_CONTEXT errors
INSERT INTO finmon.council_import VALUES ('E10000020', 'Norfolk County Council');

-- Row 3 (file line 4) writes an amount with thousands separators.
\copy finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) FROM 'test/data/revenue_bad_amount.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows_kept FROM finmon_data.revenue;

-- A line loaded both as a leaf and as a parent in the same year and period.
\copy finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) FROM 'test/data/revenue_leaf_and_parent.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows_kept FROM finmon_data.revenue;

-- The other imports follow the same rules.  A forecast for a saving the plan does not have
-- (file line 3); nothing of the file is kept.
INSERT INTO finmon.savings_plan_import (ref, title, workstream, financial_year, target)
VALUES ('ASC013', 'Radical review of day-care services', '', '2018-19', '-2500000');
\copy finmon.savings_forecast_import (financial_year, period, ref, forecast, rag) FROM 'test/data/savings_forecast_unknown_ref.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows_kept FROM finmon_data.savings_forecast;

-- Usage written as the paper prints it, in brackets with a thousands separator.
\copy finmon.reserves_import (financial_year, period, name, kind, opening_balance, agreed_usage, planned_usage, description) FROM 'test/data/reserves_bad_usage.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows_kept FROM finmon_data.reserve;

-- With a second council, a row must say whose it is: the load is refused.
INSERT INTO finmon.council_import VALUES ('X00000001', 'Brackenfield Borough Council (invented sample)');
\copy finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) FROM 'test/data/revenue_leaf_and_parent.csv' WITH (FORMAT csv, HEADER)
-- ... unless the setting finmon.council names it; and a council nobody defined is refused.
SET finmon.council = 'E10000099';
\copy finmon.revenue_import (financial_year, period, line, budget, forecast_outturn) FROM 'test/data/revenue_leaf_and_parent.csv' WITH (FORMAT csv, HEADER)
RESET finmon.council;

-- Start the sample councils afresh: remove the plan row above.
SELECT finmon.delete_figures('savings_plan', council => 'E10000020');
