#!/usr/bin/env bash
# A single-node OpenSearch (Elasticsearch-compatible REST API) on loopback, the local
# search sink of the Log Analytics example, from the distribution zip on Maven Central
# (org.opensearch.distribution.integ-test-zip:opensearch, fetched once into .tools/opensearch/).
#
# Usage:
#   scripts/opensearch.sh install   fetch and unpack the distribution (start does this too)
#   scripts/opensearch.sh start     start it; idempotent
#   scripts/opensearch.sh stop      stop it (the indices stay in .cache/opensearch/data)
#   scripts/opensearch.sh status    exit 0 when it answers
#   scripts/opensearch.sh url       print its URL
#
# HTTP on http://127.0.0.1:9200 (STREAMING_OPENSEARCH_PORT overrides it; transport on the
# port + 100), 512 MB heap, no security plugin (the integ-test distribution has none).
# Config, data, pid and log live in .cache/opensearch/ (log: opensearch.log). OpenSearch
# refuses to run as root: as root it runs as the system user `opensearch`, created once.
# Readiness is a real request: the cluster health is at least yellow.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/lib/daemon.sh

# The 2.19 line is the newest that runs on Java 17 (3.x needs Java 21).
OPENSEARCH_VERSION="2.19.1"
port="${STREAMING_OPENSEARCH_PORT:-9200}"
url="http://127.0.0.1:$port"
home="$root/.tools/opensearch/opensearch-$OPENSEARCH_VERSION"
dir="$root/.cache/opensearch"
pidfile="$dir/opensearch.pid"
logfile="$dir/opensearch.log"
user="opensearch"

die() {
  echo "opensearch: $*" >&2
  exit 1
}

install() {
  [ -x "$home/bin/opensearch" ] && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is not installed"
  echo "opensearch: fetching OpenSearch $OPENSEARCH_VERSION into ${home#"$root"/}" >&2
  local work
  work="$(mktemp -d)"
  if ! mvn -q -B dependency:copy \
    -Dartifact="org.opensearch.distribution.integ-test-zip:opensearch:$OPENSEARCH_VERSION:zip" \
    -DoutputDirectory="$work" >"$work/mvn.log" 2>&1; then
    cat "$work/mvn.log" >&2
    rm -rf "$work"
    die "Maven could not fetch the OpenSearch distribution"
  fi
  mkdir -p "$(dirname "$home")"
  rm -rf "$home"
  unzip -q "$work/opensearch-$OPENSEARCH_VERSION.zip" -d "$(dirname "$home")"
  rm -rf "$work"
}

running_pid() {
  daemon_pid "$pidfile" "$dir/config"
}

healthy() {
  curl -fsS --max-time 5 "$url/_cluster/health" 2>/dev/null | grep -Eq '"status":"(green|yellow)"'
}

# ready [SECONDS [LAUNCHER]]: the cluster health is green or yellow; not when the process has gone.
ready() {
  daemon_wait "${1:-0}" "${2:-}" healthy
}

write_config() {
  mkdir -p "$dir/config/jvm.options.d" "$dir/data" "$dir/logs"
  cp "$home/config/log4j2.properties" "$dir/config/"
  # The distribution's JVM options, with its relative log and dump paths under .cache/, a
  # small GC log and a small heap (jvm.options.d comes after, so its heap wins).
  sed -e "s|=logs/|=$dir/logs/|; s|file=logs/|file=$dir/logs/|; s|filecount=32,filesize=64m|filecount=2,filesize=8m|; s|HeapDumpPath=data|HeapDumpPath=$dir/logs|" \
    "$home/config/jvm.options" >"$dir/config/jvm.options"
  cat >"$dir/config/opensearch.yml" <<EOF
cluster.name: streaming-local
node.name: local
discovery.type: single-node
network.host: 127.0.0.1
http.port: $port
transport.port: $((port + 100))
path.data: $dir/data
path.logs: $dir/logs
# A developer's disk may be fuller than a server's: never turn indices read-only for it.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  printf '%s\n' -Xms256m -Xmx512m >"$dir/config/jvm.options.d/heap.options"
  if [ "$(id -u)" = 0 ]; then
    id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    chown -R "$user" "$dir"
  fi
}

start() {
  if pid="$(running_pid)"; then
    ready 120 || die "OpenSearch (pid $pid) runs but does not answer at $url; see ${logfile#"$root"/}"
    echo "OpenSearch is already running at $url"
    return 0
  fi
  command -v java >/dev/null || die "Java is not installed (OpenSearch $OPENSEARCH_VERSION needs Java 17 or newer)"
  port_taken "$port" && die "port $port is already in use by another process"
  port_taken $((port + 100)) && die "transport port $((port + 100)) is already in use by another process"
  install
  mkdir -p "$dir"
  write_config
  local java_home started=$SECONDS
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  rm -f "$pidfile"
  local as_user=()
  [ "$(id -u)" != 0 ] || as_user=(runuser -u "$user" --)
  nohup setsid env OPENSEARCH_JAVA_HOME="$java_home" OPENSEARCH_PATH_CONF="$dir/config" \
    "${as_user[@]}" "$home/bin/opensearch" -p "$pidfile" >>"$logfile" 2>&1 </dev/null 9>&- &
  if ! ready 180 $!; then
    tail -n 40 "$logfile" >&2
    stop >/dev/null
    die "OpenSearch did not become ready at $url; log: ${logfile#"$root"/}"
  fi
  echo "OpenSearch is ready at $url (started in $((SECONDS - started)) s; log: ${logfile#"$root"/})"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "OpenSearch is not running"
    return 0
  fi
  daemon_stop "$pid" "opensearch: OpenSearch"
  echo "OpenSearch stopped"
}

case "${1:-}" in
  install) install ;;
  start)
    mkdir -p "$root/.cache"
    exec 9>"$root/.cache/opensearch.lock"
    flock 9
    start
    ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)" && ready 0; then
      echo "OpenSearch is running at $url (pid $pid)"
    else
      echo "OpenSearch is not running"
      exit 3
    fi
    ;;
  url) echo "$url" ;;
  *) die "usage: scripts/opensearch.sh install|start|stop|status|url" ;;
esac
