#!/usr/bin/env bash
# Starts the local services the test suite talks to, when they are installed but not running:
# PostgreSQL and Redis (both required by the tests). Prints what it did; changes nothing that already runs.
# Also installs jq and curl when they are missing and apt-get is there: the documentation examples
# (docs/examples/*.sh, run by DocExamplesTest) use them; softhsm2 for the PKCS#11 root key tests; and
# rsyslog with its TLS driver and openssl, which SyslogStreamTest starts as the receiver of syslog
# audit streams.
set -uo pipefail

missing=()
for tool in jq curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ! command -v rsyslogd >/dev/null 2>&1 && [ ! -x /usr/sbin/rsyslogd ]; then
  missing+=(rsyslog)
fi
if ! ls /usr/lib/*/rsyslog/lmnsd_gtls.so /usr/lib/rsyslog/lmnsd_gtls.so >/dev/null 2>&1; then
  missing+=(rsyslog-gnutls)
fi
# systemd-analyze and systemd-sysusers: DeployLayoutTest checks the systemd unit and its user with them
if ! command -v systemd-analyze >/dev/null 2>&1 || ! command -v systemd-sysusers >/dev/null 2>&1; then
  missing+=(systemd)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "start-services: installing ${missing[*]} (the documentation examples and the syslog stream tests need them)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null \
      || echo "start-services: could not install ${missing[*]}; DocExamplesTest or SyslogStreamTest will fail and say so"
  else
    echo "start-services: ${missing[*]} not found and no apt-get; install them for DocExamplesTest"
  fi
fi
# SoftHSM2: the PKCS#11 root key tests (and docs/examples/softhsm.sh) use its module and softhsm2-util
if ! command -v softhsm2-util >/dev/null 2>&1 || [ ! -e /usr/lib/softhsm/libsofthsm2.so ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "start-services: installing softhsm2 (the PKCS#11 root key tests need it)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2; } >/dev/null \
      || echo "start-services: could not install softhsm2; the PKCS#11 tests will fail and say so"
  else
    echo "start-services: softhsm2 not found and no apt-get; install it for the PKCS#11 tests"
  fi
fi

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

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }

if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && ! redis_up; then
  echo "start-services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null || true
  for _ in $(seq 1 10); do redis_up && break; sleep 1; done
fi
if command -v redis-cli >/dev/null 2>&1; then
  redis_up && echo "start-services: Redis is up" || echo "start-services: Redis is NOT reachable on 127.0.0.1:6379 (the shared rate-limit tests will fail and say so)"
else
  echo "start-services: redis-cli not found; the tests expect Redis at \${KEYHAVEN_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"
fi
