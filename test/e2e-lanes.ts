// Which end-to-end files run beside the others. `npm test` runs the end-to-end phase in two lanes at once, each one
// file at a time (scripts/test-runner.ts): lane 1 holds every file not listed here; lane 2 the files below. A file
// may run beside lane 1 only if it shares nothing with any other file but the CPU:
// - it binds no contract port (26656-26658, 26660, 1317, 8000-8001, 9090, 2222-2223): every devnet it starts has its
//   own `portOffset`, a multiple of 100 that no lane-1 file uses (scripts/e2e-lanes.spec.ts checks both), and
//   everything else listens on a port the kernel picks;
// - it starts no Docker engine (the fresh-machine, README and registry+docker tests do; they stay in lane 1);
// - it reads and writes only its own temporary homes.
// Lane 1's one random devnet offset (wallet.e2e.ts) is odd in its tens (…5), so it never meets a lane-2 devnet.
export const E2E_BESIDE: readonly string[] = [
  "test/abci/transport.e2e.ts",
  "test/chain/block-answer.e2e.ts",
  "test/chain/cosmjs.e2e.ts",
  "test/chain/distribution.e2e.ts",
  "test/chain/double-sign.e2e.ts",
  "test/chain/downtime.e2e.ts",
  "test/chain/foreground.e2e.ts",
  "test/chain/grpc-servers.e2e.ts",
  "test/chain/module-export.e2e.ts",
  "test/chain/multi-validator.e2e.ts",
  "test/chain/rest-block-params.e2e.ts",
  "test/chain/staking.e2e.ts",
  "test/chain/two-node-determinism.e2e.ts",
  "test/cli/keys.e2e.ts",
  "test/cli/shell.e2e.ts",
  "test/provisioner/uefi.e2e.ts",
  "test/provisioner/validators.e2e.ts",
  "test/registry/conformance.e2e.ts",
  "test/registry/crash.e2e.ts",
  "test/registry/fuzz.e2e.ts",
  "test/registry/gc.e2e.ts",
  "test/registry/serve.e2e.ts",
  "test/registry/skopeo.e2e.ts",
];
