#!/usr/bin/env bash
# A real Kubernetes API server (kube-apiserver + etcd, no nodes, no controllers) on loopback,
# built from their Go modules (scripts/lib/kubernetes/go.mod pins the versions) into
# .tools/kubernetes/. Used by the tests and by `STREAMING_KUBERNETES=1 make start`.
#
# Usage:
#   scripts/kubernetes.sh install      build kube-apiserver and etcd once (start does this too)
#   scripts/kubernetes.sh start        start etcd + kube-apiserver, install the Spark Operator
#                                      CRDs, the prometheus-operator's PrometheusRule CRD and
#                                      scripts/lib/kubernetes/backstage-rbac.yaml (the
#                                      `streaming` namespace, the `backstage` service account and
#                                      its RBAC), print the admin kubeconfig's path; idempotent
#   scripts/kubernetes.sh stop
#   scripts/kubernetes.sh status       exit 0 when /readyz answers ok
#   scripts/kubernetes.sh address      print the API server's URL
#   scripts/kubernetes.sh kubeconfig   print the admin kubeconfig's path
#   scripts/kubernetes.sh app-config   write a Backstage config file for this cluster (a token
#                                      of the `backstage` service account) and print its path
#   scripts/kubernetes.sh apply FILE   server-side apply a YAML file as the admin
#   scripts/kubernetes.sh reset        stop and delete etcd's data, certificates and tokens
#
# Listens on 127.0.0.1:STREAMING_KUBERNETES_PORT (default 6443), etcd on 127.0.0.1:2379/2380
# (STREAMING_ETCD_PORT, peer port +1). Authentication by static tokens, authorization by RBAC.
# Data, certificate, tokens, service-account keys, kubeconfig, pids and logs live in
# .cache/kubernetes/ (logs: etcd.log, kube-apiserver.log).
#
# The Spark Operator's CRDs are applied from STREAMING_SPARK_OPERATOR_CRDS: a folder (every
# *.yaml in it) or one file. Default: the copy the tests use, ../shared/fixtures/spark-operator
# relative to the repository. Point it at the `crds/` folder of the Spark Operator Helm chart
# you run (for example `helm pull spark-operator/spark-operator --untar` then
# spark-operator/crds) so the server validates against the same schema as your clusters.
#
# The PrometheusRule CRD (monitoring.coreos.com/v1) comes from the prometheus-operator's Go
# module at PROMETHEUS_OPERATOR_VERSION (its example/prometheus-operator-crd/ folder), downloaded
# with `go mod download` into the module cache; STREAMING_PROMETHEUS_RULE_CRD points at another
# copy (for example the one of the kube-prometheus-stack chart you run).
#
# Go module downloads come from the Go module proxy; the Go build cache is the home cache
# (go env GOCACHE), so a second build after `rm -rf .tools/kubernetes` takes seconds.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/lib/daemon.sh

KUBERNETES_VERSION="v1.37.2" # must match k8s.io/kubernetes in scripts/lib/kubernetes/go.mod
module="$root/scripts/lib/kubernetes"
bin="$root/.tools/kubernetes/$KUBERNETES_VERSION"
dir="$root/.cache/kubernetes"
port="${STREAMING_KUBERNETES_PORT:-6443}"
etcd_port="${STREAMING_ETCD_PORT:-2379}"
address="https://127.0.0.1:$port"
crds="${STREAMING_SPARK_OPERATOR_CRDS:-$root/../shared/fixtures/spark-operator}"
kubeconfig="$dir/admin.kubeconfig"
PROMETHEUS_OPERATOR_VERSION="v0.88.0"

die() {
  echo "kubernetes: $*" >&2
  exit 1
}

[[ "$port" =~ ^[0-9]+$ ]] || die "STREAMING_KUBERNETES_PORT must be a number: $port"
[[ "$etcd_port" =~ ^[0-9]+$ ]] || die "STREAMING_ETCD_PORT must be a number: $etcd_port"

install() {
  if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/etcd" ]; then return 0; fi
  command -v go >/dev/null || die "Go is not installed (kube-apiserver and etcd build from Go modules)"
  mkdir -p "$bin"
  local started=$SECONDS minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  echo "kubernetes: building kube-apiserver $KUBERNETES_VERSION and etcd (a cold build takes minutes)" >&2
  (
    cd "$module"
    export CGO_ENABLED=0 GOFLAGS=-mod=mod
    local pkg=k8s.io/component-base/version
    go build -trimpath -o "$bin/kube-apiserver.tmp" \
      -ldflags "-s -w -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean" \
      k8s.io/kubernetes/cmd/kube-apiserver
    go build -trimpath -o "$bin/etcd.tmp" -ldflags "-s -w" ./etcd
  ) || die "building kube-apiserver/etcd failed"
  mv "$bin/kube-apiserver.tmp" "$bin/kube-apiserver"
  mv "$bin/etcd.tmp" "$bin/etcd"
  echo "kubernetes: built in $((SECONDS - started)) s into ${bin#"$root"/}" >&2
}

# The pid of $1 (kube-apiserver or etcd) when that process is alive and runs the binary
# of this checkout.
alive() {
  daemon_pid "$dir/$1.pid" "$bin/$1"
}

admin_token() { cut -d, -f1 "$dir/tokens.csv" | head -1; }

answering() {
  [ -f "$dir/tokens.csv" ] && [ "$(curl -s --max-time 2 --cacert "$dir/pki/serving.crt" \
    -H "Authorization: Bearer $(admin_token)" "$address/readyz" 2>/dev/null)" = ok ]
}

# Ready when /readyz answers ok within $1 seconds; not when the process $2 (the API
# server just launched) has gone.
ready() {
  daemon_wait "${1:-0}" "${2:-}" answering
}

# Serving certificate (SAN IP:127.0.0.1, localhost), service-account keys and the tokens
# file, once per .cache/kubernetes/.
credentials() {
  mkdir -p "$dir/pki"
  chmod 700 "$dir" "$dir/pki"
  if [ ! -f "$dir/pki/serving.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -addext "basicConstraints=critical,CA:TRUE" \
      -keyout "$dir/pki/serving.key" -out "$dir/pki/serving.crt" 2>/dev/null || die "openssl could not create the serving certificate"
  fi
  if [ ! -f "$dir/pki/sa.key" ]; then
    openssl genrsa -out "$dir/pki/sa.key" 2048 2>/dev/null || die "openssl could not create the service-account key"
    openssl rsa -in "$dir/pki/sa.key" -pubout -out "$dir/pki/sa.pub" 2>/dev/null
  fi
  if [ ! -f "$dir/tokens.csv" ]; then
    # token,user,uid,"groups": the admin the tests and `make start` use to set things up.
    echo "$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'),streaming-admin,streaming-admin,\"system:masters\"" >"$dir/tokens.csv"
  fi
  chmod 600 "$dir/pki/"*.key "$dir/tokens.csv"
  umask 077
  # JSON is YAML too: kubectl reads it, and tests read it without a YAML parser.
  cat >"$kubeconfig" <<EOF
{
  "apiVersion": "v1",
  "kind": "Config",
  "clusters": [
    { "name": "local", "cluster": { "server": "$address", "certificate-authority": "$dir/pki/serving.crt" } }
  ],
  "users": [{ "name": "streaming-admin", "user": { "token": "$(admin_token)" } }],
  "contexts": [{ "name": "local", "context": { "cluster": "local", "user": "streaming-admin" } }],
  "current-context": "local"
}
EOF
}

# The API path of an object, from its kind, name and namespace.
object_path() {
  local kind="$1" name="$2" namespace="$3" rbac=/apis/rbac.authorization.k8s.io/v1
  case "$kind" in
    Namespace) echo "/api/v1/namespaces/$name" ;;
    ServiceAccount) echo "/api/v1/namespaces/$namespace/serviceaccounts/$name" ;;
    Role) echo "$rbac/namespaces/$namespace/roles/$name" ;;
    RoleBinding) echo "$rbac/namespaces/$namespace/rolebindings/$name" ;;
    ClusterRole) echo "$rbac/clusterroles/$name" ;;
    ClusterRoleBinding) echo "$rbac/clusterrolebindings/$name" ;;
    CustomResourceDefinition) echo "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/$name" ;;
    SparkApplication | ScheduledSparkApplication)
      local plural
      plural="$(echo "$kind" | tr '[:upper:]' '[:lower:]')s"
      echo "/apis/sparkoperator.k8s.io/v1beta2/namespaces/${namespace:-streaming}/$plural/$name"
      ;;
    PrometheusRule) echo "/apis/monitoring.coreos.com/v1/namespaces/${namespace:-streaming}/prometheusrules/$name" ;;
    *) return 1 ;;
  esac
}

# Whether the CRD at API path $1 is Established.
established() {
  curl -s --cacert "$dir/pki/serving.crt" -H "Authorization: Bearer $(admin_token)" "$address$1" |
    tr -d ' \n' | grep -q '"type":"Established","status":"True"'
}

# Server-side apply of every document of a YAML file as the admin (field manager
# `streaming-setup`; the API server takes one document per apply request). Documents are
# block-style YAML with `kind:` and `metadata:` at the top level, as kubectl writes them.
apply_file() {
  local file="$1" parts
  parts="$(mktemp -d)"
  awk -v dir="$parts" 'BEGIN{n=0} /^---/{n++; next} {print > (dir "/" sprintf("%04d", n) ".yaml")}' "$file"
  for doc in "$parts"/*.yaml; do
    grep -qE '^kind:' "$doc" || continue
    local kind name namespace path status
    kind="$(sed -n -E 's/^kind:[[:space:]]*([A-Za-z]+).*/\1/p' "$doc" | head -1)"
    name="$(awk '/^metadata:/{m=1; next} m && /^[^ #]/{m=0} m && /^  name:/{print $2; exit}' "$doc" | tr -d "\"'")"
    namespace="$(awk '/^metadata:/{m=1; next} m && /^[^ #]/{m=0} m && /^  namespace:/{print $2; exit}' "$doc" | tr -d "\"'")"
    path="$(object_path "$kind" "$name" "$namespace")" || { rm -rf "$parts"; die "$file: cannot apply a $kind"; }
    status="$(curl -s -o "$parts/response" -w '%{http_code}' --cacert "$dir/pki/serving.crt" \
      -H "Authorization: Bearer $(admin_token)" -H 'Content-Type: application/apply-patch+yaml' \
      -X PATCH --data-binary "@$doc" "$address$path?fieldManager=streaming-setup&force=true")"
    case "$status" in
      200 | 201) ;;
      *) cat "$parts/response" >&2; rm -rf "$parts"; die "applying $kind $name from $file failed (HTTP $status)" ;;
    esac
    if [ "$kind" = CustomResourceDefinition ]; then
      # Wait until the CRD is Established, so its resources can be used right away.
      daemon_wait 30 "" established "$path" || die "CRD $name did not become Established"
    fi
  done
  rm -rf "$parts"
}

# A config file for the Backstage backend: the cluster in the Kubernetes plugin's
# kubernetes.clusterLocatorMethods, the one list that configures the entity's Kubernetes tab
# and the streaming platform (status, cost, apply; its settings in
# streaming.kubernetes.clusters[]), with a token of the `backstage` service account of
# scripts/lib/kubernetes/backstage-rbac.yaml.
write_app_config() {
  local token config="$dir/app-config.json"
  token="$(curl -sf --cacert "$dir/pki/serving.crt" -H "Authorization: Bearer $(admin_token)" \
    -H 'Content-Type: application/json' -X POST \
    --data '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":604800}}' \
    "$address/api/v1/namespaces/streaming/serviceaccounts/backstage/token" |
    sed -n -E 's/.*"token": *"([^"]+)".*/\1/p')" || die "could not get a token of the backstage service account"
  [ -n "$token" ] || die "could not get a token of the backstage service account"
  local ca
  ca="$(base64 -w0 "$dir/pki/serving.crt")"
  umask 077
  # JSON is YAML too: the backend loads it with --config, tests read it without a YAML parser.
  cat >"$config" <<EOF
{
  "kubernetes": {
    "serviceLocatorMethod": { "type": "multiTenant" },
    "clusterLocatorMethods": [
      {
        "type": "config",
        "clusters": [
          {
            "name": "local",
            "url": "$address",
            "authProvider": "serviceAccount",
            "serviceAccountToken": "$token",
            "caData": "$ca",
            "skipMetricsLookup": true
          }
        ]
      }
    ],
    "customResources": [
      { "group": "sparkoperator.k8s.io", "apiVersion": "v1beta2", "plural": "sparkapplications" },
      { "group": "sparkoperator.k8s.io", "apiVersion": "v1beta2", "plural": "scheduledsparkapplications" },
      { "group": "monitoring.coreos.com", "apiVersion": "v1", "plural": "prometheusrules" }
    ]
  },
  "streaming": {
    "kubernetes": {
      "clusters": [{ "name": "local", "defaultNamespace": "streaming" }]
    }
  }
}
EOF
  echo "$config"
}

# The PrometheusRule CRD file: STREAMING_PROMETHEUS_RULE_CRD, or the prometheus-operator
# module's copy (go mod download, once per module cache).
prometheus_rule_crd() {
  if [ -n "${STREAMING_PROMETHEUS_RULE_CRD:-}" ]; then
    echo "$STREAMING_PROMETHEUS_RULE_CRD"
    return 0
  fi
  command -v go >/dev/null || die "Go is not installed (the PrometheusRule CRD comes from the prometheus-operator module)"
  local module_dir
  module_dir="$(cd "${TMPDIR:-/tmp}" && GO111MODULE=on go mod download -json \
    "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" |
    sed -n -E 's/^[[:space:]]*"Dir": "([^"]+)".*/\1/p')" || true
  local file="$module_dir/example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml"
  [ -n "$module_dir" ] && [ -f "$file" ] ||
    die "could not download the PrometheusRule CRD (prometheus-operator $PROMETHEUS_OPERATOR_VERSION); set STREAMING_PROMETHEUS_RULE_CRD to a copy"
  echo "$file"
}

install_crds() {
  local files=()
  if [ -d "$crds" ]; then
    mapfile -t files < <(find "$crds" -maxdepth 1 -name '*.yaml' | sort)
  elif [ -f "$crds" ]; then
    files=("$crds")
  fi
  [ "${#files[@]}" -gt 0 ] || die "no Spark Operator CRDs at $crds (set STREAMING_SPARK_OPERATOR_CRDS to your chart's crds/ folder)"
  files+=("$(prometheus_rule_crd)")
  for file in "${files[@]}"; do apply_file "$file"; done
  apply_file "$module/backstage-rbac.yaml"
  setup_checksum >"$dir/setup.sha256"
}

# What install_crds applies, as one checksum: the server is brought up to date when it was
# set up from other files (a server started by another checkout or before a change).
setup_checksum() {
  {
    echo "$crds $PROMETHEUS_OPERATOR_VERSION ${STREAMING_PROMETHEUS_RULE_CRD:-}"
    cat "$module/backstage-rbac.yaml"
    find "$crds" -maxdepth 1 -name '*.yaml' -printf '%p %s %T@\n' 2>/dev/null | sort
  } | sha256sum | cut -d' ' -f1
}

start() {
  if alive kube-apiserver >/dev/null && alive etcd >/dev/null && ready 30; then
    [ "$(cat "$dir/setup.sha256" 2>/dev/null)" = "$(setup_checksum)" ] || install_crds
    echo "kubernetes: running at $address; kubeconfig: $kubeconfig" >&2
    echo "$kubeconfig"
    return 0
  fi
  command -v openssl >/dev/null || die "openssl is not installed (it creates the serving certificate)"
  install
  stop >/dev/null 2>&1
  port_taken "$port" && die "port $port is already in use by another process"
  port_taken "$etcd_port" && die "etcd port $etcd_port is already in use by another process"
  credentials
  local started=$SECONDS
  nohup setsid "$bin/etcd" --name streaming --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
    --initial-cluster "streaming=http://127.0.0.1:$((etcd_port + 1))" \
    --unsafe-no-fsync --quota-backend-bytes 1073741824 --log-level warn \
    >>"$dir/etcd.log" 2>&1 </dev/null 9>&- &
  echo $! >"$dir/etcd.pid"
  nohup setsid "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --secure-port "$port" --advertise-address 127.0.0.1 \
    --endpoint-reconciler-type none \
    --tls-cert-file "$dir/pki/serving.crt" --tls-private-key-file "$dir/pki/serving.key" \
    --token-auth-file "$dir/tokens.csv" --authorization-mode RBAC --anonymous-auth=false \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-account-issuer "$address" --api-audiences "$address" \
    --service-cluster-ip-range 10.96.0.0/24 \
    --enable-admission-plugins NamespaceLifecycle,ServiceAccount \
    --profiling=false --v 0 \
    >>"$dir/kube-apiserver.log" 2>&1 </dev/null 9>&- &
  echo $! >"$dir/kube-apiserver.pid"
  if ! ready 90 $!; then
    tail -n 30 "$dir/kube-apiserver.log" >&2
    stop >/dev/null
    die "kube-apiserver did not become ready at $address; logs: ${dir#"$root"/}/"
  fi
  local up=$((SECONDS - started))
  install_crds
  echo "kubernetes: ready at $address (API server up in $up s, CRDs in $((SECONDS - started - up)) s; kubeconfig: $kubeconfig)" >&2
  echo "$kubeconfig"
}

stop_one() {
  local pid
  if pid="$(alive "$1")"; then
    daemon_stop "$pid" "kubernetes: $1"
  fi
  rm -f "$dir/$1.pid"
}

stop() {
  stop_one kube-apiserver
  stop_one etcd
  echo "kubernetes: stopped" >&2
}

cmd="${1:-}"
case "$cmd" in
  install) install ;;
  start)
    # One start at a time (parallel test files may all ask for the server).
    mkdir -p "$dir"
    exec 9>"$dir.lock"
    flock 9
    start
    ;;
  stop) stop ;;
  status) alive kube-apiserver >/dev/null && ready 0 ;;
  app-config)
    ready 0 || die "not running; run scripts/kubernetes.sh start first"
    write_app_config
    ;;
  apply)
    [ -f "${2:-}" ] || die "usage: scripts/kubernetes.sh apply FILE"
    ready 0 || die "not running; run scripts/kubernetes.sh start first"
    apply_file "$2"
    ;;
  address) echo "$address" ;;
  kubeconfig) [ -f "$kubeconfig" ] || die "not started yet"; echo "$kubeconfig" ;;
  reset)
    stop
    rm -rf "$dir"
    echo "kubernetes: data deleted" >&2
    ;;
  *) die "usage: scripts/kubernetes.sh install|start|stop|status|address|kubeconfig|app-config|apply FILE|reset" ;;
esac
