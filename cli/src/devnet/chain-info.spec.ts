import assert from "node:assert/strict";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chainRegistryAssets, chainRegistryChain, genesisFacts, keplrChainInfo, writeChainRegistry } from "./chain-info.ts";
import { portsFor, type DevnetManifest } from "./layout.ts";

const manifest: DevnetManifest = {
  chainId: "trustnet-local-1", validators: 1, blockTime: "1s", transport: "socket", faucetAddress: "trust1x",
  nodes: [{ index: 0, nodeId: "abc", ports: portsFor(0) }],
};
const genesis = {
  chain_id: "trustnet-local-1", genesis_time: "2026-01-01T00:00:00Z",
  app_state: { auth: { params: { min_gas_price: "0.025utrust" } }, bank: { balances: [{ address: "a", coins: [{ denom: "utrust", amount: "1" }] }] } },
};
const committed = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../config/chain-registry/${name}`, import.meta.url), "utf8"));

test("chain.json has what cosmos/chain-registry's schema requires, and explorer templates the explorer serves", () => {
  const c = chainRegistryChain(manifest, genesisFacts(genesis)) as Record<string, unknown>;
  for (const k of ["$schema", "chain_name", "chain_type", "status", "bech32_prefix", "chain_id"]) assert.ok(c[k], k);
  assert.match(c.chain_name as string, /^[a-z0-9]+$/);
  assert.equal(c.slip44, 118);
  const ex = (c.explorers as Record<string, string>[])[0];
  assert.equal(ex?.tx_page, "http://127.0.0.1:1317/tx/${txHash}");
  assert.equal(ex?.account_page, "http://127.0.0.1:1317/account/${accountAddress}");
  assert.equal(ex?.block_page, "http://127.0.0.1:1317/block/${blockHeight}");
});

test("assetlist.json: utrust base, TRUST display with exponent 6; Keplr's ChainInfo maps from both", () => {
  const f = genesisFacts(genesis);
  const a = chainRegistryAssets(f) as { assets: { base: string; display: string; symbol: string; denom_units: { denom: string; exponent: number }[]; type_asset: string; name: string }[] };
  assert.deepEqual([a.assets[0]?.base, a.assets[0]?.display, a.assets[0]?.symbol, a.assets[0]?.type_asset], ["utrust", "trust", "TRUST", "sdk.coin"]);
  assert.deepEqual(a.assets[0]?.denom_units.map((u) => u.exponent), [0, 6]);
  const k = keplrChainInfo(manifest, f) as { chainId: string; bip44: { coinType: number }; currencies: { coinDecimals: number; coinMinimalDenom: string }[]; feeCurrencies: { gasPriceStep: { low: number } }[] };
  assert.deepEqual([k.chainId, k.bip44.coinType, k.currencies[0]?.coinDecimals, k.currencies[0]?.coinMinimalDenom, k.feeCurrencies[0]?.gasPriceStep.low], ["trustnet-local-1", 118, 6, "utrust", 0.025]);
});

test("the committed config/chain-registry files are what `devnet chain-info` generates for the default devnet", () => {
  const f = genesisFacts(genesis);
  assert.deepEqual(committed("chain.json"), chainRegistryChain(manifest, f));
  assert.deepEqual(committed("assetlist.json"), chainRegistryAssets(f));
  assert.deepEqual(committed("keplr-chain-info.json"), keplrChainInfo(manifest, f));
});

test("a genesis without a chain id is refused", () => {
  assert.throws(() => genesisFacts({}), /no chain_id/);
  assert.throws(() => genesisFacts(null), /no chain_id/);
});

test("writeChainRegistry writes the three files whole and 0644; a symbolic link planted at one is replaced, not written through", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tn-chain-info-"));
  try {
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "not yours\n", { mode: 0o600 });
    const f = genesisFacts(genesis);
    const out = join(dir, "registry");
    mkdirSync(out);
    symlinkSync(victim, join(out, "chain.json"));
    assert.deepEqual(await writeChainRegistry(out, manifest, f), ["chain.json", "assetlist.json", "keplr-chain-info.json"]);
    assert.equal(readFileSync(victim, "utf8"), "not yours\n");
    assert.equal(lstatSync(join(out, "chain.json")).isSymbolicLink(), false);
    assert.deepEqual(JSON.parse(readFileSync(join(out, "chain.json"), "utf8")), chainRegistryChain(manifest, f));
    assert.deepEqual(readdirSync(out).sort().map((n) => [n, statSync(join(out, n)).mode & 0o777]), [["assetlist.json", 0o644], ["chain.json", 0o644], ["keplr-chain-info.json", 0o644]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
