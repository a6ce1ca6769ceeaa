-- Printing amounts the way committee papers do: £m to 3 places, negatives in brackets.

CREATE FUNCTION finmon.format_money(amount numeric, unit text DEFAULT '£m', places integer DEFAULT 3)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    divisor numeric;
    shown numeric;
BEGIN
    IF amount IS NULL THEN
        RETURN NULL;
    END IF;
    divisor := CASE unit WHEN '£m' THEN 1000000 WHEN '£k' THEN 1000 WHEN '£' THEN 1 END;
    IF divisor IS NULL THEN
        RAISE EXCEPTION 'unknown unit "%"', unit
            USING ERRCODE = '22023', HINT = 'Use £m, £k or £.';
    END IF;
    IF places IS NULL OR places < 0 THEN
        RAISE EXCEPTION 'invalid number of decimal places %', places
            USING ERRCODE = '22023';
    END IF;
    shown := round(amount / divisor, places);
    IF shown < 0 THEN
        RETURN '(' || (-shown)::text || ')';
    END IF;
    RETURN abs(shown)::text;
END;
$$;
COMMENT ON FUNCTION finmon.format_money(numeric, text, integer) IS
    'An amount in pounds as a committee paper prints it: in £m (or £k, £) to 3 (or the given) decimal places, negatives in brackets: -163000 is (0.163).';

CREATE FUNCTION finmon.format_percent(pct numeric, places integer DEFAULT 2)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shown numeric;
BEGIN
    IF pct IS NULL THEN
        RETURN NULL;
    END IF;
    IF places IS NULL OR places < 0 THEN
        RAISE EXCEPTION 'invalid number of decimal places %', places
            USING ERRCODE = '22023';
    END IF;
    shown := round(pct, places);
    IF shown < 0 THEN
        RETURN '(' || (-shown)::text || '%)';
    END IF;
    RETURN abs(shown)::text || '%';
END;
$$;
COMMENT ON FUNCTION finmon.format_percent(numeric, integer) IS
    'A percentage as a committee paper prints it, to 2 (or the given) decimal places, negatives in brackets: -15.0936 is (15.09%).';
