import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { describePortInUse, isPortFree, portsInUse } from "./ports.ts";

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
});
