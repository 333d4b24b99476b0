// install.sh end to end on this host, the way a user runs it: piped from a (local) release server, with the
// TrustNet release tarball, Node and CometBFT served from local mirrors. The devnet itself is not started here
// (--no-start): it would need the fixed contract ports, which other tests on this host may hold; the fresh-machine
// test starts it inside its own container.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pidAlive } from "../../cli/src/devnet/process-util.ts";
import { buildCometbftTarball, realCometbftPath, sumsFile } from "../../installer/src/testing/fixtures.ts";
import { type Mirror, startMirror } from "../../installer/src/testing/mirror.ts";
import { COMETBFT_VERSION, NODE_VERSION } from "../../installer/src/versions.ts";
import { baseEnv, privateNodeDir, runShell, tree, releaseMirrorFiles, TEST_PINS_FILE } from "./helpers.ts";

const PROFILE_LINE = (home: string): string => `. "${home}/env"  # TrustNet (added by install.sh)`;
const count = (hay: string, needle: string): number => hay.split(needle).length - 1;

let mirror: Mirror;
let work: string;
let userHome: string;
let tnHome: string;
let env: NodeJS.ProcessEnv;
let releaseVersion: string;
const ONE_LINER = 'curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes --no-start';

before(async () => {
  work = mkdtempSync(join(tmpdir(), "tn-inst-local-"));
  const rel = await releaseMirrorFiles(join(work, "release"));
  releaseVersion = rel.version;
  const files = rel.files;
  mirror = await startMirror(files);
  userHome = join(work, "user home");
  mkdirSync(userHome);
  tnHome = join(work, "my trustnet home");
  env = baseEnv(userHome, {
    TRUSTNET_HOME: tnHome,
    TRUSTNET_BASE_URL: `${mirror.url}/trustnet`,
    TRUSTNET_NODE_MIRROR: `${mirror.url}/node`,
    TRUSTNET_COMETBFT_MIRROR: `${mirror.url}/cometbft`,
    TRUSTNET_NPM_REGISTRY: "https://registry.npmjs.org",
    npm_config_cache: join(homedir(), ".cache", "trustnet-test", "npm"),
  });
});
after(async () => {
  await mirror.close();
  rmSync(work, { recursive: true, force: true });
});

const hits = (path: string): number => mirror.hits.get(path) ?? 0;

/**
 * Runs `fn` while a devnet of this home runs (started by the installed trustnet, on a port offset: the contract
 * ports may be held by other tests on this host), given its supervisor's PID. The home's devnet/ (the chain data the
 * tests keep) is moved to `work/<aside>` meanwhile; afterwards the devnet is stopped, its devnet/, registry/ and run/
 * are removed and the kept devnet/ is put back, whether `fn` passed or not.
 */
async function withRunningDevnet(aside: string, fn: (supervisor: number) => Promise<void>): Promise<void> {
  const kept = join(work, aside);
  renameSync(join(tnHome, "devnet"), kept);
  const trustnet = join(tnHome, "bin", "trustnet");
  try {
    const up = await runShell(`"${trustnet}" devnet up --home "${tnHome}" --port-offset 3000 --output json`, { env, timeoutMs: 180_000 });
    assert.equal(up.code, 0, up.stderr);
    await fn(Number(readFileSync(join(tnHome, "run", "supervisor.pid"), "utf8")));
  } finally {
    await runShell(`"${trustnet}" devnet down --home "${tnHome}"`, { env, timeoutMs: 60_000 });
    for (const d of ["devnet", "registry", "run"]) rmSync(join(tnHome, d), { recursive: true, force: true });
    renameSync(kept, join(tnHome, "devnet"));
  }
}

const nodeTgz = `/node/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-${process.arch === "arm64" ? "arm64" : "x64"}.tar.gz`;
const cbftTgz = `/cometbft/v${COMETBFT_VERSION}/cometbft_${COMETBFT_VERSION}_linux_${process.arch === "arm64" ? "arm64" : "amd64"}.tar.gz`;

describe("install.sh piped into a home with spaces", { timeout: 600_000 }, () => {
  test("first install: release tarball, Node 24, CometBFT, npm ci, env file, trustnet command, profile", async () => {
    const r = await runShell(ONE_LINER, { env, timeoutMs: 400_000 });
    console.log(`    first install took ${r.ms} ms`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[8\/8\]|\[7\/7\] Shell integration/);
    assert.match(r.stderr, /TrustNet \S+ is installed/);
    for (const f of ["env", "bin/trustnet", "bin/cometbft", "node/bin/node", "app/cli/bin/trustnet.js", "app/.trustnet-release", "app/node_modules"]) {
      assert.ok(existsSync(join(tnHome, f)), `${f} exists`);
    }
    assert.equal(hits(`/trustnet/trustnet-${releaseVersion}.tar.gz`), 1);
    assert.equal(hits(nodeTgz), 1);
    assert.equal(hits(cbftTgz), 1);
    assert.equal(readFileSync(join(userHome, ".profile"), "utf8"), `# Created by TrustNet's install.sh; 'install.sh --uninstall' deletes this file if nothing else is added to it.\n\n${PROFILE_LINE(tnHome)}\n`, "a fresh HOME's ~/.profile is created with a header saying whose it is");
    assert.deepEqual(tree(tnHome).filter((f) => /\.stage\.|node-stage|app\.new|cometbft-install/.test(f)), [], "no staging leftovers");
  });

  test("a NEW login shell has Node 24 and trustnet first on PATH", async () => {
    for (const shell of ["bash", "sh"]) {
      const r = await runShell(`exec ${shell} -l -c 'command -v node; node --version; command -v trustnet; command -v cometbft; trustnet --help >/dev/null && echo cli-ok'`, {
        env: { HOME: userHome, PATH: "/usr/local/bin:/usr/bin:/bin" },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split("\n"), [
        join(tnHome, "node/bin/node"), `v${NODE_VERSION}`, join(tnHome, "bin/trustnet"), join(tnHome, "bin/cometbft"), "cli-ok",
      ]);
    }
  });

  test("a re-run upgrades in place without downloading again and keeps data", async () => {
    mkdirSync(join(tnHome, "devnet", "node0"), { recursive: true });
    writeFileSync(join(tnHome, "devnet", "node0", "priv_validator_key.json"), "{\"keep\":true}");
    const r = await runShell(ONE_LINER, { env, timeoutMs: 300_000 });
    console.log(`    cached re-run took ${r.ms} ms`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /already installed/);
    assert.equal(hits(`/trustnet/trustnet-${releaseVersion}.tar.gz`), 1, "release tarball not downloaded again");
    assert.equal(hits(nodeTgz), 1, "node not downloaded again");
    assert.equal(hits(cbftTgz), 1, "cometbft not downloaded again");
    assert.equal(count(readFileSync(join(userHome, ".profile"), "utf8"), PROFILE_LINE(tnHome)), 1, "profile line added once");
    assert.equal(readFileSync(join(tnHome, "devnet", "node0", "priv_validator_key.json"), "utf8"), "{\"keep\":true}");
  });

  test("an interrupted install resumes: leftovers are cleaned and missing parts reinstalled", async () => {
    rmSync(join(tnHome, "node"), { recursive: true, force: true });
    rmSync(join(tnHome, "bin", "cometbft"));
    mkdirSync(join(tnHome, ".node-stage.abcdef", "root"), { recursive: true });
    mkdirSync(join(tnHome, "app.new"));
    mkdirSync(join(tnHome, "bin", ".cometbft-install-xyz"));
    const r = await runShell(ONE_LINER, { env, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(tnHome, "node/bin/node")));
    assert.ok(existsSync(join(tnHome, "bin/cometbft")));
    assert.equal(hits(nodeTgz), 2);
    assert.deepEqual(tree(tnHome).filter((f) => /node-stage|app\.new|cometbft-install-xyz/.test(f)), []);
  });

  test("a failed upgrade (npm ci of the new release fails) leaves the installed release in place and working", async () => {
    // Release 0.0.0-broken: this release, with a package.json its lock file does not satisfy, so `npm ci` fails.
    const broken = "0.0.0-broken";
    const dir = join(work, "broken", `trustnet-${broken}`);
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", join(work, "release", `trustnet-${releaseVersion}.tar.gz`), "-C", dir, "--strip-components=1"]);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    pkg.dependencies = { ...pkg.dependencies, "trustnet-upgrade-test-absent": "1.0.0" };
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    writeFileSync(join(dir, "package-lock.json"), readFileSync(join(dir, "package-lock.json"), "utf8") + "\n");
    const tgz = join(work, "broken", `trustnet-${broken}.tar.gz`);
    execFileSync("tar", ["-czf", tgz, "-C", join(work, "broken"), `trustnet-${broken}`]);
    const body = readFileSync(tgz);
    mirror.files.set(`/trustnet/trustnet-${broken}.tar.gz`, body);
    mirror.files.set(`/trustnet/trustnet-${broken}.tar.gz.sha256`, `${createHash("sha256").update(body).digest("hex")}  trustnet-${broken}.tar.gz\n`);
    const installed = readFileSync(join(tnHome, "app", ".trustnet-release"), "utf8");

    const r = await runShell(`curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes --no-start --version ${broken}`, { env, timeoutMs: 300_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error in step 6\/7 \(npm dependencies\): npm ci failed in .*app\.new; the installed release in .*\/app \(and a devnet running it\) was left as it was/);
    assert.equal(readFileSync(join(tnHome, "app", ".trustnet-release"), "utf8"), installed, "the installed release is unchanged");
    assert.ok(existsSync(join(tnHome, "app", "node_modules", ".trustnet-install")), "with its dependencies");
    const cli = await runShell(`"${join(tnHome, "bin", "trustnet")}" keys --help`, { env });
    assert.equal(cli.code, 0, `the installed trustnet command still works: ${cli.stderr}`);
    assert.equal(readFileSync(join(tnHome, "devnet", "node0", "priv_validator_key.json"), "utf8"), "{\"keep\":true}");
  });

  test("an upgrade interrupted between the two renames of the swap is repaired by the next run", async () => {
    const installed = readFileSync(join(tnHome, "app", ".trustnet-release"), "utf8");
    renameSync(join(tnHome, "app"), join(tnHome, "app.old")); // what a Ctrl-C right after the first rename leaves
    const r = await runShell(ONE_LINER, { env, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /restored the previous release in .*\/app/);
    assert.match(r.stderr, /already installed/);
    assert.equal(readFileSync(join(tnHome, "app", ".trustnet-release"), "utf8"), installed);
    assert.ok(existsSync(join(tnHome, "app", "node_modules", ".trustnet-install")));
    assert.deepEqual(tree(tnHome).filter((f) => /^app\.(old|new)/.test(f)), [], "no app.old or app.new left");
  });

  test("an upgrade stops a devnet running the installed release before replacing it, and keeps its data", async () => {
    const trustnet = join(tnHome, "bin", "trustnet");
    await withRunningDevnet("fake-devnet", async (supervisor) => {
      const genesis = readFileSync(join(tnHome, "devnet", "node0", "cometbft", "config", "genesis.json"), "utf8");
      // The next release: this one with one more file (another checksum, the same lock file).
      const next = "0.0.1-next";
      const dir = join(work, "next", `trustnet-${next}`);
      mkdirSync(dir, { recursive: true });
      execFileSync("tar", ["-xzf", join(work, "release", `trustnet-${releaseVersion}.tar.gz`), "-C", dir, "--strip-components=1"]);
      writeFileSync(join(dir, "NEXT"), "next\n");
      const tgz = join(work, "next", `trustnet-${next}.tar.gz`);
      execFileSync("tar", ["-czf", tgz, "-C", join(work, "next"), `trustnet-${next}`]);
      const body = readFileSync(tgz);
      mirror.files.set(`/trustnet/trustnet-${next}.tar.gz`, body);
      mirror.files.set(`/trustnet/trustnet-${next}.tar.gz.sha256`, `${createHash("sha256").update(body).digest("hex")}  trustnet-${next}.tar.gz\n`);

      const r = await runShell(`curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes --no-start --version ${next}`, { env, timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /\[6\/7\] npm dependencies\n {4}stopped the running devnet \(it ran the release being replaced\)\n {4}done \(\d+s\) - unchanged \(kept from the installed release\)/);
      assert.match(r.stderr, /was stopped for the upgrade; the same command starts it again/);
      // Gone, or exited and not yet reaped (a zombie: where PID 1 reaps no orphans, as in some containers).
      assert.ok(!pidAlive(supervisor), "the old supervisor is gone");
      assert.ok(existsSync(join(tnHome, "app", "NEXT")), "the new release is installed");
      assert.ok(existsSync(join(tnHome, "app", "node_modules", ".trustnet-install")));
      assert.equal(readFileSync(join(tnHome, "devnet", "node0", "cometbft", "config", "genesis.json"), "utf8"), genesis, "chain data kept");
      // The same chain starts again with the new release.
      const again = await runShell(`"${trustnet}" devnet up --home "${tnHome}" --port-offset 3000`, { env, timeoutMs: 180_000 });
      assert.equal(again.code, 0, again.stderr);
    });
    // Back to the release under test (the tests below run its install.sh from the home).
    const r = await runShell(ONE_LINER, { env, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
  });

  test("an upgrade with another Node and CometBFT stages them: while the devnet runs and a later step fails, nothing it runs on changes", async () => {
    // Release 0.0.2-bins: pins Node 24.99.0 and CometBFT 0.38.99 (served here as wrappers around the real binaries
    // that report those versions), and its npm ci fails (a dependency its lock file lacks), in step 6.
    const bins = "0.0.2-bins";
    const nodeVer = "24.99.0";
    const cbVer = "0.38.99";
    const dir = join(work, "bins", `trustnet-${bins}`);
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", join(work, "release", `trustnet-${releaseVersion}.tar.gz`), "-C", dir, "--strip-components=1"]);
    const edit = (file: string, from: string, to: string): void => {
      const text = readFileSync(join(dir, file), "utf8");
      assert.ok(text.includes(from), `${file} has ${from}`);
      writeFileSync(join(dir, file), text.replace(from, to));
    };
    edit("scripts/lib/node-env.sh", `TRUSTNET_NODE_VERSION:-${NODE_VERSION}`, `TRUSTNET_NODE_VERSION:-${nodeVer}`);
    edit("installer/src/versions.ts", `COMETBFT_VERSION = "${COMETBFT_VERSION}"`, `COMETBFT_VERSION = "${cbVer}"`);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    pkg.dependencies = { ...pkg.dependencies, "trustnet-upgrade-test-absent": "1.0.0" };
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    const tgz = join(work, "bins", `trustnet-${bins}.tar.gz`);
    execFileSync("tar", ["-czf", tgz, "-C", join(work, "bins"), `trustnet-${bins}`]);
    const body = readFileSync(tgz);
    mirror.files.set(`/trustnet/trustnet-${bins}.tar.gz`, body);
    mirror.files.set(`/trustnet/trustnet-${bins}.tar.gz.sha256`, `${createHash("sha256").update(body).digest("hex")}  trustnet-${bins}.tar.gz\n`);
    // Node 24.99.0: bin/node and bin/npm run the real Node (of this test), only --version differs.
    const nodeName = `node-v${nodeVer}-linux-${process.arch === "arm64" ? "arm64" : "x64"}`;
    const real = privateNodeDir();
    const nodeRoot = join(work, "bins", nodeName);
    mkdirSync(join(nodeRoot, "bin"), { recursive: true });
    writeFileSync(join(nodeRoot, "bin", "node"), `#!/bin/sh\n[ "$1" = --version ] && { echo v${nodeVer}; exit 0; }\nexec "${real}/bin/node" "$@"\n`, { mode: 0o755 });
    writeFileSync(join(nodeRoot, "bin", "npm"), `#!/bin/sh\nexec "${real}/bin/node" "${real}/lib/node_modules/npm/bin/npm-cli.js" "$@"\n`, { mode: 0o755 });
    execFileSync("sh", ["-c", 'tar -C "$1" -cf - "$2" | gzip -1 > "$3"', "sh", join(work, "bins"), nodeName, `${nodeRoot}.tar.gz`]);
    const nodeBody = readFileSync(`${nodeRoot}.tar.gz`);
    const nodeSha = createHash("sha256").update(nodeBody).digest("hex");
    mirror.files.set(`/node/v${nodeVer}/${nodeName}.tar.gz`, nodeBody);
    mirror.files.set(`/node/v${nodeVer}/SHASUMS256.txt`, `${nodeSha}  ${nodeName}.tar.gz\n`);
    const cbAsset = `cometbft_${cbVer}_linux_${process.arch === "arm64" ? "arm64" : "amd64"}.tar.gz`;
    const cbBody = buildCometbftTarball({ script: `#!/bin/sh\n[ "$1" = version ] && { echo ${cbVer}; exit 0; }\nexec "${realCometbftPath()}" "$@"\n` });
    mirror.files.set(`/cometbft/v${cbVer}/${cbAsset}`, cbBody);
    mirror.files.set(`/cometbft/v${cbVer}/SHA256SUMS-${cbVer}.txt`, sumsFile({ [cbAsset]: cbBody }));
    const pins = join(work, "bins", "pins.txt");
    writeFileSync(pins, `${readFileSync(TEST_PINS_FILE, "utf8")}${nodeSha}  ${nodeName}.tar.gz\n${createHash("sha256").update(cbBody).digest("hex")}  ${cbAsset}\n`);

    const trustnet = join(tnHome, "bin", "trustnet");
    const nodeBin = join(tnHome, "node", "bin", "node");
    const cbBin = join(tnHome, "bin", "cometbft");
    await withRunningDevnet("fake-devnet-bins", async (supervisor) => {
      const installed = (): string[] => [
        execFileSync(nodeBin, ["--version"], { encoding: "utf8" }).trim(), String(statSync(nodeBin).ino),
        execFileSync(cbBin, ["version"], { encoding: "utf8" }).trim(), String(statSync(cbBin).ino),
        readlinkSync(`/proc/${supervisor}/exe`),
      ];
      const before = installed();
      assert.equal(before[0], `v${NODE_VERSION}`);

      const r = await runShell(`curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes --no-start --version ${bins}`, { env: { ...env, TRUSTNET_PINS_FILE: pins }, timeoutMs: 300_000 });
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(installed(), before, "the installed Node and CometBFT, and the running devnet's Node, are unchanged");
      assert.match(r.stderr, new RegExp(`v${nodeVer} at .*/node\\.new/bin/node \\(staged`));
      assert.match(r.stderr, new RegExp(`${cbVer.replaceAll(".", "\\.")} at .*/bin/cometbft\\.new \\(staged`));
      assert.match(r.stderr, /error in step 6\/7 \(npm dependencies\): npm ci failed in .*app\.new/);
      assert.ok(pidAlive(supervisor), "the devnet still runs");
      const status = await runShell(`"${trustnet}" devnet status --home "${tnHome}"`, { env, timeoutMs: 60_000 });
      assert.equal(status.code, 0, `the installed trustnet still runs the devnet: ${status.stderr}`);
    });
    // The next run cleans the staged binaries up.
    const r = await runShell(ONE_LINER, { env, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tree(tnHome).filter((f) => /^node\.(new|old)|^bin\/cometbft\.|swap-in-progress/.test(f)), [], "no staged or old binaries left");
  });

  test("an upgrade interrupted among the swap's renames gets its previous Node and CometBFT back on the next run", async () => {
    const nodeBin = join(tnHome, "node", "bin", "node");
    const version = execFileSync(nodeBin, ["--version"], { encoding: "utf8" }).trim();
    // What a Ctrl-C right after Node's two renames leaves: the staged Node in place, the previous one in node.old.
    renameSync(join(tnHome, "node"), join(tnHome, "node.old"));
    mkdirSync(join(tnHome, "node", "bin"), { recursive: true });
    writeFileSync(join(tnHome, "node", "bin", "node"), "#!/bin/sh\necho v0.0.0-half-swapped\n", { mode: 0o755 });
    writeFileSync(join(tnHome, ".swap-in-progress"), "");
    const r = await runShell(ONE_LINER, { env, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /restored the previous Node \(.*\/node\) and CometBFT/);
    assert.equal(execFileSync(nodeBin, ["--version"], { encoding: "utf8" }).trim(), version);
    assert.equal(hits(nodeTgz), 2, "the previous Node came back, not downloaded again");
    assert.deepEqual(tree(tnHome).filter((f) => /^node\.(new|old)|swap-in-progress/.test(f)), []);
  });

  test("a taken contract port stops the install before the devnet starts, naming the port and the process", async () => {
    let held: Server | undefined;
    let port = 0;
    for (const p of [26658, 1317, 26656, 26657, 8000]) {
      const srv = createServer((sock) => sock.destroy()); // other tests on this host may probe the port
      const ok = await new Promise<boolean>((res) => {
        srv.once("error", () => res(false));
        srv.listen(p, "127.0.0.1", () => res(true));
      });
      if (ok) {
        held = srv;
        port = p;
        break;
      }
    }
    try {
      const r = await runShell('curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes', { env, timeoutMs: 300_000 });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /error in step 8\/8 \(Starting the local devnet/);
      if (held !== undefined) assert.match(r.stderr, new RegExp(`port ${port} is already in use by pid ${process.pid} \\(.*node`));
      else assert.match(r.stderr, /port \d+ is already in use/);
      assert.match(r.stderr, /fix: stop that program/);
      assert.ok(!existsSync(join(tnHome, "run", "supervisor.pid")), "no devnet was started");
    } finally {
      held?.close();
    }
  });

  test("--uninstall without --yes and without a terminal changes nothing", async () => {
    const before = tree(tnHome);
    const r = await runShell(`sh "${join(tnHome, "app", "install.sh")}" --uninstall`, { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not confirmed; nothing was changed/);
    assert.deepEqual(tree(tnHome), before);
  });

  test("--uninstall --keep-data keeps keys and chain data only; --uninstall removes the rest", async () => {
    let r = await runShell(`sh "${join(tnHome, "app", "install.sh")}" --uninstall --keep-data --yes`, { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tree(tnHome), ["devnet", "devnet/node0", "devnet/node0/priv_validator_key.json"]);
    // The fresh HOME had no ~/.profile: the one the installer created is gone with its line.
    assert.equal(existsSync(join(userHome, ".profile")), false, "the ~/.profile the installer created is deleted");
    // Reinstall over a profile of the user's own, then remove everything: the profile is byte for byte as it was.
    const mine = "# my profile\nexport EDITOR=vi\n\n";
    writeFileSync(join(userHome, ".profile"), mine);
    r = await runShell(ONE_LINER, { env, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(userHome, ".profile"), "utf8"), `${mine}\n${PROFILE_LINE(tnHome)}\n`);
    r = await runShell('curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --uninstall --yes', { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(tnHome), false, "the whole home is gone");
    assert.equal(readFileSync(join(userHome, ".profile"), "utf8"), mine, "the user's profile is as it was before the install");
  });
});
