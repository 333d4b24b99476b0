import { CliError } from "../errors.ts";
import { terminalSafeField } from "../terminal-text.ts";

/** The CometBFT RPC endpoint did not answer (refused, DNS, or no answer within the connect timeout). */
export class NodeUnreachableError extends CliError {
  override readonly name: string = "NodeUnreachableError";
  readonly url: string;
  constructor(url: string, detail: string, cause?: unknown) {
    super(`cannot reach the node at ${url} (${detail})`, {
      hint: "is the devnet running? try `trustnet devnet status`, or point --node (or $TRUSTNET_NODE) at a running node",
      cause,
    });
    this.url = url;
  }
}

/** The node serves another chain than --chain-id. */
export class ChainIdMismatchError extends CliError {
  override readonly name: string = "ChainIdMismatchError";
  constructor(url: string, actual: string, expected: string) {
    // The node's chain id is the node's to choose: quoted on one line.
    const chain = terminalSafeField(actual);
    super(`the node at ${url} is on chain "${chain}", not "${expected}"`, { hint: `pass --chain-id ${chain} if that is the chain you mean` });
  }
}

/** The chain rejected or failed a transaction (or a simulation of it). */
export class TxRejectedError extends CliError {
  override readonly name: string = "TxRejectedError";
  readonly code: number | undefined;
  readonly codespace: string | undefined;
  readonly txHash: string | undefined;
  constructor(message: string, opts: { readonly hint?: string; readonly code?: number; readonly codespace?: string; readonly txHash?: string; readonly cause?: unknown }) {
    super(message, { ...(opts.hint === undefined ? {} : { hint: opts.hint }), cause: opts.cause });
    this.code = opts.code;
    this.codespace = opts.codespace;
    this.txHash = opts.txHash;
  }
}

/** Exit code of a tx that was broadcast (it has a hash) but whose commit could not be confirmed. */
export const NOT_CONFIRMED_EXIT_CODE = 3;

/**
 * The node accepted the tx (CheckTx passed, so it has a hash and may be committed) but its commit could not be
 * confirmed: the search for it failed or timed out. Sending it again could pay twice, so the hash is named.
 */
export class TxNotConfirmedError extends CliError {
  override readonly name: string = "TxNotConfirmedError";
  readonly txHash: string;
  readonly reason: string;
  constructor(txHash: string, reason: string, opts: { readonly hint?: string; readonly cause?: unknown } = {}) {
    super(`broadcast as ${txHash}, not confirmed: ${reason}`, {
      hint: opts.hint ?? `check \`trustnet tx ${txHash}\` before retrying: it may still be committed, and sending again could pay twice`,
      exitCode: NOT_CONFIRMED_EXIT_CODE,
      cause: opts.cause,
    });
    this.txHash = txHash;
    this.reason = reason;
  }
}
