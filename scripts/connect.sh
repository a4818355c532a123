#!/usr/bin/env bash
# A Kafka Connect worker (distributed mode, one worker) with Debezium's PostgreSQL
# connector, on loopback, run from Apache Kafka's connect-runtime (the broker's Kafka
# version, see scripts/kafka.sh) and Debezium's jars on Maven Central, fetched once into
# .tools/kafka-connect/ and .tools/debezium/.
#
# Usage:
#   scripts/connect.sh install   fetch the jars (start does this too)
#   scripts/connect.sh start     start the worker (and the Kafka broker it needs); idempotent
#   scripts/connect.sh stop      stop the worker (connectors keep their offsets in Kafka)
#   scripts/connect.sh status    exit 0 when the worker answers
#   scripts/connect.sh url       print the worker's REST URL
#
# The REST API listens on http://127.0.0.1:8083 (STREAMING_CONNECT_PORT overrides it).
# Connector configs, offsets and status live in the Kafka topics streaming-connect-*, so
# a restarted worker resumes every connector where it stopped. Config, pid and log live
# in .cache/connect/ (log: connect.log). Readiness is a real REST request: the worker
# answers GET /connector-plugins and lists Debezium's PostgresConnector.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/lib/daemon.sh

# Connect of the broker's Kafka release, and the Debezium release the platform supports.
. scripts/lib/kafka-version.sh
DEBEZIUM_VERSION="3.6.1.Final"
port="${STREAMING_CONNECT_PORT:-8083}"
url="http://127.0.0.1:$port"
libs="$root/.tools/kafka-connect/$KAFKA_VERSION/libs"
plugins="$root/.tools/debezium/$DEBEZIUM_VERSION"
dir="$root/.cache/connect"
pidfile="$dir/connect.pid"
logfile="$dir/connect.log"

die() {
  echo "connect: $*" >&2
  exit 1
}

install() {
  . "$root/scripts/lib/maven-fetch.sh"
  maven_fetch "$libs" "org.apache.kafka:connect-runtime:$KAFKA_VERSION" \
    "org.apache.kafka:connect-json:$KAFKA_VERSION" "org.slf4j:slf4j-reload4j:1.7.36"
  # Each connector is a folder of its own on the worker's plugin.path (its own class loader).
  maven_fetch "$plugins/debezium-connector-postgres" "io.debezium:debezium-connector-postgres:$DEBEZIUM_VERSION"
}

running_pid() {
  daemon_pid "$pidfile" "$dir/worker.properties"
}

# Answering when the REST API lists Debezium's connector (the plugin scan is done).
answering() {
  curl -fsS --max-time 5 "$url/connector-plugins" 2>/dev/null | grep -q 'io.debezium.connector.postgresql.PostgresConnector'
}

# ready [SECONDS [LAUNCHER]]: answering within SECONDS, unless the process has gone.
ready() {
  daemon_wait "${1:-0}" "${2:-}" answering
}

write_config() {
  local brokers="$1"
  cat >"$dir/worker.properties" <<EOF
bootstrap.servers=$brokers
group.id=streaming-connect
config.storage.topic=streaming-connect-configs
offset.storage.topic=streaming-connect-offsets
status.storage.topic=streaming-connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.storage.partitions=1
status.storage.partitions=1
offset.flush.interval.ms=1000
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=false
value.converter.schemas.enable=false
listeners=$url
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$port
plugin.path=$plugins
config.providers=env
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
EOF
  cat >"$dir/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.reflections=ERROR
EOF
}

start() {
  if pid="$(running_pid)"; then
    ready 120 || die "worker (pid $pid) runs but does not answer at $url; see ${logfile#"$root"/}"
    echo "Kafka Connect is already running at $url"
    return 0
  fi
  command -v java >/dev/null || die "Java is not installed (Kafka Connect needs Java 17 or newer)"
  port_taken "$port" && die "port $port is already in use by another process"
  install
  scripts/kafka.sh start >/dev/null
  mkdir -p "$dir"
  write_config "$(scripts/kafka.sh address)"
  local started=$SECONDS
  nohup setsid java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$libs/*" \
    org.apache.kafka.connect.cli.ConnectDistributed "$dir/worker.properties" >>"$logfile" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
  if ! ready 180 $!; then
    tail -n 40 "$logfile" >&2
    stop >/dev/null
    die "worker did not become ready at $url; log: ${logfile#"$root"/}"
  fi
  echo "Kafka Connect is ready at $url (started in $((SECONDS - started)) s; log: ${logfile#"$root"/})"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pidfile"
    echo "Kafka Connect is not running"
    return 0
  fi
  daemon_stop "$pid" "connect: the worker"
  rm -f "$pidfile"
  echo "Kafka Connect stopped"
}

case "${1:-}" in
  install) install ;;
  start)
    mkdir -p "$root/.cache"
    exec 9>"$root/.cache/connect.lock"
    flock 9
    start
    ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)" && ready 0; then
      echo "Kafka Connect is running at $url (pid $pid)"
    else
      echo "Kafka Connect is not running"
      exit 3
    fi
    ;;
  url) echo "$url" ;;
  *) die "usage: scripts/connect.sh install|start|stop|status|url" ;;
esac
