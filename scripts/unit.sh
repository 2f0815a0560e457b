#!/usr/bin/env bash
# make unit: every package's tests, with the toolset's programs built once
# for the whole run. The end-to-end packages run them through
# internal/gittest, which, left alone, asks the go command for them in each
# test process (about 4.5 s of CPU each, in 17 packages); here `go tool -n`
# is asked once per program (it links a program into Go's build cache only
# when something changed, and prints where it is) and the three paths are
# named in GITTEST_TOOLS. Each test process hard-links them into a
# temporary directory of its own and removes it at exit.
#
# Go's test cache applies: a package's tests run again when its code, its
# test data, a program they run (the paths in GITTEST_TOOLS are keyed by
# the programs' content), the git on PATH (GITTEST_GIT_ID: its path, size,
# modification time and version; go test itself rechecks no file outside
# the module) or an environment variable they read changed; otherwise go
# test replays the result it recorded, marked "(cached)".
# TESTFLAGS=-count=1 runs everything regardless.
# Arguments are go test's (default ./...).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
progs=$($GO list -f '{{if eq .Name "main"}}{{.ImportPath}}{{end}}' ./cmd/...)
[ -n "$progs" ] || { echo "unit: FAIL: no commands under ./cmd" >&2; exit 1; }
# One `go tool -n` per program, side by side; each writes its path to a
# file of a temporary directory removed at exit.
out=$(mktemp -d "${TMPDIR:-/tmp}/unit.XXXXXX")
trap 'rm -rf "$out"' EXIT
for p in $progs; do
  name=$(basename "$p")
  CGO_ENABLED=0 $GO tool -n "$name" >"$out/$name" &
done
wait
tools=()
for p in $progs; do
  name=$(basename "$p")
  path=$(cat "$out/$name")
  [ -x "$path" ] || { echo "unit: FAIL: $name not built" >&2; exit 1; }
  tools+=("$path")
done
list=$(IFS=:; echo "${tools[*]}")
git=$(command -v git || true)
gitid=""
[ -z "$git" ] || gitid="$git $(stat -L -c '%s %Y' "$git" 2>/dev/null) $(git version 2>/dev/null)"
# shellcheck disable=SC2086 # TESTFLAGS is a list of flags
GITTEST_TOOLS=$list GITTEST_GIT_ID=$gitid $GO test ${TESTFLAGS:-} "${@:-./...}"
