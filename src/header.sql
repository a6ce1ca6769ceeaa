-- finmon install script, built by `make` from src/*.sql (see Makefile for the order).
\echo Use "CREATE EXTENSION finmon" to load this file. \quit
