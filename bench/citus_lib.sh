# The nodes of bench/citus_aggregates.sh, bench/citus_reports.sh and bench/citus_ledger.sh
# (sourced by them, after lib.sh, with $me the script's name, $started its start (date +%s.%N)
# and $parallel its BENCH_PARALLEL_WORKERS, unset for PostgreSQL's default): a single server and
# a Citus cluster of a coordinator and two workers on free ports in 5800-5899, as the postgres
# user, in a temporary directory removed on exit (the servers stopped, even on failure); the
# functions sql, now, step, ms, start_node and workers_send; finmon created on the coordinator
# (Citus creates it on the workers) and on the single server, with dblink there.
[ "$(id -u)" = 0 ] || { echo "bench/$me: run as root (it runs postgres as its user)" >&2; exit 1; }
[ -f "$pkglibdir/citus.so" ] || { echo "bench/$me: Citus is not installed: run $here/scripts/install-citus" >&2; exit 1; }

bin=/usr/lib/postgresql/15/bin
db=postgres                       # Citus wants the same database name on every node
dir=$(mktemp -d /tmp/finmon-${me%.sh}.XXXXXX)
chown postgres: "$dir"
finished=
cleanup() {
  local status=$?
  set +e                          # stop and remove everything, whatever fails on the way
  if [ -z "$finished" ]; then
    echo "bench/$me: stopped by an error (exit status $status)" >&2
    for log in "$dir"/*.log; do
      grep -E -A2 'ERROR|FATAL|PANIC' "$log" | tail -n 9 | sed "s|^|# $(basename "$log" .log): |" >&2
    done 2>/dev/null
  fi
  for data in "$dir"/*/; do
    [ -f "$data/postmaster.pid" ] && runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m immediate -s stop
  done
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Four free ports: the single server, the coordinator and two workers.
ports=()
for p in $(seq 5800 5899); do
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ports+=("$p")
  [ "${#ports[@]}" = 4 ] && break
done
[ "${#ports[@]}" = 4 ] || { echo "bench/$me: no four free ports in 5800-5899" >&2; exit 1; }
single=${ports[0]} coord=${ports[1]} worker1=${ports[2]} worker2=${ports[3]}

# sql PORT [psql options]: psql as the postgres role over TCP, quiet, stopping at the first error.
sql() {
  local port=$1; shift
  PGOPTIONS='-c client_min_messages=warning' \
    psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
}
now() { date +%s.%N; }
step() { echo "[$(awk "BEGIN { printf \"%4.0f\", $(now) - $started }") s] $*"; }   # progress, with the seconds since the start
ms() { awk "BEGIN { printf \"%.1f\", ($2 - $1) * 1000 }"; }   # ms START END

# start_node NAME PORT [citus]: initdb and start one instance on 127.0.0.1 and a socket in $dir
# only, trusting 127.0.0.1 (a throwaway cluster, no passwords: the nodes connect to each other as
# the role running the statement). Every node the same settings (max_parallel_workers_per_gather
# PostgreSQL's default when $parallel is unset); the cluster's nodes load Citus.
start_node() {
  local data=$dir/$1
  runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres -A trust --no-sync >/dev/null
  echo 'host all all 127.0.0.1/32 trust' > "$data/pg_hba.conf"
  cat >> "$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $2
unix_socket_directories = '$dir'
shared_buffers = 128MB
jit = off
${parallel:+max_parallel_workers_per_gather = $parallel}
fsync = off
max_wal_size = 4GB
EOF
  if [ "${3:-}" = citus ]; then
    cat >> "$data/postgresql.conf" <<EOF
shared_preload_libraries = 'citus'
citus.local_hostname = '127.0.0.1'
EOF
  fi
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$dir/$1.log" -w -s start
  [ "${3:-}" != citus ] || sql "$2" -c 'CREATE EXTENSION citus'
}

step "Starting a single server (port $single) and a coordinator and two workers (ports $coord, $worker1, $worker2)..."
start_node single "$single"
start_node coordinator "$coord" citus
start_node worker1 "$worker1" citus
start_node worker2 "$worker2" citus
sql "$coord" >/dev/null <<SQL
SELECT pg_catalog.citus_set_coordinator_host('127.0.0.1', $coord);
SELECT pg_catalog.citus_add_node('127.0.0.1', $worker1);
SELECT pg_catalog.citus_add_node('127.0.0.1', $worker2);
SQL
# On the coordinator only: Citus creates finmon on the workers (with its roles).
sql "$coord" -c 'CREATE EXTENSION finmon'
sql "$single" -c 'CREATE EXTENSION finmon' -c 'CREATE EXTENSION dblink'

# workers_send K TABLE PLAN: the rows the workers send the coordinator for query K, whose plan is
# PLAN (EXPLAIN (VERBOSE, COSTS OFF) on the coordinator): the plan's first workers' query over
# TABLE (schema-qualified, as the plan names its shards), the shard's name replaced by each
# shard's, run on every shard of TABLE with run_command_on_shards (EXPLAIN ANALYZE fails once
# worker_partial_agg is pushed down: it returns cstring, citus issue #4043). A router query's
# shard is replaced too: the other shards hold none of its rows. Sets worker_query (the shard's
# name as %s), sent_rows (formatted 999,999,999) and sent_shards; stops the script if the plan has
# no workers' query over TABLE or it fails on a shard.
workers_send() {
  local shard="${2//./\\.}_[0-9]+ " counted
  worker_query=$(sed -n -E "/^ *Query: .*$shard/{s/^ *Query: //;s/$shard/%s /;p;q}" <<<"$3")
  [ -n "$worker_query" ] || { echo "bench/$me: no workers' query over $2 in the plan of query $1" >&2; exit 1; }
  counted=$(sql "$coord" -F ' ' -c "
    SELECT to_char(sum(result::bigint), 'FM999,999,999'), count(*)
      FROM pg_catalog.run_command_on_shards('$2', \$q\$SELECT count(*) FROM ($worker_query) q\$q\$)
    HAVING bool_and(success)")
  read -r sent_rows sent_shards <<<"$counted"
  [ -n "${sent_rows:-}" ] || { echo "bench/$me: the workers' query of query $1 failed on a shard" >&2; exit 1; }
}
