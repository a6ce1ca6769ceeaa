-- Reconciliation: the figures a committee paper prints, checked against the data.
--
-- published.csv holds each printed figure as printed (signed, with its printed decimal
-- places and unit); finmon.report_figures is every figure finmon computes, with how many
-- printed figures it is made of; finmon.reconciliation sets the two side by side with a
-- verdict.  finmon.consistency_issues checks the data against itself: stated balances,
-- carry forwards and savings totals that do not follow from their parts, and reserves whose
-- opening balance is not last year's closing.

-- What can be printed -------------------------------------------------------------

CREATE TABLE finmon.report_column (
    report text NOT NULL,
    column_name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('amount', 'percentage', 'measure')),
    description text NOT NULL,
    PRIMARY KEY (report, column_name)
);
COMMENT ON TABLE finmon.report_column IS
    'The report columns a printed figure can claim to be (published.csv''s report and column), with what finmon computes for each.';
COMMENT ON COLUMN finmon.report_column.report IS '''revenue'', ''savings'', ''reserves'', ''capital'', ''grants'' or ''measures''.';
COMMENT ON COLUMN finmon.report_column.column_name IS 'The column, as published.csv writes it.';
COMMENT ON COLUMN finmon.report_column.kind IS '''amount'' (printed in £m, £k, £000 or £), ''percentage'' (printed in %) or ''measure'' (a performance measure''s value, printed in the measure''s own unit).';
COMMENT ON COLUMN finmon.report_column.description IS 'What the figure is and how finmon computes it.';

INSERT INTO finmon.report_column (report, column_name, kind, description) VALUES
    ('revenue', 'budget', 'amount', 'Budget: the sum of the node''s leaf budgets.'),
    ('revenue', 'forecast_outturn', 'amount', 'Forecast outturn: the sum of its leaf forecasts.'),
    ('revenue', 'variance', 'amount', 'forecast_outturn - budget; positive is an overspend.'),
    ('revenue', 'underspend', 'amount', 'budget - forecast_outturn, as a table printing "under/(over) spend" shows it; positive is an underspend.'),
    ('revenue', 'variance_pct', 'percentage', 'variance / budget * 100.'),
    ('revenue', 'previous_variance', 'amount', 'The variance at the previous period loaded for the year.'),
    ('revenue', 'movement', 'amount', 'variance - previous_variance.'),
    ('revenue', 'prior_year_actual', 'amount', 'Last year''s outturn (its period 12 forecast outturn).'),
    ('revenue', 'prior_year_variance', 'amount', 'Last year''s over/underspend at outturn.'),
    ('savings', 'target', 'amount', 'The year''s savings target (negative: a reduction in spend).'),
    ('savings', 'target_next_year', 'amount', 'Next year''s target.'),
    ('savings', 'target_year_after', 'amount', 'The target the year after.'),
    ('savings', 'forecast', 'amount', 'Forecast delivery in the year.'),
    ('savings', 'shortfall', 'amount', 'forecast - target; positive is not delivered.'),
    ('savings', 'variance', 'amount', 'target - forecast, as Appendix C prints it: negative is a shortfall.'),
    ('savings', 'shortfall_pct', 'percentage', 'shortfall / target * 100 (negative for a shortfall, as the papers print it).'),
    ('savings', 'delivered_pct', 'percentage', 'forecast / target * 100.'),
    ('savings', 'previous_shortfall', 'amount', 'The shortfall at the previous period loaded for the year.'),
    ('reserves', 'opening_balance', 'amount', 'Balance at 1 April.'),
    ('reserves', 'agreed_usage', 'amount', 'Usage agreed at budget setting.'),
    ('reserves', 'planned_usage', 'amount', 'Usage planned now; negative draws down.'),
    ('reserves', 'closing_balance', 'amount', 'opening_balance + planned_usage.'),
    ('capital', 'budget', 'amount', 'Current capital budget.'),
    ('capital', 'forecast_outturn', 'amount', 'Forecast outturn.'),
    ('capital', 'slippage', 'amount', 'budget - forecast_outturn.'),
    ('capital', 'next_year_budget', 'amount', 'Next year''s draft budget.'),
    ('grants', 'allocation', 'amount', 'The year''s allocation.'),
    ('grants', 'brought_forward', 'amount', 'Brought forward from last year.'),
    ('grants', 'forecast_spend', 'amount', 'Forecast spend.'),
    ('grants', 'carry_forward', 'amount', 'allocation + brought_forward - forecast_spend.'),
    ('measures', 'value', 'measure', 'The month''s value: rolling 12 months computed from the counts, or the published value (measure_report.r12_value).'),
    ('measures', 'ytd_value', 'measure', 'The year-to-date value computed from the counts (measure_report.ytd_value).'),
    ('measures', 'target', 'measure', 'The month''s target, or its financial year''s (measure_report.target).');

-- Printed figures -----------------------------------------------------------------

CREATE TABLE finmon_data.published (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    report text NOT NULL,
    item text NOT NULL,
    column_name text NOT NULL,
    value numeric NOT NULL,
    unit text NOT NULL CHECK (unit <> ''),
    source text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, period, report, item, column_name, source),
    FOREIGN KEY (report, column_name) REFERENCES finmon.report_column (report, column_name)
);
COMMENT ON TABLE finmon_data.published IS
    'Figures as a committee paper prints them, to be checked against the data (finmon.reconciliation). Loaded through finmon.published_import.';
COMMENT ON COLUMN finmon_data.published.council IS 'The council whose paper printed the figure.';
COMMENT ON COLUMN finmon_data.published.financial_year IS 'The paper''s financial year, YYYY-YY (for a measure, the year of the month the value is for).';
COMMENT ON COLUMN finmon_data.published.period IS 'The paper''s monitoring period, 1 to 12 (for a measure, the period of the month the value is for).';
COMMENT ON COLUMN finmon_data.published.report IS 'Which report the figure belongs to (finmon.report_column).';
COMMENT ON COLUMN finmon_data.published.item IS 'What the figure is about, in the report''s own key (a node path, saving reference, balance, scheme, ''area: measure''; '''' for the total; see the README).';
COMMENT ON COLUMN finmon_data.published.column_name IS 'Which report column the figure claims to be (finmon.report_column).';
COMMENT ON COLUMN finmon_data.published.value IS 'The figure as printed, signed, keeping its printed decimal places (the numeric''s scale).';
COMMENT ON COLUMN finmon_data.published.unit IS '''£m'', ''£k'' or ''£000'' (the same), ''£'' or ''%''; for a measure, its own unit as in measures.csv (''per 100000'', ''%'').';
COMMENT ON COLUMN finmon_data.published.source IS 'Where it is printed (table and page); one paper can print the same figure in several tables.';
COMMENT ON COLUMN finmon_data.published.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.published.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.published.import_row IS 'The row number in that load; orders the figures as the file did.';

SELECT pg_catalog.pg_extension_config_dump('finmon_data.published', '');

-- What is wrong with a figure's report, column and unit: the report must be known, the
-- column one of its columns (for a stated figure, which has no unit, an amount column), the
-- unit % for a percentage and £m, £k (or £000) or £ for an amount (a measure's unit is checked
-- against the measure by the reconciliation).
-- (PL/pgSQL: on Citus 13.2 a SQL function cannot read a distributed or reference table.)
CREATE FUNCTION finmon.report_column_problem(report text, column_name text, unit text) RETURNS text[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (
        SELECT CASE
            WHEN NOT EXISTS (SELECT FROM finmon.report_column c WHERE c.report = btrim($1)) THEN
                ARRAY['22023', format('unknown report "%s"', $1), 'report is one of revenue, savings, reserves, capital, grants, measures.']
            WHEN $3 IS NULL AND NOT EXISTS (SELECT FROM finmon.report_column c WHERE c.report = btrim($1) AND c.kind = 'amount') THEN
                ARRAY['22023', format('report %s has no amount column "%s"', btrim($1), $2),
                      format('Stated figures are amounts in pounds; report %s has none.', btrim($1))]
            WHEN k.kind IS NULL OR ($3 IS NULL AND k.kind <> 'amount') THEN
                ARRAY['22023', format('report %s has no %scolumn "%s"', btrim($1), CASE WHEN $3 IS NULL THEN 'amount ' END, $2),
                      format('The %scolumns of %s are: %s (finmon.report_column).', CASE WHEN $3 IS NULL THEN 'amount ' END, btrim($1),
                             (SELECT string_agg(c.column_name, ', ' ORDER BY c.column_name) FROM finmon.report_column c
                               WHERE c.report = btrim($1) AND ($3 IS NOT NULL OR c.kind = 'amount')))]
            WHEN $3 IS NULL OR k.kind = 'measure' THEN NULL
            WHEN btrim($3) NOT IN ('£m', '£k', '£000', '£', '%') THEN
                ARRAY['22023', format('unknown unit "%s"', $3), 'unit is £m, £k (or £000), £ or %.']
            WHEN (k.kind = 'percentage') <> (btrim($3) = '%') THEN
                ARRAY['22023', format('%s %s is %s, but its unit is "%s"', btrim($1), btrim($2),
                                      CASE k.kind WHEN 'percentage' THEN 'a percentage' ELSE 'an amount' END, btrim($3)),
                      'Percentages are in %; amounts in £m, £k (or £000) or £.']
        END
          FROM (SELECT (SELECT c.kind FROM finmon.report_column c
                         WHERE c.report = btrim($1) AND c.column_name = btrim($2)) AS kind) AS k);
END;
$$;
COMMENT ON FUNCTION finmon.report_column_problem(text, text, text) IS
    'What is wrong with a printed (unit given) or stated (unit NULL: an amount) figure''s report, column and unit, as {SQLSTATE, message, hint}; NULL when nothing is (internal).';

-- A revenue item as the reports key it: each ' + ' part's names trimmed and joined by ' > ',
-- as revenue.csv's lines are, after an analysis name and ':' where the part starts with the
-- name of one of the council's memorandum analyses (given, as a JSON array: the function reads
-- no table, so that a load can call it for each row, on a Citus cluster too).
CREATE FUNCTION finmon.revenue_item(item text, analyses jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN COALESCE((
    SELECT string_agg(CASE WHEN a.analysis IS NULL THEN finmon.line_path(x.part)
                           ELSE a.analysis || ':' || COALESCE(NULLIF(' ' || COALESCE(
                                    finmon.line_path(substr(x.part, strpos(x.part, ':') + 1)), ''), ' '), '') END,
                      ' + ' ORDER BY x.n)
      FROM unnest(string_to_array(item, ' + ')) WITH ORDINALITY AS x(part, n)
      CROSS JOIN LATERAL (SELECT CASE WHEN strpos(x.part, ':') > 0 THEN btrim(substr(x.part, 1, strpos(x.part, ':') - 1)) END) AS p(name)
      LEFT JOIN LATERAL (SELECT p.name AS analysis WHERE COALESCE(analyses, '[]') ? p.name) AS a ON true), '');
COMMENT ON FUNCTION finmon.revenue_item(text, jsonb) IS
    'A printed revenue item as finmon keys it: names trimmed and joined by '' > '', after the name of a memorandum analysis (one of the JSON array given) and '':'' (internal).';


-- What finmon computes --------------------------------------------------------------

-- Every figure a paper could print, per year, period, report, item and column, with how many
-- printed figures it is made of: a total of n leaves sums n printed budgets, a variance of n
-- leaves 2n (their budgets and forecasts).  A percentage is amount / base * 100, each with its
-- own count.  Items are the keys published.csv uses (see finmon_data.published.item).
CREATE VIEW finmon.report_figures AS
WITH revenue_leaves AS (
    -- how many leaves each node total sums, at the period, the previous period and last year's
    -- outturn (the windows of finmon_data.revenue_figures, over the same rows)
    SELECT l.*,
           lag(l.leaves) OVER (PARTITION BY l.council, l.financial_year, l.analysis, l.path ORDER BY l.period) AS previous_leaves,
           max(CASE WHEN l.period = 12 THEN l.leaves END)
               OVER (PARTITION BY l.council, l.analysis, l.path ORDER BY substr(l.financial_year, 1, 4)::integer
                     RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING) AS prior_leaves
      FROM (SELECT r.council, r.financial_year, r.period, r.analysis, a.path, count(*)::integer AS leaves
              FROM finmon_data.revenue r
              JOIN finmon_data.revenue_node n ON n.council = r.council AND n.analysis = r.analysis AND n.path = r.line
             CROSS JOIN LATERAL unnest(n.ancestors) AS a(path)
             GROUP BY r.council, r.financial_year, r.period, r.analysis, a.path) AS l
),
revenue AS (
    SELECT f.council, f.financial_year, f.period, 'revenue'::text AS report,
           CASE WHEN f.analysis = '' THEN f.path
                WHEN f.path = '' THEN f.analysis || ':'
                ELSE f.analysis || ': ' || f.path END AS item,
           c.column_name, c.amount, c.amount_figures, c.base, c.base_figures, '£'::text AS unit
      FROM finmon_data.revenue_figures f
      JOIN revenue_leaves l
        ON l.council = f.council AND l.financial_year = f.financial_year AND l.period = f.period
       AND l.analysis = f.analysis AND l.path = f.path
     CROSS JOIN LATERAL (VALUES
           ('budget', f.budget, l.leaves, NULL::numeric, NULL::integer),
           ('forecast_outturn', f.forecast_outturn, l.leaves, NULL, NULL),
           ('variance', f.variance, 2 * l.leaves, NULL, NULL),
           ('underspend', -f.variance, 2 * l.leaves, NULL, NULL),
           ('variance_pct', f.variance, 2 * l.leaves, f.budget, l.leaves),
           ('previous_variance', f.previous_variance, 2 * l.previous_leaves, NULL, NULL),
           ('movement', f.movement, 2 * l.leaves + 2 * l.previous_leaves, NULL, NULL),
           ('prior_year_actual', f.prior_year_actual, l.prior_leaves, NULL, NULL),
           ('prior_year_variance', f.prior_year_variance, 2 * l.prior_leaves, NULL, NULL))
           AS c(column_name, amount, amount_figures, base, base_figures)
),
savings_totals AS (
    -- each saving, workstream and status, and the programme: the rows of each group at each
    -- level (level 0 a saving, 3 the programme), as a LATERAL VALUES rather than GROUPING SETS,
    -- which Citus does not run
    SELECT s.council, s.financial_year, s.period, t.item,
           -- a total of no targets is zero (a blank in a saving's row is no target)
           CASE WHEN t.level = 0 THEN sum(s.target) ELSE COALESCE(sum(s.target), 0) END AS target,
           count(s.target)::integer AS targets,
           sum(s.forecast) AS forecast, count(s.forecast)::integer AS forecasts,
           sum(s.shortfall) AS shortfall,
           sum(s.previous_shortfall) AS previous_shortfall, count(s.previous_shortfall)::integer AS previous_shortfalls,
           CASE WHEN t.level = 0 THEN sum(s.target_next_year) ELSE COALESCE(sum(s.target_next_year), 0) END
               AS target_next_year,
           count(s.target_next_year)::integer AS targets_next_year,
           CASE WHEN t.level = 0 THEN sum(s.target_year_after) ELSE COALESCE(sum(s.target_year_after), 0) END
               AS target_year_after,
           count(s.target_year_after)::integer AS targets_year_after
      FROM finmon.savings_report s
     CROSS JOIN LATERAL (VALUES (0, s.ref), (1, 'workstream: ' || s.workstream),
                                (2, 'status: ' || CASE WHEN s.shortfall > 0 THEN 'off target' ELSE 'on target' END),
                                (3, '')) AS t(level, item)
     GROUP BY s.council, s.financial_year, s.period, t.level, t.item
),
savings AS (
    SELECT t.council, t.financial_year, t.period, 'savings'::text AS report, t.item,
           c.column_name, c.amount, c.amount_figures, c.base, c.base_figures, '£'::text AS unit
      FROM savings_totals t
     CROSS JOIN LATERAL (VALUES
           ('target', t.target, t.targets, NULL::numeric, NULL::integer),
           ('target_next_year', t.target_next_year, t.targets_next_year, NULL, NULL),
           ('target_year_after', t.target_year_after, t.targets_year_after, NULL, NULL),
           ('forecast', t.forecast, t.forecasts, NULL, NULL),
           ('shortfall', t.shortfall, t.forecasts + t.targets, NULL, NULL),
           ('variance', -t.shortfall, t.forecasts + t.targets, NULL, NULL),
           ('shortfall_pct', t.shortfall, t.forecasts + t.targets, t.target, t.targets),
           ('delivered_pct', t.forecast, t.forecasts, t.target, t.targets),
           ('previous_shortfall', t.previous_shortfall, 2 * t.previous_shortfalls, NULL, NULL))
           AS c(column_name, amount, amount_figures, base, base_figures)
     WHERE t.item IS NOT NULL
),
reserve_totals AS (
    -- each balance, kind and the whole (as savings_totals)
    SELECT r.council, r.financial_year, r.period, t.item,
           count(*)::integer AS balances,
           sum(r.opening_balance) AS opening_balance, sum(r.agreed_usage) AS agreed_usage,
           count(r.agreed_usage)::integer AS agreed_usages, sum(r.planned_usage) AS planned_usage
      FROM finmon_data.reserve r
     CROSS JOIN LATERAL (VALUES (0, r.name), (1, 'kind: ' || r.kind), (2, '')) AS t(level, item)
     GROUP BY r.council, r.financial_year, r.period, t.level, t.item
),
reserves AS (
    SELECT t.council, t.financial_year, t.period, 'reserves'::text AS report, t.item,
           c.column_name, c.amount, c.amount_figures, NULL::numeric AS base, NULL::integer AS base_figures,
           '£'::text AS unit
      FROM reserve_totals t
     CROSS JOIN LATERAL (VALUES
           ('opening_balance', t.opening_balance, t.balances),
           ('agreed_usage', t.agreed_usage, t.agreed_usages),
           ('planned_usage', t.planned_usage, t.balances),
           ('closing_balance', t.opening_balance + t.planned_usage, 2 * t.balances))
           AS c(column_name, amount, amount_figures)
),
capital_totals AS (
    SELECT k.council, k.financial_year, k.period, t.item, count(*)::integer AS schemes,
           sum(k.budget) AS budget, sum(k.forecast_outturn) AS forecast_outturn,
           CASE WHEN count(k.next_year_budget) = count(*) THEN sum(k.next_year_budget) END AS next_year_budget
      FROM finmon_data.capital k
     CROSS JOIN LATERAL (VALUES (k.scheme), ('programme total'), ('')) AS t(item)
     WHERE t.item <> 'programme total' OR NOT k.passported
     GROUP BY k.council, k.financial_year, k.period, t.item
),
capital AS (
    SELECT t.council, t.financial_year, t.period, 'capital'::text AS report, t.item,
           c.column_name, c.amount, c.amount_figures, NULL::numeric AS base, NULL::integer AS base_figures,
           '£'::text AS unit
      FROM capital_totals t
     CROSS JOIN LATERAL (VALUES
           ('budget', t.budget, t.schemes),
           ('forecast_outturn', t.forecast_outturn, t.schemes),
           ('slippage', t.budget - t.forecast_outturn, 2 * t.schemes),
           ('next_year_budget', t.next_year_budget, t.schemes))
           AS c(column_name, amount, amount_figures)
),
grant_totals AS (
    -- a scheme's name alone, or with its grant; a name in two grants is two figures (and so
    -- ambiguous to the reconciliation)
    SELECT g.council, g.financial_year, g.period, t.item, count(*)::integer AS schemes,
           sum(g.allocation) AS allocation, sum(g.brought_forward) AS brought_forward,
           -- no forecast spend while any scheme has none (as grant_report)
           CASE WHEN count(g.forecast_spend) = count(*) THEN sum(g.forecast_spend) END AS forecast_spend
      FROM finmon_data.grant_scheme g
     CROSS JOIN LATERAL (VALUES (g.scheme, g."grant"), ('grant: ' || g."grant" || ' > ' || g.scheme, g."grant"),
                                ('grant: ' || g."grant", g."grant"), ('', NULL)) AS t(item, in_grant)
     GROUP BY g.council, g.financial_year, g.period, t.item, t.in_grant
),
grants AS (
    SELECT t.council, t.financial_year, t.period, 'grants'::text AS report, t.item,
           c.column_name, c.amount, c.amount_figures, NULL::numeric AS base, NULL::integer AS base_figures,
           '£'::text AS unit
      FROM grant_totals t
     CROSS JOIN LATERAL (VALUES
           ('allocation', t.allocation, t.schemes),
           ('brought_forward', t.brought_forward, t.schemes),
           ('forecast_spend', t.forecast_spend, t.schemes),
           ('carry_forward', t.allocation + t.brought_forward - t.forecast_spend, 3 * t.schemes))
           AS c(column_name, amount, amount_figures)
),
measures AS (
    SELECT r.council, r.financial_year, r.period, 'measures'::text AS report, r.area || ': ' || r.measure AS item,
           c.column_name, c.amount, 1 AS amount_figures, NULL::numeric AS base, NULL::integer AS base_figures,
           m.unit
      FROM finmon.measure_report r
      JOIN finmon.measure m ON m.measure = r.measure
     CROSS JOIN LATERAL (VALUES ('value', r.r12_value), ('ytd_value', r.ytd_value), ('target', r.target))
           AS c(column_name, amount)
)
SELECT * FROM revenue
UNION ALL SELECT * FROM savings
UNION ALL SELECT * FROM reserves
UNION ALL SELECT * FROM capital
UNION ALL SELECT * FROM grants
UNION ALL SELECT * FROM measures;
COMMENT ON VIEW finmon.report_figures IS
    'Every figure finmon computes that a paper can print, keyed as published.csv keys printed figures, with how many printed figures each is made of (what finmon.reconciliation''s rounding tolerance counts). Pounds, or a measure''s unit.';
COMMENT ON COLUMN finmon.report_figures.council IS 'The council.';
COMMENT ON COLUMN finmon.report_figures.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.report_figures.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon.report_figures.report IS 'revenue, savings, reserves, capital, grants or measures.';
COMMENT ON COLUMN finmon.report_figures.item IS 'The item, as finmon_data.published.item writes it (a measure: ''area: measure'').';
COMMENT ON COLUMN finmon.report_figures.column_name IS 'The column (finmon.report_column).';
COMMENT ON COLUMN finmon.report_figures.amount IS 'The amount in pounds (a measure: its value in its unit); for a percentage, its numerator. NULL when the data do not give it (no previous period, no prior year, a suppressed value).';
COMMENT ON COLUMN finmon.report_figures.amount_figures IS 'How many printed figures the amount sums (a variance of n leaves: 2n).';
COMMENT ON COLUMN finmon.report_figures.base IS 'For a percentage, its denominator in pounds (the percentage is amount / base * 100); NULL for an amount.';
COMMENT ON COLUMN finmon.report_figures.base_figures IS 'How many printed figures the base sums.';
COMMENT ON COLUMN finmon.report_figures.unit IS '''£'' for amounts (pounds), or a measure''s own unit.';

-- The check --------------------------------------------------------------------------

CREATE VIEW finmon.reconciliation AS
WITH printed AS (
    SELECT p.*,
           -- for a percentage: half a unit of the last place of the amounts printed beside it,
           -- the finest of the same item in the same table, else of the table, else £0.001m
           -- (in pounds)
           COALESCE(min(p.half_unit_pounds) OVER (PARTITION BY p.council, p.financial_year, p.period, p.source, p.report, p.item),
                    min(p.half_unit_pounds) OVER (PARTITION BY p.council, p.financial_year, p.period, p.source),
                    500) AS amount_half_unit
      FROM (SELECT p.*, c.kind, scale(p.value) AS places,
                   CASE WHEN c.kind = 'measure' THEN 1
                        ELSE CASE p.unit WHEN '£m' THEN 1000000 WHEN '£k' THEN 1000 WHEN '£000' THEN 1000 ELSE 1 END END AS unit_pounds,
                   CASE WHEN c.kind = 'amount' THEN
                       0.5 * power(10::numeric, -scale(p.value))
                           * CASE p.unit WHEN '£m' THEN 1000000 WHEN '£k' THEN 1000 WHEN '£000' THEN 1000 ELSE 1 END END AS half_unit_pounds
              FROM finmon_data.published p
              JOIN finmon.report_column c ON c.report = p.report AND c.column_name = p.column_name) p
),
-- the item itself and, for an item written 'a + b', each of its parts
parts AS (
    SELECT p.council, p.financial_year, p.period, p.report, p.item, p.column_name, p.source, false AS split, p.item AS part
      FROM printed p
    UNION ALL
    SELECT p.council, p.financial_year, p.period, p.report, p.item, p.column_name, p.source, true, btrim(x.part)
      FROM printed p
     CROSS JOIN LATERAL unnest(string_to_array(p.item, ' + ')) AS x(part)
     WHERE p.item LIKE '% + %'
),
-- each part's figure; a part matching more than one figure (a scheme name in two grants) is
-- ambiguous
part_figures AS (
    SELECT q.council, q.financial_year, q.period, q.report, q.item, q.column_name, q.source, q.split, q.part,
           count(f.item) AS matches, min(f.amount) AS amount, min(f.amount_figures) AS amount_figures,
           min(f.base) AS base, min(f.base_figures) AS base_figures, min(f.unit) AS unit
      FROM parts q
      LEFT JOIN finmon.report_figures f
             ON f.council = q.council AND f.financial_year = q.financial_year AND f.period = q.period AND f.report = q.report
            AND f.item = q.part AND f.column_name = q.column_name
     GROUP BY q.council, q.financial_year, q.period, q.report, q.item, q.column_name, q.source, q.split, q.part
),
matched AS (
    SELECT q.council, q.financial_year, q.period, q.report, q.item, q.column_name, q.source, q.split,
           count(*)::integer AS parts, count(*) FILTER (WHERE q.matches > 0)::integer AS found,
           bool_or(q.matches > 1) AS ambiguous,
           count(q.amount) FILTER (WHERE q.matches = 1)::integer AS amounts,
           sum(q.amount) AS amount, sum(q.amount_figures)::integer AS amount_figures,
           min(q.base) AS base, min(q.base_figures) AS base_figures, count(q.base)::integer AS bases,
           min(q.unit) AS figure_unit
      FROM part_figures q
     GROUP BY q.council, q.financial_year, q.period, q.report, q.item, q.column_name, q.source, q.split
),
-- the item as written when finmon knows it, else the sum of its parts
chosen AS (
    SELECT DISTINCT ON (m.council, m.financial_year, m.period, m.report, m.item, m.column_name, m.source) m.*
      FROM matched m
     ORDER BY m.council, m.financial_year, m.period, m.report, m.item, m.column_name, m.source,
              (m.found = m.parts) DESC, (m.found > 0) DESC, m.split
),
computed AS (
    SELECT p.*, c.split, c.parts, c.found, c.ambiguous, c.amount, c.amount_figures, c.base, c.base_figures, c.figure_unit,
           CASE WHEN c.found < c.parts OR c.ambiguous OR c.amounts < c.parts THEN NULL
                WHEN p.kind = 'amount' THEN c.amount / p.unit_pounds
                WHEN p.kind = 'measure' THEN CASE WHEN c.parts = 1 AND c.figure_unit = p.unit THEN c.amount END
                WHEN c.parts > 1 OR c.bases < c.parts OR c.base = 0 THEN NULL
                ELSE c.amount / c.base * 100 END AS exact,
           0.5 * power(10::numeric, -p.places) AS half_unit
      FROM printed p
      JOIN chosen c USING (council, financial_year, period, report, item, column_name, source)
),
ranged AS (
    SELECT c.*,
           CASE WHEN c.exact IS NULL THEN NULL
                WHEN c.kind <> 'percentage' THEN c.exact - c.amount_figures * c.half_unit
                WHEN abs(c.base) <= c.base_figures * c.amount_half_unit THEN NULL
                ELSE LEAST((c.amount - c.amount_figures * c.amount_half_unit) / (c.base - c.base_figures * c.amount_half_unit),
                           (c.amount - c.amount_figures * c.amount_half_unit) / (c.base + c.base_figures * c.amount_half_unit),
                           (c.amount + c.amount_figures * c.amount_half_unit) / (c.base - c.base_figures * c.amount_half_unit),
                           (c.amount + c.amount_figures * c.amount_half_unit) / (c.base + c.base_figures * c.amount_half_unit))
                     * 100 - c.half_unit END AS range_from,
           CASE WHEN c.exact IS NULL THEN NULL
                WHEN c.kind <> 'percentage' THEN c.exact + c.amount_figures * c.half_unit
                WHEN abs(c.base) <= c.base_figures * c.amount_half_unit THEN NULL
                ELSE GREATEST((c.amount - c.amount_figures * c.amount_half_unit) / (c.base - c.base_figures * c.amount_half_unit),
                              (c.amount - c.amount_figures * c.amount_half_unit) / (c.base + c.base_figures * c.amount_half_unit),
                              (c.amount + c.amount_figures * c.amount_half_unit) / (c.base - c.base_figures * c.amount_half_unit),
                              (c.amount + c.amount_figures * c.amount_half_unit) / (c.base + c.base_figures * c.amount_half_unit))
                     * 100 + c.half_unit END AS range_to
      FROM computed c
),
judged AS (
    SELECT r.*,
           round(r.exact, r.places) AS shown,
           r.value <> 0 AND round(r.exact, r.places) <> 0 AND sign(r.value) <> sign(r.exact) AS wrong_sign,
           r.kind = 'percentage' AND r.exact IS NOT NULL AND r.range_from IS NULL AS unbounded
      FROM ranged r
)
SELECT j.council,
       j.financial_year,
       j.period,
       j.report,
       j.item,
       j.column_name,
       j.source,
       j.unit,
       j.value AS printed,
       j.shown AS computed,
       j.value - j.shown AS difference,
       round(j.range_from, j.places + 2) AS explainable_from,
       round(j.range_to, j.places + 2) AS explainable_to,
       j.amount_figures + COALESCE(j.base_figures, 0) AS figures,
       CASE WHEN j.exact IS NULL THEN 'no data'
            WHEN j.shown = j.value THEN 'agrees'
            WHEN j.unbounded OR j.value BETWEEN j.range_from AND j.range_to THEN 'rounding'
            ELSE 'misstated' END AS verdict,
       CASE WHEN j.found < j.parts THEN
                CASE WHEN j.split THEN 'finmon holds no figures for some of these items at this period'
                     ELSE 'finmon holds no figures for this item at this period' END
            WHEN j.ambiguous THEN 'the item matches more than one figure (a scheme in two grants: write grant: <name> > <scheme>)'
            WHEN j.exact IS NULL AND j.split AND j.kind = 'percentage' THEN 'a percentage of several items is not their sum'
            WHEN j.exact IS NULL AND j.split AND j.kind = 'measure' THEN 'a measure of several items is not their sum'
            WHEN j.exact IS NULL AND j.kind = 'measure' AND j.amount IS NOT NULL AND j.figure_unit <> j.unit THEN
                format('the measure''s unit is "%s"', j.figure_unit)
            WHEN j.exact IS NULL AND j.base = 0 THEN 'the base of the percentage is zero'
            WHEN j.exact IS NULL THEN format('the data give no %s for this item (e.g. no earlier period or year loaded)', j.column_name)
            WHEN j.shown <> j.value AND j.wrong_sign AND NOT j.unbounded
                 AND NOT j.value BETWEEN j.range_from AND j.range_to
                 AND (-j.value BETWEEN j.range_from AND j.range_to OR -j.value = j.shown) THEN 'wrong sign'
            WHEN j.split THEN format('the sum of %s items', j.parts)
       END AS note,
       j.import_batch,
       j.import_row
  FROM judged j;
COMMENT ON VIEW finmon.reconciliation IS
    'Every printed figure (finmon_data.published) beside the figure finmon computes from the data, rounded to the printed places, with the difference in the printed unit and a verdict: ''agrees'' (equal once rounded), ''rounding'' (within what rounding the printed figures it is made of can explain: half a unit of the last printed place for each; for a percentage, the range of amount / base as each of them moves so, widened by half a unit of the printed percentage), ''misstated'' (beyond that; the note says when only the sign is wrong), ''no data'' (finmon holds nothing for that item and column). Order by import_batch, import_row for the file''s order.';
COMMENT ON COLUMN finmon.reconciliation.council IS 'The council whose paper printed the figure.';
COMMENT ON COLUMN finmon.reconciliation.financial_year IS 'The paper''s year.';
COMMENT ON COLUMN finmon.reconciliation.period IS 'The paper''s period.';
COMMENT ON COLUMN finmon.reconciliation.report IS 'The report.';
COMMENT ON COLUMN finmon.reconciliation.item IS 'The item, as published.csv gives it; ''a + b'' is checked against the sum of a and b.';
COMMENT ON COLUMN finmon.reconciliation.column_name IS 'The column.';
COMMENT ON COLUMN finmon.reconciliation.source IS 'Where it is printed.';
COMMENT ON COLUMN finmon.reconciliation.unit IS 'The printed unit.';
COMMENT ON COLUMN finmon.reconciliation.printed IS 'The figure as printed.';
COMMENT ON COLUMN finmon.reconciliation.computed IS 'finmon''s figure in the printed unit, rounded to the printed decimal places; NULL with no data.';
COMMENT ON COLUMN finmon.reconciliation.difference IS 'printed - computed, in the printed unit.';
COMMENT ON COLUMN finmon.reconciliation.explainable_from IS 'The lowest figure rounding could explain (NULL for a percentage of a base too near zero to bound: any figure of the right sign is rounding).';
COMMENT ON COLUMN finmon.reconciliation.explainable_to IS 'The highest figure rounding could explain.';
COMMENT ON COLUMN finmon.reconciliation.figures IS 'How many printed figures the computed one sums or divides (a total of n leaves: n; a variance: 2n).';
COMMENT ON COLUMN finmon.reconciliation.verdict IS '''agrees'', ''rounding'', ''misstated'' or ''no data''.';
COMMENT ON COLUMN finmon.reconciliation.note IS 'Why there is no data, ''wrong sign'' where only the sign is wrong, or how a combined item was summed.';
COMMENT ON COLUMN finmon.reconciliation.import_batch IS 'The load of the printed figure.';
COMMENT ON COLUMN finmon.reconciliation.import_row IS 'Its row in that load.';

-- Stated figures and consistency ------------------------------------------------------

-- Totals and balances as the source workbook states them, in pounds (not rounded for print):
-- a reserve's closing balance, a grant's carry forward, a savings total.  They are checked
-- exactly against what finmon computes from their parts (finmon.consistency_issues).
CREATE TABLE finmon_data.stated_figure (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    report text NOT NULL,
    item text NOT NULL,
    column_name text NOT NULL,
    value numeric NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    import_batch bigint,
    import_row integer,
    PRIMARY KEY (council, financial_year, period, report, item, column_name),
    FOREIGN KEY (report, column_name) REFERENCES finmon.report_column (report, column_name)
);
COMMENT ON TABLE finmon_data.stated_figure IS
    'Totals and balances as the source data state them, in pounds: a reserve''s closing balance, a grant''s carry forward, a savings total. Checked against their parts by finmon.consistency_issues. Loaded through finmon.stated_import.';
COMMENT ON COLUMN finmon_data.stated_figure.council IS 'The council.';
COMMENT ON COLUMN finmon_data.stated_figure.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon_data.stated_figure.period IS 'Monitoring period, 1 to 12.';
COMMENT ON COLUMN finmon_data.stated_figure.report IS 'The report (finmon.report_column).';
COMMENT ON COLUMN finmon_data.stated_figure.item IS 'The item, keyed as in published.csv ('''' for the total).';
COMMENT ON COLUMN finmon_data.stated_figure.column_name IS 'An amount column of the report (finmon.report_column).';
COMMENT ON COLUMN finmon_data.stated_figure.value IS 'The stated amount in pounds.';
COMMENT ON COLUMN finmon_data.stated_figure.loaded_at IS 'When the row was loaded.';
COMMENT ON COLUMN finmon_data.stated_figure.import_batch IS 'The load that wrote the row.';
COMMENT ON COLUMN finmon_data.stated_figure.import_row IS 'The row number in that load.';

SELECT pg_catalog.pg_extension_config_dump('finmon_data.stated_figure', '');

INSERT INTO finmon_data.import_format (format, target, timing, capability, key_description, description, file_order) VALUES
    ('published', 'published', 'period', 'finmon_editor',
     'format(''%s %s of "%s" in "%s" for %s period %s'', report, column_name, item, source, financial_year, period)',
     'Load published.csv here: \copy finmon.published_import FROM ''published.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,report,item,column,value,unit,source: the paper''s year and period, the report and column (finmon.report_column), the item in the report''s key ('''' for a total), the value as printed as a signed decimal keeping its decimal places ((0.163) is -0.163), unit £m, £k (or £000), £ or %, and where it is printed. A figure already loaded with the same key replaces it; a bad row fails the whole load. Always reads as empty.', 100),
    ('stated', 'stated_figure', 'period', 'finmon_editor',
     'format(''%s %s of "%s" for %s period %s'', report, column_name, item, financial_year, period)',
     'Load stated.csv here: \copy finmon.stated_import FROM ''stated.csv'' WITH (FORMAT csv, HEADER). Header council,financial_year,period,report,item,column,value: a total or balance as the source data state it, in pounds (a reserve''s closing_balance, a grant scheme''s carry_forward, a savings total''s target), keyed as in published.csv. A figure already loaded with the same key replaces it; a bad row fails the whole load. Always reads as empty.', 101);
INSERT INTO finmon_data.import_column (format, position, name, kind, hint, target_column, expression, description) VALUES
    ('published', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('published', 2, 'financial_year', 'year', NULL, NULL, NULL, 'The paper''s financial year, YYYY-YY.'),
    ('published', 3, 'period', 'period', NULL, NULL, NULL, 'The paper''s period, 1 to 12.'),
    ('published', 4, 'report', 'text', NULL, NULL, NULL, 'revenue, savings, reserves, capital, grants or measures.'),
    ('published', 5, 'item', 'optional text', NULL, 'item_as_given', 'COALESCE(%1$s, '''')', 'What the figure is about, in the report''s key; empty for the total.'),
    ('published', 6, 'column', 'text', NULL, 'column_name', NULL, 'The report column the figure claims to be (finmon.report_column).'),
    ('published', 7, 'value', 'printed', 'Write the figure as printed, as a signed decimal keeping its decimal places: (0.163) is -0.163, 15.08% is 15.08 with unit %, £0.750m is 0.750 with unit £m.', NULL, NULL, 'As printed, as a signed decimal keeping its decimal places.'),
    ('published', 8, 'unit', 'text', NULL, NULL, NULL, '£m, £k (or £000), £ or %; for a measure, its own unit.'),
    ('published', 9, 'source', 'text', NULL, NULL, NULL, 'Where it is printed.'),
    ('stated', 1, 'council', 'council', NULL, NULL, NULL, 'The council''s code (finmon.council); empty for the setting finmon.council or the database''s only council.'),
    ('stated', 2, 'financial_year', 'year', NULL, NULL, NULL, 'YYYY-YY.'),
    ('stated', 3, 'period', 'period', NULL, NULL, NULL, '1 (April) to 12 (March).'),
    ('stated', 4, 'report', 'text', NULL, NULL, NULL, 'revenue, savings, reserves, capital or grants.'),
    ('stated', 5, 'item', 'optional text', NULL, 'item_as_given', 'COALESCE(%1$s, '''')', 'The item, keyed as in published.csv; empty for the total.'),
    ('stated', 6, 'column', 'text', NULL, 'column_name', NULL, 'An amount column of the report (finmon.report_column).'),
    ('stated', 7, 'value', 'money', NULL, NULL, NULL, 'The amount in pounds.');
INSERT INTO finmon_data.import_derived (format, target_column, expression)
-- (each council's memorandum analyses read once per load, not once per row)
SELECT f, 'item', 'CASE WHEN report = ''revenue'' THEN finmon.revenue_item(item_as_given, '
                  '(SELECT pg_catalog.jsonb_object_agg(x.council, x.analyses) FROM (SELECT r.council, pg_catalog.jsonb_agg(DISTINCT r.analysis) AS analyses '
                  'FROM finmon_data.revenue_node r WHERE r.analysis <> '''' GROUP BY r.council) x) -> council) ELSE item_as_given END'
  FROM unnest(ARRAY['published', 'stated']) AS f;
INSERT INTO finmon_data.import_check (format, position, sqlstate, query) VALUES
    ('published', 1, '22023', $sql$
SELECT n.load_row, p.problem[2], p.problem[3]
  FROM n CROSS JOIN LATERAL (SELECT finmon.report_column_problem(n.report, n.column_name, n.unit) AS problem) AS p
 WHERE p.problem IS NOT NULL
$sql$),
    ('stated', 1, '22023', $sql$
SELECT n.load_row, p.problem[2], p.problem[3]
  FROM n CROSS JOIN LATERAL (SELECT finmon.report_column_problem(n.report, n.column_name, NULL) AS problem) AS p
 WHERE p.problem IS NOT NULL
$sql$);
SELECT finmon_data.create_import_view('published');
SELECT finmon_data.create_import_view('stated');

-- Footing a printed table on its own: its totals against its printed rows, and its variances
-- and movements against the printed figures they are made of, whether or not finmon holds the
-- data.  Revenue items are paths; 'Analysis: path' items are paths within their analysis.
CREATE VIEW finmon.footing AS
WITH printed AS (
    SELECT p.council, p.financial_year, p.period, p.source, p.item, p.column_name, p.value,
           CASE p.unit WHEN '£000' THEN '£k' ELSE p.unit END AS unit,
           0.5 * power(10::numeric, -scale(p.value)) AS half_unit,
           CASE WHEN a.analysis IS NOT NULL THEN a.analysis ELSE '' END AS analysis,
           CASE WHEN a.analysis IS NOT NULL THEN ltrim(substr(p.item, length(a.analysis) + 2)) ELSE p.item END AS path
      FROM finmon_data.published p
      -- 'Analysis: path' where the analysis is one of the council's, or its total 'Analysis:' is
      -- printed in the same table (a node's name may hold ': ' too); joins to distinct keys, each
      -- matching once at most (on Citus, joins on the council rather than correlated subqueries)
      LEFT JOIN (SELECT DISTINCT n.council, n.analysis FROM finmon_data.revenue_node n) na
             ON na.council = p.council AND na.analysis = split_part(p.item, ':', 1)
      LEFT JOIN (SELECT DISTINCT q.council, q.financial_year, q.period, q.source, q.item
                   FROM finmon_data.published q WHERE q.report = 'revenue') qt
             ON qt.council = p.council AND qt.financial_year = p.financial_year AND qt.period = p.period
            AND qt.source = p.source AND qt.item = split_part(p.item, ':', 1) || ':'
     CROSS JOIN LATERAL (SELECT CASE WHEN (p.item LIKE '%: %' OR p.item LIKE '%:')
                                          AND (na.analysis IS NOT NULL OR qt.item IS NOT NULL)
                                     THEN split_part(p.item, ':', 1) END AS analysis) a
     WHERE p.report = 'revenue' AND p.unit <> '%' AND p.item NOT LIKE '% + %'
),
-- the rows of a printed table: its items, and the rows printed directly under each (its
-- descendants with no row of the table between)
items AS (
    SELECT DISTINCT p.council, p.financial_year, p.period, p.source, p.analysis, p.path, p.item FROM printed p
),
direct AS (
    SELECT t.council, t.financial_year, t.period, t.source, t.item, c.item AS row_item
      FROM items t
      JOIN items c
        ON c.council = t.council AND c.financial_year = t.financial_year AND c.period = t.period
       AND c.source = t.source AND c.analysis = t.analysis
       AND c.path <> t.path AND (t.path = '' OR starts_with(c.path, t.path || ' > '))
      -- with no row of the table between them (an anti-join: Citus runs no correlated
      -- subquery beside a CTE)
      LEFT JOIN items m
        ON m.council = t.council AND m.financial_year = t.financial_year AND m.period = t.period
       AND m.source = t.source AND m.analysis = t.analysis AND m.path <> t.path AND m.path <> c.path
       AND (t.path = '' OR starts_with(m.path, t.path || ' > ')) AND starts_with(c.path, m.path || ' > ')
     WHERE m.council IS NULL
),
-- a printed total against its rows, where every one of them prints the column in the same unit
rows_under AS (
    SELECT t.council, t.financial_year, t.period, t.source, t.item, t.column_name, t.value, t.unit,
           sum(c.value) AS footed, sum(c.half_unit) + t.half_unit AS tolerance, count(*)::integer AS figures
      FROM printed t
      JOIN direct d
        ON d.council = t.council AND d.financial_year = t.financial_year AND d.period = t.period
       AND d.source = t.source AND d.item = t.item
      LEFT JOIN printed c
        ON c.council = d.council AND c.financial_year = d.financial_year AND c.period = d.period
       AND c.source = d.source AND c.item = d.row_item AND c.column_name = t.column_name AND c.unit = t.unit
      -- (not a table printing a row of several items, a + b: what it adds up is not known)
      LEFT JOIN (SELECT DISTINCT q.council, q.financial_year, q.period, q.source FROM finmon_data.published q
                  WHERE q.report = 'revenue' AND q.item LIKE '% + %') plus
        ON plus.council = t.council AND plus.financial_year = t.financial_year AND plus.period = t.period
       AND plus.source = t.source
     WHERE plus.council IS NULL
     GROUP BY t.council, t.financial_year, t.period, t.source, t.item, t.column_name, t.value, t.unit, t.half_unit
    HAVING count(c.value) = count(*)
),
-- a printed variance (or under/(over) spend, or movement) against the printed figures it is made of
differences AS (
    SELECT v.council, v.financial_year, v.period, v.source, v.item, v.column_name, v.value, v.unit,
           CASE v.column_name WHEN 'variance' THEN f.value - b.value
                              WHEN 'underspend' THEN b.value - f.value
                              ELSE w.value - pv.value END AS footed,
           v.half_unit + CASE WHEN v.column_name = 'movement' THEN w.half_unit + pv.half_unit
                              ELSE f.half_unit + b.half_unit END AS tolerance
      FROM printed v
      LEFT JOIN printed b ON (b.council, b.financial_year, b.period, b.source, b.item, b.unit, b.column_name)
                           = (v.council, v.financial_year, v.period, v.source, v.item, v.unit, 'budget')
      LEFT JOIN printed f ON (f.council, f.financial_year, f.period, f.source, f.item, f.unit, f.column_name)
                           = (v.council, v.financial_year, v.period, v.source, v.item, v.unit, 'forecast_outturn')
      LEFT JOIN printed w ON (w.council, w.financial_year, w.period, w.source, w.item, w.unit, w.column_name)
                           = (v.council, v.financial_year, v.period, v.source, v.item, v.unit, 'variance')
      LEFT JOIN printed pv ON (pv.council, pv.financial_year, pv.period, pv.source, pv.item, pv.unit, pv.column_name)
                            = (v.council, v.financial_year, v.period, v.source, v.item, v.unit, 'previous_variance')
     WHERE v.column_name IN ('variance', 'underspend', 'movement')
),
checks AS (
    SELECT r.council, r.financial_year, r.period, r.source, r.item, r.column_name, 'total'::text AS check_kind,
           r.value AS printed, r.footed, r.tolerance, r.unit,
           format('the %s printed row%s under it', r.figures, CASE WHEN r.figures = 1 THEN '' ELSE 's' END) AS made_of
      FROM rows_under r
    UNION ALL
    SELECT d.council, d.financial_year, d.period, d.source, d.item, d.column_name, 'difference', d.value, d.footed, d.tolerance, d.unit,
           CASE d.column_name WHEN 'variance' THEN 'its printed forecast outturn - budget'
                              WHEN 'underspend' THEN 'its printed budget - forecast outturn'
                              ELSE 'its printed variance - previous variance' END
      FROM differences d
     WHERE d.footed IS NOT NULL
)
SELECT c.council, c.financial_year, c.period, c.source, c.item, c.column_name, c.check_kind, c.unit,
       c.printed, c.footed, c.printed - c.footed AS difference, c.tolerance,
       CASE WHEN c.printed = c.footed THEN 'foots'
            WHEN abs(c.printed - c.footed) <= c.tolerance THEN 'rounding'
            ELSE 'does not foot' END AS verdict,
       CASE WHEN c.printed = c.footed THEN format('%s equals %s', c.column_name, c.made_of)
            WHEN abs(c.printed - c.footed) <= c.tolerance
                THEN format('%s is %s from %s, within the rounding of the printed figures (%s)',
                            c.column_name, c.printed - c.footed, c.made_of, c.tolerance)
            ELSE format('%s is %s from %s, more than the rounding of the printed figures can explain (%s)',
                        c.column_name, c.printed - c.footed, c.made_of, c.tolerance) END AS note
  FROM checks c;
COMMENT ON VIEW finmon.footing IS
    'Each printed revenue table footed on its own, from published.csv alone (whether or not the data are loaded): a printed total against the sum of the rows printed directly under it in the same table, column and unit, and a printed variance (forecast - budget), under/(over) spend (budget - forecast) or movement (variance - previous variance) against the printed figures it is made of. Tolerance: half a unit of the last printed place of each figure involved.';
COMMENT ON COLUMN finmon.footing.council IS 'The council.';
COMMENT ON COLUMN finmon.footing.financial_year IS 'The paper''s financial year.';
COMMENT ON COLUMN finmon.footing.period IS 'The paper''s period.';
COMMENT ON COLUMN finmon.footing.source IS 'The printed table (published.csv''s source).';
COMMENT ON COLUMN finmon.footing.item IS 'The row footed ('''' for the grand total; ''Analysis: path'' within an analysis).';
COMMENT ON COLUMN finmon.footing.column_name IS 'The column footed.';
COMMENT ON COLUMN finmon.footing.check_kind IS '''total'' (against the rows under it) or ''difference'' (against the figures it is the difference of).';
COMMENT ON COLUMN finmon.footing.unit IS 'The printed unit (£m, £k or £; £000 is £k).';
COMMENT ON COLUMN finmon.footing.printed IS 'The figure as printed.';
COMMENT ON COLUMN finmon.footing.footed IS 'What the printed figures it is made of give.';
COMMENT ON COLUMN finmon.footing.difference IS 'printed - footed.';
COMMENT ON COLUMN finmon.footing.tolerance IS 'Half a unit of the last printed place of every figure involved: what rounding can explain.';
COMMENT ON COLUMN finmon.footing.verdict IS '''foots'', ''rounding'' (within the tolerance) or ''does not foot''.';
COMMENT ON COLUMN finmon.footing.note IS 'The check in words.';

CREATE VIEW finmon.consistency_issues AS
SELECT s.council,
       'stated figure'::text AS issue,
       s.financial_year,
       s.period,
       s.report,
       s.item,
       s.column_name,
       s.value AS stated,
       CASE WHEN f.matches = 1 THEN f.amount END AS computed,
       s.value - CASE WHEN f.matches = 1 THEN f.amount END AS difference,
       CASE WHEN f.matches = 0 THEN format('finmon holds no figures for %s item "%s" at %s period %s',
                                          s.report, s.item, s.financial_year, s.period)
            WHEN f.matches > 1 THEN format('%s item "%s" matches more than one figure (a scheme in two grants: write grant: <name> > <scheme>)',
                                           s.report, s.item)
            WHEN f.amount IS NULL THEN format('the data give no %s for %s item "%s"', s.column_name, s.report, s.item)
            ELSE format('the stated %s of %s item "%s" is not what its parts give (%s)', s.column_name, s.report,
                        s.item, rc.description) END AS message
  FROM finmon_data.stated_figure s
  -- (joins, not correlated subqueries, which Citus does not run beside a subquery in FROM)
  LEFT JOIN finmon.report_column rc ON rc.report = s.report AND rc.column_name = s.column_name
  -- every figure computed once and joined (a subquery per stated figure recomputed them all)
  LEFT JOIN (SELECT r.council, r.financial_year, r.period, r.report, r.item, r.column_name,
                    count(*) AS matches, min(r.amount) AS amount
               FROM finmon.report_figures r
              GROUP BY r.council, r.financial_year, r.period, r.report, r.item, r.column_name) AS g
         ON g.council = s.council AND g.financial_year = s.financial_year AND g.period = s.period
        AND g.report = s.report AND g.item = s.item AND g.column_name = s.column_name
 CROSS JOIN LATERAL (SELECT COALESCE(g.matches, 0) AS matches, g.amount) AS f
 WHERE f.matches <> 1 OR f.amount IS DISTINCT FROM s.value
UNION ALL
SELECT b.council,
       'opening balance',
       b.financial_year,
       lp.period,
       'reserves',
       b.name,
       'opening_balance',
       b.opening_balance,
       b.previous_closing_balance,
       b.difference,
       format('the opening balance of "%s" is not its %s closing balance (opening + planned usage at %s''s latest period)',
              b.name, b.previous_year, b.previous_year)
  FROM finmon.reserve_chain_breaks b
  LEFT JOIN (SELECT r.council, r.name, r.financial_year, max(r.period) AS period FROM finmon_data.reserve r
              GROUP BY r.council, r.name, r.financial_year) lp
         ON lp.council = b.council AND lp.name = b.name AND lp.financial_year = b.financial_year;
COMMENT ON VIEW finmon.consistency_issues IS
    'Where the data contradict themselves, with no printed figures needed: a stated total or balance (finmon_data.stated_figure: a reserve''s closing balance, a grant''s carry forward, a savings total) that is not what its parts give, and a reserve whose opening balance is not the previous year''s closing balance (finmon.reserve_chain_breaks). Pounds.';
COMMENT ON COLUMN finmon.consistency_issues.council IS 'The council.';
COMMENT ON COLUMN finmon.consistency_issues.issue IS '''stated figure'' or ''opening balance''.';
COMMENT ON COLUMN finmon.consistency_issues.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.consistency_issues.period IS 'Monitoring period (for an opening balance, the latest loaded for the year).';
COMMENT ON COLUMN finmon.consistency_issues.report IS 'The report.';
COMMENT ON COLUMN finmon.consistency_issues.item IS 'The item (for an opening balance, the balance''s name).';
COMMENT ON COLUMN finmon.consistency_issues.column_name IS 'The column.';
COMMENT ON COLUMN finmon.consistency_issues.stated IS 'The figure as stated.';
COMMENT ON COLUMN finmon.consistency_issues.computed IS 'What its parts give (for an opening balance, the previous year''s closing balance); NULL when finmon has no such figure.';
COMMENT ON COLUMN finmon.consistency_issues.difference IS 'stated - computed.';
COMMENT ON COLUMN finmon.consistency_issues.message IS 'The issue in words.';
