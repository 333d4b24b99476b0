// Lease, provider and registry reads check the node's chain id like every chain command (connect.ts's probe): a
// node of another chain is refused before anything is asked of it, and `lease ssh` pins no host key from it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("lease, provider and registry queries check --chain-id", () => {
  let node: FakeNode;
  let home: string;
  before(async () => {
    node = await startFakeNode({ chainId: "evil-1" });
    home = await mkdtemp(join(tmpdir(), "tn-chainid-"));
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });

  for (const argv of [["lease", "show", "1"], ["lease", "ssh", "1"], ["provider", "list"], ["provider", "status", "trust1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq6772n7"], ["registry", "list"], ["registry", "namespace", "owner", "acme"], ["registry", "tags", "acme/app"]]) {
    test(`${argv.join(" ")} on a node of another chain is refused before any query`, async () => {
      const asked = node.calls.length;
      const r = await runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`error: the node at ${node.url} is on chain "evil-1", not "trustnet-local-1"`, "u"));
      assert.deepEqual(node.calls.slice(asked), ["status"], "only the probe reached the node");
    });
  }

  test("lease ssh wrote no known_hosts", async () => {
    await assert.rejects(readdir(join(home, "lease-ssh")), /ENOENT/u);
  });

  test("the right chain id gets the queries through", async () => {
    const asked = node.calls.length;
    const r = await runCli(["registry", "list", "--home", home, "--node", node.url, "--chain-id", "evil-1"]);
    assert.ok(node.calls.slice(asked).some((c) => c.startsWith("abci_query /trustnet.registry")), `${r.stderr} ${node.calls.join(",")}`);
  });
});
