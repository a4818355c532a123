#!/usr/bin/env bash
# Source from scripts/start.sh: the live data behind the portal. Starts the local Kafka
# broker, demo traffic for the example pipelines and the generated jobs of the demo
# pipelines (rendered from examples/pipelines/NAME/pipeline.yaml by the code generator),
# or says what it skipped and why. Logs go to .cache/demo/.
#
#   streaming_start   start them; appends the pids of background jobs to `pids`
#   streaming_stop    stop the broker when streaming_start started it
#
# STREAMING_DEMO_PIPELINES: the example pipelines whose jobs run (default user-events;
# the Delta ones: user-events order-stream clickstream cdc-postgres-users).
# STREAMING_DEMO=0 turns all of it off.

_streaming_started_kafka=""

_streaming_job() {
  local name="$1" work="$2" root="$3"
  local spec="$root/examples/pipelines/$name/pipeline.yaml"
  rm -rf "$work/$name/repo"
  yarn streaming-pipeline render "$spec" --out "$work/$name/repo" || return 1
  # The job runs in a process group of its own, so stopping this wrapper's group does not
  # reach the Spark JVM directly: the SIGTERM is handed to the job's Python process alone,
  # which finishes the running micro-batch and stops Spark (the job's graceful stop).
  set -m
  KAFKA_BOOTSTRAP_SERVERS="$(scripts/kafka.sh address)" \
    PIPELINE_CHECKPOINT="$work/$name/checkpoint" \
    PIPELINE_SINK_PATH="$work/delta/$name" \
    scripts/spark.sh python "$work/$name/repo/job/main.py" &
  local job=$!
  trap 'kill -TERM "$job" 2>/dev/null' TERM INT
  while kill -0 "$job" 2>/dev/null; do wait "$job" || true; done
}

streaming_start() {
  local root work missing name
  root="$(pwd)"
  work="$root/.cache/demo"
  if [ "${STREAMING_DEMO:-1}" = 0 ]; then
    echo "start: STREAMING_DEMO=0: no Kafka, demo traffic or pipeline jobs"
    return 0
  fi
  if ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
    echo "start: skipped Kafka, demo traffic and pipeline jobs: Java 17 or newer is not installed (Debian: apt-get install openjdk-17-jre-headless)"
    return 0
  fi
  mkdir -p "$work"
  if ! scripts/kafka.sh status >/dev/null 2>&1; then
    if ! scripts/kafka.sh start; then
      echo "start: skipped demo traffic and pipeline jobs: the Kafka broker did not start (see .cache/kafka/default/kafka.log)"
      return 0
    fi
    _streaming_started_kafka=1
  else
    echo "start: Kafka is already running at $(scripts/kafka.sh address)"
  fi

  set -m
  node scripts/demo-traffic/main.mts --brokers "$(scripts/kafka.sh address)" --progress 30 >"$work/traffic.log" 2>&1 &
  pids+=($!)
  set +m
  echo "start: demo traffic to the example topics (log: .cache/demo/traffic.log)"

  if ! missing="$(scripts/spark.sh check)"; then
    echo "start: skipped the pipeline jobs: Spark needs $missing"
    return 0
  fi
  for name in ${STREAMING_DEMO_PIPELINES:-user-events}; do
    if [ ! -f "examples/pipelines/$name/pipeline.yaml" ]; then
      echo "start: no example pipeline named $name; skipped"
      continue
    fi
    mkdir -p "$work/$name"
    set -m
    (scripts/spark.sh setup && _streaming_job "$name" "$work" "$root") >"$work/$name/job.log" 2>&1 &
    pids+=($!)
    set +m
    echo "start: the $name job (local Spark; first start installs PySpark; log: .cache/demo/$name/job.log, table: .cache/demo/delta/$name)"
  done
}

streaming_stop() {
  if [ -n "$_streaming_started_kafka" ]; then
    scripts/kafka.sh stop
  fi
}
