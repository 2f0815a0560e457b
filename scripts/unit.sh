#!/usr/bin/env bash
# make unit: every package's tests once (-count=1), with the toolset's
# programs built once for the whole run. The end-to-end packages run them
# through internal/gittest, which, left alone, asks the go command for them
# in each test process (about 4.5 s of CPU each, in 17 packages); here
# `go tool -n` is asked once per program (the binaries Go's build cache
# holds, linked again only when something changed), they are hard-linked
# (or copied) side by side into a temporary directory named in GITTEST_BIN,
# and the directory is removed at exit.
# Arguments are go test's (default ./...).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
bin=$(mktemp -d "${TMPDIR:-/tmp}/unit-bin.XXXXXX")
trap 'rm -rf "$bin"' EXIT
progs=$($GO list -f '{{if eq .Name "main"}}{{.ImportPath}}{{end}}' ./cmd/...)
[ -n "$progs" ] || { echo "unit: FAIL: no commands under ./cmd" >&2; exit 1; }
for p in $progs; do
  name=$(basename "$p")
  (
    path=$(CGO_ENABLED=0 $GO tool -n "$name")
    ln "$path" "$bin/$name" 2>/dev/null || cp "$path" "$bin/$name"
  ) &
done
wait
for p in $progs; do
  [ -x "$bin/$(basename "$p")" ] || { echo "unit: FAIL: $(basename "$p") not built" >&2; exit 1; }
done
GITTEST_BIN=$bin $GO test -count=1 "${@:-./...}"
