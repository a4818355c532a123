# shellcheck shell=bash
# Process handling shared by the scripts that run a local service in the background
# (scripts/connect.sh, scripts/opensearch.sh, …): which process is ours, waiting for it
# to answer, stopping it. Source it; every function returns a status, none exits.

# daemon_pid PIDFILE MARKER
# Prints the pid written in PIDFILE when that process still runs and its command line
# contains MARKER (a path of this checkout, so a recycled pid or another checkout's
# service is never taken for ours). Fails otherwise.
daemon_pid() {
  local pidfile="$1" marker="$2" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$marker" || return 1
  echo "$pid"
}

# daemon_wait SECONDS LAUNCHER COMMAND...
# Runs COMMAND once a second until it succeeds (0), SECONDS have passed (1), or the
# process LAUNCHER (a pid; empty for none) has exited (1). SECONDS 0 checks once.
daemon_wait() {
  local deadline=$((SECONDS + $1)) launcher="$2"
  shift 2
  while :; do
    "$@" && return 0
    [ "$SECONDS" -lt "$deadline" ] || return 1
    [ -z "$launcher" ] || [ -d "/proc/$launcher" ] || return 1
    sleep 1
  done
}

# daemon_stop PID LABEL
# Sends TERM, waits up to 30 s for the process to exit, then KILLs it (saying so).
daemon_stop() {
  local pid="$1" label="$2"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    [ -d "/proc/$pid" ] || return 0
    sleep 0.1
  done
  echo "$label did not stop within 30 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

# port_taken PORT: succeeds when something listens on 127.0.0.1:PORT.
port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
