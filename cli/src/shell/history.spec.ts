import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { appendHistory, HISTORY_LIMIT, loadHistory } from "./history.ts";

test("appendHistory appends 0600 and trims at twice the cap; a symbolic link planted at the history file is never written through", async () => {
  const home = mkdtempSync(join(tmpdir(), "tn-history-"));
  try {
    const path = join(home, "shell_history");
    await appendHistory(path, "balance", []);
    await appendHistory(path, "status", ["balance"]);
    assert.deepEqual(await loadHistory(path), ["balance", "status"]);
    assert.equal(statSync(path).mode & 0o777, 0o600);

    const victim = join(home, "victim.txt");
    writeFileSync(victim, "not yours\n", { mode: 0o644 });
    rmSync(path);
    symlinkSync(victim, path);
    // An append refuses the link (O_NOFOLLOW): the target keeps its text and its mode.
    await assert.rejects(appendHistory(path, "keys list", []), { code: "ELOOP" });
    assert.equal(readFileSync(victim, "utf8"), "not yours\n");
    assert.equal(statSync(victim).mode & 0o777, 0o644);
    // The trimming rewrite replaces the link with the history itself.
    const full = Array.from({ length: HISTORY_LIMIT * 2 }, (_, i) => `cmd ${i}`);
    await appendHistory(path, "last", full);
    assert.equal(readFileSync(victim, "utf8"), "not yours\n");
    assert.equal(lstatSync(path).isSymbolicLink(), false);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(await loadHistory(path), [...full.slice(-HISTORY_LIMIT + 1), "last"]);
    assert.deepEqual(readdirSync(home).sort(), ["shell_history", "victim.txt"]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
