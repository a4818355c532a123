#!/usr/bin/env bash
# A single-node Kafka broker (KRaft, broker + controller in one process) on loopback,
# run from Apache Kafka's jars on Maven Central (fetched once into .tools/kafka/).
#
# Usage:
#   scripts/kafka.sh install                    fetch the jars (start does this too)
#   scripts/kafka.sh start  [--instance NAME] [--port PORT]
#   scripts/kafka.sh stop   [--instance NAME]
#   scripts/kafka.sh status [--instance NAME]   exit 0 when running and answering
#   scripts/kafka.sh address [--instance NAME]  print HOST:PORT
#   scripts/kafka.sh reset  [--instance NAME]   stop and delete the instance's data
#
# The default instance listens on 127.0.0.1:9092. Named instances (for tests that stop
# a broker) need --port on their first start; it is remembered. The controller listens
# on PORT+1. Data, config, pid and log live in .cache/kafka/NAME/ (log: kafka.log).
# start is idempotent: when the instance already runs and answers, it only prints the
# address. Readiness is a real metadata request (scripts/lib/kafka-ready.js), waited
# for KAFKA_START_TIMEOUT seconds (90; a broker recovering many partitions needs more).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/lib/daemon.sh
. scripts/lib/kafka-version.sh
SCALA_VERSION="2.13"
libs="$root/.tools/kafka/$KAFKA_VERSION/libs"

die() {
  echo "kafka: $*" >&2
  exit 1
}

cmd="${1:-}"
[ -n "$cmd" ] && shift
instance="default"
port=""
while [ $# -gt 0 ]; do
  case "$1" in
    --instance) instance="${2:?--instance needs a name}"; shift 2 ;;
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[[ "$instance" =~ ^[a-z0-9][a-z0-9-]{0,40}$ ]] || die "instance names are lowercase letters, digits and dashes: $instance"
[ -z "$port" ] || [[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number: $port"

dir="$root/.cache/kafka/$instance"
pidfile="$dir/kafka.pid"
logfile="$dir/kafka.log"

if [ -z "$port" ]; then
  if [ -f "$dir/port" ]; then
    port="$(cat "$dir/port")"
  elif [ "$instance" = "default" ]; then
    port=9092
  fi
fi
address="127.0.0.1:${port:-?}"

install() {
  . "$root/scripts/lib/maven-fetch.sh"
  maven_fetch "$libs" "org.apache.kafka:kafka_$SCALA_VERSION:$KAFKA_VERSION" "org.slf4j:slf4j-reload4j:1.7.36"
}

# The pid of this instance's broker, when it is alive (checked against its command line).
running_pid() {
  daemon_pid "$pidfile" "$dir/server.properties"
}

node_cmd() {
  if ! command -v node >/dev/null || [ "$(node --version | sed -E 's/^v([0-9]+).*/\1/')" -lt 22 ]; then
    . "$root/scripts/toolchain.sh" >&2
  fi
  node "$@"
}

answering() {
  node_cmd "$root/scripts/lib/kafka-ready.js" "$address"
}

# Ready when the broker answers a metadata request within $1 seconds; not when the
# process $2 (the broker just launched) has gone.
ready() {
  daemon_wait "${1:-0}" "${2:-}" answering
}

write_config() {
  local controller_port=$((port + 1))
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=67108864
EOF
  cat >"$dir/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
EOF
}

java_opts=(-Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$libs/*")

start() {
  [ -n "$port" ] || die "instance '$instance' has no port yet: start it with --port PORT"
  if pid="$(running_pid)"; then
    ready 60 || die "instance '$instance' (pid $pid) runs but does not answer at $address; see ${logfile#"$root"/}"
    echo "Kafka ($instance) is already running at $address"
    return 0
  fi
  command -v java >/dev/null || die "Java is not installed (Kafka needs Java 17 or newer)"
  port_taken "$port" && die "port $port is already in use by another process"
  port_taken $((port + 1)) && die "controller port $((port + 1)) is already in use by another process"
  install
  mkdir -p "$dir"
  if [ -f "$dir/port" ] && [ "$(cat "$dir/port")" != "$port" ]; then
    die "instance '$instance' was formatted for port $(cat "$dir/port"); run 'scripts/kafka.sh reset --instance $instance' first"
  fi
  write_config
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    java "${java_opts[@]}" kafka.tools.StorageTool format --ignore-formatted --cluster-id="$cluster_id" -c "$dir/server.properties" >"$dir/format.log" 2>&1 ||
      { cat "$dir/format.log" >&2; die "formatting the storage failed"; }
  fi
  echo "$port" >"$dir/port"
  local started=$SECONDS
  nohup setsid java "${java_opts[@]}" kafka.Kafka "$dir/server.properties" >>"$logfile" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
  if ! ready "${KAFKA_START_TIMEOUT:-90}" $!; then
    tail -n 40 "$logfile" >&2
    stop >/dev/null
    die "broker did not become ready at $address; log: ${logfile#"$root"/}"
  fi
  echo "Kafka ($instance) is ready at $address (started in $((SECONDS - started)) s; log: ${logfile#"$root"/})"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pidfile"
    echo "Kafka ($instance) is not running"
    return 0
  fi
  daemon_stop "$pid" "kafka: broker"
  rm -f "$pidfile"
  echo "Kafka ($instance) stopped"
}

status() {
  if pid="$(running_pid)" && ready 5; then
    echo "Kafka ($instance) is running at $address (pid $pid)"
  else
    echo "Kafka ($instance) is not running"
    return 3
  fi
}

case "$cmd" in
  install) install ;;
  start)
    # One start per instance at a time (parallel test files may all ask for the broker).
    mkdir -p "$root/.cache/kafka"
    exec 9>"$root/.cache/kafka/$instance.lock"
    flock 9
    start
    ;;
  stop) stop ;;
  status) status ;;
  address)
    [ -n "$port" ] || die "instance '$instance' has no port yet"
    echo "$address"
    ;;
  reset)
    stop
    rm -rf "$dir"
    echo "Kafka ($instance) data deleted"
    ;;
  *) die "usage: scripts/kafka.sh install|start|stop|status|address|reset [--instance NAME] [--port PORT]" ;;
esac
