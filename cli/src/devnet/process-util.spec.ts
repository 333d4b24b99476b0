import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";

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
