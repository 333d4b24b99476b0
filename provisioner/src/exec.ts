/** The one way the provisioner runs programs: injected, so tests can fake it. */
import { execa } from "execa";
import { CommandFailedError, MissingDependencyError } from "./errors.ts";

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion; never throws for a non-zero exit (127 = not installed). */
export type Run = (file: string, args: readonly string[], opts?: { readonly input?: string; readonly cwd?: string; readonly env?: NodeJS.ProcessEnv }) => Promise<ExecResult>;

export const realRun: Run = async (file, args, opts) => {
  const r = await execa(file, [...args], { reject: false, timeout: 600_000, ...(opts?.input !== undefined ? { input: opts.input } : {}), ...(opts?.cwd !== undefined ? { cwd: opts.cwd } : {}), ...(opts?.env !== undefined ? { env: opts.env, extendEnv: false } : {}) });
  const missing = (r as { code?: string }).code === "ENOENT";
  return { exitCode: missing ? 127 : (r.exitCode ?? 1), stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
};

/** Runs and requires exit 0; a missing program becomes MissingDependencyError with `installHint`. */
export async function runChecked(run: Run, file: string, args: readonly string[], installHint: string, opts?: { readonly input?: string; readonly cwd?: string }): Promise<ExecResult> {
  const r = await run(file, args, opts);
  if (r.exitCode === 127) throw new MissingDependencyError(file, `${file} is not installed (or not on PATH)`, installHint);
  if (r.exitCode !== 0) throw new CommandFailedError(`${file} ${args.join(" ")}`, r.exitCode, r.stderr || r.stdout);
  return r;
}
