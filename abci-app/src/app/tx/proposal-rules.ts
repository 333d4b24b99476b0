// What a block may carry, beyond CometBFT's own checks, and the mempool's admission rule for deadlines. A tx that
// fails these would fail in FinalizeBlock before its fee is charged, so a block of them costs its sender nothing:
// PrepareProposal leaves such txs out and ProcessProposal rejects a block that has one (both from the same rule, so
// an honest proposal is always accepted). Pure functions of the tx's bytes, the block's height and time, and the
// consensus params: every validator decides the same.
import { formatTimestamp, type BlockTime } from "../../sdk/block-time.ts";
import type { AppError } from "../../sdk/errors.ts";
import type { TxDecodeResult } from "../../sdk/tx/decode.ts";
import { expiryError, txDeadline } from "../../modules/auth/index.ts";
import { ErrTxTimeout } from "../../sdk/errors.ts";

/**
 * CheckTx refuses a new tx whose deadline is less than this many seconds after the last block's time: a tx
 * admitted with a nearer deadline could expire before a block includes it, and an expired tx pays nothing, so the
 * mempool would carry it (and every peer check it) for free. A mempool policy, not a consensus rule: RECHECK and
 * blocks enforce only the deadline itself.
 */
export const MIN_DEADLINE_MARGIN_SECONDS = 30n;

/** Why the mempool refuses `decoded` (a new tx, checked after the last block of time `last`); undefined when it does not. */
export function deadlineTooSoon(decoded: TxDecodeResult, last: BlockTime): AppError | undefined {
  const deadline = decoded.tx === undefined ? undefined : txDeadline(decoded.tx);
  if (deadline === undefined) return undefined;
  const ns = (t: { readonly seconds: bigint; readonly nanos: number }): bigint => t.seconds * 1_000_000_000n + BigInt(t.nanos);
  if (ns(deadline) > ns(last) + MIN_DEADLINE_MARGIN_SECONDS * 1_000_000_000n) return undefined;
  return ErrTxTimeout.wrap(
    `timeout timestamp ${formatTimestamp(deadline)} is less than ${MIN_DEADLINE_MARGIN_SECONDS}s after the last block's time ${formatTimestamp(last)}: ` +
      "the tx could expire before a block includes it (an expired tx pays no fee), so new txs need a later deadline",
  );
}

/** Why `decoded` may not be in a block of `height` and `time`; undefined when it may. */
export function unproposable(decoded: TxDecodeResult, height: bigint, time: BlockTime): string | undefined {
  if (!decoded.rawOk) return `not a strictly well-formed TxRaw${decoded.error instanceof Error ? `: ${decoded.error.message}` : ""}`;
  if (decoded.tx === undefined) return `undecodable${decoded.error instanceof Error ? `: ${decoded.error.message}` : ""}`;
  return expiryError(decoded.tx, height, time)?.message;
}
