/** One `trustnet vm` mutation at a time: an O_EXCL lock file holding "<pid> <boot id>"; stale locks are taken over. */
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { LockedError } from "../errors.ts";
import { currentBootId, pidAlive } from "./proc.ts";

export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  const boot = await currentBootId();
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(file, "wx", 0o600);
      await fh.writeFile(`${process.pid} ${boot}\n`);
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      const [pidText, holderBoot] = (await readFile(file, "utf8").catch(() => "")).trim().split(/\s+/);
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && holderBoot === boot && pidAlive(pid)) throw new LockedError(file, pid);
      await rm(file, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}
