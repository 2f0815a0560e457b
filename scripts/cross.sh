#!/usr/bin/env bash
# Static (CGO_ENABLED=0) builds of every command, and go vet of every
# package, for linux, darwin and windows on amd64 and arm64. The binaries go
# to a temporary directory and each one is checked to exist.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d "${TMPDIR:-/tmp}/cross.XXXXXX")
trap 'rm -rf "$out"' EXIT
cmds=$(go list -f '{{if eq .Name "main"}}{{.ImportPath}}{{end}}' ./cmd/...)
[ -n "$cmds" ] || { echo "cross: FAIL: no commands under ./cmd" >&2; exit 1; }
for os in linux darwin windows; do
  for arch in amd64 arm64; do
    dir="$out/$os-$arch"
    ext=""; [ "$os" = windows ] && ext=.exe
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -o "$dir/" ./cmd/... 2>&1 | sed "s|^|$os/$arch: |"
    for c in $cmds; do
      [ -f "$dir/$(basename "$c")$ext" ] || { echo "cross: FAIL: $os/$arch: $(basename "$c")$ext not built" >&2; exit 1; }
    done
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go vet ./... 2>&1 | sed "s|^|$os/$arch vet: |"
    echo "cross: $os/$arch ok"
  done
done
