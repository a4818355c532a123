#!/usr/bin/env bash
# Seconds from start to exit of scripts/lib/spark-warmup.py (a Spark session with the
# Delta extensions, a Delta write, a merge, a streaming query with a merge per batch, a read
# back), with the class data sharing archive of scripts/spark.sh and without it
# (SPARK_CDS=0), alternating, ROUNDS rounds (default 3). Prints each run, the medians and
# the ratio with / without. Run from the repository root on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
scripts/spark.sh setup
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One run: wall seconds, with millisecond resolution.
run() {
  local start end
  rm -rf "$work/run"
  start="$(date +%s%N)"
  SPARK_CDS="$1" scripts/spark.sh python scripts/lib/spark-warmup.py "$work/run" >"$work/log" 2>&1 ||
    { tail -20 "$work/log" >&2; exit 1; }
  end="$(date +%s%N)"
  awk -v ns="$((end - start))" 'BEGIN {printf "%.1f\n", ns / 1e9}'
}

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

with=() without=()
for ((i = 1; i <= rounds; i++)); do
  # Alternating which goes first, so a machine getting busier favours neither.
  if ((i % 2)); then order="1 0"; else order="0 1"; fi
  for cds in $order; do
    seconds="$(run "$cds")"
    if [ "$cds" = 1 ]; then with+=("$seconds"); else without+=("$seconds"); fi
    echo "round $i, class archive $([ "$cds" = 1 ] && echo on || echo off): $seconds s"
  done
done
m_with="$(printf '%s\n' "${with[@]}" | median)"
m_without="$(printf '%s\n' "${without[@]}" | median)"
echo "median with the class archive: $m_with s; without: $m_without s; ratio with / without: $(awk -v a="$m_with" -v b="$m_without" 'BEGIN {printf "%.2f", a / b}')"
