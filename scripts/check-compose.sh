#!/usr/bin/env bash
# Validates docker-compose.yml with `docker compose config`, even on a machine
# without a Docker engine or Compose plugin: then Compose v2 is built once from
# the Go module proxy into the cache and run standalone.
# `scripts/check-compose.sh path` only prints the Compose command (tests use it).
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
cd "$ROOT"

COMPOSE_VERSION=v2.32.4
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  bin=$OF_CACHE_DIR/docker-compose-$COMPOSE_VERSION
  if [ ! -x "$bin" ]; then
    require_cmd go "Go builds Docker Compose once to validate docker-compose.yml; or install the Compose plugin."
    log "building Docker Compose $COMPOSE_VERSION (once, a few minutes) to validate docker-compose.yml"
    gobin=$(mktemp -d)
    GOBIN=$gobin go install "github.com/docker/compose/v2/cmd@$COMPOSE_VERSION" || die "could not build Docker Compose"
    mkdir -p "$OF_CACHE_DIR"
    mv "$gobin/cmd" "$bin"
    rm -rf "$gobin"
  fi
  compose=("$bin")
fi
if [ "${1:-}" = path ]; then
  echo "${compose[@]}"
  exit 0
fi
# ADMIN_TOKEN is required (make up writes it into .env); any value validates.
ADMIN_TOKEN=${ADMIN_TOKEN:-compose-config-check} "${compose[@]}" -f docker-compose.yml config --quiet
log "docker-compose.yml is valid"
