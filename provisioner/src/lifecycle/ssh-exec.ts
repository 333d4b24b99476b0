/** SSH into a VM with ssh2, accepting only the pinned host key. */
import ssh2 from "ssh2";
import { ProvisionError } from "../errors.ts";
import { blobFromPublicLine } from "../ssh/keys.ts";

export interface SshTarget {
  readonly port: number;
  readonly user: string;
  readonly privateKey: string;
  /** The pinned host key ("ssh-ed25519 AAAA..."). */
  readonly hostKey: string;
}

export interface SshResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Host-key mismatches are not retried: they mean the wrong machine (or a man in the middle). */
export class HostKeyMismatchError extends ProvisionError {
  override readonly name: string = "HostKeyMismatchError";
}

/** The host's private key cannot be used (passphrase-protected, unparseable): retrying will not help. */
export class ClientKeyError extends ProvisionError {
  override readonly name: string = "ClientKeyError";
}

/** Why ssh2 cannot log in with this private key (e.g. "Encrypted private OpenSSH key detected, but no passphrase given"), or undefined. */
export function clientKeyProblem(privateKey: string): string | undefined {
  const k = ssh2.utils.parseKey(privateKey);
  return k instanceof Error ? k.message : undefined;
}

export const CLIENT_KEY_HINT =
  "the VMs are checked over SSH without an agent, so the key must be unencrypted: pass another key's .pub with --ssh-key, or omit --ssh-key to use a generated one";

/** Connects (handshake with the pinned key), runs `command`, returns its exit code and output. */
export async function sshExec(t: SshTarget, command: string, opts: { readonly readyTimeoutMs?: number; readonly execTimeoutMs?: number } = {}): Promise<SshResult> {
  const pinned = blobFromPublicLine(t.hostKey);
  if (pinned === undefined) throw new ProvisionError(`the pinned host key is not an OpenSSH public key: ${t.hostKey.slice(0, 40)}`);
  const keyProblem = clientKeyProblem(t.privateKey);
  if (keyProblem !== undefined) throw new ClientKeyError(`cannot log in to 127.0.0.1:${t.port} with this private key: ${keyProblem}`, CLIENT_KEY_HINT);
  const conn = new ssh2.Client();
  let mismatch = false;
  return new Promise<SshResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.end();
      reject(new ProvisionError(`ssh command timed out: ${command}`));
    }, opts.execTimeoutMs ?? 600_000);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      reject(mismatch ? new HostKeyMismatchError(`host key of 127.0.0.1:${t.port} does not match the pinned key`, "the VM was recreated or another machine answers on this port") : e);
    };
    conn.on("error", fail);
    conn.on("ready", () => {
      conn.exec(command, (err, stream) => {
        if (err) return fail(err);
        let stdout = "";
        let stderr = "";
        stream.on("data", (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        stream.on("close", (code: number | null) => {
          clearTimeout(timer);
          conn.end();
          resolve({ code: code ?? 255, stdout, stderr });
        });
      });
    });
    // A synchronous throw (bad options) must not leave the timer holding the process open.
    try {
      conn.connect({
        host: "127.0.0.1",
        port: t.port,
        username: t.user,
        privateKey: t.privateKey,
        readyTimeout: opts.readyTimeoutMs ?? 10_000,
        hostVerifier: (key: Buffer) => {
          const ok = key.equals(pinned);
          if (!ok) mismatch = true;
          return ok;
        },
      });
    } catch (e) {
      fail(e as Error);
    }
  });
}
