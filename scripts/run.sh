#!/usr/bin/env bash
# Builds the server and starts it on the embedded default (SQLite under ./keyhaven-data, port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests package
exec java -jar keyhaven-server/target/keyhaven-server.jar "$@"
