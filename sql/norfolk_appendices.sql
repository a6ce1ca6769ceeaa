-- Norfolk Adult Social Care: the savings programme, reserves and provisions, capital programme
-- and iBCF appendices of both finance monitoring reports (2018-19 Period 5, 2017-18 Period 2),
-- computed from data/norfolk (loaded by norfolk_load). £m to 3 places with minus signs, as the
-- papers print these tables. Compared by hand with the papers; comments say where they differ.
-- Run as a reader given Norfolk only: what Norfolk's staff see (finmon_test_norfolk,
-- made by norfolk_load).
SET ROLE finmon_test_norfolk;
\pset null ''

-- 2018-19 P5, Appendix C: 2018-21 Savings Programme, forecast Period 5. Columns: saving 2018-19,
-- 2019-20, 2020-21, 2018-19 forecast, forecast variance ((shortfall) negative) and RAG.
-- Every figure and RAG agrees with the paper, with one layout difference: the paper prints one
-- forecast, -0.630, across ASC029 (-0.230) and ASC032 (-0.400), both Green with variance 0.000;
-- finmon holds a forecast per saving, so the two rows show -0.230 and -0.400.
-- The paper's text (2.7.4) gives the younger adults forecast as £4.076m; the table's -4.067 is
-- the one that follows from target -6.794 and variance -2.727.
SELECT row_number AS "#", ref AS "Saving reference", left(saving, 60) AS "Saving (first 60 characters)",
       target AS "2018-19", target_next_year AS "2019-20", target_year_after AS "2020-21",
       forecast AS "2018-19 forecast", variance AS "Forecast variance", rag AS "RAG"
  FROM finmon.appendix_c
 WHERE financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- The RAG statuses above are the paper's (stated). savings_rag derives the same from target and
-- forecast for every saving (Red below half delivered): no row differs.
SELECT ref, target, forecast, rag AS stated, finmon.savings_rag(target, forecast) AS derived
  FROM finmon.savings_report
 WHERE financial_year = '2018-19' AND period = 5
   AND rag IS DISTINCT FROM finmon.savings_rag(target, forecast);

-- 2018-19 P5, section 2.7.3 savings table. Agrees, except: the paper prints the total saving as
-- -27.29 (finmon prints 3 places), and "Previously Reported" (5.106 off target and in total, 0 on
-- target) is empty here: the paper gives the Period 4 shortfall only as these totals, not per
-- saving, so no P4 forecasts are loaded.
SELECT label AS "Savings", saving AS "Saving 2018/19", forecast AS "Forecast", variance AS "Variance",
       variance_pct AS "%", previously_reported AS "Previously Reported"
  FROM finmon.savings_summary_table
 WHERE financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- The same programme by workstream. Workstreams are those of the 2017-18 restructure (below);
-- savings new in 2018-19 have none (the paper does not say).
SELECT COALESCE(workstream, '(none)') AS workstream, finmon.format_signed(target) AS target,
       finmon.format_signed(forecast) AS forecast, finmon.format_signed(shortfall) AS shortfall,
       schemes, schemes_off_target
  FROM finmon.savings_by_workstream
 WHERE financial_year = '2018-19' AND period = 5
 ORDER BY row_order;

-- 2017-18 P2, Appendix C section 1.6: the savings programme restructured into workstreams, each
-- with its savings over the three years. Agrees figure for figure, except:
--   the paper prints the 2019-20 total as 10.000: it is -10.000 (section 1.4 prints -10.000);
--   the two "requirements towards £4.197m" rows have no reference in the paper: finmon calls them
--   DM-4197 and COMM-4197;
--   ASC020 is printed above the Commissioning heading (a page break), but the workstream totals
--   (-13.882) and the summary in 1.4 place it in Commissioning, as here.
-- Section 1.4's summary splits Older and Younger Adults (-2.364 / -2.581 in 2017-18); the paper
-- does not say how its savings split between them, so finmon cannot reproduce that split.
SELECT row_number AS "#", workstream AS "Workstream", workstream_savings AS "Workstream Savings",
       ref AS "Ref.", left(saving, 50) AS "Saving (first 50 characters)",
       target AS "2017-18", target_next_year AS "2018-19", target_year_after AS "2019-20"
  FROM finmon.appendix_c_workstreams
 WHERE financial_year = '2017-18' AND period = 2
 ORDER BY row_number;

-- 2017-18 P2: the service expected to deliver its savings in full (2.9.4), so every forecast is its
-- target: the 18 savings with a 2017-18 target derive Green; the 7 whose targets start in
-- 2018-19 have nothing to deliver this year and no status.
SELECT label, saving, forecast, variance, variance_pct
  FROM finmon.savings_summary_table
 WHERE financial_year = '2017-18' AND period = 2
 ORDER BY row_number;
SELECT rag, rag_source, count(*) FROM finmon.savings_report
 WHERE financial_year = '2017-18' AND period = 2 GROUP BY 1, 2;

-- 2018-19 P5, Appendix D: Reserves and Provisions. Every balance agrees. The totals do not:
-- the paper's Total Adult Social Care Reserves prints planned usage -6.038 and balance 21.183,
-- and Total Reserves & Provisions -6.542 and 27.133; the rows sum to -6.188 and 21.033, and
-- -6.692 and 26.983, as below. The 0.150 is the NIPE team row (0.150 drawn down in full),
-- apparently added after the totals were struck; sections 1 and 2.10 repeat the wrong figures.
SELECT row_number AS "#", left(balance, 50) AS "Balance (first 50 characters)",
       opening_balance AS "01-Apr-18", agreed_usage AS "Usage agreed", planned_usage AS "Planned Usage",
       closing_balance AS "31-Mar-19"
  FROM finmon.appendix_d
 WHERE financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- 2017-18 P2, Appendix D. Balances agree. Totals printed: Reserves 2.074 and usage -1.580, Total
-- Reserves & Provisions 6.231 and -1.580; the rows sum to 2.075, -1.581, 6.232 and -1.581 (each
-- within rounding of the printed rows). Section 2.11.3 says the reserves will stand at £0.493m;
-- the table's 0.494 is what the rows give.
SELECT row_number AS "#", left(balance, 50) AS "Balance (first 50 characters)",
       opening_balance AS "01-Apr-17", planned_usage AS "Proposed usage", closing_balance AS "31-Mar-18"
  FROM finmon.appendix_d
 WHERE financial_year = '2017-18' AND period = 2
 ORDER BY row_number;

-- Roll-forward: where a balance's 1 April 2018 opening is not its forecast 31 March 2018
-- closing at 2017-18 Period 2 (the latest loaded for that year). A P2 forecast is not the
-- outturn, so these are differences to explain, not necessarily errors.
SELECT name, kind, financial_year, previous_year,
       finmon.format_signed(previous_closing_balance) AS previous_closing,
       finmon.format_signed(opening_balance) AS opening, finmon.format_signed(difference) AS difference
  FROM finmon.reserve_chain_breaks
 ORDER BY name, financial_year;

-- 2018-19 P5, Appendix E: Capital Programme. Agrees. The paper prints no total capital
-- programme row; its text (2.11.3) gives £20.662m, as here.
SELECT row_number AS "#", scheme AS "Scheme Name", budget AS "Current Capital Budget",
       forecast_outturn AS "Forecast outturn", next_year_budget AS "Draft Capital Budget 2019/20"
  FROM finmon.appendix_e
 WHERE financial_year = '2018-19' AND period = 5
 ORDER BY row_number;

-- 2017-18 P2, Appendix E. Agrees. Layout: the paper prints Netherwood Green after the passported
-- grant and one TOTAL (19.647) that includes the grant; finmon prints the programme total
-- without it (12.723) above the passported grant, and the total capital programme with it.
SELECT row_number AS "#", scheme AS "Scheme Name", budget AS "Current Capital Budget",
       forecast_outturn AS "Forecast outturn", next_year_budget AS "Draft Capital Budget 2018/19"
  FROM finmon.appendix_e
 WHERE financial_year = '2017-18' AND period = 2
 ORDER BY row_number;

-- 2018-19 P5, Appendix F: iBCF Invest and Improve schemes. Agrees row for row and in total.
-- IBCF 1 to 4, given in the text only to £0.1m, are not loaded.
SELECT row_number AS "#", scheme AS "Scheme", allocation AS "2018/19 Allocation",
       brought_forward AS "Brought forward", forecast_spend AS "Forecast spend",
       carry_forward AS "Carry forward"
  FROM finmon.appendix_f
 WHERE financial_year = '2018-19' AND period = 5
 ORDER BY row_number;
RESET ROLE;
