#!/usr/bin/env bash
# Static (CGO_ENABLED=0) builds of every command for linux, darwin and
# windows on amd64 and arm64.
set -euo pipefail
cd "$(dirname "$0")/.."
for os in linux darwin windows; do
  for arch in amd64 arm64; do
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -o /dev/null ./cmd/... 2>&1 | sed "s/^/$os\/$arch: /"
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go vet ./... 2>&1 | sed "s/^/$os\/$arch vet: /"
    echo "cross: $os/$arch ok"
  done
done
