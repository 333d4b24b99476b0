// What every transaction command shares: the flags (--from, --memo, --fees, --gas, --gas-prices, --gas-adjustment,
// --passphrase-file) and the one way a tx is signed and sent with them (send, tx staking|distribution|slashing,
// validator join, lease, provider, registry).
import type { Argv } from "yargs";
import type { EncodeObject, OfflineSigner, Registry } from "@cosmjs/proto-signing";
import type { IndexedTx, StdFee } from "@cosmjs/stargate";
import { connectSigningClient, describeFee, explainTxFailure, feeAfterSimulation, feeJson, planFee, signBroadcastAndWait, translateChainError, withCtrlC, TxNotConfirmedError, TxRejectedError, type FailureContext } from "../chain/index.ts";
import type { CliError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { getSigner, resolveKeyName, showKey } from "../keyring/index.ts";
import { feeFlags, withFeeOptions, type FeeOptions } from "./chain-options.ts";
import { generateOnly } from "./generate-only.ts";
import { passphraseSource, withPassphraseOption, type PassphraseOptions } from "./wallet-options.ts";

export type TxArgs = GlobalOptions & PassphraseOptions & FeeOptions & { readonly from?: string; readonly memo: string; readonly "generate-only"?: boolean };

/** The flags of a transaction command. `from`: how --from is described (whose key it is). */
export function withTxOptions<T>(y: Argv<T>, from = "key to sign with: a key name or its trust1… address (default: the active key)"): Argv<T & TxArgs> {
  return withFeeOptions(withPassphraseOption(y))
    .option("from", { type: "string", describe: from })
    .option("memo", { type: "string", default: "", describe: "memo attached to the transaction" })
    .option("generate-only", {
      type: "boolean", default: false,
      describe: "print the unsigned transaction as JSON (for `trustnet tx sign`) and send nothing; no passphrase is asked, --from may be any trust1… address (--gas auto asks the node to simulate it)",
    }) as unknown as Argv<T & TxArgs>;
}

export interface SentTx {
  readonly res: IndexedTx;
  readonly from: string;
  readonly keyName: string;
  readonly msgs: readonly EncodeObject[];
  /** The fee paid, as result JSON shows it (`fee: sent.fee`). */
  readonly fee: ReturnType<typeof feeJson>;
}

export interface SendTxOptions {
  /** Printed on stderr before broadcasting, with the signer, the fee and the gas limit. */
  readonly summary?: string;
  /** For messages outside cosmjs's default registry (leasing, registry, slashing). */
  readonly registry?: Registry;
}

/** Who signs a tx: a keyring key (sendTx), or another signer the CLI holds (the devnet faucet). */
export interface TxSigner {
  /** Shown as "signed by <label>, <address>" (a key name). */
  readonly label: string;
  readonly address: string;
  readonly signer: () => Promise<OfflineSigner>;
}

/**
 * Signs `build(from)` with the --from key (default: the active key) and waits for the block (with --generate-only:
 * prints the unsigned tx and stops the command, generate-only.ts). The fee flags are
 * checked (a fee above --max-fee is refused) and the key is found before the node is contacted; the passphrase is
 * asked only once the node answered. The fee and gas limit are printed on stderr before the tx is broadcast.
 * A tx that fails in its block is a TxRejectedError; chain errors are translated into actionable ones. A tx the node
 * accepted whose commit cannot be confirmed is a TxNotConfirmedError naming its hash (exit 3); with `-o json`,
 * `{"txhash", "committed": false, "reason"}` is printed on stdout as well.
 */
export async function sendTx(a: TxArgs, build: (from: string) => EncodeObject | EncodeObject[] | Promise<EncodeObject | EncodeObject[]>, opts: SendTxOptions = {}): Promise<SentTx> {
  if (a["generate-only"] === true) return generateOnly(a, build, opts.registry);
  return sendTxAs(a, async () => {
    const keyName = await resolveKeyName(a.home, a.from);
    const from = (await showKey(a.home, keyName)).address;
    return { label: keyName, address: from, signer: () => getSigner(a.home, keyName, passphraseSource(a)) };
  }, build, opts);
}

/**
 * sendTx with the signer given (`signerOf` is called once the fee flags are checked, before the node is contacted):
 * the same fee planning, ceiling, summary, result and errors for every tx the CLI sends. `chainId` overrides
 * --chain-id (the devnet's own).
 */
export async function sendTxAs(
  a: GlobalOptions & FeeOptions & { readonly memo: string },
  signerOf: () => Promise<TxSigner>,
  build: (from: string) => EncodeObject | EncodeObject[] | Promise<EncodeObject | EncodeObject[]>,
  opts: SendTxOptions & { readonly chainId?: string } = {},
): Promise<SentTx> {
  const plan = planFee(feeFlags(a));
  const { label: keyName, address: from, signer } = await signerOf();
  const msgs = [await build(from)].flat();
  const ctx = { node: a.node, from, gas: plan.kind === "fixed" ? "fixed" as const : "auto" as const };
  const client = await connectSigningClient({
    node: a.node, chainId: opts.chainId ?? a["chain-id"], gasPrice: plan.gasPrice, signer,
    ...(opts.registry ? { registry: opts.registry } : {}),
  });
  try {
    // The fee is known (and checked against --max-fee) before anything is signed, and always shown.
    const fee: StdFee = plan.kind === "fixed" ? plan.fee : feeAfterSimulation(plan, await client.simulate(from, msgs, a.memo));
    printerFor(a).info(`${opts.summary ?? "Sending the transaction"} (signed by ${keyName}, ${from}; ${describeFee(fee)}) …`);
    const res = await withCtrlC((signal) => signBroadcastAndWait(client, from, msgs, fee, a.memo, { signal }));
    throwIfFailed(res, ctx);
    return { res, from, keyName, msgs, fee: feeJson(fee) };
  } catch (err) {
    throw txCommandError(err, a, ctx);
  } finally {
    client.disconnect();
  }
}

/** A committed tx whose code is not 0, as every tx command reports it: TxRejectedError naming the hash and the block. */
export function throwIfFailed(res: Pick<IndexedTx, "code" | "hash" | "height" | "rawLog">, ctx: FailureContext): void {
  if (res.code === 0) return;
  const e = explainTxFailure(res.code, undefined, res.rawLog, ctx);
  throw new TxRejectedError(`transaction ${res.hash} failed in block ${res.height}: ${e.message}`, { ...(e.hint === undefined ? {} : { hint: e.hint }), code: res.code, txHash: res.hash });
}

/**
 * A tx command's failure as a CliError. Broadcast but not confirmed: with `-o json` a script reading stdout gets the
 * hash too (`{txhash, committed: false, reason}`), and must not send the tx again blindly.
 */
export function txCommandError(err: unknown, a: GlobalOptions, ctx: FailureContext): CliError {
  const e = translateChainError(err, ctx);
  if (e instanceof TxNotConfirmedError && a.output === "json") printerFor(a).result({ txhash: e.txHash, committed: false, reason: e.reason });
  return e;
}
