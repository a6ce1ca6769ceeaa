/*
 * reserves.c
 *		Rolling a reserve or provision forward across financial years, and
 *		finding where the chain breaks: a year whose opening balance is not
 *		the previous year's closing balance (opening + movement).
 *
 * The aggregate keeps every (year, opening, movement) it is given and sorts
 * them by year at the end, so it needs no ORDER BY to be right, and its
 * partial states combine by concatenation: parallel and distributed plans
 * give the same answer.  A balance has one row per year, so the state stays
 * small.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"

#include "finmon.h"

typedef struct ChainLink
{
	int32		year;			/* calendar year the financial year starts in */
	Numeric		opening;
	Numeric		movement;
} ChainLink;

typedef struct ChainState
{
	int			count;
	int			capacity;
	ChainLink  *links;
} ChainState;

static ChainState *
new_chain(MemoryContext context)
{
	ChainState *state = MemoryContextAllocZero(context, sizeof(ChainState));

	state->capacity = 8;
	state->links = MemoryContextAlloc(context, state->capacity * sizeof(ChainLink));
	return state;
}

/* Append a link, copying its amounts into the aggregate's context. */
static void
add_link(ChainState *state, int32 year, Datum opening, Datum movement,
		 MemoryContext context)
{
	ChainLink  *link;

	if (state->count == state->capacity)
	{
		state->capacity *= 2;
		state->links = repalloc(state->links, state->capacity * sizeof(ChainLink));
	}
	link = &state->links[state->count++];
	link->year = year;
	link->opening = finmon_keep_numeric(opening, context);
	link->movement = finmon_keep_numeric(movement, context);
}

static char *
year_text(int32 year)
{
	return psprintf("%04d-%02d", year, (year + 1) % 100);
}

/* Rows with any NULL are skipped, as a strict transition function would. */
PG_FUNCTION_INFO_V1(finmon_rollforward_accum);
Datum
finmon_rollforward_accum(PG_FUNCTION_ARGS)
{
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_rollforward_accum");
	ChainState *state = PG_ARGISNULL(0) ? NULL : (ChainState *) PG_GETARG_POINTER(0);
	text	   *year;

	if (state == NULL)
		state = new_chain(context);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(state);
	year = PG_GETARG_TEXT_PP(1);
	finmon_check_finite(PG_GETARG_DATUM(2), "opening balance");
	finmon_check_finite(PG_GETARG_DATUM(3), "movement");
	add_link(state,
			 finmon_parse_financial_year(VARDATA_ANY(year), VARSIZE_ANY_EXHDR(year)),
			 PG_GETARG_DATUM(2), PG_GETARG_DATUM(3), context);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(finmon_rollforward_combine);
Datum
finmon_rollforward_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_rollforward_combine");
	ChainState *into = PG_ARGISNULL(0) ? NULL : (ChainState *) PG_GETARG_POINTER(0);
	ChainState *from = PG_ARGISNULL(1) ? NULL : (ChainState *) PG_GETARG_POINTER(1);
	int			i;

	if (from == NULL)
	{
		if (into == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(into);
	}
	if (into == NULL)
		into = new_chain(context);
	for (i = 0; i < from->count; i++)
		add_link(into, from->links[i].year, NumericGetDatum(from->links[i].opening),
				 NumericGetDatum(from->links[i].movement), context);
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(finmon_rollforward_serialize);
Datum
finmon_rollforward_serialize(PG_FUNCTION_ARGS)
{
	ChainState *state = (ChainState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	(void) finmon_aggregate_context(fcinfo, "finmon_rollforward_serialize");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, state->count);
	for (i = 0; i < state->count; i++)
	{
		pq_sendint32(&buf, state->links[i].year);
		finmon_send_numeric(&buf, state->links[i].opening);
		finmon_send_numeric(&buf, state->links[i].movement);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(finmon_rollforward_deserialize);
Datum
finmon_rollforward_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_rollforward_deserialize");
	StringInfoData buf;
	ChainState *state = new_chain(context);
	int			count;
	int			i;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
	count = pq_getmsgint(&buf, 4);
	for (i = 0; i < count; i++)
	{
		int32		year = pq_getmsgint(&buf, 4);
		Numeric		opening = finmon_receive_numeric(&buf, CurrentMemoryContext);
		Numeric		movement = finmon_receive_numeric(&buf, CurrentMemoryContext);

		add_link(state, year, NumericGetDatum(opening), NumericGetDatum(movement), context);
	}
	pq_getmsgend(&buf);
	pfree(buf.data);
	PG_RETURN_POINTER(state);
}

static int
link_order(const void *a, const void *b)
{
	int32		ya = ((const ChainLink *) a)->year;
	int32		yb = ((const ChainLink *) b)->year;

	return (ya > yb) - (ya < yb);
}

static Datum
numeric_array(Datum *values, int count)
{
	if (count == 0)
		return PointerGetDatum(construct_empty_array(NUMERICOID));
	return PointerGetDatum(construct_array(values, count, NUMERICOID, -1, false, TYPALIGN_INT));
}

/*
 * (first_year, last_year, years, opening_balance, closing_balance, breaks,
 * break_years, break_expected, break_stated), or NULL for no rows.
 * Years are compared with the latest earlier year given: a missing year is
 * not itself a break.  Works on a sorted copy, so the state is unchanged.
 */
PG_FUNCTION_INFO_V1(finmon_rollforward_final);
Datum
finmon_rollforward_final(PG_FUNCTION_ARGS)
{
	ChainState *state = PG_ARGISNULL(0) ? NULL : (ChainState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc;
	ChainLink  *links;
	Datum	   *years;
	Datum	   *expected;
	Datum	   *stated;
	Datum		closing = (Datum) 0;
	Datum		values[9];
	bool		nulls[9] = {false, false, false, false, false, false, false, false, false};
	int			breaks = 0;
	int			i;

	if (state == NULL || state->count == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type of finmon_rollforward_final must be a row type");

	links = palloc(state->count * sizeof(ChainLink));
	memcpy(links, state->links, state->count * sizeof(ChainLink));
	qsort(links, state->count, sizeof(ChainLink), link_order);

	years = palloc(state->count * sizeof(Datum));
	expected = palloc(state->count * sizeof(Datum));
	stated = palloc(state->count * sizeof(Datum));
	for (i = 0; i < state->count; i++)
	{
		Datum		opening = NumericGetDatum(links[i].opening);

		if (i > 0 && links[i].year == links[i - 1].year)
			ereport(ERROR,
					(errcode(ERRCODE_CARDINALITY_VIOLATION),
					 errmsg("reserve_rollforward was given two rows for %s",
							year_text(links[i].year)),
					 errhint("A balance rolls forward from one row per financial year: group by the balance and pick one period per year.")));
		if (i > 0 && DatumGetInt32(DirectFunctionCall2(numeric_cmp, opening, closing)) != 0)
		{
			years[breaks] = CStringGetTextDatum(year_text(links[i].year));
			expected[breaks] = closing;
			stated[breaks] = opening;
			breaks++;
		}
		closing = DirectFunctionCall2(numeric_add, opening,
									  NumericGetDatum(links[i].movement));
	}

	values[0] = CStringGetTextDatum(year_text(links[0].year));
	values[1] = CStringGetTextDatum(year_text(links[state->count - 1].year));
	values[2] = Int32GetDatum(state->count);
	values[3] = NumericGetDatum(links[0].opening);
	values[4] = closing;
	values[5] = Int32GetDatum(breaks);
	values[6] = breaks == 0 ? PointerGetDatum(construct_empty_array(TEXTOID))
		: PointerGetDatum(construct_array(years, breaks, TEXTOID, -1, false, TYPALIGN_INT));
	values[7] = numeric_array(expected, breaks);
	values[8] = numeric_array(stated, breaks);

	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
