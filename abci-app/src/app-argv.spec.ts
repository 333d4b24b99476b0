// The app's Node argv: the V8 limits are pinned (changing them changes the memory figures of docs/ARCHITECTURE.md
// "Memory (P6)", measured by bench/state-growth.ts), and a Node started with them really has those limits.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { APP_HEAP_ENV, APP_MAIN, APP_NODE_FLAGS, appNodeArgv } from "./app-argv.ts";

test("the app argv is the pinned V8 flags, then the app's main.ts, then the app's own arguments", () => {
  assert.deepEqual(APP_NODE_FLAGS, ["--max-semi-space-size=2", "--max-old-space-size=512"]);
  assert.ok(existsSync(APP_MAIN) && APP_MAIN.endsWith("abci-app/src/main.ts"));
  assert.deepEqual(appNodeArgv(["--home", "/h", "--transport", "grpc"]),
    ["--max-semi-space-size=2", "--max-old-space-size=512", APP_MAIN, "--home", "/h", "--transport", "grpc"]);
  assert.deepEqual(appNodeArgv([]), [...APP_NODE_FLAGS, APP_MAIN]);
});

test(`${APP_HEAP_ENV} sets the old-space cap (256-65536 MiB); anything else is refused with the variable's name`, () => {
  assert.deepEqual(appNodeArgv(["--home", "/h"], { [APP_HEAP_ENV]: "2048" }), ["--max-semi-space-size=2", "--max-old-space-size=2048", APP_MAIN, "--home", "/h"]);
  assert.deepEqual(appNodeArgv([], { [APP_HEAP_ENV]: "" }), [...APP_NODE_FLAGS, APP_MAIN]);
  for (const bad of ["abc", "100", "1e3", "70000", "512.5", "-512", " 512", "0512"]) {
    assert.throws(() => appNodeArgv([], { [APP_HEAP_ENV]: bad }), new RegExp(`^Error: ${APP_HEAP_ENV}=.*must be a whole number of MiB from 256 to 65536`), bad);
  }
});

test("a Node started with the flags has the old-space cap and the small young generation", () => {
  const out = execFileSync(process.execPath, [...APP_NODE_FLAGS, "-e",
    "const v8 = require('node:v8'); const s = v8.getHeapSpaceStatistics(); process.stdout.write(JSON.stringify({ limit: v8.getHeapStatistics().heap_size_limit, newSpace: s.find((x) => x.space_name === 'new_space').space_size }))"],
  { encoding: "utf8" });
  const { limit, newSpace } = JSON.parse(out) as { limit: number; newSpace: number };
  // heap_size_limit = old-space cap + the young generation's reserve; without the flags it is ~2-4 GB here.
  assert.ok(limit >= 512 * 2 ** 20 && limit < 544 * 2 ** 20, `heap_size_limit ${limit}`);
  assert.ok(newSpace <= 4 * 2 ** 20, `new space ${newSpace}`);
});

test("every launcher of the app process builds its argv here (supervisor → devnet and VM units, full node)", () => {
  for (const launcher of ["../../cli/src/devnet/supervisor.ts", "../../cli/src/fullnode/run.ts"]) {
    const src = readFileSync(fileURLToPath(new URL(launcher, import.meta.url)), "utf8");
    assert.match(src, /spawn(?:Supervised)?\(process\.execPath, appNodeArgv\(\[/, launcher);
    assert.doesNotMatch(src, /abci-app\/src\/main\.ts/, launcher);
  }
});
