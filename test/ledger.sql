-- pgTAP: the ledger (partitions by financial year, summaries kept by the write path through
-- loads, reloads and deletions, equal to the ledger's own totals and to a rebuild, council by
-- council), the spend columns of the period views refreshed for the council and years a load or
-- deletion changed, ledger_import and budget_profile_import errors, spend to date against the
-- profiled budget, and variance_agg, savings_agg and rate_agg over the partitioned ledger under
-- partitionwise and forced-parallel plans, against core sum(). Two councils: T1's changes must
-- leave T2's summaries and period rows as they were.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS finmon_tap_ledger CASCADE;
CREATE SCHEMA finmon_tap_ledger;
CREATE EXTENSION IF NOT EXISTS finmon;

-- A committed ledger for the plan tests: T1 3 years x 12 periods x 40 lines, 120,000 rows; T2
-- the same lines and references, 12,000 rows. (Through ledger_import, which needs each line's
-- revenue figures: each line is in its own area, Line l in Area l % 4.)
INSERT INTO finmon.council_import VALUES ('T1', 'Test council'), ('T2', 'Second council');
INSERT INTO finmon.revenue_import
SELECT c, y, '12', format('Area %s > Line %s', l % 4, l), '1000', '1000'
  FROM unnest(ARRAY['T1', 'T2']) c, unnest(ARRAY['2018-19', '2019-20', '2020-21']) y, generate_series(1, 40) l;
SELECT finmon.ledger_partition(y) FROM unnest(ARRAY['2019-20', '2020-21', '2021-22']) y;
INSERT INTO finmon.ledger_import (council, posting_date, line, amount, reference)
SELECT 'T1', d::text, format('Area %s > Line %s', (i % 40 + 1) % 4, i % 40 + 1), round((i * 7919 % 100003)::numeric / 7, i % 3)::text, 'T' || i
  FROM generate_series(1, 120000) i, LATERAL (SELECT date '2019-04-01' + (i % 1095) AS d) x;
INSERT INTO finmon.ledger_import (council, posting_date, line, amount, reference)
SELECT 'T2', d::text, format('Area %s > Line %s', (i % 40 + 1) % 4, i % 40 + 1), round((i * 104729 % 100003)::numeric / 11, i % 2)::text, 'T' || i
  FROM generate_series(1, 12000) i, LATERAL (SELECT date '2019-04-01' + (i % 1095) AS d) x;
ANALYZE finmon_data.ledger;

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(76);

-- The summaries against their oracle, the ledger's own totals in plain SQL.
CREATE FUNCTION finmon_tap_ledger.summary_differences() RETURNS bigint LANGUAGE sql AS $$
SELECT count(*) FROM ((SELECT council, financial_year, period, line, amount, transactions FROM finmon_data.ledger_summary
                       EXCEPT SELECT council, financial_year, period, line, sum(amount), count(*) FROM finmon_data.ledger GROUP BY 1, 2, 3, 4)
                      UNION ALL
                      (SELECT council, financial_year, period, line, sum(amount), count(*) FROM finmon_data.ledger GROUP BY 1, 2, 3, 4
                       EXCEPT SELECT council, financial_year, period, line, amount, transactions FROM finmon_data.ledger_summary)) d $$;
-- revenue_period's spend to date against its oracle: the ledger's transactions from April to the
-- period in plain SQL, for each council, year and node (the total '', each area, each line).
CREATE FUNCTION finmon_tap_ledger.spend_differences() RETURNS bigint LANGUAGE sql AS $$
WITH oracle AS (
    SELECT r.council, r.financial_year, r.period, n.path,
           CASE WHEN EXISTS (SELECT FROM finmon_data.ledger l WHERE l.council = r.council AND l.financial_year = r.financial_year)
                THEN COALESCE(sum(l.amount), 0) END AS actual_to_date
      FROM (SELECT DISTINCT council, financial_year, period FROM finmon_data.revenue) r
      JOIN (SELECT DISTINCT council, line, unnest(ARRAY['', split_part(line, ' > ', 1), line]) AS path FROM finmon_data.revenue) n
        ON n.council = r.council
      LEFT JOIN finmon_data.ledger l
        ON l.council = r.council AND l.financial_year = r.financial_year AND l.period <= r.period AND l.line = n.line
     GROUP BY r.council, r.financial_year, r.period, n.path)
SELECT count(*) FROM ((SELECT council, financial_year, period, path, actual_to_date FROM finmon.revenue_period
                       EXCEPT SELECT * FROM oracle)
                      UNION ALL
                      (SELECT * FROM oracle
                       EXCEPT SELECT council, financial_year, period, path, actual_to_date FROM finmon.revenue_period)) d $$;
-- What the latest refresh recomputed: each view, council and financial years.
CREATE TEMP VIEW last_refresh AS
SELECT string_agg(l.view_name || '/' || l.council || ' ' || COALESCE(l.financial_years::text, 'every year'), ', '
                  ORDER BY l.view_name, l.council) AS refreshed
  FROM finmon.refresh_log l
 WHERE l.status = 'ok' AND l.run = (SELECT max(x.run) FROM finmon.refresh_log x);

-- Partitions and summaries ----------------------------------------------------------------
SELECT is((SELECT count(*) FROM pg_inherits WHERE inhparent = 'finmon_data.ledger'::regclass), 3::bigint,
          'one partition per financial year');
-- (Against the loads above, not against the ledger itself: posting dates are 2019-04-01 plus
-- i % 1095 days, and 2020-21 is offsets 366..730, 2020-04-01..2021-03-31 (February 2020 has 29
-- days).  T1's i = 1..120000 is 109 whole cycles of 1095 (109 x 365 = 39785) and offsets
-- 1..645 (366..645: 280), 40065 rows; T2's i = 1..12000 is 10 cycles (3650) and offsets
-- 1..1050 (all 365), 4015 rows: 44080 in all.)
SELECT is((SELECT (count(*), count(*) FILTER (WHERE posting_date BETWEEN '2020-04-01' AND '2021-03-31'))::text
             FROM finmon_data.ledger_2020_21),
          '(44080,44080)', 'a year''s rows are in its partition: all 44080 loaded for 2020-21, each posted in it');
SELECT is(finmon_tap_ledger.summary_differences(), 0::bigint, 'after a bulk load the summary equals the ledger''s totals');
CREATE TEMP TABLE first_refresh AS SELECT * FROM finmon.refresh_period_views();
SELECT is(finmon_tap_ledger.spend_differences(), 0::bigint, 'revenue_period''s spend to date is the ledger''s');
CREATE TEMP TABLE t2_summary AS SELECT xmin::text || ctid::text AS version, * FROM finmon_data.ledger_summary WHERE council = 'T2';
CREATE TEMP TABLE t2_spend AS SELECT xmin::text || ctid::text AS version, * FROM finmon_data.revenue_spend_period WHERE council = 'T2';
-- 2.0 has no UPDATE or DELETE of the ledger: a reference loaded again replaces its transaction
-- (amounts and lines), and delete_figures deletes a period's transactions.
INSERT INTO finmon.ledger_import (council, posting_date, line, amount, reference)
SELECT council, posting_date::text, line, (amount + 1)::text, reference FROM finmon_data.ledger WHERE council = 'T1' AND reference IN ('T1', 'T2', 'T3');
INSERT INTO finmon.ledger_import (council, posting_date, line, amount, reference)
SELECT council, posting_date::text, 'Area 0 > Line 40', amount::text, reference FROM finmon_data.ledger WHERE council = 'T1' AND reference = 'T4';
CREATE TEMP TABLE period_6 AS SELECT count(*) AS n FROM finmon_data.ledger WHERE council = 'T1' AND financial_year = '2020-21' AND period = 6;
SELECT is(finmon.delete_figures('ledger', '2020-21', 6, 'T1'), (SELECT n FROM period_6),
          'delete_figures deletes T1''s transactions of 2020-21 period 6');
SELECT is((SELECT (amount, line)::text FROM finmon_data.ledger WHERE council = 'T1' AND reference = 'T4'), '(4525.1,"Area 0 > Line 40")',
          'a reference loaded again with another line moves its transaction');
SELECT is(finmon_tap_ledger.summary_differences(), 0::bigint,
          'reloads (of amounts and lines) and deletions keep the summary equal to the ledger''s totals');
SELECT is((SELECT count(*) FROM ((SELECT xmin::text || ctid::text, * FROM finmon_data.ledger_summary WHERE council = 'T2') EXCEPT ALL SELECT * FROM t2_summary) d)
        + (SELECT count(*) FROM (SELECT * FROM t2_summary EXCEPT ALL (SELECT xmin::text || ctid::text, * FROM finmon_data.ledger_summary WHERE council = 'T2')) d),
          0::bigint, 'T2''s summaries stay as they were (none rewritten)');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_refresh), 'revenue_spend_period/T1 {2019-20,2020-21}',
          'the next refresh recomputes T1''s spend for the years its loads and deletion changed, and nothing else');
SELECT is(finmon_tap_ledger.spend_differences(), 0::bigint, 'revenue_period''s spend to date is the ledger''s after it');
SELECT is((SELECT count(*) FROM ((SELECT xmin::text || ctid::text, * FROM finmon_data.revenue_spend_period WHERE council = 'T2') EXCEPT ALL SELECT * FROM t2_spend) d)
        + (SELECT count(*) FROM (SELECT * FROM t2_spend EXCEPT ALL (SELECT xmin::text || ctid::text, * FROM finmon_data.revenue_spend_period WHERE council = 'T2')) d),
          0::bigint, 'T2''s period rows stay as they were (none rewritten)');
CREATE TEMP TABLE t1_spend AS SELECT xmin::text || ctid::text AS version, * FROM finmon_data.revenue_spend_period WHERE council = 'T1';
SELECT cmp_ok(finmon.delete_figures('ledger', '2019-20', 1, 'T2'), '>', 0::bigint, 'a deletion in T2');
DO $$ BEGIN PERFORM finmon.refresh_period_views(); END $$;
SELECT is((SELECT refreshed FROM last_refresh), 'revenue_spend_period/T2 {2019-20}', 'recomputes T2''s spend for that year only');
SELECT is((SELECT count(*) FROM ((SELECT xmin::text || ctid::text, * FROM finmon_data.revenue_spend_period WHERE council = 'T1') EXCEPT ALL SELECT * FROM t1_spend) d)
        + (SELECT count(*) FROM (SELECT * FROM t1_spend EXCEPT ALL (SELECT xmin::text || ctid::text, * FROM finmon_data.revenue_spend_period WHERE council = 'T1')) d),
          0::bigint, 'and leaves T1''s period rows as they were');
SELECT is(finmon_tap_ledger.summary_differences() + finmon_tap_ledger.spend_differences(), 0::bigint,
          'the summaries and the spend to date are the ledger''s after it');
CREATE TEMP TABLE kept AS SELECT * FROM finmon_data.ledger_summary;
-- (2.0: the summaries are rebuilt council by council; with two councils one must be named.)
SELECT throws_ok($$SELECT finmon.rebuild_ledger_summary()$$, '22004', NULL, 'rebuild_ledger_summary() names its council when there are several');
SELECT is(finmon.rebuild_ledger_summary('T1'), (SELECT count(*) FROM kept WHERE council = 'T1'), 'a rebuild makes as many summary rows');
SELECT is((SELECT count(*) FROM (SELECT * FROM finmon_data.ledger_summary EXCEPT SELECT * FROM kept) d)
        + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM finmon_data.ledger_summary) d), 0::bigint,
          'and the same ones');

-- Plans: partitionwise and forced-parallel aggregation give identical answers ---------------
CREATE FUNCTION finmon_tap_ledger.answer(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN EXECUTE 'SELECT string_agg(x::text, '';'' ORDER BY x::text) FROM (' || q || ') x' INTO r; RETURN r; END $$;
CREATE FUNCTION finmon_tap_ledger.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; l text;
BEGIN r := ''; FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP r := r || l || E'\n'; END LOOP; RETURN r; END $$;
-- An aggregate's fields against the oracle's, as values, both ways (rows in one answer and not
-- the other's, or the other way round), in the plan the session's settings give.  When plan is
-- given, EXPLAIN (VERBOSE) of the comparison itself must show finmon's aggregate run as a
-- PARTIAL step, and match plan: the answer checked is the one that plan computed.
CREATE FUNCTION finmon_tap_ledger.oracle_check(fields text, oracle text, plan text, descr text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE q text := format('SELECT count(*) FROM (((%s) EXCEPT ALL (%s)) UNION ALL ((%s) EXCEPT ALL (%s))) d', fields, oracle, oracle, fields);
        p text := ''; l text; n bigint;
BEGIN
    IF plan IS NOT NULL THEN
        FOR l IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP p := p || l || E'\n'; END LOOP;
        IF p !~ 'PARTIAL finmon\.' OR p !~ plan THEN
            RETURN fail(descr) || E'\n' || diag('    the comparison did not run finmon''s aggregate in a ' || plan || ' plan:' || E'\n' || p);
        END IF;
    END IF;
    EXECUTE q INTO n;
    RETURN is(n, 0::bigint, descr);
END $$;
-- Each query; its aggregate's fields (the aggregate as a); the oracle, core sum() and count() of
-- the same rows, and numeric division as the aggregates' contracts state it.
CREATE TEMP TABLE q (k text, sql text, fields text, oracle text);
INSERT INTO q VALUES
    ('variance', $$SELECT council, line, finmon.variance_agg(amount, amount * 2) FROM finmon_data.ledger GROUP BY council, line$$,
     $$SELECT council, line, (a).budget, (a).forecast_outturn, (a).variance, (a).variance_pct
         FROM (SELECT council, line, finmon.variance_agg(amount, amount * 2) AS a FROM finmon_data.ledger GROUP BY council, line) x$$,
     $$SELECT council, line, sum(amount), sum(amount * 2), sum(amount * 2) - sum(amount),
              (sum(amount * 2) - sum(amount)) / nullif(sum(amount), 0) * 100
         FROM finmon_data.ledger GROUP BY council, line$$),
    ('savings', $$SELECT council, line, finmon.savings_agg(-amount, -amount / 2) FROM finmon_data.ledger GROUP BY council, line$$,
     $$SELECT council, line, (a).target, (a).forecast, (a).shortfall, (a).delivered_pct, (a).schemes, (a).schemes_off_target
         FROM (SELECT council, line, finmon.savings_agg(-amount, -amount / 2) AS a FROM finmon_data.ledger GROUP BY council, line) x$$,
     $$SELECT council, line, sum(-amount), sum(-amount / 2), sum(-amount / 2) - sum(-amount),
              sum(-amount / 2) / nullif(sum(-amount), 0) * 100, count(*), count(*) FILTER (WHERE -amount / 2 > -amount)
         FROM finmon_data.ledger GROUP BY council, line$$),
    ('rate', $$SELECT council, line, finmon.rate_agg(abs(amount), 1000 + period) FROM finmon_data.ledger GROUP BY council, line$$,
     $$SELECT council, line, (a).count, (a).population, (a).rate
         FROM (SELECT council, line, finmon.rate_agg(abs(amount), 1000 + period) AS a FROM finmon_data.ledger GROUP BY council, line) x$$,
     $$SELECT council, line, sum(abs(amount)), sum(1000 + period), sum(abs(amount)) * 100000 / sum(1000 + period)
         FROM finmon_data.ledger GROUP BY council, line$$),
    ('sum', $$SELECT council, line, sum(amount) FROM finmon_data.ledger GROUP BY council, line$$, NULL, NULL);
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL enable_partitionwise_aggregate = off;
CREATE TEMP TABLE serial AS SELECT k, finmon_tap_ledger.answer(sql) AS answer FROM q;
-- The plain answer against an independent oracle: the aggregates' totals are core sum()'s.
SELECT finmon_tap_ledger.oracle_check(q.fields, q.oracle, NULL, q.k || ': the plain answer''s totals are core sum()''s')
  FROM q WHERE q.oracle IS NOT NULL ORDER BY q.k;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT matches(finmon_tap_ledger.plan_of(sql), 'Partial (Hash|Group)?Aggregate', k || ': partitionwise plan aggregates each partition')
  FROM q ORDER BY k;
SELECT is(finmon_tap_ledger.answer(q.sql), s.answer, q.k || ': partitionwise answer identical to the plain one')
  FROM q JOIN serial s USING (k) ORDER BY q.k;
-- (and, partitionwise too, against the oracle: an error common to both plans cannot pass)
SELECT finmon_tap_ledger.oracle_check(q.fields, q.oracle, 'Partial (Hash|Group)?Aggregate',
                                      q.k || ': the partitionwise answer''s totals are core sum()''s')
  FROM q WHERE q.oracle IS NOT NULL ORDER BY q.k;
SET LOCAL enable_partitionwise_aggregate = off;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT matches(finmon_tap_ledger.plan_of(sql), 'Gather', k || ': forced-parallel plan gathers from workers')
  FROM q ORDER BY k;
SELECT is(finmon_tap_ledger.answer(q.sql), s.answer, q.k || ': forced-parallel answer identical to the serial one')
  FROM q JOIN serial s USING (k) ORDER BY q.k;
SELECT finmon_tap_ledger.oracle_check(q.fields, q.oracle, 'Gather', q.k || ': the forced-parallel answer''s totals are core sum()''s')
  FROM q WHERE q.oracle IS NOT NULL ORDER BY q.k;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- ledger_import -----------------------------------------------------------------------------
INSERT INTO finmon.revenue_import VALUES ('T1', '2022-23', '5', 'A > B', '1200', '1300'), ('T1', '2022-23', '5', 'C', '600', '500'),
                                         ('T2', '2022-23', '5', 'A > B', '100', '100'), ('T2', '2022-23', '5', 'D', '100', '100');
INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-10', 'A > B', '100', 'X1'), ('T1', '2022-05-10', 'A>B', '200.50', 'X2'),
                                        ('T1', '2022-08-31', 'C', '50', 'X3'), ('T1', '2022-09-01', 'C', '70', 'X4'),
                                        ('T2', '2022-04-10', 'A > B', '999', 'X1');
SELECT is((SELECT string_agg(format('%s/%s/%s', period, line, amount), ' ' ORDER BY reference) FROM finmon_data.ledger
            WHERE council = 'T1' AND financial_year = '2022-23'),
          '1/A > B/100 2/A > B/200.50 5/C/50 6/C/70', 'ledger_import derives period and year and tidies the line');
SELECT ok(to_regclass('finmon_data.ledger_2022_23') IS NOT NULL, 'ledger_import creates a missing year''s partition');
SELECT is((SELECT (c.relrowsecurity, c.relforcerowsecurity, (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid))::text
             FROM pg_class c WHERE c.oid = 'finmon_data.ledger_2022_23'::regclass),
          '(t,t,1)', 'a new partition has row-level security of its own, forced, with the council policy (for a role given it directly)');
-- (2.0 holds a load's rows in memory, not in a staging table: after the load none is held.)
SELECT throws_ok($$SELECT finmon_data.load_info('finmon.ledger_import'::regclass)$$, '55000', 'no load through ledger_import is in progress',
                 'nothing of a load is held after it');
INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-10', 'A > B', '150', 'X1');
SELECT is((SELECT (amount, count(*) OVER ())::text FROM finmon_data.ledger WHERE council = 'T1' AND financial_year = '2022-23' AND reference = 'X1'),
          '(150,1)', 'reloading a reference replaces the transaction');
SELECT is((SELECT amount FROM finmon_data.ledger WHERE council = 'T2' AND financial_year = '2022-23' AND reference = 'X1'),
          999::numeric, 'but not another council''s transaction with that reference');
SELECT is((SELECT string_agg(format('%s:%s', council, amount), ' ' ORDER BY council) FROM finmon_data.ledger_summary
            WHERE financial_year = '2022-23' AND period = 1 AND line = 'A > B'),
          'T1:150 T2:999', 'and the summary follows');

-- (2.0: messages name the column, posting_date, not "posting date".)
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-02-30', 'C', '1', 'Y')$$,
                 '22007', 'ledger_import row 1: invalid posting_date "2022-02-30"', 'ledger: an impossible date');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '30/04/2022', 'C', '1', 'Y')$$,
                 '22007', NULL, 'ledger: a date written another way');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '', 'C', '1', 'Y')$$,
                 '22004', 'ledger_import row 1: posting_date is empty', 'ledger: no date');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-01', 'Nowhere', '1', 'Y')$$,
                 '23503', 'ledger_import row 1: line "Nowhere" has no revenue figures', 'ledger: unknown line');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-01', 'D', '1', 'Y')$$,
                 '23503', 'ledger_import row 1: line "D" has no revenue figures', 'ledger: a line of another council''s only');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-01', 'C', '1,000', 'Y')$$,
                 '22P02', 'ledger_import row 1: amount "1,000" is not an amount', 'ledger: bad amount');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-01', 'C', '1', '')$$,
                 '22004', 'ledger_import row 1: reference is empty', 'ledger: no reference');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-01', 'C', '1', 'Z'), ('T1', '2022-05-01', 'C', '2', 'Z')$$,
                 '23505', 'ledger_import row 2: reference "Z" in 2022-23 appears twice in this load (first at row 1)',
                 'ledger: a reference twice in one load');
-- (A key twice in a plain INSERT is found when the primary key refuses it; the first row at
-- fault is still the one reported, before any other check's later row or a closed period.)
CREATE TEMP TABLE x1_before AS SELECT line, amount, posting_date FROM finmon_data.ledger WHERE council = 'T1' AND reference = 'X1';
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-01', 'C', '1', 'Z'), ('T1', '2022-05-01', 'C', '2', 'Z'),
                                                           ('T1', '2022-05-01', 'Nowhere', '2', 'W')$$,
                 '23505', 'ledger_import row 2: reference "Z" in 2022-23 appears twice in this load (first at row 1)',
                 'ledger: a reference twice, and a later row with an unknown line: the twice reported');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-01', 'Nowhere', '1', 'W'), ('T1', '2022-04-01', 'C', '1', 'Z'),
                                                           ('T1', '2022-05-01', 'C', '2', 'Z')$$,
                 '23503', 'ledger_import row 1: line "Nowhere" has no revenue figures',
                 'ledger: an unknown line, and a later reference twice: the line reported');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2022-04-11', 'C', '5', 'X1'), ('T1', '2022-04-12', 'C', '6', 'X1')$$,
                 '23505', 'ledger_import row 2: reference "X1" in 2022-23 appears twice in this load (first at row 1)',
                 'ledger: a reference already loaded, twice in one load');
INSERT INTO finmon.ledger_import VALUES ('T1', '2023-04-05', 'C', '3', 'Q1');
SELECT finmon.close_period('T1', '2023-24', 1);
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2023-04-01', 'C', '1', 'Z')$$,
                 '55000', 'finmon_data.ledger: 2023-24 period 1 of council T1 is closed, so its figures cannot change', 'ledger: a closed period');
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2023-04-01', 'C', '1', 'Z'), ('T1', '2023-04-02', 'C', '2', 'Z')$$,
                 '23505', 'ledger_import row 2: reference "Z" in 2023-24 appears twice in this load (first at row 1)',
                 'ledger: a reference twice in a closed period: the twice reported');
-- (Moving a transaction from a closed period into a later closed one: the earliest closed
-- period it would change is named, the replaced row's.)
SELECT finmon.close_period('T1', '2023-24', 3);
SELECT throws_ok($$INSERT INTO finmon.ledger_import VALUES ('T1', '2023-06-02', 'C', '4', 'Q1')$$,
                 '55000', 'finmon_data.ledger: 2023-24 period 1 of council T1 is closed, so its figures cannot change',
                 'ledger: a transaction moved into a later closed period: the earliest closed period it would change is named');
SELECT finmon.reopen_period('T1', '2023-24', 3, 'test');
SELECT finmon.reopen_period('T1', '2023-24', 1, 'test');
SELECT finmon.delete_figures('ledger', '2023-24', NULL, 'T1');
SELECT set_eq($$SELECT line, amount, posting_date FROM finmon_data.ledger WHERE council = 'T1' AND reference = 'X1'$$,
              $$SELECT * FROM x1_before$$, 'ledger: after the refused loads, X1 as it was');
-- (2.0: a row without a council, with two councils and no finmon.council set, has none.)
SELECT throws_ok($$INSERT INTO finmon.ledger_import (posting_date, line, amount, reference) VALUES ('2022-04-01', 'C', '1', 'Y')$$,
                 '22004', 'ledger_import row 1: council is empty and the database holds 2 councils', 'ledger: no council, and two in the database');
SELECT is((SELECT count(*) FROM finmon_data.ledger WHERE reference IN ('Y', 'Z')), 0::bigint, 'failed ledger loads keep nothing');

-- Budget profiles and spend to date -----------------------------------------------------------
INSERT INTO finmon.budget_profile_import
SELECT 'T1', '2022-23', 'A > B', p::text, CASE WHEN p <= 4 THEN '0.1' ELSE '0.075' END FROM generate_series(1, 12) p;
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('T1', '2022-23', 'C', '1', '0.5'), ('T1', '2022-23', 'C', '2', '0.4')$$,
                 '23514', 'budget_profile_import: the shares of line "C" in 2022-23 sum to 0.9, not 1', 'profile: shares not summing to 1');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('T1', '2022-23', 'C', '1', '1.5')$$,
                 '23514', 'budget_profile_import: the shares of line "C" in 2022-23 sum to 1.5, not 1', 'profile: a share above 1 alone sums to 1.5');
SELECT throws_ok($$INSERT INTO finmon.budget_profile_import VALUES ('T1', '2022-23', 'C', '13', '1')$$,
                 '22023', NULL, 'profile: period 13');
SELECT is((SELECT count(*) FROM finmon_data.budget_profile WHERE line = 'C'), 0::bigint, 'failed profile loads keep nothing');
SELECT is((SELECT (actual_to_date, profiled_budget_to_date)::text FROM finmon.revenue_report
            WHERE council = 'T1' AND financial_year = '2022-23' AND period = 5 AND path = 'A > B'),
          '(350.50,570.00)', 'A > B at P5: spend 150 + 200.50; budget 1200 profiled 4 x 0.1 + 0.075, to the penny');
SELECT is((SELECT (actual_to_date, round(profiled_budget_to_date, 2))::text FROM finmon.revenue_report
            WHERE council = 'T1' AND financial_year = '2022-23' AND period = 5 AND path = 'C'),
          '(50.00,250.00)', 'C at P5: the August 50, not September''s 70; no profile, so 600 x 5 / 12');
SELECT is((SELECT string_agg(format('%s:%s', period, actual_to_date), ' ' ORDER BY period) FROM finmon.revenue_spend_profile
            WHERE council = 'T1' AND financial_year = '2022-23' AND report_period = 5 AND path = ''),
          '1:150.00 2:350.50 3:350.50 4:350.50 5:400.50', 'the grand total period by period, for the chart');
SELECT is((SELECT string_agg(format('%s:%s', period, actual_to_date), ' ' ORDER BY period) FROM finmon.revenue_spend_profile
            WHERE council = 'T2' AND financial_year = '2022-23' AND report_period = 5 AND path = ''),
          '1:999.00 2:999.00 3:999.00 4:999.00 5:999.00', 'and T2''s, its own');
SELECT is((SELECT actual_to_date FROM finmon.revenue_report WHERE council = 'T1' AND financial_year = '2018-19' AND period = 12 AND path = ''),
          NULL, 'no ledger for the year: actual_to_date is NULL, not 0');

SELECT * FROM finish();
ROLLBACK;
-- finmon has no way to remove a council: the extension this file installed goes, with the
-- ledger's partitions (the files after this one install their own, in their transactions).
DROP EXTENSION finmon CASCADE;
DROP SCHEMA IF EXISTS finmon;
DROP SCHEMA finmon_tap_ledger CASCADE;
