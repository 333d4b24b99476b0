// `provider list` shows whether each provider takes new leases, and `--active` (or `--status`) leaves out paused
// ones: the real CLI against a fake node whose Query/Providers lists one paused and one active provider.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { leasingTypes as L } from "@trustnet/abci-app";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

const ACTIVE = toBech32("trust", new Uint8Array(20).fill(7));
const PAUSED = toBech32("trust", new Uint8Array(20).fill(8));
const offer = { endpoint: "https://p.example:8443", region: "eu-west", cpuMillis: 4000n, memoryMib: 8192n, diskGib: 100n, images: ["alpine-3.22"], bond: "1000000" };

describe("provider list: paused providers", () => {
  let home: string;
  let node: FakeNode;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-provider-list-"));
    const providers = [L.Provider.fromPartial({ ...offer, owner: ACTIVE }), L.Provider.fromPartial({ ...offer, owner: PAUSED, paused: true })];
    node = await startFakeNode({
      abciQuery: (path) => (path === "/trustnet.leasing.v1.Query/Providers" ? { value: L.QueryProvidersResponse.encode({ providers, pagination: [] }).finish() } : undefined),
    });
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const list = async (...flags: string[]) => runCli(["provider", "list", "--home", home, "--node", node.url, ...flags]);
  const owners = async (...flags: string[]) => {
    const r = await list("-o", "json", ...flags);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { providers: { owner: string; paused: boolean }[] }).providers.map((p) => [p.owner, p.paused]);
  };

  test("every provider by default, each with `paused`; text marks the paused one", async () => {
    assert.deepEqual(await owners(), [[ACTIVE, false], [PAUSED, true]]);
    const text = await list();
    assert.match(text.stdout, new RegExp(`provider ${PAUSED} \\(eu-west, [^)]+\\)   PAUSED: no new leases`, "u"));
    assert.doesNotMatch(text.stdout, new RegExp(`provider ${ACTIVE} [^\\n]*PAUSED`, "u"));
  });

  test("--active (= --status active) hides it, --status paused lists only it; --active --status paused is a usage error", async () => {
    assert.deepEqual(await owners("--active"), [[ACTIVE, false]]);
    assert.deepEqual(await owners("--status", "active"), [[ACTIVE, false]]);
    assert.deepEqual(await owners("--status", "paused"), [[PAUSED, true]]);
    const both = await list("--active", "--status", "paused");
    assert.equal(both.code, 2, both.stderr);
    assert.match(both.stderr, /--active and --status paused contradict each other/u);
    const bad = await list("--status", "open");
    assert.equal(bad.code, 2, bad.stderr);
  });
});
