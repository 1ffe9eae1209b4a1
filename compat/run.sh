#!/usr/bin/env bash
# Run the Infisical Node SDK compatibility suite against a running Keyhaven server.
#   KEYHAVEN_URL=http://127.0.0.1:8080 ./run.sh
# KEYHAVEN_URL is the site URL without /api. The server must be FRESH (never
# bootstrapped): the suite bootstraps it. Exit code = the test result.
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${KEYHAVEN_URL:-}" ]; then
  echo "run.sh: KEYHAVEN_URL is not set (site URL without /api, e.g. http://127.0.0.1:8080)" >&2
  exit 2
fi
export KEYHAVEN_URL

if [ ! -d node_modules/@infisical/sdk ]; then
  npm ci --no-audit --no-fund
fi

exec node --test test/
