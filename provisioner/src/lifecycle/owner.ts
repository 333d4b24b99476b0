/**
 * Commands that write into state another user owns, run as that other user (sudo, as root), left files the owner
 * cannot write. Reading a VM's console drains QEMU's ring into its serial.log (serial-log.ts): `sudo trustnet provider
 * lease-logs 7` created serial.log, or a rewrite of it past its cap, owned by root, 0600, and the provider daemon could
 * no longer append to it (what it drained from the ring was lost). `vm start` wrote the pidfile and start/stop
 * scripts as root and ran QEMU as root (its QMP socket root's); `vm stop` drained serial.log; `vm up` / `vm create`
 * wrote the VM directories, network.json, the cache and the SSH key; `vm import-validator-state` replaced the signing
 * state with a root-owned 0600 file. Such a command is refused instead, before it reads or writes anything.
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
    `${dir} belongs to ${name} (uid ${owner}), not to this user (uid ${euid}): '${command}' runs as its owner only (as this user, the files it writes there, and any QEMU it starts, would be this user's)`,
    `run it as ${name}, with the same arguments: sudo -u ${name.startsWith("#") ? `'${name}'` : name} trustnet ${command} …`,
  );
}
