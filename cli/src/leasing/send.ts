// Signs and broadcasts leasing messages with a key from the keyring (the same flags and fee handling as every tx
// command: commands/tx-options.ts), waits for the block, and returns the message responses; a failed tx becomes an
// actionable error carrying the chain's code.
import { Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { leasingMsgTypes } from "@trustnet/abci-app";
import { resolveKeyName, showKey } from "../keyring/index.ts";
import { sendTx, type SentTx, type TxArgs } from "../commands/tx-options.ts";

export type KeyArgs = TxArgs;
export interface Msg { readonly typeUrl: string; readonly value: unknown }
export interface Sent { readonly hash: string; readonly height: number; readonly from: string; readonly fee: SentTx["fee"]; readonly responses: readonly { readonly typeUrl: string; readonly value: Uint8Array }[] }

export const LEASING = "/trustnet.leasing.v1.";
const registry = new Registry([...defaultRegistryTypes, ...leasingMsgTypes.map((t) => [t.typeUrl, t] as [string, never])]);

/** The --from key's address (default: the active key), without unlocking it. */
export async function fromAddress(a: { readonly home: string; readonly from?: string | undefined }): Promise<{ keyName: string; from: string }> {
  const keyName = await resolveKeyName(a.home, a.from);
  return { keyName, from: (await showKey(a.home, keyName)).address };
}

export async function sendLeasingMsgs(a: KeyArgs, build: (from: string) => Msg[] | Promise<Msg[]>): Promise<Sent> {
  const { res, from, fee } = await sendTx(a, build, { registry });
  return { hash: res.hash, height: res.height, from, fee, responses: res.msgResponses };
}
