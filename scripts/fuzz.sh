#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 10000x: an
# execution count, which has no wall-clock deadline for Go 1.26's fuzz
# coordinator to race; see golang/go#75804), with
# the seed corpus committed under each package's testdata/fuzz/FuzzX/. A
# failing input is written there by go test; commit it with the fix.
# Fails if no target is found (a broken search must not pass silently) or if
# fewer than FUZZMIN (default 5) are found. FUZZJOBS targets run at once.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10000x}
min=${FUZZMIN:-5}
jobs=${FUZZJOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
out=$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX")
trap 'rm -rf "$out"' EXIT

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

# fuzz pkg target log: one target; a failure leaves log.failed behind.
fuzz() {
  local pkg=$1 target=$2 log=$3
  # -timeout guards against a hanging input; the fuzzer reports it.
  if ! go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -timeout=10m "$pkg" >"$log" 2>&1; then
    # A real finding always writes a reproducer. A duration run that ends
    # in a bare "context deadline exceeded" without one is golang/go#75804.
    if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
      echo "fuzz: $pkg $target: stopped by the Go fuzz deadline race (golang/go#75804), no failing input" >>"$log"
    else
      touch "$log.failed"
    fi
  fi
}

# FUZZJOBS targets at once (default: the number of CPUs): most of a short
# run is linking the instrumented test binary, which uses one core.
i=0
for pt in "${targets[@]}"; do
  pkg=${pt% *} target=${pt#* }
  echo "fuzz $pkg $target ($fuzztime)"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  fuzz "$pkg" "$target" "$out/$i.log" &
  i=$((i+1))
done
wait
failed=0
for ((j = 0; j < i; j++)); do
  if [ -e "$out/$j.log.failed" ]; then
    cat "$out/$j.log"
    echo "fuzz: FAIL: ${targets[$j]}" >&2
    failed=1
  elif grep -q 'golang/go#75804' "$out/$j.log"; then
    tail -1 "$out/$j.log"
  fi
done
[ "$failed" -eq 0 ] || exit 1
echo "fuzz: $i targets passed"
