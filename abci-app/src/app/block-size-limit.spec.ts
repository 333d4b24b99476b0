// A genesis whose blocks could not cross this node's ABCI connection is refused at InitChain, before anything is
// written; the app process's --max-message-bytes is both that limit and its servers' frame limit.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { StateStore } from "../store/index.ts";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../abci/framing.ts";
import { AbciSocketClient } from "../abci/socket-client.ts";
import { appNodeArgv } from "../app-argv.ts";
import { blockMaxBytesProblem, largestBlockMaxBytes, REQUEST_RESERVE_BYTES } from "./block-size-limit.ts";
import { TrustNetApp } from "./trustnet-app.ts";

const MiB = 1 << 20;
const dirs: string[] = [];
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), "tn-blocksize-")); dirs.push(d); return d; };
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const initReq = (maxBytes: bigint) => ({
  time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "trustnet-local-1", validators: [], initialHeight: 1n,
  consensusParams: { block: { maxBytes, maxGas: 100_000_000n } } as never, appStateBytes: new TextEncoder().encode("{}"),
});

describe("blockMaxBytesProblem", () => {
  test("-1 is refused whatever the limit: it hands PrepareProposal the whole mempool", () => {
    assert.match(blockMaxBytesProblem(-1n, DEFAULT_MAX_MESSAGE_BYTES) ?? "", /max_bytes -1 hands PrepareProposal the whole mempool .* 64 MiB.* at most 66060288/);
    assert.match(blockMaxBytesProblem(-1n, 2 ** 31 - 1) ?? "", /max_bytes -1/);
  });
  test("a positive max_bytes must leave the reserve under the limit; the message names the flag value that fits it", () => {
    assert.equal(largestBlockMaxBytes(DEFAULT_MAX_MESSAGE_BYTES), BigInt(64 * MiB - REQUEST_RESERVE_BYTES));
    assert.equal(blockMaxBytesProblem(22_020_096n, DEFAULT_MAX_MESSAGE_BYTES), undefined, "CometBFT's default");
    assert.equal(blockMaxBytesProblem(BigInt(63 * MiB), DEFAULT_MAX_MESSAGE_BYTES), undefined);
    assert.match(blockMaxBytesProblem(BigInt(63 * MiB) + 1n, DEFAULT_MAX_MESSAGE_BYTES) ?? "", /--max-message-bytes 67108865 or more/);
    assert.match(blockMaxBytesProblem(104_857_600n, DEFAULT_MAX_MESSAGE_BYTES) ?? "", /max_bytes 104857600 is more than .* 64 MiB/);
    assert.equal(blockMaxBytesProblem(104_857_600n, 128 * MiB), undefined);
    assert.equal(blockMaxBytesProblem(undefined, DEFAULT_MAX_MESSAGE_BYTES), undefined, "no consensus params: CometBFT's default");
  });
});

describe("InitChain", () => {
  test("refuses max_bytes -1 and a block over the limit, writes nothing, and then takes a genesis that fits", () => {
    const store = StateStore.open(join(tmp(), "state.db"));
    const app = new TrustNetApp({ store });
    assert.throws(() => app.initChain(initReq(-1n)), /genesis consensus_params\.block\.max_bytes -1 hands PrepareProposal the whole mempool/);
    assert.throws(() => app.initChain(initReq(104_857_600n)), /max_bytes 104857600 is more than this node's ABCI message limit of 64 MiB/);
    assert.equal(store.lastHeight, 0n);
    const res = app.initChain(initReq(22_020_096n));
    assert.equal(res.appHash?.length, 32);
    store.close();
  });
  test("the limit is the app's maxMessageBytes option", () => {
    const store = StateStore.open(join(tmp(), "state.db"));
    assert.throws(() => new TrustNetApp({ store, maxMessageBytes: 4 * MiB }).initChain(initReq(22_020_096n)), /22020096 is more than this node's ABCI message limit of 4 MiB can carry \(at most 3145728/);
    assert.equal(new TrustNetApp({ store, maxMessageBytes: 128 * MiB }).initChain(initReq(104_857_600n)).appHash?.length, 32);
    store.close();
  });
});

describe("the app process's --max-message-bytes", () => {
  let app: ChildProcess | undefined;
  after(() => { app?.kill("SIGKILL"); });
  test("caps the server's frames and InitChain's block size alike", async () => {
    const home = tmp();
    const sock = join(home, "abci.sock");
    app = spawn(process.execPath, appNodeArgv(["--home", home, "--address", `unix://${sock}`, "--rest-address", "off", "--max-message-bytes", String(4 * MiB)]), { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    await new Promise<void>((resolve, reject) => {
      app!.stderr?.on("data", (c: Buffer) => { err += c.toString(); if (err.includes("ABCI app listening")) resolve(); });
      app!.once("exit", (code) => reject(new Error(`app exited (${code}): ${err}`)));
    });
    const first = await AbciSocketClient.connect(`unix://${sock}`);
    const [refused] = await first.call({ initChain: initReq(22_020_096n) });
    assert.match(refused?.exception?.error ?? "", /22020096 is more than this node's ABCI message limit of 4 MiB/);
    first.destroy();
    // Frames: 3 MiB is answered, 5 MiB closes the connection (the server's own limit, not the default 64 MiB).
    const small = await AbciSocketClient.connect(`unix://${sock}`);
    const [q] = await small.call({ query: { path: "/cosmos.bank.v1beta1.Query/Balance", data: new Uint8Array(3 * MiB).fill(0x41), height: 0n, prove: false } });
    assert.notEqual(q?.query?.code ?? 0, 0, "a garbage query is answered with a code");
    const big = await AbciSocketClient.connect(`unix://${sock}`);
    await assert.rejects(big.call({ query: { path: "/cosmos.bank.v1beta1.Query/Balance", data: new Uint8Array(5 * MiB).fill(0x41), height: 0n, prove: false } }), /connection closed/);
    small.destroy();
    big.destroy();
  });
});
