#!/usr/bin/env bash
# Keyhaven load benchmark: builds the server jar if it is missing, then for each database
# (SQLite in a fresh temp data dir, then PostgreSQL in a fresh schema) starts the server on a
# random free port with the bench endpoints on, runs bench/LoadBench.java against it and stops it.
#
#   bench/run.sh [LoadBench options]       e.g. bench/run.sh --duration 10 --clients 8
#
# Environment:
#   KEYHAVEN_BENCH_JAR    server jar (default keyhaven-server/target/keyhaven-server.jar; built if missing)
#   BENCH_DBS             databases to run, default "sqlite postgres"
#   BENCH_PG_HOST/PORT/DB PostgreSQL to use (default 127.0.0.1 / 5432 / test), user BENCH_PG_USER (postgres),
#                         password BENCH_PG_PASSWORD (optional)
#   SERVER_JAVA_OPTS      extra JVM options for the server (default none)
#   CLIENT_JAVA_OPTS      JVM options for the load generator (default -XX:+UseSerialGC -Xmx1g)
# Exit status: 0 all good, 1 setup/start failure, 2 some request failed during a measurement.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
JAR="${KEYHAVEN_BENCH_JAR:-$ROOT/keyhaven-server/target/keyhaven-server.jar}"
DBS="${BENCH_DBS:-sqlite postgres}"
PG_HOST="${BENCH_PG_HOST:-127.0.0.1}"
PG_PORT="${BENCH_PG_PORT:-5432}"
PG_DB="${BENCH_PG_DB:-test}"
PG_USER="${BENCH_PG_USER:-postgres}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--XX:+UseSerialGC -Xmx1g}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"

if [[ "$PG_HOST" != "127.0.0.1" && "$PG_HOST" != "localhost" ]]; then
  echo "bench: BENCH_PG_HOST must be 127.0.0.1 or localhost (the benchmark only talks to this machine)" >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/keyhaven-bench.XXXXXX")"
RESULTS="$WORK/results.tsv"
SERVER_PID=""
CLIENT_PID=""
PG_SCHEMA=""
STATUS=0
MEASURED=0

psql_run() {
  PGPASSWORD="${BENCH_PG_PASSWORD:-}" PGCONNECT_TIMEOUT=5 \
    psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" "$@"
}


drop_schema() {
  if [[ -n "$PG_SCHEMA" ]]; then
    psql_run -c "DROP SCHEMA IF EXISTS \"$PG_SCHEMA\" CASCADE" >/dev/null 2>&1 \
      || echo "bench: could not drop schema $PG_SCHEMA" >&2
    PG_SCHEMA=""
  fi
}

cleanup() {
  if [[ -n "$CLIENT_PID" ]]; then kill "$CLIENT_PID" 2>/dev/null || true; wait "$CLIENT_PID" 2>/dev/null || true; fi
  stop_server
  drop_schema
  if [[ -n "${KEEP_BENCH_DIR:-}" ]]; then
    echo "bench: kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# ---- build the jar if missing ----
if [[ ! -f "$JAR" ]]; then
  if [[ -n "${KEYHAVEN_BENCH_JAR:-}" ]]; then
    echo "bench: KEYHAVEN_BENCH_JAR=$JAR does not exist" >&2
    exit 1
  fi
  echo "bench: building the server jar (mvn -q -B -DskipTests package) ..."
  (cd "$ROOT" && mvn -q -B -DskipTests package)
fi
# run a private copy, so that a rebuild of the jar during the run cannot disturb the server
cp "$JAR" "$WORK/keyhaven-server.jar"
echo "bench: server jar $JAR ($(date -r "$JAR" '+%F %T'))"
JAR="$WORK/keyhaven-server.jar"

# ---- start a server, wait until it answers ----
start_server() { # label, then env assignments
  local label="$1"; shift
  local port; port="$(free_port)" || { echo "bench: no free port found" >&2; return 1; }
  local log="$WORK/server-$label.log"
  env "$@" KEYHAVEN_PORT="$port" KEYHAVEN_MANAGEMENT_PORT=0 KEYHAVEN_BENCH_ENDPOINTS=true KEYHAVEN_LOGIN_RATE_PER_IP=0 KEYHAVEN_LOGIN_RATE_PER_IDENTITY=0 \
    KEYHAVEN_RATE_READS_PER_MINUTE=0 KEYHAVEN_RATE_WRITES_PER_MINUTE=0 \
    java $SERVER_JAVA_OPTS -jar "$JAR" >"$log" 2>&1 &
  SERVER_PID=$!
  SERVER_PORT="$port"
  local deadline=$(( SECONDS + 120 ))
  while (( SECONDS < deadline )); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "bench: the $label server exited during start-up; last lines of its log:" >&2
      tail -n 20 "$log" >&2
      SERVER_PID=""
      return 1
    fi
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/api/status" 2>/dev/null; then
      echo "bench: $label server up on 127.0.0.1:$port (pid $SERVER_PID, log $log)"
      return 0
    fi
    sleep 0.3
  done
  echo "bench: the $label server did not answer within 120 s; last lines of its log:" >&2
  tail -n 20 "$log" >&2
  return 1
}

# the load generator runs in the background and is waited for, so that a signal reaches the traps at once
run_client() { # label, then LoadBench options
  local label="$1" rc=0
  shift
  local extra=("$@")
  if [[ "$label" == postgres* ]]; then extra+=(--db-process postgres); fi
  java $CLIENT_JAVA_OPTS "$BENCH_DIR/LoadBench.java" --port "$SERVER_PORT" --label "$label" \
    --server-pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)" --results "$RESULTS" "${extra[@]}" "${BENCH_ARGS[@]}" &
  CLIENT_PID=$!
  wait "$CLIENT_PID" || rc=$?
  CLIENT_PID=""
  note_status "$rc"
  MEASURED=$(( MEASURED + 1 ))
}

note_status() { # rc
  local rc=$1
  if (( rc == 1 )) || (( rc > 2 )); then STATUS=1; elif (( rc == 2 && STATUS == 0 )); then STATUS=2; fi
}

# --steps is split here: "render" (listing reads that must render) runs against a second server
# with the listing cache off (KEYHAVEN_READ_CACHE_SECONDS=0), every other step against the first.
STEPS="reads,rules,single,logins,writes,render"
BENCH_ARGS=()
while (( $# > 0 )); do
  if [[ "$1" == --steps && $# -ge 2 ]]; then STEPS="$2"; shift 2; else BENCH_ARGS+=("$1"); shift; fi
done
MAIN_STEPS="$(tr ',' '\n' <<<"$STEPS" | grep -v '^render$' | paste -sd, -)" || true
RENDER=0
if tr ',' '\n' <<<"$STEPS" | grep -qx render; then RENDER=1; fi


for db in $DBS; do
  case "$db" in
    sqlite)
      echo
      echo "bench: ---- SQLite (fresh data dir) ----"
      rm -rf "$WORK/sqlite-data" "$WORK/sqlite-data-nocache"
      mkdir -p "$WORK/sqlite-data" "$WORK/sqlite-data-nocache"
      if [[ -n "$MAIN_STEPS" ]]; then
        if start_server sqlite KEYHAVEN_DATA_DIR="$WORK/sqlite-data"; then
          run_client sqlite --steps "$MAIN_STEPS"
        else
          STATUS=1
        fi
        stop_server
      fi
      if (( RENDER )); then
        if start_server sqlite-nocache KEYHAVEN_DATA_DIR="$WORK/sqlite-data-nocache" KEYHAVEN_READ_CACHE_SECONDS=0; then
          run_client sqlite-nocache --steps render
        else
          STATUS=1
        fi
        stop_server
      fi
      ;;
    postgres)
      echo
      echo "bench: ---- PostgreSQL ($PG_HOST:$PG_PORT/$PG_DB, fresh schema) ----"
      if ! command -v psql >/dev/null 2>&1; then
        echo "bench: SKIPPING PostgreSQL: psql is not installed (needed to create and drop the schema)"
        continue
      fi
      if ! psql_run -c "SELECT 1" >/dev/null 2>&1; then
        echo "bench: SKIPPING PostgreSQL: cannot connect to $PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
        continue
      fi
      for pass in main render; do
        if [[ $pass == main && -z "$MAIN_STEPS" ]] || [[ $pass == render && $RENDER == 0 ]]; then continue; fi
        PG_SCHEMA="bench_$(date +%s)_$$_$pass"
        psql_run -c "CREATE SCHEMA \"$PG_SCHEMA\"" >/dev/null
        rm -rf "$WORK/pg-data"
        mkdir -p "$WORK/pg-data"
        pg_env=(KEYHAVEN_DATA_DIR="$WORK/pg-data"
          KEYHAVEN_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?currentSchema=$PG_SCHEMA"
          KEYHAVEN_DB_USER="$PG_USER")
        if [[ -n "${BENCH_PG_PASSWORD:-}" ]]; then pg_env+=(KEYHAVEN_DB_PASSWORD="$BENCH_PG_PASSWORD"); fi
        if [[ $pass == main ]]; then
          if start_server postgres "${pg_env[@]}"; then run_client postgres --steps "$MAIN_STEPS"; else STATUS=1; fi
        else
          if start_server postgres-nocache "${pg_env[@]}" KEYHAVEN_READ_CACHE_SECONDS=0; then
            run_client postgres-nocache --steps render
          else
            STATUS=1
          fi
        fi
        stop_server
        drop_schema
      done
      ;;
    *)
      echo "bench: unknown database '$db' in BENCH_DBS (use sqlite and/or postgres)" >&2
      STATUS=1
      ;;
  esac
done

java $CLIENT_JAVA_OPTS "$BENCH_DIR/LoadBench.java" --summary "$RESULTS" || true
case "$STATUS" in
  0) if (( MEASURED == 0 )); then echo "bench: done, but nothing was measured"; else
       echo "bench: done, every measured request succeeded"; fi ;;
  2) echo "bench: done, BUT some requests failed (see ERRORS above): those figures are not valid" ;;
  *) echo "bench: done with failures (see above)" ;;
esac
exit "$STATUS"
