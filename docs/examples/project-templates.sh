#!/usr/bin/env bash
# The setup example of docs/project-templates.md as one script: the page shows exactly these
# commands (DocExamplesTest checks that, and runs the script on a fresh server after
# getting-started.sh and governance.sh). Needs curl 7.76+ and jq; reads the password of
# admin@example.com from standard input when not run at a terminal.
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

# 1. a template: three environments and a deployer role
TEMPLATE=$(kh "$TOKEN" POST /api/v1/project-templates -d '{
  "name": "service", "type": "secret-manager", "description": "Our standard service project",
  "environments": [{"name": "Local", "slug": "local", "position": 1},
                   {"name": "QA", "slug": "qa", "position": 2},
                   {"name": "Live", "slug": "live", "position": 3}],
  "roles": [{"name": "Deployer", "slug": "deployer", "permissions": [
    {"subject": "secrets", "action": ["read", "edit"], "conditions": {"environment": "qa"}}]}]}' \
  | jq -r .projectTemplate.id)

# 2. a project from it: environments local, qa, live; roles deployer + the built-in ones
PROJECT=$(kh "$TOKEN" POST /api/v2/workspace -d '{"projectName": "ledger", "template": "service"}' \
  | jq -r .project.id)

# 3. later: change the template (version 2), see which projects differ, bring one up to date
kh "$TOKEN" PATCH "/api/v1/project-templates/$TEMPLATE" -d '{"environments": [
  {"name": "Local", "slug": "local", "position": 1}, {"name": "QA", "slug": "qa", "position": 2},
  {"name": "Live", "slug": "live", "position": 3}, {"name": "Perf", "slug": "perf", "position": 4}]}' \
  | jq -r '"template version \(.projectTemplate.version)"'
kh "$TOKEN" GET "/api/v1/project-templates/$TEMPLATE/drift" \
  | jq -c '.projects[] | {projectName, inSync, missing: [.environments.missing[].slug]}'
kh "$TOKEN" POST "/api/v1/project-templates/$TEMPLATE/apply" -d "$(jq -n --arg p "$PROJECT" '{projectIds: [$p]}')" \
  | jq -c '.projects[] | {projectName, added: .changes.environments.added}'
kh "$TOKEN" GET "/api/v1/project-templates/$TEMPLATE/drift" | jq -c '[.projects[] | {projectName, inSync}]'
