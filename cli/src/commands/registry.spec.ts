// Registry transactions take the same flags as every tx command; `verify --wait` is checked before anything is sent;
// `registry logout` revokes at a real registry.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { registryTypes } from "@trustnet/abci-app";
import { createRegistry, defaultConfig, InMemoryNamespaceOwners, mergeConfig, type Registry } from "@trustnet/registry";
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

  test("namespace claim: a name the chain would refuse is a usage error before anything is asked or signed", async () => {
    for (const bad of ["Acme", "a..b", "acme-", "", "x".repeat(65)]) {
      await assert.rejects(run("registry", "namespace", "claim", bad), usage(/^invalid namespace ".*": 1-64 characters of \[a-z0-9\]/u), bad);
    }
    await assert.rejects(run("registry", "namespace", "claim", "acme.dev"), /127\.0\.0\.1:1/u, "a good name goes on to the node");
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

describe("registry logout: the registry refuses every login token of the key made so far", () => {
  let home: string;
  let reg: Registry;
  let hostPort: string;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery", DOCKER_CONFIG: "" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-registry-logout-"));
    // The docker CLI's own credentials file (`docker logout` edits it; no engine is asked).
    env.DOCKER_CONFIG = join(home, "docker");
    const owners = new InMemoryNamespaceOwners({});
    for (const name of ["alice", "bob"]) owners.setAccount((await createKey(home, name, fast)).address, true);
    await createKey(home, "carol", fast); // no account on chain
    reg = await createRegistry(mergeConfig(defaultConfig(), { storage: "inmemory", port: 0, gcIntervalSeconds: 0, service: "trust1o", rateLimitPerSecond: 0 }), { owners, logger: pino({ level: "silent" }) });
    hostPort = new URL(reg.url).host;
  });
  after(async () => {
    await reg.close();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli([...argv, "--home", home, "--node", "http://127.0.0.1:1", "--output", "json"], env);
  /** A `registry login --print` password of `key`, and the status the registry answers to it on /v2/. */
  const login = async (key: string): Promise<{ username: string; password: string }> => {
    const r = await cli("registry", "login", "--print", "--from", key, "--audience", "trust1o");
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { username: string; password: string };
  };
  const status = async (c: { username: string; password: string }): Promise<number> =>
    (await fetch(`${reg.url}/v2/`, { headers: { Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}` } })).status;

  test("a login made before it gets 401; a login right after it and another key's logins work", async () => {
    const alice = await login("alice");
    const bob = await login("bob");
    assert.equal(await status(alice), 200);
    // What `registry login` leaves in Docker's credentials, beside another registry's.
    const auth = (c: { username: string; password: string }) => ({ auth: Buffer.from(`${c.username}:${c.password}`).toString("base64") });
    await mkdir(env.DOCKER_CONFIG, { recursive: true });
    await writeFile(join(env.DOCKER_CONFIG, "config.json"), JSON.stringify({ auths: { [hostPort]: auth(alice), "other.example:5000": auth(bob) } }), { mode: 0o600 });
    const r = await cli("registry", "logout", "--registry", hostPort, "--from", "alice", "--audience", "trust1o");
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(doc.address, alice.username);
    assert.equal(doc.revoked, true);
    assert.equal(doc.docker_logged_out, true);
    const dockerAuths = (JSON.parse(await readFile(join(env.DOCKER_CONFIG, "config.json"), "utf8")) as { auths: Record<string, unknown> }).auths;
    assert.deepEqual(Object.keys(dockerAuths), ["other.example:5000"], "docker logout of this registry only");
    assert.equal(typeof doc.revoked_through, "number");
    assert.equal(await status(alice), 401, "the earlier login is revoked");
    assert.equal(await status(await login("alice")), 200, "a login right after works");
    assert.equal(await status(bob), 200, "another key's login is not affected");
    const text = await runCli(["registry", "logout", "--registry", hostPort, "--from", "bob", "--audience", "trust1o", "--home", home, "--node", "http://127.0.0.1:1"], env);
    assert.match(text.stdout, /^Revoked every login of trust1\S+ at \S+ made at or before \S+Z .*\nDocker's credentials for \S+ removed \(docker logout \S+\); 'trustnet registry login' makes a new one\.$/mu);
  });

  test("another registry's audience, an address without an account or no registry: an error, and nothing revoked", async () => {
    const alice = await login("alice");
    const wrong = await cli("registry", "logout", "--registry", hostPort, "--from", "alice", "--audience", "trust1other");
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /refused the revocation \(401\): authentication failed: login token is for "trust1other"/u);
    assert.match(wrong.stderr, /nothing was revoked/u);
    const carol = await login("carol");
    const unfunded = await cli("registry", "logout", "--registry", hostPort, "--from", "carol", "--audience", "trust1o");
    assert.notEqual(unfunded.code, 0);
    assert.match(unfunded.stderr, /refused the revocation \(403\): trust1\S+ has no account on chain .*send it funds once \(trustnet send trust1\S+ <amount>\)/su);
    assert.equal(await status(carol), 200);
    const dead = await cli("registry", "logout", "--registry", "127.0.0.1:1", "--from", "alice", "--audience", "trust1o");
    assert.match(dead.stderr, /cannot reach the registry at 127\.0\.0\.1:1/u);
    assert.equal(await status(alice), 200);
  });

  test("a registry whose clock is ahead of this machine's: logout says a login from here is refused until then, not that it works", async () => {
    const owners = new InMemoryNamespaceOwners({});
    owners.setAccount(JSON.parse((await cli("keys", "show", "alice")).stdout).address as string, true);
    const ahead = await createRegistry(mergeConfig(defaultConfig(), { storage: "inmemory", port: 0, gcIntervalSeconds: 0, service: "trust1o", rateLimitPerSecond: 0 }), { owners, logger: pino({ level: "silent" }), now: () => new Date(Date.now() + 30_000) });
    try {
      const text = await runCli(["registry", "logout", "--registry", new URL(ahead.url).host, "--from", "alice", "--audience", "trust1o", "--home", home, "--node", "http://127.0.0.1:1"], env);
      assert.equal(text.code, 0, text.stderr);
      assert.doesNotMatch(text.stdout, /'trustnet registry login' makes a new one/u);
      assert.match(text.stdout, /'trustnet registry login' from this machine is refused for (29|3\d) s more: its clock is behind the registry's/u);
    } finally {
      await ahead.close();
    }
  });
});

describe("registry login: records the registry Docker was logged in to, for install.sh --uninstall", () => {
  let home: string;
  let alice: string;
  let bin: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-registry-login-"));
    alice = (await createKey(home, "alice", fast)).address;
    // A stand-in docker CLI (its login needs an engine): succeeds, unless the registry is "refuse.example:1".
    bin = join(home, "bin");
    await mkdir(bin);
    await writeFile(join(bin, "docker"), '#!/bin/sh\ncat >/dev/null\n[ "$2" != refuse.example:1 ] || { echo "login refused" >&2; exit 1; }\n');
    await chmod(join(bin, "docker"), 0o755);
  });
  after(() => rm(home, { recursive: true, force: true }));
  const login = (registry: string, env: NodeJS.ProcessEnv = {}) => runCli(["registry", "login", "--registry", registry, "--from", "alice", "--audience", "trust1o", "--home", home, "--node", "http://127.0.0.1:1"],
    { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery", PATH: `${bin}:${process.env.PATH ?? ""}`, ...env });
  const recorded = async (): Promise<string[]> => (await readFile(join(home, "config", "docker-logins"), "utf8")).split("\n").filter((l) => l !== "" && !l.startsWith("#"));

  test("each registry once, with the login's DOCKER_CONFIG when one is set; a failed docker login records nothing", async () => {
    for (const registry of ["127.0.0.1:8000", "127.0.0.1:8000", "localhost:9000"]) {
      const r = await login(registry);
      assert.equal(r.code, 0, r.stderr);
    }
    const r = await login("127.0.0.1:8000", { DOCKER_CONFIG: "rel/docker" });
    assert.equal(r.code, 0, r.stderr);
    const failed = await login("refuse.example:1");
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /docker login refuse\.example:1 failed: login refused/u);
    assert.deepEqual(await recorded(), ["127.0.0.1:8000", "localhost:9000", `127.0.0.1:8000\t${join(process.cwd(), "rel", "docker")}`]);
  });

  test("registry logout: a successful docker logout takes the registry's line (this DOCKER_CONFIG's) out of the record; other lines stay, a failed one keeps it, the last one takes the file", async () => {
    const before = await recorded();
    const owners = new InMemoryNamespaceOwners({});
    owners.setAccount(alice, true);
    const reg = await createRegistry(mergeConfig(defaultConfig(), { storage: "inmemory", port: 0, gcIntervalSeconds: 0, service: "trust1o", rateLimitPerSecond: 0 }), { owners, logger: pino({ level: "silent" }) });
    const hostPort = new URL(reg.url).host;
    const relDocker = `${hostPort}\t${join(process.cwd(), "rel", "docker")}`;
    const logout = (env: NodeJS.ProcessEnv = {}) => runCli(["registry", "logout", "--registry", hostPort, "--from", "alice", "--audience", "trust1o", "--home", home, "--node", "http://127.0.0.1:1"],
      { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery", PATH: `${bin}:${process.env.PATH ?? ""}`, ...env });
    try {
      for (const env of [{}, { DOCKER_CONFIG: "rel/docker" }]) assert.equal((await login(hostPort, env)).code, 0);
      assert.deepEqual(await recorded(), [...before, hostPort, relDocker]);
      const out = await logout();
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /Docker's credentials for \S+ removed/u);
      assert.deepEqual(await recorded(), [...before, relDocker], "only the line of the Docker config logged out of");
      // A docker logout that fails leaves the login in place: its line stays.
      await writeFile(join(bin, "docker"), '#!/bin/sh\ncat >/dev/null\n[ "$1" != logout ] || { echo "logout refused" >&2; exit 1; }\n');
      const failed = await logout({ DOCKER_CONFIG: "rel/docker" });
      assert.equal(failed.code, 0, failed.stderr);
      assert.match(failed.stdout, /'docker logout \S+' failed \(logout refused\)/u);
      assert.deepEqual(await recorded(), [...before, relDocker]);
      await writeFile(join(bin, "docker"), '#!/bin/sh\ncat >/dev/null\n[ "$2" != refuse.example:1 ] || { echo "login refused" >&2; exit 1; }\n');
      assert.equal((await logout({ DOCKER_CONFIG: "rel/docker" })).code, 0);
      assert.deepEqual(await recorded(), before);
      // The record's last line: the file goes.
      await writeFile(join(home, "config", "docker-logins"), `# header\n${hostPort}\n`);
      assert.equal((await logout()).code, 0);
      await assert.rejects(readFile(join(home, "config", "docker-logins")), { code: "ENOENT" });
    } finally {
      await reg.close();
    }
  });
});
