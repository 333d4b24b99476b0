// The fresh-machine test: a minimal Debian bookworm (mmdebstrap minbase + curl + ca-certificates: no Node, no git,
// no build tools) imported into a private Docker engine; the README one-liner, pointed at a local server holding the
// TrustNet release tarball, the CometBFT tarball and the Node tarball (each with its checksum file), installs
// TrustNet non-interactively and the devnet inside the container produces blocks on 26657. Then a cached re-run,
// then --uninstall --keep-data. The container shares the host network (everything stays on 127.0.0.1), so the
// contract ports must be free on this host while it runs (CI runs end-to-end files one at a time).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { isPortFree } from "../../installer/src/ports.ts";
import { type Mirror, startMirror } from "../../installer/src/testing/mirror.ts";
import { type Dockerd, startDockerd } from "./dockerd.ts";
import { CONTRACT_PORTS, HOST_CA, importRootfs } from "./fresh-rootfs.ts";
import { ROOT, releaseMirrorFiles, TEST_PINS_FILE } from "./helpers.ts";

/** The README's one-liner; the test points the URL (and TRUSTNET_BASE_URL) at the local server. */
export const README_ONE_LINER = "curl -fsSL https://github.com/trustnet-chain/trustnet/releases/download/v0.1.0/install.sh | sh -s -- --yes";

let work: string;
let mirror: Mirror;
let dockerd: Dockerd;
let ctr: string;
let oneLiner: string;
let execEnv: string[];
const logs: string[] = [];

async function rpcHeight(): Promise<number> {
  const res = await fetch("http://127.0.0.1:26657/status", { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { result: { sync_info: { latest_block_height: string } } };
  return Number(body.result.sync_info.latest_block_height);
}

async function sh(cmd: string, timeoutMs = 900_000): Promise<{ code: number; out: string; ms: number }> {
  const t0 = performance.now();
  const r = await dockerd.docker(["exec", ...execEnv, ctr, "sh", "-c", cmd], { timeoutMs });
  const out = `${r.stdout}${r.stderr}`;
  logs.push(`$ ${cmd}\n${out}`);
  return { code: r.code, out, ms: Math.round(performance.now() - t0) };
}

/** Every path in the container's own filesystem (not /proc, /sys, /dev or mounts). */
const fsList = async (): Promise<string[]> =>
  (await sh("find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /npm-cache -o -path /tmp \\) -prune -o -print | sort")).out.split("\n");

before(async () => {
  for (const p of CONTRACT_PORTS) {
    if (!(await isPortFree(p))) throw new Error(`port ${p} is in use on this host; the fresh-machine test needs the contract ports free (stop the other devnet)`);
  }
  work = mkdtempSync(join(tmpdir(), "tn-fresh-"));
  const { files } = await releaseMirrorFiles(join(work, "release"));
  mirror = await startMirror(files);
  dockerd = await startDockerd(join(work, "docker"));
  const image = await importRootfs(dockerd);
  ctr = `tn-fresh-${randomBytes(4).toString("hex")}`;
  const npmCache = join(homedir(), ".cache", "trustnet-test", "npm");
  mkdirSync(npmCache, { recursive: true });
  // The Node tarball is built by the test: its pin comes from the test's pins file (TRUSTNET_PINS_FILE).
  const run = await dockerd.docker(["run", "-d", "--init", "--name", ctr, "--network", "host", "-v", `${HOST_CA}:/etc/ssl/host-ca.crt:ro`,
    "-v", `${npmCache}:/npm-cache`, "-v", `${TEST_PINS_FILE}:/etc/trustnet-test-pins.txt:ro`, image, "sleep", "infinity"]);
  assert.equal(run.code, 0, run.stderr);
  const base = `${mirror.url}/trustnet`;
  oneLiner = README_ONE_LINER.replace(/https:\/\/\S+\/install\.sh/, `${base}/install.sh`);
  execEnv = ["-e", `TRUSTNET_BASE_URL=${base}`, "-e", `TRUSTNET_NODE_MIRROR=${mirror.url}/node`, "-e", `TRUSTNET_COMETBFT_MIRROR=${mirror.url}/cometbft`,
    "-e", "NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca.crt", "-e", "npm_config_cache=/npm-cache", "-e", "TRUSTNET_PINS_FILE=/etc/trustnet-test-pins.txt"];
});

after(async () => {
  const out = join(ROOT, ".test-output", "installer");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "fresh-machine.log"), logs.join("\n")); // every command run in the container, with its output
  if (dockerd !== undefined) {
    if (ctr !== undefined) await dockerd.docker(["rm", "-f", ctr]);
    await dockerd.stop();
  }
  await mirror?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("fresh Debian bookworm machine: the README one-liner", { timeout: 1_500_000 }, () => {
  let fsBefore: string[];
  let height = 0;

  test("the image has no node, no git, no compiler", async () => {
    const r = await sh("for t in node npm git gcc cc make; do command -v $t && exit 1; done; command -v curl");
    assert.equal(r.code, 0, r.out);
    fsBefore = await fsList();
  });

  test("installs non-interactively and the devnet produces blocks on 26657", async () => {
    const r = await sh(oneLiner);
    console.log(`    first install took ${r.ms} ms`);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /TrustNet \S+ is installed/);
    const h1 = await rpcHeight();
    await sleep(3000);
    height = await rpcHeight();
    assert.ok(height > h1 && h1 >= 1, `blocks advance (${h1} -> ${height})`);
    const q = await sh("curl -s localhost:26657/status");
    assert.match(q.out, /"network":"trustnet-local-1"/);
  });

  test("a re-run of the one-liner upgrades in place and the chain keeps its height", async () => {
    const r = await sh(oneLiner);
    console.log(`    cached re-run took ${r.ms} ms (goal: under 120000 ms)`);
    assert.equal(r.code, 0, r.out);
    const after = await rpcHeight();
    assert.ok(after >= height, `height kept (${height} -> ${after})`);
  });

  test("--uninstall --keep-data leaves no process and nothing but keys and chain/registry data", async () => {
    const r = await sh(`${oneLiner.replace("--yes", "--uninstall --keep-data --yes")}`);
    assert.equal(r.code, 0, r.out);
    const procs = await sh("for d in /proc/[0-9]*; do tr '\\0' ' ' < $d/cmdline 2>/dev/null; echo; done | grep -E 'node|cometbft' | grep -v grep || true");
    assert.equal(procs.out.trim(), "", "no TrustNet process left");
    const added = (await fsList()).filter((p) => !fsBefore.includes(p));
    // Kept data: devnet/ (validator keys, genesis, chain data) and registry/ (image blobs, token secret).
    const unexpected = added.filter((p) => p !== "/root/.trustnet" && !/^\/root\/\.trustnet\/(devnet|registry)(\/|$)/.test(p));
    assert.deepEqual(unexpected, [], "nothing outside ~/.trustnet/{devnet,registry} is left behind");
    assert.ok(added.some((p) => p.startsWith("/root/.trustnet/devnet/")), "keys and chain data kept");
    assert.doesNotMatch((await sh("cat /root/.profile /root/.bashrc 2>/dev/null")).out, /TrustNet/);
  });

  test("--uninstall (without --keep-data) leaves the filesystem as it was before the install", async () => {
    const r = await sh(`${oneLiner.replace("--yes", "--uninstall --yes")}`);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual((await fsList()).filter((p) => !fsBefore.includes(p)), [], "no file left behind");
  });
});
