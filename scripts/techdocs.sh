#!/usr/bin/env bash
# TechDocs toolchain: mkdocs and mkdocs-techdocs-core (pinned in
# scripts/techdocs-requirements.txt) in a git-ignored virtualenv,
# .tools/techdocs-venv. Idempotent: a second run only checks.
#
# Source it to also put the venv's bin first on PATH, which is where
# Backstage's local TechDocs generator (techdocs.generator.runIn: local)
# looks for `mkdocs`:
#   . scripts/techdocs.sh
# or run it to install only: scripts/techdocs.sh
#
# When the install fails, it fails (exit 1) with CI=true and warns otherwise.

_techdocs_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_techdocs_venv="$_techdocs_root/.tools/techdocs-venv"
_techdocs_req="$_techdocs_root/scripts/techdocs-requirements.txt"
_techdocs_stamp="$_techdocs_venv/.requirements-sha256"

_techdocs_hash() { sha256sum "$_techdocs_req" | cut -c1-64; }

# Installed, and from the current requirements.
_techdocs_ready() {
  [ -x "$_techdocs_venv/bin/mkdocs" ] &&
    [ "$(cat "$_techdocs_stamp" 2>/dev/null)" = "$(_techdocs_hash)" ]
}

_techdocs_install() {
  local python
  python="$(command -v python3 || true)"
  if [ -z "$python" ]; then
    echo "techdocs: python3 is missing" >&2
    return 1
  fi
  if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "techdocs: installing Debian's python3-venv" >&2
    local sudo_cmd=()
    if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq python3-venv >/dev/null ||
      return 1
  fi
  echo "techdocs: installing mkdocs-techdocs-core into $_techdocs_venv" >&2
  rm -rf "$_techdocs_venv"
  "$python" -m venv "$_techdocs_venv" &&
    "$_techdocs_venv/bin/pip" install --quiet --disable-pip-version-check -r "$_techdocs_req" &&
    "$_techdocs_venv/bin/mkdocs" --version >/dev/null &&
    _techdocs_hash >"$_techdocs_stamp"
}

_techdocs_main() {
  if _techdocs_ready; then
    echo "techdocs: mkdocs is installed ($_techdocs_venv)" >&2
  else
    # One installer at a time (test workers may start together on a fresh machine).
    local lock_fd status=0
    mkdir -p "$_techdocs_root/.tools"
    exec {lock_fd}>"$_techdocs_root/.tools/techdocs-venv.lock"
    flock "$lock_fd"
    _techdocs_ready || _techdocs_install || status=$?
    flock -u "$lock_fd"
    exec {lock_fd}>&-
    [ "$status" = 0 ] || return 1
  fi
  export PATH="$_techdocs_venv/bin:$PATH"
  # Material for MkDocs prints a multi-line banner on every build otherwise.
  export NO_MKDOCS_2_WARNING=1
}

if _techdocs_main; then
  _techdocs_status=0
else
  echo "techdocs: could not install mkdocs" >&2
  if [ "${CI:-}" = true ]; then _techdocs_status=1; else _techdocs_status=0; fi
fi
unset -f _techdocs_hash _techdocs_ready _techdocs_install _techdocs_main
unset _techdocs_root _techdocs_venv _techdocs_req _techdocs_stamp
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  exit "$_techdocs_status"
fi
return "$_techdocs_status"
