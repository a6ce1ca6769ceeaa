-- line_path (src/write_path.c): a line as finmon keys it.
-- A part of finmon's fuzz test (scripts/test-fuzz runs them all).  Runs alone in an empty
-- database (psql -X -v ON_ERROR_STOP=1 -f test/fuzz/line_path.sql) and reports its own checks.
\ir setup.sql
SELECT setseed(0.88);

-- The reference, from the README and the function's comment: the text split at every '>',
-- each name trimmed of spaces (U+0020, as btrim trims by default; a tab or a no-break space
-- is not a space) and joined by ' > '; NULL when a name is then empty ('' is one empty name).
CREATE FUNCTION fuzz.line_path_ref(line text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN bool_or(btrim(name) = '') THEN NULL ELSE string_agg(btrim(name), ' > ' ORDER BY n) END
  FROM unnest(regexp_split_to_array(line, '>')) WITH ORDINALITY AS u(name, n) $$;

-- Lines: 0 to 7 names (a budget line's words, punctuation, multibyte characters, a lone
-- space, tab or newline, nothing) each padded with spaces, tabs or a no-break space, joined by
-- '>'; noise over a small alphabet with '>' and spaces in it; long lines, stored compressed or
-- out of line; NULL.
CREATE TABLE fuzz.lines AS
SELECT i, CASE WHEN i % 10 < 7 THEN joined
               WHEN i % 10 < 9 THEN noise
               WHEN i % 1000 = 9 THEN NULL
               ELSE long END AS line
  FROM (SELECT i,
               (SELECT coalesce(string_agg(
                    (ARRAY['', '', ' ', '  ', '   ', E'\t', ' ', E' \t '])[1 + floor(random() * 8)::int]
                    || (ARRAY['Adult Social Care', 'Purchase of Care', 'Older People', 'Learning Disabilities', 'A', 'x',
                              'Résidential', 'Cost (net)', '£ income', 'a  b', E'tab\there', 'Café – Hall', 'Income: Fees & Charges',
                              '<', '&gt;', '-', '—', '😀', '0', 'NULL', '"quoted"', '''apostrophe''', '\', '%', '_', 'Ｘ',
                              'ß', 'İ', ' ', '', '', E'\t', E'\n', ' '])[1 + floor(random() * 34)::int]
                    || (ARRAY['', '', ' ', '  ', '   ', E'\t', ' ', E' \t '])[1 + floor(random() * 8)::int], '>'), '')
                  FROM generate_series(1, (ARRAY[0, 1, 1, 2, 2, 3, 3, 4, 5, 7])[1 + floor(random() * 10)::int] + i * 0)) AS joined,
               (SELECT string_agg((ARRAY[' ', ' ', '>', 'a', 'B', E'\t', 'é', '€', '1', ' '])[1 + floor(random() * 10)::int], '')
                  FROM generate_series(0, floor(random() * 20)::int + i * 0)) AS noise,
               (SELECT string_agg(CASE WHEN random() < 0.5 THEN repeat('Name ', 1 + floor(random() * 300)::int)
                                       ELSE md5(random()::text) || repeat(md5(random()::text), floor(random() * 3)::int) END,
                                  (ARRAY[' > ', '>', ' >', '> '])[1 + floor(random() * 4)::int])
                  FROM generate_series(1, 1 + floor(random() * 20)::int + i * 0)) AS long
          FROM generate_series(1, 60000) i) g;
ANALYZE fuzz.lines;

SELECT fuzz.check('line_path', 'names of every kind, noise, long lines, NULL', $q$
SELECT 1 AS calls, got IS NOT DISTINCT FROM ref AS ok, format('line_path(%L) = %L, expected %L', left(line, 200), left(got, 200), left(ref, 200)) AS detail
  FROM (SELECT line, finmon.line_path(line) AS got, fuzz.line_path_ref(line) AS ref FROM fuzz.lines) x $q$);
-- Worked: the README's example, and a line with an empty name (the README's 22023 in a load).
SELECT fuzz.check('line_path', 'worked examples', $q$
SELECT 1 AS calls, finmon.line_path(line) IS NOT DISTINCT FROM expected AS ok,
       format('line_path(%L) = %L, expected %L', line, finmon.line_path(line), expected) AS detail
  FROM (VALUES ('A >B ', 'A > B'), ('A > B', 'A > B'), ('A>B>C', 'A > B > C'), ('  A  ', 'A'), ('A  B', 'A  B'),
               (E'A\t> B', E'A\t > B'), ('A >  > B', NULL), ('', NULL), ('   ', NULL), ('>', NULL), ('A>', NULL),
               ('>A', NULL), (NULL, NULL)) v(line, expected) $q$);

-- Alone, the part reports its own functions' checks (part_end.sql).
\set part_functions 'line_path'
\ir part_end.sql
