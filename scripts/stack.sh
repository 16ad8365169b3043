#!/usr/bin/env bash
# Runs the whole system on this machine without Docker.
#
#   scripts/stack.sh install     tools, npm packages, cached Kafka jars and FerretDB build
#   scripts/stack.sh infra       Kafka (KRaft) + MongoDB-wire server (FerretDB on PostgreSQL), topics created
#   scripts/stack.sh up          infra + both apps (built) + nginx gateway; prints the URLs
#   scripts/stack.sh down        stops exactly the processes this script started
#   scripts/stack.sh reset       down, then deletes all local data (Kafka, PostgreSQL, logs)
#   scripts/stack.sh status      what is running
#   scripts/stack.sh env         the environment the tests and apps use, as exports
#   scripts/stack.sh stop-service NAME / start-service NAME   one of kafka postgres mongo command query gateway
#
# Starting twice is harmless: a running service is left alone.
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
cd "$ROOT"

FERRETDB_SRC=$ROOT/scripts/infra/ferretdb
# The build is keyed by its sources, so a change to the wrapper rebuilds it.
FERRETDB_BIN=$OF_CACHE_DIR/ferretdb-$FERRETDB_VERSION-$(cat "$FERRETDB_SRC"/go.mod "$FERRETDB_SRC"/go.sum "$FERRETDB_SRC"/main.go "$FERRETDB_SRC"/patched/*.go "$FERRETDB_SRC"/patches/*.patch | sha256sum | cut -c1-12)

# apt_install PACKAGE WHAT HINT: installs a Debian package when we are root
# and apt-get exists; otherwise stops with HINT, which says how to get WHAT.
apt_install() {
  local package=$1 what=$2 hint=$3
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing $what from Debian packages"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null ||
      die "apt-get could not install $package; install it by hand: apt-get install -y $package"
  else
    die "$what is not installed. $hint"
  fi
}

install_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  apt_install nginx nginx "Install it (Debian/Ubuntu: sudo apt-get install -y nginx; macOS: brew install nginx)."
}

# Debian's PostgreSQL server binaries: the newest major version installed.
postgres_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

install_postgres() {
  [ "$OF_EXTERNAL_MONGO" = 1 ] && return 0
  postgres_bin_dir >/dev/null && command -v psql >/dev/null 2>&1 && return 0
  apt_install postgresql "PostgreSQL (FerretDB stores its data there)" \
    "Debian/Ubuntu: sudo apt-get install -y postgresql; or set MONGO_URL to an existing MongoDB."
  postgres_bin_dir >/dev/null || die "PostgreSQL was installed but no /usr/lib/postgresql/*/bin/postgres was found"
}

install_kafka() {
  [ "$OF_EXTERNAL_KAFKA" = 1 ] && return 0
  require_cmd java "Install a Java 17+ runtime (Debian: apt-get install -y openjdk-17-jre-headless)."
  [ -f "$KAFKA_HOME/.complete" ] && return 0
  require_cmd mvn "Maven fetches the Kafka jars once (Debian: apt-get install -y maven)."
  log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_HOME (once)"
  rm -rf "$KAFKA_HOME"
  mkdir -p "$KAFKA_HOME"
  mvn -q -B -f scripts/infra/kafka/pom.xml dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/libs" ||
    die "maven could not fetch the Kafka jars (is Maven Central reachable?)"
  touch "$KAFKA_HOME/.complete"
}

install_ferretdb() {
  [ "$OF_EXTERNAL_MONGO" = 1 ] && return 0
  [ -x "$FERRETDB_BIN" ] && return 0
  require_cmd go "Go builds the MongoDB-wire server (FerretDB) once; install Go 1.22+ (https://go.dev/dl) or set MONGO_URL to an existing MongoDB."
  log "building FerretDB $FERRETDB_VERSION (PostgreSQL backend) into $FERRETDB_BIN (once)"
  mkdir -p "$OF_CACHE_DIR"
  # Built from a copy of FerretDB's module with our files from patched/ in
  # place (see patched/resource.go) and the changes in patches/ applied (see
  # docs/decisions/0007); go.mod in the repo stays as it is: the build uses a
  # copy of it that points at the copy (go refuses overlays of files in its
  # module cache).
  local copy=$FERRETDB_BIN.src
  rm -rf "$copy" "$copy.mod" "$copy.sum"
  (cd "$FERRETDB_SRC" && go mod download github.com/FerretDB/FerretDB &&
    cp -r "$(go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)" "$copy" && chmod -R u+w "$copy" &&
    cp patched/resource.go "$copy/internal/util/resource/resource.go" &&
    for change in "$FERRETDB_SRC"/patches/*.patch; do (cd "$copy" && git apply "$change") || exit 1; done &&
    cp go.mod "$copy.mod" && cp go.sum "$copy.sum" &&
    go mod edit -modfile="$copy.mod" -replace "github.com/FerretDB/FerretDB=$copy" &&
    # The patches' tests, and the tests of the packages they change. FerretDB's test
    # helpers look for a .git directory at the root, and a test binary of FerretDB's
    # own packages needs its version file (the release's build generates it).
    (cd "$copy" && git init -q && echo "v$FERRETDB_VERSION" >build/version/version.txt) &&
    go test -mod=mod -modfile="$copy.mod" github.com/FerretDB/FerretDB/internal/handler/sjson \
      github.com/FerretDB/FerretDB/internal/handler github.com/FerretDB/FerretDB/internal/handler/common &&
    go build -trimpath -modfile="$copy.mod" -o "$FERRETDB_BIN.tmp" .) || die "go build of FerretDB failed"
  rm -rf "$copy" "$copy.mod" "$copy.sum"
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
}

install_node_modules() {
  require_cmd node "Install Node.js 20+ (https://nodejs.org)."
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
    [ -n "$(find patches -newer node_modules/.package-lock.json 2>/dev/null)" ]; then
    log "installing npm packages"
    # `npm install` with the lock file, not `npm ci`: npm 11 leaves other platforms'
    # optional binaries out of the lock file and `npm ci` then refuses it.
    npm install --no-audit --no-fund --loglevel=error
  fi
}

# Only the browser test needs it: `make test` installs it, `make run` does not.
install_browser() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && return 0
  apt_install chromium "Chromium (for the browser test of the API docs)" \
    "Debian: sudo apt-get install -y chromium; or set CHROMIUM_PATH."
}

# schemathesis (PyPI) for the API fuzzing tests, in a virtualenv of its own.
SCHEMATHESIS_VERSION=4.32.5
install_fuzzer() {
  local venv=$OF_CACHE_DIR/schemathesis-venv
  [ -x "$venv/bin/st" ] && "$venv/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION" && return 0
  require_cmd python3 "Python 3.9+ runs schemathesis (Debian: apt-get install -y python3 python3-venv)."
  log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $venv (once)"
  rm -rf "$venv"
  python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install -y python3-venv)"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" || die "pip could not install schemathesis"
}

cmd_install() {
  require_cmd curl "Install curl (Debian: apt-get install -y curl)."
  install_node_modules
  install_kafka
  install_postgres
  install_ferretdb
  install_nginx
}

start_kafka() {
  if [ "$OF_EXTERNAL_KAFKA" = 1 ]; then
    log "using the Kafka at KAFKA_BROKERS=$KAFKA_BROKERS"
    return 0
  fi
  if is_running kafka; then
    log "kafka already running"
    return 0
  fi
  ensure_port_free "$KAFKA_PORT" KAFKA_PORT Kafka
  ensure_port_free "$KAFKA_CONTROLLER_PORT" KAFKA_CONTROLLER_PORT "Kafka's controller"
  local dir=$OF_RUN_DIR/kafka
  mkdir -p "$dir/data" "$dir/logs"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=$KAFKA_TOPIC_PARTITIONS
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6
group.initial.rebalance.delay.ms=0
PROPS
  cat >"$dir/log4j.properties" <<PROPS
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
PROPS
  local java_opts=(-Dlog4j.configuration="file:$dir/log4j.properties" -Dkafka.logs.dir="$dir/logs" -Djava.awt.headless=true)
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    # Re-rolled while it starts with '-': the format tool would read it as an
    # option (about 1 run in 64; one CI run failed so). Kafka's own random-uuid does the same.
    cluster_id=-
    while [ "${cluster_id#-}" != "$cluster_id" ]; do
      cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    done
    log "formatting Kafka storage in $dir/data"
    java "${java_opts[@]}" -cp "$KAFKA_HOME/libs/*" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$dir/server.properties" >"$dir/logs/format.log" 2>&1 ||
      { cat "$dir/logs/format.log" >&2; die "Kafka storage format failed"; }
  fi
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM flags
  start_service kafka "$dir/server.properties" java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    "${java_opts[@]}" -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$dir/server.properties"
  wait_until 90 "Kafka on port $KAFKA_PORT" kafka port_open "$KAFKA_PORT"
}

# Earlier versions kept PostgreSQL's data (as root) under a hash of the
# checkout's path rather than of the run directory's; such data moves to where
# the stack now looks for it, and is judged as any other there.
adopt_postgres_data_of_the_checkout() {
  local dir=$1 legacy
  [ "$(id -u)" = 0 ] && [ "$OF_RUN_DIR" = "$ROOT/.run" ] || return 0
  legacy=/var/tmp/order-fulfillment-$(echo "$ROOT" | sha256sum | cut -c1-12)
  [ -d "$legacy" ] && [ "$legacy" != "$(dirname "$dir")" ] && [ ! -e "$(dirname "$dir")" ] || return 0
  log "moving PostgreSQL's data from $legacy to $(dirname "$dir")"
  mv "$legacy" "$(dirname "$dir")"
}

# The id of the local Kafka's cluster, once its storage is formatted (empty otherwise).
local_kafka_cluster_id() {
  sed -n 's/^cluster.id=//p' "$OF_RUN_DIR/kafka/data/meta.properties" 2>/dev/null || true
}

# The read store is made from one Kafka log. As root, PostgreSQL's data lives
# outside the run directory, so it outlives a clone deleted and made again at
# the same path while Kafka's data, inside it, does not. A read store of another
# log would meet a new, empty one: documents no event explains, and dead letters
# whose ids (topic:partition:offset) the new log reuses. So the data notes the
# cluster it was made from; data of another cluster, or (noted by no earlier
# version of this script) older than the local Kafka's storage, goes.
forget_read_store_of_another_log() {
  local dir=$1 cluster note
  cluster=$(local_kafka_cluster_id)
  note=$dir/kafka-cluster-id
  [ -n "$cluster" ] && [ -f "$dir/data/PG_VERSION" ] || return 0
  if { [ -f "$note" ] && [ "$(cat "$note")" != "$cluster" ]; } ||
    { [ ! -f "$note" ] && [ "$OF_RUN_DIR/kafka/data/meta.properties" -nt "$dir/data/PG_VERSION" ]; }; then
    log "deleting the read store in $dir: it was made from another Kafka log than the one in $OF_RUN_DIR/kafka"
    rm -rf "$dir"
  fi
}

# setpriv execs, so the recorded pid is PostgreSQL's own.
as_postgres_owner() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}
postgres_owner_prefix() {
  [ "$(id -u)" = 0 ] && echo setpriv --reuid=postgres --regid=postgres --init-groups --
  return 0
}

postgres_ready() { psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }

# PostgreSQL's own cache: a quarter of the machine's memory, as its manual
# advises for a dedicated server, between 128 MB and 8 GB (OF_PG_SHARED_BUFFERS
# overrides it). On a read side of years of history the rows of a page are
# scattered over the tables, one block each. A block PostgreSQL does not hold
# is a system call and a copy from the kernel's cache, and the kernel's cache
# is no keeper: a kernel that reclaims idle memory proactively (DAMON, as on
# the machines this project is developed on) drops file pages no process has
# touched for a while, and the read is then a disk read. PostgreSQL's own
# buffers are mapped shared memory, not idle file pages: they stay.
postgres_shared_buffers() {
  if [ -n "${OF_PG_SHARED_BUFFERS:-}" ]; then
    echo "$OF_PG_SHARED_BUFFERS"
    return
  fi
  local kb
  kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null || true)
  local mb=$((${kb:-1048576} / 4096))
  ((mb < 128)) && mb=128
  ((mb > 8192)) && mb=8192
  echo "${mb}MB"
}

start_postgres() {
  if is_running postgres; then
    log "postgres already running"
    return 0
  fi
  ensure_port_free "$POSTGRES_PORT" POSTGRES_PORT "PostgreSQL (FerretDB's storage)"
  local bin dir
  bin=$(postgres_bin_dir) || die "PostgreSQL is not installed; run: scripts/stack.sh install"
  dir=$(postgres_dir)
  adopt_postgres_data_of_the_checkout "$dir"
  forget_read_store_of_another_log "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir" && chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL data in $dir/data"
    # The C collation: strings compare by their bytes, as MongoDB compares them
    # (the read store's sorted finds are pushed down to PostgreSQL).
    as_postgres_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C --no-instructions \
      >"$LOG_DIR/postgres-initdb.log" 2>&1 || { cat "$LOG_DIR/postgres-initdb.log" >&2; die "initdb failed"; }
  fi
  [ -z "$(local_kafka_cluster_id)" ] || local_kafka_cluster_id >"$dir/kafka-cluster-id"
  log "starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT (data in $dir/data)"
  # force_custom_plan: FerretDB passes the field name as a parameter, and only
  # a plan made with the value known can match an index on that field.
  # max_wal_size/checkpoint_timeout: under load the default 1 GB of WAL forced a
  # checkpoint every 13-15 s, and each one makes the next write of every page
  # log the whole page again; at 500 registrations/s the freshness p99 went
  # from 340-536 ms to 130 ms with checkpoints this far apart.
  # lz4: FerretDB stores a type schema inside each document, so an order summary
  # of two lines was ~2.4 KB of jsonb (before its fields were packed; now ~1 KB)
  # and was compressed on every insert; pglz took 1.3 % of the machine's CPU
  # under make bench, lz4 0.3 % (rows 15 % larger). Orders of many lines still are.
  # random_page_cost/effective_cache_size: the read side is served from
  # PostgreSQL's own cache (see postgres_shared_buffers), where a page read out
  # of order costs what one read in order does. With the default of 4 the
  # planner answered a frequent customer's page of orders from the creation
  # index, whose rows come in heap order, and filtered out every other
  # customer's orders on the way: ten times the page for a customer with one
  # order in ten (scripts/infra/postgres/page-plans.int-spec.ts).
  local cache compression=()
  cache=$(postgres_shared_buffers)
  "$bin/pg_config" --configure 2>/dev/null | grep -q -- --with-lz4 && compression=(-c default_toast_compression=lz4)
  # shellcheck disable=SC2046 # the prefix is a list of words
  start_service postgres "$dir/data" $(postgres_owner_prefix) "$bin/postgres" -D "$dir/data" -p "$POSTGRES_PORT" \
    -k "$dir" -c listen_addresses=127.0.0.1 -c plan_cache_mode=force_custom_plan -c max_connections=400 \
    -c shared_buffers="$cache" -c effective_cache_size="$cache" \
    -c random_page_cost=1.1 -c max_wal_size=8GB -c checkpoint_timeout=30min "${compression[@]}"
  wait_until 60 "PostgreSQL on port $POSTGRES_PORT" postgres postgres_ready
  local sql=$ROOT/scripts/infra/postgres/ferretdb-indexes.sql
  psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d template1 -qAt -v ON_ERROR_STOP=1 -f "$sql" >/dev/null ||
    die "could not install $sql"
  if [ -z "$(psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'ferretdb'")" ]; then
    psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -qc 'create database ferretdb' || die "could not create the ferretdb database"
  fi
  psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d ferretdb -qAt -v ON_ERROR_STOP=1 -f "$sql" >/dev/null ||
    die "could not install $sql"
}

start_mongo() {
  if [ "$OF_EXTERNAL_MONGO" = 1 ]; then
    log "using the MongoDB at MONGO_URL=$MONGO_URL"
    return 0
  fi
  start_postgres
  if is_running mongo; then
    log "ferretdb already running"
    return 0
  fi
  ensure_port_free "$MONGO_PORT" MONGO_PORT "the MongoDB-wire server"
  log "starting FerretDB $FERRETDB_VERSION (PostgreSQL) on 127.0.0.1:$MONGO_PORT"
  # GOGC=400: its heap is small (~100 MB), and under load Go's collector at the
  # default 100 cost FerretDB ~40 % of its CPU (make bench registrations: FerretDB
  # 0.28 -> 0.16 ms of CPU per order registered).
  GOGC=${FERRETDB_GOGC:-400} start_service mongo "$FERRETDB_BIN" "$FERRETDB_BIN" \
    --listen-addr "127.0.0.1:$MONGO_PORT" --postgresql-url "$FERRETDB_POSTGRESQL_URL"
  wait_until 60 "FerretDB on port $MONGO_PORT" mongo port_open "$MONGO_PORT"
}

create_topics() {
  log "ensuring Kafka topics exist"
  npx --no-install tsx scripts/infra/create-topics.ts
}

cmd_infra() {
  cmd_install
  start_kafka
  start_mongo
  create_topics
}

# The Unix socket an app also listens on, for the gateway: cheaper per request
# than loopback TCP (make bench, trivial endpoint: 33.6-35.1k requests/s
# against 30.9-31.2k). Empty, so TCP, where the path is too long for a socket
# address or OF_APP_SOCKETS=0.
app_socket() { # app_socket NAME
  local path=$OF_RUN_DIR/sockets/$1.sock
  [ "${OF_APP_SOCKETS:-1}" = 1 ] && [ "${#path}" -le 100 ] && echo "$path" || true
}

upstream_of() { # upstream_of NAME PORT: where the gateway reaches the app
  local socket
  socket=$(app_socket "$1")
  if [ -n "$socket" ]; then echo "unix:$socket"; else echo "127.0.0.1:$2"; fi
}

start_app() { # start_app NAME PORT
  local name=$1 port=$2 main=$ROOT/dist/apps/$1/apps/$1/src/main.js
  if is_running "$name"; then
    log "$name app already running"
    return 0
  fi
  [ -f "$main" ] || die "$main is missing: build first (npm run build)"
  ensure_port_free "$port" "$(echo "$name" | tr a-z A-Z)_PORT" "the $name app"
  log "starting the $name app on 127.0.0.1:$port"
  # The command app replays events at start (all of them when it rebuilds its
  # state store); a larger young generation cuts its GC time there, and
  # --expose-gc lets it hand that memory back after the replay (recovery.service.ts).
  # The query app keeps the documents it wrote in a cache, so much of what it
  # allocates survives a scavenge or two; a larger young generation halves its
  # minor-GC time under load. --heap-growing-percent=100 (both apps): the old
  # generation may double before the next full collection, so they come far
  # less often; each traces the whole old generation and holds up the requests
  # that arrive meanwhile, which is what a read's tail is made of. See
  # docs/performance.md.
  local flags=(--max-semi-space-size=64 --heap-growing-percent=100)
  [ "$name" = command ] && flags+=(--expose-gc)
  # Extra flags for a look inside, e.g. OF_NODE_FLAGS=--trace-gc.
  local extra=()
  read -r -a extra <<<"${OF_NODE_FLAGS:-}"
  local socket
  socket=$(app_socket "$name")
  [ -z "$socket" ] || mkdir -p "$(dirname "$socket")"
  # The command app's state store (a cache of Kafka) lives with the rest of the local data.
  local state=()
  [ "$name" = command ] && state=("STATE_DIR=${STATE_DIR:-$OF_RUN_DIR/command-state}")
  start_service "$name" "$main" env "$(echo "$name" | tr a-z A-Z)_SOCKET=$socket" "${state[@]}" \
    node --enable-source-maps "${flags[@]}" "${extra[@]}" "$main"
}

wait_app() { # wait_app NAME PORT
  wait_until 120 "the $1 app to be ready (http://127.0.0.1:$2/health)" "$1" http_ok "http://127.0.0.1:$2/health"
}

start_gateway() {
  local dir=$OF_RUN_DIR/nginx mime pid
  mkdir -p "$dir/tmp"
  mime=$(nginx -V 2>&1 | tr ' ' '\n' | sed -n 's/^--conf-path=//p' | xargs dirname)/mime.types
  [ -f "$mime" ] || mime=/etc/nginx/mime.types
  # Workers keep the caller's identity, so they can use the files under $dir.
  render_template nginx/gateway.conf.template >"$dir/gateway.conf" \
    COMMAND_UPSTREAM "$(upstream_of command "$COMMAND_PORT")" QUERY_UPSTREAM "$(upstream_of query "$QUERY_PORT")" GATEWAY_PORT "$GATEWAY_PORT" \
    COMMAND_RATE_LIMIT "$COMMAND_RATE_LIMIT" COMMAND_RATE_BURST "$COMMAND_RATE_BURST"
  render_template nginx/local.conf.template >"$dir/nginx.conf" \
    NGINX_DIR "$dir" NGINX_MIME_TYPES "$mime" \
    NGINX_USER_DIRECTIVE "$([ "$(id -u)" = 0 ] && echo 'user root;' || true)"
  nginx -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" || die "nginx rejected $dir/nginx.conf"
  if pid=$(service_pid gateway); then
    log "gateway already running; reloading its config"
    kill -HUP "$pid"
    return 0
  fi
  ensure_port_free "$GATEWAY_PORT" GATEWAY_PORT "the nginx gateway"
  log "starting the nginx gateway on 127.0.0.1:$GATEWAY_PORT"
  start_service gateway "$dir/nginx.conf" nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
  wait_until 30 "the gateway (http://127.0.0.1:$GATEWAY_PORT/health)" gateway http_ok "$GATEWAY_URL/health"
}

# render_template FILE NAME VALUE...: replaces ${NAME} for the given names only,
# so nginx's own $variables are left alone.
render_template() {
  local file=$1 content
  shift
  content=$(cat "$file")
  while [ $# -gt 0 ]; do
    content=${content//"\${$1}"/$2}
    shift 2
  done
  printf '%s\n' "$content"
}

cmd_up() {
  cmd_infra
  start_app command "$COMMAND_PORT"
  start_app query "$QUERY_PORT"
  wait_app command "$COMMAND_PORT"
  wait_app query "$QUERY_PORT"
  start_gateway
  cat <<MSG

  Order Fulfillment is running.
    Gateway (API):      $GATEWAY_URL/api/v1
    Health:             $GATEWAY_URL/health/command   $GATEWAY_URL/health/query
    Command app:        http://127.0.0.1:$COMMAND_PORT
    Query app:          http://127.0.0.1:$QUERY_PORT
    Kafka brokers:      $KAFKA_BROKERS
    MongoDB:            $MONGO_URL
    Logs:               $LOG_DIR
  Stop it all with: make stop

MSG
}

start_one() { # start_one NAME: one service, as `up` starts it
  case "$1" in
    kafka) start_kafka ;;
    postgres) start_postgres ;;
    mongo) start_mongo ;;
    command) start_app command "$COMMAND_PORT" && wait_app command "$COMMAND_PORT" ;;
    query) start_app query "$QUERY_PORT" && wait_app query "$QUERY_PORT" ;;
    gateway) start_gateway ;;
    *) die "no service named $1" ;;
  esac
}

cmd_down() {
  local s
  for s in gateway command query mongo postgres kafka; do stop_service "$s"; done
}

cmd_reset() {
  cmd_down
  log "deleting the local data: $OF_RUN_DIR and $(dirname "$(postgres_dir)")"
  rm -rf "$OF_RUN_DIR" "$(postgres_dir)"
  rmdir "$(dirname "$(postgres_dir)")" 2>/dev/null || true
}

cmd_status() {
  local s pid
  for s in kafka postgres mongo command query gateway; do
    if pid=$(service_pid "$s"); then echo "$s: running (pid $pid)"; else echo "$s: stopped"; fi
  done
}

cmd_env() {
  local v
  for v in KAFKA_BROKERS MONGO_URL MONGO_DB COMMAND_PORT QUERY_PORT GATEWAY_PORT GATEWAY_URL ADMIN_TOKEN OF_LOCAL_STACK \
    ORDER_EVENTS_TOPIC INVENTORY_EVENTS_TOPIC KAFKA_TOPIC_PARTITIONS; do
    printf 'export %s=%q\n' "$v" "${!v}"
  done
  # Keep the first decision about external servers: a shell that evaluated
  # this output still starts (and finds) our own Kafka and FerretDB.
  printf 'export OF_EXTERNAL_KAFKA=%q OF_EXTERNAL_MONGO=%q\n' "$OF_EXTERNAL_KAFKA" "$OF_EXTERNAL_MONGO"
  # For tests that run a server of their own (stop/start scenarios).
  printf 'export FERRETDB_BIN=%q FERRETDB_POSTGRESQL_URL=%q KAFKA_LIBS=%q\n' \
    "$FERRETDB_BIN" "$FERRETDB_POSTGRESQL_URL" "$KAFKA_HOME/libs"
}

case "${1:-}" in
  install) cmd_install ;;
  install-browser) install_browser ;;
  install-fuzzer) install_fuzzer ;;
  infra) cmd_infra ;;
  up) cmd_up ;;
  down) cmd_down ;;
  reset) cmd_reset ;;
  status) cmd_status ;;
  env) cmd_env ;;
  stop-service) stop_service "$2" ;;
  start-service) start_one "$2" ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
