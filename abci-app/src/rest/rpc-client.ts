// CometBFT JSON-RPC for the REST routes: the chain client's CometRpc, with its failures mapped to SDK errors that
// name no internals.
import { AnswerTooLargeError, CometRpc, CometRpcError } from "../client/comet-rpc.ts";
import { Grpc, RestError } from "../sdk/client/rest-errors.ts";

const MiB = 1024 * 1024;
const base64Bytes = (n: number): number => Math.ceil(n / 3) * 4;

/** The devnet's block.max_bytes (CometBFT's default, which `cometbft init` writes and cli/src/devnet keeps; the app never changes it). */
export const BLOCK_MAX_BYTES = 22_020_096;

/**
 * The most bytes of one CometBFT answer the REST server reads, per method (the answer is parsed whole on the event
 * loop that also answers CometBFT's ABCI calls: ~60 ms a 28 MB block here, ~400 ms a 140 MB search page). Each is
 * sized for the largest answer the chain can legitimately give:
 * - `block`: a block of block.max_bytes, its txs base64 (4/3), plus 4 MiB for the header, last commit and evidence
 *   (evidence.max_bytes is 1 MiB of proto, inside max_bytes; its JSON is a few times that).
 * - `tx`, `tx_search`: one tx of MAX_TX_BYTES (base64) with a result at CheckTx's cap of 3.5 MiB of events
 *   (MAX_TX_RESULT_BYTES), its JSON up to about twice that, with room to spare: 16 MiB. A search asks CometBFT for
 *   pages of the client's pagination.limit, so a page of near-max txs past this is refused and a smaller limit fits.
 * - everything else (status, header, validators pages of 100, blockchain's 20 metas, broadcast): a few KB; 1 MiB.
 */
export const RPC_ANSWER_MAX_BYTES: Readonly<Record<string, number>> = {
  block: base64Bytes(BLOCK_MAX_BYTES) + 4 * MiB,
  tx: 16 * MiB,
  tx_search: 16 * MiB,
};
export const SMALL_RPC_ANSWER_MAX_BYTES = MiB;

export const rpcAnswerMaxBytes = (method: string): number => RPC_ANSWER_MAX_BYTES[method] ?? SMALL_RPC_ANSWER_MAX_BYTES;

function restError(method: string, err: unknown): RestError {
  if (err instanceof AnswerTooLargeError) {
    return method === "tx_search"
      ? new RestError(Grpc.OutOfRange, `the answer from CometBFT is more than ${err.maxBytes} bytes; ask for fewer (pagination.limit)`)
      : new RestError(Grpc.Unavailable, `the answer from CometBFT to ${method} is more than ${err.maxBytes} bytes`);
  }
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

/** The REST routes' CometBFT calls: at most `maxInFlight` at once, each answer read up to its method's RPC_ANSWER_MAX_BYTES. */
export function cometRpc(url: string, timeoutMs = 10_000, maxInFlight = MAX_RPC_IN_FLIGHT) {
  const client = new CometRpc(url, timeoutMs);
  const limit = concurrencyLimit(maxInFlight);
  return async function rpc<T>(method: string, params: Record<string, unknown>): Promise<T> {
    try {
      return await limit(() => client.call<T>(method, params, rpcAnswerMaxBytes(method)));
    } catch (err) {
      throw restError(method, err);
    }
  };
}
