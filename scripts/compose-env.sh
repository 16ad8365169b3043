#!/usr/bin/env bash
# Makes sure .env (read by docker compose, git-ignored) holds an ADMIN_TOKEN:
# on the first run it writes a random one, readable by its owner only, and
# says where it is. Later runs keep it. `make up` runs this first.
set -euo pipefail
file=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.env}

if [ -f "$file" ] && grep -q '^ADMIN_TOKEN=.' "$file"; then
  echo "admin token: kept in $file (ADMIN_TOKEN)"
  exit 0
fi
token=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
(
  umask 077
  touch "$file"
  printf '# Written by make up (scripts/compose-env.sh): the admin API bearer token.\nADMIN_TOKEN=%s\n' "$token" >>"$file"
)
chmod 600 "$file"
echo "admin token: generated into $file (ADMIN_TOKEN); send it as 'Authorization: Bearer <token>'"
