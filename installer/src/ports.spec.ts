import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { connect, type Socket } from "node:net";
import { commandUsesHome, describePortInUse, describePortsInUse, ephemeralPortRange, isPortFree, portsInUse } from "./ports.ts";

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

  test("a process belongs to a home when its command line names the home as a path or an argument, not a longer name", () => {
    const home = "/home/u/.trustnet";
    assert.ok(commandUsesHome("node /home/u/.trustnet/app/abci-app/src/main.ts --home /home/u/.trustnet/devnet/node0", home));
    assert.ok(commandUsesHome("cometbft start --home /home/u/.trustnet", home));
    assert.ok(commandUsesHome("trustnet registry serve --home=/home/u/.trustnet", home));
    assert.ok(!commandUsesHome("node /home/u/.trustnet2/app/cli/bin/trustnet.js devnet start --home /home/u/.trustnet2", home), "another home whose name starts the same");
    assert.ok(!commandUsesHome("cometbft start --home /srv/home/u/.trustnet", home), "a path that only ends the same");
    assert.ok(!commandUsesHome(undefined, home));
    assert.ok(commandUsesHome("node /home/u/my net/app/x.js", "/home/u/my net"), "spaces in the home");
  });

  test("the ports one process holds are named in one clause (a devnet holds seven), each holder once", () => {
    const cometbft = { pid: 7, command: "cometbft start --home /h/devnet/node0/cometbft" };
    const app = { pid: 8, command: "node abci-app/src/main.ts" };
    assert.equal(
      describePortsInUse([{ port: 26656, ...cometbft }, { port: 26657, ...cometbft }, { port: 26658, ...app }, { port: 26660, ...cometbft }, { port: 8000, pid: undefined, command: undefined }]),
      "ports 26656, 26657, 26660 are already in use by pid 7 (cometbft start --home /h/devnet/node0/cometbft); port 26658 is already in use by pid 8 (node abci-app/src/main.ts); " +
        "port 8000 is already in use (the owning process is not visible to this user)",
    );
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
