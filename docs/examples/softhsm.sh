#!/usr/bin/env bash
# The SoftHSM2 example of docs/kms.md as one script: the page's bash blocks are exactly these
# commands (DocExamplesTest checks that). Needs Debian's softhsm2 package, curl and a Keyhaven
# server: KEYHAVEN_SERVER is the command that starts one (default: java -jar keyhaven-server.jar).
# Works in the current directory, which it fills with hsm/, data/ and the servers' logs.
set -euo pipefail

umask 077
mkdir -p hsm/tokens
printf 'directories.tokendir = %s/hsm/tokens\nobjectstore.backend = file\n' "$PWD" > hsm/softhsm2.conf
export SOFTHSM2_CONF=$PWD/hsm/softhsm2.conf
softhsm2-util --init-token --free --label keyhaven --pin 123456 --so-pin 12345678
printf '123456\n' > hsm/pin

export KEYHAVEN_ROOT_KEY_PROVIDER=pkcs11
export KEYHAVEN_PKCS11_LIBRARY=/usr/lib/softhsm/libsofthsm2.so
export KEYHAVEN_PKCS11_SLOT_INDEX=0
export KEYHAVEN_PKCS11_PIN_FILE=$PWD/hsm/pin
export KEYHAVEN_PKCS11_KEY_LABEL=keyhaven-root
export KEYHAVEN_DATA_DIR=$PWD/data
export SERVER_PORT=${SERVER_PORT:-8080}
${KEYHAVEN_SERVER:-java -jar keyhaven-server.jar} > first-start.log 2>&1 &
SERVER=$!
until curl -sf "http://localhost:$SERVER_PORT/api/status" > /dev/null; do sleep 1; done
grep -o "Generated a new root key labelled 'keyhaven-root'.*" first-start.log
test ! -e data/root.key && echo "no root key on disk: it is in the token"
kill $SERVER; wait $SERVER || true

printf '654321\n' > hsm/wrong-pin
if KEYHAVEN_PKCS11_PIN_FILE=$PWD/hsm/wrong-pin ${KEYHAVEN_SERVER:-java -jar keyhaven-server.jar} > wrong-pin.log 2>&1
then echo "started with a wrong PIN" >&2; exit 1; fi
grep "cannot start" wrong-pin.log

${KEYHAVEN_SERVER:-java -jar keyhaven-server.jar} > second-start.log 2>&1 &
SERVER=$!
until curl -sf "http://localhost:$SERVER_PORT/api/status" > /dev/null; do sleep 1; done
grep -o "Root key loaded from .*" second-start.log
kill $SERVER; wait $SERVER || true
