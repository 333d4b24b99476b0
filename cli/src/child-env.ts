// The environment of every process the CLI starts: its own, without the keystore passphrase. A child (the devnet
// supervisor and its nodes, docker login, ssh, cometbft, ps …) has no use for it, and a long-lived one would keep it
// readable in /proc/<pid>/environ for as long as it runs.
import { PASSPHRASE_ENV } from "./keyring/passphrase.ts";

/** Variables no child process gets. */
export const SECRET_ENV: readonly string[] = [PASSPHRASE_ENV];

/** `env` (default: this process's) without SECRET_ENV, plus `extra`. */
export function childEnv(env: NodeJS.ProcessEnv = process.env, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, ...extra };
  for (const k of SECRET_ENV) delete out[k];
  return out;
}
