// Registry transactions take the same flags as every tx command; `verify --wait` is checked before anything is sent.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registryTypes } from "@trustnet/abci-app";
import { UsageError } from "../errors.ts";
import { createKey, MIN_SCRYPT } from "../keyring/index.ts";
import { buildCli } from "../main.ts";
import { runCli, startFakeNode } from "../testing/fake-node.ts";

const fast = { passphrase: { env: { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" }, prompt: null }, scrypt: MIN_SCRYPT } as const;

describe("registry commands: flags", () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-registry-cmd-"));
    await createKey(home, "alice", fast);
  });
  after(() => rm(home, { recursive: true, force: true }));
  const run = async (...argv: string[]): Promise<unknown> => buildCli([...argv, "--home", home, "--node", "http://127.0.0.1:1"]).parseAsync();
  const usage = (what: RegExp) => (err: unknown): boolean => err instanceof UsageError && err.exitCode === 2 && what.test(err.message);

  test("verify --wait: NaN or negative is a usage error before the registry is asked", async () => {
    for (const bad of ["abc", "-1"]) await assert.rejects(run("registry", "verify", "127.0.0.1:1/acme/app:1", "--wait", bad), usage(/--wait must be a number of seconds/u), bad);
    await assert.rejects(run("registry", "verify", "127.0.0.1:1/acme/app:1", "--wait", "0"), /cannot reach the registry/u);
  });

  test("namespace, authorize and member transactions take --fees, --gas, --gas-prices, --gas-adjustment and --memo", async () => {
    await assert.rejects(run("registry", "namespace", "claim", "acme", "--fees", "1xyz"), usage(/invalid amount "1xyz"/u));
    await assert.rejects(run("registry", "namespace", "release", "acme", "--gas", "0"), usage(/invalid --gas "0"/u));
    await assert.rejects(run("registry", "member", "add", "acme", "alice", "--gas-prices", "1uatom"), usage(/invalid --gas-prices/u));
    await assert.rejects(run("registry", "namespace", "transfer", "acme", "alice", "--gas-adjustment", "11"), usage(/invalid --gas-adjustment/u));
    await assert.rejects(run("registry", "namespace", "claim", "acme", "--memo", "hello", "--fees", "5000utrust", "--gas", "200000"), /127\.0\.0\.1:1/u);
  });

  test("an empty new owner is a usage error, not the active key", async () => {
    await assert.rejects(run("registry", "namespace", "transfer", "acme", ""), usage(/^the address is empty$/u));
  });
});

describe("registry tags and query registry tags: one tag record, one JSON", () => {
  /** Runs the CLI against the fake node at `url`; fails the case on a non-zero exit; its stdout. */
  const cliAt = (url: string) => async (...argv: string[]): Promise<string> => {
    const r = await runCli([...argv, "--node", url, "--home", join(tmpdir(), "tn-registry-tags-unused")]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  /** The `records` of a command's `-o json` document. */
  const recordsAt = (url: string) => async (...argv: string[]): Promise<Record<string, unknown>[]> =>
    (JSON.parse(await cliAt(url)(...argv, "-o", "json")) as { records: Record<string, unknown>[] }).records;

  test("the fields both print have the same values (time: the chain's seconds, a string); text shows the time as ISO", async () => {
    const record = { namespace: "acme", repo: "app", tag: "1", digest: `sha256:${"b".repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 512n, pusher: "trust1p", operator: "trust1o", height: 7n, time: 1_800_000_000n };
    const node = await startFakeNode({ abci: { "/trustnet.registry.v1.Query/Tags": registryTypes.QueryTagRecordsResponse.encode({ records: [record], pagination: [] }).finish() } });
    try {
      const cli = cliAt(node.url);
      const records = async (...argv: string[]): Promise<Record<string, unknown>> => (await recordsAt(node.url)(...argv))[0] ?? {};
      const ours = await records("registry", "tags", "acme/app");
      const query = await records("query", "registry", "tags", "acme", "app");
      assert.equal(query.time, "1800000000", "the chain's own query: seconds, a string");
      for (const [k, v] of Object.entries(ours)) if (k in query) assert.deepEqual(v, query[k], k);
      assert.equal(ours.time, "1800000000");
      assert.match(await cli("registry", "tags", "acme/app"), /height 7 {2}at 2027-01-15T08:00:00\.000Z {2}by trust1p/u);
    } finally {
      await node.close();
    }
  });

  test("a deletion: digest \"\" in both, as the chain's JSON has it (not null); text says (deleted)", async () => {
    const pushed = { namespace: "acme", repo: "app", tag: "1", digest: `sha256:${"c".repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 512n, pusher: "trust1p", operator: "trust1o", height: 7n, time: 1_800_000_000n };
    const deleted = { ...pushed, digest: "", mediaType: "", size: 0n, pusher: "", height: 9n, time: 1_800_000_060n };
    // The same two records answer the current tags and the tag's history, so both commands print the same records.
    const answer = registryTypes.QueryTagRecordsResponse.encode({ records: [pushed, deleted], pagination: [] }).finish();
    const node = await startFakeNode({ abci: { "/trustnet.registry.v1.Query/Tags": answer, "/trustnet.registry.v1.Query/TagHistory": answer } });
    try {
      const cli = cliAt(node.url);
      const records = recordsAt(node.url);
      const query = await records("query", "registry", "tags", "acme", "app");
      assert.equal(query[1]?.digest, "", "the chain's own query: an empty digest");
      for (const ours of [await records("registry", "tags", "acme/app", "--history", "1"), await records("registry", "tags", "acme/app")]) {
        assert.equal(ours.length, 2);
        ours.forEach((r, i) => { for (const [k, v] of Object.entries(r)) if (k in (query[i] ?? {})) assert.deepEqual(v, query[i]?.[k], `record ${i}: ${k}`); });
      }
      const text = (await cli("registry", "tags", "acme/app", "--history", "1")).split("\n");
      assert.match(text[0] ?? "", new RegExp(`^1 +sha256:c{64} {2}height 7 `, "u"));
      assert.match(text[1] ?? "", /^1 +\(deleted\) {2}height 9 {2}at 2027-01-15T08:01:00\.000Z {2}by -$/u);
    } finally {
      await node.close();
    }
  });
});
