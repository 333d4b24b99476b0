// The README's first command, end to end (issue 10): `./install.sh --yes` from a copy of the repository in a fresh
// Debian bookworm machine (the rootfs of the fresh-machine test: no Node, no git, no compiler), imported into a
// private Docker engine. install.sh brings Node 24 and CometBFT from a local mirror serving real tarballs with real
// checksums (nodejs.org and GitHub are not reachable from CI), npm ci runs against the real npm registry with the
// host's CA certificates (as on a company machine behind a TLS-inspecting proxy), and the devnet it starts produces
// blocks. A second `./install.sh --yes` is idempotent: the same chain keeps producing, one of each process, no
// duplicated profile line. The container shares the host network, so the contract ports must be free on this host.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type FreshContainer, startFreshContainer } from "./fresh-container.ts";
import { cometbftMirrorFiles, nodeMirrorFiles, ROOT } from "./helpers.ts";

/** The README's first command, as a user types it in the clone. */
const README_FIRST = "./install.sh";

let c: FreshContainer;
const sh = (cmd: string, timeoutMs?: number): ReturnType<FreshContainer["sh"]> => c.sh(cmd, timeoutMs);
const rpcStatus = (): ReturnType<FreshContainer["rpcStatus"]> => c.rpcStatus();

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
  c = await startFreshContainer({
    name: "fresh-clone", workdir: "/root/trustnet",
    files: () => new Map([
      ...[...nodeMirrorFiles()].map(([k, v]) => [`/node${k}`, v] as const),
      ...[...cometbftMirrorFiles()].map(([k, v]) => [`/cometbft${k}`, v] as const),
    ]),
    env: (url) => [`TRUSTNET_NODE_MIRROR=${url}/node`, `TRUSTNET_COMETBFT_MIRROR=${url}/cometbft`],
  });
  // A copy of the repository as a clone has it: the tracked (and new, not ignored) files of this checkout; no
  // node_modules, no .git (the machine has no git anyway).
  const copy = join(c.work, "trustnet");
  mkdirSync(copy);
  execFileSync("sh", ["-c", 'git -C "$1" ls-files -z -co --exclude-standard | (cd "$1" && tar --null -T - -cf -) | tar -C "$2" -xf -', "sh", ROOT, copy]);
  await c.copyIn(copy, "/root/trustnet");
});

after(async () => {
  await c?.close();
});

describe("fresh Debian bookworm machine: ./install.sh --yes from a clone", { timeout: 1_500_000 }, () => {
  let height = 0;
  let devnetJson = "";

  test("the machine has no node and no npm; the clone is there", async () => {
    const r = await sh("for t in node npm git; do command -v $t && exit 1; done; test -x ./install.sh && test -f cli/bin/trustnet.js");
    assert.equal(r.code, 0, r.out);
  });

  test("installs Node 24 and CometBFT, runs npm ci, and the devnet produces blocks", async () => {
    // As a user runs it: without the shared npm cache the other container tests are given, so that where npm's cache
    // lands (the TrustNet home, not ~/.npm) is the installer's doing.
    const r = await sh(`env -u npm_config_cache ${README_FIRST} --yes`);
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
    const npmCache = await sh("test ! -e /root/.npm && test -d /root/.trustnet/cache/npm/_cacache && echo in-home");
    assert.equal(npmCache.out.trim(), "in-home", "npm's cache is in the TrustNet home (--uninstall removes it), not ~/.npm");
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
