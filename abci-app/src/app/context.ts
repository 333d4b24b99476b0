import type { KVStore } from "../store/index.ts";
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
