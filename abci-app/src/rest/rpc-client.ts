// CometBFT JSON-RPC for the REST routes, with the failures mapped to SDK errors that name no internals.
import { Grpc, RestError } from "../sdk/client/rest-errors.ts";

export interface RpcErrorBody { readonly code: number; readonly message: string; readonly data?: string }

export function cometRpc(url: string, timeoutMs = 10_000) {
  return async function rpc<T>(method: string, params: Record<string, unknown>): Promise<T> {
    let res: globalThis.Response;
    try {
      res = await fetch(url, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new RestError(Grpc.Unavailable, "node unreachable");
    }
    let body: { result?: T; error?: RpcErrorBody };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new RestError(Grpc.Unavailable, "node unreachable");
    }
    if (body.error) {
      const data = `${body.error.message} ${body.error.data ?? ""}`;
      if (/already exists in cache/i.test(data)) throw new RestError(Grpc.AlreadyExists, "tx already exists in mempool cache");
      if (/tx too large/i.test(data)) throw new RestError(Grpc.OutOfRange, "tx too large");
      if (/mempool is full/i.test(data)) throw new RestError(Grpc.Unavailable, "mempool is full");
      if (/not found/i.test(data)) throw new RestError(Grpc.NotFound, "not found");
      if (/must be less than or equal to the current blockchain height|height .* is not available|lowest height/i.test(data)) throw new RestError(Grpc.InvalidArgument, "requested height is not available on this node");
      throw new RestError(Grpc.InvalidArgument, `invalid request to ${method}`);
    }
    return body.result as T;
  };
}
