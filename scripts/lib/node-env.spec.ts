// scripts/lib/node-env.sh (install.sh's Node step) against a local mirror serving a Node tarball built here:
// the pinned hash is checked before the mirror's SHASUMS256.txt, and a mismatch is fatal (no registry fallback).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startMirror, type Mirror } from "@trustnet/installer/testing/mirror";
import { NODE_VERSION, PINS } from "@trustnet/installer";

const root = join(import.meta.dirname, "..", "..");
const name = `node-v${NODE_VERSION}-linux-x64.tar.gz`;
const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
let work = "";
let mirror: Mirror;
let tgz: Buffer = Buffer.alloc(0);

function fakeNodeTarball(): Buffer {
  const dir = join(work, "build");
  const top = join(dir, `node-v${NODE_VERSION}-linux-x64`, "bin");
  mkdirSync(top, { recursive: true });
  writeFileSync(join(top, "node"), `#!/bin/sh\necho v${NODE_VERSION}\n`);
  writeFileSync(join(top, "npm"), "#!/bin/sh\necho 11.21.2\n");
  chmodSync(join(top, "node"), 0o755);
  chmodSync(join(top, "npm"), 0o755);
  spawnSync("tar", ["-C", dir, "-czf", join(work, "node.tgz"), `node-v${NODE_VERSION}-linux-x64`]);
  return readFileSync(join(work, "node.tgz"));
}

function serve(body: Buffer): void {
  mirror.files.clear();
  mirror.files.set(`/v${NODE_VERSION}/${name}`, body);
  mirror.files.set(`/v${NODE_VERSION}/SHASUMS256.txt`, `${sha256(body)}  ${name}\n`);
}

/** Runs tn_ensure_node in sh (asynchronously: the mirror runs in this process). */
async function ensureNode(extra: Record<string, string>): Promise<{ code: number | null; stderr: string; nodeDir: string; parent: string }> {
  const parent = mkdtempSync(join(work, "home-"));
  const nodeDir = join(parent, "node");
  const child = spawn("sh", ["-c", '. "$1/scripts/lib/node-env.sh" && tn_ensure_node && node --version', "sh", root], {
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: "/usr/local/bin:/usr/bin:/bin", HOME: parent, TRUSTNET_NODE_DIR: nodeDir, TRUSTNET_NODE_MIRROR: mirror.url,
      TRUSTNET_NPM_REGISTRY: "http://127.0.0.1:9/unreachable", TRUSTNET_UNAME_S: "Linux", TRUSTNET_UNAME_M: "x86_64", ...extra,
    },
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
  return { code, stderr, nodeDir, parent };
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "tn-nodeenv-"));
  tgz = fakeNodeTarball();
  mirror = await startMirror();
});
after(async () => {
  await mirror.close();
  rmSync(work, { recursive: true, force: true });
});

describe("node-env.sh: the Node tarball is checked against its pin, then SHASUMS256.txt", () => {
  test("a tarball the mirror's SHASUMS256.txt vouches for, but not the pin, is refused with both hashes; no fallback, nothing installed", async () => {
    serve(tgz);
    const r = await ensureNode({});
    assert.notEqual(r.code, 0);
    const pin = PINS[name]?.hex ?? "";
    assert.ok(r.stderr.includes(`error: checksum mismatch for ${name}: expected ${pin} (the pin in installer/src/versions.ts), got ${sha256(tgz)} (the file downloaded from ${mirror.url}/v${NODE_VERSION}/${name}); refusing to install it`), r.stderr);
    assert.doesNotMatch(r.stderr, /npm registry/, "a pin mismatch is not 'unreachable': no registry fallback");
    assert.equal(existsSync(r.nodeDir), false);
    assert.deepEqual(readdirSync(r.parent), [], "no staging directory left");
  });

  test("with the pin for this build in TRUSTNET_PINS_FILE it installs, and says where the pin came from", async () => {
    serve(tgz);
    const pins = join(work, "pins.txt");
    writeFileSync(pins, `${sha256(tgz)}  ${name}\n`);
    const r = await ensureNode({ TRUSTNET_PINS_FILE: pins });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`warning: the pin for ${name.replace(/\./g, "\\.")} comes from TRUSTNET_PINS_FILE=`));
    assert.ok(existsSync(join(r.nodeDir, "bin", "node")));
  });

  test("a changed byte is refused by the pin even when the mirror's SHASUMS256.txt was edited to match", async () => {
    const bad = Buffer.from(tgz);
    bad[bad.length - 20] = (bad[bad.length - 20] ?? 0) ^ 0x01;
    serve(bad);
    const pins = join(work, "pins.txt");
    writeFileSync(pins, `${sha256(tgz)}  ${name}\n`);
    const r = await ensureNode({ TRUSTNET_PINS_FILE: pins });
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(`expected ${sha256(tgz)} (the pin in installer/src/versions.ts or TRUSTNET_PINS_FILE), got ${sha256(bad)}`), r.stderr);
    assert.equal(existsSync(r.nodeDir), false);
    assert.deepEqual(readdirSync(r.parent), []);
  });

  test("another Node version has no pin: refused under TRUSTNET_REQUIRE_PINS=1", async () => {
    const other = "node-v24.20.0-linux-x64.tar.gz";
    mirror.files.set(`/v24.20.0/${other}`, tgz);
    mirror.files.set("/v24.20.0/SHASUMS256.txt", `${sha256(tgz)}  ${other}\n`);
    const r = await ensureNode({ TRUSTNET_NODE_VERSION: "24.20.0", TRUSTNET_REQUIRE_PINS: "1" });
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(`error: no pinned hash for ${other} (not the pinned version); refusing it because TRUSTNET_REQUIRE_PINS=1`), r.stderr);
    assert.equal(existsSync(r.nodeDir), false);
  });
});
