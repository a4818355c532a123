#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, from Debian's packages.
#   scripts/postgres.sh start    install (once), initialise (once) and start; idempotent
#   scripts/postgres.sh stop     stop it
#   scripts/postgres.sh status   exit 0 when it accepts connections
#   scripts/postgres.sh url      print its connection string
# Listens on 127.0.0.1 only (port STREAMING_POSTGRES_PORT, default 55432), trust
# authentication for the local superuser `postgres`; data in .cache/postgres.
# wal_level=logical, so Debezium's PostgreSQL connector can stream changes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${STREAMING_POSTGRES_PORT:-55432}"
base="$root/.cache/postgres"
data="$base/data"
log="$base/postgres.log"
url="postgresql://postgres@127.0.0.1:$port"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_owner() {
  # initdb and postgres refuse to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  if [ -n "$(bindir)" ] && [ -x "$(bindir)/initdb" ]; then return; fi
  echo "postgres: installing Debian's postgresql package" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

ready() { "$(bindir)/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; }

# Logical decoding for Debezium's connector (scripts/connect.sh): wal_level only changes on a
# restart, so a cluster started before this setting keeps `replica` until it is restarted.
replication="-c wal_level=logical -c max_replication_slots=20 -c max_wal_senders=20"

start() {
  install
  local bin
  bin="$(bindir)"
  mkdir -p "$base"
  if [ "$(id -u)" = 0 ]; then chown postgres "$base"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ready; then
    echo "postgres: running at $url" >&2
    return
  fi
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $base -c fsync=off -c max_connections=200 $replication" start >/dev/null
  ready || { echo "postgres: did not start; see $log" >&2; exit 1; }
  echo "postgres: running at $url" >&2
}

stop() {
  local bin
  bin="$(bindir)"
  if [ -n "$bin" ] && [ -f "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -w stop -m fast >/dev/null
  fi
  echo "postgres: stopped" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) [ -n "$(bindir)" ] && ready ;;
  url) echo "$url" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
