# What every benchmark prints about where it ran (sourced by bench/*.sh): the load average at
# the start, the commit and any uncommitted changes, and the build installed (which is what is
# measured, whatever the tree holds).
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
here=$(cd "$(dirname "$0")/.." && pwd)
if commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null); then
    changed=$(git -C "$here" --no-optional-locks status --porcelain 2>/dev/null | awk '{ n++; if (n <= 12) l = l (n > 1 ? ", " : "") $0 } END { if (n > 12) l = l ", and " n - 12 " more"; print l }')
    [ -z "$changed" ] || commit="$commit, tree dirty: $changed"
else
    commit=unknown
fi
# The build under test: the installed install script and library (the tree may differ from the commit).
sharedir=$(pg_config --sharedir 2>/dev/null || echo /usr/share/postgresql/15)
pkglibdir=$(pg_config --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)
build=$(v=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$sharedir/extension/finmon.control" 2>/dev/null) &&
        echo "installed finmon--$v.sql md5 $(md5sum < "$sharedir/extension/finmon--$v.sql" | cut -c1-12) of $(date -r "$sharedir/extension/finmon--$v.sql" '+%F %T'), finmon.so md5 $(md5sum < "$pkglibdir/finmon.so" | cut -c1-12)" ||
        echo "installed build unknown")

# pg_temp.time_ms(query): milliseconds one execution of a query takes, planned afresh (EXECUTE),
# as a client's unprepared query is; for a psql heredoc: $time_ms_sql.
time_ms_sql='CREATE FUNCTION pg_temp.time_ms(query text) RETURNS double precision
    LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz := clock_timestamp();
BEGIN
    EXECUTE query;
    RETURN extract(epoch FROM clock_timestamp() - started) * 1000;
END;
$$;'

# ran_on_rows [note]: the rows every benchmark's "item | value" table ends with (before its
# date), as lines of SQL for an unquoted heredoc: the server, the cores, the load average at the
# start and now, the commit and the build installed (a note after the version, if given).
ran_on_rows() {
    printf '%s\n' \
        "UNION ALL SELECT 'server', version()" \
        "UNION ALL SELECT 'cores', '$(nproc)'" \
        "UNION ALL SELECT 'load average', 'at the start $load_before; now $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)'" \
        "UNION ALL SELECT 'commit', \$c\$$commit\$c\$" \
        "UNION ALL SELECT 'finmon', (SELECT extversion FROM pg_extension WHERE extname = 'finmon') || '${1:-}, $build'"
}

# rounds_sql KEY: a warm-up round of the temp table query's statements (k, sql, ...), then
# $repeat interleaved rounds, each statement's time inserted into timing as (KEY, round, ms),
# KEY a column of query (q.k or q.query); for an unquoted heredoc, after $time_ms_sql.
rounds_sql() {
    cat <<SQL
-- a warm-up round, then interleaved rounds
SELECT pg_temp.time_ms(sql) FROM query ORDER BY k \g /dev/null
DO \$\$
DECLARE q record;
BEGIN
    FOR r IN 1 .. $repeat LOOP
        FOR q IN SELECT * FROM query ORDER BY k LOOP
            INSERT INTO timing VALUES ($1, r, pg_temp.time_ms(q.sql));
        END LOOP;
    END LOOP;
END;
\$\$;
SQL
}

# pg_temp.time_ms(query, loops): milliseconds per execution over loops executions, each planned
# afresh; for a psql heredoc or a dblink_exec: $time_loops_ms_sql.
time_loops_ms_sql='CREATE FUNCTION pg_temp.time_ms(query text, loops integer) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz := clock_timestamp();
BEGIN
    FOR i IN 1 .. loops LOOP
        EXECUTE query;
    END LOOP;
    RETURN extract(epoch FROM clock_timestamp() - started) * 1000 / loops;
END;
$$;'

# pg_temp.digest(query): the number of a query's rows and the md5 of their text, sorted, to
# compare databases, servers and roles; for a psql heredoc or a dblink_exec: $digest_sql.
digest_sql=$(cat <<'SQL'
CREATE FUNCTION pg_temp.digest(query text, OUT rows bigint, OUT md5 text) LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT count(*), md5(string_agg(q::text, E''\n'' ORDER BY q::text)) FROM (%s) q', query) INTO rows, md5;
END;
$$;
SQL
)

# The councils' revenue figures of bench/councils.sh and bench/citus_reports.sh (the same in
# both), as SQL for a database holding bench_council(n, council), its councils by number.
# revenue_generator_sql LINES: the function bench_revenue(council_no, from_year, to_year,
# from_period, to_period), a council's rows for those years and periods, LINES leaf lines
# 'Area a > Group g > Line l' (areas of 6 groups of 10 lines): budgets and forecasts in pounds
# vary by council, line, year and period; every tenth line is income.
revenue_generator_sql() {
    cat <<SQL
CREATE FUNCTION bench_revenue(council_no integer, from_year integer, to_year integer, from_period integer, to_period integer)
    RETURNS TABLE (council text, financial_year text, period integer, line text, budget numeric, forecast_outturn numeric)
    LANGUAGE sql IMMUTABLE
    BEGIN ATOMIC
        SELECT format('C%s', to_char(council_no, 'FM000')), format('%s-%s', y, to_char((y + 1) % 100, 'FM00')), p,
               format('Area %s > Group %s > Line %s', to_char(k / 60 + 1, 'FM00'), to_char(k / 10 % 6 + 1, 'FM00'), to_char(k + 1, 'FM000')),
               (CASE WHEN k % 10 = 9 THEN -1 ELSE 1 END) * (50000 + (council_no * 7919 + k * 104729 + y * 31) % 900000),
               (CASE WHEN k % 10 = 9 THEN -1 ELSE 1 END) * (50000 + (council_no * 7919 + k * 104729 + y * 31) % 900000
                                                            + (council_no * 31 + k * 17 + p * 13 + y) % 40000 - 20000)
          FROM generate_series(from_year, to_year) AS y, generate_series(from_period, to_period) AS p,
               generate_series(0, $1 - 1) AS k
         ORDER BY y, p, k;
    END;
SQL
}
# revenue_direct_sql MEASURED IMPORTED FIRST_YEAR LAST_YEAR: the councils not in IMPORTED (their
# numbers, comma-separated) written straight into finmon_data.revenue_node (the hierarchy of
# MEASURED, which its import made) and finmon_data.revenue, FIRST_YEAR to LAST_YEAR, 12 periods
# (setting up: a superuser's direct writes bypass the write path, and are not a load).
revenue_direct_sql() {
    cat <<SQL
INSERT INTO finmon_data.revenue_node (council, analysis, path, parent_path, label, depth, sort_key, ancestors)
SELECT c.council, n.analysis, n.path, n.parent_path, n.label, n.depth, n.sort_key, n.ancestors
  FROM bench_council c CROSS JOIN finmon_data.revenue_node n
 WHERE n.council = '$1' AND c.n <> ALL ('{$2}'::integer[])
 ORDER BY c.n, n.depth, n.sort_key;
INSERT INTO finmon_data.revenue (council, financial_year, period, analysis, line, budget, forecast_outturn)
SELECT r.council, r.financial_year, r.period, '', r.line, r.budget, r.forecast_outturn
  FROM bench_council c CROSS JOIN LATERAL bench_revenue(c.n, $3, $4, 1, 12) AS r
 WHERE c.n <> ALL ('{$2}'::integer[])
 ORDER BY c.n;
SQL
}
# $revenue_layouts_sql: every council's committee table layout 'summary' (about 20 rows: a
# heading, each area, a heading, the groups of the first two areas, the total) and its
# service_name setting, through the import views, all the councils in one load of each.
revenue_layouts_sql=$(cat <<'SQL'
INSERT INTO finmon.revenue_tables_import (council, table_name, analysis, title)
SELECT council, 'summary', '', 'Revenue budget monitoring: summary' FROM bench_council ORDER BY n;
INSERT INTO finmon.revenue_table_rows_import (council, table_name, row_number, row_type, label, line)
SELECT c.council, 'summary', row_number() OVER (PARTITION BY c.council ORDER BY r.k, r.path)::text, r.row_type, r.label, r.path
  FROM bench_council c,
       (SELECT 1 AS k, 'heading' AS row_type, 'Expenditure area' AS label, NULL::text AS path
        UNION ALL
        SELECT DISTINCT 2, 'node', split_part(line, ' > ', 1), split_part(line, ' > ', 1)
          FROM bench_revenue(1, 2019, 2019, 1, 1)
        UNION ALL SELECT 3, 'heading', 'Groups', NULL
        UNION ALL
        SELECT DISTINCT 4, 'node', split_part(line, ' > ', 2), split_part(line, ' > ', 1) || ' > ' || split_part(line, ' > ', 2)
          FROM bench_revenue(1, 2019, 2019, 1, 1)
         WHERE split_part(line, ' > ', 1) IN ('Area 01', 'Area 02')
        UNION ALL SELECT 5, 'total', 'Total', NULL) AS r
 ORDER BY c.n, 5;
INSERT INTO finmon.settings_import (council, name, value)
SELECT council, 'service_name', 'Adult Social Care' FROM bench_council ORDER BY n;
SQL
)
