/*
 * calendar.c
 *		The local-government financial calendar: years 'YYYY-YY' running
 *		1 April to 31 March, periods 1 (April) to 12 (March).
 */
#include "postgres.h"

#include "fmgr.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "finmon.h"

/*
 * Parse 'YYYY-YY'.  The second part must be the two-digit year after the
 * first ('1999-00' is valid), so '2018-20', '18-19' and '2018/19' are not
 * financial years.
 */
static int
try_parse_financial_year(const char *text, int len)
{
	if (len == 7 && text[4] == '-')
	{
		bool		digits = true;
		int			i;

		for (i = 0; i < 7; i++)
			if (i != 4 && (text[i] < '0' || text[i] > '9'))
				digits = false;
		if (digits)
		{
			int			start = (text[0] - '0') * 1000 + (text[1] - '0') * 100 +
				(text[2] - '0') * 10 + (text[3] - '0');
			int			end = (text[5] - '0') * 10 + (text[6] - '0');

			if (start >= 1 && (start + 1) % 100 == end)
				return start;
		}
	}
	return -1;
}

int
finmon_parse_financial_year(const char *text, int len)
{
	int			start = try_parse_financial_year(text, len);

	if (start > 0)
		return start;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
			 errmsg("invalid financial year \"%.*s\"", len, text),
			 errhint("A financial year is written YYYY-YY, the second year following the first, as in \"2018-19\".")));
	return 0;					/* keep compiler quiet */
}

void
finmon_check_period(int32 period)
{
	if (period < 1 || period > 12)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid period %d", period),
				 errhint("Periods run from 1 (April) to 12 (March).")));
}

static int
year_argument(FunctionCallInfo fcinfo, int argno)
{
	text	   *t = PG_GETARG_TEXT_PP(argno);

	return finmon_parse_financial_year(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

static text *
format_financial_year(int start)
{
	return cstring_to_text(psprintf("%04d-%02d", start, (start + 1) % 100));
}

/* Split a finite date into year, month and day; infinity is an error. */
static void
split_date(DateADT date, int *year, int *month, int *day)
{
	if (DATE_NOT_FINITE(date))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date %s has no financial year",
						DATE_IS_NOBEGIN(date) ? "-infinity" : "infinity")));
	j2date(date + POSTGRES_EPOCH_JDATE, year, month, day);
}

static DateADT
make_date_adt(int year, int month, int day)
{
	return date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
}

/* The calendar year and month in which period p of the year starting 'start' falls. */
static void
period_month(int start, int32 period, int *year, int *month)
{
	finmon_check_period(period);
	*month = (period + 2) % 12 + 1;
	*year = period <= 9 ? start : start + 1;
}

/* The financial year a date falls in: 2018-04-01 .. 2019-03-31 is '2018-19'. */
PG_FUNCTION_INFO_V1(finmon_financial_year_of);
Datum
finmon_financial_year_of(PG_FUNCTION_ARGS)
{
	int			year,
				month,
				day;

	split_date(PG_GETARG_DATEADT(0), &year, &month, &day);
	if (month < 4)
		year--;
	if (year < 1 || year > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date %s is outside the financial years 0001-02 to 9999-00",
						DatumGetCString(DirectFunctionCall1(date_out, PG_GETARG_DATUM(0))))));
	PG_RETURN_TEXT_P(format_financial_year(year));
}

/* The period of a date: April is 1, March is 12. */
PG_FUNCTION_INFO_V1(finmon_period_of);
Datum
finmon_period_of(PG_FUNCTION_ARGS)
{
	int			year,
				month,
				day;

	split_date(PG_GETARG_DATEADT(0), &year, &month, &day);
	PG_RETURN_INT32(month >= 4 ? month - 3 : month + 9);
}

/* First day of a period. */
PG_FUNCTION_INFO_V1(finmon_period_start);
Datum
finmon_period_start(PG_FUNCTION_ARGS)
{
	int			year,
				month;

	period_month(year_argument(fcinfo, 0), PG_GETARG_INT32(1), &year, &month);
	PG_RETURN_DATEADT(make_date_adt(year, month, 1));
}

/* Last day of a period (29 February in a leap year). */
PG_FUNCTION_INFO_V1(finmon_period_end);
Datum
finmon_period_end(PG_FUNCTION_ARGS)
{
	int			year,
				month;

	period_month(year_argument(fcinfo, 0), PG_GETARG_INT32(1), &year, &month);
	if (month == 12)
		PG_RETURN_DATEADT(make_date_adt(year + 1, 1, 1) - 1);
	PG_RETURN_DATEADT(make_date_adt(year, month + 1, 1) - 1);
}

/* Whether text is a financial year 'YYYY-YY'; the importers use it to name the row at fault. */
PG_FUNCTION_INFO_V1(finmon_is_financial_year);
Datum
finmon_is_financial_year(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(try_parse_financial_year(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)) > 0);
}

/* 1 April of a financial year; also the way SQL validates a year. */
PG_FUNCTION_INFO_V1(finmon_financial_year_start);
Datum
finmon_financial_year_start(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(make_date_adt(year_argument(fcinfo, 0), 4, 1));
}

/* 31 March that ends a financial year. */
PG_FUNCTION_INFO_V1(finmon_financial_year_end);
Datum
finmon_financial_year_end(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(make_date_adt(year_argument(fcinfo, 0) + 1, 3, 31));
}

/* The year before: the one whose period 12 holds a line's prior-year outturn. */
PG_FUNCTION_INFO_V1(finmon_previous_financial_year);
Datum
finmon_previous_financial_year(PG_FUNCTION_ARGS)
{
	int			start = year_argument(fcinfo, 0);

	if (start <= 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("financial year \"%s\" has no previous year",
						text_to_cstring(PG_GETARG_TEXT_PP(0)))));
	PG_RETURN_TEXT_P(format_financial_year(start - 1));
}

/*
 * Whether a committee table whose layout lists periods (NULL: every period) is
 * used at a period.  In C with the planner told that every row passes
 * (finmon.table_used_at_support), as for council_visible: the filter keeps a
 * handful of a council's periods, and estimating it as a filter on the join
 * of a layout with its periods planned the figures behind the table as a
 * nested loop over every figure of the council for every row.
 */
PG_FUNCTION_INFO_V1(finmon_table_used_at);
Datum
finmon_table_used_at(PG_FUNCTION_ARGS)
{
	ArrayType  *periods;
	int32		period;
	Datum	   *elements;
	bool	   *nulls;
	int			count;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(true);
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	periods = PG_GETARG_ARRAYTYPE_P(0);
	period = PG_GETARG_INT32(1);
	deconstruct_array(periods, INT4OID, sizeof(int32), true, TYPALIGN_INT, &elements, &nulls, &count);
	for (i = 0; i < count; i++)
		if (!nulls[i] && DatumGetInt32(elements[i]) == period)
			PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(false);
}
