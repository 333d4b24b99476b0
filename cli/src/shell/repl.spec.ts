// The shell's loop, on fake streams: errors go to the error stream (stderr), results and prompts to the output, and
// a script piped in (stdin not a terminal) makes the shell exit non-zero when any of its commands failed.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { CliError } from "../errors.ts";
import { runShell } from "./repl.ts";

class Sink extends PassThrough {
  text = "";
  constructor() {
    super();
    this.on("data", (c: Buffer) => (this.text += c.toString("utf8")));
  }
}

/** Runs the shell over `lines` (not a terminal) with a fake command runner. */
async function shell(lines: readonly string[]): Promise<{ status: number; out: string; err: string; ran: string[][] }> {
  const dir = await mkdtemp(join(tmpdir(), "tn-repl-"));
  const out = new Sink();
  const err = new Sink();
  const ran: string[][] = [];
  try {
    const status = await runShell({
      input: Readable.from([lines.map((l) => `${l}\n`).join("")]) as unknown as NodeJS.ReadStream,
      output: out,
      errors: err,
      historyFile: join(dir, "shell_history"),
      help: () => Promise.resolve(""),
      run: (args) => {
        ran.push([...args]);
        if (args[0] === "fails") return Promise.reject(new CliError("it failed", { hint: "do better" }));
        if (args[0] === "status") return Promise.resolve(Number(args[1]));
        out.write(`ran ${args.join(" ")}\n`);
        return Promise.resolve(0);
      },
    });
    return { status, out: out.text, err: err.text, ran };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("runShell", () => {
  test("a script whose commands all succeed exits 0; results are on the output, nothing on the error stream", async () => {
    const r = await shell(["ok one", "trustnet ok two", "", "exit", "ok never"]);
    assert.equal(r.status, 0);
    assert.deepEqual(r.ran, [["ok", "one"], ["ok", "two"]]);
    assert.match(r.out, /ran ok one\n.*ran ok two\n/su);
    assert.equal(r.err, "");
  });

  test("a failed command: its error goes to the error stream (not the output), the shell goes on, and exits 1", async () => {
    const r = await shell(["fails", "ok after"]);
    assert.equal(r.status, 1);
    assert.equal(r.err, "error: it failed\nhint: do better\n");
    assert.doesNotMatch(r.out, /error:/u);
    assert.match(r.out, /ran ok after/u, "the shell kept going");
  });

  test("a non-zero status from a command, a line that does not parse, and `shell` itself are failures too", async () => {
    assert.equal((await shell(["status 3", "ok"])).status, 1);
    const unparsed = await shell(["ok 'unterminated"]);
    assert.equal(unparsed.status, 1);
    assert.match(unparsed.err, /^error: /u);
    const nested = await shell(["shell"]);
    assert.equal(nested.status, 1);
    assert.equal(nested.err, "error: already in the shell\n");
  });
});
