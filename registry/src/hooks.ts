/** Hooks for the chain half: the lead implements the chain-backed versions. */

export interface TagEvent {
  readonly namespace: string;
  readonly repo: string;
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** trust1… address of the pusher. */
  readonly pusher: string;
}

export interface TagDeleteEvent {
  readonly namespace: string;
  readonly repo: string;
  readonly tag: string;
  readonly digest: string;
  readonly pusher: string;
}

/** Queue room held for a request's tags from before it stores anything until it has queued them (or failed). */
export interface TagReservation {
  /** Gives the room back; call it once the request's records are queued, or when the request failed. Idempotent. */
  release(): void;
}

/**
 * Called after a successful manifest PUT (with a tag) or DELETE, before the response is sent. `recordTag` and
 * `deleteTag` must not throw or block (implementations queue and retry on their own); `flush` resolves when what
 * they queued is durable, and the answer waits for it. `reserve` is called before anything is stored and holds the
 * room for the request's tags until released, so concurrent requests never take more than the queue's cap:
 * undefined (the queue is full) makes the request fail with 503 and change nothing.
 */
export interface TagRecorder {
  reserve(namespace: string, tags: readonly { repo: string; tag: string }[]): TagReservation | undefined;
  recordTag(ev: TagEvent): void;
  deleteTag(ev: TagDeleteEvent): void;
  flush(): Promise<void>;
}

/** Whether the chain node is reachable, for GET /health. */
export interface ChainProbe {
  reachable(): Promise<boolean>;
}

const noReservation: TagReservation = { release: () => undefined };

export const noopTagRecorder: TagRecorder = {
  reserve: () => noReservation,
  recordTag: () => undefined,
  deleteTag: () => undefined,
  flush: () => Promise.resolve(),
};

export const noChainProbe: ChainProbe = { reachable: () => Promise.resolve(false) };

/** A TagRecorder that keeps events in memory (tests). */
export class MemoryTagRecorder implements TagRecorder {
  readonly recorded: TagEvent[] = [];
  readonly deleted: TagDeleteEvent[] = [];
  reserve(): TagReservation {
    return noReservation;
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  recordTag(ev: TagEvent): void {
    this.recorded.push(ev);
  }
  deleteTag(ev: TagDeleteEvent): void {
    this.deleted.push(ev);
  }
}
