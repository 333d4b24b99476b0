import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "./base-application.ts";
import { ABCI_METHODS, callMethod, dispatchRequest, encodeResponse, METHOD_KEYS, requestKeys } from "./dispatch.ts";

const PROTO_NAMES = [
  "Echo", "Flush", "Info", "InitChain", "Query", "CheckTx", "Commit", "ListSnapshots", "OfferSnapshot",
  "LoadSnapshotChunk", "ApplySnapshotChunk", "PrepareProposal", "ProcessProposal", "ExtendVote",
  "VerifyVoteExtension", "FinalizeBlock",
];

describe("method table", () => {
  test("has exactly the 16 ABCI 2.0 methods, each answering into the Response oneof of the same key", async () => {
    assert.deepEqual([...METHOD_KEYS.map((k) => ABCI_METHODS[k].name)].sort(), [...PROTO_NAMES].sort());
    const app = new BaseApplication();
    for (const key of METHOD_KEYS) {
      // an all-defaults request of this method, through the codec round trip
      const req = Request.decode(Request.encode(Request.fromPartial({ [key]: {} } as Partial<Request>)).finish());
      assert.deepEqual(requestKeys(req), [key]);
      const result = await dispatchRequest(app, req);
      assert.ok(result.ok, `${key}: ${result.ok ? "" : result.error}`);
      const decoded = Response.decode(encodeResponse(result.response).bytes);
      assert.notEqual(decoded[key], undefined, `${key} answered into its oneof`);
      assert.equal(decoded.exception, undefined);
    }
  });

  test("echo echoes and flush answers {}", async () => {
    const app = new BaseApplication();
    const echo = await dispatchRequest(app, Request.fromPartial({ echo: { message: "ping" } }));
    assert.ok(echo.ok);
    assert.deepEqual(echo.response.echo, { message: "ping" });
    const flush = await dispatchRequest(app, Request.fromPartial({ flush: {} }));
    assert.ok(flush.ok);
    assert.deepEqual(Response.encode(flush.response).finish(), Uint8Array.of(0x1a, 0x00));
  });
});

describe("dispatch errors", () => {
  test("a request with two methods set is refused", async () => {
    const r = await dispatchRequest(new BaseApplication(), Request.fromPartial({ echo: { message: "" }, flush: {} }));
    assert.equal(r.ok, false);
    assert.match(r.ok ? "" : r.error, /sets 2 methods \(echo, flush\)/);
  });

  test("a rejected promise and a non-object answer: Commit stays an error, the others become their refusal", async () => {
    class Bad extends BaseApplication {
      override commit(): Promise<never> { return Promise.reject(new Error("disk full")); }
      override extendVote(): never { return 42 as never; }
      override info(): never { return { lastBlockHeight: "not a number" } as never; }
    }
    const app = new Bad();
    const c = await callMethod(app, "commit", {});
    assert.deepEqual(c.ok ? undefined : c.error, "Commit failed: disk full");
    const e = await callMethod(app, "extendVote", Request.fromPartial({ extendVote: {} }).extendVote as never);
    assert.ok(e.ok && e.recovered);
    assert.match(e.recovered.error, /ExtendVote handler returned number/);
    assert.deepEqual(e.response.extendVote?.voteExtension, new Uint8Array());
    const i = await callMethod(app, "info", Request.fromPartial({ info: {} }).info as never);
    assert.ok(i.ok && i.recovered);
    assert.match(i.recovered.error, /^Info failed: /);
  });

  test("no method but InitChain, FinalizeBlock and Commit answers an exception when the app throws", async () => {
    const boom = (): never => { throw new TypeError("boom"); };
    const app = new BaseApplication();
    for (const k of METHOD_KEYS) (app as unknown as Record<string, unknown>)[k] = boom;
    const halting = new Set(["initChain", "finalizeBlock", "commit"]);
    for (const k of METHOD_KEYS) {
      if (k === "echo" || k === "flush") continue;
      const r = await callMethod(app, k, Request.fromPartial({ [k]: {} } as never)[k] as never);
      if (halting.has(k)) {
        assert.ok(!r.ok, `${k} must halt`);
        continue;
      }
      assert.ok(r.ok && r.recovered, `${k} answers a refusal`);
      assert.match(r.recovered.error, /boom/);
      assert.ok(encodeResponse(r.response).error === undefined, `${k}: the refusal encodes`);
    }
    const q = await callMethod(app, "query", Request.fromPartial({ query: {} }).query as never);
    assert.ok(q.ok);
    assert.deepEqual([q.response.query?.code, q.response.query?.codespace], [1, "sdk"]);
    assert.match(q.response.query?.log ?? "", /internal error: Query failed: boom/);
    const t = await callMethod(app, "checkTx", Request.fromPartial({ checkTx: {} }).checkTx as never);
    assert.ok(t.ok);
    assert.equal(t.response.checkTx?.code, 1);
  });

  test("an undefined answer is treated as an empty response, not as a missing oneof", async () => {
    class Quiet extends BaseApplication {
      override query(): never { return undefined as never; }
    }
    const r = await callMethod(new Quiet(), "query", Request.fromPartial({ query: {} }).query as never);
    assert.ok(r.ok);
    assert.equal(r.response.query?.code, 0);
  });

  test("an unencodable response is replaced by an exception that says why", () => {
    const resp = Response.fromPartial({ finalizeBlock: {} });
    (resp.finalizeBlock as { txResults: unknown[] }).txResults = [null];
    const out = encodeResponse(resp);
    assert.match(out.error ?? "", /cannot encode the FinalizeBlock response/);
    assert.match(Response.decode(out.bytes).exception?.error ?? "", /cannot encode the FinalizeBlock response/);
  });
});
