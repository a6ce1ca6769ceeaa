-- pgTAP: the ledger (partitions by financial year, summaries kept by triggers through loads,
-- reloads, updates and deletes, equal to a rebuild), ledger_import and budget_profile_import
-- errors, spend to date against the profiled budget, and variance_agg, savings_agg and
-- rate_agg over the partitioned ledger under partitionwise and forced-parallel plans.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS finmon_tap_ledger CASCADE;
CREATE SCHEMA finmon_tap_ledger;
CREATE EXTENSION IF NOT EXISTS finmon;

-- A committed ledger for the plan tests: 3 years x 12 periods x 40 lines, 120,000 rows.
INSERT INTO finmon.revenue_import
SELECT '2018-19', '12', format('Area %s > Line %s', l % 4, l), '1000', '1000' FROM generate_series(1, 40) l;
SELECT finmon.ledger_partition(y) FROM unnest(ARRAY['2019-20', '2020-21', '2021-22']) y;
INSERT INTO finmon.ledger (financial_year, period, posting_date, line, amount, reference)
SELECT finmon.financial_year_of(d), finmon.period_of(d), d, format('Area %s > Line %s', i % 4, i % 40 + 1),
       round((i * 7919 % 100003)::numeric / 7, i % 3), 'T' || i
  FROM generate_series(1, 120000) i, LATERAL (SELECT date '2019-04-01' + (i % 1095) AS d) x;
ANALYZE finmon.ledger;

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(43);

-- Partitions and summaries ----------------------------------------------------------------
SELECT is((SELECT count(*) FROM pg_inherits WHERE inhparent = 'finmon.ledger'::regclass), 3::bigint,
          'one partition per financial year');
SELECT is((SELECT count(*) FROM finmon.ledger_2020_21), (SELECT count(*) FROM finmon.ledger WHERE financial_year = '2020-21'),
          'a year''s rows are in its partition');
SELECT is((SELECT count(*) FROM ((SELECT financial_year, period, line, amount, transactions FROM finmon.ledger_summary
                                   EXCEPT SELECT financial_year, period, line, sum(amount), count(*) FROM finmon.ledger GROUP BY 1, 2, 3)
                                  UNION ALL
                                  (SELECT financial_year, period, line, sum(amount), count(*) FROM finmon.ledger GROUP BY 1, 2, 3
                                   EXCEPT SELECT financial_year, period, line, amount, transactions FROM finmon.ledger_summary)) d),
          0::bigint, 'after a bulk insert the summary equals the ledger''s totals');
UPDATE finmon.ledger SET amount = amount + 1 WHERE reference IN ('T1', 'T2', 'T3');
UPDATE finmon.ledger SET line = 'Area 0 > Line 40' WHERE reference = 'T4';
DELETE FROM finmon.ledger WHERE reference = 'T5';
SELECT is((SELECT count(*) FROM ((SELECT financial_year, period, line, amount, transactions FROM finmon.ledger_summary
                                   EXCEPT SELECT financial_year, period, line, sum(amount), count(*) FROM finmon.ledger GROUP BY 1, 2, 3)
                                  UNION ALL
                                  (SELECT financial_year, period, line, sum(amount), count(*) FROM finmon.ledger GROUP BY 1, 2, 3
                                   EXCEPT SELECT financial_year, period, line, amount, transactions FROM finmon.ledger_summary)) d),
          0::bigint, 'updates (of amounts and lines) and deletes keep the summary equal to the ledger''s totals');
CREATE TEMP TABLE kept AS SELECT * FROM finmon.ledger_summary;
SELECT is(finmon.rebuild_ledger_summary(), (SELECT count(*) FROM kept), 'a rebuild makes as many summary rows');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon.ledger_summary EXCEPT SELECT * FROM kept) d), 0::bigint,
          'and the same ones');

-- Plans: partitionwise and forced-parallel aggregation give identical answers ---------------
CREATE FUNCTION finmon_tap_ledger.answer(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN EXECUTE 'SELECT string_agg(x::text, '';'' ORDER BY x::text) FROM (' || q || ') x' INTO r; RETURN r; END $$;
CREATE FUNCTION finmon_tap_ledger.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; l text;
BEGIN r := ''; FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP r := r || l || E'\n'; END LOOP; RETURN r; END $$;
CREATE TEMP TABLE q (k text, sql text);
INSERT INTO q VALUES
    ('variance', $$SELECT line, finmon.variance_agg(amount, amount * 2) FROM finmon.ledger GROUP BY line$$),
    ('savings', $$SELECT line, finmon.savings_agg(-amount, -amount / 2) FROM finmon.ledger GROUP BY line$$),
    ('rate', $$SELECT line, finmon.rate_agg(abs(amount), 1000 + period) FROM finmon.ledger GROUP BY line$$),
    ('sum', $$SELECT line, sum(amount) FROM finmon.ledger GROUP BY line$$);
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL enable_partitionwise_aggregate = off;
CREATE TEMP TABLE serial AS SELECT k, finmon_tap_ledger.answer(sql) AS answer FROM q;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT matches(finmon_tap_ledger.plan_of(sql), 'Partial (Hash|Group)?Aggregate', k || ': partitionwise plan aggregates each partition')
  FROM q ORDER BY k;
SELECT is(finmon_tap_ledger.answer(q.sql), s.answer, q.k || ': partitionwise answer identical to the plain one')
  FROM q JOIN serial s USING (k) ORDER BY q.k;
SET LOCAL enable_partitionwise_aggregate = off;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT matches(finmon_tap_ledger.plan_of(sql), 'Gather', k || ': forced-parallel plan gathers from workers')
  FROM q ORDER BY k;
SELECT is(finmon_tap_ledger.answer(q.sql), s.answer, q.k || ': forced-parallel answer identical to the serial one')
  FROM q JOIN serial s USING (k) ORDER BY q.k;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- ledger_import -----------------------------------------------------------------------------
INSERT INTO finmon.revenue_import VALUES ('2022-23', '5', 'A > B', '1200', '1300'), ('2022-23', '5', 'C', '600', '500');
INSERT INTO finmon.ledger_import VALUES ('2022-04-10', 'A > B', '100', 'X1'), ('2022-05-10', 'A>B', '200.50', 'X2'),
                                        ('2022-08-31', 'C', '50', 'X3'), ('2022-09-01', 'C', '70', 'X4');
SELECT is((SELECT string_agg(format('%s/%s/%s', period, line, amount), ' ' ORDER BY reference) FROM finmon.ledger WHERE financial_year = '2022-23'),
          '1/A > B/100 2/A > B/200.50 5/C/50 6/C/70', 'ledger_import derives period and year and tidies the line');
SELECT ok(to_regclass('finmon.ledger_2022_23') IS NOT NULL, 'ledger_import creates a missing year''s partition');
SELECT is((SELECT count(*) FROM finmon.ledger_stage), 0::bigint, 'the staging table is empty after a load');
INSERT INTO finmon.ledger_import VALUES ('2022-04-10', 'A > B', '150', 'X1');
SELECT is((SELECT (amount, count(*) OVER ())::text FROM finmon.ledger WHERE financial_year = '2022-23' AND reference = 'X1'),
          '(150,1)', 'reloading a reference replaces the transaction');
SELECT is((SELECT amount FROM finmon.ledger_summary WHERE financial_year = '2022-23' AND period = 1 AND line = 'A > B'),
          150::numeric, 'and the summary follows');

SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('2022-02-30', 'C', '1', 'Y')$$,
                 '22007', 'ledger_import row 1: invalid posting date "2022-02-30"', 'ledger: an impossible date');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('30/04/2022', 'C', '1', 'Y')$$,
                 '22007', NULL, 'ledger: a date written another way');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('', 'C', '1', 'Y')$$,
                 '22004', 'ledger_import row 1: posting date is empty', 'ledger: no date');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('2022-04-01', 'Nowhere', '1', 'Y')$$,
                 '23503', 'ledger_import row 1: line "Nowhere" has no revenue figures', 'ledger: unknown line');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('2022-04-01', 'C', '1,000', 'Y')$$,
                 '22P02', 'ledger_import row 1: amount "1,000" is not an amount', 'ledger: bad amount');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('2022-04-01', 'C', '1', '')$$,
                 '22004', 'ledger_import row 1: reference is empty', 'ledger: no reference');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('2022-04-01', 'C', '1', 'Z'), ('2022-05-01', 'C', '2', 'Z')$$,
                 '23505', 'ledger_import row 2: reference "Z" in 2022-23 appears twice in this load (first at row 1)',
                 'ledger: a reference twice in one load');
SELECT is((SELECT count(*) FROM finmon.ledger WHERE reference IN ('Y', 'Z')), 0::bigint, 'failed ledger loads keep nothing');

-- Budget profiles and spend to date -----------------------------------------------------------
INSERT INTO finmon.budget_profile_import
SELECT '2022-23', 'A > B', p::text, CASE WHEN p <= 4 THEN '0.1' ELSE '0.075' END FROM generate_series(1, 12) p;
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('2022-23', 'C', '1', '0.5'), ('2022-23', 'C', '2', '0.4')$$,
                 '23514', 'budget_profile_import: the shares of line "C" in 2022-23 sum to 0.9, not 1', 'profile: shares not summing to 1');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('2022-23', 'C', '1', '1.5')$$,
                 '22023', 'budget_profile_import row 1: share 1.5 is not between 0 and 1', 'profile: a share above 1');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('2022-23', 'C', '13', '1')$$,
                 '22023', NULL, 'profile: period 13');
SELECT is((SELECT count(*) FROM finmon.budget_profile WHERE line = 'C'), 0::bigint, 'failed profile loads keep nothing');
SELECT is((SELECT (actual_to_date, profiled_budget_to_date)::text FROM finmon.revenue_report
            WHERE financial_year = '2022-23' AND period = 5 AND path = 'A > B'),
          '(350.50,570.000)', 'A > B at P5: spend 150 + 200.50; budget 1200 profiled 4 x 0.1 + 0.075');
SELECT is((SELECT (actual_to_date, round(profiled_budget_to_date, 2))::text FROM finmon.revenue_report
            WHERE financial_year = '2022-23' AND period = 5 AND path = 'C'),
          '(50,250.00)', 'C at P5: the August 50, not September''s 70; no profile, so 600 x 5 / 12');
SELECT is((SELECT string_agg(format('%s:%s', period, actual_to_date), ' ' ORDER BY period) FROM finmon.revenue_spend_profile
            WHERE financial_year = '2022-23' AND report_period = 5 AND path = ''),
          '1:150 2:350.50 3:350.50 4:350.50 5:400.50', 'the grand total period by period, for the chart');
SELECT is((SELECT actual_to_date FROM finmon.revenue_report WHERE financial_year = '2018-19' AND period = 12 AND path = ''),
          NULL, 'no ledger for the year: actual_to_date is NULL, not 0');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE finmon.ledger_2019_20, finmon.ledger_2020_21, finmon.ledger_2021_22;
DELETE FROM finmon.ledger_summary;
DELETE FROM finmon.revenue;
DELETE FROM finmon.revenue_node;
DROP SCHEMA finmon_tap_ledger CASCADE;
