-- The measure report: rolling 12 months and financial year to date from monthly counts,
-- or published values; targets, status, worsening runs, exceptions, small-number
-- suppression; benchmarking against comparator groups; the printed dashboard and ASCOF table.

-- (PL/pgSQL: on Citus 13.2 a SQL function cannot read a distributed or reference table.)
CREATE FUNCTION finmon.population_at(council text, area text, age_band text, year integer) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (SELECT p.population FROM finmon.population p
             WHERE p.council = population_at.council AND p.area = population_at.area AND p.age_band = population_at.age_band
               AND p.year <= population_at.year
             ORDER BY p.year DESC LIMIT 1);
END;
$$;
COMMENT ON FUNCTION finmon.population_at(text, text, text, integer) IS
    'The council''s mid-year estimate for the area and age band in that calendar year, or failing that the latest earlier one; NULL when there is none.';

CREATE FUNCTION finmon.format_measure(value numeric, unit text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN value IS NULL THEN NULL
    WHEN unit = '%' THEN to_char(value, 'FM999990.0') || '%'
    ELSE to_char(value, 'FM999,999,999,990' || CASE WHEN scale(value) > 0 THEN '.' || repeat('0', scale(value)) ELSE '' END)
END;
COMMENT ON FUNCTION finmon.format_measure(numeric, text) IS
    'A measure''s value as a dashboard prints it: percentages to 1 place with %, others at their own decimal places with thousands separators (3495 is 3,495).';

CREATE TYPE finmon.measure_figure AS (
    value numeric,
    ci_lower double precision,
    ci_upper double precision
);
COMMENT ON TYPE finmon.measure_figure IS 'A value and its 95% interval (internal: what measure_figures returns).';
COMMENT ON COLUMN finmon.measure_figure.value IS 'numerator / denominator * multiplier, exactly.';
COMMENT ON COLUMN finmon.measure_figure.ci_lower IS 'Lower 95% limit.';
COMMENT ON COLUMN finmon.measure_figure.ci_upper IS 'Upper 95% limit.';

CREATE FUNCTION finmon.measure_figures(numerator numeric, denominator numeric, proportion boolean, multiplier numeric)
    RETURNS finmon.measure_figure
    AS 'MODULE_PATHNAME', 'finmon_measure_figures'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.measure_figures(numeric, numeric, boolean, numeric) IS
    'A rolling or year-to-date figure''s value and 95% interval in one call: rate_ci''s method, or proportion_ci''s times the multiplier when proportion is true; NULL for a zero denominator (internal, for finmon_data.measure_computed).';

-- Internal: rolling 12 months and year to date from the monthly counts, unsuppressed.
-- Each row's population and figures are computed once, in FROM (a join, a LIMIT subquery
-- and a C function there are not flattened into repeated expressions); the estimate of the
-- exact year comes by hash join, and the index lookup for an earlier one runs only when
-- there is none.
CREATE VIEW finmon_data.measure_computed AS
WITH windowed AS (
    SELECT a.council, a.measure, a.area, a.month, m.multiplier, m.age_band,
           extract(year FROM a.month)::integer AS calendar_year,
           extract(year FROM a.month)::integer - CASE WHEN extract(month FROM a.month) < 4 THEN 1 ELSE 0 END AS start_year,
           sum(a.numerator) OVER w12 AS r12_numerator,
           sum(a.denominator) OVER w12 AS r12_denominator_sum,
           count(*) OVER w12 AS r12_months,
           count(a.denominator) OVER w12 AS r12_denominators,
           sum(a.numerator) OVER wytd AS ytd_numerator,
           sum(a.denominator) OVER wytd AS ytd_denominator_sum,
           count(*) OVER wytd AS ytd_months,
           count(a.denominator) OVER wytd AS ytd_denominators
      FROM finmon_data.activity a
      JOIN finmon.measure m ON m.measure = a.measure
    WINDOW w12 AS (PARTITION BY a.council, a.measure, a.area ORDER BY a.month
                   RANGE BETWEEN interval '11 months' PRECEDING AND CURRENT ROW),
           wytd AS (PARTITION BY a.council, a.measure, a.area, finmon.financial_year_of(a.month) ORDER BY a.month
                    ROWS UNBOUNDED PRECEDING)
),
based AS (
    SELECT w.council, w.measure, w.area, w.month, w.multiplier,
           w.r12_denominators = 12 AS r12_proportion,
           CASE WHEN w.r12_months = 12 THEN w.r12_numerator END AS r12_numerator,
           CASE WHEN w.r12_months = 12 THEN
               CASE WHEN w.r12_denominators = 12 THEN w.r12_denominator_sum
                    WHEN w.r12_denominators = 0 THEN COALESCE(e12.population, p12.population) END
           END AS r12_denominator,
           w.ytd_denominators = w.ytd_months AS ytd_proportion,
           CASE WHEN w.ytd_months = finmon.period_of(w.month) THEN w.ytd_numerator END AS ytd_numerator,
           CASE WHEN w.ytd_months = finmon.period_of(w.month) THEN
               CASE WHEN w.ytd_denominators = w.ytd_months THEN w.ytd_denominator_sum
                    WHEN w.ytd_denominators = 0 THEN COALESCE(eytd.population, pytd.population) END
           END AS ytd_denominator
      FROM windowed w
      -- the mid-year estimate for the month's calendar year (a hash join) ...
      LEFT JOIN finmon.population e12
             ON e12.council = w.council AND e12.area = w.area AND e12.age_band = w.age_band AND e12.year = w.calendar_year
      -- ... or, only when there is none, the latest earlier one
      LEFT JOIN LATERAL (SELECT p.population FROM finmon.population p
                          WHERE e12.population IS NULL
                            AND p.council = w.council AND p.area = w.area AND p.age_band = w.age_band AND p.year < w.calendar_year
                          ORDER BY p.year DESC LIMIT 1) p12 ON true
      -- for the year to date, the calendar year the financial year starts in
      LEFT JOIN finmon.population eytd
             ON eytd.council = w.council AND eytd.area = w.area AND eytd.age_band = w.age_band AND eytd.year = w.start_year
      LEFT JOIN LATERAL (SELECT p.population FROM finmon.population p
                          WHERE eytd.population IS NULL
                            AND p.council = w.council AND p.area = w.area AND p.age_band = w.age_band AND p.year < w.start_year
                          ORDER BY p.year DESC LIMIT 1) pytd ON true
)
SELECT b.council, b.measure, b.area, b.month, b.multiplier,
       b.r12_proportion, b.r12_numerator, b.r12_denominator,
       f12.value AS r12_value, f12.ci_lower AS r12_ci_lower, f12.ci_upper AS r12_ci_upper,
       b.ytd_proportion, b.ytd_numerator, b.ytd_denominator,
       fytd.value AS ytd_value, fytd.ci_lower AS ytd_ci_lower, fytd.ci_upper AS ytd_ci_upper
  FROM based b
  LEFT JOIN LATERAL finmon.measure_figures(b.r12_numerator, b.r12_denominator, b.r12_proportion, b.multiplier) f12 ON true
  LEFT JOIN LATERAL finmon.measure_figures(b.ytd_numerator, b.ytd_denominator, b.ytd_proportion, b.multiplier) fytd ON true;
COMMENT ON VIEW finmon_data.measure_computed IS
    'Rolling 12-month and year-to-date numerators, denominators, values and 95% intervals from the monthly counts, before small-number suppression (internal: publish finmon.measure_report).';
COMMENT ON COLUMN finmon_data.measure_computed.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon_data.measure_computed.measure IS 'The measure.';
COMMENT ON COLUMN finmon_data.measure_computed.area IS 'The area.';
COMMENT ON COLUMN finmon_data.measure_computed.month IS 'The month (first day).';
COMMENT ON COLUMN finmon_data.measure_computed.multiplier IS 'The measure''s multiplier.';
COMMENT ON COLUMN finmon_data.measure_computed.r12_proportion IS 'True when all 12 months have denominators (a proportion).';
COMMENT ON COLUMN finmon_data.measure_computed.r12_numerator IS 'Sum of the 12 months'' counts; NULL unless all 12 are loaded.';
COMMENT ON COLUMN finmon_data.measure_computed.r12_denominator IS 'Sum of the 12 denominators, or the population (mid-year estimate of the month''s calendar year).';
COMMENT ON COLUMN finmon_data.measure_computed.r12_value IS 'numerator / denominator * multiplier.';
COMMENT ON COLUMN finmon_data.measure_computed.r12_ci_lower IS 'Lower 95% limit (rate_ci, or proportion_ci * multiplier).';
COMMENT ON COLUMN finmon_data.measure_computed.r12_ci_upper IS 'Upper 95% limit.';
COMMENT ON COLUMN finmon_data.measure_computed.ytd_proportion IS 'True when every month so far has a denominator.';
COMMENT ON COLUMN finmon_data.measure_computed.ytd_numerator IS 'Sum of the counts from April; NULL unless every month from April is loaded.';
COMMENT ON COLUMN finmon_data.measure_computed.ytd_denominator IS 'Sum of the denominators, or the population (mid-year estimate of the calendar year the financial year starts in).';
COMMENT ON COLUMN finmon_data.measure_computed.ytd_value IS 'numerator / denominator * multiplier, not annualised.';
COMMENT ON COLUMN finmon_data.measure_computed.ytd_ci_lower IS 'Lower 95% limit.';
COMMENT ON COLUMN finmon_data.measure_computed.ytd_ci_upper IS 'Upper 95% limit.';

CREATE VIEW finmon.measure_report AS
WITH series AS (
    SELECT c.council, c.measure, c.area, c.month, 'computed'::text AS source, c.r12_proportion,
           c.r12_numerator, c.r12_denominator, c.r12_value, c.r12_ci_lower, c.r12_ci_upper,
           c.ytd_proportion, c.ytd_numerator, c.ytd_denominator, c.ytd_value, c.ytd_ci_lower, c.ytd_ci_upper,
           c.r12_value AS value
      FROM finmon_data.measure_computed c
    UNION ALL
    SELECT v.council, v.measure, v.area, v.month, 'published', NULL,
           NULL, NULL, v.value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, v.value
      FROM (SELECT p.*, finmon.period_month(p.period) AS month FROM finmon_data.published_value p) v
     WHERE v.month IS NOT NULL
       AND NOT EXISTS (SELECT FROM finmon_data.activity a
                        WHERE a.council = v.council AND a.measure = v.measure AND a.area = v.area AND a.month = v.month)
),
targeted AS (
    SELECT s.*, m.polarity, m.unit,
           COALESCE(tm.target, ty.target) AS target,
           CASE WHEN m.unit = 'count' THEN COALESCE(tm.target, ty.target * finmon.period_of(s.month) / 12)
                ELSE COALESCE(tm.target, ty.target) END AS ytd_target
      FROM series s
      JOIN finmon.measure m ON m.measure = s.measure
      LEFT JOIN finmon_data.measure_target tm
             ON tm.council = s.council AND tm.measure = s.measure AND tm.area = s.area AND finmon.period_month(tm.period) = s.month
      LEFT JOIN finmon_data.measure_target ty
             ON ty.council = s.council AND ty.measure = s.measure AND ty.area = s.area AND ty.period = finmon.financial_year_of(s.month)
),
scored AS (
    SELECT t.*,
           CASE WHEN t.target <> 0 AND t.value IS NOT NULL THEN
               (CASE t.polarity WHEN 'lower' THEN t.value - t.target ELSE t.target - t.value END) / abs(t.target) * 100
           END AS target_diff_pct,
           CASE t.polarity WHEN 'lower' THEN t.value > lag(t.value) OVER wm
                           ELSE t.value < lag(t.value) OVER wm END AS worse
      FROM targeted t
    WINDOW wm AS (PARTITION BY t.council, t.measure, t.area ORDER BY t.month)
),
runs AS (
    SELECT s.*,
           sum(CASE WHEN s.worse THEN 0 ELSE 1 END) OVER (PARTITION BY s.council, s.measure, s.area ORDER BY s.month) AS run
      FROM scored s
),
flagged AS (
    SELECT r.*,
           (row_number() OVER (PARTITION BY r.council, r.measure, r.area, r.run ORDER BY r.month) - 1)::integer AS worsening_months,
           r.source = 'computed' AND (r.r12_numerator < th.t
               OR (r.r12_proportion AND r.r12_denominator - r.r12_numerator < th.t)) AS r12_suppressed,
           r.source = 'computed' AND (r.ytd_numerator < th.t
               OR (r.ytd_proportion AND r.ytd_denominator - r.ytd_numerator < th.t)) AS ytd_suppressed
      FROM runs r
      -- each council's threshold, read once per council, not per row
      JOIN (SELECT c.council, finmon.small_number_threshold(c.council) AS t FROM finmon.council c OFFSET 0) th
        ON th.council = r.council
)
SELECT f.council,
       f.measure,
       f.area,
       f.month,
       finmon.financial_year_of(f.month) AS financial_year,
       finmon.period_of(f.month) AS period,
       f.source,
       CASE WHEN NOT f.r12_suppressed THEN f.r12_numerator END AS r12_numerator,
       f.r12_denominator,
       CASE WHEN f.r12_suppressed IS NOT TRUE THEN f.r12_value END AS r12_value,
       CASE WHEN NOT f.r12_suppressed THEN f.r12_ci_lower END AS r12_ci_lower,
       CASE WHEN NOT f.r12_suppressed THEN f.r12_ci_upper END AS r12_ci_upper,
       CASE WHEN NOT f.ytd_suppressed THEN f.ytd_numerator END AS ytd_numerator,
       f.ytd_denominator,
       CASE WHEN NOT f.ytd_suppressed THEN f.ytd_value END AS ytd_value,
       CASE WHEN NOT f.ytd_suppressed THEN f.ytd_ci_lower END AS ytd_ci_lower,
       CASE WHEN NOT f.ytd_suppressed THEN f.ytd_ci_upper END AS ytd_ci_upper,
       f.target,
       f.ytd_target,
       CASE WHEN f.r12_suppressed IS NOT TRUE THEN f.target_diff_pct END AS target_diff_pct,
       CASE WHEN f.target_diff_pct IS NULL THEN NULL
            WHEN f.target_diff_pct <= 0 THEN 'on target'
            WHEN f.target_diff_pct < 5 THEN 'within 5%'
            ELSE 'off target' END AS status,
       f.worsening_months,
       COALESCE(f.target_diff_pct >= 5, false) OR f.worsening_months >= 3 AS exception,
       COALESCE(f.r12_suppressed, false) AS r12_suppressed,
       COALESCE(f.ytd_suppressed, false) AS ytd_suppressed
  FROM flagged f;
COMMENT ON VIEW finmon.measure_report IS
    'Each measure, area and month: the rolling 12 months and the financial year to date (numerator, denominator, value, 95% interval) computed from monthly counts, or the published monthly value where there are no counts; target, difference from target in % (positive = worse), status, consecutive months worsening, and exception (off target by 5% or more, or worse for 3 months running). Counts below the small-number threshold are suppressed with what they could be recovered from.';
COMMENT ON COLUMN finmon.measure_report.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon.measure_report.measure IS 'The measure.';
COMMENT ON COLUMN finmon.measure_report.area IS 'The area.';
COMMENT ON COLUMN finmon.measure_report.month IS 'The month (first day); rolling and year-to-date figures run to its end.';
COMMENT ON COLUMN finmon.measure_report.financial_year IS 'The month''s financial year.';
COMMENT ON COLUMN finmon.measure_report.period IS 'The month''s period, 1 (April) to 12 (March).';
COMMENT ON COLUMN finmon.measure_report.source IS '''computed'' from monthly counts, or ''published'' (a loaded value; no counts or intervals).';
COMMENT ON COLUMN finmon.measure_report.r12_numerator IS 'Count over the 12 months to this one; NULL unless all 12 are loaded, or when suppressed.';
COMMENT ON COLUMN finmon.measure_report.r12_denominator IS 'Population (rate per head) or summed denominator (proportion).';
COMMENT ON COLUMN finmon.measure_report.r12_value IS 'The rolling 12-month value, or the published value; NULL when suppressed.';
COMMENT ON COLUMN finmon.measure_report.r12_ci_lower IS 'Lower 95% limit; NULL when suppressed or published.';
COMMENT ON COLUMN finmon.measure_report.r12_ci_upper IS 'Upper 95% limit; NULL when suppressed or published.';
COMMENT ON COLUMN finmon.measure_report.ytd_numerator IS 'Count from April to this month; NULL unless every month is loaded, or when suppressed.';
COMMENT ON COLUMN finmon.measure_report.ytd_denominator IS 'Population (estimate for the calendar year the financial year starts in) or summed denominator.';
COMMENT ON COLUMN finmon.measure_report.ytd_value IS 'Year-to-date value (not annualised); NULL when suppressed.';
COMMENT ON COLUMN finmon.measure_report.ytd_ci_lower IS 'Lower 95% limit of the year-to-date value.';
COMMENT ON COLUMN finmon.measure_report.ytd_ci_upper IS 'Upper 95% limit of the year-to-date value.';
COMMENT ON COLUMN finmon.measure_report.target IS 'The month''s target, or its financial year''s.';
COMMENT ON COLUMN finmon.measure_report.ytd_target IS 'The target for the year-to-date value: the same level for rates and percentages; for a count measure, a year''s target pro rata to the months elapsed.';
COMMENT ON COLUMN finmon.measure_report.target_diff_pct IS 'How far the rolling value is from target, % of the target, positive = worse by polarity; NULL when suppressed.';
COMMENT ON COLUMN finmon.measure_report.status IS '''on target'' (no worse than target), ''within 5%'', ''off target'' (5% or more worse); NULL without a target.';
COMMENT ON COLUMN finmon.measure_report.worsening_months IS 'Consecutive months, to this one, in which the value was worse than the month before.';
COMMENT ON COLUMN finmon.measure_report.exception IS 'True when off target by 5% or more, or worse for 3 months running: the report''s exception rule.';
COMMENT ON COLUMN finmon.measure_report.r12_suppressed IS 'True when the rolling count (or, for a proportion, the rest of the denominator) is below the small-number threshold.';
COMMENT ON COLUMN finmon.measure_report.ytd_suppressed IS 'The same for the year-to-date count.';

-- A year's computed value is the rolling 12 months to March as measure_report publishes it:
-- a value measure_report suppresses (a small count) is not benchmarked, since the group's
-- average and the area's rank would give it back; a published value for the year stands in.
CREATE VIEW finmon.measure_benchmark AS
WITH computed AS (
    SELECT c.council, c.measure, c.area, c.month, c.r12_value
      FROM finmon.measure_report c
     WHERE c.source = 'computed' AND extract(month FROM c.month) = 3 AND c.r12_value IS NOT NULL
),
fy_value AS (
    SELECT c.council, c.measure, c.area, finmon.financial_year_of(c.month) AS financial_year, c.r12_value AS value,
           'computed'::text AS source
      FROM computed c
    UNION ALL
    SELECT v.council, v.measure, v.area, v.period, v.value, 'published'
      FROM finmon_data.published_value v
     WHERE finmon.is_financial_year(v.period)
       AND NOT EXISTS (SELECT FROM computed c
                        WHERE c.council = v.council AND c.measure = v.measure AND c.area = v.area
                          AND c.month = finmon.financial_year_end(v.period) - 30)
),
-- each comparator group's members with a value: the group's average and size, and each
-- member's rank (1 + those strictly better, by polarity; ties share), by window rather than a
-- LATERAL subquery per row, which Citus does not run here
grouped AS (
    SELECT oc.council, oc.comparator_group, o.measure, o.financial_year, o.area,
           avg(o.value) OVER w AS group_average,
           (count(*) OVER w)::integer AS group_size,
           (rank() OVER (PARTITION BY oc.council, oc.comparator_group, o.measure, o.financial_year
                         ORDER BY CASE m.polarity WHEN 'lower' THEN o.value ELSE -o.value END))::integer AS rank
      FROM finmon_data.comparator oc
      JOIN fy_value o ON o.council = oc.council AND o.area = oc.area
      JOIN finmon.measure m ON m.measure = o.measure
    WINDOW w AS (PARTITION BY oc.council, oc.comparator_group, o.measure, o.financial_year)
)
SELECT f.council,
       f.measure,
       f.financial_year,
       f.area,
       f.value,
       f.source,
       g.comparator_group,
       s.group_average,
       s.rank,
       s.group_size,
       g.members AS group_members,
       pb.group_average AS published_group_average,
       pb.rank AS published_rank,
       pb.group_size AS published_group_size
  FROM fy_value f
  JOIN finmon.measure m ON m.measure = f.measure
  LEFT JOIN (SELECT c.council, c.comparator_group, c.area,
                    count(*) OVER (PARTITION BY c.council, c.comparator_group) AS members
               FROM finmon_data.comparator c) g ON g.council = f.council AND g.area = f.area
  LEFT JOIN grouped s
         ON s.council = f.council AND s.comparator_group = g.comparator_group AND s.measure = f.measure
        AND s.financial_year = f.financial_year AND s.area = f.area
  LEFT JOIN finmon_data.published_benchmark pb
         ON pb.council = f.council AND pb.measure = f.measure AND pb.comparator_group = g.comparator_group AND pb.area = f.area
        AND pb.period = f.financial_year;
COMMENT ON VIEW finmon.measure_benchmark IS
    'Each measure, financial year and area with a value (computed for the full year from monthly counts, or published), against each comparator group it belongs to: the group''s average and the area''s rank (1 = best, by polarity; ties share a rank) over the members with a value, and any published average and rank.';
COMMENT ON COLUMN finmon.measure_benchmark.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon.measure_benchmark.measure IS 'The measure.';
COMMENT ON COLUMN finmon.measure_benchmark.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.measure_benchmark.area IS 'The area.';
COMMENT ON COLUMN finmon.measure_benchmark.value IS 'Its value for the year: the rolling 12 months to March, or the published value.';
COMMENT ON COLUMN finmon.measure_benchmark.source IS '''computed'' or ''published''.';
COMMENT ON COLUMN finmon.measure_benchmark.comparator_group IS 'A comparator group the area belongs to; NULL when none.';
COMMENT ON COLUMN finmon.measure_benchmark.group_average IS 'Mean of the members'' values (the area included).';
COMMENT ON COLUMN finmon.measure_benchmark.rank IS 'The area''s rank among members with a value, 1 = best.';
COMMENT ON COLUMN finmon.measure_benchmark.group_size IS 'Members with a value.';
COMMENT ON COLUMN finmon.measure_benchmark.group_members IS 'Members of the group.';
COMMENT ON COLUMN finmon.measure_benchmark.published_group_average IS 'The group average as published (finmon_data.published_benchmark), if loaded.';
COMMENT ON COLUMN finmon.measure_benchmark.published_rank IS 'The rank as published, if loaded.';
COMMENT ON COLUMN finmon.measure_benchmark.published_group_size IS 'How many were ranked, as published.';

-- Printed views --------------------------------------------------------------------------

CREATE TABLE finmon.ascof_domain (
    domain integer PRIMARY KEY,
    title text NOT NULL
);
COMMENT ON TABLE finmon.ascof_domain IS
    'The four domains of the Adult Social Care Outcomes Framework, by the first digit of a measure''s code. Reference data shipped with finmon.';
COMMENT ON COLUMN finmon.ascof_domain.domain IS '1 to 4.';
COMMENT ON COLUMN finmon.ascof_domain.title IS 'The domain''s title.';
INSERT INTO finmon.ascof_domain VALUES
    (1, 'Enhancing quality of life for people with care and support needs'),
    (2, 'Delaying and reducing the need for care and support'),
    (3, 'Ensuring that people have a positive experience of care and support'),
    (4, 'Safeguarding adults whose circumstances make them vulnerable and protecting from avoidable harm');

CREATE VIEW finmon.dashboard AS
SELECT r.council,
       r.area,
       r.measure,
       m.title,
       CASE m.polarity WHEN 'higher' THEN 'Bigger' ELSE 'Smaller' END AS better,
       r.month,
       to_char(r.month, 'Mon YY') AS month_label,
       finmon.format_measure(r.r12_value, m.unit) AS value,
       finmon.format_measure(r.target, m.unit) AS target,
       CASE r.status WHEN 'on target' THEN 'Green' WHEN 'within 5%' THEN 'Amber'
                     WHEN 'off target' THEN 'Red' END AS rag,
       r.exception,
       (SELECT count(*) FROM finmon.measure o
         WHERE (o.import_batch, o.import_row) < (m.import_batch, m.import_row))::integer + 1 AS row_order
  FROM finmon.measure_report r
  JOIN finmon.measure m ON m.measure = r.measure;
COMMENT ON VIEW finmon.dashboard IS
    'The vital-signs dashboard, one row per measure, area and month: the rolling 12-month value as printed, the target, the RAG colour (Green on target, Amber within 5%, Red off target) and the exception flag. Pivot months into columns to print it.';
COMMENT ON COLUMN finmon.dashboard.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon.dashboard.area IS 'The area.';
COMMENT ON COLUMN finmon.dashboard.measure IS 'The measure.';
COMMENT ON COLUMN finmon.dashboard.title IS 'Its title.';
COMMENT ON COLUMN finmon.dashboard.better IS '''Bigger'' or ''Smaller'' is better, as the dashboard says.';
COMMENT ON COLUMN finmon.dashboard.month IS 'The month.';
COMMENT ON COLUMN finmon.dashboard.month_label IS 'The month as the dashboard heads it, e.g. Jan 16.';
COMMENT ON COLUMN finmon.dashboard.value IS 'The value as printed (finmon.format_measure).';
COMMENT ON COLUMN finmon.dashboard.target IS 'The target as printed.';
COMMENT ON COLUMN finmon.dashboard.rag IS 'Green, Amber or Red; NULL without a target.';
COMMENT ON COLUMN finmon.dashboard.exception IS 'The exception flag of finmon.measure_report.';
COMMENT ON COLUMN finmon.dashboard.row_order IS 'The measure''s position in the measures file.';

CREATE VIEW finmon.ascof_summary AS
SELECT b.council,
       b.area,
       b.financial_year,
       b.comparator_group,
       d.title AS domain,
       b.measure,
       m.title,
       b.value,
       prev.value AS previous_year_value,
       CASE WHEN b.group_size = b.group_members THEN b.group_average
            ELSE b.published_group_average END AS group_average,
       CASE WHEN b.group_size = b.group_members THEN b.rank ELSE b.published_rank END AS rank,
       CASE WHEN b.group_size = b.group_members THEN 'computed'
            WHEN b.published_rank IS NOT NULL THEN 'published' END AS benchmark_source,
       (SELECT count(*) FROM finmon.measure o
         WHERE (o.import_batch, o.import_row) < (m.import_batch, m.import_row))::integer + 1 AS row_order
  FROM finmon.measure_benchmark b
  JOIN finmon.measure m ON m.measure = b.measure
  JOIN finmon.ascof_domain d ON d.domain::text = left(b.measure, 1)
  LEFT JOIN finmon.measure_benchmark prev
         ON prev.council = b.council AND prev.measure = b.measure AND prev.area = b.area
        AND prev.financial_year = finmon.previous_financial_year(b.financial_year)
        AND prev.comparator_group IS NOT DISTINCT FROM b.comparator_group
 WHERE b.measure ~ '^[1-4][A-Z]';
COMMENT ON VIEW finmon.ascof_summary IS
    'The ASCOF summary table: each ASCOF measure (code 1A to 4B) for an area, year and comparator group, with last year''s value, the group average and the area''s rank (1 = best): computed when every member has a value, else as published (benchmark_source says which).';
COMMENT ON COLUMN finmon.ascof_summary.council IS 'The council whose figures these are.';
COMMENT ON COLUMN finmon.ascof_summary.area IS 'The area.';
COMMENT ON COLUMN finmon.ascof_summary.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.ascof_summary.comparator_group IS 'The comparator group.';
COMMENT ON COLUMN finmon.ascof_summary.domain IS 'The ASCOF domain (finmon.ascof_domain).';
COMMENT ON COLUMN finmon.ascof_summary.measure IS 'The ASCOF code.';
COMMENT ON COLUMN finmon.ascof_summary.title IS 'Its title.';
COMMENT ON COLUMN finmon.ascof_summary.value IS 'The year''s value.';
COMMENT ON COLUMN finmon.ascof_summary.previous_year_value IS 'The previous year''s value.';
COMMENT ON COLUMN finmon.ascof_summary.group_average IS 'The comparator group''s average.';
COMMENT ON COLUMN finmon.ascof_summary.rank IS 'The area''s rank in the group, 1 = best.';
COMMENT ON COLUMN finmon.ascof_summary.benchmark_source IS '''computed'' (every member''s value loaded) or ''published''.';
COMMENT ON COLUMN finmon.ascof_summary.row_order IS 'The measure''s position in the measures file.';
