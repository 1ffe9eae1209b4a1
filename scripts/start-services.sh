#!/usr/bin/env bash
# Starts the local services the test suite talks to, when they are installed but not running:
# PostgreSQL (required by the tests). Prints what it did; changes nothing that already runs.
set -uo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if command -v pg_isready >/dev/null 2>&1 && ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | head -n 1)
    echo "start-services: starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if command -v pg_isready >/dev/null 2>&1; then
  pg_up && echo "start-services: PostgreSQL is up" || echo "start-services: PostgreSQL is NOT reachable on 127.0.0.1:5432 (the tests will fail and say so)"
else
  echo "start-services: pg_isready not found; the tests expect PostgreSQL at \${KEYHAVEN_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
fi
