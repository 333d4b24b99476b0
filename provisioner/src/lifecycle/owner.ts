/**
 * Reading a VM's console drains QEMU's ring into its serial.log (serial-log.ts): a write. Run by another user than
 * the one who owns the state (`sudo trustnet provider lease-logs 7`, as root), it created serial.log, or a rewrite of
 * it past its cap, owned by that user, 0600: the provider daemon (or `vm logs` as the owner) could no longer append
 * to it, and what it drained from the ring was lost. Such a command is refused instead, before it reads anything.
 */
import { readFile, stat } from "node:fs/promises";
import { NotOwnerError } from "../errors.ts";

/** The user name of `uid` from /etc/passwd, else `#<uid>` (which sudo -u takes too). */
export async function userName(uid: number, passwd = "/etc/passwd"): Promise<string> {
  const text = await readFile(passwd, "utf8").catch(() => "");
  const name = text.split("\n").map((l) => l.split(":")).find((f) => f.length >= 3 && f[2] === String(uid))?.[0];
  return name !== undefined && /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/u.test(name) ? name : `#${uid}`;
}

/**
 * Refuses (NotOwnerError) when this process's effective uid is not the owner of `dir` (a state directory the command
 * would write into); a missing `dir` passes (the command's own "not found" follows). `euid` is process.geteuid()
 * (undefined where there is none: Windows), a parameter for tests.
 */
export async function requireStateOwner(dir: string, command: string, euid: number | undefined = process.geteuid?.()): Promise<void> {
  if (euid === undefined) return;
  const owner = await stat(dir).then((s) => s.uid, () => undefined);
  if (owner === undefined || owner === euid) return;
  const name = await userName(owner);
  throw new NotOwnerError(
    `${dir} belongs to ${name} (uid ${owner}), not to this user (uid ${euid}): '${command}' would leave files there that their owner cannot write`,
    `run it as ${name}, with the same arguments: sudo -u ${name.startsWith("#") ? `'${name}'` : name} trustnet ${command} …`,
  );
}
