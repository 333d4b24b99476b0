// `trustnet balance` shows every balance: AllBalances answers 100 a page (as the SDK), and cosmjs' getAllBalances
// reads only the first, so an account holding more denominations than a page lost the rest, and its utrust (sorted
// after them) read as 0. Every page is read, at the height of the first answer.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryAllBalancesRequest, QueryAllBalancesResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { pubkeyToAddress } from "../keyring/index.ts";
import { runCli, startFakeNode, type AbciAnswer, type FakeNode } from "../testing/fake-node.ts";

const ADDRESS = pubkeyToAddress(Uint8Array.from([2, ...new Array<number>(32).fill(9)]));
// 150 denominations that sort before utrust, and utrust: two pages of 100 and one of 51 at a page size of 100
const HELD = [...Array.from({ length: 150 }, (_, i) => ({ denom: `a${String(i).padStart(3, "0")}`, amount: String(i + 1) })), { denom: "utrust", amount: "7000000" }];

/** AllBalances as the chain pages it: by denomination from the key, 100 a page, the next key the next denomination. */
function allBalances(data: Uint8Array, height: string | undefined, asked: (string | undefined)[]): AbciAnswer {
  const req = QueryAllBalancesRequest.decode(data);
  asked.push(height);
  assert.equal(req.address, ADDRESS);
  const from = req.pagination?.key?.length ? Buffer.from(req.pagination.key).toString("utf8") : "";
  const rest = HELD.filter((c) => c.denom >= from);
  const page = rest.slice(0, 100);
  const next = rest[100];
  return {
    height: "12",
    value: QueryAllBalancesResponse.encode(QueryAllBalancesResponse.fromPartial({
      balances: page, pagination: { nextKey: next ? Buffer.from(next.denom) : new Uint8Array(), total: 0n },
    })).finish(),
  };
}

describe("trustnet balance", () => {
  let home: string;
  let node: FakeNode;
  const heights: (string | undefined)[] = [];
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-balance-"));
    node = await startFakeNode({ abciQuery: (path, data, height) => (path === "/cosmos.bank.v1beta1.Query/AllBalances" ? allBalances(data, height, heights) : undefined) });
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });

  test("every page of AllBalances, at the first answer's height: all 151 balances, utrust from the last page", async () => {
    heights.length = 0;
    const r = await runCli(["balance", ADDRESS, "--home", home, "--node", node.url, "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { address: string; utrust: string; trust: string; balances: { denom: string; amount: string }[] };
    assert.equal(out.address, ADDRESS);
    assert.deepEqual(out.balances, HELD);
    assert.equal(out.utrust, "7000000");
    assert.equal(out.trust, "7");
    assert.deepEqual(heights, [undefined, "12"], "the second page is read at the first page's height");
  });

  test("the text view lists every balance too", async () => {
    const r = await runCli(["balance", ADDRESS, "--home", home, "--node", node.url]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines[0], ADDRESS);
    assert.equal(lines.length, 1 + HELD.length);
    assert.match(lines.at(-1) ?? "", /7 TRUST/);
  });
});
