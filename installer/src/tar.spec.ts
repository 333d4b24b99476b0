import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { extractFromTarGz } from "./tar.ts";

function header(name: string, size: number, type = "0"): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, "utf8");
  h.write("0000755\0", 100);
  h.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  h.write(type, 156);
  h.write("ustar\0", 257);
  return h;
}
function entry(name: string, body: Buffer, type = "0"): Buffer {
  return Buffer.concat([header(name, body.length, type), body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}
const end = Buffer.alloc(1024);

describe("extractFromTarGz", () => {
  test("finds the file at the root or one directory down, skipping others", () => {
    const tgz = gzipSync(Buffer.concat([entry("LICENSE", Buffer.from("x")), entry("dist/cometbft", Buffer.from("BIN")), end]));
    assert.equal(extractFromTarGz(tgz, "cometbft").toString(), "BIN");
  });
  test("GNU long names", () => {
    const long = `${"d".repeat(60)}/${"e".repeat(60)}/cometbft`;
    const tgz = gzipSync(Buffer.concat([entry("././@LongLink", Buffer.from(`${long}\0`), "L"), entry("short", Buffer.from("LONG")), end]));
    assert.throws(() => extractFromTarGz(tgz, "cometbft"), /does not contain/);
    const tgz2 = gzipSync(Buffer.concat([entry("././@LongLink", Buffer.from("x/cometbft\0"), "L"), entry("short", Buffer.from("OK")), end]));
    assert.equal(extractFromTarGz(tgz2, "cometbft").toString(), "OK");
  });
  test("ignores deep paths and non-regular entries", () => {
    const tgz = gzipSync(Buffer.concat([entry("a/b/cometbft", Buffer.from("deep")), entry("cometbft", Buffer.alloc(0), "5"), end]));
    assert.throws(() => extractFromTarGz(tgz, "cometbft", "t.tgz"), /t\.tgz does not contain a 'cometbft' file/);
  });
  test("garbage and truncated archives give clear errors", () => {
    assert.throws(() => extractFromTarGz(Buffer.from("not gzip"), "cometbft", "x.tar.gz"), /x\.tar\.gz is not a valid gzip file/);
    const cut = gzipSync(Buffer.concat([header("cometbft", 4096), Buffer.alloc(100)]));
    assert.throws(() => extractFromTarGz(cut, "cometbft", "c.tgz"), /c\.tgz is truncated inside 'cometbft'/);
  });
});
