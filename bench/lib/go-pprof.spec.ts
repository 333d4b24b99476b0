import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classifySamples, COMET_WORK, parseTraces, pprofPortFor, profileWhile } from "./go-pprof.ts";

/** A stand-in for Go's /debug/pprof/profile: answers window n with "profile-n" after `ms`, or `status` for all. */
async function fakePprof(ms: number, status = 200): Promise<{ base: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const body = status === 200 ? `profile-${n++}` : "cpu profiling already in use";
    setTimeout(() => res.writeHead(status).end(body), ms);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

describe("go-pprof", () => {
  test("profileWhile saves back-to-back windows while the work runs, and waits for the last one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "go-pprof-spec-"));
    const { base, server, requests } = await fakePprof(40);
    try {
      // The work ends once a third window has been asked for (not after a fixed time: on a loaded machine a window
      // can take longer than any fixed share of the work).
      const { result, files } = await profileWhile(base, dir, "chain-a", async () => {
        while (requests.length < 3) await new Promise((r) => setTimeout(r, 5));
        return 7;
      }, 2);
      assert.equal(result, 7);
      assert.ok(files.length >= 3, `several windows (${files.length})`);
      assert.deepEqual(files, files.map((_, i) => join(dir, `chain-a-${i}.pb.gz`)));
      files.forEach((f, i) => assert.equal(readFileSync(f, "utf8"), `profile-${i}`));
      assert.equal(requests.length, files.length, "no window is left running after the work");
      assert.ok(requests.every((u) => u === "/debug/pprof/profile?seconds=2"));
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a refused profile fails the run with the server's answer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "go-pprof-spec-"));
    const { base, server } = await fakePprof(5, 500);
    try {
      await assert.rejects(profileWhile(base, dir, "x", () => new Promise((r) => setTimeout(r, 50))), /HTTP 500 cpu profiling already in use/);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the pprof listener sits next to the chain's metrics port", () => {
    assert.equal(pprofPortFor(26660), 26661);
  });
});

describe("go-pprof: sorting CometBFT's samples", () => {
  // Shaped like `go tool pprof -traces` output: a header, then one block per stack, innermost frame first.
  const traces = [
    "File: cometbft", "Type: cpu", "-----------+-------------------------------------------------------",
    "      20ms   reflect.StructTag.Lookup", "             github.com/cosmos/gogoproto/jsonpb.(*Marshaler).marshalObject",
    "             github.com/cometbft/cometbft/libs/json.Marshal", "             github.com/cometbft/cometbft/rpc/jsonrpc/server.RegisterRPCFuncs.makeJSONRPCHandler.func3",
    "             net/http.(*conn).serve",
    "-----------+-------------------------------------------------------",
    "      1.5s   syscall.Syscall", "             github.com/cometbft/cometbft/mempool.(*CListMempool).CheckTx",
    "             github.com/cometbft/cometbft/rpc/core.(*Environment).BroadcastTxSync", "             net/http.(*conn).serve",
    "-----------+-------------------------------------------------------",
    "      10ms   github.com/syndtr/goleveldb/leveldb.(*Batch).Put", "             github.com/cometbft/cometbft/state/txindex/kv.(*TxIndex).AddBatch",
    "-----------+-------------------------------------------------------",
    "     500us   runtime.futex", "             runtime.mcall",
    "-----------+-------------------------------------------------------",
  ].join("\n");

  test("parseTraces reads each stack's time in any unit, innermost frame first", () => {
    const s = parseTraces(traces);
    assert.deepEqual(s.map((x) => x.seconds), [0.02, 1.5, 0.01, 0.0005]);
    assert.ok(s[0]!.stack.startsWith("reflect.StructTag.Lookup\ngithub.com/cosmos/gogoproto/jsonpb"));
  });

  test("classifySamples: first matching kind of work wins; the rest is other", () => {
    const { total, by } = classifySamples(parseTraces(traces));
    assert.ok(Math.abs(total - 1.5305) < 1e-9, `total ${total}`);
    assert.equal(by.get("RPC: JSON-encoding answers (block_results' events)"), 0.02, "JSON under the RPC handler, not 'RPC: other'");
    assert.equal(by.get("RPC: broadcast_tx_sync → CheckTx"), 1.5);
    assert.equal(by.get("RPC: other (HTTP, request decode)"), 0);
    assert.equal(by.get("kv tx/block indexer"), 0.01);
    assert.equal(by.get("other"), 0.0005);
    assert.equal(by.size, COMET_WORK.length + 1);
  });
});
