#!/usr/bin/env bash
# Prometheus and Alertmanager from Debian's packages (prometheus, prometheus-alertmanager),
# for the alert tests and the local stack.
#
# Usage:
#   scripts/prometheus.sh install             install the packages when missing (apt-get update first)
#   scripts/prometheus.sh check-rules FILE..  promtool check rules on the groups of generated
#                                             PrometheusRule manifests (deploy/prometheus-rule.yaml)
#   scripts/prometheus.sh start               Prometheus on 127.0.0.1:9090 scraping the backend's
#                                             metrics (127.0.0.1:9464) with the examples' rules,
#                                             Alertmanager on 127.0.0.1:19093; idempotent
#   scripts/prometheus.sh stop                stop both
#   scripts/prometheus.sh status              exit 0 when both answer
#
# Ports: STREAMING_PROMETHEUS_PORT (9090), STREAMING_ALERTMANAGER_PORT (19093, as the local
# Kafka's controller listens on Alertmanager's usual 9093); the backend's
# exporter: STREAMING_METRICS_TARGET (127.0.0.1:9464). Alertmanager reads the routing the
# backend generates (streaming.alerting.alertmanager.configFile, default
# .cache/prometheus/alertmanager.yml) when it exists. Config, data and logs in .cache/prometheus/.
# The tests start their own instances with their own configs (src/__testUtils__ of the
# streaming backend); this script installs the binaries for them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/lib/daemon.sh"
base="$root/.cache/prometheus"
prom_port="${STREAMING_PROMETHEUS_PORT:-9090}"
am_port="${STREAMING_ALERTMANAGER_PORT:-19093}"
target="${STREAMING_METRICS_TARGET:-127.0.0.1:9464}"

die() {
  echo "prometheus: $*" >&2
  exit 1
}

installed() { command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v prometheus-alertmanager >/dev/null; }

install() {
  installed && return 0
  echo "prometheus: installing Debian's prometheus and prometheus-alertmanager packages" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # The packages' init scripts would start system-wide daemons; policy-rc.d keeps them off.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    prometheus prometheus-alertmanager >/dev/null
  installed || die "the packages did not provide prometheus, promtool and prometheus-alertmanager"
}

node_cmd() {
  if ! command -v node >/dev/null || [ "$(node --version | sed -E 's/^v([0-9]+).*/\1/')" -lt 22 ]; then
    . "$root/scripts/toolchain.sh" >&2
  fi
  node "$@"
}

# Writes the rule groups (spec.groups) of PrometheusRule manifests as one Prometheus rules file.
rule_groups() {
  local out="$1"
  shift
  node_cmd -e '
    const fs = require("fs");
    const { parse, stringify } = require(require.resolve("yaml", { paths: [process.argv[1]] }));
    const [, , out, ...files] = process.argv;
    const groups = files.flatMap(f => {
      const rule = parse(fs.readFileSync(f, "utf8"));
      if (rule?.kind !== "PrometheusRule") throw new Error(`${f}: not a PrometheusRule`);
      return rule.spec.groups;
    });
    fs.writeFileSync(out, stringify({ groups }));
  ' "$root/plugins/streaming-backend" "$out" "$@"
}

check_rules() {
  [ $# -gt 0 ] || die "check-rules needs PrometheusRule files"
  install
  mkdir -p "$base"
  local status=0 file tmp
  for file in "$@"; do
    tmp="$(mktemp "$base/check.XXXXXX.yml")"
    rule_groups "$tmp" "$file"
    echo "$file:"
    promtool check rules "$tmp" || status=1
    rm -f "$tmp"
  done
  return "$status"
}

ready() { curl -fsS -o /dev/null "http://127.0.0.1:$1/-/ready"; }

pid_of() {
  daemon_pid "$base/$1.pid" "$base"
}

wait_ready() {
  daemon_wait 30 "" ready "$2" && return 0
  tail -n 20 "$base/$1.log" >&2
  die "$1 did not become ready on port $2; log: ${base#"$root"/}/$1.log"
}

start() {
  install
  mkdir -p "$base/prometheus-data" "$base/alertmanager-data"
  rule_groups "$base/rules.yml" "$root"/examples/pipelines/*/deploy/prometheus-rule.yaml
  local am_config="$base/alertmanager.yml"
  if [ ! -f "$am_config" ]; then
    # Until the backend writes the generated routing: a receiver that sends nothing.
    printf 'route:\n  receiver: none\nreceivers:\n  - name: none\n' >"$am_config"
  fi
  cat >"$base/prometheus.yml" <<EOF
global:
  scrape_interval: 15s
  evaluation_interval: 15s
rule_files:
  - $base/rules.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:$am_port']
scrape_configs:
  - job_name: backstage
    static_configs:
      - targets: ['$target']
EOF
  promtool check config "$base/prometheus.yml" >/dev/null
  if ! pid_of alertmanager >/dev/null; then
    nohup setsid prometheus-alertmanager --config.file="$am_config" --storage.path="$base/alertmanager-data" \
      --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= \
      >>"$base/alertmanager.log" 2>&1 </dev/null &
    echo $! >"$base/alertmanager.pid"
  fi
  if ! pid_of prometheus >/dev/null; then
    nohup setsid prometheus --config.file="$base/prometheus.yml" --storage.tsdb.path="$base/prometheus-data" \
      --web.listen-address="127.0.0.1:$prom_port" --web.enable-lifecycle \
      >>"$base/prometheus.log" 2>&1 </dev/null &
    echo $! >"$base/prometheus.pid"
  else
    curl -fsS -X POST "http://127.0.0.1:$prom_port/-/reload" >/dev/null
  fi
  wait_ready alertmanager "$am_port"
  wait_ready prometheus "$prom_port"
  echo "Prometheus: http://127.0.0.1:$prom_port (scraping $target); Alertmanager: http://127.0.0.1:$am_port"
}

stop() {
  local name pid
  for name in prometheus alertmanager; do
    if pid="$(pid_of "$name")"; then
      daemon_stop "$pid" "prometheus: $name"
    fi
    rm -f "$base/$name.pid"
  done
  echo "Prometheus and Alertmanager stopped"
}

cmd="${1:-}"
[ -n "$cmd" ] && shift
case "$cmd" in
  install) install ;;
  check-rules) check_rules "$@" ;;
  start) start ;;
  stop) stop ;;
  status) pid_of prometheus >/dev/null && pid_of alertmanager >/dev/null && ready "$prom_port" && ready "$am_port" ;;
  *) die "usage: $0 install|check-rules FILE..|start|stop|status" ;;
esac
