/*
 * finmon.h
 *		Declarations shared by finmon's C files.
 */
#ifndef FINMON_H
#define FINMON_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
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

/* Exact numerics as scaled 128-bit integers (variance.c). */
extern bool finmon_numeric_scaled(Datum value, int scale, int128 *result);
extern Numeric finmon_int128_numeric(int128 value, int scale);

#endif							/* FINMON_H */
