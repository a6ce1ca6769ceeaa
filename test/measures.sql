-- pgTAP: the performance-measure imports (every error path with its SQLSTATE, atomic loads,
-- replacement), periods and printing, and the rules of finmon.measure_report: population
-- year, targets by month and year, status thresholds, worsening runs, exceptions,
-- published against computed values, small-number suppression; finmon.measure_benchmark.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(90);

INSERT INTO finmon.council_import VALUES ('T1', 'Test council');

INSERT INTO finmon.measures_import VALUES
    ('R', 'A rate per 100,000 aged 65+', 'per 100000', '100000', '65+', 'lower'),
    ('P', 'A proportion', '%', '100', '', 'Higher'),
    ('C', 'A count', 'count', '1', '', 'higher');
SELECT is((SELECT (polarity, age_band)::text FROM finmon.measure WHERE measure = 'P'), '(higher,)',
          'polarity is stored in lower case; an empty age band is NULL');

-- Measures ----------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('', 't', 'u', '1', '', 'lower')$$,
                 '22004', 'measures_import row 1: measure is empty', 'measures: empty code');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('X', '', 'u', '1', '', 'lower')$$,
                 '22004', 'measures_import row 1: title is empty', 'measures: empty title');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('X', 't', ' ', '1', '', 'lower')$$,
                 '22004', 'measures_import row 1: unit is empty', 'measures: empty unit');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('X', 't', 'u', '100,000', '', 'lower')$$,
                 '22P02', 'measures_import row 1: multiplier "100,000" is not an amount', 'measures: bad multiplier');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('X', 't', 'u', '0', '', 'lower')$$,
                 '22023', 'measures_import row 1: multiplier 0 is not positive', 'measures: zero multiplier');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('X', 't', 'u', '1', '', 'smaller')$$,
                 '22023', 'measures_import row 1: polarity "smaller" is not lower or higher', 'measures: bad polarity');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('X', 't', 'u', '1', '', '')$$,
                 '22004', 'measures_import row 1: polarity is empty', 'measures: empty polarity');
SELECT throws_ok($$INSERT INTO finmon.measures_import VALUES ('X', 't', 'u', '1', '', 'lower'), ('X', 't', 'u', '1', '', 'lower')$$,
                 '23505', 'measures_import row 2: measure "X" appears twice in this load (first at row 1)', 'measures: twice in one load');
SELECT is((SELECT count(*) FROM finmon.measure WHERE measure = 'X'), 0::bigint, 'a failed measures load keeps nothing');
INSERT INTO finmon.measures_import VALUES ('C', 'A count of things', 'count', '1', '', 'higher');
SELECT is((SELECT title FROM finmon.measure WHERE measure = 'C'), 'A count of things', 'reloading a measure replaces it');

-- Population ------------------------------------------------------------------------------
INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '2015', '65+', '100000'), ('A', '2017', '65+', '120000');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('', '2016', '65+', '1')$$,
                 '22004', 'population_import row 1: area is empty', 'population: empty area');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '16', '65+', '1')$$,
                 '22007', 'population_import row 1: invalid year "16"', 'population: two-digit year');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '0000', '65+', '1')$$,
                 '22007', NULL, 'population: year 0');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '', '65+', '1')$$,
                 '22004', 'population_import row 1: year is empty', 'population: empty year');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '2016', '', '1')$$,
                 '22004', 'population_import row 1: age_band is empty', 'population: empty age band');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '2016', '65+', '-5')$$,
                 '22023', 'population_import row 1: population -5 is negative', 'population: negative');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '2016', '65+', 'many')$$,
                 '22P02', 'population_import row 1: population "many" is not an amount', 'population: not a number');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '2016', '65+', '1000.5')$$,
                 '22P02', 'population_import row 1: population "1000.5" is not a whole number', 'population: a fraction of a person');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('M1', 'A', '2016-04', '2', '3.25')$$,
                 '22P02', 'activity_import row 1: denominator "3.25" is not a whole number', 'activity: a fractional count');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '2016', '65+', '1.5e0')$$,
                 '22P02', 'population_import row 1: population "1.5e0" is not a whole number', 'population: a fraction, with an exponent');
SELECT throws_ok($$INSERT INTO finmon.population_import (area, year, age_band, population) VALUES ('A', '2016', '65+', '1'), ('A', '2016', '65+', '2')$$,
                 '23505', 'population_import row 2: population of A 65+ in 2016 appears twice in this load (first at row 1)',
                 'population: twice in one load');
SELECT is(finmon.population_at('T1', 'A', '65+', 2016), 100000::numeric, 'population_at falls back to the latest earlier estimate');
SELECT is(finmon.population_at('T1', 'A', '65+', 2017), 120000::numeric, 'population_at takes the year''s own estimate');
SELECT is(finmon.population_at('T1', 'A', '65+', 2014), NULL, 'population_at: nothing earlier is NULL');

-- Activity ----------------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('NOPE', 'A', '2016-01', '1', '')$$,
                 '23503', 'activity_import row 1: measure "NOPE" is not defined', 'activity: unknown measure');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('', 'A', '2016-01', '1', '')$$,
                 '22004', 'activity_import row 1: measure is empty', 'activity: empty measure');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('R', '', '2016-01', '1', '')$$,
                 '22004', 'activity_import row 1: area is empty', 'activity: empty area');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('R', 'A', '2016-13', '1', '')$$,
                 '22007', 'activity_import row 1: invalid month "2016-13"', 'activity: month 13');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('R', 'A', '01/2016', '1', '')$$,
                 '22007', NULL, 'activity: month written another way');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('R', 'A', '', '1', '')$$,
                 '22004', 'activity_import row 1: month is empty', 'activity: empty month');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('R', 'A', '2016-01', '-1', '')$$,
                 '22023', 'activity_import row 1: numerator -1 is negative', 'activity: negative count');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('R', 'A', '2016-01', '', '')$$,
                 '22004', 'activity_import row 1: numerator is empty', 'activity: empty count');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('P', 'A', '2016-01', '11', '10')$$,
                 '22023', 'activity_import row 1: numerator 11 is greater than denominator 10', 'activity: numerator above denominator');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('P', 'A', '2016-01', '1', 'ten')$$,
                 '22P02', 'activity_import row 1: denominator "ten" is not an amount', 'activity: bad denominator');
SELECT throws_ok($$INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator) VALUES ('R', 'A', '2016-01', '1', ''), ('R', 'A', '2016-01', '2', '')$$,
                 '23505', 'activity_import row 2: R for A in 2016-01 appears twice in this load (first at row 1)',
                 'activity: twice in one load');
SELECT is((SELECT count(*) FROM finmon_data.activity), 0::bigint, 'failed activity loads keep nothing');

-- Values, targets, comparators, benchmarks ---------------------------------------------------
SELECT throws_ok($$INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('R', 'A', '2016-13', '1')$$,
                 '22007', 'values_import row 1: invalid period "2016-13"', 'values: month 13');
SELECT throws_ok($$INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('R', 'A', '2015-17', '1')$$,
                 '22007', NULL, 'values: not a financial year');
SELECT throws_ok($$INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('R', 'A', '', '1')$$,
                 '22004', 'values_import row 1: period is empty', 'values: empty period');
SELECT throws_ok($$INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('R', 'A', '2016-01', '86.2%')$$,
                 '22P02', 'values_import row 1: value "86.2%" is not an amount', 'values: a percent sign');
SELECT throws_ok($$INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('Q', 'A', '2016-01', '1')$$,
                 '23503', 'values_import row 1: measure "Q" is not defined', 'values: unknown measure');
SELECT throws_ok($$INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('R', 'A', '2016-01', '1'), ('R', 'A', '2016-01', '1')$$,
                 '23505', 'values_import row 2: R for A in 2016-01 appears twice in this load (first at row 1)', 'values: twice in one load');
SELECT throws_ok($$INSERT INTO finmon.targets_import (measure, area, period, target) VALUES ('R', 'A', '2016-01', '')$$,
                 '22004', 'targets_import row 1: target is empty', 'targets: empty target');
SELECT throws_ok($$INSERT INTO finmon.targets_import (measure, area, period, target) VALUES ('R', 'A', 'Q3', '1')$$,
                 '22007', 'targets_import row 1: invalid period "Q3"', 'targets: a quarter is not a period');
SELECT throws_ok($$INSERT INTO finmon.comparators_import ("group", area) VALUES ('', 'A')$$,
                 '22004', 'comparators_import row 1: group is empty', 'comparators: empty group');
SELECT throws_ok($$INSERT INTO finmon.comparators_import ("group", area) VALUES ('G', '')$$,
                 '22004', 'comparators_import row 1: area is empty', 'comparators: empty area');
SELECT throws_ok($$INSERT INTO finmon.comparators_import ("group", area) VALUES ('G', 'A'), ('G', 'A')$$,
                 '23505', 'comparators_import row 2: A in G appears twice in this load (first at row 1)', 'comparators: twice');
SELECT throws_ok($$INSERT INTO finmon.benchmarks_import (measure, "group", area, period, group_average, rank, group_size) VALUES ('R', 'G', 'A', '2015-16', '1', 'first', '16')$$,
                 '22P02', 'benchmarks_import row 1: rank "first" is not a whole number from 1', 'benchmarks: bad rank');
SELECT throws_ok($$INSERT INTO finmon.benchmarks_import (measure, "group", area, period, group_average, rank, group_size) VALUES ('R', 'G', 'A', '2015-16', '1', '17', '16')$$,
                 '22P02', 'benchmarks_import row 1: group_size "16" is not a whole number of at least the rank', 'benchmarks: rank beyond the group');
SELECT throws_ok($$INSERT INTO finmon.benchmarks_import (measure, "group", area, period, group_average, rank, group_size) VALUES ('R', 'G', 'A', '2016-01', '1', '1', '16')$$,
                 '22007', NULL, 'benchmarks: a month is not a financial year');
SELECT throws_ok($$INSERT INTO finmon.benchmarks_import (measure, "group", area, period, group_average, rank, group_size) VALUES ('R', 'G', 'A', '2015-16', 'avg', '1', '16')$$,
                 '22P02', NULL, 'benchmarks: bad average');

-- Periods and printing --------------------------------------------------------------------
SELECT is(finmon.period_month('2016-11'), date '2016-11-01', 'period_month: a month');
SELECT is(finmon.period_month('2015-16'), NULL, 'period_month: a financial year is not a month');
SELECT is(finmon.period_month('2010-11'), NULL, 'period_month: 2010-11 could be either, and is read as a financial year');
SELECT is(finmon.format_measure(86.2, '%'), '86.2%', 'format_measure: a percentage');
SELECT is(finmon.format_measure(3495, 'per 100000'), '3,495', 'format_measure: thousands separators');
SELECT is(finmon.format_measure(19.20, 'score'), '19.20', 'format_measure: its own decimal places');

-- Report rules ------------------------------------------------------------------------------
-- R: 13 months Jan 2016 to Jan 2017, 10 a month except 20 in Jan 2017.
INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator)
SELECT 'R', 'A', to_char(date '2016-01-01' + i * interval '1 month', 'YYYY-MM'), CASE WHEN i = 12 THEN '20' ELSE '10' END, ''
  FROM generate_series(0, 12) i;
SELECT is((SELECT (r12_numerator, r12_denominator)::text FROM finmon.measure_report WHERE measure = 'R' AND month = '2016-12-01'),
          '(120,100000)', 'the rolling 12 months to December 2016 use the estimate for 2016 (here the 2015 one, the latest earlier)');
SELECT is((SELECT (r12_numerator, r12_denominator, round(r12_value, 4))::text FROM finmon.measure_report WHERE measure = 'R' AND month = '2017-01-01'),
          '(130,120000,108.3333)', 'January 2017 uses the 2017 estimate: 130 / 120000 * 100000');
SELECT is((SELECT r12_numerator FROM finmon.measure_report WHERE measure = 'R' AND month = '2016-11-01'),
          NULL, 'fewer than 12 months loaded: no rolling value');
SELECT is((SELECT (ytd_numerator, ytd_denominator)::text FROM finmon.measure_report WHERE measure = 'R' AND month = '2017-01-01'),
          '(110,100000)', 'year to date from April 2016 (9 months of 10, then 20), over the estimate for 2016, the year 2016-17 starts in');
SELECT is((SELECT ytd_numerator FROM finmon.measure_report WHERE measure = 'R' AND month = '2016-02-01'),
          NULL, 'year to date needs every month from April: none for February 2016 (April 2015 to January 2016 missing)');
SELECT is((SELECT worsening_months FROM finmon.measure_report WHERE measure = 'R' AND month = '2017-01-01'),
          0, 'lower is better: 108.33 after 120.00 is no worse (more admissions, but a larger 2017 population)');

-- Targets and status at the boundaries: 120 per 100,000 at December 2016.
INSERT INTO finmon.targets_import (measure, area, period, target) VALUES ('R', 'A', '2016-12', '120'), ('R', 'A', '2016-17', '100');
SELECT is((SELECT (target, round(target_diff_pct, 2), status)::text FROM finmon.measure_report WHERE measure = 'R' AND month = '2016-12-01'),
          '(120.0000,0.00,"on target")', 'exactly on target is on target; the month''s target wins over the year''s');
SELECT is((SELECT (target, round(target_diff_pct, 2), status, exception)::text FROM finmon.measure_report WHERE measure = 'R' AND month = '2017-01-01'),
          '(100.0000,8.33,"off target",t)', 'the year''s target applies to January; 8.33% worse is off target and an exception');
INSERT INTO finmon.targets_import (measure, area, period, target) VALUES ('R', 'A', '2016-12', '114.3');
SELECT is((SELECT status FROM finmon.measure_report WHERE measure = 'R' AND month = '2016-12-01'),
          'within 5%', '120 against 114.3 is 4.99% worse: within 5%');
INSERT INTO finmon.targets_import (measure, area, period, target) VALUES ('R', 'A', '2016-12', '114.28');
SELECT is((SELECT status FROM finmon.measure_report WHERE measure = 'R' AND month = '2016-12-01'),
          'off target', '120 against 114.28 is 5.007% worse: off target');

-- Published values fill months without counts; counts win where both exist.
INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('R', 'A', '2015-12', '50'), ('R', 'A', '2016-12', '999');
SELECT is((SELECT (source, r12_value)::text FROM finmon.measure_report WHERE measure = 'R' AND month = '2015-12-01'),
          '(published,50.0000)', 'a published value for a month without counts');
SELECT is((SELECT (source, round(r12_value, 4))::text FROM finmon.measure_report WHERE measure = 'R' AND month = '2016-12-01'),
          '(computed,120.0000)', 'counts win over a published value for the same month');

-- Worsening runs and the exception they raise (higher is better for P).
INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('P', 'A', '2016-01', '80'), ('P', 'A', '2016-02', '79'),
    ('P', 'A', '2016-03', '78'), ('P', 'A', '2016-04', '77'), ('P', 'A', '2016-05', '77'), ('P', 'A', '2016-06', '76');
SELECT is((SELECT string_agg(worsening_months::text, ',' ORDER BY month) FROM finmon.measure_report WHERE measure = 'P'),
          '0,1,2,3,0,1', 'worsening months count up while the value falls and restart when it does not');
SELECT is((SELECT string_agg(exception::text, ',' ORDER BY month) FROM finmon.measure_report WHERE measure = 'P'),
          'false,false,false,true,false,false', 'three months worsening running is an exception');

-- Small numbers in proportions: 107 of 108 is suppressed (only 1 is not), 99 of 108 is not.
INSERT INTO finmon.measures_import VALUES ('Q', 'Another proportion', '%', '100', '', 'higher');
INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator)
SELECT 'Q', 'A', to_char(date '2015-04-01' + i * interval '1 month', 'YYYY-MM'),
       CASE WHEN i < 11 THEN '9' WHEN i = 11 THEN '8' ELSE '1' END, '9'
  FROM generate_series(0, 12) i;
INSERT INTO finmon.targets_import (measure, area, period, target) VALUES ('Q', 'A', '2016-03', '90');
SELECT is((SELECT (r12_numerator, r12_denominator, r12_value, r12_ci_lower, r12_ci_upper, r12_suppressed)::text
             FROM finmon.measure_report WHERE measure = 'Q' AND month = '2016-03-01'),
          '(,108,,,,t)', '107 of 108: the complement, 1, is below 5, so count, value and interval are suppressed');
SELECT is((SELECT (target_diff_pct, status)::text FROM finmon.measure_report WHERE measure = 'Q' AND month = '2016-03-01'),
          '(,"on target")', 'suppressed: the exact difference from target is withheld, the status is shown');
SELECT is((SELECT (r12_numerator, round(r12_value, 4), r12_suppressed)::text FROM finmon.measure_report WHERE measure = 'Q' AND month = '2016-04-01'),
          '(99,91.6667,f)', '99 of 108 is shown');
SELECT is((SELECT (ytd_numerator, ytd_value, ytd_suppressed)::text FROM finmon.measure_report WHERE measure = 'Q' AND month = '2016-04-01'),
          '(,,t)', 'a year to date of 1 is suppressed');
SELECT ok((SELECT r12_ci_lower < 91.6667 AND r12_ci_upper > 91.6667 AND r12_ci_upper <= 100 FROM finmon.measure_report
            WHERE measure = 'Q' AND month = '2016-04-01'), 'a proportion''s interval brackets it, within 0 to 100%');

-- 2.0: measure definitions are shared by every council, so a definition keeps the place it was
-- first defined at whatever loads it again, changed or not (one council's load must not reorder
-- another's dashboard); the dashboard follows the file that first defined them.
INSERT INTO finmon.measures_import VALUES
    ('R', 'A rate per 100,000 aged 65+ (corrected)', 'per 100000', '100000', '65+', 'lower'),
    ('P', 'A proportion', '%', '100', '', 'Higher'),
    ('C', 'A count of things', 'count', '1', '', 'higher'),
    ('Q', 'Another proportion', '%', '100', '', 'higher');
SELECT is((SELECT string_agg(DISTINCT row_order || ':' || measure, ' ' ORDER BY row_order || ':' || measure) FROM finmon.dashboard),
          '1:R 2:P 4:Q', 'reloading the whole measures file with one title corrected: the dashboard keeps its order');

-- Benchmarking over published yearly values: higher is better for P; ties share a rank.
INSERT INTO finmon.comparators_import ("group", area) VALUES ('G', 'A'), ('G', 'B'), ('G', 'C'), ('G', 'D');
INSERT INTO finmon.values_import (measure, area, period, value) VALUES ('P', 'A', '2015-16', '70'), ('P', 'B', '2015-16', '80'), ('P', 'C', '2015-16', '80');
SELECT is((SELECT string_agg(format('%s:%s', area, rank), ' ' ORDER BY area) FROM finmon.measure_benchmark
            WHERE measure = 'P' AND financial_year = '2015-16'),
          'A:3 B:1 C:1', 'rank 1 is best; B and C tie');
SELECT is((SELECT (round(group_average, 4), group_size, group_members)::text FROM finmon.measure_benchmark
            WHERE measure = 'P' AND financial_year = '2015-16' AND area = 'A'),
          '(76.6667,3,4)', 'the average of the members with a value; D has none');
SELECT is((SELECT count(*) FROM finmon.measure_benchmark WHERE measure = 'P' AND financial_year = '2015-16' AND area = 'D'),
          0::bigint, 'a member with no value has no benchmark row');

-- Q's rolling 12 months to March 2016 (107 of 108) is suppressed in measure_report: it is not
-- benchmarked either, where the group's average and the rank would give it back.
SELECT is((SELECT count(*) FROM finmon.measure_benchmark WHERE measure = 'Q' AND financial_year = '2015-16'), 0::bigint,
          'a value measure_report suppresses is not benchmarked');
SELECT is((SELECT count(*) FROM finmon_data.measure_computed WHERE measure = 'Q' AND month = '2016-03-01' AND r12_value IS NOT NULL), 1::bigint,
          '(though it was computed)');

-- A second council (2.0) --------------------------------------------------------------------
-- Measure definitions are shared; its populations, counts, targets, values, comparators and
-- threshold, for the same measures, areas and months, change none of the first council's rows.
CREATE TEMP TABLE t1_report AS SELECT * FROM finmon.measure_report;
CREATE TEMP TABLE t1_benchmark AS SELECT * FROM finmon.measure_benchmark;
INSERT INTO finmon.council_import VALUES ('T2', 'Second council');
INSERT INTO finmon.population_import VALUES ('T2', 'A', '2016', '65+', '999999');
INSERT INTO finmon.activity_import
SELECT 'T2', m, 'A', to_char(date '2015-02-01' + i * interval '1 month', 'YYYY-MM'), '1000', CASE m WHEN 'Q' THEN '1000' ELSE '' END
  FROM generate_series(0, 23) i, unnest(ARRAY['R', 'Q']) m;
INSERT INTO finmon.targets_import VALUES ('T2', 'R', 'A', '2016-12', '1'), ('T2', 'R', 'A', '2016-17', '1'), ('T2', 'Q', 'A', '2016-03', '1');
INSERT INTO finmon.values_import VALUES ('T2', 'R', 'A', '2014-11', '7'), ('T2', 'P', 'A', '2016-03', '1'), ('T2', 'P', 'A', '2016-07', '1'),
    ('T2', 'P', 'E', '2015-16', '99'), ('T2', 'P', 'B', '2015-16', '1');
INSERT INTO finmon.comparators_import VALUES ('T2', 'G', 'A'), ('T2', 'G', 'E');
INSERT INTO finmon.settings_import VALUES ('T2', 'small_number_threshold', '0');
SELECT bag_eq($$SELECT * FROM finmon.measure_report WHERE council = 'T1'$$, $$SELECT * FROM t1_report$$,
              'the first council''s measure report is unchanged (populations, windows, targets, published values, worsening, suppression)');
SELECT bag_eq($$SELECT * FROM finmon.measure_benchmark WHERE council = 'T1'$$, $$SELECT * FROM t1_benchmark$$,
              'the first council''s benchmarks are unchanged (its own comparator group and values)');
SELECT is(finmon.population_at('T1', 'A', '65+', 2016), 100000::numeric, 'population_at reads the council''s own estimates');
SELECT is(finmon.population_at('T2', 'A', '65+', 2016), 999999::numeric, 'and the second council its own');
SELECT is((SELECT (r12_numerator, r12_denominator)::text FROM finmon.measure_report WHERE council = 'T2' AND measure = 'R' AND month = '2016-01-01'),
          (SELECT (sum(numerator), 999999)::text FROM finmon_data.activity
            WHERE council = 'T2' AND measure = 'R' AND area = 'A' AND month BETWEEN '2015-02-01' AND '2016-01-01'),
          'the second council''s rolling 12 months sum its own counts (as core sum() does), over its own population');
SELECT is((SELECT (r12_numerator, r12_suppressed)::text FROM finmon.measure_report WHERE council = 'T2' AND measure = 'Q' AND month = '2016-03-01'),
          '(12000,f)', 'the second council''s threshold of 0 suppresses nothing (12000 of 12000)');
SELECT is((SELECT (group_members, group_size, rank)::text FROM finmon.measure_benchmark
            WHERE council = 'T2' AND measure = 'P' AND financial_year = '2015-16' AND area = 'E'),
          '(2,1,1)', 'the second council''s comparator group has its own members (B is not one)');

SELECT * FROM finish();
ROLLBACK;
