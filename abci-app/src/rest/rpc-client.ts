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

/**
 * Calls this server makes to CometBFT at once; the rest wait their turn. Without a cap a burst of REST requests
 * (a tx search page asks `header` for up to 100 heights at once, 256 requests may be in flight) opened a socket per
 * call: tens of thousands of descriptors in the process that also runs the chain, against CometBFT's
 * max_open_connections (900).
 */
export const MAX_RPC_IN_FLIGHT = 32;

/** At most `max` of the calls given to it run at once; the others start, in order, as those finish. */
export function concurrencyLimit(max: number): <T>(run: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (run) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await run();
    } finally {
      const next = waiting.shift();
      if (next) next(); // the slot passes to the next caller as it is
      else running--;
    }
  };
}

export function cometRpc(url: string, timeoutMs = 10_000, maxInFlight = MAX_RPC_IN_FLIGHT) {
  const client = new CometRpc(url, timeoutMs);
  const limit = concurrencyLimit(maxInFlight);
  return async function rpc<T>(method: string, params: Record<string, unknown>): Promise<T> {
    try {
      return await limit(() => client.call<T>(method, params));
    } catch (err) {
      throw restError(method, err);
    }
  };
}
