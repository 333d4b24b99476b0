import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CONFIG, parseValidatorCount, parseVmConfig, validatorProfile } from "./profiles.ts";

describe("VM profiles", () => {
  test("defaults are the seed's: node 4/8GiB/50GiB on 2222, registry 2/4GiB/30GiB on 2223", () => {
    assert.deepEqual([DEFAULT_CONFIG.node.cpus, DEFAULT_CONFIG.node.memoryMiB, DEFAULT_CONFIG.node.diskGiB, DEFAULT_CONFIG.node.sshPort, DEFAULT_CONFIG.node.user], [4, 8192, 50, 2222, "warden"]);
    assert.deepEqual([DEFAULT_CONFIG.registry.cpus, DEFAULT_CONFIG.registry.memoryMiB, DEFAULT_CONFIG.registry.diskGiB, DEFAULT_CONFIG.registry.sshPort, DEFAULT_CONFIG.registry.user], [2, 4096, 30, 2223, "keeper"]);
  });
  test("the shipped config/vm.json parses to the defaults", () => {
    const file = join(import.meta.dirname, "../../config/vm.json");
    assert.deepEqual(parseVmConfig(readFileSync(file, "utf8"), file), DEFAULT_CONFIG);
  });
  test("overrides merge; forwards can be switched off", () => {
    const c = parseVmConfig('{"node":{"cpus":2,"memoryMiB":2048,"forwardRpc":false}}', "vm.json");
    assert.equal(c.node.cpus, 2);
    assert.equal(c.node.memoryMiB, 2048);
    assert.equal(c.node.diskGiB, 50);
    assert.deepEqual(c.node.forwards, []);
    assert.deepEqual(c.registry, DEFAULT_CONFIG.registry);
    const moved = parseVmConfig('{"node":{"forwardRpc":36657},"registry":{"forwardRegistry":18000}}', "vm.json");
    assert.deepEqual(moved.node.forwards, [{ hostPort: 36657, guestPort: 26657 }]);
    assert.deepEqual(moved.registry.forwards, [{ hostPort: 18000, guestPort: 8000 }]);
  });
  test("bad values are refused with the setting named", () => {
    assert.throws(() => parseVmConfig('{"node":{"cpus":0}}', "vm.json"), /node\.cpus must be an integer from 1/);
    assert.throws(() => parseVmConfig('{"node":{"diskGB":5}}', "vm.json"), /unknown setting\(s\) diskGB/);
    assert.throws(() => parseVmConfig('{"registry":{"sshPort":80}}', "vm.json"), /sshPort/);
    assert.throws(() => parseVmConfig("[", "vm.json"), /not valid JSON/);
    assert.throws(() => parseVmConfig('{"node":{"forwardRpc":80}}', "vm.json"), /node\.forwardRpc must be an integer from 1024/);
    assert.throws(() => parseVmConfig('{"node":{"forwardRpc":"yes"}}', "vm.json"), /true, false or a host port/);
  });
  test("--validators", () => {
    assert.equal(parseValidatorCount("4"), 4);
    assert.equal(parseValidatorCount(1), 1);
    for (const bad of [0, -1, 1.5, "x", "17", undefined, "4abc"]) assert.throws(() => parseValidatorCount(bad), /--validators must be an integer from 1 to 16/);
    assert.equal(validatorProfile(DEFAULT_CONFIG, 2).sshPort, 2224);
    assert.equal(validatorProfile(DEFAULT_CONFIG, 4).sshPort, 2226);
  });
});
