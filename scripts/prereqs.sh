#!/bin/sh
# Test prerequisites that are not npm packages. Idempotent; each step says what it installs.
# Each area adds its own in scripts/prereqs.d/<area>.sh (sourced in name order, sharing `step`, `apt_install`, `$bin`).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${TRUSTNET_TEST_BIN:-$HOME/.cache/trustnet-test/bin}"
mkdir -p "$bin"

step() { printf '==> %s\n' "$*" >&2; }

apt_updated=""
# apt_install PKG... : install the Debian packages that are missing (needs root or sudo on Debian/Ubuntu).
apt_install() {
  missing=""
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"; done
  [ -z "$missing" ] && return 0
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  step "installing Debian packages:$missing"
  if [ -z "$apt_updated" ]; then $sudo apt-get update -qq >/dev/null; apt_updated=1; fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

for f in "$root"/scripts/prereqs.d/*.sh; do
  [ -e "$f" ] || continue
  . "$f"
done
