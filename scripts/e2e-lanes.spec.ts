// The end-to-end lanes (test/e2e-lanes.ts): a file in lane 2 runs at the same time as lane 1's files, so it must share
// no port and no Docker engine with them. Read from the files' text: a heuristic, but one that fails on the mistakes
// that matter (a new devnet at a lane-1 offset, a devnet on the contract ports, a private dockerd).
import assert from "node:assert/strict";
import { existsSync, globSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { E2E_BESIDE } from "../test/e2e-lanes.ts";

const all = globSync("test/**/*.e2e.ts").sort();
const beside = new Set(E2E_BESIDE);
const text = (f: string): string => readFileSync(f, "utf8");

/** Every fixed devnet port offset a file writes: `portOffset: N`, `PORT_OFFSET = N`, `--port-offset N`. */
export function offsetsIn(src: string): number[] {
  const found = [...src.matchAll(/portOffset:\s*([\d_]+)|PORT_OFFSET\s*=\s*([\d_]+)|--port-offset"?,?\s*"?([\d_]+)/g)];
  return found.map((m) => Number((m[1] ?? m[2] ?? m[3])!.replaceAll("_", "")));
}

test("lane 2 lists existing end-to-end files, each once", () => {
  assert.equal(beside.size, E2E_BESIDE.length);
  for (const f of E2E_BESIDE) assert.ok(existsSync(f) && all.includes(f), `${f} is an end-to-end file`);
});

test("a lane-2 devnet offset is a multiple of 100 that no lane-1 file uses", () => {
  const lane1 = new Map<number, string>();
  for (const f of all.filter((f) => !beside.has(f))) for (const o of offsetsIn(text(f))) lane1.set(o, f);
  for (const f of E2E_BESIDE) {
    for (const o of offsetsIn(text(f))) {
      assert.equal(o % 100, 0, `${f}: offset ${o} is not a multiple of 100`);
      assert.ok(!lane1.has(o), `${f}: offset ${o} is also used by ${lane1.get(o)} in lane 1`);
    }
  }
});

test("a lane-2 file starts every devnet at an offset, names no contract port and starts no dockerd", () => {
  for (const f of E2E_BESIDE) {
    const src = text(f);
    for (const call of src.matchAll(/startDevnet\(([^)]*)\)/g)) assert.match(call[1]!, /portOffset/, `${f}: ${call[0]} has no portOffset`);
    assert.doesNotMatch(src, /startDockerd|chain-actions\.ts/, `${f} starts a Docker engine or uses the contract REST port`);
    const lines = src.split("\n").filter((l) => /\b(26656|26657|26658|26660|1317|8000|8001|9090|2222|2223)\b/.test(l));
    // Allowed: a port computed from the file's own offset, and a refused URL in an error message (nothing binds it).
    for (const l of lines) assert.match(l, /PORT_OFFSET|did you mean/, `${f}: a contract port: ${l.trim()}`);
  }
});

test("offsetsIn reads the three ways the files write an offset", () => {
  assert.deepEqual(offsetsIn('startDevnet({ portOffset: 4_200 }); const PORT_OFFSET = 4500; ["--port-offset", "900"]; `--port-offset 3000`'), [4200, 4500, 900, 3000]);
});
