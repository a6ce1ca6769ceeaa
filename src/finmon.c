/*
 * finmon.c
 *		The module: its magic block, what runs when it is loaded, and the
 *		settings it defines.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

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
