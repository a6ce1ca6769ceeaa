/*
 * finmon.c
 *		The module: its magic block, what runs when it is loaded, the
 *		settings it defines, and what every part of it shares.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/numeric.h"

#include "finmon.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* finmon.council: the council a load's rows go to when they name none. */
char	   *finmon_default_council = NULL;

/* Module load: the settings, and what each part needs set up once. */
void
_PG_init(void)
{
	DefineCustomStringVariable("finmon.council",
							   "The council that loaded rows without a council belong to.",
							   "A council code as in finmon.council; empty for none, when a database holding one council uses that one.",
							   &finmon_default_council,
							   "",
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);

	finmon_variance_init();
	finmon_import_init();
}

/*
 * Raise 22023 for NaN or infinity: savings, reserves, weekly costs and the
 * counts behind rates are sums of money or of people, never those.
 */
void
finmon_check_finite(Datum value, const char *what)
{
	Numeric		n = DatumGetNumeric(value);

	if (numeric_is_nan(n) || numeric_is_inf(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is not a finite amount", what,
						DatumGetCString(DirectFunctionCall1(numeric_out, value)))));
}
