// A 5,000-block randomized simulation of the leasing module (the SDK's simulation idea) through the app's real
// keepers and handlers on SQLite: providers register, update and deregister; tenants create, top up and close
// leases; providers report ready, withdraw and close; some messages come from the wrong account or are malformed.
// Every invariant (escrow = deposits − payments − refunds, capacity used ≤ capacity, reward pool, bank supply) is
// checked after every block, supply is conserved (only the fake mint's provision adds to it, only the take and
// forfeited rewards burn), no provider is paid more rewards than its take, and a failing message must change nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LeasingSim } from "../../app/testing/leasing.ts";
import { prng, tmpfsDbPath as tempDbPath } from "../../store/testing/helpers.ts";
import { addr, leaseMsg, Q, readyMsg, registerMsg, T, updateMsg, utrust } from "./testing/fixtures.ts";
import { LeaseState, QueryLeasesByProviderRequest, QueryLeasesResponse } from "./types.ts";

const BLOCKS = Number(process.env.LEASING_SIM_BLOCKS ?? 5000);
const PROVISION = 1000n;

describe("leasing simulation", () => {
  /** Runs `blocks` random blocks from `seed`; returns the app hash after each block and the sim (open). */
  function simulate(seed: number, blocks: number): { hashes: string[]; s: LeasingSim; stats: { ok: number; failed: number; closes: number } } {
    const rand = prng(seed);
    const int = (n: number): number => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
    const providers = [10, 11, 12, 13].map(addr);
    const tenants = [20, 21, 22, 23, 24].map(addr);
    const everyone = [...providers, ...tenants];
    const funds = 10n ** 12n;
    const dbPath = tempDbPath("tn-leasing-sim-");
    const s = new LeasingSim({ dbPath, provision: PROVISION, params: { readyTimeoutBlocks: "15", maxClosesPerBlock: "3", rewardShareBps: "2500" }, funded: everyone.map((address) => ({ address, amount: funds })) });
    const supply0 = s.keepers.bank.getSupply(s.store, "utrust");
    const stats = { ok: 0, failed: 0, closes: 0 };
    const openLeases = (p: string) => s.query(`${Q}LeasesByProvider`, QueryLeasesByProviderRequest.encode({ owner: p, state: 4n, pagination: [] }).finish(), QueryLeasesResponse.decode).leases;
    const hashes: string[] = [];
    for (let b = 0; b < blocks; b++) {
      s.begin();
      for (let n = int(4); n > 0; n--) {
        const r = rand();
        const p = pick(providers);
        const t = pick(tenants);
        const who = rand() < 0.1 ? pick(everyone) : undefined; // sometimes the wrong sender
        const open = r < 0.75 ? openLeases(p) : [];
        const l = open.length > 0 ? pick(open) : undefined;
        const id = l?.id ?? BigInt(1 + int(50));
        let res;
        if (r < 0.06) res = s.run(p, `${T}MsgRegisterProvider`, registerMsg(p, { cpuMillis: BigInt(1000 + int(16000)), memoryMib: BigInt(1024 + int(32768)), diskGib: BigInt(10 + int(500)), bandwidthMbps: BigInt(int(1000)), priceCpu: BigInt(int(20)), priceMemory: BigInt(int(10)), priceDisk: BigInt(int(3)), bond: utrust(1_000_000 + int(10)) }));
        else if (r < 0.08) res = s.run(p, `${T}MsgUpdateProvider`, updateMsg(p, { cpuMillis: BigInt(500 + int(16000)), priceCpu: BigInt(int(40)) }));
        else if (r < 0.1) res = s.run(p, `${T}MsgDeregisterProvider`, { owner: p });
        else if (r < 0.35) {
          res = s.run(t, `${T}MsgCreateLease`, leaseMsg(t, p, {
            cpuMillis: BigInt(int(5)) * 1000n, memoryMib: BigInt(1 + int(4096)), diskGib: BigInt(1 + int(50)), bandwidthMbps: BigInt(int(50)),
            image: rand() < 0.95 ? "alpine-3.22" : "ubuntu-24.04", deposit: utrust(int(20_000)), maxPricePerBlock: utrust(int(2000)),
          }));
        } else if (r < 0.5) res = s.run(who ?? p, `${T}MsgLeaseReady`, readyMsg(who ?? p, id));
        else if (r < 0.6) res = s.run(who ?? l?.tenant ?? t, `${T}MsgDepositLease`, { depositor: who ?? l?.tenant ?? t, leaseId: id, amount: utrust(1 + int(5000)) });
        else if (r < 0.75) res = s.run(who ?? p, `${T}MsgWithdrawLease`, { provider: who ?? p, leaseId: id });
        else if (r < 0.85) {
          const sender = who ?? (rand() < 0.5 ? t : p);
          res = s.run(sender, `${T}MsgCloseLease`, { sender, leaseId: BigInt(1 + int(Number(s.keepers.leasing.lease(s.store, 1n) ? 60 : 1))) });
        } else continue;
        if (res.code === 0) stats.ok++;
        else stats.failed++;
      }
      s.end(); // every invariant, after every block
      stats.closes += s.blockEvents.filter((e) => e.type === "lease_closed").length;
      assert.equal(s.keepers.bank.getSupply(s.store, "utrust") + s.keepers.bank.getBurned(s.store, "utrust"), supply0 + PROVISION * BigInt(b + 1), "supply conserved");
      hashes.push(Buffer.from(s.store.lastAppHash).toString("hex"));
    }
    return { hashes, s, stats };
  }

  test(`${BLOCKS} random blocks hold every invariant`, () => {
    const { s, stats } = simulate(20261205, BLOCKS);
    const all = [...s.keepers.leasing.allLeases(s.store)];
    assert.ok(stats.ok > BLOCKS / 3 && stats.failed > BLOCKS / 10, JSON.stringify(stats));
    assert.ok(all.filter((l) => l.state === LeaseState.closed).length > 50, "leases are closed");
    assert.ok(stats.closes > 20, "the sweeps close leases");
    assert.ok(all.some((l) => l.closeReason === "exhausted") && all.some((l) => l.closeReason === "ready_timeout"), "both sweeps ran");
    assert.ok(all.some((l) => BigInt(l.paid) > 0n), "providers were paid");
    const providers = [...s.keepers.leasing.providers(s.store)].map(([, p]) => p);
    assert.ok(providers.some((p) => BigInt(p.rewardsPaid) > 0n), "resource rewards were paid");
    assert.ok(s.keepers.bank.getBurned(s.store, "utrust") > 0n, "the take was burned");
    s.close();
  });

  test("a replay from the same seed computes the same app hash after every block (determinism)", () => {
    const a = simulate(7, 300);
    const b = simulate(7, 300);
    a.s.close();
    b.s.close();
    assert.deepEqual(b.hashes, a.hashes);
    assert.ok(a.stats.ok > 50, JSON.stringify(a.stats));
  });
});
