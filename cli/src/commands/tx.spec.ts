import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { trustnetRegistry } from "@trustnet/abci-app";
import { messagesJson, parseTxHash } from "./tx.ts";

describe("parseTxHash", () => {
  test("tx hashes", () => {
    const h = "ab".repeat(32);
    assert.equal(parseTxHash(h), h.toUpperCase());
    assert.equal(parseTxHash(`0x${h}`), h.toUpperCase());
    assert.throws(() => parseTxHash("abc"), /64 hex digits/u);
    assert.throws(() => parseTxHash("zz".repeat(32)), /invalid tx hash/u);
  });
});

describe("messagesJson: a tx's messages as the SDK's query tx prints them", () => {
  const types = trustnetRegistry();
  const any = (typeUrl: string, value: object) => ({ typeUrl, value: types.encode({ typeUrl, value }) });
  const a = "trust1qyqszqgpqyqszqgpqyqszqgpqyqszqgpggtqkm";

  test("the SDK's messages, x/slashing's unjail and TrustNet's own are decoded, \"@type\" first, proto field names", () => {
    const out = messagesJson([
      any("/cosmos.bank.v1beta1.MsgSend", { fromAddress: a, toAddress: a, amount: [{ denom: "utrust", amount: "1500000" }] }),
      any("/cosmos.slashing.v1beta1.MsgUnjail", { validatorAddr: "trustvaloper1x" }),
      any("/trustnet.registry.v1.MsgClaimNamespace", { owner: a, namespace: "acme" }),
      any("/trustnet.registry.v1.MsgRecordTag", { operator: a, namespace: "acme", repo: "app", tag: "v1", digest: `sha256:${"a".repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1234n, pusher: a }),
    ]);
    assert.deepEqual(out, [
      { "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: a, to_address: a, amount: [{ denom: "utrust", amount: "1500000" }] },
      { "@type": "/cosmos.slashing.v1beta1.MsgUnjail", validator_addr: "trustvaloper1x" },
      { "@type": "/trustnet.registry.v1.MsgClaimNamespace", owner: a, namespace: "acme" },
      { "@type": "/trustnet.registry.v1.MsgRecordTag", operator: a, namespace: "acme", repo: "app", tag: "v1", digest: `sha256:${"a".repeat(64)}`, media_type: "application/vnd.oci.image.manifest.v1+json", size: "1234", pusher: a },
    ]);
    assert.deepEqual(Object.keys(out[0] ?? {})[0], "@type");
  });

  test("commission rates (LegacyDec) as the SDK's decimal text, not the 10^18-scaled wire integer", () => {
    const [create, edit, keep] = messagesJson([
      any("/cosmos.staking.v1beta1.MsgCreateValidator", { description: { moniker: "v" }, commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" }, minSelfDelegation: "1", validatorAddress: "trustvaloper1x", pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Uint8Array.from([10, 32, ...new Uint8Array(32).fill(7)]) }, value: { denom: "utrust", amount: "5" } }),
      any("/cosmos.staking.v1beta1.MsgEditValidator", { description: { moniker: "v" }, validatorAddress: "trustvaloper1x", commissionRate: "120000000000000000", minSelfDelegation: "" }),
      any("/cosmos.staking.v1beta1.MsgEditValidator", { description: { moniker: "v" }, validatorAddress: "trustvaloper1x", commissionRate: "", minSelfDelegation: "" }),
    ]);
    assert.deepEqual(create?.commission, { rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" });
    assert.equal(create?.min_self_delegation, "1", "an Int, not a Dec");
    assert.deepEqual(create?.pubkey, { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.alloc(32, 7).toString("base64") }, "the consensus key as the SDK prints an Any");
    assert.equal(edit?.commission_rate, "0.120000000000000000");
    assert.equal(keep?.commission_rate, null);
    assert.equal(keep?.min_self_delegation, null, "an unchanged min self-delegation is null, as the SDK prints it, not \"\"");
  });

  test("a type this CLI does not know keeps its bytes, base64", () => {
    assert.deepEqual(messagesJson([{ typeUrl: "/other.v1.MsgThing", value: new Uint8Array([1, 2, 3]) }]), [{ "@type": "/other.v1.MsgThing", value: "AQID" }]);
  });
});

describe("tx [hash] and its subcommands, through the real CLI", () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [fileURLToPath(new URL("../../bin/trustnet.js", import.meta.url)), ...args], { encoding: "utf8", env: { ...process.env, COLUMNS: "110" } });

  test("the subcommands' help does not list tx's 'hash' positional, which they do not take", () => {
    for (const path of [["tx", "staking", "delegate"], ["tx", "staking", "create-validator"], ["tx", "distribution", "withdraw-rewards"], ["tx", "slashing", "unjail"], ["tx", "sign"], ["tx", "broadcast"], ["tx", "encode"], ["tx", "decode"]]) {
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

  test("the SDK CLI's names work: tx staking unbond is undelegate, tx distribution set-withdraw-addr is set-withdraw-address", () => {
    for (const [alias, name, usage] of [
      [["tx", "staking", "unbond"], "undelegate", /trustnet tx staking undelegate <validator> <amount>/u],
      [["tx", "distribution", "set-withdraw-addr"], "set-withdraw-address", /trustnet tx distribution set-withdraw-address <address>/u],
    ] as const) {
      const help = cli([...alias, "--help"]);
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, usage, name);
      const list = cli([...alias.slice(0, 2), "--help"]);
      assert.match(list.stdout, new RegExp(`\\[aliases: ${alias[2]}\\]`, "u"), "the parent's list names the alias");
    }
    // Run, not only shown: the alias reaches the command's own checks (the key, before any node is asked).
    const valoper = "trustvaloper1qyqszqgpqyqszqgpqyqszqgpqyqszqgpx5t4ea";
    const unbond = cli(["tx", "staking", "unbond", valoper, "0TRUST", "--from", "nobody", "--node", "http://127.0.0.1:1"]);
    assert.equal(unbond.status, 2, unbond.stderr);
    assert.match(unbond.stderr, /invalid amount "0TRUST": the amount must be greater than zero/u);
    const setAddr = cli(["tx", "distribution", "set-withdraw-addr", "cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du", "--node", "http://127.0.0.1:1"]);
    assert.equal(setAddr.status, 2, setAddr.stderr);
    assert.match(setAddr.stderr, /wrong prefix "cosmos", expected "trust"/u);
  });

  test("tx itself still documents and checks its hash", () => {
    assert.match(cli(["tx", "--help"]).stdout, /hash +transaction hash \(64 hex digits\)/u);
    const bad = cli(["tx", "1234"]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /invalid tx hash "1234": expected 64 hex digits/u);
  });
});
