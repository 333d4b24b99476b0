// install.sh --uninstall --keep-data of a home whose last install came from a clone (used in place, elsewhere) after an
// earlier piped install: the release that install put in <home>/app is TrustNet's and goes, with its node_modules; the
// chain data stays. Only a clone that is itself <home>/app is kept.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const installSh = join(import.meta.dirname, "..", "..", "install.sh");
const work = mkdtempSync(join(tmpdir(), "tn-uninstall-app-"));
after(() => rmSync(work, { recursive: true, force: true }));

function home(label: string, appInState: (tn: string) => string): { user: string; tn: string } {
  const user = join(work, label);
  const tn = join(user, ".trustnet");
  mkdirSync(join(tn, "app", "cli", "bin"), { recursive: true });
  mkdirSync(join(tn, "app", "node_modules", "x"), { recursive: true });
  writeFileSync(join(tn, "app", "cli", "bin", "trustnet.js"), "");
  mkdirSync(join(tn, "devnet", "node0"), { recursive: true });
  writeFileSync(join(tn, "devnet", "node0", "priv_validator_key.json"), "{}");
  writeFileSync(join(tn, ".install-state"), `version=0.1.0\nmode=local\nvalidators=1\napp=${appInState(tn)}\nfrom_clone=1\nstarted=0\n`);
  return { user, tn };
}

function uninstall(user: string, dryRun: boolean): string {
  const r = spawnSync("/bin/sh", [installSh, "--uninstall", "--keep-data", "--yes", ...(dryRun ? ["--dry-run"] : [])], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { HOME: user, PATH: "/usr/bin:/bin", LANG: "C.UTF-8", SHELL: "/bin/sh" },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

test("--uninstall --keep-data removes <home>/app left by an earlier release install when the last install was from a clone elsewhere; keeps a clone that is <home>/app", () => {
  const a = home("clone-elsewhere", () => join(work, "src", "trustnet"));
  assert.match(uninstall(a.user, true), new RegExp(`would remove: [^\\n]*${join(a.tn, "app").replace(/[.]/gu, "\\.")}`, "u"));
  uninstall(a.user, false);
  assert.equal(existsSync(join(a.tn, "app")), false, "the old release in <home>/app is removed");
  assert.deepEqual(readdirSync(a.tn), ["devnet"], "the chain data is kept");

  const b = home("clone-in-home", (tn) => join(tn, "app"));
  assert.doesNotMatch(uninstall(b.user, true), /would remove: [^\n]*\/app[,\s]/u);
  uninstall(b.user, false);
  assert.ok(existsSync(join(b.tn, "app", "cli", "bin", "trustnet.js")), "a clone at <home>/app is the user's: kept");
});
