// Turns what cosmjs and the chain report into messages a user can act on. Pure: no I/O.
import { DEFAULT_GAS_PRICE, NodeUnreachableError as RpcUnreachable } from "@trustnet/abci-app";
import { BroadcastTxError, TimeoutError } from "@cosmjs/stargate";
import { CliError } from "../errors.ts";
import { NodeUnreachableError, TxRejectedError } from "./errors.ts";
import { terminalSafeField } from "../terminal-text.ts";

export interface FailureContext {
  /** The node URL, for connection errors. */
  readonly node: string;
  /** The signing address, when sending. */
  readonly from?: string | undefined;
  /**
   * How the tx's gas limit was set, when sending: "auto" (--gas auto, simulated × --gas-adjustment) or "fixed"
   * (--gas N). A hint then suggests only what was not already used.
   */
  readonly gas?: "auto" | "fixed" | undefined;
  /**
   * The tx was signed before this command (`tx broadcast` of a `tx sign` file): sending it again sends the same
   * bytes, so a hint says to sign it again, not to retry.
   */
  readonly signed?: boolean | undefined;
}

interface Explained {
  readonly message: string;
  readonly hint?: string;
}

const SEQ_RE = /account sequence mismatch,? expected (\d+),? got (\d+)/iu;

/** A message and hint for a chain error (SDK codespace `sdk` codes, or recognisable log text). */
export function explainTxFailure(code: number | undefined, codespace: string | undefined, log: string, ctx: FailureContext): Explained {
  const seq = SEQ_RE.exec(log);
  if (seq && ctx.signed === true) {
    const [expected, got] = [BigInt(seq[1] ?? "0"), BigInt(seq[2] ?? "0")];
    const head = `account sequence mismatch, expected ${expected}, got ${got}: the tx was signed with sequence ${got}`;
    return got < expected
      ? {
        message: `${head}, which the account has used already (a committed or pending tx)`,
        hint: `sign the unsigned tx again: \`trustnet tx sign <file> --from <key>\` takes the sequence from the node (with --offline: --sequence ${expected})`,
      }
      : {
        message: `${head}, ahead of the account's next (${expected})`,
        hint: `broadcast the account's txs with sequences ${expected} to ${got - 1n} first, or sign the unsigned tx again with --sequence ${expected}`,
      };
  }
  if (seq) {
    return {
      message: `account sequence mismatch, expected ${seq[1]}, got ${seq[2]}: another tx from this key is pending; retry`,
      hint: "wait for the pending tx to be committed (a block or two), then run the command again",
    };
  }
  // A code means the SDK's only with the SDK's codespace. Without one (a committed tx's result as cosmjs reads it, a
  // refused simulation) the code could be any module's (registry 5 is "not the namespace owner"), so only the log's
  // description, which every error carries ("detail: description"), names an SDK error.
  const sdk = codespace === "" || codespace === "sdk";
  const is = (c: number, re: RegExp): boolean => (sdk && code === c) || re.test(log);
  // The chain's log, quoted on one line: a newline in it must not print a line that reads as the CLI's own.
  const detail = log === "" ? "" : `: ${terminalSafeField(log)}`;
  // The SDK's log ends with the error's description ("…: insufficient funds"), which our label already says.
  const labelled = (label: string, description: string): string => {
    const rest = log.endsWith(`: ${description}`) ? log.slice(0, -description.length - 2) : log;
    return rest === "" ? label : `${label}: ${terminalSafeField(rest)}`;
  };
  if (is(5, /insufficient funds/iu)) {
    return { message: labelled("insufficient funds", "insufficient funds"), hint: `check the balance with \`trustnet balance${ctx.from ? ` ${ctx.from}` : ""}\`; the fee is paid from the same account` };
  }
  // A signed tx's fee, gas and memo are fixed: they are changed in the unsigned tx, which is then signed again.
  const resign = (what: string): string => `${what} in the unsigned tx (the command's flag with --generate-only, or its JSON) and sign it again`;
  if (ctx.signed === true && is(13, /insufficient fee/iu)) {
    return { message: labelled("fee too low", "insufficient fee"), hint: `the minimum gas price is ${DEFAULT_GAS_PRICE} per unit of gas on the devnet: ${resign("raise the fee (--fees, auth_info.fee.amount)")}` };
  }
  if (ctx.signed === true && is(11, /out of gas/iu)) return { message: labelled("out of gas", "out of gas"), hint: resign("raise the gas limit (--gas, auth_info.fee.gas_limit)") };
  if (ctx.signed === true && is(12, /memo too (large|long)|memo.*exceeds/iu)) return { message: labelled("memo rejected", "memo too large"), hint: resign("shorten the memo (--memo, body.memo)") };
  if (is(13, /insufficient fee/iu)) {
    const raise = `the minimum gas price is ${DEFAULT_GAS_PRICE} per unit of gas on the devnet; raise --fees or --gas-prices`;
    return { message: labelled("fee too low", "insufficient fee"), hint: ctx.gas === "auto" ? raise : `${raise}, or use --gas auto` };
  }
  if (is(11, /out of gas/iu)) {
    const hint = ctx.gas === "auto" ? "the simulated gas was not enough: raise --gas-adjustment, or give --gas N" : "use --gas auto, or raise --gas or --gas-adjustment";
    return { message: labelled("out of gas", "out of gas"), hint };
  }
  if (is(4, /signature verification failed|unauthorized/iu)) {
    if (ctx.signed === true) {
      return {
        message: `signature rejected${detail}`,
        hint: "the tx was signed for another chain id, account number or sequence than the node's, by another key, or changed after it was signed: sign the unsigned tx again (`trustnet tx sign`; with --offline, the node's numbers)",
      };
    }
    return { message: `signature rejected${detail}`, hint: "check that --chain-id matches the node and that the key is the account's key" };
  }
  if (is(19, /already in mempool|already exists in cache/iu)) return { message: "this exact transaction is already in the mempool", hint: "wait for it to be committed; check with `trustnet tx <hash>`" };
  if (is(30, /expired|timeout height/iu)) return { message: `transaction expired${detail}`, hint: "sign it again (a fresh timeout)" };
  if (is(12, /memo too (large|long)|memo.*exceeds/iu)) return { message: labelled("memo rejected", "memo too large"), hint: "use a shorter --memo" };
  if (is(21, /tx too large/iu)) return { message: `transaction too large${detail}` };
  if (is(7, /invalid address/iu)) return { message: `invalid address${detail}` };
  if (is(10, /invalid coins/iu)) return { message: `invalid amount${detail}` };
  if (/does not exist on chain|NotFound|key not found/iu.test(log)) {
    const who = ctx.from ?? "the sending account";
    return {
      message: `account ${who} does not exist on chain yet (it has never received tokens)`,
      hint: `fund it first, e.g. \`trustnet devnet faucet ${ctx.from ?? "<address>"}\``,
    };
  }
  return { message: `transaction rejected${code === undefined ? "" : ` (code ${code}${codespace ? `, ${codespace}` : ""})`}${detail}` };
}

const QUERY_RE = /Query failed with \((\d+)\): ([\s\S]*)$/u;
const HEIGHT_UNAVAILABLE = /height (\d+) is not available \(oldest (\d+), latest (\d+)\)/u;

/**
 * The app's refusal of a query (its code, the codespace when the client reports it, its log) as what it is: a query
 * error, never a rejected transaction's (a query's code 19 is staking's "no delegation", not "already in the
 * mempool"; there is no sending account). `what` names the query ("query staking pool") when the caller knows it.
 */
export function explainQueryFailure(code: number, codespace: string | undefined, log: string, what: string | undefined, cause?: unknown): CliError {
  const h = HEIGHT_UNAVAILABLE.exec(log);
  const c = cause === undefined ? {} : { cause };
  if (h?.[3] === "0") return new CliError("the node has committed no block yet: its state is not readable before the first block", { hint: "try again once the chain has made its first block", ...c });
  if (h) return new CliError(`height ${h[1]} is not available on this node: it keeps heights ${h[2]} to ${h[3]}`, { hint: "give a --height in that range, or omit it for the latest", ...c });
  return new CliError(`${what === undefined ? "" : `${what}: `}the node refused the query (code ${code}${codespace ? `, ${terminalSafeField(codespace)}` : ""}): ${terminalSafeField(log)}`, c);
}

/** cosmjs's "Query failed with (code): log" (no codespace in it) as explainQueryFailure's error; any other error as is. */
export function queryFailure(err: unknown, what: string): unknown {
  const m = err instanceof Error ? QUERY_RE.exec(err.message) : null;
  return m ? explainQueryFailure(Number(m[1]), undefined, m[2] ?? "", what, err) : err;
}

/** A lost or refused connection, or no answer in time: worth trying again. */
export function isConnectionError(err: Error): boolean {
  if (err instanceof RpcUnreachable) return true;
  const cause = (err as { cause?: { code?: string } }).cause;
  return (err.name === "TypeError" && /fetch failed/u.test(err.message)) || err.name === "AbortError" || err.name === "TimeoutError" && !(err instanceof TimeoutError) ||
    (cause?.code !== undefined && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|UND_ERR_)/u.test(cause.code));
}

/** Maps any error from a cosmjs call to a CliError. */
export function translateChainError(err: unknown, ctx: FailureContext): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof BroadcastTxError) {
    const e = explainTxFailure(err.code, err.codespace, err.log ?? "", ctx);
    return new TxRejectedError(e.message, { ...(e.hint === undefined ? {} : { hint: e.hint }), code: err.code, codespace: err.codespace, cause: err });
  }
  if (err instanceof TimeoutError) {
    return new TxRejectedError(`transaction ${err.txId} was broadcast but not committed within 60 s`, {
      hint: `it may still be committed; check with \`trustnet tx ${err.txId}\``,
      txHash: err.txId,
      cause: err,
    });
  }
  if (err instanceof Error) {
    if (isConnectionError(err)) return new NodeUnreachableError(ctx.node, err.name === "TypeError" || (err instanceof RpcUnreachable && err.reason !== "TimeoutError") ? "connection lost" : "no answer in time", err);
    const q = QUERY_RE.exec(err.message);
    // Without a sender this is a query's refusal; while sending, cosmjs's query is the transaction's simulation.
    if (q && ctx.from === undefined) return explainQueryFailure(Number(q[1]), undefined, q[2] ?? "", undefined, err);
    if (q) {
      const e = explainTxFailure(Number(q[1]), undefined, q[2] ?? "", ctx);
      return new TxRejectedError(e.message, { ...(e.hint === undefined ? {} : { hint: e.hint }), code: Number(q[1]), cause: err });
    }
    if (/does not exist on chain/u.test(err.message)) {
      const e = explainTxFailure(undefined, undefined, err.message, ctx);
      return new CliError(e.message, { ...(e.hint === undefined ? {} : { hint: e.hint }), cause: err });
    }
    return new CliError(err.message, { cause: err });
  }
  return new CliError(String(err));
}
