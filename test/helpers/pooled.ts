// A bounded concurrency runner for load tests (the pooled JSON-RPC client is CometRpcPool in @trustnet/abci-app).

/** Runs `task(i)` for i < n with at most `concurrency` in flight. */
export async function pooled(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await task(next++);
  }));
}
