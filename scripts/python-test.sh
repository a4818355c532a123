#!/usr/bin/env bash
# The Python of the generated jobs (make test runs this): ruff, then pytest on local Spark,
# for the streaming_runtime package every pipeline repository ships (with its own tests)
# and for each example pipeline's generated tests (one pytest session per example: each
# imports its own job/main.py as `main`). Sessions run PYTEST_SESSIONS at a time (default 2:
# one Spark session leaves part of the machine idle); each one's output is printed when it
# ends, and its JUnit report goes to .cache/pytest/ for the run's summary. Uses the Spark
# venv (scripts/spark.sh setup installs PySpark, delta-spark, pytest and ruff). Exit 1 when
# anything fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/.tools/spark-venv"
reports="$root/.cache/pytest"
rm -rf "$reports" # a skipped run leaves no report of an earlier one behind
if ! scripts/spark.sh setup; then
  # With CI=true a missing part fails the run; elsewhere it is said and skipped.
  [ "${CI:-}" = true ] && exit 1
  echo "python tests: skipped, Spark's venv could not be set up (scripts/spark.sh check)" >&2
  exit 0
fi
export PYTHONDONTWRITEBYTECODE=1
sessions="${PYTEST_SESSIONS:-2}"
[[ "$sessions" =~ ^[1-9][0-9]*$ ]] || { echo "PYTEST_SESSIONS must be a positive whole number, not '$sessions'" >&2; exit 2; }
mkdir -p "$reports"

status=0
started=$SECONDS
"$venv/bin/ruff" check --no-cache plugins/streaming-codegen/python examples/pipelines/*/job examples/pipelines/*/tests || status=1
# The Python benchmarks, by the runtime's rules.
"$venv/bin/ruff" check --no-cache --config plugins/streaming-codegen/python/pyproject.toml bench || status=1

# One pytest session; its output is printed in one piece when it ends, and its exit code
# left in <name>.rc.
session() {
  local dir="${1%/}" name session_started=$SECONDS rc=0
  name="$(basename "$dir")"
  # spark.sh python passes the connector and Delta jars (PYSPARK_SUBMIT_ARGS) to the tests' session.
  (cd "$dir" && "$root/scripts/spark.sh" python -m pytest -q --junitxml="$reports/$name.xml") >"$reports/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$reports/$name.rc"
  { printf 'pytest: %s (%ds, exit %d)\n' "$dir" $((SECONDS - session_started)) "$rc"; cat "$reports/$name.log"; } >&2
}

# The runtime's session first: it is the longest, and the examples' share the other slot.
for dir in plugins/streaming-codegen/python examples/pipelines/*/; do
  [ -f "$dir/pyproject.toml" ] || continue
  while (($(jobs -rp | wc -l) >= sessions)); do wait -n || true; done
  session "$dir" &
done
wait
for rc in "$reports"/*.rc; do
  [ "$(cat "$rc")" = 0 ] || status=1
done
echo "python tests took $((SECONDS - started))s" >&2
exit "$status"
