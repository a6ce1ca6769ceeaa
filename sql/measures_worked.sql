-- A worked example on counts and populations of our own making (not Norfolk's): rolling
-- 12-month and year-to-date rates with 95% intervals, a proportion, small-number
-- suppression, targets, worsening and exceptions, and benchmarking computed from a
-- comparator group's values. Every figure below was checked by hand; the intervals against
-- SciPy 1.10.1 (Byar's method with norm.ppf(0.975); Wilson with the same z).
\pset null ''
-- Exampleshire is a council of its own beside the sample councils; the rows below name no
-- council, so the setting finmon.council says whose they are.
INSERT INTO finmon.council_import VALUES ('X00000002', 'Exampleshire (worked example)');
SET finmon.council = 'X00000002';

INSERT INTO finmon.measures_import VALUES
    ('ADM65', 'Permanent admissions to care homes per 100,000 aged 65+', 'per 100000', '100000', '65+', 'lower'),
    ('REAB', 'Still at home 91 days after reablement', '%', '100', '', 'higher'),
    ('DOLS', 'Example small-number measure per 100,000 aged 18+', 'per 100000', '100000', '18+', 'lower');
-- Mid-year estimates: 65+ for 2015 and 2016; 18+ for 2014 and 2016 only.
INSERT INTO finmon.population_import (area, year, age_band, population) VALUES
    ('Exampleshire', '2015', '65+', '180000'), ('Exampleshire', '2016', '65+', '182000'),
    ('Exampleshire', '2014', '18+', '690000'), ('Exampleshire', '2016', '18+', '700000');
-- Admissions April 2015 to May 2016.
INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator)
SELECT 'ADM65', 'Exampleshire', to_char(date '2015-04-01' + (i - 1) * interval '1 month', 'YYYY-MM'), n::text, ''
  FROM unnest(ARRAY[95, 88, 92, 90, 97, 85, 91, 99, 102, 96, 89, 94, 101, 98]) WITH ORDINALITY AS c(n, i);
-- Reablement: people still at home of those discharged, April 2015 to March 2016.
INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator)
SELECT 'REAB', 'Exampleshire', to_char(date '2015-04-01' + (i - 1) * interval '1 month', 'YYYY-MM'), n::text, '45'
  FROM unnest(ARRAY[40, 41, 39, 42, 38, 40, 43, 41, 40, 39, 42, 44]) WITH ORDINALITY AS c(n, i);
-- A rare event: 4 in the year, below the small-number threshold of 5.
INSERT INTO finmon.activity_import (measure, area, month, numerator, denominator)
SELECT 'DOLS', 'Exampleshire', to_char(date '2015-04-01' + (i - 1) * interval '1 month', 'YYYY-MM'), n::text, ''
  FROM unnest(ARRAY[0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]) WITH ORDINALITY AS c(n, i);
-- A year's target applies to each of its months; a month's own target wins.
INSERT INTO finmon.targets_import (measure, area, period, target) VALUES
    ('ADM65', 'Exampleshire', '2015-16', '600'), ('ADM65', 'Exampleshire', '2016-05', '590'),
    ('REAB', 'Exampleshire', '2015-16', '92');

-- Admissions. Rolling 12 months to March 2016: 1118 admissions over the 2016 estimate
-- (182000, the calendar year March 2016 falls in) = 614.29, 95% CI 578.80 to 651.38. Year to
-- date at March 2016: the same 1118 over the 2015 estimate (180000, the year the financial
-- year starts in) = 621.11. April 2016 starts a new year to date: 101 / 182000 = 55.49.
-- Against target: March 614.29 vs 600 is 2.38% worse (within 5%); May 623.08 vs its own
-- target 590 is 5.61% worse (off target), and worse than April, which was worse than March:
-- two months worsening. April has no target (none set for 2016-17).
SELECT to_char(month, 'YYYY-MM') AS month, r12_numerator, r12_denominator, round(r12_value, 2) AS r12_rate,
       round(r12_ci_lower::numeric, 2) AS r12_lower, round(r12_ci_upper::numeric, 2) AS r12_upper,
       ytd_numerator, ytd_denominator, round(ytd_value, 2) AS ytd_rate,
       target, round(target_diff_pct, 2) AS pct_worse, status, worsening_months, exception
  FROM finmon.measure_report
 WHERE measure = 'ADM65' AND area = 'Exampleshire' AND month >= '2016-01-01'
 ORDER BY month;

-- Reablement: 489 of 540 = 90.56%, Wilson 95% CI 87.79% to 92.74%; target 92 (higher is
-- better): 1.57% worse, within 5%. Months before March have no rolling value.
SELECT to_char(month, 'YYYY-MM') AS month, r12_numerator, r12_denominator, round(r12_value, 2) AS r12_pct,
       round(r12_ci_lower::numeric, 2) AS r12_lower, round(r12_ci_upper::numeric, 2) AS r12_upper,
       ytd_numerator, ytd_denominator, round(ytd_value, 2) AS ytd_pct, round(target_diff_pct, 2) AS pct_worse, status
  FROM finmon.measure_report
 WHERE measure = 'REAB' AND area = 'Exampleshire' AND month >= '2016-02-01'
 ORDER BY month;

-- Small numbers: 4 events in the rolling year, below 5: the count, the rate and its interval
-- (from which the count could be recovered, given the population) are suppressed. Year to
-- date the counts are 0 to 4 and suppressed too. (Unsuppressed, below: 4 / 700000 = 0.5714
-- per 100,000, exact Poisson 95% CI 0.1557 to 1.4631, as the count is below 10.) The year to
-- date of 2015-16 needs the 2015 18+ estimate, which is not loaded: the latest earlier one
-- (2014: 690000) is used.
SELECT to_char(month, 'YYYY-MM') AS month, r12_numerator, r12_denominator, r12_value, r12_ci_lower,
       r12_suppressed, ytd_numerator, ytd_denominator, ytd_value, ytd_suppressed
  FROM finmon.measure_report
 WHERE measure = 'DOLS' AND area = 'Exampleshire' AND month IN ('2015-04-01', '2015-12-01', '2016-03-01')
 ORDER BY month;

-- Raising the threshold is a setting; at 0 nothing is suppressed.
INSERT INTO finmon.settings_import (name, value) VALUES ('small_number_threshold', '0');
SELECT r12_numerator, round(r12_value, 4) AS r12_rate, round(r12_ci_lower::numeric, 4) AS r12_lower,
       round(r12_ci_upper::numeric, 4) AS r12_upper
  FROM finmon.measure_report
 WHERE measure = 'DOLS' AND area = 'Exampleshire' AND month = '2016-03-01';
SELECT finmon.delete_figures('settings') AS settings_deleted;

-- Benchmarking: Exampleshire's 2015-16 value is computed (the rolling 12 months to March 2016,
-- 614.29); the other two members' are published. Average (614.2857 + 580 + 650) / 3 = 614.76;
-- lower is better, so Otherton ranks 1, Exampleshire 2, Thirdshire 3.
INSERT INTO finmon.comparators_import ("group", area) VALUES
    ('Example family', 'Exampleshire'), ('Example family', 'Otherton'), ('Example family', 'Thirdshire');
INSERT INTO finmon.values_import (measure, area, period, value) VALUES
    ('ADM65', 'Otherton', '2015-16', '580'), ('ADM65', 'Thirdshire', '2015-16', '650');
SELECT area, round(value, 2) AS value, source, comparator_group, round(group_average, 2) AS group_average,
       rank, group_size, group_members
  FROM finmon.measure_benchmark
 WHERE measure = 'ADM65' AND financial_year = '2015-16'
 ORDER BY rank;

-- rate_agg combines areas or age bands: two areas' March 2016 rolling counts and populations,
-- 1658 / 277000 = 598.56 per 100,000, 95% CI 570.09 to 628.08.
SELECT (finmon.rate_agg(n, p)).*
  FROM (VALUES (1118::numeric, 182000::numeric), (540, 95000)) AS v(n, p);

-- dsr_agg: a directly standardised rate over three age bands with the European Standard
-- Population weights: (5500 * 30/21000 + 5000 * 45/15000 + 4000 * 80/9000) / 14500 * 100000
-- = 402.85 per 100,000, Dobson 95% CI 340.76 to 472.80.
SELECT round(dsr::numeric, 2) AS dsr, round(ci_lower::numeric, 2) AS ci_lower, round(ci_upper::numeric, 2) AS ci_upper,
       count, population
  FROM (SELECT (finmon.dsr_agg(v.n, v.p, e.population)).*
          FROM (VALUES ('65-69', 30::numeric, 21000::numeric), ('70-74', 45, 15000), ('75-79', 80, 9000)) AS v(band, n, p)
          JOIN finmon.european_standard_population e ON e.age_band = v.band) s;
