// Two-node determinism (issue 16, R6): a 2-validator devnet (both needed for consensus) fed the fuzz stream - valid
// sends from many funded keys, mutated, crafted and random txs - for 500 blocks. Both nodes keep the same app_hash
// at every height and neither halts or logs an app-hash mismatch.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { fuzzBlock, fuzzKeys, Rng } from "../../abci-app/src/fuzz/stream.ts";
import { type Devnet, height, rpc, startDevnet, waitForHeight } from "../helpers/devnet.ts";
import { pooled } from "../helpers/pooled.ts";
import { CometRpcPool, DEFAULT_GAS_PRICE } from "@trustnet/abci-app";

const BLOCKS = Number(process.env.TRUSTNET_TWO_NODE_BLOCKS ?? 500);

describe("two-node determinism", () => {
  let d: Devnet | undefined;
  after(async () => {
    await d?.destroy();
  });

  test(`a 2-validator devnet fed the fuzz stream for ${BLOCKS} blocks keeps one app hash per height`, { timeout: 1_200_000 }, async () => {
    d = await startDevnet({ validators: 2, portOffset: 6000, blockTime: "100ms" });
    const rpcs = [d.rpc, "http://127.0.0.1:32667"];
    await waitForHeight(rpcs[1]!, 2, 90_000);
    const pools = rpcs.map((r) => new CometRpcPool(r, 8));
    try {
      // Fund the fuzz keys from the faucet with one MultiSend, then learn their account numbers.
      const keys = await fuzzKeys(24);
      const faucet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
      const from = (await faucet.getAccounts())[0]!.address;
      const client = await SigningStargateClient.connectWithSigner(d.rpc, faucet, { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), broadcastPollIntervalMs: 200 });
      const each = [{ denom: "utrust", amount: "100000000" }];
      const fund = await client.signAndBroadcast(from, [{
        typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
        value: { inputs: [{ address: from, coins: [{ denom: "utrust", amount: String(100_000_000 * keys.length) }] }], outputs: keys.map((k) => ({ address: k.address, coins: each })) },
      }], "auto");
      client.disconnect();
      assert.equal(fund.code, 0, fund.rawLog);
      for (const k of keys) {
        const r = await pools[0]!.answer<{ response: { value: string } }>("abci_query", { path: "/cosmos.auth.v1beta1.Query/Account", data: Buffer.from(QueryAccountRequest.encode({ address: k.address }).finish()).toString("hex") });
        k.accountNumber = BaseAccount.decode(QueryAccountResponse.decode(Buffer.from(r.result!.response.value, "base64")).account!.value).accountNumber;
      }

      // The stream: a fuzz block's inputs per round, spread over both nodes; sequences re-read after each round.
      const rng = new Rng(Number(process.env.TRUSTNET_FUZZ_SEED ?? 8));
      const history: Uint8Array[] = [];
      const start = await height(d.rpc);
      let accepted = 0;
      let sent = 0;
      while ((await height(d.rpc)) < start + BLOCKS) {
        const inputs = await fuzzBlock(rng, keys, 40, history, "trustnet-local-1");
        await pooled(inputs.length, 8, async (i) => {
          const r = await pools[i % 2]!.answer<{ code: number }>("broadcast_tx_sync", { tx: Buffer.from(inputs[i]!.tx).toString("base64") });
          sent++;
          if (r.result?.code === 0) accepted++;
        });
        const h = await height(d.rpc);
        await waitForHeight(d.rpc, h + 1);
        for (const k of new Set(inputs.flatMap((x) => (x.key ? [x.key] : [])))) {
          const r = await pools[0]!.answer<{ response: { code: number; value: string } }>("abci_query", { path: "/cosmos.auth.v1beta1.Query/Account", data: Buffer.from(QueryAccountRequest.encode({ address: k.address }).finish()).toString("hex") });
          if (r.result?.response.code === 0) k.sequence = BaseAccount.decode(QueryAccountResponse.decode(Buffer.from(r.result.response.value, "base64")).account!.value).sequence;
        }
      }
      const end = start + BLOCKS;
      await waitForHeight(rpcs[1]!, end + 1, 60_000);
      process.stderr.write(`two-node: ${sent} inputs sent, ${accepted} accepted by CheckTx, heights ${start}..${end}\n`);
      assert.ok(accepted > 100, `valid txs reached blocks (${accepted})`);

      // Both nodes: the same app_hash at every height, and the app's own latest hash agrees.
      let withTxs = 0;
      for (let h = start; h <= end; h++) {
        const [a, b] = await Promise.all(rpcs.map((r) => rpc<{ block: { header: { app_hash: string }; data: { txs: string[] | null } } }>(r, `block?height=${h}`)));
        assert.equal(a!.block.header.app_hash, b!.block.header.app_hash, `app_hash at height ${h}`);
        if ((a!.block.data.txs ?? []).length > 0) withTxs++;
      }
      assert.ok(withTxs > 20, `blocks carried txs (${withTxs})`);
      for (const name of ["cometbft-0.log", "cometbft-1.log"]) {
        assert.doesNotMatch(d.log(name), /wrong Block\.Header\.AppHash|CONSENSUS FAILURE/, name);
      }
      // Neither halts: both keep producing.
      const now = await height(rpcs[1]!);
      await Promise.all(rpcs.map((r) => waitForHeight(r, now + 3)));
    } finally {
      for (const p of pools) p.close();
    }
  });
});
