-- The end of each part of the fuzz test: alone, the part reports its checks and fails (psql
-- exits 3) unless every result agreed; scripts/test-fuzz runs the parts with -v report=off and
-- reports them all at the end.  The part sets part_functions, the functions it checks.
\if :{?report}
\else
\set report on
\endif
\if :report
\set functions :part_functions
\set min_calls 0
\ir report.sql
\endif
