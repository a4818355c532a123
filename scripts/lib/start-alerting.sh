# Sourced by scripts/start.sh when STREAMING_ALERTING=1: the local Prometheus and
# Alertmanager of scripts/prometheus.sh (Prometheus scrapes the backend's metrics with the
# examples' rules; Alertmanager reads the routing the backend writes from the catalog). The
# backend is pointed at that routing file and Alertmanager's reload URL through APP_CONFIG_
# variables; receivers (Slack, Teams, ...) come from streaming.alerting in app-config.

alerting_started=""

alerting_start() {
  scripts/prometheus.sh status >/dev/null 2>&1 || alerting_started=1
  scripts/prometheus.sh start
  export APP_CONFIG_streaming_alerting_alertmanager_configFile="$PWD/.cache/prometheus/alertmanager.yml"
  export APP_CONFIG_streaming_alerting_alertmanager_reloadUrl="http://127.0.0.1:${STREAMING_ALERTMANAGER_PORT:-19093}/-/reload"
}

alerting_stop() {
  [ -n "$alerting_started" ] && scripts/prometheus.sh stop >/dev/null 2>&1
  return 0
}
