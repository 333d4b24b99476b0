// `devnet down` after the devnet's home was deleted under it (issue 10): the supervisor, both CometBFT/app
// processes and the registry are found through the run record kept outside the home, stopped, and every contract
// port is free again.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { after, describe, test } from "node:test";
import { isPortFree } from "../../installer/src/ports.ts";
import { CLI, type Devnet, startDevnet, supervisorState, waitForHeight } from "../helpers/devnet.ts";

const run = promisify(execFile);
const CONTRACT_PORTS = [26656, 26657, 26658, 1317, 8000];

/** Every live process whose command line mentions `text` (other than this test's own). */
function processesMentioning(text: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/u.test(d) || Number(d) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").join(" ");
      if (cmd.includes(text)) out.push(`${d}: ${cmd}`);
    } catch {
      // gone
    }
  }
  return out;
}

describe("devnet down when the home is gone", () => {
  let d: Devnet | undefined;
  after(async () => {
    await d?.destroy();
  });

  test("rm -rf the home of a running devnet, then devnet down stops every process and frees the ports", async () => {
    d = await startDevnet({ blockTime: "300ms" });
    await waitForHeight(d.rpc, 2);
    const st = supervisorState(d.home);
    const pids = [st.supervisorPid, ...st.pairs.flatMap((p) => [p.appPid, p.cometPid])].filter((p): p is number => p !== undefined);
    assert.equal(pids.length, 3);
    for (const p of CONTRACT_PORTS) assert.equal(await isPortFree(p), false, `port ${p} is served by the devnet`);
    assert.ok(processesMentioning(d.home).length >= 4, "supervisor, app, CometBFT and registry run");

    rmSync(d.home, { recursive: true, force: true });
    const r = await run(process.execPath, [CLI, "devnet", "down", "--home", d.home, "--output", "json"], { timeout: 90_000 });
    assert.deepEqual(JSON.parse(r.stdout), { stopped: true });

    assert.deepEqual(processesMentioning(d.home), [], "no process of the devnet is left");
    for (const p of pids) assert.throws(() => process.kill(p, 0), `pid ${p} is gone`);
    for (const p of CONTRACT_PORTS) assert.equal(await isPortFree(p), true, `port ${p} is free`);
    const again = await run(process.execPath, [CLI, "devnet", "down", "--home", d.home, "--output", "json"], { timeout: 30_000 });
    assert.deepEqual(JSON.parse(again.stdout), { stopped: false });
  });
});
