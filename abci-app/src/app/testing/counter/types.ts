import { bytes, messageCodec, str, u64 } from "../../../sdk/proto-codec.ts";

const P = "/trustnet.counter.v1.";
export interface MsgIncrement { sender: string; by: bigint }
export const MsgIncrement = messageCodec<MsgIncrement>(`${P}MsgIncrement`, [str("sender", 1), u64("by", 2)]);
export const QueryCountRequest = messageCodec<Record<string, never>>(`${P}QueryCountRequest`, []);
export const QueryCountResponse = messageCodec<{ count: bigint; validatorKey: Uint8Array }>(`${P}QueryCountResponse`, [u64("count", 1), bytes("validatorKey", 2)]);

export interface CounterGenesis {
  readonly count: bigint;
  /** The 32-byte ed25519 consensus key whose power the end blocker sets to the count. */
  readonly validatorKey: Uint8Array;
}
