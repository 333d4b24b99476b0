/**
 * The serial console, bounded. QEMU keeps the console in a ring buffer (`-chardev ringbuf`, SERIAL_RING_BYTES, in
 * memory): what the guest writes past it overwrites its oldest bytes, so a guest that prints without end costs
 * the host nothing more. Whoever reads the log (the readiness checks' tail, `vm logs`, `vm stop`) first drains the
 * ring over QMP (`ringbuf-read`, which empties what it returns) into `serial.log`, which keeps at most
 * SERIAL_LOG_MAX_BYTES (past it, the newest half is kept). A QEMU `logfile=` grew without bound instead.
 */
import { open, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { SERIAL_CHARDEV, SERIAL_RING_BYTES } from "../qemu/argv.ts";
import { FILES } from "./layout.ts";
import { qmpQuery } from "./qmp.ts";

/** The most serial.log holds on the host's disk. */
export const SERIAL_LOG_MAX_BYTES = 4 * 1024 * 1024;

/** The last `bytes` bytes of `file` (fewer when it is shorter; empty when it cannot be read). */
export async function readLogTail(file: string, bytes: number): Promise<Buffer> {
  const fh = await open(file, "r").catch(() => undefined);
  if (fh === undefined) return Buffer.alloc(0);
  try {
    const size = (await fh.stat()).size;
    const out = Buffer.alloc(Math.min(bytes, size));
    const { bytesRead } = await fh.read(out, 0, out.length, size - out.length);
    return out.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The lines of console `text` worth showing: terminal escape sequences (CSI) removed, blank lines dropped. */
export function consoleLines(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;=?]*[A-Za-z]/g, "").split(/\r?\n/).filter((l) => l.trim() !== "");
}

/** Appends in this process, one at a time per file (a stat, then an append or a rewrite, must not interleave). */
const appending = new Map<string, Promise<void>>();

/** Appends `chunk` to `file`, keeping it at most `max` bytes: over it, the newest max / 2 bytes stay (a rename). */
export async function appendCapped(file: string, chunk: Buffer, max = SERIAL_LOG_MAX_BYTES): Promise<void> {
  if (chunk.length === 0) return;
  const next = (appending.get(file) ?? Promise.resolve()).then(() => appendNow(file, chunk, max));
  const settled = next.catch(() => undefined);
  appending.set(file, settled);
  void settled.then(() => {
    if (appending.get(file) === settled) appending.delete(file);
  });
  return next;
}

async function appendNow(file: string, chunk: Buffer, max: number): Promise<void> {
  const size = await stat(file).then((s) => s.size, () => 0);
  if (size + chunk.length <= max) {
    await writeFile(file, chunk, { flag: "a", mode: 0o600 });
    return;
  }
  const keep = Math.floor(max / 2);
  const tail = chunk.length >= keep ? chunk.subarray(chunk.length - keep) : Buffer.concat([await readLogTail(file, keep - chunk.length), chunk]);
  // writeFileAtomic: a temp file of a random name, created exclusively (two readers draining at once, vm logs beside
  // a readiness check, never rename each other's, and a link planted at a guessable temp name is never written
  // through), then renamed over the log.
  await writeFileAtomic(file, tail, "replace");
}

/**
 * Moves what the VM in `dir` printed since the last drain into its serial.log. Does nothing (no error) when no
 * QEMU answers on the VM's QMP socket: a stopped VM's log is already on disk.
 */
export async function drainSerial(dir: string, timeoutMs = 5000): Promise<void> {
  const data = await qmpQuery(join(dir, FILES.qmp), {
    execute: "ringbuf-read", arguments: { device: SERIAL_CHARDEV, size: SERIAL_RING_BYTES, format: "base64" },
  }, timeoutMs).catch(() => undefined);
  if (typeof data !== "string" || data === "") return;
  await appendCapped(join(dir, FILES.serialLog), Buffer.from(data, "base64"));
}
