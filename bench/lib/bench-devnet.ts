// The one-validator devnet home send-vs-sdk runs its CometBFT-behind-ABCI chains from (TrustNet and the null app):
// the devnet's own generated config, with the mempool sized to hold the whole load and simd's block gas limit.
import { readFileSync, writeFileSync } from "node:fs";
import { findCometbft } from "../../cli/src/devnet/cometbft-bin.ts";
import { generateDevnet } from "../../cli/src/devnet/generate.ts";
import { type AbciTransport, type DevnetManifest, devnetLayout } from "../../cli/src/devnet/layout.ts";
import { setTomlKeys } from "../../cli/src/devnet/toml.ts";

export interface BenchDevnetOptions {
  readonly home: string;
  readonly transport: AbciTransport;
  readonly portOffset: number;
  readonly mempoolSize: number;
  /** Genesis block max_gas: -1 (unlimited, simd's default) or a positive limit. */
  readonly maxGas: number;
  /** Serve CometBFT's Go pprof (`rpc.pprof_laddr`) on 127.0.0.1:this port (bench profiling only). */
  readonly pprofPort?: number;
}

/** Generates a single-node devnet in `home` (timeout_commit 1s) and applies the bench's mempool size and block gas. */
export async function generateBenchDevnet(o: BenchDevnetOptions): Promise<DevnetManifest> {
  const manifest = await generateDevnet({ home: o.home, validators: 1, cometbft: findCometbft(o.home), blockTime: "1s", transport: o.transport, portOffset: o.portOffset, log: () => undefined });
  const cometHome = devnetLayout(o.home).node(0).cometHome;
  const cfg = `${cometHome}/config/config.toml`;
  writeFileSync(cfg, setTomlKeys(readFileSync(cfg, "utf8"), [
    ["mempool", "size", o.mempoolSize],
    ...(o.pprofPort === undefined ? [] : [["rpc", "pprof_laddr", `127.0.0.1:${o.pprofPort}`] as const]),
  ]));
  // The devnet's 100,000,000 caps a block at 1,000 of the bench's sends, which would measure the config, not the chain.
  const genesisFile = `${cometHome}/config/genesis.json`;
  const genesis = JSON.parse(readFileSync(genesisFile, "utf8")) as { consensus_params: { block: { max_gas: string } } };
  genesis.consensus_params.block.max_gas = String(o.maxGas);
  writeFileSync(genesisFile, JSON.stringify(genesis, null, 2) + "\n");
  return manifest;
}
