// POST /cosmos/tx/v1beta1/simulate on the real app (real SQLite, cosmjs-signed txs): `result.msg_responses` holds
// each message's `<Msg>Response` as the SDK's gateway prints it (msg-json.ts), not its bytes: a send's empty
// response, an undelegate's completion time (RFC 3339, Z) and amount, the registry's and leasing's own responses.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { harness, operator, T0, type Harness, type Operator } from "../app/testing/staking.ts";
import { sendMsg, testKey, type TestKey } from "../app/testing/tx-builder.ts";
import { leaseMsg, registerMsg, T } from "../modules/leasing/testing/fixtures.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

const S = "/cosmos.staking.v1beta1.";
const R = "/trustnet.registry.v1.";
const coin = (amount: string) => ({ denom: "utrust", amount });
type Json = Record<string, unknown>;

describe("simulate: msg_responses as the SDK's gateway prints them, on the real app", () => {
  let h: Harness;
  let op: Operator;
  let alice: TestKey;
  let prov: TestKey;
  let server: Server;
  let url: string;
  const root = mkdtempSync(join(tmpdir(), "tn-simulate-rest-"));
  let dbs = 0;

  /** Simulates `msgs` signed by `key` (its next sequence, given back: a simulate spends nothing); the answer's body. */
  const simulate = async (key: TestKey, msgs: EncodeObject[]): Promise<{ status: number; body: Json }> => {
    const tx = await h.tx(key, msgs);
    h.rollbackSequence(key);
    const r = await fetch(`${url}/cosmos/tx/v1beta1/simulate`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: Buffer.from(tx).toString("base64") }) });
    return { status: r.status, body: (await r.json()) as Json };
  };
  const responses = (body: Json): unknown => (body.result as Json).msg_responses;

  before(async () => {
    op = await operator(61);
    [alice, prov] = await Promise.all([testKey(62), testKey(63)]);
    h = await harness({ validators: [op], funded: [alice, prov], params: { unbonding_time: "600s" }, dbPath: () => join(root, `state-${dbs++}.db`) });
    for (const [key, msgs] of [
      [alice, [{ typeUrl: `${S}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: op.valoper, amount: coin("3000000") } }]],
      [prov, [{ typeUrl: `${T}MsgRegisterProvider`, value: registerMsg(prov.address) }]],
    ] as const) assert.equal((await h.run(key, [...msgs])).code, 0);
    const { app } = createRestApp({ query: (q) => h.app.query(q), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: {} });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("a send: {\"@type\": MsgSendResponse}; `data` is still the TxMsgData holding the same responses", async () => {
    const r = await simulate(alice, [sendMsg(alice.address, prov.address, "1000")]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(responses(r.body), [{ "@type": "/cosmos.bank.v1beta1.MsgSendResponse" }]);
    const data = TxMsgData.decode(Buffer.from((r.body.result as Json).data as string, "base64"));
    assert.deepEqual(data.msgResponses.map((a) => a.typeUrl), ["/cosmos.bank.v1beta1.MsgSendResponse"]);
  });

  test("an undelegate: completion_time (RFC 3339 in UTC, the last block's time + the 600 s unbonding time) and amount", async () => {
    const r = await simulate(alice, [{ typeUrl: `${S}MsgUndelegate`, value: { delegatorAddress: alice.address, validatorAddress: op.valoper, amount: coin("1000000") } }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const completes = new Date(Number(T0 + h.clock + 600n) * 1000).toISOString().replace(".000Z", "Z");
    assert.match(completes, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u);
    assert.deepEqual(responses(r.body), [{ "@type": `${S}MsgUndelegateResponse`, completion_time: completes, amount: coin("1000000") }]);
  });

  test("the registry's and leasing's responses, one per message in order: a namespace claim (empty), a lease (its lease_id)", async () => {
    const claim = { typeUrl: `${R}MsgClaimNamespace`, value: { owner: alice.address, namespace: "acme" } };
    const lease = { typeUrl: `${T}MsgCreateLease`, value: leaseMsg(alice.address, prov.address) };
    const r = await simulate(alice, [claim, lease, sendMsg(alice.address, prov.address, "1")]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(responses(r.body), [
      { "@type": `${R}MsgClaimNamespaceResponse` }, { "@type": `${T}MsgCreateLeaseResponse`, lease_id: "1" }, { "@type": "/cosmos.bank.v1beta1.MsgSendResponse" },
    ]);
  });
});
