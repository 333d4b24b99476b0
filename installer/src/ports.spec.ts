import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { connect, type Socket } from "node:net";
import { describePortInUse, ephemeralPortRange, isPortFree, portsInUse } from "./ports.ts";

describe("port checks", () => {
  test("a listener of this process is found with its pid and command; a closed port is free", async () => {
    const srv = createServer((s) => s.destroy());
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as { port: number }).port;
    try {
      assert.equal(await isPortFree(port), false);
      const [taken, ...rest] = await portsInUse([port]);
      assert.deepEqual(rest, []);
      assert.equal(taken?.port, port);
      if (process.platform === "linux") {
        assert.equal(taken?.pid, process.pid);
        assert.match(describePortInUse(taken!), new RegExp(`^port ${port} is already in use by pid ${process.pid} \\(.*node`));
      }
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
    assert.equal(await isPortFree(port), true);
    assert.deepEqual(await portsInUse([port]), []);
  });

  test("an owner the OS hides is still reported", () => {
    assert.equal(describePortInUse({ port: 8000, pid: undefined, command: undefined }), "port 8000 is already in use (the owning process is not visible to this user)");
  });

  test("a port held by a connection (not a listener) is reported as the local end of one, with its state", async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const client: Socket = connect((srv.address() as { port: number }).port, "127.0.0.1");
    await new Promise<void>((r) => client.once("connect", () => r()));
    const local = client.localPort!;
    try {
      const [taken] = await portsInUse([local]);
      assert.equal(taken?.port, local);
      assert.equal(taken?.connectionState, "ESTABLISHED");
      assert.equal(taken?.pid, process.pid);
      assert.match(describePortInUse(taken!), new RegExp(`^port ${local} is already in use as the local end of a connection \\(ESTABLISHED; pid ${process.pid} `));
    } finally {
      client.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  test("the kernel's ephemeral port range is read from ip_local_port_range; unreadable or odd text gives undefined", async () => {
    assert.deepEqual(await ephemeralPortRange(async () => "32768\t60999\n"), { low: 32768, high: 60999 });
    assert.equal(await ephemeralPortRange(async () => "garbage"), undefined);
    assert.equal(await ephemeralPortRange(async () => { throw new Error("ENOENT"); }), undefined);
    if (process.platform === "linux") assert.ok((await ephemeralPortRange())!.low > 1024);
  });
});
