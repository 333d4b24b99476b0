import type { EventSink } from "../../sdk/events.ts";
import { DENOM } from "./keys.ts";
import type { Lease } from "./types.ts";

// Event types and attributes: docs/leasing.md, "Events". The provider daemon watches lease_created, lease_ready and
// lease_closed (the sweeps emit lease_closed in FinalizeBlock's block events).

export function emitCreated(events: EventSink, l: Lease): void {
  events.emit("lease_created", {
    lease_id: l.id.toString(), tenant: l.tenant, provider: l.provider, image: l.image, cpu_millis: l.cpuMillis.toString(), memory_mib: l.memoryMib.toString(),
    disk_gib: l.diskGib.toString(), bandwidth_mbps: l.bandwidthMbps.toString(), rate: `${l.rate}${DENOM}`, deposit: `${l.deposited}${DENOM}`,
  });
}

export function emitReady(events: EventSink, l: Lease): void {
  events.emit("lease_ready", { lease_id: l.id.toString(), provider: l.provider, ssh_host: l.sshHost, ssh_port: l.sshPort.toString(), host_key_fingerprint: l.hostKeyFingerprint });
}

export function emitDeposit(events: EventSink, l: Lease, depositor: string, amount: bigint): void {
  events.emit("lease_deposit", { lease_id: l.id.toString(), depositor, amount: `${amount}${DENOM}`, balance: `${l.balance}${DENOM}` });
}

/** `paid` reached the provider, `take` was burned; together they left the escrow. */
export function emitSettled(events: EventSink, l: Lease, paid: bigint, take: bigint, height: bigint): void {
  events.emit("lease_settled", { lease_id: l.id.toString(), provider: l.provider, paid: `${paid}${DENOM}`, take: `${take}${DENOM}`, balance: `${l.balance}${DENOM}`, height: height.toString() });
}

export function emitWithdraw(events: EventSink, id: bigint, provider: string, paid: bigint, rewards: bigint, take: bigint): void {
  events.emit("lease_withdraw", { lease_id: id.toString(), provider, paid: `${paid}${DENOM}`, rewards: `${rewards}${DENOM}`, take: `${take}${DENOM}` });
}

export function emitClosed(events: EventSink, l: Lease, refund: bigint): void {
  events.emit("lease_closed", { lease_id: l.id.toString(), tenant: l.tenant, provider: l.provider, reason: l.closeReason, refund: `${refund}${DENOM}` });
}

export function emitProvider(events: EventSink, what: "registered" | "updated", owner: string): void {
  events.emit(`provider_${what}`, { owner });
}

/** The bond returned, the rewards paid, and what accrued beyond the provider's take, burned. */
export function emitDeregistered(events: EventSink, owner: string, r: { bond: bigint; rewards: bigint; forfeited: bigint }): void {
  events.emit("provider_deregistered", { owner, bond: `${r.bond}${DENOM}`, rewards: `${r.rewards}${DENOM}`, forfeited: `${r.forfeited}${DENOM}` });
}
