// install.sh under a permissive umask (000: some containers, CI runners and WSL setups; 002 with a shared group): what
// it creates (the prefix, bin/, logs/, the install log, and later node/, app/, the env file) must not be writable by
// other users, who could then replace bin/trustnet or node/bin/node and run code as the installing user. The run stops
// at step 2 (no curl or wget on PATH, no terminal to ask on), after step 1 created the prefix: nothing is downloaded.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const installSh = join(import.meta.dirname, "..", "..", "install.sh");
const work = mkdtempSync(join(tmpdir(), "tn-umask-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A PATH with the tools install.sh's first steps use, and no curl or wget. */
function toolDir(): string {
  const bin = join(work, "bin");
  mkdirSync(bin);
  for (const t of ["sh", "uname", "id", "sed", "tr", "mkdir", "cat", "grep", "date", "dirname", "wc", "mktemp", "rm", "mv",
    "chmod", "cut", "tar", "gzip", "sha256sum", "tail", "sleep", "ls", "awk", "env", "pwd", "printf"]) {
    const at = ["/usr/bin", "/bin"].map((d) => join(d, t)).find((p) => statSync(p, { throwIfNoEntry: false }) !== undefined);
    assert.ok(at !== undefined, `${t} is installed`);
    symlinkSync(at, join(bin, t));
  }
  return bin;
}

/** Every path under `dir` whose mode lets group or others write it (symbolic links aside). */
function writableByOthers(dir: string): string[] {
  const out: string[] = [];
  for (const rel of ["", ...readdirSync(dir, { recursive: true, encoding: "utf8" })]) {
    const st = statSync(join(dir, rel), { throwIfNoEntry: false });
    if (st !== undefined && (st.mode & 0o022) !== 0) out.push(`${rel || "."} ${(st.mode & 0o777).toString(8)}`);
  }
  return out;
}

test("under umask 000 or 002, nothing install.sh creates in the prefix is writable by group or others; a stricter umask is kept", () => {
  const bin = toolDir();
  for (const [mask, expectDir] of [["000", 0o755], ["002", 0o755], ["077", 0o700]] as const) {
    const home = join(work, `home-${mask}`);
    mkdirSync(home, { mode: 0o755 });
    const prefix = join(home, "tn");
    const r = spawnSync(join(bin, "sh"), ["-c", `umask ${mask}; exec sh "$0" --no-start --prefix "$1"`, installSh, prefix], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { HOME: home, PATH: bin, LANG: "C.UTF-8", TRUSTNET_UNAME_S: "Linux", TRUSTNET_UNAME_M: "x86_64", TRUSTNET_OS_RELEASE: "/nonexistent" },
    });
    assert.equal(r.status, 1, r.stderr);
    // Step 1 passed (the installer does not refuse the prefix it made itself); step 2 stops on the missing downloader.
    assert.match(r.stderr, /\[1\/7\] Checking the prefix[\s\S]*done/u, `umask ${mask}: ${r.stderr}`);
    assert.match(r.stderr, /error in step 2\/7 \(Checking system prerequisites\)/u, `umask ${mask}: ${r.stderr}`);
    assert.deepEqual(writableByOthers(prefix), [], `umask ${mask}`);
    assert.equal(statSync(prefix).mode & 0o777, expectDir, `umask ${mask}: the prefix`);
    assert.equal(statSync(join(prefix, "bin")).mode & 0o777, expectDir, `umask ${mask}: bin/`);
  }
});
