/** Minimal CometBFT JSON-RPC reads for the devnet commands (plain fetch with a timeout; no client state). */
export interface NodeStatus {
  readonly network: string;
  readonly version: string;
  readonly height: bigint;
  readonly appHash: string;
  readonly catchingUp: boolean;
  readonly nodeId: string;
}

export async function rpcGet(url: string, timeoutMs = 2000): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as { result?: unknown; error?: { message?: string; data?: string } };
  if (body.error) throw new Error(`${body.error.message ?? "rpc error"}: ${body.error.data ?? ""}`);
  return body.result;
}

export async function nodeStatus(rpcBase: string, timeoutMs = 2000): Promise<NodeStatus> {
  const r = (await rpcGet(`${rpcBase}/status`, timeoutMs)) as {
    node_info: { network: string; version: string; id: string };
    sync_info: { latest_block_height: string; latest_app_hash: string; catching_up: boolean };
  };
  return {
    network: r.node_info.network, version: r.node_info.version, nodeId: r.node_info.id,
    height: BigInt(r.sync_info.latest_block_height), appHash: r.sync_info.latest_app_hash, catchingUp: r.sync_info.catching_up,
  };
}

export async function peerCount(rpcBase: string, timeoutMs = 2000): Promise<number> {
  const r = (await rpcGet(`${rpcBase}/net_info`, timeoutMs)) as { n_peers: string };
  return Number(r.n_peers);
}
