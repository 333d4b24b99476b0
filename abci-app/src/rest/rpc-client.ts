// CometBFT JSON-RPC for the REST routes: the chain client's CometRpc, with its failures mapped to SDK errors that
// name no internals.
import { AnswerTooLargeError, CometRpc, CometRpcError } from "../client/comet-rpc.ts";
import { COMETBFT_MAX_BLOCK_BYTES } from "../app/block-size-limit.ts";
import { Grpc, RestError } from "../sdk/client/rest-errors.ts";

const MiB = 1024 * 1024;
const base64Bytes = (n: number): number => Math.ceil(n / 3) * 4;

/**
 * CometBFT's default block.max_bytes (types.DefaultBlockParams: what `cometbft init` writes and the devnet keeps).
 * The REST server reads the chain's own value (`consensus_params`); this is only its fallback when that answer holds
 * no usable max_bytes, and the server logs why.
 */
export const DEFAULT_BLOCK_MAX_BYTES = 22_020_096;

/**
 * The most bytes of a `block` answer for a chain whose block.max_bytes is `blockMaxBytes`: the block's txs base64
 * (4/3), plus 4 MiB for the header, last commit and evidence (evidence.max_bytes is 1 MiB of proto, inside
 * max_bytes; its JSON is a few times that). -1 (no limit of the chain's own) and anything past CometBFT's
 * MaxBlockSizeBytes (which CometBFT refuses in a genesis) count as MaxBlockSizeBytes, 100 MiB: the cap stays bounded.
 */
export function blockAnswerMaxBytes(blockMaxBytes: number): number {
  const block = blockMaxBytes === -1 || blockMaxBytes > COMETBFT_MAX_BLOCK_BYTES ? COMETBFT_MAX_BLOCK_BYTES : blockMaxBytes;
  return base64Bytes(block) + 4 * MiB;
}

/** block.max_bytes in CometBFT's `consensus_params` answer; throws, saying why, when it holds no usable value. */
export function blockMaxBytesOf(answer: unknown): number {
  const raw = (answer as { consensus_params?: { block?: { max_bytes?: unknown } } } | null)?.consensus_params?.block?.max_bytes;
  if (typeof raw === "string" && /^(-1|[1-9]\d*)$/.test(raw)) return Number(raw);
  throw new Error(`CometBFT's consensus_params answer has no usable block.max_bytes (${raw === undefined ? "none" : JSON.stringify(raw)}, not -1 or a positive integer)`);
}

/**
 * The most bytes of one CometBFT answer the REST server reads, per method (the answer is parsed whole on the event
 * loop that also answers CometBFT's ABCI calls: ~60 ms a 28 MB block here, ~400 ms a 140 MB search page). Each is
 * sized for the largest answer the chain can legitimately give:
 * - `block`: blockAnswerMaxBytes of the chain's block.max_bytes (not in this table: cometRpc reads it from CometBFT).
 * - `tx`, `tx_search`: one tx of MAX_TX_BYTES (base64) with a result at CheckTx's cap of 3.5 MiB of events
 *   (MAX_TX_RESULT_BYTES), its JSON up to about twice that, with room to spare: 16 MiB. A search asks CometBFT for
 *   pages of the client's pagination.limit, so a page of near-max txs past this is refused and a smaller limit fits.
 * - everything else (status, header, validators pages of 100, blockchain's 20 metas, consensus_params, broadcast): a
 *   few KB; 1 MiB.
 */
export const RPC_ANSWER_MAX_BYTES: Readonly<Record<string, number>> = {
  tx: 16 * MiB,
  tx_search: 16 * MiB,
};
export const SMALL_RPC_ANSWER_MAX_BYTES = MiB;

export const rpcAnswerMaxBytes = (method: string): number => RPC_ANSWER_MAX_BYTES[method] ?? SMALL_RPC_ANSWER_MAX_BYTES;

function restError(method: string, err: unknown): RestError {
  if (err instanceof AnswerTooLargeError) {
    return method === "tx_search"
      ? new RestError(Grpc.OutOfRange, `the answer from CometBFT is more than ${err.maxBytes} bytes; ask for fewer (pagination.limit)`)
      : new RestError(Grpc.Unavailable, `the answer from CometBFT to ${err.method} is more than ${err.maxBytes} bytes`); // a block's may be consensus_params'"'"'s
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

/**
 * Calls whose weights sum to at most `budget` run at once; the others start, in order, as room frees (one whose
 * weight alone is more than `budget` runs by itself).
 */
export function weightLimit(budget: number): <T>(weight: number, run: () => Promise<T>) => Promise<T> {
  let used = 0;
  const waiting: { weight: number; start: () => void }[] = [];
  const startWaiting = (): void => {
    for (let next = waiting[0]; next && (used === 0 || used + next.weight <= budget); next = waiting[0]) {
      waiting.shift();
      used += next.weight;
      next.start();
    }
  };
  return async (weight, run) => {
    if (waiting.length > 0 || (used > 0 && used + weight > budget)) await new Promise<void>((start) => waiting.push({ weight, start }));
    else used += weight;
    try {
      return await run();
    } finally {
      used -= weight;
      startWaiting();
    }
  };
}

/**
 * `block` calls one server makes at once on a chain of CometBFT's default block.max_bytes (of its MAX_RPC_IN_FLIGHT
 * calls); the others wait their turn. Each answer may be that block's txs base64, read whole before it is parsed:
 * without a bound, 32 block requests at once would hold ~1 GB of answers in the process that runs the chain, and
 * take every RPC slot from everyone else's calls.
 */
export const MAX_BLOCK_IN_FLIGHT = 4;

/**
 * The bytes of `block` answers read at once (their caps summed): MAX_BLOCK_IN_FLIGHT answers of a default chain. A
 * chain with larger blocks reads fewer at once (down to one, whatever its block.max_bytes), one with smaller blocks
 * still at most MAX_BLOCK_IN_FLIGHT.
 */
export const BLOCK_ANSWERS_BUDGET_BYTES = MAX_BLOCK_IN_FLIGHT * blockAnswerMaxBytes(DEFAULT_BLOCK_MAX_BYTES);

/**
 * The REST routes' CometBFT calls: at most `maxInFlight` at once, each answer read up to its method's
 * RPC_ANSWER_MAX_BYTES. A `block` answer is read up to blockAnswerMaxBytes of the chain's block.max_bytes, asked of
 * CometBFT (`consensus_params`) on the first block call and kept: only the app's FinalizeBlock answers can change
 * consensus params, and this app never sends consensus_param_updates. Should they grow anyway, a block answer past
 * the kept cap has the params asked again, and is read once more if the cap grew. An answer with no usable
 * block.max_bytes falls back to DEFAULT_BLOCK_MAX_BYTES, and `warn` is told why.
 */
export function cometRpc(url: string, timeoutMs = 10_000, maxInFlight = MAX_RPC_IN_FLIGHT, warn: (message: string) => void = () => undefined) {
  const client = new CometRpc(url, timeoutMs);
  const limit = concurrencyLimit(maxInFlight);
  const blockSlots = weightLimit(BLOCK_ANSWERS_BUDGET_BYTES);
  const call = <T>(method: string, params: Record<string, unknown>, maxBytes: number): Promise<T> => limit(() => client.call<T>(method, params, maxBytes));

  const askParams = async (): Promise<unknown> => {
    try {
      return await call<unknown>("consensus_params", {}, SMALL_RPC_ANSWER_MAX_BYTES);
    } catch (err) {
      // Without a height CometBFT (v0.38 rpc/core/consensus.go) answers the params of the block after its latest,
      // which it saves only once that latest block is committed: asked between a block's save and the end of its
      // Commit (the app's FinalizeBlock and Commit) it answers "could not find consensus params for height #H+1".
      // The latest block's own params were saved a block earlier: ask for those.
      if (!(err instanceof CometRpcError) || !/could not find consensus params/iu.test(err.data)) throw err;
      const status = await call<{ sync_info?: { latest_block_height?: unknown } }>("status", {}, SMALL_RPC_ANSWER_MAX_BYTES);
      const height = status.sync_info?.latest_block_height;
      if (typeof height !== "string" || !/^[1-9]\d*$/u.test(height)) throw err;
      return call<unknown>("consensus_params", { height }, SMALL_RPC_ANSWER_MAX_BYTES);
    }
  };
  const askBlockCap = async (): Promise<number> => {
    const answer = await askParams();
    try {
      return blockAnswerMaxBytes(blockMaxBytesOf(answer));
    } catch (err) {
      warn(`${(err as Error).message}: block answers are read up to CometBFT's default block.max_bytes, ${DEFAULT_BLOCK_MAX_BYTES}`);
      return blockAnswerMaxBytes(DEFAULT_BLOCK_MAX_BYTES);
    }
  };
  let keptCap: number | undefined;
  let asking: Promise<number> | undefined;
  /** The block cap, kept once asked; asked again (one question for all callers) when `stale` is the one kept. */
  const blockCap = async (stale?: number): Promise<number> => {
    if (keptCap !== undefined && keptCap !== stale) return keptCap;
    asking ??= askBlockCap().finally(() => (asking = undefined)); // a failed question is not kept: the next call asks again
    return (keptCap = await asking);
  };
  const readBlock = <T>(params: Record<string, unknown>, cap: number): Promise<T> =>
    blockSlots(Math.max(cap, BLOCK_ANSWERS_BUDGET_BYTES / MAX_BLOCK_IN_FLIGHT), () => call<T>("block", params, cap));
  const block = async <T>(params: Record<string, unknown>): Promise<T> => {
    const cap = await blockCap();
    try {
      return await readBlock<T>(params, cap);
    } catch (err) {
      if (!(err instanceof AnswerTooLargeError)) throw err;
      const fresh = await blockCap(cap);
      if (fresh <= cap) throw err;
      return readBlock<T>(params, fresh);
    }
  };

  return async function rpc<T>(method: string, params: Record<string, unknown>): Promise<T> {
    try {
      return method === "block" ? await block<T>(params) : await call<T>(method, params, rpcAnswerMaxBytes(method));
    } catch (err) {
      throw restError(method, err);
    }
  };
}
