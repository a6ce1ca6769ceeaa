-- pgTAP tests for the state types of finmon's aggregates (src/aggregate.c and the aggregates'
-- files): finmon.variance_state, savings_state, rate_state and dsr_state.  Citus runs a custom
-- aggregate's partial step on its workers only when the state type is not a pseudo-type, and
-- ships each partial state to the coordinator in its text form, where the combine and final
-- functions finish it.  These tests do the same on one server: partial states per part of a
-- table (an aggregate with the transition function and no final function), written as text,
-- read back, folded together with the combine function (an aggregate of states) and finished
-- with the final function; the answer must equal the one-pass aggregate's and, independently,
-- plain SQL's sum() and count() of the same rows.  Also: the text and binary forms round-trip,
-- the binary form is the text form's bytes, every malformed state is refused (22P02 in text,
-- 22P03 in binary), and the forced-parallel plans (Partial Aggregate, where the workers' states
-- travel flattened) give the one-pass answers.
--
-- The data is in a committed table, so that parallel workers can read it; it is dropped at the end.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS finmon_tap_states CASCADE;
CREATE SCHEMA finmon_tap_states;

-- 60,000 rows in 40 parts and 7 groups, in a scrambled physical order.  Money in pounds and
-- pence, some negative, NULL now and then; in part 13 a budget of 10^40 pounds (beyond a 128-bit
-- integer: variance_agg's exact slow path), in part 17 budgets of 9 x 10^33 pounds (whose sum
-- outgrows the 128-bit fast part, which then moves into the slow one with its four decimal
-- places), and in part 21 forecasts with three decimal places (a larger display scale part-way).
-- Counts and populations are whole numbers.
CREATE TABLE finmon_tap_states.t AS
SELECT i, i % 40 AS part, i % 7 AS grp, -- (i::bigint below: the products overflow an integer)
       CASE WHEN i % 101 = 0 THEN NULL WHEN i = 13 * 41 THEN 1e40
            WHEN i % 40 = 17 AND i % 3 = 0 THEN 9000000000000000000000000000000000.00 + i * 0.01
            ELSE ((i * 7919) % 2000003 - 150000) * 0.01 END AS budget,
       CASE WHEN i % 103 = 0 THEN NULL WHEN i % 40 = 21 AND i % 3 = 0 THEN ((i * 104729) % 2000003) * 0.001
            ELSE ((i * 104729) % 2000003 - 140000) * 0.01 END AS forecast,
       CASE WHEN i % 97 = 0 THEN NULL ELSE -((i * 31) % 50000) * 0.01 END AS target,
       CASE WHEN i % 89 = 0 THEN NULL ELSE -((i * 37) % 50000) * 0.01 END AS saving,
       CASE WHEN i % 83 = 0 THEN NULL ELSE ((i * 13) % 17)::numeric END AS cnt,
       (1000 + (i * 7) % 9000)::numeric AS pop,
       (500 * (1 + i % 13))::numeric AS std
  FROM generate_series(1::bigint, 60000) AS i
 ORDER BY md5(i::text);
ANALYZE finmon_tap_states.t;

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;
SELECT plan(51);

SELECT is((SELECT max(scale(budget)) FILTER (WHERE i <> 13 * 41) || ' ' || max(scale(forecast)) || ' ' || max(scale(target)) FROM finmon_tap_states.t),
          '2 3 2', 'the amounts are pounds and pence (and part 21''s forecasts three places): the data is what it claims');

-- The partial step (transition function only) and the combine step (combine function only).
CREATE AGGREGATE finmon_tap_states.variance_partial(numeric, numeric) (SFUNC = finmon.variance_state_accum, STYPE = finmon.variance_state);
CREATE AGGREGATE finmon_tap_states.variance_merge(finmon.variance_state) (SFUNC = finmon.variance_state_combine, STYPE = finmon.variance_state);
CREATE AGGREGATE finmon_tap_states.savings_partial(numeric, numeric) (SFUNC = finmon.savings_state_accum, STYPE = finmon.savings_state);
CREATE AGGREGATE finmon_tap_states.savings_merge(finmon.savings_state) (SFUNC = finmon.savings_state_combine, STYPE = finmon.savings_state);
CREATE AGGREGATE finmon_tap_states.rate_partial(numeric, numeric) (SFUNC = finmon.rate_state_accum, STYPE = finmon.rate_state);
CREATE AGGREGATE finmon_tap_states.rate_merge(finmon.rate_state) (SFUNC = finmon.rate_state_combine, STYPE = finmon.rate_state);
CREATE AGGREGATE finmon_tap_states.dsr_partial(numeric, numeric, numeric) (SFUNC = finmon.dsr_state_accum, STYPE = finmon.dsr_state);
CREATE AGGREGATE finmon_tap_states.dsr_merge(finmon.dsr_state) (SFUNC = finmon.dsr_state_combine, STYPE = finmon.dsr_state);

-- The partial states, per part and per group and part, kept as text (what Citus ships).
CREATE TABLE finmon_tap_states.partials AS
SELECT grp, part,
       finmon_tap_states.variance_partial(budget, forecast)::text AS v,
       finmon_tap_states.savings_partial(target, saving)::text AS s,
       finmon_tap_states.rate_partial(cnt, pop)::text AS r,
       finmon_tap_states.dsr_partial(cnt, pop, std)::text AS d
  FROM finmon_tap_states.t GROUP BY GROUPING SETS ((part), (grp, part));

-- Catalog: each aggregate's state is a base type of finmon's own with the four I/O functions.
SELECT is((SELECT a.aggtranstype::regtype::text || ' ' || t.typtype::text || ' ' ||
                  (t.typinput <> 0 AND t.typoutput <> 0 AND t.typreceive <> 0 AND t.typsend <> 0)::text
             FROM pg_aggregate a JOIN pg_type t ON t.oid = a.aggtranstype WHERE a.aggfnoid = sig::regprocedure),
          want || ' b true', sig || '''s state is ' || want || ', a base type with input, output, receive and send')
  FROM (VALUES ('finmon.variance_agg(numeric, numeric)', 'finmon.variance_state'),
               ('finmon.savings_agg(numeric, numeric)', 'finmon.savings_state'),
               ('finmon.rate_agg(numeric, numeric)', 'finmon.rate_state'),
               ('finmon.rate_agg(numeric, numeric, numeric)', 'finmon.rate_state'),
               ('finmon.dsr_agg(numeric, numeric, numeric)', 'finmon.dsr_state')) v(sig, want);

-- variance_agg ---------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM finmon_tap_states.partials p
            WHERE p.v::finmon.variance_state::text IS DISTINCT FROM p.v), 0::bigint,
          'variance_state: every partial state''s text form reads back to the same text');
-- (part 17's budget sum has a slow part: its flag byte, after the count, scale, scale count and
-- the 128-bit fast part, is 1, and the slow part has four decimal places, more than its scale of 2)
SELECT is((SELECT get_byte(decode(p.v, 'hex'), 1 + 8 + 4 + 8 + 16) FROM finmon_tap_states.partials p
            WHERE p.part = 17 AND p.grp IS NULL), 1,
          'variance_state: part 17''s budget sum outgrew the 128-bit fast part (the test reaches that path)');
SELECT is((SELECT count(*) FROM finmon_tap_states.partials p
            WHERE finmon.variance_state_send(p.v::finmon.variance_state) IS DISTINCT FROM decode(p.v, 'hex')), 0::bigint,
          'variance_state: the binary form is the bytes the text form spells in hexadecimal');
SELECT is((SELECT finmon.variance_state_final(finmon_tap_states.variance_merge(p.v::finmon.variance_state), NULL, NULL)::text
             FROM finmon_tap_states.partials p WHERE p.grp IS NULL),
          (SELECT finmon.variance_agg(budget, forecast)::text FROM finmon_tap_states.t),
          'variance_agg: 40 partial states through text, combined and finished, give the one-pass answer');
SELECT is((SELECT finmon.variance_state_final(finmon_tap_states.variance_merge(p.v::finmon.variance_state), NULL, NULL)::text
             FROM finmon_tap_states.partials p WHERE p.grp IS NULL),
          (SELECT ROW(sum(budget), sum(forecast), sum(forecast) - sum(budget), (sum(forecast) - sum(budget)) / sum(budget) * 100)::text
             FROM finmon_tap_states.t),
          'variance_agg: ... and plain SQL''s sums (10^40 included), digit for digit and scale for scale');
SELECT set_eq(
    $$SELECT p.grp, finmon.variance_state_final(finmon_tap_states.variance_merge(p.v::finmon.variance_state), NULL, NULL)::text
        FROM finmon_tap_states.partials p WHERE p.grp IS NOT NULL GROUP BY p.grp$$,
    $$SELECT grp, ROW(sum(budget), sum(forecast), sum(forecast) - sum(budget), (sum(forecast) - sum(budget)) / sum(budget) * 100)::text
        FROM finmon_tap_states.t GROUP BY grp$$,
    'variance_agg: per group, the states combined give plain SQL''s sums');

-- savings_agg ----------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM finmon_tap_states.partials p
            WHERE p.s::finmon.savings_state::text IS DISTINCT FROM p.s
               OR finmon.savings_state_send(p.s::finmon.savings_state) IS DISTINCT FROM decode(p.s, 'hex')), 0::bigint,
          'savings_state: text and binary forms round-trip');
SELECT is((SELECT finmon.savings_state_final(finmon_tap_states.savings_merge(p.s::finmon.savings_state))::text
             FROM finmon_tap_states.partials p WHERE p.grp IS NULL),
          (SELECT finmon.savings_agg(target, saving)::text FROM finmon_tap_states.t),
          'savings_agg: partial states through text, combined and finished, give the one-pass answer');
SELECT is((SELECT finmon.savings_state_final(finmon_tap_states.savings_merge(p.s::finmon.savings_state))::text
             FROM finmon_tap_states.partials p WHERE p.grp IS NULL),
          (SELECT ROW(st, sf, sf - st, sf / nullif(st, 0) * 100, n, off)::text
             FROM (SELECT sum(coalesce(target, 0)) AS st, sum(coalesce(saving, 0)) AS sf,
                          count(*) FILTER (WHERE target IS NOT NULL OR saving IS NOT NULL) AS n,
                          count(*) FILTER (WHERE COALESCE(saving, 0) > COALESCE(target, 0)) AS off
                     FROM finmon_tap_states.t) x),
          'savings_agg: ... and plain SQL''s sums, shortfall, percentage and counts, digit for digit');
SELECT set_eq(
    $$SELECT p.grp, (x).target::text, (x).forecast::text, (x).schemes, (x).schemes_off_target
        FROM (SELECT p.grp, finmon.savings_state_final(finmon_tap_states.savings_merge(p.s::finmon.savings_state)) AS x
                FROM finmon_tap_states.partials p WHERE p.grp IS NOT NULL GROUP BY p.grp) p$$,
    $$SELECT grp, sum(target)::text AS target, sum(saving)::text AS forecast,
             count(*) FILTER (WHERE target IS NOT NULL OR saving IS NOT NULL) AS schemes,
             count(*) FILTER (WHERE COALESCE(saving, 0) > COALESCE(target, 0)) AS off_target
        FROM finmon_tap_states.t GROUP BY grp$$,
    'savings_agg: per group, the states combined give plain SQL''s sums and counts');

-- rate_agg -------------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM finmon_tap_states.partials p
            WHERE p.r::finmon.rate_state::text IS DISTINCT FROM p.r
               OR finmon.rate_state_send(p.r::finmon.rate_state) IS DISTINCT FROM decode(p.r, 'hex')), 0::bigint,
          'rate_state: text and binary forms round-trip');
SELECT is((SELECT finmon.rate_state_final(finmon_tap_states.rate_merge(p.r::finmon.rate_state))::text
             FROM finmon_tap_states.partials p WHERE p.grp IS NULL),
          (SELECT finmon.rate_agg(cnt, pop)::text FROM finmon_tap_states.t),
          'rate_agg: partial states through text, combined and finished, give the one-pass answer (interval bits included)');
-- (Independently: count, population and count x 100000 / population as plain SQL's text; the
-- limits by Byar's formula (the total count is far above 10), z = 1.959963984540054, R's
-- qnorm(0.975), within 1e-9 relative.)
SELECT ok((SELECT (m).count::text = o.c::text AND (m).population::text = o.n::text AND (m).rate::text = (o.c * 100000 / o.n)::text
                  AND abs((m).ci_lower / (o.x * (1 - 1 / (9 * o.x) - 1.959963984540054 / (3 * sqrt(o.x))) ^ 3 / o.n::float8 * 100000) - 1) < 1e-9
                  AND abs((m).ci_upper / ((o.x + 1) * (1 - 1 / (9 * (o.x + 1)) + 1.959963984540054 / (3 * sqrt(o.x + 1))) ^ 3 / o.n::float8 * 100000) - 1) < 1e-9
             FROM (SELECT finmon.rate_state_final(finmon_tap_states.rate_merge(p.r::finmon.rate_state)) AS m
                     FROM finmon_tap_states.partials p WHERE p.grp IS NULL) m,
                  (SELECT sum(cnt) AS c, sum(pop) FILTER (WHERE cnt IS NOT NULL) AS n, sum(cnt)::float8 AS x FROM finmon_tap_states.t) o),
          'rate_agg: ... and plain SQL''s sums and rate, and Byar''s limits');
SELECT set_eq(
    $$SELECT p.grp, (x).count::text, (x).population::text
        FROM (SELECT p.grp, finmon.rate_state_final(finmon_tap_states.rate_merge(p.r::finmon.rate_state)) AS x
                FROM finmon_tap_states.partials p WHERE p.grp IS NOT NULL GROUP BY p.grp) p$$,
    $$SELECT grp, sum(cnt)::text AS count, sum(pop) FILTER (WHERE cnt IS NOT NULL)::text AS population FROM finmon_tap_states.t GROUP BY grp$$,
    'rate_agg: per group, the states combined give plain SQL''s sums of counts and populations');
CREATE AGGREGATE finmon_tap_states.rate_partial_m(numeric, numeric, numeric) (SFUNC = finmon.rate_state_accum, STYPE = finmon.rate_state);
SELECT throws_ok(
    $$SELECT finmon.rate_state_final(finmon_tap_states.rate_merge(s ORDER BY m DESC)) FROM (
        SELECT m, finmon_tap_states.rate_partial_m(c, p, m) AS s FROM (VALUES (1, 100, 1000), (2, 200, 100)) v(c, p, m) GROUP BY m) x$$,
    '22023', 'rate_agg was given two multipliers, 1000 and 100',
    'rate_agg: partial states with different multipliers cannot be combined (22023)');

-- dsr_agg (double precision: the combined sums are added in another order than one pass adds
-- them, so they are compared within 1e-12 relative; the counts and populations are whole
-- numbers below 2^53, which double precision adds exactly in any order) ---------------------------

SELECT is((SELECT count(*) FROM finmon_tap_states.partials p
            WHERE p.d::finmon.dsr_state::text IS DISTINCT FROM p.d
               OR finmon.dsr_state_send(p.d::finmon.dsr_state) IS DISTINCT FROM decode(p.d, 'hex')), 0::bigint,
          'dsr_state: text and binary forms round-trip (every bit of each double)');
SELECT ok((SELECT abs((m).dsr / (o).dsr - 1) < 1e-12 AND abs((m).ci_lower / (o).ci_lower - 1) < 1e-12
                  AND abs((m).ci_upper / (o).ci_upper - 1) < 1e-12 AND (m).count = (o).count AND (m).population = (o).population
             FROM (SELECT finmon.dsr_state_final(finmon_tap_states.dsr_merge(p.d::finmon.dsr_state)) AS m
                     FROM finmon_tap_states.partials p WHERE p.grp IS NULL) m,
                  (SELECT finmon.dsr_agg(cnt, pop, std) AS o FROM finmon_tap_states.t) o),
          'dsr_agg: partial states through text, combined and finished, give the one-pass answer');
-- (Independently: Dobson's method in SQL, as test/rates.sql writes it, within 1e-9 relative.)
SELECT ok((SELECT abs((m).count / o.o - 1) < 1e-9 AND abs((m).population / o.n - 1) < 1e-9 AND abs((m).dsr / o.d - 1) < 1e-9
                  AND abs((m).ci_lower / (o.d + sqrt(o.v / o.o) * (o.o * (1 - 1 / (9 * o.o) - 1.959963984540054 / (3 * sqrt(o.o))) ^ 3 - o.o) * 100000) - 1) < 1e-9
                  AND abs((m).ci_upper / (o.d + sqrt(o.v / o.o) * ((o.o + 1) * (1 - 1 / (9 * (o.o + 1)) + 1.959963984540054 / (3 * sqrt(o.o + 1))) ^ 3 - o.o) * 100000) - 1) < 1e-9
             FROM (SELECT finmon.dsr_state_final(finmon_tap_states.dsr_merge(p.d::finmon.dsr_state)) AS m
                     FROM finmon_tap_states.partials p WHERE p.grp IS NULL) m,
                  (SELECT sum(x) AS o, sum(nn) AS n, sum(w * x / nn) / sum(w) * 100000 AS d, sum(w * w * x / (nn * nn)) / sum(w) ^ 2 AS v
                     FROM (SELECT cnt::float8 AS x, pop::float8 AS nn, std::float8 AS w FROM finmon_tap_states.t WHERE cnt IS NOT NULL) b) o),
          'dsr_agg: ... and Dobson''s method in plain SQL');
SELECT set_eq(
    $$SELECT p.grp, (x).count, (x).population
        FROM (SELECT p.grp, finmon.dsr_state_final(finmon_tap_states.dsr_merge(p.d::finmon.dsr_state)) AS x
                FROM finmon_tap_states.partials p WHERE p.grp IS NOT NULL GROUP BY p.grp) p$$,
    $$SELECT grp, sum(cnt)::float8 AS count, sum(pop) FILTER (WHERE cnt IS NOT NULL)::float8 AS population FROM finmon_tap_states.t GROUP BY grp$$,
    'dsr_agg: per group, the states combined give plain SQL''s total count and population');

-- Parallel plans: the workers' states travel flattened to the leader -----------------------------

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION finmon_tap_states.plan_modes(query text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
    RETURN QUERY SELECT m #>> '{}' FROM jsonb_path_query(plan, 'strict $.**."Partial Mode"') AS m;
END;
$f$;
SELECT ok('Partial' IN (SELECT finmon_tap_states.plan_modes(q)), 'parallel: ' || name || ' runs as a Partial Aggregate')
  FROM (VALUES ('variance_agg', 'SELECT finmon.variance_agg(budget, forecast) FROM finmon_tap_states.t'),
               ('savings_agg', 'SELECT finmon.savings_agg(target, saving) FROM finmon_tap_states.t'),
               ('rate_agg', 'SELECT finmon.rate_agg(cnt, pop) FROM finmon_tap_states.t'),
               ('dsr_agg', 'SELECT finmon.dsr_agg(cnt, pop, std) FROM finmon_tap_states.t')) v(name, q);
CREATE FUNCTION finmon_tap_states.workers_launched(query text) RETURNS integer LANGUAGE plpgsql AS $f$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) ' || query INTO plan;
    RETURN (SELECT sum((m #>> '{}')::integer) FROM jsonb_path_query(plan, 'strict $.**."Workers Launched"') AS m);
END;
$f$;
SELECT cmp_ok(finmon_tap_states.workers_launched('SELECT finmon.variance_agg(budget, forecast) FROM finmon_tap_states.t'), '>', 0,
              'parallel: workers were launched, so states did travel from them');
SELECT is((SELECT ROW((v).budget, (v).forecast_outturn, (s).target, (s).forecast, (s).schemes, (r).count, (r).population)::text
             FROM (SELECT finmon.variance_agg(budget, forecast) AS v, finmon.savings_agg(target, saving) AS s,
                          finmon.rate_agg(cnt, pop) AS r FROM finmon_tap_states.t) x),
          (SELECT ROW(sum(budget), sum(forecast), sum(target), sum(saving),
                      count(*) FILTER (WHERE target IS NOT NULL OR saving IS NOT NULL),
                      sum(cnt), sum(pop) FILTER (WHERE cnt IS NOT NULL))::text
             FROM finmon_tap_states.t),
          'parallel: variance_agg, savings_agg and rate_agg give plain SQL''s sums and counts');
SELECT set_eq(
    $$SELECT grp, (finmon.variance_agg(budget, forecast)).budget::text AS b, (finmon.savings_agg(target, saving)).forecast::text AS s,
             (finmon.rate_agg(cnt, pop)).population::text AS p, (finmon.dsr_agg(cnt, pop, std)).count AS c
        FROM finmon_tap_states.t GROUP BY grp$$,
    $$SELECT grp, sum(budget)::text AS b, sum(saving)::text AS s, sum(pop) FILTER (WHERE cnt IS NOT NULL)::text AS p, sum(cnt)::float8 AS c
        FROM finmon_tap_states.t GROUP BY grp$$,
    'parallel, grouped: each aggregate gives plain SQL''s sums');
-- The aggregates as finmon 1.0.0's install script declares them (internal states, serial and
-- deserial functions), on the C functions the library keeps for a database not yet updated:
-- declared here as that script does, run in the same forced-parallel plans, against plain SQL.
CREATE FUNCTION finmon_tap_states.v_accum(internal, numeric, numeric) RETURNS internal AS '$libdir/finmon', 'finmon_variance_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.v_combine(internal, internal) RETURNS internal AS '$libdir/finmon', 'finmon_variance_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.v_serialize(internal) RETURNS bytea AS '$libdir/finmon', 'finmon_variance_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.v_deserialize(bytea, internal) RETURNS internal AS '$libdir/finmon', 'finmon_variance_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.v_final(internal, numeric, numeric) RETURNS finmon.variance_summary AS '$libdir/finmon', 'finmon_variance_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE finmon_tap_states.variance_1_0(numeric, numeric) (SFUNC = finmon_tap_states.v_accum, STYPE = internal,
    FINALFUNC = finmon_tap_states.v_final, FINALFUNC_EXTRA, COMBINEFUNC = finmon_tap_states.v_combine,
    SERIALFUNC = finmon_tap_states.v_serialize, DESERIALFUNC = finmon_tap_states.v_deserialize, PARALLEL = SAFE);
CREATE FUNCTION finmon_tap_states.s_accum(internal, numeric, numeric) RETURNS internal AS '$libdir/finmon', 'finmon_savings_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.s_combine(internal, internal) RETURNS internal AS '$libdir/finmon', 'finmon_savings_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.s_serialize(internal) RETURNS bytea AS '$libdir/finmon', 'finmon_savings_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.s_deserialize(bytea, internal) RETURNS internal AS '$libdir/finmon', 'finmon_savings_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.s_final(internal) RETURNS finmon.savings_summary AS '$libdir/finmon', 'finmon_savings_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE finmon_tap_states.savings_1_0(numeric, numeric) (SFUNC = finmon_tap_states.s_accum, STYPE = internal,
    FINALFUNC = finmon_tap_states.s_final, COMBINEFUNC = finmon_tap_states.s_combine,
    SERIALFUNC = finmon_tap_states.s_serialize, DESERIALFUNC = finmon_tap_states.s_deserialize, PARALLEL = SAFE);
CREATE FUNCTION finmon_tap_states.r_accum(internal, numeric, numeric) RETURNS internal AS '$libdir/finmon', 'finmon_rate_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.r_combine(internal, internal) RETURNS internal AS '$libdir/finmon', 'finmon_rate_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.r_serialize(internal) RETURNS bytea AS '$libdir/finmon', 'finmon_rate_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.r_deserialize(bytea, internal) RETURNS internal AS '$libdir/finmon', 'finmon_rate_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.r_final(internal) RETURNS finmon.rate_summary AS '$libdir/finmon', 'finmon_rate_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE finmon_tap_states.rate_1_0(numeric, numeric) (SFUNC = finmon_tap_states.r_accum, STYPE = internal,
    FINALFUNC = finmon_tap_states.r_final, COMBINEFUNC = finmon_tap_states.r_combine,
    SERIALFUNC = finmon_tap_states.r_serialize, DESERIALFUNC = finmon_tap_states.r_deserialize, PARALLEL = SAFE);
CREATE FUNCTION finmon_tap_states.d_accum(internal, numeric, numeric, numeric) RETURNS internal AS '$libdir/finmon', 'finmon_dsr_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.d_combine(internal, internal) RETURNS internal AS '$libdir/finmon', 'finmon_dsr_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.d_serialize(internal) RETURNS bytea AS '$libdir/finmon', 'finmon_dsr_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.d_deserialize(bytea, internal) RETURNS internal AS '$libdir/finmon', 'finmon_dsr_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION finmon_tap_states.d_final(internal) RETURNS finmon.dsr_summary AS '$libdir/finmon', 'finmon_dsr_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE finmon_tap_states.dsr_1_0(numeric, numeric, numeric) (SFUNC = finmon_tap_states.d_accum, STYPE = internal,
    FINALFUNC = finmon_tap_states.d_final, COMBINEFUNC = finmon_tap_states.d_combine,
    SERIALFUNC = finmon_tap_states.d_serialize, DESERIALFUNC = finmon_tap_states.d_deserialize, PARALLEL = SAFE);
SELECT ok('Partial' IN (SELECT finmon_tap_states.plan_modes(
              'SELECT grp, finmon_tap_states.variance_1_0(budget, forecast), finmon_tap_states.savings_1_0(target, saving), '
              'finmon_tap_states.rate_1_0(cnt, pop), finmon_tap_states.dsr_1_0(cnt, pop, std) FROM finmon_tap_states.t GROUP BY grp')),
          '1.0.0''s aggregates: a Partial Aggregate (their serial and deserial functions run)');
SELECT set_eq(
    $$SELECT grp, (finmon_tap_states.variance_1_0(budget, forecast)).budget::text AS b,
             (finmon_tap_states.savings_1_0(target, saving)).forecast::text AS s,
             (finmon_tap_states.savings_1_0(target, saving)).schemes AS n,
             (finmon_tap_states.rate_1_0(cnt, pop)).population::text AS p, (finmon_tap_states.dsr_1_0(cnt, pop, std)).count AS c
        FROM finmon_tap_states.t GROUP BY grp$$,
    $$SELECT grp, sum(budget)::text AS b, sum(saving)::text AS s, count(*) FILTER (WHERE target IS NOT NULL OR saving IS NOT NULL) AS n,
             sum(pop) FILTER (WHERE cnt IS NOT NULL)::text AS p, sum(cnt)::float8 AS c
        FROM finmon_tap_states.t GROUP BY grp$$,
    '1.0.0''s aggregates on the library''s kept C functions, parallel and grouped: plain SQL''s sums');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- Malformed states ---------------------------------------------------------------------------

SELECT throws_ok(format('SELECT %L::%s', v, t), '22P02', NULL, t || ': ' || what || ' is refused (22P02)')
  FROM (VALUES ('finmon.variance_state', 'xyz', 'text that is not hexadecimal'),
               ('finmon.variance_state', '010', 'an odd number of digits'),
               ('finmon.variance_state', '', 'nothing'),
               ('finmon.savings_state', '02', 'an unknown format version')) v(t, v, what);
-- Well-formed hexadecimal of malformed states, made from a good state's bytes.
SELECT throws_ok(format('SELECT %L::%s', encode(b, 'hex'), t), '22P02', 'invalid ' || substr(t, 8) || ' value: ' || msg,
                 t || ': ' || what || ' is refused (22P02, ' || msg || ')')
  FROM (SELECT t, what, msg, b FROM (VALUES
      ('finmon.variance_state', 'a state cut short', 'too short',
       substr(decode((SELECT v FROM finmon_tap_states.partials WHERE part = 1 AND grp IS NULL), 'hex'), 1, 20)),
      ('finmon.variance_state', 'a state with a byte too many', 'trailing bytes',
       decode((SELECT v FROM finmon_tap_states.partials WHERE part = 1 AND grp IS NULL), 'hex') || '\x00'::bytea),
      ('finmon.variance_state', 'a negative count', 'negative count',
       '\x01'::bytea || int8send(-1) || int4send(2) || int8send(0) || int8send(0) || int8send(0) || '\x00'::bytea
           || int8send(0) || int4send(0) || int8send(0) || int8send(0) || int8send(0) || '\x00'::bytea),
      ('finmon.variance_state', 'a scale beyond numeric''s', 'scale out of range',
       '\x01'::bytea || int8send(1) || int4send(5000) || int8send(0) || int8send(0) || int8send(0) || '\x00'::bytea
           || int8send(0) || int4send(0) || int8send(0) || int8send(0) || int8send(0) || '\x00'::bytea),
      ('finmon.variance_state', 'a sum with no values', 'a sum with no values',
       '\x01'::bytea || int8send(0) || int4send(0) || int8send(0) || int8send(0) || int8send(5) || '\x00'::bytea
           || int8send(0) || int4send(0) || int8send(0) || int8send(0) || int8send(0) || '\x00'::bytea),
      ('finmon.variance_state', 'a slow sum that is NaN', 'bad numeric',
       '\x01'::bytea || int8send(1) || int4send(0) || int8send(0) || int8send(0) || int8send(0) || '\x01'::bytea
           || convert_to('NaN', 'UTF8') || '\x00'::bytea
           || int8send(0) || int4send(0) || int8send(0) || int8send(0) || int8send(0) || '\x00'::bytea),
      ('finmon.savings_state', 'more schemes off target than schemes', 'scheme counts out of range',
       '\x01'::bytea || int8send(1) || int8send(2) || '\x0000'::bytea),
      ('finmon.rate_state', 'a negative population', 'negative population',
       '\x01'::bytea || int8send(1) || int4send(0) || int8send(1) || int4send(0) || int8send(1)
           || '\x01'::bytea || convert_to('1', 'UTF8') || '\x0001'::bytea || convert_to('-5', 'UTF8') || '\x0000'::bytea),
      ('finmon.dsr_state', 'sums with no age bands', 'sums with no bands',
       '\x01'::bytea || int8send(0) || float8send(3) || float8send(1) || float8send(1) || float8send(1) || float8send(1))
  ) v(t, what, msg, b)) x;
-- The binary form read through COPY (FORMAT binary): the receive function checks it as well.
CREATE TABLE finmon_tap_states.states (s finmon.variance_state);
DO $$
BEGIN
    EXECUTE format('COPY (SELECT v::finmon.variance_state FROM finmon_tap_states.partials WHERE grp IS NULL ORDER BY part) TO %L (FORMAT binary)',
                   current_setting('data_directory') || '/finmon_tap_states.bin');
    EXECUTE format('COPY finmon_tap_states.states FROM %L (FORMAT binary)', current_setting('data_directory') || '/finmon_tap_states.bin');
    -- a variance state with a negative count, as bytes
    EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)',
                   '\x01'::bytea || int8send(-1) || int4send(2) || int8send(0) || int8send(0) || int8send(0) || '\x00'::bytea
                       || int8send(0) || int4send(0) || int8send(0) || int8send(0) || int8send(0) || '\x00'::bytea,
                   current_setting('data_directory') || '/finmon_tap_states_bad.bin');
END;
$$;
SELECT is((SELECT array_agg(s::text ORDER BY s::text) FROM finmon_tap_states.states),
          (SELECT array_agg(v ORDER BY v) FROM finmon_tap_states.partials WHERE grp IS NULL),
          'variance_state: 40 states written and read back by COPY (FORMAT binary) are the same states');
SELECT throws_ok(format('COPY finmon_tap_states.states FROM %L (FORMAT binary)', current_setting('data_directory') || '/finmon_tap_states_bad.bin'),
                 '22P03', 'invalid variance_state value: negative count', 'variance_state: a negative count received in binary: 22P03');

-- Outside an aggregate, a transition or combine function refuses to run (it changes its state in place).
SELECT throws_ok($$SELECT finmon.variance_state_accum(NULL, 1, 2)$$, 'XX000',
                 'finmon_variance_state_accum called in non-aggregate context', 'variance_state_accum outside an aggregate: refused');
SELECT throws_ok(format('SELECT finmon.dsr_state_combine(%L, %L)', d, d), 'XX000',
                 'finmon_dsr_state_combine called in non-aggregate context', 'dsr_state_combine outside an aggregate: refused')
  FROM finmon_tap_states.partials WHERE part = 1 AND grp IS NULL;

SELECT * FROM finish();
ROLLBACK;
DROP SCHEMA finmon_tap_states CASCADE;
