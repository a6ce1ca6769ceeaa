/*
 * aggregate.c
 *		What finmon's aggregates share: the aggregate's memory context, keeping
 *		a numeric in it, sending a numeric in a serialised state, and states
 *		of finmon's own types.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "port/pg_bswap.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
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

/*
 * States of finmon's own types.
 *
 * An aggregate whose state type is `internal` cannot have its partial step
 * run elsewhere than where it finishes: Citus then ships every row to the
 * coordinator.  So variance_agg, savings_agg, rate_agg and dsr_agg keep their
 * state in a type of finmon's own (finmon.variance_state, ...).  While an
 * aggregate runs, the state is a read-write expanded object (the C struct the
 * aggregate works on, changed in place, row after row, as an `internal`
 * state would be); whenever PostgreSQL or Citus needs it as a value (a
 * parallel worker's partial result, a Citus worker's partial state, a table
 * column) it is flattened into the type's binary form.  The text form is that
 * binary form in hexadecimal: exact, and read back digit for digit.
 */
#define STATE_FORMAT_VERSION 1

/* The binary form: a format version byte, then the aggregate's own fields. */
static void
state_serialize(StringInfo buf, const FinmonStateType *type, const void *inner)
{
	pq_sendbyte(buf, STATE_FORMAT_VERSION);
	type->serialize(buf, inner);
}

static Size
state_get_flat_size(ExpandedObjectHeader *eohptr)
{
	FinmonState *fs = (FinmonState *) eohptr;

	/* (made only when first needed: most states are never flattened) */
	if (fs->flat.data == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fs->hdr.eoh_context);

		initStringInfo(&fs->flat);
		MemoryContextSwitchTo(old);
	}
	resetStringInfo(&fs->flat);
	state_serialize(&fs->flat, fs->type, fs->data);
	return VARHDRSZ + fs->flat.len;
}

static void
state_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	FinmonState *fs = (FinmonState *) eohptr;

	Assert(allocated_size == VARHDRSZ + (Size) fs->flat.len);
	SET_VARSIZE(result, allocated_size);
	memcpy(VARDATA(result), fs->flat.data, fs->flat.len);
}

static const ExpandedObjectMethods state_methods = {
	state_get_flat_size,
	state_flatten_into
};

/* A new, zeroed state in its own memory context, a child of parent. */
static FinmonState *
state_new(const FinmonStateType *type, MemoryContext parent)
{
	MemoryContext context = AllocSetContextCreate(parent, "finmon aggregate state",
												  ALLOCSET_SMALL_SIZES);
	FinmonState *fs = MemoryContextAllocZero(context, offsetof(FinmonState, data) + type->size);

	EOH_init_header(&fs->hdr, &state_methods, context);
	fs->type = type;
	fs->flat.data = NULL;
	return fs;
}

/* A reader over a binary form; bad input raises errcode, naming the type. */
static void
reader_init(FinmonStateReader *r, const FinmonStateType *type, const char *data, int len, int errcode)
{
	r->type = type;
	r->errcode = errcode;
	r->data = data;
	r->len = len;
	r->cursor = 0;
}

void
finmon_state_check(FinmonStateReader *r, bool ok, const char *what)
{
	if (!ok)
		ereport(ERROR,
				(errcode(r->errcode),
				 errmsg("invalid %s value: %s", r->type->name, what)));
}

static const char *
read_bytes(FinmonStateReader *r, int n)
{
	const char *p;

	finmon_state_check(r, n <= r->len - r->cursor, "too short");
	p = r->data + r->cursor;
	r->cursor += n;
	return p;
}

int64
finmon_state_read_int64(FinmonStateReader *r)
{
	uint64		v;

	memcpy(&v, read_bytes(r, 8), 8);
	return (int64) pg_ntoh64(v);
}

int32
finmon_state_read_int32(FinmonStateReader *r)
{
	uint32		v;

	memcpy(&v, read_bytes(r, 4), 4);
	return (int32) pg_ntoh32(v);
}

double
finmon_state_read_float8(FinmonStateReader *r)
{
	union
	{
		int64		i;
		double		f;
	}			u;

	u.i = finmon_state_read_int64(r);
	return u.f;
}

/* A numeric written by finmon_send_numeric: NULL, or a finite value kept in context. */
Numeric
finmon_state_read_numeric(FinmonStateReader *r, MemoryContext context)
{
	uint8		present = (uint8) *read_bytes(r, 1);
	const char *text;
	int			len;
	Datum		value;

	finmon_state_check(r, present <= 1, "bad numeric flag");
	if (!present)
		return NULL;
	text = r->data + r->cursor;
	len = strnlen(text, r->len - r->cursor);
	finmon_state_check(r, len < r->len - r->cursor, "unterminated numeric");
	r->cursor += len + 1;
	/* a plain decimal number, as numeric_out writes one: -?digits(.digits)? */
	{
		int			i = text[0] == '-' ? 1 : 0;
		int			digits = strspn(text + i, "0123456789");

		i += digits;
		if (digits > 0 && text[i] == '.')
		{
			digits = strspn(text + i + 1, "0123456789");
			i += 1 + digits;
		}
		finmon_state_check(r, digits > 0 && i == len, "bad numeric");
	}
	value = DirectFunctionCall3(numeric_in, CStringGetDatum(text), ObjectIdGetDatum(InvalidOid),
								Int32GetDatum(-1));
	return finmon_keep_numeric(value, context);
}

/* Read a whole binary form into the aggregate's struct, its values kept in context. */
static void
read_into(const FinmonStateType *type, const char *data, int len, int errcode, void *state,
		  MemoryContext context)
{
	FinmonStateReader r;

	reader_init(&r, type, data, len, errcode);
	finmon_state_check(&r, (uint8) *read_bytes(&r, 1) == STATE_FORMAT_VERSION, "unknown format version");
	type->deserialize(&r, state, context);
	finmon_state_check(&r, r.cursor == r.len, "trailing bytes");
}

/* Read a whole binary form into a new state under parent. */
static FinmonState *
state_read(const FinmonStateType *type, const char *data, int len, int errcode, MemoryContext parent)
{
	FinmonState *fs = state_new(type, parent);

	read_into(type, data, len, errcode, fs->data, fs->hdr.eoh_context);
	return fs;
}

/* A flat (or read-only expanded) value of the type as a new state under parent. */
static FinmonState *
state_from_datum(Datum value, const FinmonStateType *type, MemoryContext parent)
{
	struct varlena *flat = PG_DETOAST_DATUM_PACKED(value);

	return state_read(type, VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat), ERRCODE_INVALID_BINARY_REPRESENTATION,
					  parent);
}

void *
finmon_state_for_update(FunctionCallInfo fcinfo, int argno, const FinmonStateType *type, const char *caller)
{
	void	   *running = finmon_state_running(fcinfo, argno);
	MemoryContext aggcontext;

	if (likely(running != NULL))
		return running;
	aggcontext = finmon_aggregate_context(fcinfo, caller);
	if (PG_ARGISNULL(argno))
		return state_new(type, aggcontext)->data;
	/* a value from elsewhere (a partial state read back): a copy to change */
	return state_from_datum(PG_GETARG_DATUM(argno), type, aggcontext)->data;
}

const void *
finmon_state_read(Datum value, const FinmonStateType *type)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(value)))
		return ((FinmonState *) DatumGetEOHP(value))->data;
	return state_from_datum(value, type, CurrentMemoryContext)->data;
}

/* Text form: the binary form in hexadecimal. */
char *
finmon_state_out(Datum value, const FinmonStateType *type)
{
	StringInfoData buf;
	char	   *text;

	initStringInfo(&buf);
	state_serialize(&buf, type, finmon_state_read(value, type));
	text = palloc(buf.len * 2 + 1);
	text[hex_encode(buf.data, buf.len, text)] = '\0';
	pfree(buf.data);
	return text;
}

Datum
finmon_state_in(const char *text, const FinmonStateType *type)
{
	size_t		len = strlen(text);
	char	   *bytes;
	FinmonState *fs;
	Datum		flat;

	if (len == 0 || len % 2 != 0 || strspn(text, "0123456789abcdefABCDEF") != len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type->name, text),
				 errdetail("A %s is written as its binary form in hexadecimal, as finmon writes it.", type->name)));
	bytes = palloc(len / 2);
	hex_decode(text, len, bytes);
	/* read (and so checked) field by field, then stored flat */
	fs = state_read(type, bytes, len / 2, ERRCODE_INVALID_TEXT_REPRESENTATION, CurrentMemoryContext);
	flat = PointerGetDatum(PG_DETOAST_DATUM(EOHPGetRWDatum(&fs->hdr)));
	DeleteExpandedObject(EOHPGetRWDatum(&fs->hdr));
	pfree(bytes);
	return flat;
}

Datum
finmon_state_recv(StringInfo buf, const FinmonStateType *type)
{
	int			len = buf->len - buf->cursor;
	FinmonState *fs = state_read(type, buf->data + buf->cursor, len, ERRCODE_INVALID_BINARY_REPRESENTATION,
								 CurrentMemoryContext);
	Datum		flat = PointerGetDatum(PG_DETOAST_DATUM(EOHPGetRWDatum(&fs->hdr)));

	buf->cursor = buf->len;
	DeleteExpandedObject(EOHPGetRWDatum(&fs->hdr));
	return flat;
}

bytea *
finmon_state_send(Datum value, const FinmonStateType *type)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	state_serialize(&buf, type, finmon_state_read(value, type));
	return pq_endtypsend(&buf);
}

/*
 * The same states as `internal`, for the aggregates that finmon's released
 * install scripts (0.1.0 to 1.0.0) declare, which keep working until the
 * extension is updated: a struct in the aggregate's memory, serialised for
 * parallel workers in the type's binary form.
 */
void *
finmon_internal_state(FunctionCallInfo fcinfo, int argno, const FinmonStateType *type, const char *caller)
{
	MemoryContext context = finmon_aggregate_context(fcinfo, caller);

	if (!PG_ARGISNULL(argno))
		return PG_GETARG_POINTER(argno);
	return MemoryContextAllocZero(context, type->size);
}

bytea *
finmon_internal_serialize(FunctionCallInfo fcinfo, const FinmonStateType *type, const char *caller)
{
	StringInfoData buf;

	(void) finmon_aggregate_context(fcinfo, caller);
	pq_begintypsend(&buf);
	state_serialize(&buf, type, PG_GETARG_POINTER(0));
	return pq_endtypsend(&buf);
}

void *
finmon_internal_deserialize(FunctionCallInfo fcinfo, const FinmonStateType *type, const char *caller)
{
	MemoryContext context = finmon_aggregate_context(fcinfo, caller);
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	void	   *state = MemoryContextAllocZero(context, type->size);

	read_into(type, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes), ERRCODE_INVALID_BINARY_REPRESENTATION, state,
			  context);
	return state;
}
