/*
 * savings.c
 *		The savings programme: a saving's shortfall against its target, its
 *		RAG status, and the aggregate that totals a programme.
 *
 * Savings carry the papers' sign: a saving is negative (-2500000), the
 * reversal of an earlier saving positive.  The shortfall is forecast minus
 * target, so positive means not delivered, whichever the sign, as in the
 * papers' variance column.
 *
 * A savings programme has tens of rows, not millions, so the aggregate adds
 * with numeric arithmetic rather than variance_agg's fixed-point fast path.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"

#include "finmon.h"

static int
cmp(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

static Datum
zero(void)
{
	return DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
}

/* Forecast minus target: positive is a shortfall, negative over-delivery. */
PG_FUNCTION_INFO_V1(finmon_savings_shortfall);
Datum
finmon_savings_shortfall(PG_FUNCTION_ARGS)
{
	finmon_check_finite(PG_GETARG_DATUM(0), "target");
	finmon_check_finite(PG_GETARG_DATUM(1), "forecast");
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_sub, PG_GETARG_DATUM(1),
										PG_GETARG_DATUM(0)));
}

/*
 * The RAG status a forecast earns against its target.
 *
 * Green: delivered in full (shortfall zero or less).  For a saving (a
 * negative target) that is not Green: Red when the forecast delivers less
 * than red_below of the target, Amber otherwise; the comparison is
 * forecast/target < red_below, done as forecast > red_below * target so no
 * division rounds.  A zero or positive target (nothing to save, or a
 * reversal) that is exceeded has nothing delivered to share out: Red.
 */
static const char *
savings_rag(Datum target, Datum forecast, Datum red_below)
{
	Datum		shortfall = DirectFunctionCall2(numeric_sub, forecast, target);

	if (cmp(shortfall, zero()) <= 0)
		return "Green";
	if (cmp(target, zero()) >= 0)
		return "Red";
	if (cmp(forecast, DirectFunctionCall2(numeric_mul, red_below, target)) > 0)
		return "Red";
	return "Amber";
}

PG_FUNCTION_INFO_V1(finmon_savings_rag);
Datum
finmon_savings_rag(PG_FUNCTION_ARGS)
{
	Datum		red_below = PG_GETARG_DATUM(2);

	finmon_check_finite(PG_GETARG_DATUM(0), "target");
	finmon_check_finite(PG_GETARG_DATUM(1), "forecast");
	finmon_check_finite(red_below, "red_below");
	if (cmp(red_below, zero()) < 0 ||
		cmp(red_below, DirectFunctionCall1(int4_numeric, Int32GetDatum(1))) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("red_below %s is not a share between 0 and 1",
						DatumGetCString(DirectFunctionCall1(numeric_out, red_below))),
				 errhint("0.5 means Red when less than half of the target is delivered.")));
	PG_RETURN_TEXT_P(cstring_to_text(savings_rag(PG_GETARG_DATUM(0),
												 PG_GETARG_DATUM(1), red_below)));
}

/*
 * savings_agg state (a finmon.savings_state while the aggregate runs).  The
 * sums are numerics in the aggregate's memory context (NULL until a value
 * arrives); schemes counts rows with a target
 * or a forecast, off_target those whose forecast falls short of their
 * target, a missing one counting as zero.
 */
typedef struct SavingsState
{
	Numeric		target;
	Numeric		forecast;
	int64		schemes;
	int64		off_target;
} SavingsState;

/* *sum += value, the new sum kept in context. */
static void
add_to(Numeric *sum, Datum value, MemoryContext context)
{
	Numeric		result;

	if (*sum == NULL)
		result = finmon_keep_numeric(value, context);
	else
	{
		result = finmon_keep_numeric(DirectFunctionCall2(numeric_add, NumericGetDatum(*sum), value),
									 context);
		pfree(*sum);
	}
	*sum = result;
}

static const FinmonStateType savings_state_type;

/* Add a row: ignored when it has neither figure; a missing one counts as zero. */
static void
savings_add(SavingsState *state, FunctionCallInfo fcinfo, MemoryContext context)
{
	bool		has_target = !PG_ARGISNULL(1);
	bool		has_forecast = !PG_ARGISNULL(2);
	Datum		target = has_target ? PG_GETARG_DATUM(1) : zero();
	Datum		forecast = has_forecast ? PG_GETARG_DATUM(2) : zero();

	if (!has_target && !has_forecast)
		return;
	finmon_check_finite(target, "target");
	finmon_check_finite(forecast, "forecast");
	if (has_target)
		add_to(&state->target, target, context);
	if (has_forecast)
		add_to(&state->forecast, forecast, context);
	state->schemes++;
	if (cmp(forecast, target) > 0)
		state->off_target++;
}

/* Fold one partial state into another. */
static void
savings_fold(SavingsState *into, const SavingsState *from, MemoryContext context)
{
	if (from->target != NULL)
		add_to(&into->target, NumericGetDatum(from->target), context);
	if (from->forecast != NULL)
		add_to(&into->forecast, NumericGetDatum(from->forecast), context);
	if (pg_add_s64_overflow(into->schemes, from->schemes, &into->schemes) ||
		pg_add_s64_overflow(into->off_target, from->off_target, &into->off_target))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("savings_agg: more schemes than a 64-bit count holds")));
}

/* savings_agg transition function: its state a finmon.savings_state, changed in place. */
PG_FUNCTION_INFO_V1(finmon_savings_state_accum);
Datum
finmon_savings_state_accum(PG_FUNCTION_ARGS)
{
	SavingsState *state = finmon_state_for_update(fcinfo, 0, &savings_state_type, "finmon_savings_state_accum");

	savings_add(state, fcinfo, finmon_aggregate_context(fcinfo, "finmon_savings_state_accum"));
	PG_RETURN_DATUM(finmon_state_datum(state));
}

/* savings_agg combine function. */
PG_FUNCTION_INFO_V1(finmon_savings_state_combine);
Datum
finmon_savings_state_combine(PG_FUNCTION_ARGS)
{
	SavingsState *into;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	into = finmon_state_for_update(fcinfo, 0, &savings_state_type, "finmon_savings_state_combine");
	savings_fold(into, finmon_state_read(PG_GETARG_DATUM(1), &savings_state_type),
				 finmon_aggregate_context(fcinfo, "finmon_savings_state_combine"));
	PG_RETURN_DATUM(finmon_state_datum(into));
}

static void
savings_serialize(StringInfo buf, const void *state)
{
	const SavingsState *s = state;

	pq_sendint64(buf, s->schemes);
	pq_sendint64(buf, s->off_target);
	finmon_send_numeric(buf, s->target);
	finmon_send_numeric(buf, s->forecast);
}

static void
savings_deserialize(FinmonStateReader *r, void *state, MemoryContext context)
{
	SavingsState *s = state;

	s->schemes = finmon_state_read_int64(r);
	s->off_target = finmon_state_read_int64(r);
	s->target = finmon_state_read_numeric(r, context);
	s->forecast = finmon_state_read_numeric(r, context);
	finmon_state_check(r, s->schemes >= 0 && s->off_target >= 0 && s->off_target <= s->schemes,
					   "scheme counts out of range");
	finmon_state_check(r, s->schemes > 0 || (s->target == NULL && s->forecast == NULL), "sums with no schemes");
}

static const FinmonStateType savings_state_type = {
	"savings_state", sizeof(SavingsState), savings_serialize, savings_deserialize
};

/* Its text form, finmon_savings_state_in and _out; binary, _recv and _send. */
FINMON_STATE_TYPE_IO(savings, savings_state_type);

/*
 * (target, forecast, shortfall, delivered_pct, schemes, schemes_off_target),
 * or NULL when no row had a target or a forecast.  A sum with no values is
 * zero; delivered_pct is forecast / target * 100, NULL for a zero target.
 */
static Datum
savings_result(FunctionCallInfo fcinfo, const SavingsState *state)
{
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};

	if (state == NULL || state->schemes == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type of a savings_agg final function must be a row type");

	values[0] = state->target ? NumericGetDatum(state->target) : zero();
	values[1] = state->forecast ? NumericGetDatum(state->forecast) : zero();
	values[2] = DirectFunctionCall2(numeric_sub, values[1], values[0]);
	if (cmp(values[0], zero()) == 0)
	{
		values[3] = (Datum) 0;
		nulls[3] = true;
	}
	else
		values[3] = DirectFunctionCall2(numeric_mul,
										DirectFunctionCall2(numeric_div, values[1], values[0]),
										DirectFunctionCall1(int4_numeric, Int32GetDatum(100)));
	values[4] = Int64GetDatum(state->schemes);
	values[5] = Int64GetDatum(state->off_target);

	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* savings_agg final function. */
PG_FUNCTION_INFO_V1(finmon_savings_state_final);
Datum
finmon_savings_state_final(PG_FUNCTION_ARGS)
{
	return savings_result(fcinfo, PG_ARGISNULL(0) ? NULL : finmon_state_read(PG_GETARG_DATUM(0), &savings_state_type));
}

/*
 * savings_agg as finmon's released install scripts (0.1.0 to 1.0.0) declare
 * it, with an internal state, until the extension is updated.
 */
PG_FUNCTION_INFO_V1(finmon_savings_accum);
Datum
finmon_savings_accum(PG_FUNCTION_ARGS)
{
	SavingsState *state = finmon_internal_state(fcinfo, 0, &savings_state_type, "finmon_savings_accum");

	savings_add(state, fcinfo, finmon_aggregate_context(fcinfo, "finmon_savings_accum"));
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(finmon_savings_combine);
Datum
finmon_savings_combine(PG_FUNCTION_ARGS)
{
	SavingsState *into;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	into = finmon_internal_state(fcinfo, 0, &savings_state_type, "finmon_savings_combine");
	savings_fold(into, (const SavingsState *) PG_GETARG_POINTER(1),
				 finmon_aggregate_context(fcinfo, "finmon_savings_combine"));
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(finmon_savings_serialize);
Datum
finmon_savings_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(finmon_internal_serialize(fcinfo, &savings_state_type, "finmon_savings_serialize"));
}

PG_FUNCTION_INFO_V1(finmon_savings_deserialize);
Datum
finmon_savings_deserialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(finmon_internal_deserialize(fcinfo, &savings_state_type, "finmon_savings_deserialize"));
}

PG_FUNCTION_INFO_V1(finmon_savings_final);
Datum
finmon_savings_final(PG_FUNCTION_ARGS)
{
	return savings_result(fcinfo, PG_ARGISNULL(0) ? NULL : (const SavingsState *) PG_GETARG_POINTER(0));
}
