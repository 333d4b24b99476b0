// Runs async jobs one at a time, in submission order.

export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Runs `job` after every job submitted before it has settled; resolves/rejects with the job's own result. */
  run<T>(job: () => Promise<T> | T): Promise<T> {
    this.#pending += 1;
    const result = this.#tail.then(job);
    const settled = result.then(() => undefined, () => undefined);
    void settled.then(() => { this.#pending -= 1; });
    this.#tail = settled;
    return result;
  }

  /** Jobs submitted and not yet settled (running or waiting). */
  get pending(): number {
    return this.#pending;
  }
}

/** How app calls are serialized: across all connections (the Go reference server's appMtx) or per connection only. */
export type AppSerialization = "global" | "connection";
