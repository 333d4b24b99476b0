// The README's first command, end to end (issue 10): `./install.sh --yes` from a copy of the repository in a fresh
// Debian bookworm machine (the rootfs of the fresh-machine test: no Node, no git, no compiler), imported into a
// private Docker engine. install.sh brings Node 24 and CometBFT from a local mirror serving real tarballs with real
// checksums (nodejs.org and GitHub are not reachable from CI), npm ci runs against the real npm registry with the
// host's CA certificates (as on a company machine behind a TLS-inspecting proxy), and the devnet it starts produces
// blocks. A second `./install.sh --yes` is idempotent: the same chain keeps producing, one of each process, no
// duplicated profile line. The container shares the host network, so the contract ports must be free on this host.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
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
import { cometbftMirrorFiles, nodeMirrorFiles, ROOT, TEST_PINS_FILE } from "./helpers.ts";

/** The README's first command, as a user types it in the clone. */
const README_FIRST = "./install.sh";

let work: string;
let mirror: Mirror;
let dockerd: Dockerd;
let ctr: string;
let execEnv: string[];
const logs: string[] = [];

async function rpcStatus(): Promise<{ height: number; network: string }> {
  const res = await fetch("http://127.0.0.1:26657/status", { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { result: { node_info: { network: string }; sync_info: { latest_block_height: string } } };
  return { height: Number(body.result.sync_info.latest_block_height), network: body.result.node_info.network };
}

async function sh(cmd: string, timeoutMs = 900_000): Promise<{ code: number; out: string; ms: number }> {
  const t0 = performance.now();
  const r = await dockerd.docker(["exec", ...execEnv, ctr, "sh", "-c", cmd], { timeoutMs });
  const out = `${r.stdout}${r.stderr}`;
  logs.push(`$ ${cmd}\n${out}`);
  return { code: r.code, out, ms: Math.round(performance.now() - t0) };
}

/** The TrustNet processes in the container, by kind (supervisor, app, cometbft, registry). */
async function processes(): Promise<Record<string, number>> {
  const out = (await sh("for d in /proc/[0-9]*; do tr '\\0' ' ' < $d/cmdline 2>/dev/null; echo; done")).out.split("\n");
  const count = (re: RegExp): number => out.filter((l) => re.test(l)).length;
  return {
    supervisor: count(/devnet\/supervisor\.ts/u), app: count(/abci-app\/src\/main\.ts/u),
    cometbft: count(/cometbft start --home/u), registry: count(/registry\/src\/main\.ts/u),
  };
}

before(async () => {
  for (const p of CONTRACT_PORTS) {
    if (!(await isPortFree(p))) throw new Error(`port ${p} is in use on this host; the fresh-clone test needs the contract ports free (stop the other devnet)`);
  }
  work = mkdtempSync(join(tmpdir(), "tn-fresh-clone-"));
  // A copy of the repository as a clone has it: the tracked (and new, not ignored) files of this checkout; no
  // node_modules, no .git (the machine has no git anyway).
  const copy = join(work, "trustnet");
  mkdirSync(copy);
  execFileSync("sh", ["-c", 'git -C "$1" ls-files -z -co --exclude-standard | (cd "$1" && tar --null -T - -cf -) | tar -C "$2" -xf -', "sh", ROOT, copy]);
  mirror = await startMirror(new Map([
    ...[...nodeMirrorFiles()].map(([k, v]) => [`/node${k}`, v] as const),
    ...[...cometbftMirrorFiles()].map(([k, v]) => [`/cometbft${k}`, v] as const),
  ]));
  dockerd = await startDockerd(join(work, "docker"));
  const image = await importRootfs(dockerd);
  ctr = `tn-fresh-clone-${randomBytes(4).toString("hex")}`;
  const npmCache = join(homedir(), ".cache", "trustnet-test", "npm");
  mkdirSync(npmCache, { recursive: true });
  // The Node and CometBFT tarballs are built by the test: their pins come from the test's pins file (TRUSTNET_PINS_FILE).
  const run = await dockerd.docker(["run", "-d", "--init", "--name", ctr, "--network", "host", "-v", `${HOST_CA}:/etc/ssl/host-ca.crt:ro`,
    "-v", `${npmCache}:/npm-cache`, "-v", `${TEST_PINS_FILE}:/etc/trustnet-test-pins.txt:ro`, image, "sleep", "infinity"]);
  assert.equal(run.code, 0, run.stderr);
  const cp = await dockerd.docker(["cp", copy, `${ctr}:/root/trustnet`]);
  assert.equal(cp.code, 0, cp.stderr);
  execEnv = ["-w", "/root/trustnet", "-e", `TRUSTNET_NODE_MIRROR=${mirror.url}/node`, "-e", `TRUSTNET_COMETBFT_MIRROR=${mirror.url}/cometbft`,
    "-e", "NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca.crt", "-e", "npm_config_cache=/npm-cache", "-e", "TRUSTNET_PINS_FILE=/etc/trustnet-test-pins.txt"];
});

after(async () => {
  const out = join(ROOT, ".test-output", "installer");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "fresh-clone.log"), logs.join("\n")); // every command run in the container, with its output
  if (dockerd !== undefined) {
    if (ctr !== undefined) await dockerd.docker(["rm", "-f", ctr]);
    await dockerd.stop();
  }
  await mirror?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("fresh Debian bookworm machine: ./install.sh --yes from a clone", { timeout: 1_500_000 }, () => {
  let height = 0;
  let devnetJson = "";

  test("the machine has no node and no npm; the clone is there", async () => {
    const r = await sh("for t in node npm git; do command -v $t && exit 1; done; test -x ./install.sh && test -f cli/bin/trustnet.js");
    assert.equal(r.code, 0, r.out);
  });

  test("installs Node 24 and CometBFT, runs npm ci, and the devnet produces blocks", async () => {
    const r = await sh(`${README_FIRST} --yes`);
    console.log(`    first install from the clone took ${r.ms} ms`);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /TrustNet \S+ is installed/u);
    assert.match(r.out, /from a clone; nothing downloaded/u);
    const s1 = await rpcStatus();
    assert.equal(s1.network, "trustnet-local-1");
    await sleep(3000);
    height = (await rpcStatus()).height;
    assert.ok(s1.height >= 1 && height > s1.height, `blocks advance (${s1.height} -> ${height})`);
    assert.match((await sh(". /root/.trustnet/env && node --version")).out, /^v24\./mu);
    assert.match((await sh(". /root/.trustnet/env && trustnet devnet status --output json")).out, /"running": true/u);
    assert.deepEqual(await processes(), { supervisor: 1, app: 1, cometbft: 1, registry: 1 });
    devnetJson = (await sh("cat /root/.trustnet/devnet/devnet.json")).out;
  });

  test("a second ./install.sh --yes is idempotent: the same chain keeps producing, nothing duplicated", async () => {
    const r = await sh(`${README_FIRST} --yes`);
    console.log(`    re-run took ${r.ms} ms`);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /up to date/u, "npm ci is not run again");
    assert.doesNotMatch(r.out, /added to \/root\/\.profile/u, "the profile line is not added again");
    const s1 = await rpcStatus();
    assert.ok(s1.height >= height, `same chain, height kept (${height} -> ${s1.height})`);
    await sleep(3000);
    const s2 = await rpcStatus();
    assert.ok(s2.height > s1.height, `still producing (${s1.height} -> ${s2.height})`);
    assert.equal((await sh("cat /root/.trustnet/devnet/devnet.json")).out, devnetJson, "the same devnet (not regenerated)");
    assert.deepEqual(await processes(), { supervisor: 1, app: 1, cometbft: 1, registry: 1 }, "one of each process");
    assert.equal((await sh("grep -c 'TrustNet (added by install.sh)' /root/.profile")).out.trim(), "1");
  });
});
