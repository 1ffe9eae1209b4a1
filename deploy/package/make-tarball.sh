#!/usr/bin/env bash
# Packs the server in the file-system layout of docs/deployment.md, to be extracted at / :
#   /usr/lib/keyhaven/keyhaven-server.jar          the server
#   /usr/lib/systemd/system/keyhaven.service       the systemd unit
#   /usr/lib/sysusers.d/keyhaven.conf              its system user
#   /etc/keyhaven/keyhaven.env                     settings (commented examples)
#   /usr/share/doc/keyhaven/                       deployment.md, configuration.md
# /var/lib/keyhaven (the data) is created by systemd on first start (StateDirectory=).
# Usage: deploy/package/make-tarball.sh [OUTPUT]   (default keyhaven-server/target/keyhaven-server.tar.gz)
# The jar comes from KEYHAVEN_JAR, default keyhaven-server/target/keyhaven-server.jar.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${KEYHAVEN_JAR:-$ROOT/keyhaven-server/target/keyhaven-server.jar}
OUT=$(realpath -m "${1:-$ROOT/keyhaven-server/target/keyhaven-server.tar.gz}")
[ -f "$JAR" ] || { echo "make-tarball.sh: no $JAR (mvn -B -q -DskipTests package)" >&2; exit 1; }
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
install -D -m 0644 "$JAR" "$STAGE/usr/lib/keyhaven/keyhaven-server.jar"
install -D -m 0644 "$ROOT/deploy/systemd/keyhaven.service" "$STAGE/usr/lib/systemd/system/keyhaven.service"
install -D -m 0644 "$ROOT/deploy/systemd/keyhaven.sysusers" "$STAGE/usr/lib/sysusers.d/keyhaven.conf"
install -D -m 0600 "$ROOT/deploy/systemd/keyhaven.env" "$STAGE/etc/keyhaven/keyhaven.env"
install -D -m 0644 -t "$STAGE/usr/share/doc/keyhaven" "$ROOT/docs/deployment.md" "$ROOT/docs/configuration.md"
# reproducible: fixed owner, order and times
tar --owner=0 --group=0 --numeric-owner --sort=name --mtime=@0 -C "$STAGE" -cf - ./usr ./etc | gzip -n > "$OUT"
echo "$OUT"
