#!/usr/bin/env bash
# The examples of docs/deployment.md as one script, run in an empty directory: a self-signed
# certificate, the server on TLS with a bootstrap token, bootstrap and the rotation of its admin
# token, health on the management port, and a renewed certificate served without a restart.
# DeploymentExamplesTest runs it. Needs java 17, openssl, curl 7.76+ and jq.
set -euo pipefail

export KEYHAVEN_JAR=${KEYHAVEN_JAR:-keyhaven-server/target/keyhaven-server.jar}
export KEYHAVEN_PORT=${KEYHAVEN_PORT:-8443} KEYHAVEN_MANAGEMENT_PORT=${KEYHAVEN_MANAGEMENT_PORT:-8081}
umask 077

# --- TLS: a certificate and key as PEM files (here self-signed; in production from your CA)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 -subj /CN=localhost \
  -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout tls.key -out tls.crt 2>/dev/null
openssl rand -hex 24 > bootstrap-token

KEYHAVEN_DATA_DIR=$PWD/data \
KEYHAVEN_TLS_CERT_FILE=$PWD/tls.crt KEYHAVEN_TLS_KEY_FILE=$PWD/tls.key \
KEYHAVEN_BOOTSTRAP_TOKEN_FILE=$PWD/bootstrap-token \
  java -jar "$KEYHAVEN_JAR" > server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT

export KEYHAVEN_URL=https://localhost:$KEYHAVEN_PORT
# ready once the readiness probe on the management port says so
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$KEYHAVEN_MANAGEMENT_PORT/actuator/health/readiness" && break; sleep 1; done; echo
curl -sS --cacert tls.crt -D - -o /dev/null "$KEYHAVEN_URL/api/status" | grep -i '^strict-transport-security'

# --- Bootstrap with the one-time token (needed from any host but the server's own)
kh() {
  local token=$1 answer; shift
  if [ "$token" != - ]; then set -- "$@" -H "Authorization: Bearer $token"; fi
  if ! answer=$(curl -sS --cacert tls.crt --fail-with-body -X "$1" "$KEYHAVEN_URL$2" \
      -H 'Content-Type: application/json' "${@:3}"); then
    echo "$1 $2: $answer" >&2
    return 1
  fi
  printf '%s\n' "$answer"
}
PASSWORD=$(openssl rand -base64 18)
PASSWORD=$PASSWORD jq -n '{email: "admin@example.com", password: env.PASSWORD, organization: "Acme"}' \
  | kh - POST /api/v1/admin/bootstrap -H "X-Keyhaven-Bootstrap-Token: $(cat bootstrap-token)" -d @- > bootstrap.json
rm bootstrap-token   # it is good for nothing now: the instance is set up
TOKEN=$(jq -r .identity.credentials.token bootstrap.json)
IDENTITY=$(jq -r .identity.id bootstrap.json)

# --- Rotate the admin token (it expires after KEYHAVEN_BOOTSTRAP_TOKEN_TTL, 24 h by default)
NEW_TOKEN=$(kh "$TOKEN" POST "/api/v1/auth/token-auth/identities/$IDENTITY/tokens" -d '{"name": "admin"}' \
  | jq -r .accessToken)
kh - POST /api/v1/auth/token/revoke -d "$(jq -n --arg t "$TOKEN" '{accessToken: $t}')" | jq -r .message
kh "$NEW_TOKEN" GET "/api/v1/auth/token-auth/identities/$IDENTITY/tokens" | jq -r '.tokens[] | .name'

# --- Renew the certificate: replace the files; new connections get the new one within ~10 s
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 -subj /CN=localhost \
  -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout tls.key.new -out tls.crt.new 2>/dev/null
mv tls.key.new tls.key && mv tls.crt.new tls.crt
served() {
  openssl s_client -connect "localhost:$KEYHAVEN_PORT" < /dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256
}
for _ in $(seq 60); do [ "$(served)" = "$(openssl x509 -in tls.crt -noout -fingerprint -sha256)" ] && break; sleep 1; done
curl -sS --cacert tls.crt "$KEYHAVEN_URL/api/status" | jq -r .database
