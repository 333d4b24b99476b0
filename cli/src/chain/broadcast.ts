// Broadcast and wait for inclusion without cosmjs' broadcastTx, whose 60 s timer is not cleared when CheckTx
// rejects the tx (the process then lingers for a minute after printing the error).
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { IndexedTx, SigningStargateClient, StdFee } from "@cosmjs/stargate";
import { TxRejectedError } from "./errors.ts";

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

/** Polls `getTx(hash)` until the tx is indexed; TxRejectedError (with the hash) after the timeout. */
export async function waitForTx(client: Pick<SigningStargateClient, "getTx">, hash: string, opts: WaitOptions = {}): Promise<IndexedTx> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pollMs = opts.pollMs ?? 400;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const tx = await client.getTx(hash);
    if (tx !== null) return tx;
    if (performance.now() >= deadline) {
      throw new TxRejectedError(`transaction ${hash} was broadcast but not committed within ${Math.round(timeoutMs / 1000)} s`, {
        hint: `it may still be committed; check with \`trustnet tx ${hash}\``,
        txHash: hash,
      });
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Signs, broadcasts (CheckTx errors throw BroadcastTxError at once) and waits for the tx to be committed. */
export async function signBroadcastAndWait(
  client: SigningStargateClient,
  signer: string,
  msgs: readonly EncodeObject[],
  fee: StdFee | number,
  memo: string,
  opts: WaitOptions = {},
): Promise<IndexedTx> {
  const hash = await client.signAndBroadcastSync(signer, msgs, fee, memo);
  return waitForTx(client, hash, opts);
}
