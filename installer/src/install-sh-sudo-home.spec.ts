// install.sh run by sudo with another user's HOME (sudo without -H: macOS's sudo keeps HOME by default, Ubuntu's did
// before 19.10) and a prefix outside that home (--prefix /opt/trustnet): it must stop in step 1, before it writes
// anything, instead of leaving root-owned files in the user's home (a created ~/.profile or ~/.zshenv, fish's conf.d).
// The PATH has no curl or wget, so a run that got past step 1 stops at step 2 without downloading anything.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const installSh = join(import.meta.dirname, "..", "..", "install.sh");
const work = mkdtempSync(join(tmpdir(), "tn-sudo-home-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("under sudo with a HOME that belongs to another user (SUDO_UID set), the install stops in step 1 and writes nothing, in that home or the prefix", { skip: process.getuid?.() !== 0 && "needs root (chown)" }, () => {
  chmodSync(work, 0o755);
  const bin = join(work, "bin");
  mkdirSync(bin);
  for (const t of ["sh", "uname", "id", "sed", "tr", "mkdir", "cat", "grep", "date", "dirname", "wc", "mktemp", "rm", "mv",
    "chmod", "cut", "tar", "gzip", "sha256sum", "tail", "sleep", "ls", "awk", "env", "pwd", "printf"]) {
    const at = ["/usr/bin", "/bin"].map((d) => join(d, t)).find((p) => statSync(p, { throwIfNoEntry: false }) !== undefined);
    assert.ok(at !== undefined, `${t} is installed`);
    symlinkSync(at, join(bin, t));
  }
  const userHome = join(work, "user-home");
  mkdirSync(userHome);
  chownSync(userHome, 65534, 65534);
  const opt = join(work, "opt");
  mkdirSync(opt);
  const prefix = join(opt, "trustnet");
  const run = (extra: Record<string, string>): { status: number | null; stderr: string } => spawnSync(join(bin, "sh"), [installSh, "--no-start", "--prefix", prefix], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { HOME: userHome, PATH: bin, LANG: "C.UTF-8", SHELL: "/bin/zsh", TRUSTNET_UNAME_S: "Linux", TRUSTNET_UNAME_M: "x86_64", TRUSTNET_OS_RELEASE: "/nonexistent", ...extra },
  });
  let r = run({ SUDO_UID: "65534", SUDO_USER: "nobody" });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /error in step 1\/7 \(Checking the prefix [^\n]*\): [^\n]*\/user-home belongs to another user \(uid 65534\), but the installer runs as root \(sudo kept that HOME\)/u, r.stderr);
  assert.match(r.stderr, /\nfix: run the installer as that user, without sudo [^\n]*sudo -H or sudo -i; nothing was changed/u);
  assert.deepEqual(readdirSync(userHome), [], "nothing written in the user's home");
  assert.deepEqual(readdirSync(opt), [], "the prefix is not created");
  // Root without sudo (a container whose HOME is a mounted directory of another uid): step 1 passes.
  r = run({});
  assert.match(r.stderr, /error in step 2\/7 \(Checking system prerequisites\)/u, r.stderr);
});
