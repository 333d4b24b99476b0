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

/** Connects (handshake with the pinned key), runs `command`, returns its exit code and output. */
export async function sshExec(t: SshTarget, command: string, opts: { readonly readyTimeoutMs?: number; readonly execTimeoutMs?: number } = {}): Promise<SshResult> {
  const pinned = blobFromPublicLine(t.hostKey);
  if (pinned === undefined) throw new ProvisionError(`the pinned host key is not an OpenSSH public key: ${t.hostKey.slice(0, 40)}`);
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
  });
}
