// The devnet described for wallets and explorers, from its genesis: cosmos/chain-registry's chain.json and
// assetlist.json, and Keplr's ChainInfo (for window.keplr.experimentalSuggestChain), mapped as the chain-registry →
// Keplr converters do (coin type = slip44, bech32 config from the prefix, currencies from the asset list, fee gas
// price steps from fees.fee_tokens). Explorer links follow the chain-registry templates served by the explorer.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BECH32_PREFIX, DEFAULT_GAS_PRICE, DENOM } from "@trustnet/abci-app";
import { writeFileAtomic } from "@trustnet/installer";
import type { DevnetManifest } from "./layout.ts";

const PREFIX = BECH32_PREFIX;
const GAS = { low: 0.025, average: 0.03, high: 0.04 };

/** What chain-info reads from genesis.json. */
export interface GenesisFacts {
  readonly chainId: string;
  readonly genesisTime: string;
  /** Denominations with a balance at genesis (sorted). */
  readonly denoms: readonly string[];
  readonly minGasPrice: string;
}

export function genesisFacts(genesis: unknown): GenesisFacts {
  const g = genesis as { chain_id?: unknown; genesis_time?: unknown; app_state?: { bank?: { balances?: { coins?: { denom?: unknown }[] }[] }; auth?: { params?: { min_gas_price?: unknown } } } };
  if (typeof g?.chain_id !== "string" || g.chain_id === "") throw new Error("genesis.json has no chain_id");
  const denoms = new Set<string>();
  for (const b of g.app_state?.bank?.balances ?? []) for (const c of b.coins ?? []) if (typeof c.denom === "string") denoms.add(c.denom);
  return {
    chainId: g.chain_id, genesisTime: typeof g.genesis_time === "string" ? g.genesis_time : "",
    denoms: [...denoms].sort(), minGasPrice: typeof g.app_state?.auth?.params?.min_gas_price === "string" ? g.app_state.auth.params.min_gas_price : DEFAULT_GAS_PRICE,
  };
}

function endpoints(m: DevnetManifest): { rpc: string; rest: string } {
  const node = m.nodes[0];
  return { rpc: `http://127.0.0.1:${node?.ports.rpc ?? 26657}`, rest: `http://127.0.0.1:${node?.ports.rest ?? 1317}` };
}

export function chainRegistryChain(m: DevnetManifest, g: GenesisFacts): Record<string, unknown> {
  const { rpc, rest } = endpoints(m);
  const minGas = Number(/^([\d.]+)/.exec(g.minGasPrice)?.[1] ?? GAS.low);
  return {
    $schema: "../chain.schema.json",
    chain_name: "trustnetdevnet", chain_type: "cosmos", status: "live", network_type: "devnet", pretty_name: "TrustNet devnet",
    chain_id: g.chainId, bech32_prefix: PREFIX, daemon_name: "trustnet", node_home: "$HOME/.trustnet", key_algos: ["secp256k1"], slip44: 118,
    fees: { fee_tokens: [{ denom: DENOM, fixed_min_gas_price: minGas, low_gas_price: Math.max(minGas, GAS.low), average_gas_price: GAS.average, high_gas_price: GAS.high }] },
    staking: { staking_tokens: [{ denom: DENOM }] },
    codebase: { consensus: { type: "cometbft", version: "v0.38" }, genesis: { genesis_url: `${rpc}/genesis` } },
    apis: { rpc: [{ address: rpc, provider: "local devnet" }], rest: [{ address: rest, provider: "local devnet" }], wss: [{ address: `${rpc.replace(/^http/, "ws")}/websocket`, provider: "local devnet" }] },
    explorers: [{
      kind: "trustnet", url: `${rest}/`, tx_page: `${rest}/tx/\${txHash}`, account_page: `${rest}/account/\${accountAddress}`, block_page: `${rest}/block/\${blockHeight}`,
    }],
    keywords: ["devnet", "infrastructure", "registry"],
  };
}

export function chainRegistryAssets(g: GenesisFacts): Record<string, unknown> {
  const known = g.denoms.includes(DENOM) ? g.denoms : [DENOM, ...g.denoms];
  return {
    $schema: "../assetlist.schema.json",
    chain_name: "trustnetdevnet",
    assets: known.map((d) => (d === DENOM
      ? {
          description: "The native staking and fee token of TrustNet", type_asset: "sdk.coin",
          denom_units: [{ denom: DENOM, exponent: 0, aliases: ["microtrust"] }, { denom: "trust", exponent: 6 }],
          base: DENOM, name: "TrustNet", display: "trust", symbol: "TRUST",
        }
      : { type_asset: "sdk.coin", denom_units: [{ denom: d, exponent: 0 }], base: d, name: d, display: d, symbol: d.toUpperCase() })),
  };
}

/** Keplr's ChainInfo for the devnet, derived from its chain-registry entries. */
export function keplrChainInfo(m: DevnetManifest, g?: GenesisFacts): Record<string, unknown> {
  const facts = g ?? { chainId: m.chainId, genesisTime: "", denoms: [DENOM], minGasPrice: DEFAULT_GAS_PRICE };
  const chain = chainRegistryChain(m, facts) as { chain_id: string; pretty_name: string; slip44: number; apis: { rpc: { address: string }[]; rest: { address: string }[] }; fees: { fee_tokens: { low_gas_price: number; average_gas_price: number; high_gas_price: number }[] } };
  const asset = (chainRegistryAssets(facts).assets as { base: string; display: string; symbol: string; denom_units: { denom: string; exponent: number }[] }[])[0];
  const trust = { coinDenom: asset?.symbol ?? "TRUST", coinMinimalDenom: asset?.base ?? DENOM, coinDecimals: asset?.denom_units.find((u) => u.denom === asset.display)?.exponent ?? 6 };
  const fee = chain.fees.fee_tokens[0];
  return {
    chainId: chain.chain_id,
    chainName: `${chain.pretty_name} (${chain.chain_id})`,
    rpc: chain.apis.rpc[0]?.address,
    rest: chain.apis.rest[0]?.address,
    bip44: { coinType: chain.slip44 },
    bech32Config: {
      bech32PrefixAccAddr: PREFIX, bech32PrefixAccPub: `${PREFIX}pub`, bech32PrefixValAddr: `${PREFIX}valoper`,
      bech32PrefixValPub: `${PREFIX}valoperpub`, bech32PrefixConsAddr: `${PREFIX}valcons`, bech32PrefixConsPub: `${PREFIX}valconspub`,
    },
    currencies: [trust],
    feeCurrencies: [{ ...trust, gasPriceStep: { low: fee?.low_gas_price ?? GAS.low, average: fee?.average_gas_price ?? GAS.average, high: fee?.high_gas_price ?? GAS.high } }],
    stakeCurrency: trust,
    features: [],
  };
}

/**
 * Writes chain.json, assetlist.json and keplr-chain-info.json into `dir` (created if missing) and returns their names.
 * Each is written whole (writeFileAtomic: a symbolic link planted at one is replaced, never written through; a
 * write cut short leaves the old file) and world-readable, 0644: they are published (committed, served to wallets).
 */
export async function writeChainRegistry(dir: string, m: DevnetManifest, g: GenesisFacts): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files = { "chain.json": chainRegistryChain(m, g), "assetlist.json": chainRegistryAssets(g), "keplr-chain-info.json": keplrChainInfo(m, g) };
  for (const [name, body] of Object.entries(files)) await writeFileAtomic(join(dir, name), JSON.stringify(body, null, 2) + "\n", "replace", 0o644);
  return Object.keys(files);
}
