/*
 * rates.c
 *		Rates per 100,000 and proportions with confidence intervals, by the
 *		methods of the Public Health England (now OHID) Fingertips tools, as
 *		PHEindicatormethods implements them:
 *
 *		- a rate's interval: Byar's approximation for counts of 10 or more,
 *		  the exact Poisson interval (from the chi-squared distribution)
 *		  below 10 (phe_rate);
 *		- a proportion's interval: Wilson's score method (phe_proportion);
 *		- a directly age-standardised rate: Dobson's method, scaling Byar's
 *		  interval for the total count (phe_dsr).
 *
 * The rate itself is exact numeric arithmetic.  The intervals are computed
 * in double precision, which is ample for a statistic quoted to a few
 * significant figures; the normal and chi-squared quantiles are computed
 * here (below) rather than taken from a library, and agree with R's qnorm
 * and qchisq to about 1e-12 relative.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"

#include "finmon.h"

/* ---------------------------------------------------------------------------
 * Quantiles
 * ---------------------------------------------------------------------------
 */

/*
 * The standard normal quantile: Acklam's rational approximation (relative
 * error below 1.2e-9), refined by one Halley step on erfc, which brings it
 * to machine precision.
 */
static double
normal_quantile(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	double		q,
				r,
				x,
				e,
				u;

	if (p < 0.02425)
	{
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	else if (p <= 1 - 0.02425)
	{
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	else
	{
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	e = 0.5 * erfc(-x / M_SQRT2) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

/* The regularised lower incomplete gamma function P(a, x), a > 0, x >= 0. */
static double
gamma_p(double a, double x)
{
	double		log_prefix;

	if (x <= 0)
		return 0;
	log_prefix = a * log(x) - x - lgamma(a);
	if (x < a + 1)
	{
		/* series: P = e^-x x^a / Gamma(a+1) * sum x^n / ((a+1)...(a+n)) */
		double		term = 1.0 / a;
		double		sum = term;
		int			n;

		for (n = 1; n < 10000; n++)
		{
			term *= x / (a + n);
			sum += term;
			if (fabs(term) < fabs(sum) * 1e-17)
				break;
		}
		return sum * exp(log_prefix);
	}
	else
	{
		/* continued fraction for Q = 1 - P (modified Lentz) */
		double		tiny = 1e-300;
		double		b = x + 1 - a;
		double		c = 1 / tiny;
		double		d = 1 / b;
		double		h = d;
		int			i;

		for (i = 1; i < 10000; i++)
		{
			double		an = -i * (i - a);
			double		delta;

			b += 2;
			d = an * d + b;
			if (fabs(d) < tiny)
				d = tiny;
			c = b + an / c;
			if (fabs(c) < tiny)
				c = tiny;
			d = 1 / d;
			delta = d * c;
			h *= delta;
			if (fabs(delta - 1) < 1e-17)
				break;
		}
		return 1 - exp(log_prefix) * h;
	}
}

/*
 * The chi-squared quantile: the x with P(df/2, x/2) = p, by bisection on a
 * bracket found by doubling, to the last bit or so.  Used for the exact
 * Poisson interval, where df is 2x or 2x + 2 for a count x below 10, so the
 * few hundred evaluations of P it takes are cheap.
 */
static double
chisq_quantile(double p, double df)
{
	double		a = df / 2;
	double		lo = 0;
	double		hi = Max(1.0, a);
	int			i;

	if (p <= 0 || df <= 0)
		return 0;
	while (gamma_p(a, hi) < p)
		hi *= 2;
	for (i = 0; i < 200 && hi - lo > 1e-15 * hi; i++)
	{
		double		mid = (lo + hi) / 2;

		if (gamma_p(a, mid) < p)
			lo = mid;
		else
			hi = mid;
	}
	return lo + hi;				/* 2 * the midpoint: x/2 was the gamma variate */
}

/* ---------------------------------------------------------------------------
 * Checks and conversions
 * ---------------------------------------------------------------------------
 */

static double
to_double(Datum value)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, value));
}

static int
numeric_sign_of(Datum value)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, value,
											 DirectFunctionCall1(int4_numeric, Int32GetDatum(0))));
}

/* A count or population: finite and not negative. */
static void
check_non_negative(Datum value, const char *what)
{
	finmon_check_finite(value, what);
	if (numeric_sign_of(value) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is negative", what,
						DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				 errhint("Counts and populations are numbers of people or events: zero or more.")));
}

/* A denominator: finite, not negative, not zero. */
static void
check_positive(Datum value, const char *what)
{
	check_non_negative(value, what);
	if (numeric_sign_of(value) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DIVISION_BY_ZERO),
				 errmsg("%s is zero", what),
				 errdetail("A rate or proportion of no one is undefined.")));
}

static double
check_confidence(double confidence)
{
	if (!(confidence > 0 && confidence < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence %g is not between 0 and 1", confidence),
				 errhint("0.95 gives a 95%% interval, 0.998 a 99.8%% one.")));
	/* the upper tail's probability must still differ from 1 in double precision */
	if (1 - (1 - confidence) / 2 >= 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence %.17g is too close to 1", confidence),
				 errhint("Confidences up to 0.9999999999 are supported.")));
	return confidence;
}

/* A proportion's numerator cannot exceed its denominator. */
static void
check_proportion(Datum numerator, Datum denominator)
{
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, numerator, denominator)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator %s is greater than denominator %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, numerator)),
						DatumGetCString(DirectFunctionCall1(numeric_out, denominator))),
				 errhint("A proportion counts part of its denominator.")));
}

/* Byar's limits for a count x >= 0, at the given normal quantile z. */
static double
byars_lower(double x, double z)
{
	double		t;

	if (x <= 0)
		return 0;
	t = 1 - 1 / (9 * x) - z / (3 * sqrt(x));
	return x * t * t * t;
}

static double
byars_upper(double x, double z)
{
	double		t = 1 - 1 / (9 * (x + 1)) + z / (3 * sqrt(x + 1));

	return (x + 1) * t * t * t;
}

/*
 * Limits for a Poisson count, as phe_rate: exact below 10, Byar's from 10.
 */
static void
count_interval(double x, double confidence, double *lo, double *hi)
{
	double		alpha = 1 - confidence;

	if (x < 10)
	{
		*lo = x > 0 ? chisq_quantile(alpha / 2, 2 * x) / 2 : 0;
		*hi = chisq_quantile(1 - alpha / 2, 2 * x + 2) / 2;
	}
	else
	{
		double		z = normal_quantile(1 - alpha / 2);

		*lo = byars_lower(x, z);
		*hi = byars_upper(x, z);
	}
}

/*
 * Wilson's score interval for x of n, as a share:
 * (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)).
 */
static void
wilson_interval(double x, double n, double confidence, double *lo, double *hi)
{
	double		z = normal_quantile(1 - (1 - confidence) / 2);
	double		root = z * sqrt(z * z + 4 * x * (1 - x / n));

	*lo = (2 * x + z * z - root) / (2 * (n + z * z));
	*hi = (2 * x + z * z + root) / (2 * (n + z * z));
}

static Datum
interval_tuple(FunctionCallInfo fcinfo, double lo, double hi)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = Float8GetDatum(lo);
	values[1] = Float8GetDatum(hi);
	tupdesc = BlessTupleDesc(tupdesc);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* count / population * multiplier, exactly. */
static Datum
exact_rate(Datum count, Datum population, Datum multiplier)
{
	return DirectFunctionCall2(numeric_div,
							   DirectFunctionCall2(numeric_mul, count, multiplier),
							   population);
}

/* ---------------------------------------------------------------------------
 * Scalar functions
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(finmon_rate);
Datum
finmon_rate(PG_FUNCTION_ARGS)
{
	check_non_negative(PG_GETARG_DATUM(0), "count");
	check_positive(PG_GETARG_DATUM(1), "population");
	check_positive(PG_GETARG_DATUM(2), "multiplier");
	PG_RETURN_DATUM(exact_rate(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), PG_GETARG_DATUM(2)));
}

PG_FUNCTION_INFO_V1(finmon_rate_ci);
Datum
finmon_rate_ci(PG_FUNCTION_ARGS)
{
	double		confidence = check_confidence(PG_GETARG_FLOAT8(2));
	double		population;
	double		multiplier;
	double		lo;
	double		hi;

	check_non_negative(PG_GETARG_DATUM(0), "count");
	check_positive(PG_GETARG_DATUM(1), "population");
	check_positive(PG_GETARG_DATUM(3), "multiplier");
	population = to_double(PG_GETARG_DATUM(1));
	multiplier = to_double(PG_GETARG_DATUM(3));
	count_interval(to_double(PG_GETARG_DATUM(0)), confidence, &lo, &hi);
	PG_RETURN_DATUM(interval_tuple(fcinfo, lo / population * multiplier,
								   hi / population * multiplier));
}

/*
 * Wilson's score interval for numerator x of denominator n, as a share
 * (0 to 1): (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)).
 */
PG_FUNCTION_INFO_V1(finmon_proportion_ci);
Datum
finmon_proportion_ci(PG_FUNCTION_ARGS)
{
	double		confidence = check_confidence(PG_GETARG_FLOAT8(2));
	double		lo;
	double		hi;

	check_non_negative(PG_GETARG_DATUM(0), "numerator");
	check_positive(PG_GETARG_DATUM(1), "denominator");
	check_proportion(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1));
	wilson_interval(to_double(PG_GETARG_DATUM(0)), to_double(PG_GETARG_DATUM(1)), confidence, &lo, &hi);
	PG_RETURN_DATUM(interval_tuple(fcinfo, lo, hi));
}

/*
 * Internal, for finmon_data.measure_computed: a rolling or year-to-date figure's
 * value and 95% interval in one call (so the view computes each once per
 * row), as a rate per head (rate_ci's method) or, when proportion is true,
 * a proportion (Wilson) times the multiplier.  NULL when the denominator is
 * zero: the report shows no value rather than failing.
 */
PG_FUNCTION_INFO_V1(finmon_measure_figures);
Datum
finmon_measure_figures(PG_FUNCTION_ARGS)
{
	Datum		numerator = PG_GETARG_DATUM(0);
	Datum		denominator = PG_GETARG_DATUM(1);
	bool		proportion = PG_GETARG_BOOL(2);
	Datum		multiplier = PG_GETARG_DATUM(3);
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	double		x;
	double		n;
	double		m;
	double		lo;
	double		hi;

	check_non_negative(numerator, "numerator");
	check_non_negative(denominator, "denominator");
	check_positive(multiplier, "multiplier");
	if (numeric_sign_of(denominator) == 0)
		PG_RETURN_NULL();
	if (proportion)
		check_proportion(numerator, denominator);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	x = to_double(numerator);
	n = to_double(denominator);
	m = to_double(multiplier);
	if (proportion)
	{
		wilson_interval(x, n, 0.95, &lo, &hi);
		lo *= m;
		hi *= m;
	}
	else
	{
		count_interval(x, 0.95, &lo, &hi);
		lo = lo / n * m;
		hi = hi / n * m;
	}
	values[0] = exact_rate(numerator, denominator, multiplier);
	values[1] = Float8GetDatum(lo);
	values[2] = Float8GetDatum(hi);
	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------------------------------------------------------------------------
 * rate_agg: sums counts and populations (exact), then the rate and interval
 * ---------------------------------------------------------------------------
 */

typedef struct RateState
{
	Numeric		count;
	Numeric		population;
	Numeric		multiplier;		/* NULL: the default, 100000 */
	int64		rows;
	/* the largest display scale of each column, and how many rows have it */
	int32		count_scale;
	int64		count_scale_rows;
	int32		population_scale;
	int64		population_scale_rows;
} RateState;

static int32
scale_of(Datum value)
{
	return DatumGetInt32(DirectFunctionCall1(numeric_scale, value));
}

/* Note a value's scale; sign -1 forgets one. */
static void
track_scale(int32 *scale, int64 *rows, int32 value_scale, int sign)
{
	if (sign > 0 && (value_scale > *scale || *rows == 0))
	{
		*scale = value_scale;
		*rows = 1;
	}
	else if (value_scale == *scale)
		*rows += sign;
}

/* *sum += sign * value, kept in context. */
static void
add_signed(Numeric *sum, Datum value, int sign, MemoryContext context)
{
	Datum		result;

	if (*sum == NULL)
		result = sign > 0 ? value : DirectFunctionCall1(numeric_uminus, value);
	else
		result = DirectFunctionCall2(sign > 0 ? numeric_add : numeric_sub,
									 NumericGetDatum(*sum), value);
	if (*sum != NULL)
		pfree(*sum);
	*sum = finmon_keep_numeric(result, context);
}

/*
 * Add (sign 1) or remove (sign -1) a row.  Rows with any NULL argument are
 * skipped.  Returns false when a removal cannot be done exactly as sum()
 * would: the last value with the largest display scale is leaving, so the
 * result's scale would differ from a fresh computation; the caller then
 * asks for the frame to be recomputed.
 */
static bool
rate_transition(FunctionCallInfo fcinfo, RateState *state, int sign, MemoryContext context)
{
	int32		count_scale;
	int32		population_scale;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (PG_NARGS() > 3 && PG_ARGISNULL(3)))
		return true;
	check_non_negative(PG_GETARG_DATUM(1), "count");
	check_non_negative(PG_GETARG_DATUM(2), "population");
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
	{
		Datum		multiplier = PG_GETARG_DATUM(3);

		check_positive(multiplier, "multiplier");
		if (state->multiplier == NULL)
			state->multiplier = finmon_keep_numeric(multiplier, context);
		else if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, multiplier,
												   NumericGetDatum(state->multiplier))) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rate_agg was given two multipliers, %s and %s",
							DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(state->multiplier))),
							DatumGetCString(DirectFunctionCall1(numeric_out, multiplier))),
					 errhint("Rates per 100,000 and per 1,000 cannot be combined; group by measure.")));
	}
	count_scale = scale_of(PG_GETARG_DATUM(1));
	population_scale = scale_of(PG_GETARG_DATUM(2));
	if (sign < 0 &&
		((count_scale == state->count_scale && state->count_scale_rows == 1) ||
		 (population_scale == state->population_scale && state->population_scale_rows == 1)))
		return false;
	track_scale(&state->count_scale, &state->count_scale_rows, count_scale, sign);
	track_scale(&state->population_scale, &state->population_scale_rows, population_scale, sign);
	add_signed(&state->count, PG_GETARG_DATUM(1), sign, context);
	add_signed(&state->population, PG_GETARG_DATUM(2), sign, context);
	state->rows += sign;
	if (state->rows == 0 && state->multiplier != NULL)
	{
		/* the frame is empty: forget its multiplier, as if no row had come */
		pfree(state->multiplier);
		state->multiplier = NULL;
	}
	return true;
}

static const FinmonStateType rate_state_type;

/* rate_agg transition function in window frames (its moving state, internal). */
PG_FUNCTION_INFO_V1(finmon_rate_accum);
Datum
finmon_rate_accum(PG_FUNCTION_ARGS)
{
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_rate_accum");
	RateState  *state = PG_ARGISNULL(0) ? NULL : (RateState *) PG_GETARG_POINTER(0);

	if (state == NULL)
		state = MemoryContextAllocZero(context, sizeof(RateState));
	rate_transition(fcinfo, state, 1, context);
	PG_RETURN_POINTER(state);
}

/* Inverse transition for moving frames (rolling 12 months): exact subtraction. */
PG_FUNCTION_INFO_V1(finmon_rate_discard);
Datum
finmon_rate_discard(PG_FUNCTION_ARGS)
{
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_rate_discard");
	RateState  *state = (RateState *) PG_GETARG_POINTER(0);

	if (!rate_transition(fcinfo, state, -1, context))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/* rate_agg transition function: its state a finmon.rate_state, changed in place. */
PG_FUNCTION_INFO_V1(finmon_rate_state_accum);
Datum
finmon_rate_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_rate_state_accum");
	RateState  *state = finmon_state_for_update(fcinfo, 0, &rate_state_type, "finmon_rate_state_accum");

	rate_transition(fcinfo, state, 1, context);
	PG_RETURN_DATUM(finmon_state_datum(state));
}

/* Fold one partial state into another. */
static void
rate_fold(RateState *into, const RateState *from, MemoryContext context)
{
	if (from->multiplier != NULL)
	{
		if (into->multiplier == NULL)
			into->multiplier = finmon_keep_numeric(NumericGetDatum(from->multiplier), context);
		else if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(into->multiplier),
												   NumericGetDatum(from->multiplier))) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rate_agg was given two multipliers, %s and %s",
							DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(into->multiplier))),
							DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(from->multiplier)))),
					 errhint("Rates per 100,000 and per 1,000 cannot be combined; group by measure.")));
	}
	if (from->count_scale > into->count_scale || into->count_scale_rows == 0)
	{
		into->count_scale = from->count_scale;
		into->count_scale_rows = from->count_scale_rows;
	}
	else if (from->count_scale == into->count_scale)
		into->count_scale_rows += from->count_scale_rows;
	if (from->population_scale > into->population_scale || into->population_scale_rows == 0)
	{
		into->population_scale = from->population_scale;
		into->population_scale_rows = from->population_scale_rows;
	}
	else if (from->population_scale == into->population_scale)
		into->population_scale_rows += from->population_scale_rows;
	if (from->count != NULL)
		add_signed(&into->count, NumericGetDatum(from->count), 1, context);
	if (from->population != NULL)
		add_signed(&into->population, NumericGetDatum(from->population), 1, context);
	if (pg_add_s64_overflow(into->rows, from->rows, &into->rows))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rate_agg: more rows than a 64-bit count holds")));
}

/* rate_agg combine function. */
PG_FUNCTION_INFO_V1(finmon_rate_state_combine);
Datum
finmon_rate_state_combine(PG_FUNCTION_ARGS)
{
	RateState  *into;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	into = finmon_state_for_update(fcinfo, 0, &rate_state_type, "finmon_rate_state_combine");
	rate_fold(into, finmon_state_read(PG_GETARG_DATUM(1), &rate_state_type),
			  finmon_aggregate_context(fcinfo, "finmon_rate_state_combine"));
	PG_RETURN_DATUM(finmon_state_datum(into));
}

static void
rate_serialize(StringInfo buf, const void *state)
{
	const RateState *s = state;

	pq_sendint64(buf, s->rows);
	pq_sendint32(buf, s->count_scale);
	pq_sendint64(buf, s->count_scale_rows);
	pq_sendint32(buf, s->population_scale);
	pq_sendint64(buf, s->population_scale_rows);
	finmon_send_numeric(buf, s->count);
	finmon_send_numeric(buf, s->population);
	finmon_send_numeric(buf, s->multiplier);
}

static void
rate_deserialize(FinmonStateReader *r, void *state, MemoryContext context)
{
	RateState  *s = state;

	s->rows = finmon_state_read_int64(r);
	s->count_scale = finmon_state_read_int32(r);
	s->count_scale_rows = finmon_state_read_int64(r);
	s->population_scale = finmon_state_read_int32(r);
	s->population_scale_rows = finmon_state_read_int64(r);
	s->count = finmon_state_read_numeric(r, context);
	s->population = finmon_state_read_numeric(r, context);
	s->multiplier = finmon_state_read_numeric(r, context);
	finmon_state_check(r, s->rows >= 0, "negative row count");
	finmon_state_check(r, s->count_scale >= 0 && s->count_scale <= NUMERIC_MAX_DISPLAY_SCALE &&
					   s->population_scale >= 0 && s->population_scale <= NUMERIC_MAX_DISPLAY_SCALE,
					   "scale out of range");
	finmon_state_check(r, s->count_scale_rows >= 0 && s->count_scale_rows <= s->rows &&
					   s->population_scale_rows >= 0 && s->population_scale_rows <= s->rows,
					   "scale counts out of range");
	finmon_state_check(r, (s->rows > 0) == (s->count != NULL && s->population != NULL) &&
					   (s->rows > 0 || s->multiplier == NULL), "sums that do not match the row count");
	finmon_state_check(r, s->count == NULL || numeric_sign_of(NumericGetDatum(s->count)) >= 0, "negative count");
	finmon_state_check(r, s->population == NULL || numeric_sign_of(NumericGetDatum(s->population)) >= 0,
					   "negative population");
	finmon_state_check(r, s->multiplier == NULL || numeric_sign_of(NumericGetDatum(s->multiplier)) > 0,
					   "multiplier not positive");
}

static const FinmonStateType rate_state_type = {
	"rate_state", sizeof(RateState), rate_serialize, rate_deserialize
};

/* Its text form, finmon_rate_state_in and _out; binary, _recv and _send. */
FINMON_STATE_TYPE_IO(rate, rate_state_type);

/*
 * rate_agg's combine, serial and deserial functions as finmon's released
 * install scripts (0.1.0 to 1.0.0) declare them, with an internal state
 * (finmon_rate_accum and finmon_rate_final serve them as they serve window
 * frames), until the extension is updated.
 */
PG_FUNCTION_INFO_V1(finmon_rate_combine);
Datum
finmon_rate_combine(PG_FUNCTION_ARGS)
{
	RateState  *into;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	into = finmon_internal_state(fcinfo, 0, &rate_state_type, "finmon_rate_combine");
	rate_fold(into, (const RateState *) PG_GETARG_POINTER(1), finmon_aggregate_context(fcinfo, "finmon_rate_combine"));
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(finmon_rate_serialize);
Datum
finmon_rate_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(finmon_internal_serialize(fcinfo, &rate_state_type, "finmon_rate_serialize"));
}

PG_FUNCTION_INFO_V1(finmon_rate_deserialize);
Datum
finmon_rate_deserialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(finmon_internal_deserialize(fcinfo, &rate_state_type, "finmon_rate_deserialize"));
}

/*
 * (count, population, rate, ci_lower, ci_upper) with a 95% interval, or NULL
 * when no row had both a count and a population.
 */
static Datum
rate_result(FunctionCallInfo fcinfo, const RateState *state)
{
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	Datum		multiplier;
	double		population;
	double		lo;
	double		hi;

	if (state == NULL || state->rows == 0 || state->count == NULL)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type of a rate_agg final function must be a row type");
	check_positive(NumericGetDatum(state->population), "total population");

	multiplier = state->multiplier != NULL ? NumericGetDatum(state->multiplier)
		: DirectFunctionCall1(int4_numeric, Int32GetDatum(100000));
	values[0] = NumericGetDatum(state->count);
	values[1] = NumericGetDatum(state->population);
	values[2] = exact_rate(values[0], values[1], multiplier);
	population = to_double(values[1]);
	count_interval(to_double(values[0]), 0.95, &lo, &hi);
	values[3] = Float8GetDatum(lo / population * to_double(multiplier));
	values[4] = Float8GetDatum(hi / population * to_double(multiplier));

	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* rate_agg final function. */
PG_FUNCTION_INFO_V1(finmon_rate_state_final);
Datum
finmon_rate_state_final(PG_FUNCTION_ARGS)
{
	return rate_result(fcinfo, PG_ARGISNULL(0) ? NULL : finmon_state_read(PG_GETARG_DATUM(0), &rate_state_type));
}

/* rate_agg final function in window frames (its moving state). */
PG_FUNCTION_INFO_V1(finmon_rate_final);
Datum
finmon_rate_final(PG_FUNCTION_ARGS)
{
	return rate_result(fcinfo, PG_ARGISNULL(0) ? NULL : (RateState *) PG_GETARG_POINTER(0));
}

/* ---------------------------------------------------------------------------
 * dsr_agg: directly age-standardised rate per 100,000 with Dobson's interval
 * ---------------------------------------------------------------------------
 */

typedef struct DsrState
{
	int64		bands;
	double		count;			/* sum x */
	double		population;		/* sum n */
	double		weights;		/* sum w */
	double		weighted;		/* sum w x / n */
	double		variance;		/* sum w^2 x / n^2 */
} DsrState;

static const FinmonStateType dsr_state_type;

/* Add an age band's row (ignored when any argument is NULL). */
static void
dsr_add(DsrState *state, FunctionCallInfo fcinfo)
{
	double		x;
	double		n;
	double		w;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return;
	check_non_negative(PG_GETARG_DATUM(1), "count");
	check_positive(PG_GETARG_DATUM(2), "population");
	check_non_negative(PG_GETARG_DATUM(3), "standard population");
	x = to_double(PG_GETARG_DATUM(1));
	n = to_double(PG_GETARG_DATUM(2));
	w = to_double(PG_GETARG_DATUM(3));
	state->bands++;
	state->count += x;
	state->population += n;
	state->weights += w;
	state->weighted += w * x / n;
	state->variance += w * w * x / (n * n);
}

/* Fold one partial state into another. */
static void
dsr_fold(DsrState *into, const DsrState *from)
{
	if (pg_add_s64_overflow(into->bands, from->bands, &into->bands))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("dsr_agg: more age bands than a 64-bit count holds")));
	into->count += from->count;
	into->population += from->population;
	into->weights += from->weights;
	into->weighted += from->weighted;
	into->variance += from->variance;
}

/* dsr_agg transition function: its state a finmon.dsr_state, changed in place. */
PG_FUNCTION_INFO_V1(finmon_dsr_state_accum);
Datum
finmon_dsr_state_accum(PG_FUNCTION_ARGS)
{
	DsrState   *state = finmon_state_for_update(fcinfo, 0, &dsr_state_type, "finmon_dsr_state_accum");

	dsr_add(state, fcinfo);
	PG_RETURN_DATUM(finmon_state_datum(state));
}

/* dsr_agg combine function. */
PG_FUNCTION_INFO_V1(finmon_dsr_state_combine);
Datum
finmon_dsr_state_combine(PG_FUNCTION_ARGS)
{
	DsrState   *into;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	into = finmon_state_for_update(fcinfo, 0, &dsr_state_type, "finmon_dsr_state_combine");
	dsr_fold(into, finmon_state_read(PG_GETARG_DATUM(1), &dsr_state_type));
	PG_RETURN_DATUM(finmon_state_datum(into));
}

/* The binary form: the doubles bit for bit, so that a state read back is the same state. */
static void
dsr_serialize(StringInfo buf, const void *state)
{
	const DsrState *s = state;

	pq_sendint64(buf, s->bands);
	pq_sendfloat8(buf, s->count);
	pq_sendfloat8(buf, s->population);
	pq_sendfloat8(buf, s->weights);
	pq_sendfloat8(buf, s->weighted);
	pq_sendfloat8(buf, s->variance);
}

static void
dsr_deserialize(FinmonStateReader *r, void *state, MemoryContext context)
{
	DsrState   *s = state;

	s->bands = finmon_state_read_int64(r);
	s->count = finmon_state_read_float8(r);
	s->population = finmon_state_read_float8(r);
	s->weights = finmon_state_read_float8(r);
	s->weighted = finmon_state_read_float8(r);
	s->variance = finmon_state_read_float8(r);
	/*
	 * Any double may arise from the rows (a population of 1e-200 squares to
	 * zero, an infinite weight): the final function gives what they give.
	 */
	finmon_state_check(r, s->bands >= 0, "negative band count");
	finmon_state_check(r, s->bands > 0 || (s->count == 0 && s->population == 0 && s->weights == 0 &&
										   s->weighted == 0 && s->variance == 0),
					   "sums with no bands");
}

static const FinmonStateType dsr_state_type = {
	"dsr_state", sizeof(DsrState), dsr_serialize, dsr_deserialize
};

/* Its text form, finmon_dsr_state_in and _out; binary, _recv and _send. */
FINMON_STATE_TYPE_IO(dsr, dsr_state_type);

/*
 * (count, population, dsr, ci_lower, ci_upper), per 100,000, 95% interval:
 *   dsr = sum(w x / n) / sum(w) * 100000
 *   var = sum(w^2 x / n^2) / sum(w)^2
 *   limit = dsr + sqrt(var / O) * (L(O) - O) * 100000
 * where O is the total count and L its Byar's limit (exact Poisson below 10).
 * The interval is NULL when the total count is zero (Dobson's method
 * divides by it).
 */
static Datum
dsr_result(FunctionCallInfo fcinfo, const DsrState *state)
{
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	double		dsr;
	double		lo;
	double		hi;

	if (state == NULL || state->bands == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type of a dsr_agg final function must be a row type");
	if (state->weights <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_DIVISION_BY_ZERO),
				 errmsg("the standard populations sum to zero"),
				 errhint("Use the 2013 European Standard Population, finmon.european_standard_population.")));

	dsr = state->weighted / state->weights * 100000;
	values[0] = Float8GetDatum(state->count);
	values[1] = Float8GetDatum(state->population);
	values[2] = Float8GetDatum(dsr);
	if (state->count > 0)
	{
		double		var = state->variance / (state->weights * state->weights);
		double		scale = sqrt(var / state->count) * 100000;

		count_interval(state->count, 0.95, &lo, &hi);
		values[3] = Float8GetDatum(dsr + scale * (lo - state->count));
		values[4] = Float8GetDatum(dsr + scale * (hi - state->count));
	}
	else
	{
		nulls[3] = nulls[4] = true;
		values[3] = values[4] = (Datum) 0;
	}
	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* dsr_agg final function. */
PG_FUNCTION_INFO_V1(finmon_dsr_state_final);
Datum
finmon_dsr_state_final(PG_FUNCTION_ARGS)
{
	return dsr_result(fcinfo, PG_ARGISNULL(0) ? NULL : finmon_state_read(PG_GETARG_DATUM(0), &dsr_state_type));
}

/*
 * dsr_agg as finmon's released install scripts (0.1.0 to 1.0.0) declare it,
 * with an internal state, until the extension is updated.
 */
PG_FUNCTION_INFO_V1(finmon_dsr_accum);
Datum
finmon_dsr_accum(PG_FUNCTION_ARGS)
{
	DsrState   *state = finmon_internal_state(fcinfo, 0, &dsr_state_type, "finmon_dsr_accum");

	dsr_add(state, fcinfo);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(finmon_dsr_combine);
Datum
finmon_dsr_combine(PG_FUNCTION_ARGS)
{
	DsrState   *into;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	into = finmon_internal_state(fcinfo, 0, &dsr_state_type, "finmon_dsr_combine");
	dsr_fold(into, (const DsrState *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(finmon_dsr_serialize);
Datum
finmon_dsr_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(finmon_internal_serialize(fcinfo, &dsr_state_type, "finmon_dsr_serialize"));
}

PG_FUNCTION_INFO_V1(finmon_dsr_deserialize);
Datum
finmon_dsr_deserialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(finmon_internal_deserialize(fcinfo, &dsr_state_type, "finmon_dsr_deserialize"));
}

PG_FUNCTION_INFO_V1(finmon_dsr_final);
Datum
finmon_dsr_final(PG_FUNCTION_ARGS)
{
	return dsr_result(fcinfo, PG_ARGISNULL(0) ? NULL : (const DsrState *) PG_GETARG_POINTER(0));
}
