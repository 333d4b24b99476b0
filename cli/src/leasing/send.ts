// Signs and broadcasts leasing messages with a key from the keyring (the same flags and fee handling as every tx
// command: commands/tx-options.ts), waits for the block, and returns the message responses; a failed tx becomes an
// actionable error carrying the chain's code.
import { type OfflineSigner, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { leasingMsgTypes } from "@trustnet/abci-app";
import { getSigner, resolveKeyName, showKey } from "../keyring/index.ts";
import { sendTx, sendTxAs, type SentTx, type TxArgs } from "../commands/tx-options.ts";
import { passphraseSource } from "../commands/wallet-options.ts";
import { UsageError } from "../errors.ts";
import { printerFor } from "../global-options.ts";
import { sendInBatches, type SentBatch } from "./batches.ts";

export type KeyArgs = TxArgs;
export interface Msg { readonly typeUrl: string; readonly value: unknown }
/** A committed leasing tx; `height` as JSON prints a 64-bit number (a string, docs/wallet-cli.md). */
export interface Sent { readonly hash: string; readonly height: string; readonly from: string; readonly fee: SentTx["fee"]; readonly responses: readonly { readonly typeUrl: string; readonly value: Uint8Array }[] }

export const LEASING = "/trustnet.leasing.v1.";
const registry = new Registry([...defaultRegistryTypes, ...leasingMsgTypes.map((t) => [t.typeUrl, t] as [string, never])]);

/** The --from key's address (default: the active key), without unlocking it. */
export async function fromAddress(a: { readonly home: string; readonly from?: string | undefined }): Promise<{ keyName: string; from: string }> {
  const keyName = await resolveKeyName(a.home, a.from);
  return { keyName, from: (await showKey(a.home, keyName)).address };
}

export async function sendLeasingMsgs(a: KeyArgs, build: (from: string) => Msg[] | Promise<Msg[]>): Promise<Sent> {
  const { res, from, fee } = await sendTx(a, build, { registry });
  return { hash: res.hash, height: String(res.height), from, fee, responses: res.msgResponses };
}

/**
 * One transaction per batch (batches.ts: in order, each waited for, the first failure stops it and says which went
 * through), signed by the --from key, unlocked once for all of them.
 */
export async function sendLeasingBatches<T>(a: KeyArgs, batches: readonly (readonly T[])[], what: string, build: (from: string, items: readonly T[]) => Msg[]): Promise<SentBatch<T, Sent>[]> {
  if (a["generate-only"] === true) {
    const [only] = batches;
    if (batches.length !== 1 || only === undefined) throw new UsageError(`--generate-only prints one transaction; these ${what} need ${batches.length}`, `generate them in parts of at most ${batches[0]?.length ?? 0}`);
    await sendLeasingMsgs(a, (from) => build(from, only));
  }
  const { keyName, from } = await fromAddress(a);
  let unlocked: Promise<OfflineSigner> | undefined;
  const signer = { label: keyName, address: from, signer: () => (unlocked ??= getSigner(a.home, keyName, passphraseSource(a))) };
  return sendInBatches(batches, what, async (items) => {
    const { res, fee } = await sendTxAs(a, async () => signer, (owner) => build(owner, items), { registry });
    return { hash: res.hash, height: String(res.height), from, fee, responses: res.msgResponses };
  }, (line) => printerFor(a).info(line));
}
