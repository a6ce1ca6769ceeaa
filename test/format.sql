-- pgTAP tests for finmon's committee-paper formatting (src/format.sql):
-- format_money(amount, unit DEFAULT '£m', places DEFAULT 3, thousands_separator DEFAULT false,
-- negatives DEFAULT 'brackets') and format_percent(pct, places DEFAULT 2, negatives DEFAULT 'brackets').
-- Expected strings are worked out by hand: divide by the unit, round half away from zero,
-- put a negative result in brackets; a result that rounds to zero has no sign and no brackets.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS finmon;

SELECT plan(92);

-- Signatures, including the defaults: one- and two-argument calls must resolve.
SELECT function_returns('finmon', 'format_money', ARRAY['numeric', 'text', 'integer', 'boolean', 'text'], 'text',
                        'format_money(numeric, text, integer, boolean, text) returns text');
SELECT function_returns('finmon', 'format_percent', ARRAY['numeric', 'integer', 'text'], 'text',
                        'format_percent(numeric, integer, text) returns text');

-- The examples in the specification, default unit £m to 3 places.
SELECT is(finmon.format_money(amount), want, format('format_money(%s) = %s', amount, want))
  FROM (VALUES (-163000::numeric, '(0.163)'),
               (1990000, '1.990'),
               (0, '0.000'),
               (-400, '0.000'),          -- rounds to zero: no brackets, no minus sign
               (252747000, '252.747'),
               (-21041000, '(21.041)')) v(amount, want);

-- Rounding is half away from zero (numeric round), not half to even: 0.1625 -> 0.163 both
-- ways round (half-even would give 0.162); just under half a unit in the last place rounds
-- to zero with no sign; exactly half rounds away.
SELECT is(finmon.format_money(amount), want, format('format_money(%s) = %s', amount, want))
  FROM (VALUES (162500::numeric, '0.163'),
               (-162500, '(0.163)'),
               (499, '0.000'),
               (-499, '0.000'),
               (500, '0.001'),
               (-500, '(0.001)'),
               (-0.01, '0.000'),
               (123456.789, '0.123'),
               (999499, '0.999'),
               (999500, '1.000')) v(amount, want);

-- Units: '£k' divides by 1,000 and '£' by 1, both to the default 3 places unless given.
SELECT is(finmon.format_money(-163000, '£k'), '(163.000)', 'format_money(-163000, £k) = (163.000)');
SELECT is(finmon.format_money(1990, '£k'), '1.990', 'format_money(1990, £k) = 1.990');
SELECT is(finmon.format_money(163500, '£k', 1), '163.5', 'format_money(163500, £k, 1) = 163.5');
SELECT is(finmon.format_money(162500, '£k', 0), '163', 'format_money(162500, £k, 0) = 163 (half away from zero)');
SELECT is(finmon.format_money(-162500, '£k', 0), '(163)', 'format_money(-162500, £k, 0) = (163)');
SELECT is(finmon.format_money(2500, '£k', 0), '3', 'format_money(2500, £k, 0) = 3 (half-even would give 2)');
SELECT is(finmon.format_money(-400, '£k', 0), '0', 'format_money(-400, £k, 0) = 0 (rounds to zero, no sign)');
SELECT is(finmon.format_money(123.455, '£', 2), '123.46', 'format_money(123.455, £, 2) = 123.46');
SELECT is(finmon.format_money(-123.455, '£', 2), '(123.46)', 'format_money(-123.455, £, 2) = (123.46)');
SELECT is(finmon.format_money(-0.004, '£', 2), '0.00', 'format_money(-0.004, £, 2) = 0.00');
SELECT is(finmon.format_money(0.5, '£', 0), '1', 'format_money(0.5, £, 0) = 1');
SELECT is(finmon.format_money(-0.5, '£', 0), '(1)', 'format_money(-0.5, £, 0) = (1)');
SELECT is(finmon.format_money(5, '£'), '5.000', 'format_money(5, £) = 5.000 (default 3 places)');
SELECT is(finmon.format_money(-163000, '£m'), '(0.163)', 'format_money(-163000, £m) = (0.163) (explicit default unit)');

-- Places: fewer places round the £m figure, more places pad it with zeros.
SELECT is(finmon.format_money(1990000, '£m', 1), '2.0', 'format_money(1990000, £m, 1) = 2.0');
SELECT is(finmon.format_money(1990000, '£m', 0), '2', 'format_money(1990000, £m, 0) = 2');
SELECT is(finmon.format_money(-1990000, '£m', 0), '(2)', 'format_money(-1990000, £m, 0) = (2)');
SELECT is(finmon.format_money(-400000, '£m', 0), '0', 'format_money(-400000, £m, 0) = 0');
SELECT is(finmon.format_money(-500000, '£m', 0), '(1)', 'format_money(-500000, £m, 0) = (1)');
SELECT is(finmon.format_money(163000, '£m', 5), '0.16300', 'format_money(163000, £m, 5) = 0.16300');
SELECT is(finmon.format_money(1, '£m', 8), '0.00000100', 'format_money(1, £m, 8) = 0.00000100');
SELECT is(finmon.format_money(-1, '£m', 6), '(0.000001)', 'format_money(-1, £m, 6) = (0.000001)');
SELECT is(finmon.format_money(0, '£m', 0), '0', 'format_money(0, £m, 0) = 0');

-- NULL amount gives NULL, whatever the unit and places.
SELECT is(finmon.format_money(NULL), NULL, 'format_money(NULL) is NULL');
SELECT is(finmon.format_money(NULL, '£k'), NULL, 'format_money(NULL, £k) is NULL');
SELECT is(finmon.format_money(NULL, '£', 2), NULL, 'format_money(NULL, £, 2) is NULL');

-- An unknown unit raises 22023 (invalid_parameter_value); the units are exact strings.
SELECT throws_ok(format('SELECT finmon.format_money(1000, %L)', u), '22023', NULL,
                 format('format_money(1000, %L) raises 22023', u))
  FROM (VALUES ('GBP'), ('£M'), ('£K'), (''), ('m'), ('£bn'), ('£m '), ('Pounds'), ('thousand')) v(u);

-- Negative places raise 22023.
SELECT throws_ok('SELECT finmon.format_money(1000, ''£m'', -1)', '22023', NULL,
                 'format_money(1000, £m, -1) raises 22023');
SELECT throws_ok('SELECT finmon.format_money(1000, ''£'', -3)', '22023', NULL,
                 'format_money(1000, £, -3) raises 22023');
SELECT throws_ok('SELECT finmon.format_money(0, ''£k'', -1)', '22023', NULL,
                 'format_money(0, £k, -1) raises 22023');

-- A layout's other conventions (issue 15): units by name, thousands separators, a minus sign.
SELECT is(finmon.format_money(amount, unit, places, sep, neg), want,
          format('format_money(%s, %s, %s, %s, %s) = %s', amount, unit, places, sep, neg, want))
  FROM (VALUES (-163000::numeric, 'thousands', 0, true, 'brackets', '(163)'),
               (48420000, 'thousands', 0, true, 'brackets', '48,420'),
               (48420000, '£000', 0, false, 'brackets', '48420'),
               (-1234567.891, 'pounds', 2, true, 'minus', '-1,234,567.89'),
               (1234567.895, 'pounds', 2, true, 'minus', '1,234,567.90'),
               (999.4, 'pounds', 0, true, 'minus', '999'),
               (999.5, 'pounds', 0, true, 'minus', '1,000'),
               (-0.4, 'pounds', 0, true, 'minus', '0'),             -- rounds to zero: no sign
               (123456789012, 'millions', 3, true, 'minus', '123,456.789'),
               (-252747000, 'millions', 1, false, 'minus', '-252.7'),
               (100000, '£k', 0, true, 'brackets', '100'),
               (1000000, '£k', 1, true, 'brackets', '1,000.0')) v(amount, unit, places, sep, neg, want);
SELECT is(finmon.format_percent(-15.0936, 1, 'minus'), '-15.1%', 'format_percent(-15.0936, 1, minus) = -15.1%');
SELECT is(finmon.format_percent(-0.04, 1, 'minus'), '0.0%', 'format_percent(-0.04, 1, minus) = 0.0% (no sign)');
SELECT throws_ok('SELECT finmon.format_money(1000, ''£m'', 3, false, ''red'')', '22023', NULL,
                 'format_money with negatives red raises 22023');
SELECT throws_ok('SELECT finmon.format_percent(10, 1, NULL)', '22023', NULL,
                 'format_percent with negatives NULL raises 22023');

-- format_percent: the specification's examples, default 2 places, negatives in brackets.
SELECT is(finmon.format_percent(pct), want, format('format_percent(%s) = %s', pct, want))
  FROM (VALUES (2.6105::numeric, '2.61%'),
               (-15.0936, '(15.09%)'),
               (0, '0.00%'),
               (100, '100.00%'),
               (-100, '(100.00%)'),
               (2.625, '2.63%'),         -- half away from zero (half-even would give 2.62)
               (-2.625, '(2.63%)'),
               (-0.004, '0.00%'),        -- rounds to zero: no brackets, as for money
               (0.005, '0.01%')) v(pct, want);

-- format_percent with places.
SELECT is(finmon.format_percent(2.6105, 3), '2.611%', 'format_percent(2.6105, 3) = 2.611%');
SELECT is(finmon.format_percent(9.0913, 1), '9.1%', 'format_percent(9.0913, 1) = 9.1%');
SELECT is(finmon.format_percent(9.0913, 0), '9%', 'format_percent(9.0913, 0) = 9%');
SELECT is(finmon.format_percent(-15.0936, 0), '(15%)', 'format_percent(-15.0936, 0) = (15%)');
SELECT is(finmon.format_percent(2.5, 4), '2.5000%', 'format_percent(2.5, 4) = 2.5000%');

-- NULL percentage (as variance_pct gives for a zero budget) prints as NULL.
SELECT is(finmon.format_percent(NULL), NULL, 'format_percent(NULL) is NULL');
SELECT is(finmon.format_percent(NULL, 1), NULL, 'format_percent(NULL, 1) is NULL');
SELECT is(finmon.format_percent(finmon.variance_pct(0, 5)), NULL, 'format_percent of a zero-budget variance_pct is NULL');

-- Negative places raise 22023, as for format_money.
SELECT throws_ok('SELECT finmon.format_percent(2.6105, -1)', '22023', NULL,
                 'format_percent(2.6105, -1) raises 22023');

-- Together with the variance functions, as a committee line prints: income budget
-- -85,653,000 and forecast -93,440,000 is variance -7,787,000, i.e. (7.787) in £m, and
-- -7787000 / -85653000 * 100 = 9.0913...%, i.e. 9.09%.
SELECT is(finmon.format_money(finmon.variance(-85653000, -93440000)), '(7.787)',
          'format_money(variance(-85653000, -93440000)) = (7.787)');
SELECT is(finmon.format_percent(finmon.variance_pct(-85653000, -93440000)), '9.09%',
          'format_percent(variance_pct(-85653000, -93440000)) = 9.09%');

SELECT * FROM finish();
ROLLBACK;
