// The app's HTTP surface on :1317 against a real devnet: Cosmos REST routes answer what cosmjs sees over RPC,
// errors are gRPC-gateway shaped, /metrics counts blocks and txs, the explorer page is served.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { type Devnet, startDevnet } from "../helpers/devnet.ts";

describe("REST API, metrics and explorer on 1317", () => {
  let d: Devnet;
  let rest: string;
  let client: SigningStargateClient;
  let faucet: string;
  const to = "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy";
  const get = async (path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> => {
    const r = await fetch(`${rest}${path}`, init);
    return { status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers };
  };

  before(async () => {
    d = await startDevnet();
    rest = "http://127.0.0.1:1317";
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
    faucet = d.faucet.address;
    client = await SigningStargateClient.connectWithSigner(d.rpc, wallet, { gasPrice: GasPrice.fromString("0.025utrust"), broadcastPollIntervalMs: 300 });
  });
  after(async () => {
    client?.disconnect();
    await d?.destroy();
  });

  test("auth, bank and tx routes match the chain; a missing account is a gRPC NotFound (404)", async () => {
    const r = await client.sendTokens(faucet, to, [{ denom: "utrust", amount: "4242" }], "auto");
    assert.equal(r.code, 0);
    const bal = await get(`/cosmos/bank/v1beta1/balances/${to}`);
    assert.equal(bal.status, 200);
    assert.deepEqual(bal.body.balances, [{ denom: "utrust", amount: "4242" }]);
    assert.ok(Number(bal.headers.get("x-cosmos-block-height")) >= r.height);
    const byDenom = await get(`/cosmos/bank/v1beta1/balances/${to}/by_denom?denom=utrust`);
    assert.deepEqual(byDenom.body.balance, { denom: "utrust", amount: "4242" });
    const acc = await get(`/cosmos/auth/v1beta1/accounts/${faucet}`);
    const a = acc.body.account as Record<string, unknown>;
    assert.equal(a["@type"], "/cosmos.auth.v1beta1.BaseAccount");
    assert.equal(a.sequence, "1");
    assert.equal((a.pub_key as Record<string, string>)["@type"], "/cosmos.crypto.secp256k1.PubKey");
    const missing = await get("/cosmos/auth/v1beta1/accounts/trust1nv7w7jnqgzaj0s8mqu3c3gfdj76y6vlus9esqx");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 5);
    const bad = await get("/cosmos/bank/v1beta1/balances/cosmos1notanaddress");
    assert.equal(bad.status, 400);
    const tx = await get(`/cosmos/tx/v1beta1/txs/${r.transactionHash}`);
    assert.equal((tx.body.tx_response as Record<string, unknown>).code, 0);
    assert.equal((tx.body.tx_response as Record<string, unknown>).height, String(r.height));
    const info = await get("/cosmos/base/tendermint/v1beta1/node_info");
    assert.equal((info.body.default_node_info as Record<string, string>).network, "trustnet-local-1");
    assert.deepEqual((await get("/cosmos/base/tendermint/v1beta1/syncing")).body, { syncing: false });
    const supply = await get("/cosmos/bank/v1beta1/supply");
    assert.equal((supply.body.supply as { denom: string }[])[0]?.denom, "utrust");
    const past = await get(`/cosmos/bank/v1beta1/balances/${to}`, { headers: { "x-cosmos-block-height": "1" } });
    assert.deepEqual(past.body.balances, [], "historical query at height 1, before the send");
    assert.equal((await get("/cosmos/staking/v1beta1/validators")).status, 501);
  });

  test("broadcast through REST: a bad tx is a 200 with a non-zero code, as the SDK gateway answers", async () => {
    const r = await get("/cosmos/tx/v1beta1/txs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: Buffer.from("garbage").toString("base64"), mode: "BROADCAST_MODE_SYNC" }) });
    assert.equal(r.status, 200);
    assert.equal((r.body.tx_response as Record<string, unknown>).code, 2);
    const notJson = await fetch(`${rest}/cosmos/tx/v1beta1/txs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    assert.equal(notJson.status, 400);
  });

  test("/metrics exposes block height, tx counts and ABCI timings; / serves the explorer", async () => {
    const text = await (await fetch(`${rest}/metrics`)).text();
    const height = Number(/^trustnet_block_height (\d+)/m.exec(text)?.[1]);
    assert.ok(height >= 2);
    assert.match(text, /^trustnet_txs_total\{result="ok"\} [1-9]/m);
    assert.match(text, /^trustnet_abci_method_duration_seconds_count\{method="finalizeBlock"\} \d+/m);
    assert.match(text, /^trustnet_store_duration_seconds_count\{op="commit"\} [1-9]/m);
    assert.match(text, /^trustnet_build_info\{version="0\.1\.0"\} 1/m);
    assert.match(text, /^process_resident_memory_bytes /m);
    const page = await fetch(`${rest}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>TrustNet explorer<\/title>/);
    const keplr = JSON.parse((await d.cli(["devnet", "keplr"])).stdout) as { chainId: string; rpc: string; rest: string; bip44: { coinType: number }; bech32Config: { bech32PrefixAccAddr: string } };
    assert.deepEqual([keplr.chainId, keplr.rpc, keplr.rest, keplr.bip44.coinType, keplr.bech32Config.bech32PrefixAccAddr], ["trustnet-local-1", d.rpc, rest, 118, "trust"]);
    const ns = await get("/trustnet/registry/v1/namespaces");
    assert.deepEqual((ns.body.namespaces as { namespace: string }[]).map((n) => n.namespace), ["library"]);
  });
});
