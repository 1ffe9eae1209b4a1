#!/usr/bin/env bash
# Runs aws-login.mjs (the Node SDK's AWS IAM login) after installing the pinned packages if needed.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/@infisical/sdk ]; then
  npm ci --no-audit --no-fund >&2
fi
exec node aws-login.mjs
