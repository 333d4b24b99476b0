// Broadcast and wait for inclusion without cosmjs' broadcastTx, whose 60 s timer is not cleared when CheckTx
// rejects the tx (the process then lingers for a minute after printing the error).
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { IndexedTx, SigningStargateClient, StdFee } from "@cosmjs/stargate";
import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CliError } from "../errors.ts";
import { TxNotConfirmedError, TxRejectedError } from "./errors.ts";
import { isConnectionError } from "./translate.ts";

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** Ends the wait at once (Ctrl-C): a TxNotConfirmedError naming the hash, as the deadline does. */
  readonly signal?: AbortSignal;
}

const INTERRUPTED = "interrupted (Ctrl-C) while waiting for it to be committed";

/** `work`, or a rejection with `onAbort()` as soon as `signal` aborts (the work is left to finish unobserved). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

const INDEXING_DISABLED = /transaction indexing is disabled/iu;
const TX_IN_CACHE = /tx already exists in cache/iu;

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code !== undefined ? `${err.message.replace(/ \([A-Z_]+\)$/u, "")} (${cause.code})` : err.message;
}

/**
 * Polls `getTx(hash)` until the tx is indexed. Once a tx has a hash every failure names it (TxNotConfirmedError):
 * a lost connection or a request timeout is retried until the deadline; a node that does not index txs, any other
 * error, the deadline, or `signal` (Ctrl-C) ends the wait.
 */
export async function waitForTx(client: Pick<SigningStargateClient, "getTx">, hash: string, opts: WaitOptions = {}): Promise<IndexedTx> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pollMs = opts.pollMs ?? 400;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  const interrupted = () => new TxNotConfirmedError(hash, INTERRUPTED);
  for (;;) {
    try {
      const tx = await unlessAborted(client.getTx(hash), opts.signal, interrupted);
      if (tx !== null) return tx;
      lastError = undefined;
    } catch (err) {
      if (err instanceof TxNotConfirmedError) throw err;
      if (err instanceof Error && INDEXING_DISABLED.test(`${err.message} ${(err.cause as Error | undefined)?.message ?? ""}`)) {
        throw new TxNotConfirmedError(hash, "the node does not index transactions (tx_index is \"null\" in its config.toml)", {
          hint: `check \`trustnet tx ${hash} --node <a node that indexes txs>\` (or the balance) before retrying: it may be committed, and sending again could pay twice`,
          cause: err,
        });
      }
      if (!(err instanceof Error) || !isConnectionError(err)) throw new TxNotConfirmedError(hash, `the search for it failed: ${reasonOf(err)}`, { cause: err });
      lastError = err;
    }
    if (performance.now() >= deadline) {
      const secs = Math.round(timeoutMs / 1000);
      throw lastError === undefined
        ? new TxNotConfirmedError(hash, `not committed within ${secs} s`)
        : new TxNotConfirmedError(hash, `the node did not answer for ${secs} s (${reasonOf(lastError)})`, { cause: lastError });
    }
    let timer: NodeJS.Timeout | undefined;
    await unlessAborted(new Promise((r) => (timer = setTimeout(r, pollMs))), opts.signal, interrupted).finally(() => clearTimeout(timer));
  }
}

/**
 * Signs, broadcasts (CheckTx errors throw BroadcastTxError at once) and waits for the tx to be committed. The hash is
 * known before the broadcast (sha256 of the signed bytes, as CometBFT computes it), so a broadcast whose answer is
 * lost still names it (TxNotConfirmedError): the node may have taken the tx. So does `opts.signal` (the CLI's Ctrl-C,
 * withCtrlC) from the broadcast on; aborted before it, nothing is sent.
 */
export async function signBroadcastAndWait(
  client: SigningStargateClient,
  signer: string,
  msgs: readonly EncodeObject[],
  fee: StdFee,
  memo: string,
  opts: WaitOptions = {},
): Promise<IndexedTx> {
  return broadcastAndWait(client, TxRaw.encode(await client.sign(signer, [...msgs], fee, memo)).finish(), opts);
}

/**
 * signBroadcastAndWait's second half, for a tx signed already (`trustnet tx broadcast`): broadcasts the TxRaw bytes
 * and waits for them to be committed, with the same errors (the hash named from the broadcast on) and Ctrl-C.
 */
export async function broadcastAndWait(client: Pick<SigningStargateClient, "broadcastTxSync" | "getTx">, bytes: Uint8Array, opts: WaitOptions = {}): Promise<IndexedTx> {
  const hash = toHex(sha256(bytes)).toUpperCase();
  if (opts.signal?.aborted) throw new CliError("interrupted (Ctrl-C) before the transaction was broadcast: nothing was sent", { exitCode: 130 });
  try {
    await unlessAborted(client.broadcastTxSync(bytes), opts.signal, () => new TxNotConfirmedError(hash, "interrupted (Ctrl-C) before the node answered the broadcast"));
  } catch (err) {
    if (err instanceof Error && isConnectionError(err)) throw new TxNotConfirmedError(hash, `the node did not answer the broadcast (${reasonOf(err)})`, { cause: err });
    // CometBFT's answer (a JSON-RPC error, not a CheckTx result) to bytes its mempool cache holds: sent before.
    if (err instanceof Error && TX_IN_CACHE.test(err.message)) {
      throw new TxRejectedError(`the node already has this exact transaction, ${hash}: it was broadcast before and is pending or committed`, {
        hint: `check it with \`trustnet tx ${hash}\`; to send the same again, sign it again (the account's next sequence)`,
        code: 19,
        txHash: hash,
        cause: err,
      });
    }
    throw err;
  }
  return waitForTx(client, hash, opts);
}

/**
 * Runs `f` with a signal that Ctrl-C (SIGINT) aborts instead of killing the process: a command that sends a tx then
 * ends its wait naming the hash (exit 3), where exit 130 said nothing of a tx that was broadcast (and a retry would
 * pay twice). For the CLI's one-shot commands; a daemon (`provider run`) has its own shutdown and does not use it.
 */
export async function withCtrlC<T>(f: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrlC = new AbortController();
  const onSigint = (): void => ctrlC.abort();
  process.on("SIGINT", onSigint);
  try {
    return await f(ctrlC.signal);
  } finally {
    process.off("SIGINT", onSigint);
  }
}
