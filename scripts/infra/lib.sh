# shellcheck shell=bash
# Shared settings and helpers for the local (Docker-free) stack.
# Every address and port comes from the environment, with these defaults.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Remember what the caller set before defaults are filled in: an external
# MongoDB or Kafka means we do not start our own. Exported, so that scripts
# called from here keep the first decision instead of seeing our defaults.
if [ -z "${OF_EXTERNAL_MONGO+set}" ]; then
  OF_EXTERNAL_MONGO=$([ -n "${MONGO_URL:-}" ] && echo 1 || echo 0)
fi
if [ -z "${OF_EXTERNAL_KAFKA+set}" ]; then
  OF_EXTERNAL_KAFKA=$([ -n "${KAFKA_BROKERS:-}" ] && echo 1 || echo 0)
fi
export OF_EXTERNAL_MONGO OF_EXTERNAL_KAFKA

export OF_CACHE_DIR=${OF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/order-fulfillment}
export OF_RUN_DIR=${OF_RUN_DIR:-$ROOT/.run}

export KAFKA_VERSION=3.9.2
export FERRETDB_VERSION=1.24.2
export KAFKA_PORT=${KAFKA_PORT:-9092}
export KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
export MONGO_PORT=${MONGO_PORT:-27017}
# The PostgreSQL that holds FerretDB's data; an unusual default port, so a
# PostgreSQL of the machine's own on 5432 is left alone. Like every port here it
# lies below the kernel's ephemeral range (see ensure_port_free).
export POSTGRES_PORT=${POSTGRES_PORT:-25432}
export FERRETDB_POSTGRESQL_URL=${FERRETDB_POSTGRESQL_URL:-postgres://postgres@127.0.0.1:$POSTGRES_PORT/ferretdb?pool_max_conns=150}
export MONGO_URL=${MONGO_URL:-mongodb://127.0.0.1:$MONGO_PORT/}
export MONGO_DB=${MONGO_DB:-order_fulfillment}
export COMMAND_PORT=${COMMAND_PORT:-3001}
export QUERY_PORT=${QUERY_PORT:-3002}
export GATEWAY_PORT=${GATEWAY_PORT:-8000}
export GATEWAY_URL=${GATEWAY_URL:-http://127.0.0.1:$GATEWAY_PORT}
# Commands per second per client address at the gateway, and the burst above it.
export COMMAND_RATE_LIMIT=${COMMAND_RATE_LIMIT:-5000}
export COMMAND_RATE_BURST=${COMMAND_RATE_BURST:-2000}
# Local development only: the apps refuse this token unless OF_LOCAL_STACK=1,
# which marks what this script runs. Set a secret of your own anywhere else.
export ADMIN_TOKEN=${ADMIN_TOKEN:-dev-admin-token}
export OF_LOCAL_STACK=${OF_LOCAL_STACK:-1}
export ORDER_EVENTS_TOPIC=${ORDER_EVENTS_TOPIC:-order-events}
export INVENTORY_EVENTS_TOPIC=${INVENTORY_EVENTS_TOPIC:-inventory-events}
export KAFKA_TOPIC_PARTITIONS=${KAFKA_TOPIC_PARTITIONS:-6}

KAFKA_HOME=$OF_CACHE_DIR/kafka-$KAFKA_VERSION
FERRETDB_BIN=$OF_CACHE_DIR/ferretdb-$FERRETDB_VERSION
PID_DIR=$OF_RUN_DIR/pids
LOG_DIR=$OF_RUN_DIR/logs

# PostgreSQL refuses to run as root: as root it runs as the `postgres` user,
# with its files where that user can reach them (a clone may sit in a
# directory only root can enter).
postgres_dir() {
  if [ "$(id -u)" = 0 ]; then
    echo "/var/tmp/order-fulfillment-$(echo "$OF_RUN_DIR" | sha256sum | cut -c1-12)/postgres"
  else
    echo "$OF_RUN_DIR/postgres"
  fi
}

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

require_cmd() { # require_cmd CMD "how to install"
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed. $2"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A service is ours and running when its pid file names a live process whose
# command line still contains the marker we recorded (guards against pid reuse).
service_pid() {
  local name=$1 pidfile=$PID_DIR/$1.pid pid marker cmdline
  [ -f "$pidfile" ] || return 1
  read -r pid marker <"$pidfile" || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  # No pipe into `grep -q` here: with pipefail, its early exit can fail the check.
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$marker"* ]] || return 1
  echo "$pid"
}

is_running() { service_pid "$1" >/dev/null; }

# The services share few cores and wake each other for every request (client,
# nginx, command app, Kafka and back). Under the default policy each wake-up
# may preempt whoever is running: the command app was preempted ~1,850 times/s
# at full load. SCHED_BATCH keeps the same priority and fair share but gives
# up that wake-up preemption (~200 times/s). OF_SCHED_POLICY=other turns it off.
sched_prefix() {
  [ "${OF_SCHED_POLICY:-batch}" = batch ] || return 0
  command -v chrt >/dev/null 2>&1 && chrt --batch 0 true 2>/dev/null && echo chrt --batch 0
  return 0
}

# start_service NAME MARKER CMD...: runs CMD in its own session, logs to
# $LOG_DIR/NAME.log and records the pid so `stop_service` ends exactly it.
start_service() {
  local name=$1 marker=$2
  shift 2
  mkdir -p "$PID_DIR" "$LOG_DIR"
  # shellcheck disable=SC2046 # the prefix is words or nothing
  setsid $(sched_prefix) "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  local pid=$! i
  echo "$pid $marker" >"$PID_DIR/$name.pid"
  # Until the forked shell has exec'd the command, its cmdline lacks the marker.
  for i in $(seq 1 50); do
    is_running "$name" && return 0
    [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  is_running "$name" || die "$name did not start (log: $LOG_DIR/$name.log)"
}

stop_service() {
  local name=$1 pid i
  if ! pid=$(service_pid "$name"); then
    rm -f "$PID_DIR/$name.pid"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    [ -d "/proc/$pid" ] || break
    sleep 0.2
  done
  if [ -d "/proc/$pid" ]; then
    warn "$name did not stop in 20 s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_DIR/$name.pid"
}

# wait_until SECONDS DESCRIPTION SERVICE CHECK...: polls CHECK; fails early
# with the service's log if its process died.
wait_until() {
  local timeout=$1 what=$2 service=$3 deadline
  shift 3
  deadline=$((SECONDS + timeout))
  until "$@"; do
    # Checked twice: while a service execs its next program (setsid -> chrt ->
    # the service) its command line can read empty for a moment, and CI once
    # took a FerretDB that was starting for one that had exited.
    if [ -n "$service" ] && ! is_running "$service" && ! { sleep 0.5 && is_running "$service"; }; then
      tail -n 40 "$LOG_DIR/$service.log" >&2 2>/dev/null || true
      die "$service exited while waiting for $what (log: $LOG_DIR/$service.log)"
    fi
    [ $SECONDS -lt "$deadline" ] || die "timed out after ${timeout}s waiting for $what (log: $LOG_DIR/$service.log)"
    sleep 0.25
  done
}

# A port inside the kernel's ephemeral range can be held by the local end of
# any outgoing connection, even one closed a minute ago (TIME_WAIT), and the
# service then fails to bind although nothing listens there.
in_ephemeral_range() { # in_ephemeral_range PORT: true, and prints the range, if PORT lies in it
  local low high
  read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || return 1
  [ "$1" -ge "$low" ] && [ "$1" -le "$high" ] && echo "$low-$high"
}

ensure_port_free() { # ensure_port_free PORT VARIABLE SERVICE
  if port_open "$1"; then
    die "port $1 is already taken by another process, needed for $3. Stop that process or choose another port: $2=<port> make run"
  fi
  local range
  if range=$(in_ephemeral_range "$1"); then
    warn "$2=$1 lies in the kernel's ephemeral port range ($range): an outgoing connection may hold it; a port below the range is safer"
  fi
}

http_ok() { curl -fs -o /dev/null --max-time 2 "$1"; }
