-- The write path: every load, reload and deletion of figures, layouts and settings goes
-- through here, and nothing else writes finmon's tables (no table carries a trigger).
--
-- A load arrives through an import view (\copy finmon.revenue_import FROM ...).  Each row is
-- checked field by field as it arrives, by the kind its format declares (write_path.c: a bad field
-- fails the load at once, naming the data row, and COPY's context names the file line); at the
-- end of the statement, finmon_data.run_load checks the whole load against the database, a
-- statement per check over all its rows, and writes it in one statement per table: the rows,
-- the audit log and the change log the period views' refresh reads.  Deleting figures goes
-- through finmon.delete_figures, which checks and logs the same way.
--
-- Each format is declared once, as data: its fields and their kinds (finmon_data.import_column),
-- its table, key and how it is tied to periods (finmon_data.import_format), and the checks that
-- need the database (finmon_data.import_check, each a query over the load's normalised rows n).

CREATE SEQUENCE finmon_data.import_batch;
COMMENT ON SEQUENCE finmon_data.import_batch IS 'Numbers each load (one COPY or INSERT statement into an import view).';
-- pg_dump keeps the load counter, so that a load after a restore is never taken for an
-- earlier one.
SELECT pg_catalog.pg_extension_config_dump('finmon_data.import_batch', '');

-- Declarations ------------------------------------------------------------------------

CREATE TABLE finmon_data.import_format (
    format text PRIMARY KEY,
    target text NOT NULL,
    timing text NOT NULL
        CHECK (timing IN ('period', 'plan year', 'month', 'measure period', 'population', 'measure', 'none')),
    capability text NOT NULL CHECK (capability IN ('finmon_editor', 'finmon_admin', 'every council')),
    row_filter text,
    replaces text[],
    key_description text NOT NULL,
    audit text NOT NULL DEFAULT 'row' CHECK (audit IN ('row', 'load')),
    prepare text,
    write_extra text,
    finish text,
    description text NOT NULL,
    file_order integer NOT NULL
);
COMMENT ON TABLE finmon_data.import_format IS
    'Each import format (finmon.<format>_import, loading <format>.csv), declared once: the table it writes and how its rows are tied to periods; finmon_data.run_load does the rest (internal).';
COMMENT ON COLUMN finmon_data.import_format.format IS 'The format''s name: the view is finmon.<format>_import.';
COMMENT ON COLUMN finmon_data.import_format.target IS 'The table the rows go to, in schema finmon_data (or finmon, for the shared definitions a reader reads; finmon_data.target_table finds it); its primary key is the format''s key.';
COMMENT ON COLUMN finmon_data.import_format.timing IS 'How a row is tied to periods, for closed periods and the audit log: ''period'' (financial_year and period), ''plan year'' (a savings target: its year and the two before), ''month'', ''measure period'' (a month or a financial year), ''population'' (a calendar year''s estimate: every period from then on), ''measure'' (a shared measure definition: every period of a council with figures for it), ''none''.';
COMMENT ON COLUMN finmon_data.import_format.capability IS 'The finmon role a loader needs, or ''every council'' (a shared or council-wide list: only a role given every council may load it).';
COMMENT ON COLUMN finmon_data.import_format.row_filter IS 'SQL condition on the table''s rows that belong to this format, where two formats share a table (revenue: analysis = '''').';
COMMENT ON COLUMN finmon_data.import_format.replaces IS 'NULL: a row replaces the row with its key. Otherwise a load replaces every row sharing these columns with a row of the load (a table layout''s rows).';
COMMENT ON COLUMN finmon_data.import_format.key_description IS 'SQL over a row naming its key, for the error when a key is loaded twice.';
COMMENT ON COLUMN finmon_data.import_format.audit IS '''row'': the audit log gets a row per changed key; ''load'': a row per council per load (the ledger, whose rows written and gone are summed per council, financial_year, period and line as ws and gs).';
COMMENT ON COLUMN finmon_data.import_format.prepare IS 'A statement run before the rows are written, given the rows as %1$s (revenue: register new budget lines).';
COMMENT ON COLUMN finmon_data.import_format.write_extra IS 'More of the writing statement: CTEs after w (rows written), gone (the old versions of rows replaced or deleted) and, for audit ''load'', ws and gs (their sums) (the ledger: its summaries).';
COMMENT ON COLUMN finmon_data.import_format.finish IS 'A statement run after the rows are written, given the councils as %1$s (the ledger: drop empty summaries).';
COMMENT ON COLUMN finmon_data.import_format.description IS 'The import view''s comment.';
COMMENT ON COLUMN finmon_data.import_format.file_order IS 'Order of the formats in the documentation.';

CREATE TABLE finmon_data.import_column (
    format text NOT NULL REFERENCES finmon_data.import_format,
    position integer NOT NULL CHECK (position > 0),
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('council', 'text', 'optional text', 'year', 'period', 'line', 'optional line',
                                       'amount', 'optional amount', 'money', 'optional money', 'count', 'optional count', 'positive', 'share',
                                       'choice', 'optional choice', 'boolean', 'date', 'optional date', 'month', 'measure period',
                                       'calendar year', 'whole', 'printed', 'places', 'periods')),
    choices text[],
    hint text,
    target_column text,
    expression text,
    description text NOT NULL,
    PRIMARY KEY (format, position),
    UNIQUE (format, name),
    CHECK ((kind IN ('choice', 'optional choice')) = (choices IS NOT NULL))
);
COMMENT ON TABLE finmon_data.import_column IS
    'The columns of each import format in file order, with what each may hold: each row''s fields are checked by kind as it arrives (internal).';
COMMENT ON COLUMN finmon_data.import_column.format IS 'The format.';
COMMENT ON COLUMN finmon_data.import_column.position IS 'Place in the file and the import view, from 1.';
COMMENT ON COLUMN finmon_data.import_column.name IS 'The file''s column (and the view''s).';
COMMENT ON COLUMN finmon_data.import_column.kind IS 'What the field may hold (see the README''s Errors): council, text, year, period, line, amount, money (pounds, to the penny), count, choice, date, month, and so on.';
COMMENT ON COLUMN finmon_data.import_column.choices IS 'For a choice, the values it may take (any case), as messages list them.';
COMMENT ON COLUMN finmon_data.import_column.hint IS 'The hint of the field''s errors, where the kind''s own does not fit.';
COMMENT ON COLUMN finmon_data.import_column.target_column IS 'The name the field has among the load''s rows (and the table column it is stored in), where it differs from the file''s.';
COMMENT ON COLUMN finmon_data.import_column.expression IS 'SQL giving the stored value from the field (%1$s), where the kind''s own conversion does not fit.';
COMMENT ON COLUMN finmon_data.import_column.description IS 'The import view column''s comment.';

CREATE TABLE finmon_data.import_derived (
    format text NOT NULL REFERENCES finmon_data.import_format,
    target_column text NOT NULL,
    expression text NOT NULL,
    PRIMARY KEY (format, target_column)
);
COMMENT ON TABLE finmon_data.import_derived IS
    'Columns of a format''s table computed from the row''s fields, such as a ledger transaction''s financial year from its posting date (internal).';
COMMENT ON COLUMN finmon_data.import_derived.format IS 'The format.';
COMMENT ON COLUMN finmon_data.import_derived.target_column IS 'The table column.';
COMMENT ON COLUMN finmon_data.import_derived.expression IS 'SQL over the row''s fields (by their names among the load''s rows).';

CREATE TABLE finmon_data.import_check (
    format text NOT NULL REFERENCES finmon_data.import_format,
    position integer NOT NULL,
    sqlstate text NOT NULL CHECK (sqlstate ~ '^[0-9A-Z]{5}$'),
    query text NOT NULL,
    PRIMARY KEY (format, position)
);
COMMENT ON TABLE finmon_data.import_check IS
    'The checks of a load that need the database or more than one row, each a query over the load''s normalised rows n giving (row_number, message, hint) for every row at fault (row_number NULL: the load as a whole). All run; the first row at fault is reported (internal).';
COMMENT ON COLUMN finmon_data.import_check.format IS 'The format.';
COMMENT ON COLUMN finmon_data.import_check.position IS 'Order among the format''s checks, for a row with several problems.';
COMMENT ON COLUMN finmon_data.import_check.sqlstate IS 'The error''s SQLSTATE.';
COMMENT ON COLUMN finmon_data.import_check.query IS 'SELECT row_number, message, hint FROM n ...: the rows at fault.';

-- Closed periods, the audit log, the change log ---------------------------------------------

CREATE TABLE finmon.closed_period (
    council text NOT NULL REFERENCES finmon.council,
    financial_year text NOT NULL CHECK (finmon.is_financial_year(financial_year)),
    period integer NOT NULL CHECK (period BETWEEN 1 AND 12),
    closed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    closed_by text NOT NULL,
    PRIMARY KEY (council, financial_year, period)
);
COMMENT ON TABLE finmon.closed_period IS
    'Periods whose figures went to committee: none of their figures can change until finmon.reopen_period(). Written by finmon.close_period() and finmon.reopen_period() only.';
COMMENT ON COLUMN finmon.closed_period.council IS 'The council.';
COMMENT ON COLUMN finmon.closed_period.financial_year IS 'YYYY-YY.';
COMMENT ON COLUMN finmon.closed_period.period IS '1 to 12.';
COMMENT ON COLUMN finmon.closed_period.closed_at IS 'When it was closed.';
COMMENT ON COLUMN finmon.closed_period.closed_by IS 'The role that closed it (the session''s role).';
SELECT pg_catalog.pg_extension_config_dump('finmon.closed_period', '');

CREATE TABLE finmon_data.audit_log (
    id bigserial PRIMARY KEY,
    council text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    changed_by text NOT NULL,
    action text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'truncate', 'close', 'reopen', 'grant', 'revoke', 'rename')),
    table_name text NOT NULL,
    financial_year text,
    period integer,
    key jsonb,
    old_values jsonb,
    new_values jsonb,
    reason text
);
CREATE INDEX audit_log_council_period ON finmon_data.audit_log (council, financial_year, period);
COMMENT ON TABLE finmon_data.audit_log IS
    'Every change to figures, commentary, table layouts, settings and councils, every close and reopen of a period and every grant of a council: who, when, which table and key, old and new values. Written by finmon''s write path only; an admin reads its own councils'' rows.';
COMMENT ON COLUMN finmon_data.audit_log.id IS 'Order of the changes.';
COMMENT ON COLUMN finmon_data.audit_log.council IS 'The council whose figures changed; ''*'' for a change to what every council shares (measure definitions).';
COMMENT ON COLUMN finmon_data.audit_log.changed_at IS 'When (the start of the changing transaction).';
COMMENT ON COLUMN finmon_data.audit_log.changed_by IS 'The role the session ran as (finmon.acting_role(): its login, or the role it SET ROLE to).';
COMMENT ON COLUMN finmon_data.audit_log.action IS '''insert'', ''update'', ''delete'', ''close'', ''reopen'', ''grant'', ''revoke'' or ''rename'' (''truncate'': a TRUNCATE under finmon 1.0).';
COMMENT ON COLUMN finmon_data.audit_log.table_name IS 'The table changed (closed_period for a close or reopen, council_grant for a grant).';
COMMENT ON COLUMN finmon_data.audit_log.financial_year IS 'The financial year of the row changed, where it has one.';
COMMENT ON COLUMN finmon_data.audit_log.period IS 'Its period, where it has one.';
COMMENT ON COLUMN finmon_data.audit_log.key IS 'The row''s key (its primary key columns); for a ledger load, the number of transactions.';
COMMENT ON COLUMN finmon_data.audit_log.old_values IS 'The row before the change (NULL for an insert).';
COMMENT ON COLUMN finmon_data.audit_log.new_values IS 'The row after the change (NULL for a delete); for a ledger load, its totals.';
COMMENT ON COLUMN finmon_data.audit_log.reason IS 'Why a period was reopened.';
COMMENT ON SEQUENCE finmon_data.audit_log_id_seq IS 'Numbers the rows of finmon_data.audit_log.';
SELECT pg_catalog.pg_extension_config_dump('finmon_data.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('finmon_data.audit_log_id_seq', '');

CREATE SEQUENCE finmon_data.change_number;
COMMENT ON SEQUENCE finmon_data.change_number IS 'Numbers the changes to the tables the period views are computed from.';
CREATE TABLE finmon_data.change_log (
    change bigint NOT NULL,
    council text NOT NULL,
    table_name text NOT NULL,
    financial_year text
);
CREATE INDEX change_log_council ON finmon_data.change_log (council, change);
COMMENT ON TABLE finmon_data.change_log IS
    'Which councils (and financial years) each load or deletion changed, per table: what finmon.refresh_period_views() reads to recompute only what changed. Append-only; a refresh drops what every period view has seen (internal).';
COMMENT ON COLUMN finmon_data.change_log.change IS 'The number of the change (finmon_data.change_number).';
COMMENT ON COLUMN finmon_data.change_log.council IS 'The council changed.';
COMMENT ON COLUMN finmon_data.change_log.table_name IS 'The table changed.';
COMMENT ON COLUMN finmon_data.change_log.financial_year IS 'The financial year changed; NULL for a change to every year (or a table with no years).';

-- The C side of a load -----------------------------------------------------------------------

CREATE FUNCTION finmon_data.import_begin() RETURNS trigger
    AS 'MODULE_PATHNAME', 'finmon_import_begin'
    LANGUAGE C;
COMMENT ON FUNCTION finmon_data.import_begin() IS
    'Trigger function before each statement into an import view: starts a load, reading its format''s fields and noting the role the session runs as (internal).';

CREATE FUNCTION finmon_data.import_stage() RETURNS trigger
    AS 'MODULE_PATHNAME', 'finmon_import_stage'
    LANGUAGE C;
COMMENT ON FUNCTION finmon_data.import_stage() IS
    'Trigger function instead of each row inserted into an import view: checks every field by its kind, naming the row at fault, and keeps the row for the end of the load (internal).';

CREATE FUNCTION finmon_data.load_query(view_id oid, query text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'finmon_load_query'
    LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION finmon_data.load_query(oid, text) IS
    'Runs a statement of a load''s end with the load''s rows as the relation "staged" (on a Citus node, the temporary table pg_temp.finmon_staged, dropped when the load ends); returns its first row''s first column (internal: finmon_guard only).';

CREATE FUNCTION finmon_data.load_info(view_id oid, OUT acting_role oid, OUT rows integer) RETURNS record
    AS 'MODULE_PATHNAME', 'finmon_load_info'
    LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION finmon_data.load_info(oid) IS
    'A load in progress: the role its session runs as and how many rows it holds (internal: finmon_guard only).';

CREATE FUNCTION finmon_data.import_end() RETURNS trigger
    AS 'MODULE_PATHNAME', 'finmon_import_end'
    LANGUAGE C;
COMMENT ON FUNCTION finmon_data.import_end() IS
    'Trigger function after each statement into an import view: checks and writes the load (finmon_data.run_load) and ends it, raising any problem it found with the file line (internal).';

CREATE FUNCTION finmon.line_path(line text) RETURNS text
    AS 'MODULE_PATHNAME', 'finmon_line_path'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION finmon.line_path(text) IS
    'A line as finmon keys it: its names trimmed of spaces and joined by '' > ''; NULL when a name is empty: line_path(''A >B '') is ''A > B''.';

-- Building a load's statements ------------------------------------------------------------------

-- How each kind of field is stored (%1$s is the field, trimmed, NULL when empty).
CREATE FUNCTION finmon_data.kind_expression(kind text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN kind IN ('period', 'calendar year', 'whole', 'places') THEN '%1$s::integer'
    WHEN kind = 'periods' THEN 'CASE WHEN %1$s IS NOT NULL THEN ARRAY(SELECT DISTINCT p::integer FROM pg_catalog.regexp_split_to_table(%1$s, ''[ ;,]+'') AS p WHERE p <> '''' ORDER BY 1) END'
    WHEN kind IN ('amount', 'optional amount', 'money', 'optional money', 'count', 'optional count', 'positive', 'share', 'printed') THEN '%1$s::numeric'
    WHEN kind = 'boolean' THEN 'COALESCE(%1$s::boolean, false)'
    WHEN kind IN ('date', 'optional date') THEN '%1$s::date'
    WHEN kind = 'month' THEN '(%1$s || ''-01'')::date'
    WHEN kind IN ('choice', 'optional choice') THEN 'lower(%1$s)'
    ELSE '%1$s'
END;
COMMENT ON FUNCTION finmon_data.kind_expression(text) IS
    'The SQL that turns a checked field of a kind into its stored value (internal).';

-- A load's rows normalised, as a query over the relation of its rows (see load_query): load_row,
-- load_line, then each column under its table name, the derived ones last.
CREATE FUNCTION finmon_data.load_rows_sql(format text, default_council text, rows_relation text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c record;
    fields text := '';
    derived text;
BEGIN
    FOR c IN SELECT * FROM finmon_data.import_column x WHERE x.format = load_rows_sql.format ORDER BY x.position LOOP
        IF c.kind = 'council' THEN
            fields := fields || format(', COALESCE(s.%I, %L::text) AS council', c.name, default_council);
        ELSE
            fields := fields || format(', %s AS %I',
                                       format(COALESCE(c.expression, finmon_data.kind_expression(c.kind)), 's.' || quote_ident(c.name)),
                                       COALESCE(c.target_column, c.name));
        END IF;
    END LOOP;
    derived := (SELECT string_agg(format(', %s AS %I', d.expression, d.target_column), '' ORDER BY d.target_column)
                  FROM finmon_data.import_derived d WHERE d.format = load_rows_sql.format);
    RETURN format('SELECT f.*%s FROM (SELECT s.load_row, s.load_line%s FROM %s s) f', COALESCE(derived, ''), fields, rows_relation);
END;
$$;
COMMENT ON FUNCTION finmon_data.load_rows_sql(text, text, text) IS
    'The query giving a load''s rows as they will be stored, from the relation of its checked fields (internal).';

-- A format's table: in finmon_data with the other figures, or in finmon for the shared
-- definitions a reader reads (councils, settings, populations, measure definitions).
CREATE FUNCTION finmon_data.target_table(table_name text) RETURNS regclass
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN COALESCE(pg_catalog.to_regclass('finmon_data.' || pg_catalog.quote_ident(table_name)),
                pg_catalog.to_regclass('finmon.' || pg_catalog.quote_ident(table_name)));
COMMENT ON FUNCTION finmon_data.target_table(text) IS
    'The table an import format''s target names, in finmon_data or finmon (internal).';

-- The columns of a format's table that a load writes: those its rows give, and the load's own.
-- (PL/pgSQL: on Citus 13.2 a SQL function cannot read a distributed or reference table.)
CREATE FUNCTION finmon_data.target_columns(format text) RETURNS text[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (SELECT array_agg(a.attname::text ORDER BY a.attnum)
              FROM finmon_data.import_format f
              JOIN pg_catalog.pg_attribute a
                ON a.attrelid = finmon_data.target_table(f.target) AND a.attnum > 0 AND NOT a.attisdropped
             WHERE f.format = target_columns.format
               AND (a.attname IN ('loaded_at', 'import_batch', 'import_row')
                    OR EXISTS (SELECT FROM finmon_data.import_column c
                                WHERE c.format = f.format AND COALESCE(c.target_column, c.name) = a.attname)
                    OR EXISTS (SELECT FROM finmon_data.import_derived d WHERE d.format = f.format AND d.target_column = a.attname)));
END;
$$;
COMMENT ON FUNCTION finmon_data.target_columns(text) IS 'The table columns a load of the format writes (internal).';

-- The primary key of a format's table, in order.
CREATE FUNCTION finmon_data.key_columns(table_name text) RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
        SELECT array_agg(a.attname::text ORDER BY k.n)
          FROM pg_catalog.pg_index i
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE i.indrelid = finmon_data.target_table(key_columns.table_name)
           AND i.indisprimary;
    END;
COMMENT ON FUNCTION finmon_data.key_columns(text) IS 'A finmon table''s primary key columns, in order (internal).';

-- The (council, financial_year, period) each row of a relation r is tied to, by timing; a NULL
-- period is every period of the year.
CREATE FUNCTION finmon_data.timing_sql(timing text, relation text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE timing
    WHEN 'period' THEN format('SELECT r.council, r.financial_year, r.period FROM %s r', relation)
    -- (a VALUES list, not a UNION of subqueries without FROM, which Citus cannot plan)
    WHEN 'plan year' THEN format(
        'SELECT r.council, y.financial_year, NULL::integer AS period FROM %s r '
        'CROSS JOIN LATERAL (VALUES (r.financial_year), '
        '(CASE WHEN substr(r.financial_year, 1, 4)::integer > 1 THEN finmon.previous_financial_year(r.financial_year) END), '
        '(CASE WHEN substr(r.financial_year, 1, 4)::integer > 2 '
        'THEN finmon.previous_financial_year(finmon.previous_financial_year(r.financial_year)) END)) AS y(financial_year) '
        'WHERE y.financial_year IS NOT NULL', relation)
    WHEN 'month' THEN format(
        'SELECT r.council, finmon.financial_year_of(r.month) AS financial_year, finmon.period_of(r.month) AS period FROM %s r', relation)
    WHEN 'measure period' THEN format(
        'SELECT r.council, CASE WHEN m.month IS NULL THEN r.period ELSE finmon.financial_year_of(m.month) END AS financial_year, '
        'finmon.period_of(m.month) AS period FROM %s r CROSS JOIN LATERAL (SELECT finmon.period_month(r.period) AS month) m', relation)
    ELSE format('SELECT NULL::text AS council, NULL::text AS financial_year, NULL::integer AS period FROM %s r WHERE false',
                relation)
END;
COMMENT ON FUNCTION finmon_data.timing_sql(text, text) IS
    'SQL giving the council, financial year and period (NULL: every period of the year) each row of a relation is tied to, by a format''s timing (internal).';

-- The closed periods a relation r of rows of a format would change.
CREATE FUNCTION finmon_data.closed_hits_sql(timing text, relation text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE timing
    -- an estimate for a calendar year is used by every month from that year on
    WHEN 'population' THEN format(
        'SELECT c.council, c.financial_year, c.period FROM %s r JOIN finmon.closed_period c '
        'ON c.council = r.council AND extract(year FROM finmon.period_end(c.financial_year, c.period)) >= r.year', relation)
    -- a shared definition changes the figures of every council with counts, values or targets for it
    WHEN 'measure' THEN format(
        'SELECT c.council, c.financial_year, c.period FROM %s r JOIN finmon.closed_period c '
        'ON EXISTS (SELECT FROM finmon_data.activity a WHERE a.council = c.council AND a.measure = r.measure) '
        'OR EXISTS (SELECT FROM finmon_data.published_value v WHERE v.council = c.council AND v.measure = r.measure) '
        'OR EXISTS (SELECT FROM finmon_data.measure_target t WHERE t.council = c.council AND t.measure = r.measure)', relation)
    -- a period's figures run from April to it: closing a period closes its year to date
    ELSE format(
        -- (the rows' distinct years and periods first: a few, however many rows)
        'SELECT c.council, c.financial_year, c.period FROM (SELECT DISTINCT p.* FROM (%s) p) p JOIN finmon.closed_period c '
        'ON c.council = p.council AND c.financial_year = p.financial_year AND (p.period IS NULL OR c.period >= p.period)',
        finmon_data.timing_sql(timing, relation))
END;
COMMENT ON FUNCTION finmon_data.closed_hits_sql(text, text) IS
    'SQL giving the closed periods that rows of a relation would change, by a format''s timing (internal).';

-- The audit log's financial_year and period for a row given as jsonb (j).
CREATE FUNCTION finmon_data.audit_period_sql(timing text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE timing
    WHEN 'period' THEN '(j ->> ''financial_year''), (j ->> ''period'')::integer'
    WHEN 'plan year' THEN '(j ->> ''financial_year''), NULL::integer'
    WHEN 'month' THEN 'finmon.financial_year_of((j ->> ''month'')::date), finmon.period_of((j ->> ''month'')::date)'
    WHEN 'measure period' THEN
        'COALESCE(finmon.financial_year_of(finmon.period_month(j ->> ''period'')), j ->> ''period''), '
        'finmon.period_of(finmon.period_month(j ->> ''period''))'
    ELSE 'NULL::text, NULL::integer'
END;
COMMENT ON FUNCTION finmon_data.audit_period_sql(text) IS
    'SQL giving an audit row''s financial year and period from the changed row (j, jsonb), by a format''s timing (internal).';

-- A row's own financial year and period (x: the row), by timing: what delete_figures filters.
CREATE FUNCTION finmon_data.row_year_sql(timing text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE timing
    WHEN 'month' THEN 'finmon.financial_year_of(x.month)'
    WHEN 'measure period' THEN 'COALESCE(finmon.financial_year_of(finmon.period_month(x.period)), x.period)'
    ELSE 'x.financial_year'
END;
COMMENT ON FUNCTION finmon_data.row_year_sql(text) IS
    'SQL giving a row''s own financial year (x: the row), by a format''s timing (internal).';

CREATE FUNCTION finmon_data.row_period_sql(timing text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN CASE timing
    WHEN 'month' THEN 'finmon.period_of(x.month)'
    WHEN 'measure period' THEN 'finmon.period_of(finmon.period_month(x.period))'
    ELSE 'x.period'
END;
COMMENT ON FUNCTION finmon_data.row_period_sql(text) IS
    'SQL giving a row''s own period (x: the row), by a format''s timing (internal).';

-- The statement that writes a change: the rows (n; NULL for a deletion) replacing or deleting
-- the old rows (o), the audit log, the change log and the format's own extra writing.
CREATE FUNCTION finmon_data.write_sql(format text, rows_sql text, old_sql text, batch bigint, acting text,
                                 replacing boolean DEFAULT true) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f finmon_data.import_format;
    target text;
    keys text[];
    columns text[];
    shared boolean;
    has_year boolean;
    key_json text;
    key_match text;
    values_changed text;
    written text;
    audit text;
    council_of text;
    touched text;
BEGIN
    SELECT * INTO STRICT f FROM finmon_data.import_format x WHERE x.format = write_sql.format;
    target := finmon_data.target_table(f.target)::text;
    keys := finmon_data.key_columns(f.target);
    columns := finmon_data.target_columns(f.format);
    shared := NOT ('council' = ANY (keys));
    has_year := EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = target::regclass AND a.attname = 'financial_year'
                                                      AND NOT a.attisdropped);
    key_json := (SELECT 'jsonb_build_object(' || string_agg(format('%L, x.%I', k, k), ', ') || ')' FROM unnest(keys) AS k);

    key_match := (SELECT string_agg(format('t.%1$I = o.%1$I', k), ' AND ') FROM unnest(keys) AS k);
    values_changed := (SELECT format('(%s) IS DISTINCT FROM (%s)', string_agg('t.' || quote_ident(c), ', '),
                                     string_agg('excluded.' || quote_ident(c), ', '))
                         FROM unnest(columns) AS c
                        WHERE c <> ALL (keys) AND c NOT IN ('loaded_at', 'import_batch', 'import_row')
                       HAVING count(*) > 0);
    IF rows_sql IS NULL THEN
        -- a deletion: nothing written; the old rows go
        written := format('w AS (SELECT o.* FROM o WHERE false), gone AS (DELETE FROM %s t USING o WHERE %s RETURNING t.*)',
                          target, key_match);
    ELSE
        -- a load: new rows are inserted, those loaded before replaced (taking the new load's
        -- place in the file order, which reports list rows in; a shared definition, such as a
        -- measure, keeps the place it was first defined at, and one loaded again unchanged is
        -- left as it was, so that one council's load does not reorder another's reports); for
        -- a format that replaces whole groups, the group's other rows go.  When the load
        -- replaces nothing (not replacing: its councils are locked and none of its keys is
        -- there), a plain INSERT, which is cheaper than one that looks for conflicts.
        written := format(
            'd AS (%s), '
            'w AS (INSERT INTO %s AS t (%s) SELECT %s FROM n %s %s RETURNING %s), '
            'gone AS (SELECT o.* FROM o %s UNION ALL SELECT d.* FROM d)',
            -- (the old keys EXCEPT the load's, which are never NULL: a hashed or sorted set
            -- operation whatever the estimates, where NOT EXISTS became a scan of the load per
            -- old row, 28 s to reload 14,090 packages, and NOT IN, hashed only while the keys fit
            -- the hash memory, ran for minutes on Citus workers)
            CASE WHEN f.replaces IS NOT NULL THEN
                format('DELETE FROM %s t USING (SELECT %s FROM o EXCEPT SELECT %s FROM n) o WHERE %s RETURNING t.*', target,
                       (SELECT string_agg('o.' || quote_ident(k), ', ') FROM unnest(keys) AS k),
                       (SELECT string_agg('n.' || quote_ident(k), ', ') FROM unnest(keys) AS k), key_match)
                 ELSE 'SELECT o.* FROM o WHERE false' END,
            target,
            (SELECT string_agg(quote_ident(c), ', ') FROM unnest(columns) AS c),
            (SELECT string_agg(CASE c WHEN 'loaded_at' THEN 'pg_catalog.now()' WHEN 'import_batch' THEN batch::text
                                      WHEN 'import_row' THEN 'n.load_row' ELSE 'n.' || quote_ident(c) END, ', ')
               FROM unnest(columns) AS c),
            -- a council's row is always replaced, so every old row goes; the old rows are read
            -- (through the key) before the first is written, not while the table changes under them
            CASE WHEN NOT shared THEN 'WHERE (SELECT count(*) FROM o) >= 0' ELSE '' END,
            CASE WHEN NOT replacing THEN ''
                 ELSE format('ON CONFLICT ON CONSTRAINT %I DO ', f.target || '_pkey') ||
                      CASE WHEN shared AND values_changed IS NULL THEN 'NOTHING'
                           WHEN shared THEN format('UPDATE SET %s WHERE %s',
                                       (SELECT string_agg(format('%1$I = excluded.%1$I', c), ', ') FROM unnest(columns) AS c
                                         WHERE c <> ALL (keys) AND c NOT IN ('import_batch', 'import_row')), values_changed)
                           ELSE format('UPDATE SET %s',
                                       (SELECT string_agg(format('%1$I = excluded.%1$I', c), ', ') FROM unnest(columns) AS c
                                         WHERE c <> ALL (keys))) END END,
            -- (of a ledger load, only what its sums read)
            CASE WHEN f.audit = 'load' THEN 't.council, t.financial_year, t.period, t.line, t.amount' ELSE 't.*' END,
            -- a shared definition's row is replaced only when its values change; of a group the
            -- load replaces whole, the rows it loads again (d has the others)
            CASE WHEN shared THEN format('WHERE EXISTS (SELECT FROM w t WHERE %s)', key_match)
                 WHEN f.replaces IS NOT NULL THEN
                      format('WHERE EXISTS (SELECT FROM n WHERE %s)',
                             (SELECT string_agg(format('n.%1$I = o.%1$I', k), ' AND ') FROM unnest(keys) AS k))
                 ELSE '' END);
    END IF;

    IF f.audit = 'load' THEN
        -- the rows written and gone, summed once per council, year, period and line (ws, gs):
        -- what the audit row, the change log, the summaries and the count read
        written := written || ', '
            'ws AS (SELECT x.council, x.financial_year, x.period, x.line, count(*) AS k, sum(x.amount) AS amount '
            '       FROM w x GROUP BY x.council, x.financial_year, x.period, x.line), '
            'gs AS (SELECT x.council, x.financial_year, x.period, x.line, count(*) AS k, sum(x.amount) AS amount '
            '       FROM gone x GROUP BY x.council, x.financial_year, x.period, x.line)';
        -- one row per council: the transactions loaded, or deleted
        -- (totals per council and year first, then per council: no sort of the rows)
        audit := format(
            'SELECT x.council, %L, %L, CASE WHEN min(x.financial_year) = max(x.financial_year) THEN min(x.financial_year) END, '
            'CASE WHEN min(x.financial_year) = max(x.financial_year) AND min(x.first_period) = max(x.last_period) THEN min(x.first_period) END, '
            'jsonb_build_object(''transactions'', sum(x.transactions)), NULL::jsonb, '
            'jsonb_build_object(''transactions'', sum(x.transactions), ''amount'', sum(x.amount), '
            '''financial_years'', array_agg(x.financial_year ORDER BY x.financial_year), ''import_batch'', %s) '
            'FROM (SELECT y.council, y.financial_year, sum(y.k) AS transactions, sum(y.amount) AS amount, '
            '             min(y.period) AS first_period, max(y.period) AS last_period FROM %s y GROUP BY y.council, y.financial_year) x '
            'GROUP BY x.council',
            CASE WHEN rows_sql IS NULL THEN 'delete' ELSE 'insert' END, f.target, COALESCE(batch::text, 'NULL'),
            CASE WHEN rows_sql IS NULL THEN 'gs' ELSE 'ws' END);
    ELSE
        -- one row per key changed: its old and new values
        audit := format(
            'SELECT COALESCE(c.new_values ->> ''council'', c.old_values ->> ''council'', ''*''), '
            'CASE WHEN c.old_values IS NULL THEN ''insert'' WHEN c.new_values IS NULL THEN ''delete'' ELSE ''update'' END, %L, '
            'p.*, c.key, c.old_values, c.new_values '
            'FROM (SELECT COALESCE(nw.key, ol.key) AS key, ol.j AS old_values, nw.j AS new_values '
            '      FROM (SELECT %s AS key, to_jsonb(x) AS j FROM w x) nw '
            '      FULL JOIN (SELECT %s AS key, to_jsonb(x) AS j FROM gone x) ol ON ol.key = nw.key) c '
            'CROSS JOIN LATERAL (SELECT %s FROM (SELECT COALESCE(c.new_values, c.old_values) AS j) j) p '
            -- a row loaded again with the same figures is not a change
            'WHERE c.old_values IS NULL OR c.new_values IS NULL '
            '   OR c.old_values - ''loaded_at'' - ''import_batch'' - ''import_row'' '
            '      IS DISTINCT FROM c.new_values - ''loaded_at'' - ''import_batch'' - ''import_row''',
            f.target, key_json, key_json, finmon_data.audit_period_sql(f.timing));
    END IF;

    -- the councils and years the change touched, for the change log and the finish step
    -- (a shared definition new to the database changes no council's figures: a council's
    -- figures of it come later, and note their own change; one changed or deleted may change any)
    council_of := CASE WHEN shared THEN '''*''::text' ELSE 'x.council' END;
    touched := format('SELECT %1$s AS council, %2$s AS financial_year FROM %4$s x %3$s UNION ALL SELECT %1$s, %2$s FROM %5$s x',
                      council_of, CASE WHEN has_year THEN 'x.financial_year' ELSE 'NULL::text' END,
                      CASE WHEN shared THEN 'WHERE false' END,
                      CASE WHEN f.audit = 'load' THEN 'ws' ELSE 'w' END, CASE WHEN f.audit = 'load' THEN 'gs' ELSE 'gone' END);
    RETURN format(
        'WITH %s o AS (%s), %s, '
        'a AS (INSERT INTO finmon_data.audit_log (council, changed_by, action, table_name, financial_year, period, key, old_values, new_values) '
        '      SELECT a.council, %L, a.action, a.table_name, a.financial_year, a.period, a.key, a.old_values, a.new_values '
        '      FROM (%s) a(council, action, table_name, financial_year, period, key, old_values, new_values)), '
        'ch AS (INSERT INTO finmon_data.change_log (change, council, table_name, financial_year) '
        '       SELECT nextval(''finmon_data.change_number''), x.council, %L, x.financial_year '
        '       FROM (SELECT DISTINCT x.council, x.financial_year FROM (%s) x) x) %s '
        'SELECT jsonb_build_object(''rows'', %s, '
        '                          ''councils'', (SELECT COALESCE(jsonb_agg(DISTINCT x.council), ''[]'') FROM (%s) x))',
        CASE WHEN rows_sql IS NULL THEN '' ELSE format('n AS (%s),', rows_sql) END,
        old_sql, written, acting, audit, f.target, touched, COALESCE(', ' || f.write_extra, ''),
        CASE WHEN f.audit = 'load' THEN '(SELECT COALESCE(sum(k), 0) FROM ws) + (SELECT COALESCE(sum(k), 0) FROM gs)'
             ELSE '(SELECT count(*) FROM w) + (SELECT count(*) FROM gone)' END,
        touched);
END;
$$;
COMMENT ON FUNCTION finmon_data.write_sql(text, text, text, bigint, text, boolean) IS
    'The statement that writes a load (or, with no rows, a deletion): the rows, the audit log and the change log; replacing false: none of the load''s keys is loaded yet, so a plain INSERT. Its CTEs: n the load''s rows, o the rows they may replace, w the rows written, gone the old versions of rows changed or deleted (internal).';

-- Waits for, then holds until the transaction ends, each council's write lock (in order, so
-- that two writers never wait for each other in a cycle): one writer per council at a time,
-- and refreshes and closes wait for loads in progress.
CREATE FUNCTION finmon_data.lock_councils(councils text[], shared boolean DEFAULT false) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c text;
BEGIN
    FOR c IN SELECT DISTINCT x FROM unnest(councils) AS x WHERE x IS NOT NULL ORDER BY 1 LOOP
        IF shared THEN
            PERFORM pg_advisory_xact_lock_shared(hashtext('finmon council'), hashtext(c));
        ELSE
            PERFORM pg_advisory_xact_lock(hashtext('finmon council'), hashtext(c));
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION finmon_data.lock_councils(text[], boolean) IS
    'Takes each council''s write lock (an advisory lock), in order, until the transaction ends; shared for a refresh (internal).';

-- Figures change only at READ COMMITTED: each statement of a load sees what committed
-- before it, so a period closed meanwhile is seen.
CREATE FUNCTION finmon_data.require_read_committed(what text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = '25000',
            MESSAGE = format('%s: figures can change only at READ COMMITTED, not %s', what,
                             upper(current_setting('transaction_isolation')));
    END IF;
END;
$$;
COMMENT ON FUNCTION finmon_data.require_read_committed(text) IS
    'Raises 25000 unless the transaction is at READ COMMITTED (internal).';

-- A financial year and period a call names, checked (each may be NULL where optional).
CREATE FUNCTION finmon_data.require_year_and_period(financial_year text, period integer, optional boolean DEFAULT false)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (financial_year IS NOT NULL OR NOT optional) AND NOT COALESCE(finmon.is_financial_year(btrim(financial_year)), false) THEN
        RAISE EXCEPTION USING ERRCODE = '22007', MESSAGE = format('invalid financial year "%s"', financial_year),
            HINT = 'A financial year is written YYYY-YY, the second year following the first, as in "2018-19".';
    END IF;
    IF (period IS NOT NULL OR NOT optional) AND NOT COALESCE(period BETWEEN 1 AND 12, false) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('invalid period "%s"', period),
            HINT = 'Periods run from 1 (April) to 12 (March).';
    END IF;
END;
$$;
COMMENT ON FUNCTION finmon_data.require_year_and_period(text, integer, boolean) IS
    'Raises 22007 for a financial year that is not YYYY-YY, 22023 for a period outside 1 to 12 (or either missing, unless optional) (internal).';

-- Loading -------------------------------------------------------------------------------------

-- The problem a load reports when a period it would change is closed: a row at fault (a key
-- twice, when not yet checked) comes first.
CREATE FUNCTION finmon_data.load_problem(view_id oid, view_name text, rows_sql text, first_problem text, twice text,
                                    twice_checked boolean, hit jsonb, target text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    problem jsonb := CASE WHEN NOT twice_checked THEN finmon_data.load_query(view_id, format(first_problem, rows_sql, twice)) END;
BEGIN
    IF problem IS NOT NULL THEN
        RETURN problem || jsonb_build_object('view', view_name);
    END IF;
    RETURN jsonb_build_object('view', finmon_data.target_table(target)::text, 'sqlstate', '55000',
        'message', format('%s period %s of council %s is closed, so its figures cannot change',
                          hit ->> 'financial_year', hit ->> 'period', hit ->> 'council'),
        'hint', format('An admin can reopen it with finmon.reopen_period(%L, %L, %s, reason).',
                       hit ->> 'council', hit ->> 'financial_year', hit ->> 'period'),
        'detail', 'Nothing of this change has been kept.');
END;
$$;
COMMENT ON FUNCTION finmon_data.load_problem(oid, text, text, text, text, boolean, jsonb, text) IS
    'The problem a load reports when it would change a closed period (hit): a key twice in the load, when not checked yet, or the closed period (55000) (internal).';

-- (JIT is off for a load: its statements are short, and compiling them costs more than it
-- saves; and its hash tables get 64MB, so that the keys of a million-row ledger file are
-- checked in memory rather than spilled to disk.)
CREATE FUNCTION finmon_data.run_load(view_id oid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    SET jit = off
    SET work_mem = '64MB'
AS $$
DECLARE
    view_name text := (SELECT c.relname FROM pg_class c WHERE c.oid = view_id);
    f finmon_data.import_format;
    load record := finmon_data.load_info(view_id);
    acting text := (SELECT r.rolname FROM pg_roles r WHERE r.oid = load.acting_role);
    scope text[] := finmon_data.role_councils(load.acting_role);
    shared boolean;
    keys text[];
    default_council text := finmon.default_council();
    councils integer := (SELECT count(*) FROM finmon.council);
    rows_sql text;
    old_sql text;
    checks text;
    problem jsonb;
    closed jsonb;
    result jsonb;
    batch bigint;
    twice text;
    twice_checked boolean := false;
    first_problem text;
    -- on a Citus node the load's rows are a temporary table, pg_temp.finmon_staged, not the
    -- relation "staged" (finmon_data.load_query), and a subquery kept from being flattened
    -- (OFFSET 0, a plan fence for one server) cannot be planned beside it: the fences go
    on_citus boolean := EXISTS (SELECT FROM pg_catalog.pg_extension e WHERE e.extname = 'citus');
BEGIN
    SELECT * INTO STRICT f FROM finmon_data.import_format x WHERE x.format = substr(view_name, 1, length(view_name) - 7);
    PERFORM finmon_data.require_read_committed(view_name);
    IF on_citus THEN
        -- a load writes reference tables (the audit and change logs, the shared definitions)
        -- in the transaction that reads and writes the distributed ones: Citus needs one
        -- connection per node for that (a setting of the transaction)
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
    END IF;
    IF load.rows = 0 THEN
        RETURN NULL;
    END IF;
    keys := finmon_data.key_columns(f.target);
    shared := NOT ('council' = ANY (keys));
    IF f.capability = 'every council' AND scope IS NOT NULL THEN
        RETURN jsonb_build_object('view', view_name, 'sqlstate', '42501',
            'message', format('only a role given every council may load %s.csv', f.format),
            'hint', CASE f.format WHEN 'measures' THEN 'Measure definitions are shared by every council. ' ELSE '' END
                    || 'The owner of finmon gives a role every council with finmon.grant_council(role, ''*'').');
    END IF;
    rows_sql := finmon_data.load_rows_sql(f.format, CASE WHEN shared THEN NULL ELSE default_council END,
                                          CASE WHEN on_citus THEN 'pg_temp.finmon_staged' ELSE 'staged' END);

    -- Every check, each one statement over all the load's rows; the first row at fault is reported.
    checks := (SELECT string_agg(format('SELECT q.row_number, %s AS check_order, %L AS sqlstate, q.message, q.hint FROM (%s) q(row_number, message, hint)',
                                        100 + c.position, c.sqlstate, c.query), ' UNION ALL ' ORDER BY c.position)
                 FROM finmon_data.import_check c WHERE c.format = f.format);
    IF NOT shared AND f.format <> 'council' THEN
        checks := concat_ws(' UNION ALL ',
            format($q$SELECT n.load_row, 1, CASE WHEN n.council IS NULL THEN '22004' WHEN c.council IS NULL THEN '23503' ELSE '42501' END,
                      CASE WHEN n.council IS NULL THEN
                               CASE %1$s WHEN 0 THEN 'council is empty and no council is defined'
                                         ELSE 'council is empty and the database holds %1$s councils' END
                           WHEN c.council IS NULL THEN format('council "%%s" is not defined', n.council)
                           ELSE format('council "%%s" is not one whose figures you may change', n.council) END,
                      CASE WHEN n.council IS NULL THEN
                               CASE %1$s WHEN 0 THEN 'Load councils.csv (council,name) into finmon.council_import first.'
                                         ELSE 'Give each row its council, or SET finmon.council = ''<code>'' before loading.' END
                           WHEN c.council IS NULL THEN 'Load it into finmon.council_import (councils.csv: council,name) first, or correct the code.'
                           ELSE 'An admin of the council, or the owner of finmon, gives a role a council with finmon.grant_council(role, council).' END
                 FROM n LEFT JOIN finmon.council c ON c.council = n.council
                WHERE n.council IS NULL OR c.council IS NULL OR NOT (%2$s)$q$,
                   councils,
                   CASE WHEN scope IS NULL THEN 'true' ELSE format('n.council = ANY (%L::text[])', scope) END),
            checks);
    END IF;
    -- A key twice in the load: checked with the others when they find a problem, else before a
    -- write that may replace rows, and for a plain INSERT, which the table's primary key makes
    -- fail on such a key, only then (a hash of every key of a million-row load costs seconds).
    twice := format(
        $q$SELECT x.load_row, 2, '23505', format('%%s appears twice in this load (first at row %%s)', %1$s, d.first_row), NULL
             FROM n x JOIN (SELECT %2$s, min(n.load_row) AS first_row FROM n GROUP BY %2$s HAVING count(*) > 1) d USING (%2$s)
            WHERE x.load_row > d.first_row$q$,
        f.key_description, (SELECT string_agg(quote_ident(k), ', ') FROM unnest(keys) AS k));
    IF on_citus THEN
        checks := replace(checks, ' OFFSET 0)', ')');
    END IF;
    first_problem := 'WITH n AS (%s) SELECT to_jsonb(p) FROM (SELECT q.*, (SELECT n.load_line FROM n WHERE n.load_row = q.row_number) AS file_line '
                     'FROM (%s) q(row_number, check_order, sqlstate, message, hint) ORDER BY q.row_number NULLS LAST, q.check_order LIMIT 1) p';
    IF checks IS NOT NULL THEN
        problem := finmon_data.load_query(view_id, format(first_problem, rows_sql, checks));
    END IF;
    IF problem IS NOT NULL OR checks IS NULL THEN
        problem := finmon_data.load_query(view_id, format(first_problem, rows_sql, concat_ws(' UNION ALL ', checks, twice)));
        twice_checked := true;
    END IF;
    IF problem IS NOT NULL THEN
        RETURN problem || jsonb_build_object('view', view_name);
    END IF;

    -- One writer per council at a time; then no period the load would change may be closed.
    PERFORM finmon_data.lock_councils(ARRAY(SELECT jsonb_array_elements_text(finmon_data.load_query(view_id, format(
        'WITH n AS (%s) SELECT COALESCE(jsonb_agg(d.council), ''[]'') FROM (SELECT DISTINCT %s AS council FROM n) d', rows_sql,
        CASE WHEN shared THEN '''*''::text' ELSE 'n.council' END)))));
    -- The rows a load may replace: those with its keys, or of the groups it replaces whole.
    old_sql := CASE WHEN f.replaces IS NOT NULL THEN
                   format('SELECT t.* FROM %s t WHERE (%s) IN (SELECT %s FROM n)', finmon_data.target_table(f.target),
                          (SELECT string_agg('t.' || quote_ident(k), ', ') FROM unnest(f.replaces) AS k),
                          (SELECT string_agg('n.' || quote_ident(k), ', ') FROM unnest(f.replaces) AS k))
               -- each key of the load looked up through the table's primary key, whatever the
               -- table's statistics say (a hash of a whole year's ledger, or a scan per row of a
               -- partition that the load is filling, would cost far more)
               ELSE format('SELECT t.* FROM (SELECT %s FROM n) k CROSS JOIN LATERAL '
                           '(SELECT t.* FROM %s t WHERE %s%s) t',
                           (SELECT string_agg(quote_ident(k), ', ') FROM unnest(keys) AS k), finmon_data.target_table(f.target),
                           (SELECT string_agg(format('t.%1$I = k.%1$I', k), ' AND ') FROM unnest(keys) AS k),
                           CASE WHEN NOT on_citus THEN ' OFFSET 0' END) END;
    -- The closed periods the load's own rows fall in; then, as for a row at fault, nothing is
    -- written, and the earliest closed period it would change, counting the rows it would
    -- replace, is the one named.
    problem := finmon_data.load_query(view_id, format(
        'WITH n AS (%s) SELECT to_jsonb(h) FROM (%s) h ORDER BY h.council, h.financial_year, h.period LIMIT 1',
        rows_sql, finmon_data.closed_hits_sql(CASE WHEN f.timing = 'measure' THEN 'none' ELSE f.timing END, 'n')));
    IF problem IS NOT NULL THEN
        problem := finmon_data.load_query(view_id, format(
            'WITH n AS (%s), o AS MATERIALIZED (%s) SELECT to_jsonb(h) FROM (%s UNION ALL %s) h '
            'ORDER BY h.council, h.financial_year, h.period LIMIT 1',
            rows_sql, old_sql, finmon_data.closed_hits_sql(CASE WHEN f.timing = 'measure' THEN 'none' ELSE f.timing END, 'n'),
            finmon_data.closed_hits_sql(f.timing, 'o')));
        RETURN finmon_data.load_problem(view_id, view_name, rows_sql, first_problem, twice, twice_checked, problem, f.target);
    END IF;

    batch := nextval('finmon_data.import_batch');
    IF f.prepare IS NOT NULL THEN
        PERFORM finmon_data.load_query(view_id, format(f.prepare, rows_sql));
    END IF;
    -- Rows with a key of their own are first written as a plain INSERT, which finds no old row to
    -- probe for when the keys are new (a month's ledger, a new period's figures); the primary key
    -- refuses the INSERT when a key is there already (or twice in the load), and then, the
    -- INSERT undone, the rows the load replaces are read and the load written over them.
    IF f.replaces IS NULL THEN
        BEGIN
            result := finmon_data.load_query(view_id, finmon_data.write_sql(f.format, rows_sql,
                                                                  format('SELECT t.* FROM %s t WHERE false', finmon_data.target_table(f.target)),
                                                                  batch, acting, false));
        EXCEPTION WHEN unique_violation THEN
            result := NULL;
        END;
    END IF;
    IF result IS NULL THEN
        IF NOT twice_checked THEN
            twice_checked := true;
            problem := finmon_data.load_query(view_id, format(first_problem, rows_sql, twice));
            IF problem IS NOT NULL THEN
                RETURN problem || jsonb_build_object('view', view_name);
            END IF;
        END IF;
        -- the closed periods of the rows replaced or deleted
        closed := finmon_data.load_query(view_id, format(
            'WITH n AS (%s), o AS MATERIALIZED (%s) '
            'SELECT jsonb_build_object(''hit'', (SELECT to_jsonb(h) FROM (%s) h ORDER BY h.council, h.financial_year, h.period LIMIT 1), '
            '                          ''replacing'', EXISTS (SELECT FROM o))',
            rows_sql, old_sql, finmon_data.closed_hits_sql(f.timing, 'o')));
        problem := NULLIF(closed -> 'hit', 'null'::jsonb);
        IF problem IS NOT NULL THEN
            RETURN finmon_data.load_problem(view_id, view_name, rows_sql, first_problem, twice, twice_checked, problem, f.target);
        END IF;
        result := finmon_data.load_query(view_id, finmon_data.write_sql(f.format, rows_sql,
                                                              CASE WHEN (closed ->> 'replacing')::boolean THEN old_sql
                                                                   ELSE format('SELECT t.* FROM %s t WHERE false', finmon_data.target_table(f.target)) END,
                                                              batch, acting, (closed ->> 'replacing')::boolean));
    END IF;
    IF f.finish IS NOT NULL THEN
        EXECUTE format(f.finish, quote_literal(ARRAY(SELECT jsonb_array_elements_text(result -> 'councils'))::text));
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION finmon_data.run_load(oid) IS
    'The end of a load through an import view: checks all its rows against the database (a statement per check), refuses a change to a closed period, and writes the rows, the audit log and the change log; returns the first problem found (jsonb), which nothing has then been written for, or NULL (internal).';

-- The import views, made from their declarations: each reads as empty; inserting into it
-- (INSERT or COPY) is a load.
CREATE FUNCTION finmon_data.create_import_view(format text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f finmon_data.import_format;
    c record;
    view_name text := format || '_import';
BEGIN
    SELECT * INTO STRICT f FROM finmon_data.import_format x WHERE x.format = create_import_view.format;
    EXECUTE format('CREATE VIEW finmon.%I AS SELECT %s WHERE false', view_name,
                   (SELECT string_agg(format('NULL::text AS %I', x.name), ', ' ORDER BY x.position)
                      FROM finmon_data.import_column x WHERE x.format = f.format));
    EXECUTE format('COMMENT ON VIEW finmon.%I IS %L', view_name, f.description);
    FOR c IN SELECT * FROM finmon_data.import_column x WHERE x.format = f.format LOOP
        EXECUTE format('COMMENT ON COLUMN finmon.%I.%I IS %L', view_name, c.name, c.description);
    END LOOP;
    EXECUTE format('CREATE TRIGGER import_begin BEFORE INSERT ON finmon.%I FOR EACH STATEMENT EXECUTE FUNCTION finmon_data.import_begin()', view_name);
    EXECUTE format('CREATE TRIGGER import_stage INSTEAD OF INSERT ON finmon.%I FOR EACH ROW EXECUTE FUNCTION finmon_data.import_stage()', view_name);
    EXECUTE format('CREATE TRIGGER import_end AFTER INSERT ON finmon.%I FOR EACH STATEMENT EXECUTE FUNCTION finmon_data.import_end()', view_name);
END;
$$;
COMMENT ON FUNCTION finmon_data.create_import_view(text) IS
    'Creates a format''s import view, with its comments and its three triggers, from its declaration (internal: used when finmon is installed).';

-- Deleting --------------------------------------------------------------------------------------

-- The council a call names, or the default one; raises when there is none or the acting role
-- may not change it.
CREATE FUNCTION finmon_data.council_to_change(council text, what text) RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    chosen text := COALESCE(NULLIF(btrim(council), ''), finmon.default_council());
    scope text[] := finmon_data.role_councils(finmon.acting_role());
BEGIN
    IF chosen IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22004',
            MESSAGE = format('%s: no council given, and the database holds %s councils', what, (SELECT count(*) FROM finmon.council)),
            HINT = 'Name the council, or SET finmon.council = ''<code>''.';
    END IF;
    IF NOT EXISTS (SELECT FROM finmon.council c WHERE c.council = chosen) THEN
        RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('%s: council "%s" is not defined', what, chosen);
    END IF;
    IF scope IS NOT NULL AND NOT chosen = ANY (scope) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('%s: council "%s" is not one whose figures you may change', what, chosen),
            HINT = 'An admin of the council, or the owner of finmon, gives a role a council with finmon.grant_council(role, council).';
    END IF;
    RETURN chosen;
END;
$$;
COMMENT ON FUNCTION finmon_data.council_to_change(text, text) IS
    'The council a call changes: the one named, or finmon.default_council(); raises 22004, 23503 or 42501 when there is none, it is unknown, or the acting role may not change it (internal).';

CREATE FUNCTION finmon.delete_figures(figures text, financial_year text DEFAULT NULL, period integer DEFAULT NULL,
                                      council text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    SET jit = off
AS $$
DECLARE
    f finmon_data.import_format;
    acting oid := finmon.acting_role();
    chosen text;
    old_sql text;
    filter text;
    problem jsonb;
    result jsonb;
    keys text[];
BEGIN
    PERFORM finmon_data.require_read_committed('delete_figures');
    SELECT * INTO f FROM finmon_data.import_format x WHERE x.format = btrim(figures);
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('delete_figures: unknown figures "%s"', figures),
            HINT = format('figures is one of the import formats: %s.',
                          (SELECT string_agg(x.format, ', ' ORDER BY x.file_order) FROM finmon_data.import_format x));
    END IF;
    keys := finmon_data.key_columns(f.target);
    IF f.capability = 'every council' OR NOT 'council' = ANY (keys) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('delete_figures: %s are shared, not a council''s figures', f.format),
            HINT = 'Load a corrected file instead.';
    END IF;
    IF NOT pg_has_role(acting, f.capability, 'USAGE') THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('delete_figures: deleting %s needs %s', f.format, f.capability);
    END IF;
    PERFORM finmon_data.require_year_and_period(financial_year, period, optional => true);
    IF f.timing NOT IN ('period', 'plan year', 'month', 'measure period') AND (financial_year IS NOT NULL OR period IS NOT NULL)
       OR f.timing = 'plan year' AND period IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('delete_figures: %s are not kept by %s', f.format,
                             CASE WHEN f.timing = 'plan year' THEN 'period' ELSE 'financial year and period' END);
    END IF;
    chosen := finmon_data.council_to_change(council, 'delete_figures');
    PERFORM finmon_data.lock_councils(ARRAY[chosen]);

    filter := format('x.council = %L', chosen);
    IF financial_year IS NOT NULL THEN
        filter := filter || format(' AND %s = %L', finmon_data.row_year_sql(f.timing), btrim(financial_year));
    END IF;
    IF period IS NOT NULL THEN
        filter := filter || format(' AND %s = %s', finmon_data.row_period_sql(f.timing), period);
    END IF;
    old_sql := format('SELECT x.* FROM %s x WHERE %s%s', finmon_data.target_table(f.target), filter, COALESCE(' AND ' || f.row_filter, ''));

    EXECUTE format('WITH o AS (%s) SELECT to_jsonb(h) FROM (%s) h ORDER BY h.council, h.financial_year, h.period LIMIT 1', old_sql,
                   finmon_data.closed_hits_sql(f.timing, 'o')) INTO problem;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('%s: %s period %s of council %s is closed, so its figures cannot change', finmon_data.target_table(f.target),
                             problem ->> 'financial_year', problem ->> 'period', problem ->> 'council'),
            DETAIL = 'Nothing of this change has been kept.',
            HINT = format('An admin can reopen it with finmon.reopen_period(%L, %L, %s, reason).',
                          problem ->> 'council', problem ->> 'financial_year', problem ->> 'period');
    END IF;
    EXECUTE finmon_data.write_sql(f.format, NULL, old_sql, NULL, (SELECT r.rolname FROM pg_roles r WHERE r.oid = acting)) INTO result;
    IF f.finish IS NOT NULL THEN
        EXECUTE format(f.finish, quote_literal(ARRAY[chosen]::text));
    END IF;
    RETURN (result ->> 'rows')::bigint;
END;
$$;
COMMENT ON FUNCTION finmon.delete_figures(text, text, integer, text) IS
    'Deletes a council''s figures of one kind (an import format''s name: ''revenue'', ''ledger'', ''revenue_table_rows'', ...), all of them or those of a financial year and period, through the write path: refused for a closed period (55000), logged in finmon_data.audit_log. The council is the one named, or finmon.default_council(). Returns the rows deleted. For finmon_editor (layouts and settings: finmon_admin).';
