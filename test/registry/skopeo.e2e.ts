// skopeo copy --all of a 2-platform OCI image index to the registry process and back; digests are preserved.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loginToken, testKey, type TestKey } from "../../registry/src/testkit.ts";
import { requireTool, sha256, skopeo, startRegistryProcess, tarOf, writeOciLayout, type RegistryProcess } from "./helpers.ts";

let dir: string;
let reg: RegistryProcess;
let owner: TestKey;

before(async () => {
  requireTool("skopeo");
  dir = await mkdtemp(join(tmpdir(), "tn-skopeo-e2e-"));
  owner = await testKey(61);
  reg = await startRegistryProcess({ dataDir: join(dir, "registry"), owners: { acme: owner.address } });
  await mkdir(join(dir, "cache"));
});
after(async () => {
  await reg?.stop();
  await rm(dir, { recursive: true, force: true });
});

test("skopeo copy --all of a 2-platform index to the registry and back", async () => {
  const src = await writeOciLayout(join(dir, "src"), "v1", [
    { architecture: "amd64", layers: [tarOf({ "amd64.bin": randomBytes(3 << 20) }), tarOf({ "common.txt": Buffer.from("shared") })] },
    { architecture: "arm64", layers: [tarOf({ "arm64.bin": randomBytes(2 << 20) }), tarOf({ "common.txt": Buffer.from("shared") })] },
  ]);
  const creds = `${owner.address}:${loginToken(owner, { ttlSeconds: 900, audience: reg.url })}`;
  const dest = `docker://${reg.address}/acme/multi:v1`;
  const cache = join(dir, "cache");
  const up = skopeo(["copy", "--all", "--dest-tls-verify=false", "--dest-creds", creds, `oci:${src.dir}:v1`, dest], cache);
  assert.equal(up.status, 0, up.stderr);

  const inspect = skopeo(["inspect", "--raw", "--tls-verify=false", dest], cache);
  assert.equal(inspect.status, 0, inspect.stderr);
  const original = await readFile(join(src.dir, "blobs", "sha256", src.digest.slice(7)), "utf8");
  assert.equal(inspect.stdout.trimEnd(), original, "the registry serves the index byte-exact");
  const head = await fetch(`${reg.url}/v2/acme/multi/manifests/v1`, { method: "HEAD" });
  assert.equal(head.headers.get("docker-content-digest"), src.digest);
  assert.equal(head.headers.get("content-type"), "application/vnd.oci.image.index.v1+json");
  for (const child of src.manifests) {
    assert.equal((await fetch(`${reg.url}/v2/acme/multi/manifests/${child}`, { method: "HEAD" })).status, 200, "untagged child is there");
  }

  const back = join(dir, "back");
  const down = skopeo(["copy", "--all", "--src-tls-verify=false", dest, `oci:${back}:v1`], cache);
  assert.equal(down.status, 0, down.stderr);
  const index = JSON.parse(await readFile(join(back, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  assert.equal(index.manifests[0]?.digest, src.digest);
  for (const child of src.manifests) {
    const bytes = await readFile(join(back, "blobs", "sha256", child.slice(7)));
    assert.equal(sha256(bytes), child);
  }

  // Registry to registry: a second repository (skopeo mounts blobs it knows are there, or re-uploads them).
  const again = skopeo(["copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", creds, dest, `docker://${reg.address}/acme/copy:v1`], cache);
  assert.equal(again.status, 0, again.stderr);
  const copied = skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${reg.address}/acme/copy:v1`], cache);
  assert.equal(copied.stdout.trimEnd(), original);
});
