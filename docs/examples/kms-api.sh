#!/usr/bin/env bash
# The KMS API example of docs/kms.md as one script: the page shows exactly these commands
# (DocExamplesTest checks that, and runs the script on a fresh server after getting-started.sh).
# Needs curl 7.76+, jq and openssl; reads the password of admin@example.com from standard input
# when not run at a terminal.
set -euo pipefail

export KEYHAVEN_URL=${KEYHAVEN_URL:-http://localhost:8080}
umask 077
# kh TOKEN METHOD PATH [curl options]: one API call (TOKEN - for none); on an HTTP error it
# prints the server's answer and fails
kh() {
  local token=$1 answer; shift
  if [ "$token" != - ]; then set -- "$@" -H "Authorization: Bearer $token"; fi
  if ! answer=$(curl -sS --fail-with-body -X "$1" "$KEYHAVEN_URL$2" -H 'Content-Type: application/json' "${@:3}"); then
    echo "$1 $2: $answer" >&2
    return 1
  fi
  printf '%s\n' "$answer"
}
read -rsp 'Password of admin@example.com: ' PASSWORD; echo
TOKEN=$(PASSWORD=$PASSWORD jq -n '{email: "admin@example.com", password: env.PASSWORD}' \
  | kh - POST /api/v1/auth/login -d @- | jq -r .accessToken); unset PASSWORD
ORG=$(kh "$TOKEN" GET /api/v1/user/me | jq -r .currentOrganizationId)

# 1. a KMS project, an encryption key and a signing key
KMS=$(kh "$TOKEN" POST /api/v2/workspace -d '{"projectName": "payments-kms", "type": "kms"}' | jq -r .project.id)
kh "$TOKEN" GET '/api/v1/workspace?type=kms' | jq -r '.workspaces[] | "kms project: \(.name)"'
AES=$(kh "$TOKEN" POST /api/v1/kms/keys -d "$(jq -n --arg p "$KMS" \
  '{projectId: $p, name: "card-data", keyUsage: "encrypt-decrypt", encryptionAlgorithm: "aes-256-gcm"}')" | jq -r .key.id)
SIGNER=$(kh "$TOKEN" POST /api/v1/kms/keys -d "$(jq -n --arg p "$KMS" \
  '{projectId: $p, name: "release-signing", keyUsage: "sign-verify", encryptionAlgorithm: "ECC_NIST_P256"}')" \
  | jq -r .key.id)

# 2. a worker identity that may use the keys and nothing else: the cryptographic-operator role
ID=$(kh "$TOKEN" POST /api/v1/identities -d "$(jq -n --arg o "$ORG" \
  '{name: "payments-worker", organizationId: $o, role: "no-access"}')" | jq -r .identity.id)
CLIENT_ID=$(kh "$TOKEN" POST "/api/v1/auth/universal-auth/identities/$ID" -d '{}' | jq -r .identityUniversalAuth.clientId)
CLIENT_SECRET=$(kh "$TOKEN" POST "/api/v1/auth/universal-auth/identities/$ID/client-secrets" -d '{}' | jq -r .clientSecret)
kh "$TOKEN" POST "/api/v2/workspace/$KMS/identity-memberships/$ID" -d '{"role": "cryptographic-operator"}' > /dev/null
WORKER=$(jq -n --arg id "$CLIENT_ID" --arg s "$CLIENT_SECRET" '{clientId: $id, clientSecret: $s}' \
  | kh - POST /api/v1/auth/universal-auth/login -d @- | jq -r .accessToken)

# 3. encrypt and decrypt: plaintext goes in and comes out base64-encoded
CIPHERTEXT=$(kh "$WORKER" POST "/api/v1/kms/keys/$AES/encrypt" \
  -d "$(jq -n --arg t "$(printf '4111 1111 1111 1111' | base64)" '{plaintext: $t}')" | jq -r .ciphertext)
kh "$WORKER" POST "/api/v1/kms/keys/$AES/decrypt" -d "$(jq -n --arg c "$CIPHERTEXT" '{ciphertext: $c}')" \
  | jq -r .plaintext | base64 -d; echo
# the worker cannot change or delete keys
kh "$WORKER" DELETE "/api/v1/kms/keys/$AES" || echo "delete refused, as it should be"

# 4. sign a release with the worker, and check the signature with openssl and the public key
printf 'release 1.4.2\n' > release.txt
kh "$WORKER" POST "/api/v1/kms/keys/$SIGNER/sign" -d "$(jq -n --arg d "$(base64 -w0 < release.txt)" \
  '{data: $d, signingAlgorithm: "ECDSA_SHA_256"}')" | jq -r .signature | base64 -d > release.sig
kh "$TOKEN" GET "/api/v1/kms/keys/$SIGNER/public-key" | jq -r .publicKey | base64 -d \
  | openssl pkey -pubin -inform DER -out release-signing.pem
openssl dgst -sha256 -verify release-signing.pem -signature release.sig release.txt

# 5. rotate the encryption key: old ciphertexts still decrypt; then disable it
kh "$TOKEN" POST "/api/v1/kms/keys/$AES/rotate" | jq -r '"card-data is at version \(.key.version)"'
kh "$WORKER" POST "/api/v1/kms/keys/$AES/decrypt" -d "$(jq -n --arg c "$CIPHERTEXT" '{ciphertext: $c}')" \
  | jq -r .plaintext | base64 -d; echo
kh "$TOKEN" PATCH "/api/v1/kms/keys/$AES" -d '{"isDisabled": true}' | jq -r '"disabled: \(.key.isDisabled)"'
kh "$WORKER" POST "/api/v1/kms/keys/$AES/decrypt" -d "$(jq -n --arg c "$CIPHERTEXT" '{ciphertext: $c}')" \
  || echo "a disabled key refuses to decrypt"
