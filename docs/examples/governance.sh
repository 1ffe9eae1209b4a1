#!/usr/bin/env bash
# docs/governance-examples.md as one script: the page shows exactly these commands (DocExamplesTest
# checks that its bash blocks are this script without this header, and runs the script on a fresh
# server after getting-started.sh). Needs curl 7.76+, jq and a server that sends no mail (the
# invitation links come back in the answer); reads the password of admin@example.com from standard
# input when not run at a terminal.
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
# login EMAIL: a person's session with the password in $PASSWORD; prints its access token
login() {
  PASSWORD=$PASSWORD jq -n --arg e "$1" '{email: $e, password: env.PASSWORD}' \
    | kh - POST /api/v1/auth/login -d @- | jq -r .accessToken
}

read -rsp 'Password of admin@example.com: ' PASSWORD; echo
TOKEN=$(login admin@example.com); unset PASSWORD
ORG=$(kh "$TOKEN" GET /api/v1/user/me | jq -r .currentOrganizationId)

# a project per product, created by the platform team
P=$(kh "$TOKEN" POST /api/v2/workspace -d '{"projectName": "checkout"}' | jq -r .project.id)

# one role per kind of consumer, defined once, reviewed like code
kh "$TOKEN" POST "/api/v2/workspace/$P/roles" -d '{
  "slug": "runtime-prod", "name": "Runtime (prod, read only)",
  "permissions": [
    {"subject": "secrets", "action": ["describeSecret", "readValue"],
     "conditions": {"environment": "prod", "secretPath": {"$glob": "/runtime/**"}}},
    {"subject": "secrets", "action": ["describeSecret", "readValue"], "inverted": true,
     "conditions": {"secretName": {"$glob": "*_ADMIN_*"}}},
    {"subject": "secret-folders", "action": "read",
     "conditions": {"environment": "prod", "secretPath": {"$glob": "/runtime/**"}}}]}' > /dev/null

# the service's identity: no rights in the org, one role in one project, tokens only from its network
ID=$(kh "$TOKEN" POST /api/v1/identities -d "$(jq -n --arg o "$ORG" \
  '{name: "checkout-api-prod", organizationId: $o, role: "no-access"}')" | jq -r .identity.id)
kh "$TOKEN" POST "/api/v1/auth/universal-auth/identities/$ID" -d '{"accessTokenTTL": 3600,
  "accessTokenMaxTTL": 86400, "accessTokenTrustedIps": [{"ipAddress": "10.20.0.0/16"}]}' > /dev/null
kh "$TOKEN" POST "/api/v2/workspace/$P/identity-memberships/$ID" -d '{"role": "runtime-prod"}' > /dev/null

# the on-call identity is in the project without rights ...
ONCALL=$(kh "$TOKEN" POST /api/v1/identities -d "$(jq -n --arg o "$ORG" \
  '{name: "checkout-oncall", organizationId: $o, role: "no-access"}')" | jq -r .identity.id)
kh "$TOKEN" POST "/api/v2/workspace/$P/identity-memberships/$ONCALL" -d '{"role": "no-access"}' > /dev/null
# ... until an incident: a privilege that ends by itself after two hours
kh "$TOKEN" POST /api/v2/identity-project-additional-privilege -d "$(jq -n --arg i "$ONCALL" --arg p "$P" '{
  identityId: $i, projectId: $p, slug: "incident-4711",
  permissions: [{subject: "secrets", action: ["describeSecret", "readValue"], conditions: {environment: "prod"}}],
  type: {isTemporary: true, temporaryMode: "relative", temporaryRange: "2h"}}')" \
  | jq -r '.privilege | "\(.slug) ends at \(.temporaryAccessEndTime)"'

kh "$TOKEN" POST "/api/v1/projects/$P/permissions/explain" -d "$(jq -n --arg i "$ID" '{identityId: $i,
  subject: "secrets", action: "readValue", environment: "prod", secretPath: "/runtime",
  secretName: "DB_ADMIN_PASSWORD"}')" | jq -c '{allowed, decision, by: [.decidedBy[].source]}'

kh "$TOKEN" GET "/api/v1/organization/audit-logs?limit=6" \
  | jq -r '.auditLogs[] | "\(.event.type) by \(.actor.metadata.name // .actor.metadata.email)"'

# the template every team project starts from
TEMPLATE=$(kh "$TOKEN" POST /api/v1/project-templates -d '{
  "name": "team-service", "type": "secret-manager", "description": "A project a team runs itself",
  "environments": [{"name": "Development", "slug": "dev", "position": 1},
                   {"name": "Staging", "slug": "staging", "position": 2},
                   {"name": "Production", "slug": "prod", "position": 3}]}' | jq -r .projectTemplate.id)
P=$(kh "$TOKEN" POST /api/v2/workspace -d '{"projectName": "billing", "template": "team-service"}' \
  | jq -r .project.id)

# the people: invited into the organization as members
kh "$TOKEN" POST /api/v1/invite-org/signup -d "$(jq -n --arg o "$ORG" '{organizationId: $o,
  inviteeEmails: ["ana@example.com", "ben@example.com", "cleo@example.com"],
  organizationRoleSlug: "member"}')" > invitations.json

# join EMAIL: accepts EMAIL's invitation with the password in $PASSWORD
join() {
  local link; link=$(jq -r --arg e "$1" '.completeInviteLinks[] | select(.email == $e) | .link' invitations.json)
  PASSWORD=$PASSWORD jq -n --arg t "${link##*token=}" '{token: $t, password: env.PASSWORD}' \
    | kh - POST /api/v1/invite-org/accept -d @- > /dev/null
}
ANA_PASSWORD=$(head -c 18 /dev/urandom | base64)
BEN_PASSWORD=$(head -c 18 /dev/urandom | base64)
CLEO_PASSWORD=$(head -c 18 /dev/urandom | base64)
PASSWORD=$ANA_PASSWORD join ana@example.com
PASSWORD=$BEN_PASSWORD join ben@example.com
PASSWORD=$CLEO_PASSWORD join cleo@example.com

# the team (Ana and Ben) as a group with no org rights of its own, admin of its project
G=$(kh "$TOKEN" POST /api/v1/groups -d '{"name": "billing-team", "role": "no-access"}' | jq -r .id)
for person in ana@example.com ben@example.com; do
  kh "$TOKEN" POST "/api/v1/groups/$G/users/$person" > /dev/null
done
kh "$TOKEN" POST "/api/v2/workspace/$P/groups/$G" -d '{"role": "admin"}' > /dev/null

ANA=$(PASSWORD=$ANA_PASSWORD login ana@example.com)

# the team's own role for its CI: write to dev and staging, never prod
kh "$ANA" POST "/api/v1/projects/$P/roles" -d '{
  "slug": "ci-deployer", "name": "CI deployer",
  "permissions": [
    {"subject": "secrets", "action": ["describeSecret", "readValue", "create", "edit"],
     "conditions": {"environment": {"$in": ["dev", "staging"]}}},
    {"subject": "secret-folders", "action": ["read", "create"],
     "conditions": {"environment": {"$in": ["dev", "staging"]}}}]}' > /dev/null
CI=$(kh "$ANA" POST /api/v1/identities -d "$(jq -n --arg o "$ORG" \
  '{name: "billing-ci", organizationId: $o, role: "no-access"}')" | jq -r .identity.id)
kh "$ANA" POST "/api/v2/workspace/$P/identity-memberships/$CI" -d '{"role": "ci-deployer"}' > /dev/null
kh "$ANA" POST "/api/v1/auth/universal-auth/identities/$CI" -d '{}' \
  | jq -r '"CI client id: \(.identityUniversalAuth.clientId)"'
kh "$ANA" POST "/api/v1/auth/universal-auth/identities/$CI/client-secrets" -d '{}' | jq -r .clientSecret > billing-ci.secret

# a contractor's identity gets member for two weeks, then loses it without anyone acting
CONTRACTOR=$(kh "$ANA" POST /api/v1/identities -d "$(jq -n --arg o "$ORG" \
  '{name: "billing-contractor", organizationId: $o, role: "no-access"}')" | jq -r .identity.id)
kh "$ANA" POST "/api/v2/workspace/$P/identity-memberships/$CONTRACTOR" -d '{
  "roles": [{"role": "no-access", "isTemporary": false},
            {"role": "member", "isTemporary": true, "temporaryMode": "relative", "temporaryRange": "14d"}]}' > /dev/null
kh "$ANA" GET "/api/v2/workspace/$P/identity-memberships/$CONTRACTOR" \
  | jq -c '[.identityMembership.roles[] | {role, temporaryAccessEndTime}]'

kh "$ANA" POST "/api/v2/workspace/$P/memberships" -d '{"emails": ["cleo@example.com"], "roleSlugs": ["viewer"]}' > /dev/null
CLEO_MEMBERSHIP=$(kh "$ANA" POST "/api/v1/workspace/$P/memberships/details" -d '{"username": "cleo@example.com"}' \
  | jq -r .membership.id)
kh "$ANA" POST /api/v1/user-project-additional-privilege -d "$(jq -n --arg m "$CLEO_MEMBERSHIP" '{
  projectMembershipId: $m, slug: "billing-debug",
  permissions: [{subject: "secrets", action: ["describeSecret", "readValue"],
                 conditions: {environment: "staging", secretPath: {"$glob": "/billing/**"}}}],
  type: {isTemporary: true, temporaryMode: "relative", temporaryRange: "1d"}}')" \
  | jq -r '.privilege | "\(.slug) ends at \(.temporaryAccessEndTime)"'

# the guardrails hold for her: she cannot raise her own role
CLEO=$(PASSWORD=$CLEO_PASSWORD login cleo@example.com)
kh "$CLEO" PATCH "/api/v1/workspace/$P/memberships/$CLEO_MEMBERSHIP" \
  -d '{"roles": [{"role": "admin", "isTemporary": false}]}' || echo "refused, as it should be"

# is the project still what its template says?
kh "$TOKEN" GET "/api/v1/project-templates/$TEMPLATE/drift" \
  | jq -c '.projects[] | {projectName, inSync, extraRoles: [.roles.extra[].slug]}'
# what did the team do?
kh "$TOKEN" GET "/api/v1/organization/audit-logs?limit=8" \
  | jq -r '.auditLogs[] | "\(.event.type) by \(.actor.metadata.name // .actor.metadata.email)"'
