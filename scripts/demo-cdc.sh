#!/usr/bin/env bash
# Real change data capture for the CDC Postgres example in `make start`: the table
# public.users of the database `accounts` on the local PostgreSQL (scripts/postgres.sh),
# Debezium's PostgreSQL connector `cdc-postgres-users` on the local Kafka Connect
# (scripts/connect.sh) writing its changes to dbserver1.public.users (the topic the
# example reads), and a writer session that inserts, updates and deletes users.
#
#   scripts/demo-cdc.sh start [RATE]   set it up (idempotent) and start the writer
#                                      (RATE changes a second, default 2)
#   scripts/demo-cdc.sh stop           stop the writer (the connector keeps running
#                                      while Kafka Connect runs)
#
# The writer's log: .cache/demo/cdc-writer.log.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$root/.cache/demo"
connector="cdc-postgres-users"
app="streaming-demo-cdc"

psql_cmd() {
  local url
  url="$(scripts/postgres.sh url)"
  PGAPPNAME="$app" "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" "$url/$1" -v ON_ERROR_STOP=1 -X -q "${@:2}"
}

# PUT creates the connector with the config $1 or leaves it as it is (same config).
# Connect answers 409 while its workers rebalance: that is retried for up to a minute.
put_connector() {
  local status
  for _ in $(seq 60); do
    status=$(curl -sS -o "$work/connector-put.json" -w '%{http_code}' -X PUT \
      -H 'Content-Type: application/json' "$(scripts/connect.sh url)/connectors/$connector/config" -d "$1")
    case "$status" in
      2??) return 0 ;;
      409) sleep 1 ;;
      *) echo "demo-cdc: creating connector $connector: HTTP $status $(cat "$work/connector-put.json")" >&2; return 1 ;;
    esac
  done
  echo "demo-cdc: creating connector $connector: Kafka Connect still rebalancing after a minute" >&2
  return 1
}

start() {
  local rate="${1:-2}"
  [[ "$rate" =~ ^[1-9][0-9]?$ ]] || { echo "demo-cdc: RATE must be 1-99 changes a second" >&2; exit 2; }
  scripts/postgres.sh start
  scripts/connect.sh start
  mkdir -p "$work"
  if [ "$(psql_cmd postgres -tAc "SELECT count(*) FROM pg_database WHERE datname = 'accounts'")" = 0 ]; then
    psql_cmd postgres -c "CREATE DATABASE accounts"
  fi
  psql_cmd accounts -c "CREATE TABLE IF NOT EXISTS public.users (
    id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL,
    country text NOT NULL, updated_at timestamp NOT NULL)"
  put_connector "$(cat <<EOF
{
  "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
  "database.hostname": "127.0.0.1",
  "database.port": "$(scripts/postgres.sh url | sed -E 's/.*:([0-9]+)$/\1/')",
  "database.user": "postgres",
  "database.dbname": "accounts",
  "topic.prefix": "dbserver1",
  "table.include.list": "public.users",
  "plugin.name": "pgoutput",
  "slot.name": "cdc_postgres_users",
  "publication.name": "cdc_postgres_users",
  "publication.autocreate.mode": "filtered"
}
EOF
)"
  stop >/dev/null
  # One session changes random users of 500 ids: about half inserts (or re-inserts),
  # 35% updates and 15% deletes, each its own transaction.
  nohup setsid bash -c "$(declare -f psql_cmd); app=$app; psql_cmd accounts" >"$work/cdc-writer.log" 2>&1 <<EOF &
SET client_connection_check_interval = '1s';
DO \$\$
DECLARE n bigint; r float8; countries text[] := ARRAY['DE','FR','GB','US','IE','FI','JP'];
BEGIN
  LOOP
    n := 1 + floor(random() * 500)::bigint;
    r := random();
    IF r < 0.5 THEN
      INSERT INTO public.users VALUES (n, 'user' || n || '@example.com', 'User ' || n,
        countries[1 + floor(random() * 7)::int], localtimestamp)
      ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, updated_at = EXCLUDED.updated_at;
    ELSIF r < 0.85 THEN
      UPDATE public.users SET country = countries[1 + floor(random() * 7)::int],
        updated_at = localtimestamp WHERE id = n;
    ELSE
      DELETE FROM public.users WHERE id = n;
    END IF;
    COMMIT;
    PERFORM pg_sleep(1.0 / $rate);
  END LOOP;
END \$\$;
EOF
  echo "demo-cdc: connector $connector captures accounts.public.users into dbserver1.public.users; writing $rate changes a second (log: .cache/demo/cdc-writer.log)"
}

stop() {
  if scripts/postgres.sh status >/dev/null 2>&1; then
    psql_cmd postgres -tAc "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '$app' AND pid <> pg_backend_pid()" >/dev/null
  fi
  echo "demo-cdc: writer stopped"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  *) echo "usage: scripts/demo-cdc.sh start [RATE]|stop" >&2; exit 2 ;;
esac
