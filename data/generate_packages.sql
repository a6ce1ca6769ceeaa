-- data/generate_packages.sql: writes the sample care packages of the two sample councils,
-- data/norfolk/packages.csv (E10000020) and data/brackenfield/packages.csv (X00000001), in
-- finmon's packages.csv format. The packages are INVENTED (no paper prints any); they are
-- drawn from a fixed seed with PostgreSQL's random(), so every run writes the same bytes.
--
-- Run from the repository's top directory (or `make sample-packages`), against any database
-- (core PostgreSQL 15 only, no extension; it makes temporary tables only and writes nothing
-- but the two files):
--
--     psql -X -v ON_ERROR_STOP=1 -d postgres -f data/generate_packages.sql
--
-- or in a throwaway cluster:
--
--     pg_virtualenv -t -v 15 psql -X -v ON_ERROR_STOP=1 -f data/generate_packages.sql
--
-- The model. Each council's latest (year, period) in its revenue.csv gives the year the
-- packages are made for (2018-19 for both) and the budget of each Purchase of Care line
-- (Norfolk 2018-19 P5, Brackenfield 2018-19 P9). The file covers the three financial years
-- to that year's 31 March, 1 April 2016 to 31 March 2019.
--   - A stream is a (client group, service) with a share of an expenditure line's budget.
--     Its caseload N is its target for the year / (the service's mean weekly cost x 365 / 7,
--     allowing for the uplifts and changes below).
--   - N packages are in place on 1 April 2016: they start that day (as if taken on by the
--     social care system then), so the first weeks of 2016-17 hold a burst of starts. Their
--     length, and every package's, is exponential with the service's mean length.
--   - N x 1,095 / mean length packages start later, spread over the three years by monthly
--     demand (a season and a month-to-month variation), so the caseload stays about N and
--     every 13 weeks have their share of starts and ends. An end after 31 March 2019 is left
--     open (ends empty).
--   - A weekly cost is drawn at 2018-19 prices (hours x hourly rate for home support, days x
--     daily rate for day care, a weekly rate otherwise) and deflated to the price level of
--     the package's start. At 1 April 2017 and 2018 the cost is uplifted (about 3%) with the
--     service's probability, and some packages change cost once on another day (a change of
--     need). Each change ends one priced period the day before and starts the next, so a
--     package has 1 to 4 priced periods.
--   - A client contribution is a package of its own, the care package's id + '-C', over the
--     same days, with a negative weekly cost on the client group's contribution line: a
--     fixed amount, uprated most Aprils, or, for some older people in care homes, the full
--     cost (people with capital above the threshold whose care the council arranges). NHS
--     shared funding (Norfolk: NHS and other authorities) is another, id + '-N', a share of
--     the care package's cost over its priced periods, on the NHS income line.
--   - Draws are stratified (Latin hypercube and systematic sampling), so each stream's cost
--     is close to its expectation. Last, every weekly cost on a line is multiplied by one
--     factor (0.976 to 1.065 with this seed), so that the line's packages cost its target for
--     the year (sum of weekly cost x active days from 1 April to 31 March / 7), and rounded
--     to the penny.
-- Every council is generated at full size (scale 1: its packages cost its budgets), about
-- 13 MB for Norfolk and 1.8 MB for Brackenfield, so the files are not tracked: `make
-- sample-packages` (which make demo and make test run) generates them when missing, in a
-- throwaway cluster of its own. A smaller scale makes a sample of one package in 1 / scale,
-- at the same weekly costs. Norfolk's Other Income line has no packages.

\set QUIET on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
\set QUIET off

-- The budgets ------------------------------------------------------------------------------

CREATE TEMP TABLE revenue (
    council text,
    financial_year text,
    period integer,
    line text,
    budget numeric,
    forecast_outturn numeric
);
\copy revenue FROM 'data/norfolk/revenue.csv' WITH (FORMAT csv, HEADER)
\copy revenue FROM 'data/brackenfield/revenue.csv' WITH (FORMAT csv, HEADER)

-- Each council's latest (year, period) and the lines its packages fall on. scale: the share
-- of the council's packages generated (its targets are scale x budget); nhs_weight: the
-- charging table's shared-funding probabilities are multiplied by it (Norfolk's income line
-- holds NHS and other local authority income as well as service users' contributions).
CREATE TEMP TABLE council AS
SELECT c.council, c.prefix, c.scale, c.nhs_weight, c.expenditure_prefix, c.contribution_line,
       c.nhs_line, l.financial_year, l.period,
       make_date(left(l.financial_year, 4)::integer, 4, 1) AS year_start,
       make_date(left(l.financial_year, 4)::integer + 1, 3, 31) AS year_end,
       make_date(left(l.financial_year, 4)::integer - 2, 4, 1) AS window_start
  FROM (VALUES
        ('E10000020', 'NP', 1.00, 1.3,
         'Services to Users > Purchase of Care > Expenditure > ',
         'Services to Users > Purchase of Care > Income > '
             || 'Service User, NHS and Other Local Authority Income',
         'Services to Users > Purchase of Care > Income > '
             || 'Service User, NHS and Other Local Authority Income'),
        ('X00000001', 'BP', 1.00, 0.9,
         'Purchased Care > ',
         'Purchased Care > %s > Client Contributions',
         'Purchased Care > NHS Joint Funding Income')
       ) AS c (council, prefix, scale, nhs_weight, expenditure_prefix, contribution_line, nhs_line)
  JOIN (SELECT DISTINCT ON (council) council, financial_year, period
          FROM revenue
         ORDER BY council, financial_year COLLATE "C" DESC, period DESC) AS l USING (council);

-- The services -----------------------------------------------------------------------------

-- Weekly cost at the year's prices = units x rate: units from units_lo to units_hi in steps
-- of units_step (hours of home support a week, days of day care, else 1), the rate evenly
-- between rate_lo and rate_hi. mean_days: the mean length of a package.
CREATE TEMP TABLE service_cost (client_group, service, units_lo, units_hi, units_step,
                                rate_lo, rate_hi, mean_days) AS
VALUES ('Older People', 'residential', 1, 1, 1, 500, 760, 1000),
       ('Older People', 'nursing', 1, 1, 1, 650, 880, 600),
       ('Older People', 'home support', 7, 24, 0.25, 16.80, 18.40, 420),
       ('Older People', 'direct payment', 1, 1, 1, 200, 420, 900),
       ('Older People', 'day care', 2, 5, 1, 40, 50, 700),
       ('Learning Disabilities', 'residential', 1, 1, 1, 620, 800, 3000),
       ('Learning Disabilities', 'supported living', 1, 1, 1, 900, 1800, 3000),
       ('Learning Disabilities', 'day care', 2, 5, 1, 40, 50, 1800),
       ('Learning Disabilities', 'direct payment', 1, 1, 1, 250, 500, 2000),
       ('Learning Disabilities', 'home support', 10, 25, 0.25, 16.80, 18.40, 1200),
       ('Physical Disabilities', 'residential', 1, 1, 1, 560, 800, 1500),
       ('Physical Disabilities', 'nursing', 1, 1, 1, 680, 900, 900),
       ('Physical Disabilities', 'home support', 10, 25, 0.25, 16.80, 18.40, 900),
       ('Physical Disabilities', 'direct payment', 1, 1, 1, 220, 500, 1800),
       ('Physical Disabilities', 'day care', 2, 5, 1, 40, 50, 1200),
       ('Mental Health', 'residential', 1, 1, 1, 540, 800, 1200),
       ('Mental Health', 'nursing', 1, 1, 1, 680, 900, 900),
       ('Mental Health', 'supported living', 1, 1, 1, 800, 1400, 1500),
       ('Mental Health', 'home support', 6, 18, 0.25, 16.80, 18.40, 500),
       ('Mental Health', 'direct payment', 1, 1, 1, 200, 400, 1200);

-- Price changes: the probability of an uplift at each 1 April, and of one change of need
-- (the cost multiplied by a factor evenly between change_lo and change_hi).
CREATE TEMP TABLE service_change (service, uplift_probability, change_probability,
                                  change_lo, change_hi) AS
VALUES ('residential', 0.85, 0.08, 1.05, 1.15),
       ('nursing', 0.85, 0.05, 1.00, 1.10),
       ('home support', 0.70, 0.30, 0.80, 1.30),
       ('direct payment', 0.40, 0.15, 0.85, 1.20),
       ('day care', 0.50, 0.12, 0.70, 1.30),
       ('supported living', 0.60, 0.15, 0.90, 1.15);

-- Charging: the probability of a client contribution and its weekly amount at the year's
-- prices (evenly between contribution_lo and contribution_hi, pounds, charged as negative);
-- the probability of NHS shared funding (x the council's nhs_weight) and its share of the
-- package's cost.
CREATE TEMP TABLE charging (client_group, service, full_cost_probability, contribution_probability,
                            contribution_lo, contribution_hi, nhs_probability, nhs_lo, nhs_hi) AS
VALUES ('Older People', 'residential', 0.10, 0.97, 150, 290, 0.02, 0.20, 0.50),
       ('Older People', 'nursing', 0.10, 0.97, 150, 290, 0.08, 0.20, 0.50),
       ('Older People', 'home support', 0.00, 0.80, 50, 170, 0.02, 0.20, 0.50),
       ('Older People', 'direct payment', 0.00, 0.70, 50, 160, 0.00, 0.20, 0.50),
       ('Older People', 'day care', 0.00, 0.50, 50, 90, 0.00, 0.20, 0.50),
       ('Learning Disabilities', 'residential', 0.00, 0.90, 70, 170, 0.45, 0.30, 0.60),
       ('Learning Disabilities', 'supported living', 0.00, 0.50, 50, 120, 0.45, 0.30, 0.60),
       ('Learning Disabilities', 'day care', 0.00, 0.30, 50, 90, 0.05, 0.30, 0.60),
       ('Learning Disabilities', 'direct payment', 0.00, 0.40, 50, 110, 0.15, 0.30, 0.60),
       ('Learning Disabilities', 'home support', 0.00, 0.50, 50, 120, 0.15, 0.30, 0.60),
       ('Physical Disabilities', 'residential', 0.00, 0.80, 70, 170, 0.30, 0.30, 0.60),
       ('Physical Disabilities', 'nursing', 0.00, 0.80, 70, 170, 0.50, 0.30, 0.60),
       ('Physical Disabilities', 'home support', 0.00, 0.50, 50, 130, 0.15, 0.30, 0.60),
       ('Physical Disabilities', 'direct payment', 0.00, 0.45, 50, 110, 0.15, 0.30, 0.60),
       ('Physical Disabilities', 'day care', 0.00, 0.35, 50, 90, 0.00, 0.30, 0.60),
       ('Mental Health', 'residential', 0.00, 0.70, 60, 150, 0.45, 0.30, 0.60),
       ('Mental Health', 'nursing', 0.00, 0.70, 60, 150, 0.50, 0.30, 0.60),
       ('Mental Health', 'supported living', 0.00, 0.45, 50, 110, 0.45, 0.30, 0.60),
       ('Mental Health', 'home support', 0.00, 0.40, 50, 100, 0.15, 0.30, 0.60),
       ('Mental Health', 'direct payment', 0.00, 0.40, 50, 100, 0.15, 0.30, 0.60);

-- Uplifts at 1 April of each year (the year's first day; the care cost's and the charge's).
CREATE TEMP TABLE uplift (years_before, care, contribution) AS
VALUES (1, 1.030, 1.025),
       (0, 1.030, 1.030);

-- The streams: each (client group, service) on an expenditure line and its share of the
-- line's budget. The line is the council's expenditure_prefix followed by line_tail.
CREATE TEMP TABLE stream_share (council, client_group, service, line_tail, share) AS
VALUES ('E10000020', 'Older People', 'residential', 'Older People', 0.42),
       ('E10000020', 'Older People', 'nursing', 'Older People', 0.24),
       ('E10000020', 'Older People', 'home support', 'Older People', 0.25),
       ('E10000020', 'Older People', 'direct payment', 'Older People', 0.06),
       ('E10000020', 'Older People', 'day care', 'Older People', 0.03),
       ('E10000020', 'Learning Disabilities', 'supported living', 'Learning Disabilities', 0.38),
       ('E10000020', 'Learning Disabilities', 'residential', 'Learning Disabilities', 0.34),
       ('E10000020', 'Learning Disabilities', 'day care', 'Learning Disabilities', 0.12),
       ('E10000020', 'Learning Disabilities', 'direct payment', 'Learning Disabilities', 0.12),
       ('E10000020', 'Learning Disabilities', 'home support', 'Learning Disabilities', 0.04),
       ('E10000020', 'Physical Disabilities', 'residential', 'Physical Disabilities', 0.20),
       ('E10000020', 'Physical Disabilities', 'nursing', 'Physical Disabilities', 0.16),
       ('E10000020', 'Physical Disabilities', 'home support', 'Physical Disabilities', 0.36),
       ('E10000020', 'Physical Disabilities', 'direct payment', 'Physical Disabilities', 0.22),
       ('E10000020', 'Physical Disabilities', 'day care', 'Physical Disabilities', 0.06),
       ('E10000020', 'Mental Health', 'residential', 'Mental Health', 0.44),
       ('E10000020', 'Mental Health', 'nursing', 'Mental Health', 0.10),
       ('E10000020', 'Mental Health', 'supported living', 'Mental Health', 0.24),
       ('E10000020', 'Mental Health', 'home support', 'Mental Health', 0.16),
       ('E10000020', 'Mental Health', 'direct payment', 'Mental Health', 0.06),
       ('X00000001', 'Older People', 'residential', 'Older People > Residential', 1.00),
       ('X00000001', 'Older People', 'nursing', 'Older People > Nursing', 1.00),
       ('X00000001', 'Older People', 'home support', 'Older People > Home Care', 1.00),
       ('X00000001', 'Older People', 'direct payment', 'Older People > Direct Payments', 1.00),
       ('X00000001', 'Learning Disabilities', 'residential', 'Learning Disabilities > Residential', 1.00),
       ('X00000001', 'Learning Disabilities', 'supported living',
        'Learning Disabilities > Supported Living', 1.00),
       ('X00000001', 'Learning Disabilities', 'day care',
        'Learning Disabilities > Day Opportunities', 1.00),
       ('X00000001', 'Learning Disabilities', 'direct payment',
        'Learning Disabilities > Direct Payments', 1.00),
       ('X00000001', 'Physical Disabilities', 'residential',
        'Physical Disabilities > Residential & Nursing', 0.55),
       ('X00000001', 'Physical Disabilities', 'nursing',
        'Physical Disabilities > Residential & Nursing', 0.45),
       ('X00000001', 'Physical Disabilities', 'home support', 'Physical Disabilities > Home Care', 1.00),
       ('X00000001', 'Physical Disabilities', 'direct payment',
        'Physical Disabilities > Direct Payments', 1.00),
       ('X00000001', 'Mental Health', 'residential', 'Mental Health > Residential & Nursing', 0.70),
       ('X00000001', 'Mental Health', 'nursing', 'Mental Health > Residential & Nursing', 0.30),
       ('X00000001', 'Mental Health', 'home support', 'Mental Health > Community Support', 1.00);

-- Each stream with its line's budget at the council's latest period, its caseload and the
-- packages to make: opening (in place on the first day) and new (starting later).
CREATE TEMP TABLE stream AS
SELECT row_number() OVER (ORDER BY x.council COLLATE "C", x.line COLLATE "C", x.client_group COLLATE "C",
                                   x.service COLLATE "C") AS stream_id, x.*,
       round(x.caseload) AS opening,
       round(x.caseload * (x.year_end - x.window_start + 1) / x.mean_days) AS new
  FROM stream_share s
  JOIN council c USING (council)
  JOIN service_cost sc USING (client_group, service)
  JOIN service_change ch USING (service)
  JOIN charging g USING (client_group, service)
 CROSS JOIN LATERAL (SELECT c.expenditure_prefix || s.line_tail AS line) AS l
  JOIN revenue r
    ON r.council = s.council AND r.financial_year = c.financial_year AND r.period = c.period
   AND r.line = l.line
 CROSS JOIN LATERAL (
       SELECT s.council, c.prefix, s.client_group, s.service, l.line,
              format(c.contribution_line, s.client_group) AS contribution_line, c.nhs_line,
              r.budget, s.share, c.scale, s.share * r.budget * c.scale AS target,
              c.year_start, c.year_end, c.window_start,
              sc.units_lo, sc.units_hi, sc.units_step, sc.rate_lo, sc.rate_hi, sc.mean_days,
              ch.uplift_probability, ch.change_probability, ch.change_lo, ch.change_hi,
              g.full_cost_probability, g.contribution_probability, g.contribution_lo, g.contribution_hi,
              LEAST(g.nhs_probability * c.nhs_weight, 0.95) AS nhs_probability, g.nhs_lo, g.nhs_hi,
              s.share * r.budget * c.scale
                  / ((sc.units_lo + sc.units_hi) / 2.0 * (sc.rate_lo + sc.rate_hi) / 2.0 * 365 / 7.0
                     * power((ch.uplift_probability * 1.03 + 1 - ch.uplift_probability) / 1.03, 1.5)
                     * (1 + ch.change_probability * ((ch.change_lo + ch.change_hi) / 2 - 1) / 2))
                  AS caseload) AS x;

DO $$
BEGIN
    IF (SELECT count(*) FROM stream) <> (SELECT count(*) FROM stream_share) THEN
        RAISE EXCEPTION 'a stream''s line has no budget at its council''s latest period';
    END IF;
END;
$$;

-- The packages ------------------------------------------------------------------------------

-- One row per care package, numbered in a fixed order: the k-th of a stream's n opening (or
-- new) packages.
CREATE TEMP TABLE skeleton AS
SELECT row_number() OVER (ORDER BY s.stream_id, k.is_opening DESC, k.k) AS pno, s.stream_id,
       k.is_opening, k.k, k.n
  FROM stream s
 CROSS JOIN LATERAL (SELECT TRUE AS is_opening, g AS k, s.opening AS n
                       FROM generate_series(1, s.opening::integer) AS g
                     UNION ALL
                     SELECT FALSE, g, s.new FROM generate_series(1, s.new::integer) AS g) AS k;

-- The random numbers: 24 draws per package, in a fixed order, then one per client group and
-- month (the only calls of random()). The seed is the one of 0.1, 0.2, 0.3 and 0.6 whose
-- calibration factors (below) came nearest 1.
SELECT setseed(0.6);
CREATE TEMP TABLE draw AS
SELECT (n - 1) / 24 + 1 AS pno, array_agg(u ORDER BY n) AS u
  FROM (SELECT n, random() AS u FROM generate_series(1, 24 * (SELECT count(*) FROM skeleton)) AS n) AS r
 GROUP BY 1;
CREATE TEMP TABLE month_draw AS
SELECT n, random() AS u FROM generate_series(1, 2 * 4 * 36) AS n;

-- When new packages start: each month's weight in a client group's starts is a season (older
-- people: more from December to March, fewer in the summer; learning disabilities: more from
-- July to September, when young people leave school) x a month-to-month variation (0.75 to
-- 1.25, by a draw); a new package's place in the stream's order (k-1 plus draw 1, over n)
-- falls on the month whose share of the cumulated weights holds it, and a day in proportion.
CREATE TEMP TABLE demand_month AS
WITH month AS (
    SELECT c.council, g.client_group, m.i,
           (c.window_start + make_interval(months => m.i))::date AS month_start,
           (c.window_start + make_interval(months => m.i + 1))::date - 1 AS month_end,
           CASE WHEN g.client_group = 'Older People'
                     AND EXTRACT(month FROM c.window_start + make_interval(months => m.i)) IN (12, 1, 2, 3)
                THEN 1.2
                WHEN g.client_group = 'Older People'
                     AND EXTRACT(month FROM c.window_start + make_interval(months => m.i)) IN (6, 7, 8)
                THEN 0.85
                WHEN g.client_group = 'Learning Disabilities'
                     AND EXTRACT(month FROM c.window_start + make_interval(months => m.i)) IN (7, 8, 9)
                THEN 1.4
                ELSE 1.0
           END * (0.75 + 0.5 * d.u::numeric) AS weight
      FROM (SELECT council, window_start, row_number() OVER (ORDER BY council COLLATE "C") AS ci
              FROM council) AS c
     CROSS JOIN (VALUES (1, 'Older People'), (2, 'Learning Disabilities'), (3, 'Physical Disabilities'),
                        (4, 'Mental Health')) AS g (gi, client_group)
     CROSS JOIN generate_series(0, 35) AS m (i)
      JOIN month_draw d ON d.n = ((c.ci - 1) * 4 + g.gi - 1) * 36 + m.i + 1
)
SELECT council, client_group, month_start, month_end,
       (sum(weight) OVER w - weight) / sum(weight) OVER (PARTITION BY council, client_group) AS share_lo,
       sum(weight) OVER w / sum(weight) OVER (PARTITION BY council, client_group) AS share_hi
  FROM month
WINDOW w AS (PARTITION BY council, client_group ORDER BY i);

-- What the draws decide. A stratified draw (Latin hypercube sampling): the n packages of a
-- stream's opening (or new) packages, put in a random order by one draw, take the n equal
-- slices of the distribution in turn, at a point within the slice given by another.
--    1       start of the k-th of n new packages: the k-th slice, over the demand months
--    2, 21   length (stratified)
--    3, 22   units (stratified)
--    4, 23   rate (stratified)
--    5, 6    uplift at 1 April of the year before and of the year (if below the service's
--            probability); 7, 8 its variation, up to 1% either way
--    9 to 11 a change of need: whether, its day, its factor
--    24, 12  the order for choosing full-cost payers and contributors (see below)
--    13, 20  a fixed contribution's amount (stratified over the stream's contributors)
--    14, 15  its uprating at 1 April of the year before and of the year (probability 0.9);
--            16, 17 its variation, up to 0.5% either way
--    18, 19  the order for choosing shared funding, and its share of the cost
CREATE TEMP TABLE package_base AS
WITH ranked AS (
    SELECT *,
           (row_number() OVER (PARTITION BY k.stream_id, k.is_opening ORDER BY d.u[2], k.pno) - 1 + d.u[21])
               / k.n AS q_days,
           (row_number() OVER (PARTITION BY k.stream_id, k.is_opening ORDER BY d.u[3], k.pno) - 1 + d.u[22])
               / k.n AS q_units,
           (row_number() OVER (PARTITION BY k.stream_id, k.is_opening ORDER BY d.u[4], k.pno) - 1 + d.u[23])
               / k.n AS q_rate
      FROM skeleton k
      JOIN draw d USING (pno)
      JOIN stream s USING (stream_id)
)
SELECT c.*, t.starts,
       CASE WHEN t.last_day <= c.year_end THEN t.last_day END AS ends,
       LEAST(t.last_day, c.year_end) AS last_day,
       GREATEST(0, LEAST(t.last_day, c.year_end) - GREATEST(t.starts, c.year_start) + 1) AS year_days,
       (w.weekly_cost / COALESCE((SELECT exp(sum(ln(p.care))) FROM uplift p
                                   WHERE (c.year_start - make_interval(years => p.years_before))::date
                                         > t.starts), 1))::float8 AS first_cost
  FROM ranked c
 CROSS JOIN LATERAL (
       SELECT st.starts, st.starts + floor(-c.mean_days * ln(1 - c.q_days))::integer AS last_day
         FROM (SELECT CASE WHEN c.is_opening THEN c.window_start
                           ELSE (SELECT m.month_start
                                        + floor((q.q - m.share_lo) / (m.share_hi - m.share_lo)
                                                * (m.month_end - m.month_start + 1))::integer
                                   FROM demand_month m
                                   CROSS JOIN (SELECT (c.k - 1 + c.u[1]::numeric) / c.n AS q) AS q
                                  WHERE m.council = c.council AND m.client_group = c.client_group
                                    AND q.q >= m.share_lo AND q.q < m.share_hi)
                      END AS starts) AS st) AS t
 CROSS JOIN LATERAL (
       SELECT (c.units_lo + floor(c.q_units * ((c.units_hi - c.units_lo) / c.units_step + 1)) * c.units_step)
              * round(c.rate_lo + c.q_rate::numeric * (c.rate_hi - c.rate_lo), 2) AS weekly_cost) AS w;

-- Who pays (systematic sampling, so that a stream's contributions and shared funding for the
-- year are close to their expectation): a stream's packages in order of their days in the
-- year (then a draw); with probability p, the r-th is chosen when floor(r p + 1/2) steps up.
-- First the full-cost payers (draw 24), then among the others the contributors (draw 12),
-- then among those not paying the full cost the shared funding (draw 18).
CREATE TEMP TABLE package AS
WITH full_cost AS (
    SELECT b.*,
           floor(r.r * b.full_cost_probability + 0.5) > floor((r.r - 1) * b.full_cost_probability + 0.5)
               AS pays_full_cost
      FROM package_base b
      JOIN (SELECT pno, row_number() OVER (PARTITION BY stream_id ORDER BY year_days DESC, u[24], pno) AS r
              FROM package_base) AS r USING (pno)
),
contributor AS (
    SELECT f.*,
           CASE WHEN f.pays_full_cost THEN 'full'
                WHEN floor(r.r * r.p + 0.5) > floor((r.r - 1) * r.p + 0.5) THEN 'fixed'
           END AS contribution
      FROM full_cost f
      JOIN (SELECT pno, row_number() OVER (PARTITION BY stream_id ORDER BY year_days DESC, u[12], pno) AS r,
                   (contribution_probability - full_cost_probability) / (1 - full_cost_probability) AS p
              FROM full_cost
             WHERE NOT pays_full_cost) AS r USING (pno)
    UNION ALL
    SELECT f.*, 'full' FROM full_cost f WHERE f.pays_full_cost
),
funded AS (
    SELECT c.*,
           COALESCE(floor(r.r * c.nhs_probability + 0.5) > floor((r.r - 1) * c.nhs_probability + 0.5), FALSE)
               AS nhs
      FROM contributor c
      LEFT JOIN (SELECT pno,
                        row_number() OVER (PARTITION BY stream_id ORDER BY year_days DESC, u[18], pno) AS r
                   FROM contributor
                  WHERE contribution IS DISTINCT FROM 'full') AS r USING (pno)
)
SELECT f.pno, f.stream_id, f.council, f.prefix, f.client_group, f.service, f.line, f.contribution_line,
       f.nhs_line, f.year_start, f.year_end, f.uplift_probability, f.change_probability, f.change_lo,
       f.change_hi, f.u, f.starts, f.ends, f.last_day, f.first_cost, f.contribution,
       CASE WHEN f.contribution = 'fixed' THEN
            f.contribution_lo + (f.contribution_hi - f.contribution_lo)
                * ((row_number() OVER (PARTITION BY f.stream_id, f.contribution ORDER BY f.u[13], f.pno)
                    - 1 + f.u[20])
                   / count(*) OVER (PARTITION BY f.stream_id, f.contribution))
       END AS contribution_amount,
       CASE WHEN f.nhs THEN f.nhs_lo + f.u[19] * (f.nhs_hi - f.nhs_lo) END AS nhs_share
  FROM funded f;

-- Price changes of the care packages: an uplift at each 1 April after the start and one change
-- of need, never on a 1 April.
CREATE TEMP TABLE step AS
SELECT p.pno, a.day, a.factor
  FROM package p
 CROSS JOIN LATERAL (
       SELECT (p.year_start - make_interval(years => u.years_before))::date AS day,
              (u.care + (p.u[7 + u.years_before] - 0.5) * 0.02)::float8 AS factor
         FROM uplift u
        WHERE p.u[5 + u.years_before] < p.uplift_probability) AS a
 WHERE a.day > p.starts AND a.day <= p.last_day
UNION ALL
SELECT p.pno, c.day + CASE WHEN to_char(c.day, 'MM-DD') = '04-01' THEN 1 ELSE 0 END,
       (p.change_lo + p.u[11] * (p.change_hi - p.change_lo))::float8
  FROM package p
 CROSS JOIN LATERAL (SELECT p.starts + 14 + floor(p.u[10] * (p.last_day - p.starts - 14))::integer
                            AS day) AS c
 WHERE p.u[9] < p.change_probability AND p.last_day - p.starts > 28;

-- The priced periods of the care packages: each starts on the package's start or a change,
-- and ends the day before the next (or with the package).
CREATE TEMP TABLE care_period AS
SELECT b.pno, b.starts, COALESCE(lead(b.starts) OVER w - 1, p.ends) AS ends,
       p.first_cost * exp(sum(ln(b.factor)) OVER w) AS cost
  FROM (SELECT pno, starts, 1::float8 AS factor FROM package
        UNION ALL
        SELECT pno, day, factor FROM step) AS b
  JOIN package p USING (pno)
WINDOW w AS (PARTITION BY b.pno ORDER BY b.starts);

-- Fixed client contributions: over the care package's days, uprated at a 1 April with
-- probability 0.9.
CREATE TEMP TABLE contribution_period AS
WITH contributor AS (
    SELECT p.pno, p.starts, p.ends,
           -p.contribution_amount
               / COALESCE((SELECT exp(sum(ln(u.contribution))) FROM uplift u
                            WHERE (p.year_start - make_interval(years => u.years_before))::date
                                  > p.starts), 1) AS first_cost
      FROM package p
     WHERE p.contribution = 'fixed'
),
boundary AS (
    SELECT c.pno, c.starts, 1::float8 AS factor FROM contributor c
    UNION ALL
    SELECT c.pno, a.day, (u.contribution + (p.u[16 + u.years_before] - 0.5) * 0.01)::float8
      FROM contributor c
      JOIN package p USING (pno)
     CROSS JOIN uplift u
     CROSS JOIN LATERAL (SELECT (p.year_start - make_interval(years => u.years_before))::date AS day) AS a
     WHERE p.u[14 + u.years_before] < 0.9 AND a.day > p.starts AND a.day <= p.last_day
)
SELECT b.pno, b.starts, COALESCE(lead(b.starts) OVER w - 1, c.ends) AS ends,
       c.first_cost * exp(sum(ln(b.factor)) OVER w) AS cost
  FROM boundary b
  JOIN contributor c USING (pno)
WINDOW w AS (PARTITION BY b.pno ORDER BY b.starts);

-- Every row, before the calibration: the care periods; the contributions ('-C'), fixed or
-- the full cost over the care package's own periods; the shared funding ('-N'), a share of the
-- cost over the care package's own periods.
CREATE TEMP TABLE raw_row AS
SELECT p.council, p.pno, '' AS suffix, p.client_group, p.service, p.line, cp.starts, cp.ends, cp.cost
  FROM care_period cp
  JOIN package p USING (pno)
UNION ALL
SELECT p.council, p.pno, '-C', p.client_group, p.service, p.contribution_line, cp.starts, cp.ends,
       cp.cost
  FROM contribution_period cp
  JOIN package p USING (pno)
UNION ALL
SELECT p.council, p.pno, '-C', p.client_group, p.service, p.contribution_line, cp.starts, cp.ends,
       -cp.cost
  FROM care_period cp
  JOIN package p USING (pno)
 WHERE p.contribution = 'full'
UNION ALL
SELECT p.council, p.pno, '-N', p.client_group, p.service, p.nhs_line, cp.starts, cp.ends,
       -cp.cost * p.nhs_share
  FROM care_period cp
  JOIN package p USING (pno)
 WHERE p.nhs_share IS NOT NULL;

-- The calibration: one factor per line, so that its packages cost the target for the year.
CREATE TEMP TABLE line_factor AS
SELECT r.council, r.line, t.budget, c.scale, t.budget * c.scale AS target,
       sum(r.cost * GREATEST(0, LEAST(COALESCE(r.ends, c.year_end), c.year_end)
                                - GREATEST(r.starts, c.year_start) + 1) / 7.0) AS raw_cost,
       (t.budget * c.scale)::float8
           / sum(r.cost * GREATEST(0, LEAST(COALESCE(r.ends, c.year_end), c.year_end)
                                      - GREATEST(r.starts, c.year_start) + 1) / 7.0) AS factor
  FROM raw_row r
  JOIN council c USING (council)
  JOIN revenue t
    ON t.council = r.council AND t.financial_year = c.financial_year AND t.period = c.period
   AND t.line = r.line
 GROUP BY r.council, r.line, t.budget, c.scale;

-- The file's rows: package ids numbered per council in order of start.
CREATE TEMP TABLE package_row AS
SELECT r.council, (i.package || r.suffix) COLLATE "C" AS package, r.client_group, r.service, r.line,
       round((r.cost * f.factor)::numeric, 2) AS weekly_cost, r.starts, r.ends
  FROM raw_row r
  JOIN line_factor f USING (council, line)
  JOIN (SELECT p.pno,
               p.prefix || lpad(row_number() OVER (PARTITION BY p.council ORDER BY p.starts, p.pno)::text,
                                6, '0') AS package
          FROM package p) AS i USING (pno);

-- The loader's rules, and the leaf lines.
DO $$
DECLARE
    problem text;
BEGIN
    SELECT format('%s: package %s starting %s', 'ends before it starts', package, starts) INTO problem
      FROM package_row WHERE ends < starts LIMIT 1;
    IF problem IS NULL THEN
        SELECT format('package %s: periods starting %s and %s overlap', a.package, a.starts, b.starts)
          INTO problem
          FROM package_row a
          JOIN package_row b
            ON b.council = a.council AND b.package = a.package AND b.starts > a.starts
           AND daterange(b.starts, b.ends, '[]') && daterange(a.starts, a.ends, '[]')
         LIMIT 1;
    END IF;
    IF problem IS NULL THEN
        SELECT format('package %s: two periods start on %s', package, starts) INTO problem
          FROM package_row GROUP BY council, package, starts HAVING count(*) > 1 LIMIT 1;
    END IF;
    IF problem IS NULL THEN
        SELECT format('line "%s" of council %s is not a leaf line at its latest period', l.line, l.council)
          INTO problem
          FROM (SELECT DISTINCT council, line FROM package_row) AS l
          JOIN council c USING (council)
         WHERE NOT EXISTS (SELECT FROM revenue r
                            WHERE r.council = l.council AND r.financial_year = c.financial_year
                              AND r.period = c.period AND r.line = l.line)
            OR EXISTS (SELECT FROM revenue r
                        WHERE r.council = l.council AND r.financial_year = c.financial_year
                          AND r.period = c.period AND left(r.line, length(l.line) + 3) = l.line || ' > ')
         LIMIT 1;
    END IF;
    IF problem IS NULL THEN
        SELECT format('package %s starting %s: weekly cost %s', package, starts, weekly_cost) INTO problem
          FROM package_row
         WHERE weekly_cost = 0 OR (weekly_cost < 0) <> (package LIKE '%-_') LIMIT 1;
    END IF;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'generate_packages: %', problem;
    END IF;
END;
$$;

-- The files ----------------------------------------------------------------------------------

CREATE TEMP VIEW norfolk AS
SELECT council, package, client_group, service, line, weekly_cost,
       to_char(starts, 'YYYY-MM-DD') AS starts, to_char(ends, 'YYYY-MM-DD') AS ends
  FROM package_row
 WHERE council = 'E10000020'
 ORDER BY package, package_row.starts;

CREATE TEMP VIEW brackenfield AS
SELECT council, package, client_group, service, line, weekly_cost,
       to_char(starts, 'YYYY-MM-DD') AS starts, to_char(ends, 'YYYY-MM-DD') AS ends
  FROM package_row
 WHERE council = 'X00000001'
 ORDER BY package, package_row.starts;

\copy (SELECT * FROM norfolk) TO 'data/norfolk/packages.csv' WITH (FORMAT csv, HEADER)
\copy (SELECT * FROM brackenfield) TO 'data/brackenfield/packages.csv' WITH (FORMAT csv, HEADER)

-- The checks ---------------------------------------------------------------------------------

-- Care packages starting (first priced period) and ending (last) in the 13 weeks (91 days) to
-- each period end loaded in revenue.csv, and the packages in place on the period end.
WITH care AS (
    SELECT council, package, min(starts) AS starts, max(COALESCE(ends, 'infinity')) AS ends
      FROM package_row
     WHERE weekly_cost > 0
     GROUP BY council, package
),
period_end AS (
    SELECT DISTINCT council, financial_year, period,
           (make_date(left(financial_year, 4)::integer, 4, 1) + make_interval(months => period))::date - 1
               AS period_end
      FROM revenue
)
SELECT e.council, e.financial_year, e.period, e.period_end,
       count(*) FILTER (WHERE k.starts BETWEEN e.period_end - 90 AND e.period_end) AS starts_13_weeks,
       count(*) FILTER (WHERE k.ends BETWEEN e.period_end - 90 AND e.period_end) AS ends_13_weeks,
       count(*) FILTER (WHERE k.starts <= e.period_end AND k.ends >= e.period_end) AS in_place
  FROM period_end e
  JOIN care k USING (council)
 GROUP BY e.council, e.financial_year, e.period, e.period_end
 ORDER BY e.council, e.period_end;

-- Each line's packages' cost for the year (weekly cost x the days each row is active from 1
-- April to 31 March / 7), against the budget targeted (the latest period's budget x scale).
SELECT r.council, r.line,
       count(DISTINCT r.package) AS packages, count(*) AS rows_in_file,
       round(sum(r.weekly_cost * GREATEST(0, LEAST(COALESCE(r.ends, c.year_end), c.year_end)
                                             - GREATEST(r.starts, c.year_start) + 1) / 7), 2) AS year_cost,
       f.budget, f.scale, f.target,
       round(sum(r.weekly_cost * GREATEST(0, LEAST(COALESCE(r.ends, c.year_end), c.year_end)
                                             - GREATEST(r.starts, c.year_start) + 1) / 7) / f.target, 4)
           AS ratio,
       round(f.factor::numeric, 3) AS factor
  FROM package_row r
  JOIN council c USING (council)
  JOIN line_factor f USING (council, line)
 GROUP BY r.council, r.line, f.budget, f.scale, f.target, f.factor
 ORDER BY r.council, min(r.client_group), f.budget DESC;
