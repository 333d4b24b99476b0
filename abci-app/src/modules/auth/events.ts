// x/auth's events. The ante handler emits the SDK's `tx` events (fee payer, account sequence, signature), which
// explorers and cosmjs' indexers read; their attribute names are the SDK's.
import type { EventSink } from "../../sdk/events.ts";

export const emitTxFee = (ev: EventSink, fee: string, feePayer: string): void => ev.emit("tx", { fee, fee_payer: feePayer });
export const emitAccSeq = (ev: EventSink, accSeq: string): void => ev.emit("tx", { acc_seq: accSeq });
export const emitSignature = (ev: EventSink, signature: string): void => ev.emit("tx", { signature });
