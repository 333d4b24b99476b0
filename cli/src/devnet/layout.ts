import { DEFAULT_CHAIN_ID } from "@trustnet/abci-app";
import { join } from "node:path";
import type { StateFormatMarker } from "../state-format.ts";

/** Fixed contract ports of validator 0. Validator i adds `i * PORT_STRIDE` to each (documented in docs/ARCHITECTURE.md). */
export const BASE_PORTS = { p2p: 26656, rpc: 26657, abci: 26658, rest: 1317, metrics: 26660 } as const;
export const PORT_STRIDE = 10;
export const DEVNET_CHAIN_ID = DEFAULT_CHAIN_ID;
export const MAX_VALIDATORS = 16;

export type AbciTransport = "socket" | "grpc";
/**
 * The ABCI transport of new devnets and full nodes: gRPC. Measured against socket on the same machine
 * (docs/ARCHITECTURE.md, "Performance"): CometBFT's socket client sends a Flush round trip after every CheckTx,
 * which bounds a sender's in-order txs; gRPC has none. `--transport socket` stays available.
 */
export const DEFAULT_ABCI_TRANSPORT: AbciTransport = "grpc";

export interface NodePorts {
  readonly p2p: number;
  readonly rpc: number;
  readonly abci: number;
  /** REST API, /metrics and explorer (absent in devnets generated before it existed). */
  readonly rest?: number;
  /** CometBFT's Prometheus metrics (`instrumentation.prometheus_listen_addr`, loopback). */
  readonly metrics?: number;
}

/** The devnet registry's loopback /metrics port: its API port + 1 (8001 for the contract port 8000). */
export const registryMetricsPort = (apiPort: number): number => apiPort + 1;

export function portsFor(index: number, offset = 0): NodePorts {
  const d = index * PORT_STRIDE + offset;
  return { p2p: BASE_PORTS.p2p + d, rpc: BASE_PORTS.rpc + d, abci: BASE_PORTS.abci + d, rest: BASE_PORTS.rest + d, metrics: BASE_PORTS.metrics + d };
}

/** Where everything of a devnet lives under the TrustNet home. */
export function devnetLayout(home: string) {
  const root = join(home, "devnet");
  return {
    root,
    manifest: join(root, "devnet.json"),
    faucet: join(root, "faucet.json"),
    operatorKey: join(root, "registry-operator.json"),
    registryData: join(home, "registry"),
    run: join(home, "run"),
    supervisorPid: join(home, "run", "supervisor.pid"),
    state: join(home, "run", "devnet-state.json"),
    logs: join(home, "logs"),
    node: (i: number) => {
      const dir = join(root, `node${i}`);
      return { dir, cometHome: join(dir, "cometbft"), appHome: join(dir, "app"), validatorOperator: join(dir, "validator-operator.json") };
    },
  };
}

export type DevnetLayout = ReturnType<typeof devnetLayout>;

/** What `devnet up` / `devnet generate` generated; written once, read by the supervisor and `devnet status`. */
export interface DevnetManifest extends StateFormatMarker {
  readonly chainId: string;
  readonly validators: number;
  readonly blockTime: string;
  readonly transport: AbciTransport;
  readonly faucetAddress: string;
  /** The staking unbonding period in genesis (absent in devnets generated before staking). */
  readonly unbondingTime?: string;
  /** The devnet's OCI registry (absent in devnets generated before it existed); `endpoint` is what genesis registers. */
  readonly registry?: { readonly port: number; readonly operator: string; readonly defaultNamespace: string; readonly endpoint?: string };
  /** Separate machines only (`devnet generate --p2p-hosts`): every node's CometBFT RPC listen address. */
  readonly rpcLaddr?: string;
  /** `p2pHost` is set only for devnets on separate machines: the node's own address (P2P on `p2pHost`:26656). */
  readonly nodes: readonly { readonly index: number; readonly nodeId: string; readonly ports: NodePorts; readonly p2pHost?: string }[];
}
