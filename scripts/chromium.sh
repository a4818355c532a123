#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing
# (idempotent: a second run only checks). Prints the browser's path.
# Usage: scripts/chromium.sh
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM" ]; then
  echo "chromium: installing Debian's chromium package" >&2
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
fi

if ! "$CHROMIUM" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1; then
  echo "chromium: $CHROMIUM does not start" >&2
  exit 1
fi
echo "$CHROMIUM"
