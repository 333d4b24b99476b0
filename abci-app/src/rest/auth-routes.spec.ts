// x/auth's REST routes and ABCI queries against the real app (real SQLite, a staking genesis): the account list
// (paged in the store), module accounts (by name and at their address, read by cosmjs too), the bech32 conversions,
// account info, and the CLI's auth queries.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { accountFromAny, StargateClient } from "@cosmjs/stargate";
import {
  QueryAccountInfoRequest, QueryAccountInfoResponse, QueryAccountRequest, QueryAccountResponse, QueryAccountsRequest, QueryAccountsResponse,
  QueryModuleAccountByNameRequest,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { harness, operator, type Harness } from "../app/testing/staking.ts";
import { inProcessComet } from "../app/testing/in-process-comet.ts";
import { sendMsg, testKey } from "../app/testing/tx-builder.ts";
import { moduleAddress } from "../sdk/address.ts";
import { authCliQueries } from "../modules/auth/client/cli.ts";
import { runCliQuery } from "../sdk/client/cli-query.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

type J = Record<string, unknown>;
type Account = { "@type"?: string; address: string; pub_key: { "@type": string; key: string } | null; account_number: string; sequence: string };
type ModuleAccountJson = { "@type": string; base_account: Account; name: string; permissions: string[] };
/** An entry of accounts, or accounts/{address}: a BaseAccount, or at a module account's address the ModuleAccount. */
type Entry = Account | ModuleAccountJson;
const baseOf = (e: Entry): Account => ("base_account" in e ? e.base_account : e);

describe("REST /cosmos/auth/v1beta1 beyond Account and Params", () => {
  let url = "";
  let h: Harness;
  let dir = "";
  let close = (): void => undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tn-rest-auth-"));
    let dbs = 0;
    const funded = await Promise.all([11, 12, 13].map(testKey));
    h = await harness({ dbPath: () => join(dir, `state-${dbs++}.db`), validators: [await operator(1)], funded });
    h.block();
    const [a, b] = funded;
    assert.ok(a && b);
    const r = await h.run(a, [sendMsg(a.address, b.address, "5")]); // a's public key and sequence 1 on chain
    assert.equal(r.code, 0, r.log);
    const { app } = createRestApp({ query: (req) => h.app.query(req), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
    const server = createServer(app);
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => {
    close();
    h.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = async (path: string): Promise<{ status: number; body: J }> => {
    const r = await fetch(url + path);
    return { status: r.status, body: (await r.json()) as J };
  };
  const one = async (address: string): Promise<Entry> => {
    const r = await get(`/cosmos/auth/v1beta1/accounts/${address}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.account as Entry;
  };
  const rawAddress = (a: string): string => Buffer.from(fromBech32(a, 90).data).toString("hex");

  test("accounts: every account once, in address-byte order, each as the single-account route prints it; key and offset paging; bad pagination is a 400", async () => {
    const first = await get("/cosmos/auth/v1beta1/accounts?pagination.count_total=true&pagination.limit=2");
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const total = Number((first.body.pagination as { total: string }).total);
    const seen = [...(first.body.accounts as Entry[])];
    let key = (first.body.pagination as { next_key: string | null }).next_key;
    for (let pages = 0; key !== null; pages++) {
      assert.ok(pages < 20, "paging ends");
      const r = await get(`/cosmos/auth/v1beta1/accounts?pagination.limit=2&pagination.key=${encodeURIComponent(key)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      seen.push(...(r.body.accounts as Entry[]));
      key = (r.body.pagination as { next_key: string | null }).next_key;
    }
    // 4 genesis accounts + the fee collector + the module accounts that hold coins (bonded pool, mint, distribution)
    assert.ok(total >= 7, `total ${total}`);
    assert.equal(seen.length, total);
    assert.equal(new Set(seen.map((a) => baseOf(a).address)).size, total, "no account twice");
    const order = seen.map((a) => rawAddress(baseOf(a).address));
    assert.deepEqual(order, [...order].sort(), "the store's order: by raw address bytes");
    for (const a of seen) assert.deepEqual(a, await one(baseOf(a).address));
    assert.ok(seen.some((a) => baseOf(a).pub_key !== null && baseOf(a).sequence === "1"), "the sender's public key and sequence");
    // a single list with the default limit answers them all, counted
    const all = await get("/cosmos/auth/v1beta1/accounts");
    assert.deepEqual(all.body.accounts, seen);
    assert.deepEqual(all.body.pagination, { next_key: null, total: String(total) });
    const offset = await get("/cosmos/auth/v1beta1/accounts?pagination.offset=3&pagination.limit=2");
    assert.deepEqual(offset.body.accounts, seen.slice(3, 5));
    for (const bad of ["pagination.key=%21%21%21", "pagination.limit=x", "pagination.reverse=true"]) {
      const r = await get(`/cosmos/auth/v1beta1/accounts?${bad}`);
      assert.equal(r.status, 400, `${bad}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 3, bad);
    }
    // A key that is not an account's store key (another list's next_key, sorting after the accounts or before them)
    // is refused: not an empty page answered as the end of the list, nor the list from its start.
    const owners = await get("/cosmos/bank/v1beta1/denom_owners/utrust?pagination.limit=1");
    const foreign = (owners.body.pagination as { next_key: string | null }).next_key;
    assert.ok(foreign !== null, JSON.stringify(owners.body));
    for (const k of [foreign, Buffer.from([0, 0, 0]).toString("base64")]) {
      const r = await get(`/cosmos/auth/v1beta1/accounts?pagination.key=${encodeURIComponent(k)}`);
      assert.equal(r.status, 400, `${k}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 3, k);
      assert.match(String(r.body.message), /pagination key is not an account key/u);
      const abci = h.app.query({ path: "/cosmos.auth.v1beta1.Query/Accounts", data: QueryAccountsRequest.encode({ pagination: { key: Buffer.from(k, "base64"), offset: 0n, limit: 0n, countTotal: false, reverse: false } }).finish(), height: 0n, prove: false });
      assert.equal(abci.code, 18, abci.log);
    }
  });

  test("module accounts: those on chain as ModuleAccount Anys by name, consistent with accounts/{address}; one with no account yet and an unknown name are 404 code 5", async () => {
    const r = await get("/cosmos/auth/v1beta1/module_accounts");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const list = r.body.accounts as ModuleAccountJson[];
    const names = list.map((m) => m.name);
    assert.deepEqual(names, [...names].sort(), "sorted by name");
    for (const want of ["bonded_tokens_pool", "fee_collector"]) assert.ok(names.includes(want), `${want} in ${names.join(",")}`);
    for (const m of list) {
      assert.equal(m["@type"], "/cosmos.auth.v1beta1.ModuleAccount");
      assert.equal(m.base_account.address, moduleAddress(m.name));
      assert.deepEqual(await one(m.base_account.address), m, `${m.name}: its address answers the same ModuleAccount`);
      assert.equal(m.base_account.pub_key, null);
      const byName = await get(`/cosmos/auth/v1beta1/module_accounts/${m.name}`);
      assert.equal(byName.status, 200);
      assert.deepEqual(byName.body.account, m);
    }
    const bonded = list.find((m) => m.name === "bonded_tokens_pool");
    assert.deepEqual(bonded?.permissions, ["burner", "staking"]);
    assert.deepEqual(list.find((m) => m.name === "fee_collector")?.permissions, []);
    // no lease yet: the leasing rewards account has held no coins and has no account, here as at its address
    assert.ok(!names.includes("leasing_rewards"), names.join(","));
    const notBonded = await get("/cosmos/auth/v1beta1/module_accounts/leasing_rewards");
    assert.equal(notBonded.status, 404, JSON.stringify(notBonded.body));
    assert.equal(notBonded.body.code, 5);
    assert.match(String(notBonded.body.message), /no account on chain yet/);
    assert.equal((await get(`/cosmos/auth/v1beta1/accounts/${moduleAddress("leasing_rewards")}`)).status, 404);
    const unknown = await get("/cosmos/auth/v1beta1/module_accounts/gov");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 5);
    assert.match(String(unknown.body.message), /module account "gov" not found/);
    const malformed = await get("/cosmos/auth/v1beta1/module_accounts/a%20b");
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 3);
  });

  test("a module account's address: Account, its Accounts entry and accounts/{address} are the ModuleAccount module_accounts/{name} answers; AccountInfo the base fields; cosmjs reads its address, number and sequence", async () => {
    const A = "/cosmos.auth.v1beta1.Query/";
    const mods = (await get("/cosmos/auth/v1beta1/module_accounts")).body.accounts as ModuleAccountJson[];
    assert.ok(mods.length >= 4, mods.map((m) => m.name).join(","));
    const listed = h.query(`${A}Accounts`, QueryAccountsRequest.encode({ pagination: { key: new Uint8Array(), offset: 0n, limit: 1000n, countTotal: false, reverse: false } }).finish(), QueryAccountsResponse.decode).accounts;
    const modulesIn = listed.filter((a) => a.typeUrl === "/cosmos.auth.v1beta1.ModuleAccount");
    assert.equal(modulesIn.length, mods.length, "every module account on chain, and nothing else, is a ModuleAccount in Accounts");
    for (const m of mods) {
      const address = m.base_account.address;
      const byName = h.query(`${A}ModuleAccountByName`, QueryModuleAccountByNameRequest.encode({ name: m.name }).finish(), (b) => b);
      const atAddress = h.query(`${A}Account`, QueryAccountRequest.encode({ address }).finish(), QueryAccountResponse.decode).account;
      assert.ok(atAddress);
      assert.equal(atAddress.typeUrl, "/cosmos.auth.v1beta1.ModuleAccount", m.name);
      assert.deepEqual(QueryAccountResponse.encode({ account: atAddress }).finish(), byName, `${m.name}: Account answers ModuleAccountByName's bytes`);
      assert.ok(modulesIn.some((a) => Buffer.from(a.value).equals(Buffer.from(atAddress.value))), `${m.name} in Accounts as at its address`);
      assert.deepEqual(await one(address), m, `${m.name}: accounts/{address} prints module_accounts' entry`);
      const info = h.query(`${A}AccountInfo`, QueryAccountInfoRequest.encode({ address }).finish(), QueryAccountInfoResponse.decode).info;
      assert.deepEqual(info && { address: info.address, number: info.accountNumber.toString(), sequence: info.sequence.toString(), pubKey: info.pubKey ?? null },
        { address, number: m.base_account.account_number, sequence: m.base_account.sequence, pubKey: null }, `${m.name}: AccountInfo is the base fields`);
      assert.deepEqual((await get(`/cosmos/auth/v1beta1/account_info/${address}`)).body, { info: m.base_account });
      // cosmjs' own parser, as every client decodes Account's answer
      assert.deepEqual(accountFromAny(atAddress), { address, pubkey: null, accountNumber: BigInt(m.base_account.account_number), sequence: Number(m.base_account.sequence) });
    }

    // StargateClient.getAccount end to end: cosmjs' Comet38Client over an in-process abci_query into the real app.
    const client = await StargateClient.create(inProcessComet((req) => h.app.query(req)));
    try {
      const fee = mods.find((m) => m.name === "fee_collector");
      assert.ok(fee);
      assert.deepEqual(await client.getAccount(fee.base_account.address),
        { address: fee.base_account.address, pubkey: null, accountNumber: BigInt(fee.base_account.account_number), sequence: Number(fee.base_account.sequence) });
      assert.equal(await client.getAccount(moduleAddress("leasing_rewards")), null, "a module account with no account yet is null, as any missing account");
    } finally {
      client.disconnect();
    }
  });

  test("bech32: the prefix; an address to its bytes and back (standard and URL-safe base64); malformed either way is a 400 code 3", async () => {
    assert.deepEqual((await get("/cosmos/auth/v1beta1/bech32")).body, { bech32_prefix: "trust" });
    const addr = moduleAddress("fee_collector");
    const bytes = await get(`/cosmos/auth/v1beta1/bech32/${addr}`);
    assert.equal(bytes.status, 200, JSON.stringify(bytes.body));
    const b64 = Buffer.from(fromBech32(addr, 90).data).toString("base64");
    assert.deepEqual(bytes.body, { address_bytes: b64 });
    assert.deepEqual((await get(`/cosmos/auth/v1beta1/bech32/${encodeURIComponent(b64)}`)).body, { address_string: addr });
    assert.deepEqual((await get(`/cosmos/auth/v1beta1/bech32/${Buffer.from(fromBech32(addr, 90).data).toString("base64url")}`)).body, { address_string: addr });
    const thirtyTwo = Buffer.alloc(32, 7);
    assert.equal(((await get(`/cosmos/auth/v1beta1/bech32/${thirtyTwo.toString("base64url")}`)).body.address_string as string).startsWith("trust1"), true);
    const cases: [string, RegExp][] = [
      ["trust1nope", /not bech32/], [`${addr.slice(0, -1)}${addr.endsWith("q") ? "p" : "q"}`, /not bech32/], ["AAAA", /3 bytes/], ["A", /not base64/], ["%40%40", /address/],
      [`cosmos1${addr.slice("trust1".length)}`, /not bech32|expected prefix trust/], [toBech32("cosmos", fromBech32(addr, 90).data), /expected prefix trust, got cosmos/],
    ];
    for (const [bad, why] of cases) {
      const r = await get(`/cosmos/auth/v1beta1/bech32/${bad}`);
      assert.equal(r.status, 400, `${bad}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 3, bad);
      assert.match(String(r.body.message), why, bad);
    }
  });

  test("account_info: address, pub_key, number and sequence as accounts/{address}; unknown is 404 code 5, malformed 400 code 3", async () => {
    const accounts = (await get("/cosmos/auth/v1beta1/accounts")).body.accounts as Entry[];
    const sender = accounts.find((a) => !("base_account" in a) && a.pub_key !== null) as Account | undefined;
    assert.ok(sender);
    const r = await get(`/cosmos/auth/v1beta1/account_info/${sender.address}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { "@type": _t, ...base } = sender;
    assert.deepEqual(r.body, { info: base });
    const unknown = await get("/cosmos/auth/v1beta1/account_info/trust1nv7w7jnqgzaj0s8mqu3c3gfdj76y6vlus9esqx");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 5);
    assert.equal((await get("/cosmos/auth/v1beta1/account_info/trust1nope")).status, 400);
  });

  test("the ABCI queries decode strictly: an unknown field is refused", () => {
    const ok = QueryModuleAccountByNameRequest.encode({ name: "fee_collector" }).finish();
    assert.equal(h.queryCode("/cosmos.auth.v1beta1.Query/ModuleAccountByName", ok), 0);
    const extra = Uint8Array.from([...ok, 0x10, 0x01]); // field 2, varint
    for (const path of ["ModuleAccountByName", "ModuleAccounts", "Accounts", "AccountInfo", "Bech32Prefix", "AddressBytesToString", "AddressStringToBytes"]) {
      assert.equal(h.queryCode(`/cosmos.auth.v1beta1.Query/${path}`, path === "ModuleAccountByName" ? extra : Uint8Array.from([0x78, 0x01])), 2, path);
    }
  });

  test("trustnet query auth account <module address> | accounts | module-accounts | module-account <name>: the routes' JSON", async () => {
    const query = async (path: string, data: Uint8Array): Promise<Uint8Array> => h.query(path, data, (b) => b);
    const byName = (n: string) => {
      const q = authCliQueries.find((x) => x.name === n);
      assert.ok(q, n);
      return q;
    };
    const all = (await get("/cosmos/auth/v1beta1/accounts")).body.accounts as unknown[];
    const accounts = await runCliQuery(byName("accounts"), query, {});
    assert.deepEqual(accounts.json, { accounts: all, pagination: { next_key: null, total: "0" } }, "one page of 100 holds them all");
    assert.deepEqual(accounts.json, (await get("/cosmos/auth/v1beta1/accounts?pagination.limit=100")).body, "REST's body for the CLI's default --limit 100 ({next_key, total})");
    // One page at a time, as the SDK's CLI: --limit and --page-key, the next key printed for people too.
    const seen: unknown[] = [];
    let key: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await runCliQuery(byName("accounts"), query, { limit: "7", ...(key ? { "page-key": key } : {}) });
      const j = page.json as { accounts: unknown[]; pagination: { next_key: string | null } };
      assert.ok(j.accounts.length <= 7);
      seen.push(...j.accounts);
      if (j.pagination.next_key === null) break;
      assert.match(page.text, new RegExp(`\nmore: --page-key ${j.pagination.next_key.replace(/[+/]/gu, "\\$&")}$`, "u"));
      key = j.pagination.next_key;
    }
    assert.deepEqual(seen, all);
    const bads: Record<string, string>[] = [{ limit: "0" }, { limit: "1001" }, { limit: "ten" }, { "page-key": "!!" }, { "page-key": "" }];
    for (const bad of bads) {
      await assert.rejects(runCliQuery(byName("accounts"), query, bad), /^Error: --(limit|page-key): /u, JSON.stringify(bad));
    }
    const mods = await runCliQuery(byName("module-accounts"), query, {});
    assert.deepEqual(mods.json, { accounts: (await get("/cosmos/auth/v1beta1/module_accounts")).body.accounts });
    assert.match(mods.text, /^fee_collector\s+trust1/m);
    // {account: …}: the routes' bodies, as simd prints QueryAccountResponse / QueryModuleAccountByNameResponse
    const fee = await runCliQuery(byName("module-account"), query, { name: "fee_collector" });
    assert.deepEqual(fee.json, (await get("/cosmos/auth/v1beta1/module_accounts/fee_collector")).body);
    assert.equal((fee.json as { account: { name: string } }).account.name, "fee_collector");
    assert.match(fee.text, /^fee_collector\s+trust1/u, "the text output is unchanged");
    // `query auth account <a module account's address>`: the ModuleAccount, its line naming the module
    const atAddress = await runCliQuery(byName("account"), query, { address: moduleAddress("fee_collector") });
    assert.deepEqual(atAddress.json, fee.json);
    assert.deepEqual(atAddress.json, (await get(`/cosmos/auth/v1beta1/accounts/${moduleAddress("fee_collector")}`)).body);
    const sender = (all as { "@type": string; address: string; pub_key: unknown }[]).find((a) => a["@type"] === "/cosmos.auth.v1beta1.BaseAccount" && a.pub_key !== null);
    assert.ok(sender, "an account that has signed");
    const one = await runCliQuery(byName("account"), query, { address: sender.address });
    assert.deepEqual(one.json, { account: sender }, "{account: {@type, address, pub_key, account_number, sequence}}");
    assert.deepEqual(one.json, (await get(`/cosmos/auth/v1beta1/accounts/${sender.address}`)).body);
    assert.match(one.text, new RegExp(`^${sender.address} {2}account \\d+ {2}sequence \\d+ {2}pubkey \\S+$`, "u"), "the text output is unchanged");
    assert.match(atAddress.text, /^trust1[a-z0-9]+ {2}account \d+ {2}sequence 0 {2}\(no public key yet\) {2}module account fee_collector$/u);
    assert.match(accounts.text, /module account fee_collector$/mu, "and in the list");
  });
});
