// `trustnet … | head -1` through the real launcher: the reader of stdout closes after one line, and the CLI ends
// quietly with exit 0 (it crashed with "Unhandled 'error' event … write EPIPE" and a stack trace).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { dropNotesWhenReaderCloses, exitQuietlyWhenReaderCloses } from "./stdout-closed.ts";

const LAUNCHER = fileURLToPath(new URL("../bin/trustnet.js", import.meta.url));

/** Runs the CLI with stdout piped to a reader that closes after its first chunk; its exit code and stderr. */
async function runIntoClosingReader(args: readonly string[]): Promise<{ code: number | null; stderr: string; first: string }> {
  const child = spawn(process.execPath, [LAUNCHER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const first = await new Promise<string>((r) => child.stdout.once("data", (d: Buffer) => r(d.toString())));
  child.stdout.destroy();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await exit;
  clearTimeout(timer);
  return { code, stderr, first };
}

test("a command's output piped into a reader that closes early (| head -1): exit 0, nothing on stderr but its notes", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-epipe-"));
  try {
    // A closed lease's kept console (no VM, no chain): 100k lines, far more than a pipe holds.
    await mkdir(join(home, "provider", "closed-logs"), { recursive: true });
    await writeFile(join(home, "provider", "closed-logs", "7.serial.log"), Array.from({ length: 100_000 }, (_, i) => `boot line ${i}\n`).join(""));
    for (const follow of [[], ["--follow"]]) {
      const r = await runIntoClosingReader(["provider", "lease-logs", "7", "--home", home, "--lines", "100000", ...follow]);
      assert.match(r.first, /^boot line 0\n/);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /EPIPE|Error|at /u);
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test("exitQuietlyWhenReaderCloses: EPIPE exits 0; any other stream error still throws", async () => {
  const { PassThrough } = await import("node:stream");
  const exits: number[] = [];
  const stream = new PassThrough();
  exitQuietlyWhenReaderCloses(stream, (code) => void exits.push(code));
  stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  assert.deepEqual(exits, [0]);
  assert.throws(() => stream.emit("error", Object.assign(new Error("write EIO"), { code: "EIO" })), /EIO/);
  assert.deepEqual(exits, [0]);
});

test("stderr's reader gone (2>&1 | head): the notes are dropped, the result still printed, exit 0 (it crashed, exit 1)", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-epipe-err-"));
  try {
    await mkdir(join(home, "provider", "closed-logs"), { recursive: true });
    await writeFile(join(home, "provider", "closed-logs", "7.serial.log"), "boot\n");
    // lease-logs on a closed lease writes a note on stderr ("lease 7 is closed …") before its result on stdout.
    const child = spawn(process.execPath, [LAUNCHER, "provider", "lease-logs", "7", "--home", home], { stdio: ["ignore", "pipe", "pipe"] });
    child.stderr.destroy();
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    assert.equal(code, 0);
    assert.equal(out, "boot\n");
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test("dropNotesWhenReaderCloses: EPIPE is dropped; any other stream error still throws", async () => {
  const { PassThrough } = await import("node:stream");
  const stream = new PassThrough();
  dropNotesWhenReaderCloses(stream);
  stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  assert.throws(() => stream.emit("error", Object.assign(new Error("write EIO"), { code: "EIO" })), /EIO/);
});
