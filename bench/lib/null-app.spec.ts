import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { connect } from "node:http2";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  RequestCheckTx, RequestFinalizeBlock, ResponseCheckTx, ResponseFinalizeBlock,
} from "cosmjs-types/tendermint/abci/types";
import { AbciSocketClient, serveAbci, silentLogger } from "../../abci-app/src/abci/index.ts";
import { sendMsg, signTx, testKey } from "../../abci-app/src/app/testing/tx-builder.ts";
import { waitFor } from "../../cli/src/devnet/process-util.ts";
import { NULL_APP_HASH, NullApplication } from "./null-app.ts";
import { NULL_APP_MAIN } from "./null-chain.ts";

/** A cosmjs-signed MsgSend, as the send-vs-sdk load generator sends them. */
async function signedSends(n: number): Promise<Uint8Array[]> {
  const [a, b] = await Promise.all([testKey(1), testKey(2)]);
  return Promise.all(Array.from({ length: n }, (_, s) =>
    signTx(a, [sendMsg(a.address, b.address, "1")], { chainId: "trustnet-local-1", accountNumber: 0n, sequence: BigInt(s), gas: 100_000n, fee: [{ denom: "utrust", amount: "2500" }] })));
}

/** One unary gRPC call over raw HTTP/2: a length-prefixed protobuf message each way, status in the trailers. */
async function grpcUnary(address: string, method: string, body: Uint8Array): Promise<{ status: string | undefined; message: Buffer }> {
  const session = connect(`http://${address}`);
  try {
    const req = session.request({ ":method": "POST", ":path": `/tendermint.abci.ABCI/${method}`, "content-type": "application/grpc", te: "trailers" });
    const frame = Buffer.alloc(5 + body.length);
    frame.writeUInt32BE(body.length, 1);
    frame.set(body, 5);
    req.end(frame);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    const status = await new Promise<string | undefined>((resolve, reject) => {
      req.once("trailers", (t) => resolve(t["grpc-status"] as string | undefined));
      req.once("error", reject);
    });
    await new Promise((r) => req.once("close", r));
    const all = Buffer.concat(chunks);
    assert.ok(all.length >= 5, "a length-prefixed response message");
    return { status, message: all.subarray(5, 5 + all.readUInt32BE(1)) };
  } finally {
    session.close();
  }
}

describe("null app (send-vs-sdk's CometBFT-only ceiling)", () => {
  test("socket: CheckTx accepts a signed send with no gas; FinalizeBlock answers code 0 per tx and the constant app hash", async () => {
    const server = await serveAbci({ app: new NullApplication(), address: "tcp://127.0.0.1:0", transport: "socket", logger: silentLogger });
    const client = await AbciSocketClient.connect(server.address);
    try {
      const txs = await signedSends(3);
      const [check, recheck] = await client.call({ checkTx: { tx: txs[0]!, type: 0 } }, { checkTx: { tx: txs[1]!, type: 1 } });
      assert.equal(check!.checkTx?.code, 0);
      assert.equal(check!.checkTx?.gasWanted, 0n);
      assert.equal(recheck!.checkTx?.code, 0);
      const [fin, commit] = await client.call({ finalizeBlock: RequestFinalizeBlock.fromPartial({ height: 1n, txs }) }, { commit: {} });
      assert.deepEqual(fin!.finalizeBlock?.txResults.map((r) => r.code), [0, 0, 0]);
      assert.deepEqual(fin!.finalizeBlock?.appHash, NULL_APP_HASH);
      assert.ok(commit!.commit, "Commit answered");
      const [empty] = await client.call({ finalizeBlock: RequestFinalizeBlock.fromPartial({ height: 2n, txs: [] }) });
      assert.deepEqual(empty!.finalizeBlock?.txResults, []);
      assert.deepEqual(empty!.finalizeBlock?.appHash, NULL_APP_HASH, "the same app hash at every height");
    } finally {
      client.destroy();
      await server.close();
    }
  });

  test("gRPC: the same answers over the wire CometBFT's gRPC client uses", async () => {
    const server = await serveAbci({ app: new NullApplication(), address: "tcp://127.0.0.1:0", transport: "grpc", logger: silentLogger });
    try {
      const txs = await signedSends(2);
      const check = await grpcUnary(server.address, "CheckTx", RequestCheckTx.encode({ tx: txs[0]!, type: 0 }).finish());
      assert.equal(check.status, "0");
      const c = ResponseCheckTx.decode(check.message);
      assert.equal(c.code, 0);
      assert.equal(c.gasWanted, 0n);
      const fin = await grpcUnary(server.address, "FinalizeBlock", RequestFinalizeBlock.encode(RequestFinalizeBlock.fromPartial({ height: 1n, txs })).finish());
      assert.equal(fin.status, "0");
      const f = ResponseFinalizeBlock.decode(fin.message);
      assert.deepEqual(f.txResults.map((r) => r.code), [0, 0]);
      assert.deepEqual(f.appHash, NULL_APP_HASH);
    } finally {
      await server.close();
    }
  });

  test("the process serves on the given transport, logs its address, and exits 0 on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "null-app-spec-"));
    const logFile = join(dir, "null-app.log");
    const child = spawn(process.execPath, [NULL_APP_MAIN, "--address", "tcp://127.0.0.1:0", "--transport", "socket", "--log-file", logFile], { stdio: "ignore" });
    try {
      const address = (): string | undefined => {
        try {
          return /serving socket on (\S+)/.exec(readFileSync(logFile, "utf8"))?.[1];
        } catch {
          return undefined;
        }
      };
      assert.ok(await waitFor(() => address() !== undefined, 20_000, 50), "the log names the bound address");
      const client = await AbciSocketClient.connect(address()!);
      try {
        const [check] = await client.call({ checkTx: { tx: (await signedSends(1))[0]!, type: 0 } });
        assert.equal(check!.checkTx?.code, 0);
      } finally {
        client.destroy();
      }
      const exit = new Promise<number | null>((r) => child.once("exit", r));
      child.kill("SIGTERM");
      assert.equal(await exit, 0);
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("PrepareProposal takes the txs as they come, up to what one 4 MiB gRPC answer holds", () => {
    const app = new NullApplication();
    const small = Array.from({ length: 50 }, () => new Uint8Array(300));
    assert.equal(app.prepareProposal({ txs: small, maxTxBytes: 22_020_096n } as never).txs, small, "the same array, untouched");
    const big = Array.from({ length: 60 }, () => new Uint8Array(100_000));
    const taken = app.prepareProposal({ txs: big, maxTxBytes: 22_020_096n } as never).txs;
    assert.ok(taken.length >= 40 && taken.length < 42, `${taken.length} of 60 txs of 100 KB`);
  });

  test("the process refuses a bad transport", async () => {
    const dir = mkdtempSync(join(tmpdir(), "null-app-spec-"));
    try {
      const child = spawn(process.execPath, [NULL_APP_MAIN, "--address", "tcp://127.0.0.1:0", "--transport", "carrier-pigeon", "--log-file", join(dir, "l")], { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (c: Buffer) => { err += c.toString(); });
      const code = await new Promise<number | null>((r) => child.once("exit", r));
      assert.notEqual(code, 0);
      assert.match(err, /--transport must be grpc or socket/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
