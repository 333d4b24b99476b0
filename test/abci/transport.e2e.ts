// End-to-end: our ABCI transport behind the REAL CometBFT v0.38 binary, once per transport (socket and gRPC).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AbciSocketClient, serveAbci, type AbciServer, type AbciLogger } from "../../abci-app/src/abci/index.ts";
import { cometbftBinary, cometRpc, latestHeight, startCometbft, type CometbftNode } from "../helpers/cometbft.ts";
import { CounterApp } from "./fixtures/counter-app.ts";

interface BroadcastResult { readonly code: number; readonly hash: string; readonly log: string }
interface TxResult { readonly height: string; readonly tx_result: { readonly code: number } }
interface QueryResult { readonly response: { readonly code: number; readonly value: string | null; readonly height: string; readonly log: string } }

const b64 = (s: string): string => Buffer.from(s).toString("base64");
const hexOf = (s: string): string => Buffer.from(s).toString("hex");

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last error: ${last instanceof Error ? last.message : String(last)})`);
}

const variants = [
  { abci: "socket", unix: false, label: "socket transport over TCP" },
  { abci: "grpc", unix: false, label: "gRPC transport over TCP" },
  { abci: "socket", unix: true, label: "socket transport over a UNIX socket" },
] as const;

for (const { abci, unix, label } of variants) {
  describe(`ABCI ${label}, with real CometBFT`, () => {
    const app = new CounterApp();
    const errors: string[] = [];
    const logger: AbciLogger = {
      info: () => undefined,
      warn: (o, m) => { errors.push(`${m ?? ""} ${JSON.stringify(o)}`); },
      error: (o, m) => { errors.push(`${m ?? ""} ${JSON.stringify(o)}`); },
    };
    let home = "";
    let server: AbciServer | undefined;
    let node: CometbftNode | undefined;

    before(async () => {
      cometbftBinary(); // fails loudly with install instructions
      home = mkdtempSync(join(tmpdir(), `trustnet-abci-${abci}-`));
      const address = unix ? `unix://${join(home, "abci.sock")}` : "tcp://127.0.0.1:0";
      server = await serveAbci({ app, address, transport: abci, logger });
      node = await startCometbft({ home, proxyApp: server.address, abci });
    });

    after(async () => {
      await node?.stop();
      await server?.close();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    test("blocks advance past height 3", async () => {
      assert.ok(node);
      const h = await node.waitForHeight(4, 30_000);
      assert.ok(h >= 4);
      for (const m of ["info", "initChain", "prepareProposal", "processProposal", "finalizeBlock", "commit"]) {
        assert.ok((app.calls.get(m) ?? 0) > 0, `${m} was never called`);
      }
      assert.ok(app.height >= 3n, `app committed height ${app.height}`);
      assert.deepEqual(errors, []);
    });

    test("a broadcast tx passes CheckTx, is included in a block, and the app state reflects it", async () => {
      assert.ok(node);
      const rpcUrl = node.rpcUrl;
      const tx = `e2e-${abci}-${unix ? "unix" : "tcp"}-${Date.now()}`;
      const sent = await cometRpc<BroadcastResult>(rpcUrl, "broadcast_tx_sync", { tx: b64(tx) });
      assert.equal(sent.code, 0, sent.log);
      assert.ok((app.calls.get("checkTx") ?? 0) > 0);
      const included = await until("tx included", 20_000, async () =>
        cometRpc<TxResult>(rpcUrl, "tx", { hash: Buffer.from(sent.hash, "hex").toString("base64") }));
      assert.equal(included.tx_result.code, 0);
      // the app committed it (commit runs right after the block is saved, so wait for the next block)
      await node.waitForHeight(Number(included.height) + 1, 20_000);
      const seen = await cometRpc<QueryResult>(rpcUrl, "abci_query", { path: "/tx", data: hexOf(tx) });
      assert.equal(seen.response.code, 0, seen.response.log);
      assert.equal(Buffer.from(seen.response.value ?? "", "base64").toString(), "included");
      assert.ok(Number(seen.response.height) >= Number(included.height));
      const count = await cometRpc<QueryResult>(rpcUrl, "abci_query", { path: "/count" });
      assert.equal(Buffer.from(count.response.value ?? "", "base64").readBigUInt64BE(0), 1n);
      const empty = await cometRpc<BroadcastResult>(rpcUrl, "broadcast_tx_sync", { tx: "" }).catch((e: Error) => ({ code: -1, hash: "", log: e.message }));
      assert.notEqual(empty.code, 0, "an empty tx is refused (by CheckTx or by CometBFT)");
      assert.deepEqual(errors, []);
    });
  });
}

describe("ABCI socket transport: restart and failure with real CometBFT", () => {
  const app = new CounterApp();
  const logged: string[] = [];
  const logger: AbciLogger = {
    info: () => undefined,
    warn: (o, m) => { logged.push(`${m ?? ""} ${JSON.stringify(o)}`); },
    error: (o, m) => { logged.push(`${m ?? ""} ${JSON.stringify(o)}`); },
  };
  let home = "";
  let server: AbciServer | undefined;
  const nodes: CometbftNode[] = [];

  before(async () => {
    cometbftBinary();
    home = mkdtempSync(join(tmpdir(), "trustnet-abci-restart-"));
    server = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "socket", logger });
  });

  after(async () => {
    for (const n of nodes) await n.stop();
    await server?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test("CometBFT restarted on the same home resumes after the app's committed height (handshake via Info)", async () => {
    assert.ok(server);
    const first = await startCometbft({ home, proxyApp: server.address, abci: "socket" });
    nodes.push(first);
    await first.waitForHeight(3, 30_000);
    await first.stop();
    const stoppedAt = app.height;
    const infoCalls = app.calls.get("info") ?? 0;
    const second = await startCometbft({ home, proxyApp: server.address, abci: "socket" });
    nodes.push(second);
    const h = await second.waitForHeight(Number(stoppedAt) + 2, 30_000);
    assert.ok(h >= Number(stoppedAt) + 2);
    assert.equal(app.calls.get("initChain"), 1, "InitChain only on the first start");
    assert.ok((app.calls.get("info") ?? 0) > infoCalls, "the restart handshake called Info");
    assert.deepEqual(logged, []);
  });

  test("an app error becomes an exception response: CometBFT stops, the app server stays up", async () => {
    assert.ok(server);
    const node = nodes.at(-1);
    assert.ok(node);
    app.failAtHeight = BigInt(await latestHeight(node.rpcUrl)) + 2n;
    const exited = await Promise.race([node.exited.then(() => true), sleep(30_000, false, { ref: false })]);
    assert.ok(exited, `CometBFT should exit after the exception; log:\n${node.logTail()}`);
    const message = `FinalizeBlock failed: deliberate failure at height ${app.failAtHeight}`;
    assert.ok(logged.some((l) => l.includes(message)), logged.join("\n"));
    // CometBFT received our exception response and reports its text
    assert.match(node.logTail(400), new RegExp(`Stopping abci.socketClient for error: ${message}`));
    const c = await AbciSocketClient.connect(server.address);
    const [echo] = await c.call({ echo: { message: "still serving" } });
    assert.equal(echo?.echo?.message, "still serving");
    c.destroy();
  });
});
