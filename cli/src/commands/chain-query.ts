// The SDK CLI's chain queries that read CometBFT rather than a module's state: `query txs --query …` (tx search by
// events), `query tx --type hash|acc_seq|signature`, `query block [--type height|hash] [value]`, `query blocks --query …`
// (block search: simd's SearchBlocksResult) and `status`. `-o json`
// prints the REST gateway's body for the same read (tx search: simd's SearchTxsResult made from it) (@trustnet/abci-app's nodeAnswers runs the routes' own handlers on
// the node's RPC), as simd prints the gRPC responses those routes serve; `status` prints CometBFT's `status` as simd does.
import type { Argv, CommandModule } from "yargs";
import { type BlockSearchAnswer, Grpc, MAX_OFFSET, nodeAnswers, type NodeAnswers, RestError, type TxSearchAnswer } from "@trustnet/abci-app";
import { resolveAddress } from "../address-arg.ts";
import { checkedNode, NodeUnreachableError } from "../chain/index.ts";
import { CliError, UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { terminalSafeField } from "../terminal-text.ts";
import { parseTxHash, printTx, showTx, withTxClient } from "./tx.ts";

/** CometBFT's tx_search pages hold at most 100 txs (the REST route's MAX_SEARCH_LIMIT); simd's default limit is 100. */
const MAX_LIMIT = 100;
/** The highest --page read. */
const MAX_PAGE = 1_000_000;
/** The furthest offset the REST tx search route pages to: a later page is refused before the node is asked. */
const MAX_TX_OFFSET = MAX_OFFSET;

type Flags = GlobalOptions & Readonly<Record<string, unknown>>;

/** A flag's one value (a repeated flag is refused), or undefined. */
function once(a: Flags, name: string): string | undefined {
  const v = a[name];
  if (Array.isArray(v)) throw new UsageError(`--${name} is given more than once`, `give --${name} once`);
  return v === undefined ? undefined : String(v);
}

/** A whole number from 1 to `max`, typed by a person, for `--name`. */
function wholeNumber(name: string, v: string, max: number): number {
  if (!/^\d{1,10}$/u.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`--${name}: "${terminalSafeField(v.slice(0, 40))}" is not a whole number from 1 to ${max}`);
  return Number(v);
}

/**
 * What the REST handlers report, as the CLI's errors: the request's own fault (a bad events query, a height the node
 * does not have) with the handler's message, the node's absence as the node's, anything else with its message.
 * `usage` marks a refusal of what was typed (exit code 2) rather than of what the node holds.
 */
function nodeFailure(err: unknown, node: string, what: string, usage: boolean): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof RestError) {
    if (err.grpc === Grpc.Unavailable) return new NodeUnreachableError(node, err.message, err);
    const message = `${what}: ${terminalSafeField(err.message)}`;
    if (err.grpc === Grpc.OutOfRange) return new CliError(message, { hint: "give a smaller --limit", cause: err });
    if (err.grpc === Grpc.InvalidArgument && usage) return new UsageError(message);
    return new CliError(message, { cause: err });
  }
  return new CliError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** Runs `f` on the node's answers once it answered with --chain-id; failures as nodeFailure's. */
async function withNode<T>(a: GlobalOptions, what: string, usage: boolean, f: (n: NodeAnswers) => Promise<T>): Promise<T> {
  const url = await checkedNode(a);
  try {
    return await f(nodeAnswers(url));
  } catch (err) {
    throw nodeFailure(err, a.node, what, usage);
  }
}

/**
 * A tx search page as simd's `query txs` prints it (the SDK's SearchTxsResult), built from the REST route's body: the
 * counts as uint64 strings (the gateway's JSON), `txs` the route's `tx_responses` (each a TxResponse with its tx).
 */
interface TxSearchResult {
  readonly total_count: string;
  readonly count: string;
  readonly page_number: string;
  readonly page_total: string;
  readonly limit: string;
  readonly txs: TxSearchAnswer["tx_responses"];
}

/** The REST body of page `page` (of `limit` txs) as simd's SearchTxsResult. */
function txSearchResult(r: TxSearchAnswer, page: number, limit: number): TxSearchResult {
  return {
    total_count: r.total, count: String(r.tx_responses.length), page_number: String(page),
    page_total: String(Math.ceil(Number(r.total) / limit)), limit: String(limit), txs: r.tx_responses,
  };
}

/** A search page's text: one line per tx (hash, height, code, its messages' types), then the count. */
export function txSearchText(r: TxSearchResult): string {
  const lines = r.txs.map((t) => {
    const types = (t.tx?.body.messages ?? []).map((m) => m?.["@type"] ?? "?");
    return `${t.txhash}  height ${t.height}  code ${t.code}${t.code === 0 ? "" : " (FAILED)"}  ${types.length === 0 ? "(no messages)" : types.join(", ")}`;
  });
  const page = Number(r.page_number);
  const first = (page - 1) * Number(r.limit) + 1;
  const count = r.txs.length === 0
    ? (page === 1 ? "no tx matches" : `no tx on page ${page} (${r.total_count} match${r.total_count === "1" ? "" : "es"})`)
    : `txs ${first}–${first + r.txs.length - 1} of ${r.total_count} (page ${page}, --limit ${r.limit})`;
  return [...lines, count].join("\n");
}

const queryTxsCommand: CommandModule<GlobalOptions, Flags> = {
  command: "txs",
  describe: "committed txs matching an events query (CometBFT tx_search), one page",
  builder: (y: Argv<GlobalOptions>) => y
    .option("query", { type: "string", describe: "events query with at least one exact condition, e.g. \"message.sender='trust1…'\" (AND-joined)" })
    .option("page", { type: "string", default: "1", describe: "page number (from 1)" })
    .option("limit", { type: "string", default: String(MAX_LIMIT), describe: `txs per page (1 to ${MAX_LIMIT})` })
    .option("order_by", { type: "string", choices: ["asc", "desc"], default: "asc", describe: "by height: asc (oldest first) or desc" })
    .example("$0 query txs --query \"message.sender='trust1…'\"", "the txs an account sent")
    .example("$0 query txs --query \"tx.height=5\" -o json", "a block's txs, as simd's SearchTxsResult") as unknown as Argv<Flags>,
  handler: async (a) => {
    const query = once(a, "query")?.trim();
    if (query === undefined || query === "") throw new UsageError("--query is required: an events query, e.g. --query \"message.sender='trust1…'\"");
    const page = wholeNumber("page", once(a, "page") ?? "1", MAX_PAGE);
    const limit = wholeNumber("limit", once(a, "limit") ?? String(MAX_LIMIT), MAX_LIMIT);
    if ((page - 1) * limit > MAX_TX_OFFSET) throw new UsageError(`--page ${page} with --limit ${limit} starts past the ${MAX_TX_OFFSET.toLocaleString("en")}th tx, the furthest a tx search pages`, "narrow the --query, or use --order_by desc for the newest");
    const order = once(a, "order_by") ?? "asc";
    const body = await withNode(a, "query txs", true, (n) => n.searchTxs({ query, page, limit, orderBy: order === "desc" ? "desc" : "asc" }));
    const r = txSearchResult(body, page, limit);
    printerFor(a).result(r, () => txSearchText(r));
  },
};

/** `query tx --type acc_seq`'s value: `<address or key name>/<sequence>`, as the `tx.acc_seq` event holds it. */
async function accSeqQuery(home: string, value: string): Promise<string> {
  const slash = value.lastIndexOf("/");
  const seq = value.slice(slash + 1);
  if (slash <= 0 || !/^\d{1,20}$/u.test(seq)) throw new UsageError(`--type acc_seq: "${terminalSafeField(value.slice(0, 80))}" is not <address>/<sequence>`, "e.g. trust1…/4 (the account's address or key name, the tx's sequence)");
  const address = await resolveAddress(home, value.slice(0, slash), { what: "acc_seq address" });
  return `tx.acc_seq='${address}/${BigInt(seq)}'`;
}

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u;

/** `query tx --type signature`'s value: base64 signatures, comma-separated, all of one tx (the `tx.signature` events). */
function signatureQuery(value: string): string {
  const sigs = value.split(",");
  for (const s of sigs) {
    if (s === "" || !STANDARD_BASE64.test(s)) throw new UsageError(`--type signature: "${terminalSafeField(s.slice(0, 100))}" is not a base64 signature`, "give the tx's signatures in standard base64, comma-separated");
  }
  return sigs.map((s) => `tx.signature='${s}'`).join(" AND ");
}

const queryTxCommand: CommandModule<GlobalOptions, Flags> = {
  command: "tx <value>",
  describe: "a committed transaction by hash (as 'trustnet tx <hash>'), or by --type acc_seq <address>/<sequence> or --type signature <base64>[,…]",
  builder: (y: Argv<GlobalOptions>) => y
    .positional("value", { type: "string", demandOption: true, describe: "tx hash (64 hex digits); with --type: <address>/<sequence> or signatures" })
    .option("type", { type: "string", choices: ["hash", "acc_seq", "signature"], default: "hash", describe: "what <value> is" })
    .example("$0 query tx 3F2A…", "the tx with this hash")
    .example("$0 query tx --type acc_seq alice/4", "alice's tx of sequence 4") as unknown as Argv<Flags>,
  handler: async (a) => {
    const type = once(a, "type") ?? "hash";
    const value = String(a.value);
    if (type === "hash") return showTx({ ...a, hash: value });
    const query = type === "acc_seq" ? await accSeqQuery(a.home, value) : signatureQuery(value);
    const what = type === "acc_seq" ? "address and sequence" : "signatures";
    await withTxClient(a, async (client) => {
      const found = await client.searchTx(query);
      if (found.length === 0) throw new CliError(`found no tx matching the given ${what}`, { hint: "it may not be committed yet (wait a block and retry), or it was never accepted" });
      if (found.length > 1) throw new CliError(`found ${found.length} txs matching the given ${what}`);
      await printTx(a, found[0] as (typeof found)[number]);
    });
  },
};

/** A block's text: its height, time, hash, chain, proposer, tx count (the JSON's base64 hashes in CometBFT's hex). */
export function blockText(b: Record<string, unknown>): string {
  const hex = (v: unknown): string => Buffer.from(typeof v === "string" ? v : "", "base64").toString("hex").toUpperCase();
  const id = b.block_id as { hash: string };
  const block = b.sdk_block as { header: { chain_id: string; height: string; time: string; app_hash: string; proposer_address: string }; data: { txs: unknown[] }; last_commit: { signatures: unknown[] } | null };
  const h = block.header;
  return [
    `height:   ${h.height}  time: ${h.time}  chain: ${h.chain_id}`,
    `hash:     ${hex(id.hash)}`,
    `app_hash: ${hex(h.app_hash)}`,
    `proposer: ${h.proposer_address}`,
    `txs:      ${block.data.txs.length}  last commit signatures: ${block.last_commit?.signatures.length ?? 0}`,
  ].join("\n");
}

const HEIGHT = /^[1-9]\d{0,18}$/u;

const queryBlockCommand: CommandModule<GlobalOptions, Flags> = {
  command: "block [value]",
  describe: "a block by height or hash (the latest when omitted)",
  builder: (y: Argv<GlobalOptions>) => y
    .positional("value", { type: "string", describe: "block height, or with --type hash the block's hash (64 hex digits, or base64 as -o json prints it)" })
    .option("type", { type: "string", choices: ["height", "hash"], default: "height", describe: "what <value> is" })
    .example("$0 query block", "the latest block")
    .example("$0 query block 42 -o json", "block 42, as GET /cosmos/base/tendermint/v1beta1/blocks/42 answers") as unknown as Argv<Flags>,
  handler: async (a) => {
    const type = once(a, "type") ?? "height";
    const value = a.value === undefined ? undefined : String(a.value);
    let read: (n: NodeAnswers) => Promise<Record<string, unknown>>;
    if (type === "hash") {
      if (value === undefined) throw new UsageError("--type hash needs the block's hash");
      const hash = parseBlockHash(value);
      read = (n) => n.blockByHash(hash);
    } else {
      if (value !== undefined && (!HEIGHT.test(value) || BigInt(value) > 2n ** 63n - 1n)) throw new UsageError(`"${terminalSafeField(value.slice(0, 40))}" is not a block height (a whole number from 1)`, "omit it for the latest block, or give --type hash for a hash");
      read = async (n) => {
        try {
          return await n.block(value);
        } catch (err) {
          throw value === undefined ? err : await pastLatest(n, value, err);
        }
      };
    }
    const b = await withNode(a, "query block", false, read);
    printerFor(a).result(b, () => blockText(b));
  },
};

/**
 * The route's "requested height is not available" for a height past the node's latest block, with that latest (one
 * `status` read); any other error, or one status cannot explain, as it is.
 */
async function pastLatest(n: NodeAnswers, height: string, err: unknown): Promise<unknown> {
  if (!(err instanceof RestError) || err.grpc !== Grpc.InvalidArgument || !/requested height is not available/u.test(err.message)) return err;
  let latest: bigint;
  try {
    latest = BigInt((await n.status()).sync_info.latest_block_height);
  } catch {
    return err;
  }
  if (BigInt(height) <= latest) return err;
  return new CliError(`query block: height ${height} is not available on this node: its latest block is ${latest}`, { hint: "omit the height for the latest block", cause: err });
}

/**
 * A block hash, as hex: 64 hex digits, optionally 0x-prefixed (as parseTxHash reads a tx's), or the 32 bytes in
 * standard base64, as `query block -o json` (and REST) print `block_id.hash`.
 */
function parseBlockHash(v: string): string {
  try {
    return parseTxHash(v);
  } catch {
    const bytes = STANDARD_BASE64.test(v) ? Buffer.from(v, "base64") : undefined;
    if (bytes?.length === 32) return bytes.toString("hex").toUpperCase();
    throw new UsageError(`invalid block hash "${terminalSafeField(v.slice(0, 80))}": expected 64 hex digits or 32 bytes in base64`);
  }
}

/** A block search page's text: one line per block (height, time, tx count), then the count. */
export function blockSearchText(r: BlockSearchAnswer): string {
  const lines = r.blocks.map((b) => {
    const block = b as { header: { height: string; time: string }; data: { txs: unknown[] } };
    return `height ${block.header.height}  time ${block.header.time}  txs ${block.data.txs.length}`;
  });
  const page = Number(r.page_number);
  const first = (page - 1) * Number(r.limit) + 1;
  const count = r.blocks.length === 0
    ? (page === 1 ? "no block matches" : `no block on page ${page} (${r.total_count} match${r.total_count === "1" ? "" : "es"})`)
    : `blocks ${first}–${first + r.blocks.length - 1} of ${r.total_count} (page ${page} of ${r.page_total}, --limit ${r.limit})`;
  return [...lines, count].join("\n");
}

const queryBlocksCommand: CommandModule<GlobalOptions, Flags> = {
  command: "blocks",
  describe: "blocks matching an events query (CometBFT block_search), one page",
  builder: (y: Argv<GlobalOptions>) => y
    .option("query", { type: "string", describe: "events query, e.g. \"block.height > 5\" (AND-joined)" })
    .option("page", { type: "string", default: "1", describe: "page number (from 1)" })
    .option("limit", { type: "string", default: String(MAX_LIMIT), describe: `blocks per page (1 to ${MAX_LIMIT})` })
    .option("order_by", { type: "string", choices: ["asc", "desc"], default: "asc", describe: "by height: asc (oldest first) or desc" })
    .example("$0 query blocks --query \"block.height > 5\" --limit 10", "ten blocks from height 6") as unknown as Argv<Flags>,
  handler: async (a) => {
    const query = once(a, "query")?.trim();
    if (query === undefined || query === "") throw new UsageError("--query is required: an events query, e.g. --query \"block.height > 5\"");
    const page = wholeNumber("page", once(a, "page") ?? "1", MAX_PAGE);
    const limit = wholeNumber("limit", once(a, "limit") ?? String(MAX_LIMIT), MAX_LIMIT);
    const order = once(a, "order_by") ?? "asc";
    const r = await withNode(a, "query blocks", true, (n) => n.searchBlocks({ query, page, limit, orderBy: order === "desc" ? "desc" : "asc" }));
    printerFor(a).result(r, () => blockSearchText(r));
  },
};

/** `query txs`, `query tx`, `query block` and `query blocks`: the commands `query` holds besides the modules'. */
export const chainQueryCommands: readonly CommandModule<GlobalOptions, GlobalOptions>[] = [queryTxsCommand, queryTxCommand, queryBlockCommand, queryBlocksCommand] as unknown as CommandModule<GlobalOptions, GlobalOptions>[];

export const statusCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "status",
  describe: "the node's status: network, latest block, whether it is catching up, its validator (CometBFT's status)",
  builder: (y) => y.example("$0 status -o json", "{node_info, sync_info, validator_info}, as CometBFT answers"),
  handler: async (a) => {
    const s = await withNode(a, "status", false, (n) => n.status());
    printerFor(a).result(s, () => [
      `network:      ${s.node_info.network}  (node ${s.node_info.moniker}, CometBFT ${s.node_info.version})`,
      `latest block: ${s.sync_info.latest_block_height} at ${s.sync_info.latest_block_time}`,
      `catching_up:  ${String(s.sync_info.catching_up)}`,
      `validator:    ${s.validator_info.address} (voting power ${s.validator_info.voting_power})`,
    ].join("\n"));
  },
};
