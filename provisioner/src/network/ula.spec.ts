import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { InvalidConfigError } from "../errors.ts";
import { addressOf, generateUlaPrefix, loadOrCreateNetwork, macFor, parseNetwork, prefixFromGlobalId, segmentOf, validatePrefix } from "./ula.ts";

describe("ULA network", () => {
  test("a /48 from 40 random bits, fd00::/8, RFC 5952 formatting", () => {
    assert.equal(prefixFromGlobalId(Uint8Array.from([0x5e, 0x3a, 0x1b, 0x9c, 0x04])), "fd5e:3a1b:9c04::/48");
    assert.equal(prefixFromGlobalId(Uint8Array.from([0, 0, 1, 0, 0])), "fd00:1:0::/48");
    for (let i = 0; i < 200; i++) validatePrefix(generateUlaPrefix(randomBytes));
  });
  test("never hands out fd10:1234::/32", () => {
    const draws = [Uint8Array.from([0x10, 0x12, 0x34, 1, 2]), Uint8Array.from([0x10, 0x12, 0x34, 9, 9]), Uint8Array.from([0xaa, 1, 2, 3, 4])];
    assert.equal(generateUlaPrefix(() => draws.shift() ?? new Uint8Array(5)), "fdaa:102:304::/48");
    assert.throws(() => validatePrefix("fd10:1234:5::/48"), InvalidConfigError);
    assert.throws(() => validatePrefix("fd10:1234::/32"), InvalidConfigError);
    assert.throws(() => validatePrefix("2001:db8:1::/48"), /not an RFC 4193/);
  });
  test("segment /64 and VM addresses", () => {
    const seg = segmentOf("fd5e:3a1b:9c04::/48");
    assert.equal(seg, "fd5e:3a1b:9c04:1::/64");
    assert.equal(addressOf(seg, { role: "node" }), "fd5e:3a1b:9c04:1::1");
    assert.equal(addressOf(seg, { role: "registry" }), "fd5e:3a1b:9c04:1::2");
    assert.equal(addressOf(seg, { role: "validator", index: 2 }), "fd5e:3a1b:9c04:1::3");
    assert.equal(addressOf(seg, { role: "validator", index: 4 }), "fd5e:3a1b:9c04:1::5");
    assert.throws(() => addressOf(seg, { role: "validator", index: 1 }), /index must be/);
  });
  test("MACs: fixed per VM and NIC, distinct, locally administered unicast", () => {
    const p = "fd5e:3a1b:9c04::/48";
    const macs = ["trustnet-node", "trustnet-registry", "trustnet-validator-2"].flatMap((n) => [macFor(p, n, 0), macFor(p, n, 1)]);
    assert.equal(new Set(macs).size, macs.length);
    assert.equal(macFor(p, "trustnet-node", 1), macFor(p, "trustnet-node", 1));
    assert.notEqual(macFor(p, "trustnet-node", 1), macFor("fd00:1:2::/48", "trustnet-node", 1));
    for (const m of macs) assert.match(m, /^52:54(:[0-9a-f]{2}){4}$/);
  });
  test("generated once, then reused from network.json", async () => {
    const files = new Map<string, string>();
    let draws = 0;
    const deps = {
      readFile: async (p: string) => files.get(p),
      writeFile: async (p: string, t: string) => void files.set(p, t),
      randomBytes: (n: number) => (draws++, randomBytes(n)),
      now: () => new Date("2026-11-21T00:00:00Z"),
    };
    const a = await loadOrCreateNetwork("/h", deps);
    const b = await loadOrCreateNetwork("/h", deps);
    assert.deepEqual(a, b);
    assert.equal(draws, 1);
    assert.ok(files.has("/h/network.json"));
    assert.equal(a.createdAt, "2026-11-21T00:00:00.000Z");
  });
  test("a tampered network.json is refused with a clear error", () => {
    assert.throws(() => parseNetwork('{"prefix":"fd10:1234::/32"}', "network.json"), /not an RFC 4193|fd10:1234/);
    assert.throws(() => parseNetwork("{", "network.json"), /not valid JSON/);
    assert.throws(() => parseNetwork("{}", "network.json"), /missing "prefix"/);
  });
});
