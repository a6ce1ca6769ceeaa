-- Variances: forecast outturn against budget (positive = adverse), and their exact aggregate.

CREATE FUNCTION finmon.variance(budget numeric, forecast numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'finmon_variance'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance(numeric, numeric) IS
    'Forecast minus budget. Positive is adverse (an overspend, or income under-recovered); negative is favourable.';

CREATE FUNCTION finmon.variance_pct(budget numeric, forecast numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'finmon_variance_pct'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_pct(numeric, numeric) IS
    'Variance as a percentage of the signed budget, (forecast - budget) / budget * 100; NULL when the budget is zero. Income over-recovered on a negative budget shows a positive percentage, as the papers print it.';

CREATE FUNCTION finmon.variance_direction(budget numeric, forecast numeric, tolerance numeric DEFAULT 0)
    RETURNS text
    AS 'MODULE_PATHNAME', 'finmon_variance_direction'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_direction(numeric, numeric, numeric) IS
    '''adverse'' when the variance is above the tolerance, ''favourable'' when below minus the tolerance, ''on budget'' otherwise.';

CREATE TYPE finmon.variance_summary AS (
    budget numeric,
    forecast_outturn numeric,
    variance numeric,
    variance_pct numeric
);
COMMENT ON TYPE finmon.variance_summary IS
    'What variance_agg returns: the summed budget and forecast outturn, their variance and variance as a percentage of the budget.';
COMMENT ON COLUMN finmon.variance_summary.budget IS 'Sum of the budgets, exactly as sum(budget).';
COMMENT ON COLUMN finmon.variance_summary.forecast_outturn IS 'Sum of the forecasts, exactly as sum(forecast).';
COMMENT ON COLUMN finmon.variance_summary.variance IS 'forecast_outturn - budget; positive is adverse.';
COMMENT ON COLUMN finmon.variance_summary.variance_pct IS 'variance / budget * 100; NULL when the budget is zero.';

-- variance_agg's state: a type of finmon's own, so that Citus can run the aggregate's partial
-- step on its workers (it will not for a state of type internal).
CREATE TYPE finmon.variance_state;

CREATE FUNCTION finmon.variance_state_in(cstring) RETURNS finmon.variance_state
    AS 'MODULE_PATHNAME', 'finmon_variance_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_state_in(cstring) IS
    'Input of finmon.variance_state: its binary form in hexadecimal, every field checked (internal).';

CREATE FUNCTION finmon.variance_state_out(finmon.variance_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'finmon_variance_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_state_out(finmon.variance_state) IS
    'Output of finmon.variance_state (internal).';

CREATE FUNCTION finmon.variance_state_recv(internal) RETURNS finmon.variance_state
    AS 'MODULE_PATHNAME', 'finmon_variance_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_state_recv(internal) IS
    'Binary input of finmon.variance_state, every field checked (internal).';

CREATE FUNCTION finmon.variance_state_send(finmon.variance_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_variance_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_state_send(finmon.variance_state) IS
    'Binary output of finmon.variance_state (internal).';

CREATE TYPE finmon.variance_state (
    INPUT = finmon.variance_state_in,
    OUTPUT = finmon.variance_state_out,
    RECEIVE = finmon.variance_state_recv,
    SEND = finmon.variance_state_send,
    INTERNALLENGTH = VARIABLE
);
COMMENT ON TYPE finmon.variance_state IS
    'variance_agg''s running state: per column, the count, the largest display scale and the exact sum (internal; written as its binary form in hexadecimal).';

CREATE FUNCTION finmon.variance_state_accum(finmon.variance_state, numeric, numeric) RETURNS finmon.variance_state
    AS 'MODULE_PATHNAME', 'finmon_variance_state_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_state_accum(finmon.variance_state, numeric, numeric) IS
    'variance_agg transition function (internal).';

CREATE FUNCTION finmon.variance_state_combine(finmon.variance_state, finmon.variance_state) RETURNS finmon.variance_state
    AS 'MODULE_PATHNAME', 'finmon_variance_state_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_state_combine(finmon.variance_state, finmon.variance_state) IS
    'variance_agg combine function, for parallel, partitionwise and Citus plans (internal).';

CREATE FUNCTION finmon.variance_state_final(finmon.variance_state, numeric, numeric) RETURNS finmon.variance_summary
    AS 'MODULE_PATHNAME', 'finmon_variance_state_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_state_final(finmon.variance_state, numeric, numeric) IS
    'variance_agg final function (internal).';

CREATE FUNCTION finmon.variance_moving_accum(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_moving_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_moving_accum(internal, numeric, numeric) IS
    'variance_agg transition function for moving window frames (internal).';

CREATE FUNCTION finmon.variance_discard(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_discard'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_discard(internal, numeric, numeric) IS
    'variance_agg inverse transition function for moving window frames (internal).';

CREATE FUNCTION finmon.variance_final(internal, numeric, numeric) RETURNS finmon.variance_summary
    AS 'MODULE_PATHNAME', 'finmon_variance_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_final(internal, numeric, numeric) IS
    'variance_agg final function for moving window frames (internal).';

-- (SSPACE: while the aggregate runs, a state is an expanded object in a memory context of its
-- own, about 1.3 KB: what the planner should allow per group when it weighs hashing.)
CREATE AGGREGATE finmon.variance_agg(budget numeric, forecast numeric) (
    SFUNC = finmon.variance_state_accum,
    STYPE = finmon.variance_state, SSPACE = 1300,
    FINALFUNC = finmon.variance_state_final,
    FINALFUNC_EXTRA,
    COMBINEFUNC = finmon.variance_state_combine,
    MSFUNC = finmon.variance_moving_accum,
    MINVFUNC = finmon.variance_discard,
    MSTYPE = internal,
    MFINALFUNC = finmon.variance_final,
    MFINALFUNC_EXTRA,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.variance_agg(numeric, numeric) IS
    'Totals budgets and forecasts exactly (identical to sum()), giving (budget, forecast_outturn, variance, variance_pct). NULLs are ignored column by column; NULL when no row has a budget or forecast. Parallel safe, and run partly on the workers of a Citus cluster (its state, finmon.variance_state, is a type of finmon''s own); runs as a moving window aggregate.';
