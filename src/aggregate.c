/*
 * aggregate.c
 *		What finmon's aggregates share: the aggregate's memory context, keeping
 *		a numeric in it, and sending a numeric in a serialised state.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"

#include "finmon.h"

MemoryContext
finmon_aggregate_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext context;

	if (!AggCheckCallContext(fcinfo, &context))
		elog(ERROR, "%s called in non-aggregate context", name);
	return context;
}

/*
 * A copy of a numeric in context.  It is detoasted first: a value read from a
 * table has a short header, and DatumGetNumeric of a copy of it would detoast
 * into the current (per-row) context instead.
 */
Numeric
finmon_keep_numeric(Datum value, MemoryContext context)
{
	MemoryContext old;
	Datum		copy;

	value = PointerGetDatum(DatumGetNumeric(value));
	old = MemoryContextSwitchTo(context);
	copy = datumCopy(value, false, -1);
	MemoryContextSwitchTo(old);
	return (Numeric) DatumGetPointer(copy);
}

/* A numeric or NULL: a flag byte, then the value as text (exact, and portable). */
void
finmon_send_numeric(StringInfo buf, Numeric value)
{
	pq_sendbyte(buf, value != NULL);
	if (value != NULL)
		pq_sendstring(buf, DatumGetCString(DirectFunctionCall1(numeric_out,
															   NumericGetDatum(value))));
}

Numeric
finmon_receive_numeric(StringInfo buf, MemoryContext context)
{
	if (!pq_getmsgbyte(buf))
		return NULL;
	return finmon_keep_numeric(DirectFunctionCall3(numeric_in,
												   CStringGetDatum(pq_getmsgstring(buf)),
												   ObjectIdGetDatum(InvalidOid),
												   Int32GetDatum(-1)),
							   context);
}
