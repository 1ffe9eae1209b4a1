#!/usr/bin/env bash
# Keyhaven CLI start-up benchmark: builds the server and CLI jars if they are missing, starts a
# server (SQLite in a fresh temp data dir, random free port), bootstraps it, creates a project with
# 50 secrets in dev and a machine identity with universal auth, logs the CLI in, then measures the
# wall time of `keyhaven run --project-id <id> --env dev -- true` over N runs, beside `java -version`
# (the JVM floor) measured in the same run.
#
#   bench/cli-startup.sh [N]            N runs per case (default 20, or BENCH_RUNS)
#
# Cases measured, interleaved, each after one untimed warm-up run (which creates the CDS archive):
#   java -version                  the JVM floor (always measured first)
#   plain      java -jar keyhaven-cli.jar, no JVM options
#   c1         + -XX:TieredStopAtLevel=1
#   c1-serial  + -XX:+UseSerialGC -XX:-UsePerfData
#   no-cds     scripts/keyhaven with KEYHAVEN_CDS=off (the launcher's options, no archive)
#   launcher   scripts/keyhaven (its options and the AppCDS archive it creates on first use)
# Environment:
#   KEYHAVEN_BENCH_JAR   server jar (default keyhaven-server/target/keyhaven-server.jar)
#   KEYHAVEN_CLI_JAR     CLI jar (default keyhaven-cli/target/keyhaven-cli.jar)
#   BENCH_CASES          cases to run, default "plain c1 c1-serial no-cds launcher"
#   KEEP_BENCH_DIR       keep the temp directory (server log, config dir)
# Uses hyperfine when installed, else a bash loop with `date +%s%N`. Needs curl and jq.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
JAR="${KEYHAVEN_BENCH_JAR:-$ROOT/keyhaven-server/target/keyhaven-server.jar}"
CLI_JAR="${KEYHAVEN_CLI_JAR:-$ROOT/keyhaven-cli/target/keyhaven-cli.jar}"
RUNS="${1:-${BENCH_RUNS:-20}}"
CASES="${BENCH_CASES:-plain c1 c1-serial no-cds launcher}"

for tool in curl jq java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is required" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/keyhaven-cli-bench.XXXXXX")"
SERVER_PID=""


cleanup() {
  stop_server
  if [[ -n "${KEEP_BENCH_DIR:-}" ]]; then
    echo "bench: kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# ---- build the jars if missing ----
if [[ ! -f "$JAR" || ! -f "$CLI_JAR" ]]; then
  if [[ -n "${KEYHAVEN_BENCH_JAR:-}${KEYHAVEN_CLI_JAR:-}" ]]; then
    echo "bench: $JAR or $CLI_JAR does not exist" >&2
    exit 1
  fi
  echo "bench: building the jars (mvn -q -B -DskipTests package) ..."
  (cd "$ROOT" && mvn -q -B -DskipTests package)
fi
# private copies, so that a rebuild during the run cannot disturb it
cp "$JAR" "$WORK/keyhaven-server.jar"
cp "$CLI_JAR" "$WORK/keyhaven-cli.jar"
echo "bench: server jar $JAR ($(date -r "$JAR" '+%F %T')), CLI jar $CLI_JAR ($(date -r "$CLI_JAR" '+%F %T'))"
JAR="$WORK/keyhaven-server.jar"
CLI_JAR="$WORK/keyhaven-cli.jar"

# ---- start the server ----
PORT="$(free_port)" || { echo "bench: no free port found" >&2; exit 1; }
KH="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data"
KEYHAVEN_DATA_DIR="$WORK/data" KEYHAVEN_PORT="$PORT" KEYHAVEN_MANAGEMENT_PORT=0 java -jar "$JAR" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
deadline=$(( SECONDS + 120 ))
until curl -fsS -o /dev/null --max-time 2 "$KH/api/status" 2>/dev/null; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null || (( SECONDS >= deadline )); then
    echo "bench: the server did not start; last lines of its log:" >&2
    tail -n 20 "$WORK/server.log" >&2
    exit 1
  fi
  sleep 0.3
done
echo "bench: server up on $KH (pid $SERVER_PID)"

# ---- set up: bootstrap, project, 50 secrets, identity with universal auth ----
api() { # method path [json]
  curl -fsS -X "$1" "$KH$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
TOKEN=""
BOOT=$(curl -fsS -X POST "$KH/api/v1/admin/bootstrap" -H 'Content-Type: application/json' \
  -d '{"email":"bench@keyhaven.test","password":"a long bench passphrase","organization":"Bench"}')
TOKEN=$(jq -r .identity.credentials.token <<<"$BOOT")
ORG=$(jq -r .organization.id <<<"$BOOT")
PROJECT=$(api POST /api/v2/workspace '{"projectName":"cli-bench"}' | jq -r .project.id)
for i in $(seq -w 0 49); do
  api POST "/api/v3/secrets/raw/KEY_$i" \
    "{\"workspaceId\":\"$PROJECT\",\"environment\":\"dev\",\"secretPath\":\"/\",\"secretValue\":\"value-$i-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')\"}" >/dev/null
done
ID=$(api POST /api/v1/identities "{\"name\":\"cli-bench\",\"organizationId\":\"$ORG\",\"role\":\"no-access\"}" | jq -r .identity.id)
CLIENT_ID=$(api POST "/api/v1/auth/universal-auth/identities/$ID" '{}' | jq -r .identityUniversalAuth.clientId)
CLIENT_SECRET=$(api POST "/api/v1/auth/universal-auth/identities/$ID/client-secrets" '{}' | jq -r .clientSecret)
api POST "/api/v2/workspace/$PROJECT/identity-memberships/$ID" '{"role":"viewer"}' >/dev/null

export XDG_CONFIG_HOME="$WORK/config"
export KEYHAVEN_CLI_JAR="$CLI_JAR"
unset KEYHAVEN_TOKEN KEYHAVEN_URL
KEYHAVEN_CLIENT_ID="$CLIENT_ID" KEYHAVEN_CLIENT_SECRET="$CLIENT_SECRET" \
  java -jar "$CLI_JAR" login --url "$KH" --method universal-auth >/dev/null
out=$(java -jar "$CLI_JAR" run --project-id "$PROJECT" --env dev -- sh -c 'echo "$KEY_00 $KEY_49"' 2>&1)
[[ "$out" == *"injecting 50 secret(s)"* ]] || { echo "bench: check run failed: $out" >&2; exit 1; }
echo "bench: project $PROJECT with 50 secrets in dev; CLI logged in (config $XDG_CONFIG_HOME)"

# ---- measure ----
LOAD_BEFORE="$(uptime)"
echo "bench: load before: $LOAD_BEFORE"
echo "bench: $RUNS runs per case, $(nproc) CPUs, $(java -version 2>&1 | head -n 1)"
echo
# Cases: a label and a command line each. The runs are interleaved (round r runs every case once), so
# that a change of the machine's load during the benchmark hits every case alike.
RUN=(run --project-id "$PROJECT" --env dev -- true)
LABELS=("java -version")
CMDS=("java -version")
add_case() { LABELS+=("$1"); shift; local q; printf -v q '%q ' "$@"; CMDS+=("$q"); }
for c in $CASES; do
  case "$c" in
    plain) add_case "java -jar (no options)" java -jar "$CLI_JAR" "${RUN[@]}" ;;
    c1) add_case "+ TieredStopAtLevel=1" java -XX:TieredStopAtLevel=1 -jar "$CLI_JAR" "${RUN[@]}" ;;
    c1-serial) add_case "+ SerialGC -UsePerfData" java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData \
      -jar "$CLI_JAR" "${RUN[@]}" ;;
    no-cds) add_case "scripts/keyhaven, no CDS" env KEYHAVEN_CDS=off "$ROOT/scripts/keyhaven" "${RUN[@]}" ;;
    launcher) add_case "scripts/keyhaven (AppCDS)" "$ROOT/scripts/keyhaven" "${RUN[@]}" ;;
    *) echo "bench: unknown case '$c'" >&2; exit 1 ;;
  esac
done

# warm-up (untimed; the launcher creates its CDS archive here), and a check that each case works
for i in "${!CMDS[@]}"; do
  eval "${CMDS[$i]}" >/dev/null 2>&1 || { echo "bench: ${LABELS[$i]} failed: ${CMDS[$i]}" >&2; eval "${CMDS[$i]}" >&2 || true; exit 1; }
  : >"$WORK/times.$i"
done

if command -v hyperfine >/dev/null 2>&1; then
  echo "bench: timing with hyperfine (one case after the other)"
  for i in "${!CMDS[@]}"; do
    hyperfine -N --style none --runs "$RUNS" --export-json "$WORK/hf.json" "${CMDS[$i]}" >/dev/null 2>&1
    jq -r '.results[0].times[] | . * 1e9 | floor' "$WORK/hf.json" >>"$WORK/times.$i"
  done
else
  echo "bench: timing with date +%s%N, cases interleaved"
  for (( r = 0; r < RUNS; r++ )); do
    for i in "${!CMDS[@]}"; do
      t0=$(date +%s%N)
      eval "${CMDS[$i]}" >/dev/null 2>&1
      t1=$(date +%s%N)
      echo $(( t1 - t0 )) >>"$WORK/times.$i"
    done
  done
fi

echo
printf '%-28s %10s %10s %10s %14s\n' case "median s" "min s" "max s" "median/java"
JAVA_MEDIAN=""
for i in "${!CMDS[@]}"; do
  mapfile -t times < <(sort -n "$WORK/times.$i")
  n=${#times[@]}
  if (( n % 2 )); then med=${times[n/2]}; else med=$(( (times[n/2-1] + times[n/2]) / 2 )); fi
  ratio="-"
  if [[ -z "$JAVA_MEDIAN" ]]; then JAVA_MEDIAN=$med; else ratio=$(awk -v a="$med" -v b="$JAVA_MEDIAN" 'BEGIN{printf "%.2fx", a/b}'); fi
  awk -v l="${LABELS[$i]}" -v m="$med" -v lo="${times[0]}" -v hi="${times[n-1]}" -v r="$ratio" \
    'BEGIN{printf "%-28s %10.3f %10.3f %10.3f %14s\n", l, m/1e9, lo/1e9, hi/1e9, r}'
done
echo
echo "bench: load after: $(uptime)"
echo "bench: timings are only meaningful on a quiet machine; compare the load figures above"
