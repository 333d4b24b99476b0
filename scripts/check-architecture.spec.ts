// The architecture check catches planted violations: each case lays out a tiny tree in a temporary directory with the
// project's real rules and tsconfig, plants one import that breaks a rule, and expects that rule to be named.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkArchitecture, MODULE_SHAPE } from "./check-architecture.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const made: string[] = [];
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "tn-arch-"));
  made.push(dir);
  copyFileSync(join(ROOT, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
  copyFileSync(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("architecture check (dependency-cruiser, the project's rules)", { timeout: 120_000 }, () => {
  test("a clean tree passes", () => {
    const r = checkArchitecture(tree({
      "abci-app/src/abci/server.ts": "export const s = 1;\n",
      "abci-app/src/app/app.ts": 'import { s } from "../abci/server.ts";\nexport const a = s;\n',
    }));
    assert.equal(r.ok, true, r.report);
  });

  /** A module folder with every file of the shape, each exporting one name; `drop` leaves one out, `empty` empties one. */
  function module(name: string, change: { drop?: string; empty?: string } = {}): Record<string, string> {
    const files: Record<string, string> = {};
    for (const [i, f] of MODULE_SHAPE.entries()) {
      if (f === change.drop) continue;
      files[`abci-app/src/modules/${name}/${f}`] = f === change.empty ? "// nothing here yet\n" : `export const x${i} = ${i};\n`;
    }
    return files;
  }

  test("modules with every file of the shape pass", () => {
    const r = checkArchitecture(tree({ ...module("bank"), ...module("staking") }));
    assert.equal(r.ok, true, r.report);
  });

  for (const f of ["types.ts", "msgs.ts", "client/cli.ts"]) {
    test(`a module without ${f} fails the check and is named`, () => {
      const r = checkArchitecture(tree({ ...module("bank"), ...module("staking", { drop: f }) }));
      assert.equal(r.ok, false, `expected a missing ${f} to fail:\n${r.report}`);
      assert.match(r.report, new RegExp(`error module-shape: abci-app/src/modules/staking/${f} is missing`));
      assert.doesNotMatch(r.report, /modules\/bank\//);
    });
  }

  test("a module file of the shape that exports nothing fails the check and is named", () => {
    const r = checkArchitecture(tree(module("mint", { empty: "msgs.ts" })));
    assert.equal(r.ok, false, r.report);
    assert.match(r.report, /error module-shape: abci-app\/src\/modules\/mint\/msgs\.ts exports nothing/);
  });

  const cases: [string, Record<string, string>][] = [
    ["abci-knows-no-app", {
      "abci-app/src/app/app.ts": "export const a = 1;\n",
      "abci-app/src/abci/server.ts": 'import { a } from "../app/app.ts";\nexport const s = a;\n',
    }],
    ["no-cycles", {
      "cli/src/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b;\n',
      "cli/src/b.ts": 'import { a } from "./a.ts";\nexport const b = () => a;\n',
    }],
    ["registry-handlers-know-no-driver", {
      "registry/src/storage/fs-driver.ts": "export const d = 1;\n",
      "registry/src/http/blobs.ts": 'import { d } from "../storage/fs-driver.ts";\nexport const h = d;\n',
    }],
    ["packages-through-their-entry", {
      "installer/src/download.ts": "export const dl = 1;\n",
      "cli/src/install.ts": 'import { dl } from "../../installer/src/download.ts";\nexport const i = dl;\n',
    }],
    ["client-knows-no-app", {
      "abci-app/src/store/state-store.ts": "export const st = 1;\n",
      "abci-app/src/client/comet-rpc.ts": 'import { st } from "../store/state-store.ts";\nexport const c = st;\n',
    }],
    ["state-machine-is-pure", {
      "abci-app/src/rest/server.ts": "export const r = 1;\n",
      "abci-app/src/modules/bank/keeper.ts": 'import { r } from "../../rest/server.ts";\nexport const k = r;\n',
    }],
    ["block-execution-knows-no-client-code", {
      "abci-app/src/modules/bank/client/rest.ts": "export const routes = 1;\n",
      "abci-app/src/modules/bank/keeper.ts": 'import { routes } from "./client/rest.ts";\nexport const k = routes;\n',
    }],
    ["client-code-is-not-block-execution", {
      "abci-app/src/modules/bank/keeper.ts": "export const k = 1;\n",
      "abci-app/src/modules/bank/client/rest.ts": 'import { k } from "../keeper.ts";\nexport const routes = k;\n',
    }],
  ];
  for (const [rule, files] of cases) {
    test(`a planted violation of ${rule} fails the check and is named`, () => {
      const r = checkArchitecture(tree(files));
      assert.equal(r.ok, false, `expected ${rule} to fail:\n${r.report}`);
      assert.match(r.report, new RegExp(`error ${rule}:`));
    });
  }
});
