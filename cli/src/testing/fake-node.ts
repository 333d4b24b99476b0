// A fake CometBFT node for specs: a real HTTP JSON-RPC server on 127.0.0.1 that answers `status`, the auth account
// and staking validators queries, `broadcast_tx_sync`, `tx_search` and `tx`, and blocks 1 to 10 (`block`, `block_by_hash`,
// `block_search`, `header`, `consensus_params`) with real protobuf, as the CLI asks them.
// Its chain strings (a moniker, a memo) can be set, and `tx_search` can be made to fail, to check how the CLI copes.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";

export interface FakeNodeOptions {
  readonly chainId?: string;
  /** The one validator's moniker. */
  readonly moniker?: string;
  /** The memo of the tx that `tx_search` finds. */
  readonly memo?: string;
  /**
   * `tx_search`: "ok" finds the tx, "reset" closes the connection, "indexing-disabled" answers CometBFT's error for
   * a node with `tx_index = "null"`, "pending" finds nothing, "reset-then-ok" resets twice, then finds it.
   */
  readonly txSearch?: "ok" | "reset" | "indexing-disabled" | "pending" | "reset-then-ok";
  /**
   * `broadcast_tx_sync`: "ok" accepts the tx, "reset" reads it and closes the connection without an answer,
   * "insufficient-fee" refuses it as CheckTx does a fee below the minimum gas price (sdk code 13), "in-cache"
   * answers CometBFT's JSON-RPC error for a tx its mempool cache holds (the same bytes broadcast before),
   * "stale-sequence" refuses it as CheckTx does a tx signed with a used sequence (sdk code 32, expected 3).
   */
  readonly broadcast?: "ok" | "reset" | "insufficient-fee" | "in-cache" | "stale-sequence";
  /** More abci_query answers: the encoded response for a query path. */
  readonly abci?: Readonly<Record<string, Uint8Array>>;
  /** abci_query answered by a function of its path, request and height (undefined: the latest); undefined falls back. */
  readonly abciQuery?: (path: string, data: Uint8Array, height: string | undefined) => AbciAnswer | undefined;
}

/** An abci_query response: code 0 and the latest height (10) unless given. */
export interface AbciAnswer {
  readonly value?: Uint8Array;
  readonly height?: string;
  readonly code?: number;
  readonly codespace?: string;
  readonly log?: string;
}

export interface FakeNode {
  readonly url: string;
  readonly txHash: string;
  /** The JSON-RPC methods asked, in order (`abci_query` with its path). */
  readonly calls: string[];
  /** The CometBFT hash (upper-case hex sha256) of each tx `broadcast_tx_sync` received (its answer, and `tx_search`'s, name the last). */
  readonly broadcasts: string[];
  /** The bytes (TxRaw) of each tx `broadcast_tx_sync` received, in order. */
  readonly broadcastTxs: Uint8Array[];
  /** The params of each `tx_search`, in order. */
  readonly searches: Readonly<Record<string, unknown>>[];
  /** The hash (upper-case hex) of block `height` (1 to 10). */
  blockHash(height: number): string;
  close(): Promise<void>;
}

const TX_HASH = "C0FFEE".padEnd(64, "0");
const b64 = (u: Uint8Array): string => Buffer.from(u).toString("base64");

function status(chainId: string) {
  const hash = "AB".repeat(32);
  return {
    node_info: {
      protocol_version: { p2p: "8", block: "11", app: "0" }, id: "a".repeat(40), listen_addr: "tcp://0.0.0.0:26656", network: chainId, version: "0.38.25",
      channels: "40", moniker: "fake", other: { tx_index: "on", rpc_address: "tcp://127.0.0.1:26657" },
    },
    sync_info: {
      latest_block_hash: hash, latest_app_hash: hash, latest_block_height: "10", latest_block_time: "2026-01-01T00:00:00Z", earliest_block_hash: hash,
      earliest_app_hash: hash, earliest_block_height: "1", earliest_block_time: "2026-01-01T00:00:00Z", catching_up: false,
    },
    validator_info: { address: "AB".repeat(20), pub_key: { type: "tendermint/PubKeyEd25519", value: Buffer.alloc(32).toString("base64") }, voting_power: "10" },
  };
}

function abciValue(path: string, moniker: string): Uint8Array {
  if (path === "/cosmos.auth.v1beta1.Query/Account") {
    const acc = BaseAccount.fromPartial({ address: "x", accountNumber: 1n, sequence: 0n });
    return QueryAccountResponse.encode({ account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: BaseAccount.encode(acc).finish() } }).finish();
  }
  if (path === "/cosmos.staking.v1beta1.Query/Validators") {
    const v = Validator.fromPartial({
      operatorAddress: "trustvaloper1xyz", status: 3, tokens: "1000000", delegatorShares: "1000000000000000000000000",
      description: { moniker, identity: "", website: "", securityContact: "", details: "" },
      commission: { commissionRates: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" } }, minSelfDelegation: "1",
    });
    return QueryValidatorsResponse.encode({ validators: [v], pagination: { nextKey: new Uint8Array(), total: 1n } }).finish();
  }
  return new Uint8Array();
}

const LATEST = 10;
const blockHash = (height: number): string => createHash("sha256").update(`block ${height}`).digest("hex").toUpperCase();

/** Block `height` as CometBFT's `block` answers it: a header, no txs but block 9's one (the tx `tx_search` finds). */
function block(height: number, chainId: string, tx: string) {
  const id = (h: number) => ({ hash: h === 0 ? "" : blockHash(h), parts: { total: h === 0 ? 0 : 1, hash: h === 0 ? "" : "CD".repeat(32) } });
  return {
    block_id: id(height),
    block: {
      header: {
        version: { block: "11", app: "0" }, chain_id: chainId, height: String(height), time: `2026-01-01T00:00:${String(height).padStart(2, "0")}Z`, last_block_id: id(height - 1),
        last_commit_hash: "EF".repeat(32), data_hash: "", validators_hash: "01".repeat(32), next_validators_hash: "01".repeat(32), consensus_hash: "02".repeat(32),
        app_hash: "03".repeat(32), last_results_hash: "", evidence_hash: "", proposer_address: "AB".repeat(20),
      },
      data: { txs: height === 9 ? [tx] : [] },
      evidence: { evidence: [] },
      last_commit: { height: String(height - 1), round: 0, block_id: id(height - 1), signatures: [{ block_id_flag: 2, validator_address: "AB".repeat(20), timestamp: "2026-01-01T00:00:00Z", signature: Buffer.alloc(64).toString("base64") }] },
    },
  };
}

export async function startFakeNode(opts: FakeNodeOptions = {}): Promise<FakeNode> {
  const chainId = opts.chainId ?? "trustnet-local-1";
  const mode = opts.txSearch ?? "ok";
  const calls: string[] = [];
  const broadcasts: string[] = [];
  const broadcastTxs: Uint8Array[] = [];
  const txBytes = TxRaw.encode({
    bodyBytes: TxBody.encode(TxBody.fromPartial({ memo: opts.memo ?? "", messages: [] })).finish(),
    authInfoBytes: AuthInfo.encode(AuthInfo.fromPartial({ fee: { amount: [{ denom: "utrust", amount: "5000" }], gasLimit: 200000n } })).finish(),
    signatures: [new Uint8Array(64)],
  }).finish();
  let searches = 0;
  const searchParams: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const r = JSON.parse(body) as { id: unknown; method: string; params?: { path?: string; data?: string; height?: string; hash?: string; query?: string; page?: string } };
      const reply = (result: unknown) => res.end(JSON.stringify({ jsonrpc: "2.0", id: r.id, result }));
      const fail = (message: string, data: string) => res.end(JSON.stringify({ jsonrpc: "2.0", id: r.id, error: { code: -32603, message, data } }));
      calls.push(r.method === "abci_query" ? `abci_query ${r.params?.path ?? ""}` : r.method);
      switch (r.method) {
        case "status":
          return reply(status(chainId));
        case "abci_query": {
          const asked = r.params?.height === undefined || String(r.params.height) === "0" ? undefined : String(r.params.height);
          const a = opts.abciQuery?.(r.params?.path ?? "", Buffer.from(r.params?.data ?? "", "hex"), asked);
          if (a) return reply({ response: { code: a.code ?? 0, log: a.log ?? "", info: "", index: "0", key: null, value: b64(a.value ?? new Uint8Array()), proofOps: null, height: a.height ?? asked ?? "10", codespace: a.codespace ?? "" } });
          return reply({ response: { code: 0, log: "", info: "", index: "0", key: null, value: b64(opts.abci?.[r.params?.path ?? ""] ?? abciValue(r.params?.path ?? "", opts.moniker ?? "val")), proofOps: null, height: "10", codespace: "" } });
        }
        case "broadcast_tx_sync":
          broadcastTxs.push(Buffer.from((r.params as { tx?: string } | undefined)?.tx ?? "", "base64"));
          broadcasts.push(createHash("sha256").update(broadcastTxs.at(-1) ?? new Uint8Array()).digest("hex").toUpperCase());
          if (opts.broadcast === "reset") return void req.socket.destroy();
          if (opts.broadcast === "stale-sequence") {
            return reply({ code: 32, data: "", log: "account sequence mismatch, expected 3, got 0: incorrect account sequence", codespace: "sdk", hash: broadcasts.at(-1) });
          }
          if (opts.broadcast === "in-cache") return fail("Internal error", "tx already exists in cache");
          if (opts.broadcast === "insufficient-fee") return reply({ code: 13, data: "", log: "insufficient fees; got: 1utrust required: 5000utrust: insufficient fee", codespace: "sdk", hash: broadcasts.at(-1) });
          return reply({ code: 0, data: "", log: "", codespace: "", hash: broadcasts.at(-1) });
        case "tx_search": {
          searches++;
          searchParams.push({ ...r.params });
          // CometBFT's answer to a query it cannot parse (here: an unbalanced quote), and to a page past the last.
          if (((r.params?.query ?? "").match(/'/gu) ?? []).length % 2 === 1) return fail("Internal error", "failed to parse query: unexpected EOF");
          if (mode === "ok" && Number(r.params?.page ?? "1") > 1) return fail("Internal error", "page should be within [1, 1] range, given 2");
          if (mode === "indexing-disabled") return fail("Internal error", "transaction indexing is disabled");
          if (mode === "reset" || (mode === "reset-then-ok" && searches <= 2)) return void req.socket.destroy();
          if (mode === "pending") return reply({ txs: [], total_count: "0" });
          const txResult = { code: 0, data: "", log: "", info: "", gas_wanted: "200000", gas_used: "50000", events: [], codespace: "" };
          return reply({ txs: [{ hash: broadcasts.at(-1) ?? TX_HASH, height: "9", index: 0, tx_result: txResult, tx: b64(txBytes) }], total_count: "1" });
        }
        case "tx": {
          // The tx tx_search finds, by its hash; another hash is CometBFT's "not found".
          const hash = broadcasts.at(-1) ?? TX_HASH;
          const asked = Buffer.from(r.params?.hash ?? "", "base64").toString("hex").toUpperCase();
          if (asked !== hash) return fail("Internal error", `tx (${asked}) not found`);
          const txResult = { code: 0, data: "", log: "", info: "", gas_wanted: "200000", gas_used: "50000", events: [], codespace: "" };
          return reply({ hash, height: "9", index: 0, tx_result: txResult, tx: b64(txBytes) });
        }
        case "consensus_params":
          return reply({ block_height: String(LATEST), consensus_params: { block: { max_bytes: "22020096", max_gas: "-1" } } });
        case "block":
        case "header": {
          const height = r.params?.height === undefined ? LATEST : Number(r.params.height);
          if (height > LATEST) return fail("Internal error", `height ${height} must be less than or equal to the current blockchain height ${LATEST}`);
          const b = block(height, chainId, b64(txBytes));
          return reply(r.method === "block" ? b : { header: b.block.header });
        }
        case "block_search": {
          // `block.height > N` or `= N` (anything else: every block); an unbalanced quote is CometBFT's parse error.
          const q = r.params?.query ?? "";
          if ((q.match(/'/gu) ?? []).length % 2 === 1) return fail("Internal error", "failed to parse query: unexpected EOF");
          const cond = /^block\.height\s*(>|=)\s*(\d+)$/u.exec(q);
          const all = Array.from({ length: LATEST }, (_, i) => i + 1).filter((h) => !cond || (cond[1] === ">" ? h > Number(cond[2]) : h === Number(cond[2])));
          const ordered = (r.params as { order_by?: string } | undefined)?.order_by === "desc" ? all.reverse() : all;
          const per = Number((r.params as { per_page?: string } | undefined)?.per_page ?? "30");
          const page = Number(r.params?.page ?? "1");
          if (page > 1 && (page - 1) * per >= ordered.length) return fail("Internal error", `page should be within [1, ${Math.ceil(ordered.length / per)}] range, given ${page}`);
          return reply({ blocks: ordered.slice((page - 1) * per, page * per).map((h) => block(h, chainId, b64(txBytes))), total_count: String(ordered.length) });
        }
        case "block_by_hash": {
          const hex = Buffer.from(r.params?.hash ?? "", "base64").toString("hex").toUpperCase();
          const height = Array.from({ length: LATEST }, (_, i) => i + 1).find((h) => blockHash(h) === hex);
          return reply(height === undefined ? { block_id: { hash: "", parts: { total: 0, hash: "" } }, block: null } : block(height, chainId, b64(txBytes)));
        }
        default:
          return fail("Method not found", r.method);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("the fake node has no TCP address");
  return {
    url: `http://127.0.0.1:${addr.port}`,
    txHash: TX_HASH,
    calls,
    broadcasts,
    broadcastTxs,
    searches: searchParams,
    blockHash,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const BIN = fileURLToPath(new URL("../../bin/trustnet.js", import.meta.url));

/** Runs the real `trustnet` launcher in a child process (so a fake node in this process can answer it); `input` is its stdin. */
export function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...argv], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
