// Chain safety against the real CometBFT v0.38 binary and the real app (issue 16): crafted txs and queries get
// codes, CometBFT is never restarted (same PID), blocks keep coming, and 10,000 random abci_query and
// broadcast_tx_sync calls leave no error-level app log.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { QueryBalanceRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { fuzzBlock, fuzzKeys, nestedGroups, Rng } from "../../abci-app/src/fuzz/stream.ts";
import { type Devnet, height, startDevnet, supervisorState, waitForHeight } from "../helpers/devnet.ts";
import { pooled } from "../helpers/pooled.ts";
import { CometRpcPool, DEFAULT_GAS_PRICE } from "@trustnet/abci-app";

const BALANCE = "/cosmos.bank.v1beta1.Query/Balance";
const SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate";
const fee = (gas = 200_000): StdFee => ({ amount: [{ denom: "utrust", amount: String(Math.ceil(gas * 0.025)) }], gas: String(gas) });
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");

interface QueryResult { response: { code: number; log: string; codespace: string } }
interface CheckResult { code: number; log: string; hash: string }

/** The CometBFT process of node 0 and how often the supervisor restarted it. */
const cometOf = (d: Devnet): { pid: number | undefined; restarts: number } => {
  const p = supervisorState(d.home).pairs[0];
  return { pid: p?.cometPid, restarts: p?.restarts ?? -1 };
};

/** Error-level (pino level error or fatal) lines of the app log, from byte `from` on. */
function appErrors(d: Devnet, from: number): string[] {
  return d.log("app-0.log").slice(from).split("\n").filter((l) => /"level":"(error|fatal)"/.test(l));
}

describe("chain safety on a real devnet", () => {
  let d: Devnet;
  let pool: CometRpcPool;
  let client: SigningStargateClient;
  let faucetAddr: string;
  const to = "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy";

  before(async () => {
    d = await startDevnet({ blockTime: "300ms" });
    pool = new CometRpcPool(d.rpc, 32);
    const faucet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
    faucetAddr = (await faucet.getAccounts())[0]!.address;
    client = await SigningStargateClient.connectWithSigner(d.rpc, faucet, { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), broadcastPollIntervalMs: 300 });
    await waitForHeight(d.rpc, 2);
  });
  after(async () => {
    pool?.close();
    client?.disconnect();
    await d?.destroy();
  });

  test("the issue's abci_query (Balance, data 0xff…) answers code 2 in the JSON-RPC result; CometBFT keeps its PID", async () => {
    const comet = cometOf(d);
    assert.ok(comet.pid);
    const res = await fetch(`${d.rpc}/abci_query?path="${BALANCE}"&data=0xffffffffffffffffffffff`);
    const body = (await res.json()) as { result?: QueryResult; error?: unknown };
    assert.equal(body.error, undefined);
    assert.equal(body.result?.response.code, 2, JSON.stringify(body));
    assert.match(body.result?.response.log ?? "", /cannot decode query request/);
    const h = await height(d.rpc);
    await waitForHeight(d.rpc, h + 3);
    assert.deepEqual(cometOf(d), comet, "CometBFT was not restarted");
    assert.doesNotMatch(d.log("cometbft-0.log"), /query connection terminated|error in proxyAppConn/i);
  });

  test("bad queries: future and negative heights, prove=true, a ~400 KiB junk data, a 1 MiB data: codes (or the RPC's own refusal)", async () => {
    const comet = cometOf(d);
    const logFrom = d.log("app-0.log").length;
    const data = hex(QueryBalanceRequest.encode({ address: to, denom: "utrust" }).finish());
    const q = (params: Record<string, unknown>) => pool.answer<QueryResult>("abci_query", { path: BALANCE, data, ...params });
    const ok = await q({});
    assert.equal(ok.result?.response.code, 0, JSON.stringify(ok));
    const future = await q({ height: "999999999" });
    assert.equal(future.result?.response.code, 26, JSON.stringify(future));
    const negative = await q({ height: "-1" });
    assert.ok(negative.error || negative.result?.response.code === 26, JSON.stringify(negative));
    const proof = await q({ prove: true });
    assert.equal(proof.result?.response.code, 18, JSON.stringify(proof));
    assert.match(proof.result?.response.log ?? "", /does not support proofs/);
    const junk = await q({ data: "41".repeat(400 * 1024) });
    assert.equal(junk.result?.response.code, 2, JSON.stringify(junk).slice(0, 300));
    // 1 MiB of data is 2 MiB of hex: over CometBFT's RPC body limit, which refuses it before the app sees it.
    const mib = await q({ data: "41".repeat(1024 * 1024) }).catch((err: unknown) => ({ status: 0, error: { code: -1, message: String(err) }, result: undefined }));
    assert.ok(mib.error || mib.status >= 400 || mib.result?.response.code === 2, `1 MiB: ${JSON.stringify(mib).slice(0, 300)}`);
    const h = await height(d.rpc);
    await waitForHeight(d.rpc, h + 2);
    assert.deepEqual(cometOf(d), comet);
    assert.deepEqual(appErrors(d, logFrom), []);
  });

  test("a valid send with a 10,000-deep group appended: code 2 at CheckTx, never in a block; the plain send commits", async () => {
    const raw = await client.sign(faucetAddr, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: faucetAddr, toAddress: to, amount: [{ denom: "utrust", amount: "5" }] } }], fee(), "");
    const valid = TxRaw.encode(raw).finish();
    const evil = Buffer.concat([valid, nestedGroups(9, 10_000)]);
    const bad = await pool.answer<CheckResult>("broadcast_tx_sync", { tx: b64(evil) });
    assert.equal(bad.result?.code, 2, JSON.stringify(bad));
    assert.match(bad.result?.log ?? "", /group/);
    const good = await pool.answer<CheckResult>("broadcast_tx_sync", { tx: b64(valid) });
    assert.equal(good.result?.code, 0, JSON.stringify(good));
    const h = await height(d.rpc);
    await waitForHeight(d.rpc, h + 3);
    const evilHash = createHash("sha256").update(evil).digest("hex");
    const found = await pool.answer("tx", { hash: b64(Buffer.from(evilHash, "hex")) });
    assert.ok(found.error, "the crafted tx is in no block");
    const committed = await pool.answer<{ tx_result: { code: number } }>("tx", { hash: b64(Buffer.from(good.result!.hash, "hex")) });
    assert.equal(committed.result?.tx_result.code, 0, JSON.stringify(committed));
  });

  test("1,000 parallel simulates (100 messages each, some over the cap) each answer a code while blocks continue", async () => {
    const comet = cometOf(d);
    const msgs = (n: number) => Array.from({ length: n }, () => ({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: faucetAddr, toAddress: to, amount: [{ denom: "utrust", amount: "1" }] } }));
    const seq = await client.getSequence(faucetAddr);
    const signerData = { accountNumber: seq.accountNumber, sequence: seq.sequence, chainId: "trustnet-local-1" };
    const within = TxRaw.encode(await client.sign(faucetAddr, msgs(100), fee(5_000_000), "", signerData)).finish();
    const over = TxRaw.encode(await client.sign(faucetAddr, msgs(101), fee(5_000_000), "", signerData)).finish();
    const h0 = await height(d.rpc);
    const codes = new Map<number, number>();
    const wide = new CometRpcPool(d.rpc, 200);
    try {
      await Promise.all(Array.from({ length: 1000 }, async (_, i) => {
        const tx = i % 4 === 3 ? over : within;
        const r = await wide.answer<QueryResult>("abci_query", { path: SIMULATE, data: hex(SimulateRequest.encode({ txBytes: tx }).finish()) }, 120_000);
        const code = r.result?.response.code;
        assert.equal(typeof code, "number", JSON.stringify(r).slice(0, 300));
        codes.set(code!, (codes.get(code!) ?? 0) + 1);
      }));
    } finally {
      wide.close();
    }
    assert.deepEqual([...codes.entries()].sort(), [[0, 750], [18, 250]]);
    await waitForHeight(d.rpc, h0 + 3);
    assert.deepEqual(cometOf(d), comet);
  });

  test("node fuzz: 10,000 random abci_query and broadcast_tx_sync calls; same CometBFT PID, blocks continue, no app error log", { timeout: 900_000 }, async () => {
    const comet = cometOf(d);
    const logFrom = d.log("app-0.log").length;
    const rng = new Rng(Number(process.env.TRUSTNET_FUZZ_SEED ?? 61));
    const keys = await fuzzKeys(16);
    const history: Uint8Array[] = [];
    const paths = [BALANCE, SIMULATE, "/cosmos.bank.v1beta1.Query/AllBalances", "/cosmos.bank.v1beta1.Query/TotalSupply", "/cosmos.bank.v1beta1.Query/SupplyOf",
      "/cosmos.auth.v1beta1.Query/Account", "/cosmos.auth.v1beta1.Query/Params", "/trustnet.registry.v1.Query/Namespace", "/trustnet.registry.v1.Query/TagHistory",
      "/trustnet.registry.v1.Query/Registries", "/store/bank/key", "/app/simulate", "", "/", "/cosmos.bank.v1beta1.Query/Nope"];
    const txs: Uint8Array[] = [];
    while (txs.length < 5000) for (const input of await fuzzBlock(rng, keys, 50, history, "trustnet-local-1")) txs.push(input.tx);
    const h0 = await height(d.rpc);
    const counts = { query: 0, queryCodes: new Map<number, number>(), tx: 0, txCodes: new Map<number, number>(), rpcErrors: 0 };
    await pooled(10_000, 32, async (i) => {
      if (i % 2 === 0) {
        const path = rng.chance(0.8) ? rng.pick(paths) : Buffer.from(rng.bytes(1 + rng.int(40))).toString("latin1");
        const data = rng.chance(0.3) ? txs[rng.int(txs.length)]! : rng.bytes(rng.pick([0, 1, 11, 64, 700, 5000]));
        const r = await pool.answer<QueryResult>("abci_query", { path, data: hex(data), height: String(rng.chance(0.1) ? rng.int(1_000_000) - 1000 : 0), prove: rng.chance(0.05) });
        counts.query++;
        if (r.result) counts.queryCodes.set(r.result.response.code, (counts.queryCodes.get(r.result.response.code) ?? 0) + 1);
        else counts.rpcErrors++;
      } else {
        const r = await pool.answer<CheckResult>("broadcast_tx_sync", { tx: b64(txs[(i - 1) / 2]!) });
        counts.tx++;
        if (r.result) counts.txCodes.set(r.result.code, (counts.txCodes.get(r.result.code) ?? 0) + 1);
        else counts.rpcErrors++; // e.g. "tx already exists in cache" (a replayed input): CometBFT's own refusal
      }
    });
    process.stderr.write(`node fuzz: ${counts.query} queries ${JSON.stringify([...counts.queryCodes])}, ${counts.tx} txs ${JSON.stringify([...counts.txCodes])}, ${counts.rpcErrors} RPC-level refusals\n`);
    assert.equal(counts.query + counts.tx, 10_000);
    assert.ok(counts.rpcErrors < 2000, `most calls reach the app (${counts.rpcErrors} RPC refusals)`);
    await waitForHeight(d.rpc, h0 + 3);
    assert.deepEqual(cometOf(d), comet, "CometBFT was never restarted");
    assert.deepEqual(appErrors(d, logFrom), [], "no error-level app log");
  });
});
