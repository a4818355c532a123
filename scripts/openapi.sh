#!/usr/bin/env bash
# The streaming backend's HTTP contract is plugins/streaming-backend/src/schema/openapi.yaml;
# its typed router (plugins/streaming-backend/src/schema/openapi/generated) and its client
# and models (plugins/streaming-common/src/schema/openapi/generated) are generated from it
# with @backstage/repo-tools (openapi-generator, Java 17) and committed.
#   scripts/openapi.sh generate   regenerate both (yarn openapi:generate)
#   scripts/openapi.sh check      validate and lint the document (Backstage's OpenAPI
#                                 ruleset), regenerate, and fail when the committed files
#                                 differed (make test runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
backend=plugins/streaming-backend
generated=("$backend/src/schema/openapi" plugins/streaming-common/src/schema/openapi)

generate() {
  # openapi-generator-cli fetches its jar on first use, and the client and the
  # server are generated side by side: fetch it once first, so that they never
  # race to write it (the loser generated nothing and said nothing).
  # Run where the generation runs: repo-tools' openapitools.json pins the version.
  (cd "$(dirname "$(node -p "require.resolve('@backstage/repo-tools/package.json')")")" &&
    node "$(node -p "require.resolve('@openapitools/openapi-generator-cli/main.js')")" version >/dev/null)
  (cd "$backend" && yarn run -T backstage-repo-tools package schema openapi generate \
    --server --client-package plugins/streaming-common) >/dev/null
  [ -f plugins/streaming-common/src/schema/openapi/generated/index.ts ] || {
    echo "openapi: the generator wrote no client into plugins/streaming-common" >&2
    exit 1
  }
  # The generator replaces the directories; a running `make start` frontend loses
  # them from its watch and reports missing modules until their importer changes.
  touch plugins/streaming-common/src/index.ts
}

case "${1:-}" in
generate)
  generate
  ;;
check)
  (cd "$backend" && yarn run -T backstage-repo-tools package schema openapi validate)
  yarn run -T backstage-repo-tools repo schema openapi lint "$backend"
  before="$(mktemp -d)"
  trap 'rm -rf "$before"' EXIT
  for dir in "${generated[@]}"; do mkdir -p "$before/$dir" && cp -R "$dir/." "$before/$dir"; done
  generate
  stale=0
  for dir in "${generated[@]}"; do diff -r "$before/$dir" "$dir" >&2 || stale=1; done
  if [ "$stale" = 1 ]; then
    echo "openapi: the generated files did not match $backend/src/schema/openapi.yaml;" \
      "they are regenerated now (yarn openapi:generate): commit them" >&2
    exit 1
  fi
  echo "openapi: generated files match the document"
  ;;
*)
  echo "usage: scripts/openapi.sh generate|check" >&2
  exit 2
  ;;
esac
