// scripts/lib/go-env.sh (the test prerequisites' Go) against a local Go module proxy serving a toolchain zip built
// here: a machine without Go, or with one older than 1.22, gets the pinned toolchain; the pin is checked before
// anything is unpacked; a usable Go on PATH is left alone.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startMirror, type Mirror } from "@trustnet/installer/testing/mirror";
import { GO_VERSION, PINS } from "@trustnet/installer";

const root = join(import.meta.dirname, "..", "..");
const mod = `golang.org/toolchain@v0.0.1-go${GO_VERSION}.linux-amd64`;
const zipPath = `/golang.org/toolchain/@v/v0.0.1-go${GO_VERSION}.linux-amd64.zip`;
const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
let work = "";
let mirror: Mirror;
let zip: Buffer = Buffer.alloc(0);

/** A script that answers `go env GOVERSION` like a Go of that version. */
const fakeGo = (version: string): string => `#!/bin/sh\n[ "$1 $2" = "env GOVERSION" ] && { echo go${version}; exit 0; }\necho "go version go${version} linux/amd64"\n`;

/** A toolchain module zip as the proxy serves it: every file under `<module>@<version>/`, here without exec bits. */
function toolchainZip(top: string, name: string): Buffer {
  const dir = mkdtempSync(join(work, "zip-"));
  mkdirSync(join(dir, top, "bin"), { recursive: true });
  mkdirSync(join(dir, top, "pkg", "tool", "linux_amd64"), { recursive: true });
  writeFileSync(join(dir, top, "bin", "go"), fakeGo(GO_VERSION), { mode: 0o644 });
  writeFileSync(join(dir, top, "pkg", "tool", "linux_amd64", "compile"), "#!/bin/sh\n", { mode: 0o644 });
  const r = spawnSync("zip", ["-qr", join(work, name), top], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(join(work, name));
}

/** Runs tn_ensure_go in sh, then `go env GOVERSION` (asynchronously: the mirror runs in this process). */
async function ensureGo(extra: Record<string, string>, pathDirs: readonly string[] = []): Promise<{ code: number | null; stdout: string; stderr: string; bin: string; goDir: string; parent: string }> {
  const parent = mkdtempSync(join(work, "home-"));
  const bin = join(parent, "bin");
  const goDir = join(parent, `go-${GO_VERSION}`);
  const script = '. "$1/scripts/lib/node-env.sh" && . "$1/scripts/lib/go-env.sh" && tn_ensure_go "$2" && go env GOVERSION && command -v go';
  const child = spawn("sh", ["-c", script, "sh", root, bin], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: [...pathDirs, "/usr/bin", "/bin"].join(":"), HOME: parent, GOPROXY: `direct|${mirror.url}`, TRUSTNET_UNAME_S: "Linux", TRUSTNET_UNAME_M: "x86_64", ...extra },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
  return { code, stdout, stderr, bin, goDir, parent };
}

function pinsFile(body: Buffer): string {
  const f = join(work, `pins-${sha256(body).slice(0, 8)}.txt`);
  writeFileSync(f, `${sha256(body)}  ${mod}\n`);
  return f;
}

function goOnPath(version: string): string {
  const dir = mkdtempSync(join(work, "path-"));
  writeFileSync(join(dir, "go"), fakeGo(version));
  chmodSync(join(dir, "go"), 0o755);
  return dir;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "tn-goenv-"));
  zip = toolchainZip(mod, "toolchain.zip");
  mirror = await startMirror();
  mirror.files.set(zipPath, zip);
});
after(async () => {
  await mirror.close();
  rmSync(work, { recursive: true, force: true });
});

describe("go-env.sh: the test prerequisites' Go toolchain", () => {
  test("the real pins name the toolchain modules of both Linux architectures", () => {
    for (const arch of ["amd64", "arm64"]) assert.match(PINS[`golang.org/toolchain@v0.0.1-go${GO_VERSION}.linux-${arch}`]?.hex ?? "", /^[0-9a-f]{64}$/);
  });

  test("no Go on PATH and a zip that is not the pinned one: refused with both hashes, nothing installed", async () => {
    assert.notEqual(spawnSync("sh", ["-c", "command -v go"], { env: { PATH: "/usr/bin:/bin" } }).status, 0, "this test needs a PATH without go");
    const r = await ensureGo({});
    assert.notEqual(r.code, 0);
    const pin = PINS[mod]?.hex ?? "";
    assert.ok(r.stderr.includes(`error: checksum mismatch for ${mod}: expected ${pin} (the pin in installer/src/versions.ts), got ${sha256(zip)} (the file downloaded from ${mirror.url}${zipPath}); refusing to install it`), r.stderr);
    assert.equal(existsSync(r.goDir), false);
    assert.equal(existsSync(join(r.bin, "go")), false);
    assert.deepEqual(readdirSync(r.parent), [], "no staging directory left");
  });

  test("no Go on PATH: the pinned toolchain is fetched from the first proxy in GOPROXY, unpacked executable and linked into BIN; a second run fetches nothing", async () => {
    const before = mirror.hits.get(zipPath) ?? 0;
    const pins = pinsFile(zip);
    const r = await ensureGo({ TRUSTNET_PINS_FILE: pins });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`==> go is not on PATH: installing Go ${GO_VERSION.replace(/\./g, "\\.")} \\(${mod.replace(/[.@]/g, "\\$&")} from ${mirror.url}\\)`));
    assert.equal(r.stdout, `go${GO_VERSION}\n${join(r.bin, "go")}\n`);
    assert.equal(readlinkSync(join(r.bin, "go")), join(r.goDir, "bin", "go"));
    assert.ok((statSync(join(r.goDir, "pkg", "tool", "linux_amd64", "compile")).mode & 0o111) !== 0, "the tools are executable");
    assert.equal(mirror.hits.get(zipPath), before + 1);
    // the same home again: the toolchain is there, so no download
    const again = spawnSync("sh", ["-c", '. "$1/scripts/lib/node-env.sh" && . "$1/scripts/lib/go-env.sh" && tn_ensure_go "$2" && go env GOVERSION', "sh", root, r.bin], {
      env: { PATH: "/usr/bin:/bin", HOME: r.parent, GOPROXY: mirror.url, TRUSTNET_PINS_FILE: pins }, encoding: "utf8",
    });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, `go${GO_VERSION}\n`);
    assert.equal(again.stderr, "");
    assert.equal(mirror.hits.get(zipPath), before + 1);
  });

  test("a Go older than 1.22 on PATH is replaced on PATH by the pinned toolchain; a usable one is left alone", async () => {
    const pins = pinsFile(zip);
    const old = await ensureGo({ TRUSTNET_PINS_FILE: pins }, [goOnPath("1.19.8")]);
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stderr, /the go on PATH \(go1\.19\.8\) is older than 1\.22: installing Go/);
    assert.equal(old.stdout, `go${GO_VERSION}\n${join(old.bin, "go")}\n`);
    const before = mirror.hits.get(zipPath) ?? 0;
    const dir = goOnPath("1.22.0");
    const recent = await ensureGo({ TRUSTNET_PINS_FILE: pins }, [dir]);
    assert.equal(recent.code, 0, recent.stderr);
    assert.equal(recent.stdout, `go1.22.0\n${join(dir, "go")}\n`);
    assert.equal(recent.stderr, "");
    assert.equal(mirror.hits.get(zipPath), before, "nothing downloaded");
    assert.equal(existsSync(recent.bin), false);
  });

  test("bad sources fail with a clear error and leave nothing: no proxy in GOPROXY, a proxy without the module, a zip that is not the module", async () => {
    const off = await ensureGo({ GOPROXY: "off" });
    assert.notEqual(off.code, 0);
    assert.match(off.stderr, /error: GOPROXY=off names no proxy to download the Go toolchain from/);
    const missing = await ensureGo({ GOPROXY: `${mirror.url}/nothing-here` });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /error: could not download http:\/\/127\.0\.0\.1:\d+\/nothing-here\/golang\.org\/toolchain\/@v\/v0\.0\.1-go[\d.]+\.linux-amd64\.zip; check that the Go module proxy is reachable/);
    const other = toolchainZip("something-else", "other.zip");
    mirror.files.set("/other" + zipPath, other);
    const wrong = await ensureGo({ GOPROXY: `${mirror.url}/other`, TRUSTNET_PINS_FILE: pinsFile(other) });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /is not the toolchain module golang\.org\/toolchain@/);
    for (const r of [off, missing, wrong]) {
      assert.equal(existsSync(r.goDir), false);
      assert.deepEqual(readdirSync(r.parent), [], "nothing left behind");
    }
  });
});
