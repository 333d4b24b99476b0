// Runs async jobs one at a time, in submission order.

export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `job` after every job submitted before it has settled; resolves/rejects with the job's own result. */
  run<T>(job: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(job);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/** How app calls are serialized: across all connections (the Go reference server's appMtx) or per connection only. */
export type AppSerialization = "global" | "connection";
