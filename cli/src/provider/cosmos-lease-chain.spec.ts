// The daemon's poll of its open leases (providerOpenLeases) when a block lands between two pages of the list: every
// page is read at the height of the first, so the daemon acts on one block's leases, never on a mix of two (a lease
// closed in the new block still listed from the old page, one created in it listed from the new page).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { type HeightQuery, leasingTypes as L } from "@trustnet/abci-app";
import { providerOpenLeases } from "./cosmos-lease-chain.ts";

const PROVIDER = "trust1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq6772n7";

const lease = (id: bigint, state: bigint): L.Lease => ({
  id, tenant: PROVIDER, provider: PROVIDER, image: "alpine-3.22", sshPubkeys: ["ssh-ed25519 AAAA"], cpuMillis: 1000n, memoryMib: 512n, diskGib: 5n, bandwidthMbps: 10n,
  rate: "1", balance: "100", deposited: "100", paid: "0", refunded: "0", state, createdHeight: 1n, readyHeight: 0n, settledHeight: 1n, closedHeight: 0n, closeReason: "",
  sshHost: "", sshPort: 0n, hostKeyFingerprint: "", hostPublicKey: "", dueHeight: 100n,
});

/**
 * The open leases by height, answered as the app answers LeasesByProvider: in id order from the page key (the id
 * of the first lease not yet listed), `limit` at a time. `latest` is the height an unpinned query reads.
 */
function chain(byHeight: ReadonlyMap<bigint, readonly L.Lease[]>, latest: () => bigint): { query: HeightQuery; asked: (bigint | undefined)[] } {
  const asked: (bigint | undefined)[] = [];
  const query: HeightQuery = async (_path, data, at) => {
    asked.push(at);
    const height = at ?? latest();
    const req = L.QueryLeasesByProviderRequest.decode(data);
    const page = req.pagination[0];
    const from = page?.key && page.key.length > 0 ? Buffer.from(page.key).readBigUInt64BE() : 0n;
    const open = (byHeight.get(height) ?? []).filter((l) => l.id >= from);
    const items = open.slice(0, Number(page?.limit ?? 100n));
    const next = open[items.length];
    const nextKey = next === undefined ? new Uint8Array() : (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(next.id); return new Uint8Array(b); })();
    return { value: L.QueryLeasesResponse.encode({ leases: items, pagination: [{ nextKey, total: 0n }] }).finish(), height };
  };
  return { query, asked };
}

describe("the provider daemon's open-lease poll", () => {
  test("a block landing between two pages does not mix two heights' leases", async () => {
    // Block 11 closes lease 1 (on page 1) and opens lease 4 (on page 2); it lands once page 1 has been read.
    const byHeight = new Map([[10n, [lease(1n, 2n), lease(2n, 2n), lease(3n, 1n)]], [11n, [lease(2n, 2n), lease(3n, 2n), lease(4n, 1n)]]]);
    let latest = 10n;
    const { query, asked } = chain(byHeight, () => {
      const h = latest;
      latest = 11n;
      return h;
    });
    const open = await providerOpenLeases(query, PROVIDER, 2n);
    assert.deepEqual(open.map((l) => [l.id, l.state]), [["1", "ready"], ["2", "ready"], ["3", "pending"]], "height 10's open leases, all of them and only them");
    assert.deepEqual(asked, [undefined, 10n], "page 2 is read at page 1's height");
  });
});
