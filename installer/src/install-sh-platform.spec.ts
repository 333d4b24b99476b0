// install.sh's platform line (the banner and the dry run's "platform"): the distribution is read from os-release; a
// Linux machine without one is "Linux", never the macOS default the Darwin branch uses.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const installSh = join(import.meta.dirname, "..", "..", "install.sh");
const work = mkdtempSync(join(tmpdir(), "tn-platform-"));
after(() => rmSync(work, { recursive: true, force: true }));

function dryRun(env: Record<string, string>): string {
  const r = spawnSync("/bin/sh", [installSh, "--dry-run", "--prefix", join(work, "tn")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { HOME: work, PATH: "/usr/bin:/bin", LANG: "C.UTF-8", TRUSTNET_UNAME_M: "x86_64", ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

test("the dry run names the distribution from os-release; Linux without os-release is 'Linux', Darwin is 'macOS'", () => {
  const osr = join(work, "os-release");
  writeFileSync(osr, 'ID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
  assert.match(dryRun({ TRUSTNET_UNAME_S: "Linux", TRUSTNET_OS_RELEASE: osr }), /platform {5}: Linux x86_64 \(Debian GNU\/Linux 12 \(bookworm\); package manager: apt\)/u);
  assert.match(dryRun({ TRUSTNET_UNAME_S: "Linux", TRUSTNET_OS_RELEASE: join(work, "none") }), /platform {5}: Linux x86_64 \(Linux; package manager: none found\)/u);
  assert.match(dryRun({ TRUSTNET_UNAME_S: "Darwin" }), /platform {5}: Darwin x86_64 \(macOS; package manager: brew\)/u);
});
