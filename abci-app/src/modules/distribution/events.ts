import { type Coin, formatCoins } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";
import type { DecCoins } from "./dec-coins.ts";

/** DecCoins in the SDK's event form, "1.500000000000000000utrust". */
const formatDecCoins = (d: DecCoins): string => d.map((c) => `${c.amount / 10n ** 18n}.${(c.amount % 10n ** 18n).toString().padStart(18, "0")}${c.denom}`).join(",");

export function emitWithdrawRewards(events: EventSink, e: { amount: readonly Coin[]; validator: string; delegator: string }): void {
  events.emit("withdraw_rewards", { amount: formatCoins(e.amount), validator: e.validator, delegator: e.delegator });
}

export function emitWithdrawCommission(events: EventSink, amount: readonly Coin[]): void {
  events.emit("withdraw_commission", { amount: formatCoins(amount) });
}

export function emitSetWithdrawAddress(events: EventSink, address: string): void {
  events.emit("set_withdraw_address", { withdraw_address: address });
}

/** Per validator and block: its commission and its whole reward (the SDK's `commission` and `rewards` events). */
export function emitAllocation(events: EventSink, validator: string, commission: DecCoins, rewards: DecCoins): void {
  events.emit("commission", { amount: formatDecCoins(commission), validator });
  events.emit("rewards", { amount: formatDecCoins(rewards), validator });
}
