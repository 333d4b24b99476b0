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
 * Called after a successful manifest PUT (with a tag) or DELETE, after the response is sent.
 * Fire-and-forget: must not throw or block; implementations queue and retry on their own.
 */
export interface TagRecorder {
  recordTag(ev: TagEvent): void;
  deleteTag(ev: TagDeleteEvent): void;
}

/** Whether the chain node is reachable, for GET /health. */
export interface ChainProbe {
  reachable(): Promise<boolean>;
}

export const noopTagRecorder: TagRecorder = {
  recordTag: () => undefined,
  deleteTag: () => undefined,
};

export const noChainProbe: ChainProbe = { reachable: () => Promise.resolve(false) };

/** A TagRecorder that keeps events in memory (tests). */
export class MemoryTagRecorder implements TagRecorder {
  readonly recorded: TagEvent[] = [];
  readonly deleted: TagDeleteEvent[] = [];
  recordTag(ev: TagEvent): void {
    this.recorded.push(ev);
  }
  deleteTag(ev: TagDeleteEvent): void {
    this.deleted.push(ev);
  }
}
