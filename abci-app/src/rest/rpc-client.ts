// CometBFT JSON-RPC for the REST routes: the chain client's CometRpc, with its failures mapped to SDK errors that
// name no internals.
import { CometRpc, CometRpcError } from "../client/comet-rpc.ts";
import { Grpc, RestError } from "../sdk/client/rest-errors.ts";

function restError(method: string, err: unknown): RestError {
  if (!(err instanceof CometRpcError)) return new RestError(Grpc.Unavailable, "node unreachable");
  const data = `${err.message} ${err.data}`;
  if (/already exists in cache/i.test(data)) return new RestError(Grpc.AlreadyExists, "tx already exists in mempool cache");
  if (/tx too large/i.test(data)) return new RestError(Grpc.OutOfRange, "tx too large");
  if (/mempool is full/i.test(data)) return new RestError(Grpc.Unavailable, "mempool is full");
  if (/not found/i.test(data)) return new RestError(Grpc.NotFound, "not found");
  if (/must be less than or equal to the current blockchain height|height .* is not available|lowest height/i.test(data)) return new RestError(Grpc.InvalidArgument, "requested height is not available on this node");
  return new RestError(Grpc.InvalidArgument, `invalid request to ${method}`);
}

export function cometRpc(url: string, timeoutMs = 10_000) {
  const client = new CometRpc(url, timeoutMs);
  return async function rpc<T>(method: string, params: Record<string, unknown>): Promise<T> {
    try {
      return await client.call<T>(method, params);
    } catch (err) {
      throw restError(method, err);
    }
  };
}
