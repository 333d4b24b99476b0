// The chain client against a real app (queries through the query router, signed txs through the ante handler) and
// against a real HTTP server standing in for CometBFT's RPC (the keep-alive retry, errors, waitForHeight).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { harness as makeHarness, operator } from "../app/testing/staking.ts";
import { sendMsg, testKey } from "../app/testing/tx-builder.ts";
import {
  AbciQueryError, cometClient, CometRpc, CometRpcError, CometRpcPool, DEFAULT_CHAIN_ID, DEFAULT_GAS_PRICE, DENOM, defaultFee, encodeTxBody, NodeUnreachableError,
  orUndefined, queryClients, signDirect, type AbciQuerier,
} from "./index.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-client-")), "state.db");

async function chain() {
  const alice = await testKey(1);
  const bob = await testKey(2);
  const h = await makeHarness({ dbPath, validators: [await operator(10)], funded: [alice] });
  h.block();
  const query: AbciQuerier = async (path, data) => {
    const r = h.app.query({ path, data, height: 0n, prove: false });
    return { code: r.code ?? 0, codespace: r.codespace ?? "", log: r.log ?? "", value: r.value ?? new Uint8Array(), height: r.height ?? 0n };
  };
  return { h, alice, bob, q: queryClients(query) };
}

describe("typed query clients over abci_query", () => {
  test("auth, bank, staking and registry answer decoded; not found is undefined with orUndefined; a refusal keeps its code", async () => {
    const { alice, q } = await chain();
    const { balance } = await q.bank.Balance({ address: alice.address, denom: DENOM });
    assert.equal(balance?.amount, "100000000000");
    const acc = BaseAccount.decode((await q.auth.Account({ address: alice.address })).account?.value ?? new Uint8Array());
    assert.equal(acc.address, alice.address);
    assert.equal((await q.staking.Validators({ status: "" })).validators.length, 1);
    assert.deepEqual(await q.registry.registries(), []);
    assert.equal(await orUndefined(q.registry.namespace("unclaimed")), undefined);
    await assert.rejects(q.registry.namespace("Not A Name"), (e: unknown) => e instanceof AbciQueryError && e.codespace === "registry" && e.code === 2 && !e.notFound);
    await assert.rejects(orUndefined(q.bank.Balance({ address: "trust1nope", denom: DENOM })), (e: unknown) => e instanceof AbciQueryError && e.codespace === "sdk" && e.code === 7);
  });
});

describe("direct signing", () => {
  test("a tx signed with signDirect and the default fee is accepted; the same tx for another chain id is refused", async () => {
    const { h, alice, bob, q } = await chain();
    assert.equal(DEFAULT_GAS_PRICE, "0.025utrust");
    assert.deepEqual(defaultFee(200_000n), [{ denom: DENOM, amount: "5000" }]);
    const body = encodeTxBody([sendMsg(alice.address, bob.address, "7")]);
    const wrong = await signDirect(alice, body, { chainId: "other-1", accountNumber: 0n, sequence: 0n });
    assert.equal(h.block([wrong]).txResults[0]?.code, 4, "signature over another chain id: unauthorized");
    const tx = await signDirect(alice, body, { chainId: DEFAULT_CHAIN_ID, accountNumber: 0n, sequence: 0n });
    const r = h.block([tx]).txResults[0];
    assert.equal(r?.code, 0, r?.log);
    assert.equal((await q.bank.Balance({ address: bob.address, denom: DENOM })).balance?.amount, "7");
  });
});

/**
 * A stand-in for CometBFT's JSON-RPC: `answer(method, n, params)` for the n-th call (1-based, a batch counts each
 * call); undefined drops the connection, a string is sent as the body as it is. `sockets`: the connections it served.
 */
async function node(answer: (method: string, n: number, params: Record<string, unknown>) => unknown): Promise<{ url: string; server: Server; calls: string[]; sockets: Set<unknown> }> {
  const calls: string[] = [];
  const sockets = new Set<unknown>();
  const server = createServer((req, res) => {
    sockets.add(req.socket);
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { method: string; id: number; params: Record<string, unknown> } | { method: string; id: number; params: Record<string, unknown> }[];
      const replies = (Array.isArray(parsed) ? parsed : [parsed]).map(({ method, id, params }) => {
        calls.push(method);
        const a = answer(method, calls.length, params);
        return typeof a === "object" ? { jsonrpc: "2.0", id, ...a } : a;
      });
      if (replies.includes(undefined)) {
        req.socket.destroy();
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(typeof replies[0] === "string" ? replies[0] : JSON.stringify(Array.isArray(parsed) ? replies : replies[0]));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, calls, sockets };
}

const status = (height: number) => ({ result: { node_info: { network: "trustnet-spec-1", id: "ab", version: "0.38.25" }, sync_info: { latest_block_height: String(height), latest_app_hash: "", catching_up: false } } });

describe("CometRpc", () => {
  test("a connection the node closed is retried; a JSON-RPC error is not, and keeps its code and data", async () => {
    const n = await node((method, i) => (i === 1 ? undefined : method === "status" ? status(5) : { error: { code: -32603, message: "Internal error", data: "tx already exists in cache" } }));
    try {
      const rpc = new CometRpc(`${n.url}/`);
      assert.equal(await rpc.chainId(), "trustnet-spec-1");
      assert.deepEqual(n.calls, ["status", "status"], "the dropped request was sent again");
      await assert.rejects(rpc.broadcastTxSync(Uint8Array.of(1)), (e: unknown) => e instanceof CometRpcError && e.code === -32603 && /already exists in cache/.test(e.data));
      assert.equal(n.calls.length, 3, "a JSON-RPC error is an answer: not retried");
    } finally {
      n.server.close();
    }
  });

  test("a node that never answers is NodeUnreachableError naming the system error", async () => {
    const n = await node(() => undefined);
    const url = n.url;
    await new Promise((r) => n.server.close(r));
    await assert.rejects(new CometRpc(url).call("status"), (e: unknown) => e instanceof NodeUnreachableError && e.reason === "ECONNREFUSED");
  });

  test("waitForHeight polls until the height is reached, and says what it last saw when it is not", async () => {
    const n = await node((_m, i) => status(i));
    try {
      assert.equal(await new CometRpc(n.url).waitForHeight(3, { pollMs: 10 }), 3);
      await assert.rejects(new CometRpc(n.url).waitForHeight(1_000, { timeoutMs: 100, pollMs: 10 }), /height 1000 not reached .* within 100 ms \(last: height \d+\)/);
      await assert.rejects(new CometRpc(n.url).waitForHeight(1_000, { gaveUp: () => true }), /not reached/);
    } finally {
      n.server.close();
    }
  });

  test("cosmjs' Comet38Client over it: a dropped connection is retried, a JSON-RPC error reaches cosmjs as HttpClient reports it", async () => {
    const n = await node((method, i) => (i === 1 ? undefined : method === "health" ? { result: {} } : { error: { code: -32603, message: "Internal error", data: "height 99 must be less than or equal to the current blockchain height 9" } }));
    try {
      const comet = cometClient(n.url);
      await comet.health();
      await assert.rejects(comet.block(99), (e: unknown) => e instanceof Error && JSON.parse(e.message).data.includes("must be less than or equal"));
      assert.deepEqual(n.calls, ["health", "health", "block"]);
    } finally {
      n.server.close();
    }
  });
});

describe("CometRpcPool", () => {
  test("at most `sockets` connections; answers as the node sent them; call and the typed calls throw as CometRpc's do", async () => {
    const n = await node((method) => (method === "status" ? status(7) : method === "junk" ? "<html>413</html>" : { error: { code: -32603, message: "Internal error", data: "boom" } }));
    const pool = new CometRpcPool(n.url, 2);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => pool.answer<{ sync_info: { latest_block_height: string } }>("status")));
      assert.ok(answers.every((a) => a.status === 200 && a.result?.sync_info.latest_block_height === "7"));
      assert.ok(n.sockets.size <= 2, `${n.sockets.size} connections for 20 calls over a pool of 2`);
      assert.equal(await pool.height(), 7, "the typed calls of CometRpc");
      const failed = await pool.answer("tx", { hash: "AA==" });
      assert.deepEqual(failed, { status: 200, error: { code: -32603, message: "Internal error", data: "boom" } });
      await assert.rejects(pool.call("tx"), (e: unknown) => e instanceof CometRpcError && e.code === -32603 && e.data === "boom");
      const junk = await pool.answer("junk");
      assert.match(junk.unreadable ?? "", /HTTP 200, not JSON-RPC .*<html>413/);
      await assert.rejects(pool.call("junk"), NodeUnreachableError);
    } finally {
      pool.close();
      n.server.close();
    }
  });

  test("an idle connection is closed by the pool before the node's idle limit, so no call goes out on one the node is closing", async () => {
    const n = await node((method) => (method === "status" ? status(3) : { error: { code: -32601, message: "Method not found" } }));
    n.server.keepAliveTimeout = 60_000; // the node keeps it open: only the pool may close it here
    const closedAt: number[] = [];
    n.server.on("connection", (s: Socket) => s.on("close", () => closedAt.push(performance.now())));
    const pool = new CometRpcPool(n.url, 1, 30_000, 300);
    try {
      assert.equal(await pool.height(), 3);
      const answered = performance.now();
      await sleep(1_500);
      assert.equal(closedAt.length, 1, "the idle connection was closed by the pool");
      assert.ok(closedAt[0]! - answered < 1_200, `closed ${Math.round(closedAt[0]! - answered)} ms after the answer`);
      assert.equal(await pool.height(), 3, "the next call opens a new connection");
      assert.equal(n.sockets.size, 2);
    } finally {
      pool.close();
      n.server.close();
    }
  });

  test("a call slower than the idle limit is not cut by it (the request's own timeout applies while it runs)", async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => setTimeout(() => res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: status(5).result })), 800));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const pool = new CometRpcPool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 1, 30_000, 300);
    try {
      assert.equal(await pool.height(), 5);
    } finally {
      pool.close();
      server.close();
    }
  });

  test("broadcastBatch sends one batch and answers each tx in order; a node that is gone is NodeUnreachableError", async () => {
    const n = await node((_m, _i, params) => {
      const tx = Buffer.from(String(params.tx), "base64")[0]!;
      return tx === 2 ? { error: { code: -32603, message: "Internal error", data: "tx already exists in cache" } } : { result: { code: tx === 3 ? 5 : 0, log: "", hash: `H${tx}` } };
    });
    const pool = new CometRpcPool(n.url, 1);
    try {
      const answers = await pool.broadcastBatch([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
      assert.deepEqual(answers.map((a) => a.result?.code ?? a.error?.data), [0, "tx already exists in cache", 5]);
      assert.deepEqual(answers.map((a) => a.result?.hash), ["H1", undefined, "H3"]);
      assert.deepEqual((await pool.broadcastBatch([Uint8Array.of(1)]))[0]?.result?.hash, "H1", "a batch of one is a single call");
      assert.equal(n.sockets.size, 1);
    } finally {
      pool.close();
      await new Promise((r) => n.server.close(r));
    }
    const gone = new CometRpcPool(n.url, 1);
    await assert.rejects(gone.answer("status"), (e: unknown) => e instanceof NodeUnreachableError && e.reason === "ECONNREFUSED");
    gone.close();
  });
});
