import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { createHash } from "node:crypto";
import { toHex } from "./bytes.ts";
import { CorruptStateDbError, NotAStateDbError, SchemaVersionError } from "./errors.ts";
import { StateStore } from "./state-store.ts";
import type { Value } from "./types.ts";
import { enc, tempDir } from "./testing/helpers.ts";

const digest = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Opening must throw `kind` and leave the file byte-for-byte as it was. */
function assertRefused(path: string, kind: new (...args: never[]) => Error): void {
  const before = digest(path);
  assert.throws(() => StateStore.open(path), kind);
  assert.equal(digest(path), before, "the refused file was modified");
}

function populated(path: string, n: number): void {
  const s = StateStore.open(path);
  const block = new Map<string, Value | null>();
  for (let i = 0; i < n; i++) block.set(toHex(enc(`key/${String(i)}`)), new Uint8Array(100).fill(i % 251));
  s.stage(1n, block);
  s.commit();
  s.close();
  assert.equal(existsSync(`${path}-wal`), false, "close() checkpoints and removes the WAL");
}

describe("StateStore.open refuses what is not a healthy TrustNet state db", () => {
  test("a text file", () => {
    const t = tempDir();
    try {
      const p = t.path("notes.txt");
      writeFileSync(p, "this is not a database\n".repeat(20));
      assertRefused(p, NotAStateDbError);
    } finally {
      t.cleanup();
    }
  });

  test("an empty file", () => {
    const t = tempDir();
    try {
      const p = t.path("empty.db");
      writeFileSync(p, "");
      assertRefused(p, NotAStateDbError);
    } finally {
      t.cleanup();
    }
  });

  test("a foreign SQLite database", () => {
    const t = tempDir();
    try {
      const p = t.path("foreign.db");
      const db = new DatabaseSync(p);
      db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('alice');");
      db.close();
      assertRefused(p, NotAStateDbError);
      const q = t.path("lookalike.db");
      const look = new DatabaseSync(q);
      look.exec("CREATE TABLE store_info (name TEXT PRIMARY KEY, value); INSERT INTO store_info VALUES ('magic', 'other-app');");
      look.close();
      assertRefused(q, NotAStateDbError);
    } finally {
      t.cleanup();
    }
  });

  test("a state db of another schema version", () => {
    const t = tempDir();
    try {
      const p = t.path("state.db");
      populated(p, 10);
      const db = new DatabaseSync(p);
      db.exec("UPDATE store_info SET value = 99 WHERE name = 'schema_version'");
      db.close();
      assertRefused(p, SchemaVersionError);
    } finally {
      t.cleanup();
    }
  });

  test("a truncated state db", () => {
    const t = tempDir();
    try {
      const p = t.path("state.db");
      populated(p, 2000);
      const size = readFileSync(p).byteLength;
      truncateSync(p, Math.floor(size / 2));
      assertRefused(p, CorruptStateDbError);
    } finally {
      t.cleanup();
    }
  });

  test("a state db with damaged pages", () => {
    const t = tempDir();
    try {
      const p = t.path("state.db");
      populated(p, 2000);
      const bytes = readFileSync(p);
      const pageSize = bytes.readUInt16BE(16);
      for (let i = 3 * pageSize; i < 3 * pageSize + 200; i++) bytes[i] = 0xa5; // a b-tree page header
      writeFileSync(p, bytes);
      assertRefused(p, CorruptStateDbError);
    } finally {
      t.cleanup();
    }
  });

  test("a damaged SQLite header", () => {
    const t = tempDir();
    try {
      const p = t.path("state.db");
      populated(p, 10);
      const bytes = readFileSync(p);
      bytes.write("SQLite format 4", 0, "latin1");
      writeFileSync(p, bytes);
      assertRefused(p, NotAStateDbError);
    } finally {
      t.cleanup();
    }
  });

  test("a directory, and a path whose directory does not exist", () => {
    const t = tempDir();
    try {
      assert.throws(() => StateStore.open(t.dir), NotAStateDbError);
      assert.throws(() => StateStore.open(t.path("missing/state.db")), /cannot create the state database/);
    } finally {
      t.cleanup();
    }
  });

  test("our own file reopens after a refused attempt on another file", () => {
    const t = tempDir();
    try {
      const p = t.path("state.db");
      populated(p, 10);
      const s = StateStore.open(p);
      assert.equal(s.lastHeight, 1n);
      s.verify();
      s.close();
    } finally {
      t.cleanup();
    }
  });
});
