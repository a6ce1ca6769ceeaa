-- Norfolk Adult Social Care performance management report, 2016-17 Period 9 (the committee's
-- 2.3 dashboard and the 35 ASCOF Summary Table of Appendix 2), from the published values in
-- data/norfolk (loaded by norfolk_load): the report gives no counts, so the values are as
-- published and finmon computes the targets, RAG, worsening runs and exceptions.
-- Compared by hand with the paper; comments say where it differs.
-- Run as a reader given Norfolk only: what Norfolk's staff see (finmon_test_norfolk,
-- made by norfolk_load).
SET ROLE finmon_test_norfolk;
\pset null ''

-- 2.3 Adult Social Services Dashboard, one line per vital sign: the values Jan 16 to the latest
-- month, the target and the RAG at the latest month. Agrees with the paper value for value. The
-- paper's RAG colours are lost in its text; the exceptions below are the paper's own list.
SELECT measure, better,
       string_agg(value, ' ' ORDER BY month) AS "Jan 16 onwards",
       max(month_label) FILTER (WHERE month = (SELECT max(d2.month) FROM finmon.dashboard d2
                                                WHERE d2.measure = d.measure AND d2.area = d.area)) AS latest,
       max(target) AS target,
       max(rag) FILTER (WHERE target IS NOT NULL) AS rag
  FROM finmon.dashboard d
 WHERE area = 'Norfolk'
 GROUP BY row_order, measure, better
 ORDER BY row_order;

-- Exceptions at each measure's latest month (section 3.6 of the paper lists four, all off
-- target: days delayed in transfers of care, learning disability and mental health
-- employment, and 65+ admissions; finmon finds the same four: VS09, VS10, VS11, VS03).
-- finmon also flags VS05 (people in community-based care), which has no target but
-- worsened three months running (67.2% Sep, 67.1%, 66.7%, 66.4% Dec): the paper's second
-- criterion, which its list does not apply to measures without targets.
SELECT r.measure, to_char(r.month, 'Mon YY') AS month, r.r12_value AS value, r.target,
       round(r.target_diff_pct, 1) AS "% worse than target", r.status, r.worsening_months, r.exception
  FROM finmon.measure_report r
 WHERE r.area = 'Norfolk' AND r.exception
   AND r.month = (SELECT max(r2.month) FROM finmon.measure_report r2
                   WHERE r2.measure = r.measure AND r2.area = r.area)
 ORDER BY r.measure;

-- The exception rule over the whole series: months off target, and runs of worsening.
SELECT measure, count(*) FILTER (WHERE status = 'off target') AS months_off_target,
       max(worsening_months) AS longest_worsening_run,
       string_agg(to_char(month, 'Mon YY'), ', ' ORDER BY month) FILTER (WHERE exception) AS exception_months
  FROM finmon.measure_report
 WHERE area = 'Norfolk' AND source = 'published'
 GROUP BY measure
HAVING bool_or(exception)
 ORDER BY measure;

-- 35 ASCOF Summary Table, 2015/16 against 2014/15, with the family group average and the
-- ranking (1 = best, 16 = worst). Agrees with the paper row for row: the group average and
-- rank are the published ones (benchmark_source), since the other 15 councils' values are not
-- in the paper; finmon computes them itself once they are loaded (see measures_worked).
SELECT domain, measure, left(title, 60) AS "title (first 60 characters)",
       value AS "2015/16", previous_year_value AS "2014/15",
       group_average AS "Family Group Average", rank AS "Ranking", benchmark_source
  FROM finmon.ascof_summary
 WHERE area = 'Norfolk' AND financial_year = '2015-16'
 ORDER BY row_order;
RESET ROLE;
