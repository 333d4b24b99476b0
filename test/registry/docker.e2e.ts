// Real Docker against the real registry process: import random layers (one ≥ 50 MB), login with a login token,
// push, delete locally, pull back, same image ID; pushing to someone else's namespace is denied.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loginToken, testKey, type TestKey } from "../../registry/src/testkit.ts";
import { startDockerd, startRegistryProcess, writeRandomTar, type Dockerd, type RegistryProcess } from "./helpers.ts";

let dir: string;
let reg: RegistryProcess;
let dockerd: Dockerd;
let owner: TestKey;
let stranger: TestKey;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "tn-docker-e2e-"));
  owner = await testKey(31);
  stranger = await testKey(32);
  reg = await startRegistryProcess({ dataDir: join(dir, "registry"), owners: { acme: owner.address, rival: stranger.address } });
  dockerd = await startDockerd(join(dir, "docker"));
});

after(async () => {
  await dockerd?.stop();
  await reg?.stop();
  await rm(dir, { recursive: true, force: true });
});

function ok(r: { status: number; stdout: string; stderr: string }, what: string): string {
  assert.equal(r.status, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

describe("docker push/pull through the registry", () => {
  test("push a 2-layer image (60 MB random layer), pull it back with the same image ID", async () => {
    const ref = `${reg.address}/acme/app:1`;
    await writeRandomTar(join(dir, "big.tar"), "big.bin", 60 * 1024 * 1024);
    ok(dockerd.docker(["import", join(dir, "big.tar"), "tn-base:1"]), "docker import");
    const ctx = join(dir, "context");
    await mkdir(ctx);
    await writeFile(join(ctx, "small.bin"), Buffer.from(`small layer ${Date.now()}`));
    await writeFile(join(ctx, "Dockerfile"), "FROM tn-base:1\nCOPY small.bin /small.bin\n");
    ok(dockerd.docker(["build", "-q", "-t", ref, ctx]), "docker build");
    const id = ok(dockerd.docker(["image", "inspect", "-f", "{{.Id}}", ref]), "inspect");
    const layers = ok(dockerd.docker(["image", "inspect", "-f", "{{len .RootFS.Layers}}", ref]), "inspect layers");
    assert.equal(layers, "2");

    ok(dockerd.docker(["login", "-u", owner.address, "--password-stdin", reg.address], loginToken(owner, { ttlSeconds: 900, audience: reg.url })), "docker login");
    ok(dockerd.docker(["push", ref]), "docker push");
    ok(dockerd.docker(["rmi", ref, "tn-base:1"]), "docker rmi");
    assert.notEqual(dockerd.docker(["image", "inspect", ref]).status, 0, "image is gone locally");
    ok(dockerd.docker(["pull", ref]), "docker pull");
    assert.equal(ok(dockerd.docker(["image", "inspect", "-f", "{{.Id}}", ref]), "inspect pulled"), id);

    const tags = (await (await fetch(`${reg.url}/v2/acme/app/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, ["1"]);
  });

  test("pushing to a namespace owned by another key fails with denied", () => {
    const theirs = `${reg.address}/rival/app:1`;
    ok(dockerd.docker(["tag", `${reg.address}/acme/app:1`, theirs]), "docker tag");
    const r = dockerd.docker(["push", theirs]);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /denied/);
  });

  test("a bad login token is refused by docker login", () => {
    const r = dockerd.docker(["login", "-u", stranger.address, "--password-stdin", reg.address], loginToken(owner, { audience: reg.url }));
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /unauthorized|not the address/i);
  });
});
