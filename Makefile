# finmon: PGXS build.  See README.md for `make demo` and `make test`.

EXTENSION = finmon
EXTVERSION = 1.0.0

MODULE_big = finmon
OBJS = src/aggregate.o src/calendar.o src/variance.o src/savings.o src/reserves.o src/rates.o

# The install script is the concatenation of these files, in this order:
# each concept's SQL sits beside its C in src/.
SQL_SOURCES = \
	src/header.sql \
	src/calendar.sql \
	src/variance.sql \
	src/format.sql \
	src/revenue.sql \
	src/revenue_import.sql \
	src/revenue_report.sql \
	src/revenue_tables.sql \
	src/commentary.sql \
	$(SQL_SOURCES_0_2) \
	$(SQL_SOURCES_1_0)

# What 0.2.0 added: the upgrade script from 0.1.0 is these, after its own header.
SQL_SOURCES_0_2 = \
	src/revenue_figures.sql \
	src/savings.sql \
	src/reserves.sql \
	src/capital.sql \
	src/grants.sql \
	src/appendices.sql \
	src/rates.sql \
	src/measures.sql \
	src/measure_report.sql \
	src/ledger.sql \
	src/period_views.sql

# What 1.0.0 added.  The upgrade script from 0.2.0 is src/upgrade-0.2.0--1.0.0.sql (the
# changes to 0.2.0's objects, kept by hand) followed by these.
SQL_SOURCES_1_0 = \
	src/reconciliation.sql \
	src/governance.sql

# Released scripts are tracked and never rebuilt: finmon--0.1.0.sql and finmon--0.2.0.sql
# as released, and the upgrades between versions.  `make upgrade-script` regenerates the
# 0.2.0--1.0.0 upgrade; scripts/run-tests checks that installing 0.1.0 or 0.2.0 and
# updating gives exactly the objects of a fresh install.  From 1.0.0 on, the next version
# starts by tracking finmon--1.0.0.sql as built at its release and adding an upgrade
# script from it: a released install script is never edited.
DATA = $(EXTENSION)--0.1.0.sql $(EXTENSION)--0.1.0--0.2.0.sql \
	$(EXTENSION)--0.2.0.sql $(EXTENSION)--0.2.0--1.0.0.sql
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
EXTRA_CLEAN = $(EXTENSION)--$(EXTVERSION).sql

# pg_regress: the committee tables, read by a person against the papers.
REGRESS = calendar variance revenue_import norfolk_load norfolk_2018_19 norfolk_2017_18 norfolk_appendices norfolk_performance measures_worked norfolk_reconciliation
REGRESS_OPTS = --load-extension=finmon

PG_CONFIG ?= pg_config
PG_CPPFLAGS = -Isrc
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter  # PostgreSQL's own headers have unused parameters

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

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_SOURCES)
	cat $^ > $@

.PHONY: upgrade-script
upgrade-script:
	cat src/header-upgrade.sql src/upgrade-0.2.0--1.0.0.sql $(SQL_SOURCES_1_0) > $(EXTENSION)--0.2.0--1.0.0.sql

.PHONY: deps demo test test-regress test-tap bench check-valgrind

# Installs what is missing on Debian 12 (PostgreSQL 15 server and headers, pgTAP).
deps:
	./scripts/install-deps

# Throwaway cluster, Norfolk sample data, the 2018-19 Period 5 revenue tables.
demo: deps
	$(MAKE) all
	$(MAKE) install
	pg_virtualenv -t -v 15 ./scripts/demo

# The whole suite (pg_regress, pgTAP, the upgrade check) in a throwaway cluster; readers
# during loads and refreshes in another; a scheduled refresh under pg_cron in a third.
test: deps
	$(MAKE) all
	$(MAKE) install
	pg_virtualenv -t -v 15 ./scripts/run-tests
	pg_virtualenv -t -v 15 ./scripts/test-concurrency
	pg_virtualenv -t -v 15 ./scripts/test-fuzz
	pg_virtualenv -t -v 15 -o shared_preload_libraries=pg_cron -o cron.database_name=finmon_cron \
	    -o cron.use_background_workers=on ./scripts/test-cron
	d=$$(mktemp -d) && chmod 777 $$d && pg_virtualenv -t -v 15 ./scripts/test-dump dump $$d && \
	    pg_virtualenv -t -v 15 ./scripts/test-dump restore $$d; status=$$?; rm -rf $$d; exit $$status

bench: deps
	$(MAKE) all
	$(MAKE) install
	pg_virtualenv -t -v 15 ./bench/variance_agg.sh
	pg_virtualenv -t -v 15 ./bench/measure_report.sh
	pg_virtualenv -t -v 15 ./bench/ledger_refresh.sh
	pg_virtualenv -t -v 15 ./bench/reconciliation.sh

# pg_regress and pgTAP with the server under valgrind, and cppcheck on src/ (about 9 minutes;
# not part of make test).  Installs valgrind and cppcheck if they are missing.
check-valgrind: deps
	./scripts/install-deps valgrind cppcheck
	$(MAKE) all
	$(MAKE) install
	./scripts/check-valgrind
