/**
 * One holder at a time, across processes: an O_EXCL-style lock file holding "<pid> <boot id>"; stale locks (a dead
 * holder, another boot) are taken over. One `trustnet vm` mutation at a time (`vms/.lock`, refused when held), and one
 * download of a cached image (`<image>.lock`, waited for: `vm up` and the provider daemon share the cache).
 */
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { LockedError } from "../errors.ts";
import { currentBootId, pidAlive, sameBoot } from "./proc.ts";

export interface LockOptions {
  /** How long to wait for a live holder before LockedError (default 0: refuse at once). */
  readonly waitMs?: number;
  readonly pollMs?: number;
  /** Who holds it, for LockedError's message (default: another 'trustnet vm' command). */
  readonly what?: string;
}

/** The live holder's pid in a lock's text ("<pid> <boot id>"), or undefined when it is stale (gone, another boot, unreadable). */
function holderOf(text: string, boot: string): number | undefined {
  const [pidText, holderBoot] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  return Number.isInteger(pid) && pid > 0 && holderBoot !== undefined && sameBoot(holderBoot, boot) && pidAlive(pid) ? pid : undefined;
}

/**
 * Removes the stale lock `file` (`stale`: the text it held when read) unless another waiter has taken it since. Several
 * waiters see the same stale lock: an unguarded `rm` by a late one removed the lock an early one had just taken, and
 * both held it. The removal is done under `<file>.break` (taken the same way, by linking `mine`), after reading the
 * lock again. A breaker that died at it (its holder gone) is removed, and the waiters try again.
 */
async function breakStale(file: string, stale: string, mine: string, boot: string): Promise<void> {
  const breaker = `${file}.break`;
  try {
    await link(mine, breaker);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    const text = await readFile(breaker, "utf8").catch(() => undefined);
    if (text !== undefined && holderOf(text, boot) === undefined) await rm(breaker, { force: true });
    else await new Promise((r) => setTimeout(r, 5)); // another waiter is breaking it
    return;
  }
  try {
    if ((await readFile(file, "utf8").catch(() => undefined)) === stale) await rm(file, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
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
        const text = await readFile(file, "utf8").catch(() => "");
        const pid = holderOf(text, boot);
        if (pid !== undefined) {
          if (Date.now() >= deadline) throw new LockedError(file, pid, opts.what);
          await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
          continue;
        }
        await breakStale(file, text, mine, boot);
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
