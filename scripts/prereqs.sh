#!/bin/sh
# Test prerequisites that are not npm packages. Idempotent; each step says what it installs.
# Each area adds its own in scripts/prereqs.d/<area>.sh (sourced in name order, sharing `step`, `try`, `try_or_warn`,
# `apt_install`, `need_go`, `$bin`, `$COMETBFT_VERSION`). `sh scripts/prereqs.sh --only 45-vm` runs one step file.
# A failing command never fails silently: `try` shows what was being done, the command, its own output and a fix.
set -eu
unset CDPATH # an exported CDPATH makes `cd` print the directory, which $(cd …; pwd) would capture
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${TRUSTNET_TEST_BIN:-$HOME/.cache/trustnet-test/bin}"
mkdir -p "$bin"
only=""
case "${1:-}" in
  --only) only="${2:?usage: prereqs.sh [--only STEP]   (STEP: a file name in scripts/prereqs.d/, e.g. 45-vm)}" ;;
  "") ;;
  *) echo "usage: prereqs.sh [--only STEP]" >&2; exit 2 ;;
esac

step() { printf '==> %s\n' "$*" >&2; }

# try WHAT FIX CMD [ARG...] : run CMD with its output captured. On failure print what was being done, the command,
# its exit code, the last 40 lines of its own output and FIX, then exit non-zero. On success print nothing more
# (set TRUSTNET_PREREQS_VERBOSE=1 to see every command's output as it runs).
try() { try_report error "$@" || exit 1; }
# try_or_warn WHAT FIX CMD [ARG...] : the same for an optional step: prints it all as a warning and returns 1.
try_or_warn() { try_report warning "$@"; }
try_report() {
  level=$1; what=$2; fix=$3; shift 3
  if [ -n "${TRUSTNET_PREREQS_VERBOSE:-}" ]; then
    rc=0; "$@" >&2 </dev/null || rc=$?
    [ "$rc" -eq 0 ] && return 0
    out="(its output is above)"
  else
    log=$(mktemp "${TMPDIR:-/tmp}/trustnet-prereq.XXXXXX")
    rc=0; "$@" >"$log" 2>&1 </dev/null || rc=$?
    if [ "$rc" -eq 0 ]; then rm -f "$log"; return 0; fi
    out=$(tail -n 40 "$log"); rm -f "$log"
    [ -n "$out" ] || out="(it printed nothing)"
  fi
  {
    printf '%s: %s failed\n' "$level" "$what"
    printf '  command (exit %s): %s\n' "$rc" "$*"
    printf '  its output:\n'
    printf '%s\n' "$out" | sed 's/^/    | /'
    printf '  fix: %s\n' "$fix"
  } >&2
  return 1
}

apt_updated=""
# apt_install PKG... : install the Debian packages that are missing (needs root or sudo on Debian/Ubuntu).
apt_install() {
  missing=""
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"; done
  [ -z "$missing" ] && return 0
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  command -v apt-get >/dev/null 2>&1 || {
    printf 'error: the tests need the Debian packages:%s, and this machine has no apt-get\n  fix: install them with your package manager (names as in Debian), then re-run\n' "$missing" >&2
    exit 1
  }
  step "installing Debian packages:$missing"
  if [ -z "$apt_updated" ]; then
    try "updating the Debian package lists (apt-get update)" \
      "check the network, proxy and /etc/apt/sources.list (a company CA goes in /usr/local/share/ca-certificates, then update-ca-certificates); then re-run" \
      $sudo apt-get update
    apt_updated=1
  fi
  # shellcheck disable=SC2086
  try "installing the Debian packages:$missing" \
    "install them by hand to see the whole error: ${sudo:+sudo }apt-get install --no-install-recommends$missing" \
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
}

# need_go: a Go >= 1.22 on PATH for the steps that build with it; when the machine has none, the pinned toolchain from
# the Go module proxy (scripts/lib/go-env.sh). Once per run.
. "$root/scripts/lib/node-env.sh"
. "$root/scripts/lib/go-env.sh"
go_ready=""
need_go() {
  [ -n "$go_ready" ] && return 0
  if ! { command -v go >/dev/null 2>&1 && tn_go_usable go; }; then
    command -v unzip >/dev/null 2>&1 || apt_install unzip
  fi
  tn_ensure_go "$bin" || {
    printf '  fix: install Go >= 1.22 (https://go.dev/dl), or make the Go module proxy reachable (GOPROXY), then re-run\n' >&2
    exit 1
  }
  go_ready=1
}

COMETBFT_VERSION=$(sed -n 's/.*COMETBFT_VERSION *= *"\(.*\)".*/\1/p' "$root/installer/src/versions.ts")
NODE_VERSION=$(sed -n 's/.*NODE_VERSION *= *"\(.*\)".*/\1/p' "$root/installer/src/versions.ts")

found=""
for f in "$root"/scripts/prereqs.d/*.sh; do
  [ -e "$f" ] || continue
  if [ -n "$only" ] && [ "$(basename "$f" .sh)" != "$only" ] && [ "$(basename "$f")" != "$only" ]; then continue; fi
  found=1
  . "$f"
done
if [ -n "$only" ] && [ -z "$found" ]; then echo "error: no step $only in $root/scripts/prereqs.d" >&2; exit 2; fi
