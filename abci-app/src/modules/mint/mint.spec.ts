// x/mint: the inflation rule in isolation, then through the real app: every block mints its provision into the fee
// collector (distribution empties it), the supply grows by exactly what was minted, the queries answer cosmjs's form.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import { QuerySupplyOfRequest, QuerySupplyOfResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { harness, operator } from "../../app/testing/staking.ts";
import { testKey } from "../../app/testing/tx-builder.ts";
import { moduleAddress } from "../../sdk/address.ts";
import { DEC_ONE } from "../../sdk/dec.ts";
import { blockProvision, bondedRatio, nextAnnualProvisions, nextInflationRate } from "./minter.ts";
import { mintGenesis } from "./genesis.ts";
import { DefaultParams } from "./types.ts";

const pct = (n: bigint): bigint => (n * DEC_ONE) / 100n;
const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-mint-")), "state.db");

describe("x/mint", () => {
  test("inflation rises below the bonded goal, falls above it, and stays within [min, max]", () => {
    const m = { inflation: pct(10n), annualProvisions: 0n };
    const p = { ...DefaultParams, blocksPerYear: 100n };
    assert.ok(nextInflationRate(p, m, pct(30n)) > pct(10n));
    assert.ok(nextInflationRate(p, m, pct(90n)) < pct(10n));
    assert.equal(nextInflationRate(p, m, pct(67n)), pct(10n));
    // (1 - 0/0.67) × 13% / 100 blocks = +0.13% per block
    assert.equal(nextInflationRate(p, m, 0n), pct(10n) + pct(13n) / 100n);
    assert.equal(nextInflationRate(p, { ...m, inflation: pct(20n) }, 0n), pct(20n), "capped at max");
    assert.equal(nextInflationRate(p, { ...m, inflation: pct(7n) }, DEC_ONE), pct(7n), "floored at min");
    assert.equal(bondedRatio(1n, 4n), DEC_ONE / 4n);
    assert.equal(bondedRatio(1n, 0n), 0n);
    const annual = nextAnnualProvisions(pct(10n), 1_000_000_007n);
    assert.equal(blockProvision(p, { inflation: pct(10n), annualProvisions: annual }), 1_000_000n, "100,000,000.7 a year over 100 blocks, truncated");
  });

  test("genesis: bad params are refused with a clear error", () => {
    const g = mintGenesis(undefined as never);
    assert.throws(() => g.validateGenesis({ params: { inflation_min: "0.3", inflation_max: "0.2" } }), /inflation_min must not exceed inflation_max/);
    assert.throws(() => g.validateGenesis({ params: { inflation_max: "1.5" } }), /at most 1/);
    assert.throws(() => g.validateGenesis({ params: { blocks_per_year: "0" } }), /positive integer/);
    assert.throws(() => g.validateGenesis({ params: { mint_denom: "!" } }), /not a valid denom/);
    assert.throws(() => g.validateGenesis({ params: { rate: "0.1" } }), /unknown field "rate"/);
    assert.throws(() => g.validateGenesis({ minter: { inflation: "-1" } }), /not a non-negative decimal/);
    assert.equal(g.validateGenesis(undefined).params.blocksPerYear, DefaultParams.blocksPerYear);
  });

  test("a fixed zero inflation (the devnet's --inflation 0) mints nothing: the supply stays as it was", async () => {
    const ops = await Promise.all([1, 2].map(operator));
    const h = await harness({ validators: ops, funded: [], signing: true, dbPath, appState: { mint: { params: { inflation_min: "0", inflation_max: "0" }, minter: { inflation: "0" } } } });
    const supply = (): string => h.query("/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom: "utrust" }).finish(), QuerySupplyOfResponse.decode).amount?.amount ?? "";
    h.block();
    const start = supply();
    for (let i = 0; i < 3; i++) assert.equal(h.block().events.find((e) => e.type === "mint")?.attributes.find((a) => a.key === "amount")?.value, "0");
    assert.equal(supply(), start);
  });

  test("through the app: each block mints its provision, the supply grows by exactly that, queries answer", async () => {
    const ops = await Promise.all([1, 2].map(operator));
    const alice = await testKey(31);
    const h = await harness({ validators: ops, funded: [alice], signing: true, dbPath, appState: { mint: { params: { blocks_per_year: "3600" }, minter: { inflation: "0.13" } } } });
    const supply = (): bigint => BigInt(h.query("/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom: "utrust" }).finish(), QuerySupplyOfResponse.decode).amount?.amount ?? "0");
    h.block();
    let minted = 0n;
    const start = supply();
    for (let i = 0; i < 5; i++) {
      const before = supply();
      const r = h.block();
      const amount = BigInt(r.events.find((e) => e.type === "mint")?.attributes.find((a) => a.key === "amount")?.value ?? "-1");
      assert.ok(amount > 0n);
      // provision = inflation × supply / blocks per year (inflation moved by one block's step first)
      const inflation = BigInt(new TextDecoder().decode(h.query("/cosmos.mint.v1beta1.Query/Inflation", new Uint8Array(), QueryInflationResponse.decode).inflation));
      assert.equal(amount, (inflation * before) / (3600n * DEC_ONE));
      assert.equal(supply(), before + amount);
      assert.equal(h.balance(moduleAddress("fee_collector")), 0n, "distribution took everything");
      minted += amount;
    }
    assert.equal(supply() - start, minted);
    const annual = BigInt(new TextDecoder().decode(h.query("/cosmos.mint.v1beta1.Query/AnnualProvisions", new Uint8Array(), QueryAnnualProvisionsResponse.decode).annualProvisions));
    assert.ok(annual > 0n);
    const params = h.query("/cosmos.mint.v1beta1.Query/Params", new Uint8Array(), QueryParamsResponse.decode).params;
    assert.equal(params.blocksPerYear, 3600n);
    assert.equal(params.mintDenom, "utrust");
    assert.equal(h.queryCode("/cosmos.mint.v1beta1.Query/Params", Uint8Array.of(0x0a, 0x01, 0x41)), 2, "unknown request fields are refused");
  });
});
