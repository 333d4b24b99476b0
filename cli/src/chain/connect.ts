// Connecting to a CometBFT RPC endpoint with cosmjs (over the chain client's JSON-RPC), failing fast when nothing answers.
import type { Registry } from "@cosmjs/proto-signing";
import { SigningStargateClient, StargateClient, type GasPrice } from "@cosmjs/stargate";
import type { OfflineSigner } from "@cosmjs/proto-signing";
import { cometClient, NodeUnreachableError as RpcUnreachable } from "@trustnet/abci-app";
import { UsageError } from "../errors.ts";
import { ChainIdMismatchError, NodeUnreachableError } from "./errors.ts";

export const CONNECT_TIMEOUT_MS = 5_000;
/** Per-request timeout once connected (simulations and searches can take a moment). */
export const REQUEST_TIMEOUT_MS = 20_000;

/** `tcp://host:port` (CometBFT's own notation) and bare `host:port` become http URLs; anything else must be http(s). */
export function normalizeNodeUrl(node: string): string {
  let s = node.trim();
  if (s.startsWith("tcp://")) s = `http://${s.slice(6)}`;
  else if (!/^[a-z][a-z0-9+.-]*:\/\//iu.test(s)) s = `http://${s}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(`invalid --node "${node}"`, "use a URL such as http://127.0.0.1:26657");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`invalid --node "${node}": only http(s) is supported`);
  return u.toString().replace(/\/$/u, "");
}

function describe(err: unknown): string {
  if (err instanceof RpcUnreachable) {
    if (err.reason === "TimeoutError") return "no answer within 5 s";
    if (err.reason === "ECONNREFUSED") return "connection refused";
    if (err.reason === "bad port") return "fetch refuses this port; use the node's RPC port, e.g. 26657";
    const status = /^HTTP (\d+)/u.exec(err.reason);
    if (status) return `HTTP ${status[1]}: is this a CometBFT RPC endpoint?`;
    return err.reason;
  }
  if (err instanceof Error) {
    if (err.name === "TimeoutError" || err.name === "AbortError") return "no answer within 5 s";
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code !== undefined) return cause.code === "ECONNREFUSED" ? "connection refused" : cause.code;
    if (cause?.message === "bad port") return "fetch refuses this port; use the node's RPC port, e.g. 26657";
    if (cause?.message !== undefined) return cause.message;
    const status = /Bad status on response: (\d+)/u.exec(err.message);
    if (status) return `HTTP ${status[1]}: is this a CometBFT RPC endpoint?`;
    return err.message;
  }
  return String(err);
}

/** Checks that the node answers `status` within the connect timeout and serves `chainId`. */
async function probe(url: string, chainId: string | undefined, timeoutMs: number): Promise<void> {
  const comet = cometClient(url, timeoutMs);
  let network: string;
  try {
    const deadline = new Promise<never>((_, reject) => {
      const t = setTimeout(() => reject(Object.assign(new Error("timeout"), { name: "TimeoutError" })), timeoutMs);
      t.unref();
    });
    network = (await Promise.race([comet.status(), deadline])).nodeInfo.network;
  } catch (err) {
    throw new NodeUnreachableError(url, describe(err), err);
  } finally {
    comet.disconnect();
  }
  if (chainId !== undefined && network !== chainId) throw new ChainIdMismatchError(url, network, chainId);
}

export interface ConnectOptions {
  readonly node: string;
  /** When set, the node's chain id must equal it. */
  readonly chainId?: string | undefined;
  readonly connectTimeoutMs?: number | undefined;
}

/** Where a query goes: the node, and the chain it must serve (`--chain-id`; a command's own arguments fit). */
export interface NodeTarget {
  readonly node: string;
  readonly "chain-id"?: string | undefined;
}

const checked = new WeakMap<NodeTarget, Promise<string>>();

/**
 * The node's URL once it answered `status` and reported the target's chain id, as connectQueryClient checks; the
 * probe runs once per target object (one command), a failed one again on the next call.
 */
export function checkedNode(target: NodeTarget): Promise<string> {
  let p = checked.get(target);
  if (p === undefined) {
    const url = normalizeNodeUrl(target.node);
    p = probe(url, target["chain-id"], CONNECT_TIMEOUT_MS).then(() => url);
    p.catch(() => checked.delete(target));
    checked.set(target, p);
  }
  return p;
}

export async function connectQueryClient(opts: ConnectOptions): Promise<StargateClient> {
  const url = normalizeNodeUrl(opts.node);
  await probe(url, opts.chainId, opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  return StargateClient.create(cometClient(url, REQUEST_TIMEOUT_MS));
}

/**
 * Probes the node first, then asks for the signer (so nobody types a passphrase for an unreachable node), then
 * builds a signing client with the given gas price and a 0.5 s broadcast poll.
 */
export async function connectSigningClient(
  opts: ConnectOptions & { readonly signer: () => Promise<OfflineSigner>; readonly gasPrice: GasPrice; readonly registry?: Registry },
): Promise<SigningStargateClient> {
  const url = normalizeNodeUrl(opts.node);
  await probe(url, opts.chainId, opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  const signer = await opts.signer();
  return SigningStargateClient.createWithSigner(cometClient(url, REQUEST_TIMEOUT_MS), signer, {
    gasPrice: opts.gasPrice,
    ...(opts.registry ? { registry: opts.registry } : {}),
    broadcastPollIntervalMs: 500,
    broadcastTimeoutMs: 60_000,
  });
}
