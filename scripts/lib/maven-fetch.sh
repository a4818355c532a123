#!/usr/bin/env bash
# Source this file. maven_fetch DIR G:A:V... copies the given artifacts and their
# runtime dependencies from Maven Central into DIR, once: a stamp file holding the
# coordinates makes a second call with the same list a no-op.
# Usage: . scripts/lib/maven-fetch.sh; maven_fetch .tools/kafka/3.9.1/libs org.apache.kafka:kafka_2.13:3.9.1
maven_fetch() {
  local dir="$1"
  shift
  local want
  want="$(printf '%s\n' "$@")"
  if [ -f "$dir/.fetched" ] && [ "$(cat "$dir/.fetched")" = "$want" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "maven-fetch: installing Maven (apt-get install maven)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven; } >&2 || true
  fi
  command -v mvn >/dev/null || { echo "maven-fetch: Maven (mvn) is not installed" >&2; return 1; }
  local work deps="" coord g a v
  work="$(mktemp -d)"
  for coord in "$@"; do
    IFS=: read -r g a v <<<"$coord"
    deps+="<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
  done
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.streaming</groupId><artifactId>fetch</artifactId><version>1</version>
  <dependencies>$deps</dependencies>
</project>
POM
  echo "maven-fetch: fetching $* into $dir" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  if ! mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$(cd "$dir" && pwd)" >"$work/mvn.log" 2>&1; then
    cat "$work/mvn.log" >&2
    rm -rf "$work"
    echo "maven-fetch: Maven could not fetch $*" >&2
    return 1
  fi
  rm -rf "$work"
  printf '%s\n' "$want" >"$dir/.fetched"
}

# maven_fetch_archive DIR G:A:V:TYPE:CLASSIFIER unpacks one tar.gz or zip artifact (a
# runnable distribution, no dependencies) into DIR, once (same stamp file as above).
maven_fetch_archive() {
  local dir="$1" coord="$2"
  if [ -f "$dir/.fetched" ] && [ "$(cat "$dir/.fetched")" = "$coord" ]; then
    return 0
  fi
  command -v mvn >/dev/null || { echo "maven-fetch: Maven (mvn) is not installed" >&2; return 1; }
  local work type
  work="$(mktemp -d)"
  type="$(cut -d: -f4 <<<"$coord")"
  echo "maven-fetch: fetching $coord into $dir" >&2
  if ! mvn -q -B dependency:copy -Dartifact="$coord" -DoutputDirectory="$work/out" >"$work/mvn.log" 2>&1; then
    cat "$work/mvn.log" >&2
    rm -rf "$work"
    echo "maven-fetch: Maven could not fetch $coord" >&2
    return 1
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  case "$type" in
    zip) unzip -q "$work"/out/*.zip -d "$dir" ;;
    *) tar -xzf "$work"/out/*."$type" -C "$dir" ;;
  esac
  rm -rf "$work"
  printf '%s\n' "$coord" >"$dir/.fetched"
}
