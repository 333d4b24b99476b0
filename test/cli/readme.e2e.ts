// The README's first session, run exactly as written (issue 10): every line of the block after the
// `readme-session` marker in README.md runs with `sh -c` in order, on a fresh devnet on the contract ports, with
// `trustnet` on PATH as after ./install.sh and a real Docker engine for `registry login` and `docker push`. If the
// README and the CLI drift apart, this fails. Then the bad inputs of key-name resolution: a key that does not exist
// (clear error, nothing sent) and a key whose name is also an address (the address wins, with a warning).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { isPortFree } from "../../installer/src/ports.ts";
import { type Dockerd, startDockerd } from "../registry/helpers.ts";
import { repoRoot } from "./cli-run.ts";

const PASS = "readme e2e passphrase";
const CONTRACT_PORTS = [26656, 26657, 26658, 1317, 8000];

/** The lines of the README block introduced by the `readme-session` marker. */
export function readmeSession(readme: string): string[] {
  const at = readme.indexOf("<!-- readme-session:");
  if (at < 0) throw new Error("README.md has no readme-session block");
  const block = /```sh\n([\s\S]*?)```/u.exec(readme.slice(at));
  if (!block?.[1]) throw new Error("no ```sh block after the readme-session marker");
  return block[1].split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

let work = "";
let home = "";
let dockerd: Dockerd | undefined;
let env: NodeJS.ProcessEnv = {};
const transcript: string[] = [];

function sh(line: string, timeoutMs = 180_000): { code: number; stdout: string; stderr: string } {
  const r = spawnSync("sh", ["-c", line], { cwd: work, env, encoding: "utf8", timeout: timeoutMs, maxBuffer: 16 << 20 });
  transcript.push(`$ ${line}\n${r.stdout}${r.stderr}(exit ${r.status})`);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const tn = (args: string): { code: number; stdout: string; stderr: string } => sh(`trustnet ${args}`);
function tnJson<T>(args: string): T {
  const r = tn(`${args} --output json`);
  assert.equal(r.code, 0, `trustnet ${args}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
const utrust = (who: string): bigint => BigInt(tnJson<{ utrust: string }>(`balance ${who}`).utrust);

before(async () => {
  for (const p of CONTRACT_PORTS) {
    if (!(await isPortFree(p))) throw new Error(`port ${p} is in use; the README session runs on the contract ports (stop the other devnet)`);
  }
  work = mkdtempSync(join(tmpdir(), "tn-readme-"));
  home = join(work, "trustnet-home");
  const bin = join(work, "bin");
  mkdirSync(bin);
  // What ./install.sh puts on PATH: a `trustnet` that runs this checkout's CLI.
  writeFileSync(join(bin, "trustnet"), `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, "cli", "bin", "trustnet.js")}" "$@"\n`);
  chmodSync(join(bin, "trustnet"), 0o755);
  dockerd = await startDockerd(join(work, "docker"));
  env = {
    ...process.env, PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, TRUSTNET_HOME: home, TRUSTNET_KEYRING_PASSPHRASE: PASS,
    DOCKER_HOST: dockerd.host, DOCKER_CONFIG: join(work, "docker", "client-config"),
  };
  delete env.TRUSTNET_NODE;
  delete env.TRUSTNET_CHAIN_ID;
});

after(async () => {
  if (home !== "") sh("trustnet devnet down");
  await dockerd?.stop();
  const out = join(repoRoot, ".test-output", "cli");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "readme-session.log"), transcript.join("\n\n"));
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

describe("README session, exactly as written", { timeout: 600_000 }, () => {
  const lines = readmeSession(readFileSync(join(repoRoot, "README.md"), "utf8"));

  test("the block holds the commands the README promises", () => {
    for (const want of [/^trustnet keys add alice\b/u, /^trustnet devnet faucet alice 100TRUST\b/u, /^trustnet balance alice\b/u, /^trustnet send bob 1\.5TRUST --from alice\b/u, /^trustnet registry login\b/u, /^docker push 127\.0\.0\.1:8000\/alice\//u]) {
      assert.ok(lines.some((l) => want.test(l)), `README session has a line matching ${want}`);
    }
  });

  test("every line succeeds, in order, on a fresh devnet", () => {
    for (const line of lines) {
      const r = sh(line);
      assert.equal(r.code, 0, `README line failed: ${line}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    }
  });

  test("and did what it says: alice funded, bob paid, the push recorded on chain as alice's", () => {
    const alice = tnJson<{ address: string }>("keys show alice").address;
    assert.equal(utrust("bob"), 1_500_000n);
    const a = utrust("alice");
    // 100 − 1.5 sent to bob − 1 locked by the namespace claim (registry namespace_deposit, refunded on release) − fees
    assert.ok(a < 97_500_000n && a > 97_000_000n, `alice paid 1.5 TRUST, the 1 TRUST namespace deposit and fees (${a})`);
    const tags = tnJson<{ records: { tag: string; pusher: string; digest: string }[] }>("registry tags alice/hello");
    assert.deepEqual(tags.records.map((r) => [r.tag, r.pusher]), [["1", alice]]);
    assert.equal(tnJson<{ verified: boolean }>("registry verify 127.0.0.1:8000/alice/hello:1 --wait 20").verified, true);
  });

  test("a key name that does not exist: a clear error, and nothing is sent", () => {
    const faucet = JSON.parse(readFileSync(join(home, "devnet", "faucet.json"), "utf8")) as { address: string };
    const before = [utrust(faucet.address), utrust("alice")];
    const f = tn("devnet faucet carol 5TRUST");
    assert.equal(f.code, 1, f.stderr);
    assert.match(f.stderr, /no key named "carol" in .*keys, and "carol" is not a trust1… address/u);
    assert.match(f.stderr, /trustnet keys add carol/u);
    const s = tn("send carol 1TRUST --from alice");
    assert.equal(s.code, 1, s.stderr);
    assert.match(s.stderr, /no key named "carol"/u);
    assert.deepEqual([utrust(faucet.address), utrust("alice")], before, "no funds moved");
    assert.equal(tnJson<{ sequence: string }>("account alice").sequence, "3", "alice signed nothing more (send, namespace claim, authorize)");
  });

  test("a name that collides with an address: the address is used, with a warning", () => {
    const dave = tnJson<{ address: string }>("keys add dave").address;
    // `keys add` refuses address-shaped names; a keystore copied in by hand under dave's address as its name:
    const refused = tn(`keys add ${dave}`);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is a trust1… address/u);
    copyFileSync(join(home, "keys", "bob.json"), join(home, "keys", `${dave}.json`));
    const bobBefore = utrust("bob");
    const r = tn(`send ${dave} 1TRUST --from alice`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`warning: "${dave}" is both an address and the name of a key .*; using it as the address`, "u"));
    assert.equal(utrust("dave"), 1_000_000n, "the address got the funds");
    assert.equal(utrust("bob"), bobBefore, "not the key of that name");
  });
});
