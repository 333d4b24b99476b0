// Waiting for a freshly started chain: its CometBFT RPC reports at least a given height.

/** The height CometBFT's `/status` reports, or 0 while the RPC does not answer. */
export async function latestHeight(rpc: string): Promise<number> {
  return fetch(`${rpc}/status`)
    .then(async (r) => Number(((await r.json()) as { result: { sync_info: { latest_block_height: string } } }).result.sync_info.latest_block_height))
    .catch(() => 0);
}

/**
 * Polls `rpc` until a block of `height` exists. Rejects after `timeoutMs`, or as soon as `failed()` says why the
 * chain cannot come up (a process exited), with that reason.
 */
export async function waitForHeight(rpc: string, height: number, timeoutMs: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = failed();
    if (why !== undefined) throw new Error(why);
    if ((await latestHeight(rpc)) >= height) return;
    if (Date.now() > deadline) throw new Error(`${rpc} did not reach height ${height} in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
