// The tag record queue: one entry per tag (a newer event replaces the queued one), no record of a digest already
// queued, nor (no fee) of the digest confirmed when the chain still holds it, a cap that refuses a tagging push with 503 before anything is stored, and an append-only
// journal (fsynced) that survives a restart and does not rewrite the whole queue on every add.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readlinkSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { registryTypes, type CometRpc } from "@trustnet/abci-app";
import { createRegistry } from "../server.ts";
import { defaultConfig, mergeConfig } from "../config.ts";
import { InMemoryNamespaceOwners } from "../auth/namespace-owners.ts";
import { basicAuth, pushImage, snapshotDir, testKey } from "../testkit.ts";
import { ChainTagSubmitter, tagQueueFiles } from "./tag-submitter.ts";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const D = (c: string): string => `sha256:${c.repeat(64)}`;

/** A chain node that is down (every call fails), so records stay queued. */
const downChain = {
  url: "down",
  chainId: () => Promise.reject(new Error("down")),
  abciQuery: () => Promise.reject(new Error("down")),
  broadcastTxSync: () => Promise.reject(new Error("down")),
  call: () => Promise.reject(new Error("down")),
} as unknown as CometRpc;

/**
 * A chain that accepts every tx and remembers the (tag, digest) of each MsgRecordTag; `current` is its tag table
 * (tag → digest), answered to the Tags query of one tag, and set by a test to play another registry's record.
 */
function acceptingChain() {
  const recorded: string[] = [];
  const current = new Map<string, string>();
  let tagQueries = 0;
  let sequence = 0n;
  const answer = (value: Uint8Array) => Promise.resolve({ code: 0, log: "", height: 1n, value });
  const rpc = {
    url: "ok",
    chainId: () => Promise.resolve("trustnet-local-1"),
    abciQuery(path: string, data: Uint8Array) {
      if (path === "/trustnet.registry.v1.Query/Tags") {
        tagQueries++;
        // one page of acme/app's tags from the page key (the store key of a tag: the key's text after "app")
        const key = Buffer.from(registryTypes.QueryTagsRequest.decode(data).pagination[0]?.key ?? []).toString();
        const from = key.slice(key.indexOf("app") + 3);
        const records = [...current].filter(([tag]) => tag >= from).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, 1).map(([tag, digest]) => ({ namespace: "acme", repo: "app", tag, digest, mediaType: "a/b", size: 1n, pusher: "", operator: "", height: 1n, time: 0n }));
        return answer(registryTypes.QueryTagRecordsResponse.encode({ records, pagination: [] }).finish());
      }
      return answer(QueryAccountResponse.encode({ account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: BaseAccount.encode(BaseAccount.fromPartial({ accountNumber: 1n, sequence })).finish() } }).finish());
    },
    broadcastTxSync(tx: Uint8Array) {
      for (const m of TxBody.decode(TxRaw.decode(tx).bodyBytes).messages) {
        const r = registryTypes.MsgRecordTag.decode(m.value);
        recorded.push(`${r.tag}@${r.digest.slice(7, 8)}`);
        current.set(r.tag, r.digest);
      }
      sequence++;
      return Promise.resolve({ code: 0, codespace: "", log: "", hash: "" });
    },
    call: () => Promise.resolve({ tx_result: { code: 0 } }),
  };
  return { rpc: rpc as unknown as CometRpc, recorded, current, tagQueries: () => tagQueries };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tn-tagq-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("one queued entry per tag: re-pushes coalesce, the newest digest wins, and the queue survives a restart", async () => {
  await withDir(async (dir) => {
    const k = await testKey(5);
    const file = tagQueueFiles(dir).journal;
    const ev = (tag: string, d: string) => ({ namespace: "acme", repo: "app", tag, digest: d, mediaType: "a/b", size: 1, pusher: k.address });
    const s = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: file, logger: silent });
    for (let i = 0; i < 1000; i++) s.recordTag(ev("latest", D("a")));
    s.recordTag(ev("v1", D("b")));
    s.recordTag(ev("latest", D("c")));
    await s.flush();
    assert.equal(s.pending, 2, "1,002 pushes of two tags queue two records");
    s.close();
    const again = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: file, logger: silent });
    assert.equal(again.pending, 2, "the journal gives the same queue back");
    again.close();
    const chain = acceptingChain();
    const third = new ChainTagSubmitter({ rpc: chain.rpc, key: k, queueFile: file, logger: silent });
    await third.drained();
    assert.deepEqual(chain.recorded, ["v1@b", "latest@c"], "order of the last change, newest digest");
    third.recordTag(ev("latest", D("c")));
    await third.drained();
    assert.deepEqual(chain.recorded, ["v1@b", "latest@c"], "the tag's confirmed digest, still on chain, is not recorded again");
    assert.equal(third.pending, 0);
    // another registry of the namespace records another digest: re-pushing the same image here records it again
    chain.current.set("latest", D("e"));
    const queries = chain.tagQueries();
    third.recordTag(ev("latest", D("c")));
    await third.drained();
    assert.deepEqual(chain.recorded, ["v1@b", "latest@c", "latest@c"], "the chain's record differs: recorded again");
    assert.equal(chain.tagQueries(), queries + 1, "one query of the chain's record, before the tx");
    // and a tag deleted on chain since is recorded again too
    chain.current.delete("v1");
    third.recordTag(ev("v1", D("b")));
    await third.drained();
    assert.deepEqual(chain.recorded.slice(3), ["v1@b"]);
    third.close();
    await third.flush();
    const fourth = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: file, logger: silent });
    assert.equal(fourth.pending, 0, "recorded entries are gone from the journal");
    fourth.close();
  });
});

test("adding 100,000 records appends to a journal instead of rewriting the queue each time", { timeout: 60_000 }, async () => {
  await withDir(async (dir) => {
    const k = await testKey(5);
    const file = tagQueueFiles(dir).journal;
    const s = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: file, logger: silent, maxQueued: 200_000, maxQueuedPerNamespace: 200_000 });
    let longest = 0;
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) {
      const t0 = performance.now();
      s.recordTag({ namespace: "acme", repo: "app", tag: `t${i}`, digest: D("a"), mediaType: "a/b", size: 1, pusher: k.address });
      longest = Math.max(longest, performance.now() - t0);
    }
    const total = performance.now() - start;
    await s.flush();
    s.close();
    // Rewriting the whole queue per add took seconds per add at this size (and hours in all); a GC pause on a
    // loaded machine may still stretch one add, hence the loose bounds.
    assert.ok(total < 10_000, `100,000 adds took ${total.toFixed(0)} ms`);
    assert.ok(longest < 500, `one add blocked the event loop for ${longest.toFixed(1)} ms`);
    assert.equal((await readFile(file, "utf8")).split("\n").filter((l) => l !== "").length, 100_000);
    const again = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: file, logger: silent, maxQueued: 200_000, maxQueuedPerNamespace: 200_000 });
    assert.equal(again.pending, 100_000);
    again.close();
  });
});

test("a full queue answers a tagging push 503 UNAVAILABLE before anything is stored; per-namespace share too", async () => {
  await withDir(async (dir) => {
    const owner = await testKey(11);
    const other = await testKey(22);
    const k = await testKey(5);
    const submitter = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: tagQueueFiles(dir).journal, logger: silent, maxQueued: 3, maxQueuedPerNamespace: 2 });
    const reg = await createRegistry(mergeConfig(defaultConfig(), { dataDir: join(dir, "data"), storage: "filesystem", port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0 }), {
      owners: new InMemoryNamespaceOwners({ acme: owner.address, other: other.address }), tagRecorder: submitter, logger: pino({ level: "silent" }),
    });
    try {
      const auth = basicAuth(owner);
      const img = await pushImage(reg.url, "acme/app", "v1", auth, [randomBytes(16)]);
      await pushImage(reg.url, "acme/app", "v2", auth, [randomBytes(16)]);
      assert.equal(submitter.pending, 2);
      // re-tagging a queued tag needs no room
      const re = await fetch(`${reg.url}/v2/acme/app/manifests/v1`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: img.manifest });
      assert.equal(re.status, 201);
      const before = await snapshotDir(join(dir, "data"));
      const r = await fetch(`${reg.url}/v2/acme/app/manifests/v3`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: img.manifest });
      assert.equal(r.status, 503);
      assert.equal(r.headers.get("retry-after"), "30");
      assert.equal(((await r.json()) as { errors: { code: string }[] }).errors[0]?.code, "UNAVAILABLE");
      assert.deepEqual(await snapshotDir(join(dir, "data")), before, "nothing stored");
      assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/v3`)).status, 404);
      // another namespace still has its share, until the whole queue is full
      await pushImage(reg.url, "other/app", "v1", basicAuth(other), [randomBytes(16)]);
      assert.equal(submitter.pending, 3);
      await assert.rejects(pushImage(reg.url, "other/app", "v2", basicAuth(other), [randomBytes(16)]), /manifest push 503/);
      assert.ok((await stat(tagQueueFiles(dir).journal)).size > 0);
    } finally {
      submitter.close();
      await reg.close();
    }
  });
});

/** The descriptors this process holds open on `file` (Linux /proc). */
function fdsOn(file: string): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) n++;
    } catch {
      // the directory's own descriptor, gone by now
    }
  }
  return n;
}

test("stop closes the journal's descriptor, a second stop is harmless, and a new submitter replays the journal", async () => {
  await withDir(async (dir) => {
    const k = await testKey(5);
    const file = tagQueueFiles(dir).journal;
    const ev = (tag: string) => ({ namespace: "acme", repo: "app", tag, digest: D("a"), mediaType: "a/b", size: 1, pusher: k.address });
    for (let round = 0; round < 3; round++) {
      const s = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: file, logger: silent });
      if (s.pending !== round) await s.stop(0);
      assert.equal(s.pending, round, "the journal of the previous run is replayed");
      assert.equal(fdsOn(file), 1, "one descriptor while running");
      s.recordTag(ev(`t${round}`));
      await s.stop(0);
      assert.equal(fdsOn(file), 0, "stop closed the journal");
      await s.stop(0);
      s.close();
      await s.flush();
      assert.equal(fdsOn(file), 0, "a second stop and a close change nothing");
    }
    // close() alone (the start-up failure path) also lets go of the journal once its lines are written
    const c = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: file, logger: silent });
    c.recordTag(ev("last"));
    c.close();
    await c.stop(0);
    assert.equal(fdsOn(file), 0);
    // a request still running at the stop queues a record after it: still journaled, and no descriptor kept
    c.recordTag(ev("late"));
    await c.flush();
    assert.equal(fdsOn(file), 0);
    const again = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: file, logger: silent });
    const replayed = again.pending;
    await again.stop(0); // before asserting: a failure must not leave its retry timer running
    assert.equal(replayed, 5, "everything queued, before the close or after it, is in the journal");
  });
});

test("concurrent pushes at the cap's edge never queue more than the caps; a failed push gives its room back", async () => {
  await withDir(async (dir) => {
    const owner = await testKey(11);
    const other = await testKey(22);
    const k = await testKey(5);
    const submitter = new ChainTagSubmitter({ rpc: downChain, key: k, queueFile: tagQueueFiles(dir).journal, logger: silent, maxQueued: 6, maxQueuedPerNamespace: 4 });
    const reg = await createRegistry(mergeConfig(defaultConfig(), { dataDir: join(dir, "data"), storage: "filesystem", port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0 }), {
      owners: new InMemoryNamespaceOwners({ acme: owner.address, other: other.address }), tagRecorder: submitter, logger: pino({ level: "silent" }),
    });
    try {
      const put = (name: string, auth: string, tag: string, body: Uint8Array) =>
        fetch(`${reg.url}/v2/${name}/manifests/${tag}`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body });
      const acme = await pushImage(reg.url, "acme/app", "v0", basicAuth(owner), [randomBytes(16)]);
      const oth = await pushImage(reg.url, "other/app", "v0", basicAuth(other), [randomBytes(16)]);
      assert.equal(submitter.pending, 2);
      // a push that fails after taking its room (a layer the repository lacks) gives the room back
      const broken = Buffer.from(acme.manifest.toString().replace(acme.layers[0] as string, D("e")));
      for (let i = 0; i < 10; i++) assert.equal((await put("acme/app", basicAuth(owner), `bad${i}`, broken)).status, 400);
      // 2 x 20 concurrent pushes of new tags, 4 slots left in all, 3 for either namespace
      const responses = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => put("acme/app", basicAuth(owner), `a${i}`, acme.manifest)),
        ...Array.from({ length: 20 }, (_, i) => put("other/app", basicAuth(other), `o${i}`, oth.manifest)),
      ]);
      const created = (from: number) => responses.slice(from, from + 20).filter((r) => r.status === 201).length;
      for (const r of responses) assert.ok(r.status === 201 || r.status === 503, `status ${r.status}`);
      assert.ok(created(0) <= 3 && created(20) <= 3, `acme ${created(0)}, other ${created(20)} pushed (share: 4 with v0)`);
      assert.equal(created(0) + created(20), 4, "exactly the free room was used");
      assert.equal(submitter.pending, 6, "the queue is at its cap, not beyond");
      // every refused push stored nothing
      const tags = async (name: string, auth: string) => ((await (await fetch(`${reg.url}/v2/${name}/tags/list`, { headers: { Authorization: auth } })).json()) as { tags: string[] }).tags.length;
      assert.equal((await tags("acme/app", basicAuth(owner))) + (await tags("other/app", basicAuth(other))), 6);
    } finally {
      await submitter.stop(0);
      await reg.close();
    }
  });
});

test("a reservation keeps its slot while the tag's queued entry is recorded and leaves the queue", async () => {
  await withDir(async (dir) => {
    const k = await testKey(5);
    const chain = acceptingChain();
    const s = new ChainTagSubmitter({ rpc: chain.rpc, key: k, queueFile: tagQueueFiles(dir).journal, logger: silent, maxQueued: 1 });
    const ev = (tag: string, d: string) => ({ namespace: "acme", repo: "app", tag, digest: d, mediaType: "a/b", size: 1, pusher: k.address });
    s.recordTag(ev("a", D("a")));
    const held = s.reserve("acme", [{ repo: "app", tag: "a" }]);
    assert.ok(held, "re-tagging a queued tag needs no new slot");
    await s.drained();
    assert.equal(s.pending, 0);
    assert.equal(s.reserve("acme", [{ repo: "app", tag: "b" }]), undefined, "the held tag still takes the only slot");
    s.recordTag(ev("a", D("b")));
    held.release();
    held.release();
    assert.equal(s.reserve("acme", [{ repo: "app", tag: "b" }]), undefined, "the queued entry now takes it");
    await s.drained();
    const b = s.reserve("acme", [{ repo: "app", tag: "b" }]);
    assert.ok(b, "free again once recorded");
    b.release();
    await s.stop(0);
  });
});

test("a DELETE by digest takes room for the tag deletions it queues, before it removes anything", async () => {
  await withDir(async (dir) => {
    const owner = await testKey(11);
    const k = await testKey(5);
    // a chain that accepts while `up`, and is down otherwise (records stay queued)
    const chain = acceptingChain();
    let up = true;
    const rpc = new Proxy(chain.rpc, {
      get: (t, p) => (p === "url" || up ? Reflect.get(t, p) : () => Promise.reject(new Error("down"))),
    });
    const submitter = new ChainTagSubmitter({ rpc, key: k, queueFile: tagQueueFiles(dir).journal, logger: silent, maxQueued: 3 });
    const reg = await createRegistry(mergeConfig(defaultConfig(), { dataDir: join(dir, "data"), storage: "filesystem", port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0 }), {
      owners: new InMemoryNamespaceOwners({ acme: owner.address }), tagRecorder: submitter, logger: pino({ level: "silent" }),
    });
    try {
      const auth = basicAuth(owner);
      const x = await pushImage(reg.url, "acme/app", "x1", auth, [randomBytes(16)]);
      const tagged = await fetch(`${reg.url}/v2/acme/app/manifests/${x.digest}?tag=x2&tag=x3`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: x.manifest });
      assert.equal(tagged.status, 201);
      await submitter.drained();
      assert.equal(submitter.pending, 0, "x1, x2, x3 recorded");
      up = false;
      await pushImage(reg.url, "acme/app", "y1", auth, [randomBytes(16)]);
      await pushImage(reg.url, "acme/app", "y2", auth, [randomBytes(16)]);
      assert.equal(submitter.pending, 2);
      const before = await snapshotDir(join(dir, "data"));
      const r = await fetch(`${reg.url}/v2/acme/app/manifests/${x.digest}`, { method: "DELETE", headers: { Authorization: auth } });
      assert.equal(r.status, 503, "three deletions do not fit in the one free slot");
      assert.equal(submitter.pending, 2, "the queue stays within its cap");
      assert.deepEqual(await snapshotDir(join(dir, "data")), before, "nothing removed");
      assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/x2`)).status, 200);
      up = true;
      await submitter.drained();
      const ok = await fetch(`${reg.url}/v2/acme/app/manifests/${x.digest}`, { method: "DELETE", headers: { Authorization: auth } });
      assert.equal(ok.status, 202, "with room, the delete goes through");
      assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/x2`)).status, 404);
    } finally {
      await submitter.stop(0);
      await reg.close();
    }
  });
});
