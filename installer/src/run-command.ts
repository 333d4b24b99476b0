import { spawn } from "node:child_process";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Called with each line of stderr as it arrives (for long commands such as `go install`). */
  readonly onStderr?: (line: string) => void;
}
/** Runs a program; never throws for a failure to start (code 127) or a non-zero exit. Injected in tests. */
export type Runner = (cmd: string, args: readonly string[], opts?: RunOptions) => Promise<RunResult>;

/** The wallet CLI's keystore passphrase (its PASSPHRASE_ENV): no program run here needs it, so none gets it. */
const SECRET_ENV = "TRUSTNET_KEYRING_PASSPHRASE";

export const runCommand: Runner = (cmd, args, opts = {}) =>
  new Promise((resolve) => {
    const env = { ...(opts.env ?? process.env) };
    delete env[SECRET_ENV];
    const child = spawn(cmd, [...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let pending = "";
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      const s = d.toString();
      stderr += s;
      if (opts.onStderr === undefined) return;
      pending += s;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) opts.onStderr(l);
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: stderr + err.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
