#!/usr/bin/env bash
# JMH benchmark of the permission evaluator (1,000 rules vs the built-in viewer; cached and
# uncached). Installs the server's plain jar into the local Maven repository, builds the benchmark
# in bench/evaluator and runs it. Extra arguments go to JMH (e.g. -f 1 -wi 2 -i 3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
echo "evaluator-bench: installing the server jar (mvn install -DskipTests)" >&2
mvn -q -B -ntp -DskipTests install -pl keyhaven-server -am
cd bench/evaluator
mvn -q -B -ntp package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main "$@" EvaluatorBenchmark
