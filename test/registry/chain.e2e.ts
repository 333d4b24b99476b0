// The registry with its on-chain half, as a user runs it: `trustnet devnet up` (registry on :8000, chain-backed
// namespace ownership, tags recorded by the registry operator), `trustnet registry login` logging a real Docker
// engine in, docker push/pull, `trustnet registry verify`, and a push into someone else's namespace denied.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { CLI, type Devnet, startDevnet } from "../helpers/devnet.ts";
import { startDockerd, writeRandomTar, type Dockerd } from "./helpers.ts";

const run = promisify(execFile);
const PASS = "correct horse battery staple";

describe("registry + chain + docker", () => {
  let d: Devnet;
  let dockerd: Dockerd;
  let dir: string;
  let alice: string;
  let bob: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, TRUSTNET_KEYRING_PASSPHRASE: PASS, DOCKER_HOST: dockerd.host, DOCKER_CONFIG: join(dir, "docker", "client-config") });
  const tn = async (args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
    try {
      const r = await run(process.execPath, [CLI, ...args, "--home", d.home, "--node", d.rpc], { env: env(), maxBuffer: 16 << 20 });
      return { ...r, code: 0 };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: number };
      return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: typeof e.code === "number" ? e.code : 1 };
    }
  };
  const tnJson = async <T>(args: string[]): Promise<T> => {
    const r = await tn([...args, "--output", "json"]);
    assert.equal(r.code, 0, `trustnet ${args.join(" ")}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-regchain-"));
    d = await startDevnet({ blockTime: "300ms" });
    dockerd = await startDockerd(join(dir, "docker"));
    alice = (await tnJson<{ address: string }>(["keys", "add", "alice"])).address;
    bob = (await tnJson<{ address: string }>(["keys", "add", "bob"])).address;
    await tnJson(["devnet", "faucet", alice, "10TRUST"]);
    await tnJson(["devnet", "faucet", bob, "10TRUST"]);
  });
  after(async () => {
    await dockerd?.stop();
    await d?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  test("devnet up serves the registry on 8000 and its health sees the chain", async () => {
    const h = (await (await fetch("http://127.0.0.1:8000/health")).json()) as { status: string; chain: { reachable: boolean } };
    assert.equal(h.chain.reachable, true);
  });

  test("claim a namespace, login with the chain key, push (50 MB layer), pull back, verify the on-chain digest", async () => {
    const claim = await tnJson<{ owner: string }>(["registry", "namespace", "claim", "alicens", "--from", "alice"]);
    assert.equal(claim.owner, alice);
    const login = await tnJson<{ loggedIn: boolean; username: string }>(["registry", "login", "--from", "alice"]);
    assert.deepEqual([login.loggedIn, login.username], [true, alice]);

    const ref = "127.0.0.1:8000/alicens/app:1";
    await writeRandomTar(join(dir, "big.tar"), "big.bin", 50 * 1024 * 1024 + 4096);
    assert.equal(dockerd.docker(["import", join(dir, "big.tar"), ref]).status, 0);
    const id = dockerd.docker(["image", "inspect", "-f", "{{.Id}}", ref]).stdout.trim();
    const push = dockerd.docker(["push", ref]);
    assert.equal(push.status, 0, push.stderr);
    assert.equal(dockerd.docker(["rmi", ref]).status, 0);
    const pull = dockerd.docker(["pull", ref]);
    assert.equal(pull.status, 0, pull.stderr);
    assert.equal(dockerd.docker(["image", "inspect", "-f", "{{.Id}}", ref]).stdout.trim(), id);

    const v = await tnJson<{ verified: boolean; served: string; recorded: string }>(["registry", "verify", ref, "--wait", "30"]);
    assert.equal(v.verified, true);
    assert.equal(v.served, v.recorded);
    const pushedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
    assert.equal(v.recorded, pushedDigest, "the chain records the digest docker pushed");
    const tags = await tnJson<{ records: { tag: string; digest: string; pusher: string }[] }>(["registry", "tags", "alicens/app"]);
    assert.deepEqual(tags.records.map((r) => [r.tag, r.digest, r.pusher]), [["1", pushedDigest, alice]]);
  });

  test("a key that does not own the namespace is denied; an unclaimed namespace is denied", async () => {
    await tnJson(["registry", "login", "--from", "bob"]);
    const ref = "127.0.0.1:8000/alicens/app:evil";
    assert.equal(dockerd.docker(["tag", "127.0.0.1:8000/alicens/app:1", ref]).status, 0);
    const push = dockerd.docker(["push", ref]);
    assert.notEqual(push.status, 0);
    assert.match(push.stderr, /denied/i);
    assert.equal(dockerd.docker(["tag", "127.0.0.1:8000/alicens/app:1", "127.0.0.1:8000/nobody/app:1"]).status, 0);
    const push2 = dockerd.docker(["push", "127.0.0.1:8000/nobody/app:1"]);
    assert.notEqual(push2.status, 0);
    assert.match(push2.stderr, /denied/i);
    const tags = await tnJson<{ records: { tag: string }[] }>(["registry", "tags", "alicens/app"]);
    assert.deepEqual(tags.records.map((r) => r.tag), ["1"], "nothing recorded for the denied push");
  });

  test("verify fails when the served digest differs from the chain (tag moved without a record)", async () => {
    const r = await tn(["registry", "verify", "127.0.0.1:8000/alicens/app:nope"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /404|no on-chain record/);
    const bad = await tn(["registry", "verify", "NOT A REF"]);
    assert.equal(bad.code, 2);
  });
});
