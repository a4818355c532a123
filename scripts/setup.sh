#!/usr/bin/env bash
# Source this file: toolchain on PATH, then `yarn install --immutable` when the
# lockfile or any package.json changed since the last successful install.
# Usage: . scripts/setup.sh
_setup_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$_setup_root/scripts/toolchain.sh" || return 1 2>/dev/null || exit 1

_setup_stamp="$_setup_root/node_modules/.streaming-install-stamp"
_setup_hash="$(cd "$_setup_root" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json .yarnrc.yml | sha256sum | cut -c1-64)"
if [ ! -f "$_setup_stamp" ] || [ "$(cat "$_setup_stamp")" != "$_setup_hash" ]; then
  echo "setup: installing dependencies (yarn install --immutable)" >&2
  (cd "$_setup_root" && yarn install --immutable) || { echo "setup: yarn install failed" >&2; return 1 2>/dev/null || exit 1; }
  echo "$_setup_hash" > "$_setup_stamp"
else
  echo "setup: dependencies are up to date" >&2
fi
unset _setup_root _setup_stamp _setup_hash
