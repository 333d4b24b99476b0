// Both gRPC servers behind the real CometBFT v0.38.25 and its grpc-go client: the native one (abci/h2/; the default:
// a devnet started without --grpc-server runs it) and @grpc/grpc-js (--grpc-server grpc-js). On each: the handshake,
// blocks, txs through unmodified cosmjs (CheckTx, FinalizeBlock, Query), a refused tx, and a restart (Info, replay).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { DEFAULT_GAS_PRICE } from "@trustnet/abci-app";
import { devnetLayout } from "../../cli/src/devnet/layout.ts";
import { getTomlString } from "../../cli/src/devnet/toml.ts";
import { type Devnet, startDevnet, waitForHeight } from "../helpers/devnet.ts";

const CHAIN = "trustnet-local-1";
const fee: StdFee = { amount: [{ denom: "utrust", amount: "5000" }], gas: "200000" };

const SERVERS = [
  // The default: no flag at all.
  { name: "native", portOffset: 3700, appArgs: [] as string[], banner: /ABCI gRPC server \(native HTTP\/2\) listening/g },
  { name: "grpc-js", portOffset: 3800, appArgs: ["--grpc-server=grpc-js"], banner: /ABCI gRPC server listening/g },
] as const;

for (const server of SERVERS) describe(`devnet on the ${server.name} gRPC server`, () => {
  let d: Devnet;
  let client: SigningStargateClient;
  let faucetAddr: string;
  let bobAddr: string;

  before(async () => {
    d = await startDevnet({ transport: "grpc", portOffset: server.portOffset, appArgs: ["--check-invariants", ...server.appArgs] });
    const faucet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
    faucetAddr = (await faucet.getAccounts())[0]!.address;
    bobAddr = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: "trust" })).getAccounts())[0]!.address;
    client = await SigningStargateClient.connectWithSigner(d.rpc, faucet, { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), broadcastPollIntervalMs: 300 });
  });
  after(async () => {
    client?.disconnect();
    await d?.destroy();
  });

  test(`CometBFT's grpc-go client talks to the ${server.name} server: blocks advance`, async () => {
    const toml = readFileSync(join(devnetLayout(d.home).node(0).cometHome, "config", "config.toml"), "utf8");
    assert.equal(getTomlString(toml, "", "abci"), "grpc");
    assert.match(d.log("app-0.log"), new RegExp(server.banner.source));
    assert.match(d.log("app-0.log"), new RegExp(`"grpcServer":"${server.name}"`));
    await waitForHeight(d.rpc, 3);
  });

  test("60 txs from one key back to back are all committed in order; balances read back through Query", async () => {
    const { accountNumber, sequence: start } = await client.getSequence(faucetAddr);
    const raws: Uint8Array[] = [];
    for (let i = 0; i < 60; i++) {
      const signed = await client.sign(faucetAddr, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: faucetAddr, toAddress: bobAddr, amount: [{ denom: "utrust", amount: "3" }] } }], fee, `n${i}`, { accountNumber, sequence: start + i, chainId: CHAIN });
      raws.push(TxRaw.encode(signed).finish());
    }
    for (const raw of raws) await client.broadcastTxSync(raw);
    const end = Date.now() + 60_000;
    while ((await client.getSequence(faucetAddr)).sequence < start + 60) {
      assert.ok(Date.now() < end, "all 60 committed within 60 s");
      await new Promise((r) => setTimeout(r, 300));
    }
    assert.deepEqual(await client.getBalance(bobAddr, "utrust"), { denom: "utrust", amount: "180" });
    const txs = await client.searchTx([{ key: "transfer.recipient", value: bobAddr }]);
    assert.equal(txs.length, 60);
    assert.ok(txs.every((t) => t.code === 0));
  });

  test("a tx with a stale sequence is refused by CheckTx with code 32 and changes nothing", async () => {
    const { accountNumber, sequence } = await client.getSequence(faucetAddr);
    const before = await client.getBalance(bobAddr, "utrust");
    const stale = await client.sign(faucetAddr, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: faucetAddr, toAddress: bobAddr, amount: [{ denom: "utrust", amount: "1" }] } }], fee, "", { accountNumber, sequence: sequence - 1, chainId: CHAIN });
    await assert.rejects(client.broadcastTxSync(TxRaw.encode(stale).finish()), (err: Error & { code?: number; log?: string }) => {
      assert.equal(err.code, 32, err.message);
      assert.match(err.log ?? "", /account sequence mismatch/);
      return true;
    });
    assert.deepEqual(await client.getBalance(bobAddr, "utrust"), before);
  });

  test(`stop and restart on the ${server.name} server: the handshake (Info) resumes at the same height and blocks continue`, async () => {
    const h = await waitForHeight(d.rpc, 2);
    client.disconnect();
    await d.down();
    await d.cli(["devnet", "up", "--timeout", "60", ...server.appArgs.map((a) => `--app-arg=${a}`)]);
    await waitForHeight(d.rpc, h + 3);
    assert.equal(d.log("app-0.log").match(server.banner)?.length, 2, `both runs on the ${server.name} server`);
    assert.doesNotMatch(d.log("cometbft-0.log"), /wrong Block\.Header\.AppHash/);
    assert.doesNotMatch(d.log("app-0.log"), /protocol error|internal error, closing/, "no HTTP/2 error with grpc-go");
  });
});
