import type { Misbehavior, VoteInfo } from "cosmjs-types/tendermint/abci/types";
import type { KVStore } from "../store/index.ts";
import type { BlockTime } from "./block-time.ts";
import type { EventSink } from "./events.ts";
import type { GasMeter } from "./gas.ts";

/** How a transaction is being run. Only `finalize` results reach the committed state. */
export type ExecMode = "check" | "recheck" | "simulate" | "finalize";

/** Everything a keeper or message handler may depend on. Time and height come from the block, never the clock. */
export interface Ctx {
  readonly store: KVStore;
  readonly height: bigint;
  /** Block time in finalize mode; the last committed block's time otherwise. */
  readonly time: Date;
  /** The same time with its nanoseconds (set by the app for blocks and txs; absent in hand-built contexts). */
  readonly blockTime?: BlockTime;
  readonly chainId: string;
  readonly mode: ExecMode;
  readonly events: EventSink;
  readonly gas: GasMeter;
}

/** The context of a query: a read-only view of one committed height. */
export interface QueryCtx {
  readonly store: KVStore;
  readonly height: bigint;
  readonly chainId: string;
}

/** What CometBFT told the app about the block being finalized, beyond its height and time. */
export interface BlockInfo {
  /** Evidence of misbehaviour (duplicate votes, light-client attacks) included in this block. */
  readonly misbehavior: readonly Misbehavior[];
  /** The votes of the previous block's commit (`decided_last_commit`): who signed it, with which power. */
  readonly lastCommitVotes: readonly VoteInfo[];
  readonly proposerAddress: Uint8Array;
}

/** The context of a begin/end blocker: a finalize-mode Ctx plus the block's consensus information. */
export interface BlockCtx extends Ctx {
  readonly block: BlockInfo;
}
