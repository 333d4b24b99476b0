import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseTxHash } from "./tx.ts";

describe("parseTxHash", () => {
  test("tx hashes", () => {
    const h = "ab".repeat(32);
    assert.equal(parseTxHash(h), h.toUpperCase());
    assert.equal(parseTxHash(`0x${h}`), h.toUpperCase());
    assert.throws(() => parseTxHash("abc"), /64 hex digits/u);
    assert.throws(() => parseTxHash("zz".repeat(32)), /invalid tx hash/u);
  });
});

describe("tx [hash] and its subcommands, through the real CLI", () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [fileURLToPath(new URL("../../bin/trustnet.js", import.meta.url)), ...args], { encoding: "utf8", env: { ...process.env, COLUMNS: "110" } });

  test("the subcommands' help does not list tx's 'hash' positional, which they do not take", () => {
    for (const path of [["tx", "staking", "delegate"], ["tx", "staking", "create-validator"], ["tx", "distribution", "withdraw-rewards"], ["tx", "slashing", "unjail"]]) {
      const r = cli([...path, "--help"]);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /transaction hash/u, path.join(" "));
    }
  });

  test("cancel-unbond's creation height is digits as typed: 1e3, 0x10, -1, abc or a height past int64 are refused by what was typed", () => {
    const valoper = "trustvaloper1qyqszqgpqyqszqgpqyqszqgpqyqszqgpx5t4ea";
    for (const h of ["1e3", "0x10", "-1", "abc", "1.5", "0", "9223372036854775808"]) {
      const r = cli(["tx", "staking", "cancel-unbond", valoper, "1TRUST", h, "--from", "nobody", "--node", "http://127.0.0.1:1"]);
      assert.equal(r.status, 2, `${h}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`creation height "${h.replace(".", "\\.")}" is not a block height \\(a whole number from 1\\)`, "u"), h);
    }
  });

  test("tx itself still documents and checks its hash", () => {
    assert.match(cli(["tx", "--help"]).stdout, /hash +transaction hash \(64 hex digits\)/u);
    const bad = cli(["tx", "1234"]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /invalid tx hash "1234": expected 64 hex digits/u);
  });
});
