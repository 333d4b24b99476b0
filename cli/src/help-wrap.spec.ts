// `trustnet --help` through the real CLI: long descriptions wrap between words, never inside one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildCli } from "./main.ts";
import { commands } from "./commands/index.ts";

const bin = fileURLToPath(new URL("../bin/trustnet.js", import.meta.url));
const oneLine = (s: string): string => s.replace(/\s+/gu, " ");

test("every command's description reads whole in --help (wrapped at spaces, as yargs' CommonJS build does)", () => {
  const r = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const help = oneLine(r.stdout);
  const described = commands(buildCli).map((c) => c.describe).filter((d): d is string => typeof d === "string");
  assert.ok(described.some((d) => d.length > 80), "a description long enough to wrap");
  for (const d of described) assert.ok(help.includes(oneLine(d)), `"${d}" is cut inside a word:\n${r.stdout}`);
  // No line is longer than the width it wraps at (110 when stdout is not a terminal).
  for (const line of r.stdout.split("\n")) assert.ok(line.length <= 110, `${line.length} columns: ${line}`);
});
