#!/usr/bin/env bash
# Static (CGO_ENABLED=0) builds of every command for linux, darwin and
# windows on amd64 and arm64, and go vet of every package once per GOOS.
# The binaries go to a temporary directory and each one is checked to exist.
#
# What it costs, warm (nothing changed since the last run; 2 cores): each
# platform's link of the three commands is about 3 s of CPU, vet about 1 s.
# Cheaper forms kept what each step guards:
#   - the builds link with -s -w (no symbol table, no DWARF): the binaries
#     are thrown away, and what the link checks (every symbol resolves, the
#     static build works) is the same; about a quarter less CPU;
#   - two platforms link at once (CROSSJOBS, default the number of CPUs):
#     the linker is mostly single-threaded;
#   - vet runs once per GOOS (on amd64): no file of this module is selected
#     by GOARCH (only by GOOS: unix, windows, others), so vet would see the
#     same files on arm64; an arm64-only type error in a dependency's API
#     (golang.org/x/sys) still fails that platform's build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d "${TMPDIR:-/tmp}/cross.XXXXXX")
trap 'rm -rf "$out"' EXIT
cmds=$(go list -f '{{if eq .Name "main"}}{{.ImportPath}}{{end}}' ./cmd/...)
[ -n "$cmds" ] || { echo "cross: FAIL: no commands under ./cmd" >&2; exit 1; }
# Guard the vet shortcut: a file selected by GOARCH would make the arm64
# vet differ from the amd64 one.
if archfiles=$(go list -f '{{range .GoFiles}}{{.}} {{end}}{{range .TestGoFiles}}{{.}} {{end}}' ./... | tr ' ' '\n' | grep -E '_(amd64|arm64|386|arm)(_test)?\.go$'); then
  echo "cross: FAIL: GOARCH-specific files ($archfiles): vet every GOARCH in scripts/cross.sh" >&2
  exit 1
fi
jobs=${CROSSJOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}

build() { # os arch: build into $out/os-arch, log to $out/os-arch.log
  local os=$1 arch=$2 dir="$out/$1-$2" ext=""
  [ "$os" = windows ] && ext=.exe
  if ! CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags='-s -w' -o "$dir/" ./cmd/... >"$dir.log" 2>&1; then
    sed "s|^|$os/$arch: |" "$dir.log"
    return 1
  fi
  for c in $cmds; do
    [ -f "$dir/$(basename "$c")$ext" ] || { echo "cross: FAIL: $os/$arch: $(basename "$c")$ext not built"; return 1; }
  done
  echo "cross: $os/$arch built"
}

for os in linux darwin windows; do
  for arch in amd64 arm64; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    { build "$os" "$arch" || touch "$out/$os-$arch.failed"; } &
  done
done
wait
failed=$(cd "$out" && ls -- *.failed 2>/dev/null || true)
if [ -n "$failed" ]; then
  echo "cross: FAIL: ${failed//.failed/}" >&2
  exit 1
fi

for os in linux darwin windows; do
  CGO_ENABLED=0 GOOS=$os GOARCH=amd64 go vet ./... 2>&1 | sed "s|^|$os vet: |"
  echo "cross: $os vet ok"
done
