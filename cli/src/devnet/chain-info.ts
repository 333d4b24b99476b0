import type { DevnetManifest } from "./layout.ts";

/**
 * Keplr's ChainInfo for a devnet (for `window.keplr.experimentalSuggestChain`), built from the chain-registry
 * mapping: coin type 118, bech32 prefix `trust`, TRUST = 10^6 utrust, gas price steps around 0.025utrust.
 */
export function keplrChainInfo(m: DevnetManifest): Record<string, unknown> {
  const node = m.nodes[0];
  const trust = { coinDenom: "TRUST", coinMinimalDenom: "utrust", coinDecimals: 6 };
  const p = "trust";
  return {
    chainId: m.chainId,
    chainName: `TrustNet devnet (${m.chainId})`,
    rpc: `http://127.0.0.1:${node?.ports.rpc}`,
    rest: `http://127.0.0.1:${node?.ports.rest ?? 1317}`,
    bip44: { coinType: 118 },
    bech32Config: {
      bech32PrefixAccAddr: p, bech32PrefixAccPub: `${p}pub`, bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`, bech32PrefixConsAddr: `${p}valcons`, bech32PrefixConsPub: `${p}valconspub`,
    },
    currencies: [trust],
    feeCurrencies: [{ ...trust, gasPriceStep: { low: 0.025, average: 0.03, high: 0.04 } }],
    stakeCurrency: trust,
    features: [],
  };
}
