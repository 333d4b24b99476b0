// An account spelled in upper case (valid BIP-173, the same bytes) is refused in every message, through the whole
// tx path: keepers compare addresses as strings, so a second spelling would slip past their rules (found by audit:
// a validator undelegating below its minimum self-delegation unjailed, coins sent into a module account, a lease
// naming its provider in a form the provider's own messages never match).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthInfo } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { QueryValidatorRequest, QueryValidatorResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { encodeTxBody, signDirect } from "../client/sign-direct.ts";
import { moduleAddress } from "../sdk/address.ts";
import { CHAIN, harness, operator } from "./testing/staking.ts";
import { testKey } from "./testing/tx-builder.ts";
import { LeasingSim } from "./testing/leasing.ts";
import { T, addr, leaseMsg, registerMsg } from "../modules/leasing/testing/fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "tn-canonical-addr-"));
let n = 0;
const dbPath = (): string => join(dir, `s${n++}.db`);

test("MsgSend to a module account spelled in upper case: refused as an invalid address, nothing moves", async () => {
  const k = await testKey(7);
  const op = await operator(1);
  const h = await harness({ dbPath, validators: [op], funded: [k], checkInvariants: true });
  h.block();
  const pool = moduleAddress("bonded_tokens_pool");
  const before = h.balance(pool);
  const send = (to: string) => h.run(k, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: k.address, toAddress: to, amount: [{ denom: "utrust", amount: "5000000" }] } }]);
  const upper = await send(pool.toUpperCase());
  assert.equal(upper.codespace, "sdk");
  assert.equal(upper.code, 7, upper.log);
  assert.match(upper.log, /canonical lower-case form/);
  const lower = await send(pool);
  assert.equal(lower.code, 4, `the canonical spelling meets the module-account rule: ${lower.log}`);
  assert.equal(h.balance(pool), before);
});

test("MsgUndelegate with the operator's address in upper case: refused, so it cannot dodge the min-self-delegation jail", async () => {
  const op1 = await operator(1);
  const op2 = await operator(2);
  const h = await harness({ dbPath, validators: [op1, op2], funded: [], checkInvariants: true });
  h.block();
  const keep = { moniker: "[do-not-modify]", identity: "[do-not-modify]", website: "[do-not-modify]", securityContact: "[do-not-modify]", details: "[do-not-modify]" };
  const edit = await h.run(op1.key, [{ typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator", value: { validatorAddress: op1.valoper, description: keep, commissionRate: "", minSelfDelegation: "10000000" } }]);
  assert.equal(edit.code, 0, edit.log);
  // no public key in the signer info: the ante verifies against the key recorded on chain
  const gas = 600_000n;
  const authInfo = AuthInfo.encode(AuthInfo.fromPartial({
    signerInfos: [{ publicKey: undefined, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence: 1n }],
    fee: { amount: [{ denom: "utrust", amount: String((gas * 25n + 999n) / 1000n) }], gasLimit: gas },
  })).finish();
  const undelegate = (delegatorAddress: string) => encodeTxBody([{ typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate", value: { delegatorAddress, validatorAddress: op1.valoper, amount: { denom: "utrust", amount: "9000000" } } }]);
  const validator = () => h.query("/cosmos.staking.v1beta1.Query/Validator", QueryValidatorRequest.encode({ validatorAddr: op1.valoper }).finish(), (b) => QueryValidatorResponse.decode(b).validator);
  const tokens = validator()?.tokens;
  const upper = h.block([await signDirect(op1.key, undelegate(op1.key.address.toUpperCase()), { chainId: CHAIN, accountNumber: 0n, sequence: 1n }, authInfo)]).txResults[0];
  assert.equal(upper?.codespace, "sdk");
  assert.equal(upper?.code, 7, upper?.log);
  assert.equal(validator()?.tokens, tokens, "nothing undelegated");
  assert.equal(validator()?.jailed, false);
});

test("MsgCreateLease naming its provider in upper case: refused, the provider's capacity stays free", () => {
  const P = addr(1);
  const TEN = addr(2);
  const s = new LeasingSim({ dbPath: dbPath(), funded: [P, TEN].map((address) => ({ address, amount: 10_000_000_000n })) });
  try {
    assert.equal(s.block(() => s.run(P, `${T}MsgRegisterProvider`, registerMsg(P))).code, 0);
    const full = { cpuMillis: 4000n, memoryMib: 8192n, diskGib: 100n };
    const upper = s.block(() => s.run(TEN, `${T}MsgCreateLease`, leaseMsg(TEN, P.toUpperCase(), full)));
    assert.equal(upper.code, 7, upper.log);
    assert.match(upper.log, /canonical lower-case form/);
    const lower = s.block(() => s.run(TEN, `${T}MsgCreateLease`, leaseMsg(TEN, P, full)));
    assert.equal(lower.code, 0, `the whole capacity is still free: ${lower.log}`);
  } finally {
    s.close();
  }
});
