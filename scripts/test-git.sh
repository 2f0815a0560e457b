#!/usr/bin/env bash
# test-git.sh: `make test-git`. Runs every test (`go test ./...`, the whole
# end-to-end suite included) once per git: 2.30.2 (Debian bullseye), the
# system git, and 2.47.3 (Debian trixie), the two Debian ones built by
# scripts/build-git.sh into its cache (reused when there). For each run the
# chosen git is first on PATH and named by GITTEST_GIT, so the local
# endpoint's http-backend, every test's git and the helpers' child git are
# the same version. Goes on after a failing version and fails at the end.
#
#   GIT_VERSIONS="2.47.3 system" ./scripts/test-git.sh   # a subset
#   PKGS=./internal/hygiene/... ./scripts/test-git.sh    # some packages
set -euo pipefail
cd "$(dirname "$0")/.."

versions=${GIT_VERSIONS:-2.30.2 system 2.47.3}
pkgs=${PKGS:-./...}
GO=${GO:-go}

build=()
for v in $versions; do [ "$v" = system ] || build+=("$v"); done
declare -A prefix=()
if [ ${#build[@]} -gt 0 ]; then
  start=$(date +%s)
  mapfile -t dirs < <(./scripts/build-git.sh "${build[@]}")
  [ ${#dirs[@]} -eq ${#build[@]} ] || { echo "test-git: build-git.sh failed" >&2; exit 1; }
  for i in "${!build[@]}"; do prefix[${build[$i]}]=${dirs[$i]}; done
  echo "test-git: gits ready in $(($(date +%s) - start)) s"
fi

failed=()
summary=()
# go test keeps one record per test binary and flags of what a run read
# (environment variables, files), and the gits' runs read differently (tests
# that skip on one git): sharing the record, each git's run replaced the
# other's and a warm run reran both. A timeout of its own per git (30 min and
# a second per place in the list; -timeout is one of the flags the cache
# keys on) gives each git its own record, so a warm run replays each.
place=0
for v in $versions; do
  start=$(date +%s)
  timeout=$((1800 + place))s
  place=$((place + 1))
  if [ "$v" = system ]; then
    env=(GITTEST_GIT=)
    path=$PATH
  else
    env=(GITTEST_GIT="${prefix[$v]}")
    path=${prefix[$v]}/bin:$PATH
  fi
  got=$(PATH=$path git version)
  echo "test-git: === $got ($v): go test -timeout $timeout $pkgs"
  # scripts/unit.sh: go test (its cache applies), the programs built once for all packages
  if env -u GIT_EXEC_PATH PATH="$path" "${env[@]}" GO="$GO" ./scripts/unit.sh -timeout "$timeout" $pkgs; then
    summary+=("$got: ok ($(($(date +%s) - start)) s)")
  else
    summary+=("$got: FAIL ($(($(date +%s) - start)) s)")
    failed+=("$v")
  fi
done
printf 'test-git: %s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ] || { echo "test-git: FAIL on git ${failed[*]}" >&2; exit 1; }
