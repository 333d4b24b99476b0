// The fresh-machine test: a minimal Debian bookworm (mmdebstrap minbase + curl + ca-certificates: no Node, no git,
// no build tools) imported into a private Docker engine; the README one-liner, pointed at a local server holding the
// TrustNet release tarball, the CometBFT tarball and the Node tarball (each with its checksum file), installs
// TrustNet non-interactively and the devnet inside the container produces blocks on 26657. Then a cached re-run,
// then --uninstall --keep-data. The container shares the host network (everything stays on 127.0.0.1), so the
// contract ports must be free on this host while it runs (CI runs end-to-end files one at a time).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type FreshContainer, startFreshContainer } from "./fresh-container.ts";
import { releaseMirrorFiles } from "./helpers.ts";

/** The README's one-liner; the test points the URL (and TRUSTNET_BASE_URL) at the local server. */
export const README_ONE_LINER = "curl -fsSL https://github.com/trustnet-chain/trustnet/releases/download/v0.1.0/install.sh | sh -s -- --yes";

let c: FreshContainer;
let oneLiner: string;
const sh = (cmd: string, timeoutMs?: number): ReturnType<FreshContainer["sh"]> => c.sh(cmd, timeoutMs);
const rpcHeight = async (): Promise<number> => (await c.rpcStatus()).height;
const fsList = (): Promise<string[]> => c.fsList();

before(async () => {
  c = await startFreshContainer({
    name: "fresh-machine",
    files: async (work) => (await releaseMirrorFiles(join(work, "release"))).files,
    env: (url) => [`TRUSTNET_BASE_URL=${url}/trustnet`, `TRUSTNET_NODE_MIRROR=${url}/node`, `TRUSTNET_COMETBFT_MIRROR=${url}/cometbft`],
  });
  oneLiner = README_ONE_LINER.replace(/https:\/\/\S+\/install\.sh/, `${c.mirrorUrl}/trustnet/install.sh`);
});

after(async () => {
  await c?.close();
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
