-- Reconciliation of both Norfolk finance monitoring reports: every figure printed in their
-- revenue, savings, reserves, capital and iBCF tables (data/norfolk/published.csv, 925
-- figures) beside the figure finmon computes from data/norfolk (loaded by norfolk_load).
-- The verdicts below were checked by hand against the papers; the comments say what each
-- misstatement is.
\getenv abs_srcdir PG_ABS_SRCDIR
\cd :abs_srcdir/data/norfolk
\copy finmon.published_import FROM 'published.csv' WITH (FORMAT csv, HEADER)
-- Run as a reader given Norfolk only: what Norfolk's staff see (finmon_test_norfolk,
-- made by norfolk_load).
SET ROLE finmon_test_norfolk;
\pset null ''

-- How many figures each table prints, and the verdicts.
SELECT financial_year AS paper, source,
       count(*) AS figures,
       count(*) FILTER (WHERE verdict = 'agrees') AS agrees,
       count(*) FILTER (WHERE verdict = 'rounding') AS rounding,
       count(*) FILTER (WHERE verdict = 'misstated') AS misstated,
       count(*) FILTER (WHERE verdict = 'no data') AS no_data
  FROM finmon.reconciliation
 GROUP BY ROLLUP (financial_year, source)
 ORDER BY financial_year DESC NULLS LAST, source IS NULL, min(import_row);

-- The misstatements, in the papers' order.
-- 2018-19 P5:
--  * Appendix A prints the Staffing and support costs budget as 14.037; table 2.5.1 prints
--    14.154 for the same line, and only 14.154 gives the row's own variance (0.621) and %.
--    The Services to users total (197.956) carries the same 0.117.
--  * Appendix A prints Housing Related Support's % as 15.08%: an underspend of 0.387 on 2.564
--    is -15.09%. The size is right, the sign wrong.
--  * The specialism table prints Older People's net variance at Period 4 as -0.47: its rows
--    give 2.695 - 2.225 = 0.470. Its total, 2.699, adds the wrong sign (right: 3.639).
--  * Appendix D's Total Adult Social Care Reserves and Total Reserves & Provisions leave out
--    the NIPE team row's 0.150 usage: -6.038 and 21.183 should be -6.188 and 21.033, and
--    -6.542 and 27.133 should be -6.692 and 26.983.
-- 2017-18 P2:
--  * Section 1.6 prints the 2019-20 programme total as 10.000: the savings sum to -10.000
--    (section 1.4 prints -10.000).
SELECT financial_year AS paper, source, report, item, column_name, unit,
       printed, computed, difference, explainable_from, explainable_to, figures, note
  FROM finmon.reconciliation
 WHERE verdict = 'misstated'
 ORDER BY financial_year DESC, import_batch, import_row;

-- Within rounding: each difference is within half a unit of the last place for each printed
-- figure the computed one is made of (figures), so the paper's own unrounded figures can
-- explain it. Percentages: within the range amount / base takes as each moves so.
SELECT financial_year AS paper, source, report, item, column_name,
       printed, computed, difference, explainable_from, explainable_to, figures
  FROM finmon.reconciliation
 WHERE verdict = 'rounding'
 ORDER BY financial_year DESC, import_batch, import_row;

-- No data: the 2018-19 section 2.7.3 table's "Previously Reported" shortfalls (5.106, 0,
-- 5.106) are the Period 4 figures, which the paper gives only as these totals, so no Period 4
-- forecasts are loaded.
SELECT financial_year AS paper, source, report, item, column_name, printed, note
  FROM finmon.reconciliation
 WHERE verdict = 'no data'
 ORDER BY financial_year DESC, import_batch, import_row;

-- Checks that need no printed figures: four balances do not roll forward from 2017-18 P2's
-- forecast closing balance to 2018-19's opening balance (a P2 forecast is not the outturn,
-- so these are differences to explain, not necessarily errors).
SELECT issue, financial_year, period, item, column_name,
       finmon.format_signed(stated) AS stated, finmon.format_signed(computed) AS computed,
       finmon.format_signed(difference) AS difference, message
  FROM finmon.consistency_issues
 ORDER BY financial_year, item;
-- Each printed table footed on its own (finmon.footing), from the printed figures alone: of
-- 220 checks, three do not foot, and each is one of the misprints above: Appendix A's staffing
-- budget 14.037 (the row's printed variance (0.621) is not its printed forecast 13.533 -
-- 14.037 = (0.504)), the Services to Users total budget 197.956 that adds it (200.058 -
-- 197.956 = 2.102, not the printed 1.985), and the specialism table's Older People variance
-- at P4 with the wrong sign (its rows give 2.695 + (2.225) = 0.470).
SELECT check_kind, verdict, count(*) FROM finmon.footing GROUP BY 1, 2 ORDER BY 1, 2;
SELECT financial_year AS paper, source, item, column_name, check_kind, printed, footed, difference, round(tolerance, 4) AS tolerance
  FROM finmon.footing
 WHERE verdict = 'does not foot'
 ORDER BY financial_year DESC, source, item, column_name;
RESET ROLE;
