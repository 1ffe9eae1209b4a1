#!/usr/bin/env bash
# The whole test suite: unit, API and storage tests on SQLite and PostgreSQL, and the Node SDK
# compatibility suite. Needs Java 17, Maven, Node 20+ and a reachable PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp verify "$@"
