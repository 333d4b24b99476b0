// Whether this node can take the chain's blocks over its ABCI connection at all.
//
// CometBFT sends each proposed block whole: its txs in one PrepareProposal request (the proposer) and again in one
// FinalizeBlock request (every node). The app's servers refuse a message over their `maxMessageBytes`
// (abci/framing.ts, 64 MiB by default) and close the connection, and CometBFT panics when it loses the consensus
// connection: a block too large for the limit stops the chain on every node with that limit, for good.
// `block.max_bytes` bounds those requests (less a reserve for what else they carry: the last commit's votes, the
// header fields); `-1` does not: CometBFT's CreateProposalBlock (state/execution.go, v0.38) then reaps the whole
// mempool into PrepareProposal's request, up to `mempool.max_txs_bytes` (1 GiB by default).

/** Room kept in a request for what is not the block's txs (votes of the last commit, misbehavior, header fields). */
export const REQUEST_RESERVE_BYTES = 1 << 20;

/** CometBFT's own cap on block.max_bytes (types.MaxBlockSizeBytes, 100 MiB; a block.max_bytes of -1 means this). */
export const COMETBFT_MAX_BLOCK_BYTES = 104_857_600;

/** The smallest `--max-message-bytes` the app takes: the reserve, and as much again for a block. */
export const MIN_MESSAGE_BYTES = 2 * REQUEST_RESERVE_BYTES;

/** The largest `--max-message-bytes` (CometBFT's gRPC and socket framing take up to 2^31−1). */
export const LARGEST_MESSAGE_BYTES = 2 ** 31 - 1;

/** The largest `block.max_bytes` a node whose ABCI messages are capped at `maxMessageBytes` can take. */
export const largestBlockMaxBytes = (maxMessageBytes: number): bigint => BigInt(Math.min(COMETBFT_MAX_BLOCK_BYTES, Math.max(0, maxMessageBytes - REQUEST_RESERVE_BYTES)));

const mib = (n: number): string => (n % (1 << 20) === 0 ? `${n / (1 << 20)} MiB` : `${n} bytes`);

/**
 * Why a chain with this `block.max_bytes` would stop on this node, or undefined when it cannot. `undefined` max bytes
 * (no consensus params given, as in-process tests) is CometBFT's default, 22,020,096, which fits any sane limit.
 */
export function blockMaxBytesProblem(maxBytes: bigint | undefined, maxMessageBytes: number): string | undefined {
  if (maxBytes === undefined) return undefined;
  const largest = largestBlockMaxBytes(maxMessageBytes);
  if (maxBytes === -1n) {
    return `consensus_params.block.max_bytes -1 hands PrepareProposal the whole mempool (up to mempool.max_txs_bytes, 1 GiB by default), past this node's ABCI message limit of ${mib(maxMessageBytes)}: the first block that large would stop the chain. Set a positive block.max_bytes of at most ${largest} (CometBFT's default is 22020096)`;
  }
  if (maxBytes > largest) {
    return `consensus_params.block.max_bytes ${maxBytes} is more than this node's ABCI message limit of ${mib(maxMessageBytes)} can carry (at most ${largest}, keeping ${mib(REQUEST_RESERVE_BYTES)} for the rest of a request): a full block would stop the chain. Lower block.max_bytes, or start the app with --max-message-bytes ${(maxBytes + BigInt(REQUEST_RESERVE_BYTES)).toString()} or more`;
  }
  return undefined;
}
