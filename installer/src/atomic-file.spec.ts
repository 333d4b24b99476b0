import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { writeFileAtomic, writeFileAtomicSync } from "./atomic-file.ts";

const MODULE = fileURLToPath(new URL("./atomic-file.ts", import.meta.url));

/** Runs writeFileAtomic in a child whose file-size limit (`ulimit -f`, 1 KiB blocks) makes a large write fail with EFBIG. */
function writeUnderSizeLimit(path: string, bytes: number, mode: "create" | "replace", fn: "writeFileAtomic" | "writeFileAtomicSync" = "writeFileAtomic"): { status: number | null; stderr: string } {
  const script = `import { ${fn} } from ${JSON.stringify(MODULE)};
await ${fn}(${JSON.stringify(path)}, "x".repeat(${bytes}), ${JSON.stringify(mode)});`;
  const r = spawnSync("sh", ["-c", 'ulimit -f 1 && exec "$0" --input-type=module -e "$1"', process.execPath, script], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

test("writeFileAtomic: writes 0600 and replaces; create refuses an existing target", async () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  try {
    const path = join(dir, "state.json");
    await writeFileAtomic(path, "one", "create");
    await writeFileAtomic(path, "two", "replace");
    assert.equal(readFileSync(path, "utf8"), "two");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    await assert.rejects(writeFileAtomic(path, "three", "create"), { code: "EEXIST" });
    assert.equal(readFileSync(path, "utf8"), "two");
    assert.deepEqual(readdirSync(dir), ["state.json"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writeFileAtomic(Sync) with a fileMode: 0644 for a file others read, whatever the umask; the default stays 0600", async () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  const umask = process.umask(0o077);
  try {
    await writeFileAtomic(join(dir, "chain.json"), "{}", "create", 0o644);
    writeFileAtomicSync(join(dir, "assetlist.json"), "{}", "replace", 0o644);
    await writeFileAtomic(join(dir, "private.json"), "{}", "create");
    assert.deepEqual(["chain.json", "assetlist.json", "private.json"].map((f) => statSync(join(dir, f)).mode & 0o777), [0o644, 0o644, 0o600]);
  } finally {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writeFileAtomic: a write that fails after the temp file was opened (EFBIG) removes the temp file and keeps the target", () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  try {
    const path = join(dir, "state.json");
    writeFileSync(path, "old");
    for (const mode of ["replace", "create"] as const) {
      const r = writeUnderSizeLimit(path, 64 * 1024, mode);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /EFBIG/u);
      assert.deepEqual(readdirSync(dir), ["state.json"], `${mode}: no temp file left behind`);
      assert.equal(readFileSync(path, "utf8"), "old");
    }
    const fresh = join(dir, "fresh.json");
    assert.notEqual(writeUnderSizeLimit(fresh, 64 * 1024, "create").status, 0);
    assert.deepEqual(readdirSync(dir), ["state.json"], "create of a new file: neither the temp file nor a partial target");
    // The same child writes a small file fine: the limit, not the set-up, made the big write fail.
    assert.equal(writeUnderSizeLimit(fresh, 10, "create").status, 0);
    assert.equal(readFileSync(fresh, "utf8"), "x".repeat(10));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writeFileAtomicSync: the same file (0600, replace, create-only), and a failed write (EFBIG) leaves no temp file", () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  try {
    const path = join(dir, "state.json");
    writeFileAtomicSync(path, "one", "create");
    writeFileAtomicSync(path, "two", "replace");
    assert.equal(readFileSync(path, "utf8"), "two");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.throws(() => writeFileAtomicSync(path, "three", "create"), { code: "EEXIST" });
    for (const mode of ["replace", "create"] as const) {
      const r = writeUnderSizeLimit(path, 64 * 1024, mode, "writeFileAtomicSync");
      assert.match(r.stderr, /EFBIG/u);
      assert.deepEqual(readdirSync(dir), ["state.json"], `${mode}: no temp file left behind`);
      assert.equal(readFileSync(path, "utf8"), "two");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
