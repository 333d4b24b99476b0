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

/**
 * Called after a successful manifest PUT (with a tag) or DELETE, before the response is sent. `recordTag` and
 * `deleteTag` must not throw or block (implementations queue and retry on their own); `flush` resolves when what
 * they queued is durable, and the answer waits for it. `room` is asked before anything is stored: false (the
 * queue is full) makes the request fail with 503 and change nothing.
 */
export interface TagRecorder {
  room(namespace: string, tags: readonly { repo: string; tag: string }[]): boolean;
  recordTag(ev: TagEvent): void;
  deleteTag(ev: TagDeleteEvent): void;
  flush(): Promise<void>;
}

/** Whether the chain node is reachable, for GET /health. */
export interface ChainProbe {
  reachable(): Promise<boolean>;
}

export const noopTagRecorder: TagRecorder = {
  room: () => true,
  recordTag: () => undefined,
  deleteTag: () => undefined,
  flush: () => Promise.resolve(),
};

export const noChainProbe: ChainProbe = { reachable: () => Promise.resolve(false) };

/** A TagRecorder that keeps events in memory (tests). */
export class MemoryTagRecorder implements TagRecorder {
  readonly recorded: TagEvent[] = [];
  readonly deleted: TagDeleteEvent[] = [];
  room(): boolean {
    return true;
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
