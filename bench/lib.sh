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
