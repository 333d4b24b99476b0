// install.sh with real shells and real files: what it must refuse, and what it must never do.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { realCometbftPath } from "../../installer/src/testing/fixtures.ts";
import { baseEnv, INSTALL_SH, privateNodeDir, ROOT, runShell, tree } from "./helpers.ts";

const dirs: string[] = [];
const tmp = (label: string): string => {
  const d = mkdtempSync(join(tmpdir(), `tn-inst ${label} `));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const script = readFileSync(INSTALL_SH, "utf8");

/** A PATH directory with only the basic tools install.sh needs (symlinked), plus `extra`: no curl, wget, qemu... */
function toolDir(home: string, extra: readonly string[]): string {
  const bin = join(home, "..", `${home.split("/").pop()}-bin`);
  dirs.push(bin);
  mkdirSync(bin);
  const tools = ["sh", "uname", "id", "sed", "tr", "mkdir", "cat", "grep", "date", "dirname", "wc", "mktemp", "rm", "mv",
    "chmod", "cut", "tar", "gzip", "sha256sum", "tail", "sleep", "ls", "awk", "cmp", "env", "pwd", "printf", ...extra];
  for (const t of tools) {
    for (const d of ["/usr/bin", "/bin"]) {
      try {
        symlinkSync(join(d, t), join(bin, t));
        break;
      } catch {
        /* next dir */
      }
    }
  }
  return bin;
}

describe("install.sh: a truncated download executes nothing", () => {
  for (const shell of ["bash", "sh"]) {
    test(`${shell}: cut at 1/4, 1/2, 3/4 and just before the last line`, async () => {
      const lines = script.split("\n");
      const lastCall = lines.findLastIndex((l) => l.startsWith("trustnet_install "));
      const cuts = [0.25, 0.5, 0.75].map((f) => script.slice(0, Math.floor(script.length * f)));
      cuts.push(`${lines.slice(0, lastCall).join("\n")}\n`);
      for (const part of cuts) {
        const home = tmp("trunc");
        const r = await runShell(shell, { env: baseEnv(home, { TRUSTNET_HOME: join(home, "tn") }), input: part, shell: "/bin/sh" });
        assert.equal(r.stdout, "", "no output on stdout");
        assert.doesNotMatch(r.stderr, /TrustNet|step|==>/, `nothing of the installer ran:\n${r.stderr}`);
        assert.deepEqual(tree(home), [], "no file created");
      }
    });
  }
});

describe("install.sh: options", () => {
  test("--help lists every option and the environment variables, changes nothing", async () => {
    const home = tmp("help");
    const r = await runShell(`sh "${INSTALL_SH}" --help`, { env: baseEnv(home) });
    assert.equal(r.code, 0);
    for (const o of ["--local", "--vm", "--validators N", "--prefix DIR", "--version", "--yes", "--uninstall", "--keep-data", "--dry-run", "TRUSTNET_BASE_URL", "TRUSTNET_HOME"]) {
      assert.ok(r.stdout.includes(o), `--help mentions ${o}`);
    }
    assert.deepEqual(tree(home), []);
  });

  test("--dry-run prints the plan and changes nothing (install and uninstall)", async () => {
    const home = tmp("dry");
    for (const args of ["--dry-run", "--dry-run --vm --yes", "--uninstall --dry-run", "--dry-run --validators 4 --prefix 'x y'"]) {
      const r = await runShell(`cd "$HOME" && sh "${INSTALL_SH}" ${args}`, { env: baseEnv(home) });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /dry run: nothing will be changed/);
      assert.deepEqual(tree(home), [], `${args} created nothing`);
    }
    const r = await runShell(`sh "${INSTALL_SH}" --dry-run --validators 4`, { env: baseEnv(home) });
    assert.match(r.stderr, /devnet up --home ".*\.trustnet" --validators 4/);
    assert.match(r.stderr, /ports 26656 26657 26658 1317 8000 must be free/);
  });

  test("bad options are refused with the fix", async () => {
    const home = tmp("bad");
    const cases: [string, RegExp][] = [
      ["--frobnicate", /unknown option '--frobnicate'[\s\S]*install\.sh --help/],
      ["--validators zero", /--validators must be a whole number, got 'zero'/],
      ["--validators 0", /between 1 and 16, got 0/],
      ["--keep-data", /--keep-data only makes sense with --uninstall/],
      ["--version '1;rm'", /invalid --version/],
      ["--prefix '/tmp/a\"b'", /contains "/],
    ];
    for (const [args, re] of cases) {
      const r = await runShell(`sh "${INSTALL_SH}" ${args}`, { env: baseEnv(home) });
      assert.equal(r.code, 1, args);
      assert.match(r.stderr, re);
      assert.match(r.stderr, /fix:/);
    }
    assert.deepEqual(tree(home), []);
  });

  test("a ~ the shell did not expand (--prefix=~/tn under dash or zsh, '~/tn' quoted, TRUSTNET_HOME='~/tn') means $HOME; ~user is refused", async () => {
    const user = tmp("tilde");
    const cwd = join(user, "cwd");
    mkdirSync(cwd);
    const env = baseEnv(user, { TRUSTNET_NODE_MIRROR: "http://127.0.0.1:9" }); // a run that gets past step 1 stops at Node
    const cases: [string, NodeJS.ProcessEnv][] = [["'--prefix=~/tn'", {}], ["--prefix '~/tn'", {}], ["", { TRUSTNET_HOME: "~/tn" }]];
    for (const [args, extra] of cases) {
      const r = await runShell(`cd "$HOME/cwd" && sh "${INSTALL_SH}" --dry-run ${args}`, { env: { ...env, ...extra } });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stderr.includes(`prefix       : ${join(user, "tn")} (will be created)`), `${args || "TRUSTNET_HOME=~/tn"}: ${r.stderr}`);
    }
    let r = await runShell(`cd "$HOME/cwd" && sh "${INSTALL_SH}" --yes --no-start '--prefix=~/tn'`, { env });
    assert.match(r.stderr, /error in step 4\/7/, r.stderr);
    assert.ok(existsSync(join(user, "tn", "logs", "install.log")), "installed into $HOME/tn");
    assert.deepEqual(tree(cwd), [], "no directory named ~ in the current directory");
    r = await runShell(`cd "$HOME/cwd" && sh "${INSTALL_SH}" --yes --no-start --prefix '~'`, { env });
    assert.match(r.stderr, new RegExp(`refusing to use '${user}' itself as the prefix`));
    for (const args of ["--yes --no-start --prefix '~alice/tn'", "--uninstall --yes --prefix '~alice'"]) {
      r = await runShell(`cd "$HOME/cwd" && sh "${INSTALL_SH}" ${args}`, { env });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /the prefix '~alice[^']*' starts with ~user, which the installer does not expand\nfix: write the directory in full, e\.g\. --prefix "\$HOME\/trustnet"[^\n]*nothing was changed/);
    }
    assert.deepEqual(tree(cwd), []);
  });

  test("--uninstall deletes only a TrustNet home: never a folder it did not install, the home folder or one above it", async () => {
    const home = tmp("uninst");
    const user = join(home, "u");
    const projects = join(user, "projects");
    mkdirSync(projects, { recursive: true });
    writeFileSync(join(projects, "work.txt"), "precious\n");
    const before = tree(home);
    const cases: [string, RegExp][] = [
      [projects, /refusing to uninstall '[^']*projects': TrustNet was never installed there/],
      [`${user}/../u`, /refusing to uninstall '[^']*': it is your home folder, one above it, or unreadable/],
      [home, /it is your home folder, one above it/],
      ["/", /refusing to use '' itself as the prefix/],
    ];
    for (const [prefix, re] of cases) {
      const r = await runShell(`sh "${INSTALL_SH}" --uninstall --yes --prefix '${prefix}'`, { env: baseEnv(user) });
      assert.equal(r.code, 1, `${prefix}: ${r.stderr}`);
      assert.match(r.stderr, re, prefix);
      if (prefix !== "/") assert.match(r.stderr, /nothing was changed/);
      assert.deepEqual(tree(home), before, `${prefix}: nothing deleted`);
    }
    // what --uninstall --keep-data leaves of a home (chain data) is a TrustNet home: the full uninstall removes it
    const kept = join(user, ".trustnet");
    mkdirSync(join(kept, "devnet", "node0"), { recursive: true });
    writeFileSync(join(kept, "devnet", "node0", "priv_validator_key.json"), "{}");
    const r = await runShell(`sh "${INSTALL_SH}" --uninstall --yes --prefix '${kept}'`, { env: baseEnv(user) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tree(home), before, "the kept data is gone, the rest untouched");
  });

  test("a prefix that already holds other files (--prefix ~/.local) is refused before anything is written", async () => {
    const user = tmp("foreign");
    const local = join(user, ".local");
    mkdirSync(join(local, "share", "keyrings"), { recursive: true });
    mkdirSync(join(local, "bin"));
    writeFileSync(join(local, "bin", "mytool"), "#!/bin/sh\n");
    const before = tree(user);
    const env = baseEnv(user, { TRUSTNET_NODE_MIRROR: "http://127.0.0.1:9" }); // a run that gets past step 1 stops at Node
    let r = await runShell(`sh "${INSTALL_SH}" --yes --no-start --prefix "$HOME/.local"`, { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error in step 1\/7 \(Checking the prefix [^)]*\): [^\n]*\.local already exists and holds files that are not TrustNet's \(share bin\/mytool\)/);
    assert.match(r.stderr, /'install\.sh --uninstall' deletes the whole directory/);
    assert.match(r.stderr, /fix: use a new or empty directory of its own, e\.g\. --prefix '[^']*\.local\/trustnet'; nothing was changed/);
    assert.deepEqual(tree(user), before, "nothing written into the foreign prefix or the profile");
    r = await runShell(`sh "${INSTALL_SH}" --dry-run --prefix "$HOME/.local"`, { env });
    assert.match(r.stderr, /prefix {7}: [^\n]*\.local \(REFUSED: it holds files that are not TrustNet's: share bin\/mytool/);
    // What an interrupted run leaves (bin/, cache/, logs/) is the installer's own: the re-run gets past step 1.
    const fresh = join(user, "tn");
    for (const arg of [fresh, fresh]) {
      r = await runShell(`sh "${INSTALL_SH}" --yes --no-start --prefix "${arg}"`, { env });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /error in step 4\/7/, r.stderr);
    }
  });

  test("a full node an older `node init` wrote to <home>/node (the installer's Node.js dir) is refused by install and uninstall, nothing changed; <home>/fullnode is TrustNet's", async () => {
    const user = tmp("legacy-fullnode");
    const home = join(user, "tn");
    mkdirSync(join(home, "node", "cometbft", "config"), { recursive: true });
    writeFileSync(join(home, "node", "node.json"), "{}");
    writeFileSync(join(home, "node", "cometbft", "config", "priv_validator_key.json"), "{}");
    mkdirSync(join(home, "keys"));
    writeFileSync(join(home, ".install-state"), "version=0.0.9\nmode=local\n");
    const before = tree(user);
    const env = baseEnv(user, { TRUSTNET_NODE_MIRROR: "http://127.0.0.1:9" });
    for (const args of ["--yes --no-start", "--uninstall --yes", "--uninstall --keep-data --yes"]) {
      const r = await runShell(`sh "${INSTALL_SH}" ${args} --prefix "$HOME/tn"`, { env });
      assert.equal(r.code, 1, `${args}: ${r.stderr}`);
      assert.match(r.stderr, /tn\/node holds a TrustNet full node \(node\.json, its keys under cometbft\/config\/\), made by an older 'trustnet node init'/u, args);
      assert.match(r.stderr, /mv '[^']*tn\/node' '[^']*tn\/fullnode'/u, args);
      assert.deepEqual(tree(user), before, `${args}: nothing changed`);
    }
    // Moved where `node init` now writes it, the home is TrustNet's: the install gets past step 1 (it stops at Node).
    renameSync(join(home, "node"), join(home, "fullnode"));
    const r = await runShell(`sh "${INSTALL_SH}" --yes --no-start --prefix "$HOME/tn"`, { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error in step 4\/7/u, r.stderr);
    assert.ok(existsSync(join(home, "fullnode", "cometbft", "config", "priv_validator_key.json")));
    // What --keep-data leaves of such a home (fullnode/ alone) is still TrustNet's: a second --uninstall deletes it.
    rmSync(join(home, "keys"), { recursive: true });
    for (const e of ["bin", "cache", "logs", ".install-state"]) rmSync(join(home, e), { recursive: true, force: true });
    const again = await runShell(`sh "${INSTALL_SH}" --uninstall --yes --prefix "$HOME/tn"`, { env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(existsSync(home), false, "the whole home is deleted");
  });

  test("--uninstall of a home that also holds other files (~/.local, accepted by older installers) removes only TrustNet's part", async () => {
    const user = tmp("shared-home");
    const local = join(user, ".local");
    mkdirSync(join(local, "share", "keyrings"), { recursive: true });
    mkdirSync(join(local, "bin"));
    mkdirSync(join(local, "devnet", "node0"), { recursive: true });
    mkdirSync(join(local, "node"));
    writeFileSync(join(local, "share", "keyrings", "login.keyring"), "precious\n");
    writeFileSync(join(local, "bin", "mytool"), "#!/bin/sh\n");
    writeFileSync(join(local, "devnet", "node0", "priv_validator_key.json"), "{}");
    writeFileSync(join(local, ".install-state"), "version=0.0.9\nmode=local\n");
    writeFileSync(join(local, "env"), "# TrustNet environment\n");
    let r = await runShell(`sh "${INSTALL_SH}" --uninstall --dry-run --prefix "$HOME/.local"`, { env: baseEnv(user) });
    assert.match(r.stderr, /also holds files that are not TrustNet's \(share bin\/mytool\), so it is NOT deleted/);
    r = await runShell(`sh "${INSTALL_SH}" --uninstall --yes --prefix "$HOME/.local"`, { env: baseEnv(user) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tree(local), ["bin", "bin/mytool", "devnet", "devnet/node0", "devnet/node0/priv_validator_key.json", "share", "share/keyrings", "share/keyrings/login.keyring"]);
  });

  test("--uninstall runs docker logout for the registries `trustnet registry login` recorded, in that login's DOCKER_CONFIG; other auths and config.json stay", async () => {
    const user = tmp("docker-logout");
    const home = join(user, ".trustnet");
    const other = join(user, "other-docker");
    const auth = { auth: Buffer.from("trust1a:token").toString("base64") };
    const auths = (dir: string): string[] => Object.keys((JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { auths: Record<string, unknown> }).auths);
    const setUp = (): void => {
      mkdirSync(join(home, "config"), { recursive: true });
      mkdirSync(join(home, "devnet", "node0"), { recursive: true });
      writeFileSync(join(home, ".install-state"), "version=0.0.9\nmode=local\n");
      // What `registry login` leaves (cli/src/registry/docker-logins.ts), and what docker login wrote beside the user's own.
      writeFileSync(join(home, "config", "docker-logins"), `# a comment\n127.0.0.1:8000\n127.0.0.1:8001\t${other}\n-x\n`);
      for (const [dir, ours] of [[join(user, ".docker"), "127.0.0.1:8000"], [other, "127.0.0.1:8001"]] as const) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "config.json"), JSON.stringify({ auths: { [ours]: auth, "registry.example:5000": auth } }), { mode: 0o600 });
      }
    };
    setUp();
    // Without docker on PATH: nothing of Docker's is touched, the commands to run are printed, the record kept (--keep-data).
    const noDocker = baseEnv(user, { PATH: toolDir(user, ["rmdir"]) });
    let r = await runShell(`sh "${INSTALL_SH}" --uninstall --keep-data --yes`, { env: noDocker });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /docker is not on PATH: Docker's credentials for 127\.0\.0\.1:8000 \(if it still has them\) were left; remove them with: docker logout 127\.0\.0\.1:8000/u);
    assert.match(r.stderr, /remove them with: DOCKER_CONFIG='[^']*other-docker' docker logout 127\.0\.0\.1:8001/u);
    assert.deepEqual(auths(join(user, ".docker")), ["127.0.0.1:8000", "registry.example:5000"]);
    assert.ok(existsSync(join(home, "config", "docker-logins")), "the record stays for a later uninstall");
    // With the real docker CLI (docker logout asks no engine), the dry run names them; --keep-data logs out too.
    const env = baseEnv(user, { DOCKER_CONFIG: join(user, "not-the-login-s") });
    r = await runShell(`sh "${INSTALL_SH}" --uninstall --dry-run`, { env });
    assert.match(r.stderr, /would log Docker out of the registries 'trustnet registry login' logged it in to \(docker logout\): 127\.0\.0\.1:8000 127\.0\.0\.1:8001\n/u);
    assert.deepEqual(auths(join(user, ".docker")), ["127.0.0.1:8000", "registry.example:5000"], "the dry run changes nothing");
    r = await runShell(`sh "${INSTALL_SH}" --uninstall --keep-data --yes`, { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Docker logged out of 127\.0\.0\.1:8000\n {4}Docker logged out of 127\.0\.0\.1:8001\n/u);
    assert.deepEqual(auths(join(user, ".docker")), ["registry.example:5000"], "the default config's TrustNet entry is gone, the other stays");
    assert.deepEqual(auths(other), ["registry.example:5000"], "and the one in the login's DOCKER_CONFIG");
    assert.equal(existsSync(join(home, "config", "docker-logins")), false, "all logged out: the record goes");
    assert.ok(existsSync(join(home, "devnet", "node0")), "--keep-data kept the chain data");
    assert.equal(existsSync(join(user, "not-the-login-s")), false, "the uninstall's own DOCKER_CONFIG is not used");
    // A full uninstall: logged out (already-logged-out registries are no error), then the home goes; config.json stays.
    setUp();
    r = await runShell(`sh "${INSTALL_SH}" --uninstall --yes`, { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(auths(join(user, ".docker")), ["registry.example:5000"]);
    assert.deepEqual(auths(other), ["registry.example:5000"]);
    assert.equal(existsSync(home), false);
    r = await runShell(`sh "${INSTALL_SH}" --uninstall --yes`, { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(auths(join(user, ".docker")), ["registry.example:5000"], "nothing recorded: Docker's file is not touched");
  });

  test("--uninstall stops the devnet's leftover processes of the home, never a `tail -f` of its log or a user's own node", async () => {
    const user = tmp("leftover");
    const home = join(user, ".trustnet");
    const log = join(home, "logs", "node0.log");
    mkdirSync(join(home, "logs"), { recursive: true });
    mkdirSync(join(home, "devnet", "node0"), { recursive: true });
    writeFileSync(join(home, ".install-state"), "version=0.1.0\nmode=local\n");
    writeFileSync(log, "a log line\n");
    // Scripts at the paths the CLI runs, started as the supervisor starts them (cli/src/devnet/control.ts and
    // supervisor.ts): they idle until signalled. No bin/trustnet: `devnet down` cannot run, as after a broken install.
    const idle = "setInterval(() => {}, 1000);\n";
    const clone = join(user, "clone");
    for (const f of ["cli/src/devnet/supervisor.ts", "abci-app/src/main.ts", "registry/src/main.ts"]) {
      mkdirSync(join(clone, f, ".."), { recursive: true });
      writeFileSync(join(clone, f), idle);
    }
    writeFileSync(join(user, "watch.mjs"), idle);
    const start = (cmd: string, args: readonly string[]): ChildProcess => spawn(cmd, args, { stdio: "ignore" });
    const ours = [
      start(process.execPath, [join(clone, "cli/src/devnet/supervisor.ts"), "--home", home]),
      start(process.execPath, ["--max-semi-space-size=2", "--max-old-space-size=512", join(clone, "abci-app/src/main.ts"), "--home", join(home, "devnet", "node0", "app"), "--address", "tcp://127.0.0.1:1"]),
      start(process.execPath, [join(clone, "registry/src/main.ts"), "--data", join(home, "registry"), "--listen", "127.0.0.1:1"]),
    ];
    const theirs = [start("tail", ["-f", log]), start(process.execPath, [join(user, "watch.mjs"), log, join(home, "devnet", "node0")])];
    const exited = ours.map((c) => new Promise<void>((res) => c.once("exit", () => res())));
    try {
      await new Promise((res) => setTimeout(res, 500)); // each has exec'd its command line
      const r = await runShell(`sh "${INSTALL_SH}" --uninstall --yes`, { env: baseEnv(user) });
      assert.equal(r.code, 0, r.stderr);
      const stopped = /stopping leftover processes: ([0-9 ]+)\n/.exec(r.stderr)?.[1]?.split(" ").map(Number).sort() ?? [];
      assert.deepEqual(stopped, ours.map((c) => c.pid).sort(), r.stderr);
      await Promise.all(exited);
      for (const c of theirs) assert.ok(c.exitCode === null && c.signalCode === null, `${c.spawnargs.join(" ")} still runs (got ${c.signalCode ?? c.exitCode})`);
      assert.ok(!existsSync(home));
    } finally {
      for (const c of [...ours, ...theirs]) c.kill("SIGKILL");
    }
  });

  test("--version alone prints the installer version", async () => {
    const r = await runShell(`sh "${INSTALL_SH}" --version`, { env: baseEnv(tmp("ver")) });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^TrustNet installer \d+\.\d+\.\d+/);
  });
});

describe("install.sh: bad environments", () => {
  test("a profile it cannot write (a dangling dotfiles link) is a warning with the line to add, not a failed install; another home's line is named, and which one wins", async () => {
    // From this clone, with Node and CometBFT already in the home: nothing is downloaded, steps 1-7 run for real.
    const deps = join(ROOT, "node_modules", ".trustnet-deps");
    if (!existsSync(deps) || statSync(join(ROOT, "package-lock.json")).mtimeMs > statSync(deps).mtimeMs) {
      throw new Error(`${deps} is missing or stale: run 'sh scripts/run.sh true' first (this test must not run npm ci in the clone)`);
    }
    const user = tmp("profile");
    const home = join(user, "tn");
    mkdirSync(join(home, "bin"), { recursive: true });
    symlinkSync(privateNodeDir(), join(home, "node"));
    symlinkSync(realCometbftPath(), join(home, "bin", "cometbft"));
    symlinkSync(join(user, "dotfiles-not-checked-out", "profile"), join(user, ".profile"));
    // a second home: the first one's line is already in ~/.bashrc
    const bashrc = join(user, ".bashrc");
    const otherLine = `. "${join(user, "first home")}/env"  # TrustNet (added by install.sh)`;
    writeFileSync(bashrc, `# mine\n${otherLine}\n`);
    const line = `. "${home}/env"  # TrustNet (added by install.sh)`;
    const env = baseEnv(user, { TRUSTNET_HOME: home });
    let r = await runShell(`sh "${INSTALL_SH}" --yes --no-start`, { env, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(`warning: cannot write to ${join(user, ".profile")} (read-only, or managed by another tool); add this line to it yourself: ${line}`), r.stderr);
    assert.ok(r.stderr.includes(`added to ${bashrc}: ${line}`), r.stderr);
    assert.ok(r.stderr.includes(`warning: ${bashrc} also sources another TrustNet home: ${otherLine}\n    this home's line comes last in ${bashrc}, so it wins: new shells get ${home}'s trustnet`), r.stderr);
    assert.match(r.stderr, /TrustNet \S+ is installed/);
    assert.ok(existsSync(join(home, ".install-state")) && existsSync(join(home, "env")));
    assert.equal(readFileSync(bashrc, "utf8"), `# mine\n${otherLine}\n\n${line}\n`, "the other home's line is kept");
    // a third home installed since: on a re-run, its line (after this one) is the one that wins
    const thirdLine = `. "${join(user, "third")}/env"  # TrustNet (added by install.sh)`;
    writeFileSync(bashrc, `${readFileSync(bashrc, "utf8")}${thirdLine}\n`);
    r = await runShell(`sh "${INSTALL_SH}" --yes --no-start`, { env, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(`that home's line (${thirdLine}) comes after this home's line in ${bashrc}, so it wins: new shells get its trustnet, Node and TRUSTNET_HOME, not ${home}'s`), r.stderr);
    r = await runShell(`sh "${INSTALL_SH}" --uninstall --yes`, { env, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(bashrc, "utf8"), `# mine\n${otherLine}\n${thirdLine}\n`, "only this home's line removed, with the blank line its install put before it");
    assert.ok(!existsSync(home));
  });

  test("an unsupported OS or CPU is refused with the supported list", async () => {
    const home = tmp("os");
    for (const [s, m] of [["FreeBSD", "amd64"], ["Linux", "riscv64"], ["MINGW64_NT-10.0", "x86_64"], ["Darwin", "i386"]]) {
      const r = await runShell(`sh "${INSTALL_SH}" --yes`, { env: baseEnv(home, { TRUSTNET_UNAME_S: s, TRUSTNET_UNAME_M: m }) });
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`unsupported platform: ${s} ${m}`));
      assert.match(r.stderr, /supports Linux x86_64, Linux aarch64, macOS x86_64, macOS arm64/);
    }
    assert.deepEqual(tree(home), []);
  });

  test("no curl and no wget: names both and prints the exact install command; as root without --yes it runs nothing", async () => {
    const home = tmp("nocurl");
    const bin = toolDir(home, []);
    const r = await runShell(`"${bin}/sh" "${INSTALL_SH}"`, { env: { ...baseEnv(home), PATH: bin } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /missing: curl \(neither curl nor wget is installed\)/);
    assert.match(r.stderr, /apt-get update && (sudo )?env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl/);
    assert.match(r.stderr, /error in step 2\/8 \(Checking system prerequisites\)/);
    assert.match(r.stderr, /re-run the installer with --yes/);
  });

  test("no write access to the prefix is refused with the fix, and nothing is written", async () => {
    const base = tmp("ro");
    // As root, permissions do not stop us: a prefix under a regular file cannot be created by anyone.
    writeFileSync(join(base, "a-file"), "x");
    let r = await runShell(`sh "${INSTALL_SH}" --yes --no-start`, { env: baseEnv(base, { TRUSTNET_HOME: join(base, "a-file", "tn") }) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot create .*a-file\/tn/);
    assert.match(r.stderr, /fix: choose a writable prefix with --prefix DIR/);
    // As an unprivileged user, on a directory owned by root.
    const ro = join(base, "root-owned");
    mkdirSync(ro, { mode: 0o755 });
    chmodSync(base, 0o755);
    const userHome = join(base, "nobody-home");
    mkdirSync(userHome);
    r = await runShell(`setpriv --reuid=65534 --regid=65534 --clear-groups sh "${INSTALL_SH}" --yes --no-start --prefix "${ro}"`, {
      env: baseEnv(userHome),
      input: "",
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /no write access to .*root-owned/);
    assert.match(r.stderr, /sudo chown -R/);
    assert.deepEqual(tree(ro), []);
  });

  test("a prefix another user could tamper with is refused before anything is written: their directory, one everyone can write, a user's home under sudo", { skip: process.getuid?.() !== 0 && "needs root (chown)" }, async () => {
    const base = tmp("owner");
    chmodSync(base, 0o755);
    const theirs = join(base, "theirs");
    const shared = join(base, "shared");
    const userHome = join(base, "user-home");
    const mine = join(base, "mine");
    for (const d of [theirs, shared, userHome, mine]) mkdirSync(d);
    chownSync(theirs, 65534, 65534);
    chownSync(userHome, 65534, 65534);
    chmodSync(shared, 0o777);
    const before = tree(base);
    const cases: [string, NodeJS.ProcessEnv, RegExp][] = [
      [`--prefix "${theirs}/tn"`, { HOME: mine }, /\): [^\n]*\/theirs belongs to another user \(uid 65534\), who could replace what the installer puts in [^\n]*\/theirs\/tn and so run code as root\nfix: install into a directory of your own/],
      [`--prefix "${theirs}"`, { HOME: mine }, /\/theirs belongs to another user \(uid 65534\)/],
      [`--prefix "${shared}/tn"`, { HOME: mine }, /\/shared is writable by every user \(mode drwxrwxrwx, not sticky like \/tmp\)[^\n]*\nfix: [^\n]*chmod o-w '[^']*\/shared'; nothing was changed/],
      ["", { HOME: userHome }, /[^\n]*\/user-home belongs to another user \(uid 65534\)[^\n]*\nfix: [^\n]*sudo -H/], // sudo without -H
    ];
    for (const [args, extra, re] of cases) {
      const r = await runShell(`sh "${INSTALL_SH}" --yes --no-start ${args}`, { env: baseEnv(mine, { TRUSTNET_NODE_MIRROR: "http://127.0.0.1:9", ...extra }) });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /error in step 1\/7/, args);
      assert.match(r.stderr, re, args);
      assert.deepEqual(tree(base), before, `${args || "HOME=user-home"}: nothing written`);
    }
  });

  test("--vm prerequisites: the exact command for each package manager (dry run)", async () => {
    const home = tmp("vm");
    const bin = toolDir(home, ["curl"]);
    const osr = (id: string, like = ""): string => {
      const f = join(home, "..", `${home.split("/").pop()}-${id}.os-release`);
      writeFileSync(f, `ID=${id}\nID_LIKE="${like}"\nPRETTY_NAME="${id} test"\n`);
      dirs.push(f);
      return f;
    };
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ TRUSTNET_OS_RELEASE: osr("ubuntu", "debian") }, /apt-get update && env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-system-arm qemu-utils( qemu-efi-aarch64)? genisoimage/],
      [{ TRUSTNET_OS_RELEASE: osr("rocky", "rhel centos fedora") }, /dnf install -y qemu-system-aarch64 qemu-img( edk2-aarch64)? genisoimage/],
      [{ TRUSTNET_OS_RELEASE: osr("arch") }, /pacman -S --needed --noconfirm qemu-system-aarch64 qemu-img( edk2-aarch64)? libisoburn/],
      [{ TRUSTNET_UNAME_S: "Darwin", TRUSTNET_UNAME_M: "arm64" }, /brew install qemu xorriso$/m],
    ];
    for (const [extra, re] of cases) {
      const r = await runShell(`sh "${INSTALL_SH}" --vm --dry-run`, { env: { ...baseEnv(home, extra), PATH: bin } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /sudo/, "root needs no sudo");
    }
    assert.deepEqual(tree(home), []);
  });
});
