import type { EventSink } from "../../sdk/events.ts";
import { formatDec } from "../../sdk/dec.ts";

/** The SDK's `mint` event: bonded ratio, inflation, annual provisions and the block's minted amount. */
export function emitMint(events: EventSink, e: { bondedRatio: bigint; inflation: bigint; annualProvisions: bigint; amount: bigint }): void {
  events.emit("mint", {
    bonded_ratio: formatDec(e.bondedRatio), inflation: formatDec(e.inflation), annual_provisions: formatDec(e.annualProvisions), amount: e.amount.toString(),
  });
}
