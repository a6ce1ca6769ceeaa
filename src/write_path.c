/*
 * write_path.c
 *		The write path's first half: a load arriving through an import view.
 *
 * Every import view (finmon.revenue_import, ...) has three triggers.  Before
 * the statement, import_begin starts a load: it reads the format's declared
 * fields (finmon_data.import_column) and notes the role the session runs as.  For
 * each row, import_stage checks every field by the kind its format declares,
 * raising an error that names the data row (and, under COPY, whose context
 * names the file line), and keeps the row, trimmed and normalised, in memory.
 * After the statement, finmon_data.run_load (SQL) checks the whole load against
 * the database, a statement per check, and writes it: its statements read the
 * kept rows as the relation "staged" through load_query(), without copying (on
 * a Citus node, which cannot plan such a relation, from a temporary table that
 * load_query() fills once per load: pg_temp.finmon_staged).
 *
 * A load lives only within its statement: a load whose statement or
 * subtransaction fails is dropped with it.
 */
#include "postgres.h"

#include <ctype.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/copy.h"
#include "commands/copyfrom_internal.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/queryenvironment.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "finmon.h"

#if PG_VERSION_NUM < 150000 || PG_VERSION_NUM >= 160000
#error "finmon's write_path.c reads COPY's state (copyfrom_internal.h) as PostgreSQL 15 lays it out"
#endif

#define PERIODS_HINT "List the periods (1 to 12) separated by spaces, as in \"3 6 9 12\"; leave it empty for every period."

/* What a field may hold, as finmon_data.import_column.kind names it. */
typedef enum FieldKind
{
	FIELD_COUNCIL,				/* a council code; empty: the default council */
	FIELD_TEXT,					/* required text */
	FIELD_OPTIONAL_TEXT,
	FIELD_YEAR,					/* a financial year, YYYY-YY */
	FIELD_PERIOD,				/* 1 to 12 */
	FIELD_LINE,					/* a line path: names joined by ' > ' */
	FIELD_OPTIONAL_LINE,		/* the same, or empty for the grand total */
	FIELD_AMOUNT,				/* a plain decimal number */
	FIELD_OPTIONAL_AMOUNT,
	FIELD_MONEY,				/* an amount in pounds, to the penny */
	FIELD_OPTIONAL_MONEY,
	FIELD_COUNT,				/* a whole number, zero or more */
	FIELD_OPTIONAL_COUNT,
	FIELD_POSITIVE,				/* an amount above zero */
	FIELD_SHARE,				/* an amount from 0 to 1 */
	FIELD_CHOICE,				/* one of the declared choices, any case */
	FIELD_OPTIONAL_CHOICE,
	FIELD_BOOLEAN,				/* true or false; empty is false */
	FIELD_DATE,					/* YYYY-MM-DD, a day that exists */
	FIELD_OPTIONAL_DATE,		/* the same, or empty */
	FIELD_MONTH,				/* YYYY-MM */
	FIELD_MEASURE_PERIOD,		/* a month or a financial year */
	FIELD_CALENDAR_YEAR,		/* YYYY */
	FIELD_WHOLE,				/* a whole number from 1 */
	FIELD_PLACES,				/* decimal places, 0 to 10; may be empty */
	FIELD_PERIODS,				/* periods 1 to 12 separated by spaces, ; or ,; may be empty */
	FIELD_PRINTED				/* a signed decimal, as a paper prints it */
} FieldKind;

static const struct
{
	const char *name;
	FieldKind	kind;
}			field_kinds[] =
{
	{"council", FIELD_COUNCIL},
	{"text", FIELD_TEXT},
	{"optional text", FIELD_OPTIONAL_TEXT},
	{"year", FIELD_YEAR},
	{"period", FIELD_PERIOD},
	{"line", FIELD_LINE},
	{"optional line", FIELD_OPTIONAL_LINE},
	{"amount", FIELD_AMOUNT},
	{"optional amount", FIELD_OPTIONAL_AMOUNT},
	{"money", FIELD_MONEY},
	{"optional money", FIELD_OPTIONAL_MONEY},
	{"count", FIELD_COUNT},
	{"optional count", FIELD_OPTIONAL_COUNT},
	{"positive", FIELD_POSITIVE},
	{"share", FIELD_SHARE},
	{"choice", FIELD_CHOICE},
	{"optional choice", FIELD_OPTIONAL_CHOICE},
	{"boolean", FIELD_BOOLEAN},
	{"date", FIELD_DATE},
	{"optional date", FIELD_OPTIONAL_DATE},
	{"month", FIELD_MONTH},
	{"measure period", FIELD_MEASURE_PERIOD},
	{"calendar year", FIELD_CALENDAR_YEAR},
	{"whole", FIELD_WHOLE},
	{"places", FIELD_PLACES},
	{"periods", FIELD_PERIODS},
	{"printed", FIELD_PRINTED}
};

typedef struct ImportField
{
	char	   *name;
	FieldKind	kind;
	int			nchoices;
	char	  **choices;		/* as declared; matched in any case */
	char	   *hint;			/* NULL: the kind's own */
	int			attnum;			/* in the view's rows */
} ImportField;

typedef struct ImportLoad
{
	struct ImportLoad *outer;	/* the load this one started inside, if any */
	Oid			view;
	char	   *view_name;
	SubTransactionId subxact;
	Oid			acting_role;
	int			nfields;
	ImportField *fields;
	TupleDesc	staged_desc;	/* load_row, load_line, then each field */
	Tuplestorestate *rows;
	int32		nrows;
	MemoryContext context;
} ImportLoad;

/*
 * On a Citus node a load's statements read its rows from a temporary table,
 * pg_temp.finmon_staged, rather than from an ephemeral relation, which Citus
 * cannot plan: the load whose rows it was last given (or NULL).
 */
static ImportLoad *staged_table_load = NULL;

/* The loads in progress, innermost first. */
static ImportLoad *loads = NULL;

#define DEFAULT_HINT "Correct the row and load the whole file again."
#define AMOUNT_HINT "Amounts are in pounds, written as plain decimal numbers such as -85653000 or 1234.56, without currency signs, thousands separators or brackets."

/* Errors ------------------------------------------------------------------- */

/*
 * Raise a row's problem: "revenue_import row 3: ...".  Under COPY, COPY's own
 * error context adds the file line.
 */
static void
pg_attribute_noreturn()
row_problem(ImportLoad *load, int32 row, int sqlstate, const char *hint,
			const char *message)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("%s row %d: %s", load->view_name, row, message),
			 errdetail("Nothing of this load has been kept."),
			 errhint("%s", hint != NULL ? hint : DEFAULT_HINT)));
	pg_unreachable();
}

/* The hint for a field's problem: the column's own, or else the kind's. */
static const char *
field_hint(ImportField *field, const char *kind_hint)
{
	return field->hint != NULL ? field->hint : kind_hint;
}

/* Field checks ------------------------------------------------------------- */

static bool
all_digits(const char *s, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char) s[i]))
			return false;
	return len > 0;
}

static int
digits_value(const char *s, int len)
{
	int			v = 0;
	int			i;

	for (i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * A plain decimal number: [-+] digits [. digits] [e [-+] digits], or with
 * exponent only when allowed.  The exponent stays within what numeric takes.
 */
static bool
is_decimal(const char *s, bool exponent)
{
	const char *p = s;
	bool		digits = false;

	if (strlen(s) > 1000)
		return false;
	if (*p == '-' || *p == '+')
		p++;
	while (isdigit((unsigned char) *p))
		p++, digits = true;
	if (*p == '.')
	{
		p++;
		while (isdigit((unsigned char) *p))
			p++, digits = true;
	}
	if (!digits)
		return false;
	if (exponent && (*p == 'e' || *p == 'E'))
	{
		const char *start;

		p++;
		if (*p == '-' || *p == '+')
			p++;
		start = p;
		while (isdigit((unsigned char) *p))
			p++;
		if (p == start || p - start > 4 || atoi(start) > 1000)
			return false;
	}
	return *p == '\0';
}

/* The sign of a valid decimal: -1, 0 or 1. */
static int
decimal_sign(const char *s)
{
	const char *p = s;
	bool		negative = (*p == '-');

	if (*p == '-' || *p == '+')
		p++;
	for (; *p != '\0' && *p != 'e' && *p != 'E'; p++)
		if (*p >= '1' && *p <= '9')
			return negative ? -1 : 1;
	return 0;
}

/*
 * The decimal places a valid decimal needs: the digits of its fraction, less
 * the trailing zeros of all its digits, less its exponent ("1.50" 1, "1.005"
 * 3, "1.234e2" 1, "100e-2" 0, "0e-3" 0).
 */
static int
decimal_places(const char *s)
{
	const char *p = s;
	long		fraction = 0;
	long		zeros = 0;
	bool		nonzero = false;
	bool		in_fraction = false;
	long		exponent = 0;

	for (; *p != '\0' && *p != 'e' && *p != 'E'; p++)
	{
		if (*p == '.')
			in_fraction = true;
		else if (*p >= '0' && *p <= '9')
		{
			if (in_fraction)
				fraction++;
			zeros = (*p == '0') ? zeros + 1 : 0;
			nonzero |= (*p != '0');
		}
	}
	if (!nonzero)
		return 0;				/* zero, whatever its notation */
	if (*p == 'e' || *p == 'E')
		exponent = strtol(p + 1, NULL, 10);	/* bounded by is_decimal */
	return fraction - zeros - exponent > 0 ? (int) (fraction - zeros - exponent) : 0;
}

/* Compare a valid decimal with an integer, exactly (numeric). */
static int
decimal_cmp(const char *s, int64 value)
{
	Datum		n = DirectFunctionCall3(numeric_in, CStringGetDatum(s),
										ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));

	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, n,
											 DirectFunctionCall1(int8_numeric, Int64GetDatum(value))));
}

/*
 * Is a valid decimal under 10^digits either way?  Without an exponent, by
 * counting the digits of its whole part; with one, exactly (numeric).
 */
static bool
decimal_within(const char *s, int digits)
{
	const char *p = s;
	int64		limit = 1;

	if (strpbrk(s, "eE") == NULL)
	{
		int			whole = 0;

		if (*p == '-' || *p == '+')
			p++;
		while (*p == '0')
			p++;
		for (; *p >= '0' && *p <= '9'; p++)
			whole++;
		return whole <= digits;
	}
	for (int i = 0; i < digits; i++)
		limit *= 10;
	return decimal_cmp(s, limit) < 0 && decimal_cmp(s, -limit) > 0;
}

static bool
is_financial_year(const char *s)
{
	int			len = strlen(s);

	if (len != 7 || s[4] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2))
		return false;
	return digits_value(s, 4) >= 1 && (digits_value(s, 4) + 1) % 100 == digits_value(s + 5, 2);
}

/* YYYY-MM (the first 7 characters) with a month 01 to 12 and a year from 0001. */
static bool
month_prefix(const char *s)
{
	int			month;

	if (strlen(s) < 7 || s[4] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2))
		return false;
	month = digits_value(s + 5, 2);
	return digits_value(s, 4) >= 1 && month >= 1 && month <= 12;
}

static bool
is_month(const char *s)
{
	return strlen(s) == 7 && month_prefix(s);
}

static bool
is_date(const char *s)
{
	static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			year,
				month,
				day,
				last;

	if (strlen(s) != 10 || s[7] != '-' || !month_prefix(s) || !all_digits(s + 8, 2))
		return false;
	year = digits_value(s, 4);
	month = digits_value(s + 5, 2);
	day = digits_value(s + 8, 2);
	last = days_in[month - 1];
	if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		last = 29;
	return day >= 1 && day <= last;
}

static bool
is_boolean(const char *s)
{
	static const char *const words[] = {"true", "false", "t", "f", "yes", "no", "y", "n", "1", "0"};
	size_t		i;

	for (i = 0; i < lengthof(words); i++)
		if (pg_strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

/*
 * A line path normalised: the names between '>' trimmed of spaces and joined
 * by ' > '.  NULL when a name is empty.
 */
static char *
normalise_line(const char *s)
{
	StringInfoData out;
	const char *p = s;

	initStringInfo(&out);
	for (;;)
	{
		const char *end = strchr(p, '>');
		const char *stop = end != NULL ? end : p + strlen(p);
		const char *from = p;

		while (from < stop && *from == ' ')
			from++;
		while (stop > from && stop[-1] == ' ')
			stop--;
		if (stop == from)
			return NULL;
		if (out.len > 0)
			appendStringInfoString(&out, " > ");
		appendBinaryStringInfo(&out, from, stop - from);
		if (end == NULL)
			break;
		p = end + 1;
	}
	return out.data;
}

/* The text trimmed of spaces at both ends (as btrim does), in a new string. */
static char *
trim_spaces(const char *s)
{
	const char *end = s + strlen(s);

	while (*s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	return pnstrdup(s, end - s);
}

/* "Red, Amber or Green", from the declared choices. */
static char *
choice_list(ImportField *field)
{
	StringInfoData out;
	int			i;

	initStringInfo(&out);
	for (i = 0; i < field->nchoices; i++)
	{
		if (i > 0)
			appendStringInfoString(&out, i == field->nchoices - 1 ? " or " : ", ");
		appendStringInfoString(&out, field->choices[i]);
	}
	return out.data;
}

/*
 * Check one field of a row; returns what to keep (trimmed and normalised;
 * NULL for an empty optional field), or raises the row's problem.
 */
static char *
check_field(ImportLoad *load, int32 row, ImportField *field, const char *raw)
{
	char	   *value = raw != NULL ? trim_spaces(raw) : NULL;
	bool		empty = (value == NULL || value[0] == '\0');
	const char *name = field->name;

	switch (field->kind)
	{
		case FIELD_COUNCIL:
		case FIELD_OPTIONAL_TEXT:
			return empty ? NULL : value;
		case FIELD_OPTIONAL_AMOUNT:
		case FIELD_OPTIONAL_MONEY:
		case FIELD_OPTIONAL_COUNT:
		case FIELD_OPTIONAL_CHOICE:
		case FIELD_BOOLEAN:
		case FIELD_OPTIONAL_LINE:
		case FIELD_PLACES:
		case FIELD_PERIODS:
		case FIELD_OPTIONAL_DATE:
			if (empty)
				return field->kind == FIELD_OPTIONAL_LINE ? pstrdup("") : NULL;
			break;
		default:
			if (empty)
				row_problem(load, row, ERRCODE_NULL_VALUE_NOT_ALLOWED, field->hint,
							psprintf("%s is empty", name));
			break;
	}

	switch (field->kind)
	{
		case FIELD_TEXT:
			return value;
		case FIELD_YEAR:
			if (!is_financial_year(value))
				row_problem(load, row, ERRCODE_INVALID_DATETIME_FORMAT,
							field_hint(field, "A financial year is written YYYY-YY, the second year following the first, as in \"2018-19\"."),
							psprintf("invalid financial year \"%s\"", raw));
			return value;
		case FIELD_PERIOD:
			if (strlen(value) > 2 || !all_digits(value, strlen(value)) ||
				digits_value(value, strlen(value)) < 1 || digits_value(value, strlen(value)) > 12)
				row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE,
							field_hint(field, "Periods run from 1 (April) to 12 (March)."),
							psprintf("invalid period \"%s\"", raw));
			return value;
		case FIELD_LINE:
		case FIELD_OPTIONAL_LINE:
			{
				char	   *path = normalise_line(value);

				if (path == NULL)
					row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE,
								field_hint(field, "A line is the names of its budget headings from the top of the hierarchy, joined by \" > \"."),
								psprintf("%s \"%s\" has an empty name", name, raw));
				return path;
			}
		case FIELD_AMOUNT:
		case FIELD_OPTIONAL_AMOUNT:
		case FIELD_MONEY:
		case FIELD_OPTIONAL_MONEY:
		case FIELD_COUNT:
		case FIELD_OPTIONAL_COUNT:
		case FIELD_POSITIVE:
		case FIELD_SHARE:
			if (!is_decimal(value, true))
				row_problem(load, row, ERRCODE_INVALID_TEXT_REPRESENTATION,
							field_hint(field, AMOUNT_HINT),
							psprintf("%s \"%s\" is not an amount", name, raw));
			/*
			 * Every amount within what the reports' declared types hold: money
			 * numeric(18,2) with room for totals of a thousand rows, the
			 * rest numeric(24,4) or numeric(18,0).
			 */
			if (!decimal_within(value, (field->kind == FIELD_MONEY || field->kind == FIELD_OPTIONAL_MONEY) ? 13 : 15))
				row_problem(load, row, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
							field_hint(field, (field->kind == FIELD_MONEY || field->kind == FIELD_OPTIONAL_MONEY)
									   ? "Amounts of money are in pounds: under 10,000,000,000,000 (ten trillion) either way."
									   : "Amounts are under 1,000,000,000,000,000 either way."),
							psprintf("%s %s is out of range", name, value));
			if ((field->kind == FIELD_MONEY || field->kind == FIELD_OPTIONAL_MONEY) &&
				decimal_places(value) > 2)
				row_problem(load, row, ERRCODE_INVALID_TEXT_REPRESENTATION,
							field_hint(field, "Amounts of money are in pounds and pence: at most two decimal places, as in 1234.56."),
							psprintf("%s \"%s\" is not a whole number of pence", name, raw));
			if ((field->kind == FIELD_COUNT || field->kind == FIELD_OPTIONAL_COUNT) &&
				decimal_places(value) > 0)
				row_problem(load, row, ERRCODE_INVALID_TEXT_REPRESENTATION,
							field_hint(field, "Counts and populations are whole numbers of people or events."),
							psprintf("%s \"%s\" is not a whole number", name, raw));
			if ((field->kind == FIELD_COUNT || field->kind == FIELD_OPTIONAL_COUNT) &&
				decimal_sign(value) < 0)
				row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE,
							field_hint(field, "Counts and populations are numbers of people or events: zero or more."),
							psprintf("%s %s is negative", name, value));
			if (field->kind == FIELD_POSITIVE && decimal_sign(value) <= 0)
				row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE, field->hint,
							psprintf("%s %s is not positive", name, value));
			if (field->kind == FIELD_SHARE && (decimal_sign(value) < 0 || decimal_cmp(value, 1) > 0))
				row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE, field->hint,
							psprintf("%s %s is not between 0 and 1", name, value));
			return value;
		case FIELD_PRINTED:
			if (!is_decimal(value, false))
				row_problem(load, row, ERRCODE_INVALID_TEXT_REPRESENTATION, field->hint,
							psprintf("%s \"%s\" is not a signed decimal", name, raw));
			if (!decimal_within(value, 15))
				row_problem(load, row, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
							field_hint(field, "Amounts are under 1,000,000,000,000,000 either way."),
							psprintf("%s %s is out of range", name, value));
			return value;
		case FIELD_CHOICE:
		case FIELD_OPTIONAL_CHOICE:
			{
				int			i;

				for (i = 0; i < field->nchoices; i++)
					if (pg_strcasecmp(value, field->choices[i]) == 0)
						return value;
				row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE, field->hint,
							psprintf("%s \"%s\" is not %s", name, raw, choice_list(field)));
			}
			break;
		case FIELD_BOOLEAN:
			if (!is_boolean(value))
				row_problem(load, row, ERRCODE_INVALID_TEXT_REPRESENTATION,
							field_hint(field, "Write true or false (or leave it empty for false)."),
							psprintf("%s \"%s\" is not true or false", name, raw));
			return value;
		case FIELD_DATE:
		case FIELD_OPTIONAL_DATE:
			if (!is_date(value))
				row_problem(load, row, ERRCODE_INVALID_DATETIME_FORMAT,
							field_hint(field, "Dates are written YYYY-MM-DD."),
							psprintf("invalid %s \"%s\"", name, raw));
			return value;
		case FIELD_MONTH:
			if (!is_month(value))
				row_problem(load, row, ERRCODE_INVALID_DATETIME_FORMAT,
							field_hint(field, "A month is written YYYY-MM, as in \"2016-11\"."),
							psprintf("invalid %s \"%s\"", name, raw));
			return value;
		case FIELD_MEASURE_PERIOD:
			if (!is_month(value) && !is_financial_year(value))
				row_problem(load, row, ERRCODE_INVALID_DATETIME_FORMAT,
							field_hint(field, "A period is a month, YYYY-MM (\"2016-11\"), or a financial year, YYYY-YY (\"2015-16\")."),
							psprintf("invalid %s \"%s\"", name, raw));
			return value;
		case FIELD_CALENDAR_YEAR:
			if (strlen(value) != 4 || !all_digits(value, 4) || digits_value(value, 4) < 1)
				row_problem(load, row, ERRCODE_INVALID_DATETIME_FORMAT, field->hint,
							psprintf("invalid %s \"%s\"", name, raw));
			return value;
		case FIELD_WHOLE:
			if (strlen(value) > 9 || !all_digits(value, strlen(value)) ||
				digits_value(value, strlen(value)) < 1)
				row_problem(load, row, ERRCODE_INVALID_TEXT_REPRESENTATION, field->hint,
							psprintf("%s \"%s\" is not a whole number from 1", name, raw));
			return value;
		case FIELD_PLACES:
			if (strlen(value) > 2 || !all_digits(value, strlen(value)) ||
				digits_value(value, strlen(value)) > 10)
				row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE,
							field_hint(field, "Decimal places are a whole number from 0 to 10."),
							psprintf("%s \"%s\" is not a number of decimal places from 0 to 10", name, raw));
			return value;
		case FIELD_PERIODS:
			{
				const char *p = value + strspn(value, " ;,");

				if (*p == '\0')
					row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE,
								field_hint(field, PERIODS_HINT),
								psprintf("%s \"%s\" is not a list of periods", name, raw));
				while (*p != '\0')
				{
					int			len = (int) strcspn(p, " ;,");

					if (len > 2 || !all_digits(p, len) ||
						digits_value(p, len) < 1 || digits_value(p, len) > 12)
						row_problem(load, row, ERRCODE_INVALID_PARAMETER_VALUE,
									field_hint(field, PERIODS_HINT),
									psprintf("%s \"%s\" is not a list of periods", name, raw));
					p += len;
					p += strspn(p, " ;,");
				}
				return value;
			}
		default:
			elog(ERROR, "unexpected field kind %d", (int) field->kind);
	}
	return NULL;				/* keep compiler quiet */
}

/* Loads ------------------------------------------------------------------- */

static ImportLoad *
find_load(Oid view)
{
	ImportLoad *load;

	for (load = loads; load != NULL; load = load->outer)
		if (load->view == view)
			return load;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("no load through %s is in progress", get_rel_name(view))));
	return NULL;				/* keep compiler quiet */
}

static void
drop_load(ImportLoad *load, bool close_rows)
{
	ImportLoad **p;

	for (p = &loads; *p != NULL; p = &(*p)->outer)
		if (*p == load)
		{
			*p = load->outer;
			break;
		}
	if (staged_table_load == load)
		staged_table_load = NULL;
	if (close_rows)
		tuplestore_end(load->rows);
	MemoryContextDelete(load->context);
}

/* COPY's current file line, when a COPY is running; 0 otherwise. */
static int64
copy_file_line(void)
{
	ErrorContextCallback *e;

	for (e = error_context_stack; e != NULL; e = e->previous)
		if (e->callback == CopyFromErrorCallback)
			return (int64) ((CopyFromState) e->arg)->cur_lineno;
	return 0;
}

static FieldKind
field_kind(const char *name)
{
	size_t		i;

	for (i = 0; i < lengthof(field_kinds); i++)
		if (strcmp(field_kinds[i].name, name) == 0)
			return field_kinds[i].kind;
	elog(ERROR, "unknown import field kind \"%s\"", name);
	return FIELD_TEXT;			/* keep compiler quiet */
}

/* Read the format's fields, in file order, and match them to the view's columns. */
static void
read_fields(ImportLoad *load, Relation view)
{
	TupleDesc	desc = RelationGetDescr(view);
	char	   *format = pnstrdup(load->view_name, strlen(load->view_name) - strlen("_import"));
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(format)};
	uint64		i;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT c.name, c.kind, c.choices, c.hint FROM finmon_data.import_column c "
							  "WHERE c.format = $1 AND c.position IS NOT NULL ORDER BY c.position",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the fields of import format %s failed", format);
	if (SPI_processed != (uint64) desc->natts)
		elog(ERROR, "import view %s has %d columns, but its format declares %d",
			 load->view_name, desc->natts, (int) SPI_processed);

	load->nfields = desc->natts;
	load->fields = MemoryContextAllocZero(load->context, sizeof(ImportField) * desc->natts);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	spi_desc = SPI_tuptable->tupdesc;
		ImportField *field = &load->fields[i];
		char	   *name = SPI_getvalue(tuple, spi_desc, 1);
		bool		isnull;
		Datum		choices;
		char	   *hint = SPI_getvalue(tuple, spi_desc, 4);

		if (strcmp(name, NameStr(TupleDescAttr(desc, i)->attname)) != 0)
			elog(ERROR, "column %d of import view %s is %s, but its format declares %s",
				 (int) i + 1, load->view_name, NameStr(TupleDescAttr(desc, i)->attname), name);
		field->name = MemoryContextStrdup(load->context, name);
		field->kind = field_kind(SPI_getvalue(tuple, spi_desc, 2));
		field->hint = hint != NULL ? MemoryContextStrdup(load->context, hint) : NULL;
		field->attnum = i + 1;
		choices = SPI_getbinval(tuple, spi_desc, 3, &isnull);
		if (!isnull)
		{
			Datum	   *elements;
			int			n,
						j;

			deconstruct_array(DatumGetArrayTypeP(choices), TEXTOID, -1, false, TYPALIGN_INT,
							  &elements, NULL, &n);
			field->nchoices = n;
			field->choices = MemoryContextAlloc(load->context, sizeof(char *) * n);
			for (j = 0; j < n; j++)
				field->choices[j] = MemoryContextStrdup(load->context, TextDatumGetCString(elements[j]));
		}
	}
	SPI_finish();
}

/*
 * Trigger before each INSERT or COPY into an import view: start a load.
 */
PG_FUNCTION_INFO_V1(finmon_import_begin);
Datum
finmon_import_begin(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	ImportLoad *load;
	MemoryContext context;
	MemoryContext old;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "import_begin must be a BEFORE INSERT FOR EACH STATEMENT trigger");

	context = AllocSetContextCreate(TopTransactionContext, "finmon load", ALLOCSET_DEFAULT_SIZES);
	load = MemoryContextAllocZero(context, sizeof(ImportLoad));
	load->context = context;
	load->view = RelationGetRelid(trigdata->tg_relation);
	load->view_name = MemoryContextStrdup(context, RelationGetRelationName(trigdata->tg_relation));
	load->subxact = GetCurrentSubTransactionId();
	load->acting_role = GetOuterUserId();
	read_fields(load, trigdata->tg_relation);

	old = MemoryContextSwitchTo(context);
	load->staged_desc = CreateTemplateTupleDesc(load->nfields + 2);
	TupleDescInitEntry(load->staged_desc, 1, "load_row", INT4OID, -1, 0);
	TupleDescInitEntry(load->staged_desc, 2, "load_line", INT8OID, -1, 0);
	for (i = 0; i < load->nfields; i++)
		TupleDescInitEntry(load->staged_desc, i + 3, load->fields[i].name, TEXTOID, -1, 0);
	load->rows = tuplestore_begin_heap(false, false, maintenance_work_mem);
	MemoryContextSwitchTo(old);

	load->outer = loads;
	loads = load;
	return PointerGetDatum(NULL);
}

/*
 * INSTEAD OF INSERT trigger on each row of an import view: check the row's
 * fields and keep it for the end of the load.
 */
PG_FUNCTION_INFO_V1(finmon_import_stage);
Datum
finmon_import_stage(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	ImportLoad *load;
	Datum	   *values;
	bool	   *nulls;
	int32		row;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_INSTEAD(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "import_stage must be an INSTEAD OF INSERT FOR EACH ROW trigger");

	load = find_load(RelationGetRelid(trigdata->tg_relation));
	desc = RelationGetDescr(trigdata->tg_relation);
	row = ++load->nrows;
	values = palloc(sizeof(Datum) * (load->nfields + 2));
	nulls = palloc0(sizeof(bool) * (load->nfields + 2));
	values[0] = Int32GetDatum(row);
	values[1] = Int64GetDatum(copy_file_line());
	for (i = 0; i < load->nfields; i++)
	{
		ImportField *field = &load->fields[i];
		bool		isnull;
		Datum		datum = heap_getattr(trigdata->tg_trigtuple, field->attnum, desc, &isnull);
		char	   *kept;

		kept = check_field(load, row, field, isnull ? NULL : TextDatumGetCString(datum));
		nulls[i + 2] = (kept == NULL);
		values[i + 2] = kept != NULL ? CStringGetTextDatum(kept) : (Datum) 0;
	}
	tuplestore_putvalues(load->rows, load->staged_desc, values, nulls);
	return PointerGetDatum(trigdata->tg_trigtuple);
}

/* pg_temp.finmon_staged, or InvalidOid when this session has none. */
static Oid
staged_table(void)
{
	return RangeVarGetRelid(makeRangeVar("pg_temp", "finmon_staged", -1), NoLock, true);
}

/*
 * Drop pg_temp.finmon_staged if this session has it (within SPI, as
 * finmon_guard), refusing to drop a table of that name that a load did not
 * create: one that finmon_guard does not own.
 */
static void
drop_staged_table(void)
{
	Oid			existing = staged_table();
	HeapTuple	tuple;
	Oid			owner;

	if (!OidIsValid(existing))
		return;
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(existing));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", existing);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	if (owner != GetUserId())
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_TABLE),
				 errmsg("this session has a temporary table finmon_staged that finmon did not create"),
				 errhint("On a Citus node a load keeps its rows in pg_temp.finmon_staged: drop or rename that table.")));
	if (SPI_execute("DROP TABLE pg_temp.finmon_staged", false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "dropping a load's table of rows failed");
	staged_table_load = NULL;
}

/*
 * At the end of a load, drop its table of rows (within SPI) as finmon_guard,
 * which owns it: the trigger runs as the role loading.
 */
static void
drop_staged_table_as_guard(void)
{
	Oid			save_user;
	int			save_sec_context;

	GetUserIdAndSecContext(&save_user, &save_sec_context);
	SetUserIdAndSecContext(get_role_oid("finmon_guard", false), save_sec_context | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		drop_staged_table();
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec_context);
	}
	PG_END_TRY();
}

/*
 * Copy a load's rows into a new temporary table pg_temp.finmon_staged (within
 * SPI): what a load's statements read on a Citus node.  It belongs to
 * finmon_guard, which drops it when the load ends.
 */
static void
stage_in_table(ImportLoad *load)
{
	StringInfoData sql;
	Relation	rel;
	TupleTableSlot *slot;
	Datum	   *values = palloc(sizeof(Datum) * load->staged_desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * load->staged_desc->natts);
	int			i;

	drop_staged_table();
	initStringInfo(&sql);
	appendStringInfoString(&sql, "CREATE TEMPORARY TABLE finmon_staged (load_row integer, load_line bigint");
	for (i = 0; i < load->nfields; i++)
		appendStringInfo(&sql, ", %s text", quote_identifier(load->fields[i].name));
	appendStringInfoString(&sql, ")");
	if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "creating a load's table of rows failed");

	rel = table_openrv(makeRangeVar("pg_temp", "finmon_staged", -1), RowExclusiveLock);
	staged_table_load = load;
	slot = MakeSingleTupleTableSlot(load->staged_desc, &TTSOpsMinimalTuple);
	tuplestore_rescan(load->rows);
	while (tuplestore_gettupleslot(load->rows, true, false, slot))
	{
		HeapTuple	tuple;

		slot_getallattrs(slot);
		memcpy(values, slot->tts_values, sizeof(Datum) * load->staged_desc->natts);
		memcpy(nulls, slot->tts_isnull, sizeof(bool) * load->staged_desc->natts);
		tuple = heap_form_tuple(RelationGetDescr(rel), values, nulls);
		simple_heap_insert(rel, tuple);
		heap_freetuple(tuple);
	}
	tuplestore_rescan(load->rows);
	ExecDropSingleTupleTableSlot(slot);
	table_close(rel, RowExclusiveLock);
	CommandCounterIncrement();
}

/*
 * Run a statement of a load's end (finmon_data.run_load) with the load's rows as
 * the relation "staged"; return the first column of its first row (jsonb),
 * or NULL.  For finmon_guard only.
 */
PG_FUNCTION_INFO_V1(finmon_load_query);
Datum
finmon_load_query(PG_FUNCTION_ARGS)
{
	ImportLoad *load = find_load(PG_GETARG_OID(0));
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Datum		result = (Datum) 0;
	bool		isnull = true;
	int			ret;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (OidIsValid(get_extension_oid("citus", true)))
	{
		/* (again if a subtransaction rolled back has undone the table) */
		if (staged_table_load != load || !OidIsValid(staged_table()))
			stage_in_table(load);
	}
	else
	{
		EphemeralNamedRelation enr = palloc0(sizeof(EphemeralNamedRelationData));

		enr->md.name = "staged";
		enr->md.reliddesc = InvalidOid;
		enr->md.tupdesc = load->staged_desc;
		enr->md.enrtype = ENR_NAMED_TUPLESTORE;
		enr->md.enrtuples = load->nrows;
		enr->reldata = load->rows;
		if (SPI_register_relation(enr) != SPI_OK_REL_REGISTER)
			elog(ERROR, "registering a load's rows failed");
	}
	ret = SPI_execute(query, false, 0);
	if (ret < 0)
		elog(ERROR, "a load's statement failed: %s", SPI_result_code_string(ret));
	if (SPI_tuptable != NULL && SPI_processed > 0)
	{
		if (SPI_tuptable->tupdesc->natts < 1 ||
			TupleDescAttr(SPI_tuptable->tupdesc, 0)->atttypid != JSONBOID)
			elog(ERROR, "a load's statement must return jsonb");
		result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
			result = SPI_datumTransfer(result, false, -1);
	}
	SPI_finish();
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}

/*
 * A load in progress: the role its session runs as (whose councils it may
 * change) and how many rows it holds.  For finmon_guard only.
 */
PG_FUNCTION_INFO_V1(finmon_load_info);
Datum
finmon_load_info(PG_FUNCTION_ARGS)
{
	ImportLoad *load = find_load(PG_GETARG_OID(0));
	TupleDesc	desc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "load_info must return a record");
	values[0] = ObjectIdGetDatum(load->acting_role);
	values[1] = Int32GetDatum(load->nrows);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* A text field of a jsonb object, or NULL. */
static char *
json_text(Datum object, const char *key)
{
	/* cppcheck-suppress unusedStructMember ; (the macro's union, used through fcinfo) */
	LOCAL_FCINFO(fcinfo, 2);
	Datum		value;

	InitFunctionCallInfoData(*fcinfo, NULL, 2, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = object;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = CStringGetTextDatum(key);
	fcinfo->args[1].isnull = false;
	value = jsonb_object_field_text(fcinfo);
	if (fcinfo->isnull)
		return NULL;
	return TextDatumGetCString(value);
}

/*
 * Raise the problem a load's end found (a jsonb object: view, row_number,
 * file_line, sqlstate, message, hint, detail): "revenue_import row 3: ...",
 * or "revenue_import: ..." for the load as a whole, with the file line in the
 * context as COPY names it.
 */
static void
pg_attribute_noreturn()
raise_problem(Datum problem)
{
	char	   *view_name = json_text(problem, "view");
	char	   *row = json_text(problem, "row_number");
	char	   *line = json_text(problem, "file_line");
	char	   *sqlstate = json_text(problem, "sqlstate");
	char	   *message = json_text(problem, "message");
	char	   *hint = json_text(problem, "hint");
	char	   *detail = json_text(problem, "detail");
	int64		file_line = line != NULL ? pg_strtoint64(line) : 0;

	if (sqlstate == NULL || strlen(sqlstate) != 5)
		elog(ERROR, "a load's problem has no SQLSTATE");
	ereport(ERROR,
			(errcode(MAKE_SQLSTATE(sqlstate[0], sqlstate[1], sqlstate[2], sqlstate[3], sqlstate[4])),
			 row == NULL ? errmsg("%s: %s", view_name, message)
			 : errmsg("%s row %s: %s", view_name, row, message),
			 errdetail("%s", detail != NULL ? detail : "Nothing of this load has been kept."),
			 errhint("%s", hint != NULL ? hint : DEFAULT_HINT),
			 file_line > 0 ? errcontext("COPY %s, line " INT64_FORMAT, view_name, file_line) : 0));
	pg_unreachable();
}

/*
 * Trigger after each INSERT or COPY into an import view: check the load
 * against the database and write it (finmon_data.run_load, as finmon_guard), then
 * end it.  A problem is raised here, so that its context is the file line.
 */
PG_FUNCTION_INFO_V1(finmon_import_end);
Datum
finmon_import_end(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Oid			view;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	Datum		problem = (Datum) 0;
	bool		isnull = true;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "import_end must be an AFTER INSERT FOR EACH STATEMENT trigger");
	view = RelationGetRelid(trigdata->tg_relation);
	args[0] = ObjectIdGetDatum(view);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT finmon_data.run_load($1)", 1, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "finmon_data.run_load failed");
	if (SPI_processed == 1)
	{
		problem = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
			problem = SPI_datumTransfer(problem, false, -1);
	}
	if (staged_table_load == find_load(view))
		drop_staged_table_as_guard();
	SPI_finish();
	drop_load(find_load(view), true);
	if (!isnull)
		raise_problem(problem);
	return PointerGetDatum(NULL);
}

/*
 * The role a session runs as: the login, or the role it SET ROLE to, whatever
 * SECURITY DEFINER function is running.  finmon checks its councils.
 */
PG_FUNCTION_INFO_V1(finmon_acting_role);
Datum
finmon_acting_role(PG_FUNCTION_ARGS)
{
	PG_RETURN_OID(GetOuterUserId());
}

/*
 * A line path as finmon keys it: names trimmed of spaces and joined by ' > ';
 * NULL when a name is empty.
 */
PG_FUNCTION_INFO_V1(finmon_line_path);
Datum
finmon_line_path(PG_FUNCTION_ARGS)
{
	char	   *path = normalise_line(text_to_cstring(PG_GETARG_TEXT_PP(0)));

	if (path == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(path));
}

/* Transactions ------------------------------------------------------------- */

/* A load's memory goes with its transaction; forget loads when it ends. */
static void
import_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			loads = NULL;
			break;
		default:
			break;
	}
}

/* A subtransaction that fails drops the loads it started. */
static void
import_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						SubTransactionId parentSubid, void *arg)
{
	ImportLoad *load;
	ImportLoad *outer;

	for (load = loads; load != NULL; load = outer)
	{
		outer = load->outer;
		if (load->subxact < mySubid)
			continue;
		if (event == SUBXACT_EVENT_ABORT_SUB)
			drop_load(load, false);
		else if (event == SUBXACT_EVENT_COMMIT_SUB)
			load->subxact = parentSubid;
	}
}

void
finmon_import_init(void)
{
	RegisterXactCallback(import_xact_callback, NULL);
	RegisterSubXactCallback(import_subxact_callback, NULL);
}
