// The QMP client against real unix sockets: QEMU's greeting and answers, and sockets that are not QMP.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ProvisionError } from "../errors.ts";
import { qmpExecute } from "./qmp.ts";

async function serve(path: string, onConnect: (s: Socket) => void): Promise<() => Promise<void>> {
  const server = createServer(onConnect);
  await new Promise<void>((r) => server.listen(path, r));
  return () => new Promise<void>((r) => server.close(() => r()));
}

test("QMP: greeting, qmp_capabilities, then the commands in order", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-qmp-"));
  const got: string[] = [];
  const close = await serve(join(dir, "qmp.sock"), (s) => {
    s.write('{"QMP": {"version": {}, "capabilities": []}}\r\n');
    s.on("data", (d) => {
      for (const line of d.toString().split("\n").filter((l) => l !== "")) {
        got.push((JSON.parse(line) as { execute: string }).execute);
        s.write('{"return": {}}\r\n');
      }
    });
  });
  try {
    await qmpExecute(join(dir, "qmp.sock"), ["system_powerdown"]);
    assert.deepEqual(got, ["qmp_capabilities", "system_powerdown"]);
  } finally {
    await close();
    await rm(dir, { recursive: true, force: true });
  }
});

// A socket that answers with something else used to throw inside the data listener: an uncaught exception that ended
// the CLI process; one that closed at once counted as a power-down sent.
test("QMP: a socket that is not QMP, or closes before greeting, is a clear error (the process lives on)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-qmp-"));
  const garbage = await serve(join(dir, "garbage.sock"), (s) => void s.write("SSH-2.0-OpenSSH_9.2\r\n"));
  const hangup = await serve(join(dir, "hangup.sock"), (s) => void s.end());
  try {
    await assert.rejects(qmpExecute(join(dir, "garbage.sock"), ["system_powerdown"], 2000), (e: unknown) => e instanceof ProvisionError && /garbage\.sock does not speak QMP: "SSH-2\.0-OpenSSH_9\.2"/.test(e.message));
    await assert.rejects(qmpExecute(join(dir, "hangup.sock"), ["system_powerdown"], 2000), (e: unknown) => e instanceof ProvisionError && /closed before its greeting/.test(e.message));
  } finally {
    await garbage();
    await hangup();
    await rm(dir, { recursive: true, force: true });
  }
});
