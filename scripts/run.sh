#!/bin/sh
# Run a command with the project's Node 24 and its dependencies installed.
# Usage: scripts/run.sh <command> [args...]   (used by every npm script)
set -eu
unset CDPATH # an exported CDPATH makes `cd` print the directory, which $(cd …; pwd) would capture
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib/node-env.sh"
tn_ensure_node
cd "$root"
stamp="node_modules/.trustnet-deps"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ "$(cat "$stamp")" != "$(node --version)" ]; then
  tn_log "==> Installing npm dependencies with Node $(node --version)"
  npm ci --no-audit --no-fund --loglevel=error
  node --version > "$stamp"
fi
exec "$@"
