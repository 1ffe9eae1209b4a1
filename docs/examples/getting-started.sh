#!/usr/bin/env bash
# docs/getting-started.md as one script: the page shows exactly these commands (DocExamplesTest
# checks that its bash blocks are this script without this header) and the test runs it against
# a fresh server. Needs curl 7.76+, jq and keyhaven on the PATH (docs/cli.md); reads the admin
# password twice from standard input (choosing it, then logging in) when not run at a terminal.
set -euo pipefail

export KEYHAVEN_URL=${KEYHAVEN_URL:-http://localhost:8080}
umask 077   # from here on, new files are readable by you only: some of them hold credentials

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

read -rsp 'Choose the admin password (14+ characters): ' PASSWORD; echo
PASSWORD=$PASSWORD jq -n '{email: "admin@example.com", password: env.PASSWORD, organization: "Acme"}' \
  | kh - POST /api/v1/admin/bootstrap -d @- > bootstrap.json
TOKEN=$(jq -r .identity.credentials.token bootstrap.json)
ORG=$(jq -r .organization.id bootstrap.json)
unset PASSWORD

PROJECT=$(kh "$TOKEN" POST /api/v2/workspace -d '{"projectName": "payments"}' | jq -r .project.id)
# the project has the environments dev, staging and prod; the admin joins it as a person too
kh "$TOKEN" POST "/api/v2/workspace/$PROJECT/memberships" \
  -d '{"emails": ["admin@example.com"], "roleSlugs": ["admin"]}' > /dev/null

kh "$TOKEN" POST /api/v1/folders \
  -d "$(jq -n --arg p "$PROJECT" '{workspaceId: $p, environment: "prod", path: "/", name: "api"}')" > /dev/null
kh "$TOKEN" POST /api/v3/secrets/raw/DB_HOST -d "$(jq -n --arg p "$PROJECT" \
  '{workspaceId: $p, environment: "prod", secretPath: "/api", secretValue: "db.internal"}')" > /dev/null
kh "$TOKEN" POST /api/v3/secrets/raw/DATABASE_URL -d "$(jq -n --arg p "$PROJECT" \
  '{workspaceId: $p, environment: "prod", secretPath: "/api", secretValue: "postgres://app@${DB_HOST}/pay"}')" > /dev/null

keyhaven login --method user --email admin@example.com      # asks for the password
keyhaven secrets list --project-id "$PROJECT" --env prod --path /api
keyhaven run --project-id "$PROJECT" --env prod --path /api -- sh -c 'echo "the app gets $DATABASE_URL"'

ID=$(kh "$TOKEN" POST /api/v1/identities \
  -d "$(jq -n --arg o "$ORG" '{name: "payments-api", organizationId: $o, role: "no-access"}')" | jq -r .identity.id)
kh "$TOKEN" POST "/api/v1/auth/universal-auth/identities/$ID" -d '{}' \
  | jq -r .identityUniversalAuth.clientId > client-id
kh "$TOKEN" POST "/api/v1/auth/universal-auth/identities/$ID/client-secrets" -d '{}' \
  | jq -r .clientSecret > client-secret
kh "$TOKEN" POST "/api/v2/workspace/$PROJECT/identity-memberships/$ID" -d '{"role": "viewer"}' > /dev/null

cat > agent.yaml <<YAML
projectId: $PROJECT
auth:
  clientIdFile: client-id
  clientSecretFile: client-secret
templates:
  - destination: app.env
    contents: |
      DATABASE_URL={{ secret "prod" "/api" "DATABASE_URL" }}
YAML
keyhaven agent --config agent.yaml --once
cat app.env

ACCESS=$(jq -n --rawfile id client-id --rawfile secret client-secret \
    '{clientId: ($id | rtrimstr("\n")), clientSecret: ($secret | rtrimstr("\n"))}' \
  | kh - POST /api/v1/auth/universal-auth/login -d @- | jq -r .accessToken)
kh "$ACCESS" GET "/api/v3/secrets/raw?workspaceId=$PROJECT&environment=prod&secretPath=/api&expandSecretReferences=true" \
  | jq -r '.secrets[] | "\(.secretKey)=\(.secretValue)"'

kh "$TOKEN" GET "/api/v1/organization/audit-logs?limit=10" \
  | jq -r '.auditLogs[] | "\(.event.type) by \(.actor.metadata.name // .actor.metadata.email)"'

kh "$TOKEN" POST /api/v1/auth/token/revoke -d "$(jq -n --arg t "$TOKEN" '{accessToken: $t}')" | jq -r .message
