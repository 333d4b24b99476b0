// x/bank's Params, AllBalances, SpendableBalances, SpendableBalanceByDenom, SendEnabled, DenomOwners and DenomOwnersByQuery
// over the real app (real SQLite, a genesis with a second denomination held by some accounts, and one account holding
// 105): the ABCI query paths decoded with cosmjs-types (an account's balances through cosmjs' QueryClient), the
// gateway routes' SDK JSON, the CLI queries, and the errors for bad inputs (malformed address, bad denom, an unknown
// request field, a garbage pagination key).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createProtobufRpcClient, QueryClient } from "@cosmjs/stargate";
import {
  QueryClientImpl as BankQueryClient, QueryDenomMetadataByQueryStringRequest, QueryDenomMetadataByQueryStringResponse, QueryDenomMetadataRequest, QueryDenomMetadataResponse,
  QueryDenomOwnersByQueryRequest, QueryDenomOwnersByQueryResponse, QueryDenomOwnersRequest, QueryDenomOwnersResponse, QueryParamsRequest,
  QueryParamsResponse, QuerySendEnabledRequest, QuerySendEnabledResponse, QuerySpendableBalanceByDenomRequest, QuerySpendableBalanceByDenomResponse,
  QuerySpendableBalancesRequest, QuerySpendableBalancesResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { addressBytes, bech32Address } from "../sdk/address.ts";
import { type AbciQuery, runCliQuery } from "../sdk/client/cli-query.ts";
import { camelCaseKeys } from "../sdk/client/json.ts";
import { moduleCliQueries } from "../app/modules.ts";
import { harness, type Harness } from "../app/testing/staking.ts";
import { testKey, type TestKey } from "../app/testing/tx-builder.ts";
import { inProcessComet } from "../app/testing/in-process-comet.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

const B = "/cosmos.bank.v1beta1.Query/";
const OTHER = "uother";
type Json = Record<string, unknown>;

/** 30 genesis accounts (not keys: addresses only) holding utrust; every third also holds uother, 1000 + i of it. */
const extra = Array.from({ length: 30 }, (_, i) => bech32Address(Uint8Array.from({ length: 20 }, (_x, j) => (i * 37 + j * 11 + 5) % 256)));
const otherAmount = (i: number): string => String(1000 + i);
/** An account holding 105 denominations (more than a default page): d000 … d103 (amount i + 1) and utrust, in denom order as the store holds them. */
const rich = bech32Address(new Uint8Array(20).fill(0xaa));
const richCoins = [...Array.from({ length: 104 }, (_, i) => ({ denom: `d${String(i).padStart(3, "0")}`, amount: String(i + 1) })), { denom: "utrust", amount: "7" }];
const RICH = richCoins.length;
const byAddressBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(addressBytes(a)), Buffer.from(addressBytes(b)));
/** The uother holders as the SDK orders them (by address bytes) with their balances. */
const otherOwners = extra.map((address, i) => ({ address, i })).filter(({ i }) => i % 3 === 0).sort((x, y) => byAddressBytes(x.address, y.address))
  .map(({ address, i }) => ({ address, balance: { denom: OTHER, amount: otherAmount(i) } }));

describe("bank Params, SpendableBalances, SendEnabled and DenomOwners over the real app", () => {
  let h: Harness;
  let alice: TestKey;
  let server: Server;
  let url: string;
  let queries = 0;
  const root = mkdtempSync(join(tmpdir(), "tn-bank-queries-"));
  let dbs = 0;
  const get = async (path: string): Promise<{ status: number; body: Json }> => {
    const r = await fetch(`${url}${path}`);
    return { status: r.status, body: (await r.json()) as Json };
  };
  const raw = (path: string, data: Uint8Array) => h.app.query({ path, data, height: 0n, prove: false });
  const page = (p: Partial<PageRequest>): PageRequest => ({ key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false, ...p });

  before(async () => {
    alice = await testKey(61);
    const balances = [
      { address: alice.address, coins: [{ denom: "utrust", amount: "100000000000" }] },
      ...extra.map((address, i) => ({ address, coins: [...(i % 3 === 0 ? [{ denom: OTHER, amount: otherAmount(i) }] : []), { denom: "utrust", amount: String(5_000_000 + i) }] })),
      { address: rich, coins: richCoins },
    ];
    h = await harness({ validators: [], funded: [alice], dbPath: () => join(root, `state-${dbs++}.db`), appState: { bank: { balances } } });
    h.block();
    const { app } = createRestApp({ query: (q) => (queries++, h.app.query(q)), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: {} });
    server = createServer(app);
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.close();
    h?.store.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("Params: the SDK's defaults, as the ABCI answer and the gateway's JSON", async () => {
    const p = h.query(`${B}Params`, QueryParamsRequest.encode({}).finish(), QueryParamsResponse.decode).params;
    assert.deepEqual(p, { sendEnabled: [], defaultSendEnabled: true });
    assert.deepEqual(await get("/cosmos/bank/v1beta1/params"), { status: 200, body: { params: { send_enabled: [], default_send_enabled: true } } });
  });

  test("SpendableBalances and SpendableBalanceByDenom: the balances (no vesting); the REST list pages by denom", async () => {
    const holder = extra[3] as string;
    const all = h.query(`${B}SpendableBalances`, QuerySpendableBalancesRequest.encode({ address: holder }).finish(), QuerySpendableBalancesResponse.decode).balances;
    assert.deepEqual(all, [{ denom: OTHER, amount: otherAmount(3) }, { denom: "utrust", amount: "5000003" }]);
    const one = h.query(`${B}SpendableBalanceByDenom`, QuerySpendableBalanceByDenomRequest.encode({ address: holder, denom: OTHER }).finish(), QuerySpendableBalanceByDenomResponse.decode);
    assert.deepEqual(one.balance, { denom: OTHER, amount: otherAmount(3) });
    const none = h.query(`${B}SpendableBalanceByDenom`, QuerySpendableBalanceByDenomRequest.encode({ address: alice.address, denom: OTHER }).finish(), QuerySpendableBalanceByDenomResponse.decode);
    assert.deepEqual(none.balance, { denom: OTHER, amount: "0" }, "0 when none, as Balance");

    const before = queries;
    const first = await get(`/cosmos/bank/v1beta1/spendable_balances/${holder}?pagination.limit=1`);
    assert.deepEqual(first.body, { balances: [{ denom: OTHER, amount: otherAmount(3) }], pagination: { next_key: Buffer.from("utrust").toString("base64"), total: "0" } });
    assert.equal(queries - before, 1);
    const rest = await get(`/cosmos/bank/v1beta1/spendable_balances/${holder}?pagination.key=${encodeURIComponent(Buffer.from("utrust").toString("base64"))}`);
    assert.deepEqual(rest.body, { balances: [{ denom: "utrust", amount: "5000003" }], pagination: { next_key: null, total: "0" } });
    assert.deepEqual(await get(`/cosmos/bank/v1beta1/spendable_balances/${holder}/by_denom?denom=${OTHER}`), { status: 200, body: { balance: { denom: OTHER, amount: otherAmount(3) } } });
  });

  test("AllBalances and SpendableBalances honour pagination over ABCI (cosmjs' QueryClient) exactly as the REST routes page: next_key, limit default and clamp, offset, count_total, reverse; a bad key is sdk 18 / 400 code 3", async () => {
    const bank = new BankQueryClient(createProtobufRpcClient(QueryClient.withExtensions(inProcessComet((req) => h.app.query(req)))));
    const denomKey = (d: string): Uint8Array => Uint8Array.from(Buffer.from(d));
    const askers = [
      { route: "balances", ask: (pagination?: PageRequest) => bank.AllBalances({ address: rich, pagination, resolveDenom: false }) },
      { route: "spendable_balances", ask: (pagination?: PageRequest) => bank.SpendableBalances({ address: rich, pagination }) },
    ];
    for (const { route, ask } of askers) {
      // what each page holds, by hand
      const none = await ask();
      assert.deepEqual([none.balances, none.pagination], [richCoins.slice(0, 100), { nextKey: denomKey("d100"), total: BigInt(RICH) }], `${route}: no pagination: the first 100, counted`);
      const five = await ask(page({ limit: 5n }));
      assert.deepEqual([five.balances, five.pagination], [richCoins.slice(0, 5), { nextKey: denomKey("d005"), total: 0n }], `${route}: limit 5`);
      const counted = await ask(page({ limit: 5n, countTotal: true }));
      assert.equal(counted.pagination?.total, BigInt(RICH), `${route}: count_total`);
      assert.deepEqual((await ask(page({ offset: 3n, limit: 4n }))).balances, richCoins.slice(3, 7), `${route}: offset`);
      assert.deepEqual((await ask(page({ offset: 200n }))).balances, [], `${route}: an offset past the end: an empty page`);
      const rev = await ask(page({ limit: 2n, reverse: true, countTotal: true }));
      assert.deepEqual([rev.balances, rev.pagination], [[richCoins[RICH - 1], richCoins[RICH - 2]], { nextKey: denomKey("d102"), total: BigInt(RICH) }], `${route}: reverse`);
      assert.deepEqual((await ask(page({ key: denomKey("d010"), limit: 3n, reverse: true }))).balances, [richCoins[10], richCoins[9], richCoins[8]], `${route}: reverse from a key`);
      assert.deepEqual((await ask(page({ limit: 1_000_000n }))).balances, richCoins, `${route}: a limit above 1000 is clamped, not refused`);
      const walked: unknown[] = [];
      let key: Uint8Array = new Uint8Array();
      for (let n = 0; n === 0 || key.length > 0; n++) {
        assert.ok(n < 10, "the pages end");
        const r = await ask(page({ key, limit: 40n }));
        walked.push(...r.balances);
        key = r.pagination?.nextKey ?? new Uint8Array();
      }
      assert.deepEqual(walked, richCoins, `${route}: the key walk reads every balance once`);

      // the REST route answers the same pages (it forwards pagination.* to the chain)
      const json = (r: Awaited<ReturnType<typeof ask>>) => ({
        balances: r.balances.map((c) => ({ denom: c.denom, amount: c.amount })),
        pagination: { next_key: r.pagination && r.pagination.nextKey.length > 0 ? Buffer.from(r.pagination.nextKey).toString("base64") : null, total: String(r.pagination?.total ?? 0n) },
      });
      const cases: [string, PageRequest | undefined][] = [
        ["", undefined], ["pagination.limit=5", page({ limit: 5n })], ["pagination.limit=5&pagination.count_total=true", page({ limit: 5n, countTotal: true })],
        ["pagination.offset=3&pagination.limit=4", page({ offset: 3n, limit: 4n })], ["pagination.limit=2&pagination.reverse=true&pagination.count_total=true", page({ limit: 2n, reverse: true, countTotal: true })],
        [`pagination.key=${encodeURIComponent(Buffer.from("d010").toString("base64"))}&pagination.limit=3&pagination.reverse=true`, page({ key: denomKey("d010"), limit: 3n, reverse: true })],
        [`pagination.key=${encodeURIComponent(Buffer.from("d005").toString("base64"))}&pagination.count_total=true`, page({ key: denomKey("d005") })],
        ["pagination.limit=1000000", page({ limit: 1000n })],
      ];
      for (const [qs, p] of cases) {
        assert.deepEqual(await get(`/cosmos/bank/v1beta1/${route}/${rich}?${qs}`), { status: 200, body: json(await ask(p)) }, `${route}?${qs}`);
      }

      // a key that is not a denomination's (garbage, another list's next_key), or a key with an offset: refused
      const owners = await get(`/cosmos/bank/v1beta1/denom_owners/${OTHER}?pagination.limit=1`);
      const foreign = (owners.body.pagination as { next_key: string | null }).next_key;
      assert.ok(foreign !== null);
      for (const bad of [Uint8Array.from([0xff, 1, 2]), Uint8Array.from(Buffer.from(foreign, "base64"))]) {
        await assert.rejects(ask(page({ key: bad })), /Query failed with \(18\): pagination key is not a denomination/u, `${route}: ${Buffer.from(bad).toString("hex")}`);
        const r = await get(`/cosmos/bank/v1beta1/${route}/${rich}?pagination.key=${encodeURIComponent(Buffer.from(bad).toString("base64"))}`);
        assert.deepEqual([r.status, r.body.code], [400, 3], JSON.stringify(r.body));
        assert.match(String(r.body.message), /pagination key is not a denomination/u);
      }
      await assert.rejects(ask(page({ key: denomKey("d005"), offset: 1n })), /Query failed with \(18\): either offset or key is expected, got both/u);
    }
    // the consumers that show every balance still do: `query bank balances` reads every page, /api/balance asks for 1000
    const cli = moduleCliQueries().find((m) => m.module === "bank")?.queries.find((q) => q.name === "balances");
    assert.ok(cli);
    const abci: AbciQuery = async (path, data) => h.query(path, data, (b) => b);
    // {balances}: REST's /balances/{address} body without pagination (every page read), as simd prints the gRPC response
    assert.deepEqual((await runCliQuery(cli, abci, { address: rich })).json, { balances: richCoins });
    assert.deepEqual(await get(`/api/balance/${rich}`), { status: 200, body: { address: rich, balances: richCoins } });
  });

  test("TotalSupply and DenomsMetadata honour pagination over ABCI as REST pages them; query bank supply reads every page", async () => {
    const bank = new BankQueryClient(createProtobufRpcClient(QueryClient.withExtensions(inProcessComet((req) => h.app.query(req)))));
    const all = (await bank.TotalSupply({ pagination: page({ limit: 1000n }) })).supply;
    const denoms = all.map((c) => c.denom);
    assert.deepEqual(denoms, [...richCoins.slice(0, -1).map((c) => c.denom), OTHER, "utrust"], "every denomination, in denom order");
    const first = await bank.TotalSupply({});
    assert.deepEqual([first.supply, first.pagination], [all.slice(0, 100), { nextKey: Uint8Array.from(Buffer.from(denoms[100] ?? "")), total: BigInt(all.length) }], "no pagination: the first 100, counted");
    const walked: unknown[] = [];
    let key: Uint8Array = new Uint8Array();
    for (let n = 0; n === 0 || key.length > 0; n++) {
      assert.ok(n < 10, "the pages end");
      const r = await bank.TotalSupply({ pagination: page({ key, limit: 30n }) });
      walked.push(...r.supply);
      key = r.pagination?.nextKey ?? new Uint8Array();
    }
    assert.deepEqual(walked, all, "the key walk reads every denomination once");
    const json = (r: Awaited<ReturnType<typeof bank.TotalSupply>>) => ({
      supply: r.supply.map((c) => ({ denom: c.denom, amount: c.amount })),
      pagination: { next_key: r.pagination && r.pagination.nextKey.length > 0 ? Buffer.from(r.pagination.nextKey).toString("base64") : null, total: String(r.pagination?.total ?? 0n) },
    });
    for (const [qs, p] of [["", undefined], ["pagination.limit=5&pagination.offset=2", page({ limit: 5n, offset: 2n })], ["pagination.limit=3&pagination.reverse=true", page({ limit: 3n, reverse: true })]] as const) {
      assert.deepEqual(await get(`/cosmos/bank/v1beta1/supply?${qs}`), { status: 200, body: json(await bank.TotalSupply(p === undefined ? {} : { pagination: p })) }, `supply?${qs}`);
    }
    await assert.rejects(bank.TotalSupply({ pagination: page({ key: Uint8Array.from([0xff, 1]) }) }), /Query failed with \(18\): pagination key is not a denomination/u);
    assert.deepEqual((await get(`/cosmos/bank/v1beta1/supply?pagination.key=${encodeURIComponent(Buffer.from([0xff, 1]).toString("base64"))}`)).status, 400);
    const meta = await bank.DenomsMetadata({ pagination: page({ limit: 1n, countTotal: true }) });
    assert.deepEqual([meta.metadatas.map((m) => m.base), meta.pagination?.total], [["utrust"], 1n]);
    assert.deepEqual((await bank.DenomsMetadata({ pagination: page({ offset: 1n }) })).metadatas, [], "an offset past the one entry: an empty page");
    const cli = moduleCliQueries().find((m) => m.module === "bank")?.queries.find((q) => q.name === "supply");
    assert.ok(cli);
    const abci: AbciQuery = async (path, data) => h.query(path, data, (b) => b);
    assert.deepEqual((await runCliQuery(cli, abci, {})).json, { supply: all.map((c) => ({ denom: c.denom, amount: c.amount })) }, "every page");
  });

  test("SendEnabled: no per-denom entries are stored; denoms asked for answer none and no pagination", async () => {
    const listed = h.query(`${B}SendEnabled`, QuerySendEnabledRequest.encode({ denoms: [] }).finish(), QuerySendEnabledResponse.decode);
    assert.deepEqual(listed.sendEnabled, []);
    assert.deepEqual(listed.pagination, { nextKey: new Uint8Array(), total: 0n });
    const asked = h.query(`${B}SendEnabled`, QuerySendEnabledRequest.encode({ denoms: ["utrust", OTHER] }).finish(), QuerySendEnabledResponse.decode);
    assert.deepEqual([asked.sendEnabled, asked.pagination], [[], undefined]);
    assert.deepEqual(await get("/cosmos/bank/v1beta1/send_enabled"), { status: 200, body: { send_enabled: [], pagination: { next_key: null, total: "0" } } });
    assert.deepEqual(await get(`/cosmos/bank/v1beta1/send_enabled?denoms=utrust&denoms=${OTHER}`), { status: 200, body: { send_enabled: [], pagination: null } });
  });

  test("DenomOwners and DenomOwnersByQuery: the holders of a denom by address, paged by key through the other balances", async () => {
    const all = h.query(`${B}DenomOwners`, QueryDenomOwnersRequest.encode({ denom: OTHER }).finish(), QueryDenomOwnersResponse.decode);
    assert.deepEqual(all.denomOwners, otherOwners);
    assert.deepEqual(all.pagination, { nextKey: new Uint8Array(), total: BigInt(otherOwners.length) }, "an unset limit counts (the SDK's rule)");
    const byQuery = h.query(`${B}DenomOwnersByQuery`, QueryDenomOwnersByQueryRequest.encode({ denom: OTHER }).finish(), QueryDenomOwnersByQueryResponse.decode);
    assert.deepEqual(byQuery.denomOwners, otherOwners);

    // Pages of 3 by next_key: every owner once, in order, each page one query.
    const seen: unknown[] = [];
    let key: Uint8Array = new Uint8Array();
    for (let n = 0; ; n++) {
      assert.ok(n < 10, "the pages end");
      const r = h.query(`${B}DenomOwners`, QueryDenomOwnersRequest.encode({ denom: OTHER, pagination: page({ key, limit: 3n }) }).finish(), QueryDenomOwnersResponse.decode);
      assert.ok(r.denomOwners.length <= 3);
      seen.push(...r.denomOwners);
      if (!r.pagination || r.pagination.nextKey.length === 0) break;
      key = r.pagination.nextKey;
    }
    assert.deepEqual(seen, otherOwners);
    const offset = h.query(`${B}DenomOwners`, QueryDenomOwnersRequest.encode({ denom: OTHER, pagination: page({ offset: 4n, limit: 2n, countTotal: true }) }).finish(), QueryDenomOwnersResponse.decode);
    assert.deepEqual(offset.denomOwners, otherOwners.slice(4, 6));
    assert.equal(offset.pagination?.total, BigInt(otherOwners.length));

    const utrust = h.query(`${B}DenomOwners`, QueryDenomOwnersRequest.encode({ denom: "utrust", pagination: page({ limit: 1000n }) }).finish(), QueryDenomOwnersResponse.decode).denomOwners;
    for (const [i, a] of extra.entries()) assert.deepEqual(utrust.find((o) => o.address === a)?.balance, { denom: "utrust", amount: String(5_000_000 + i) });
    assert.ok(utrust.some((o) => o.address === alice.address));
    assert.deepEqual(utrust.map((o) => o.address), [...utrust.map((o) => o.address)].sort(byAddressBytes), "by address bytes");
    assert.equal(h.query(`${B}DenomOwners`, QueryDenomOwnersRequest.encode({ denom: "unobody" }).finish(), QueryDenomOwnersResponse.decode).denomOwners.length, 0);

    // The gateway: the same owners as SDK JSON, paged by the chain (key forwarded), one ABCI query per page.
    const rows: unknown[] = [];
    let next: string | null = "";
    for (let n = 0; next !== null; n++) {
      assert.ok(n < 10, "the pages end");
      const before = queries;
      const r = await get(`/cosmos/bank/v1beta1/denom_owners/${OTHER}?pagination.limit=4${next ? `&pagination.key=${encodeURIComponent(next)}` : ""}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(queries - before, 1);
      rows.push(...(r.body.denom_owners as unknown[]));
      next = (r.body.pagination as { next_key: string | null }).next_key;
    }
    assert.deepEqual(rows, otherOwners);
    assert.deepEqual(await get(`/cosmos/bank/v1beta1/denom_owners_by_query?denom=${OTHER}`), { status: 200, body: { denom_owners: otherOwners, pagination: { next_key: null, total: String(otherOwners.length) } } });
  });

  test("bad inputs: malformed address, bad denom, unknown field, garbage page key are refused with a code (400, gRPC 3 on REST)", async () => {
    const unknownField = (bytes: Uint8Array): Uint8Array => Uint8Array.from([...bytes, 0xa0, 0x06, 0x01]); // field 100, varint 1
    const cases: [string, string, Uint8Array, RegExp][] = [
      ["SpendableBalances, malformed address", "SpendableBalances", QuerySpendableBalancesRequest.encode({ address: "trust1nope" }).finish(), /address/],
      ["SpendableBalanceByDenom, malformed address", "SpendableBalanceByDenom", QuerySpendableBalanceByDenomRequest.encode({ address: "cosmos1x", denom: "utrust" }).finish(), /address/],
      ["SpendableBalanceByDenom, bad denom", "SpendableBalanceByDenom", QuerySpendableBalanceByDenomRequest.encode({ address: alice.address, denom: "1x" }).finish(), /invalid denom/],
      ["SendEnabled, bad denom", "SendEnabled", QuerySendEnabledRequest.encode({ denoms: ["utrust", "!"] }).finish(), /invalid denom/],
      ["DenomOwners, bad denom", "DenomOwners", QueryDenomOwnersRequest.encode({ denom: "" }).finish(), /invalid denom/],
      ["DenomOwnersByQuery, bad denom", "DenomOwnersByQuery", QueryDenomOwnersByQueryRequest.encode({ denom: "x" }).finish(), /invalid denom/],
      ["DenomOwners, garbage page key", "DenomOwners", QueryDenomOwnersRequest.encode({ denom: OTHER, pagination: page({ key: Uint8Array.from([0xff, 1, 2]) }) }).finish(), /pagination key is not a balance key/],
      ["DenomOwners, key and offset", "DenomOwners", QueryDenomOwnersRequest.encode({ denom: OTHER, pagination: page({ key: Uint8Array.from([1]), offset: 1n }) }).finish(), /offset or key/],
      ["DenomOwners, limit over 1000", "DenomOwners", QueryDenomOwnersRequest.encode({ denom: OTHER, pagination: page({ limit: 1001n }) }).finish(), /exceeds 1000/],
      ["Params, unknown field", "Params", unknownField(new Uint8Array()), /unknown field|field 100/],
      ["SpendableBalances, unknown field", "SpendableBalances", unknownField(QuerySpendableBalancesRequest.encode({ address: alice.address }).finish()), /field 100/],
      ["SpendableBalanceByDenom, unknown field", "SpendableBalanceByDenom", unknownField(QuerySpendableBalanceByDenomRequest.encode({ address: alice.address, denom: "utrust" }).finish()), /field 100/],
      ["SendEnabled, unknown field", "SendEnabled", unknownField(QuerySendEnabledRequest.encode({ denoms: ["utrust"] }).finish()), /field 100/],
      ["DenomOwners, unknown field", "DenomOwners", unknownField(QueryDenomOwnersRequest.encode({ denom: OTHER }).finish()), /field 100/],
      ["DenomOwnersByQuery, unknown field", "DenomOwnersByQuery", unknownField(QueryDenomOwnersByQueryRequest.encode({ denom: OTHER }).finish()), /field 100/],
    ];
    for (const [what, method, data, log] of cases) {
      const r = raw(`${B}${method}`, data);
      assert.notEqual(r.code ?? 0, 0, what);
      assert.match(r.log ?? "", log, `${what}: ${r.log}`);
    }

    for (const path of [
      "/cosmos/bank/v1beta1/spendable_balances/trust1nope/by_denom?denom=utrust",
      `/cosmos/bank/v1beta1/spendable_balances/${alice.address}/by_denom?denom=1x`,
      `/cosmos/bank/v1beta1/spendable_balances/${alice.address}/by_denom`,
      "/cosmos/bank/v1beta1/spendable_balances/cosmos1notanaddress",
      "/cosmos/bank/v1beta1/send_enabled?denoms=utrust&denoms=%21",
      "/cosmos/bank/v1beta1/denom_owners/1x",
      "/cosmos/bank/v1beta1/denom_owners_by_query?denom=x",
      "/cosmos/bank/v1beta1/denom_owners_by_query",
      "/cosmos/bank/v1beta1/denom_owners_by_query?denom=utrust&denom=uother",
      `/cosmos/bank/v1beta1/denom_owners/${OTHER}?pagination.key=%%%`,
      `/cosmos/bank/v1beta1/denom_owners/${OTHER}?pagination.key=${encodeURIComponent(Buffer.from("garbage").toString("base64"))}`,
      `/cosmos/bank/v1beta1/denom_owners/${OTHER}?pagination.key=AQ==&pagination.offset=2`,
    ]) {
      const r = await get(path);
      assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 3, path);
      assert.deepEqual(r.body.details, [], path);
      assert.ok(typeof r.body.message === "string" && r.body.message.length > 0, path);
    }
  });

  test("DenomMetadataByQueryString: DenomMetadata's answer with the denom in the query string; unknown denom 404, bad input 400", async () => {
    const byPath = h.query(`${B}DenomMetadata`, QueryDenomMetadataRequest.encode({ denom: "utrust" }).finish(), QueryDenomMetadataResponse.decode).metadata;
    const byQs = h.query(`${B}DenomMetadataByQueryString`, QueryDenomMetadataByQueryStringRequest.encode({ denom: "utrust" }).finish(), QueryDenomMetadataByQueryStringResponse.decode).metadata;
    assert.equal(byQs?.base, "utrust");
    assert.deepEqual(byQs, byPath);
    const rest = await get("/cosmos/bank/v1beta1/denoms_metadata_by_query_string?denom=utrust");
    assert.equal(rest.status, 200);
    assert.deepEqual(rest.body, await get("/cosmos/bank/v1beta1/denoms_metadata/utrust").then((r) => r.body));
    assert.equal((rest.body.metadata as Json).display, "trust");

    const unknown = await get(`/cosmos/bank/v1beta1/denoms_metadata_by_query_string?denom=${OTHER}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 5);
    assert.match(String(unknown.body.message), /client metadata for denom uother/);
    const r = raw(`${B}DenomMetadataByQueryString`, QueryDenomMetadataByQueryStringRequest.encode({ denom: OTHER }).finish());
    assert.equal(r.code, 22);
    for (const [data, log] of [
      [QueryDenomMetadataByQueryStringRequest.encode({ denom: "1x" }).finish(), /invalid denom/],
      [QueryDenomMetadataByQueryStringRequest.encode({ denom: "" }).finish(), /invalid denom/],
      [Uint8Array.from([...QueryDenomMetadataByQueryStringRequest.encode({ denom: "utrust" }).finish(), 0xa0, 0x06, 0x01]), /field 100/],
    ] as const) {
      const bad = raw(`${B}DenomMetadataByQueryString`, data);
      assert.notEqual(bad.code ?? 0, 0);
      assert.match(bad.log ?? "", log, bad.log);
    }
    for (const path of ["denoms_metadata_by_query_string", "denoms_metadata_by_query_string?denom=1x", "denoms_metadata_by_query_string?denom=utrust&denom=uother"]) {
      const b = await get(`/cosmos/bank/v1beta1/${path}`);
      assert.equal(b.status, 400, `${path}: ${JSON.stringify(b.body)}`);
      assert.equal(b.body.code, 3, path);
    }
  });

  test("the OpenAPI document lists the new routes (denoms as a repeated query parameter)", async () => {
    const doc = (await get("/openapi.json")).body as { paths: Record<string, { get?: { parameters: { name: string; in: string; schema: Json }[] } }> };
    for (const p of ["/cosmos/bank/v1beta1/params", "/cosmos/bank/v1beta1/spendable_balances/{address}/by_denom", "/cosmos/bank/v1beta1/send_enabled", "/cosmos/bank/v1beta1/denom_owners/{denom}", "/cosmos/bank/v1beta1/denom_owners_by_query", "/cosmos/bank/v1beta1/denoms_metadata_by_query_string"]) {
      assert.ok(doc.paths[p]?.get, p);
    }
    const denoms = doc.paths["/cosmos/bank/v1beta1/send_enabled"]?.get?.parameters.find((x) => x.name === "denoms");
    assert.equal(denoms?.schema.type, "array");
    assert.ok(doc.paths["/cosmos/bank/v1beta1/denom_owners/{denom}"]?.get?.parameters.some((x) => x.name === "pagination.key"));
  });

  test("CLI: `query bank params` and `query bank denom-owners <denom>` (one page: --limit, --page-key), snake_case JSON", async () => {
    const abci: AbciQuery = async (path, data) => {
      const r = raw(path, data);
      if (r.code) throw new Error(`Query failed with (${r.code}): ${r.log}`);
      return r.value ?? new Uint8Array();
    };
    const bank = new Map((moduleCliQueries().find((m) => m.module === "bank")?.queries ?? []).map((q) => [q.name, q]));
    const params = bank.get("params");
    const owners = bank.get("denom-owners");
    assert.ok(params && owners, "bank declares params and denom-owners");
    const p = await runCliQuery(params, abci, {});
    assert.deepEqual(p.json, { params: { send_enabled: [], default_send_enabled: true } }, "{params: …}, as simd's autocli prints the gRPC response");
    assert.deepEqual(p.json, (await get("/cosmos/bank/v1beta1/params")).body, "the REST route's body");
    assert.equal(p.text, "send_enabled: none\ndefault_send_enabled: true");
    const o = await runCliQuery(owners, abci, { denom: OTHER });
    assert.deepEqual(o.json, { denom_owners: otherOwners, pagination: { next_key: null, total: "0" } }, "REST's body, as simd prints the gRPC response");
    assert.deepEqual(o.json, (await get(`/cosmos/bank/v1beta1/denom_owners/${OTHER}?pagination.limit=100`)).body, "the same page as the CLI's default --limit 100");
    const first = await runCliQuery(owners, abci, { denom: OTHER, limit: "2" });
    const next = (first.json as { pagination: { next_key: string } }).pagination.next_key;
    assert.deepEqual((first.json as { denom_owners: unknown[] }).denom_owners, otherOwners.slice(0, 2));
    assert.ok(first.text.endsWith(`\nmore: --page-key ${next}`), first.text);
    const second = (await runCliQuery(owners, abci, { denom: OTHER, limit: "2", "page-key": next })).json as { denom_owners: unknown[] };
    assert.deepEqual(second.denom_owners, otherOwners.slice(2, 4), "the page after the key");
    assert.deepEqual(camelCaseKeys(o.json), []);
    assert.equal(o.text.split("\n").length, otherOwners.length);
    assert.equal((await runCliQuery(owners, abci, { denom: "unobody" })).text, "no account holds unobody");
    await assert.rejects(runCliQuery(owners, abci, { denom: "1x" }), /invalid denom/);
  });
  test("CLI: `query bank balance|spendable-balances|denom-metadata|send-enabled` print the REST routes' bodies; bad denominations refused", async () => {
    const abci: AbciQuery = async (path, data) => {
      const r = raw(path, data);
      if (r.code) throw new Error(`Query failed with (${r.code}): ${r.log}`);
      return r.value ?? new Uint8Array();
    };
    const bank = new Map((moduleCliQueries().find((m) => m.module === "bank")?.queries ?? []).map((q) => [q.name, q]));
    const q = (name: string) => {
      const found = bank.get(name);
      assert.ok(found, `bank declares ${name}`);
      return found;
    };
    const rest = async (path: string): Promise<Json> => {
      const r = await get(path);
      assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const holder = extra[0] as string;
    const balance = await runCliQuery(q("balance"), abci, { address: holder, denom: OTHER });
    assert.deepEqual(balance.json, await rest(`/cosmos/bank/v1beta1/balances/${holder}/by_denom?denom=${OTHER}`));
    assert.deepEqual(balance.json, { balance: { denom: OTHER, amount: otherAmount(0) } });
    assert.equal(balance.text, `${otherAmount(0)} ${OTHER}`);
    const none = await runCliQuery(q("balance"), abci, { address: alice.address, denom: OTHER });
    assert.deepEqual(none.json, { balance: { denom: OTHER, amount: "0" } }, "0 when none, as the route");
    assert.equal(none.text, `0 ${OTHER}`);

    const spendable = await runCliQuery(q("spendable-balances"), abci, { address: rich });
    assert.deepEqual(spendable.json, await rest(`/cosmos/bank/v1beta1/spendable_balances/${rich}?pagination.limit=100`));
    const firstPage = spendable.json as { balances: unknown[]; pagination: { next_key: string | null; total: string } };
    assert.deepEqual(firstPage.balances, richCoins.slice(0, 100));
    assert.ok(firstPage.pagination.next_key !== null && spendable.text.endsWith(`\nmore: --page-key ${firstPage.pagination.next_key}`), spendable.text);
    const rest2 = await runCliQuery(q("spendable-balances"), abci, { address: rich, "page-key": firstPage.pagination.next_key ?? "" });
    assert.deepEqual(rest2.json, await rest(`/cosmos/bank/v1beta1/spendable_balances/${rich}?pagination.key=${encodeURIComponent(firstPage.pagination.next_key ?? "")}&pagination.limit=100`));
    assert.deepEqual((rest2.json as { balances: unknown[] }).balances, richCoins.slice(100));
    assert.equal((await runCliQuery(q("spendable-balances"), abci, { address: holder, limit: "1" })).text, `${otherAmount(0)} ${OTHER}\nmore: --page-key ${Buffer.from("utrust").toString("base64")}`);

    const one = await runCliQuery(q("denom-metadata"), abci, { denom: "utrust" });
    assert.deepEqual(one.json, await rest("/cosmos/bank/v1beta1/denoms_metadata/utrust"));
    assert.equal((one.json as { metadata: { base: string } }).metadata.base, "utrust");
    assert.match(one.text, /^utrust: trust .*units utrust=10\^0, trust=10\^6/u);
    const all = await runCliQuery(q("denom-metadata"), abci, {});
    assert.deepEqual(all.json, await rest("/cosmos/bank/v1beta1/denoms_metadata?pagination.limit=100"));
    assert.deepEqual((all.json as { metadatas: unknown[] }).metadatas, [(one.json as { metadata: unknown }).metadata]);
    await assert.rejects(runCliQuery(q("denom-metadata"), abci, { denom: OTHER }), (e: unknown) => e instanceof Error && e.message === `no metadata for denomination ${OTHER} (list those that have some: 'query bank denom-metadata')` && /Query failed with \(22\): .*key not found/u.test(String((e.cause as Error).message)), "no metadata: the app's not-found (code 22), said plainly");

    const enabled = await runCliQuery(q("send-enabled"), abci, {});
    assert.deepEqual(enabled.json, await rest("/cosmos/bank/v1beta1/send_enabled?pagination.limit=100"));
    assert.equal(enabled.text, "no per-denomination entries: every denomination follows default_send_enabled (query bank params)");
    const some = await runCliQuery(q("send-enabled"), abci, { denoms: `utrust,${OTHER}` });
    assert.deepEqual(some.json, await rest(`/cosmos/bank/v1beta1/send_enabled?denoms=utrust&denoms=${OTHER}`));
    assert.deepEqual(some.json, { send_enabled: [], pagination: null });

    for (const [name, args] of [["balance", { address: holder, denom: "1x" }], ["balance", { address: holder, denom: "u" }], ["denom-metadata", { denom: "x!" }], ["send-enabled", { denoms: "utrust,9bad" }]] as const) {
      await assert.rejects(runCliQuery(q(name), abci, args), /is not a denomination/u, `${name} ${JSON.stringify(args)}`);
    }
    await assert.rejects(runCliQuery(q("spendable-balances"), abci, { address: holder, limit: "0" }), /--limit: "0" is not a page size/u);
  });
});

describe("DenomOwners reads at most MAX_SCAN (10,000) balances per query and goes on by next_key", () => {
  test("a denom held only past the first 10,000 balances: an empty first page with a next_key, then its owner", async () => {
    const root = mkdtempSync(join(tmpdir(), "tn-bank-scan-"));
    let dbs = 0;
    const alice = await testKey(62);
    // 10,010 utrust holders (addresses 0x00…, big-endian i), and the largest address also holds urare.
    const addr = (i: number): string => bech32Address(Uint8Array.from({ length: 20 }, (_x, j) => (j === 18 ? i >> 8 : j === 19 ? i & 0xff : j === 0 ? 0x01 : 0)));
    const last = bech32Address(new Uint8Array(20).fill(0xff));
    const balances = [
      { address: alice.address, coins: [{ denom: "utrust", amount: "100000000000" }] },
      ...Array.from({ length: 10_010 }, (_, i) => ({ address: addr(i), coins: [{ denom: "utrust", amount: "1" }] })),
      { address: last, coins: [{ denom: "urare", amount: "7" }, { denom: "utrust", amount: "1" }] },
    ];
    const h = await harness({ validators: [], funded: [alice], checkInvariants: false, dbPath: () => join(root, `state-${dbs++}.db`), appState: { bank: { balances } } });
    try {
      h.block();
      const ask = (pagination?: PageRequest) => h.query(`${B}DenomOwners`, QueryDenomOwnersRequest.encode({ denom: "urare", pagination }).finish(), QueryDenomOwnersResponse.decode);
      const first = ask();
      assert.deepEqual(first.denomOwners, [], "the budget ends before the owner");
      assert.ok(first.pagination && first.pagination.nextKey.length > 0, "a next_key to go on from");
      assert.equal(first.pagination.total, 0n, "the implied count is skipped past the scan budget, not wrong");
      const second = ask({ key: first.pagination.nextKey, offset: 0n, limit: 0n, countTotal: false, reverse: false });
      assert.deepEqual(second.denomOwners, [{ address: last, balance: { denom: "urare", amount: "7" } }]);
      assert.equal(second.pagination?.nextKey.length, 0);
      const counted = h.app.query({ path: `${B}DenomOwners`, data: QueryDenomOwnersRequest.encode({ denom: "urare", pagination: { key: new Uint8Array(), offset: 0n, limit: 10n, countTotal: true, reverse: false } }).finish(), height: 0n, prove: false });
      assert.notEqual(counted.code ?? 0, 0);
      assert.match(counted.log ?? "", /count_total: the list has more than the 10000 entries a query may scan/);
    } finally {
      h.store.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
