// A block's FinalizeBlock answer never passes CometBFT's gRPC limit (grpc-go's default 4 MiB per received message:
// CometBFT v0.38's gRPC ABCI client sets no other). A block whose answer passed it stopped the chain for good
// ("received message larger than max", then CONSENSUS FAILURE, the same again after a restart). Real CometBFT over
// the gRPC transport, no block gas limit (max_gas -1, as simd), a mempool that holds the whole backlog.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Bip39, EnglishMnemonic, Secp256k1, Slip10, Slip10Curve } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, type EncodeObject, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { calculateFee, GasPrice, SigningStargateClient, StargateClient, type StdFee } from "@cosmjs/stargate";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { addressFromPubkey, BECH32_PREFIX, CometRpcPool, DEFAULT_CHAIN_ID, DEFAULT_GAS_PRICE, DENOM, encodeTxBody, signDirect, trustnetRegistry } from "@trustnet/abci-app";
import { testKey, type TestKey } from "../../registry/src/testkit.ts";
import { BlockFollower, txHash, type TxOutcome } from "../helpers/block-follower.ts";
import { type Devnet, startDevnet } from "../helpers/devnet.ts";

const BLOCK_TIME_S = 8;
/** No block for this long: the chain stopped (a block interval plus executing a few thousand txs, with margin). */
const STALL_MS = 30_000;
const SENDS = 4000;
const SEND_GAS = 100_000;
const MULTISENDS = 10;
const OUTPUTS = 2000;
const GAS_PRICE = GasPrice.fromString(DEFAULT_GAS_PRICE);
const feeAmount = (f: StdFee): bigint => BigInt(f.amount.find((c) => c.denom === DENOM)?.amount ?? "0");

/** A fresh address no one holds a key for: the `i`-th output of multisend `tx`. */
const outputAddress = (tx: number, i: number): string => toBech32(BECH32_PREFIX, new Uint8Array(20).fill(0xb1).map((b, j) => (j === 0 ? tx : j === 1 ? i >> 8 : j === 2 ? i & 0xff : b)));

function multiSend(from: string, tx: number): EncodeObject {
  const outputs = Array.from({ length: OUTPUTS }, (_, i) => ({ address: outputAddress(tx, i), coins: [{ denom: DENOM, amount: "1" }] }));
  return { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: from, coins: [{ denom: DENOM, amount: String(OUTPUTS) }] }], outputs } };
}

describe("a block's ABCI answer stays under CometBFT's 4 MiB gRPC limit", () => {
  let d: Devnet;
  let pool: CometRpcPool;
  let chain: StargateClient;
  let follow: BlockFollower;
  let faucet: TestKey;
  /** Set when a test found the chain stopped: the later ones fail at once instead of waiting for it. */
  let stopped: Error | undefined;
  const consensusFailures = (): string[] => [d.log("cometbft-0.log"), d.log("app-0.log")].join("\n").split("\n").filter((l) => /CONSENSUS FAILURE|proxyAppConn\.FinalizeBlock|larger than max/.test(l));
  /** `count` txs of `msgs` signed offline (as a wallet would), with the sequences from `sequence` on. */
  const signMany = async (key: TestKey, msgs: readonly EncodeObject[], sequence: number, count: number, gas: number, memo = ""): Promise<Uint8Array[]> => {
    const account = await chain.getAccount(key.address);
    assert.ok(account, `no account ${key.address}`);
    const body = encodeTxBody(msgs, memo);
    const s = { chainId: DEFAULT_CHAIN_ID, accountNumber: BigInt(account.accountNumber), gas: BigInt(gas), fee: calculateFee(gas, GAS_PRICE).amount };
    return Promise.all(Array.from({ length: count }, (_, i) => signDirect(key, body, { ...s, sequence: BigInt(sequence + i) })));
  };
  /** Broadcasts in JSON-RPC batches of `batch` (CometBFT's max_request_batch_size is 10); asserts CheckTx took every tx. */
  const broadcast = async (txs: readonly Uint8Array[], batch: number): Promise<void> => {
    for (let i = 0; i < txs.length; i += batch) {
      const answers = await pool.broadcastBatch(txs.slice(i, i + batch));
      answers.forEach((a, j) => assert.ok(a.result?.code === 0, `CheckTx refused tx ${i + j}: ${JSON.stringify(a.error ?? a.result ?? a.unreadable)}`));
    }
  };
  /** Runs `body`; a stopped chain found on the way is remembered for the later tests. */
  const guarded = async (body: () => Promise<void>): Promise<void> => {
    if (stopped) assert.fail(`the chain stopped in an earlier test: ${stopped.message}`);
    try {
      await body();
    } catch (err) {
      if (err instanceof Error && err.message.startsWith("the chain is stuck")) stopped = err;
      throw err;
    }
  };
  const balance = async (address: string): Promise<bigint> => {
    const r = await pool.abciQuery("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address, denom: DENOM }).finish());
    assert.equal(r.code, 0, `balance of ${address}: ${r.log}`);
    return BigInt(QueryBalanceResponse.decode(r.value).balance?.amount ?? "0");
  };
  /** The balances of many addresses, 64 queries in flight. */
  const balances = async (addresses: readonly string[]): Promise<bigint[]> => {
    const out: bigint[] = [];
    for (let i = 0; i < addresses.length; i += 64) out.push(...(await Promise.all(addresses.slice(i, i + 64).map(balance))));
    return out;
  };

  before(async () => {
    d = await startDevnet({
      portOffset: 4200, transport: "grpc", blockTime: `${BLOCK_TIME_S}s`,
      comet: { maxGas: "-1", config: [["mempool", "size", 20_000]] },
    });
    pool = new CometRpcPool(d.rpc, 8, 60_000);
    chain = await StargateClient.connect(d.rpc);
    follow = new BlockFollower(pool, {
      stallMs: STALL_MS,
      why: () => {
        const lines = consensusFailures();
        return lines.length === 0 ? " (no consensus failure logged)" : `; CometBFT: ${lines.slice(0, 2).map((l) => l.slice(0, 400)).join(" | ")}`;
      },
    });
    const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(d.faucet.mnemonic));
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(0));
    const pubkey = Secp256k1.compressPubkey((await Secp256k1.makeKeypair(privkey)).pubkey);
    faucet = { privkey, pubkey, address: addressFromPubkey(pubkey) };
    assert.equal(faucet.address, d.faucet.address);
  });
  after(async () => {
    pool?.close();
    chain?.disconnect();
    await d?.destroy();
  });

  test("4,000 sends broadcast within one block interval are all committed, over several blocks, and the chain goes on", (t) => guarded(async () => {
    const sink = await testKey(0xb2);
    const start = (await chain.getAccount(faucet.address))!.sequence;
    const body = [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: faucet.address, toAddress: sink.address, amount: [{ denom: DENOM, amount: "1" }] } }];
    const txs = await signMany(faucet, body, start, SENDS, SEND_GAS);
    const hashes = new Set(txs.map(txHash));
    // Right after a commit, so that the whole backlog is in the mempool when the next block is proposed: without a
    // budget that block would hold all 4,000 (~5.5 MB of results).
    const h0 = await follow.nextBlock();
    const t0 = performance.now();
    await broadcast(txs, 10);
    const took = (performance.now() - t0) / 1000;
    t.diagnostic(`${SENDS} sends broadcast in ${took.toFixed(1)} s`);
    const pending = Number((await pool.call<{ n_txs: string }>("num_unconfirmed_txs")).n_txs);
    const early = await follow.beforeProposal(h0 + 1);
    assert.ok(early.ok, `the broadcast took ${took.toFixed(1)} s: block ${h0 + 1} was proposed before the backlog was whole (consensus at ${early.state})`);
    assert.equal(pending, SENDS, "the whole backlog is in the mempool before the next block is proposed");

    const outcomes = await follow.awaitTxs(hashes, h0 + 1, 120_000);
    const failed = [...outcomes.values()].filter((o) => o.code !== 0);
    assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of the sends failed`);
    const perBlock = new Map<number, number>();
    for (const o of outcomes.values()) perBlock.set(o.height, (perBlock.get(o.height) ?? 0) + 1);
    t.diagnostic(`sends per block (height, count): ${JSON.stringify([...perBlock])}`);
    assert.ok(perBlock.size >= 2, `the backlog is split over several blocks: ${JSON.stringify([...perBlock])}`);
    assert.equal((await chain.getAccount(faucet.address))!.sequence, start + SENDS);
    assert.equal((await chain.getBalance(sink.address, DENOM)).amount, String(SENDS));

    // The chain goes on once the backlog is gone: a block after the last one that held a send, with an empty mempool.
    const last = Math.max(...perBlock.keys());
    await follow.nextBlock(last);
    assert.equal((await pool.call<{ n_txs: string }>("num_unconfirmed_txs")).n_txs, "0");
  }));

  test("MsgMultiSends whose results would pass the limit in one block: the ones past it are refused and change nothing", (t) => guarded(async () => {
    const sender = await testKey(0xb3);
    const wallet = await DirectSecp256k1Wallet.fromKey(faucet.privkey, BECH32_PREFIX);
    const faucetClient = await SigningStargateClient.connectWithSigner(d.rpc, wallet, { gasPrice: GAS_PRICE, registry: trustnetRegistry(), broadcastPollIntervalMs: 300, broadcastTimeoutMs: 60_000 });
    const senderClient = await SigningStargateClient.connectWithSigner(d.rpc, await DirectSecp256k1Wallet.fromKey(sender.privkey, BECH32_PREFIX), { gasPrice: GAS_PRICE, registry: trustnetRegistry() });
    try {
      const funded = 100_000_000n;
      const fund = await faucetClient.sendTokens(faucet.address, sender.address, [{ denom: DENOM, amount: String(funded) }], "auto");
      assert.equal(fund.code, 0, fund.rawLog);
      const msgs = Array.from({ length: MULTISENDS }, (_, t) => multiSend(sender.address, t));
      // Gas that fits: what the chain's own simulation says one of them uses (all are the same shape), with margin.
      const gas = Math.ceil((await senderClient.simulate(sender.address, [msgs[0]!], "")) * 1.3);
      const fee = feeAmount(calculateFee(gas, GAS_PRICE));
      const txs = (await Promise.all(msgs.map((m, s) => signMany(sender, [m], s, 1, gas)))).flat();
      assert.ok(txs.every((t) => t.length < 1024 * 1024), "each tx fits CometBFT's max_tx_bytes");

      // The proposer estimates a block's results from the last block's result bytes per tx byte. Sends with
      // 256-character memos (in no event) answer ~2.4 per byte, a MultiSend ~4.7: after a block of those sends the
      // proposer takes all ten MultiSends into one block, and FinalizeBlock's budget must cut it.
      const memoSends = await signMany(faucet, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: faucet.address, toAddress: sender.address, amount: [{ denom: DENOM, amount: "1" }] } }],
        (await chain.getAccount(faucet.address))!.sequence, 40, SEND_GAS, "m".repeat(256));
      const hm = await follow.nextBlock();
      await broadcast(memoSends, 10);
      const memoOutcomes = await follow.awaitTxs(new Set(memoSends.map(txHash)), hm + 1, 60_000);
      const memoHeights = new Set([...memoOutcomes.values()].map((o) => o.height));
      assert.equal(memoHeights.size, 1, `the memo sends landed in one block: ${[...memoHeights].join(",")}`);
      assert.ok([...memoOutcomes.values()].every((o) => o.code === 0));

      const h0 = await follow.nextBlock(Math.max(...memoHeights));
      await broadcast(txs, 3); // 3 per request (~500 KB as base64): more would near the RPC's max_body_bytes (~1.46 MB)
      const early = await follow.beforeProposal(h0 + 1);
      assert.ok(early.ok, `block ${h0 + 1} was proposed before all ten were broadcast (consensus at ${early.state})`);
      const outcomes = await follow.awaitTxs(new Set(txs.map(txHash)), h0 + 1, 90_000);
      const byOrder = txs.map((t) => outcomes.get(txHash(t))!);
      assert.equal(new Set(byOrder.map((o) => o.height)).size, 1, `the ten landed in one block: ${byOrder.map((o) => o.height).join(",")}`);
      const k = byOrder.findIndex((o) => o.code !== 0);
      assert.ok(k >= 1 && k < MULTISENDS, `some, not all, fit: ${byOrder.map((o) => o.code).join(",")}`);
      t.diagnostic(`${k} of ${MULTISENDS} multisends (gas limit ${gas} each) executed in block ${byOrder[0]!.height}`);
      const refused: TxOutcome[] = byOrder.slice(k);
      for (const o of refused) {
        assert.deepEqual({ code: o.code, codespace: o.codespace }, { code: 1, codespace: "trustnet" }, o.log);
        assert.match(o.log, /^block answer full/);
      }
      assert.ok(byOrder.slice(0, k).every((o) => o.code === 0));

      // The refused ones changed nothing: no fee, no sequence, no coins moved.
      const acct = await chain.getAccount(sender.address);
      assert.equal(acct?.sequence, k, "the sequence counts only the executed txs");
      assert.equal(BigInt((await chain.getBalance(sender.address, DENOM)).amount), funded + 40n - BigInt(k) * (BigInt(OUTPUTS) + fee));
      const t1 = performance.now();
      const refusedOutputs = Array.from({ length: MULTISENDS - k }, (_, j) => Array.from({ length: OUTPUTS }, (_, i) => outputAddress(k + j, i))).flat();
      const held = (await balances(refusedOutputs)).filter((b) => b !== 0n).length;
      assert.equal(held, 0, `${held} outputs of refused txs hold coins`);
      assert.deepEqual(new Set(await balances(Array.from({ length: OUTPUTS }, (_, i) => outputAddress(k - 1, i)))), new Set([1n]), "every output of an executed tx got its coin");
      t.diagnostic(`balances read in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

      // Signed again with the next sequences, the refused ones are committed in later blocks.
      const again = (await Promise.all(msgs.slice(k).map((m, j) => signMany(sender, [m], k + j, 1, gas)))).flat();
      const h1 = await follow.height();
      await broadcast(again, 3);
      const later = await follow.awaitTxs(new Set(again.map(txHash)), h1 + 1, 90_000);
      t.diagnostic(`sent again, executed in blocks ${[...later.values()].map((o) => o.height).join(",")}`);
      for (const o of later.values()) assert.equal(o.code, 0, o.log);
      assert.equal((await chain.getAccount(sender.address))?.sequence, MULTISENDS);
      assert.equal(BigInt((await chain.getBalance(sender.address, DENOM)).amount), funded + 40n - BigInt(MULTISENDS) * (BigInt(OUTPUTS) + fee));
      assert.deepEqual(new Set(await balances(refusedOutputs)), new Set([1n]));
    } finally {
      faucetClient.disconnect();
      senderClient.disconnect();
    }
  }));

  test("every block's results stay readable and no consensus failure was logged", async () => {
    const latest = await follow.height();
    for (let h = 1; h <= latest; h++) {
      const r = await pool.answer<{ height: string }>("block_results", { height: String(h) });
      assert.equal(r.result?.height, String(h), `block_results ${h}: ${JSON.stringify(r.error ?? r.unreadable)}`);
    }
    assert.deepEqual(consensusFailures().map((l) => l.slice(0, 300)).slice(0, 3), []);
  });
});
