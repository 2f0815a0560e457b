#!/usr/bin/env bash
# build-git.sh VERSION...: builds the gits `make test-git` runs the
# end-to-end suite against, from Debian's source packages, into a cache
# outside the repository:
#
#   ${GIT_CODECOMMIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/git-codecommit}/git-VERSION
#
# Known versions: 2.30.2 (Debian bullseye) and 2.47.3 (Debian trixie). A
# version already in the cache is reused (its bin/git is checked to report
# that version). The source comes from `apt-get source git/SUITE` with a
# private apt configuration in a temporary directory (the system's
# sources.list is left alone); Debian's patches are applied. Only git itself
# is built (no Tcl/Tk, Perl, Python or gettext), with curl and OpenSSL from
# the system. Missing build dependencies are installed with apt-get when
# running as root (CI machines start fresh); otherwise the script names them
# and exits 2. Prints the install directory of each version, one a line, on
# stdout; progress goes to stderr.
set -euo pipefail

die() { echo "build-git: $*" >&2; exit "${2:-1}"; }
say() { echo "build-git: $*" >&2; }

[ $# -gt 0 ] || die "usage: $0 VERSION... (known: 2.30.2 2.47.3)" 2

suite_of() {
  case "$1" in
    2.30.2) echo bullseye ;;
    2.47.3) echo trixie ;;
    *) return 1 ;;
  esac
}
for v in "$@"; do
  suite_of "$v" >/dev/null || die "unknown git version $v (known: 2.30.2 from bullseye, 2.47.3 from trixie)" 2
done

cache=${GIT_CODECOMMIT_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/git-codecommit}
mkdir -p "$cache"

# built VERSION: true when the cache holds a finished install of VERSION.
built() {
  local d="$cache/git-$1"
  [ -x "$d/bin/git" ] && [ -f "$d/.complete" ] &&
    [ "$("$d/bin/git" --version 2>/dev/null)" = "git version $1" ]
}

need=()
for v in "$@"; do built "$v" || need+=("$v"); done
if [ ${#need[@]} -eq 0 ]; then
  for v in "$@"; do echo "$cache/git-$v"; done
  exit 0
fi

# Build dependencies: tool or header -> Debian package.
missing=()
check() { # check TEST PACKAGE
  if ! eval "$1" >/dev/null 2>&1; then missing+=("$2"); fi
}
check 'command -v cc' gcc
check 'command -v make' make
check 'command -v apt-get' apt
check 'command -v dpkg-source' dpkg-dev
check 'command -v xz' xz-utils
check 'command -v curl-config' libcurl4-openssl-dev
check 'test -f /usr/include/openssl/ssl.h' libssl-dev
check 'test -f /usr/include/zlib.h' zlib1g-dev
check 'test -f /usr/include/expat.h' libexpat1-dev
check 'test -f /usr/share/keyrings/debian-archive-keyring.gpg' debian-archive-keyring
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing build dependencies: ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
      apt-get update -q >&2 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
        die "cannot install the build dependencies: apt-get install ${missing[*]} failed" 2
    fi
  else
    die "missing build dependencies: ${missing[*]} (install them: sudo apt-get install ${missing[*]})" 2
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/build-git.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

for v in "${need[@]}"; do
  # One build of a version at a time (parallel CI jobs, two terminals).
  exec 9>"$cache/.lock-$v"
  if command -v flock >/dev/null; then flock 9; fi
  if built "$v"; then exec 9>&-; continue; fi # built by a parallel run while we waited
  suite=$(suite_of "$v")
  say "git $v: fetching the source of Debian $suite's git"
  apt="$work/apt-$suite"
  mkdir -p "$apt/lists/partial" "$apt/parts" "$apt/cache/archives/partial" "$apt/src"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$apt/sources.list"
  aptopts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/parts"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root")
  apt-get "${aptopts[@]}" -q update >&2 || die "git $v: apt-get update of $mirror $suite failed (is the Debian mirror reachable?)"
  (cd "$apt/src" && apt-get "${aptopts[@]}" -q source "git/$suite" >&2) ||
    die "git $v: apt-get source git/$suite failed"
  src=$(find "$apt/src" -mindepth 1 -maxdepth 1 -type d -name "git-$v*" | head -n1)
  [ -n "$src" ] || die "git $v: Debian $suite's source package is not git $v (found: $(ls "$apt/src"))"

  dest="$cache/git-$v"
  stage="$cache/.stage-$v.$$"
  rm -rf "$stage"
  say "git $v: building in $src (make -j$jobs; this takes several minutes)"
  # Only what installs: no Tcl/Tk, Perl, Python, gettext or gitweb, and
  # none of git's own test, unit-test and fuzz programs (command-line
  # variables override the Makefile's lists).
  mk=(make -C "$src" -j"$jobs" prefix="$dest"
    NO_TCLTK=1 NO_GETTEXT=1 NO_PERL=1 NO_PYTHON=1 NO_GITWEB=1
    TEST_PROGRAMS= test_bindir_programs= UNIT_TEST_PROGS= CLAR_TEST_PROG=
    FUZZ_OBJS= FUZZ_PROGRAMS=
    CFLAGS="-O2" V=)
  "${mk[@]}" all >"$work/build-$v.log" 2>&1 ||
    { tail -n 40 "$work/build-$v.log" >&2; die "git $v: make failed (log above)"; }
  "${mk[@]}" DESTDIR="$stage" install >>"$work/build-$v.log" 2>&1 ||
    { tail -n 40 "$work/build-$v.log" >&2; die "git $v: make install failed (log above)"; }
  rm -rf "$dest"
  mv "$stage$dest" "$dest"
  rm -rf "$stage"
  touch "$dest/.complete"
  built "$v" || die "git $v: the installed $dest/bin/git does not report version $v"
  exec 9>&-
  say "git $v: installed in $dest"
done

for v in "$@"; do echo "$cache/git-$v"; done
