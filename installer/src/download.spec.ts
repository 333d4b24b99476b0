import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { downloadFile } from "./download.ts";
import { ChecksumError, DiskFullError, TruncatedDownloadError, UnexpectedContentError, UnreachableError } from "./errors.ts";
import { checksFor, parsePinsFile } from "./pins.ts";
import { COMETBFT_VERSION, NODE_VERSION, PINS } from "./versions.ts";

/** Blocks the event loop: a terminal that is slow to draw, or a busy host. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* busy */ }
}

describe("downloader: a server that closes right after the body (nodejs/undici#5360)", () => {
  const body = randomBytes(512 * 1024);
  let server: Server;
  let url = "";
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-dl-undici-"));
    // HTTP/1.0 style: no keep-alive, the whole body and then FIN at once.
    server = createServer((sock) => {
      sock.once("data", () => {
        sock.write(`HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n`);
        sock.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address();
    assert.ok(addr !== null && typeof addr === "object");
    url = `http://127.0.0.1:${addr.port}/cometbft.tar.gz`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  test("a slow consumer (a terminal that stalls 300 ms on its first redraws) still gets the whole file", async () => {
    const dest = join(dir, "cometbft.tar.gz");
    let redraws = 0;
    const slowTerminal = { isTTY: true, columns: 80, write: (): boolean => (redraws++ < 3 && stall(300), true) };
    await downloadFile(url, dest, { progress: slowTerminal });
    assert.ok(readFileSync(dest).equals(body), "the file on disk is the served body");
    assert.deepEqual((await readdir(dir)).sort(), ["cometbft.tar.gz"], "no temp file left behind");
  });
});

// ---- bad inputs, resumption and pins, against a local mirror serving files built here ----------------------------

interface Served {
  readonly body?: Buffer | string;
  readonly status?: number;
  readonly headers?: Record<string, string | number>;
  /** Send this many bytes of the body (with the full Content-Length), then drop the connection. */
  readonly cutAt?: number;
  /** Answer Range requests with 206. */
  readonly ranges?: boolean;
  /** Send the headers, then nothing. */
  readonly stall?: boolean;
  /** No Content-Length: the body's size is known only by counting it. */
  readonly chunked?: boolean;
}

describe("downloader: bad mirrors, resumption, pins", () => {
  const big = randomBytes(3 * 1024 * 1024 + 123);
  const routes = new Map<string, (n: number) => Served>();
  const seen: { path: string; range: string | undefined }[] = [];
  let server: HttpServer;
  let base = "";
  let dir = "";
  const quick = { retries: 2, backoffMs: 10, log: (): void => undefined, progress: undefined } as const;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-dl-bad-"));
    const count = new Map<string, number>();
    server = createHttpServer((req, res) => {
      const path = req.url ?? "/";
      seen.push({ path, range: req.headers.range });
      const n = (count.get(path) ?? 0) + 1;
      count.set(path, n);
      const route = routes.get(path);
      if (route === undefined) return void res.writeHead(404).end("not found\n");
      const s = route(n);
      if (s.stall === true) return void res.writeHead(200, { "content-length": 10 }).flushHeaders();
      const body = typeof s.body === "string" ? Buffer.from(s.body) : (s.body ?? Buffer.alloc(0));
      const m = s.ranges === true ? /^bytes=(\d+)-$/.exec(req.headers.range ?? "") : null;
      const start = m === null ? 0 : Number(m[1]);
      const part = body.subarray(start);
      res.writeHead(s.status ?? (m === null ? 200 : 206), {
        "content-type": "application/octet-stream",
        ...(s.chunked === true ? {} : { "content-length": part.length }),
        ...(m === null ? {} : { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` }),
        ...s.headers,
      });
      if (s.cutAt !== undefined) return void res.write(part.subarray(0, s.cutAt), () => res.socket?.destroy());
      res.end(part);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address();
    assert.ok(addr !== null && typeof addr === "object");
    base = `http://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  const fresh = async (): Promise<string> => mkdtemp(join(dir, "case-"));
  const sha = (b: Buffer, a: "sha256" | "sha512" = "sha256"): string => createHash(a).update(b).digest("hex");

  test("200 with an HTML error page: a clear error, nothing on disk", async () => {
    routes.set("/html/app.tar.gz", () => ({ body: "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", headers: { "content-type": "text/html; charset=utf-8" } }));
    routes.set("/html-untyped/app.tar.gz", () => ({ body: "<html><head><title>Error</title></head></html>" }));
    for (const p of ["/html/app.tar.gz", "/html-untyped/app.tar.gz"]) {
      const d = await fresh();
      await assert.rejects(downloadFile(`${base}${p}`, join(d, "app.tar.gz"), quick), (e: unknown) => {
        assert.ok(e instanceof UnexpectedContentError, String(e));
        assert.match(e.message, /answered 200 with an HTML page/);
        assert.match(e.hint ?? "", /error page instead of the file/);
        return true;
      });
      assert.deepEqual(await readdir(d), [], `${p}: no file and no .part`);
    }
  });

  test("a truncated file (correct Content-Length, then the connection closes): retried, then a clear error, nothing on disk", async () => {
    routes.set("/trunc/app.tar.gz", () => ({ body: big, cutAt: 100_000 }));
    const d = await fresh();
    seen.length = 0;
    await assert.rejects(downloadFile(`${base}/trunc/app.tar.gz`, join(d, "app.tar.gz"), quick), (e: unknown) => {
      assert.ok(e instanceof TruncatedDownloadError, String(e));
      assert.match(e.message, /app\.tar\.gz .*(cut short after|truncated: got) \d+/);
      return true;
    });
    assert.equal(seen.filter((s) => s.path === "/trunc/app.tar.gz").length, 3, "first attempt + 2 retries");
    assert.deepEqual(await readdir(d), []);
  });

  test("resume with Range: a connection dropped mid-file is continued from where it stopped, and the result verifies", async () => {
    routes.set("/resume/img.qcow2", (n) => ({ body: big, ranges: true, ...(n === 1 ? { cutAt: 1024 * 1024 } : {}) }));
    const d = await fresh();
    seen.length = 0;
    const notes: string[] = [];
    const r = await downloadFile(`${base}/resume/img.qcow2`, join(d, "img.qcow2"), { ...quick, log: (l) => notes.push(l), expected: [{ algorithm: "sha512", hex: sha(big, "sha512"), source: "test" }] });
    const asked = seen.filter((s) => s.path === "/resume/img.qcow2");
    assert.equal(asked.length, 2);
    assert.equal(asked[0]?.range, undefined);
    assert.match(asked[1]?.range ?? "", /^bytes=\d+-$/);
    const from = Number(/\d+/.exec(asked[1]?.range ?? "")?.[0]);
    assert.ok(from > 0 && from <= 1024 * 1024, `resumed at ${from}`);
    assert.ok(r.fetched < big.length + 256 * 1024, `not fetched again from the start (${r.fetched} bytes for ${big.length})`);
    assert.ok(readFileSync(join(d, "img.qcow2")).equals(big));
    assert.ok(notes.some((l) => /resuming img\.qcow2/.test(l)), notes.join("\n"));
    assert.deepEqual(await readdir(d), ["img.qcow2"]);
  });

  test("a server that ignores Range (200 again) is downloaded from the start, not appended", async () => {
    routes.set("/norange/f.bin", (n) => ({ body: big, ...(n === 1 ? { cutAt: 500_000 } : {}) }));
    const d = await fresh();
    await downloadFile(`${base}/norange/f.bin`, join(d, "f.bin"), { ...quick, expected: [{ algorithm: "sha256", hex: sha(big), source: "test" }] });
    assert.ok(readFileSync(join(d, "f.bin")).equals(big));
  });

  test("a redirect loop and too many redirects: refused at once with the chain, nothing on disk", async () => {
    routes.set("/loop/a", () => ({ status: 302, headers: { location: "/loop/b" } }));
    routes.set("/loop/b", () => ({ status: 301, headers: { location: `${base}/loop/a` } }));
    for (let i = 0; i < 8; i++) routes.set(`/hop/${i}`, () => ({ status: 307, headers: { location: `/hop/${i + 1}` } }));
    const d = await fresh();
    seen.length = 0;
    await assert.rejects(downloadFile(`${base}/loop/a`, join(d, "a"), quick), (e: unknown) => {
      assert.ok(e instanceof UnreachableError, String(e));
      assert.match(e.message, /redirects in a loop: .*\/loop\/a -> .*\/loop\/b -> .*\/loop\/a/);
      return true;
    });
    assert.equal(seen.length, 2, "no retries of a loop");
    await assert.rejects(downloadFile(`${base}/hop/0`, join(d, "h"), quick), /redirected more than 5 times/);
    assert.deepEqual(await readdir(d), []);
  });

  test("a file larger than maxBytes: refused when announced, stopped by the byte count when not; named with its URL and cap, nothing on disk", async () => {
    routes.set("/announced/node.tar.gz", () => ({ body: big }));
    routes.set("/unannounced/node.tar.gz", () => ({ body: big, chunked: true }));
    const cap = { ...quick, maxBytes: 1024 * 1024 };
    for (const [p, said] of [["/announced/node.tar.gz", `announces ${big.length} bytes, more than the 1 MiB allowed for node.tar.gz`], ["/unannounced/node.tar.gz", "sent more than the 1 MiB allowed for node.tar.gz; the download was stopped"]] as const) {
      const d = await fresh();
      seen.length = 0;
      await assert.rejects(downloadFile(`${base}${p}`, join(d, "node.tar.gz"), cap), (e: unknown) => {
        assert.ok(e instanceof UnexpectedContentError, String(e));
        assert.ok(e.message.startsWith(`${base}${p} ${said}`), e.message);
        assert.match(e.hint ?? "", /the mirror is broken or hostile/u);
        return true;
      });
      assert.deepEqual(await readdir(d), [], `${p}: no file and no .part`);
      assert.equal(seen.length, 1, `${p}: not retried`);
    }
    // At the cap exactly, the file is fine.
    const d = await fresh();
    await downloadFile(`${base}/unannounced/node.tar.gz`, join(d, "node.tar.gz"), { ...quick, maxBytes: big.length });
    assert.ok(readFileSync(join(d, "node.tar.gz")).equals(big));
  });

  test("HTTP 503 is retried with backoff; HTTP 404 is not", async () => {
    routes.set("/flaky/f", (n) => (n < 3 ? { status: 503, body: "busy" } : { body: big }));
    const d = await fresh();
    const notes: string[] = [];
    await downloadFile(`${base}/flaky/f`, join(d, "f"), { ...quick, log: (l) => notes.push(l) });
    assert.ok(readFileSync(join(d, "f")).equals(big));
    assert.equal(notes.filter((l) => /answered HTTP 503.*retrying f in/.test(l)).length, 2, notes.join("\n"));
    seen.length = 0;
    await assert.rejects(downloadFile(`${base}/missing`, join(d, "m"), quick), (e: unknown) => e instanceof UnreachableError && /answered HTTP 404/.test(e.message));
    assert.equal(seen.length, 1);
  });

  test("a server that sends the headers and then nothing times out (and is retried)", async () => {
    routes.set("/stall/f", () => ({ stall: true }));
    const d = await fresh();
    seen.length = 0;
    await assert.rejects(downloadFile(`${base}/stall/f`, join(d, "f"), { ...quick, retries: 1, idleTimeoutMs: 300 }), (e: unknown) => e instanceof TruncatedDownloadError && /no data from 127\.0\.0\.1:\d+ for 0\.3 s/.test(e.message));
    assert.equal(seen.length, 2);
    assert.deepEqual(await readdir(d), []);
  });

  test("a full disk during the download (a 1 MiB tmpfs): a clear error, the partial file removed", async () => {
    const mnt = await fresh();
    const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tn-dl-full", mnt], { encoding: "utf8" });
    assert.equal(r.status, 0, `mount -t tmpfs needs root (the test suite runs as root): ${r.stderr}`);
    try {
      routes.set("/full/img.qcow2", () => ({ body: big }));
      await assert.rejects(downloadFile(`${base}/full/img.qcow2`, join(mnt, "img.qcow2"), { ...quick, keepPartial: true }), (e: unknown) => {
        assert.ok(e instanceof DiskFullError, String(e));
        assert.match(e.message, /the disk is full: writing .*img\.qcow2\.part failed after \d+ bytes \(.*ENOSPC.*\); the partial file was deleted and nothing was installed/);
        assert.match(e.hint ?? "", /free some space/);
        return true;
      });
      assert.deepEqual(await readdir(mnt), [], "not even the .part (a full disk is not resumable)");
    } finally {
      spawnSync("umount", [mnt]);
    }
  });

  test("every pinned artefact: a file that differs from the pin is refused with both hashes and their sources, even when the mirror's checksum agrees", async () => {
    const pinned = Object.entries(PINS).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== null);
    assert.ok(pinned.length >= 10, "Node x4, npm packages x3, Alpine x2, Ubuntu x2");
    for (const [name, pin] of pinned) {
      const file = name.replace(/[@/]/g, "_");
      const served = randomBytes(200_000);
      routes.set(`/pins/${file}`, () => ({ body: served }));
      const d = await fresh();
      const mirrorSays = { algorithm: pin.algorithm, hex: sha(served, pin.algorithm), source: "SHASUMS from the test mirror" };
      const checks = checksFor(name, mirrorSays, { env: {}, log: () => undefined });
      assert.equal(checks.length, 2, `${name}: the pin and the mirror`);
      await assert.rejects(downloadFile(`${base}/pins/${file}`, join(d, file), { ...quick, expected: checks }), (e: unknown) => {
        assert.ok(e instanceof ChecksumError, `${name}: ${String(e)}`);
        assert.ok(e.message.includes(`expected ${pin.algorithm}:${pin.hex} (pinned in installer/src/versions.ts, as published in ${pin.publishedIn})`), e.message);
        assert.ok(e.message.includes(`got ${pin.algorithm}:${mirrorSays.hex} (the file downloaded from ${base}/pins/${file})`), e.message);
        return true;
      });
      assert.deepEqual(await readdir(d), [], `${name}: no partial file`);
    }
  });

  test("a changed byte in a pinned artefact fails with both hashes, however the mirror's checksum file was edited", async () => {
    const good = randomBytes(300_000);
    const bad = Buffer.from(good);
    bad[12345] = (bad[12345] ?? 0) ^ 0x01;
    const pinsFile = join(dir, "pins.txt");
    writeFileSync(pinsFile, `${sha(good)}  node-v${NODE_VERSION}-linux-x64.tar.gz\n`);
    routes.set("/changed/node.tar.gz", () => ({ body: bad }));
    const d = await fresh();
    const checks = checksFor(`node-v${NODE_VERSION}-linux-x64.tar.gz`, { algorithm: "sha256", hex: sha(bad), source: "SHASUMS256.txt from the mirror" }, { env: { TRUSTNET_PINS_FILE: pinsFile }, log: () => undefined });
    await assert.rejects(downloadFile(`${base}/changed/node.tar.gz`, join(d, "node.tar.gz"), { ...quick, expected: checks }), (e: unknown) => {
      assert.ok(e instanceof ChecksumError);
      assert.equal(e.expected?.hex, sha(good));
      assert.equal(e.actual, sha(bad));
      assert.ok(e.message.includes(`expected sha256:${sha(good)} (TRUSTNET_PINS_FILE=${pinsFile})`), e.message);
      assert.ok(e.message.includes(`got sha256:${sha(bad)}`), e.message);
      return true;
    });
    assert.deepEqual(await readdir(d), []);
  });

  test("pins: a missing pin warns (or is refused under TRUSTNET_REQUIRE_PINS=1); a malformed pins file is an error", () => {
    const notes: string[] = [];
    const mirror = { algorithm: "sha256" as const, hex: "ab".repeat(32), source: "SHA256SUMS at http://mirror" };
    assert.deepEqual(checksFor(`cometbft_${COMETBFT_VERSION}_linux_amd64.tar.gz`, mirror, { env: {}, log: (l) => notes.push(l) }), [mirror]);
    assert.match(notes.join("\n"), /warning: no pinned hash for cometbft_0\.38\.25_linux_amd64\.tar\.gz .*no published hash has been pinned.*only SHA256SUMS at http:\/\/mirror checks it/);
    assert.throws(() => checksFor("cometbft_0.38.24_linux_amd64.tar.gz", mirror, { env: { TRUSTNET_REQUIRE_PINS: "1" }, log: () => undefined }), (e: unknown) => e instanceof ChecksumError && /not the pinned version.*TRUSTNET_REQUIRE_PINS=1/.test(e.message));
    assert.throws(() => parsePinsFile("nothex  file\n", "/p"), /\/p:1 is not/);
    assert.equal(parsePinsFile(`${"AB".repeat(64)} *f.img\n# c\n`, "/p").get("f.img")?.algorithm, "sha512");
  });
});
