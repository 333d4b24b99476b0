#!/bin/sh
# `npm test`: install the test prerequisites, then run the whole suite with the project's Node 24.
# Unit tests (*.spec.ts) run in parallel; end-to-end tests (test/**/*.e2e.ts) run one file at a time
# because they start real CometBFT, Docker and QEMU processes; the full-image VM test (test/**/*.vm.ts) runs last.
# `npm test -- --unit|--e2e|--vm [filter]` runs one phase.
set -eu
unset CDPATH # an exported CDPATH makes `cd` print the directory, which $(cd …; pwd) would capture
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/lib/node-env.sh"
tn_ensure_node
# The prerequisites use the project's npm (npm pack of the guest's Node runtime).
PATH="$TRUSTNET_NODE_DIR/bin:$PATH" sh scripts/prereqs.sh
export TRUSTNET_TEST_BIN="${TRUSTNET_TEST_BIN:-$HOME/.cache/trustnet-test/bin}"
export PATH="$TRUSTNET_TEST_BIN:$PATH"
exec sh scripts/run.sh node scripts/test-runner.ts "$@"
