/*
 * variance.c
 *		Budget variances: forecast outturn against budget, as a committee
 *		paper reports them, and the aggregate that totals them exactly.
 *
 * Money is exact.  The aggregate keeps each column's sum in three parts:
 * sums of base-10000 digits by position (the usual amount, a short numeric
 * of at most four digits between 10^-8 and 10^23, adds its digits there: no
 * multiplication, no overflow check), a 128-bit integer scaled to the largest
 * display scale seen, rounded up to whole base-10000 digits (amounts the
 * digit sums do not take, and the digit sums when they are folded), and a
 * numeric for anything that does not fit or would overflow.  The sum is always
 * the three added, so the answer is exactly what sum(numeric) returns, digit
 * for digit and scale for scale.
 *
 * The fast path reads numeric's on-disk format directly.  That format has
 * been stable since PostgreSQL 9.1 (it is what pg_upgrade relies on); the
 * constants below mirror those in src/backend/utils/adt/numeric.c.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "finmon.h"

#ifndef HAVE_INT128
#error finmon needs a compiler with a 128-bit integer type
#endif

/*
 * The constants below were checked against numeric.c of PostgreSQL 15, the
 * server finmon is built and tested for.  Before widening this range, compare
 * them with numeric.c of the new server.
 */
#if PG_VERSION_NUM < 150000 || PG_VERSION_NUM >= 160000
#error "finmon reads numeric's on-disk format as PostgreSQL 15 writes it (src/variance.c): check it against this server's numeric.c before building for it"
#endif

/* numeric's on-disk header, as in numeric.c */
#define NUM_SIGN_MASK			0xC000
#define NUM_NEG					0x4000
#define NUM_SHORT				0x8000
#define NUM_SPECIAL				0xC000
#define NUM_SHORT_SIGN_MASK		0x2000
#define NUM_SHORT_DSCALE_MASK	0x1F80
#define NUM_SHORT_DSCALE_SHIFT	7
#define NUM_SHORT_WEIGHT_SIGN	0x0040
#define NUM_SHORT_WEIGHT_MASK	0x003F
#define NUM_DSCALE_MASK			0x3FFF
#define NUM_NBASE_DIGITS		4	/* decimal digits per base-10000 digit */

/* 10^0 .. 10^38: every power of ten a signed 128-bit integer holds */
#define MAX_POW10				38
static int128 pow10_table[MAX_POW10 + 1];

/* At module load: fill the table of powers of ten. */
void
finmon_variance_init(void)
{
	int			i;

	pow10_table[0] = 1;
	for (i = 1; i <= MAX_POW10; i++)
		pow10_table[i] = pow10_table[i - 1] * 10;
}

/*
 * Digit sums by position: digits[DIGIT_ZERO + p] sums the base-10000 digits
 * worth 10000^p, for p from DIGIT_LOW (10^-8) to DIGIT_HIGH (10^20).  The
 * three slots below DIGIT_LOW only ever receive the zeros of a short amount's
 * missing digits, so that adding an amount is four adds whatever its length.
 * Each add is below 10^4 in magnitude, so a slot could take 9.2 * 10^14
 * amounts without overflowing; the sums are folded into the 128-bit part
 * every DIGIT_ROWS_MAX amounts, far sooner, so that the fold is exercised by
 * any large group (it costs a few hundred instructions each time).
 */
#define DIGIT_LOW				(-2)
#define DIGIT_HIGH				5
#define DIGIT_ZERO				5	/* slot of position 0 */
#define DIGIT_SLOTS				(DIGIT_ZERO + DIGIT_HIGH + 1)
#define DIGIT_ROWS_MAX			65536

/*
 * One column's running sum: count of non-NULL inputs, the largest display
 * scale among them (and how many have it, for the inverse), and the sum as
 * digits plus fast plus slow.  digits are the digit sums above (digit_rows
 * amounts added since they were last folded); fast is an integer at
 * GROUP_SCALE(scale), the display scale rounded up to whole base-10000
 * digits, so that adding a value needs no division; slow is a numeric, or
 * NULL.  A non-zero digit sum at a position below 10^0 implies a display
 * scale that reaches it, so every digit sum is an integer at GROUP_SCALE.
 */
typedef struct SumAccum
{
	int64		count;
	int32		scale;
	int64		scale_count;
	int128		fast;
	Numeric		slow;
	int64		digit_rows;
	int64		digits[DIGIT_SLOTS];
} SumAccum;

#define GROUP_SCALE(scale)	(((scale) + NUM_NBASE_DIGITS - 1) / NUM_NBASE_DIGITS * NUM_NBASE_DIGITS)


typedef struct VarianceState
{
	SumAccum	budget;
	SumAccum	forecast;
} VarianceState;

/* A numeric argument, decoded without copying. */
typedef struct DecodedNumeric
{
	bool		special;		/* NaN or infinity */
	bool		negative;
	int			weight;
	int			dscale;
	int			ndigits;
	const char *digits;			/* ndigits int16s, possibly unaligned */
} DecodedNumeric;

static pg_attribute_always_inline void
decode_numeric(Datum d, DecodedNumeric *n)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	const char *p;
	int			len;
	uint16		header;

	if (unlikely(VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v)))
		v = pg_detoast_datum_packed(v);
	p = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	memcpy(&header, p, sizeof(uint16));
	n->special = (header & NUM_SIGN_MASK) == NUM_SPECIAL;
	if (unlikely(n->special))
	{
		n->negative = false;
		n->weight = n->dscale = n->ndigits = 0;
		n->digits = NULL;
		return;
	}
	if ((header & NUM_SIGN_MASK) == NUM_SHORT)
	{
		n->negative = (header & NUM_SHORT_SIGN_MASK) != 0;
		n->dscale = (header & NUM_SHORT_DSCALE_MASK) >> NUM_SHORT_DSCALE_SHIFT;
		n->weight = (header & NUM_SHORT_WEIGHT_SIGN) ?
			(int) (~NUM_SHORT_WEIGHT_MASK | (header & NUM_SHORT_WEIGHT_MASK)) :
			(int) (header & NUM_SHORT_WEIGHT_MASK);
		p += sizeof(uint16);
		len -= sizeof(uint16);
	}
	else
	{
		int16		weight;

		n->negative = (header & NUM_SIGN_MASK) == NUM_NEG;
		n->dscale = header & NUM_DSCALE_MASK;
		memcpy(&weight, p + sizeof(uint16), sizeof(int16));
		n->weight = weight;
		p += sizeof(uint16) + sizeof(int16);
		len -= sizeof(uint16) + sizeof(int16);
	}
	n->ndigits = len / (int) sizeof(int16);
	n->digits = p;
}

/*
 * The decoded value times 10^scale, if that is an integer that fits in 128
 * bits; false otherwise (the caller then adds it as a numeric).  The general
 * case, for amounts that fast_scaled (below) does not take.
 */
static bool
scaled_int128(const DecodedNumeric *n, int scale, int128 *result)
{
	int128		mantissa = 0;
	int			exponent;
	int			i;

	if (n->ndigits == 0)
	{
		*result = 0;
		return true;
	}
	if (unlikely(n->ndigits > 10))	/* 40 decimal digits or more: beyond 2^127 */
		return false;

	/* value = digits * 10^(4 * (weight - ndigits + 1)), so at the scale: */
	exponent = NUM_NBASE_DIGITS * (n->weight - n->ndigits + 1) + scale;
	/* the last digit, never zero, would lie wholly below the scale */
	if (exponent <= -NUM_NBASE_DIGITS)
		return false;
	for (i = 0; i < n->ndigits; i++)
	{
		int16		digit;
		int128		step = 10000;

		memcpy(&digit, n->digits + i * sizeof(int16), sizeof(int16));
		if (i == n->ndigits - 1 && exponent < 0)
		{
			/* the last digit, cut to the scale first: it must have no more places */
			if (digit % pow10_table[-exponent] != 0)
				return false;
			digit /= pow10_table[-exponent];
			step = pow10_table[NUM_NBASE_DIGITS + exponent];
			exponent = 0;
		}
		/* (ten digits may pass 2^127: checked, as everything that could) */
		if (__builtin_mul_overflow(mantissa, step, &mantissa) ||
			__builtin_add_overflow(mantissa, (int128) digit, &mantissa))
			return false;
	}
	if (exponent > 0 &&
		(exponent > MAX_POW10 || __builtin_mul_overflow(mantissa, pow10_table[exponent], &mantissa)))
		return false;
	*result = n->negative ? -mantissa : mantissa;
	return true;
}

/*
 * Powers of ten for exponents -12 .. 14 (index exponent + 12); the negative
 * ones are never used with a non-zero digit and are 0.
 */
static const int64 pow10_padded[27] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	INT64CONST(1000000000), INT64CONST(10000000000), INT64CONST(100000000000),
	INT64CONST(1000000000000), INT64CONST(10000000000000), INT64CONST(100000000000000)
};
static const int16 zero_digit = 0;

/*
 * The common case in 64-bit arithmetic with no overflow checks: at most four
 * base-10000 digits whose powers of ten, at the given scale, run from 10^0 to
 * 10^14, so that the value is below 10^18.  False when that does not hold.
 * The four products are computed whatever the number of digits (missing
 * digits read as zero), so that no branch depends on the amount.
 */
static pg_attribute_always_inline bool
fast_scaled(const DecodedNumeric *n, int scale, int64 *result)
{
	int			first = NUM_NBASE_DIGITS * n->weight + scale;
	int			nd = n->ndigits;
	const char *p1 = nd > 1 ? n->digits + 2 : (const char *) &zero_digit;
	const char *p2 = nd > 2 ? n->digits + 4 : (const char *) &zero_digit;
	const char *p3 = nd > 3 ? n->digits + 6 : (const char *) &zero_digit;
	const char *p0 = nd > 0 ? n->digits : (const char *) &zero_digit;
	int16		d0,
				d1,
				d2,
				d3;
	int64		value;

	if (unlikely(nd == 0 || nd > 4 || first > 14 || first - NUM_NBASE_DIGITS * (nd - 1) < 0))
	{
		/* (zero: no digits, and its weight may put first anywhere) */
		if (nd != 0)
			return false;
		*result = 0;
		return true;
	}
	memcpy(&d0, p0, sizeof(int16));
	memcpy(&d1, p1, sizeof(int16));
	memcpy(&d2, p2, sizeof(int16));
	memcpy(&d3, p3, sizeof(int16));
	value = (int64) d0 * pow10_padded[first + 12] +
		(int64) d1 * pow10_padded[first + 8] +
		(int64) d2 * pow10_padded[first + 4] +
		(int64) d3 * pow10_padded[first];
	*result = n->negative ? -value : value;
	return true;
}

/* An exact numeric from a 128-bit integer at a decimal scale. */
static Numeric
int128_to_numeric(int128 value, int scale)
{
	char		digits[48];
	char	   *buf;
	char	   *out;
	int			ndigits = 0;
	bool		negative = value < 0;
	int			i;

	/* digits, least significant first */
	do
	{
		int			digit = (int) (value % 10);

		digits[ndigits++] = '0' + (negative ? -digit : digit);
		value /= 10;
	} while (value != 0);

	buf = palloc(ndigits + scale + 4);
	out = buf;
	if (negative)
		*out++ = '-';
	if (ndigits <= scale)
	{
		*out++ = '0';
		*out++ = '.';
		for (i = 0; i < scale - ndigits; i++)
			*out++ = '0';
		for (i = ndigits - 1; i >= 0; i--)
			*out++ = digits[i];
	}
	else
	{
		for (i = ndigits - 1; i >= 0; i--)
		{
			*out++ = digits[i];
			if (i == scale && scale > 0)
				*out++ = '.';
		}
	}
	*out = '\0';
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

static pg_noinline void
reject_special(const DecodedNumeric *n, Datum d, const char *what)
{
	if (n->special)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s amount %s is not a finite number", what,
						DatumGetCString(DirectFunctionCall1(numeric_out, d))),
				 errdetail("Budgets and forecasts are sums of money; NaN and infinity have no meaning there.")));
}

/* Move the fast part into the slow one (used before an overflow). */
static void
flush_fast(SumAccum *acc, MemoryContext context)
{
	MemoryContext old;
	Numeric		fast;

	if (acc->fast == 0)
		return;
	old = MemoryContextSwitchTo(context);
	fast = int128_to_numeric(acc->fast, GROUP_SCALE(acc->scale));
	if (acc->slow == NULL)
		acc->slow = fast;
	else
	{
		Numeric		sum = DatumGetNumeric(DirectFunctionCall2(numeric_add,
															  NumericGetDatum(acc->slow),
															  NumericGetDatum(fast)));

		pfree(acc->slow);
		pfree(fast);
		acc->slow = sum;
	}
	MemoryContextSwitchTo(old);
	acc->fast = 0;
}

/* Raise the display scale, rescaling the fast part (flushing it if it would not fit). */
static inline void
raise_scale(SumAccum *acc, int scale, MemoryContext context)
{
	int			diff;
	int128		rescaled;

	if (likely(scale <= acc->scale))
		return;
	diff = GROUP_SCALE(scale) - GROUP_SCALE(acc->scale);
	if (diff > 0 && acc->fast != 0)
	{
		/* on overflow the builtin stores the wrapped product: never keep it */
		if (diff > MAX_POW10 ||
			__builtin_mul_overflow(acc->fast, pow10_table[diff], &rescaled))
			flush_fast(acc, context);	/* exact, at the old scale */
		else
			acc->fast = rescaled;
	}
	acc->scale = scale;
}

/* Add (sign = 1) or subtract (sign = -1) a numeric to the slow part. */
static void
slow_add(SumAccum *acc, Datum value, int sign, MemoryContext context)
{
	MemoryContext old = MemoryContextSwitchTo(context);
	Numeric		sum;

	if (acc->slow == NULL)
		sum = sign > 0 ? DatumGetNumericCopy(value) :
			DatumGetNumeric(DirectFunctionCall1(numeric_uminus, value));
	else
	{
		sum = DatumGetNumeric(DirectFunctionCall2(sign > 0 ? numeric_add : numeric_sub,
												  NumericGetDatum(acc->slow), value));
		pfree(acc->slow);
	}
	acc->slow = sum;
	MemoryContextSwitchTo(old);
}

/*
 * The digit sum in slot k as an integer at GROUP_SCALE(scale), in *term;
 * false when that does not fit in 128 bits.
 */
static bool
digit_term(int64 sum, int slot, int scale, int128 *term)
{
	int			exponent = NUM_NBASE_DIGITS * (slot - DIGIT_ZERO) + GROUP_SCALE(scale);

	/* a digit below 10^0 raised the scale to reach it: see SumAccum */
	if (unlikely(exponent < 0))
		elog(ERROR, "variance_agg: a digit sum below its display scale");
	if (exponent > MAX_POW10)
		return false;
	return !__builtin_mul_overflow((int128) sum, pow10_table[exponent], term);
}

/* The digit sum in slot k as an exact numeric, in the current memory context. */
static Numeric
digit_numeric(int64 sum, int slot)
{
	char		text[48];

	snprintf(text, sizeof(text), INT64_FORMAT "e%d", sum, NUM_NBASE_DIGITS * (slot - DIGIT_ZERO));
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

/* Move the digit sums into the fast part (into the slow part where they do not fit). */
static pg_noinline void
fold_digits(SumAccum *acc, MemoryContext context)
{
	int			k;

	for (k = 0; k < DIGIT_SLOTS; k++)
	{
		int128		term;
		int128		sum;

		if (acc->digits[k] == 0)
			continue;
		if (digit_term(acc->digits[k], k, acc->scale, &term))
		{
			if (__builtin_add_overflow(acc->fast, term, &sum))
			{
				flush_fast(acc, context);
				sum = term;
			}
			acc->fast = sum;
		}
		else
			slow_add(acc, NumericGetDatum(digit_numeric(acc->digits[k], k)), 1, context);
		acc->digits[k] = 0;
	}
	acc->digit_rows = 0;
}

/*
 * The sum as a fast and a slow part with the digit sums added in, leaving
 * acc as it is (a final function must not change its state): *slow is
 * acc->slow, or a new numeric in the current memory context.
 */
static void
accum_total(const SumAccum *acc, int128 *fast, Numeric *slow)
{
	int			k;

	*fast = acc->fast;
	*slow = acc->slow;
	for (k = 0; k < DIGIT_SLOTS; k++)
	{
		int128		term;
		int128		sum;
		Numeric		extra;

		if (acc->digits[k] == 0)
			continue;
		if (digit_term(acc->digits[k], k, acc->scale, &term) &&
			!__builtin_add_overflow(*fast, term, &sum))
		{
			*fast = sum;
			continue;
		}
		extra = digit_numeric(acc->digits[k], k);
		*slow = *slow == NULL ? extra :
			DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(*slow),
												NumericGetDatum(extra)));
	}
}

/* Add a decoded value to the fast part if it fits, else to the slow part. */
static void
accum_value(SumAccum *acc, const DecodedNumeric *n, Datum value, int sign,
			MemoryContext context)
{
	int64		small;
	int128		scaled;
	int128		sum;

	raise_scale(acc, n->dscale, context);
	if (fast_scaled(n, GROUP_SCALE(acc->scale), &small))
		scaled = small;
	else if (!scaled_int128(n, GROUP_SCALE(acc->scale), &scaled))
	{
		slow_add(acc, value, sign, context);
		return;
	}
	if (sign < 0)
		scaled = -scaled;
	if (__builtin_add_overflow(acc->fast, scaled, &sum))
	{
		/* the sum would not fit: keep it exactly, start the fast part afresh */
		flush_fast(acc, context);
		sum = scaled;
	}
	acc->fast = sum;
}

static pg_noinline void
accum_add_slow(SumAccum *acc, const DecodedNumeric *n, Datum value,
			   FunctionCallInfo fcinfo)
{
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_variance_accum");

	raise_scale(acc, n->dscale, context);
	accum_value(acc, n, value, 1, context);
}

/*
 * The usual amount: a short numeric (not toasted, with a short numeric
 * header, as tables and numeric arithmetic store it) of at most four
 * base-10000 digits, all between 10^-8 and 10^23, at a display scale no
 * larger than seen before.  Adds its digits to the digit sums and returns
 * true; false leaves the amount to the general path.  The four adds are made
 * whatever the number of digits (a missing digit adds zero).
 */
static pg_attribute_always_inline bool
add_usual(SumAccum *acc, Datum value)
{
	const uint8 *v = (const uint8 *) DatumGetPointer(value);
	const char *data;
	const char *d;
	uint32		len;
	uint16		header;
	uint32		nd;
	int			weight;
	int64		sign;
	int64	   *slot;
	int16		d0,
				d1,
				d2,
				d3;

	if (likely(VARATT_IS_1B(v) && !VARATT_IS_1B_E(v)))
	{
		data = (const char *) v + VARHDRSZ_SHORT;
		len = VARSIZE_1B(v) - VARHDRSZ_SHORT;
	}
	else if (VARATT_IS_4B_U(v))
	{
		/* a value computed in the query rather than read from a table */
		data = (const char *) v + VARHDRSZ;
		len = VARSIZE_4B(v) - VARHDRSZ;
	}
	else
		return false;
	memcpy(&header, data, sizeof(uint16));
	if (unlikely((header & NUM_SIGN_MASK) != NUM_SHORT ||
				 (int) ((header & NUM_SHORT_DSCALE_MASK) >> NUM_SHORT_DSCALE_SHIFT) > acc->scale))
		return false;
	/* (a value too short for a numeric gives a huge count, refused below) */
	nd = (len - (uint32) sizeof(uint16)) / sizeof(int16);
	d = data + sizeof(uint16);
	/* the weight: seven bits, two's complement (NUM_SHORT_WEIGHT_SIGN and _MASK) */
	weight = (int) ((int32) ((uint32) header << 25) >> 25);
	if (unlikely(nd > 4 || weight < DIGIT_LOW || weight > DIGIT_HIGH ||
				 weight - (int) nd + 1 < DIGIT_LOW))
		return false;
	memcpy(&d0, nd > 0 ? d : (const char *) &zero_digit, sizeof(int16));
	memcpy(&d1, nd > 1 ? d + 2 : (const char *) &zero_digit, sizeof(int16));
	memcpy(&d2, nd > 2 ? d + 4 : (const char *) &zero_digit, sizeof(int16));
	memcpy(&d3, nd > 3 ? d + 6 : (const char *) &zero_digit, sizeof(int16));
	sign = (header & NUM_SHORT_SIGN_MASK) ? -1 : 0;
	slot = acc->digits + DIGIT_ZERO + weight;
	slot[0] += (d0 ^ sign) - sign;
	slot[-1] += (d1 ^ sign) - sign;
	slot[-2] += (d2 ^ sign) - sign;
	slot[-3] += (d3 ^ sign) - sign;
	acc->digit_rows++;
	acc->count++;
	return true;
}

/*
 * Add one non-NULL amount by decoding it: the amounts add_usual does not
 * take, and every amount in window frames (whose inverse works on the fast
 * part).  Those of at most 16 digits, at a scale no larger than seen before,
 * take the inline path: one 64-bit sum of products and one 128-bit add.
 */
static pg_attribute_always_inline void
accum_add_decoded(SumAccum *acc, Datum value, FunctionCallInfo fcinfo, const char *what,
				  bool moving)
{
	DecodedNumeric n;
	int64		scaled;
	int128		sum;

	decode_numeric(value, &n);
	if (unlikely(n.special))
		reject_special(&n, value, what);
	/* only the inverse needs to know how many values have the largest scale */
	if (moving)
	{
		if (acc->count == 0 || n.dscale > acc->scale)
			acc->scale_count = 1;
		else if (n.dscale == acc->scale)
			acc->scale_count++;
	}
	acc->count++;

	if (likely(n.dscale <= acc->scale) &&
		likely(fast_scaled(&n, GROUP_SCALE(acc->scale), &scaled)) &&
		likely(!__builtin_add_overflow(acc->fast, (int128) scaled, &sum)))
	{
		acc->fast = sum;
		return;
	}
	accum_add_slow(acc, &n, value, fcinfo);
}

/* accum_add_decoded out of line, so that the transition function's usual path stays small. */
static pg_noinline void
accum_add_unusual(SumAccum *acc, Datum value, FunctionCallInfo fcinfo, const char *what)
{
	accum_add_decoded(acc, value, fcinfo, what, false);
}

static pg_noinline void
accum_fold(SumAccum *acc, FunctionCallInfo fcinfo)
{
	fold_digits(acc, finmon_aggregate_context(fcinfo, "finmon_variance_accum"));
}

/* Add one non-NULL amount: the usual one to the digit sums, the rest decoded. */
static pg_attribute_always_inline void
accum_add(SumAccum *acc, Datum value, FunctionCallInfo fcinfo, const char *what,
		  bool moving)
{
	if (moving)
		accum_add_decoded(acc, value, fcinfo, what, true);
	else if (likely(add_usual(acc, value)))
	{
		if (unlikely(acc->digit_rows >= DIGIT_ROWS_MAX))
			accum_fold(acc, fcinfo);
	}
	else
		accum_add_unusual(acc, value, fcinfo, what);
}

/*
 * Whether a value can be removed while keeping the result's display scale
 * right: removing the only value that has the largest scale leaves the new
 * largest scale unknown, as in sum(numeric); the caller then asks for the
 * window frame to be aggregated afresh.
 */
static bool
can_discard(const SumAccum *acc, int dscale)
{
	return dscale != acc->scale || acc->scale_count > 1 ||
		acc->scale == 0 || acc->count == 1;
}

static void
accum_discard(SumAccum *acc, Datum value, const DecodedNumeric *n,
			  MemoryContext context)
{
	if (acc->count == 1)
	{
		/* nothing remains: back to the empty state */
		if (acc->slow != NULL)
			pfree(acc->slow);
		memset(acc, 0, sizeof(SumAccum));
		return;
	}
	if (n->dscale == acc->scale)
		acc->scale_count--;
	accum_value(acc, n, value, -1, context);
	acc->count--;
}

/* The exact sum, or NULL (count 0) as sum(numeric) gives, at the same display scale. */
static Datum
accum_result(const SumAccum *acc, bool *isnull)
{
	Datum		result;
	int128		fast;
	Numeric		slow;

	*isnull = acc->count == 0;
	if (*isnull)
		return (Datum) 0;
	accum_total(acc, &fast, &slow);
	result = NumericGetDatum(int128_to_numeric(fast, GROUP_SCALE(acc->scale)));
	if (slow != NULL)
		result = DirectFunctionCall2(numeric_add, NumericGetDatum(slow), result);
	/* digits beyond the display scale are all zero, so this only sets the scale */
	if (GROUP_SCALE(acc->scale) != acc->scale)
		result = DirectFunctionCall2(numeric_round, result, Int32GetDatum(acc->scale));
	return result;
}

static Datum
hundred(void)
{
	return DirectFunctionCall1(int4_numeric, Int32GetDatum(100));
}

/* variance ÷ budget × 100, NULL when the budget is zero. */
static Datum
percent_of(Datum variance, Datum budget, bool *isnull)
{
	DecodedNumeric b;

	decode_numeric(budget, &b);
	*isnull = b.ndigits == 0;
	if (*isnull)
		return (Datum) 0;
	return DirectFunctionCall2(numeric_mul,
							   DirectFunctionCall2(numeric_div, variance, budget),
							   hundred());
}

static VarianceState *
new_state(MemoryContext context)
{
	return (VarianceState *) MemoryContextAllocZero(context, sizeof(VarianceState));
}

static const FinmonStateType variance_state_type;

/* Add a row's budget and forecast, each column ignoring its own NULLs as sum() does. */
static pg_attribute_always_inline void
variance_add(VarianceState *state, FunctionCallInfo fcinfo, bool moving)
{
	if (!PG_ARGISNULL(1))
		accum_add(&state->budget, PG_GETARG_DATUM(1), fcinfo, "budget", moving);
	if (!PG_ARGISNULL(2))
		accum_add(&state->forecast, PG_GETARG_DATUM(2), fcinfo, "forecast", moving);
}

/*
 * variance_agg transition function: its state a finmon.variance_state,
 * changed in place; NULL until a row has a budget or a forecast.
 */
PG_FUNCTION_INFO_V1(finmon_variance_state_accum);
Datum
finmon_variance_state_accum(PG_FUNCTION_ARGS)
{
	VarianceState *state;

	state = finmon_state_running(fcinfo, 0);
	if (unlikely(state == NULL))
	{
		if (PG_ARGISNULL(0) && PG_ARGISNULL(1) && PG_ARGISNULL(2))
			PG_RETURN_NULL();
		state = finmon_state_for_update(fcinfo, 0, &variance_state_type, "finmon_variance_state_accum");
	}
	variance_add(state, fcinfo, false);
	PG_RETURN_DATUM(finmon_state_datum(state));
}

/*
 * variance_agg transition function in window frames, which also counts the
 * values that have the largest scale, for the inverse.
 */
PG_FUNCTION_INFO_V1(finmon_variance_moving_accum);
Datum
finmon_variance_moving_accum(PG_FUNCTION_ARGS)
{
	VarianceState *state = PG_ARGISNULL(0) ? NULL : (VarianceState *) PG_GETARG_POINTER(0);

	/* a moving-aggregate transition function must never return NULL */
	if (unlikely(state == NULL))
		state = new_state(finmon_aggregate_context(fcinfo, "finmon_variance_moving_accum"));
	variance_add(state, fcinfo, true);
	PG_RETURN_POINTER(state);
}

/*
 * variance_agg inverse, for window frames: remove a row added before.
 * Returns NULL (recompute the frame) when the result's scale would become
 * uncertain, exactly where sum(numeric) does.
 */
PG_FUNCTION_INFO_V1(finmon_variance_discard);
Datum
finmon_variance_discard(PG_FUNCTION_ARGS)
{
	VarianceState *state = PG_ARGISNULL(0) ? NULL : (VarianceState *) PG_GETARG_POINTER(0);
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_variance_discard");
	DecodedNumeric budget;
	DecodedNumeric forecast;

	if (PG_ARGISNULL(1) && PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		elog(ERROR, "finmon_variance_discard called with no state");

	/* decide before changing anything */
	if (!PG_ARGISNULL(1))
	{
		decode_numeric(PG_GETARG_DATUM(1), &budget);
		if (!can_discard(&state->budget, budget.dscale))
			PG_RETURN_NULL();
	}
	if (!PG_ARGISNULL(2))
	{
		decode_numeric(PG_GETARG_DATUM(2), &forecast);
		if (!can_discard(&state->forecast, forecast.dscale))
			PG_RETURN_NULL();
	}
	if (!PG_ARGISNULL(1))
		accum_discard(&state->budget, PG_GETARG_DATUM(1), &budget, context);
	if (!PG_ARGISNULL(2))
		accum_discard(&state->forecast, PG_GETARG_DATUM(2), &forecast, context);
	PG_RETURN_POINTER(state);
}

/* Fold one column's partial sum into another (parallel and partitionwise plans). */
static void
combine_accum(SumAccum *into, const SumAccum *from, MemoryContext context)
{
	int128		from_fast;
	Numeric		from_slow;
	int128		fast;
	int128		sum;
	int			diff;

	if (from->count == 0)
		return;
	accum_total(from, &from_fast, &from_slow);
	fast = from_fast;
	if (into->count == 0 || from->scale > into->scale)
		into->scale_count = from->scale_count;
	else if (from->scale == into->scale)
		into->scale_count += from->scale_count;

	raise_scale(into, from->scale, context);
	diff = GROUP_SCALE(into->scale) - GROUP_SCALE(from->scale);
	if (fast != 0 && diff > 0 &&
		(diff > MAX_POW10 || __builtin_mul_overflow(fast, pow10_table[diff], &fast)))
	{
		/* from's fast part does not fit at into's scale: add it exactly */
		Numeric		f = int128_to_numeric(from_fast, GROUP_SCALE(from->scale));

		slow_add(into, NumericGetDatum(f), 1, context);
		fast = 0;
	}
	if (__builtin_add_overflow(into->fast, fast, &sum))
	{
		flush_fast(into, context);
		sum = fast;
	}
	into->fast = sum;
	if (from_slow != NULL)
		slow_add(into, NumericGetDatum(from_slow), 1, context);
	if (pg_add_s64_overflow(into->count, from->count, &into->count))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("variance_agg: more rows than a 64-bit count holds")));
}

/* variance_agg combine function: one state folded into another. */
PG_FUNCTION_INFO_V1(finmon_variance_state_combine);
Datum
finmon_variance_state_combine(PG_FUNCTION_ARGS)
{
	const VarianceState *from;
	VarianceState *into;
	MemoryContext context;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	into = finmon_state_for_update(fcinfo, 0, &variance_state_type, "finmon_variance_state_combine");
	context = finmon_aggregate_context(fcinfo, "finmon_variance_state_combine");
	from = finmon_state_read(PG_GETARG_DATUM(1), &variance_state_type);
	combine_accum(&into->budget, &from->budget, context);
	combine_accum(&into->forecast, &from->forecast, context);
	PG_RETURN_DATUM(finmon_state_datum(into));
}

/* The binary form of one column's sum. */
static void
serialize_accum(StringInfo buf, const SumAccum *acc)
{
	int128		total_fast;
	Numeric		slow;
	uint128		fast;

	accum_total(acc, &total_fast, &slow);
	fast = (uint128) total_fast;

	pq_sendint64(buf, acc->count);
	pq_sendint32(buf, acc->scale);
	pq_sendint64(buf, acc->scale_count);
	pq_sendint64(buf, (uint64) (fast >> 64));
	pq_sendint64(buf, (uint64) fast);
	finmon_send_numeric(buf, slow);
}

/* Read back, refusing what serialize_accum never writes. */
static void
deserialize_accum(FinmonStateReader *r, SumAccum *acc, MemoryContext context)
{
	uint128		high;
	uint128		low;

	acc->count = finmon_state_read_int64(r);
	acc->scale = finmon_state_read_int32(r);
	acc->scale_count = finmon_state_read_int64(r);
	high = (uint64) finmon_state_read_int64(r);
	low = (uint64) finmon_state_read_int64(r);
	acc->fast = (int128) ((high << 64) | low);
	acc->slow = finmon_state_read_numeric(r, context);
	finmon_state_check(r, acc->count >= 0, "negative count");
	finmon_state_check(r, acc->scale >= 0 && acc->scale <= NUMERIC_MAX_DISPLAY_SCALE, "scale out of range");
	finmon_state_check(r, acc->scale_count >= 0 && acc->scale_count <= acc->count, "scale count out of range");
	finmon_state_check(r, acc->count > 0 || (acc->fast == 0 && acc->slow == NULL && acc->scale == 0),
					   "a sum with no values");
	/* (the slow part keeps the fast part's places when the fast part moves into it) */
	finmon_state_check(r, acc->slow == NULL ||
					   DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(acc->slow))) <=
					   GROUP_SCALE(acc->scale),
					   "a sum with more decimal places than its scale");
}

static void
variance_serialize(StringInfo buf, const void *state)
{
	serialize_accum(buf, &((const VarianceState *) state)->budget);
	serialize_accum(buf, &((const VarianceState *) state)->forecast);
}

static void
variance_deserialize(FinmonStateReader *r, void *state, MemoryContext context)
{
	deserialize_accum(r, &((VarianceState *) state)->budget, context);
	deserialize_accum(r, &((VarianceState *) state)->forecast, context);
}

static const FinmonStateType variance_state_type = {
	"variance_state", sizeof(VarianceState), variance_serialize, variance_deserialize
};

/* Its text form, finmon_variance_state_in and _out; binary, _recv and _send. */
FINMON_STATE_TYPE_IO(variance, variance_state_type);

/*
 * variance_agg as finmon's released install scripts (0.1.0 to 1.0.0) declare
 * it, with an internal state, until the extension is updated.
 */
PG_FUNCTION_INFO_V1(finmon_variance_accum);
Datum
finmon_variance_accum(PG_FUNCTION_ARGS)
{
	VarianceState *state;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1) && PG_ARGISNULL(2))
		PG_RETURN_NULL();
	state = finmon_internal_state(fcinfo, 0, &variance_state_type, "finmon_variance_accum");
	variance_add(state, fcinfo, false);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(finmon_variance_combine);
Datum
finmon_variance_combine(PG_FUNCTION_ARGS)
{
	VarianceState *into;
	const VarianceState *from;
	MemoryContext context = finmon_aggregate_context(fcinfo, "finmon_variance_combine");

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	into = finmon_internal_state(fcinfo, 0, &variance_state_type, "finmon_variance_combine");
	from = (const VarianceState *) PG_GETARG_POINTER(1);
	combine_accum(&into->budget, &from->budget, context);
	combine_accum(&into->forecast, &from->forecast, context);
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(finmon_variance_serialize);
Datum
finmon_variance_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(finmon_internal_serialize(fcinfo, &variance_state_type, "finmon_variance_serialize"));
}

PG_FUNCTION_INFO_V1(finmon_variance_deserialize);
Datum
finmon_variance_deserialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(finmon_internal_deserialize(fcinfo, &variance_state_type, "finmon_variance_deserialize"));
}

/*
 * variance_agg's result: (budget, forecast_outturn, variance, variance_pct),
 * or NULL when no row had a budget or a forecast.  Leaves the state as it
 * was, since window aggregation calls it again.
 */
static Datum
variance_result(FunctionCallInfo fcinfo, const VarianceState *state)
{
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4];

	if (state == NULL || (state->budget.count == 0 && state->forecast.count == 0))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type of a variance_agg final function must be a row type");

	values[0] = accum_result(&state->budget, &nulls[0]);
	values[1] = accum_result(&state->forecast, &nulls[1]);
	nulls[2] = nulls[0] || nulls[1];
	nulls[3] = true;
	values[3] = (Datum) 0;
	if (!nulls[2])
	{
		values[2] = DirectFunctionCall2(numeric_sub, values[1], values[0]);
		values[3] = percent_of(values[2], values[0], &nulls[3]);
	}
	else
		values[2] = (Datum) 0;

	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* variance_agg final function. */
PG_FUNCTION_INFO_V1(finmon_variance_state_final);
Datum
finmon_variance_state_final(PG_FUNCTION_ARGS)
{
	return variance_result(fcinfo, PG_ARGISNULL(0) ? NULL :
						   finmon_state_read(PG_GETARG_DATUM(0), &variance_state_type));
}

/* variance_agg final function in window frames (its moving state). */
PG_FUNCTION_INFO_V1(finmon_variance_final);
Datum
finmon_variance_final(PG_FUNCTION_ARGS)
{
	return variance_result(fcinfo, PG_ARGISNULL(0) ? NULL : (VarianceState *) PG_GETARG_POINTER(0));
}

/* Both amounts of a scalar function, checked to be finite. */
static void
finite_arguments(FunctionCallInfo fcinfo)
{
	DecodedNumeric n;

	decode_numeric(PG_GETARG_DATUM(0), &n);
	reject_special(&n, PG_GETARG_DATUM(0), "budget");
	decode_numeric(PG_GETARG_DATUM(1), &n);
	reject_special(&n, PG_GETARG_DATUM(1), "forecast");
}

/* Forecast minus budget: positive is adverse (an overspend or lost income). */
PG_FUNCTION_INFO_V1(finmon_variance);
Datum
finmon_variance(PG_FUNCTION_ARGS)
{
	finite_arguments(fcinfo);
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_sub, PG_GETARG_DATUM(1),
										PG_GETARG_DATUM(0)));
}

/*
 * The variance as a percentage of the signed budget, as the papers print
 * it: income over-recovered on a negative budget shows a positive %.
 */
PG_FUNCTION_INFO_V1(finmon_variance_pct);
Datum
finmon_variance_pct(PG_FUNCTION_ARGS)
{
	Datum		variance;
	Datum		result;
	bool		isnull;

	finite_arguments(fcinfo);
	variance = DirectFunctionCall2(numeric_sub, PG_GETARG_DATUM(1),
								   PG_GETARG_DATUM(0));
	result = percent_of(variance, PG_GETARG_DATUM(0), &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}

/* 'adverse', 'favourable', or 'on budget' when |variance| <= tolerance. */
PG_FUNCTION_INFO_V1(finmon_variance_direction);
Datum
finmon_variance_direction(PG_FUNCTION_ARGS)
{
	Datum		tolerance = PG_GETARG_DATUM(2);
	Datum		variance;
	DecodedNumeric n;

	finite_arguments(fcinfo);
	decode_numeric(tolerance, &n);
	if (n.special || (n.negative && n.ndigits > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance %s is not a finite amount of zero or more",
						DatumGetCString(DirectFunctionCall1(numeric_out, tolerance)))));
	variance = DirectFunctionCall2(numeric_sub, PG_GETARG_DATUM(1),
								   PG_GETARG_DATUM(0));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, variance, tolerance)) > 0)
		PG_RETURN_TEXT_P(cstring_to_text("adverse"));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp,
										  DirectFunctionCall1(numeric_uminus, variance),
										  tolerance)) > 0)
		PG_RETURN_TEXT_P(cstring_to_text("favourable"));
	PG_RETURN_TEXT_P(cstring_to_text("on budget"));
}

/*
 * For the other aggregates (commitment.c): a numeric times 10^scale as a
 * 128-bit integer, when it is one that fits (false otherwise, and for NaN and
 * the infinities); and an exact numeric from such an integer.
 */
bool
finmon_numeric_scaled(Datum value, int scale, int128 *result)
{
	DecodedNumeric n;

	decode_numeric(value, &n);
	if (n.special)
		return false;
	return scaled_int128(&n, scale, result);
}

Numeric
finmon_int128_numeric(int128 value, int scale)
{
	return int128_to_numeric(value, scale);
}
