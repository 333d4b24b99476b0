// Every ABCI method but InitChain, FinalizeBlock and Commit, driven with garbage and edge-case requests through the
// real servers (socket and the native gRPC one) into the real app: each gets an answer (a code, a refusal, an empty
// list), never an exception or a gRPC error, which would stop CometBFT; the app logs no internal error; its
// committed state does not move; and the servers keep serving the next good request.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { credentials, makeGenericClientConstructor, type Client } from "@grpc/grpc-js";
import type { Request } from "cosmjs-types/tendermint/abci/types";
import { ABCI_METHODS, type MethodKey } from "../abci/dispatch.ts";
import { encodeUvarint } from "../abci/framing.ts";
import { abciServiceDefinition } from "../abci/grpc-server.ts";
import { grpcCall } from "../abci/grpc-test-call.ts";
import { serveAbci } from "../abci/server.ts";
import type { AbciServer } from "../abci/server-types.ts";
import { AbciSocketClient } from "../abci/socket-client.ts";
import type { AbciLogger } from "../abci/logger.ts";
import { Rng } from "../fuzz/stream.ts";
import { StateStore } from "../store/index.ts";
import { TrustNetApp, type AppLogger } from "./trustnet-app.ts";

const MAX_I64 = 2n ** 63n - 1n;
const MIN_I64 = -(2n ** 63n);
const rng = new Rng(2612);
const junk = (n: number): Uint8Array => rng.bytes(n);
const NO_TIME = undefined as never;
const T = { seconds: 1_700_000_100n, nanos: 0 };
const commitInfo = { round: 0, votes: [] };
/** `n` start-group tags of field 23 (wire type 3, unknown everywhere): a decoder that recurses into groups overflows. */
const groups = (n: number): Uint8Array => Uint8Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? 0xbb : 0x01));

/** [method key, what the request tries, the request] */
const CASES: readonly (readonly [MethodKey, string, unknown])[] = [
  ["info", "empty", {}],
  ["info", "odd versions", { version: "\u0000💥".repeat(1000), blockVersion: MAX_I64, p2pVersion: 2n ** 64n - 1n, abciVersion: "9.9.9" }],
  ["query", "unknown path", { path: "/nope.v1.Query/Nothing", data: junk(40) }],
  ["query", "empty path", { path: "", data: new Uint8Array() }],
  ["query", "a 100 KB path", { path: `/${"x".repeat(100_000)}`, data: new Uint8Array() }],
  ["query", "a height far ahead", { path: "/cosmos.bank.v1beta1.Query/TotalSupply", data: new Uint8Array(), height: MAX_I64 }],
  ["query", "a negative height", { path: "/cosmos.bank.v1beta1.Query/TotalSupply", data: new Uint8Array(), height: -1n }],
  ["query", "the lowest height", { path: "/cosmos.auth.v1beta1.Query/Params", data: new Uint8Array(), height: MIN_I64 }],
  ["query", "garbage data, prove", { path: "/cosmos.bank.v1beta1.Query/Balance", data: junk(300), prove: true }],
  ["query", "a 1 MB simulate of garbage", { path: "/cosmos.tx.v1beta1.Service/Simulate", data: junk(1_000_000) }],
  ["query", "store path", { path: "/store/bank/key", data: junk(20), prove: true }],
  ["query", "app path", { path: "app/simulate", data: junk(20) }],
  ["checkTx", "an empty tx", { tx: new Uint8Array(), type: 0 }],
  ["checkTx", "garbage", { tx: junk(200), type: 0 }],
  ["checkTx", "garbage on RECHECK", { tx: junk(200), type: 1 }],
  ["checkTx", "an unknown CheckTxType", { tx: junk(50), type: 77 }],
  ["checkTx", "a 2 MB tx", { tx: junk(2_000_000), type: 0 }],
  ["checkTx", "a TxRaw of empty fields", { tx: Uint8Array.of(0x0a, 0x00, 0x12, 0x00, 0x1a, 0x00), type: 0 }],
  ["checkTx", "deeply nested length prefixes", { tx: Uint8Array.from(Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? 0x0a : 0x7f))), type: 0 }],
  ["checkTx", "200,000 nested protobuf groups", { tx: groups(200_000), type: 0 }],
  ["query", "200,000 nested protobuf groups", { path: "/cosmos.bank.v1beta1.Query/Balance", data: groups(200_000) }],
  ["query", "nested groups to Simulate", { path: "/cosmos.tx.v1beta1.Service/Simulate", data: groups(200_000) }],
  ["prepareProposal", "a tx of nested groups", { txs: [groups(200_000)], maxTxBytes: 1_000_000n, height: 2n, time: T }],
  ["processProposal", "a tx of nested groups", { txs: [groups(200_000)], height: 2n, time: T }],
  ["prepareProposal", "garbage txs", { txs: [junk(10), new Uint8Array(), junk(5000)], maxTxBytes: 1_000_000n, height: 2n, time: T, localLastCommit: commitInfo }],
  ["prepareProposal", "no time", { txs: [junk(10)], maxTxBytes: 1_000_000n, height: 2n, time: NO_TIME }],
  ["prepareProposal", "a negative max_tx_bytes", { txs: [junk(10)], maxTxBytes: -5n, height: MAX_I64, time: T }],
  ["prepareProposal", "a huge height and time", { txs: [junk(10)], maxTxBytes: MAX_I64, height: MAX_I64, time: { seconds: MAX_I64, nanos: 2 ** 31 - 1 } }],
  ["prepareProposal", "a negative time", { txs: [], maxTxBytes: 100n, height: -3n, time: { seconds: MIN_I64, nanos: -1 } }],
  ["processProposal", "garbage txs", { txs: [junk(10), junk(1)], height: 2n, time: T, hash: junk(32), proposedLastCommit: commitInfo }],
  ["processProposal", "no time, height 0", { txs: [junk(10)], height: 0n, time: NO_TIME }],
  ["processProposal", "the same tx twice", { txs: [Uint8Array.of(1), Uint8Array.of(1)], height: 2n, time: T }],
  ["extendVote", "garbage", { hash: junk(7), height: -1n, time: NO_TIME, txs: [junk(3)] }],
  ["verifyVoteExtension", "garbage", { hash: junk(7), validatorAddress: junk(3), height: MAX_I64, voteExtension: junk(1000) }],
  ["listSnapshots", "plain", {}],
  ["offerSnapshot", "a garbage snapshot", { snapshot: { height: MAX_I64, format: 2 ** 32 - 1, chunks: 2 ** 32 - 1, hash: junk(5), metadata: junk(100) }, appHash: junk(3) }],
  ["offerSnapshot", "no snapshot", {}],
  ["loadSnapshotChunk", "a chunk that does not exist", { height: MAX_I64, format: 1, chunk: 2 ** 32 - 1 }],
  ["applySnapshotChunk", "a garbage chunk", { index: 5, chunk: junk(10_000), sender: "x" }],
];

/** An app at height 1 (InitChain, one empty block, Commit) whose error logs are collected. */
function startedApp(errors: string[]): TrustNetApp {
  const logger: AppLogger = { info() {}, warn() {}, error(o, msg) { errors.push(`app: ${msg ?? ""} ${JSON.stringify(o).slice(0, 300)}`); } };
  const app = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-hostile-")), "state.db")), logger });
  app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "trustnet-local-1", consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, validators: [], appStateBytes: new TextEncoder().encode("{}"), initialHeight: 1n });
  app.finalizeBlock({ txs: [], height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: commitInfo });
  app.commit();
  return app;
}

function transportLogger(errors: string[]): AbciLogger {
  return { info() {}, warn() {}, error(o, msg) { errors.push(`transport: ${typeof o === "string" ? o : msg ?? ""}`); } };
}

describe("hostile requests to every method but InitChain/FinalizeBlock/Commit, through the real servers", () => {
  const errors: string[] = [];
  let app: TrustNetApp;
  let socketServer: AbciServer;
  let grpcServer: AbciServer;
  let socket: AbciSocketClient;
  let grpc: Client;
  let infoBefore: { lastBlockHeight?: bigint; lastBlockAppHash?: Uint8Array };
  before(async () => {
    app = startedApp(errors);
    infoBefore = app.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" });
    // maxConnections above the 200 connections one test leaves idle mid-frame (the default is 64).
    socketServer = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "socket", logger: transportLogger(errors), maxConnections: 256 });
    grpcServer = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "native", logger: transportLogger(errors) });
    socket = await AbciSocketClient.connect(socketServer.address);
    const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
    grpc = new Ctor(grpcServer.address, credentials.createInsecure(), { "grpc.max_receive_message_length": -1, "grpc.max_send_message_length": -1 });
  });
  after(async () => {
    socket.destroy();
    grpc.close();
    await socketServer.close();
    await grpcServer.close();
  });

  test("socket: each gets its own method's answer, never an exception", async () => {
    for (const [key, what, req] of CASES) {
      const [res, flush] = await socket.call({ [key]: req } as Partial<Request>);
      assert.equal(res?.exception, undefined, `${key} (${what}): ${res?.exception?.error ?? ""}`);
      assert.notEqual(res?.[key], undefined, `${key} (${what}) answered with its own method`);
      assert.notEqual(flush?.flush, undefined);
    }
    assert.deepEqual(errors, []);
  });

  test("native gRPC: each gets an OK answer, never a gRPC error", async () => {
    for (const [key, what, req] of CASES) {
      const { name, request } = ABCI_METHODS[key];
      const full = (request as unknown as { fromPartial(r: unknown): unknown }).fromPartial(req);
      await assert.doesNotReject(grpcCall(grpc, name, full), `${name} (${what})`);
    }
    assert.deepEqual(errors, []);
  });

  test("socket: hostile bytes close only their own connection; 200 connections idle mid-frame; a good client keeps working", async () => {
    const [host, port] = socketServer.address.slice("tcp://".length).split(":");
    const open = async (): Promise<Socket> => {
      const s = connect(Number(port), host);
      s.on("error", () => undefined);
      s.resume(); // read (and drop) what the server sends, so its FIN is seen
      await new Promise((r) => s.once("connect", r));
      return s;
    };
    const closed = (s: Socket): Promise<void> => new Promise((r) => { if (s.destroyed) r(); else s.once("close", () => r()); });
    const hostile: readonly (readonly [string, Buffer])[] = [
      ["nested groups", Buffer.concat([encodeUvarint(200_000), groups(100_000)])],
      ["an 11-byte varint", Buffer.alloc(11, 0xff)],
      ["a length of 2^40", Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x20])],
      ["a 10-byte varint past 64 bits", Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])],
      ["an undecodable body", Buffer.from([0x03, 0xff, 0xff, 0xff])],
    ];
    const idle = await Promise.all(Array.from({ length: 200 }, async () => {
      const s = await open();
      s.write(Buffer.from([0x80, 0x80, 0x04, 0x0a])); // a 65,536-byte frame, one byte of it sent
      return s;
    }));
    for (const [what, bytes] of hostile) {
      const s = await open();
      s.write(bytes);
      await Promise.race([closed(s), new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: not closed`)), 5000))]);
      const [echo] = await socket.call({ echo: { message: `after ${what}` } });
      assert.equal(echo?.echo?.message, `after ${what}`);
    }
    const [info] = await socket.call({ info: { version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" } });
    assert.equal(info?.info?.lastBlockHeight, infoBefore.lastBlockHeight);
    for (const s of idle) s.destroy();
    const malformed = errors.filter((e) => /closing this connection/.test(e));
    assert.equal(malformed.length, hostile.length, errors.join("\n"));
    errors.length = 0;
  });

  test("Query and CheckTx refuse with a code, and the committed state did not move", async () => {
    const [q] = await socket.call({ query: { path: "/nope", data: new Uint8Array(), height: -1n, prove: false } });
    assert.ok((q?.query?.code ?? 0) > 1, `query code ${q?.query?.code}: ${q?.query?.log}`);
    const [c] = await socket.call({ checkTx: { tx: junk(64), type: 0 } });
    assert.ok((c?.checkTx?.code ?? 0) > 1, `checkTx code ${c?.checkTx?.code}: ${c?.checkTx?.log}`);
    const [info] = await socket.call({ info: { version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" } });
    assert.equal(info?.info?.lastBlockHeight, infoBefore.lastBlockHeight);
    assert.deepEqual(info?.info?.lastBlockAppHash, infoBefore.lastBlockAppHash);
    assert.deepEqual(errors, []);
  });
});
