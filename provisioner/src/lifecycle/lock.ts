/**
 * One holder at a time, across processes: an O_EXCL-style lock file holding "<pid> <boot id>"; stale locks (a dead
 * holder, another boot) are taken over. One `trustnet vm` mutation at a time (`vms/.lock`, refused when held), and one
 * download of a cached image (`<image>.lock`, waited for: `vm up` and the provider daemon share the cache).
 */
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { LockedError } from "../errors.ts";
import { currentBootId, pidAlive } from "./proc.ts";

export interface LockOptions {
  /** How long to wait for a live holder before LockedError (default 0: refuse at once). */
  readonly waitMs?: number;
  readonly pollMs?: number;
  /** Who holds it, for LockedError's message (default: another 'trustnet vm' command). */
  readonly what?: string;
}

export async function withLock<T>(file: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  const boot = await currentBootId();
  const deadline = Date.now() + (opts.waitMs ?? 0);
  // Written first, then linked into place: the lock never exists without its holder (an empty one read as stale).
  const mine = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(mine, `${process.pid} ${boot}\n`, { mode: 0o600, flag: "wx" }); // exclusive: never through a planted file
  try {
    for (;;) {
      try {
        await link(mine, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const [pidText, holderBoot] = (await readFile(file, "utf8").catch(() => "")).trim().split(/\s+/);
        const pid = Number(pidText);
        if (Number.isInteger(pid) && pid > 0 && holderBoot === boot && pidAlive(pid)) {
          if (Date.now() >= deadline) throw new LockedError(file, pid, opts.what);
          await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
          continue;
        }
        await rm(file, { force: true });
      }
    }
  } finally {
    await rm(mine, { force: true });
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}
