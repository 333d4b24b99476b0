// An open default namespace lets only accounts on chain push (an address that received funds once, which costs a
// transaction fee): the open-push quota and the upload sessions are per address, and a fresh key costs nothing. A
// key without an account gets 403 DENIED saying why and what to do on every push path, and nothing is stored or
// charged; once funded it is let in within the few seconds a "no" is cached; a chain that cannot answer is 503
// UNAVAILABLE. The owner's and members' pushes, pulls and /auth/revoke are as before. Filesystem store, real files;
// the last case asks the real app in process.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { StateStore, TrustNetApp, type CometRpc } from "@trustnet/abci-app";
import { OPEN_PUSH_ACCOUNT_CACHE } from "../auth/access.ts";
import { InMemoryNamespaceOwners } from "../auth/namespace-owners.ts";
import { ChainNamespaceOwners } from "../chain/namespace-owners.ts";
import { defaultConfig, mergeConfig } from "../config.ts";
import { MemoryTagRecorder } from "../hooks.ts";
import { createRegistry, type Registry } from "../server.ts";
import { basicAuth, loginToken, pushBlob, pushImage, sha256, snapshotDir, testKey, type TestKey } from "../testkit.ts";

const QUOTA = 64 * 1024;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/** The in-memory owners, with the account question counted and, when `accountsDown`, failing as an unreachable chain. */
class CountingOwners extends InMemoryNamespaceOwners {
  asked = 0;
  accountsDown = false;
  override hasAccount(address: string): Promise<boolean> {
    this.asked++;
    return this.accountsDown ? Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:26657")) : super.hasAccount(address);
  }
}

const errorOf = async (r: Response): Promise<{ code: string; message: string }> => ((await r.json()) as { errors: { code: string; message: string }[] }).errors[0] ?? { code: "", message: "" };
const noAccount = (k: TestKey): RegExp => new RegExp(`^requested access to the resource is denied: ${k.address} has no account on chain \\(it never received funds\\); open pushes to namespace "library" need one: send it funds once \\(trustnet send ${k.address} <amount>, on a devnet trustnet devnet faucet ${k.address}\\)$`);

describe("open default namespace: only accounts on chain push", () => {
  let dataDir: string;
  let reg: Registry;
  let owners: CountingOwners;
  let recorder: MemoryTagRecorder;
  let owner: TestKey;
  let clock = Date.now();
  const auth = (k: TestKey): string => basicAuth(k, loginToken(k, { now: new Date(clock) }));
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "tn-open-account-"));
    owner = await testKey(11);
    owners = new CountingOwners({ library: owner.address, acme: owner.address });
    recorder = new MemoryTagRecorder();
    const config = mergeConfig(defaultConfig(), { dataDir, storage: "filesystem", fsync: false, port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0, revokeRateLimitPerMinute: 0, defaultNamespaceOpen: true, openPushQuotaBytes: QUOTA });
    reg = await createRegistry(config, { owners, tagRecorder: recorder, logger: pino({ level: "silent" }), now: () => new Date(clock) });
  });
  after(async () => {
    await reg.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("a key without an account: every push path is 403 DENIED saying why and what to do; nothing stored or charged; pulls work", async () => {
    const fresh = await testKey(71);
    const base = await pushImage(reg.url, "app", "base", auth(owner), [randomBytes(100)]);
    const elsewhere = await pushBlob(reg.url, "acme/src", randomBytes(100), auth(owner));
    const before = await snapshotDir(dataDir);
    const a = auth(fresh);
    const blob = randomBytes(40 * 1024);
    const manifest = Buffer.from(JSON.stringify({ ...JSON.parse(base.manifest.toString()), annotations: { by: "fresh" } }));
    const attempts: [string, string, RequestInit][] = [
      ["start an upload", "/v2/app/blobs/uploads/", { method: "POST" }],
      ["start one under the other name", "/v2/library/app/blobs/uploads/", { method: "POST" }],
      ["a monolithic upload", `/v2/app/blobs/uploads/?digest=${sha256(blob)}`, { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: blob }],
      ["a cross-repository mount", `/v2/app/blobs/uploads/?mount=${elsewhere}&from=acme/src`, { method: "POST" }],
      ["a chunk", `/v2/app/blobs/uploads/${randomUUID()}`, { method: "PATCH", headers: { "Content-Type": "application/octet-stream" }, body: blob }],
      ["a closing PUT", `/v2/app/blobs/uploads/${randomUUID()}?digest=${sha256(blob)}`, { method: "PUT", headers: { "Content-Type": "application/octet-stream" }, body: blob }],
      ["an upload's status", `/v2/app/blobs/uploads/${randomUUID()}`, { method: "GET" }],
      ["a manifest under a tag", "/v2/app/manifests/fresh", { method: "PUT", headers: { "Content-Type": OCI_MANIFEST }, body: manifest }],
      ["a manifest by digest with ?tag=", `/v2/app/manifests/${sha256(manifest)}?tag=fresh2`, { method: "PUT", headers: { "Content-Type": OCI_MANIFEST }, body: manifest }],
      ["the owner's manifest under a new tag", "/v2/app/manifests/fresh3", { method: "PUT", headers: { "Content-Type": OCI_MANIFEST }, body: base.manifest }],
      ["a delete", "/v2/app/manifests/base", { method: "DELETE" }],
    ];
    for (const [what, path, init] of attempts) {
      const r = await fetch(`${reg.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: a } });
      assert.equal(r.status, 403, what);
      const e = await errorOf(r);
      assert.equal(e.code, "DENIED", what);
      assert.match(e.message, noAccount(fresh), what);
    }
    assert.deepEqual(await snapshotDir(dataDir), before, "no session, blob, manifest, tag, link or pusher file");
    assert.deepEqual(await reg.uploadSessions(), []);
    assert.equal(owners.asked, 1, "one question for the whole series: the no is cached");
    const pulled = await fetch(`${reg.url}/v2/app/manifests/base`, { headers: { Authorization: a } });
    assert.equal(pulled.status, 200, "its pulls are as before");
    assert.equal((await fetch(`${reg.url}/v2/app/manifests/fresh3`, { method: "HEAD" })).status, 404);
  });

  test("once the key receives funds it is let in within the negative TTL, with all of its quota", async () => {
    const k = await testKey(72);
    const a = auth(k);
    const bytes = randomBytes(QUOTA);
    const post = (): Promise<Response> => fetch(`${reg.url}/v2/app/blobs/uploads/?digest=${sha256(bytes)}`, { method: "POST", headers: { Authorization: a, "Content-Type": "application/octet-stream" }, body: bytes });
    assert.equal((await post()).status, 403);
    const asked = owners.asked;
    owners.setAccount(k.address, true); // it receives funds
    const stale = await post();
    assert.equal(stale.status, 403, "a no is kept briefly");
    assert.match((await errorOf(stale)).message, noAccount(k));
    clock += OPEN_PUSH_ACCOUNT_CACHE.negativeTtlMs;
    assert.equal((await post()).status, 201, "the refusals charged nothing: the whole quota is there");
    const over = await fetch(`${reg.url}/v2/app/blobs/uploads/?digest=${sha256(Buffer.from("x"))}`, { method: "POST", headers: { Authorization: a, "Content-Type": "application/octet-stream" }, body: "x" });
    assert.equal(over.status, 403);
    assert.match((await errorOf(over)).message, /holds 65536 bytes .*openPushQuotaBytes/);
    assert.equal(owners.asked, asked + 1, "asked once more after the no expired; the yes is cached");
  });

  test("the owner's and members' pushes need no account and never ask", async () => {
    const member = await testKey(73);
    owners.setMember("library", member.address, true);
    owners.setMember("acme", member.address, true);
    const asked = owners.asked;
    await pushImage(reg.url, "app", "by-member", auth(member), [randomBytes(10)]);
    await pushImage(reg.url, "acme/app", "by-member", auth(member), [randomBytes(10)]);
    await pushImage(reg.url, "app", "by-owner", auth(owner), [randomBytes(10)]);
    assert.equal(owners.asked, asked);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(recorder.recorded.map((e) => `${e.namespace}/${e.repo}:${e.tag}`).filter((s) => s.endsWith("by-member") || s.endsWith("by-owner")),
      ["library/app:by-member", "acme/app:by-member", "library/app:by-owner"], "recorded as before");
  });

  test("a chain that cannot answer: 503 UNAVAILABLE, nothing stored; the owner still pushes", async () => {
    const k = await testKey(74);
    const before = await snapshotDir(dataDir);
    owners.accountsDown = true;
    try {
      const bytes = randomBytes(1000);
      const r = await fetch(`${reg.url}/v2/app/blobs/uploads/?digest=${sha256(bytes)}`, { method: "POST", headers: { Authorization: auth(k), "Content-Type": "application/octet-stream" }, body: bytes });
      assert.equal(r.status, 503);
      const e = await errorOf(r);
      assert.equal(e.code, "UNAVAILABLE");
      assert.match(e.message, new RegExp(`^cannot check that ${k.address} has an account on chain \\(open pushes to namespace "library" need one\\): connect ECONNREFUSED .*; try again when the chain is reachable \\(GET /health\\)$`));
      assert.deepEqual(await snapshotDir(dataDir), before);
      owners.accountsDown = false;
      const again = await fetch(`${reg.url}/v2/app/blobs/uploads/`, { method: "POST", headers: { Authorization: auth(k) } });
      assert.equal(again.status, 403, "the failure was not cached: the chain's answer is");
      assert.match((await errorOf(again)).message, noAccount(k));
      owners.accountsDown = true;
      await pushImage(reg.url, "app", "owner-while-down", auth(owner), [randomBytes(10)]);
    } finally {
      owners.accountsDown = false;
    }
  });

  test("/auth/revoke asks the chain itself: a key funded just now revokes at once, whatever the push cache holds", async () => {
    const k = await testKey(75);
    assert.equal((await fetch(`${reg.url}/v2/app/blobs/uploads/`, { method: "POST", headers: { Authorization: auth(k) } })).status, 403);
    owners.setAccount(k.address, true);
    assert.equal((await fetch(`${reg.url}/v2/app/blobs/uploads/`, { method: "POST", headers: { Authorization: auth(k) } })).status, 403, "the push cache still says no");
    const r = await fetch(`${reg.url}/auth/revoke`, { method: "POST", headers: { Authorization: auth(k) } });
    assert.equal(r.status, 200, await r.clone().text());
  });
});

describe("open default namespace over the real app in process", () => {
  let dir: string;
  let reg: Registry;
  let funded: TestKey;
  let fresh: TestKey;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-open-chain-"));
    funded = await testKey(81);
    fresh = await testKey(82);
    const app = new TrustNetApp({ store: StateStore.open(join(dir, "state.db")) });
    app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "c", consensusParams: undefined, validators: [], initialHeight: 1n,
      appStateBytes: new TextEncoder().encode(JSON.stringify({ auth: { accounts: [{ address: funded.address }] }, registry: { registries: [], namespaces: [] } })) } as never);
    app.finalizeBlock({ txs: [], height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } } as never);
    app.commit();
    const rpc = { url: "in-process", abciQuery: (path: string, data: Uint8Array) => Promise.resolve(app.query({ path, data, height: 0n, prove: false } as never)) } as unknown as CometRpc;
    reg = await createRegistry(mergeConfig(defaultConfig(), { dataDir: join(dir, "data"), storage: "filesystem", fsync: false, port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0, defaultNamespaceOpen: true }),
      { owners: new ChainNamespaceOwners(rpc), logger: pino({ level: "silent" }) });
  });
  after(async () => {
    await reg.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("the chain's account query decides who pushes to the unclaimed, open default namespace", async () => {
    await pushImage(reg.url, "app", "1", basicAuth(funded), [randomBytes(100)]);
    const before = await snapshotDir(join(dir, "data"));
    const bytes = randomBytes(100);
    const r = await fetch(`${reg.url}/v2/app/blobs/uploads/?digest=${sha256(bytes)}`, { method: "POST", headers: { Authorization: basicAuth(fresh), "Content-Type": "application/octet-stream" }, body: bytes });
    assert.equal(r.status, 403);
    assert.match((await errorOf(r)).message, noAccount(fresh));
    assert.deepEqual(await snapshotDir(join(dir, "data")), before);
  });
});
