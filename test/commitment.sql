-- pgTAP: care-package commitments. package_cost on hand-worked cases (leap day, a window
-- before the start, an open end, one day, a client contribution, half a penny); commitment_agg
-- against two oracles (the sum of package_cost, and plain SQL date arithmetic that uses no
-- finmon function) in serial, forced-parallel and window plans; its state type's text and
-- binary forms; packages_import's and demand_allowances_import's errors; commitment_forecast,
-- its demand allowance and package_activity on a small council worked by hand; adopting the
-- commitment forecast through the write path (audited, refused for a closed period).
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS finmon;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(118);
CREATE SCHEMA finmon_tap_commitment;

-- package_cost, worked by hand -------------------------------------------------------------------

SELECT is(finmon.package_cost(700, '2018-04-01', NULL, '2018-04-01', '2018-04-07'), 700.00,
          'a week of an open-ended £700 a week: £700.00');
SELECT is(finmon.package_cost(700, '2020-02-28', '2020-03-01', '2020-01-01', '2020-12-31'), 300.00,
          'leap year: 28 February to 1 March 2020 is 3 days, 700 x 3 / 7 = £300.00');
SELECT is(finmon.package_cost(700, '2019-02-28', '2019-03-01', '2019-01-01', '2019-12-31'), 200.00,
          'no leap day in 2019: 2 days, £200.00');
SELECT is(finmon.package_cost(350, '2018-06-01', NULL, '2018-04-01', '2018-05-31'), 0.00,
          'a window before the start: £0.00');
SELECT is(finmon.package_cost(350, '2018-04-01', '2018-04-30', '2018-05-01', '2018-05-31'), 0.00,
          'a window after the end: £0.00');
SELECT is(finmon.package_cost(735, '2018-04-09', NULL, '2018-04-01', '2019-03-31'), 37485.00,
          'open-ended from 9 April to 31 March: 357 days, 735 x 357 / 7 = £37,485.00');
SELECT is(finmon.package_cost(1, '2018-01-01', '2018-01-01', '2018-01-01', '2018-01-01'), 0.14,
          'one day of £1 a week: 1/7 = 0.142857, £0.14');
SELECT is(finmon.package_cost(210.50, '2018-06-15', '2018-12-31', '2018-04-01', '2018-07-31'), 1413.36,
          '47 days of £210.50 a week: 1413.357..., £1,413.36');
SELECT is(finmon.package_cost(-100, '2018-04-01', NULL, '2018-04-01', '2018-08-31'), -2185.71,
          'a client contribution of -£100 a week over 153 days: -2185.714..., -£2,185.71');
SELECT is(finmon.package_cost(0.035, '2018-04-01', NULL, '2018-04-01', '2018-04-01'), 0.01,
          'half a penny (0.035 / 7 = 0.005) rounds away from zero: £0.01');
SELECT is(finmon.package_cost(-0.035, '2018-04-01', NULL, '2018-04-01', '2018-04-01'), -0.01,
          'minus half a penny rounds away from zero: -£0.01');
SELECT is(finmon.package_cost(0.105, '2018-04-01', NULL, '2018-04-01', '2018-04-01'), 0.02,
          '0.105 / 7 = 0.015: £0.02');
SELECT is(finmon.package_cost(3.5000007, '2018-04-01', NULL, '2018-04-01', '2018-04-07'), 3.50,
          'seven decimal places (the numeric path): 3.5000007 x 7 / 7, £3.50');
SELECT is(finmon.package_cost(0.0350000001, '2018-04-01', NULL, '2018-04-01', '2018-04-01'), 0.01,
          'just over half a penny on the numeric path: £0.01');
SELECT is(finmon.package_cost(0.0349999999, '2018-04-01', NULL, '2018-04-01', '2018-04-01'), 0.00,
          'just under half a penny on the numeric path: £0.00');
SELECT is(finmon.package_cost(700, '2018-04-01', 'infinity', '2018-04-01', '2018-04-07'), 700.00,
          'an end of infinity is open-ended');
SELECT is(finmon.package_cost(700, '-infinity', '2018-04-03', '2018-04-01', '2018-04-07'), 300.00,
          'a start of -infinity: active from the window''s start, 3 days');
SELECT is(finmon.package_cost(NULL, '2018-04-01', NULL, '2018-04-01', '2018-04-07'), NULL,
          'NULL weekly cost: NULL');
SELECT is(finmon.package_cost(700, '2018-04-01', NULL, NULL, '2018-04-07'), NULL,
          'NULL window start: NULL');
SELECT is(pg_typeof(finmon.package_cost(700, '2018-04-01', NULL, '2018-04-01', '2018-04-07'))::text, 'numeric',
          'package_cost is numeric');
SELECT is(scale(finmon.package_cost(700, '2018-04-01', NULL, '2018-04-01', '2018-04-07')), 2,
          'to the penny: scale 2');

SELECT throws_ok($$SELECT finmon.package_cost(700, '2018-04-10', '2018-04-09', '2018-04-01', '2018-04-30')$$, '22023',
                 'priced period ends on 2018-04-09, before it starts on 2018-04-10', 'a period ending before it starts: 22023');
SELECT throws_ok($$SELECT finmon.package_cost(700, '2018-04-01', NULL, '2018-04-30', '2018-04-01')$$, '22023',
                 'window ends on 2018-04-01, before it starts on 2018-04-30', 'a window ending before it starts: 22023');
SELECT throws_ok($$SELECT finmon.package_cost(700, '2018-04-01', NULL, '2018-04-01', 'infinity')$$, '22008',
                 'window bound infinity is not a finite date', 'an infinite window: 22008');
SELECT throws_ok($$SELECT finmon.package_cost('NaN', '2018-04-01', NULL, '2018-04-01', '2018-04-30')$$, '22023', NULL,
                 'a weekly cost of NaN: 22023');

-- commitment_agg against two oracles --------------------------------------------------------------

-- 30,000 priced periods: costs with 0 to 2 decimal places, some negative, some open-ended, some
-- of one day, dates over three years; windows of a quarter, a year, a day and one outside.
CREATE TABLE finmon_tap_commitment.periods AS
SELECT i, 'L' || (i % 7) AS line, round(((i * 7919) % 200003)::numeric / 97 - 300, i % 3) AS weekly_cost, s AS starts,
       CASE WHEN i % 5 = 0 THEN NULL WHEN i % 11 = 0 THEN s ELSE s + ((i::bigint * 104729) % 800)::integer END AS ends
  FROM generate_series(1, 30000) i, LATERAL (SELECT date '2017-01-01' + (i * 31) % 1200 AS s) x;
CREATE TABLE finmon_tap_commitment.windows (window_start date, window_end date);
INSERT INTO finmon_tap_commitment.windows VALUES
    ('2018-04-01', '2018-06-30'), ('2018-04-01', '2019-03-31'), ('2018-09-30', '2018-09-30'), ('2025-01-01', '2025-12-31');
ANALYZE finmon_tap_commitment.periods;

-- the oracle in plain SQL date arithmetic, no finmon function: days active, cost rounded once
CREATE VIEW finmon_tap_commitment.oracle AS
SELECT w.window_start, w.window_end, p.line,
       COALESCE(sum(round(p.weekly_cost * d.days / 7, 2)) FILTER (WHERE d.days > 0), 0) AS cost,
       count(*) FILTER (WHERE d.days > 0) AS packages,
       COALESCE(sum(p.weekly_cost) FILTER (WHERE p.starts <= w.window_end AND (p.ends IS NULL OR p.ends >= w.window_end)), 0)
           AS weekly_cost_at_end
  FROM finmon_tap_commitment.windows w CROSS JOIN finmon_tap_commitment.periods p
 CROSS JOIN LATERAL (SELECT LEAST(COALESCE(p.ends, w.window_end), w.window_end) - GREATEST(p.starts, w.window_start) + 1 AS days) d
 GROUP BY w.window_start, w.window_end, p.line;

CREATE TABLE finmon_tap_commitment.serial AS
SELECT w.window_start, w.window_end, p.line, (finmon.commitment_agg(p.weekly_cost, p.starts, p.ends, w.window_start, w.window_end)).*,
       sum(finmon.package_cost(p.weekly_cost, p.starts, p.ends, w.window_start, w.window_end)) AS sum_of_costs
  FROM finmon_tap_commitment.windows w CROSS JOIN finmon_tap_commitment.periods p
 GROUP BY w.window_start, w.window_end, p.line;

SELECT is((SELECT count(*) FROM finmon_tap_commitment.serial), 28::bigint, 'serial: 4 windows x 7 lines');
SELECT is((SELECT count(*) FROM finmon_tap_commitment.serial WHERE cost IS DISTINCT FROM sum_of_costs), 0::bigint,
          'serial: cost is the sum of package_cost in every group');
SELECT bag_eq($$SELECT window_start, window_end, line, cost, packages, weekly_cost_at_end FROM finmon_tap_commitment.serial$$,
              $$SELECT * FROM finmon_tap_commitment.oracle$$,
              'serial: cost, packages and weekly cost at the end equal plain SQL date arithmetic, both ways');
SELECT ok((SELECT count(DISTINCT cost) > 20 AND bool_and(packages > 0) FROM finmon_tap_commitment.serial)
          AND (SELECT bool_or(weekly_cost < 0) AND bool_or(ends IS NULL) AND bool_or(ends = starts) FROM finmon_tap_commitment.periods),
          'the groups differ, and the rows include contributions, open ends and one-day periods (the test can fail)');

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION finmon_tap_commitment.plan_modes(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
    RETURN QUERY SELECT m #>> '{}' FROM jsonb_path_query(plan, 'strict $.**."Partial Mode"') AS m;
END;
$$;
SELECT ok('Partial' IN (SELECT finmon_tap_commitment.plan_modes($$
    SELECT p.line, finmon.commitment_agg(p.weekly_cost, p.starts, p.ends, '2018-04-01', '2019-03-31')
      FROM finmon_tap_commitment.periods p GROUP BY p.line$$)),
    'parallel: the plan has a Partial Aggregate');
SELECT bag_eq($$SELECT p.line, (finmon.commitment_agg(p.weekly_cost, p.starts, p.ends, '2018-04-01', '2019-03-31')).*
                  FROM finmon_tap_commitment.periods p GROUP BY p.line$$,
              $$SELECT line, cost, packages, weekly_cost_at_end FROM finmon_tap_commitment.oracle
                 WHERE window_start = '2018-04-01' AND window_end = '2019-03-31'$$,
              'parallel: equal to the plain SQL oracle, line by line');
SELECT ok('Partial' IN (SELECT finmon_tap_commitment.plan_modes($$
    SELECT finmon.commitment_agg(p.weekly_cost, p.starts, p.ends, '2018-04-01', '2019-03-31') FROM finmon_tap_commitment.periods p$$)),
    'parallel, ungrouped: a Partial Aggregate');
SELECT is((SELECT finmon.commitment_agg(p.weekly_cost, p.starts, p.ends, '2018-04-01', '2019-03-31') FROM finmon_tap_commitment.periods p),
          (SELECT ROW(sum(cost), sum(packages)::bigint, sum(weekly_cost_at_end))::finmon.commitment_summary
             FROM finmon_tap_commitment.oracle WHERE window_start = '2018-04-01' AND window_end = '2019-03-31'),
          'parallel, ungrouped: equal to the oracle''s total');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- window plans: a running total per line in start order, against the running sum of the oracle's
-- per-row cost
SELECT is((SELECT count(*) FROM (
    SELECT (finmon.commitment_agg(p.weekly_cost, p.starts, p.ends, '2018-04-01', '2019-03-31')
                OVER (PARTITION BY p.line ORDER BY p.starts, p.i)).cost AS running,
           sum(CASE WHEN d.days > 0 THEN round(p.weekly_cost * d.days / 7, 2) ELSE 0 END)
                OVER (PARTITION BY p.line ORDER BY p.starts, p.i) AS oracle
      FROM finmon_tap_commitment.periods p
     CROSS JOIN LATERAL (SELECT LEAST(COALESCE(p.ends, date '2019-03-31'), date '2019-03-31')
                                - GREATEST(p.starts, date '2018-04-01') + 1 AS days) d) x
    WHERE x.running <> x.oracle), 0::bigint,
    'window: the running cost per line equals the oracle''s running sum at all 30,000 rows');
SELECT bag_eq($$SELECT DISTINCT p.line,
                         (finmon.commitment_agg(p.weekly_cost, p.starts, p.ends, '2018-04-01', '2019-03-31') OVER (PARTITION BY p.line)).cost
                    FROM finmon_tap_commitment.periods p$$,
              $$SELECT line, cost FROM finmon_tap_commitment.oracle WHERE window_start = '2018-04-01' AND window_end = '2019-03-31'$$,
              'window over a whole partition: one total per line, the oracle''s');

SELECT is((SELECT finmon.commitment_agg(p.weekly_cost, p.starts, p.ends, '2018-04-01', '2019-03-31')
             FROM finmon_tap_commitment.periods p WHERE false),
          '(0.00,0,0.00)'::finmon.commitment_summary, 'no rows: (0.00, 0, 0.00)');
SELECT is((SELECT finmon.commitment_agg(w, s, e, '2018-04-01', '2018-04-07')
             FROM (VALUES (NULL::numeric, date '2018-04-01', NULL::date), (700, NULL, NULL), (700, '2018-04-01', NULL)) v(w, s, e)),
          '(700.00,1,700.00)'::finmon.commitment_summary, 'rows with a NULL weekly cost or start are ignored; a NULL end is open');
SELECT is((SELECT finmon.commitment_agg(w, '2018-04-01', NULL, '2018-04-01', '2018-04-07')
             FROM (VALUES (0.123456), (0.1)) v(w)),
          '(0.22,2,0.223456)'::finmon.commitment_summary, 'six decimal places kept in the weekly cost; the cost rounded per row (0.12 + 0.10)');
SELECT throws_ok($$SELECT finmon.commitment_agg(0.1234567, '2018-04-01', NULL, '2018-04-01', '2018-04-07')$$, '22023',
                 'weekly cost 0.1234567 has more than 6 decimal places', 'seven decimal places: 22023');
SELECT throws_ok($$SELECT finmon.commitment_agg(1e40, '2018-04-01', NULL, '2018-04-01', '2018-04-07')$$, '22003',
                 'weekly cost 10000000000000000000000000000000000000000 is out of range', 'a weekly cost beyond 128 bits: 22003');
SELECT throws_ok($$SELECT finmon.commitment_agg(3e31, '2018-04-01', NULL, '2018-04-01', '2018-04-01') FROM generate_series(1, 6)$$, '22003',
                 'commitment total is out of range', 'a total beyond 128 bits: 22003');
-- Found by the fuzz test (test/fuzz/commitment.sql): costs of 10^17 pounds and more kept their
-- pence (7e17 + 3.5000001 a week for one day is 1e17 + 0.50000001428...: 0.50, not 1.00), and
-- weekly costs of more than 36 digits are taken up to the documented 2^125 millionths x days
-- (2^125 = 42535295865117307932921825928971026432 millionths for one day; one more refused).
SELECT is(finmon.package_cost(700000000000000003.5000001, '2020-01-01', NULL, '2020-01-01', '2020-01-01'),
          100000000000000000.50, 'package_cost of 1e17 pounds and more keeps the pence');
SELECT is((finmon.commitment_agg(42535295865117307932921825928971.026432, '2020-01-01', NULL, '2020-01-01', '2020-01-01')).weekly_cost_at_end,
          42535295865117307932921825928971.026432, 'commitment_agg takes a weekly cost of exactly 2^125 millionths for one day');
SELECT throws_ok($$SELECT finmon.commitment_agg(42535295865117307932921825928971.026433, '2020-01-01', NULL, '2020-01-01', '2020-01-01')$$,
                 '22003', NULL, 'one millionth more a week for one day passes 2^125: 22003');
SELECT throws_ok($$SELECT finmon.commitment_agg('Infinity', '2018-04-01', NULL, '2018-04-01', '2018-04-07')$$, '22023', NULL,
                 'an infinite weekly cost: 22023');
SELECT throws_ok($$SELECT finmon.commitment_agg(1, '2018-04-02', '2018-04-01', '2018-04-01', '2018-04-07')$$, '22023',
                 'priced period ends on 2018-04-01, before it starts on 2018-04-02', 'the aggregate checks a period too: 22023');


-- the state type: its text form, and its binary form through COPY (the bytes Citus ships)
SELECT is('(3,1234.56,700.123456)'::finmon.commitment_state::text, '(3,1234.56,700.123456)', 'state text form: a round trip');
SELECT is(finmon.commitment_final('(3,1234.56,700.100000)'), '(1234.56,3,700.10)'::finmon.commitment_summary,
          'the final function of a state given as text: weekly cost to the penny when it is whole pence');
SELECT throws_ok($$SELECT '(3,1234.567,1)'::finmon.commitment_state$$, '22P02',
                 'invalid input syntax for type commitment_state: "(3,1234.567,1)"', 'a state''s cost below the penny: 22P02');
SELECT throws_ok($$SELECT '(-1,0,0)'::finmon.commitment_state$$, '22P02', NULL, 'a negative count in a state: 22P02');
SELECT throws_ok($$SELECT '(1,2)'::finmon.commitment_state$$, '22P02', NULL, 'a state of two numbers: 22P02');
SELECT throws_ok($$SELECT '(1, 2e0 ,3)'::finmon.commitment_state$$, '22P02', NULL, 'a state with spaces or an exponent: 22P02');
SELECT is(encode(finmon.commitment_state_send('(5,-99.99,123.456789)'), 'hex'),
          '0000000000000005' || 'ffffffffffffffff' || 'ffffffffffffd8f1' || '0000000000000000' || '00000000075bcd15',
          'binary form: the count, then the sums (-9999 pence, 123456789 millionths) as big-endian 128-bit integers');
CREATE TABLE finmon_tap_commitment.states (s finmon.commitment_state);
DO $$
BEGIN
    EXECUTE format('COPY (SELECT s FROM (VALUES (''(5,-99.99,123.456789)''::finmon.commitment_state)) v(s)) TO %L (FORMAT binary)',
                   current_setting('data_directory') || '/finmon_tap_state.bin');
    EXECUTE format('COPY finmon_tap_commitment.states FROM %L (FORMAT binary)', current_setting('data_directory') || '/finmon_tap_state.bin');
    -- a state whose count is -1, as bytes
    EXECUTE format('COPY (SELECT decode(%L, ''hex'')) TO %L (FORMAT binary)',
                   'ffffffffffffffff' || repeat('0', 64), current_setting('data_directory') || '/finmon_tap_state.bin');
END;
$$;
SELECT is((SELECT s::text FROM finmon_tap_commitment.states), '(5,-99.99,123.456789)', 'binary form: a round trip through COPY');
SELECT throws_ok(format('COPY finmon_tap_commitment.states FROM %L (FORMAT binary)', current_setting('data_directory') || '/finmon_tap_state.bin'),
                 '22P03', 'invalid commitment state: negative count -1', 'a negative count in a binary state: 22P03');

-- A council worked by hand ------------------------------------------------------------------------

INSERT INTO finmon.council_import VALUES ('PK1', 'Packages council'), ('PK2', 'Second packages council');
INSERT INTO finmon.revenue_import VALUES
    ('PK1', '2018-19', '5', 'Care > Older People', '120000', '80000'),
    ('PK1', '2018-19', '5', 'Care > Learning Disabilities', '50000', '1000'),
    ('PK1', '2018-19', '5', 'Care > Income', '-10000', '-6000'),
    ('PK1', '2018-19', '5', 'Staffing', '90000', '91000'),
    ('PK1', '2018-19', '4', 'Care > Older People', '120000', '70000'),
    ('PK1', '2018-19', '12', 'Care > Older People', '120000', '100000'),
    ('PK2', '2018-19', '5', 'Care', '1000', '1000');
INSERT INTO finmon.packages_import VALUES
    ('PK1', 'P1', 'Older People', 'residential', 'Care > Older People', '700.00', '2017-04-01', '2018-04-08'),
    ('PK1', 'P1', 'Older People', 'residential', 'Care > Older People', '735.00', '2018-04-09', ''),
    ('PK1', 'P2', 'Older People', 'home support', 'Care > Older People', '210.50', '2018-06-15', '2018-12-31'),
    ('PK1', 'P3', 'Learning Disabilities', 'supported living', 'Care > Learning Disabilities', '1200', '2018-09-10', NULL),
    ('PK1', 'P4', 'Older People', 'nursing', 'Care > Older People', '800', '2018-05-01', '2018-08-20'),
    ('PK1', 'C1', 'Older People', 'residential', 'Care > Income', '-100', '2018-04-01', NULL),
    ('PK2', 'Q1', 'Older People', 'residential', 'Care', '500', '2018-04-01', NULL);
SELECT is((SELECT count(*) FROM finmon_data.packages WHERE council = 'PK1'), 6::bigint, 'packages_import: six priced periods of PK1');
SELECT is((SELECT ends FROM finmon_data.packages WHERE council = 'PK1' AND package = 'P1' AND starts = '2018-04-09'), NULL::date,
          'an empty end is open-ended (NULL)');
SELECT is((SELECT count(*) FROM finmon_data.audit_log WHERE council = 'PK1' AND table_name = 'packages' AND action = 'insert'), 6::bigint,
          'the audit log has a row per priced period loaded');

-- Period 5 (to 31 August 2018; 212 days left; 13 weeks before it, 1 June), by hand:
-- Older People: to date 800.00 (P1 at 700, 8 days) + 15225.00 (P1 at 735, 145 days) + 2345.57
-- (P2, 78 days) + 12800.00 (P4, 112 days) = 31170.57; committed 22260.00 (P1, 212 days) +
-- 3668.71 (P2 to 31 December, 122 days) = 25928.71 (P4 ended on 20 August); in place on 31
-- August P1 735 + P2 210.50 = 945.50, on 1 June P1 735 + P4 800 = 1535: growth -589.50 in 13
-- weeks, -45.35 a week; allowance -589.50 x 212 x 213 / 1274 = -20894.397, -20894.40.
-- Learning Disabilities: P3 starts on 10 September, after the period end: nothing committed
-- (it is the demand allowance's to foresee). Income: C1 -100 a week, 153 days to date
-- -2185.71, 212 days committed -3028.57, no growth.
SELECT results_eq($$SELECT path, packages, weekly_cost, cost_to_date, actual_to_date, committed_cost, demand_basis, weekly_growth,
                           demand_allowance, commitment_forecast, forecast_outturn, difference
                      FROM finmon.commitment_forecast WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 5
                     ORDER BY row_order$$,
    $$VALUES ('', 3::bigint, 845.50::numeric(18,2), 28984.86::numeric(18,2), NULL::numeric(18,2), 22900.14::numeric(18,2),
              'trend', -45.35::numeric(18,2), -20894.40::numeric(18,2), 30990.60::numeric(18,2), 75000.00::numeric(18,2),
              -44009.40::numeric(18,2)),
             ('Care', 3, 845.50, 28984.86, NULL, 22900.14, 'trend', -45.35, -20894.40, 30990.60, 75000.00, -44009.40),
             ('Care > Older People', 2, 945.50, 31170.57, NULL, 25928.71, 'trend', -45.35, -20894.40, 36204.88, 80000.00, -43795.12),
             ('Care > Learning Disabilities', 0, 0.00, 0.00, NULL, 0.00, 'trend', 0.00, 0.00, 0.00, 1000.00, -1000.00),
             ('Care > Income', 1, -100.00, -2185.71, NULL, -3028.57, 'trend', 0.00, 0.00, -5214.28, -6000.00, 785.72)$$,
    'period 5: every column of each line with packages and of the totals, worked by hand (Staffing has none and is not listed)');
SELECT results_eq($$SELECT cost_to_date, committed_cost, weekly_cost, weekly_growth, demand_allowance, commitment_forecast
                      FROM finmon.commitment_forecast WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 4
                       AND path = 'Care > Older People'$$,
    $$VALUES (24697.65::numeric(18,2), 32401.64::numeric(18,2), 1745.50::numeric(18,2), 16.19::numeric(18,2),
              9796.68::numeric(18,2), 66895.97::numeric(18,2))$$,
    'period 4 (243 days left; 1 May): to date 800.00 + 11970.00 + 1413.36 + 10514.29, committed 25515.00 + 4600.93 + 2285.71, '
    'growth 210.50, allowance 210.50 x 243 x 244 / 1274 = 9796.68');
SELECT results_eq($$SELECT cost_to_date, committed_cost, demand_allowance, commitment_forecast
                      FROM finmon.commitment_forecast WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 12
                       AND path = 'Care > Older People'$$,
    $$VALUES (57099.29::numeric(18,2), 0.00::numeric(18,2), 0.00::numeric(18,2), 57099.29::numeric(18,2))$$,
    'period 12: the year''s cost 800.00 + 37485.00 (357 days) + 6014.29 (200 days) + 12800.00, nothing left to commit');
-- Runs of priced periods: what is committed at the end of 2018-19 period 5 (31 August)
INSERT INTO finmon.council_import VALUES ('PK3', 'Runs council');
INSERT INTO finmon.revenue_import VALUES ('PK3', '2018-19', '5', 'Care', '50000', '50000');
INSERT INTO finmon.packages_import VALUES
    ('PK3', 'R1', 'Older People', 'home support', 'Care', '100', '2018-07-01', '2018-09-30'),
    ('PK3', 'R1', 'Older People', 'home support', 'Care', '110', '2018-10-01', NULL),
    ('PK3', 'G1', 'Older People', 'home support', 'Care', '200', '2018-07-01', '2018-08-31'),
    ('PK3', 'G1', 'Older People', 'home support', 'Care', '200', '2018-10-01', NULL),
    ('PK3', 'F1', 'Older People', 'home support', 'Care', '300', '2018-10-01', NULL);
SELECT results_eq($$SELECT package, starts, run_start FROM finmon_data.packages WHERE council = 'PK3' ORDER BY package, starts$$,
    $$VALUES ('F1', '2018-10-01'::date, '2018-10-01'::date), ('G1', '2018-07-01', '2018-07-01'), ('G1', '2018-10-01', '2018-10-01'),
             ('R1', '2018-07-01', '2018-07-01'), ('R1', '2018-10-01', '2018-07-01')$$,
    'run_start: R1''s price change continues its run; G1 starts again after a break in September');
-- in place on 31 August: R1 (100) and G1 (200, ending that day); committed: R1 at 100 for
-- September's 30 days, 428.57, and at 110 for the 182 days from October, 2860.00 (G1 after its
-- break and F1, new, are not); to date 62 days of R1, 885.71, and of G1, 1771.43; growth 300
-- (nothing in place on 1 June): 300 x 212 x 213 / 1274 = 10633.281
SELECT results_eq($$SELECT packages, weekly_cost, cost_to_date, committed_cost, demand_allowance, commitment_forecast
                      FROM finmon.commitment_forecast WHERE council = 'PK3' AND path = 'Care'$$,
    $$VALUES (2::bigint, 300.00::numeric(18,2), 2657.14::numeric(18,2), 3288.57::numeric(18,2), 10633.28::numeric(18,2),
              16578.99::numeric(18,2))$$,
    'committed: the priced periods running on from those in place, not a package starting again after a break');
INSERT INTO finmon.packages_import VALUES
    ('PK3', 'G1', 'Older People', 'home support', 'Care', '200', '2018-07-01', '2018-08-31'),
    ('PK3', 'G1', 'Older People', 'home support', 'Care', '200', '2018-09-01', NULL);
SELECT is((SELECT committed_cost FROM finmon.commitment_forecast WHERE council = 'PK3' AND path = 'Care'), 9345.71::numeric(18,2),
          'G1 reloaded without the break: its run_start is recomputed and 200 x 212 / 7 = 6057.14 is committed too');
-- A falling allowance stops what is committed, never reverses it (2018-19 period 1: 30 April,
-- 335 days left, 13 weeks before it 29 January): Ended's only package ended on 15 March, so
-- nothing is in place (700 then); Falling's F2 ended on 20 April, leaving F1's 700 a week
-- (1400 then), committed 700 x 335 / 7 = 33500.00: the trend, -700 x 335 x 336 / 1274 =
-- -61846.15, is held to 0 and to -33500.00. Far's end of 9999-12-31 is read as written.
INSERT INTO finmon.council_import VALUES ('PK4', 'Falling council');
INSERT INTO finmon.revenue_import VALUES ('PK4', '2018-19', '1', 'Ended', '1000', '1000'), ('PK4', '2018-19', '1', 'Falling', '1000', '1000'),
                                         ('PK4', '2018-19', '1', 'Far', '1000', '1000');
INSERT INTO finmon.packages_import VALUES
    ('PK4', 'E1', 'Older People', 'residential', 'Ended', '700', '2017-10-01', '2018-03-15'),
    ('PK4', 'F1', 'Older People', 'residential', 'Falling', '700', '2018-01-01', NULL),
    ('PK4', 'F2', 'Older People', 'residential', 'Falling', '700', '2017-12-01', '2018-04-20'),
    ('PK4', 'L1', 'Older People', 'residential', 'Far', '100', '2018-04-01', '9999-12-31');
SELECT results_eq($$SELECT path, cost_to_date, committed_cost, weekly_growth, demand_allowance, commitment_forecast
                      FROM finmon.commitment_forecast WHERE council = 'PK4' AND is_leaf ORDER BY row_order$$,
    $$VALUES ('Ended', 0.00::numeric(18,2), 0.00::numeric(18,2), -53.85::numeric(18,2), 0.00::numeric(18,2), 0.00::numeric(18,2)),
             ('Falling', 5000.00, 33500.00, -53.85, -33500.00, 5000.00),
             ('Far', 428.57, 4785.71, 7.69, 8835.16, 14049.44)$$,
    'a falling trend held at what is committed (Far: 30 days to date, 335 committed, growth 100: 100 x 335 x 336 / 1274)');
SELECT is((SELECT max(financial_year) FROM finmon_data.package_activity_computed WHERE council = 'PK4'), '2018-19',
          'package_activity runs to the year of the latest start, not of an end in 9999');
SELECT is((SELECT commitment_forecast FROM finmon_data.commitment_forecast
            WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 5 AND path = 'Care > Older People'
              AND weekly_growth = -589.50 / 13), 36204.88, 'the full-digit view keeps the exact weekly growth (-589.50 / 13)');

-- actuals loaded for the period: the actual to date replaces the packages' own cost
INSERT INTO finmon.actuals_import VALUES ('PK1', '2018-19', '5', 'Care > Older People', '30000');
SELECT results_eq($$SELECT path, actual_to_date, commitment_forecast FROM finmon.commitment_forecast
                     WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 5 AND is_leaf ORDER BY row_order$$,
    $$VALUES ('Care > Older People', 30000.00::numeric(18,2), 35034.31::numeric(18,2)),
             ('Care > Learning Disabilities', 0.00, 0.00), ('Care > Income', 0.00, -3028.57)$$,
    'with actuals: 30000.00 + 25928.71 - 20894.40; lines without a row have spent nothing');

-- Adopting it, through the write path
SELECT is(finmon.adopt_commitment_forecast('PK1', '2018-19', 5), 3::bigint, 'adopt_commitment_forecast: three lines written');
SELECT results_eq($$SELECT line, budget, forecast_outturn FROM finmon_data.revenue
                     WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 5 ORDER BY line$$,
    $$VALUES ('Care > Income', -10000::numeric, -3028.57::numeric), ('Care > Learning Disabilities', 50000, 0.00),
             ('Care > Older People', 120000, 35034.31), ('Staffing', 90000, 91000)$$,
    'the forecasts are the commitment forecasts; budgets and the line without packages are as loaded');
SELECT is((SELECT count(*) FROM finmon_data.audit_log WHERE council = 'PK1' AND table_name = 'revenue' AND action = 'update'
              AND financial_year = '2018-19' AND period = 5), 3::bigint, 'the audit log has a row per line changed');
SELECT is((SELECT sum(difference) FROM finmon.commitment_forecast
            WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 5 AND is_leaf), 0.00::numeric,
          'afterwards the commitment forecast and the forecast outturn agree');
SELECT is(finmon.adopt_commitment_forecast('PK1', ' 2018-19 ', 5), 3::bigint, 'adopting again');
SELECT is((SELECT count(*) FROM finmon_data.audit_log WHERE council = 'PK1' AND table_name = 'revenue' AND action = 'update'
              AND financial_year = '2018-19' AND period = 5), 3::bigint, 'adopting again changes nothing, and logs nothing');
SELECT finmon.close_period('PK1', '2018-19', 5);
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast('PK1', '2018-19', 5)$$, '55000', NULL,
                 'adopting into a closed period: 55000');
SELECT finmon.reopen_period('PK1', '2018-19', 5, 'test');
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast('PK1', '2018-19', 6)$$, 'P0002',
                 'adopt_commitment_forecast: council PK1 has no line with packages and revenue figures at 2018-19 period 6',
                 'a period without revenue figures: P0002');
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast('PK1', '2018/19', 5)$$, '22007', NULL, 'a malformed year: 22007');
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast('PK1', '2018-19', 13)$$, '22023', NULL, 'period 13: 22023');
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast('NOPE', '2018-19', 5)$$, '23503',
                 'adopt_commitment_forecast: council "NOPE" is not defined', 'an unknown council: 23503');
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast(NULL, '2018-19', 5)$$, '22004', NULL,
                 'no council named, in a database of several: 22004');

-- The demand allowance: the council's setting, and a line's own
SELECT throws_ok($$INSERT INTO finmon.settings_import VALUES ('PK1', 'demand_allowance', 'sometimes')$$, '22023',
                 'settings_import row 1: demand_allowance "sometimes" is not trend or none', 'an unknown demand_allowance setting: 22023');
INSERT INTO finmon.settings_import VALUES ('PK1', 'demand_allowance', 'none');
SELECT results_eq($$SELECT path, demand_basis, weekly_growth, demand_allowance FROM finmon.commitment_forecast
                     WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 5 ORDER BY row_order$$,
    $$VALUES ('', 'none', 0.00::numeric(18,2), 0.00::numeric(18,2)), ('Care', 'none', 0.00, 0.00),
             ('Care > Older People', 'none', 0.00, 0.00), ('Care > Learning Disabilities', 'none', 0.00, 0.00),
             ('Care > Income', 'none', 0.00, 0.00)$$,
    'setting demand_allowance = none: no allowance anywhere');
INSERT INTO finmon.demand_allowances_import VALUES ('PK1', '2018-19', 'Care > Older People', '10');
SELECT results_eq($$SELECT path, demand_basis, weekly_growth, demand_allowance, commitment_forecast FROM finmon.commitment_forecast
                     WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 5 AND path IN ('', 'Care > Older People')
                     ORDER BY row_order$$,
    $$VALUES ('', 'mixed', 10.00::numeric(18,2), 4607.76::numeric(18,2), 57507.90::numeric(18,2)),
             ('Care > Older People', 'override', 10.00, 4607.76, 60536.47)$$,
    'a line''s own growth of £10 a week: 10 x 212 x 213 / 98 = 4607.755, 4607.76 (30000.00 + 25928.71 + 4607.76); '
    'the total''s basis is mixed');
SELECT throws_ok($$INSERT INTO finmon.demand_allowances_import VALUES ('PK1', '2018-19', 'Staff', '10')$$, '23503',
                 'demand_allowances_import row 1: line "Staff" has no revenue figures in 2018-19', 'an override for an unknown line: 23503');
SELECT throws_ok($$INSERT INTO finmon.demand_allowances_import VALUES ('PK1', '2018-19', 'Staffing', '1.234')$$, '22P02',
                 'demand_allowances_import row 1: weekly_growth "1.234" is not a whole number of pence', 'an override below the penny: 22P02');

-- People supported, by hand (with no small-number threshold), then as published
INSERT INTO finmon.settings_import VALUES ('PK1', 'small_number_threshold', '0');
SELECT results_eq($$SELECT financial_year, period, client_group, service, people, weekly_cost, average_weekly_cost, starts, ends
                     FROM finmon.package_activity WHERE council = 'PK1'
                      AND (financial_year, period) IN (('2017-18', 1), ('2018-19', 1), ('2018-19', 2), ('2018-19', 5), ('2018-19', 6))
                     ORDER BY financial_year, period, client_group, service$$,
    $$VALUES ('2017-18', 1, 'Older People', 'residential', 1::bigint, 700.00::numeric(18,2), 700.00::numeric(18,2), 1::bigint, 0::bigint),
             ('2018-19', 1, 'Older People', 'residential', 1, 735.00, 735.00, 0, 0),
             ('2018-19', 2, 'Older People', 'nursing', 1, 800.00, 800.00, 1, 0),
             ('2018-19', 2, 'Older People', 'residential', 1, 735.00, 735.00, 0, 0),
             ('2018-19', 5, 'Older People', 'home support', 1, 210.50, 210.50, 0, 0),
             ('2018-19', 5, 'Older People', 'nursing', 0, 0.00, NULL, 0, 1),
             ('2018-19', 5, 'Older People', 'residential', 1, 735.00, 735.00, 0, 0),
             ('2018-19', 6, 'Learning Disabilities', 'supported living', 1, 1200.00, 1200.00, 1, 0),
             ('2018-19', 6, 'Older People', 'home support', 1, 210.50, 210.50, 0, 0),
             ('2018-19', 6, 'Older People', 'residential', 1, 735.00, 735.00, 0, 0)$$,
    'package_activity: in place at the period end, starting and ending in the period; P1''s price change is neither, '
    'the contribution C1 is no one');
SELECT is((SELECT count(DISTINCT (financial_year, period)) FROM finmon.package_activity WHERE council = 'PK1'), 24::bigint,
          'every period of 2017-18 and 2018-19, from the first start''s year to the latest''s (P1 is in place throughout)');
INSERT INTO finmon.settings_import VALUES ('PK1', 'small_number_threshold', '2');
SELECT results_eq($$SELECT people, weekly_cost, average_weekly_cost, starts, ends FROM finmon.package_activity
                     WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 6 AND service = 'supported living'$$,
                  $$VALUES (NULL::bigint, NULL::numeric(18,2), NULL::numeric(18,2), NULL::bigint, NULL::bigint)$$,
                  'below the threshold (2), one person''s count and care cost are not published');
SELECT results_eq($$SELECT people, weekly_cost, average_weekly_cost, starts, ends FROM finmon_data.package_activity_computed
                     WHERE council = 'PK1' AND financial_year = '2018-19' AND period = 6 AND service = 'supported living'$$,
                  $$VALUES (1::bigint, 1200.00::numeric, 1200.00::numeric, 1::bigint, 0::bigint)$$,
                  'editors read them in finmon_data.package_activity_computed');

-- packages_import's errors: each fails the whole load
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Nowhere', '1', '2018-04-01', '')$$,
                 '23503', 'packages_import row 1: line "Care > Nowhere" has no revenue figures', 'an unknown line: 23503');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '1', '2018-04-01', ''),
                                                             ('PK1', 'X2', 'Older People', 'residential', 'Care > Older People', '1', '2018-04-10', '2018-04-09')$$,
                 '23514', 'packages_import row 2: package "X2" ends on 2018-04-09, before it starts on 2018-04-10', 'an end before the start: 23514');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '1', '2018-04-01', '2018-04-30'),
                                                             ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '2', '2018-04-30', '')$$,
                 '23P01', 'packages_import row 2: package "X1": the period starting 2018-04-30 overlaps the one starting 2018-04-01 (row 1)',
                 'two periods of a package sharing a day: 23P01');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '3', '2018-05-01', ''),
                                                             ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '1', '2018-01-01', ''),
                                                             ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '2', '2018-03-01', '2018-03-31')$$,
                 '23P01', 'packages_import row 1: package "X1": the period starting 2018-05-01 overlaps the one starting 2018-01-01 (row 2)',
                 'an open-ended period overlapping two later ones, in any order in the file: the first row at fault is named');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '1', '2018-04-01', '2018-04-30'),
                                                             ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '2', '2018-04-01', '2018-04-30')$$,
                 '23505', 'packages_import row 2: package "X1" starting 2018-04-01 appears twice in this load (first at row 1)',
                 'a period loaded twice: 23505');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '1', '2018-04-01', '2018-02-30')$$,
                 '22007', 'packages_import row 1: invalid ends "2018-02-30"', 'an impossible end date: 22007');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '1', '1899-12-31', '')$$,
                 '22008', 'packages_import row 1: package "X1" starts on 1899-12-31, outside 1 April 1900 to 31 March 3000',
                 'a start before 1900: 22008');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '1', '', '')$$,
                 '22004', 'packages_import row 1: starts is empty', 'no start: 22004');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '10.005', '2018-04-01', '')$$,
                 '22P02', 'packages_import row 1: weekly_cost "10.005" is not a whole number of pence', 'a weekly cost below the penny: 22P02');
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'X1', 'Older People', 'residential', 'Care > Older People', '', '2018-04-01', '')$$,
                 '22004', 'packages_import row 1: weekly_cost is empty', 'no weekly cost: 22004');
SELECT is((SELECT count(*) FROM finmon_data.packages WHERE council = 'PK1'), 6::bigint, 'nothing of a failed load is kept');

-- a load replaces every package it names: P1's two periods become one, then two again
INSERT INTO finmon.packages_import VALUES ('PK1', 'P1', 'Older People', 'residential', 'Care > Older People', '700', '2017-04-01', '');
SELECT results_eq($$SELECT starts, ends, weekly_cost FROM finmon_data.packages WHERE council = 'PK1' AND package = 'P1'$$,
                  $$VALUES ('2017-04-01'::date, NULL::date, 700::numeric)$$, 'a reload of a package replaces all its periods');
SELECT results_eq($$SELECT action, key ->> 'starts' FROM finmon_data.audit_log
                     WHERE council = 'PK1' AND table_name = 'packages' AND action <> 'insert' ORDER BY key ->> 'starts'$$,
                  $$VALUES ('update', '2017-04-01'), ('delete', '2018-04-09')$$,
                  'the audit log: the first period updated, the second deleted');
SELECT is((SELECT count(*) FROM finmon_data.packages WHERE council = 'PK1'), 6::bigint - 1, 'the other packages are kept');
SELECT is(finmon.delete_figures('packages', council => 'PK2'), 1::bigint, 'delete_figures(''packages'') deletes a council''s packages');
SELECT throws_ok($$SELECT finmon.delete_figures('packages', '2018-19', NULL, 'PK2')$$, '22023', NULL,
                 'packages are not kept by financial year: 22023');

-- Who may do what
CREATE ROLE finmon_tap_pk_reader IN ROLE finmon_reader;
CREATE ROLE finmon_tap_pk_editor IN ROLE finmon_editor;
SELECT finmon.grant_council('finmon_tap_pk_reader', 'PK2'), finmon.grant_council('finmon_tap_pk_editor', 'PK2');
INSERT INTO finmon.packages_import VALUES ('PK2', 'Q1', 'Older People', 'residential', 'Care', '500', '2018-04-01', NULL);
SET LOCAL ROLE finmon_tap_pk_reader;
SELECT is((SELECT array_agg(DISTINCT council) FROM finmon.commitment_forecast), ARRAY['PK2'], 'a reader reads its own council''s commitment forecast');
SELECT is((SELECT array_agg(DISTINCT council) FROM finmon.package_activity), ARRAY['PK2'], 'and its own council''s people supported');
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast('PK2', '2018-19', 5)$$, '42501', NULL, 'a reader may not adopt: 42501');
RESET ROLE;
GRANT EXECUTE ON FUNCTION finmon.adopt_commitment_forecast(text, text, integer) TO finmon_tap_pk_reader;
SET LOCAL ROLE finmon_tap_pk_reader;
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast('PK2', '2018-19', 5)$$, '42501',
                 'adopt_commitment_forecast: adopting a forecast needs finmon_editor', 'not even when given the function: 42501');
SELECT throws_ok($$SELECT * FROM finmon_data.packages$$, '42501', NULL, 'nor read the packages themselves: 42501');
RESET ROLE;
SET LOCAL ROLE finmon_tap_pk_editor;
SELECT throws_ok($$INSERT INTO finmon.packages_import VALUES ('PK1', 'Z1', 'Older People', 'residential', 'Care > Older People', '1', '2018-04-01', NULL)$$,
                 '42501', 'packages_import row 1: council "PK1" is not one whose figures you may change',
                 'an editor of PK2 loads no packages of PK1: 42501');
SELECT throws_ok($$INSERT INTO finmon.demand_allowances_import VALUES ('PK1', '2018-19', 'Care > Older People', '1')$$,
                 '42501', 'demand_allowances_import row 1: council "PK1" is not one whose figures you may change',
                 'nor a demand allowance: 42501');
SELECT throws_ok($$SELECT finmon.delete_figures('packages', council => 'PK1')$$, '42501', NULL, 'nor deletes PK1''s packages: 42501');
SELECT is((SELECT array_agg(DISTINCT council) FROM finmon_data.packages) || (SELECT array_agg(DISTINCT council) FROM finmon_data.commitment_lines)
          || (SELECT array_agg(DISTINCT council) FROM finmon_data.package_activity_computed), ARRAY['PK2', 'PK2', 'PK2'],
          'and reads PK2''s packages, commitment lines and unsuppressed activity alone');
SELECT throws_ok($$SELECT finmon.adopt_commitment_forecast('PK1', '2018-19', 5)$$, '42501',
                 'adopt_commitment_forecast: council "PK1" is not one whose figures you may change', 'an editor of another council: 42501');
-- PK2 at period 5: 500 a week, 153 days to date 10928.57, 212 days committed 15142.86, no growth
SELECT is(finmon.adopt_commitment_forecast('PK2', '2018-19', 5), 1::bigint, 'an editor adopts for its own council');
RESET ROLE;
SELECT is((SELECT forecast_outturn FROM finmon_data.revenue WHERE council = 'PK2' AND period = 5), 26071.43,
          'PK2''s forecast is 10928.57 + 15142.86');
SELECT is((SELECT changed_by FROM finmon_data.audit_log WHERE council = 'PK2' AND table_name = 'revenue' AND action = 'update'),
          'finmon_tap_pk_editor', 'the audit log names the editor');

SELECT * FROM finish();
ROLLBACK;
