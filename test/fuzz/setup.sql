-- finmon's fuzz test, shared part: the harness (fuzz.check, fuzz.result), the value generators
-- and the reference statistics, in schema fuzz.  Every file in test/fuzz/ includes this one
-- first (\ir setup.sql), so each runs alone in an empty database: the first inclusion creates
-- the extension and schema fuzz; later ones (schema fuzz already there) create nothing.
-- scripts/test-fuzz runs it once, then the parts two sessions at a time.
--
-- It also sets the session up for the parts: stop at the first error, no command tags, query
-- output to /dev/null (each check's SELECT returns a void row) until report.sql prints, and
-- serial plans without JIT (a part that wants parallel plans sets them itself).
\set ON_ERROR_STOP on
\set QUIET on
\o /dev/null
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT pg_catalog.to_regnamespace('fuzz') IS NULL AS fuzz_setup \gset
\if :fuzz_setup
CREATE EXTENSION IF NOT EXISTS finmon;
CREATE SCHEMA fuzz;

-- One row per check: how many calls, how many results differed from the reference, and
-- whether the check itself failed with an unexpected error (then its calls are lost).
CREATE TABLE fuzz.result (
    func text NOT NULL, label text NOT NULL, calls bigint NOT NULL, mismatches bigint NOT NULL,
    errors integer NOT NULL, examples text[], ms numeric NOT NULL
);

-- Runs a check: q returns rows (calls, ok, detail); a row whose ok is not true is a mismatch,
-- and the first five details are kept.  detail is evaluated for mismatches only.
CREATE FUNCTION fuzz.check(func text, label text, q text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c bigint;
    m bigint;
    ex text[];
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE format('SELECT coalesce(sum(calls), 0), count(*) FILTER (WHERE ok IS NOT TRUE),
                           (array_agg(detail) FILTER (WHERE ok IS NOT TRUE))[1:5] FROM (%s) q', q)
       INTO c, m, ex;
    INSERT INTO fuzz.result
    VALUES (func, label, c, m, 0, ex, round(extract(epoch FROM clock_timestamp() - t0) * 1000));
EXCEPTION WHEN OTHERS THEN
    INSERT INTO fuzz.result
    VALUES (func, label, 0, 0, 1, ARRAY[format('unexpected error %s: %s', SQLSTATE, SQLERRM)],
            round(extract(epoch FROM clock_timestamp() - t0) * 1000));
END $$;

-- The SQLSTATE a statement raises, or 00000.
CREATE FUNCTION fuzz.state_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN '00000';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

-- Raises message as an error: report.sql's verdict when it is not ok (psql then exits 3).
CREATE FUNCTION fuzz.fail(message text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', message;
END $$;

-- got within 1e-9 relative of ref (relative to the larger of |ref| and scale).
CREATE FUNCTION fuzz.close(got float8, ref float8, scale float8 DEFAULT 0) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS
$$ SELECT got = ref OR abs(got - ref) <= 1e-9 * greatest(abs(ref), abs(scale)) $$;

-- Generated amounts: k picks the kind, r and s (uniform in [0, 1)) the value.
CREATE FUNCTION fuzz.amount(k int, r float8, s float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 22
    WHEN 0 THEN NULL
    WHEN 1 THEN 0::numeric
    WHEN 2 THEN round(0::numeric, floor(s * 40)::int)                            -- 0.000...
    WHEN 3 THEN round(((r - 0.5) * 2e7)::numeric, 2)                             -- pounds and pence
    WHEN 4 THEN round(((r - 0.5) * 2e7)::numeric, 2)
    WHEN 5 THEN round(((r - 0.5) * 2e9)::numeric, 2)
    WHEN 6 THEN round(((r - 0.5) * 2e5)::numeric, floor(s * 7)::int)
    WHEN 7 THEN round((r - 0.5) * 2e4)::numeric                                  -- whole pounds
    WHEN 8 THEN round(((r - 0.5) * 2)::numeric, 2)
    WHEN 9 THEN (round((r - 0.5)::numeric, 15)::text || 'e' || floor(12 + s * 30))::numeric   -- 1e10..1e41: 64/128-bit limits
    WHEN 10 THEN round((round((r - 0.5)::numeric, 15)::text || 'e' || floor(12 + s * 30))::numeric, floor(s * 12)::int)
    WHEN 11 THEN (round((r - 0.5)::numeric, 15)::text || 'e' || floor(40 + s * 400))::numeric -- huge, to 1e439
    WHEN 12 THEN (round((r - 0.5)::numeric, 15)::text || 'e-' || floor(1 + s * 60))::numeric  -- tiny, to 1e-76
    WHEN 13 THEN round(((r - 0.5) * 2e6)::numeric, floor(s * 1001)::int)        -- scale up to 1000 (trailing zeros)
    WHEN 14 THEN round(((r - 0.5) * 2e6)::numeric, 1000) / (3 + floor(s * 97)::int)   -- 1000 significant decimals
    WHEN 15 THEN (ARRAY[
            170141183460469231731687303715884105727, -170141183460469231731687303715884105728,
            170141183460469231731687303715884105728, 99999999999999999999999999999999999999,
            -99999999999999999999999999999999999999, 100000000000000000000000000000000000000,
            9999999999999999, 99999999999999999, -999999999999999999, 9223372036854775807,
            -9223372036854775808, 9223372036854775808, 0.0001, 0.00001, -0.0001, 99999999999999.9999,
            100000000000000, 1e15, 0.00000000000000000001, 1e-1000, -1e-1000, 9.999999999999999999999999999999999999,
            1e999, -1e999, 0.5, -0.5, 1, -1, 12345678901234567890.1234567890123456789,
            1.7014118346046923173168730371588410572, 0.00000000000000000000000000000000000001])[1 + floor(s * 31)::int]
    WHEN 16 THEN ('1e-' || floor(1 + s * 1000))::numeric * sign((r - 0.5)::numeric)       -- one digit at scale up to 1000
    WHEN 17 THEN round(((r - 0.5) * 2e12)::numeric, 4)
    WHEN 18 THEN round(((r - 0.5) * 2e3)::numeric, 3 + floor(s * 7)::int)        -- scales 3..9: base-10000 digit edges
    WHEN 19 THEN round(((r - 0.5) * 2e3)::numeric, 1000)
    WHEN 20 THEN round((r - 0.5)::numeric * 1e30, floor(s * 20)::int)            -- 30 digits and a fraction
    ELSE round(((r - 0.5) * 2e7)::numeric)
END $$;

-- NaN and the infinities.
CREATE FUNCTION fuzz.special(s float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS
$$ SELECT (ARRAY['NaN', 'Infinity', '-Infinity']::numeric[])[1 + floor(s * 3)::int] $$;

-- Counts (0 or more) for the rates.
CREATE FUNCTION fuzz.count_value(k int, r float8, s float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 16
    WHEN 0 THEN NULL
    WHEN 1 THEN floor(r * 10)::numeric                                   -- 0..9: exact Poisson limits
    WHEN 2 THEN round(floor(r * 10)::numeric, floor(s * 6)::int)         -- the same at other scales
    WHEN 3 THEN floor(r * 40)::numeric / 4                               -- quarters below 10
    WHEN 4 THEN 10 + floor(r * 90)::numeric                              -- 10..99: Byar's
    WHEN 5 THEN floor(r * 1e4)::numeric
    WHEN 6 THEN floor(r * 1e7)::numeric
    WHEN 7 THEN round((10 + r * 1e4)::numeric, floor(s * 20)::int)
    WHEN 8 THEN 10 + round((r * 1e3)::numeric, 1000) / (3 + floor(s * 97)::int)   -- scale 1000
    WHEN 9 THEN (round(r::numeric, 15)::text || 'e' || floor(12 + s * 280))::numeric -- huge, to 1e291
    WHEN 10 THEN 0::numeric
    WHEN 11 THEN round(0::numeric, floor(s * 1001)::int)                 -- zero at scales up to 1000
    WHEN 12 THEN (ARRAY[9.999999999, 10, 10.0000000001, 9, 1, 0.5, 0.1, 9.75, 1e15, 1e100])[1 + floor(s * 10)::int]
    ELSE floor(r * 200)::numeric
END $$;

-- Populations and denominators (more than 0).
CREATE FUNCTION fuzz.population(k int, r float8, s float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
SELECT CASE k % 10
    WHEN 0 THEN 1 + floor(r * 1e6)::numeric
    WHEN 1 THEN 1000 + floor(r * 1e8)::numeric
    WHEN 2 THEN round((0.001 + r * 100)::numeric, 3 + floor(s * 6)::int)
    WHEN 3 THEN round((1 + r * 1e5)::numeric, floor(s * 1001)::int)
    WHEN 4 THEN round((1 + r * 1e5)::numeric, 1000) / (3 + floor(s * 97)::int)
    WHEN 5 THEN ('1e' || floor(s * 50))::numeric * (1 + floor(r * 9)::int)       -- to 9e49
    WHEN 6 THEN ('1e-' || floor(1 + s * 49))::numeric * (1 + floor(r * 9)::int)  -- to 1e-49
    WHEN 7 THEN 1::numeric
    ELSE 1 + floor(r * 5e5)::numeric
END $$;

CREATE FUNCTION fuzz.multiplier(s float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS
$$ SELECT (ARRAY[100000, 1, 100, 1000, 0.001, 1e10, 100000.000, 1e-20, 7, 12.5])[1 + floor(s * 10)::int]::numeric $$;

CREATE FUNCTION fuzz.confidence(s float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (ARRAY[0.95, 0.95, 0.95, 0.9, 0.99, 0.998, 0.999, 0.8, 0.5, 0.2, 0.01, 0.9999, 0.9999999, 0.975])[1 + floor(s * 14)::int] $$;

-- A financial year 'YYYY-YY' starting in year y, and the year a date's financial year starts in.
CREATE FUNCTION fuzz.fy(y int) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT lpad(y::text, 4, '0') || '-' || lpad(((y + 1) % 100)::text, 2, '0') $$;
-- The year a text names if it is a financial year, else NULL.
CREATE FUNCTION fuzz.fy_start(t text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN t ~ '^[0123456789]{4}-[0123456789]{2}$'
             AND substr(t, 1, 4)::int >= 1
             AND (substr(t, 1, 4)::int + 1) % 100 = substr(t, 6, 2)::int
            THEN substr(t, 1, 4)::int END $$;

-- Expected SQLSTATE for a count (0 or more) and a population (more than 0), NULL when fine.
CREATE FUNCTION fuzz.nonneg_state(v numeric) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN v = 'NaN' OR v = 'Infinity' OR v = '-Infinity' OR v < 0 THEN '22023' END $$;
CREATE FUNCTION fuzz.positive_state(v numeric) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN v = 'NaN' OR v = 'Infinity' OR v = '-Infinity' OR v < 0 THEN '22023' WHEN v = 0 THEN '22012' END $$;
-- 22003 when a finite numeric is out of double precision's range.
CREATE FUNCTION fuzz.double_state(v numeric) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN v <> 0 AND (abs(v) > 1e308 OR abs(v) < 1e-320) THEN '22003' END $$;
CREATE FUNCTION fuzz.confidence_state(c float8) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN NOT (c > 0 AND c < 1) OR c = 'NaN' THEN '22023' END $$;

-- Reference statistics --------------------------------------------------------------

-- The standard normal CDF in numeric: 1/2 + phi(z) * sum z^(2n+1) / (1*3*...*(2n+1)).
CREATE FUNCTION fuzz.norm_cdf(z numeric) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    z2 numeric := round(z * z, 60);
    term numeric := round(z, 60);
    s numeric := term;
    n int := 0;
BEGIN
    LOOP
        n := n + 1;
        term := round(term * z2 / (2 * n + 1), 60);
        s := s + term;
        EXIT WHEN abs(term) < 1e-55 AND n > z2;
    END LOOP;
    RETURN 0.5 + round(exp(round(-z2 / 2, 60)) / sqrt(2 * 3.14159265358979323846264338327950288419716939937510::numeric), 60) * s;
END $$;

-- Its quantile, by Newton's method in numeric, rounded to float8.  p is taken exactly: for
-- p > 1/2, as 1 - (1 - p), 1 - p being exact in float8 and its shortest text within 1e-16 of it
-- relative (p's own shortest text can be 1e-16 off absolutely, too much in the far tail).
CREATE FUNCTION fuzz.norm_quantile(p float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    target numeric := CASE WHEN p > 0.5 THEN 1 - (1 - p)::text::numeric ELSE p::text::numeric END;
    z numeric := 0;
    f numeric;
BEGIN
    FOR i IN 1..200 LOOP
        f := fuzz.norm_cdf(z) - target;
        z := z - round(f / (exp(round(-z * z / 2, 60)) / sqrt(2 * 3.14159265358979323846264338327950288419716939937510::numeric)), 60);
        z := least(greatest(z, -12), 12);
        EXIT WHEN abs(f) < 1e-40;
    END LOOP;
    RETURN z::float8;
END $$;

-- log Gamma(a), a > 0: shifted up to 30, then Stirling's series.
CREATE FUNCTION fuzz.lgamma(a float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    s float8 := 0;
    z float8 := a;
BEGIN
    WHILE z < 30 LOOP
        s := s + ln(z);
        z := z + 1;
    END LOOP;
    RETURN (z - 0.5) * ln(z) - z + 0.5 * ln(2 * pi())
           + 1 / (12 * z) - 1 / (360 * z ^ 3) + 1 / (1260 * z ^ 5) - 1 / (1680 * z ^ 7) - s;
END $$;

-- The regularised lower incomplete gamma function P(a, x), by its power series.
CREATE FUNCTION fuzz.gamma_p(a float8, x float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    term float8 := 1;
    s float8 := 1;
    n int := 0;
BEGIN
    IF x <= 0 THEN
        RETURN 0;
    END IF;
    LOOP
        n := n + 1;
        term := term * x / (a + n);
        s := s + term;
        EXIT WHEN term < s * 1e-18;
    END LOOP;
    RETURN s * exp(a * ln(x) - x - fuzz.lgamma(a + 1));
END $$;

-- The x with P(a, x) = p, by bisection to 1e-15 relative.
CREATE FUNCTION fuzz.gamma_quantile(a float8, p float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    lo float8 := 0;
    hi float8 := greatest(1, a);
    mid float8;
    i int := 0;
BEGIN
    WHILE fuzz.gamma_p(a, hi) < p LOOP
        hi := hi * 2;
    END LOOP;
    WHILE hi - lo > 1e-15 * hi AND i < 1000 LOOP
        mid := (lo + hi) / 2;
        IF fuzz.gamma_p(a, mid) < p THEN lo := mid; ELSE hi := mid; END IF;
        i := i + 1;
    END LOOP;
    RETURN (lo + hi) / 2;
END $$;

-- The same in numeric (40 decimals), for the upper tail, where float8's P(a, x) near 1 has too
-- few digits of 1 - P: log Gamma by Stirling's series (shifted up to 60, memoised), P by its
-- series, and Newton steps from the float8 bisection solving Q(a, x) = 1 - P(a, x) = q.
CREATE TABLE fuzz.lgamma_memo (a numeric PRIMARY KEY, v numeric NOT NULL);
CREATE FUNCTION fuzz.lgamma_n(a numeric) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
    s numeric := 0;
    z numeric := round(a, 40);
    v numeric;
BEGIN
    SELECT m.v INTO v FROM fuzz.lgamma_memo m WHERE m.a = lgamma_n.a;
    IF FOUND THEN
        RETURN v;
    END IF;
    WHILE z < 60 LOOP
        s := s + ln(z);
        z := z + 1;
    END LOOP;
    v := round((z - 0.5) * ln(z) - z + 0.5 * ln(round(2 * 3.14159265358979323846264338327950288419716939937510, 40))
               + 1 / (12 * z) - 1 / (360 * z ^ 3) + 1 / (1260 * z ^ 5) - 1 / (1680 * z ^ 7) + 1 / (1188 * z ^ 9) - s, 40);
    INSERT INTO fuzz.lgamma_memo VALUES (a, v) ON CONFLICT DO NOTHING;
    RETURN v;
END $$;
CREATE FUNCTION fuzz.gamma_upper_quantile(a float8, q float8) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    an numeric := a::text::numeric;
    qn numeric := q::text::numeric;
    lg numeric := fuzz.lgamma_n(an + 1);
    x numeric := round(fuzz.gamma_quantile(a, 1 - q)::text::numeric, 40);
    term numeric;
    s numeric;
    k int;
    prefix numeric;
    step numeric;
BEGIN
    FOR i IN 1..6 LOOP
        term := 1;
        s := 1;
        k := 0;
        LOOP
            k := k + 1;
            term := round(term * x / (an + k), 45);
            s := s + term;
            EXIT WHEN term < s * 1e-42;
        END LOOP;
        prefix := exp(round(an * ln(x) - x - lg, 45));      -- x^a e^-x / Gamma(a + 1)
        step := round(((1 - s * prefix) - qn) / (prefix * an / x), 45);
        x := x + step;
        EXIT WHEN abs(step) < x * 1e-30;
    END LOOP;
    RETURN x::float8;
END $$;

-- The normal quantile for each confidence level used.
CREATE TABLE fuzz.z AS
SELECT conf, fuzz.norm_quantile(1 - (1 - conf) / 2) AS z
  FROM (SELECT DISTINCT fuzz.confidence(i / 1000.0) AS conf FROM generate_series(0, 999) i) c;
ALTER TABLE fuzz.z ADD PRIMARY KEY (conf);

-- Exact Poisson limits for counts below 10 (filled on demand by fuzz.fill_exact).
CREATE TABLE fuzz.exact (x float8, conf float8, lo float8, hi float8, PRIMARY KEY (x, conf));
CREATE FUNCTION fuzz.fill_exact(q text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($f$
        INSERT INTO fuzz.exact
        SELECT x, conf,
               CASE WHEN x > 0 THEN fuzz.gamma_quantile(x, (1 - conf) / 2) ELSE 0 END,
               fuzz.gamma_upper_quantile(x + 1, 1 - (1 - (1 - conf) / 2))
          FROM (SELECT DISTINCT x, conf FROM (%s) q WHERE x < 10) q
        ON CONFLICT DO NOTHING $f$, q);
END $$;

-- Byar's limits for a count x of 10 or more (x * t^3, as phe_rate).
CREATE FUNCTION fuzz.byars_lo(x float8, z float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT x * (1 - 1 / (9 * x) - z / (3 * sqrt(x))) ^ 3 $$;
CREATE FUNCTION fuzz.byars_hi(x float8, z float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * sqrt(x + 1))) ^ 3 $$;

-- Wilson's score limits for x of n.
CREATE FUNCTION fuzz.wilson_lo(x float8, n float8, z float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (2 * x + z * z - z * sqrt(z * z + 4 * x * (1 - x / n))) / (2 * (n + z * z)) $$;
CREATE FUNCTION fuzz.wilson_hi(x float8, n float8, z float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (2 * x + z * z + z * sqrt(z * z + 4 * x * (1 - x / n))) / (2 * (n + z * z)) $$;

-- Every total count below 10 in the aggregates is a quarter: their limits once, here.
SELECT fuzz.fill_exact('SELECT i / 4.0::float8 AS x, 0.95::float8 AS conf FROM generate_series(0, 39) i');
\endif
