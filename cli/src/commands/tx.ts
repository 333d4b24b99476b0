// `trustnet tx <hash>`: a committed transaction, with its messages decoded.
import type { Argv, CommandModule } from "yargs";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import type { IndexedTx, StargateClient } from "@cosmjs/stargate";
import { Grpc, messageJson, nodeAnswers, RestError } from "@trustnet/abci-app";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { connectQueryClient, NodeUnreachableError, normalizeNodeUrl, translateChainError } from "../chain/index.ts";
import { CliError, UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { stakingTxCommand } from "./staking-tx.ts";
import { distributionTxCommand } from "./distribution-tx.ts";
import { slashingTxCommand } from "./slashing.ts";
import { bankTxCommand } from "./send.ts";
import { txBroadcastCommand, txDecodeCommand, txEncodeCommand, txSignCommand } from "./tx-offline.ts";

type Args = GlobalOptions & { readonly hash?: string };

/** A tx hash: 64 hex digits, optionally 0x-prefixed; returned upper-case as CometBFT prints it. */
export function parseTxHash(input: string): string {
  const h = input.startsWith("0x") || input.startsWith("0X") ? input.slice(2) : input;
  if (!/^[0-9a-fA-F]{64}$/u.test(h)) throw new UsageError(`invalid tx hash "${input}": expected 64 hex digits`, "use the txhash printed by `trustnet send`");
  return h.toUpperCase();
}

/**
 * A tx body's messages as the SDK's `query tx` prints them: abci-app's messageJson (rest/msg-json.ts), the decoder
 * REST and the explorer use, so `-o json` and `/cosmos/tx/v1beta1/txs/{hash}` show a message alike.
 */
export function messagesJson(messages: readonly Any[]): ({ readonly "@type": string } & Record<string, unknown>)[] {
  return messages.map((m) => messageJson(m) ?? { "@type": m.typeUrl });
}

/** Prints a committed tx: `tx <hash>` and `query tx <hash>` (the SDK's name) both run this. */
export async function showTx(a: Args): Promise<void> {
  if (a.hash === undefined) throw new UsageError("name a transaction hash, or a module: 'trustnet tx staking …', 'trustnet tx distribution …'");
  const hash = parseTxHash(a.hash);
  await withTxClient(a, async (client) => {
    const tx = await client.getTx(hash);
    if (tx === null) {
      throw new CliError(`transaction ${hash} not found`, { hint: "it may not be committed yet (wait a block and retry), or it was never accepted" });
    }
    await printTx(a, tx);
  });
}

/** Runs `f` with a query client on the node (reachable, on --chain-id); its failures as CliErrors. */
export async function withTxClient<T>(a: GlobalOptions, f: (client: StargateClient) => Promise<T>): Promise<T> {
  const client = await connectQueryClient({ node: a.node, chainId: a["chain-id"] });
  try {
    return await f(client);
  } catch (err) {
    throw translateChainError(err, { node: a.node });
  } finally {
    client.disconnect();
  }
}

/**
 * A committed tx as `tx <hash>` prints it (`query tx --type acc_seq|signature` print theirs so too). `-o json` is a
 * superset of simd's TxResponse: this CLI's own keys (index, memo, fee, messages …), then the TxResponse fields they
 * lack (codespace, data, logs, info, tx, timestamp) as `GET /cosmos/tx/v1beta1/txs/{hash}`'s `tx_response` has them
 * (abci-app's nodeAnswers runs that route's handler: one more read of the node, for JSON only).
 */
export async function printTx(a: GlobalOptions, tx: IndexedTx): Promise<void> {
  const decoded = decodeTxRaw(tx.tx);
  const messages = messagesJson(decoded.body.messages);
  const fee = decoded.authInfo.fee;
  const own = {
    txhash: tx.hash, height: String(tx.height), index: tx.txIndex, code: tx.code, gas_wanted: tx.gasWanted, gas_used: tx.gasUsed,
    memo: decoded.body.memo, fee: fee ? { amount: fee.amount, gas_limit: fee.gasLimit } : null, messages,
    events: tx.events.map((e) => ({ type: e.type, attributes: e.attributes.map((x) => ({ key: x.key, value: x.value })) })),
    raw_log: tx.rawLog,
  };
  let out: Record<string, unknown> = own;
  if (a.output === "json") {
    const r = await txResponse(a, tx.hash);
    out = { ...own, codespace: r.codespace, data: r.data, logs: r.logs, info: r.info, tx: r.tx, timestamp: r.timestamp };
  }
  printerFor(a).result(out, () => [
    `txhash: ${tx.hash}`,
    `height: ${tx.height}  index: ${tx.txIndex}  code: ${tx.code}${tx.code === 0 ? " (success)" : " (FAILED)"}`,
    `gas:    ${tx.gasUsed} used / ${tx.gasWanted} wanted`,
    ...(fee ? [`fee:    ${fee.amount.map((c) => `${c.amount}${c.denom}`).join(",") || "0"}`] : []),
    // The printer keeps the memo (a string of `out`) on one line, like every chain string (terminal-text.ts).
    ...(decoded.body.memo ? [`memo:   ${decoded.body.memo}`] : []),
    ...messages.map(({ "@type": type, ...fields }) => `msg:    ${type} ${JSON.stringify(fields)}`),
    ...(tx.code !== 0 && tx.rawLog ? [`log:    ${tx.rawLog}`] : []),
  ].join("\n"));
}

/** The REST route's TxResponse for a committed tx; the route's errors as the CLI's. */
async function txResponse(a: GlobalOptions, hash: string): Promise<Record<string, unknown>> {
  try {
    return await nodeAnswers(normalizeNodeUrl(a.node)).txResponse(hash);
  } catch (err) {
    if (err instanceof RestError && err.grpc === Grpc.Unavailable) throw new NodeUnreachableError(a.node, err.message, err);
    throw new CliError(`transaction ${hash}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Keeps an option of `tx` out of its subcommands ('tx staking …' takes no hash): yargs options are global by default,
 * and yargs' `global(key, false)` turns that off; @types/yargs declares only the one-argument form.
 */
function notInherited<T>(y: Argv<T>, key: string): Argv<T> {
  return (y as unknown as { global(key: string, global: boolean): Argv<T> }).global(key, false);
}

export const txCommand: CommandModule<GlobalOptions, Args> = {
  command: "tx [hash]",
  describe: "show a committed transaction by hash; 'tx bank send …', 'tx staking …', 'tx distribution …' and 'tx slashing unjail' send transactions, 'tx sign' signs one made with --generate-only, 'tx broadcast' sends it",
  builder: (y: Argv<GlobalOptions>) =>
    notInherited(y.command(bankTxCommand).command(stakingTxCommand).command(distributionTxCommand)
      .command(slashingTxCommand).command(txSignCommand).command(txBroadcastCommand)
      .command(txEncodeCommand).command(txDecodeCommand)
      .positional("hash", { type: "string", describe: "transaction hash (64 hex digits)" }), "hash")
      .example("$0 tx 3F2A…", "show the tx")
      .example("$0 tx 3F2A… --output json", "with events, as JSON") as unknown as Argv<Args>,
  handler: (a) => showTx(a),
};
