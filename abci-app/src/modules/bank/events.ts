import { type Coin, formatCoins } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";

export function emitSpent(ev: EventSink, spender: string, coins: readonly Coin[]): void {
  ev.emit("coin_spent", { spender, amount: formatCoins(coins) });
}

export function emitReceived(ev: EventSink, receiver: string, coins: readonly Coin[]): void {
  ev.emit("coin_received", { receiver, amount: formatCoins(coins) });
}

export function emitTransfer(ev: EventSink, sender: string, recipient: string, coins: readonly Coin[]): void {
  ev.emit("transfer", { recipient, sender, amount: formatCoins(coins) });
}
