// cosmjs' CometBFT client (and so StargateClient, SigningStargateClient, QueryClient) over the one JSON-RPC client:
// the same retry on closed keep-alive connections, the same errors for an unreachable node.
import { Comet38Client, type RpcClient } from "@cosmjs/tendermint-rpc";
import { CometRpc, CometRpcError } from "./comet-rpc.ts";

/** cosmjs' RpcClient over CometRpc. A JSON-RPC error is thrown as cosmjs' HttpClient throws it (the error as JSON). */
export function cosmjsRpcClient(rpc: CometRpc): RpcClient {
  return {
    execute: async (request) => {
      try {
        return { jsonrpc: "2.0", id: request.id, result: await rpc.call(request.method, (request.params ?? {}) as Record<string, unknown>) };
      } catch (err) {
        if (err instanceof CometRpcError) throw new Error(JSON.stringify({ code: err.code, message: err.rpcMessage, data: err.data }), { cause: err });
        throw err;
      }
    },
    disconnect: () => undefined,
  };
}

/** A Comet38Client for `url` (what StargateClient.create and QueryClient.withExtensions take). */
export const cometClient = (url: string, timeoutMs?: number): Comet38Client => Comet38Client.create(cosmjsRpcClient(new CometRpc(url, timeoutMs)));
