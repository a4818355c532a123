#!/usr/bin/env bash
# Local Spark for generated pipelines: PySpark + delta-spark (and pytest + ruff, for the
# generated jobs' Python in make test) in a virtual environment
# (.tools/spark-venv, from PyPI) and the Kafka connector + Delta jars with their
# dependencies (.tools/spark-jars, from Maven Central), passed to Spark explicitly with
# --jars (never spark.jars.packages, which would download at every start).
#
# Usage:
#   scripts/spark.sh setup               install both, once (a second run is a no-op)
#   scripts/spark.sh run JOB.py [ARGS]   spark-submit JOB.py in local mode with the jars and
#                                        the Delta extensions; the environment is passed on,
#                                        so the job's own settings (bootstrap servers, paths,
#                                        progress topic) are overridden by exporting them
#   scripts/spark.sh python SCRIPT.py    the same with the venv's python as the parent
#                                        process (keeps stdin and signals; for tools)
#   scripts/spark.sh check               print what is missing (Java, Python); exit 1 if anything
#   scripts/spark.sh versions            print the versions in use
#
# Environment: SPARK_MASTER (default local[2]), SPARK_DRIVER_MEMORY (default 1g),
# SPARK_DRIVER_JAVA_OPTS (default -XX:TieredStopAtLevel=1: the quick JIT only, which
# halves start-up and first-batch time of short local runs on a busy machine),
# SPARK_LOCAL_DIRS (default .cache/spark/tmp), SPARK_LOCAL_IP (default 127.0.0.1),
# SPARK_CDS (default 1; 0 runs without the class data sharing archive described at
# setup_class_archive).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# Versions that belong together (docs/local-kafka-and-spark.md): Delta 4.0.0 is built on
# Spark 4.0.0, and 4.0.0 is the Spark 4.0 release whose Kafka connector Maven Central
# serves here with all its dependencies.
SPARK_VERSION="4.0.0"
DELTA_VERSION="4.0.0"
SCALA_VERSION="2.13"
PYTEST_VERSION="9.2.0"
RUFF_VERSION="0.17.5"
# The Avro library of jobs that read Confluent-framed Avro with writer schemas from a schema
# registry (streaming_runtime.registry); the generated requirements.txt pins the same.
FASTAVRO_VERSION="1.13.1"
# The Protobuf library of jobs that read Confluent-framed Protobuf (streaming_runtime.protobuf);
# the generated requirements.txt of such a job pins the same.
PROTOBUF_VERSION="6.33.6"
venv="$root/.tools/spark-venv"
jars="$root/.tools/spark-jars"

die() {
  echo "spark: $*" >&2
  exit 1
}

python_for_venv() {
  local py
  for py in python3.12 python3.11 python3.10 python3; do
    if command -v "$py" >/dev/null &&
      "$py" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

setup_venv() {
  local want="pyspark==$SPARK_VERSION delta-spark==$DELTA_VERSION"
  if [ -f "$venv/.installed" ] && [ "$(cat "$venv/.installed")" = "$want" ]; then
    return 0
  fi
  local py
  py="$(python_for_venv)" || die "Python 3.10 or newer with the venv module is needed (Debian: apt-get install python3-venv)"
  echo "spark: installing $want into ${venv#"$root"/}" >&2
  rm -rf "$venv"
  "$py" -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $want || die "pip could not install $want"
  echo "$want" >"$venv/.installed"
}

# The Python libraries a generated job may import besides PySpark and Delta, added to the
# same venv without rebuilding it.
setup_job_libraries() {
  local want="fastavro==$FASTAVRO_VERSION protobuf==$PROTOBUF_VERSION"
  if [ -f "$venv/.installed-job-libraries" ] && [ "$(cat "$venv/.installed-job-libraries")" = "$want" ]; then
    return 0
  fi
  echo "spark: installing $want into ${venv#"$root"/}" >&2
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $want || die "pip could not install $want"
  echo "$want" >"$venv/.installed-job-libraries"
}

# The test tools of the generated jobs' Python (make test: ruff and pytest on the shipped
# streaming_runtime package and the examples' generated tests), added to the same venv
# without rebuilding it.
setup_test_tools() {
  local want="pytest==$PYTEST_VERSION ruff==$RUFF_VERSION"
  if [ -f "$venv/.installed-tools" ] && [ "$(cat "$venv/.installed-tools")" = "$want" ]; then
    return 0
  fi
  echo "spark: installing $want into ${venv#"$root"/}" >&2
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $want || die "pip could not install $want"
  echo "$want" >"$venv/.installed-tools"
}

# The connector and Delta jars, less those PySpark already ships (same artifact, maybe
# another version): two copies of one library on the class path is asking for trouble.
# Spark's Avro reader (the images of Avro pipelines carry it) has a folder of its own, so
# adding it did not fetch the others again.
setup_jars() {
  . "$root/scripts/lib/maven-fetch.sh"
  maven_fetch "$jars/maven" \
    "org.apache.spark:spark-sql-kafka-0-10_$SCALA_VERSION:$SPARK_VERSION" \
    "io.delta:delta-spark_$SCALA_VERSION:$DELTA_VERSION"
  maven_fetch "$jars/avro" "org.apache.spark:spark-avro_$SCALA_VERSION:$SPARK_VERSION"
  local pyspark_jars jar name list=""
  pyspark_jars="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))')"
  for jar in "$jars"/maven/*.jar "$jars"/avro/*.jar; do
    name="$(basename "$jar" | sed -E 's/-[0-9][^-]*(-[A-Za-z0-9.]+)?\.jar$//')"
    if ! compgen -G "$pyspark_jars/$name-[0-9]*.jar" >/dev/null; then
      list+="$jar"$'\n'
    fi
  done
  printf '%s' "$list" >"$jars/jars.txt"
}

# `java -version`, asked once per run of this script (each asking starts a JVM). An
# answer without a version (a JVM that could not start at a busy moment: seen once in a
# test run while other JVMs ran) is asked once more; what it said is kept for the message.
java_version=""
read_java_version() {
  [ -n "$java_version" ] && return 0
  java_version="$(java -version 2>&1)" || true
  if ! grep -q 'version "' <<<"$java_version"; then
    sleep 1
    java_version="$(java -version 2>&1)" || java_version="${java_version:-no java}"
  fi
}

# What is missing to run Spark here, on stdout; exit 1 when something is.
check() {
  local missing=()
  read_java_version
  echo "$java_version" | grep -qE 'version "(1[7-9]|[2-9][0-9])' ||
    missing+=("Java 17 or newer (java -version said: $(head -n 1 <<<"$java_version"))")
  python_for_venv >/dev/null || missing+=("Python 3.10 or newer with venv")
  [ ${#missing[@]} -eq 0 ] && return 0
  (IFS=,; echo "${missing[*]}" | sed 's/,/, /g')
  return 1
}

setup() {
  local missing
  read_java_version
  missing="$(check)" || die "Spark needs $missing"
  mkdir -p "$root/.tools"
  # One setup at a time (tests and the start command may call it together).
  (
    flock 9
    setup_venv
    setup_job_libraries
    setup_test_tools
    setup_jars
    setup_class_archive
  ) 9>"$root/.tools/.spark-setup.lock" || exit 1
}

# Class data sharing (a JDK feature): the classes a Spark job loads as it starts and runs
# its first batches (Spark SQL, Structured Streaming, Delta's commands) are archived once,
# by a short warm-up job (scripts/lib/spark-warmup.py), and every later Spark JVM maps the
# archive instead of loading and verifying those classes again. Measured on 2 cores
# (bench/spark-start.sh): the warm-up job from start to exit 55.0 s -> 44.7 s, the
# medallion end-to-end test 94 s -> 66 s. The archive belongs to one JDK and one class
# path, so its name carries a digest of both; a JVM that cannot use an archive runs
# without it. A warm-up that failed is not tried again at every start (it would cost
# each job its time): delete the .failed file next to the archive's name to retry.
# Sets class_archive_file, once per run of this script.
class_archive_file=""
find_class_archive() {
  [ -z "$class_archive_file" ] || return 0
  read_java_version
  local digest
  digest="$({
    echo "$java_version"
    echo "$SPARK_VERSION $DELTA_VERSION"
    cat "$jars/jars.txt"
  } | sha256sum | cut -c1-16)"
  class_archive_file="$root/.tools/spark-cds/spark-$digest.jsa"
}

setup_class_archive() {
  [ "${SPARK_CDS:-1}" = 1 ] || return 0
  local archive work
  find_class_archive
  archive="$class_archive_file"
  [ -f "$archive" ] || [ -f "$archive.failed" ] && return 0
  echo "spark: archiving the classes of a warm-up job (class data sharing, once)" >&2
  mkdir -p "$(dirname "$archive")" "$root/.cache/spark"
  work="$root/.cache/spark/warmup"
  rm -rf "$work" "$archive.tmp"
  # The JVM writes the archive as it exits, when the warm-up's session has stopped.
  if (
    SPARK_DRIVER_JAVA_OPTS="${SPARK_DRIVER_JAVA_OPTS--XX:TieredStopAtLevel=1} -XX:ArchiveClassesAtExit=$archive.tmp -Xlog:cds=off -Xlog:cds+dynamic=off"
    base_options
    PYSPARK_SUBMIT_ARGS="$(printf '%q ' "${options[@]}")pyspark-shell"
    export PYSPARK_SUBMIT_ARGS
    "$venv/bin/python" "$root/scripts/lib/spark-warmup.py" "$work"
  ) >"$root/.cache/spark/warmup.log" 2>&1 && [ -s "$archive.tmp" ]; then
    mv "$archive.tmp" "$archive"
  else
    # Spark runs without the archive, only slower; the log says why.
    rm -f "$archive.tmp"
    touch "$archive.failed"
    echo "spark: the warm-up job failed, Spark runs without a class archive; log .cache/spark/warmup.log" \
      "(delete ${archive#"$root"/}.failed to try again)" >&2
  fi
  rm -rf "$work"
}

# The spark-submit options every local job gets: master, memory, the jars, Delta, and the
# class archive when there is one. Parallelism is that of local[2]: shuffles, Delta's
# snapshot state and file listings (Delta's VACUUM lists the table's files in a job of
# spark.sql.sources.parallelPartitionDiscovery.parallelism tasks, 10,000 by default: on a
# table of a few files that took 120 s of the maintenance job, 8 s with 2).
spark_options() {
  setup
  local archive
  find_class_archive
  archive="$class_archive_file"
  if [ "${SPARK_CDS:-1}" = 1 ] && [ -f "$archive" ]; then
    SPARK_DRIVER_JAVA_OPTS="${SPARK_DRIVER_JAVA_OPTS--XX:TieredStopAtLevel=1} -XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
  base_options
}

base_options() {
  mkdir -p "$root/.cache/spark"
  local tmp="${SPARK_LOCAL_DIRS:-$root/.cache/spark/tmp}"
  mkdir -p "$tmp"
  export SPARK_LOCAL_DIRS="$tmp"
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  export PYSPARK_PYTHON="$venv/bin/python"
  export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
  options=(
    --master "${SPARK_MASTER:-local[2]}"
    --driver-memory "${SPARK_DRIVER_MEMORY:-1g}"
    --jars "$(paste -sd, "$jars/jars.txt")"
    --driver-java-options "-Dlog4j2.configurationFile=file:$root/scripts/lib/spark-log4j2.properties ${SPARK_DRIVER_JAVA_OPTS--XX:TieredStopAtLevel=1}"
    --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension
    --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog
    --conf spark.log.structuredLogging.enabled=false
    --conf spark.ui.enabled=false
    --conf spark.sql.shuffle.partitions=2
    --conf spark.default.parallelism=2
    --conf spark.databricks.delta.snapshotPartitions=2
    --conf spark.sql.sources.parallelPartitionDiscovery.parallelism=2
    --conf spark.ui.showConsoleProgress=false
  )
}

run() {
  [ $# -ge 1 ] || die "usage: scripts/spark.sh run JOB.py [ARGS]"
  spark_options
  exec "$venv/bin/spark-submit" "${options[@]}" "$@"
}

# The venv's python as the parent process (it starts the JVM itself through
# PYSPARK_SUBMIT_ARGS), so the script keeps this process's standard input and signals.
python_run() {
  [ $# -ge 1 ] || die "usage: scripts/spark.sh python SCRIPT.py [ARGS]"
  spark_options
  PYSPARK_SUBMIT_ARGS="$(printf '%q ' "${options[@]}")pyspark-shell"
  export PYSPARK_SUBMIT_ARGS
  exec "$venv/bin/python" "$@"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) setup ;;
  check) check ;;
  run) run "$@" ;;
  python) python_run "$@" ;;
  versions) echo "spark=$SPARK_VERSION delta=$DELTA_VERSION scala=$SCALA_VERSION connector=spark-sql-kafka-0-10_$SCALA_VERSION:$SPARK_VERSION" ;;
  *) die "usage: scripts/spark.sh setup|check|run JOB.py [ARGS]|python SCRIPT.py [ARGS]|versions" ;;
esac
