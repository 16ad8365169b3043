#!/usr/bin/env bash
# Checks of the running local stack as a whole, through the gateway, that a
# jest suite cannot make without stopping the apps under the other suites.
# `make test` runs them after the fault suite; each check counts as one test.
#
#   query-restarts   the query app stopped and started three times on the same
#                    data: ready each time, the data served, no FerretDB panic
#                    (createIndexes re-sending existing indexes trips one)
#   test-keeps-stack a `make test` run (one small unit suite) while the stack
#                    runs leaves it running, with its data
#   read-store-follows-log  a second Kafka and PostgreSQL in a scratch run
#                    directory: the read store survives a restart, and goes
#                    when the run directory's Kafka is a new one
#
# The last line is `stack checks: N passed, N failed`.
set -uo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
cd "$ROOT"

passed=0
failed=0
product=stack-check-$(date +%s%N)

visible() { curl -fs --max-time 2 "$GATEWAY_URL/api/v1/inventory/$product" | grep -q '"onHand":7'; }
wait_visible() {
  local i
  for i in $(seq 1 120); do
    visible && return 0
    sleep 0.25
  done
  echo "product $product is not served by the query app" >&2
  return 1
}
healthy() { http_ok "$GATEWAY_URL/health/command" && http_ok "$GATEWAY_URL/health/query"; }
panics() { grep -c 'slice bounds out of range' "$LOG_DIR/mongo.log" 2>/dev/null || true; }

query_restarts() {
  local before i
  before=$(panics)
  for i in 1 2 3; do
    scripts/stack.sh stop-service query >/dev/null 2>&1 || return 1
    scripts/stack.sh start-service query >/dev/null 2>&1 || return 1
    healthy && wait_visible || return 1
  done
  [ "$(panics)" = "$before" ] || {
    echo "FerretDB panicked while the query app started (log: $LOG_DIR/mongo.log)" >&2
    return 1
  }
}

test_keeps_stack() {
  local before=() s out results
  for s in kafka postgres mongo command query gateway; do is_running "$s" && before+=("$s"); done
  results=$(mktemp)
  out=$(OF_TEST_RESULTS=$results scripts/test.sh --selectProjects unit -- libs/contracts 2>&1)
  local code=$?
  rm -f "$results"
  if [ "$code" -ne 0 ] || ! grep -q 'left running as before the tests' <<<"$out"; then
    tail -n 20 <<<"$out" >&2
    return 1
  fi
  for s in "${before[@]}"; do is_running "$s" || {
    echo "$s is no longer running after make test" >&2
    return 1
  }; done
  healthy && wait_visible
}

read_store_follows_log() {
  local scratch code=0
  scratch=$(mktemp -d)
  # shellcheck disable=SC2030,SC2031 # the scratch stack's settings stay in this subshell
  (
    export OF_RUN_DIR=$scratch KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 POSTGRES_PORT=25433
    export KAFKA_BROKERS=127.0.0.1:19092 OF_EXTERNAL_KAFKA=0
    steps=$scratch/steps.log
    # Each step's output is kept; a failed step shows it, with the services' logs.
    step() { # step WHAT COMMAND...
      local what=$1
      shift
      echo "== $what" >>"$steps"
      "$@" >>"$steps" 2>&1 && return 0
      echo "the scratch stack failed at: $what" >&2
      tail -n 30 "$steps" >&2
      tail -n 20 "$scratch"/logs/*.log >&2 2>/dev/null
      exit 1
    }
    scratch_up() { scripts/stack.sh start-service kafka && scripts/stack.sh start-service postgres; }
    scratch_down() { scripts/stack.sh stop-service postgres && scripts/stack.sh stop-service kafka; }
    store=$(postgres_dir)
    step "first start" scratch_up
    step "mark the read store" touch "$store/read-store-marker"
    step "first stop" scratch_down
    step "restart on the same Kafka log" scratch_up
    step "second stop" scratch_down
    [ -f "$store/read-store-marker" ] || {
      echo "the read store did not survive a restart on the same Kafka log" >&2
      exit 1
    }
    rm -rf "$scratch/kafka"
    step "start on a new Kafka log" scratch_up
    step "third stop" scratch_down
    if [ -f "$store/read-store-marker" ] || ! grep -q 'made from another Kafka log' "$steps"; then
      echo "the read store of another Kafka log was kept:" >&2
      cat "$steps" >&2
      exit 1
    fi
  ) || code=$?
  OF_RUN_DIR=$scratch scripts/stack.sh reset >/dev/null 2>&1
  return "$code"
}

check() { # check NAME FUNCTION
  log "stack check: $1"
  if "$2"; then
    passed=$((passed + 1))
    echo "PASSED: $1"
  else
    failed=$((failed + 1))
    echo "FAILED: $1" >&2
  fi
}

if ! healthy; then
  echo "the stack is not running: start it with make run" >&2
  echo "stack checks: 0 passed, 1 failed"
  exit 1
fi
curl -fs -o /dev/null -X PUT "$GATEWAY_URL/api/v1/inventory/$product" -H 'content-type: application/json' \
  -d '{"quantity": 7}' || {
  echo "stack checks: 0 passed, 1 failed"
  exit 1
}
wait_visible
check query-restarts query_restarts
check test-keeps-stack test_keeps_stack
check read-store-follows-log read_store_follows_log
echo "stack checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
