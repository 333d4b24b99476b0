// `trustnet node init` refusals: a malformed peer, an unreadable or non-JSON genesis, a genesis without a chain
// id, an existing node, an unreachable RPC. Each is refused before anything is written. (A real init, start, sync
// and `validator join` run in test/chain/staking.e2e.ts.)
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CliError, UsageError } from "../errors.ts";
import { fullNodeLayout, initFullNode, parsePeer, readFullNode } from "./init.ts";

const ID = "0123456789abcdef0123456789abcdef01234567";

describe("node init", () => {
  const dir = mkdtempSync(join(tmpdir(), "trustnet-fullnode-spec-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // No CometBFT is needed: every case fails before it would run.
  const base = { cometbft: "/nonexistent/cometbft", portOffset: 0, moniker: "n", blockTime: "1s" };

  test("--peer must be <40-hex node id>@host:port", () => {
    for (const ok of [`${ID}@127.0.0.1:26656`, `${ID}@node0.example:26656`, `${ID}@[fd00::1]:26656`]) assert.equal(parsePeer(ok), ok);
    for (const bad of ["127.0.0.1:26656", `${ID}@127.0.0.1`, `${ID.slice(1)}@h:1`, `${ID.toUpperCase()}@h:1`, `${ID}@h:1,${ID}@h:2`]) {
      assert.throws(() => parsePeer(bad), (e: unknown) => e instanceof UsageError && /--peer/.test(e.message), bad);
    }
  });

  test("bad genesis sources and an existing node are refused; nothing is written", async () => {
    const home = join(dir, "a");
    const notJson = join(dir, "g.txt");
    writeFileSync(notJson, "not json");
    const noChain = join(dir, "g.json");
    writeFileSync(noChain, JSON.stringify({ validators: [] }));
    await assert.rejects(initFullNode({ ...base, home, peer: "nope", genesis: noChain }), UsageError);
    await assert.rejects(initFullNode({ ...base, home, peer: `${ID}@h:1`, genesis: join(dir, "missing.json") }), (e: unknown) => e instanceof UsageError && /cannot read/.test(e.message));
    await assert.rejects(initFullNode({ ...base, home, peer: `${ID}@h:1`, genesis: notJson }), (e: unknown) => e instanceof UsageError && /not JSON/.test(e.message));
    await assert.rejects(initFullNode({ ...base, home, peer: `${ID}@h:1`, genesis: noChain }), (e: unknown) => e instanceof CliError && /chain_id/.test(e.message));
    await assert.rejects(initFullNode({ ...base, home, peer: `${ID}@h:1`, genesis: "http://127.0.0.1:9/", chainId: "c" }), (e: unknown) => e instanceof CliError && /cannot fetch the genesis/.test(e.message));
    assert.equal(existsSync(fullNodeLayout(home).root), false);
    mkdirSync(fullNodeLayout(home).root, { recursive: true });
    await assert.rejects(initFullNode({ ...base, home, peer: `${ID}@h:1`, genesis: noChain }), (e: unknown) => e instanceof CliError && /already exists/.test(e.message));
    await assert.rejects(readFullNode(join(dir, "b")), (e: unknown) => e instanceof CliError && /no node at/.test(e.message));
  });
});
