-- Rates per 100,000 and proportions with confidence intervals (the Fingertips methods of
-- PHEindicatormethods), their aggregates, and the 2013 European Standard Population.

CREATE TYPE finmon.confidence_interval AS (
    lower double precision,
    upper double precision
);
COMMENT ON TYPE finmon.confidence_interval IS
    'A confidence interval: lower and upper limits, in the unit of the value they bound.';
COMMENT ON COLUMN finmon.confidence_interval.lower IS 'Lower limit.';
COMMENT ON COLUMN finmon.confidence_interval.upper IS 'Upper limit.';

CREATE FUNCTION finmon.rate(count numeric, population numeric, multiplier numeric DEFAULT 100000)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'finmon_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate(numeric, numeric, numeric) IS
    'count / population * multiplier (per 100,000 by default), exactly. Negative count or population: 22023; zero population: 22012.';

CREATE FUNCTION finmon.rate_ci(count numeric, population numeric, confidence double precision DEFAULT 0.95,
                               multiplier numeric DEFAULT 100000)
    RETURNS finmon.confidence_interval
    AS 'MODULE_PATHNAME', 'finmon_rate_ci'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_ci(numeric, numeric, double precision, numeric) IS
    'Confidence interval of a rate, as PHEindicatormethods phe_rate: Byar''s method for counts of 10 or more, the exact Poisson interval below 10. Double precision.';

CREATE FUNCTION finmon.proportion_ci(numerator numeric, denominator numeric, confidence double precision DEFAULT 0.95)
    RETURNS finmon.confidence_interval
    AS 'MODULE_PATHNAME', 'finmon_proportion_ci'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.proportion_ci(numeric, numeric, double precision) IS
    'Wilson score interval of a proportion, as a share from 0 to 1 (multiply by 100 for %), as PHEindicatormethods phe_proportion. A numerator above the denominator: 22023.';

CREATE TYPE finmon.rate_summary AS (
    count numeric,
    population numeric,
    rate numeric,
    ci_lower double precision,
    ci_upper double precision
);
COMMENT ON TYPE finmon.rate_summary IS
    'What rate_agg returns: summed count and population, the rate and its 95% interval.';
COMMENT ON COLUMN finmon.rate_summary.count IS 'Sum of the counts.';
COMMENT ON COLUMN finmon.rate_summary.population IS 'Sum of the populations.';
COMMENT ON COLUMN finmon.rate_summary.rate IS 'count / population * multiplier, exactly.';
COMMENT ON COLUMN finmon.rate_summary.ci_lower IS 'Lower 95% limit (Byar''s, or exact Poisson below a count of 10).';
COMMENT ON COLUMN finmon.rate_summary.ci_upper IS 'Upper 95% limit.';

CREATE FUNCTION finmon.rate_accum(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_accum(internal, numeric, numeric) IS 'rate_agg transition function for moving frames (internal).';
CREATE FUNCTION finmon.rate_accum(internal, numeric, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_accum(internal, numeric, numeric, numeric) IS 'rate_agg transition function for moving frames (internal).';
CREATE FUNCTION finmon.rate_discard(internal, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_discard' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_discard(internal, numeric, numeric) IS 'rate_agg inverse transition function for moving frames (internal).';
CREATE FUNCTION finmon.rate_discard(internal, numeric, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'finmon_rate_discard' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_discard(internal, numeric, numeric, numeric) IS 'rate_agg inverse transition function for moving frames (internal).';
CREATE FUNCTION finmon.rate_final(internal) RETURNS finmon.rate_summary
    AS 'MODULE_PATHNAME', 'finmon_rate_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_final(internal) IS 'rate_agg final function for moving frames (internal).';

-- rate_agg's state: a type of finmon's own, so that Citus can run the aggregate's partial step on
-- its workers (it will not for a state of type internal).
CREATE TYPE finmon.rate_state;

CREATE FUNCTION finmon.rate_state_in(cstring) RETURNS finmon.rate_state
    AS 'MODULE_PATHNAME', 'finmon_rate_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_state_in(cstring) IS
    'Input of finmon.rate_state: its binary form in hexadecimal, every field checked (internal).';

CREATE FUNCTION finmon.rate_state_out(finmon.rate_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'finmon_rate_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_state_out(finmon.rate_state) IS
    'Output of finmon.rate_state (internal).';

CREATE FUNCTION finmon.rate_state_recv(internal) RETURNS finmon.rate_state
    AS 'MODULE_PATHNAME', 'finmon_rate_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_state_recv(internal) IS
    'Binary input of finmon.rate_state, every field checked (internal).';

CREATE FUNCTION finmon.rate_state_send(finmon.rate_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_rate_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_state_send(finmon.rate_state) IS
    'Binary output of finmon.rate_state (internal).';

CREATE TYPE finmon.rate_state (
    INPUT = finmon.rate_state_in,
    OUTPUT = finmon.rate_state_out,
    RECEIVE = finmon.rate_state_recv,
    SEND = finmon.rate_state_send,
    INTERNALLENGTH = VARIABLE
);
COMMENT ON TYPE finmon.rate_state IS
    'rate_agg''s running state: the exact sums of counts and populations, the rows, each column''s largest display scale and the multiplier (internal; written as its binary form in hexadecimal).';

CREATE FUNCTION finmon.rate_state_accum(finmon.rate_state, numeric, numeric) RETURNS finmon.rate_state
    AS 'MODULE_PATHNAME', 'finmon_rate_state_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_state_accum(finmon.rate_state, numeric, numeric) IS
    'rate_agg transition function (internal).';

CREATE FUNCTION finmon.rate_state_accum(finmon.rate_state, numeric, numeric, numeric) RETURNS finmon.rate_state
    AS 'MODULE_PATHNAME', 'finmon_rate_state_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_state_accum(finmon.rate_state, numeric, numeric, numeric) IS
    'rate_agg transition function (internal).';

CREATE FUNCTION finmon.rate_state_combine(finmon.rate_state, finmon.rate_state) RETURNS finmon.rate_state
    AS 'MODULE_PATHNAME', 'finmon_rate_state_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_state_combine(finmon.rate_state, finmon.rate_state) IS
    'rate_agg combine function, for parallel, partitionwise and Citus plans (internal).';

CREATE FUNCTION finmon.rate_state_final(finmon.rate_state) RETURNS finmon.rate_summary
    AS 'MODULE_PATHNAME', 'finmon_rate_state_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.rate_state_final(finmon.rate_state) IS
    'rate_agg final function (internal).';


CREATE AGGREGATE finmon.rate_agg(count numeric, population numeric) (
    SFUNC = finmon.rate_state_accum, STYPE = finmon.rate_state, SSPACE = 1300, FINALFUNC = finmon.rate_state_final,
    COMBINEFUNC = finmon.rate_state_combine,
    MSFUNC = finmon.rate_accum, MINVFUNC = finmon.rate_discard, MSTYPE = internal,
    MFINALFUNC = finmon.rate_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.rate_agg(numeric, numeric) IS
    'Sums counts and populations (combining areas or age bands) and gives the rate per 100,000 with its 95% interval, as finmon.rate_summary. Rows with a NULL are ignored; NULL when none is left. Parallel safe, and run partly on the workers of a Citus cluster (its state, finmon.rate_state, is a type of finmon''s own); runs as a moving window aggregate.';

CREATE AGGREGATE finmon.rate_agg(count numeric, population numeric, multiplier numeric) (
    SFUNC = finmon.rate_state_accum, STYPE = finmon.rate_state, SSPACE = 1300, FINALFUNC = finmon.rate_state_final,
    COMBINEFUNC = finmon.rate_state_combine,
    MSFUNC = finmon.rate_accum, MINVFUNC = finmon.rate_discard, MSTYPE = internal,
    MFINALFUNC = finmon.rate_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.rate_agg(numeric, numeric, numeric) IS
    'As rate_agg(count, population), per the given multiplier; two different multipliers in one group raise 22023.';

CREATE TYPE finmon.dsr_summary AS (
    count double precision,
    population double precision,
    dsr double precision,
    ci_lower double precision,
    ci_upper double precision
);
COMMENT ON TYPE finmon.dsr_summary IS
    'What dsr_agg returns: total count and population, the directly age-standardised rate per 100,000 and its 95% interval by Dobson''s method.';
COMMENT ON COLUMN finmon.dsr_summary.count IS 'Total count over the age bands.';
COMMENT ON COLUMN finmon.dsr_summary.population IS 'Total population over the age bands.';
COMMENT ON COLUMN finmon.dsr_summary.dsr IS 'sum(standard_population * count / population) / sum(standard_population) * 100000.';
COMMENT ON COLUMN finmon.dsr_summary.ci_lower IS 'Lower 95% limit (Dobson: Byar''s limits of the total count, exact Poisson below 10); NULL for a zero count.';
COMMENT ON COLUMN finmon.dsr_summary.ci_upper IS 'Upper 95% limit; NULL for a zero count.';

-- dsr_agg's state: a type of finmon's own, so that Citus can run the aggregate's partial step on
-- its workers (it will not for a state of type internal).
CREATE TYPE finmon.dsr_state;

CREATE FUNCTION finmon.dsr_state_in(cstring) RETURNS finmon.dsr_state
    AS 'MODULE_PATHNAME', 'finmon_dsr_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_state_in(cstring) IS
    'Input of finmon.dsr_state: its binary form in hexadecimal, every field checked (internal).';

CREATE FUNCTION finmon.dsr_state_out(finmon.dsr_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'finmon_dsr_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_state_out(finmon.dsr_state) IS
    'Output of finmon.dsr_state (internal).';

CREATE FUNCTION finmon.dsr_state_recv(internal) RETURNS finmon.dsr_state
    AS 'MODULE_PATHNAME', 'finmon_dsr_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_state_recv(internal) IS
    'Binary input of finmon.dsr_state, every field checked (internal).';

CREATE FUNCTION finmon.dsr_state_send(finmon.dsr_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'finmon_dsr_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_state_send(finmon.dsr_state) IS
    'Binary output of finmon.dsr_state (internal).';

CREATE TYPE finmon.dsr_state (
    INPUT = finmon.dsr_state_in,
    OUTPUT = finmon.dsr_state_out,
    RECEIVE = finmon.dsr_state_recv,
    SEND = finmon.dsr_state_send,
    INTERNALLENGTH = VARIABLE
);
COMMENT ON TYPE finmon.dsr_state IS
    'dsr_agg''s running state: the bands and five double-precision sums (internal; written as its binary form in hexadecimal).';

CREATE FUNCTION finmon.dsr_state_accum(finmon.dsr_state, numeric, numeric, numeric) RETURNS finmon.dsr_state
    AS 'MODULE_PATHNAME', 'finmon_dsr_state_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_state_accum(finmon.dsr_state, numeric, numeric, numeric) IS
    'dsr_agg transition function (internal).';

CREATE FUNCTION finmon.dsr_state_combine(finmon.dsr_state, finmon.dsr_state) RETURNS finmon.dsr_state
    AS 'MODULE_PATHNAME', 'finmon_dsr_state_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_state_combine(finmon.dsr_state, finmon.dsr_state) IS
    'dsr_agg combine function, for parallel, partitionwise and Citus plans (internal).';

CREATE FUNCTION finmon.dsr_state_final(finmon.dsr_state) RETURNS finmon.dsr_summary
    AS 'MODULE_PATHNAME', 'finmon_dsr_state_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION finmon.dsr_state_final(finmon.dsr_state) IS
    'dsr_agg final function (internal).';

CREATE AGGREGATE finmon.dsr_agg(count numeric, population numeric, standard_population numeric) (
    SFUNC = finmon.dsr_state_accum, STYPE = finmon.dsr_state, SSPACE = 1300, FINALFUNC = finmon.dsr_state_final,
    COMBINEFUNC = finmon.dsr_state_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE finmon.dsr_agg(numeric, numeric, numeric) IS
    'Directly age-standardised rate per 100,000 with Dobson''s 95% interval, fed one row per age band (count, population, standard population: see finmon.european_standard_population). Double precision. Parallel safe, and run partly on the workers of a Citus cluster (its state, finmon.dsr_state, is a type of finmon''s own).';

CREATE TABLE finmon.european_standard_population (
    age_band text PRIMARY KEY,
    lower_age integer NOT NULL,
    upper_age integer,
    population integer NOT NULL
);
COMMENT ON TABLE finmon.european_standard_population IS
    'The 2013 European Standard Population (Eurostat), 19 five-year age bands summing to 100,000: the weights of finmon.dsr_agg. Reference data shipped with finmon.';
COMMENT ON COLUMN finmon.european_standard_population.age_band IS 'The band, e.g. 65-69, or 90+.';
COMMENT ON COLUMN finmon.european_standard_population.lower_age IS 'First age in the band.';
COMMENT ON COLUMN finmon.european_standard_population.upper_age IS 'Last age in the band; NULL for 90+.';
COMMENT ON COLUMN finmon.european_standard_population.population IS 'Standard population of the band.';
INSERT INTO finmon.european_standard_population VALUES
    ('0-4', 0, 4, 5000), ('5-9', 5, 9, 5500), ('10-14', 10, 14, 5500), ('15-19', 15, 19, 5500),
    ('20-24', 20, 24, 6000), ('25-29', 25, 29, 6000), ('30-34', 30, 34, 6500), ('35-39', 35, 39, 7000),
    ('40-44', 40, 44, 7000), ('45-49', 45, 49, 7000), ('50-54', 50, 54, 7000), ('55-59', 55, 59, 6500),
    ('60-64', 60, 64, 6000), ('65-69', 65, 69, 5500), ('70-74', 70, 74, 5000), ('75-79', 75, 79, 4000),
    ('80-84', 80, 84, 2500), ('85-89', 85, 89, 1500), ('90+', 90, NULL, 1000);
