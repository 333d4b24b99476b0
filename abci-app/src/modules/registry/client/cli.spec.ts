// The registry's declared CLI queries print snake_case JSON, the proto field names, as every CLI JSON document and the
// REST routes do (abci-app/src/rest/registry-routes.spec.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runCliQuery, type CliQuery } from "../../../sdk/client/cli-query.ts";
import { DefaultParams, paramsProto } from "../params.ts";
import { QueryParamsResponse, QueryTagRecordsResponse } from "../types.ts";
import { registryCliQueries } from "./cli.ts";

const named = (name: string): CliQuery => {
  const q = registryCliQueries.find((x) => x.name === name);
  assert.ok(q, name);
  return q;
};

describe("registry CLI queries: JSON", () => {
  test("`query registry params` prints namespace_deposit (snake_case), its text names the genesis param", async () => {
    const answer = QueryParamsResponse.encode({ params: [paramsProto(DefaultParams)] }).finish();
    const out = await runCliQuery(named("params"), async () => answer, {});
    assert.deepEqual(out.json, { params: { namespace_deposit: [{ denom: "utrust", amount: "1000000" }] } });
    assert.equal(out.text, "namespace_deposit: 1 TRUST (1000000utrust) (locked by each claim, refunded on release)");
  });

  test("`query registry tags` prints its records snake_case (media_type), 64-bit numbers as strings", async () => {
    const record = { namespace: "library", repo: "alpine", tag: "3", digest: `sha256:${"a".repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 512n, pusher: "trust1p", operator: "trust1o", height: 7n, time: 1_800_000_000n };
    const answer = QueryTagRecordsResponse.encode({ records: [record], pagination: [] }).finish();
    const out = await runCliQuery(named("tags"), async () => answer, { namespace: "library", repo: "alpine" });
    const { mediaType, ...rest } = record;
    assert.deepEqual(out.json, { records: [{ ...rest, media_type: mediaType, size: "512", height: "7", time: "1800000000" }] });
  });
});
