#!/usr/bin/env bash
# Starts the server from keyhaven-server/target/keyhaven-server.jar, building it first only when it
# is missing or a source or build file changed since it was built. Arguments go to the server:
#   scripts/run.sh          SQLite under ./keyhaven-data, API on port 8080
#   scripts/run.sh --dev    a bootstrapped development server (see docs/deployment.md#development-mode)
#   scripts/run.sh --help   the settings
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=keyhaven-server/target/keyhaven-server.jar
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml keyhaven-server/pom.xml keyhaven-server/src/main -newer "$JAR" -print -quit)" ]; then
  echo "run.sh: building $JAR (sources changed since the last build)" >&2
  mvn -B -q -ntp -DskipTests -pl keyhaven-server -am package
fi
exec java -jar "$JAR" "$@"
