// The leasing module inside the real TrustNetApp: cosmjs-signed txs, strict decoding, fees, invariants every block.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { FEE, harness } from "../../app/testing/staking.ts";
import { signDirect, testKey } from "../../app/testing/tx-builder.ts";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { leaseMsg, Q, readyMsg, registerMsg, T } from "./testing/fixtures.ts";
import { MsgCreateLease, QueryLeaseRequest, QueryLeaseResponse } from "./types.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-leasing-app-")), "state.db");

describe("leasing in the app", () => {
  test("register, create, ready, withdraw, close as signed txs; an unknown field is refused before decoding", async () => {
    const [prov, tenant] = await Promise.all([testKey(71), testKey(72)]);
    const h = await harness({ validators: [], funded: [prov, tenant], dbPath });
    const run = async (key: typeof prov, typeUrl: string, value: object) => {
      const r = await h.run(key, [{ typeUrl: `${T}${typeUrl}`, value }]);
      assert.equal(r.code, 0, `${typeUrl}: ${r.log}`);
    };
    await run(prov, "MsgRegisterProvider", registerMsg(prov.address));
    const before = h.balance(tenant.address);
    await run(tenant, "MsgCreateLease", leaseMsg(tenant.address, prov.address));
    await run(prov, "MsgLeaseReady", readyMsg(prov.address, 1n));
    const readyAt = h.height;
    h.block();
    h.block();
    await run(tenant, "MsgCloseLease", { sender: tenant.address, leaseId: 1n });
    const l = h.query(`${Q}Lease`, QueryLeaseRequest.encode({ leaseId: 1n }).finish(), QueryLeaseResponse.decode).lease[0];
    assert.equal(l?.paid, String(50n * (h.height - readyAt)));
    assert.equal(h.balance(tenant.address), before - 2n * FEE() - 50n * (h.height - readyAt));
    // an unknown field (99: critical under ADR-020, bit 11 clear) in a leasing message is refused by the strict scan: code 2
    const value = new Uint8Array([...MsgCreateLease.encode(MsgCreateLease.fromPartial(leaseMsg(tenant.address, prov.address))).finish(), 0x98, 0x06, 0x01]);
    const body = TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: `${T}MsgCreateLease`, value }] })).finish();
    const tx = await signDirect(tenant, body, { chainId: "trustnet-local-1", accountNumber: 1n, sequence: 2n, gas: 600_000n });
    const r = h.block([tx]).txResults[0];
    assert.equal(r?.code, 2, r?.log);
  });
});
