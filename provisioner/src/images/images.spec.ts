import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChecksumMismatchError, DownloadError, ProvisionError } from "../errors.ts";
import type { Shell } from "../shell.ts";
import { fakeShell } from "../testing/fake-shell.ts";
import { fileNameOf, findImage, resolveBase } from "./catalog.ts";
import { findDigest } from "./checksums.ts";
import { PINS } from "@trustnet/installer";
import { ensureImage, type EnsureImageDeps, SKIP_SIGNATURE_WARNING } from "./ensure-image.ts";
import { silentProgress, stderrProgress } from "./progress.ts";

const alpine = findImage("alpine-3.22", "aarch64");
const ubuntu = findImage("ubuntu-24.04", "aarch64");
const image = randomBytes(3 * 1024 * 1024 + 17);
const sha512 = createHash("sha512").update(image).digest("hex");
const sha256 = createHash("sha256").update(image).digest("hex");

interface Behaviour { dropAfter?: number; badSum?: boolean; signature?: boolean; noLength?: boolean }
const seen: { path: string; range: string | undefined }[] = [];
let behaviour: Behaviour = {};
let server: Server;
let base = "";

function serveImage(req: IncomingMessage, res: ServerResponse): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
  const start = m ? Number(m[1]) : 0;
  if (start >= image.length) { res.writeHead(416, { "content-range": `bytes */${image.length}` }); res.end(); return; }
  const body = image.subarray(start);
  res.writeHead(m ? 206 : 200, { ...(behaviour.noLength === true ? {} : { "content-length": body.length }), ...(m ? { "content-range": `bytes ${start}-${image.length - 1}/${image.length}` } : {}) });
  if (behaviour.dropAfter !== undefined) {
    res.write(body.subarray(0, behaviour.dropAfter), () => setTimeout(() => res.socket?.destroy(), 20));
    return;
  }
  res.end(body);
}

before(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "";
    seen.push({ path, range: req.headers.range });
    if (path === `/${alpine.path}` || path === `/${ubuntu.path}`) return serveImage(req, res);
    if (path === `/${alpine.path}.sha512`) return void res.end(behaviour.badSum ? `${"0".repeat(128)}\n` : `${sha512}\n`);
    if (path.endsWith("/SHA256SUMS")) return void res.end(`${"1".repeat(64)} *other.img\n${sha256} *${fileNameOf(ubuntu.path)}\n`);
    if (path.endsWith("/SHA256SUMS.gpg") && behaviour.signature) return void res.end("fake signature");
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(pinsDir, { recursive: true, force: true });
});

/** The images are built here, so their pins come from a pins file instead of installer/src/versions.ts. */
const pinsDir = mkdtempSync(join(tmpdir(), "tn-img-pins-"));
const pinsFile = join(pinsDir, "pins.txt");
writeFileSync(pinsFile, `${sha512}  ${fileNameOf(alpine.path)}\n${sha256}  ${fileNameOf(ubuntu.path)}\n`);
function deps(logs: string[] = [], $?: Shell, env: Record<string, string> = {}): EnsureImageDeps {
  return {
    transfer: { retries: 1, backoffMs: 10 }, $: $ ?? fakeShell(() => ({ exitCode: 127 })),
    env: { TRUSTNET_PINS_FILE: pinsFile, ...env }, progress: () => silentProgress, log: (l) => logs.push(l),
  };
}

async function home(): Promise<string> {
  return mkdtemp(join(tmpdir(), "tn-img-"));
}

describe("image download", () => {
  test("downloads, verifies (sha512 sidecar), then reuses the cached file only while its digest matches", async () => {
    const h = await home();
    try {
      behaviour = {};
      const a = await ensureImage(alpine, h, base, deps());
      assert.equal(a.reused, false);
      assert.deepEqual(readFileSync(a.path), image);
      seen.length = 0;
      const b = await ensureImage(alpine, h, base, deps());
      assert.equal(b.reused, true);
      assert.ok(!seen.some((s) => s.path === `/${alpine.path}`), "no image request for a good cache");
      const bad = Buffer.from(image);
      bad[100] = (bad[100] ?? 0) ^ 0xff;
      writeFileSync(a.path, bad);
      const logs: string[] = [];
      const c = await ensureImage(alpine, h, base, deps(logs));
      assert.equal(c.reused, false);
      assert.ok(logs.some((l) => /does not match/.test(l)));
      assert.deepEqual(readFileSync(c.path), image);
    } finally {
      await rm(h, { recursive: true, force: true });
    }
  });
  test("two concurrent calls for one image (two leases in a block) share one download", async () => {
    const h = await home();
    try {
      behaviour = {};
      seen.length = 0;
      const [a, b] = await Promise.all([ensureImage(alpine, h, base, deps()), ensureImage(alpine, h, base, deps())]);
      assert.equal(a, b, "the same answer");
      assert.equal(seen.filter((s) => s.path === `/${alpine.path}`).length, 1, "one image request");
      assert.deepEqual(readFileSync(a.path), image);
      const again = await ensureImage(alpine, h, base, deps());
      assert.equal(again.reused, true, "a later call is a new check of the cache, not the finished promise");
    } finally {
      await rm(h, { recursive: true, force: true });
    }
  });

  test("another process downloading the same image (its <image>.lock): this one waits, then reuses what it verified", async () => {
    const h = await home();
    // The other process: alive, this boot (what `vm up` beside the provider daemon looks like).
    const other = spawn("sleep", ["600"], { stdio: "ignore" });
    try {
      behaviour = {};
      seen.length = 0;
      const cache = join(h, "cache");
      mkdirSync(cache, { recursive: true });
      const lock = join(cache, `${fileNameOf(alpine.path)}.lock`);
      writeFileSync(lock, `${other.pid} ${readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()}\n`);
      let done = false;
      const p = ensureImage(alpine, h, base, deps()).finally(() => (done = true));
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(done, false, "waits while the other process holds the lock");
      assert.deepEqual(seen, [], "nothing fetched meanwhile (two writers would resume one .part)");
      other.kill("SIGKILL");
      await new Promise((r) => other.once("exit", r));
      const got = await p;
      assert.deepEqual(readFileSync(got.path), image);
      assert.ok(!existsSync(lock), "the lock is released");
    } finally {
      other.kill("SIGKILL");
      await rm(h, { recursive: true, force: true });
    }
  });

  test("a mirror that drops the connection mid-download: kept partial, the next run resumes with Range", async () => {
    const h = await home();
    try {
      behaviour = { dropAfter: 1024 * 1024 };
      await assert.rejects(ensureImage(alpine, h, undefined, deps([], undefined, { TRUSTNET_IMAGE_MIRROR: base })), DownloadError);
      const part = join(h, "cache", `${fileNameOf(alpine.path)}.part`);
      assert.ok(existsSync(part));
      const partial = statSync(part).size;
      assert.ok(partial > 0 && partial < image.length, `partial size ${partial}`);
      behaviour = {};
      seen.length = 0;
      const r = await ensureImage(alpine, h, undefined, deps([], undefined, { TRUSTNET_IMAGE_MIRROR: base }));
      assert.deepEqual(seen.find((s) => s.path === `/${alpine.path}`)?.range, `bytes=${partial}-`);
      assert.deepEqual(readFileSync(r.path), image);
      assert.equal(existsSync(part), false);
    } finally {
      await rm(h, { recursive: true, force: true });
    }
  });
  test("a mirror serving more than the image's cap: refused (announced) or stopped (not announced), nothing kept", async () => {
    const h = await home();
    const small = { ...alpine, maxBytes: 1024 * 1024 };
    const part = join(h, "cache", `${fileNameOf(alpine.path)}.part`);
    try {
      for (const noLength of [false, true]) {
        behaviour = { noLength };
        await assert.rejects(ensureImage(small, h, base, deps()), (e: unknown) => {
          assert.ok(e instanceof DownloadError, String(e));
          assert.match(e.message, noLength ? /sent more than the 1 MiB allowed for nocloud_alpine-.*; the download was stopped and deleted/u : /announces 3145745 bytes, more than the 1 MiB allowed for nocloud_alpine-/u);
          return true;
        });
        assert.equal(existsSync(part), false, "no partial file");
        assert.equal(existsSync(join(h, "cache", fileNameOf(alpine.path))), false, "no image");
      }
      assert.ok(alpine.maxBytes >= 512 * 1024 * 1024 && ubuntu.maxBytes >= 2048 * 1024 * 1024, "the real images' caps leave a wide margin");
    } finally {
      behaviour = {};
      await rm(h, { recursive: true, force: true });
    }
  });
  test("a stale partial file from an earlier run that does not verify is discarded and the image fetched again", async () => {
    const h = await home();
    try {
      behaviour = {};
      const part = join(h, "cache", `${fileNameOf(alpine.path)}.part`);
      mkdirSync(join(h, "cache"), { recursive: true });
      writeFileSync(part, randomBytes(1024 * 1024));
      const logs: string[] = [];
      const r = await ensureImage(alpine, h, base, deps(logs));
      assert.deepEqual(readFileSync(r.path), image);
      assert.ok(logs.some((l) => /kept from an earlier run did not verify; downloading it again from the start/.test(l)), logs.join("\n"));
      assert.equal(existsSync(part), false);
    } finally {
      await rm(h, { recursive: true, force: true });
    }
  });

  test("a wrong checksum: refused AND deleted, with a clear message", async () => {
    const h = await home();
    try {
      behaviour = { badSum: true };
      await assert.rejects(ensureImage(alpine, h, base, deps()), (e: unknown) => {
        assert.ok(e instanceof ChecksumMismatchError);
        assert.match(e.message, /checksum mismatch for nocloud_alpine-.*: expected sha512:0+ \(http:\/\/127\.0\.0\.1:\d+\/.*\.sha512\), got sha512:[0-9a-f]{128} \(the file downloaded from http:.*\); the download was deleted/);
        return true;
      });
      const file = join(h, "cache", fileNameOf(alpine.path));
      assert.equal(existsSync(file), false);
      assert.equal(existsSync(`${file}.part`), false);
    } finally {
      behaviour = {};
      await rm(h, { recursive: true, force: true });
    }
  });
  test("Ubuntu: SHA256SUMS (GNU format); the signature check fails closed; --insecure-skip-signature warns why it is dangerous", async () => {
    const h = await home();
    try {
      behaviour = { signature: true };
      const keyring = join(h, "keyring.gpg");
      writeFileSync(keyring, "k");
      const otherKey = fakeShell(() => ({ exitCode: 0, stdout: `[GNUPG:] VALIDSIG ${"A".repeat(40)} 2026-01-01\n` }));
      await assert.rejects(ensureImage(ubuntu, h, base, deps([], otherKey, { TRUSTNET_UBUNTU_KEYRING: keyring })), (e: unknown) => e instanceof ProvisionError && /not the pinned Ubuntu cloud-image key/.test(e.message));
      assert.equal(existsSync(join(h, "cache", fileNameOf(ubuntu.path))), false);
      const badSig = fakeShell(() => ({ exitCode: 1, stdout: "[GNUPG:] BADSIG x\n", stderr: "gpgv: BAD signature" }));
      await assert.rejects(ensureImage(ubuntu, h, base, deps([], badSig, { TRUSTNET_UBUNTU_KEYRING: keyring })), /does not verify/);
      // No gpgv, no keyring, no SHA256SUMS.gpg: each refused, nothing downloaded.
      seen.length = 0;
      await assert.rejects(ensureImage(ubuntu, h, base, deps([], undefined, { TRUSTNET_UBUNTU_KEYRING: keyring })), (e: unknown) => {
        assert.ok(e instanceof ProvisionError);
        assert.match(e.message, /cannot verify the signature on .*SHA256SUMS: gpgv is not installed; refusing the image/);
        assert.match(e.hint ?? "", /--insecure-skip-signature/);
        return true;
      });
      await assert.rejects(ensureImage(ubuntu, h, base, deps([], badSig, { TRUSTNET_UBUNTU_KEYRING: join(h, "missing.gpg") })), /no Ubuntu cloud-image keyring/);
      behaviour = {};
      await assert.rejects(ensureImage(ubuntu, h, base, deps([], otherKey, { TRUSTNET_UBUNTU_KEYRING: keyring })), /no signature at .*SHA256SUMS\.gpg/);
      assert.ok(!seen.some((s) => s.path === `/${ubuntu.path}`), "the image is never requested without a verified SHA256SUMS");
      assert.equal(existsSync(join(h, "cache", fileNameOf(ubuntu.path))), false);
      const skipped: string[] = [];
      const r0 = await ensureImage(ubuntu, h, base, deps(skipped, undefined, {}), { insecureSkipSignature: true });
      assert.equal(r0.digest, sha256);
      assert.ok(skipped.some((l) => l === SKIP_SIGNATURE_WARNING), skipped.join("\n"));
      assert.match(SKIP_SIGNATURE_WARNING, /NOT signature-checked.*can serve a modified image/);
      await rm(r0.path);
      behaviour = { signature: true };
      const gpgv: string[] = [];
      const good = fakeShell(() => ({ exitCode: 0, stdout: `[GNUPG:] VALIDSIG ${ubuntu.checksum.kind === "sums" ? ubuntu.checksum.fingerprint : ""} 2026-01-01\n` }), gpgv);
      const logs: string[] = [];
      const r = await ensureImage(ubuntu, h, base, deps(logs, good, { TRUSTNET_UBUNTU_KEYRING: keyring }));
      assert.ok(logs.some((l) => /signature verified/.test(l)));
      assert.match(gpgv[0] ?? "", /^gpgv --status-fd 1 --keyring \S*keyring\.gpg \S*SHA256SUMS\.gpg \S*SHA256SUMS$/u, gpgv.join("\n"));
      assert.equal(r.digest, sha256);
    } finally {
      behaviour = {};
      await rm(h, { recursive: true, force: true });
    }
  });

  test("the published pins are checked as well as the mirror's checksum: a mirror vouching for another image is refused", async () => {
    const h = await home();
    try {
      behaviour = {};
      await assert.rejects(ensureImage(alpine, h, base, { ...deps(), env: {} }), (e: unknown) => {
        assert.ok(e instanceof ChecksumMismatchError);
        assert.match(e.message, new RegExp(`expected sha512:${PINS[fileNameOf(alpine.path)]?.hex} \\(pinned in installer/src/versions\\.ts, as published in https://dl-cdn\\.alpinelinux\\.org/`));
        assert.match(e.message, new RegExp(`got sha512:${sha512} \\(the file downloaded from ${base.replace(/\./g, "\\.")}/`));
        return true;
      });
      assert.deepEqual(readdirSync(join(h, "cache")), [], "no image and no .part left behind");
    } finally {
      await rm(h, { recursive: true, force: true });
    }
  });

  test("checksum formats: bare, GNU, BSD", () => {
    const h = "ab".repeat(32);
    assert.equal(findDigest(`${h}\n`, "x.img", "sha256"), h);
    assert.equal(findDigest(`${"cd".repeat(32)} *y.img\n${h} *x.img\n`, "x.img", "sha256"), h);
    assert.equal(findDigest(`${h}  x.img\n`, "x.img", "sha256"), h);
    assert.equal(findDigest(`SHA256 (x.img) = ${h.toUpperCase()}\n`, "x.img", "sha256"), h);
    assert.equal(findDigest(`${h} *y.img\n`, "x.img", "sha256"), undefined);
    assert.equal(findDigest(`${h}\n`, "x.img", "sha512"), undefined);
  });
  test("catalog and mirrors", () => {
    assert.match(alpine.path, /nocloud_alpine-3\.22\.\d+-aarch64-uefi-cloudinit-r\d+\.qcow2$/);
    assert.match(ubuntu.path, /ubuntu-24\.04-server-cloudimg-arm64\.img$/);
    assert.match(findImage("ubuntu-24.04", "x86_64").path, /amd64\.img$/);
    assert.equal(resolveBase(alpine, "http://mirror.local/alpine/"), "http://mirror.local/alpine");
    assert.throws(() => resolveBase(alpine, "ftp://x"), /http/);
    assert.throws(() => findImage("debian", "aarch64"), /unknown image/);
  });
  test("progress bar rendering", () => {
    const out: string[] = [];
    const sink = (isTTY: boolean): NodeJS.WriteStream => ({ isTTY, write: (t: string) => out.push(t) }) as unknown as NodeJS.WriteStream;
    const log = stderrProgress("downloading x.img", sink(false));
    log.update(512 * 1024, 1024 * 1024);
    log.finish();
    assert.equal(out.length, 0, "no bar in a log");
    const tty = stderrProgress("downloading x.img", sink(true));
    tty.update(512 * 1024, 1024 * 1024);
    tty.finish();
    assert.equal(out[0], "\rdownloading x.img [###############               ]  50% 0.5/1.0 MB");
    assert.ok(out.at(-1)?.endsWith("\n"));
  });
});
