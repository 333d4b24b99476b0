import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BroadcastTxError, TimeoutError } from "@cosmjs/stargate";
import { ChainIdMismatchError, NodeUnreachableError, TxRejectedError } from "./errors.ts";
import { describeError } from "../report-error.ts";
import { normalizeNodeUrl } from "./connect.ts";
import { explainQueryFailure, explainTxFailure, translateChainError } from "./translate.ts";

const ctx = { node: "http://127.0.0.1:26657", from: "trust1sender" };

describe("translateChainError", () => {
  test("a chain log or a node's chain id quoted in an error stays on one line", () => {
    const e = translateChainError(new BroadcastTxError(5, "sdk", "insufficient funds\nhint: FAKE LINE"), ctx);
    assert.equal(e.message, "insufficient funds: insufficient funds\\x0ahint: FAKE LINE");
    const q = translateChainError(new Error("Query failed with (11): out of gas\r\nerror: FAKE LINE"), ctx);
    assert.equal(q.message, "out of gas: out of gas\\x0d\\x0aerror: FAKE LINE");
    const m = new ChainIdMismatchError("http://n", "x\nerror: FAKE LINE", "trustnet-1");
    for (const err of [e, q, m]) {
      const lines = describeError(err).text.split("\n");
      assert.ok(!lines.some((l) => /^(error|hint): FAKE LINE/u.test(l)), JSON.stringify(lines));
    }
  });
  test("a module's code with no codespace (a tx failed in its block, a simulation) is not read as the SDK's", () => {
    // A committed tx's result (cosmjs' IndexedTx) and a refused simulation carry no codespace: registry 5, slashing
    // 5, staking 19 must not become "insufficient funds" or "already in the mempool".
    const cases: readonly (readonly [number, string])[] = [
      [5, "trust1owner does not own namespace acme (owner: trust1other): not the namespace owner"],
      [5, "validator not jailed; cannot be unjailed"],
      [19, "no delegation for (address, validator) tuple"],
      [4, "namespace acme is not claimed: namespace not found"],
    ];
    for (const [code, log] of cases) {
      const e = explainTxFailure(code, undefined, log, ctx);
      assert.equal(e.message, `transaction rejected (code ${code}): ${log}`, log);
      assert.equal(translateChainError(new Error(`Query failed with (${code}): ${log}`), ctx).message, `transaction rejected (code ${code}): ${log}`, log);
    }
    // the SDK's own errors are still recognised by their description in the log
    assert.match(explainTxFailure(5, undefined, "spendable balance 1utrust is smaller than 2utrust: insufficient funds", ctx).message, /^insufficient funds: /u);
    // and by code when the codespace is known
    assert.match(explainTxFailure(5, "sdk", "", ctx).message, /^insufficient funds$/u);
  });
  test("sequence mismatch from CheckTx becomes the actionable message", () => {
    const e = translateChainError(new BroadcastTxError(32, "sdk", "account sequence mismatch, expected 5, got 4: incorrect account sequence"), ctx);
    assert.ok(e instanceof TxRejectedError);
    assert.equal(e.message, "account sequence mismatch, expected 5, got 4: another tx from this key is pending; retry");
    assert.equal(e.code, 32);
  });
  test("a tx signed before (tx broadcast): a sequence mismatch or a rejected signature says to sign again, not to retry the same bytes", () => {
    const signed = { ...ctx, signed: true };
    const stale = translateChainError(new BroadcastTxError(32, "sdk", "account sequence mismatch, expected 5, got 4: incorrect account sequence"), signed);
    assert.equal(stale.message, "account sequence mismatch, expected 5, got 4: the tx was signed with sequence 4, which the account has used already (a committed or pending tx)");
    assert.equal(stale.hint, "sign the unsigned tx again: `trustnet tx sign <file> --from <key>` takes the sequence from the node (with --offline: --sequence 5)");
    const ahead = translateChainError(new BroadcastTxError(32, "sdk", "account sequence mismatch, expected 2, got 5: incorrect account sequence"), signed);
    assert.equal(ahead.message, "account sequence mismatch, expected 2, got 5: the tx was signed with sequence 5, ahead of the account's next (2)");
    assert.equal(ahead.hint, "broadcast the account's txs with sequences 2 to 4 first, or sign the unsigned tx again with --sequence 2");
    const sig = translateChainError(new BroadcastTxError(4, "sdk", "signature verification failed; please verify account number (8), sequence (1) and chain-id (trustnet-local-1): unauthorized"), signed);
    assert.equal(sig.message, "signature rejected: signature verification failed; please verify account number (8), sequence (1) and chain-id (trustnet-local-1): unauthorized");
    assert.match(sig.hint ?? "", /^the tx was signed for another chain id, account number or sequence than the node's, by another key, or changed after it was signed: sign the unsigned tx again/u);
    assert.doesNotMatch(`${stale.hint ?? ""} ${ahead.hint ?? ""} ${sig.hint ?? ""}`, /retry|run the command again|--chain-id matches/u);
  });
  test("a tx signed before (tx broadcast): fee, gas and memo hints say to change the unsigned tx and sign again, not flags tx broadcast does not have", () => {
    const signed = { ...ctx, signed: true, gas: undefined };
    const fee = translateChainError(new BroadcastTxError(13, "sdk", "insufficient fees; got: 5000utrust required: 5250utrust: insufficient fee"), signed);
    assert.equal(fee.message, "fee too low: insufficient fees; got: 5000utrust required: 5250utrust");
    assert.equal(fee.hint, "the minimum gas price is 0.025utrust per unit of gas on the devnet: raise the fee (--fees, auth_info.fee.amount) in the unsigned tx (the command's flag with --generate-only, or its JSON) and sign it again");
    const gas = translateChainError(new BroadcastTxError(11, "sdk", "out of gas in location: ReadFlat; gasWanted: 10, gasUsed: 50: out of gas"), signed);
    assert.equal(gas.hint, "raise the gas limit (--gas, auth_info.fee.gas_limit) in the unsigned tx (the command's flag with --generate-only, or its JSON) and sign it again");
    const memo = translateChainError(new BroadcastTxError(12, "sdk", "maximum number of characters is 256 but received 300 characters: memo too large"), signed);
    assert.equal(memo.hint, "shorten the memo (--memo, body.memo) in the unsigned tx (the command's flag with --generate-only, or its JSON) and sign it again");
    assert.doesNotMatch(`${fee.hint ?? ""} ${gas.hint ?? ""}`, /--gas-prices|--gas auto|--gas-adjustment/u);
  });
  test("a query's refusal without a sender is a query error, not a transaction's", () => {
    const node = { node: ctx.node };
    const missing = translateChainError(new Error("Query failed with (22): rpc error: code = NotFound desc = account trust1x not found: key not found"), node);
    assert.ok(!(missing instanceof TxRejectedError));
    assert.equal(missing.message, "the node refused the query (code 22): rpc error: code = NotFound desc = account trust1x not found: key not found", "not \"account the sending account does not exist on chain yet\"");
    assert.equal(missing.hint, undefined, "no faucet hint: nothing is being sent");
    // staking's ErrNoDelegation is code 19, the SDK's "tx already in mempool"
    const noDelegation = translateChainError(new Error("Query failed with (19): no delegation for (address, validator) tuple"), node);
    assert.equal(noDelegation.message, "the node refused the query (code 19): no delegation for (address, validator) tuple");
    const gone = translateChainError(new Error("Query failed with (26): height 3 is not available (oldest 12, latest 111): invalid height"), node);
    assert.equal(gone.message, "height 3 is not available on this node: it keeps heights 12 to 111");
    assert.equal(explainQueryFailure(19, "staking", "no delegation\nerror: FAKE LINE", "query staking delegation").message, "query staking delegation: the node refused the query (code 19, staking): no delegation\\x0aerror: FAKE LINE");
  });
  test("sequence mismatch from a simulation query", () => {
    const e = translateChainError(new Error("Query failed with (6): rpc error: code = Unknown desc = account sequence mismatch, expected 7, got 6: incorrect account sequence"), ctx);
    assert.match(e.message, /^account sequence mismatch, expected 7, got 6: another tx from this key is pending; retry$/u);
  });
  test("the SDK's closing description is not said twice after our label", () => {
    assert.equal(explainTxFailure(5, "sdk", "spendable balance 1utrust is smaller than 2utrust: insufficient funds", ctx).message, "insufficient funds: spendable balance 1utrust is smaller than 2utrust");
    assert.equal(explainTxFailure(13, "sdk", "insufficient fees; got: 1utrust required: 2500utrust: insufficient fee", ctx).message, "fee too low: insufficient fees; got: 1utrust required: 2500utrust");
    assert.equal(explainTxFailure(11, "sdk", "out of gas in location: ReadFlat; gasWanted: 10, gasUsed: 1000: out of gas", ctx).message, "out of gas: out of gas in location: ReadFlat; gasWanted: 10, gasUsed: 1000");
    assert.equal(explainTxFailure(12, "sdk", "maximum number of characters is 256 but received 300 characters: memo too large", ctx).message, "memo rejected: maximum number of characters is 256 but received 300 characters");
  });

  test("insufficient funds, fee, gas, signature, mempool", () => {
    const cases: readonly (readonly [number, string, RegExp, RegExp])[] = [
      [5, "spendable balance 10utrust is smaller than 20utrust: insufficient funds", /^insufficient funds: spendable/u, /trustnet balance trust1sender/u],
      [13, "insufficient fee; got: 1utrust required: 5000utrust", /^fee too low/u, /--fees/u],
      [11, "out of gas in location: ReadFlat; gasWanted: 10, gasUsed: 50", /^out of gas/u, /--gas auto/u],
      [4, "signature verification failed; please verify account number (3) and chain-id (x)", /^signature rejected/u, /--chain-id/u],
      [19, "tx already in mempool", /already in the mempool/u, /trustnet tx/u],
    ];
    for (const [code, log, msg, hint] of cases) {
      const e = translateChainError(new BroadcastTxError(code, "sdk", log), ctx);
      assert.match(e.message, msg);
      assert.match(e.hint ?? "", hint);
    }
  });
  test("the fee and gas hints suggest only what was not used: no 'use --gas auto' after --gas auto", () => {
    const fee = new BroadcastTxError(13, "sdk", "insufficient fees; got: 1utrust required: 5000utrust: insufficient fee");
    const gas = new BroadcastTxError(11, "sdk", "out of gas in location: ReadFlat; gasWanted: 10, gasUsed: 50: out of gas");
    assert.equal(translateChainError(fee, { ...ctx, gas: "auto" }).hint, "the minimum gas price is 0.025utrust per unit of gas on the devnet; raise --fees or --gas-prices");
    assert.equal(translateChainError(gas, { ...ctx, gas: "auto" }).hint, "the simulated gas was not enough: raise --gas-adjustment, or give --gas N");
    for (const c of [{ ...ctx, gas: "fixed" as const }, ctx]) {
      assert.equal(translateChainError(fee, c).hint, "the minimum gas price is 0.025utrust per unit of gas on the devnet; raise --fees or --gas-prices, or use --gas auto");
      assert.equal(translateChainError(gas, c).hint, "use --gas auto, or raise --gas or --gas-adjustment");
    }
  });
  test("unknown codes keep code, codespace and log", () => {
    assert.equal(translateChainError(new BroadcastTxError(99, "lease", "boom"), ctx).message, "transaction rejected (code 99, lease): boom");
  });
  test("a missing sender account says how to fund it", () => {
    const e = translateChainError(new Error("Account 'trust1sender' does not exist on chain. Send some tokens there before trying to query sequence."), ctx);
    assert.match(e.message, /account trust1sender does not exist on chain yet/u);
    assert.match(e.hint ?? "", /devnet faucet trust1sender/u);
  });
  test("broadcast timeout names the hash; lost connections name the node", () => {
    const t = translateChainError(new TimeoutError("not found", "ABCD"), ctx);
    assert.match(t.hint ?? "", /trustnet tx ABCD/u);
    const lost = translateChainError(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }), ctx);
    assert.ok(lost instanceof NodeUnreachableError);
    assert.match(lost.hint ?? "", /devnet status/u);
  });
});

describe("normalizeNodeUrl", () => {
  test("node URLs", () => {
    assert.equal(normalizeNodeUrl("tcp://127.0.0.1:26657"), "http://127.0.0.1:26657");
    assert.equal(normalizeNodeUrl("localhost:26657"), "http://localhost:26657");
    assert.equal(normalizeNodeUrl("https://rpc.example:443/"), "https://rpc.example");
    assert.throws(() => normalizeNodeUrl("ftp://x"), /only http/u);
    assert.throws(() => normalizeNodeUrl("http://"), /invalid --node/u);
  });
});
