/**
 * `trustnet lease ssh`: the system's OpenSSH with the lease VM's host key pinned from the chain. The key line the
 * provider published (MsgLeaseReady.hostPublicKey) must hash to the on-chain fingerprint; it is written into a
 * known_hosts file of its own and ssh runs with StrictHostKeyChecking=yes, so any other key is refused.
 */
import { fingerprintOfBlob, LEASE_USER } from "@trustnet/provisioner";
import { CliError } from "../errors.ts";

export interface ReadyLease {
  readonly id: string;
  readonly sshHost: string;
  readonly sshPort: number;
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
}

/** "[host]:port type base64" after checking that the published key matches the fingerprint. */
export function knownHostsLine(l: ReadyLease): string {
  const m = /^(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa)\s+([A-Za-z0-9+/]+=*)(?:\s|$)/u.exec(l.hostPublicKey.trim());
  if (m?.[1] === undefined || m[2] === undefined) throw new CliError(`lease ${l.id}: the provider published no usable host key`, { hint: "the host key cannot be pinned; ask the provider, or close the lease" });
  const fp = fingerprintOfBlob(Buffer.from(m[2], "base64"));
  if (fp !== l.hostKeyFingerprint) throw new CliError(`lease ${l.id}: the published host key (${fp}) does not match the on-chain fingerprint ${l.hostKeyFingerprint}`);
  const host = l.sshPort === 22 ? l.sshHost : `[${l.sshHost}]:${l.sshPort}`;
  return `${host} ${m[1]} ${m[2]}`;
}

export function leaseSshArgs(l: ReadyLease, knownHostsFile: string, opts: { readonly identity?: string | undefined; readonly user?: string | undefined; readonly command: readonly string[] }): string[] {
  return [
    "-o", `UserKnownHostsFile=${knownHostsFile}`, "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no",
    ...(opts.identity !== undefined ? ["-o", "IdentitiesOnly=yes", "-i", opts.identity] : []),
    "-p", String(l.sshPort), `${opts.user ?? LEASE_USER}@${l.sshHost}`,
    ...(opts.command.length > 0 ? ["--", ...opts.command] : []),
  ];
}
