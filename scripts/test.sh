#!/usr/bin/env bash
# The project's test command (README: `make test`): type check, lint, prettier,
# then every package's tests. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

# Each step says when it began (minutes:seconds into the run), so a slow step shows in the log.
step() { printf '\n== %s (at %d:%02d)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)) >&2; }

step "real parts"
# Each real part the tests use is installed and started by its own script here.
# With CI=true a part that cannot start fails the run.
. scripts/techdocs.sh # mkdocs + techdocs-core for the TechDocs tests
# The servers this run starts are stopped when it ends; ones already running are left running.
started=()
stop_started() {
  # In reverse order: Kafka Connect before the broker it writes to.
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do scripts/"${started[i]}".sh stop >/dev/null 2>&1 || true; done
}
trap stop_started EXIT
scripts/kafka.sh status >/dev/null 2>&1 || started+=(kafka)
scripts/postgres.sh status >/dev/null 2>&1 || started+=(postgres)
scripts/kubernetes.sh status >/dev/null 2>&1 || started+=(kubernetes)
scripts/connect.sh status >/dev/null 2>&1 || started+=(connect)
scripts/opensearch.sh status >/dev/null 2>&1 || started+=(opensearch)
scripts/registry.sh status >/dev/null 2>&1 || started+=(registry)
scripts/kafka.sh start || [ "${CI:-}" != true ] # Kafka broker on 127.0.0.1:9092 for the streaming tests
scripts/postgres.sh start || [ "${CI:-}" != true ] # PostgreSQL on 127.0.0.1:55432 for the streaming-backend database tests
# kube-apiserver + etcd on 127.0.0.1:6443 for the Kubernetes tests; a cold build takes minutes (then cached in .tools/)
scripts/kubernetes.sh start >/dev/null || [ "${CI:-}" != true ]
scripts/connect.sh start || [ "${CI:-}" != true ] # Kafka Connect with Debezium's PostgreSQL connector on 127.0.0.1:8083 for the CDC end-to-end test
scripts/opensearch.sh start || [ "${CI:-}" != true ] # OpenSearch on 127.0.0.1:9200, the search sink of the Log Analytics end-to-end test
# Apicurio Registry (Confluent Schema Registry API) on 127.0.0.1:8081 for the registry client, the catalog's
# registry entity provider and the validate action's compatibility check; a cold install fetches about 160 MB
scripts/registry.sh start || [ "${CI:-}" != true ]
scripts/spark.sh setup || [ "${CI:-}" != true ] # PySpark, delta-spark and connector jars for the pipeline end-to-end tests
scripts/chromium.sh >/dev/null || [ "${CI:-}" != true ] # Debian's Chromium for the browser tests (node e2e/run.mts)
scripts/prometheus.sh install || [ "${CI:-}" != true ] # Debian's Prometheus, promtool and Alertmanager for the alert tests (each test starts its own)
scripts/protoc.sh install || [ "${CI:-}" != true ] # Debian's protoc for the descriptor sets of the Protobuf runtime tests

step "type check"
yarn tsc
step "lint"
yarn backstage-cli repo lint
step "prettier"
yarn prettier --check . >/dev/null || { yarn prettier --check . ; exit 1; }
step "OpenAPI"
# The backend's router and the common client are generated from openapi.yaml; stale files fail here.
scripts/openapi.sh check

step "tests"
mkdir -p .cache
results=.cache/jest-results.json
rm -f "$results"
status=0
# Backend code loads ESM-only packages (@kubernetes/client-node) with import(); Jest needs this flag for that.
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules"
# --watchAll=false: outside CI the Backstage CLI would otherwise start Jest in watch mode.
yarn backstage-cli repo test --ci --watchAll=false --json --outputFile="$results" "$@" || status=$?

step "python (generated jobs)"
# ruff and pytest on local Spark: the shipped streaming_runtime package and the five examples' generated tests.
python_started=$SECONDS
scripts/python-test.sh || status=$?
echo "python (generated jobs) took $((SECONDS - python_started))s" >&2

step "browser tests"
# The app on :3000/:7007 with local Kafka and the User Events job, driven in Chromium.
rm -f .cache/e2e/results.tap
node e2e/run.mts || status=$?

echo "test run took $((SECONDS / 60))m $((SECONDS % 60))s"
# The Python tests' reports are there unless their step was skipped (outside CI, without Spark).
python_reports=()
[ -d .cache/pytest ] && python_reports=(.cache/pytest)
node scripts/lib/print-test-summary.js "$results" .cache/e2e/results.tap "${python_reports[@]}" || status=1
exit "$status"
