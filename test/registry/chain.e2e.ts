// The registry with its on-chain half, as a user runs it: `trustnet devnet up` (registry on :8000, chain-backed
// namespace rights, tags recorded by the registry operator). The owner's flow of issue 11: namespace claim,
// `registry authorize <operator>`, `registry login` (a real Docker engine), docker push, the tag recorded,
// `registry verify`, revoke, and the next push refused and recorded nowhere. Also: a second account that registers
// as an operator cannot record a tag in the namespace (real cosmjs tx), anonymous pushes to the default namespace are
// refused, and a push into someone else's namespace is denied.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { CLI, type Devnet, startDevnet } from "../helpers/devnet.ts";
import { startDockerd, writeRandomTar, type Dockerd } from "./helpers.ts";
import { trustnetRegistry } from "@trustnet/abci-app";

const run = promisify(execFile);
const PASS = "correct horse battery staple";

describe("registry + chain + docker", () => {
  let d: Devnet;
  let dockerd: Dockerd;
  let dir: string;
  let alice: string;
  let bob: string;
  let operator: string;
  let pushedDigest: string | undefined;
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
    operator = (await tnJson<{ registries: { operator: string; endpoint: string }[] }>(["registry", "list"])).registries[0]!.operator;
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

  test("owner flow: claim, authorize the registry, login, docker push (50 MB layer), tag recorded, verify ok", async () => {
    const claim = await tnJson<{ owner: string }>(["registry", "namespace", "claim", "alicens", "--from", "alice"]);
    assert.equal(claim.owner, alice);
    const ref = "127.0.0.1:8000/alicens/app:1";
    await writeRandomTar(join(dir, "big.tar"), "big.bin", 50 * 1024 * 1024 + 4096);
    assert.equal(dockerd.docker(["import", join(dir, "big.tar"), ref]).status, 0);
    const login = await tnJson<{ logged_in: boolean; username: string; audience: string }>(["registry", "login", "--from", "alice"]);
    assert.deepEqual([login.logged_in, login.username, login.audience], [true, alice, operator], "the token is for this registry's operator");

    // before the owner authorises the registry, a push is refused and nothing is recorded
    const early = dockerd.docker(["push", ref]);
    assert.notEqual(early.status, 0);
    assert.match(early.stderr, /denied/i);

    const auth = await tnJson<{ operator: string; namespaces: string[]; authorized: boolean }>(["registry", "authorize", operator, "--from", "alice"]);
    assert.deepEqual([auth.operator, auth.namespaces, auth.authorized], [operator, ["alicens"], true]);
    const rights = await tnJson<{ owner: string; authorized: string[]; members: string[] }>(["registry", "member", "list", "alicens"]);
    assert.deepEqual(rights, { namespace: "alicens", owner: alice, authorized: [operator], members: [] });
    await new Promise((r) => setTimeout(r, 3500)); // the registry caches namespace rights for 3 s (it just saw the refusal)

    const id = dockerd.docker(["image", "inspect", "-f", "{{.Id}}", ref]).stdout.trim();
    const push = dockerd.docker(["push", ref]);
    assert.equal(push.status, 0, push.stderr);
    assert.equal(dockerd.docker(["rmi", ref]).status, 0);
    const pull = dockerd.docker(["pull", ref]);
    assert.equal(pull.status, 0, pull.stderr);
    assert.equal(dockerd.docker(["image", "inspect", "-f", "{{.Id}}", ref]).stdout.trim(), id);

    const v = await tnJson<{ verified: boolean; served: string; recorded: string; operator: string; pusher: string; rights_at_record_height: { operator_authorized: boolean; pusher_is_owner: boolean } }>(["registry", "verify", ref, "--wait", "30"]);
    assert.equal(v.verified, true);
    assert.equal(v.served, v.recorded);
    assert.deepEqual([v.operator, v.pusher, v.rights_at_record_height.operator_authorized, v.rights_at_record_height.pusher_is_owner], [operator, alice, true, true]);
    pushedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
    assert.equal(v.recorded, pushedDigest, "the chain records the digest docker pushed");
    const tags = await tnJson<{ records: { tag: string; digest: string; pusher: string }[] }>(["registry", "tags", "alicens/app"]);
    assert.deepEqual(tags.records.map((r) => [r.tag, r.digest, r.pusher]), [["1", pushedDigest, alice]]);
    const human = await tn(["registry", "verify", ref]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`operator  ${operator}  authorised by the owner at height \\d+: yes`));
    assert.match(human.stdout, new RegExp(`pusher    ${alice}  owner or member at height \\d+: yes \\(owner\\)`));
  });

  test("a second account that registered as an operator cannot record or delete a tag in alicens (real cosmjs txs)", async () => {
    const wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: "trust" });
    const [eve] = await wallet.getAccounts();
    await tnJson(["devnet", "faucet", eve!.address, "5TRUST"]);
    const client = await SigningStargateClient.connectWithSigner(d.rpc, wallet, { registry: trustnetRegistry() });
    const fee = { amount: [{ denom: "utrust", amount: "20000" }], gas: "500000" };
    const P = "/trustnet.registry.v1.";
    try {
      const reg = await client.signAndBroadcast(eve!.address, [{ typeUrl: `${P}MsgRegisterRegistry`, value: { operator: eve!.address, endpoint: "http://127.0.0.1:9999" } }], fee);
      assert.equal(reg.code, 0, reg.rawLog);
      const evil = `sha256:${"e".repeat(64)}`;
      const send = async (msg: { typeUrl: string; value: unknown }): Promise<string> => {
        try {
          const r = await client.signAndBroadcast(eve!.address, [msg], fee);
          return `${r.code} ${r.rawLog ?? ""}`;
        } catch (err) {
          return (err as Error).message;
        }
      };
      const forged = await send({ typeUrl: `${P}MsgRecordTag`, value: { operator: eve!.address, namespace: "alicens", repo: "app", tag: "1", digest: evil, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1n, pusher: alice } });
      assert.match(forged, /not authorised by the owner of alicens/);
      const del = await send({ typeUrl: `${P}MsgDeleteTag`, value: { operator: eve!.address, namespace: "alicens", repo: "app", tag: "1" } });
      assert.match(del, /not authorised by the owner of alicens/);
    } finally {
      client.disconnect();
    }
    const tags = await tnJson<{ records: { tag: string; digest: string; operator?: string }[] }>(["registry", "tags", "alicens/app", "--history", "1"]);
    assert.deepEqual(tags.records.map((r) => [r.tag, r.digest]), [["1", pushedDigest]], "the forged record is nowhere");
    assert.equal((await tn(["registry", "verify", "127.0.0.1:8000/alicens/app:1"])).code, 0);
  });

  test("anonymous pushes to the default namespace are refused (closed by default); anonymous pulls work", async () => {
    const anon = await fetch("http://127.0.0.1:8000/v2/app/blobs/uploads/", { method: "POST" });
    assert.equal(anon.status, 401);
    assert.equal((await fetch("http://127.0.0.1:8000/v2/alicens/app/manifests/1", { headers: { accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json" } })).status, 200);
    assert.equal(dockerd.docker(["tag", "127.0.0.1:8000/alicens/app:1", "127.0.0.1:8000/app:1"]).status, 0);
    const push = dockerd.docker(["push", "127.0.0.1:8000/app:1"]);
    assert.notEqual(push.status, 0, "alice does not own the default namespace");
    assert.match(push.stderr, /denied/i);
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

  test("bad member addresses are refused and change nothing; a member can push", async () => {
    for (const badAddr of ["trust1notanaddress", "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a"]) {
      const r = await tn(["registry", "member", "add", "alicens", badAddr, "--from", "alice"]);
      assert.notEqual(r.code, 0, badAddr);
      assert.match(r.stderr, /address|key/i);
    }
    const list = await tnJson<{ members: string[] }>(["registry", "member", "list", "alicens"]);
    assert.deepEqual(list.members, []);
    const add = await tnJson<{ member: string; added: boolean }>(["registry", "member", "add", "alicens", "bob", "--from", "alice"]);
    assert.deepEqual([add.member, add.added], [bob, true]);
    await new Promise((r) => setTimeout(r, 3500)); // rights cache
    await tnJson(["registry", "login", "--from", "bob"]);
    assert.equal(dockerd.docker(["tag", "127.0.0.1:8000/alicens/app:1", "127.0.0.1:8000/alicens/app:bob"]).status, 0);
    const push = dockerd.docker(["push", "127.0.0.1:8000/alicens/app:bob"]);
    assert.equal(push.status, 0, push.stderr);
    const v = await tnJson<{ verified: boolean; pusher: string; rights_at_record_height: { pusher_is_member: boolean } }>(["registry", "verify", "127.0.0.1:8000/alicens/app:bob", "--wait", "30"]);
    assert.deepEqual([v.verified, v.pusher, v.rights_at_record_height.pusher_is_member], [true, bob, true]);
    await tnJson(["registry", "member", "remove", "alicens", "bob", "--from", "alice"]);
  });

  test("revoke: the owner revokes the registry; the next push is refused and recorded nowhere", async () => {
    await tnJson(["registry", "login", "--from", "alice"]);
    const rev = await tnJson<{ revoked: boolean; namespaces: string[] }>(["registry", "revoke", operator, "--from", "alice", "--namespace", "alicens"]);
    assert.deepEqual([rev.revoked, rev.namespaces], [true, ["alicens"]]);
    await new Promise((r) => setTimeout(r, 3500)); // the registry caches namespace rights for 3 s
    const ref = "127.0.0.1:8000/alicens/app:after-revoke";
    assert.equal(dockerd.docker(["tag", "127.0.0.1:8000/alicens/app:1", ref]).status, 0);
    const push = dockerd.docker(["push", ref]);
    assert.notEqual(push.status, 0);
    assert.match(push.stderr, /denied/i);
    assert.equal((await fetch("http://127.0.0.1:8000/v2/alicens/app/manifests/after-revoke")).status, 404, "stored nowhere");
    await new Promise((r) => setTimeout(r, 2000));
    const tags = await tnJson<{ records: { tag: string }[] }>(["registry", "tags", "alicens/app"]);
    assert.deepEqual(tags.records.map((r) => r.tag).sort(), ["1", "bob"], "recorded nowhere");
    // a revoke of a registry that is not authorised is an error that changes nothing
    const again = await tn(["registry", "revoke", operator, "--from", "alice", "--namespace", "alicens"]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /not authorised/);
  });
});
