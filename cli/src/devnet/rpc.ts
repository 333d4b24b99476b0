// CometBFT reads for the devnet commands, through the chain client (a short timeout: a status line must not hang).
import { CometRpc } from "@trustnet/abci-app";

type NodeStatus = Awaited<ReturnType<CometRpc["status"]>>;

export const nodeStatus = (rpcBase: string, timeoutMs = 2000): Promise<NodeStatus> => new CometRpc(rpcBase, timeoutMs).status();

export async function peerCount(rpcBase: string, timeoutMs = 2000): Promise<number> {
  return Number((await new CometRpc(rpcBase, timeoutMs).call<{ n_peers: string }>("net_info")).n_peers);
}
