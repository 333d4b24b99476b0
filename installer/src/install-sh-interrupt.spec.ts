// install.sh interrupted (Ctrl-C: SIGINT to the terminal's process group; a service manager's SIGTERM) in the middle of
// a download: it exits with 128 + the signal's number and says that it was interrupted, in which step, and to re-run,
// not "a command failed". The download is a stand-in curl that never finishes, or the real curl on a local mirror whose
// SHASUMS256.txt never comes; nothing leaves the machine. Under dash and under bash as sh (bash --posix, or /bin/sh
// linked to bash): bash runs the traps with the interrupted command's redirections still in place, so a shell function
// run with 2>/dev/null (the SHASUMS fetch) or >>log 2>&1 (quiet) must run in a subshell, or the message is lost.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startMirror } from "./testing/mirror.ts";

const installSh = join(import.meta.dirname, "..", "..", "install.sh");
const work = mkdtempSync(join(tmpdir(), "tn-interrupt-"));
const bin = join(work, "bin");
after(() => rmSync(work, { recursive: true, force: true }));

const TOOLS = ["sh", "uname", "id", "sed", "tr", "mkdir", "cat", "grep", "date", "dirname", "wc", "mktemp", "rm", "mv",
  "chmod", "cut", "tar", "gzip", "sha256sum", "tail", "sleep", "ls", "awk", "env", "pwd", "printf", "kill"];
const which = (t: string): string | undefined =>
  ["/usr/bin", "/bin"].map((d) => join(d, t)).find((p) => statSync(p, { throwIfNoEntry: false }) !== undefined);
/** A PATH directory with the tools install.sh uses, `sh` linked to `shell`, plus `extra` (name to program). */
function toolDir(dir: string, shell: string, extra: Record<string, string> = {}): void {
  mkdirSync(dir);
  for (const t of TOOLS) {
    const at = t === "sh" ? shell : which(t);
    if (at !== undefined) symlinkSync(at, join(dir, t));
  }
  for (const [name, at] of Object.entries(extra)) symlinkSync(at, join(dir, name));
}

before(() => {
  toolDir(bin, which("sh") ?? "/bin/sh");
  // curl that hangs like a stalled download until it is signalled
  writeFileSync(join(bin, "curl"), "#!/bin/sh\nexec sleep 60\n");
  chmodSync(join(bin, "curl"), 0o755);
});

const env = (home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  HOME: home, LANG: "C.UTF-8", SHELL: "/bin/sh", TRUSTNET_UNAME_S: "Linux", TRUSTNET_UNAME_M: "x86_64", TRUSTNET_OS_RELEASE: "/nonexistent", ...extra,
});

/** Runs install.sh in its own process group, sends SIGNAL to the group once step 4 (Node) is downloading. */
async function interrupted(signal: NodeJS.Signals, label: string): Promise<{ code: number | null; stderr: string }> {
  const home = join(work, label);
  mkdirSync(home);
  const child = spawn(join(bin, "sh"), [installSh, "--no-start"], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: env(home, { PATH: bin }),
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

const nodeVersion = /TRUSTNET_NODE_VERSION="\$\{TRUSTNET_NODE_VERSION:-([0-9.]+)\}"/u.exec(
  readFileSync(join(import.meta.dirname, "..", "..", "scripts", "lib", "node-env.sh"), "utf8"))?.[1];

test("Ctrl-C while the real curl waits for SHASUMS256.txt from a local mirror: exit 130 and 'interrupted' in step 4 under dash, bash --posix and sh linked to bash", async (t) => {
  assert.ok(nodeVersion !== undefined, "node-env.sh pins a Node version");
  const curl = which("curl");
  const bash = which("bash");
  if (curl === undefined || bash === undefined) return t.skip("needs curl and bash installed");
  const sums = `/v${nodeVersion}/SHASUMS256.txt`;
  const mirror = await startMirror(new Map([[sums, { stall: 4096 }]]));
  t.after(() => mirror.close());
  const dash = which("dash") ?? which("sh") ?? "/bin/sh";
  const runs: { label: string; shell: string; args: string[] }[] = [
    { label: "dash", shell: dash, args: [] },
    { label: "bash-posix", shell: bash, args: ["--posix"] },
    { label: "sh-is-bash", shell: bash, args: [] },
  ];
  for (const run of runs) {
    const dir = join(work, `bin-${run.label}`);
    toolDir(dir, run.shell, { curl });
    const home = join(work, `mirror-${run.label}`);
    mkdirSync(home);
    // sh-is-bash: bash started through a link named sh, as /bin/sh on a system where sh is bash
    const program = run.label === "sh-is-bash" ? join(dir, "sh") : run.shell;
    const before = mirror.hits.get(sums) ?? 0;
    const child = spawn(program, [...run.args, installSh, "--no-start"], {
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
      env: env(home, { PATH: dir, TRUSTNET_NODE_MIRROR: mirror.url }),
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    // Ctrl-C once curl is waiting for the mirror's answer: SIGINT to the whole process group, as a terminal sends it.
    const deadline = Date.now() + 60_000;
    while ((mirror.hits.get(sums) ?? 0) === before && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(mirror.hits.get(sums), before + 1, `${run.label}: curl asked the mirror for SHASUMS256.txt: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(-(child.pid ?? 0), "SIGINT");
    const code = await closed;
    assert.equal(code, 130, `${run.label}: ${stderr}`);
    assert.match(stderr, /error in step 4\/7 \(Node\.js 24 [^\n]*\): interrupted \(SIGINT\); what ran is in [^\n]*install\.log\n/u, `${run.label}: ${stderr}`);
    assert.match(stderr, /\nfix: re-run the same command: it starts again where it stopped/u, run.label);
    assert.doesNotMatch(stderr, /a command failed/u, run.label);
  }
});
