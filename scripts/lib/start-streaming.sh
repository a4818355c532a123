#!/usr/bin/env bash
# Source from scripts/start.sh: the live data behind the portal. Starts the local Kafka
# broker, the schema registry with the examples' schemas, demo traffic for the example
# pipelines and the generated jobs of the example pipelines (rendered from
# examples/pipelines/NAME/pipeline.yaml by the code generator) as queries of one Spark
# driver, or says what it skipped and why. Logs go to .cache/demo/.
#
#   streaming_start   start them; appends the pids of background jobs to `pids`
#   streaming_stop    stop the broker when streaming_start started it
#
# Each part is one function (_streaming_kafka, _streaming_traffic, _streaming_jobs), so a
# part the jobs depend on (a CDC connector, a search engine) is one more function called
# before _streaming_jobs.
#
# STREAMING_DEMO_PIPELINES: the example pipelines whose jobs run (default: all five,
# user-events order-stream clickstream cdc-postgres-users log-analytics). Delta tables go
# where streaming.delta.pathMappings of app-config maps the spec's path (.cache/demo/delta),
# where the backend reads them. STREAMING_DEMO_DRIVER_MEMORY: the driver's heap (1536m).
# STREAMING_DEMO=0 turns all of it off.

_streaming_started_kafka=""
_streaming_started_connect=""
_streaming_started_postgres=""
_streaming_started_search=""
_streaming_started_registry=""
_streaming_traffic_args=()

_streaming_kafka() {
  if scripts/kafka.sh status >/dev/null 2>&1; then
    echo "start: Kafka is already running at $(scripts/kafka.sh address)"
    return 0
  fi
  if ! scripts/kafka.sh start; then
    echo "start: skipped demo traffic and pipeline jobs: the Kafka broker did not start (see .cache/kafka/default/kafka.log)"
    return 1
  fi
  _streaming_started_kafka=1
}

_streaming_traffic() {
  local work="$1"
  set -m
  node scripts/demo-traffic/main.mts --brokers "$(scripts/kafka.sh address)" --progress 30 "${_streaming_traffic_args[@]}" >"$work/traffic.log" 2>&1 &
  pids+=($!)
  set +m
  echo "start: demo traffic to the example topics (log: .cache/demo/traffic.log)"
}

# The host process: one Spark driver running every job (scripts/lib/pipeline-host.py). It
# runs in a process group of its own, so stopping this wrapper's group does not reach the
# Spark JVM directly: the SIGTERM is handed to the host's Python process alone, which lets
# every query finish its running micro-batch and stops Spark (the jobs' graceful stop).
_streaming_host() {
  local work="$1"
  shift
  node -r sucrase/register/ts scripts/lib/renderDemoPipelines.ts "$work" "$@" || return 1
  set -m
  KAFKA_BOOTSTRAP_SERVERS="$(scripts/kafka.sh address)" \
    SPARK_DRIVER_MEMORY="${STREAMING_DEMO_DRIVER_MEMORY:-1536m}" \
    scripts/spark.sh python scripts/lib/pipeline-host.py "$work/pipelines.json" &
  local host=$!
  trap 'kill -TERM "$host" 2>/dev/null' TERM INT
  while kill -0 "$host" 2>/dev/null; do wait "$host" || true; done
}

_streaming_jobs() {
  local work="$1" missing name names=()
  if ! missing="$(scripts/spark.sh check)"; then
    echo "start: skipped the pipeline jobs: Spark needs $missing"
    return 0
  fi
  for name in ${STREAMING_DEMO_PIPELINES:-user-events order-stream clickstream cdc-postgres-users log-analytics}; do
    if [ -f "examples/pipelines/$name/pipeline.yaml" ]; then
      names+=("$name")
    else
      echo "start: no example pipeline named $name; skipped"
    fi
  done
  [ ${#names[@]} -gt 0 ] || return 0
  set -m
  (scripts/spark.sh setup && _streaming_host "$work" "${names[@]}") >"$work/jobs.log" 2>&1 &
  pids+=($!)
  set +m
  echo "start: the ${names[*]} jobs in one local Spark driver (first start installs PySpark; log: .cache/demo/jobs.log, tables: .cache/demo/delta; a search engine sink's job starts once the engine answers)"
}

# The real parts behind two examples: Debezium on PostgreSQL for CDC Postgres
# (scripts/demo-cdc.sh; the synthetic change events are then turned off) and OpenSearch
# for Log Analytics (started in the background: its job waits until it answers).
_streaming_cdc_and_search() {
  local work="$1" pipelines="${STREAMING_DEMO_PIPELINES:-cdc-postgres-users log-analytics}"
  if [[ " $pipelines " == *" cdc-postgres-users "* ]]; then
    scripts/connect.sh status >/dev/null 2>&1 || _streaming_started_connect=1
    scripts/postgres.sh status >/dev/null 2>&1 || _streaming_started_postgres=1
    if scripts/demo-cdc.sh start >"$work/cdc.log" 2>&1; then
      _streaming_traffic_args+=(--rate dbserver1.public.users=0)
      echo "start: CDC Postgres reads Debezium's changes of accounts.public.users in PostgreSQL (log: .cache/demo/cdc.log)"
    else
      echo "start: CDC Postgres reads synthetic change events: Kafka Connect with Debezium did not start (see .cache/demo/cdc.log)"
    fi
  fi
  if [[ " $pipelines " == *" log-analytics "* ]] && ! scripts/opensearch.sh status >/dev/null 2>&1; then
    _streaming_started_search=1
    scripts/opensearch.sh start >"$work/opensearch.log" 2>&1 &
    echo "start: OpenSearch for Log Analytics on http://127.0.0.1:9200 (log: .cache/demo/opensearch.log)"
  fi
}

# The schema registry (scripts/registry.sh), in the background: its subjects become API
# entities once it answers. The example pipelines' schema files are registered under their
# topics' subjects (TopicNameStrategy: <topic>-value).
_streaming_registry() {
  local work="$1"
  scripts/registry.sh status >/dev/null 2>&1 || _streaming_started_registry=1
  (scripts/registry.sh start &&
    scripts/registry.sh register events-value examples/pipelines/user-events/schemas/user_event.avsc &&
    scripts/registry.sh register orders-value examples/pipelines/order-stream/schemas/order.schema.json) >"$work/registry.log" 2>&1 &
  echo "start: schema registry on $(scripts/registry.sh address) with the examples' schemas (log: .cache/demo/registry.log)"
}

streaming_start() {
  local work
  work="$(pwd)/.cache/demo"
  if [ "${STREAMING_DEMO:-1}" = 0 ]; then
    echo "start: STREAMING_DEMO=0: no Kafka, demo traffic or pipeline jobs"
    return 0
  fi
  if ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
    echo "start: skipped Kafka, demo traffic and pipeline jobs: Java 17 or newer is not installed (Debian: apt-get install openjdk-17-jre-headless)"
    return 0
  fi
  mkdir -p "$work"
  _streaming_kafka || return 0
  _streaming_registry "$work"
  _streaming_cdc_and_search "$work"
  _streaming_traffic "$work"
  _streaming_jobs "$work"
}

streaming_stop() {
  scripts/demo-cdc.sh stop >/dev/null 2>&1 || true
  if [ -n "$_streaming_started_connect" ]; then scripts/connect.sh stop; fi
  if [ -n "$_streaming_started_postgres" ]; then scripts/postgres.sh stop; fi
  if [ -n "$_streaming_started_search" ]; then scripts/opensearch.sh stop; fi
  if [ -n "$_streaming_started_registry" ]; then scripts/registry.sh stop; fi
  if [ -n "$_streaming_started_kafka" ]; then
    scripts/kafka.sh stop
  fi
}
