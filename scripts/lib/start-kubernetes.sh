# Sourced by scripts/start.sh when STREAMING_KUBERNETES=1: a local Kubernetes API server
# (scripts/kubernetes.sh) with the demo pipelines' generated deploy/ objects (SparkApplication,
# maintenance ScheduledSparkApplication, PrometheusRule), and a config file that points the
# Kubernetes plugin (the Kubernetes tab) and the streaming backend (status) at it: one cluster list.
# Nothing runs the Spark Operator here, so the applications never get pods and their state
# stays what Kubernetes says (no status yet: UNKNOWN).

kubernetes_started=""
kubernetes_config=""

kubernetes_start() {
  scripts/kubernetes.sh status >/dev/null 2>&1 || kubernetes_started=1
  scripts/kubernetes.sh start >/dev/null
  local manifest
  for manifest in examples/pipelines/*/deploy/*.yaml; do
    scripts/kubernetes.sh apply "$manifest"
  done
  kubernetes_config="$(scripts/kubernetes.sh app-config)"
  echo "Kubernetes: API server at $(scripts/kubernetes.sh address) with the demo pipelines' objects (kubeconfig: $(scripts/kubernetes.sh kubeconfig))"
}

kubernetes_stop() {
  [ -n "$kubernetes_started" ] && scripts/kubernetes.sh stop >/dev/null 2>&1
  return 0
}
