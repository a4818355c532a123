#!/usr/bin/env bash
# protoc, the Protocol Buffers compiler, from Debian's protobuf-compiler package: it builds the
# descriptor set (FileDescriptorSet) that a Protobuf pipeline's job decodes records with, from the
# .proto its registry subject's version was kept as (schemas/<subject>.proto). A job image builds
# it when it is built (the generated Dockerfile); local runs and the runtime's tests build it with
# this protoc when the job starts.
#
# Usage:
#   scripts/protoc.sh install   install the package when protoc is missing (apt-get update first)
#   scripts/protoc.sh version   print protoc's version
set -euo pipefail

die() {
  echo "protoc: $*" >&2
  exit 1
}

install() {
  command -v protoc >/dev/null && return 0
  echo "protoc: installing Debian's protobuf-compiler package" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends protobuf-compiler >/dev/null
  command -v protoc >/dev/null || die "the protobuf-compiler package did not provide protoc"
}

case "${1:-}" in
  install) install ;;
  version) protoc --version ;;
  *) die "usage: $0 install|version" ;;
esac
