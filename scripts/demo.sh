#!/usr/bin/env bash
# The README's demo: start the local CodeCommit-compatible endpoint, clone
# through codecommit://, commit, push, clone again, then stop the endpoint.
# Everything happens in a temporary directory with its own HOME: your git and
# AWS configuration are not read or touched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$root/bin/git-remote-codecommit" ] || (cd "$root" && go build -o bin/ ./cmd/...)

work=$(mktemp -d "${TMPDIR:-/tmp}/codecommit-demo.XXXXXX")
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export PATH="$root/bin:$PATH"
export GIT_AUTHOR_NAME=Demo GIT_AUTHOR_EMAIL=demo@example.invalid GIT_COMMITTER_NAME=Demo GIT_COMMITTER_EMAIL=demo@example.invalid
mkdir -p "$HOME"
git config --global init.defaultBranch main

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; "$@"; }

echo "Starting the local endpoint (git codecommit serve)…"
git codecommit serve --dir "$work/repos" --repo demo --quiet >"$work/env.sh" 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do
  grep -q '^# demo user' "$work/env.sh" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
grep -q '^# demo user' "$work/env.sh" || { echo "the endpoint did not start"; cat "$work/serve.log"; exit 1; }
# shellcheck disable=SC1091
. "$work/env.sh"
sed 's/^/  /' "$work/env.sh"

cd "$work"
step git clone codecommit://dev@demo first
cd first
echo "hello from git-remote-codecommit" > README.md
step git add README.md
step git commit -q -m "first commit through codecommit://"
step git push origin main
cd "$work"
step git clone codecommit::us-east-1://role@demo second
step git -C second log --oneline
step git ls-remote codecommit://dev@demo
echo
echo "Demo OK: cloned, pushed and cloned again through codecommit:// (static keys and an assumed role)."
