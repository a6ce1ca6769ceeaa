-- finmon upgrade script, built by `make upgrade-script` from src/*.sql (see Makefile).
\echo Use "ALTER EXTENSION finmon UPDATE" to load this file. \quit
