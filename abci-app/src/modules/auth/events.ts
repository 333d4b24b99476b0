// x/auth's events. The ante handler emits the SDK's `tx` events (fee payer, account sequence, signature), which
// explorers and cosmjs' indexers read; their attribute names are the SDK's.
import { type Coin, formatCoins } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";

// Fixed, non-empty keys: the values are formatted only for a sink that keeps events (not in CheckTx).
export const emitTxFee = (ev: EventSink, fee: readonly Coin[], feePayer: string): void => {
  if (ev.keeps) ev.emit("tx", { fee: formatCoins(fee), fee_payer: feePayer });
};
export const emitAccSeq = (ev: EventSink, signer: string, sequence: bigint): void => {
  if (ev.keeps) ev.emit("tx", { acc_seq: `${signer}/${sequence}` });
};
export const emitSignature = (ev: EventSink, signature: Uint8Array): void => {
  // Standard base64 with padding, as @cosmjs/encoding's toBase64, from Node's native encoder (one per tx in a block).
  if (ev.keeps) ev.emit("tx", { signature: Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString("base64") });
};
