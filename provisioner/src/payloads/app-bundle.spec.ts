import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { realShell } from "../shell.ts";
import { buildAppBundle, bundleEntries, productionClosure } from "./app-bundle.ts";

const root = join(import.meta.dirname, "..", "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "tn-bundle-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe("app bundle (what a VM runs)", () => {
  test("the closure has the run-time dependencies and the workspace links, and no dev tools", () => {
    const { workspaces, packages } = productionClosure(root);
    assert.deepEqual(workspaces, ["abci-app", "cli", "installer", "provisioner", "registry"]);
    for (const p of ["node_modules/yargs", "node_modules/@cosmjs/stargate", "node_modules/cosmjs-types", "node_modules/pino", "node_modules/@trustnet/cli", "node_modules/@trustnet/registry"]) {
      assert.ok(packages.includes(p), `${p} is in the closure`);
    }
    for (const p of ["node_modules/typescript", "node_modules/eslint", "node_modules/typescript-eslint"]) assert.ok(!packages.includes(p), `${p} is not`);
    assert.deepEqual([...packages].sort(), packages, "sorted");
    const entries = bundleEntries(root);
    assert.ok(entries.includes("cli/bin/trustnet.js"));
    assert.ok(entries.every((e) => !/\.spec\.ts$/.test(e) && !e.startsWith("test/")), "no tests");
  });

  test("the unpacked bundle runs on its own: trustnet --help, and every workspace imports", async () => {
    const out = join(tmp, "app.tgz");
    await buildAppBundle(realShell, root, out);
    const again = join(tmp, "again.tgz");
    await buildAppBundle(realShell, root, again);
    assert.ok(readFileSync(out).equals(readFileSync(again)), "reproducible");
    const dir = join(tmp, "unpacked");
    execFileSync("sh", ["-c", `mkdir -p "$1" && tar -xzf "$2" -C "$1" --strip-components=1`, "sh", dir, out]);
    assert.ok(lstatSync(join(dir, "node_modules/@trustnet/cli")).isSymbolicLink());
    assert.ok(!existsSync(join(dir, "node_modules/typescript")));
    const help = execFileSync(process.execPath, [join(dir, "cli/bin/trustnet.js"), "--help"], { cwd: tmp, encoding: "utf8" });
    assert.match(help, /devnet/);
    for (const w of ["abci-app", "cli", "installer", "provisioner", "registry"]) {
      execFileSync(process.execPath, ["--input-type=module", "-e", `await import("@trustnet/${w}")`], { cwd: dir });
    }
  });
});
