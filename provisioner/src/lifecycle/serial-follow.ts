/**
 * `--follow` for a VM's serial console (`vm logs -f`, `provider lease-logs -f`): the last lines, then what the VM
 * prints next, until the caller aborts (Ctrl-C) or the VM stops. Each tick drains QEMU's ring into serial.log
 * (serial-log.ts) and reads the file on from where the last tick stopped. The open file is held, so a log moved away
 * (a closed lease's, to closed-logs) is still read to its end. Past its cap appendCapped writes a new file renamed
 * over the log: a new inode (or a file shorter than what was read) is read on after the last bytes already printed,
 * found again in it; when they are not there, all of it is new and `note` says that earlier output was dropped.
 * Only whole lines are printed (a line still being written waits for its newline), as serialTail cleans them.
 */
import { open, stat, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { consoleLines, drainSerial, SERIAL_LOG_MAX_BYTES } from "./serial-log.ts";
import { runState } from "./state.ts";

/** How often a follow drains the ring and reads the log. */
export const FOLLOW_INTERVAL_MS = 500;
/** The last bytes read, looked for in a log rewritten past its cap to know where the new output starts. */
const ANCHOR_BYTES = 4096;
/** A line without its newline longer than this is printed as it is (a guest that never ends a line). */
const PENDING_MAX = 64 * 1024;
const READ_CHUNK = 64 * 1024;

export interface FollowOptions {
  /** How many of the last lines to print first. */
  readonly lines: number;
  /** Ends the follow (Ctrl-C). */
  readonly signal: AbortSignal;
  /** Gets whole lines (each ending in a newline) to print. */
  readonly write: (text: string) => void;
  /** A note for stderr (output dropped by the cap). */
  readonly note: (line: string) => void;
  /** Moves what QEMU's ring holds into the log (default: drainSerial of the log's directory). */
  readonly drain?: () => Promise<void>;
  /** Whether the VM still runs (default: its QEMU, by the pidfile in the log's directory). */
  readonly running?: () => Promise<boolean>;
  readonly intervalMs?: number;
}

/** Why a follow ended: Ctrl-C, the VM stopped while followed, or it was not running to begin with. */
export type FollowEnd = "aborted" | "stopped" | "not-running";

/** Prints the last `lines` lines of serial.log `file`, then what is added to it, until aborted or the VM stops. */
export async function followSerialLog(file: string, o: FollowOptions): Promise<FollowEnd> {
  const drain = o.drain ?? (() => drainSerial(dirname(file)));
  const running = o.running ?? (async () => (await runState(dirname(file))).state === "running");
  let fh: FileHandle | undefined;
  let offset = 0;
  let anchor = Buffer.alloc(0);
  let pending = Buffer.alloc(0);
  let first = true;
  const print = (bytes: Buffer, last = Infinity): void => {
    const ls = consoleLines(bytes.toString("utf8")).slice(-last);
    if (ls.length > 0) o.write(`${ls.join("\n")}\n`);
  };
  const consume = (bytes: Buffer): void => {
    anchor = Buffer.concat([anchor, bytes]).subarray(-ANCHOR_BYTES);
    const all = Buffer.concat([pending, bytes]);
    const nl = all.lastIndexOf(0x0a);
    pending = all.subarray(nl + 1);
    // The first read is the tail: only its last `lines` lines are printed.
    print(all.subarray(0, nl + 1), first ? o.lines : Infinity);
    if (pending.length > PENDING_MAX) {
      print(pending);
      pending = Buffer.alloc(0);
    }
  };
  /** Reads `h` from `from` to its end (at most the last SERIAL_LOG_MAX_BYTES, as serialTail). */
  const readOn = async (h: FileHandle, from: number): Promise<Buffer> => {
    const size = (await h.stat()).size;
    let at = Math.max(from, size - SERIAL_LOG_MAX_BYTES);
    const parts: Buffer[] = [];
    for (;;) {
      const buf = Buffer.alloc(READ_CHUNK);
      const { bytesRead } = await h.read(buf, 0, buf.length, at);
      if (bytesRead === 0) break;
      parts.push(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
    offset = at;
    return Buffer.concat(parts);
  };
  /** A log rewritten past its cap (or replaced): go on after the bytes already read, where they are in it. */
  const resync = async (next: FileHandle): Promise<void> => {
    const text = await readOn(next, 0);
    const from = resumeAt(text, anchor);
    if (from === undefined) {
      o.note("(the console log was rewritten past its cap before it was read: some output was dropped)");
      if (pending.length > 0) print(pending);
      pending = Buffer.alloc(0);
    }
    consume(text.subarray(from ?? 0));
  };
  const tick = async (): Promise<void> => {
    if (fh !== undefined) consume(await readOn(fh, offset));
    const path = await stat(file).catch(() => undefined);
    if (path === undefined) return; // moved away (a closed lease) or not made yet: the held file was read to its end
    const held = await fh?.stat();
    if (held !== undefined && held.ino === path.ino && held.dev === path.dev && held.size >= offset) return;
    const next = await open(file, "r").catch(() => undefined);
    if (next === undefined) return;
    await fh?.close();
    fh = next;
    if (held === undefined) consume(await readOn(fh, 0));
    else await resync(fh);
  };
  try {
    let live = await running();
    await drain();
    await tick();
    first = false;
    if (!live) return "not-running";
    while (!o.signal.aborted) {
      await delay(o.intervalMs ?? FOLLOW_INTERVAL_MS, undefined, { signal: o.signal }).catch(() => undefined);
      if (o.signal.aborted) break;
      // Whether it ran before the drain: what a VM that just stopped printed is in the log by now, and read below.
      live = await running();
      await drain();
      await tick();
      if (!live) return "stopped";
    }
    return "aborted";
  } finally {
    if (pending.length > 0) print(pending);
    await fh?.close();
  }
}

/**
 * Where the bytes after `anchor` (the last ones read) start in `text`, a log rewritten whole: after its last
 * occurrence, else after the longest start of `text` that ends the anchor (the rewrite kept less than the anchor).
 * Undefined when `text` holds none of it (or nothing was read before).
 */
function resumeAt(text: Buffer, anchor: Buffer): number | undefined {
  if (anchor.length === 0) return undefined;
  const at = text.lastIndexOf(anchor);
  if (at >= 0) return at + anchor.length;
  for (let k = Math.min(anchor.length - 1, text.length); k > 0; k--) {
    if (text.subarray(0, k).equals(anchor.subarray(anchor.length - k))) return k;
  }
  return undefined;
}

/**
 * An AbortSignal that SIGINT or SIGTERM fires (a follow then ends with exit 0, as `docker logs -f`; a second one
 * kills). Stdout's reader going away (`logs -f | head`, EPIPE) ends the whole CLI quietly (cli/src/stdout-closed.ts).
 */
export function abortOnSignals(): { readonly signal: AbortSignal; readonly dispose: () => void } {
  const stop = new AbortController();
  const abort = (): void => {
    dispose();
    stop.abort();
  };
  const dispose = (): void => {
    process.off("SIGINT", abort);
    process.off("SIGTERM", abort);
  };
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  return { signal: stop.signal, dispose };
}
