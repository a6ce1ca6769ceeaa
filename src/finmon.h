/*
 * finmon.h
 *		Declarations shared by finmon's C files.
 */
#ifndef FINMON_H
#define FINMON_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/expandeddatum.h"
#include "utils/numeric.h"

/*
 * Parse a financial year written 'YYYY-YY' ("2018-19") and return the
 * calendar year it starts in (2018).  Raises 22007 on anything else.
 */
extern int	finmon_parse_financial_year(const char *text, int len);

/* Raise 22023 unless period is 1..12. */
extern void finmon_check_period(int32 period);

/* Raise 22023 if a numeric amount is NaN or infinite; what names it. */
extern void finmon_check_finite(Datum value, const char *what);

/* Set up at module load (finmon.c calls them). */
extern void finmon_variance_init(void);
extern void finmon_import_init(void);

/* The finmon.council setting. */
extern char *finmon_default_council;

/* For aggregates (aggregate.c). */
extern MemoryContext finmon_aggregate_context(FunctionCallInfo fcinfo, const char *name);
extern Numeric finmon_keep_numeric(Datum value, MemoryContext context);
extern void finmon_send_numeric(StringInfo buf, Numeric value);
extern Numeric finmon_receive_numeric(StringInfo buf, MemoryContext context);

/*
 * Aggregate states of finmon's own types (aggregate.c): the aggregate works
 * on a C struct of type->size bytes, zeroed when new; serialize writes its
 * binary form (pq_send*, finmon_send_numeric) and deserialize reads it back
 * with the finmon_state_read_* functions, checking each field with
 * finmon_state_check (raising 22P02 or 22P03 for bad input).
 */
typedef struct FinmonStateReader FinmonStateReader;
typedef struct FinmonStateType
{
	const char *name;			/* the SQL type, for messages */
	Size		size;
	void		(*serialize) (StringInfo buf, const void *state);
	void		(*deserialize) (FinmonStateReader *r, void *state, MemoryContext context);
} FinmonStateType;
struct FinmonStateReader
{
	const FinmonStateType *type;
	int			errcode;
	const char *data;
	int			len;
	int			cursor;
};
extern void finmon_state_check(FinmonStateReader *r, bool ok, const char *what);
extern int64 finmon_state_read_int64(FinmonStateReader *r);
extern int32 finmon_state_read_int32(FinmonStateReader *r);
extern double finmon_state_read_float8(FinmonStateReader *r);
extern Numeric finmon_state_read_numeric(FinmonStateReader *r, MemoryContext context);
/*
 * While an aggregate runs, its state is a read-write expanded object holding
 * the aggregate's own struct (data), in a memory context of its own under
 * the aggregate's; flat is its binary form, made when PostgreSQL flattens it.
 */
typedef struct FinmonState
{
	ExpandedObjectHeader hdr;
	const FinmonStateType *type;
	StringInfoData flat;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} FinmonState;

#define FINMON_STATE_OF(inner) ((FinmonState *) ((char *) (inner) - offsetof(FinmonState, data)))

/*
 * The running state in argument argno of a transition or combine function:
 * the aggregate's own struct, to change in place, or NULL when the argument
 * is not one (NULL, or a flat value).  Only an aggregate passes a read-write
 * expanded object of finmon's state types (finmon's functions make them only
 * in an aggregate's memory), so this per-row path checks no more than that.
 */
static inline void *
finmon_state_running(FunctionCallInfo fcinfo, int argno)
{
	if (likely(!PG_ARGISNULL(argno)))
	{
		Pointer		p = DatumGetPointer(PG_GETARG_DATUM(argno));

		if (likely(VARATT_IS_EXTERNAL_EXPANDED_RW(p)))
		{
			varatt_expanded ptr;

			memcpy(&ptr, VARDATA_EXTERNAL(p), sizeof(ptr));
			return ((FinmonState *) ptr.eohptr)->data;
		}
	}
	return NULL;
}

/*
 * A transition or combine function's state (argument argno), to change in
 * place: the running state, or a new one (the argument NULL, or a flat
 * value copied); raises unless called by an aggregate.
 */
extern void *finmon_state_for_update(FunctionCallInfo fcinfo, int argno, const FinmonStateType *type,
									 const char *caller);

/* What the function returns for its state. */
static inline Datum
finmon_state_datum(void *state)
{
	return EOHPGetRWDatum(&FINMON_STATE_OF(state)->hdr);
}
/* A state to read (a final function's, a combine function's second). */
extern const void *finmon_state_read(Datum value, const FinmonStateType *type);
/* The same states as internal (the aggregates of released install scripts). */
extern void *finmon_internal_state(FunctionCallInfo fcinfo, int argno, const FinmonStateType *type,
								   const char *caller);
extern bytea *finmon_internal_serialize(FunctionCallInfo fcinfo, const FinmonStateType *type, const char *caller);
extern void *finmon_internal_deserialize(FunctionCallInfo fcinfo, const FinmonStateType *type, const char *caller);
extern char *finmon_state_out(Datum value, const FinmonStateType *type);
extern Datum finmon_state_in(const char *text, const FinmonStateType *type);
extern Datum finmon_state_recv(StringInfo buf, const FinmonStateType *type);
extern bytea *finmon_state_send(Datum value, const FinmonStateType *type);

/* A state type's input, output, receive and send functions: finmon_<name>_state_in, ... */
#define FINMON_STATE_TYPE_IO(name, type) \
	PG_FUNCTION_INFO_V1(finmon_##name##_state_in); \
	Datum finmon_##name##_state_in(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_DATUM(finmon_state_in(PG_GETARG_CSTRING(0), &(type))); \
	} \
	PG_FUNCTION_INFO_V1(finmon_##name##_state_out); \
	Datum finmon_##name##_state_out(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_CSTRING(finmon_state_out(PG_GETARG_DATUM(0), &(type))); \
	} \
	PG_FUNCTION_INFO_V1(finmon_##name##_state_recv); \
	Datum finmon_##name##_state_recv(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_DATUM(finmon_state_recv((StringInfo) PG_GETARG_POINTER(0), &(type))); \
	} \
	PG_FUNCTION_INFO_V1(finmon_##name##_state_send); \
	Datum finmon_##name##_state_send(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_BYTEA_P(finmon_state_send(PG_GETARG_DATUM(0), &(type))); \
	} \
	extern int	finmon_no_such_variable

/* Exact numerics as scaled 128-bit integers (variance.c). */
extern bool finmon_numeric_scaled(Datum value, int scale, int128 *result);
extern Numeric finmon_int128_numeric(int128 value, int scale);

#endif							/* FINMON_H */
