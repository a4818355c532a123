#!/usr/bin/env bash
# The Python of the generated jobs (make test runs this): ruff, then pytest on local Spark,
# for the streaming_runtime package every pipeline repository ships (with its own tests)
# and for each example pipeline's generated tests (one pytest session per example: each
# imports its own job/main.py as `main`). Uses the Spark venv (scripts/spark.sh setup
# installs PySpark, delta-spark, pytest and ruff). Ends with "N passed, N failed" counts
# from pytest; exit 1 when anything fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/.tools/spark-venv"
if ! scripts/spark.sh setup; then
  # With CI=true a missing part fails the run; elsewhere it is said and skipped.
  [ "${CI:-}" = true ] && exit 1
  echo "python tests: skipped, Spark's venv could not be set up (scripts/spark.sh check)" >&2
  exit 0
fi
export PYTHONDONTWRITEBYTECODE=1

status=0
started=$SECONDS
"$venv/bin/ruff" check --no-cache plugins/streaming-codegen/python examples/pipelines/*/job examples/pipelines/*/tests || status=1
for dir in plugins/streaming-codegen/python examples/pipelines/*/; do
  [ -f "$dir/pyproject.toml" ] || continue
  echo "pytest: ${dir%/}" >&2
  # spark.sh python passes the connector and Delta jars (PYSPARK_SUBMIT_ARGS) to the tests' session.
  (cd "$dir" && "$root/scripts/spark.sh" python -m pytest -q) || status=1
done
echo "python tests took $((SECONDS - started))s" >&2
exit "$status"
