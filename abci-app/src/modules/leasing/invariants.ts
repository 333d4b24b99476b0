import type { Invariant } from "../../sdk/module.ts";
import type { BankKeeper } from "./expected-keepers.ts";
import { isOpen, type LeasingViewKeeper } from "./keeper.ts";
import { DENOM } from "./keys.ts";
import { type Lease, LeaseState } from "./types.ts";

const ok = { broken: false, msg: "" } as const;
const broken = (msg: string) => ({ broken: true, msg });

/**
 * Escrow, capacity and reward-pool invariants (docs/leasing.md). They walk the providers and their open leases
 * (the open-lease index), not the closed history: O(providers + open leases) per check. Closed leases are immutable
 * and settled to zero when they close, which the escrow totals would expose.
 */
export function leasingInvariants(k: LeasingViewKeeper, bank: Pick<BankKeeper, "getBalance">): Invariant[] {
  /** Open leases by provider, checked for being open and for their due-index entry. */
  const openLeases = (ctx: Parameters<Invariant["check"]>[0]): { leases: Lease[]; error?: string } => {
    const leases: Lease[] = [];
    for (const [, p] of k.providers(ctx.store)) {
      for (const [, l] of k.openLeasesOf(ctx.store, p.owner)) {
        if (!isOpen(l)) return { leases, error: `closed lease ${l.id} is in ${p.owner}'s open index` };
        leases.push(l);
      }
    }
    return { leases };
  };
  return [
    {
      name: "leasing/escrow",
      check(ctx) {
        const { leases, error } = openLeases(ctx);
        if (error) return broken(error);
        let open = 0n;
        for (const l of leases) {
          const bal = BigInt(l.balance);
          if (bal < 0n) return broken(`lease ${l.id} has a negative balance ${bal}`);
          if (BigInt(l.deposited) - BigInt(l.paid) - BigInt(l.refunded) !== bal) return broken(`lease ${l.id}: deposited − paid − refunded ≠ balance ${bal}`);
          open += bal;
        }
        const flows = k.total(ctx.store, "deposits") - k.total(ctx.store, "payments") - k.total(ctx.store, "refunds");
        if (flows !== open) return broken(`deposits − payments − refunds = ${flows}, open lease balances = ${open}`);
        let bonds = 0n;
        for (const [, p] of k.providers(ctx.store)) bonds += BigInt(p.bond);
        if (bonds !== k.total(ctx.store, "bonds")) return broken(`provider bonds ${bonds} ≠ bonds total ${k.total(ctx.store, "bonds")}`);
        const held = bank.getBalance(ctx.store, k.escrowAddress(), DENOM);
        if (held !== open + bonds) return broken(`escrow account holds ${held}, open leases ${open} + bonds ${bonds}`);
        return ok;
      },
    },
    {
      name: "leasing/capacity",
      check(ctx) {
        const { leases, error } = openLeases(ctx);
        if (error) return broken(error);
        const due = new Set<bigint>();
        for (const e of k.dueEntries(ctx.store)) {
          if (due.has(e.id)) return broken(`lease ${e.id} is in the due index twice`);
          due.add(e.id);
        }
        if (due.size !== leases.length) return broken(`${due.size} due-index entries for ${leases.length} open leases`);
        const used = new Map<string, { cpu: bigint; mem: bigint; disk: bigint; bw: bigint; n: bigint; rate: bigint }>();
        let readyRate = 0n;
        for (const l of leases) {
          if (!due.has(l.id)) return broken(`open lease ${l.id} has no due-index entry`);
          const u = used.get(l.provider) ?? { cpu: 0n, mem: 0n, disk: 0n, bw: 0n, n: 0n, rate: 0n };
          const ready = l.state === LeaseState.ready ? BigInt(l.rate) : 0n;
          readyRate += ready;
          used.set(l.provider, { cpu: u.cpu + l.cpuMillis, mem: u.mem + l.memoryMib, disk: u.disk + l.diskGib, bw: u.bw + l.bandwidthMbps, n: u.n + 1n, rate: u.rate + ready });
        }
        for (const [, p] of k.providers(ctx.store)) {
          const u = used.get(p.owner) ?? { cpu: 0n, mem: 0n, disk: 0n, bw: 0n, n: 0n, rate: 0n };
          if (p.usedCpuMillis > p.cpuMillis || p.usedMemoryMib > p.memoryMib || p.usedDiskGib > p.diskGib || p.usedBandwidthMbps > p.bandwidthMbps) return broken(`provider ${p.owner} uses more than its capacity`);
          if (u.cpu !== p.usedCpuMillis || u.mem !== p.usedMemoryMib || u.disk !== p.usedDiskGib || u.bw !== p.usedBandwidthMbps || u.n !== p.openLeases) return broken(`provider ${p.owner}: used capacity ≠ its open leases`);
          if (u.rate !== p.readyRate) return broken(`provider ${p.owner}: ready rate ${p.readyRate} ≠ ${u.rate}`);
        }
        if (readyRate !== k.totalReadyRate(ctx.store)) return broken(`total ready rate ${k.totalReadyRate(ctx.store)} ≠ ${readyRate}`);
        return ok;
      },
    },
    {
      name: "leasing/rewards",
      check(ctx) {
        let owed = 0n;
        for (const [, p] of k.providers(ctx.store)) {
          // the rule that makes self-dealing unprofitable: no provider is ever paid more rewards than its take burned
          if (BigInt(p.rewardsPaid) > BigInt(p.takeTotal)) return broken(`provider ${p.owner} was paid ${p.rewardsPaid} in rewards, more than its take ${p.takeTotal}`);
          owed += k.owedRewards(ctx.store, p);
        }
        const pool = bank.getBalance(ctx.store, k.rewardsAddress(), DENOM);
        return pool >= owed ? ok : broken(`reward pool ${pool} < owed ${owed}`);
      },
    },
  ];
}
