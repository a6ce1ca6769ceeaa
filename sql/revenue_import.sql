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
