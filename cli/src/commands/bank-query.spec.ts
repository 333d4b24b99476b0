// `query bank balance|spendable-balances|denom-metadata|send-enabled` through the real CLI against a fake node: the
// requests the node is asked (a key name as its address, send-enabled's denominations as separate words), -o json as
// the module formats it (its bodies equal the REST routes': abci-app/src/rest/bank-routes.spec.ts), and bad input a
// clear error before the node is asked.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { QueryBalanceRequest, QueryBalanceResponse, QueryDenomMetadataRequest, QuerySendEnabledRequest, QuerySendEnabledResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("trustnet query bank balance|spendable-balances|denom-metadata|send-enabled", () => {
  let home: string;
  let node: FakeNode;
  let alice: string;
  const asked: { path: string; data: Uint8Array }[] = [];
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-bank-query-"));
    node = await startFakeNode({
      abciQuery(path, data) {
        asked.push({ path, data });
        if (path === "/cosmos.bank.v1beta1.Query/Balance") return { value: QueryBalanceResponse.encode({ balance: { denom: QueryBalanceRequest.decode(data).denom, amount: "42" } }).finish() };
        if (path === "/cosmos.bank.v1beta1.Query/DenomMetadata") return { code: 22, codespace: "sdk", log: `client metadata for denom ${QueryDenomMetadataRequest.decode(data).denom}: key not found` };
        if (path === "/cosmos.bank.v1beta1.Query/SendEnabled") return { value: QuerySendEnabledResponse.encode({ sendEnabled: QuerySendEnabledRequest.decode(data).denoms.map((denom) => ({ denom, enabled: true })) }).finish() };
        return undefined;
      },
    });
    const r = await runCli(["keys", "add", "alice", "--home", home, "-o", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    alice = (JSON.parse(r.stdout) as { address: string }).address;
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1"], env);

  test("balance <key> <denom>: Balance for the key's address; {balance} and the amount", async () => {
    const r = await cli("query", "bank", "balance", "alice", "uother", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { balance: { denom: "uother", amount: "42" } });
    assert.deepEqual(QueryBalanceRequest.decode(asked.at(-1)?.data ?? new Uint8Array()), { address: alice, denom: "uother" });
    const text = await cli("query", "bank", "balance", alice, "utrust");
    assert.equal(text.stdout, "42 utrust\n");
  });

  test("send-enabled takes its denominations as separate words, each asked; none: every entry", async () => {
    const r = await cli("query", "bank", "send-enabled", "utrust", "uother", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(QuerySendEnabledRequest.decode(asked.at(-1)?.data ?? new Uint8Array()).denoms, ["utrust", "uother"]);
    assert.deepEqual(JSON.parse(r.stdout), { send_enabled: [{ denom: "utrust", enabled: true }, { denom: "uother", enabled: true }], pagination: null });
    const all = await cli("query", "bank", "send-enabled");
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(QuerySendEnabledRequest.decode(asked.at(-1)?.data ?? new Uint8Array()).denoms, []);
    assert.equal(all.stdout, "no per-denomination entries: every denomination follows default_send_enabled (query bank params)\n");
    const help = await cli("query", "bank", "--help");
    for (const c of ["balance <address> <denom>", "spendable-balances [address]", "denom-metadata [denom]", "send-enabled [denoms..]"]) assert.ok(help.stdout.includes(`trustnet query bank ${c}`), `${c}: ${help.stdout}`);
  });

  test("denom-metadata <denom> of a denomination without metadata: a clear error (exit 1), not the node's code 22", async () => {
    const r = await cli("query", "bank", "denom-metadata", "unone");
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /no metadata for denomination unone \(list those that have some: 'query bank denom-metadata'\)/u);
    assert.doesNotMatch(r.stderr, /code 22|key not found/u);
    assert.equal(QueryDenomMetadataRequest.decode(asked.at(-1)?.data ?? new Uint8Array()).denom, "unone");
  });

  test("a bad denomination, address, key or page is refused before the node is asked", async () => {
    const before = node.calls.length;
    const cosmos = toBech32("cosmos", new Uint8Array(20).fill(1));
    // An unknown key name is exit code 1, as every command that takes an address answers it (address-arg.ts).
    const cases: [string[], RegExp, number][] = [
      [["balance", alice, "1x"], /denom: "1x" is not a denomination/u, 2],
      [["balance", alice, "u"], /denom: "u" is not a denomination/u, 2],
      [["balance", alice], /Not enough non-option arguments/u, 2],
      [["balance", cosmos, "utrust"], /cosmos1/u, 2],
      [["balance", "nosuchkey", "utrust"], /no key named "nosuchkey"/u, 1],
      [["spendable-balances", alice, "--limit", "0"], /--limit: "0" is not a page size from 1 to 1000/u, 2],
      [["spendable-balances", alice, "--page-key", "not base64!"], /--page-key: "not base64!" is not a next_key/u, 2],
      [["denom-metadata", "x!"], /denom: "x!" is not a denomination/u, 2],
      [["send-enabled", "utrust", "9bad"], /denom: "9bad" is not a denomination/u, 2],
    ];
    for (const [argv, re, code] of cases) {
      const r = await cli("query", "bank", ...argv);
      assert.match(r.stderr, re, argv.join(" "));
      assert.equal(r.stdout, "", argv.join(" "));
      assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
    }
    assert.equal(node.calls.length, before, "the node was not asked");
  });
});
