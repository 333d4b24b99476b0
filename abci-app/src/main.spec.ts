// The real app process over its real socket transport (a UNIX socket: no contract port), fed issue 16's inputs:
// every one is answered with a code on the same connection, and the process keeps serving.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BinaryWriter } from "cosmjs-types/binary";
import { AbciSocketClient } from "./abci/socket-client.ts";
import { appNodeArgv } from "./app-argv.ts";

let home: string;
let app: ChildProcess;
let client: AbciSocketClient;

before(async () => {
  home = mkdtempSync(join(tmpdir(), "tn-main-"));
  const sock = join(home, "abci.sock");
  app = spawn(process.execPath, appNodeArgv(["--home", home, "--address", `unix://${sock}`, "--rest-address", "off"]), { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  await new Promise<void>((resolve, reject) => {
    app.stderr?.on("data", (c: Buffer) => {
      err += c.toString();
      if (err.includes("ABCI app listening")) resolve();
    });
    app.once("exit", (code) => reject(new Error(`app exited (${code}): ${err}`)));
  });
  client = await AbciSocketClient.connect(`unix://${sock}`);
  const [init] = await client.call({ initChain: { chainId: "trustnet-local-1", time: { seconds: 1_700_000_000n, nanos: 0 }, appStateBytes: new TextEncoder().encode("{}"), initialHeight: 1n, validators: [] } });
  assert.equal(init?.exception, undefined);
  const [fb, commit] = await client.call({ finalizeBlock: { height: 1n, txs: [], time: { seconds: 1_700_000_001n, nanos: 0 } } as never }, { commit: {} });
  assert.equal(fb?.exception ?? commit?.exception, undefined);
});

after(() => {
  client?.destroy();
  app?.kill("SIGKILL");
  rmSync(home, { recursive: true, force: true });
});

test("the issue's query, a deep group, a 1 MiB query, prove=true: codes on one live connection, the process keeps serving", async () => {
  const groups = new BinaryWriter();
  for (let i = 0; i < 10_000; i++) groups.uint32((9 << 3) | 3);
  for (let i = 0; i < 10_000; i++) groups.uint32((9 << 3) | 4);
  const deep = groups.finish();
  const rs = await client.call(
    { query: { path: "/cosmos.bank.v1beta1.Query/Balance", data: new Uint8Array(11).fill(0xff), height: 0n, prove: false } },
    { query: { path: "/cosmos.bank.v1beta1.Query/Balance", data: deep, height: 0n, prove: false } },
    { query: { path: "/cosmos.bank.v1beta1.Query/Balance", data: new Uint8Array(1024 * 1024).fill(0x41), height: 0n, prove: false } },
    { query: { path: "/cosmos.bank.v1beta1.Query/TotalSupply", data: new Uint8Array(), height: 0n, prove: true } },
    { query: { path: "/cosmos.bank.v1beta1.Query/TotalSupply", data: new Uint8Array(), height: -5n, prove: false } },
    { checkTx: { tx: Buffer.concat([Uint8Array.of(0x0a, 0x01, 0x00), deep]), type: 0 } },
    { info: {} as never },
  );
  assert.deepEqual(rs.map((r) => r.exception), Array(8).fill(undefined));
  assert.deepEqual(rs.slice(0, 5).map((r) => r.query?.code), [2, 2, 2, 18, 26]);
  assert.equal(rs[5]?.checkTx?.code, 2);
  assert.equal(rs[6]?.info?.lastBlockHeight, 1n);
  assert.equal(app.exitCode, null, "the app process is alive");
});
