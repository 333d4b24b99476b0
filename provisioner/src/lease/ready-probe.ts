/**
 * Lease readiness without the tenant's private key: connect to the VM's forwarded SSH port, check the host key
 * against the one the daemon injected, then offer the tenant's PUBLIC key in a publickey "query" (RFC 4252 §7: a
 * request without a signature). The server answers SSH_MSG_USERAUTH_PK_OK only when that key is authorized for
 * the user, and only then would a client sign. ssh2 asks its agent to sign exactly at that point, so an agent that
 * records the request and refuses to sign proves "sshd is up with our host key and accepts the tenant's key".
 */
import ssh2 from "ssh2";
import { blobFromPublicLine } from "../ssh/keys.ts";
import { fingerprintOfBlob } from "./spec.ts";

export interface ReadyProbeTarget {
  readonly host?: string;
  readonly port: number;
  readonly user: string;
  /** The pinned host key line ("ssh-ed25519 AAAA..."). */
  readonly hostKey: string;
  /** The tenant's public key lines. */
  readonly tenantKeys: readonly string[];
}

export type ReadyProbeResult =
  | { readonly ready: true; readonly acceptedKey: string; readonly hostKeyFingerprint: string }
  | { readonly ready: false; readonly reason: string; readonly hostKeyMismatch: boolean };

class QueryOnlyAgent extends ssh2.BaseAgent<ssh2.ParsedKey> {
  accepted: string | undefined;
  private readonly keys: readonly ssh2.ParsedKey[];
  constructor(keys: readonly ssh2.ParsedKey[]) {
    super();
    this.keys = keys;
  }
  getIdentities(cb: (err: Error | undefined, keys?: ssh2.ParsedKey[]) => void): void {
    cb(undefined, [...this.keys]);
  }
  sign(pubKey: ssh2.ParsedKey, _data: Buffer, ...rest: unknown[]): void {
    this.accepted = fingerprintOfBlob(pubKey.getPublicSSH());
    const cb = rest.find((r): r is (err: Error) => void => typeof r === "function");
    cb?.(new Error("readiness probe: the tenant's key is accepted; the daemon cannot (and does not) sign"));
  }
}

export async function probeLeaseReady(t: ReadyProbeTarget, timeoutMs = 10_000): Promise<ReadyProbeResult> {
  const pinned = blobFromPublicLine(t.hostKey);
  if (pinned === undefined) return { ready: false, reason: "the pinned host key is not an OpenSSH public key", hostKeyMismatch: false };
  const parsed: ssh2.ParsedKey[] = [];
  for (const line of t.tenantKeys) {
    const k = ssh2.utils.parseKey(line.trim());
    if (!(k instanceof Error)) parsed.push(Array.isArray(k) ? (k[0] as ssh2.ParsedKey) : k);
  }
  if (parsed.length === 0) return { ready: false, reason: "none of the tenant's keys can be parsed", hostKeyMismatch: false };
  const agent = new QueryOnlyAgent(parsed);
  const conn = new ssh2.Client();
  let mismatch = false;
  return new Promise<ReadyProbeResult>((resolve) => {
    let done = false;
    const finish = (r: ReadyProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      conn.end();
      resolve(r);
    };
    const verdict = (reason: string): void => {
      if (agent.accepted !== undefined) finish({ ready: true, acceptedKey: agent.accepted, hostKeyFingerprint: fingerprintOfBlob(pinned) });
      else finish({ ready: false, reason: mismatch ? "the VM's host key does not match the injected key" : reason, hostKeyMismatch: mismatch });
    };
    const timer = setTimeout(() => verdict(`no answer within ${timeoutMs} ms`), timeoutMs);
    conn.on("error", (e: Error) => {
      // The agent's refusal to sign surfaces here first; wait for the final "all methods failed" unless accepted.
      if (agent.accepted !== undefined || !/agent|sign/i.test(e.message)) verdict(e.message);
    });
    conn.on("ready", () => verdict("logged in without the tenant's key (the VM accepts no-auth logins)"));
    conn.connect({
      host: t.host ?? "127.0.0.1", port: t.port, username: t.user, agent, authHandler: ["agent"],
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        const ok = key.equals(pinned);
        if (!ok) mismatch = true;
        return ok;
      },
    });
  });
}
