// More messages than one transaction takes (`provider withdraw` with no ids, on a provider with hundreds of open
// leases): one transaction per batch of at most MSGS_PER_TX, in order, each waited for, stopping at the first that
// fails. The error then says which batches went through and which were not sent (docs/leasing.md, CLI).
import { MAX_MSGS_PER_TX } from "@trustnet/abci-app";
import { CliError } from "../errors.ts";

/** The most messages the chain takes in one transaction (abci-app sdk/tx/decode.ts, MAX_MSGS_PER_TX): one definition. */
export const MSGS_PER_TX = MAX_MSGS_PER_TX;

/** `items` in order, cut into runs of at most `size`. */
export function inBatches<T>(items: readonly T[], size = MSGS_PER_TX): T[][] {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`batch size ${size} is not a positive integer`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A sent batch: its items and what sending it returned (its tx hash at least). */
export interface SentBatch<T, R> { readonly items: readonly T[]; readonly sent: R }

const span = <T>(b: readonly T[]): string => (b.length === 1 ? `${String(b[0])}` : `${String(b[0])} … ${String(b.at(-1))} (${b.length})`);

/**
 * Sends every batch in turn (`send` waits for its block), telling `progress` "batch i of n: <what> …" before each
 * when there is more than one. The first failure stops it: nothing after it is sent, and a CliError (the failure's
 * exit code, its hint after ours) says which batches went through, with their tx hashes, and which were not sent.
 * A single batch's failure is thrown as it is.
 */
export async function sendInBatches<T, R extends { readonly hash: string }>(
  batches: readonly (readonly T[])[], what: string, send: (items: readonly T[]) => Promise<R>, progress: (line: string) => void,
): Promise<SentBatch<T, R>[]> {
  const done: SentBatch<T, R>[] = [];
  for (const [i, items] of batches.entries()) {
    if (batches.length > 1) progress(`batch ${i + 1} of ${batches.length}: ${what} ${span(items)} …`);
    try {
      done.push({ items, sent: await send(items) });
    } catch (e) {
      if (batches.length === 1) throw e;
      const err = e instanceof Error ? e : new Error(String(e));
      const through = done.length === 0 ? "no batch was sent before it" : `batch${done.length > 1 ? `es 1–${done.length}` : " 1"} went through (${done.reduce((n, d) => n + d.items.length, 0)} ${what}: tx ${done.map((d) => d.sent.hash).join(", ")})`;
      const rest = i + 1 < batches.length ? `; batch${i + 2 < batches.length ? `es ${i + 2}–${batches.length}` : ` ${batches.length}`} not sent` : "";
      const hint = err instanceof CliError ? err.hint : undefined;
      throw new CliError(`batch ${i + 1} of ${batches.length} (${what} ${span(items)}) failed: ${err.message}`, {
        hint: `${through}${rest}${hint ? `. ${hint}` : ""}`, exitCode: err instanceof CliError ? err.exitCode : 1, cause: e,
      });
    }
  }
  return done;
}
