-- Printing amounts the way committee papers do: by default £m to 3 places, negatives in
-- brackets; each committee table layout may choose its own unit, places, thousands separators
-- and negatives (finmon_data.revenue_table).

CREATE FUNCTION finmon.format_money(amount numeric, unit text DEFAULT '£m', places integer DEFAULT 3,
                                    thousands_separator boolean DEFAULT false, negatives text DEFAULT 'brackets')
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    divisor numeric;
    shown numeric;
    magnitude text;
    whole text;
BEGIN
    IF amount IS NULL THEN
        RETURN NULL;
    END IF;
    divisor := CASE unit WHEN '£m' THEN 1000000 WHEN 'millions' THEN 1000000
                         WHEN '£k' THEN 1000 WHEN '£000' THEN 1000 WHEN 'thousands' THEN 1000
                         WHEN '£' THEN 1 WHEN 'pounds' THEN 1 END;
    IF divisor IS NULL THEN
        RAISE EXCEPTION 'unknown unit "%"', unit
            USING ERRCODE = '22023', HINT = 'Use £m (millions), £k or £000 (thousands), or £ (pounds).';
    END IF;
    IF places IS NULL OR places < 0 THEN
        RAISE EXCEPTION 'invalid number of decimal places %', places
            USING ERRCODE = '22023';
    END IF;
    IF negatives IS NULL OR negatives NOT IN ('brackets', 'minus') THEN
        RAISE EXCEPTION 'unknown way of printing negatives "%"', negatives
            USING ERRCODE = '22023', HINT = 'Use brackets or minus.';
    END IF;
    shown := round(amount / divisor, places);
    magnitude := abs(shown)::text;
    IF thousands_separator THEN
        whole := split_part(magnitude, '.', 1);
        magnitude := regexp_replace(whole, '(\d)(?=(\d{3})+$)', '\1,', 'g') || substr(magnitude, length(whole) + 1);
    END IF;
    IF shown < 0 THEN
        RETURN CASE negatives WHEN 'brackets' THEN '(' || magnitude || ')' ELSE '-' || magnitude END;
    END IF;
    RETURN magnitude;
END;
$$;
COMMENT ON FUNCTION finmon.format_money(numeric, text, integer, boolean, text) IS
    'An amount in pounds as a committee paper prints it: in £m (or £k/£000/thousands, £/pounds; millions) to 3 (or the given) decimal places, rounded half away from zero, optionally with thousands separators, negatives in brackets (or with a minus): -163000 is (0.163); a figure that rounds to zero has no sign.';

CREATE FUNCTION finmon.format_percent(pct numeric, places integer DEFAULT 2, negatives text DEFAULT 'brackets')
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
    IF negatives IS NULL OR negatives NOT IN ('brackets', 'minus') THEN
        RAISE EXCEPTION 'unknown way of printing negatives "%"', negatives
            USING ERRCODE = '22023', HINT = 'Use brackets or minus.';
    END IF;
    shown := round(pct, places);
    IF shown < 0 THEN
        RETURN CASE negatives WHEN 'brackets' THEN '(' || (-shown)::text || '%)' ELSE '-' || (-shown)::text || '%' END;
    END IF;
    RETURN abs(shown)::text || '%';
END;
$$;
COMMENT ON FUNCTION finmon.format_percent(numeric, integer, text) IS
    'A percentage as a committee paper prints it, to 2 (or the given) decimal places, rounded half away from zero, negatives in brackets (or with a minus): -15.0936 is (15.09%).';
