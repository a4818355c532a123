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

_techdocs_main() {
  local root venv req stamp hash python
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  venv="$root/.tools/techdocs-venv"
  req="$root/scripts/techdocs-requirements.txt"
  stamp="$venv/.requirements-sha256"
  hash="$(sha256sum "$req" | cut -c1-64)"

  if [ -x "$venv/bin/mkdocs" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    echo "techdocs: mkdocs is installed ($venv)" >&2
  else
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
    echo "techdocs: installing mkdocs-techdocs-core into $venv" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv" &&
      "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" &&
      "$venv/bin/mkdocs" --version >/dev/null &&
      echo "$hash" >"$stamp" ||
      return 1
  fi
  export PATH="$venv/bin:$PATH"
  # Material for MkDocs prints a multi-line banner on every build otherwise.
  export NO_MKDOCS_2_WARNING=1
}

if _techdocs_main; then
  _techdocs_status=0
else
  echo "techdocs: could not install mkdocs" >&2
  if [ "${CI:-}" = true ]; then _techdocs_status=1; else _techdocs_status=0; fi
fi
unset -f _techdocs_main
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  exit "$_techdocs_status"
fi
return "$_techdocs_status"
