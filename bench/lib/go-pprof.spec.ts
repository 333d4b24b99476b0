import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pprofPortFor, profileWhile } from "./go-pprof.ts";

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
      const { result, files } = await profileWhile(base, dir, "chain-a", async () => {
        await new Promise((r) => setTimeout(r, 150));
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
