"""What a BI tool sees through ODBC (psqlODBC under unixODBC, as Power BI, Excel and Tableau
connect), as a login granted finmon_reader and one council.  Run by scripts/test-clients, which
passes what the server's own catalog says (the oracle) in a file of tab-separated keys and
values (lists comma-separated); prints ok / not ok lines and exits 1 if any check fails.

    python3 odbc_check.py expected.tsv
"""
import decimal
import sys

import pyodbc

failures = 0


def check(ok, what, detail=''):
    global failures
    print(('ok' if ok else 'not ok') + ': ODBC: ' + what + ('' if ok or not detail else ' (' + detail + ')'))
    if not ok:
        failures += 1


def connect(expected, **settings):
    parts = {'Driver': '{PostgreSQL Unicode}', 'Server': expected['host'], 'Port': expected['port'],
             'Database': expected['database'], 'Uid': expected['user'], 'Pwd': expected['password']}
    parts.update(settings)
    return pyodbc.connect(';'.join(f'{k}={v}' for k, v in parts.items()), autocommit=True)


def sqlstate(error):
    return error.args[0] if error.args else ''


def read_expected(path):
    """The oracle's file: key<TAB>value; period_views, unreadable, refused and columns.<view>
    are lists, rows.<view> counts."""
    expected = {'columns': {}, 'rows': {}, 'declared': {}}
    with open(path, encoding='utf-8') as f:
        for line in f:
            key, _, value = line.rstrip('\n').partition('\t')
            if key.startswith('columns.'):
                expected['columns'][key[8:]] = value.split(',')
            elif key.startswith('declared.'):
                expected['declared'][key[9:]] = dict(item.split(':') for item in value.split(';')) if value else {}
            elif key.startswith('rows.'):
                expected['rows'][key[5:]] = int(value)
            elif key in ('period_views', 'readable', 'unreadable', 'refused'):
                expected[key] = value.split(',') if value else []
            else:
                expected[key] = value
    return expected


def main():
    expected = read_expected(sys.argv[1])
    council = expected['council']
    # The DSN settings the README recommends.
    conn = connect(expected, BoolsAsChar=0)
    cur = conn.cursor()

    # The navigator: what SQLTables lists in schema finmon.
    listed = {row.table_name: row.table_type for row in cur.tables(schema='finmon')}
    missing = sorted(set(expected['period_views']) - set(listed))
    check(not missing, f'SQLTables lists every period view ({len(expected["period_views"])})', 'missing: ' + ', '.join(missing))
    views_only = {row.table_name for row in cur.tables(schema='finmon', tableType='VIEW')}
    not_views = sorted(v for v in expected['period_views'] if v not in views_only)
    check(not not_views, 'SQLTables asked for views lists every period view', 'missing: ' + ', '.join(not_views))
    unreadable = sorted(set(listed) & set(expected['unreadable']))
    check(len(listed) > len(expected['period_views']) and not unreadable and not expected['unreadable'],
          f'by default SQLTables lists {len(listed)} relations in schema finmon, every one a reader may read',
          'unreadable: ' + ', '.join(unreadable or expected['unreadable']))
    # With AB = 0x10 (psqlODBC's extra option 'accessible only'), as the README's DSN has it, the
    # navigator lists what the login may read.
    accessible = connect(expected, BoolsAsChar=0, AB='0x10').cursor()
    shown = {row.table_name for row in accessible.tables(schema='finmon')}
    check(shown == set(expected['readable']),
          f'with AB=0x10 (accessible only) SQLTables lists exactly the {len(expected["readable"])} relations the login may read',
          f'also {sorted(shown - set(expected["readable"]))}, missing {sorted(set(expected["readable"]) - shown)}')

    # Every column of every period view: described, and read.
    for view in expected['period_views']:
        columns = list(cur.columns(table=view, schema='finmon'))
        names = [c.column_name for c in columns]
        check(names == expected['columns'][view], f'SQLColumns gives {view}\'s {len(names)} columns in order',
              f'got {names}')
        # Declared types: every numeric column with the precision and scale the server declares
        # (money (18,2), percentages and rates (24,4), counts (18,0)), none undeclared.
        declared = expected['declared'][view]
        got = {c.column_name: f'{c.column_size},{c.decimal_digits}' for c in columns if c.type_name == 'numeric'}
        check(got == declared and declared and all(declared.values()),
              f'SQLColumns gives the declared precision and scale of {view}\'s {len(declared)} numeric columns',
              f'got {got}, declared {declared}')
        if view == 'revenue_period':
            check(got.get('budget') == '18,2' and got.get('variance_pct') == '24,4',
                  'revenue_period: budget numeric(18,2), variance_pct numeric(24,4)', f'got {got}')
        if view == expected['period_views'][0]:
            described = sum(1 for c in columns if (c.remarks or '').strip())
            numeric = [c for c in columns if c.type_name == 'numeric']
            print(f'# psqlODBC: SQLColumns gives REMARKS for {described} of {view}\'s {len(columns)} columns; '
                  'numeric columns declared as ' + ', '.join(sorted({f'({c.column_size},{c.decimal_digits})' for c in numeric})))
        # psqlODBC passes no column comments on: a tool reads them from finmon.data_dictionary
        cur.execute('SELECT column_name, description FROM finmon.data_dictionary'
                    " WHERE schema_name = 'finmon' AND relation = ? ORDER BY column_position", view)
        dictionary = cur.fetchall()
        check([row.column_name for row in dictionary] == names,
              f'finmon.data_dictionary lists {view}\'s columns in order', f'got {[row.column_name for row in dictionary]}')
        bare = [row.column_name for row in dictionary if not (row.description or '').strip()]
        check(not bare, f'finmon.data_dictionary describes every column of {view}', 'none for: ' + ', '.join(bare))
        cur.execute(f'SELECT * FROM finmon.{view}')
        rows = cur.fetchall()
        check(len(rows) == expected['rows'][view], f'{view}: the reader reads {expected["rows"][view]} rows',
              f'read {len(rows)}')
        councils = {row.council for row in rows}
        check(councils <= {council}, f'{view}: every row read is of {council}', f'councils {sorted(councils)}')

    # Amounts arrive exact, as decimals.
    cur.execute("SELECT budget, forecast_outturn, variance FROM finmon.revenue_period"
                " WHERE financial_year = ? AND period = ? AND path = ''", expected['year'], int(expected['period']))
    budget, forecast, variance = cur.fetchone()
    check(isinstance(budget, decimal.Decimal) and str(budget) == expected['total_budget'],
          f'the grand total budget arrives as the decimal {expected["total_budget"]}', repr(budget))
    check(forecast - budget == variance, 'forecast_outturn - budget = variance, exactly, on the client')

    # Booleans: SQL_BIT with BoolsAsChar=0, text '1'/'0' with the driver's default.
    cur.execute("SELECT is_leaf FROM finmon.revenue_period WHERE path = '' LIMIT 1")
    value = cur.fetchone()[0]
    check(value is False, 'with BoolsAsChar=0 a boolean arrives as a boolean', repr(value))
    default = connect(expected).cursor()
    default.execute("SELECT is_leaf FROM finmon.revenue_period WHERE path = '' LIMIT 1")
    value = default.fetchone()[0]
    check(value == '0', 'with the driver\'s default (BoolsAsChar=1) a boolean arrives as the text 0 or 1', repr(value))

    # A query that omits the schema finds finmon through the login's search_path.
    cur.execute('SELECT count(*) FROM revenue_period')
    check(cur.fetchone()[0] == expected['rows']['revenue_period'],
          'SELECT without the schema reads revenue_period (the login\'s search_path includes finmon)')

    # Refusals keep their SQLSTATE through the driver.
    for relation in expected['refused']:
        try:
            cur.execute(f'SELECT * FROM {relation}')
            cur.fetchall()
            check(False, f'reading {relation} is refused with 42501', 'it was read')
        except pyodbc.Error as error:
            check(sqlstate(error) == '42501', f'reading {relation} is refused with 42501', sqlstate(error))
    print(f'# {failures} ODBC check(s) failed' if failures else '# every ODBC check passed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
