// `node start` with a port of the node already taken (the node started twice, another node or devnet on it): it
// refuses before starting anything, naming the port and its holder, instead of starting CometBFT against whatever
// answers on the ABCI port.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { findCometbft } from "../devnet/cometbft-bin.ts";
import { CliError } from "../errors.ts";
import { currentStateFormat } from "../state-format.ts";
import { type FullNodeManifest, fullNodeLayout } from "./init.ts";
import { runFullNode } from "./run.ts";

const root = mkdtempSync(join(tmpdir(), "trustnet-node-run-spec-"));
after(() => rmSync(root, { recursive: true, force: true }));

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer((c) => c.on("error", () => undefined));
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}
const portOf = (s: Server): number => (s.address() as { port: number }).port;
async function freePort(): Promise<number> {
  const s = await listen();
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

test("node start refuses a node whose ABCI port another process holds, naming it; nothing is started", async () => {
  const taken = await listen();
  let connections = 0;
  taken.on("connection", () => { connections += 1; });
  try {
    const home = join(root, "busy");
    const layout = fullNodeLayout(home);
    mkdirSync(join(layout.cometHome, "config"), { recursive: true });
    mkdirSync(layout.appHome, { recursive: true });
    const manifest: FullNodeManifest = {
      ...currentStateFormat(), chainId: "trustnet-local-1", moniker: "n", nodeId: "a".repeat(40), peer: `${"b".repeat(40)}@127.0.0.1:1`,
      ports: { p2p: await freePort(), rpc: await freePort(), abci: portOf(taken), rest: await freePort() }, transport: "socket",
    };
    writeFileSync(layout.manifest, JSON.stringify(manifest));
    await assert.rejects(runFullNode({ home, cometbft: findCometbft(home), manifest, appArgs: [], log: () => undefined }), (e: unknown) => {
      assert.ok(e instanceof CliError, String(e));
      assert.match(e.message, new RegExp(`port ${portOf(taken)} is already in use by pid ${process.pid} .*Nothing was started`));
      assert.match(e.hint ?? "", /already running/);
      return true;
    });
    assert.equal(existsSync(join(layout.logs, "node-cometbft.log")), false, "CometBFT was not started");
    assert.equal(existsSync(join(layout.logs, "node-app.out")), false, "the app was not started");
    assert.equal(connections, 0, "nothing connected to the other process's port");
  } finally {
    await new Promise((r) => taken.close(r));
  }
});
