// `POST /auth/revoke` (trustnet registry logout): a leaked login token, and every bearer token issued for it, stop
// working at once instead of living up to 24 h; the cut-off survives a restart; bad requests change nothing; only an
// account on chain may revoke (asked of the real app in process), a few times a minute per client.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { CometRpc, StateStore, TrustNetApp } from "@trustnet/abci-app";
import { ChainNamespaceOwners } from "../chain/namespace-owners.ts";
import { defaultConfig, mergeConfig } from "../config.ts";
import { StartupError } from "../errors.ts";
import { createRegistry, type Registry } from "../server.ts";
import { basicAuth, loginToken, startTestRegistry, testKey, type TestKey, type TestRegistry } from "../testkit.ts";

const T0 = 1_800_000_000;
let clock = T0 * 1000;
const now = (): Date => new Date(clock);
const tokenAt = (k: TestKey, s: number, audience = "trustnet-registry"): string => basicAuth(k, loginToken(k, { now: new Date(s * 1000), audience }));
const base = async (url: string, auth: string): Promise<{ status: number; body: string }> => {
  const r = await fetch(`${url}/v2/`, { headers: { Authorization: auth } });
  return { status: r.status, body: await r.text() };
};
const bearerFor = async (url: string, auth: string): Promise<string> => {
  const r = await fetch(`${url}/token`, { headers: { Authorization: auth } });
  assert.equal(r.status, 200, await r.clone().text());
  return `Bearer ${((await r.json()) as { token: string }).token}`;
};
const revoke = (url: string, headers: Record<string, string>, body?: string): Promise<Response> => fetch(`${url}/auth/revoke`, { method: "POST", headers, ...(body === undefined ? {} : { body }) });

describe("revoking a login", () => {
  let t: TestRegistry;
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "tn-revoke-"));
    t = await startTestRegistry({ storage: "filesystem", dataDir }, now);
  });
  after(async () => {
    await t.reg.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("bad requests are refused and change nothing", async () => {
    clock = T0 * 1000;
    const leaked = tokenAt(t.owner, T0 - 100);
    const bearer = await bearerFor(t.url, leaked);
    const refusals: [string, Promise<Response>, number, RegExp][] = [
      ["no credentials", revoke(t.url, {}), 401, /revoking logins takes Basic credentials/],
      ["a bearer token", revoke(t.url, { Authorization: bearer }), 401, /takes Basic credentials/],
      ["another registry's token", revoke(t.url, { Authorization: tokenAt(t.owner, T0, "trust1otherregistry") }), 401, /login token is for "trust1otherregistry"/],
      ["a body that is not JSON", revoke(t.url, { Authorization: tokenAt(t.owner, T0) }, "{nope"), 400, /empty or \{\}; nothing was revoked/],
      ["a body with fields", revoke(t.url, { Authorization: tokenAt(t.owner, T0) }, '{"address":"trust1x"}'), 400, /empty or \{\}/],
      ["a GET", fetch(`${t.url}/auth/revoke`, { headers: { Authorization: tokenAt(t.owner, T0) } }), 405, /method not allowed/],
    ];
    for (const [what, pending, status, re] of refusals) {
      const r = await pending;
      const body = (await r.text()).replace(/\\"/g, '"');
      assert.equal(r.status, status, `${what}: ${body}`);
      assert.match(body, re, what);
      if (status === 401) assert.match(r.headers.get("www-authenticate") ?? "", /^Basic realm="trustnet-registry"/, `${what}: it takes Basic, not the Bearer flow`);
    }
    assert.equal((await base(t.url, leaked)).status, 200, "the login still works");
    assert.equal((await base(t.url, bearer)).status, 200, "its bearer token still works");
    await assert.rejects(stat(join(dataDir, "auth", "login-cutoffs.json")), /ENOENT/, "nothing was written");
  });

  test("a revoked login and its bearer tokens are refused; a new login and other addresses are not", async () => {
    clock = T0 * 1000 + 500;
    const leaked = tokenAt(t.owner, T0 - 100);
    const bearer = await bearerFor(t.url, leaked);
    const others = tokenAt(t.stranger, T0 - 100);
    const revoking = tokenAt(t.owner, T0);
    const r = await revoke(t.url, { Authorization: revoking });
    assert.equal(r.status, 200, await r.clone().text());
    assert.deepEqual(await r.json(), { address: t.owner.address, revoked_through: T0, revoked_through_time: new Date(T0 * 1000).toISOString() });

    const b = await base(t.url, leaked);
    assert.equal(b.status, 401);
    assert.match(b.body, new RegExp(`login token was revoked \\(every login of ${t.owner.address} made at or before ${new Date(T0 * 1000).toISOString()} was, by trustnet registry logout\\); run .trustnet registry login. again`));
    const viaBearer = await base(t.url, bearer);
    assert.equal(viaBearer.status, 401);
    assert.match(viaBearer.body, /bearer token was issued for a login that was revoked/);
    assert.equal((await fetch(`${t.url}/token`, { headers: { Authorization: leaked } })).status, 401, "no new bearer token for it");
    // the same second as the revocation: the revoking token and any other made in it are revoked too
    assert.equal((await base(t.url, revoking)).status, 401, "the revoking token itself");
    assert.equal((await base(t.url, tokenAt(t.owner, T0))).status, 401, "a token made in the same second");
    assert.equal((await revoke(t.url, { Authorization: leaked })).status, 401, "a revoked token cannot revoke again");
    // the next second: a new login works, and so do the bearer tokens issued for it
    clock = (T0 + 1) * 1000;
    const fresh = tokenAt(t.owner, T0 + 1);
    assert.equal((await base(t.url, fresh)).status, 200);
    assert.equal((await base(t.url, await bearerFor(t.url, fresh))).status, 200);
    assert.equal((await base(t.url, others)).status, 200, "another address is not affected");
    // a token from a client whose clock is behind still ends at the registry's clock
    clock = (T0 + 20) * 1000;
    const behind = tokenAt(t.owner, T0 + 10);
    assert.equal((await revoke(t.url, { Authorization: tokenAt(t.owner, T0 + 5) })).status, 200);
    assert.equal((await base(t.url, behind)).status, 401, "cut-off = the registry's clock (T0+20), not the revoking token's iat");
  });

  test("the cut-off survives a restart; a file that is not what the registry writes stops the start", async () => {
    const file = join(dataDir, "auth", "login-cutoffs.json");
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    await t.reg.close();
    t = await startTestRegistry({ storage: "filesystem", dataDir }, now);
    assert.equal((await base(t.url, tokenAt(t.owner, T0 + 20))).status, 401, "still revoked after the restart");
    assert.equal((await base(t.url, tokenAt(t.owner, T0 + 21))).status, 200);
    const good = await readFile(file, "utf8");
    await t.reg.close();
    for (const bad of ["{", '{"v":1,"cutoffs":{"trust1x":"soon"}}', '{"v":2,"cutoffs":{}}']) {
      await writeFile(file, bad, { mode: 0o600 });
      await assert.rejects(startTestRegistry({ storage: "filesystem", dataDir }, now), (e: unknown) => e instanceof StartupError && /login-cutoffs\.json is corrupt/.test(e.message) && /revoked login tokens then work again/.test(e.hint ?? ""), bad);
    }
    await writeFile(file, good, { mode: 0o600 });
    t = await startTestRegistry({ storage: "filesystem", dataDir }, now);
  });

  test("a cut-off older than the longest token lifetime is dropped at the next write", async () => {
    const file = join(dataDir, "auth", "login-cutoffs.json");
    assert.match(await readFile(file, "utf8"), new RegExp(t.owner.address));
    clock = (T0 + 20 + 24 * 3600 + 300 + 120 + 1) * 1000;
    assert.equal((await revoke(t.url, { Authorization: tokenAt(t.stranger, clock / 1000) })).status, 200);
    assert.deepEqual(Object.keys((JSON.parse(await readFile(file, "utf8")) as { cutoffs: object }).cutoffs), [t.stranger.address]);
  });
});

describe("who may revoke, and how often: an account on chain, revokeRateLimitPerMinute times a minute", () => {
  let dir: string;
  let funded: TestKey;
  let fresh: TestKey;
  let chain: CometRpc;
  const errorOf = async (r: Response): Promise<{ code: string; message: string }> => ((await r.json()) as { errors: { code: string; message: string }[] }).errors[0] ?? { code: "", message: "" };
  /** A registry over `rpc` with its data under a fresh directory: the revocation file's path, and the registry. */
  const chainRegistry = async (rpc: CometRpc, name: string): Promise<{ file: string; reg: Registry }> => {
    const dataDir = join(dir, name);
    const reg = await createRegistry(mergeConfig(defaultConfig(), { dataDir, port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0 }), { owners: new ChainNamespaceOwners(rpc), logger: pino({ level: "silent" }) });
    return { file: join(dataDir, "auth", "login-cutoffs.json"), reg };
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-revoke-chain-"));
    funded = await testKey(44);
    fresh = await testKey(55);
    // the real app in process, answering abci_query: `funded` has an account, `fresh` never received anything
    const app = new TrustNetApp({ store: StateStore.open(join(dir, "state.db")) });
    app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "c", consensusParams: undefined, validators: [], initialHeight: 1n,
      appStateBytes: new TextEncoder().encode(JSON.stringify({ auth: { accounts: [{ address: funded.address }] }, registry: { registries: [], namespaces: [] } })) } as never);
    app.finalizeBlock({ txs: [], height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } } as never);
    app.commit();
    chain = { url: "in-process", abciQuery: (path: string, data: Uint8Array) => Promise.resolve(app.query({ path, data, height: 0n, prove: false } as never)) } as unknown as CometRpc;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("the chain's account query decides: a key that never received funds gets 403 and nothing is written", async () => {
    const { file, reg } = await chainRegistry(chain, "accounts");
    try {
      const r = await revoke(reg.url, { Authorization: basicAuth(fresh) });
      assert.equal(r.status, 403);
      const e = await errorOf(r);
      assert.equal(e.code, "DENIED");
      assert.match(e.message, new RegExp(`^${fresh.address} has no account on chain \\(it never received funds\\).*nothing was revoked`));
      await assert.rejects(stat(file), /ENOENT/, "nothing was written");
      assert.equal((await base(reg.url, basicAuth(fresh))).status, 200, "its login still works");
      const ok = await revoke(reg.url, { Authorization: basicAuth(funded) });
      assert.equal(ok.status, 200, await ok.clone().text());
      assert.deepEqual(Object.keys((JSON.parse(await readFile(file, "utf8")) as { cutoffs: object }).cutoffs), [funded.address]);
    } finally {
      await reg.close();
    }
  });

  test("a chain that cannot be asked: 503 UNAVAILABLE, nothing revoked", async () => {
    const { file, reg } = await chainRegistry(new CometRpc("http://127.0.0.1:1", 2000), "down");
    try {
      const r = await revoke(reg.url, { Authorization: basicAuth(funded) });
      assert.equal(r.status, 503);
      const e = await errorOf(r);
      assert.equal(e.code, "UNAVAILABLE");
      assert.match(e.message, /cannot check that trust1\S+ has an account on chain: .*; nothing was revoked; try again when the chain is reachable/);
      await assert.rejects(stat(file), /ENOENT/, "nothing was written");
    } finally {
      await reg.close();
    }
  });

  test("a 7th request of a client in a minute: 429 with Retry-After, nothing written", async () => {
    const t = await startTestRegistry({ storage: "filesystem", dataDir: join(dir, "limited"), revokeRateLimitPerMinute: 6 });
    try {
      assert.equal((await revoke(t.url, { Authorization: basicAuth(t.owner) })).status, 200);
      for (let i = 0; i < 5; i++) assert.equal((await revoke(t.url, {})).status, 401, "refused requests count too");
      const r = await revoke(t.url, { Authorization: basicAuth(t.stranger) });
      assert.equal(r.status, 429);
      const wait = Number(r.headers.get("retry-after"));
      assert.ok(wait >= 1 && wait <= 10, `Retry-After ${wait}`);
      assert.match((await errorOf(r)).message, /too many revocations from this address; retry in \d+ s \(revokeRateLimitPerMinute\); nothing was revoked/);
      assert.deepEqual(Object.keys((JSON.parse(await readFile(join(dir, "limited", "auth", "login-cutoffs.json"), "utf8")) as { cutoffs: object }).cutoffs), [t.owner.address]);
      assert.equal((await base(t.url, basicAuth(t.stranger))).status, 200, "the refused one's login still works");
    } finally {
      await t.reg.close();
    }
  });
});
