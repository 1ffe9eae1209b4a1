#!/usr/bin/env bash
# The trusted-IP example of docs/network-security.md as one script: the page's bash blocks are
# exactly these commands (DocExamplesTest checks that, and runs the script on a fresh server after
# getting-started.sh). Needs curl 7.76+ and jq; reads the password of admin@example.com from
# standard input when not run at a terminal.
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

P=$(kh "$TOKEN" POST /api/v2/workspace -d '{"projectName": "intranet"}' | jq -r .project.id)
# first the addresses the server sees you from (here: this machine), so you keep access
for address in ${MY_ADDRESSES:-127.0.0.1 ::1}; do
  kh "$TOKEN" POST "/api/v1/projects/$P/trusted-ips" \
    -d "$(jq -n --arg a "$address" '{ipAddress: $a, comment: "my workstation"}')" > /dev/null
done
# the office network and the CI runners' addresses
kh "$TOKEN" POST "/api/v1/projects/$P/trusted-ips" -d '{"ipAddress": "203.0.113.0/24", "comment": "office"}' > /dev/null
kh "$TOKEN" POST "/api/v1/projects/$P/trusted-ips" -d '{"ipAddress": "2001:db8:42::/48", "comment": "CI runners"}' > /dev/null
# stage an entry without enforcing it yet
kh "$TOKEN" POST "/api/v1/projects/$P/trusted-ips" -d '{"ipAddress": "198.51.100.7", "isActive": false}' > /dev/null
kh "$TOKEN" GET "/api/v1/projects/$P/trusted-ips" \
  | jq -r '.trustedIps[] | "\(.ipAddress)\(if .prefix then "/\(.prefix)" else "" end) active=\(.isActive) \(.comment)"'
