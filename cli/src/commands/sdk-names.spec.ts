// The Cosmos SDK CLI's names for what `trustnet` already does (an operator used to simd/gaiad types them): each runs
// the same command as TrustNet's own name, through the real CLI against a fake node.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("the SDK CLI's names", () => {
  let home: string;
  let node: FakeNode;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-sdk-names-"));
    node = await startFakeNode({ memo: "rent" });
    const r = await runCli(["keys", "add", "alice", "--home", home], env);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1"], env);

  test("query tx <hash> is tx <hash>: the same text, the same JSON, the same hash check", async () => {
    for (const output of [["-o", "json"], []]) {
      const sdk = await cli("query", "tx", node.txHash, ...output);
      const own = await cli("tx", node.txHash, ...output);
      assert.equal(sdk.code, 0, sdk.stderr);
      assert.equal(own.code, 0, own.stderr);
      assert.equal(sdk.stdout, own.stdout);
      assert.match(sdk.stdout, /memo/u);
    }
    const bad = await cli("query", "tx", "1234");
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /invalid tx hash "1234": expected 64 hex digits/u);
    const help = await cli("query", "--help");
    assert.match(help.stdout, /query tx <hash> +a committed transaction by hash/u);
  });
});
