#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 10000x: an
# execution count, which has no wall-clock deadline for Go 1.26's fuzz
# coordinator to race; see golang/go#75804), with
# the seed corpus committed under each package's testdata/fuzz/FuzzX/. A
# failing input is written there by go test; commit it with the fix.
# Fails if no target is found (a broken search must not pass silently) or if
# fewer than FUZZMIN (default 5) are found.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10000x}
min=${FUZZMIN:-5}
log=$(mktemp "${TMPDIR:-/tmp}/fuzz.XXXXXX")
trap 'rm -f "$log"' EXIT

targets=()
while IFS=' ' read -r pkg dir; do
  for t in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    targets+=("$pkg $t")
  done
done < <(go list -f '{{.ImportPath}} {{.Dir}}' ./...)

if [ "${#targets[@]}" -lt "$min" ]; then
  echo "fuzz: FAIL: found ${#targets[@]} fuzz targets, want at least $min" >&2
  exit 1
fi

n=0
for pt in "${targets[@]}"; do
  pkg=${pt% *} target=${pt#* }
  echo "fuzz $pkg $target ($fuzztime)"
  # -timeout guards against a hanging input; the fuzzer reports it.
  if ! go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -timeout=10m "$pkg" >"$log" 2>&1; then
    cat "$log"
    # A real finding always writes a reproducer. A duration run that ends
    # in a bare "context deadline exceeded" without one is golang/go#75804.
    if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
      echo "fuzz: $pkg $target: stopped by the Go fuzz deadline race (golang/go#75804), no failing input"
    else
      echo "fuzz: FAIL: $pkg $target" >&2
      exit 1
    fi
  fi
  n=$((n+1))
done
echo "fuzz: $n targets passed"
