/*
 * council.c
 *		Which councils a role has: what row-level security compares each row's
 *		council with, and what the write path checks a load's councils against.
 *
 * The grants are in finmon_data.council_grant, which only finmon_guard reads; these
 * functions read it as finmon_guard while keeping the role they answer for, so
 * that a reader learns its own councils and nobody else's.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/supportnodes.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "finmon.h"

/* The role that owns finmon's tables. */
static Oid
guard_role(void)
{
	return get_role_oid("finmon_guard", false);
}

/*
 * The councils of a role, as a text[] allocated in the caller's memory
 * context; NULL when it has every council.
 */
static ArrayType *
councils_of(Oid role)
{
	Oid			guard = guard_role();
	Oid			save_user;
	int			save_sec_context;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1] = {ObjectIdGetDatum(role)};
	MemoryContext caller_context = CurrentMemoryContext;
	ArrayType  *result = NULL;
	int			nest_level;

	if (role == guard || superuser_arg(role))
		return NULL;

	/* as finmon_guard, with a search_path the caller cannot fill with look-alikes */
	GetUserIdAndSecContext(&save_user, &save_sec_context);
	SetUserIdAndSecContext(guard, save_sec_context | SECURITY_LOCAL_USERID_CHANGE);
	nest_level = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	/*
	 * On a Citus node, row-level security asks this inside a query on a shard,
	 * where Citus refuses a query on another Citus table unless told: the
	 * grants are a reference table, read from this node's own copy.
	 */
	if (GetConfigOption("citus.allow_nested_distributed_execution", true, false) != NULL)
		(void) set_config_option("citus.allow_nested_distributed_execution", "on", PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/*
	 * No join with a catalog: on a Citus cluster council_grant is a reference
	 * table, and a query joining it with pg_roles is planned as a distributed
	 * one.  A grant to a role that no longer exists gives nothing.
	 */
	if (SPI_execute_with_args("SELECT DISTINCT g.council FROM finmon_data.council_grant g "
							  "WHERE pg_catalog.pg_has_role($1, pg_catalog.to_regrole(pg_catalog.quote_ident(g.role_name)), "
							  "'USAGE') ORDER BY 1",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading finmon_data.council_grant failed");
	{
		MemoryContext spi_context = MemoryContextSwitchTo(caller_context);
		Datum	   *elements = palloc(sizeof(Datum) * Max(SPI_processed, 1));
		bool		every = false;

		for (uint64 i = 0; i < SPI_processed; i++)
		{
			bool		isnull;
			Datum		council = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
			char	   *code = TextDatumGetCString(council);

			if (strcmp(code, "*") == 0)
				every = true;
			elements[i] = CStringGetTextDatum(code);
		}
		if (!every)
			result = construct_array(elements, (int) SPI_processed, TEXTOID, -1, false, TYPALIGN_INT);
		MemoryContextSwitchTo(spi_context);
	}
	SPI_finish();
	AtEOXact_GUC(true, nest_level);
	SetUserIdAndSecContext(save_user, save_sec_context);
	return result;
}

/*
 * The councils a role has; NULL for every council.  For finmon_guard: the
 * write path asks it of the acting role.
 */
PG_FUNCTION_INFO_V1(finmon_role_councils);
Datum
finmon_role_councils(PG_FUNCTION_ARGS)
{
	ArrayType  *councils;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	councils = councils_of(PG_GETARG_OID(0));
	if (councils == NULL)
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(councils);
}

/* The councils the current user may read; NULL for every council. */
PG_FUNCTION_INFO_V1(finmon_council_scope);
Datum
finmon_council_scope(PG_FUNCTION_ARGS)
{
	ArrayType  *councils = councils_of(GetUserId());

	if (councils == NULL)
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(councils);
}

/*
 * What council_visible keeps between the rows of one query: the councils of
 * the user it was computed for, as sorted C strings (every: no list needed).
 */
typedef struct VisibleCouncils
{
	Oid			user;
	bool		every;
	int			count;
	char	  **codes;
} VisibleCouncils;

static int
compare_codes(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * Whether the current user may read a council's rows: what finmon's row-level
 * security policies ask of each row.  The user's councils are read once per
 * call site and query (in fn_extra, which lives as long as the query's
 * expression), then each row is a binary search.
 */
PG_FUNCTION_INFO_V1(finmon_council_visible);
Datum
finmon_council_visible(PG_FUNCTION_ARGS)
{
	VisibleCouncils *cache = (VisibleCouncils *) fcinfo->flinfo->fn_extra;
	Oid			user = GetUserId();
	char	   *code;

	if (cache == NULL || cache->user != user)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		ArrayType  *councils;

		if (cache == NULL)
			cache = palloc0(sizeof(VisibleCouncils));
		cache->user = user;
		councils = councils_of(user);
		cache->every = (councils == NULL);
		cache->count = 0;
		cache->codes = NULL;
		if (councils != NULL)
		{
			Datum	   *elements;
			bool	   *nulls;
			int			n;
			int			i;

			deconstruct_array(councils, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, &n);
			cache->codes = palloc(sizeof(char *) * Max(n, 1));
			for (i = 0; i < n; i++)
				if (!nulls[i])
					cache->codes[cache->count++] = TextDatumGetCString(elements[i]);
			qsort(cache->codes, cache->count, sizeof(char *), compare_codes);
		}
		fcinfo->flinfo->fn_extra = cache;
		MemoryContextSwitchTo(old);
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	if (cache->every)
		PG_RETURN_BOOL(true);
	if (cache->count == 0)
		PG_RETURN_BOOL(false);
	code = text_to_cstring(PG_GETARG_TEXT_PP(0));
	PG_RETURN_BOOL(bsearch(&code, cache->codes, cache->count, sizeof(char *), compare_codes) != NULL);
}

/*
 * The planner's estimate of council_visible: every row passes.  A role sees
 * what it was given, and a query for one council says so itself (council =
 * 'E10000020'); estimating the policy as a second filter on council would
 * count that filter twice, and plan a query among many councils as if it
 * found a handful of rows (nested loops over thousands).  The same query is
 * then planned alike whether the database holds one council or many.
 */
PG_FUNCTION_INFO_V1(finmon_council_visible_support);
Datum
finmon_council_visible_support(PG_FUNCTION_ARGS)
{
	Node	   *request = (Node *) PG_GETARG_POINTER(0);

	if (IsA(request, SupportRequestSelectivity))
	{
		SupportRequestSelectivity *selectivity = (SupportRequestSelectivity *) request;

		selectivity->selectivity = 1.0;
		PG_RETURN_POINTER(selectivity);
	}
	PG_RETURN_POINTER(NULL);
}
