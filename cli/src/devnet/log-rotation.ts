// The log files the devnet supervisor and `node start` hand to their children would grow without end (CometBFT
// alone writes ~1.6 KB per empty block: ~135 MB a day per node). The children write to an fd opened with O_APPEND
// that they keep, so a file is rotated as logrotate's `copytruncate` does: `<name>` is copied to `<name>.1` (older
// copies shift to `.2` …, the oldest is dropped) and then truncated; the children's next writes land at its new
// start. What a child writes between the copy and the truncation is lost (a few milliseconds' worth).
import { copyFileSync, readdirSync, renameSync, rmSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";

/** A log is rotated once it is larger than this. */
export const LOG_MAX_BYTES = 64 * 1024 * 1024;
/** Rotated copies kept per log (`.1` … `.3`): with LOG_MAX_BYTES, at most 256 MiB per log. */
export const LOG_KEEP = 3;
/** How often the sizes are checked. */
export const LOG_CHECK_MS = 30_000;

export interface RotationOptions {
  readonly maxBytes?: number;
  readonly keep?: number;
}

/** Rotates every log in `dir` (files not ending in `.<n>`) larger than `maxBytes`; returns the names it rotated. */
export function rotateLogs(dir: string, opts: RotationOptions = {}): string[] {
  const maxBytes = opts.maxBytes ?? LOG_MAX_BYTES;
  const keep = Math.max(1, opts.keep ?? LOG_KEEP);
  const rotated: string[] = [];
  for (const name of readdirSync(dir)) {
    if (/\.\d+$/u.test(name) || name.endsWith(".tmp")) continue;
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile() || st.size <= maxBytes) continue;
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      if (statSync(`${path}.${i}`, { throwIfNoEntry: false }) !== undefined) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    }
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    rotated.push(name);
  }
  return rotated;
}

/**
 * Checks `dir` every `intervalMs` (the timer does not keep the process alive) and rotates what has grown; a failure
 * (the directory deleted under it, a full disk) is reported to `onError` and tried again next time. Returns a stop.
 */
export function startLogRotation(dir: string, opts: RotationOptions & { readonly intervalMs?: number; readonly onError: (err: Error) => void; readonly onRotate?: (names: readonly string[]) => void }): () => void {
  const timer = setInterval(() => {
    try {
      const names = rotateLogs(dir, opts);
      if (names.length > 0) opts.onRotate?.(names);
    } catch (err) {
      opts.onError(err as Error);
    }
  }, opts.intervalMs ?? LOG_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
