// The tag submitter against a fake chain (unit test): a permanently refused record is dropped alone, an
// out-of-gas record is retried with more gas (then dropped), and neither stalls the records queued behind it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { registryTypes } from "@trustnet/abci-app";
import { testKey } from "../testkit.ts";
import { ChainTagSubmitter, MAX_GAS_FACTOR } from "./tag-submitter.ts";
import type { CometRpc } from "@trustnet/abci-app";

type Result = { code: number; codespace: string; log: string };

/** A chain that refuses tag "poison" (registry/11, permanent), runs tag "heavy" out of gas below `heavyGas`, and
 * tag "hopeless" out of gas always. Records what it accepted. */
function fakeChain(heavyGas: bigint) {
  const accepted: string[] = [];
  const gasSeen: bigint[] = [];
  const results = new Map<string, Result>();
  let sequence = 0n;
  const rpc = {
    url: "fake",
    chainId: () => Promise.resolve("trustnet-local-1"),
    abciQuery: () => Promise.resolve({ code: 0, log: "", height: 1n, value: QueryAccountResponse.encode({ account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: BaseAccount.encode(BaseAccount.fromPartial({ accountNumber: 1n, sequence })).finish() } }).finish() }),
    broadcastTxSync(tx: Uint8Array) {
      const raw = TxRaw.decode(tx);
      const gas = AuthInfo.decode(raw.authInfoBytes).fee!.gasLimit;
      gasSeen.push(gas);
      const tags = TxBody.decode(raw.bodyBytes).messages.map((m) => registryTypes.MsgRecordTag.decode(m.value).tag);
      let r: Result = { code: 0, codespace: "", log: "" };
      if (tags.includes("poison")) r = { code: 11, codespace: "registry", log: "pusher is neither the namespace owner nor a member" };
      else if (tags.includes("hopeless") || (tags.includes("heavy") && gas < heavyGas)) r = { code: 11, codespace: "sdk", log: "out of gas" };
      else accepted.push(...tags);
      sequence++;
      const hash = Buffer.from(TxRaw.encode(raw).finish()).toString("base64");
      results.set(hash, r);
      return Promise.resolve({ code: 0, codespace: "", log: "", hash });
    },
    call(_method: string, params: { hash: string }) {
      // the submitter asks for the sha256 of the tx; this fake answers the last result for any hash
      void params;
      const last = [...results.values()].at(-1)!;
      return Promise.resolve({ tx_result: last });
    },
  };
  return { rpc: rpc as unknown as CometRpc, accepted, gasSeen };
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

test("a permanently refused or hopelessly out-of-gas record is dropped alone; an out-of-gas one is retried with more gas", { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-submitter-"));
  const k = await testKey(5);
  const chain = fakeChain(400_000n);
  const s = new ChainTagSubmitter({ rpc: chain.rpc, key: k, queueFile: join(dir, "q.json"), logger: silent });
  try {
    const ev = (tag: string) => ({ namespace: "acme", repo: "app", tag, digest: `sha256:${"a".repeat(64)}`, mediaType: "a/b", size: 1, pusher: k.address });
    // queued before the loop starts, so the first batch holds all five
    for (const t of ["one", "poison", "heavy", "hopeless", "two"]) s.recordTag(ev(t));
    await s.drained();
    assert.deepEqual(chain.accepted, ["one", "heavy", "two"]);
    assert.equal(s.pending, 0);
    const maxGas = chain.gasSeen.reduce((a, b) => (a > b ? a : b));
    assert.equal(maxGas, 160_000n * MAX_GAS_FACTOR, "gas doubles up to the cap, never beyond");
  } finally {
    s.close();
    await rm(dir, { recursive: true, force: true });
  }
});
