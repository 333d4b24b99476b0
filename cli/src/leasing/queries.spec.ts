// Lease, provider and registry reads check the node's chain id like every chain command (connect.ts's probe): a
// node of another chain is refused before anything is asked of it, and `lease ssh` pins no host key from it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { leasingTypes as L } from "@trustnet/abci-app";
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

describe("lease and provider reads on a chain that moves while they read", () => {
  const OWNER = "trust1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq6772n7";
  const Q = "/trustnet.leasing.v1.Query/";
  let node: FakeNode;
  let home: string;
  /** The heights the leasing queries were asked at, in order ("latest" when none). */
  const heights: string[] = [];
  const lease = (id: bigint): L.Lease => ({
    id, tenant: OWNER, provider: OWNER, image: "alpine-3.22", sshPubkeys: ["ssh-ed25519 AAAA"], cpuMillis: 1000n, memoryMib: 512n, diskGib: 5n, bandwidthMbps: 10n,
    rate: "1", balance: "100", deposited: "100", paid: "0", refunded: "0", state: 2n, createdHeight: 1n, readyHeight: 2n, settledHeight: 2n, closedHeight: 0n, closeReason: "",
    sshHost: "", sshPort: 0n, hostKeyFingerprint: "", hostPublicKey: "", dueHeight: 100n,
  });
  before(async () => {
    let latest = 10n;
    // Leases 1 and 2 are open at height 10; block 11 (made once the first page is read) closes 2 and opens 3.
    const open = (h: string): L.Lease[] => (h === "10" ? [lease(1n), lease(2n)] : [lease(1n), lease(3n)]);
    node = await startFakeNode({
      abciQuery: (path, data, height) => {
        if (!path.startsWith(Q)) return undefined;
        heights.push(height ?? "latest");
        const at = height ?? String(latest++);
        if (at === "3") return { code: 26, codespace: "sdk", log: "height 3 is not available (oldest 5, latest 11): invalid height", height: "0" };
        if (path === `${Q}Lease`) return { code: 18, codespace: "sdk", log: "lease 5: invalid request\nerror: FAKE LINE", height: at };
        const page = L.QueryLeasesByTenantRequest.decode(data).pagination[0];
        const from = page?.key?.length ? Number(page.key[0]) : 0;
        const ls = open(at).filter((l) => l.id >= BigInt(from));
        const nextKey = from === 0 ? new Uint8Array([Number(ls[1]?.id ?? 0n)]) : new Uint8Array();
        return { value: L.QueryLeasesResponse.encode({ leases: from === 0 ? ls.slice(0, 1) : ls, pagination: [{ nextKey, total: 0n }] }).finish(), height: at };
      },
    });
    home = await mkdtemp(join(tmpdir(), "tn-leasing-reads-"));
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });

  test("lease list reads its second page at the first page's height", async () => {
    heights.length = 0;
    const r = await runCli(["lease", "list", OWNER, "--output", "json", "--home", home, "--node", node.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { leases: { lease_id: string }[] }).leases.map((l) => l.lease_id), ["1", "2"], "height 10's open leases, not 1 from 10 and 3 from 11");
    assert.deepEqual(heights, ["latest", "10"]);
  });

  test("--height reads every page at that height; a bad one is refused before any query, one not kept names the range", async () => {
    heights.length = 0;
    const r = await runCli(["lease", "list", OWNER, "--height", "10", "--output", "json", "--home", home, "--node", node.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { leases: { lease_id: string }[] }).leases.map((l) => l.lease_id), ["1", "2"]);
    assert.deepEqual(heights, ["10", "10"]);
    for (const argv of [["lease", "show", "1"], ["provider", "status", OWNER], ["provider", "earnings", OWNER], ["provider", "list"]]) {
      const bad = await runCli([...argv, "--height", "-1", "--home", home, "--node", node.url]);
      assert.match(bad.stderr, /--height: "-1" is not a block height/u, argv.join(" "));
      const gone = await runCli([...argv, "--height", "3", "--home", home, "--node", node.url]);
      assert.match(gone.stderr, /^error: height 3 is not available on this node: it keeps heights 5 to 11$/mu, argv.join(" "));
    }
    assert.deepEqual(heights, ["10", "10", "3", "3", "3", "3"], "the bad heights reached no node");
  });

  test("a refused query is a query error with its code and codespace", async () => {
    const r = await runCli(["lease", "show", "5", "--home", home, "--node", node.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: query \/trustnet\.leasing\.v1\.Query\/Lease: the node refused the query \(code 18, sdk\): lease 5: invalid request\\x0aerror: FAKE LINE$/mu);
  });
});
