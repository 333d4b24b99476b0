import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { resolveAddress, resolveAddressArg, resolveValidator } from "./address-arg.ts";
import { CliError, UsageError } from "./errors.ts";
import { createKey, keyPath, MIN_SCRYPT, showKey } from "./keyring/index.ts";

const fast = { passphrase: { env: { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" }, prompt: null }, scrypt: MIN_SCRYPT } as const;
const other = toBech32("trust", new Uint8Array(20).fill(9));

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), "tn-addrarg-"));
  try {
    await fn(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

describe("resolveAddressArg: a key name or an address", () => {
  test("a key name resolves to the key's address; an address to itself; omitted to the active key", () => withHome(async (home) => {
    const alice = await createKey(home, "alice", fast);
    const warnings: string[] = [];
    const warn = (m: string): void => void warnings.push(m);
    assert.deepEqual(await resolveAddressArg(home, "alice", { warn }), { address: alice.address, key: "alice" });
    assert.deepEqual(await resolveAddressArg(home, other, { warn }), { address: other, key: undefined });
    assert.equal(await resolveAddress(home, other.toUpperCase(), { warn }), other, "upper-case bech32 is canonicalised");
    assert.deepEqual(await resolveAddressArg(home, undefined, { warn }), { address: alice.address, key: "alice" });
    assert.deepEqual(warnings, []);
  }));

  test("a key name that does not exist: a clear error naming the key, not an address parser's complaint", () => withHome(async (home) => {
    await createKey(home, "alice", fast);
    await assert.rejects(resolveAddressArg(home, "bob", { what: "recipient" }), (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.match(err.message, /no key named "bob" in .*keys, and "bob" is not a trust1… address \(the recipient must be one or the other\)/u);
      assert.match(err.hint ?? "", /trustnet keys add bob/u);
      return true;
    });
  }));

  test("a mistyped address keeps the address parser's reason; junk that is neither is refused", () => withHome(async (home) => {
    const flipped = other.slice(0, -1) + (other.endsWith("q") ? "p" : "q");
    await assert.rejects(resolveAddressArg(home, flipped), /invalid address .*bad checksum/u);
    await assert.rejects(resolveAddressArg(home, "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"), /invalid address .*wrong prefix "cosmos"/u);
    const valoper = toBech32("trustvaloper", new Uint8Array(20).fill(9));
    await assert.rejects(resolveAddressArg(home, valoper, { what: "delegator" }), /is a validator operator address \(trustvaloper1…\), not an account address/u);
    const mistypedValoper = valoper.slice(0, -1) + (valoper.endsWith("q") ? "p" : "q");
    await assert.rejects(resolveAddressArg(home, mistypedValoper, { what: "delegator" }), /is a validator operator address/u, "a mistyped one too, not an unknown key");
    await assert.rejects(resolveAddressArg(home, "../../etc/passwd"), /invalid address/u);
    const valcons = toBech32("trustvalcons", new Uint8Array(20).fill(9));
    await assert.rejects(resolveValidator(home, valcons), (err: unknown) => err instanceof UsageError
      && /is a validator consensus address \(trustvalcons1…\); a validator is named by its operator/u.test(err.message) && /trustvaloper1… address/u.test(err.hint ?? ""));
    await assert.rejects(resolveAddressArg(home, "bob.json"), /invalid address/u);
  }));

  test("a name that is also a valid address resolves as the address, with a warning", () => withHome(async (home) => {
    const alice = await createKey(home, "alice", fast);
    // `keys add` refuses such names (below); a keystore file renamed by hand is how one can still exist.
    await copyFile(keyPath(home, "alice"), keyPath(home, other));
    const warnings: string[] = [];
    const r = await resolveAddressArg(home, other, { warn: (m) => void warnings.push(m) });
    assert.deepEqual(r, { address: other, key: undefined }, "the address wins over the key of the same name");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", new RegExp(`"${other}" is both an address and the name of a key \\(whose address is ${alice.address}\\); using it as the address`, "u"));
  }));

  test("keys add refuses a name that is an address", () => withHome(async (home) => {
    await assert.rejects(createKey(home, other, fast), /invalid key name .*is a trust1… address/u);
  }));

  test("an empty string is a usage error, never the active key (only an omitted argument means the active key)", () => withHome(async (home) => {
    await createKey(home, "alice", fast);
    const empty = (what: RegExp) => (err: unknown): boolean => err instanceof UsageError && err.exitCode === 2 && what.test(err.message);
    await assert.rejects(resolveAddressArg(home, ""), empty(/^the address is empty$/u));
    await assert.rejects(resolveAddressArg(home, "", { what: "recipient" }), empty(/^the recipient address is empty$/u));
    await assert.rejects(resolveValidator(home, ""), empty(/^the validator address is empty$/u));
  }));

  test("an unknown validator name says that a trustvaloper1… address is taken too, and where the validators are listed", () => withHome(async (home) => {
    await assert.rejects(resolveValidator(home, "carol"), (err: unknown) => err instanceof CliError
      && /^no key named "carol" in .*, and "carol" is not a trustvaloper1… or trust1… address/u.test(err.message)
      && /trustnet query staking validators/u.test(err.hint ?? ""));
  }));

  test("anything that decodes as bech32 is an address: another chain's prefix is the parser's usage error, not an unknown key", () => withHome(async (home) => {
    await createKey(home, "alice", fast);
    const cosmos = toBech32("cosmos", new Uint8Array(20).fill(7));
    const valoper = toBech32("trustvaloper", new Uint8Array(20).fill(7));
    const isValoper = /is a validator operator address \(trustvaloper1…\), not an account address \(trust1…\)/u;
    for (const [input, why] of [[cosmos, /wrong prefix "cosmos", expected "trust"/u], [cosmos.toUpperCase(), /wrong prefix "cosmos", expected "trust"/u], [valoper, isValoper]] as const) {
      await assert.rejects(resolveAddressArg(home, input, { what: "recipient" }), (err: unknown) => {
        assert.ok(err instanceof UsageError, String(err));
        assert.equal(err.exitCode, 2);
        assert.match(err.message, why);
        assert.doesNotMatch(err.message, /no key named/u);
        return true;
      });
    }
  }));

  test("an address of any chain with a bad checksum says what is wrong with it, not 'no key named'; a key of that name still wins", () => withHome(async (home) => {
    await createKey(home, "alice", fast);
    const typo = (a: string): string => a.slice(0, 10) + (a[10] === "q" ? "p" : "q") + a.slice(11);
    const cosmos = typo(toBech32("cosmos", new Uint8Array(20).fill(7)));
    const trust = typo(toBech32("trust", new Uint8Array(20).fill(7)));
    const cases = [
      [cosmos, /^invalid address "cosmos1\w+": wrong prefix "cosmos", expected "trust" \(is this an address from another chain\?\); its checksum does not match either/u],
      [cosmos.toUpperCase(), /wrong prefix "cosmos", expected "trust" .*its checksum does not match either/u],
      [typo(toBech32("osmo", new Uint8Array(32).fill(7))), /wrong prefix "osmo", expected "trust"/u],
      [trust, /^invalid address "trust1\w+": bad checksum \(a character is mistyped\)$/u],
    ] as const;
    for (const [input, why] of cases) {
      await assert.rejects(resolveAddressArg(home, input, { what: "recipient" }), (err: unknown) => {
        assert.ok(err instanceof UsageError, String(err));
        assert.equal(err.exitCode, 2);
        assert.match(err.message, why);
        return true;
      }, input);
    }
    // Short names with a 1 in them are still key names.
    await assert.rejects(resolveAddressArg(home, "node1"), /no key named "node1"/u);
    await assert.rejects(resolveAddressArg(home, "validator1backup"), /no key named "validator1backup"/u);
    // A key really named like a mistyped address (keys add refuses the name; a keystore file renamed by hand, or
    // one an older CLI made, has it) is found by its name.
    await copyFile(keyPath(home, "alice"), keyPath(home, cosmos));
    assert.deepEqual(await resolveAddressArg(home, cosmos), { address: (await showKey(home, "alice")).address, key: cosmos });
  }));
});
