// Issue 11, tokens: a token is for one registry (its operator address, or its URL when it has none), lives at most
// 24 h, and the HMAC secret is never a short or empty file.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { request } from "node:http";
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateSecret } from "../auth/secret.ts";
import { StartupError } from "../errors.ts";
import { basicAuth, loginToken, startTestRegistry, type TestRegistry } from "../testkit.ts";

describe("token audience", () => {
  let a: TestRegistry;
  let b: TestRegistry;
  let c: TestRegistry;
  before(async () => {
    a = await startTestRegistry({ service: "trust1registryaoperator" });
    b = await startTestRegistry({ service: "trust1registryboperator" });
    c = await startTestRegistry({ service: "" }); // no operator: its URL is its identity
  });
  after(async () => {
    await Promise.all([a.close(), b.close(), c.close()]);
  });
  const upload = (url: string, auth: string) => fetch(`${url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: auth } });

  test("a token for registry A is refused by registry B", async () => {
    const forA = basicAuth(a.owner, loginToken(a.owner, { audience: "trust1registryaoperator" }));
    assert.equal((await upload(a.url, forA)).status, 202);
    const atB = await upload(b.url, forA);
    assert.equal(atB.status, 401);
    assert.match(await atB.text(), /login token is for \\"trust1registryaoperator\\", not \\"trust1registryboperator\\"/);
    // the challenge names each registry's own identity
    assert.match((await fetch(`${b.url}/v2/`)).headers.get("www-authenticate") ?? "", /service="trust1registryboperator"/);
    // the old shared audience works nowhere, including at a registry with the default configuration
    assert.equal((await upload(b.url, basicAuth(b.owner, loginToken(b.owner, { audience: "trustnet-registry" })))).status, 401);
    assert.equal((await upload(c.url, basicAuth(c.owner, loginToken(c.owner, { audience: "trustnet-registry" })))).status, 401);
  });

  test("without an operator, the audience is the URL the client used", async () => {
    const mine = basicAuth(c.owner, loginToken(c.owner, { audience: c.url }));
    assert.equal((await upload(c.url, mine)).status, 202);
    assert.equal((await upload(a.url, basicAuth(a.owner, loginToken(a.owner, { audience: c.url })))).status, 401);
    assert.match((await fetch(`${c.url}/v2/`)).headers.get("www-authenticate") ?? "", new RegExp(`service="${c.url}"`));
    // through /token too: the bearer token is for this registry only
    const tk = (await (await fetch(`${c.url}/token`, { headers: { Authorization: mine } })).json()) as { token: string };
    assert.equal((await upload(c.url, `Bearer ${tk.token}`)).status, 202);
    assert.equal((await upload(a.url, `Bearer ${tk.token}`)).status, 401);
  });

  test("without an operator, a Host naming another registry is refused: a token made for one keyless registry cannot be replayed at another", async () => {
    const port = Number(new URL(c.url).port);
    const post = (host: string, auth: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/v2/acme/app/blobs/uploads/", headers: { Host: host, Authorization: auth } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
    for (const other of ["other-registry.example:5000", `127.0.0.1:${port + 1}`, "10.255.255.1:8000", "127.0.0.1"]) {
      const r = await post(other, basicAuth(c.owner, loginToken(c.owner, { audience: `http://${other}` })));
      assert.equal(r.status, 401, other);
      assert.match(r.body, /does not name this registry/, other);
    }
    // this machine under another of its names, on the port it listens on
    for (const mine of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      assert.equal((await post(mine, basicAuth(c.owner, loginToken(c.owner, { audience: `http://${mine}` })))).status, 202, mine);
    }
  });

  test("a token with a 7-day lifetime is refused; 24 h is accepted", async () => {
    const week = await upload(a.url, basicAuth(a.owner, loginToken(a.owner, { audience: "trust1registryaoperator", ttlSeconds: 7 * 24 * 3600 })));
    assert.equal(week.status, 401);
    assert.match(await week.text(), /longer than this registry accepts/);
    assert.equal((await upload(a.url, basicAuth(a.owner, loginToken(a.owner, { audience: "trust1registryaoperator", ttlSeconds: 24 * 3600 })))).status, 202);
  });
});

describe("token secret file", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-secret-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const [name, content] of [["empty", Buffer.alloc(0)], ["short", Buffer.alloc(31, 7)]] as const) {
    test(`an ${name} secret file is replaced, not used`, async () => {
      const data = join(dir, name);
      await mkdir(join(data, "auth"), { recursive: true, mode: 0o700 }); // as the registry makes it, whatever the umask
      await writeFile(join(data, "auth", "token-secret"), content, { mode: 0o600 });
      const secret = await loadOrCreateSecret(data);
      assert.equal(secret.length, 32);
      assert.notDeepEqual(Buffer.from(secret.subarray(0, content.length)), content.length ? content : Buffer.from("x"));
      assert.deepEqual(await readFile(join(data, "auth", "token-secret")), Buffer.from(secret));
      assert.equal((await stat(join(data, "auth", "token-secret"))).mode & 0o777, 0o600);
      assert.deepEqual(Buffer.from(await loadOrCreateSecret(data)), Buffer.from(secret), "stable once written");
    });
  }

  test("a secret others could have read or planted is refused with the fix, and left as it was", async () => {
    const cases: [string, (auth: string, file: string) => Promise<void>, RegExp][] = [
      ["group-readable", async (_a, f) => { await writeFile(f, Buffer.alloc(32, 1)); await chmod(f, 0o640); }, /token secret .*token-secret is readable or writable by its group or other users \(mode 0640\); others could have read it, so remove it .* or, if no one could have, chmod 600 /],
      ["world-writable", async (_a, f) => { await writeFile(f, Buffer.alloc(32, 1)); await chmod(f, 0o602); }, /\(mode 0602\)/],
      ["a symlink", async (a, f) => { await writeFile(join(a, "elsewhere"), Buffer.alloc(32, 1), { mode: 0o600 }); await symlink("elsewhere", f); }, /token-secret is a symbolic link: remove it/],
      ["in a directory others can write to", async (a, f) => { await writeFile(f, Buffer.alloc(32, 1), { mode: 0o600 }); await chmod(a, 0o777); }, /token secret directory .*auth is writable by its group or other users \(mode 0777\): chmod go-w /],
    ];
    for (const [name, make, re] of cases) {
      const data = join(dir, `unsafe-${name.replace(/ /g, "-")}`);
      const auth = join(data, "auth");
      await mkdir(auth, { recursive: true, mode: 0o700 });
      await chmod(auth, 0o700);
      const file = join(auth, "token-secret");
      await make(auth, file);
      const was = await lstat(file);
      await assert.rejects(loadOrCreateSecret(data), (e: unknown) => {
        assert.ok(e instanceof StartupError, `${name}: ${String(e)}`);
        assert.match(e.message, re, name);
        assert.match(e.hint ?? "", /could forge tokens; nothing was changed/);
        return true;
      });
      const now = await lstat(file);
      assert.deepEqual([now.mode, now.ino, now.mtimeMs], [was.mode, was.ino, was.mtimeMs], `${name}: left as it was`);
    }
  });

  test("a registry started on an empty secret file refuses a bearer token forged with the empty key", async () => {
    const data = join(dir, "served");
    await mkdir(join(data, "auth"), { recursive: true, mode: 0o700 }); // as the registry makes it, whatever the umask
    await writeFile(join(data, "auth", "token-secret"), "", { mode: 0o600 });
    const t = await startTestRegistry({ storage: "filesystem", dataDir: data });
    try {
      const iat = Math.floor(Date.now() / 1000);
      const payload = Buffer.from(JSON.stringify({ sub: t.owner.address, aud: "trustnet-registry", iat, exp: iat + 300 })).toString("base64url");
      const forged = `${payload}.${createHmac("sha256", Buffer.alloc(0)).update(payload).digest("base64url")}`;
      const r = await fetch(`${t.url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: `Bearer ${forged}` } });
      assert.equal(r.status, 401);
      assert.equal((await readFile(join(data, "auth", "token-secret"))).length, 32);
    } finally {
      await t.reg.close();
    }
  });
});
