// Runs `trustnet vm ...` through the provisioner's yargs command module, capturing stdout.
import yargs from "yargs";
import { makeVmCommand } from "../../provisioner/src/cli/vm-command.ts";
import type { UpDeps } from "../../provisioner/src/cli/vm-up.ts";
import { realShell } from "../../provisioner/src/shell.ts";

/** The dependencies these tests' commands use: the real shell (`vm ssh` runs ssh through it); anything else is a bug. */
const shellOnly = new Proxy({ $: realShell } as Record<PropertyKey, unknown>, {
  get: (deps, key) => {
    if (key in deps) return deps[key];
    throw new Error(`this test drives no command that needs deps.${String(key)}`);
  },
}) as unknown as UpDeps;

export async function runVmCli(argv: readonly string[]): Promise<string> {
  let out = "";
  const cmd = makeVmCommand({
    out: (t) => void (out += t),
    err: (t) => void process.stderr.write(t),
    deps: () => shellOnly,
    consoleText: (t) => t, // the console as printed (the CLI escapes its control characters: terminal-text.ts)
  });
  await yargs([...argv]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
  return out;
}
