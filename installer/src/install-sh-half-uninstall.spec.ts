// install.sh --uninstall after a first install that stopped early (here at step 2: no curl or wget on PATH; likewise
// a Ctrl-C during the Node download): the home has the install log, bin/, cache/ and perhaps staging leftovers, but no
// .install-state or bin/trustnet yet. It is TrustNet's (step 1 made it), so --uninstall removes it; a directory the
// installer never wrote to is still refused.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const installSh = join(import.meta.dirname, "..", "..", "install.sh");
const work = mkdtempSync(join(tmpdir(), "tn-half-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("--uninstall removes what a first install that stopped in step 2 left (default home and --prefix); a folder the installer never wrote to is still refused", () => {
  const bin = join(work, "bin");
  mkdirSync(bin);
  for (const t of ["sh", "uname", "id", "sed", "tr", "mkdir", "cat", "grep", "date", "dirname", "wc", "mktemp", "rm", "mv",
    "chmod", "cut", "tar", "gzip", "sha256sum", "tail", "sleep", "ls", "awk", "env", "pwd", "printf", "rmdir"]) {
    const at = ["/usr/bin", "/bin"].map((d) => join(d, t)).find((p) => statSync(p, { throwIfNoEntry: false }) !== undefined);
    assert.ok(at !== undefined, `${t} is installed`);
    symlinkSync(at, join(bin, t));
  }
  const home = join(work, "home");
  mkdirSync(home);
  const env = { HOME: home, PATH: bin, LANG: "C.UTF-8", SHELL: "/bin/sh", TRUSTNET_UNAME_S: "Linux", TRUSTNET_UNAME_M: "x86_64", TRUSTNET_OS_RELEASE: "/nonexistent" };
  const sh = (args: string[]): { status: number | null; stderr: string } =>
    spawnSync(join(bin, "sh"), [installSh, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env });
  for (const [prefixArgs, tn] of [[[], join(home, ".trustnet")], [["--prefix", join(home, "tn")], join(home, "tn")]] as const) {
    let r = sh(["--no-start", ...prefixArgs]);
    assert.match(r.stderr, /error in step 2\/7 \(Checking system prerequisites\)/u, r.stderr);
    // What an interrupted Node download leaves beside it.
    mkdirSync(join(tn, ".node-stage.AbC123", "root"), { recursive: true });
    assert.deepEqual(readdirSync(tn).sort(), [".node-stage.AbC123", "bin", "cache", "logs"]);
    r = sh(["--uninstall", "--yes", ...prefixArgs]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /TrustNet is uninstalled/u);
    assert.equal(existsSync(tn), false, `${tn} is removed`);
  }
  // A folder with files of the user's own that the installer never wrote to: refused, nothing changed.
  const mine = join(home, "mine");
  mkdirSync(join(mine, "logs"), { recursive: true });
  writeFileSync(join(mine, "logs", "install.log"), "my own install log\n");
  const r = sh(["--uninstall", "--yes", "--prefix", mine]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /refusing to uninstall '[^']*mine': TrustNet was never installed there/u);
  assert.deepEqual(readdirSync(join(mine, "logs")), ["install.log"]);
});
