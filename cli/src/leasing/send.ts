// Signs and broadcasts leasing messages with a key from the keyring, waits for the block, and returns the
// message responses; a failed tx becomes an actionable error carrying the chain's code.
import { Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { leasingMsgTypes } from "@trustnet/abci-app";
import { connectSigningClient, explainTxFailure, parseGasPrice, signBroadcastAndWait, translateChainError, TxRejectedError } from "../chain/index.ts";
import { CliError } from "../errors.ts";
import type { GlobalOptions } from "../global-options.ts";
import { getSigner, resolveKeyName, showKey } from "../keyring/index.ts";
import { passphraseSource, type PassphraseOptions } from "../commands/wallet-options.ts";

export type KeyArgs = GlobalOptions & PassphraseOptions & { readonly from?: string };
export interface Msg { readonly typeUrl: string; readonly value: unknown }
export interface Sent { readonly hash: string; readonly height: number; readonly from: string; readonly responses: readonly { readonly typeUrl: string; readonly value: Uint8Array }[] }

export const LEASING = "/trustnet.leasing.v1.";
const registry = new Registry([...defaultRegistryTypes, ...leasingMsgTypes.map((t) => [t.typeUrl, t] as [string, never])]);

/** The --from key's address (default: the active key), without unlocking it. */
export async function fromAddress(a: KeyArgs): Promise<{ keyName: string; from: string }> {
  const keyName = await resolveKeyName(a.home, a.from);
  return { keyName, from: (await showKey(a.home, keyName)).address };
}

export async function sendLeasingMsgs(a: KeyArgs, build: (from: string) => Msg[] | Promise<Msg[]>): Promise<Sent> {
  const { keyName, from } = await fromAddress(a);
  const msgs = await build(from);
  const client = await connectSigningClient({
    node: a.node, chainId: a["chain-id"], gasPrice: parseGasPrice("0.025utrust"), registry, signer: () => getSigner(a.home, keyName, passphraseSource(a)),
  });
  try {
    const res = await signBroadcastAndWait(client, from, msgs, 1.5, "");
    if (res.code !== 0) {
      const e = explainTxFailure(res.code, undefined, res.rawLog, { node: a.node, from });
      throw new TxRejectedError(`transaction ${res.hash} failed in block ${res.height}: ${e.message}`, { ...(e.hint === undefined ? {} : { hint: e.hint }), code: res.code, txHash: res.hash });
    }
    return { hash: res.hash, height: res.height, from, responses: res.msgResponses };
  } catch (err) {
    throw err instanceof CliError ? err : translateChainError(err, { node: a.node, from });
  } finally {
    client.disconnect();
  }
}
