-- finmon upgrade script, built by make from src/ (see the Makefile).
\echo Use "ALTER EXTENSION finmon UPDATE" to load this file. \quit
