# finmon: PGXS build.  See README.md for `make demo` and `make test`.

EXTENSION = finmon
EXTVERSION = 2.0.0

MODULE_big = finmon
OBJS = src/finmon.o src/council.o src/write_path.o src/aggregate.o src/calendar.o src/variance.o src/savings.o \
	src/reserves.o src/rates.o src/commitment.o

# The install script is the concatenation of these files, in this order: each concept's SQL
# sits beside its C in src/.
SQL_BODY = \
	src/schema.sql \
	src/calendar.sql \
	src/variance.sql \
	src/format.sql \
	src/council.sql \
	src/write_path.sql \
	src/revenue.sql \
	src/ledger.sql \
	src/revenue_report.sql \
	src/commentary.sql \
	src/revenue_tables.sql \
	src/setting.sql \
	src/commitment.sql \
	src/savings.sql \
	src/reserves.sql \
	src/capital.sql \
	src/grants.sql \
	src/appendices.sql \
	src/rates.sql \
	src/measures.sql \
	src/measure_report.sql \
	src/period_views.sql \
	src/reconciliation.sql \
	src/governance.sql \
	src/citus.sql \
	src/declared.sql \
	src/privileges.sql

# Released scripts are tracked in releases/ and never rebuilt or edited: the install scripts
# of the versions released (0.1.0, 0.2.0, 1.0.0) and the upgrades between them.  The current
# version's install script is built from src/; so is the upgrade to it from each version
# that has src/upgrade-<version>-before.sql and -after.sql (UPGRADE_FROM), which keeps that
# version's data, drops its other objects and creates the current version's around the same
# sources.  scripts/run-tests checks that installing any released version and updating gives
# exactly the objects of a fresh install.  Releasing (CONTRIBUTING.md): copy the built
# finmon--$(EXTVERSION).sql and finmon--<from>--$(EXTVERSION).sql into releases/, raise
# EXTVERSION, and replace the upgrade files by those from the version just released.
UPGRADE_FROM = $(patsubst src/upgrade-%-before.sql,%,$(wildcard src/upgrade-*-before.sql))
RELEASED = $(sort $(wildcard releases/$(EXTENSION)--*.sql))
DATA = $(RELEASED)
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(foreach v,$(UPGRADE_FROM),$(EXTENSION)--$(v)--$(EXTVERSION).sql)
EXTRA_CLEAN = $(DATA_built)

# pg_regress: the committee tables, read by a person against the papers.
REGRESS = calendar variance revenue_import norfolk_load norfolk_2018_19 norfolk_2017_18 norfolk_appendices norfolk_performance measures_worked norfolk_reconciliation brackenfield
REGRESS_OPTS = --load-extension=finmon

PG_CONFIG ?= pg_config
PG_CPPFLAGS = -Isrc
# Warnings are errors in CI (.ci/run builds with `make COPT=-Werror`), not here: a newer
# compiler's new warnings must not stop a user's build.
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter  # PostgreSQL's own headers have unused parameters

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
else
# A fresh machine: only `make deps`, `make demo` and `make test` work until deps are installed.
all:
	@echo "pg_config not found: run 'make deps' (or 'make demo' / 'make test', which run it)" >&2; exit 1
endif

# Every C file includes the shared header: rebuild them all when it changes.
$(OBJS): src/finmon.h

$(EXTENSION)--$(EXTVERSION).sql: src/header.sql $(SQL_BODY)
	cat $^ > $@

$(EXTENSION)--%--$(EXTVERSION).sql: src/header-upgrade.sql src/upgrade-%-before.sql $(SQL_BODY) src/upgrade-%-after.sql
	cat $^ > $@

.PHONY: deps demo test bench check-valgrind sample-packages

# Installs what is missing on Debian 12 (PostgreSQL 15 server and headers, pgTAP).
deps:
	./scripts/install-deps

# The sample councils' care packages are generated, not tracked (13 MB for Norfolk at full
# size): data/generate_packages.sql, with a fixed seed, in a throwaway cluster of its own.
SAMPLE_PACKAGES = data/norfolk/packages.csv data/brackenfield/packages.csv
$(SAMPLE_PACKAGES) &: data/generate_packages.sql data/norfolk/revenue.csv data/brackenfield/revenue.csv
	pg_virtualenv -t -v 15 psql -X -q -v ON_ERROR_STOP=1 -f data/generate_packages.sql > /dev/null

sample-packages: $(SAMPLE_PACKAGES)

# Throwaway cluster, the sample councils, their committee tables.
demo: deps
	$(MAKE) all
	$(MAKE) install
	$(MAKE) sample-packages
	pg_virtualenv -t -v 15 ./scripts/demo

# The clients BI tools use, which scripts/test-clients drives: psqlODBC under unixODBC (through
# python3-pyodbc) and pgJDBC (with a headless JDK).
CLIENT_PACKAGES = odbc-postgresql unixodbc python3-pyodbc libpostgresql-jdbc-java default-jdk-headless

# The whole suite, each part in a throwaway cluster of its own (CONTRIBUTING.md says what each
# checks): pg_regress, pgTAP and the upgrade checks; BI tools' clients as a reader; readers
# during loads and refreshes; the fuzz test; a scheduled refresh under pg_cron; a dump and
# restore; and finmon on a Citus cluster of three nodes, then four (scripts/test-citus starts
# them itself, and builds Citus from ../shared/vendor/citus when it is missing).
test: deps
	./scripts/install-deps $(CLIENT_PACKAGES)
	$(MAKE) all
	$(MAKE) install
	$(MAKE) sample-packages
	pg_virtualenv -t -v 15 ./scripts/run-tests
	pg_virtualenv -t -v 15 ./scripts/test-clients
	pg_virtualenv -t -v 15 ./scripts/test-concurrency
	pg_virtualenv -t -v 15 ./scripts/test-fuzz
	pg_virtualenv -t -v 15 -o shared_preload_libraries=pg_cron -o cron.database_name=finmon_cron \
	    -o cron.use_background_workers=on ./scripts/test-cron
	d=$$(mktemp -d) && chmod 777 $$d && pg_virtualenv -t -v 15 ./scripts/test-dump dump $$d && \
	    pg_virtualenv -t -v 15 ./scripts/test-dump restore $$d; status=$$?; rm -rf $$d; exit $$status
	./scripts/test-citus

bench: deps
	$(MAKE) all
	$(MAKE) install
	pg_virtualenv -t -v 15 ./bench/variance_agg.sh
	pg_virtualenv -t -v 15 ./bench/measure_report.sh
	pg_virtualenv -t -v 15 ./bench/ledger_refresh.sh
	pg_virtualenv -t -v 15 ./bench/reconciliation.sh
	pg_virtualenv -t -v 15 ./bench/write_path.sh
	pg_virtualenv -t -v 15 ./bench/councils.sh
	pg_virtualenv -t -v 15 ./bench/commitment.sh
	./scripts/install-citus
	./bench/citus_aggregates.sh
	./bench/citus_reports.sh
	./bench/citus_ledger.sh

# pg_regress and pgTAP with the server under valgrind, and cppcheck on src/ (not part of make
# test; how long it takes: CONTRIBUTING.md, "Valgrind").  Installs valgrind and cppcheck if
# they are missing.
check-valgrind: deps
	./scripts/install-deps valgrind cppcheck
	$(MAKE) all
	$(MAKE) install
	$(MAKE) sample-packages
	./scripts/check-valgrind
