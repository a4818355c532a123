#!/usr/bin/env bash
# A schema registry on loopback: Apicurio Registry, which serves the Confluent Schema
# Registry API under /apis/ccompat/v7 (subjects, versions, ids, compatibility checks for
# AVRO, JSON and PROTOBUF). Its runnable build is the `all` tar.gz of Maven Central's
# io.apicurio:apicurio-registry-app, fetched once into .tools/apicurio-registry/.
#
# Usage:
#   scripts/registry.sh install   fetch and unpack the build (start does this too)
#   scripts/registry.sh start     start it; idempotent
#   scripts/registry.sh stop      stop it
#   scripts/registry.sh status    exit 0 when it answers
#   scripts/registry.sh address   print the Confluent-compatible base URL (…/apis/ccompat/v7)
#   scripts/registry.sh reset     stop and start it again: storage is in memory, so this
#                                 forgets every subject
#   scripts/registry.sh register SUBJECT FILE
#                                 register a schema file (.avsc AVRO, .json JSON Schema,
#                                 .proto PROTOBUF) under SUBJECT; prints its id
#
# Which build runs: 3.3.3 when a Java 21+ JDK is found (STREAMING_REGISTRY_JAVA, then
# JAVA_HOME, then `java` on PATH, then the JDKs under /usr/lib/jvm), else 3.0.9 on Java 17.
# `start` prints which one ran. HTTP on http://127.0.0.1:8081 (STREAMING_REGISTRY_PORT
# overrides it; Quarkus' management interface on the port + 10000, also loopback only).
# Deleting subjects is enabled (tests clean up after themselves). Like Confluent's default,
# a subject without a compatibility level of its own is checked BACKWARD (Apicurio's own
# default is NONE). Pid and log live in .cache/registry/ (log: registry.log). Readiness is
# a real request: GET /apis/ccompat/v7/subjects answers with a JSON array.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/lib/daemon.sh

port="${STREAMING_REGISTRY_PORT:-8081}"
base="http://127.0.0.1:$port"
address="$base/apis/ccompat/v7"
tools="$root/.tools/apicurio-registry"
dir="$root/.cache/registry"
pidfile="$dir/registry.pid"
logfile="$dir/registry.log"

die() {
  echo "registry: $*" >&2
  exit 1
}

java_major() {
  "$1" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p'
}

# Prints the java binary of a Java 21+ JDK, or fails.
find_java21() {
  local candidate major
  for candidate in "${STREAMING_REGISTRY_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
    major="$(java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Sets version, java and the command line of the build this machine can run.
choose_build() {
  if java="$(find_java21)"; then
    version="3.3.3"
    home="$tools/$version"
    launch=(-jar "$home/quarkus-run.jar")
  else
    command -v java >/dev/null || die "Java is not installed (Apicurio Registry needs Java 17 or newer)"
    java="$(command -v java)"
    [ "$(java_major "$java")" -ge 17 ] || die "Java $(java_major "$java") is too old (Apicurio Registry 3.0.9 needs Java 17; 3.3.3 needs 21)"
    version="3.0.9"
    home="$tools/$version"
    launch=(-Dapicurio.ccompat.use-canonical-hash=true -jar "$home/apicurio-registry-app-$version-runner.jar")
  fi
}

install() {
  choose_build
  . "$root/scripts/lib/maven-fetch.sh"
  maven_fetch_archive "$home" "io.apicurio:apicurio-registry-app:$version:tar.gz:all"
}

running_pid() {
  daemon_pid "$pidfile" "-Dstreaming.registry.dir=$dir"
}

answering() {
  curl -fsS --max-time 5 "$address/subjects" 2>/dev/null | grep -q '^\['
}

# Ready when the Confluent API lists the subjects; not when the process has gone.
ready() {
  daemon_wait "${1:-0}" "${2:-}" answering
}

start() {
  if pid="$(running_pid)"; then
    ready 60 || die "registry (pid $pid) runs but does not answer at $address; see ${logfile#"$root"/}"
    echo "Schema registry is already running at $address"
    return 0
  fi
  port_taken "$port" && die "port $port is already in use by another process"
  port_taken $((port + 10000)) && die "management port $((port + 10000)) is already in use by another process"
  install
  mkdir -p "$dir"
  local started=$SECONDS
  nohup setsid "$java" -Xms64m -Xmx384m -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dstreaming.registry.dir="$dir" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port=$((port + 10000)) \
    -Dapicurio.rest.deletion.artifact.enabled=true \
    -Dapicurio.rest.deletion.artifact-version.enabled=true \
    -Dapicurio.rest.deletion.group.enabled=true \
    -Dapicurio.rules.global.compatibility=BACKWARD \
    -Dquarkus.log.console.color=false \
    "${launch[@]}" >>"$logfile" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
  if ! ready 120 $!; then
    tail -n 40 "$logfile" >&2
    stop >/dev/null
    die "Apicurio Registry $version did not become ready at $address; log: ${logfile#"$root"/}"
  fi
  # Stored as the global level too: 3.0.9's Confluent API reports NONE for the default rule.
  curl -fsS --max-time 10 -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"compatibility":"BACKWARD"}' "$address/config" >/dev/null ||
    die "could not set the global compatibility level to BACKWARD at $address"
  echo "Schema registry (Apicurio Registry $version on Java $(java_major "$java")) is ready at $address (started in $((SECONDS - started)) s; log: ${logfile#"$root"/})"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pidfile"
    echo "Schema registry is not running"
    return 0
  fi
  daemon_stop "$pid" "registry"
  rm -f "$pidfile"
  echo "Schema registry stopped"
}

register() {
  local subject="$1" file="$2" type
  case "$file" in
    *.avsc) type=AVRO ;;
    *.json) type=JSON ;;
    *.proto) type=PROTOBUF ;;
    *) die "register: $file is not a .avsc, .json or .proto file" ;;
  esac
  [ -f "$file" ] || die "register: no file $file"
  local body
  body="$(node -e 'const fs = require("fs"); process.stdout.write(JSON.stringify({ schema: fs.readFileSync(process.argv[1], "utf8"), schemaType: process.argv[2] }))' "$file" "$type")"
  curl -fsS --max-time 30 -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data-binary "$body" "$address/subjects/$(node -p 'encodeURIComponent(process.argv[1])' "$subject")/versions" ||
    die "register: the registry refused $file under $subject"
  echo
}

case "${1:-}" in
  install) install ;;
  register)
    [ $# -eq 3 ] || die "usage: scripts/registry.sh register SUBJECT FILE"
    register "$2" "$3"
    ;;
  start | reset)
    mkdir -p "$root/.cache"
    exec 9>"$root/.cache/registry.lock"
    flock 9
    [ "$1" = start ] || stop
    start
    ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)" && ready 0; then
      echo "Schema registry is running at $address (pid $pid)"
    else
      echo "Schema registry is not running"
      exit 3
    fi
    ;;
  address) echo "$address" ;;
  *) die "usage: scripts/registry.sh install|start|stop|status|address|reset|register" ;;
esac
