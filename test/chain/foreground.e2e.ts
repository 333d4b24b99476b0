// `trustnet devnet start --foreground`, as a systemd/OpenRC unit runs it (and the node VM's service does, with
// --node): refuses a missing devnet, generates one only with --init, applies listen addresses, serves until SIGTERM,
// then leaves no process behind.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { APP_MAIN, APP_NODE_FLAGS } from "@trustnet/abci-app";
import { CLI, sleep, waitForHeight } from "../helpers/devnet.ts";

/** The argv of every live process whose command line mentions `needle`. */
function processesWith(needle: string): string[][] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").filter(Boolean);
      return argv.some((a) => a.includes(needle)) ? [argv] : [];
    } catch {
      return []; // exited meanwhile
    }
  });
}

/** The pids of live processes whose command line mentions `needle`. */
function pidsWith(needle: string): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      return readFileSync(`/proc/${d}/cmdline`, "utf8").includes(needle) ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

/** The process group of `pid` (/proc/<pid>/stat, the field after the state). */
function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

test("devnet start --foreground serves on the given RPC address and stops cleanly on SIGTERM", async () => {
  const home = mkdtempSync(join(tmpdir(), "trustnet-fg-"));
  const refused = spawnSync(process.execPath, [CLI, "devnet", "start", "--home", home], { encoding: "utf8" });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /pass --foreground/);
  const noChain = spawnSync(process.execPath, [CLI, "devnet", "start", "--foreground", "--home", home], { encoding: "utf8", timeout: 30_000 });
  assert.equal(noChain.status, 1);
  assert.match(noChain.stderr, /makes a new chain \(new keys and genesis\) only with --init/);
  assert.deepEqual(readdirSync(home), [], "no devnet generated without --init");
  const p = spawn(process.execPath, [CLI, "devnet", "start", "--foreground", "--init", "--home", home, "--port-offset", "900", "--block-time", "300ms", "--rpc-laddr", "tcp://0.0.0.0:27557"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  p.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  try {
    await waitForHeight("http://127.0.0.1:27557", 3, 60_000);
    assert.match(readFileSync(join(home, "devnet", "node0", "cometbft", "config", "config.toml"), "utf8"), /^laddr = "tcp:\/\/0\.0\.0\.0:27557"$/m);
    // The app runs under the V8 limits of appNodeArgv (issue 15, P6), as the VM's unit runs this very command.
    const apps = processesWith(home).filter((argv) => argv.includes(APP_MAIN));
    assert.equal(apps.length, 1, JSON.stringify(apps));
    assert.deepEqual(apps[0]!.slice(1, 2 + APP_NODE_FLAGS.length), [...APP_NODE_FLAGS, APP_MAIN]);
    // The app and CometBFT lead their own process groups: a Ctrl-C (SIGINT to the terminal's foreground group)
    // reaches only the supervisor, which stops CometBFT first, then the app.
    const children = pidsWith(home).filter((pid) => pid !== p.pid);
    assert.ok(children.length >= 2, `the app and CometBFT: ${children.join(", ")}`);
    for (const pid of children) assert.equal(processGroupOf(pid), pid, `pid ${pid} leads its own process group`);
    // The supervisor's PID and state files are written whole (exclusive temp file, then rename), 0600, no temp left.
    const run = join(home, "run");
    assert.deepEqual(readdirSync(run).filter((n) => n.includes(".tmp")), [], "no temp file in run/");
    for (const f of ["supervisor.pid", "devnet-state.json"]) assert.equal(statSync(join(run, f)).mode & 0o777, 0o600, f);
    assert.equal(Number(readFileSync(join(run, "supervisor.pid"), "utf8")), p.pid);
    const again = spawnSync(process.execPath, [CLI, "devnet", "start", "--foreground", "--home", home], { encoding: "utf8", timeout: 30_000 });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already running/);
  } finally {
    p.kill("SIGTERM");
  }
  const code = await new Promise<number | null>((r) => p.once("exit", (c) => r(c)));
  assert.equal(code, 0, stderr);
  await sleep(300);
  const left = spawnSync("pgrep", ["-f", home], { encoding: "utf8" });
  assert.equal(left.stdout.trim(), "", "no process of this devnet is left");
  rmSync(home, { recursive: true, force: true });
});
