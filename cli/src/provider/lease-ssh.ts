/**
 * `trustnet lease ssh`: the system's OpenSSH with the lease VM's host key pinned from the chain. The key line the
 * provider published (MsgLeaseReady.hostPublicKey) must hash to the on-chain fingerprint; it is written into a
 * known_hosts file of its own and ssh runs with StrictHostKeyChecking=yes, so any other key is refused. A lease made
 * ready before MsgLeaseReady required the line has the fingerprint only: `--fetch-host-key` then takes the key the VM
 * offers to ssh-keyscan, but only one that hashes to that fingerprint (never trust on first use).
 */
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { fingerprintOfBlob, LEASE_USER, requireStateOwner, sshOptionPath } from "@trustnet/provisioner";
import { childEnv } from "../child-env.ts";
import { CliError } from "../errors.ts";

export interface ReadyLease {
  readonly id: string;
  readonly sshHost: string;
  readonly sshPort: number;
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
}

const KEY_LINE = /^(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa)\s+([A-Za-z0-9+/]+=*)(?:\s|$)/u;

/**
 * Writes `<home>/lease-ssh/known_hosts-<id>` (the directory 0700) with the lease's pinned line and returns its path.
 * Written whole, 0600 (writeFileAtomic): a symbolic link planted at that path is replaced, never written through.
 * As the home's owner only (requireStateOwner, as `provider run` and the vm commands): run by another user (sudo, as
 * root) it made `lease-ssh/` root's, 0700, and the owner's next `lease ssh` could write no known_hosts there.
 * `euid`: process.geteuid() when absent, another user in specs.
 */
export async function writeLeaseKnownHosts(home: string, l: ReadyLease, euid?: number): Promise<string> {
  const line = knownHostsLine(l);
  const dir = join(home, "lease-ssh");
  for (const d of [home, dir]) await requireStateOwner(d, `lease ssh ${l.id}`, euid);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `known_hosts-${l.id}`);
  await writeFileAtomic(file, `${line}\n`, "replace");
  return file;
}

/** "[host]:port type base64" after checking that the published key matches the fingerprint. */
export function knownHostsLine(l: ReadyLease): string {
  const m = KEY_LINE.exec(l.hostPublicKey.trim());
  if (m?.[1] === undefined || m[2] === undefined) {
    throw new CliError(`lease ${l.id}: the provider published no usable host key, only its fingerprint ${l.hostKeyFingerprint}`, {
      hint: "nothing to pin; 'trustnet lease ssh --fetch-host-key' takes the key the VM offers if it hashes to that fingerprint (or close the lease)",
    });
  }
  const fp = fingerprintOfBlob(Buffer.from(m[2], "base64"));
  if (fp !== l.hostKeyFingerprint) throw new CliError(`lease ${l.id}: the published host key (${fp}) does not match the on-chain fingerprint ${l.hostKeyFingerprint}`);
  const host = l.sshPort === 22 ? l.sshHost : `[${l.sshHost}]:${l.sshPort}`;
  return `${host} ${m[1]} ${m[2]}`;
}

/** A login name ssh can take in `user@host`: a POSIX user name (letters, digits, `_ . -`, never `-` first), ≤ 32 chars. */
const LOGIN_USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/u;

/**
 * `--user` as given, refused unless it is a login name: `-oProxyCommand=…` would reach ssh as an option (it goes before
 * the destination), and `@`, spaces or control characters are no user name on the VM.
 */
export function checkLoginUser(user: string | undefined): void {
  if (user !== undefined && !LOGIN_USER.test(user)) {
    throw new CliError(`--user ${JSON.stringify(user.slice(0, 40))} is not a login name`, { hint: "a user on the VM: letters, digits, _ . -, not starting with - (default: tenant)" });
  }
}

/**
 * ssh's arguments: strict checking against the lease's known_hosts only, the given key only. Both paths go as quoted
 * `-o` values (sshOptionPath, `%` doubled): unquoted, ssh split the known_hosts path at its spaces (a home such as
 * `/srv/my home` ended in "Host key verification failed") and expanded `%` tokens in both.
 */
export function leaseSshArgs(l: ReadyLease, knownHostsFile: string, opts: { readonly identity?: string | undefined; readonly user?: string | undefined; readonly command: readonly string[] }): string[] {
  checkLoginUser(opts.user);
  return [
    "-o", `UserKnownHostsFile=${sshOptionPath(knownHostsFile)}`, "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no",
    ...(opts.identity !== undefined ? ["-o", "IdentitiesOnly=yes", "-o", `IdentityFile=${sshOptionPath(opts.identity)}`] : []),
    "-p", String(l.sshPort), `${opts.user ?? LEASE_USER}@${l.sshHost}`,
    ...(opts.command.length > 0 ? ["--", ...opts.command] : []),
  ];
}

/** ssh-keyscan's arguments for the VM's keys (no hashed names; `--` keeps a host that begins with "-" an operand). */
export function keyscanArgs(l: ReadyLease): string[] {
  return ["-T", "10", "-p", String(l.sshPort), "--", l.sshHost];
}

/**
 * From ssh-keyscan's output ("host type base64" lines, "#" comments), the "type base64" of the key that hashes to the
 * on-chain fingerprint, or undefined: a key the chain did not name is never taken.
 */
export function keyMatchingFingerprint(l: ReadyLease, keyscanOutput: string): string | undefined {
  for (const line of keyscanOutput.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = KEY_LINE.exec(line.trim().split(/\s+/u).slice(1).join(" "));
    if (m?.[1] !== undefined && m[2] !== undefined && fingerprintOfBlob(Buffer.from(m[2], "base64")) === l.hostKeyFingerprint) return `${m[1]} ${m[2]}`;
  }
  return undefined;
}

/** For a lease ready with the fingerprint only: the key the VM offers ssh-keyscan that hashes to it, or a refusal. */
export async function fetchHostKey(l: ReadyLease): Promise<string> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile("ssh-keyscan", keyscanArgs(l), { env: childEnv(), timeout: 30_000, maxBuffer: 1 << 20 }, (e, stdout) => {
      if ((e as NodeJS.ErrnoException | null)?.code === "ENOENT") reject(new CliError(`cannot run ssh-keyscan: ${e?.message ?? ""}`, { hint: "install the OpenSSH client" }));
      else resolve(stdout);
    });
  });
  const key = keyMatchingFingerprint(l, out);
  if (key === undefined) {
    throw new CliError(`lease ${l.id}: ${l.sshHost}:${l.sshPort} offered no host key that hashes to the on-chain fingerprint ${l.hostKeyFingerprint}`, {
      hint: "the VM is down, or that address is not the lease's VM: not connecting. Ask the provider, or close the lease",
    });
  }
  return key;
}
