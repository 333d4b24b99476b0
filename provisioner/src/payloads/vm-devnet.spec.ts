import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { InvalidConfigError, ProvisionError } from "../errors.ts";
import { realShell as $ } from "../shell.ts";
import { buildGuestHome, realVmDevnet, vmDevnetHome } from "./vm-devnet.ts";

const appRoot = join(import.meta.dirname, "..", "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "tn-vmdevnet-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const gen = realVmDevnet({ $, appRoot, log: () => undefined });
const hosts = ["fd12:3456:789a:1::1", "fd12:3456:789a:1::3", "fd12:3456:789a:1::4"];

describe("the node VMs' chain (real devnet generate)", () => {
  test("one genesis for three node VMs; reused as is; another set of VMs is refused with a hint", async () => {
    const home = mkdtempSync(join(tmp, "home-"));
    const dir = await gen({ home, p2pHosts: hosts, registryEndpoint: "http://[fd12:3456:789a:1::2]:8000" });
    assert.equal(dir, vmDevnetHome(home));
    const genesis = (i: number): string => readFileSync(join(dir, "devnet", `node${i}`, "cometbft", "config", "genesis.json"), "utf8");
    assert.equal(genesis(0), genesis(2), "one genesis");
    assert.equal((JSON.parse(genesis(0)) as { validators: unknown[] }).validators.length, 3);
    const before = readFileSync(join(dir, "devnet", "devnet.json"), "utf8");
    assert.equal(await gen({ home, p2pHosts: hosts, registryEndpoint: "http://[fd12:3456:789a:1::2]:8000" }), dir);
    await assert.rejects(gen({ home, p2pHosts: hosts.slice(0, 2), registryEndpoint: "http://x:8000" }), (e: unknown) => e instanceof InvalidConfigError && /made for 3 validator\(s\)/.test(e.message));
    assert.equal(readFileSync(join(dir, "devnet", "devnet.json"), "utf8"), before, "unchanged");
    const out = join(home, "v2.tgz");
    await buildGuestHome($, dir, 2, out);
    const listed = (await $`tar -tzf ${out}`).stdout;
    assert.match(listed, /devnet\/node2\/cometbft\/config\/node_key\.json/);
    assert.doesNotMatch(listed, /devnet\/node[01]\//);
  });

  test("a failed generation leaves nothing behind", async () => {
    const home = mkdtempSync(join(tmp, "home-"));
    await assert.rejects(gen({ home, p2pHosts: ["not-an-address"], registryEndpoint: "http://x:8000" }), ProvisionError);
    assert.ok(!existsSync(vmDevnetHome(home)));
  });
});
