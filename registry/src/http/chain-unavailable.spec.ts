// When the chain that records namespace ownership cannot be asked, a push gets 503 UNAVAILABLE (retryable), not a
// 500 or a DENIED, and nothing is stored; pulls do not depend on the chain.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { defaultConfig, mergeConfig } from "../config.ts";
import { createRegistry, type Registry } from "../server.ts";
import { basicAuth, testKey } from "../testkit.ts";

let reg: Registry;
let dataDir = "";
let auth = "";
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "tn-registry-unavail-"));
  const down = async (): Promise<never> => { throw new Error("connect ECONNREFUSED [fd00::1]:26657"); };
  const owners = { ownerOf: down, rights: down, hasAccount: down };
  reg = await createRegistry(mergeConfig(defaultConfig(), { dataDir, port: 0, gcIntervalSeconds: 0, service: "trustnet-registry" }), { owners, logger: pino({ level: "silent" }) });
  auth = basicAuth(await testKey(11));
});
after(async () => {
  await reg.close();
  await rm(dataDir, { recursive: true, force: true });
});

test("a push while the chain is unreachable: 503 UNAVAILABLE naming the namespace, nothing stored", async () => {
  const before = await readdir(dataDir, { recursive: true });
  const r = await fetch(`${reg.url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: auth } });
  assert.equal(r.status, 503);
  const body = (await r.json()) as { errors: { code: string; message: string }[] };
  assert.equal(body.errors[0]?.code, "UNAVAILABLE");
  assert.match(body.errors[0]?.message ?? "", /namespace "acme".*ECONNREFUSED.*chain is reachable/);
  assert.deepEqual(await readdir(dataDir, { recursive: true }), before);
  assert.equal((await fetch(`${reg.url}/v2/`, { headers: { Authorization: auth } })).status, 200, "the registry itself is up");
});
