/**
 * The provisioner's one process runner: zx's `$`, handed in as a dependency so tests can fake the spawn
 * (`shell({ spawn: fake })`: the fake receives the command line zx built, e.g. `qemu-img info --output=json '/x'`).
 * Steps read like what a person types: `` await $`qemu-img create -q -f qcow2 -b ${base} ${overlay}` ``.
 */
import { $ as zx, type Options, type ProcessOutput, type ProcessPromise, type Shell } from "zx";
import { CommandFailedError, MissingDependencyError } from "./errors.ts";

export type { Shell } from "zx";

/** The wallet CLI's keystore passphrase (its PASSPHRASE_ENV): no program the provisioner runs (qemu …) gets it. */
const SECRET_ENV = "TRUSTNET_KEYRING_PASSPHRASE";

const hidden = (k: string | symbol): boolean => k === SECRET_ENV;

/** A live view of `env` (later changes show) without the keystore passphrase: what a spawned step receives. */
export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get: (t, k) => (hidden(k) ? undefined : Reflect.get(t, k)),
    has: (t, k) => !hidden(k) && Reflect.has(t, k),
    ownKeys: (t) => Reflect.ownKeys(t).filter((k) => !hidden(k)),
    getOwnPropertyDescriptor: (t, k) => (hidden(k) ? undefined : Reflect.getOwnPropertyDescriptor(t, k)),
  });
}

/**
 * Quiet, never throws for an exit code (callers read `exitCode`; 127: not installed), ten minutes at most per step;
 * the environment is this process's (or `opts.env`) without the keystore passphrase.
 */
export function shell(opts: Partial<Options> = {}): Shell {
  return zx({ nothrow: true, quiet: true, timeout: "10m", ...opts, env: withoutSecrets(opts.env ?? process.env) });
}

/** The real machine's shell. */
export const realShell: Shell = shell();

/** Awaits a step and requires exit 0; exit 127 (command not found) becomes MissingDependencyError with `installHint`. */
export async function checked(step: ProcessPromise, program: string, installHint: string): Promise<ProcessOutput> {
  const r = await step;
  if (r.exitCode === 127) throw new MissingDependencyError(program, `${program} is not installed (or not on PATH)`, installHint);
  if (r.exitCode !== 0) throw new CommandFailedError(step.cmd, r.exitCode ?? 1, r.stderr || r.stdout);
  return r;
}
