// The module shape end to end, on a 1-validator devnet (real CometBFT, real app process): `trustnet query <module>`
// commands built from the modules' declared queries answer what cosmjs reads; then the node's committed state is
// exported (`--export-genesis`), the chain is restarted from that genesis at height H+1 with a fresh CometBFT and app
// state, and the new chain holds the exported state and makes blocks.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { type Devnet, height, REPO, startDevnet, waitForHeight } from "../helpers/devnet.ts";

const run = promisify(execFile);

describe("module queries and genesis export on a devnet", () => {
  let d: Devnet;
  const bob = "trust1gfpyysjzgfpyysjzgfpyysjzgfpyysjztv4hs6";
  let rpcArgs: string[];

  before(async () => {
    // No minting (--inflation 0): once the fee is distributed, an empty block changes no state, so the restarted
    // chain's state can be compared with the export itself. The F1 records and community pool still carry the fee.
    d = await startDevnet({ portOffset: 5600, blockTime: "300ms", upArgs: ["--inflation", "0"] });
    rpcArgs = ["--node", d.rpc];
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
    const client = await SigningStargateClient.connectWithSigner(d.rpc, wallet, { broadcastPollIntervalMs: 300 });
    try {
      const r = await client.sendTokens(d.faucet.address, bob, [{ denom: "utrust", amount: "4242" }], { amount: [{ denom: "utrust", amount: "5000" }], gas: "200000" });
      assert.equal(r.code, 0, r.rawLog);
    } finally {
      client.disconnect();
    }
  });
  after(async () => {
    await d?.destroy();
  });

  test("trustnet query auth|bank|registry answer from the chain, with --output json; a bad address is refused", async () => {
    const bal = await d.cliJson<{ balances: { denom: string; amount: string }[] }>(["query", "bank", "balances", bob, ...rpcArgs]);
    assert.deepEqual(bal, { balances: [{ denom: "utrust", amount: "4242" }] }, "REST's /balances/{address} body without pagination, as simd prints it");
    const { account: acc } = await d.cliJson<{ account: { address: string; account_number: string; sequence: string; pub_key: unknown } }>(["query", "auth", "account", d.faucet.address, ...rpcArgs]);
    assert.deepEqual([acc.address, acc.account_number, acc.sequence], [d.faucet.address, "0", "1"]);
    assert.ok(acc.pub_key, "the faucet has signed: its key is on chain");
    const manifest = JSON.parse(readFileSync(join(d.home, "devnet", "devnet.json"), "utf8")) as { registry: { operator: string } };
    const ns = await d.cliJson<{ namespace: { namespace: string; owner: string } }>(["query", "registry", "namespace", "library", ...rpcArgs]);
    assert.deepEqual(ns.namespace, { namespace: "library", owner: manifest.registry.operator, deposit: [] }, "the devnet's genesis namespace holds no deposit");
    const text = (await d.cli(["query", "registry", "registries", ...rpcArgs])).stdout;
    assert.match(text, new RegExp(`${manifest.registry.operator}\\s+http://127\\.0\\.0\\.1:`));
    await assert.rejects(d.cli(["query", "bank", "balances", "trust1notanaddress", ...rpcArgs]), /trust1notanaddress/);
  });

  const DEPOSIT = [{ denom: "utrust", amount: "1000000" }];
  let carol = "";

  test("a namespace claim locks the registry's namespace_deposit and says so; show and list report what it holds", async () => {
    const env = { TRUSTNET_KEYRING_PASSPHRASE: "module-export-e2e" };
    carol = (JSON.parse((await d.cli(["keys", "add", "carol", "--output", "json"], { env })).stdout) as { address: string }).address;
    await d.cli(["devnet", "faucet", carol, "3TRUST", ...rpcArgs]);
    assert.deepEqual(await d.cliJson(["query", "registry", "params", ...rpcArgs]), { params: { namespace_deposit: DEPOSIT } });
    const claim = await d.cli(["registry", "namespace", "claim", "carolns", "--from", "carol", "--output", "json", ...rpcArgs], { env });
    assert.match(claim.stderr, /claiming carolns locks a deposit of 1 TRUST \(1000000utrust\) besides the fee; releasing the namespace refunds it/);
    assert.deepEqual((JSON.parse(claim.stdout) as { deposit: unknown }).deposit, DEPOSIT);
    assert.deepEqual(await d.cliJson(["registry", "namespace", "show", "carolns", ...rpcArgs]), { namespace: "carolns", owner: carol, deposit: DEPOSIT });
    const list = await d.cliJson<{ namespaces: unknown[] }>(["registry", "namespace", "list", carol, ...rpcArgs]);
    assert.deepEqual(list.namespaces, [{ namespace: "carolns", owner: carol, deposit: DEPOSIT }]);
    const text = (await d.cli(["registry", "namespace", "show", "carolns", ...rpcArgs])).stdout;
    assert.match(text, /deposit\s+1 TRUST \(1000000utrust\)/);
    const bal = BigInt((await d.cliJson<{ balances: { amount: string }[] }>(["query", "bank", "balances", carol, ...rpcArgs])).balances[0]!.amount);
    assert.ok(bal < 2_000_000n && bal > 1_900_000n, `carol paid the 1 TRUST deposit and a fee out of 3 TRUST (${bal})`);
  });

  test("export at height H, restart from that genesis at H+1: the new chain holds the exported state and makes blocks", async () => {
    const node = join(d.home, "devnet", "node0");
    await d.down();
    const out = join(d.home, "exported.json");
    await run(process.execPath, [join(REPO, "abci-app/src/main.ts"), "--home", join(node, "app"), "--export-genesis", out]);
    const exported = JSON.parse(readFileSync(out, "utf8")) as { genesis_time: string; chain_id: string; initial_height: string; app_state: Record<string, unknown> };
    const h = Number(exported.initial_height) - 1;
    assert.ok(h >= 2, `exported at height ${h}`);
    // A new chain: the same CometBFT config, keys and validator, empty CometBFT and app data, the exported genesis.
    const genesisPath = join(node, "cometbft", "config", "genesis.json");
    const genesis = JSON.parse(readFileSync(genesisPath, "utf8")) as Record<string, unknown>;
    writeFileSync(genesisPath, JSON.stringify({ ...genesis, genesis_time: exported.genesis_time, initial_height: exported.initial_height, app_state: exported.app_state }, null, 2));
    rmSync(join(node, "app", "data"), { recursive: true, force: true });
    const cometData = join(node, "cometbft", "data");
    for (const f of readdirSync(cometData)) if (f !== "priv_validator_state.json") rmSync(join(cometData, f), { recursive: true, force: true });
    writeFileSync(join(cometData, "priv_validator_state.json"), JSON.stringify({ height: "0", round: 0, step: 0 }));
    await d.cli(["devnet", "up", "--timeout", "120"]);
    await waitForHeight(d.rpc, h + 2, 60_000);
    assert.ok((await height(d.rpc)) > h + 1, "the new chain makes blocks past its initial height");
    const bal = await d.cliJson<{ balances: { amount: string }[] }>(["query", "bank", "balances", bob, ...rpcArgs]);
    assert.deepEqual(bal.balances.map((b) => b.amount), ["4242"]);
    const { account: acc } = await d.cliJson<{ account: { account_number: string; sequence: string } }>(["query", "auth", "account", d.faucet.address, ...rpcArgs]);
    assert.deepEqual([acc.account_number, acc.sequence], ["0", "2"], "account numbers and sequences survive the export (the faucet sent to bob, then carol)");
    const registry = exported.app_state.registry as { namespaces: { namespace: string; deposit: unknown }[] };
    assert.deepEqual(registry.namespaces.find((n) => n.namespace === "carolns")?.deposit, DEPOSIT[0], "the export carries the held deposit");
    assert.deepEqual(await d.cliJson(["registry", "namespace", "show", "carolns", ...rpcArgs]), { namespace: "carolns", owner: carol, deposit: DEPOSIT }, "and the new chain holds it");
    await d.down();
    const again = join(d.home, "again.json");
    await run(process.execPath, [join(REPO, "abci-app/src/main.ts"), "--home", join(node, "app"), "--export-genesis", again]);
    const second = JSON.parse(readFileSync(again, "utf8")) as { app_state: Record<string, unknown> };
    // No tx ran on the new chain and nothing is minted: its state is still exactly the exported one, but for
    // x/slashing's window position, which moves one step with every block the validator signs (as in the SDK).
    type Infos = { signing_infos: { validator_signing_info: { index_offset: string } }[] };
    const offsets = (st: Record<string, unknown>): bigint[] => (st.slashing as Infos).signing_infos.map((i) => BigInt(i.validator_signing_info.index_offset));
    const [before, after] = [offsets(exported.app_state), offsets(second.app_state)];
    assert.ok(before.length > 0 && after.every((o, i) => o > (before[i] ?? o)), `every validator's signing window moved on (${before} -> ${after})`);
    const windowless = (st: Record<string, unknown>): unknown => JSON.parse(JSON.stringify(st, (k, v: unknown) => (k === "index_offset" ? undefined : v)));
    assert.deepEqual(windowless(second.app_state), windowless(exported.app_state));
    const distribution = exported.app_state.distribution as { validator_current_rewards: unknown[]; outstanding_rewards: { outstanding_rewards: unknown[] }[] };
    assert.equal(distribution.validator_current_rewards.length, 1, "the validator's F1 records are exported");
    assert.ok(distribution.outstanding_rewards[0]?.outstanding_rewards.length, "the fee's rewards are outstanding");
  });
});
