import type { Invariant } from "../../sdk/module.ts";
import type { BankKeeper } from "./expected-keepers.ts";
import { isOpen, type LeasingViewKeeper } from "./keeper.ts";
import { DENOM } from "./keys.ts";
import { LeaseState } from "./types.ts";

const ok = { broken: false, msg: "" } as const;
const broken = (msg: string) => ({ broken: true, msg });

/** Escrow, capacity and reward-pool invariants (docs/leasing.md); each walks every lease: tests and --check-invariants only. */
export function leasingInvariants(k: LeasingViewKeeper, bank: Pick<BankKeeper, "getBalance">): Invariant[] {
  return [
    {
      name: "leasing/escrow",
      check(ctx) {
        let open = 0n;
        for (const l of k.allLeases(ctx.store)) {
          const bal = BigInt(l.balance);
          if (bal < 0n) return broken(`lease ${l.id} has a negative balance ${bal}`);
          if (!isOpen(l) && bal !== 0n) return broken(`closed lease ${l.id} still holds ${bal}`);
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
        const used = new Map<string, { cpu: bigint; mem: bigint; disk: bigint; bw: bigint; n: bigint; units: bigint }>();
        let readyUnits = 0n;
        for (const l of k.allLeases(ctx.store)) {
          if (!isOpen(l)) continue;
          const u = used.get(l.provider) ?? { cpu: 0n, mem: 0n, disk: 0n, bw: 0n, n: 0n, units: 0n };
          const ready = l.state === LeaseState.ready ? l.units : 0n;
          readyUnits += ready;
          used.set(l.provider, { cpu: u.cpu + l.cpuMillis, mem: u.mem + l.memoryMib, disk: u.disk + l.diskGib, bw: u.bw + l.bandwidthMbps, n: u.n + 1n, units: u.units + ready });
        }
        for (const [, p] of k.providers(ctx.store)) {
          const u = used.get(p.owner) ?? { cpu: 0n, mem: 0n, disk: 0n, bw: 0n, n: 0n, units: 0n };
          used.delete(p.owner);
          if (p.usedCpuMillis > p.cpuMillis || p.usedMemoryMib > p.memoryMib || p.usedDiskGib > p.diskGib || p.usedBandwidthMbps > p.bandwidthMbps) return broken(`provider ${p.owner} uses more than its capacity`);
          if (u.cpu !== p.usedCpuMillis || u.mem !== p.usedMemoryMib || u.disk !== p.usedDiskGib || u.bw !== p.usedBandwidthMbps || u.n !== p.openLeases) return broken(`provider ${p.owner}: used capacity ≠ its open leases`);
          if (u.units !== p.readyUnits) return broken(`provider ${p.owner}: ready units ${p.readyUnits} ≠ ${u.units}`);
        }
        for (const [owner] of used) return broken(`open leases on unregistered provider ${owner}`);
        if (readyUnits !== k.totalReadyUnits(ctx.store)) return broken(`total ready units ${k.totalReadyUnits(ctx.store)} ≠ ${readyUnits}`);
        return ok;
      },
    },
    {
      name: "leasing/rewards",
      check(ctx) {
        let owed = 0n;
        for (const [, p] of k.providers(ctx.store)) owed += k.owedRewards(ctx.store, p);
        const pool = bank.getBalance(ctx.store, k.rewardsAddress(), DENOM);
        return pool >= owed ? ok : broken(`reward pool ${pool} < owed ${owed}`);
      },
    },
  ];
}
