// Runs `trustnet vm ...` through the provisioner's yargs command module, capturing stdout.
import yargs from "yargs";
import { makeVmCommand } from "../../provisioner/src/cli/vm-command.ts";

export async function runVmCli(argv: readonly string[]): Promise<string> {
  let out = "";
  const cmd = makeVmCommand({
    out: (t) => void (out += t),
    err: (t) => void process.stderr.write(t),
    deps: () => { throw new Error("this test drives no command that needs deps"); },
  });
  await yargs([...argv]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
  return out;
}
