import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { isZombie, pidAlive, pidCmdline, pidGone, pidIs, waitFor } from "./process-util.ts";

const dir = mkdtempSync(join(tmpdir(), "trustnet-procutil-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("spawnSupervised", () => {
  test("a Ctrl-C (SIGINT to the terminal's process group) reaches the supervisor, not its children", async () => {
    // A real supervisor in miniature: one child (a real `sleep`), stopped by the parent's own SIGINT handler.
    const parent = join(dir, "parent.ts");
    writeFileSync(parent, [
      `import { pidAlive, spawnSupervised, stopChild } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, "process-util.ts")).href)};`,
      'const child = spawnSupervised("sleep", ["30"], { stdio: "ignore" });',
      "process.on(\"SIGINT\", () => {",
      "  setTimeout(() => {",
      "    const alive = child.pid !== undefined && pidAlive(child.pid) && child.exitCode === null && child.signalCode === null;",
      "    void stopChild(child).then(() => { process.stdout.write(`child alive after the Ctrl-C: ${alive}\\n`); process.exit(0); });",
      "  }, 300);",
      "});",
      'process.stdout.write("ready\\n");',
      "",
    ].join("\n"));
    // The parent leads its own group, as a shell's foreground job does; the test kills that whole group.
    const p = spawn(process.execPath, [parent], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    await new Promise<void>((resolve) => p.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("ready")) resolve();
    }));
    process.kill(-(p.pid ?? 0), "SIGINT");
    const code = await new Promise<number | null>((r) => p.once("exit", (c) => r(c)));
    assert.equal(code, 0);
    assert.match(out, /child alive after the Ctrl-C: true/, "the child must not get the terminal's SIGINT; the supervisor stops it in order");
  });
});

describe("a zombie is not a running process", { skip: process.platform !== "linux" && "Linux /proc only" }, () => {
  test("pidAlive, pidCmdline and pidIs see an exited, unreaped process as gone; a live one as running", async () => {
    // The child (`sleep 1`) exits a second after its parent shell exec'd into `sleep 30`, which never reaps it: a
    // zombie until its parent goes, as a detached supervisor killed with SIGKILL is until init reaps it. (A child
    // that exits before the exec may be reaped by the shell itself: `sleep 0` here made this test flaky under load.)
    const p = spawn("sh", ["-c", "sleep 1 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(await new Promise<string>((r) => p.stdout.once("data", (b: Buffer) => r(b.toString().trim()))));
      const end = Date.now() + 20_000;
      while ((!isZombie(zombie) || pidCmdline(p.pid!) !== "sleep 30") && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      assert.equal(isZombie(zombie), true, "the child became a zombie");
      assert.doesNotThrow(() => process.kill(zombie, 0), "kill(pid, 0) still answers for a zombie");
      assert.equal(pidAlive(zombie), false);
      assert.equal(pidCmdline(zombie), undefined);
      assert.equal(pidIs(zombie, ""), false);
      assert.equal(pidGone(zombie), false, "its PID is still taken until it is reaped");
      assert.equal(pidAlive(p.pid!), true);
      assert.equal(isZombie(p.pid!), false);
      assert.match(pidCmdline(p.pid!) ?? "", /^sleep 30$/);
      // its parent gone, init adopts and reaps it: only then is the PID gone
      p.kill("SIGKILL");
      assert.ok(await waitFor(() => pidGone(zombie), 10_000, 20), "reaped once its parent exited");
    } finally {
      p.kill("SIGKILL");
    }
  });
});
