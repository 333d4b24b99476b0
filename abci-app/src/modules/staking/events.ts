// x/staking's events, with the SDK's type and attribute names (explorers and indexers read them). Every staking
// event goes through emitStakingEvent, so its attributes are checked against this catalogue.
import type { EventSink } from "../../sdk/events.ts";

export interface StakingEvents {
  create_validator: { validator: string; amount: string };
  edit_validator: { validator: string; commission_rate: string; min_self_delegation: string };
  delegate: { validator: string; delegator: string; amount: string };
  unbond: { validator: string; delegator: string; amount: string; completion_time: string };
  redelegate: { source_validator: string; destination_validator: string; delegator: string; amount: string; completion_time: string };
  cancel_unbonding_delegation: { validator: string; delegator: string; amount: string; creation_height: string };
  complete_unbonding: { amount: string; validator: string; delegator: string };
  complete_redelegation: { delegator: string; source_validator: string; destination_validator: string };
  bond_validator: { validator: string };
  unbond_validator: { validator: string };
  jail: { validator: string; reason: string };
}

/**
 * An unbonding or redelegation's completion time as the SDK's events carry it: Go's `time.RFC3339` of a UTC time,
 * whole seconds ("2026-12-07T18:00:00Z"), the fraction dropped, not JSON's form.
 */
export const completionTimeAttr = (ms: bigint): string => new Date(Number(ms)).toISOString().replace(/\.\d{3}Z$/u, "Z");

export function emitStakingEvent<T extends keyof StakingEvents>(ev: EventSink, type: T, attrs: StakingEvents[T]): void {
  ev.emit(type, attrs);
}
