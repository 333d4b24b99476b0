import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { COMETBFT_VERSION, GO_VERSION, NODE_VERSION, NPM_VERSION, PINS } from "./versions.ts";

const root = join(import.meta.dirname, "..", "..");

describe("pins", () => {
  test("every pin is a well-formed digest with the place it was published", () => {
    for (const [name, pin] of Object.entries(PINS)) {
      if (pin === null) continue;
      assert.match(pin.hex, pin.algorithm === "sha256" ? /^[0-9a-f]{64}$/ : /^[0-9a-f]{128}$/, name);
      assert.match(pin.publishedIn, /^https:\/\//, name);
    }
    for (const os of ["linux", "darwin"]) {
      for (const arch of ["amd64", "arm64"]) assert.ok(`cometbft_${COMETBFT_VERSION}_${os}_${arch}.tar.gz` in PINS, `a CometBFT entry for ${os}/${arch}`);
      for (const arch of ["x64", "arm64"]) assert.ok(PINS[`node-v${NODE_VERSION}-${os}-${arch}.tar.gz`], `a Node pin for ${os}-${arch}`);
    }
  });

  test("scripts/lib/node-env.sh carries the same Node, npm and Go toolchain pins and versions as versions.ts", () => {
    const sh = readFileSync(join(root, "scripts", "lib", "node-env.sh"), "utf8");
    assert.match(sh, new RegExp(`TRUSTNET_NODE_VERSION="\\$\\{TRUSTNET_NODE_VERSION:-${NODE_VERSION.replace(/\./g, "\\.")}\\}"`));
    assert.match(sh, new RegExp(`TRUSTNET_NPM_VERSION="\\$\\{TRUSTNET_NPM_VERSION:-${NPM_VERSION.replace(/\./g, "\\.")}\\}"`));
    const goSh = readFileSync(join(root, "scripts", "lib", "go-env.sh"), "utf8");
    assert.match(goSh, new RegExp(`TRUSTNET_GO_VERSION="\\$\\{TRUSTNET_GO_VERSION:-${GO_VERSION.replace(/\./g, "\\.")}\\}"`));
    for (const arch of ["amd64", "arm64"]) assert.ok(PINS[`golang.org/toolchain@v0.0.1-go${GO_VERSION}.linux-${arch}`], `a Go toolchain pin for linux-${arch}`);
    const body = /tn_pin_builtin\(\) \{[^]*?esac/.exec(sh)?.[0] ?? "";
    const inShell = new Map([...body.matchAll(/^\s+(\S+)\) echo ([0-9a-f]+) ;;$/gm)].map((m) => [m[1]!, m[2]!]));
    const expected = Object.entries(PINS).filter(([n, p]) => p !== null && (n.startsWith("node-") || n.startsWith("npm@") || n.startsWith("golang.org/toolchain@")));
    assert.equal(inShell.size, expected.length, [...inShell.keys()].join(", "));
    for (const [name, pin] of expected) assert.equal(inShell.get(name), pin?.hex, name);
  });
});
