// `trustnet account -o json` prints the account's fields as `query auth account` and the REST route print the account
// (they wrap it: {"account": {"@type", …}}): the public key as the SDK's `pub_key {"@type", key}` (null before the
// account's first tx), every other key snake_case. At a module account's address (a ModuleAccount Any) it keeps that
// shape; `query auth account` prints the ModuleAccount.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount, ModuleAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { pubkeyToAddress } from "../keyring/index.ts";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

const KEY = Uint8Array.from([2, ...new Array<number>(32).fill(7)]);
const ADDRESS = pubkeyToAddress(KEY);

function accountAnswer(withKey: boolean | "module"): Uint8Array {
  const pubKey = withKey === true ? { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: KEY }).finish() } : undefined;
  const acc = BaseAccount.fromPartial({ address: ADDRESS, accountNumber: 4n, sequence: 9n, ...(pubKey ? { pubKey } : {}) });
  if (withKey === "module") {
    const value = ModuleAccount.encode(ModuleAccount.fromPartial({ baseAccount: acc, name: "fee_collector", permissions: [] })).finish();
    return QueryAccountResponse.encode({ account: { typeUrl: "/cosmos.auth.v1beta1.ModuleAccount", value } }).finish();
  }
  return QueryAccountResponse.encode({ account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: BaseAccount.encode(acc).finish() } }).finish();
}

describe("trustnet account -o json", () => {
  let home: string;
  const nodes: FakeNode[] = [];
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-account-"));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await rm(home, { recursive: true, force: true });
  });
  const json = async (withKey: boolean | "module", argv: readonly string[]): Promise<Record<string, unknown>> => {
    const node = await startFakeNode({ abci: { "/cosmos.auth.v1beta1.Query/Account": accountAnswer(withKey) } });
    nodes.push(node);
    const r = await runCli([...argv, ADDRESS, "--home", home, "--node", node.url, "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  test("the public key is the SDK's pub_key {@type, key}, as `query auth account` prints it", async () => {
    const acc = await json(true, ["account"]);
    const sdk = await json(true, ["query", "auth", "account"]);
    assert.deepEqual(acc, { address: ADDRESS, account_number: "4", sequence: "9", pub_key: { "@type": "/cosmos.crypto.secp256k1.PubKey", key: Buffer.from(KEY).toString("base64") } });
    assert.deepEqual(Object.keys(sdk), ["account"], "`query auth account` prints {account: …}, REST's body, as simd");
    const { "@type": _type, ...sdkFields } = sdk.account as Record<string, unknown>;
    assert.deepEqual(acc, sdkFields, "the same document as `query auth account`, but the account's @type");
  });

  test("an account that has not signed yet: pub_key null", async () => {
    const acc = await json(false, ["account"]);
    assert.deepEqual(acc, { address: ADDRESS, account_number: "4", sequence: "9", pub_key: null });
    assert.equal(((await json(false, ["query", "auth", "account"])).account as Record<string, unknown>).pub_key, null);
  });

  test("a module account's address (a ModuleAccount answer): the same four fields; `query auth account` prints the ModuleAccount", async () => {
    const acc = await json("module", ["account"]);
    assert.deepEqual(acc, { address: ADDRESS, account_number: "4", sequence: "9", pub_key: null });
    const sdk = await json("module", ["query", "auth", "account"]);
    assert.deepEqual(sdk, { account: { "@type": "/cosmos.auth.v1beta1.ModuleAccount", base_account: acc, name: "fee_collector", permissions: [] } });
  });
});
