// The shell's downloader for what precedes Node, `tn_fetch`, has one body in two files: install.sh (a piped install
// is one file and cannot source anything before it has downloaded it) and scripts/lib/node-env.sh (for scripts/run.sh
// and every other caller without the installer). This spec holds them to the same text, and runs it: a real
// download from a local server, and the clear error when neither curl nor wget exists.
import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";

const root = join(import.meta.dirname, "..", "..");

/** The body of `tn_fetch() { … }` in a shell file, without its indentation. */
function tnFetchBody(file: string): string {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const start = lines.findIndex((l) => /tn_fetch\(\) \{$/u.test(l));
  assert.ok(start >= 0, `${file} defines tn_fetch`);
  const indent = /^\s*/u.exec(lines[start] ?? "")?.[0] ?? "";
  const end = lines.findIndex((l, i) => i > start && l === `${indent}}`);
  assert.ok(end > start, `${file}: tn_fetch ends`);
  return lines.slice(start + 1, end).map((l) => l.slice(indent.length)).join("\n");
}

describe("tn_fetch, the shell downloader before Node", () => {
  test("install.sh and scripts/lib/node-env.sh carry the same body", () => {
    assert.equal(tnFetchBody("install.sh"), tnFetchBody("scripts/lib/node-env.sh"));
  });

  test("an https URL that redirects to plain http is refused (as download.ts does), with curl and with wget; https to https is followed, at most 10 times", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tn-fetch-tls-"));
    const plainHits: string[] = [];
    const plain = createServer((req, res) => {
      plainHits.push(req.url ?? "");
      res.end("from plain http\n");
    });
    try {
      // A certificate for 127.0.0.1, trusted by curl through CURL_CA_BUNDLE and by wget through a wgetrc (WGETRC).
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
      writeFileSync(join(dir, "wgetrc"), `ca_certificate = ${join(dir, "cert.pem")}\n`);
      await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
      const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/f`;
      let base = "";
      const tls = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (req, res) => {
        const url = req.url ?? "";
        const hops = /^\/hops(\d+)$/u.exec(url);
        if (url === "/down") res.writeHead(302, { location: plainUrl }).end();
        else if (url === "/moved") res.writeHead(302, { location: "/f" }).end(); // an absolute path
        else if (url === "/dir/rel") res.writeHead(301, { location: "next" }).end(); // relative to /dir/
        else if (url === "/chain") res.writeHead(307, { location: `${base}/moved` }).end(); // an absolute https URL
        else if (hops && hops[1] !== "0") res.writeHead(302, { location: `/hops${Number(hops[1]) - 1}` }).end(); // /hopsN: N redirects
        else res.end(`from https ${url}\n`);
      });
      await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
      try {
        base = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
        // wget alone: a PATH with wget and the few tools tn_fetch uses, but no curl.
        const wgetOnly = join(dir, "wget-bin");
        execFileSync("mkdir", [wgetOnly]);
        for (const t of ["wget", "rm", "wc", "tr"]) {
          const at = spawnSync("/bin/sh", ["-c", `command -v ${t}`], { encoding: "utf8" }).stdout.trim();
          if (at.startsWith("/")) symlinkSync(at, join(wgetOnly, t));
        }
        const has = (tool: string): boolean => spawnSync("/bin/sh", ["-c", `command -v ${tool}`]).status === 0;
        const downloaders: [tool: string, path: string][] = [];
        if (has("curl")) downloaders.push(["curl", process.env.PATH ?? ""]);
        if (existsSync(join(wgetOnly, "wget"))) downloaders.push(["wget", wgetOnly]);
        assert.ok(downloaders.length > 0, "curl or wget is installed (scripts/prereqs.sh installs both)");
        const env = { ...process.env, CURL_CA_BUNDLE: join(dir, "cert.pem"), WGETRC: join(dir, "wgetrc"), TRUSTNET_NODE_DIR: join(dir, "node") };
        // Asynchronous: the servers answering the download live in this process.
        const fetchTo = (what: string, out: string, path: string): Promise<{ status: number; stderr: string; body: string | undefined }> => new Promise((resolve) => {
          execFile("/bin/sh", ["-c", `. "${root}/scripts/lib/node-env.sh"; tn_fetch "${base}${what}" "${out}"`], { env: { ...env, PATH: path }, encoding: "utf8", timeout: 60_000 }, (err, _o, stderr) => {
            resolve({ status: err ? (typeof err.code === "number" ? err.code : 1) : 0, stderr, body: existsSync(out) ? readFileSync(out, "utf8") : undefined });
          });
        });
        for (const [tool, path] of downloaders) {
          for (const [what, body] of [["/moved", "from https /f\n"], ["/dir/rel", "from https /dir/next\n"], ["/chain", "from https /f\n"], ["/hops10", "from https /hops0\n"]] as const) {
            const ok = await fetchTo(what, join(dir, `${tool}-ok`), path);
            assert.equal(ok.status, 0, `${tool} ${what}: ${ok.stderr}`);
            assert.equal(ok.body, body, `${tool} ${what}`);
          }
          const down = await fetchTo("/down", join(dir, `${tool}-down`), path);
          assert.notEqual(down.status, 0, `${tool}: the downgrade is refused`);
          assert.equal(down.body, undefined, `${tool}: nothing is kept`);
          assert.deepEqual(plainHits, [], `${tool}: nothing was asked of the plain http server`);
          const loop = await fetchTo("/hops11", join(dir, `${tool}-loop`), path);
          assert.notEqual(loop.status, 0, `${tool}: an 11th redirect is refused`);
          assert.equal(loop.body, undefined, `${tool}: nothing is kept`);
          if (tool === "wget") {
            assert.ok(down.stderr.includes(`error: ${base}/down redirects to ${plainUrl}, which leaves https for plain http; refusing it (nothing was kept)`), down.stderr);
            assert.ok(loop.stderr.includes(`error: ${base}/hops11 redirects more than 10 times; refusing it (nothing was kept)`), loop.stderr);
          }
        }
      } finally {
        tls.closeAllConnections();
        tls.close();
      }
    } finally {
      plain.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a file larger than the cap is stopped and refused (status 3), with curl and with wget, announced or not; nothing is kept", async () => {
    // 3 MiB of "0", with or without a Content-Length, written as the client reads it.
    const chunk = Buffer.alloc(64 * 1024, "0");
    const srv = createServer((req, res) => {
      const size = req.url === "/fits" ? 1024 * 1024 : 3 * 1024 * 1024;
      res.writeHead(200, req.url === "/announced" ? { "content-length": size } : {});
      let left = size;
      res.once("close", () => (left = 0));
      const more = (): void => {
        while (left > 0) {
          left -= chunk.length;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        if (!res.destroyed) res.end();
      };
      more();
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const dir = mkdtempSync(join(tmpdir(), "tn-fetch-cap-"));
    try {
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      // wget alone: a PATH with wget and the few tools tn_fetch uses, but no curl.
      const wgetOnly = join(dir, "wget-bin");
      execFileSync("mkdir", [wgetOnly]);
      for (const t of ["wget", "rm", "wc", "tr"]) {
        const at = spawnSync("/bin/sh", ["-c", `command -v ${t}`], { encoding: "utf8" }).stdout.trim();
        if (at.startsWith("/")) symlinkSync(at, join(wgetOnly, t));
      }
      const downloaders = [["curl", process.env.PATH ?? ""], ...(existsSync(join(wgetOnly, "wget")) ? [["wget", wgetOnly]] : [])] as const;
      // Asynchronous: the server answering the download lives in this process.
      const fetch1MiB = (what: string, out: string, path: string): Promise<{ status: number; stderr: string }> => new Promise((resolve) => {
        execFile("/bin/sh", ["-c", `. "${root}/scripts/lib/node-env.sh"; tn_fetch "${url}/${what}" "${out}" "" 1048576`], { env: { ...process.env, PATH: path, TRUSTNET_NODE_DIR: join(dir, "node") }, encoding: "utf8", timeout: 30_000 }, (err, _o, stderr) => {
          resolve({ status: err ? (typeof err.code === "number" ? err.code : 1) : 0, stderr });
        });
      });
      for (const [tool, path] of downloaders) {
        for (const what of ["announced", "unannounced"]) {
          const out = join(dir, `${tool}-${what}`);
          const r = await fetch1MiB(what, out, path);
          assert.equal(r.status, 3, `${tool} ${what}: ${r.stderr}`);
          assert.ok(r.stderr.includes(`error: ${url}/${what} is larger than 1 MiB, the most accepted for this file; refusing it (nothing was kept)`), `${tool} ${what}: ${r.stderr}`);
          assert.equal(existsSync(out), false, `${tool} ${what}: no partial file`);
        }
        // At the cap exactly, the file is kept.
        const fits = await fetch1MiB("fits", join(dir, `${tool}-fits`), path);
        assert.equal(fits.status, 0, `${tool}: ${fits.stderr}`);
        assert.equal(statSync(join(dir, `${tool}-fits`)).size, 1024 * 1024);
      }
    } finally {
      srv.closeAllConnections();
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("it downloads a file, and without curl or wget it says so and returns 127", async () => {
    const srv = createServer((req, res) => void (req.url === "/f" ? res.end("payload\n") : res.writeHead(404).end()));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const dir = mkdtempSync(join(tmpdir(), "tn-fetch-"));
    try {
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      const env = { ...process.env, TRUSTNET_NODE_DIR: join(dir, "node") };
      // Asynchronous: the server answering the download lives in this process.
      const run = (script: string, path: string): Promise<{ status: number; stdout: string; stderr: string }> => new Promise((resolve) => {
        execFile("/bin/sh", ["-c", `. "${root}/scripts/lib/node-env.sh"; ${script}`], { env: { ...env, PATH: path }, encoding: "utf8", timeout: 30_000 }, (err, stdout, stderr) => {
          resolve({ status: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
        });
      });
      const ok = await run(`tn_fetch "${url}/f" "${dir}/out" && cat "${dir}/out"`, process.env.PATH ?? "");
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal(ok.stdout, "payload\n");
      assert.notEqual((await run(`tn_fetch "${url}/missing" "${dir}/out2"`, process.env.PATH ?? "")).status, 0, "a 404 is a failure");
      // A server that sends the headers and a few bytes, then nothing: curl gives up (28) instead of waiting forever.
      const stalled = createServer((_req, res) => {
        res.writeHead(200, { "content-length": "1000000" });
        res.write("abc");
      });
      await new Promise<void>((r) => stalled.listen(0, "127.0.0.1", r));
      try {
        const t0 = Date.now();
        const stall = await run(`TN_FETCH_STALL_SECONDS=1 tn_fetch "http://127.0.0.1:${(stalled.address() as AddressInfo).port}/f" "${dir}/stalled"`, process.env.PATH ?? "");
        assert.equal(stall.status, 28, `curl's timeout, not the test's (${Date.now() - t0} ms): ${stall.stderr}`);
      } finally {
        stalled.closeAllConnections();
        stalled.close();
      }
      // A PATH with the shell's basic tools but neither curl nor wget.
      const bin = join(dir, "bin");
      execFileSync("mkdir", [bin]);
      for (const t of ["cat", "printf", "dirname", "uname", "mkdir"]) {
        const at = spawnSync("/bin/sh", ["-c", `command -v ${t}`], { encoding: "utf8" }).stdout.trim();
        if (at.startsWith("/")) symlinkSync(at, join(bin, t));
      }
      const none = await run(`tn_fetch "${url}/f" "${dir}/out3"`, bin);
      assert.equal(none.status, 127);
      assert.match(none.stderr, /neither curl nor wget is installed/u);
    } finally {
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
