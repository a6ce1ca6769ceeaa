-- The financial calendar: years 'YYYY-YY' from 1 April, periods 1 (April) to 12 (March).

CREATE FUNCTION finmon.financial_year_of(date) RETURNS text
    AS 'MODULE_PATHNAME', 'finmon_financial_year_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.financial_year_of(date) IS
    'The financial year a date falls in, written YYYY-YY: 2018-04-01 to 2019-03-31 is 2018-19.';

CREATE FUNCTION finmon.period_of(date) RETURNS integer
    AS 'MODULE_PATHNAME', 'finmon_period_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.period_of(date) IS
    'The financial period of a date: April is 1, March is 12.';

CREATE FUNCTION finmon.period_start(financial_year text, period integer) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_period_start'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.period_start(text, integer) IS
    'First day of a period of a financial year: period_start(''2018-19'', 5) is 2018-08-01.';

CREATE FUNCTION finmon.period_end(financial_year text, period integer) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_period_end'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.period_end(text, integer) IS
    'Last day of a period of a financial year: period_end(''2018-19'', 5) is 2018-08-31.';

CREATE FUNCTION finmon.financial_year_start(financial_year text) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_financial_year_start'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.financial_year_start(text) IS
    'The 1 April a financial year starts on; raises 22007 for a malformed year.';

CREATE FUNCTION finmon.financial_year_end(financial_year text) RETURNS date
    AS 'MODULE_PATHNAME', 'finmon_financial_year_end'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.financial_year_end(text) IS
    'The 31 March a financial year ends on.';

CREATE FUNCTION finmon.previous_financial_year(financial_year text) RETURNS text
    AS 'MODULE_PATHNAME', 'finmon_previous_financial_year'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.previous_financial_year(text) IS
    'The financial year before: previous_financial_year(''2018-19'') is 2017-18.';

CREATE FUNCTION finmon.is_financial_year(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'finmon_is_financial_year'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.is_financial_year(text) IS
    'Whether a text is a financial year written YYYY-YY, the second year following the first (''2018-19'' yes; ''2018-20'', ''18-19'', ''2018/19'' no).';
