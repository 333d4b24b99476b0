// The app process's flag checks: a bad value is refused with the flag named, before anything is opened or served.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runAppProcess } from "./main.ts";

test("bad --sig-workers, --transport, --grpc-server, --keep-versions, --simulate-gas-limit and --max-message-bytes are refused and create nothing", async () => {
  const home = join(mkdtempSync(join(tmpdir(), "tn-flags-")), "home");
  const bad: [string[], RegExp][] = [
    [["--sig-workers", "abc"], /--sig-workers must be 0\.\.64, got abc/],
    [["--sig-workers", "65"], /--sig-workers must be 0\.\.64, got 65/],
    [["--sig-workers=-1"], /--sig-workers must be 0\.\.64, got -1/],
    [["--sig-workers", "1.5"], /--sig-workers must be 0\.\.64, got 1\.5/],
    [["--transport", "http"], /--transport must be socket or grpc/],
    [["--transport", "grpc", "--grpc-server", "nghttp2"], /--grpc-server must be grpc-js or native, got nghttp2/],
    [["--keep-versions=-3"], /--keep-versions must be a non-negative integer/],
    [["--simulate-gas-limit", "0"], /--simulate-gas-limit must be a positive integer/],
    [["--max-message-bytes", "1048576"], /--max-message-bytes must be an integer in \[2097152, 2147483647\], got 1048576/],
    [["--max-message-bytes", "2147483648"], /--max-message-bytes must be an integer in \[2097152, 2147483647\]/],
    [["--max-message-bytes", "64MiB"], /--max-message-bytes must be an integer/],
    [["--max-message-bytes=-5"], /--max-message-bytes must be an integer/],
  ];
  for (const [flags, message] of bad) {
    await assert.rejects(runAppProcess(["--home", home, "--rest-address", "off", ...flags]), message, flags.join(" "));
  }
  assert.equal(existsSync(home), false, "nothing was created for a refused start");
});
