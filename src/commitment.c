/*
 * commitment.c
 *		Care-package commitments: what a priced period of a care package costs
 *		over a window of days, and the aggregate that totals it.
 *
 * A row of packages.csv costs weekly_cost x d / 7 over a window, where d is
 * the number of days of the window on which it is active (both ends
 * inclusive), rounded once to the penny, half away from zero.  It is computed
 * exactly: in 128-bit integers when the weekly cost has at most six decimal
 * places (every loaded one has two), otherwise in numeric.
 *
 * The aggregate's state is a type of finmon's own, finmon.commitment_state,
 * not internal, so that Citus can run the partial step on its workers and
 * ship the states.  PostgreSQL accepts serialisation functions only for an
 * internal state: a parallel worker passes this one as a plain fixed-length
 * datum, and a Citus worker sends it with the type's send function.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/numeric.h"

#include "finmon.h"

/* Weekly costs are summed in millionths of a pound. */
#define WEEKLY_SCALE	6
#define WEEKLY_UNIT		INT64CONST(1000000)

/*
 * The state: rows active in the window, the cost in pence (each row rounded
 * once), and the weekly cost of the rows active on the window's last day in
 * millionths of a pound.
 */
typedef struct CommitmentState
{
	int64		packages;
	int128		cost_pence;
	int128		weekly_at_end;
} CommitmentState;

StaticAssertDecl(sizeof(CommitmentState) == 40, "commitment_state is 40 bytes (finmon.commitment_state's INTERNALLENGTH)");

/* A date as YYYY-MM-DD, whatever DateStyle says (as the files write them). */
static char *
date_text(DateADT date)
{
	int			year,
				month,
				day;

	if (DATE_IS_NOBEGIN(date))
		return pstrdup("-infinity");
	if (DATE_IS_NOEND(date))
		return pstrdup("infinity");
	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	if (year <= 0)
		return psprintf("%04d-%02d-%02d BC", 1 - year, month, day);
	return psprintf("%04d-%02d-%02d", year, month, day);
}

static char *
numeric_text(Datum value)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, value));
}

/* Raise 22008 unless a window's bound is a finite date. */
static void
check_window_bound(DateADT bound)
{
	if (DATE_NOT_FINITE(bound))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("window bound %s is not a finite date", date_text(bound)),
				 errhint("A window runs between two dates, such as the day after a period end and 31 March.")));
}

/*
 * The days of the window [window_start, window_end] on which a row running
 * from starts to ends (open-ended when has_end is false) is active; 0 when
 * they do not meet.  Raises 22023 for a row or a window that ends before it
 * starts.
 */
static int64
active_days(DateADT starts, bool has_end, DateADT ends, DateADT window_start, DateADT window_end)
{
	int64		first;
	int64		last;

	check_window_bound(window_start);
	check_window_bound(window_end);
	if (window_end < window_start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window ends on %s, before it starts on %s", date_text(window_end), date_text(window_start))));
	if (has_end && ends < starts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("priced period ends on %s, before it starts on %s", date_text(ends), date_text(starts)),
				 errhint("A period's starts and ends are both inclusive: a one-day period starts and ends on the same day.")));

	/* the infinities are the extreme int32 values, so they need no case of their own */
	first = Max((int64) starts, (int64) window_start);
	last = has_end ? Min((int64) ends, (int64) window_end) : (int64) window_end;
	return last >= first ? last - first + 1 : 0;
}

/* x / denominator rounded to an integer, half away from zero (denominator > 0). */
static inline int128
round_half_away(int128 x, int128 denominator)
{
	int128		magnitude = x < 0 ? -x : x;
	int128		rounded = (2 * magnitude + denominator) / (2 * denominator);

	return x < 0 ? -rounded : rounded;
}

/*
 * The cost in pence of d days at a weekly cost of weekly millionths of a
 * pound: weekly x d / 7 pounds, rounded once.  False on overflow.
 */
static inline bool
cost_pence(int128 weekly, int64 days, int128 *result)
{
	int128		product;

	/* pence = millionths x days x 100 / (7 x 10^6) = millionths x days / 70,000 */
	if (__builtin_mul_overflow(weekly, (int128) days, &product) ||
		product > (((int128) 1) << 125) || product < -(((int128) 1) << 125))
		return false;
	*result = round_half_away(product, 70000);
	return true;
}

/* The cost in numeric, for a weekly cost the 128-bit path does not take. */
static Datum
cost_numeric(Datum weekly, int64 days)
{
	Datum		hundred_days = DirectFunctionCall1(int8_numeric, Int64GetDatum(days * 100));
	Datum		x = DirectFunctionCall2(numeric_mul, weekly, hundred_days);
	Datum		twice = DirectFunctionCall2(numeric_mul, DirectFunctionCall1(numeric_abs, x),
											DirectFunctionCall1(int8_numeric, Int64GetDatum(2)));
	Datum		pence;

	/* pence = sign(x) x floor((2|x| + 7) / 14), where x = weekly x days x 100 */
	pence = DirectFunctionCall2(numeric_div_trunc,
								DirectFunctionCall2(numeric_add, twice,
													DirectFunctionCall1(int8_numeric, Int64GetDatum(7))),
								DirectFunctionCall1(int8_numeric, Int64GetDatum(14)));
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, x, DirectFunctionCall1(int8_numeric, Int64GetDatum(0)))))
		pence = DirectFunctionCall1(numeric_uminus, pence);
	/*
	 * Pounds: pence times 0.01, which is exact (numeric_div would keep only
	 * about 16 significant digits, rounding the pence of costs from about
	 * 10^17 pounds away).
	 */
	return DirectFunctionCall2(numeric_mul, pence,
							   DirectFunctionCall3(numeric_in, CStringGetDatum("0.01"),
												   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

/*
 * finmon.package_cost(weekly_cost, starts, ends, window_start, window_end):
 * what a priced period costs over the window, to the penny.  NULL when the
 * weekly cost, the start or a window bound is NULL; a NULL end is open-ended.
 */
PG_FUNCTION_INFO_V1(finmon_package_cost);
Datum
finmon_package_cost(PG_FUNCTION_ARGS)
{
	Datum		weekly;
	int64		day_count;
	int128		micro;
	int128		pence;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	weekly = PG_GETARG_DATUM(0);
	finmon_check_finite(weekly, "weekly cost");
	day_count = active_days(PG_GETARG_DATEADT(1), !PG_ARGISNULL(2), PG_ARGISNULL(2) ? 0 : PG_GETARG_DATEADT(2),
							PG_GETARG_DATEADT(3), PG_GETARG_DATEADT(4));
	if (finmon_numeric_scaled(weekly, WEEKLY_SCALE, &micro) && cost_pence(micro, day_count, &pence))
		PG_RETURN_NUMERIC(finmon_int128_numeric(pence, 2));
	PG_RETURN_DATUM(cost_numeric(weekly, day_count));
}

/* The state to change: the aggregate's own, or a copy when called directly. */
static CommitmentState *
state_to_change(FunctionCallInfo fcinfo, int argno)
{
	CommitmentState *state = (CommitmentState *) PG_GETARG_POINTER(argno);

	if (AggCheckCallContext(fcinfo, NULL))
		return state;
	return (CommitmentState *) memcpy(palloc(sizeof(CommitmentState)), state, sizeof(CommitmentState));
}

static pg_noinline void
reject_weekly(Datum weekly)
{
	Datum		micro = DirectFunctionCall2(numeric_mul, weekly,
											DirectFunctionCall1(int8_numeric, Int64GetDatum(WEEKLY_UNIT)));

	if (!DatumGetBool(DirectFunctionCall2(numeric_eq, micro, DirectFunctionCall2(numeric_trunc, micro, Int32GetDatum(0)))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weekly cost %s has more than %d decimal places", numeric_text(weekly), WEEKLY_SCALE),
				 errhint("finmon.commitment_agg sums weekly costs exactly to a millionth of a pound; round them first.")));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("weekly cost %s is out of range", numeric_text(weekly))));
}

static pg_noinline void
reject_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("commitment total is out of range")));
}

/*
 * Transition: add a row's cost over the window, count it when it is active
 * in the window, and add its weekly cost when it is active on the window's
 * last day.  Rows with a NULL weekly cost, start or window bound are ignored.
 */
PG_FUNCTION_INFO_V1(finmon_commitment_accum);
Datum
finmon_commitment_accum(PG_FUNCTION_ARGS)
{
	CommitmentState *state;
	Datum		weekly;
	DateADT		starts;
	bool		has_end = !PG_ARGISNULL(3);
	DateADT		ends;
	DateADT		window_end;
	int64		day_count;
	int128		micro;
	int128		pence;

	if (PG_ARGISNULL(0))
		elog(ERROR, "commitment_accum called with a NULL state");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4) || PG_ARGISNULL(5))
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));

	weekly = PG_GETARG_DATUM(1);
	starts = PG_GETARG_DATEADT(2);
	ends = has_end ? PG_GETARG_DATEADT(3) : 0;
	window_end = PG_GETARG_DATEADT(5);
	day_count = active_days(starts, has_end, ends, PG_GETARG_DATEADT(4), window_end);
	if (unlikely(!finmon_numeric_scaled(weekly, WEEKLY_SCALE, &micro)))
	{
		finmon_check_finite(weekly, "weekly cost");
		reject_weekly(weekly);
	}
	if (unlikely(!cost_pence(micro, day_count, &pence)))
		reject_overflow();

	state = state_to_change(fcinfo, 0);
	if (day_count > 0)
	{
		state->packages++;
		if (__builtin_add_overflow(state->cost_pence, pence, &state->cost_pence))
			reject_overflow();
		/* active on the window's last day: started by then, and not ended before it */
		if ((!has_end || ends >= window_end) &&
			__builtin_add_overflow(state->weekly_at_end, micro, &state->weekly_at_end))
			reject_overflow();
	}
	PG_RETURN_POINTER(state);
}

/* Combine: two partial states (from parallel workers, or Citus's shards) into one. */
PG_FUNCTION_INFO_V1(finmon_commitment_combine);
Datum
finmon_commitment_combine(PG_FUNCTION_ARGS)
{
	CommitmentState *state = state_to_change(fcinfo, 0);
	CommitmentState *other = (CommitmentState *) PG_GETARG_POINTER(1);

	if (__builtin_add_overflow(state->packages, other->packages, &state->packages) ||
		__builtin_add_overflow(state->cost_pence, other->cost_pence, &state->cost_pence) ||
		__builtin_add_overflow(state->weekly_at_end, other->weekly_at_end, &state->weekly_at_end))
		reject_overflow();
	PG_RETURN_POINTER(state);
}

/*
 * The weekly cost at the window's end as a numeric: to the penny when it is a
 * whole number of pence (as every loaded cost is), else to as many places as
 * it needs, up to six.
 */
static Numeric
weekly_numeric(int128 micro)
{
	int			scale = WEEKLY_SCALE;
	int128		value = micro;

	while (scale > 2 && value % 10 == 0)
	{
		value /= 10;
		scale--;
	}
	return finmon_int128_numeric(value, scale);
}

/* Final: (cost, packages, weekly_cost_at_end); empty input gives (0.00, 0, 0.00). */
PG_FUNCTION_INFO_V1(finmon_commitment_final);
Datum
finmon_commitment_final(PG_FUNCTION_ARGS)
{
	CommitmentState *state = (CommitmentState *) PG_GETARG_POINTER(0);
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "commitment_final must return a composite type");
	desc = BlessTupleDesc(desc);
	values[0] = NumericGetDatum(finmon_int128_numeric(state->cost_pence, 2));
	values[1] = Int64GetDatum(state->packages);
	values[2] = NumericGetDatum(weekly_numeric(state->weekly_at_end));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* The state's text form: (packages,cost,weekly_cost_at_end), pounds. */
PG_FUNCTION_INFO_V1(finmon_commitment_state_out);
Datum
finmon_commitment_state_out(PG_FUNCTION_ARGS)
{
	CommitmentState *state = (CommitmentState *) PG_GETARG_POINTER(0);

	PG_RETURN_CSTRING(psprintf("(" INT64_FORMAT ",%s,%s)", state->packages,
							   numeric_text(NumericGetDatum(finmon_int128_numeric(state->cost_pence, 2))),
							   numeric_text(NumericGetDatum(finmon_int128_numeric(state->weekly_at_end, WEEKLY_SCALE)))));
}

static pg_noinline void
reject_state_text(const char *text)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type commitment_state: \"%s\"", text),
			 errhint("A commitment state is written (packages,cost,weekly_cost_at_end): a count of zero or more, a cost in pounds and pence, and a weekly cost to at most six decimal places.")));
}

/* A number of the state's text form, at a scale, or a syntax error. */
static int128
state_number(const char *text, const char *number, int scale)
{
	Datum		value;
	int128		result;

	value = DirectFunctionCall3(numeric_in, CStringGetDatum(number), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	if (!finmon_numeric_scaled(value, scale, &result))
		reject_state_text(text);
	return result;
}

PG_FUNCTION_INFO_V1(finmon_commitment_state_in);
Datum
finmon_commitment_state_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	CommitmentState *state = palloc(sizeof(CommitmentState));
	char	   *copy = pstrdup(text);
	char	   *fields[3];
	char	   *p = copy;
	char	   *end;
	int			i;

	/* "(packages,cost,weekly)": digits, a sign and a point, no spaces or exponents */
	if (*p++ != '(' || strspn(p, "0123456789.-,)") != strlen(p))
		reject_state_text(text);
	for (i = 0; i < 3; i++)
	{
		fields[i] = p;
		p += strcspn(p, ",)");
		if (*p != (i < 2 ? ',' : ')') || p == fields[i])
			reject_state_text(text);
		*p++ = '\0';
	}
	if (*p != '\0' || strspn(fields[0], "0123456789") != strlen(fields[0]) || strlen(fields[0]) > 18)
		reject_state_text(text);
	state->packages = strtoi64(fields[0], &end, 10);
	state->cost_pence = state_number(text, fields[1], 2);
	state->weekly_at_end = state_number(text, fields[2], WEEKLY_SCALE);
	PG_RETURN_POINTER(state);
}

static void
send_int128(StringInfo buf, int128 value)
{
	pq_sendint64(buf, (int64) (value >> 64));
	pq_sendint64(buf, (int64) (uint64) value);
}

static int128
receive_int128(StringInfo buf)
{
	int64		high = pq_getmsgint64(buf);
	uint64		low = (uint64) pq_getmsgint64(buf);

	return (int128) (((uint128) high << 64) | low);
}

PG_FUNCTION_INFO_V1(finmon_commitment_state_send);
Datum
finmon_commitment_state_send(PG_FUNCTION_ARGS)
{
	CommitmentState *state = (CommitmentState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, state->packages);
	send_int128(&buf, state->cost_pence);
	send_int128(&buf, state->weekly_at_end);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(finmon_commitment_state_recv);
Datum
finmon_commitment_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CommitmentState *state = palloc(sizeof(CommitmentState));

	state->packages = pq_getmsgint64(buf);
	if (state->packages < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid commitment state: negative count " INT64_FORMAT, state->packages)));
	state->cost_pence = receive_int128(buf);
	state->weekly_at_end = receive_int128(buf);
	PG_RETURN_POINTER(state);
}

/*
 * finmon.package_run_start(starts, ends) OVER (PARTITION BY council, package
 * ORDER BY starts): where each priced period's unbroken run began, the start
 * of the first of the package's priced periods that follow one another
 * without a break (the next starting the day after the last ended).  The
 * state packs the run's start and the last period's end into 64 bits.
 */
#define RUN_STATE(run, ends)	((int64) (((uint64) (uint32) (run) << 32) | (uint32) (ends)))
#define RUN_STATE_START(state)	((DateADT) (int32) (uint32) ((uint64) (state) >> 32))
#define RUN_STATE_END(state)	((DateADT) (int32) (uint32) ((uint64) (state) & 0xFFFFFFFF))

PG_FUNCTION_INFO_V1(finmon_package_run_accum);
Datum
finmon_package_run_accum(PG_FUNCTION_ARGS)
{
	DateADT		starts;
	DateADT		ends;
	DateADT		run;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	starts = PG_GETARG_DATEADT(1);
	/* an open end (NULL or infinity) is never followed */
	ends = PG_ARGISNULL(2) ? DATEVAL_NOEND : PG_GETARG_DATEADT(2);
	run = starts;
	if (!PG_ARGISNULL(0))
	{
		int64		state = PG_GETARG_INT64(0);
		DateADT		last_end = RUN_STATE_END(state);

		if (!DATE_NOT_FINITE(last_end) && (int64) last_end + 1 == (int64) starts)
			run = RUN_STATE_START(state);
	}
	PG_RETURN_INT64(RUN_STATE(run, ends));
}

PG_FUNCTION_INFO_V1(finmon_package_run_final);
Datum
finmon_package_run_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(RUN_STATE_START(PG_GETARG_INT64(0)));
}
