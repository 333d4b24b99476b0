import type { EventSink } from "../../sdk/events.ts";

/** x/slashing's event types and attributes (x/slashing/types/events.go), so explorers read them unchanged. */
export function emitLiveness(ev: EventSink, consAddress: string, missedBlocks: bigint, height: bigint): void {
  ev.emit("liveness", { address: consAddress, missed_blocks: missedBlocks.toString(), height: height.toString() });
}

export function emitSlash(ev: EventSink, consAddress: string, power: bigint, reason: "missing_signature" | "double_sign", jailed: boolean): void {
  ev.emit("slash", { address: consAddress, power: power.toString(), reason, ...(jailed ? { jailed: consAddress } : {}) });
}

export function emitEvidenceIgnored(ev: EventSink, consAddress: string, height: bigint, why: string): void {
  ev.emit("evidence_ignored", { address: consAddress, infraction_height: height.toString(), reason: why });
}
