#!/usr/bin/env bash
# The project's start command (README: `make start`): installs what is missing,
# then serves the frontend on :3000 and the backend on :7007 (SQLite, guest
# sign-in). Prints the URL when both answer. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
. scripts/techdocs.sh # mkdocs on PATH for the local TechDocs generator
. scripts/lib/start-streaming.sh # Kafka, demo traffic and the demo pipelines' Spark jobs
. scripts/lib/start-alerting.sh # with STREAMING_ALERTING=1: local Prometheus and Alertmanager
. scripts/lib/start-kubernetes.sh # with STREAMING_KUBERNETES=1: a local Kubernetes API server

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  streaming_stop
  alerting_stop
  kubernetes_stop
}
trap cleanup INT TERM EXIT

config=()
if [ "${STREAMING_KUBERNETES:-}" = 1 ]; then
  kubernetes_start
  config=(--config "$PWD/app-config.yaml" --config "$kubernetes_config")
fi

if [ "${STREAMING_ALERTING:-}" = 1 ]; then
  alerting_start
fi

set -m
yarn start "${config[@]}" &
pids+=($!)
set +m
streaming_start

node scripts/lib/wait-for-http.js http://localhost:7007/api/streaming/health http://localhost:3000 --timeout 600
echo
echo "Backstage is ready: http://localhost:3000  (backend http://localhost:7007; Ctrl-C stops it)"
wait "${pids[0]}"
