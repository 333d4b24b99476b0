// install.sh interrupted (Ctrl-C: SIGINT to the terminal's process group; a service manager's SIGTERM) in the middle of
// a download: it exits with 128 + the signal's number and says that it was interrupted, in which step, and to re-run,
// not "a command failed". The download is a stand-in curl that never finishes; nothing leaves the machine.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

const installSh = join(import.meta.dirname, "..", "..", "install.sh");
const work = mkdtempSync(join(tmpdir(), "tn-interrupt-"));
const bin = join(work, "bin");
after(() => rmSync(work, { recursive: true, force: true }));

before(() => {
  mkdirSync(bin);
  for (const t of ["sh", "uname", "id", "sed", "tr", "mkdir", "cat", "grep", "date", "dirname", "wc", "mktemp", "rm", "mv",
    "chmod", "cut", "tar", "gzip", "sha256sum", "tail", "sleep", "ls", "awk", "env", "pwd", "printf", "kill"]) {
    const at = ["/usr/bin", "/bin"].map((d) => join(d, t)).find((p) => statSync(p, { throwIfNoEntry: false }) !== undefined);
    if (at !== undefined) symlinkSync(at, join(bin, t));
  }
  // curl that hangs like a stalled download until it is signalled
  writeFileSync(join(bin, "curl"), "#!/bin/sh\nexec sleep 60\n");
  chmodSync(join(bin, "curl"), 0o755);
});

/** Runs install.sh in its own process group, sends SIGNAL to the group once step 4 (Node) is downloading. */
async function interrupted(signal: NodeJS.Signals, label: string): Promise<{ code: number | null; stderr: string }> {
  const home = join(work, label);
  mkdirSync(home);
  const child = spawn(join(bin, "sh"), [installSh, "--no-start"], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { HOME: home, PATH: bin, LANG: "C.UTF-8", SHELL: "/bin/sh", TRUSTNET_UNAME_S: "Linux", TRUSTNET_UNAME_M: "x86_64", TRUSTNET_OS_RELEASE: "/nonexistent" },
  });
  let stderr = "";
  let sent = false;
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    if (!sent && stderr.includes("==> Installing Node")) {
      sent = true;
      // the stand-in curl has started (or is about to): give it a moment, then signal the whole group, as a terminal does
      setTimeout(() => process.kill(-(child.pid ?? 0), signal), 300);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  assert.ok(sent, `step 4 was reached: ${stderr}`);
  return { code, stderr };
}

test("Ctrl-C (SIGINT) and SIGTERM during the Node download: exit 130 / 143, 'interrupted' in step 4 with the fix, never 'a command failed'", async () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    const r = await interrupted(signal, signal);
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, new RegExp(`error in step 4/7 \\(Node\\.js 24 [^\\n]*\\): interrupted \\(${signal}\\); what ran is in [^\\n]*install\\.log\\n`, "u"), r.stderr);
    assert.match(r.stderr, /\nfix: re-run the same command: it starts again where it stopped/u);
    assert.doesNotMatch(r.stderr, /a command failed/u);
  }
});
