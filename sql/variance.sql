-- Variances, read by eye against figures printed in the 2018-19 Period 5 paper (pounds).
\set SHOW_CONTEXT never

-- Appendix A rows: NorseCare (overspend), Housing Related Support (underspend: the paper
-- prints +15.08%, the right figure is -15.09%), Service User Income (income over-recovered
-- on a negative budget: variance negative, favourable, % positive as printed, 9.09%).
SELECT label, budget, forecast,
       finmon.variance(budget, forecast) AS variance,
       round(finmon.variance_pct(budget, forecast), 2) AS pct,
       finmon.variance_direction(budget, forecast) AS direction,
       finmon.variance_direction(budget, forecast, 500000) AS within_half_million
  FROM (VALUES ('NorseCare', 33134000, 33547000),
               ('Housing Related Support', 2564000, 2177000),
               ('Service User Income', -85653000, -93440000),
               ('Independence Matters at P4', 9550000, 9550000),
               ('A zero budget', 0, 12000)) AS v(label, budget, forecast);

-- The aggregate over the seven Commissioned Services lines gives the section total
-- (the paper prints budget 58.955; its lines sum to 58.956).
SELECT (finmon.variance_agg(budget, forecast)).*
  FROM (VALUES (3177000, 3035000), (9031000, 9150000), (145000, 135000), (33134000, 33547000),
               (2564000, 2177000), (9550000, 10687000), (1355000, 1372000)) AS v(budget, forecast);

-- NULLs are ignored column by column, as sum() ignores them; no values at all gives NULL.
SELECT finmon.variance_agg(b, f) FROM (VALUES (100.5, NULL), (NULL, 90.25), (NULL, NULL)) AS v(b, f);
SELECT finmon.variance_agg(b, f) IS NULL AS empty_is_null FROM (VALUES (1::numeric, 1::numeric)) AS v(b, f) WHERE false;

-- Amounts that are not money are refused.
SELECT finmon.variance_agg(b, f) FROM (VALUES (1::numeric, 'NaN'::numeric)) AS v(b, f);
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.variance('Infinity', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT finmon.variance_direction(1, 2, -1);
\echo :LAST_ERROR_SQLSTATE
