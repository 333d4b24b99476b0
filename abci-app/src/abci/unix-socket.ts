// UNIX socket housekeeping shared by both transports.
import { lstat, unlink } from "node:fs/promises";
import { connect } from "node:net";
import { ListenError } from "./errors.ts";
import { errorMessage } from "./logger.ts";

/** A socket file left by a crashed server blocks listen(); remove it only if nothing answers on it. */
export async function removeStaleSocket(path: string, shown: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (st === undefined) return;
  if (!st.isSocket()) throw new ListenError(shown, new Error(`${path} exists and is not a socket`));
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once("connect", () => { probe.destroy(); resolve(true); });
    probe.once("error", () => { resolve(false); });
  });
  if (alive) throw new ListenError(shown, new Error("another process is serving on this socket"));
  await unlink(path).catch((err: unknown) => { throw new ListenError(shown, new Error(errorMessage(err))); });
}
