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

CREATE FUNCTION finmon.variance_accum(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_accum(internal, numeric, numeric) IS
    'variance_agg transition function (internal).';

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

CREATE FUNCTION finmon.variance_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_combine(internal, internal) IS
    'variance_agg combine function for parallel and partitionwise plans (internal).';

CREATE FUNCTION finmon.variance_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_variance_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_serialize(internal) IS
    'variance_agg state serialisation (internal).';

CREATE FUNCTION finmon.variance_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_variance_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_deserialize(bytea, internal) IS
    'variance_agg state deserialisation (internal).';

CREATE FUNCTION finmon.variance_final(internal, numeric, numeric) RETURNS finmon.variance_summary
    AS 'MODULE_PATHNAME', 'finmon_variance_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.variance_final(internal, numeric, numeric) IS
    'variance_agg final function (internal).';

CREATE AGGREGATE finmon.variance_agg(budget numeric, forecast numeric) (
    SFUNC = finmon.variance_accum,
    STYPE = internal,
    FINALFUNC = finmon.variance_final,
    FINALFUNC_EXTRA,
    COMBINEFUNC = finmon.variance_combine,
    SERIALFUNC = finmon.variance_serialize,
    DESERIALFUNC = finmon.variance_deserialize,
    MSFUNC = finmon.variance_moving_accum,
    MINVFUNC = finmon.variance_discard,
    MSTYPE = internal,
    MFINALFUNC = finmon.variance_final,
    MFINALFUNC_EXTRA,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.variance_agg(numeric, numeric) IS
    'Totals budgets and forecasts exactly (identical to sum()), giving (budget, forecast_outturn, variance, variance_pct). NULLs are ignored column by column; NULL when no row has a budget or forecast. Parallel safe; runs as a moving window aggregate.';
