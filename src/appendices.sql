-- Reports on savings, reserves, capital and grants (in pounds), and the committee
-- appendices C to F printed as the papers print them (£m to 3 places, minus signs).

CREATE FUNCTION finmon.format_signed(amount numeric, unit text DEFAULT '£m', places integer DEFAULT 3)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN amount IS NULL THEN NULL
            ELSE replace(replace(finmon.format_money(amount, unit, places), '(', '-'), ')', '') END;
COMMENT ON FUNCTION finmon.format_signed(numeric, text, integer) IS
    'An amount in pounds as the savings, reserves and capital appendices print it: in £m (or £k, £) to 3 (or the given) places with a minus sign: -700000 is -0.700.';

-- Savings ---------------------------------------------------------------------

CREATE FUNCTION finmon.next_financial_year(financial_year text, years integer) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN finmon.financial_year_of((finmon.financial_year_start(financial_year) + make_interval(years => years))::date);
COMMENT ON FUNCTION finmon.next_financial_year(text, integer) IS
    'The financial year the given number of years later: (''2018-19'', 2) is ''2020-21''.';


CREATE VIEW finmon.savings_report AS
WITH forecast AS (
    SELECT f.council, f.financial_year, f.period, f.ref, f.forecast, f.rag, f.import_batch, f.import_row,
           p.title, p.workstream, p.target,
           finmon.savings_shortfall(COALESCE(p.target, 0), f.forecast) AS shortfall
      FROM finmon_data.savings_forecast f
      LEFT JOIN finmon_data.savings_plan p ON p.council = f.council AND p.ref = f.ref AND p.financial_year = f.financial_year
)
SELECT f.council,
       f.financial_year,
       f.period,
       f.ref,
       COALESCE(f.title, later.title) AS title,
       COALESCE(f.workstream, later.workstream) AS workstream,
       f.target,
       f.forecast,
       f.shortfall,
       CASE WHEN f.target <> 0 THEN f.forecast / f.target * 100 END AS delivered_pct,
       COALESCE(f.rag, finmon.savings_rag(f.target, f.forecast)) AS rag,
       CASE WHEN f.rag IS NOT NULL THEN 'stated'
            WHEN f.target IS NOT NULL THEN 'derived' END AS rag_source,
       lag(f.shortfall) OVER (PARTITION BY f.council, f.financial_year, f.ref ORDER BY f.period) AS previous_shortfall,
       next1.target AS target_next_year,
       next2.target AS target_year_after,
       row_number() OVER (PARTITION BY f.council, f.financial_year, f.period ORDER BY f.import_batch, f.import_row)::integer AS row_order
  FROM forecast f
  LEFT JOIN finmon_data.savings_plan next1
         ON next1.council = f.council AND next1.ref = f.ref AND next1.financial_year = finmon.next_financial_year(f.financial_year, 1)
  LEFT JOIN finmon_data.savings_plan next2
         ON next2.council = f.council AND next2.ref = f.ref AND next2.financial_year = finmon.next_financial_year(f.financial_year, 2)
  LEFT JOIN LATERAL (SELECT p.title, p.workstream FROM finmon_data.savings_plan p
                      WHERE p.council = f.council AND p.ref = f.ref AND p.financial_year > f.financial_year
                      ORDER BY p.financial_year LIMIT 1) later ON true;
COMMENT ON VIEW finmon.savings_report IS
    'Each saving in the programme at a monitoring period (every saving with a forecast then): target for the year, forecast, shortfall (positive = not delivered), RAG stated or derived, previous period''s shortfall and the next two years'' targets. Pounds.';
COMMENT ON COLUMN finmon.savings_report.council IS 'The council.';
COMMENT ON COLUMN finmon.savings_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.savings_report.ref IS 'The saving''s reference.';
COMMENT ON COLUMN finmon.savings_report.title IS 'Its title in the year''s plan (or the next year''s, when it has no target this year).';
COMMENT ON COLUMN finmon.savings_report.workstream IS 'Its workstream in the year''s plan (or the next year''s); NULL when none.';
COMMENT ON COLUMN finmon.savings_report.target IS 'Target for the year; NULL when the plan has none this year.';
COMMENT ON COLUMN finmon.savings_report.forecast IS 'Forecast delivery in the year.';
COMMENT ON COLUMN finmon.savings_report.shortfall IS 'forecast - target (a missing target counts as zero); positive is not delivered.';
COMMENT ON COLUMN finmon.savings_report.delivered_pct IS 'forecast / target * 100; NULL for a zero or missing target.';
COMMENT ON COLUMN finmon.savings_report.rag IS 'The stated RAG status, or else savings_rag(target, forecast); NULL with no target.';
COMMENT ON COLUMN finmon.savings_report.rag_source IS '''stated'' (loaded) or ''derived'' (computed by savings_rag).';
COMMENT ON COLUMN finmon.savings_report.previous_shortfall IS 'The shortfall at the previous monitoring period of the same year with a forecast for this saving.';
COMMENT ON COLUMN finmon.savings_report.target_next_year IS 'Target for the next financial year.';
COMMENT ON COLUMN finmon.savings_report.target_year_after IS 'Target for the year after that.';
COMMENT ON COLUMN finmon.savings_report.row_order IS 'Order of the forecast file.';


CREATE VIEW finmon.savings_summary_report AS
WITH status AS (
    SELECT r.council, r.financial_year, r.period, s.status, s.status_order,
           (finmon.savings_agg(r.target, r.forecast)).*
      FROM finmon.savings_report r
     CROSS JOIN LATERAL (VALUES ('off target', 1, r.shortfall > 0),
                                ('on target', 2, r.shortfall <= 0),
                                ('total', 3, true)) AS s(status, status_order, member)
     WHERE s.member
     GROUP BY r.council, r.financial_year, r.period, s.status, s.status_order
),
periods AS (
    SELECT DISTINCT r.council, r.financial_year, r.period FROM finmon.savings_report r
),
filled AS (
    SELECT p.council, p.financial_year, p.period, k.status, k.status_order,
           COALESCE(s.target, 0) AS target, COALESCE(s.forecast, 0) AS forecast,
           COALESCE(s.shortfall, 0) AS shortfall, COALESCE(s.schemes, 0) AS schemes
      FROM periods p
     CROSS JOIN (VALUES ('off target', 1), ('on target', 2), ('total', 3)) AS k(status, status_order)
      LEFT JOIN status s USING (council, financial_year, period, status)
)
SELECT f.council,
       f.financial_year,
       f.period,
       f.status,
       f.target,
       f.forecast,
       f.shortfall,
       CASE WHEN f.target <> 0 THEN f.shortfall / f.target * 100 END AS shortfall_pct,
       lag(f.shortfall) OVER (PARTITION BY f.council, f.financial_year, f.status ORDER BY f.period) AS previous_shortfall,
       f.schemes,
       f.status_order
  FROM filled f;
COMMENT ON VIEW finmon.savings_summary_report IS
    'The savings programme at each monitoring period in three rows: ''off target'' (savings with a shortfall), ''on target'' and ''total'', with target, forecast, shortfall, shortfall as % of target and the shortfall reported at the previous period (the 2018-19 P5 paper''s section 2.7.3 table). Pounds.';
COMMENT ON COLUMN finmon.savings_summary_report.council IS 'The council.';
COMMENT ON COLUMN finmon.savings_summary_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_summary_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.savings_summary_report.status IS '''off target'', ''on target'' or ''total''.';
COMMENT ON COLUMN finmon.savings_summary_report.target IS 'Sum of the targets.';
COMMENT ON COLUMN finmon.savings_summary_report.forecast IS 'Sum of the forecasts.';
COMMENT ON COLUMN finmon.savings_summary_report.shortfall IS 'forecast - target; positive is not delivered.';
COMMENT ON COLUMN finmon.savings_summary_report.shortfall_pct IS 'shortfall / target * 100, negative for a shortfall on savings (as the paper prints -37%); NULL for a zero target.';
COMMENT ON COLUMN finmon.savings_summary_report.previous_shortfall IS 'The same row''s shortfall at the previous monitoring period loaded for the year; NULL when there is none.';
COMMENT ON COLUMN finmon.savings_summary_report.schemes IS 'How many savings the row covers.';
COMMENT ON COLUMN finmon.savings_summary_report.status_order IS '1, 2, 3: the printed order.';

CREATE VIEW finmon.savings_by_workstream AS
SELECT r.council,
       r.financial_year,
       r.period,
       r.workstream,
       (finmon.savings_agg(r.target, r.forecast)).*,
       sum(r.target_next_year) AS target_next_year,
       sum(r.target_year_after) AS target_year_after,
       min(r.row_order) AS row_order
  FROM finmon.savings_report r
 GROUP BY r.council, r.financial_year, r.period, r.workstream;
COMMENT ON VIEW finmon.savings_by_workstream IS
    'The savings programme at each monitoring period by workstream (NULL: savings with none): totals of target, forecast, shortfall, delivered %, schemes and schemes off target, and the next two years'' targets. Pounds.';
COMMENT ON COLUMN finmon.savings_by_workstream.council IS 'The council.';
COMMENT ON COLUMN finmon.savings_by_workstream.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_by_workstream.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.savings_by_workstream.workstream IS 'The workstream; NULL for savings without one.';
COMMENT ON COLUMN finmon.savings_by_workstream.target IS 'Sum of the year''s targets.';
COMMENT ON COLUMN finmon.savings_by_workstream.forecast IS 'Sum of the forecasts.';
COMMENT ON COLUMN finmon.savings_by_workstream.shortfall IS 'forecast - target; positive is not delivered.';
COMMENT ON COLUMN finmon.savings_by_workstream.delivered_pct IS 'forecast / target * 100.';
COMMENT ON COLUMN finmon.savings_by_workstream.schemes IS 'Savings in the workstream.';
COMMENT ON COLUMN finmon.savings_by_workstream.schemes_off_target IS 'Of those, how many fall short.';
COMMENT ON COLUMN finmon.savings_by_workstream.target_next_year IS 'Sum of the next year''s targets.';
COMMENT ON COLUMN finmon.savings_by_workstream.target_year_after IS 'Sum of the targets the year after.';
COMMENT ON COLUMN finmon.savings_by_workstream.row_order IS 'Where the workstream first appears in the programme.';

-- Reserves and provisions --------------------------------------------------------

CREATE VIEW finmon.reserves_report AS
WITH balance AS (
    SELECT r.*, r.opening_balance + r.planned_usage AS closing_balance,
           CASE r.kind WHEN 'provision' THEN 1 ELSE 2 END AS kind_order
      FROM finmon_data.reserve r
),
grouped AS (
    SELECT b.council, b.financial_year, b.period, b.kind, b.kind_order, b.name, b.description,
           sum(b.opening_balance) AS opening_balance, sum(b.agreed_usage) AS agreed_usage,
           sum(b.planned_usage) AS planned_usage, sum(b.closing_balance) AS closing_balance,
           min(b.import_batch) AS import_batch, min(b.import_row) AS import_row,
           GROUPING(b.kind, b.name) AS level
      FROM balance b
     GROUP BY GROUPING SETS ((b.council, b.financial_year, b.period, b.kind_order, b.kind, b.name, b.description),
                             (b.council, b.financial_year, b.period, b.kind_order, b.kind),
                             (b.council, b.financial_year, b.period))
)
SELECT g.council,
       g.financial_year,
       g.period,
       row_number() OVER (PARTITION BY g.council, g.financial_year, g.period
                          ORDER BY g.kind_order NULLS LAST, (g.name IS NULL), g.import_batch, g.import_row)::integer AS row_number,
       CASE g.level WHEN 0 THEN 'balance' WHEN 1 THEN 'kind total' ELSE 'total' END AS row_type,
       g.kind,
       g.name,
       g.description,
       g.opening_balance,
       g.agreed_usage,
       g.planned_usage,
       g.closing_balance
  FROM grouped g;
COMMENT ON VIEW finmon.reserves_report IS
    'Reserves and provisions at each monitoring period: each balance with its closing balance (opening + planned usage), a total per kind (provisions first) and a grand total. Pounds.';
COMMENT ON COLUMN finmon.reserves_report.council IS 'The council.';
COMMENT ON COLUMN finmon.reserves_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.reserves_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.reserves_report.row_number IS 'Printed order: provisions, their total, reserves, their total, the grand total.';
COMMENT ON COLUMN finmon.reserves_report.row_type IS '''balance'', ''kind total'' or ''total''.';
COMMENT ON COLUMN finmon.reserves_report.kind IS '''reserve'' or ''provision''; NULL on the grand total.';
COMMENT ON COLUMN finmon.reserves_report.name IS 'The balance; NULL on totals.';
COMMENT ON COLUMN finmon.reserves_report.description IS 'What the balance is for.';
COMMENT ON COLUMN finmon.reserves_report.opening_balance IS 'Balance at 1 April.';
COMMENT ON COLUMN finmon.reserves_report.agreed_usage IS 'Usage agreed at budget setting; NULL when not given.';
COMMENT ON COLUMN finmon.reserves_report.planned_usage IS 'Usage planned now; negative draws down.';
COMMENT ON COLUMN finmon.reserves_report.closing_balance IS 'opening_balance + planned_usage: the forecast balance at 31 March.';

CREATE VIEW finmon.reserve_chain_breaks AS
WITH latest AS (
    SELECT DISTINCT ON (r.council, r.name, r.financial_year) r.council, r.name, r.kind, r.financial_year, r.period,
           r.opening_balance, r.planned_usage
      FROM finmon_data.reserve r
     ORDER BY r.council, r.name, r.financial_year, r.period DESC
),
chain AS (
    SELECT l.council, l.name, finmon.reserve_rollforward(l.financial_year, l.opening_balance, l.planned_usage
                                                         ORDER BY l.financial_year) AS c
      FROM latest l
     GROUP BY l.council, l.name
)
SELECT ch.council,
       ch.name,
       (SELECT l.kind FROM latest l WHERE l.council = ch.council AND l.name = ch.name AND l.financial_year = b.financial_year) AS kind,
       b.financial_year,
       (SELECT max(l.financial_year) FROM latest l
         WHERE l.council = ch.council AND l.name = ch.name AND l.financial_year < b.financial_year) AS previous_year,
       b.previous_closing_balance,
       b.opening_balance,
       b.opening_balance - b.previous_closing_balance AS difference
  FROM chain ch
 CROSS JOIN LATERAL unnest((ch.c).break_years, (ch.c).break_expected, (ch.c).break_stated)
       AS b(financial_year, previous_closing_balance, opening_balance);
COMMENT ON VIEW finmon.reserve_chain_breaks IS
    'Every year in which a balance''s opening balance is not the previous year''s closing balance (its opening + planned usage at the latest period loaded for that year), by reserve_rollforward. Balances chain by council and name. Pounds.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.council IS 'The council.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.name IS 'The balance.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.kind IS 'reserve or provision.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.financial_year IS 'The year whose opening balance breaks the chain.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.previous_year IS 'The latest earlier year loaded for the balance.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.previous_closing_balance IS 'That year''s closing balance (opening + planned usage at its latest period).';
COMMENT ON COLUMN finmon.reserve_chain_breaks.opening_balance IS 'The opening balance stated for this year.';
COMMENT ON COLUMN finmon.reserve_chain_breaks.difference IS 'opening_balance - previous_closing_balance.';

-- Capital -------------------------------------------------------------------------

CREATE VIEW finmon.capital_report AS
WITH rows AS (
    SELECT c.council, c.financial_year, c.period, CASE WHEN c.passported THEN 3 ELSE 1 END AS block,
           CASE WHEN c.passported THEN 'passported' ELSE 'scheme' END AS row_type,
           c.scheme, c.budget, c.forecast_outturn, c.next_year_budget, c.import_batch, c.import_row
      FROM finmon_data.capital c
    UNION ALL
    SELECT c.council, c.financial_year, c.period, t.block, t.row_type, NULL,
           sum(c.budget), sum(c.forecast_outturn),
           CASE WHEN count(c.next_year_budget) = count(*) THEN sum(c.next_year_budget) END, NULL, NULL
      FROM finmon_data.capital c
     CROSS JOIN (VALUES (2, 'programme total', false), (4, 'total capital programme', true)) AS t(block, row_type, all_schemes)
     WHERE t.all_schemes OR NOT c.passported
     GROUP BY c.council, c.financial_year, c.period, t.block, t.row_type
)
SELECT r.council,
       r.financial_year,
       r.period,
       row_number() OVER (PARTITION BY r.council, r.financial_year, r.period
                          ORDER BY r.block, r.import_batch, r.import_row)::integer AS row_number,
       r.row_type,
       r.scheme,
       r.budget,
       r.forecast_outturn,
       r.budget - r.forecast_outturn AS slippage,
       r.next_year_budget
  FROM rows r;
COMMENT ON VIEW finmon.capital_report IS
    'The capital programme at each monitoring period: each scheme, the programme total, schemes passported to other bodies, and the total capital programme (both), with slippage = budget - forecast. Pounds.';
COMMENT ON COLUMN finmon.capital_report.council IS 'The council.';
COMMENT ON COLUMN finmon.capital_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.capital_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.capital_report.row_number IS 'Printed order: schemes, programme total, passported schemes, total capital programme.';
COMMENT ON COLUMN finmon.capital_report.row_type IS '''scheme'', ''programme total'', ''passported'' or ''total capital programme''.';
COMMENT ON COLUMN finmon.capital_report.scheme IS 'The scheme; NULL on totals.';
COMMENT ON COLUMN finmon.capital_report.budget IS 'Current capital budget.';
COMMENT ON COLUMN finmon.capital_report.forecast_outturn IS 'Forecast outturn at year end.';
COMMENT ON COLUMN finmon.capital_report.slippage IS 'budget - forecast_outturn: spend expected to slip into later years.';
COMMENT ON COLUMN finmon.capital_report.next_year_budget IS 'Next year''s draft budget; NULL when not yet known, and on a total that includes an unknown one.';

-- Grants --------------------------------------------------------------------------

CREATE VIEW finmon.grant_report AS
-- (each scheme's row, then each grant's total, as a UNION ALL rather than GROUPING SETS, which
-- Citus does not run: a scheme is one row of grant_scheme)
SELECT u.council,
       u.financial_year,
       u.period,
       u."grant",
       row_number() OVER (PARTITION BY u.council, u.financial_year, u.period, u."grant"
                          ORDER BY u.is_total, u.import_batch, u.import_row)::integer AS row_number,
       CASE WHEN u.is_total THEN 'total' ELSE 'scheme' END AS row_type,
       u.scheme,
       u.allocation,
       u.brought_forward,
       u.forecast_spend,
       u.carry_forward
  FROM (SELECT g.council, g.financial_year, g.period, g."grant", false AS is_total, g.import_batch, g.import_row,
               g.scheme, g.allocation, g.brought_forward, g.forecast_spend,
               g.allocation + g.brought_forward - g.forecast_spend AS carry_forward
          FROM finmon_data.grant_scheme g
        UNION ALL
        SELECT g.council, g.financial_year, g.period, g."grant", true, min(g.import_batch), min(g.import_row),
               NULL, sum(g.allocation), sum(g.brought_forward),
               -- a total has a forecast spend only when every scheme has one
               CASE WHEN count(g.forecast_spend) = count(*) THEN sum(g.forecast_spend) END,
               CASE WHEN count(g.forecast_spend) = count(*)
                    THEN sum(g.allocation) + sum(g.brought_forward) - sum(g.forecast_spend) END
          FROM finmon_data.grant_scheme g
         GROUP BY g.council, g.financial_year, g.period, g."grant") u;
COMMENT ON VIEW finmon.grant_report IS
    'Ring-fenced grants at each monitoring period: each scheme and the total per grant, with carry forward = allocation + brought forward - forecast spend (the 2018-19 Appendix F iBCF table). Pounds.';
COMMENT ON COLUMN finmon.grant_report.council IS 'The council.';
COMMENT ON COLUMN finmon.grant_report.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.grant_report.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.grant_report."grant" IS 'The grant.';
COMMENT ON COLUMN finmon.grant_report.row_number IS 'Printed order within the grant: schemes, then the total.';
COMMENT ON COLUMN finmon.grant_report.row_type IS '''scheme'' or ''total''.';
COMMENT ON COLUMN finmon.grant_report.scheme IS 'The scheme; NULL on the total.';
COMMENT ON COLUMN finmon.grant_report.allocation IS 'The year''s allocation.';
COMMENT ON COLUMN finmon.grant_report.brought_forward IS 'Brought forward from last year.';
COMMENT ON COLUMN finmon.grant_report.forecast_spend IS 'Forecast spend in the year; NULL while no spend is forecast (for a total: while any scheme has none).';
COMMENT ON COLUMN finmon.grant_report.carry_forward IS 'allocation + brought_forward - forecast_spend: carried forward to next year; NULL while forecast_spend is.';

-- Printed appendices --------------------------------------------------------------

CREATE VIEW finmon.appendix_c AS
-- (each saving's row, then the net total, as a UNION ALL rather than GROUPING SETS, which Citus
-- does not run; the total's label joins the service_name setting itself, since on Citus
-- service_label() called on a shard cannot read the settings)
SELECT u.council,
       u.financial_year,
       u.period,
       (row_number() OVER (PARTITION BY u.council, u.financial_year, u.period
                           ORDER BY u.is_total, u.row_order))::integer AS row_number,
       u.ref,
       u.saving,
       finmon.format_signed(u.target) AS target,
       finmon.format_signed(u.target_next_year) AS target_next_year,
       finmon.format_signed(u.target_year_after) AS target_year_after,
       finmon.format_signed(u.forecast) AS forecast,
       finmon.format_signed(-u.shortfall) AS variance,
       u.rag
  FROM (SELECT r.council, r.financial_year, r.period, false AS is_total, r.row_order, r.ref, r.title AS saving,
               r.target, r.target_next_year, r.target_year_after, r.forecast, r.shortfall, r.rag
          FROM finmon.savings_report r
        UNION ALL
        SELECT r.council, r.financial_year, r.period, true, min(r.row_order), NULL,
               finmon.label_with_service('%s net total', min(s.value)),
               sum(r.target), sum(r.target_next_year), sum(r.target_year_after), sum(r.forecast), sum(r.shortfall), NULL
          FROM finmon.savings_report r
          LEFT JOIN finmon.setting s ON s.council = r.council AND s.name = 'service_name'
         GROUP BY r.council, r.financial_year, r.period) u;
COMMENT ON VIEW finmon.appendix_c IS
    'Appendix C, the savings programme, as printed: each saving with its target for the year and the next two, forecast, variance ((shortfall) negative / over-delivery positive, the paper''s sign) and RAG, then the net total. £m to 3 places.';
COMMENT ON COLUMN finmon.appendix_c.council IS 'The council.';
COMMENT ON COLUMN finmon.appendix_c.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_c.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_c.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.appendix_c.ref IS 'Saving reference; NULL on the total.';
COMMENT ON COLUMN finmon.appendix_c.saving IS 'Saving title, or the total''s label.';
COMMENT ON COLUMN finmon.appendix_c.target IS 'Saving for the year, £m.';
COMMENT ON COLUMN finmon.appendix_c.target_next_year IS 'Saving for the next year, £m.';
COMMENT ON COLUMN finmon.appendix_c.target_year_after IS 'Saving for the year after, £m.';
COMMENT ON COLUMN finmon.appendix_c.forecast IS 'Forecast for the year, £m.';
COMMENT ON COLUMN finmon.appendix_c.variance IS 'Forecast variance as printed: target - forecast, negative for a shortfall, £m.';
COMMENT ON COLUMN finmon.appendix_c.rag IS 'RAG status (stated, or derived when none was stated).';

CREATE VIEW finmon.appendix_c_workstreams AS
WITH saving AS (
    SELECT r.*, min(r.row_order) OVER (PARTITION BY r.council, r.financial_year, r.period, r.workstream) AS workstream_order,
           sum(COALESCE(r.target, 0) + COALESCE(r.target_next_year, 0) + COALESCE(r.target_year_after, 0))
               OVER (PARTITION BY r.council, r.financial_year, r.period, r.workstream) AS workstream_savings
      FROM finmon.savings_report r
),
printed AS (
    SELECT s.council, s.financial_year, s.period, s.workstream_order, s.row_order,
           CASE WHEN s.row_order = s.workstream_order THEN s.workstream END AS workstream,
           CASE WHEN s.row_order = s.workstream_order THEN s.workstream_savings END AS workstream_savings,
           s.ref, s.title AS saving, s.target, s.target_next_year, s.target_year_after
      FROM saving s
    UNION ALL
    SELECT s.council, s.financial_year, s.period, NULL, NULL, 'Total', NULL, NULL, NULL,
           sum(s.target), sum(s.target_next_year), sum(s.target_year_after)
      FROM saving s
     GROUP BY s.council, s.financial_year, s.period
)
SELECT p.council,
       p.financial_year,
       p.period,
       row_number() OVER (PARTITION BY p.council, p.financial_year, p.period
                          ORDER BY p.workstream_order NULLS LAST, p.row_order)::integer AS row_number,
       p.workstream,
       finmon.format_signed(p.workstream_savings) AS workstream_savings,
       p.ref,
       p.saving,
       finmon.format_signed(p.target) AS target,
       finmon.format_signed(p.target_next_year) AS target_next_year,
       finmon.format_signed(p.target_year_after) AS target_year_after
  FROM printed p;
COMMENT ON VIEW finmon.appendix_c_workstreams IS
    'Appendix C by workstream, as the 2017-18 paper prints the restructured programme: each workstream with its savings over three years, the savings in it with their targets for the year and the next two, and the total. £m to 3 places.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.council IS 'The council.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.row_number IS 'Printed order: workstreams as first met, savings in file order, the total last.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.workstream IS 'The workstream, on its first saving''s row; ''Total'' on the total.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.workstream_savings IS 'The workstream''s targets over the three years, £m, on its first row.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.ref IS 'Saving reference.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.saving IS 'Saving title.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.target IS 'Target for the year, £m.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.target_next_year IS 'Target for the next year, £m.';
COMMENT ON COLUMN finmon.appendix_c_workstreams.target_year_after IS 'Target for the year after, £m.';

CREATE VIEW finmon.savings_summary_table AS
SELECT s.council,
       s.financial_year,
       s.period,
       s.status_order AS row_number,
       CASE s.status WHEN 'off target' THEN 'Savings off target'
                     WHEN 'on target' THEN 'Savings on target' ELSE 'Total Savings' END AS label,
       finmon.format_signed(s.target) AS saving,
       finmon.format_signed(s.forecast) AS forecast,
       finmon.format_signed(s.shortfall) AS variance,
       round(s.shortfall_pct)::text || '%' AS variance_pct,
       finmon.format_signed(s.previous_shortfall) AS previously_reported
  FROM finmon.savings_summary_report s;
COMMENT ON VIEW finmon.savings_summary_table IS
    'The savings summary table as printed (2018-19 P5 section 2.7.3): savings off target, on target and in total, with saving, forecast, variance (the shortfall, positive), variance as % of the saving (whole percent) and the shortfall previously reported. £m to 3 places.';
COMMENT ON COLUMN finmon.savings_summary_table.council IS 'The council.';
COMMENT ON COLUMN finmon.savings_summary_table.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.savings_summary_table.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.savings_summary_table.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.savings_summary_table.label IS 'Row label as printed.';
COMMENT ON COLUMN finmon.savings_summary_table.saving IS 'Saving target for the year, £m.';
COMMENT ON COLUMN finmon.savings_summary_table.forecast IS 'Forecast, £m.';
COMMENT ON COLUMN finmon.savings_summary_table.variance IS 'Shortfall (forecast - saving), £m.';
COMMENT ON COLUMN finmon.savings_summary_table.variance_pct IS 'Shortfall as % of the saving, to the whole percent.';
COMMENT ON COLUMN finmon.savings_summary_table.previously_reported IS 'Shortfall at the previous monitoring period loaded, £m; NULL when none is loaded.';

CREATE VIEW finmon.appendix_d AS
SELECT r.council,
       r.financial_year,
       r.period,
       r.row_number,
       CASE r.row_type
           WHEN 'balance' THEN r.name
           WHEN 'kind total' THEN finmon.service_label(r.council, CASE r.kind WHEN 'provision' THEN 'Total %s Provisions'
                                                                              ELSE 'Total %s Reserves' END)
           ELSE 'Total Reserves & Provisions' END AS balance,
       r.description,
       finmon.format_signed(r.opening_balance) AS opening_balance,
       finmon.format_signed(r.agreed_usage) AS agreed_usage,
       finmon.format_signed(r.planned_usage) AS planned_usage,
       finmon.format_signed(r.closing_balance) AS closing_balance
  FROM finmon.reserves_report r;
COMMENT ON VIEW finmon.appendix_d IS
    'Appendix D, reserves and provisions, as printed: provisions and their total, reserves and their total, the grand total; balance at 1 April, agreed usage, planned usage and balance at 31 March. £m to 3 places.';
COMMENT ON COLUMN finmon.appendix_d.council IS 'The council.';
COMMENT ON COLUMN finmon.appendix_d.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_d.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_d.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.appendix_d.balance IS 'The balance''s name, or the total''s label.';
COMMENT ON COLUMN finmon.appendix_d.description IS 'What the balance is for.';
COMMENT ON COLUMN finmon.appendix_d.opening_balance IS 'Balance at 1 April, £m.';
COMMENT ON COLUMN finmon.appendix_d.agreed_usage IS 'Usage agreed at budget setting, £m.';
COMMENT ON COLUMN finmon.appendix_d.planned_usage IS 'Planned usage, £m.';
COMMENT ON COLUMN finmon.appendix_d.closing_balance IS 'Balance at 31 March, £m.';

CREATE VIEW finmon.appendix_e AS
SELECT c.council,
       c.financial_year,
       c.period,
       c.row_number,
       CASE c.row_type WHEN 'programme total' THEN 'TOTAL'
                       WHEN 'total capital programme' THEN 'Total capital programme'
                       ELSE c.scheme END AS scheme,
       finmon.format_signed(c.budget) AS budget,
       finmon.format_signed(c.forecast_outturn) AS forecast_outturn,
       COALESCE(finmon.format_signed(c.next_year_budget), 'tbc') AS next_year_budget
  FROM finmon.capital_report c;
COMMENT ON VIEW finmon.appendix_e IS
    'Appendix E, the capital programme, as printed: schemes, TOTAL, schemes passported to other bodies, and the total capital programme; current budget, forecast outturn and next year''s draft budget ("tbc" when not known). £m to 3 places.';
COMMENT ON COLUMN finmon.appendix_e.council IS 'The council.';
COMMENT ON COLUMN finmon.appendix_e.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_e.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_e.row_number IS 'Printed order.';
COMMENT ON COLUMN finmon.appendix_e.scheme IS 'Scheme name, or the total''s label.';
COMMENT ON COLUMN finmon.appendix_e.budget IS 'Current capital budget, £m.';
COMMENT ON COLUMN finmon.appendix_e.forecast_outturn IS 'Forecast outturn at year end, £m.';
COMMENT ON COLUMN finmon.appendix_e.next_year_budget IS 'Next year''s draft capital budget, £m, or tbc.';

CREATE VIEW finmon.appendix_f AS
SELECT g.council,
       g.financial_year,
       g.period,
       g."grant",
       g.row_number,
       COALESCE(g.scheme, 'Total') AS scheme,
       '£' || finmon.format_signed(g.allocation) || 'm' AS allocation,
       '£' || finmon.format_signed(g.brought_forward) || 'm' AS brought_forward,
       '£' || finmon.format_signed(g.forecast_spend) || 'm' AS forecast_spend,
       '£' || finmon.format_signed(g.carry_forward) || 'm' AS carry_forward
  FROM finmon.grant_report g;
COMMENT ON VIEW finmon.appendix_f IS
    'Appendix F, grant schemes (the iBCF table), as printed: allocation, brought forward from reserve, forecast spend and carry forward to reserve per scheme and in total, as £0.750m.';
COMMENT ON COLUMN finmon.appendix_f.council IS 'The council.';
COMMENT ON COLUMN finmon.appendix_f.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.appendix_f.period IS 'Monitoring period.';
COMMENT ON COLUMN finmon.appendix_f."grant" IS 'The grant.';
COMMENT ON COLUMN finmon.appendix_f.row_number IS 'Printed order within the grant.';
COMMENT ON COLUMN finmon.appendix_f.scheme IS 'Scheme name, or Total.';
COMMENT ON COLUMN finmon.appendix_f.allocation IS 'The year''s allocation.';
COMMENT ON COLUMN finmon.appendix_f.brought_forward IS 'Brought forward from the grant''s reserve.';
COMMENT ON COLUMN finmon.appendix_f.forecast_spend IS 'Forecast spend in the year.';
COMMENT ON COLUMN finmon.appendix_f.carry_forward IS 'Forecast carry forward to the reserve for next year.';
