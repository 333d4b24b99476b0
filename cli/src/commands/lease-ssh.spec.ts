// `lease ssh <id> [-- command…]`: the remote command reaches ssh whether it follows `--` or not.
import { test } from "node:test";
import assert from "node:assert/strict";
import yargs from "yargs";
import { leaseSshCommand, remoteCommand } from "./lease-ssh.ts";

async function parsed(argv: string[]): Promise<string[]> {
  let got: string[] = [];
  await yargs(argv).command("lease <command>", "", (b) => b.command({ ...leaseSshCommand, handler: (a: never) => void (got = remoteCommand(a)) } as never)).parseAsync();
  return got;
}

test("the words after -- (options included) or after the id are the remote command", async () => {
  assert.deepEqual(await parsed(["lease", "ssh", "3", "--", "free", "-m"]), ["free", "-m"]);
  assert.deepEqual(await parsed(["lease", "ssh", "3", "-i", "key", "--", "nproc"]), ["nproc"]);
  assert.deepEqual(await parsed(["lease", "ssh", "3", "uptime"]), ["uptime"]);
  assert.deepEqual(await parsed(["lease", "ssh", "3"]), []);
});
