// Checkpoints the state database's WAL off the block's critical path. With SQLite's auto-checkpoint a COMMIT that
// takes the WAL past 1,000 pages copies every page in it into the database file, and fsyncs that file, before
// COMMIT returns: at 1M accounts a block of 1,000 sends writes ~18k pages, so every commit paid a checkpoint (~35 % of
// its time). The store's own connection runs with wal_autocheckpoint = 0 and, after each commit, asks a
// worker thread with its own connection for a PASSIVE checkpoint, which runs beside the next block (it never
// takes the write lock; the WAL is durable at COMMIT, synchronous = FULL, so nothing about durability changes).
// Once a checkpoint has copied every frame, the next commit writes the WAL from its start again. Should a
// checkpoint fall short (a reader pinned the WAL, or commits outran it) while the WAL exceeds MAX_WAL_BYTES, the
// worker runs a TRUNCATE checkpoint, which waits for the writer and then empties the WAL: the WAL stays bounded.
import { Worker } from "node:worker_threads";

/** Past this size a checkpoint that fell short is followed by a blocking TRUNCATE one. */
export const MAX_WAL_BYTES = 256 * 2 ** 20;
/**
 * How long a TRUNCATE checkpoint waits for the writer to finish a commit and for readers to leave the WAL; while it
 * waits, new commits wait too. Short, so a reader that pins the WAL (an outside sqlite3 shell holding a
 * transaction) delays a commit by at most this; the WAL then grows until the reader lets go, as it did with
 * SQLite's auto-checkpoint.
 */
const TRUNCATE_WAIT_MS = 2_000;
const CLOSE_WAIT_MS = 60_000;

// A script, not a module file: it runs wherever the store's code runs (sources, a bundle, a test runner).
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { DatabaseSync } = require("node:sqlite");
const { statSync } = require("node:fs");
const db = new DatabaseSync(workerData.path);
db.exec("PRAGMA synchronous = FULL; PRAGMA busy_timeout = " + workerData.busyMs);
const passive = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
const truncate = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
const walBytes = () => { try { return statSync(workerData.path + "-wal").size; } catch { return 0; } };
const closed = new Int32Array(workerData.closed);
parentPort.on("message", (m) => {
  if (m === "close") {
    db.close();
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    parentPort.close();
    return;
  }
  try {
    let r = passive.get();
    const frames = Number(r.log);
    let mode = "passive";
    if (r.log !== r.checkpointed && walBytes() > workerData.maxWalBytes) {
      r = truncate.get();
      mode = "truncate";
    }
    parentPort.postMessage({ frames, complete: r.busy === 0 && r.log === r.checkpointed, mode });
  } catch (e) {
    parentPort.postMessage({ error: String(e) });
  }
});
`;

interface Reply {
  readonly frames?: number;
  readonly complete?: boolean;
  readonly mode?: "passive" | "truncate";
  readonly error?: string;
}

/** What the last checkpoint did: how far it got and whether it had to fall back to a TRUNCATE checkpoint. */
export interface CheckpointResult {
  readonly complete: boolean;
  readonly mode: "passive" | "truncate";
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  /** Checkpoints asked for and not yet answered. */
  private pending = 0;
  private waiters: (() => void)[] = [];
  private alive = true;
  /** WAL frames the last checkpoint found (the frames the commits since the one before wrote, after a reset). */
  lastFrames: number | undefined;
  /** The last checkpoint's result (undefined before the first, or after an error). */
  lastResult: CheckpointResult | undefined;
  /** The last checkpoint error, if any (a failed checkpoint is retried after the next commit). */
  lastError: string | undefined;

  /**
   * @param onDeath called if the worker cannot run (the store then checkpoints in its commits again)
   * @param maxWalBytes the WAL size past which a checkpoint that fell short is followed by a TRUNCATE one
   */
  constructor(path: string, onDeath: (err: unknown) => void, maxWalBytes = MAX_WAL_BYTES) {
    this.worker = new Worker(WORKER, {
      eval: true, workerData: { path, busyMs: TRUNCATE_WAIT_MS, maxWalBytes, closed: this.closed.buffer },
    });
    this.worker.on("message", (r: Reply) => this.done(r));
    this.worker.on("error", (err) => {
      if (!this.alive) return;
      this.alive = false;
      this.settle();
      onDeath(err);
    });
    this.worker.unref(); // after the listeners: adding a "message" listener refs the worker's port again
  }

  /**
   * After a commit: one checkpoint per commit, posted at once. The worker receives it even while this thread runs
   * on without yielding (a loop of commits), so the WAL cannot outgrow the checkpoints by waiting for our replies.
   */
  request(): void {
    if (!this.alive) return;
    this.pending++;
    this.worker.postMessage("checkpoint");
  }

  /** Resolves when no checkpoint is under way or asked for. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    this.worker.ref(); // an awaited checkpoint keeps the process alive until it ends
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Closes the worker's connection, waiting (blocking) for a checkpoint under way to end first. */
  close(): void {
    if (!this.alive) return;
    this.alive = false;
    this.worker.postMessage("close");
    Atomics.wait(this.closed, 0, 0, CLOSE_WAIT_MS);
    this.settle();
  }

  private done(r: Reply): void {
    if (r.error !== undefined) {
      this.lastError = r.error;
      this.lastResult = undefined;
    } else {
      this.lastFrames = r.frames;
      this.lastResult = { complete: r.complete === true, mode: r.mode ?? "passive" };
    }
    this.pending = Math.max(0, this.pending - 1);
    if (this.pending === 0) this.settle();
  }

  private settle(): void {
    this.worker.unref();
    this.pending = 0;
    for (const w of this.waiters.splice(0)) w();
  }
}
