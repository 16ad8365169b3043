#!/usr/bin/env bash
# The project's test command (`make test`): builds, brings up whatever part of
# the local stack is not running yet, runs the unit, integration and end-to-end
# suites, stops what it started, and ends with one line `tests: N passed, N failed`.
# Extra arguments go to jest (e.g. `make test ARGS="--selectProjects unit"`).
# A full run (no arguments) then also runs the bench's smoke run, the fault
# suite and the stack checks (scripts/stack-checks.sh) against the same stack;
# each counts in the totals (a scenario or check is one test).
# Whatever ran before runs after, on the same data.
set -uo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
cd "$ROOT"

results=${OF_TEST_RESULTS:-$OF_RUN_DIR/jest-results.json}
started=()
running_before=()
extra_passed=0
extra_failed=0

finish() {
  local code=$1 passed=0 failed=0 i s
  # Newest first: the apps before the servers they use.
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do scripts/stack.sh stop-service "${started[i]}" || true; done
  # What ran before runs after, on the same data (a fault scenario may have
  # stopped it, and the apps were restarted to run the code as built).
  local restored=()
  for s in "${running_before[@]}"; do
    if ! is_running "$s"; then scripts/stack.sh start-service "$s" >/dev/null 2>&1 || warn "could not restart $s"; fi
    is_running "$s" && restored+=("$s")
  done
  if [ ${#running_before[@]} -gt 0 ]; then
    log "left running as before the tests, with their data (plus the tests' orders): ${restored[*]:-nothing}"
  fi
  if [ -f "$results" ]; then
    read -r passed failed < <(node -e '
      const r = require(process.argv[1]);
      console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites);' "$results")
  elif [ "$code" -ne 0 ]; then
    failed=1 # the run broke before jest could count anything
  fi
  passed=$((passed + extra_passed))
  failed=$((failed + extra_failed))
  echo "tests: $passed passed, $failed failed"
  [ "$extra_failed" -gt 0 ] && [ "$code" -eq 0 ] && code=1
  exit "$code"
}

mkdir -p "$OF_RUN_DIR"
rm -f "$results"

# OF_STACK=external: test a stack that runs elsewhere (e.g. `make up`), as the
# environment describes it; start and stop nothing.
if [ "${OF_STACK:-local}" = external ]; then
  log "testing the external stack at $GATEWAY_URL (Kafka $KAFKA_BROKERS, MongoDB $MONGO_URL)"
  npx --no-install jest --ci --forceExit --json --outputFile="$results" "$@"
  finish $?
fi

# Which services run already: those we leave running afterwards.
for s in kafka postgres mongo command query gateway; do
  if is_running "$s"; then running_before+=("$s"); else started+=("$s"); fi
done
# Apps that run already are restarted so the tests see the code as it is now.
for s in command query; do
  if is_running "$s"; then scripts/stack.sh stop-service "$s"; fi
done

scripts/stack.sh install || finish 1
scripts/stack.sh install-browser || finish 1
scripts/stack.sh install-fuzzer || finish 1
log "building both apps"
npm run --silent build || finish 1
scripts/stack.sh up || finish 1
eval "$(scripts/stack.sh env)"

log "running the unit, integration and end-to-end suites"
# --forceExit: a leaked handle must never keep CI waiting; jest still warns about it.
npx --no-install jest --ci --forceExit --json --outputFile="$results" "$@"
code=$?
[ $# -gt 0 ] && finish "$code"

log "the bench's smoke run (every section, small sizes; figures are not judged here)"
if npx --no-install tsx scripts/bench/bench.ts --smoke; then
  extra_passed=$((extra_passed + 1))
else
  extra_failed=$((extra_failed + 1))
  echo "FAILED: the bench's smoke run" >&2
fi

log "the fault suite (kill -9 and outages under load, then consistency checks)"
faults_log=$OF_RUN_DIR/faults.log
npx --no-install tsx scripts/faults/faults.ts 2>&1 | tee "$faults_log"
read -r fault_passed fault_failed < <(sed -n 's/^fault scenarios: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$faults_log")
if [ -z "${fault_passed:-}" ]; then
  fault_passed=0 fault_failed=1 # it broke before judging any scenario
fi
extra_passed=$((extra_passed + fault_passed))
extra_failed=$((extra_failed + fault_failed))

log "the stack checks (query app restarts on the same data; make test leaves the stack as it found it)"
checks_log=$OF_RUN_DIR/stack-checks.log
scripts/stack-checks.sh 2>&1 | tee "$checks_log"
read -r checks_passed checks_failed < <(sed -n 's/^stack checks: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$checks_log")
if [ -z "${checks_passed:-}" ]; then
  checks_passed=0 checks_failed=1
fi
extra_passed=$((extra_passed + checks_passed))
extra_failed=$((extra_failed + checks_failed))
finish "$code"
