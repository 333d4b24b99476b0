import { type Coin, formatCoins } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";

// The keys below are fixed and non-empty, so a sink that keeps nothing (CheckTx) has nothing to check: the coin
// strings are formatted only for a sink that keeps them.
export function emitSpent(ev: EventSink, spender: string, coins: readonly Coin[]): void {
  if (ev.keeps) ev.emit("coin_spent", { spender, amount: formatCoins(coins) });
}

export function emitReceived(ev: EventSink, receiver: string, coins: readonly Coin[]): void {
  if (ev.keeps) ev.emit("coin_received", { receiver, amount: formatCoins(coins) });
}

export function emitTransfer(ev: EventSink, sender: string, recipient: string, coins: readonly Coin[]): void {
  if (ev.keeps) ev.emit("transfer", { recipient, sender, amount: formatCoins(coins) });
}
