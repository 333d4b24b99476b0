/** A keyed async mutex: `run(key, fn)` runs fn after every earlier fn for the same key settles. */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Runs fn now if nothing holds or waits for `key` (then as run()); else does nothing and returns `skipped`. */
  tryRun<T, S>(key: string, fn: () => Promise<T>, skipped: S): Promise<T | S> {
    if (this.#tails.has(key)) return Promise.resolve(skipped);
    return this.run(key, fn);
  }
}

/**
 * Many readers or one writer. Pushes (blob link, manifest put) take `shared`; the GC sweep
 * takes `exclusive`, so it never deletes a blob between a push's existence check and its write.
 */
export class SharedExclusiveLock {
  #readers = 0;
  #writer = false;
  #waiting: Array<() => void> = [];

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#writer) await new Promise<void>((r) => this.#waiting.push(r));
    this.#readers++;
    try {
      return await fn();
    } finally {
      this.#readers--;
      this.#wake();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#writer || this.#readers > 0) await new Promise<void>((r) => this.#waiting.push(r));
    this.#writer = true;
    try {
      return await fn();
    } finally {
      this.#writer = false;
      this.#wake();
    }
  }

  #wake(): void {
    const w = this.#waiting;
    this.#waiting = [];
    for (const r of w) r();
  }
}
