// Hostile query data for every query path (issue 16; every module's, from its descriptor): random bytes and random schema-shaped messages (right field
// numbers and wire types, random contents) never make the app throw or answer an internal error (code 1).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BinaryWriter } from "cosmjs-types/binary";
import { StateStore } from "../store/index.ts";
import { Rng } from "../fuzz/stream.ts";
import { TrustNetApp, type AppLogger } from "./trustnet-app.ts";

/** The app's own query paths outside the modules (the modules' come from their descriptors, so every path is fuzzed). */
const APP_PATHS = ["/cosmos.tx.v1beta1.Service/Simulate", "/cosmos.base.node.v1beta1.Service/Config", "/cosmos.base.node.v1beta1.Service/Status"];

/** A message of 0-4 fields numbered 1-5, each a varint or a length-delimited random/UTF-8/nested payload. */
function shaped(rng: Rng, depth = 0): Uint8Array {
  const w = new BinaryWriter();
  for (let n = rng.int(5); n > 0; n--) {
    const no = 1 + rng.int(5);
    const kind = rng.int(10);
    if (kind < 3) w.uint32(no << 3).uint64(BigInt(rng.u32()) * BigInt(rng.u32()));
    else if (kind < 5 && depth < 3) w.uint32((no << 3) | 2).bytes(shaped(rng, depth + 1));
    else if (kind < 8) w.uint32((no << 3) | 2).string(rng.pick(["", "utrust", "trust1", "a".repeat(rng.int(300)), "acme", "acme/app", "v1", "\u0000", "💥", "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy"]));
    else w.uint32((no << 3) | 2).bytes(rng.bytes(rng.int(64)));
  }
  return w.finish();
}

test("40,000 hostile queries over every path (every module's, from its descriptor): no throw, no code 1, no error log", () => {
  const errors: string[] = [];
  const logger: AppLogger = { info() {}, warn() {}, error(o, msg) { errors.push(`${msg ?? ""} ${JSON.stringify(o).slice(0, 300)}`); } };
  const app = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-qfuzz-")), "state.db")), logger });
  app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "trustnet-local-1", consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, validators: [], appStateBytes: new TextEncoder().encode("{}"), initialHeight: 1n });
  app.finalizeBlock({ txs: [], height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
  app.commit();
  const PATHS = [...app.modules.flatMap((m) => (m.queries ?? []).map((q) => q.path)), ...APP_PATHS];
  assert.ok(PATHS.includes("/cosmos.distribution.v1beta1.Query/ValidatorDistributionInfo") && PATHS.includes("/trustnet.leasing.v1.Query/Lease"), "every module's paths");
  assert.ok(PATHS.length > 60, `${PATHS.length} paths`);
  const rng = new Rng(1616);
  const codes = new Map<number, number>();
  for (let i = 0; i < 40_000; i++) {
    const path = rng.pick(PATHS);
    const data = rng.chance(0.7) ? shaped(rng) : rng.bytes(rng.int(100));
    const r = app.query({ path, data, height: rng.chance(0.05) ? BigInt(rng.int(5)) - 2n : 0n, prove: false });
    const code = r.code ?? 0;
    codes.set(code, (codes.get(code) ?? 0) + 1);
    assert.notEqual(code, 1, `${path} ${Buffer.from(data).toString("hex")}: ${r.log}`);
  }
  assert.deepEqual(errors, []);
  assert.ok((codes.get(0) ?? 0) > 100 && (codes.get(2) ?? 0) > 1000, JSON.stringify([...codes]));
});
