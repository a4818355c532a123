#!/usr/bin/env bash
# actionlint, the GitHub Actions workflow checker, built from its Go module
# (github.com/rhysd/actionlint, version pinned below) into .tools/actionlint/.
# The generated pipeline repositories' CI workflows are checked with it in the
# streaming-codegen tests. actionlint checks the workflows' `run:` scripts with
# shellcheck when it is on PATH: Debian's shellcheck is installed too.
# Idempotent: a second run only prints the path.
#
# Usage: scripts/actionlint.sh      build once, print the binary's path
#
# Go module downloads come from the Go module proxy; the Go build cache is the
# home cache (go env GOCACHE).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ACTIONLINT_VERSION="v1.7.12"
bin="$root/.tools/actionlint/$ACTIONLINT_VERSION"

if [ ! -x "$bin/actionlint" ]; then
  command -v go >/dev/null || {
    echo "actionlint: Go is not installed (actionlint builds from its Go module)" >&2
    exit 1
  }
  mkdir -p "$bin"
  echo "actionlint: building github.com/rhysd/actionlint $ACTIONLINT_VERSION" >&2
  GOBIN="$bin.tmp" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
    "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2 || {
    echo "actionlint: building failed" >&2
    exit 1
  }
  mv "$bin.tmp/actionlint" "$bin/actionlint"
  rmdir "$bin.tmp"
fi
if ! command -v shellcheck >/dev/null; then
  echo "actionlint: installing Debian's shellcheck" >&2
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq shellcheck >&2 || {
    echo "actionlint: installing shellcheck failed" >&2
    exit 1
  }
fi
echo "$bin/actionlint"
