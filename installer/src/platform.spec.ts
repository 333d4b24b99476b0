import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseGoVersion, goIsRecentEnough, goInstallTarget } from "./go-fallback.ts";
import { cometbftAssetName, cometbftReleaseUrl, cometbftSumsName, detectPlatform, toPlatform } from "./platform.ts";
import { renderBar } from "./progress.ts";
import { parseSha256Sums } from "./sha256sums.ts";

describe("release asset names", () => {
  test("goreleaser names for the four supported platforms", () => {
    assert.equal(cometbftAssetName("0.38.25", toPlatform("linux", "x64")), "cometbft_0.38.25_linux_amd64.tar.gz");
    assert.equal(cometbftAssetName("0.38.25", toPlatform("Linux", "aarch64")), "cometbft_0.38.25_linux_arm64.tar.gz");
    assert.equal(cometbftAssetName("0.38.25", toPlatform("darwin", "arm64")), "cometbft_0.38.25_darwin_arm64.tar.gz");
    assert.equal(cometbftAssetName("0.38.25", toPlatform("Darwin", "x86_64")), "cometbft_0.38.25_darwin_amd64.tar.gz");
    assert.equal(cometbftSumsName("0.38.25"), "SHA256SUMS-0.38.25.txt");
    assert.equal(cometbftReleaseUrl("http://m/x/", "0.38.25"), "http://m/x/v0.38.25");
  });
  test("unsupported platforms list the supported ones; env overrides detection", () => {
    assert.throws(() => toPlatform("win32", "x64"), /unsupported platform win32\/x64; supported: linux\/amd64, linux\/arm64, darwin\/amd64, darwin\/arm64/);
    assert.throws(() => toPlatform("linux", "riscv64"), /unsupported platform linux\/riscv64/);
    assert.deepEqual(detectPlatform({ TRUSTNET_UNAME_S: "Darwin", TRUSTNET_UNAME_M: "arm64" }), { os: "darwin", arch: "arm64" });
  });
});

describe("checksum lists", () => {
  test("parses sha256sum output, binary markers and ./ prefixes; skips garbage", () => {
    const a = "a".repeat(64);
    const b = "B".repeat(64);
    const m = parseSha256Sums(`${a}  one.tar.gz\n${b} *./two.tar.gz\n\nnot a line\n`);
    assert.equal(m.get("one.tar.gz"), a);
    assert.equal(m.get("two.tar.gz"), "b".repeat(64));
    assert.equal(m.size, 2);
  });
});

describe("go fallback decision", () => {
  test("needs Go >= 1.22 and always the pinned tag", () => {
    assert.deepEqual(parseGoVersion("go version go1.22.11 linux/amd64"), { major: 1, minor: 22 });
    assert.equal(goIsRecentEnough(parseGoVersion("go1.26.8")!), true);
    assert.equal(goIsRecentEnough(parseGoVersion("go1.21.13")!), false);
    assert.equal(parseGoVersion("devel"), undefined);
    assert.equal(goInstallTarget("0.38.25"), "github.com/cometbft/cometbft/cmd/cometbft@v0.38.25");
  });
});

describe("progress bar", () => {
  test("renders percent and sizes", () => {
    assert.equal(renderBar("dl", 524288, 1048576, 10), "dl [#####     ]  50% 0.5/1.0 MB");
    assert.equal(renderBar("dl", 2097152, undefined), "dl 2.0 MB");
  });
});
