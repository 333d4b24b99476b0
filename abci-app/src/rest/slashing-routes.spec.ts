// x/slashing's REST routes against the real app (real SQLite, a staking genesis with three validators).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { sha256 } from "@cosmjs/crypto";
import { harness, operator } from "../app/testing/staking.ts";
import { valconsAddress } from "../sdk/address.ts";
import { slashingCliQueries } from "../modules/slashing/client/cli.ts";
import { runCliQuery } from "../sdk/client/cli-query.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

describe("REST /cosmos/slashing/v1beta1", () => {
  let url = "";
  let close = (): void => undefined;
  let h: Awaited<ReturnType<typeof harness>>;
  before(async () => {
    h = await harness({ dbPath: () => join(mkdtempSync(join(tmpdir(), "tn-rest-slashing-")), "state.db"), validators: await Promise.all([1, 2, 3].map(operator)), funded: [], slashing: { params: { signed_blocks_window: "20", downtime_jail_duration: "20s" } } });
    h.block();
    const { app } = createRestApp({ query: (req) => h.app.query(req), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(url + path);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  test("params in the SDK's JSON", async () => {
    const r = await get("/cosmos/slashing/v1beta1/params");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.params, {
      signed_blocks_window: "20", min_signed_per_window: "0.500000000000000000", downtime_jail_duration: "20s",
      slash_fraction_double_sign: "0.050000000000000000", slash_fraction_downtime: "0.010000000000000000",
    });
  });

  test("`trustnet query slashing params -o json` is the REST route's body: {params: {…}}, as simd's autocli prints the gRPC response", async () => {
    const q = slashingCliQueries.find((c) => c.name === "params");
    assert.ok(q);
    const r = await runCliQuery(q, async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), {});
    assert.deepEqual(r.json, (await get("/cosmos/slashing/v1beta1/params")).body);
    assert.match(r.text, /^signed_blocks_window: 20\nmin_signed_per_window: 0\.500000000000000000\n/u, "the text output is unchanged");
  });

  test("signing infos: the list (paginated), one by consensus address, 404 for an unknown one, 400 for a malformed one", async () => {
    const all = await get("/cosmos/slashing/v1beta1/signing_infos?pagination.limit=2&pagination.count_total=true");
    assert.equal(all.status, 200, JSON.stringify(all.body));
    const infos = all.body.info as { address: string; start_height: string; jailed_until: string; tombstoned: boolean; missed_blocks_counter: string }[];
    assert.equal(infos.length, 2);
    assert.deepEqual((all.body.pagination as { total: string }).total, "3");
    // the chain pages: its next key gives the rest, and the last page has none
    const key = (all.body.pagination as { next_key: string | null }).next_key;
    assert.ok(key);
    const rest = await get(`/cosmos/slashing/v1beta1/signing_infos?pagination.limit=2&pagination.key=${encodeURIComponent(key)}`);
    assert.equal((rest.body.info as unknown[]).length, 1);
    assert.equal((rest.body.pagination as { next_key: string | null }).next_key, null);
    assert.ok(!(rest.body.info as { address: string }[]).some((i) => infos.some((j) => j.address === i.address)), "no item twice");
    const first = infos[0];
    assert.ok(first);
    assert.deepEqual([first.start_height, first.jailed_until, first.tombstoned, first.missed_blocks_counter], ["1", "1970-01-01T00:00:00Z", false, "0"]);
    const one = await get(`/cosmos/slashing/v1beta1/signing_infos/${first.address}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.val_signing_info, first);
    const unknown = await get("/cosmos/slashing/v1beta1/signing_infos/trustvalcons1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnhegla");
    assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
    assert.equal((await get("/cosmos/slashing/v1beta1/signing_infos/trust1nope")).status, 400);
  });

  test("`trustnet query slashing signing-infos` (the SDK's command) lists every record as REST does, in {info: […]}", async () => {
    const q = slashingCliQueries.find((c) => c.name === "signing-infos");
    assert.ok(q, "slashing declares signing-infos");
    const r = await runCliQuery(q, async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), {});
    const rest = await get("/cosmos/slashing/v1beta1/signing_infos");
    assert.deepEqual(r.json, { info: rest.body.info });
    assert.equal((r.json as { info: unknown[] }).info.length, 3);
    const lines = r.text.split("\n");
    assert.equal(lines.length, 6, r.text);
    assert.match(lines[0] ?? "", /^trustvalcons1[a-z0-9]{38}: 0 missed in the window \(signing since height 1\)$/u);
    assert.equal(lines[1], "never jailed for downtime");
  });
});

describe("REST /cosmos/slashing/v1beta1 times: jailed_until and downtime_jail_duration as the gateway's jsonpb prints a Timestamp and a Duration", () => {
  test("sub-second jailed_until keeps every digit it has, in groups of 3 (.500Z, .123400Z, .000000001Z), not cut to milliseconds nor trimmed; a 20500ms jail is 20.500s, not 20s", async () => {
    const ops = await Promise.all([1, 2, 3].map(operator));
    const cons = ops.map((o) => valconsAddress(sha256(o.consKey).slice(0, 20)));
    const given = ["2020-01-02T03:04:05.5Z", "2020-01-02T03:04:05.1234Z", "2020-01-02T03:04:05.000000001Z"];
    const info = (address: string, jailedUntil: string) => ({
      address, validator_signing_info: { address, start_height: "0", index_offset: "0", jailed_until: jailedUntil, tombstoned: false, missed_blocks_counter: "0" },
    });
    const dir = mkdtempSync(join(tmpdir(), "tn-rest-slashing-times-"));
    let dbs = 0;
    const h = await harness({
      dbPath: () => join(dir, `state-${dbs++}.db`), validators: ops, funded: [],
      slashing: { params: { signed_blocks_window: "20", downtime_jail_duration: "20500ms" }, signing_infos: cons.map((c, i) => info(c, given[i] ?? "")), missed_blocks: [] },
    });
    h.block();
    const { app } = createRestApp({ query: (req) => h.app.query(req), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const expected = ["2020-01-02T03:04:05.500Z", "2020-01-02T03:04:05.123400Z", "2020-01-02T03:04:05.000000001Z"];
      for (const [i, c] of cons.entries()) {
        const r = await fetch(`${url}/cosmos/slashing/v1beta1/signing_infos/${c}`);
        assert.equal(r.status, 200);
        assert.equal(((await r.json()) as { val_signing_info: { jailed_until: string } }).val_signing_info.jailed_until, expected[i], c);
      }
      const params = (await (await fetch(`${url}/cosmos/slashing/v1beta1/params`)).json()) as { params: { downtime_jail_duration: string } };
      assert.equal(params.params.downtime_jail_duration, "20.500s", "a Duration's fraction in 3 digits, as jsonpb prints it");
      const cliParams = slashingCliQueries.find((q) => q.name === "params");
      assert.ok(cliParams);
      const cli = await runCliQuery(cliParams, async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), {});
      assert.equal((cli.json as { params: { downtime_jail_duration: string } }).params.downtime_jail_duration, "20.500s", "`trustnet query slashing params`: the same Duration, not cut to 20s");
      const signingInfo = slashingCliQueries.find((q) => q.name === "signing-info");
      assert.ok(signingInfo);
      for (const [i, c] of cons.entries()) {
        const r = await runCliQuery(signingInfo, async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), { validator: c });
        assert.deepEqual(r.json, (await (await fetch(`${url}/cosmos/slashing/v1beta1/signing_infos/${c}`)).json()) as unknown, "{val_signing_info: …}, REST's body");
        assert.equal((r.json as { val_signing_info: { jailed_until: string } }).val_signing_info.jailed_until, expected[i], `\`trustnet query slashing signing-info ${c}\`: as REST and simd's CLI print it`);
        assert.match(r.text, new RegExp(`\njailed until ${expected[i] ?? ""}$`, "u"));
      }
      const all = (await (await fetch(`${url}/cosmos/slashing/v1beta1/signing_infos`)).json()) as { info: { address: string; jailed_until: string }[] };
      assert.deepEqual(Object.fromEntries(all.info.map((x) => [x.address, x.jailed_until])), Object.fromEntries(cons.map((c, i) => [c, expected[i]])));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      h.store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
