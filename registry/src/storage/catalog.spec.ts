// The catalog lists name directories only: its cost follows the number of repositories, not of their blobs and tags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { digestOf } from "../digest.ts";
import { MemoryDriver } from "./memory-driver.ts";
import { RegistryStore } from "./registry-store.ts";

class CountingDriver extends MemoryDriver {
  lists = 0;
  walks = 0;
  override list(path: string): Promise<string[]> {
    this.lists++;
    return super.list(path);
  }
  override walk(...args: Parameters<MemoryDriver["walk"]>): Promise<void> {
    this.walks++;
    return super.walk(...args);
  }
}

async function pushBlobs(store: RegistryStore, name: string, n: number): Promise<void> {
  const repo = store.repository(name);
  for (let i = 0; i < n; i++) {
    const bytes = Buffer.from(`${name} layer ${i}`);
    const s = await repo.blobs.startUpload(new Date(), "trust1owner");
    await s.commit(digestOf(bytes), Readable.from([bytes]), {});
  }
}

test("the catalog names every repository (nested ones too, not their parents) without visiting their links", async () => {
  const driver = new CountingDriver();
  const store = new RegistryStore(driver);
  assert.deepEqual(await store.catalog(), [], "an empty registry");
  await pushBlobs(store, "acme/app", 1);
  await pushBlobs(store, "acme/deep/child", 1);
  await pushBlobs(store, "zeta", 1);
  driver.lists = 0;
  assert.deepEqual(await store.catalog(), ["acme/app", "acme/deep/child", "zeta"]);
  const few = driver.lists;
  await pushBlobs(store, "acme/app", 200);
  driver.lists = 0;
  driver.walks = 0;
  assert.deepEqual(await store.catalog(), ["acme/app", "acme/deep/child", "zeta"]);
  assert.equal(driver.lists, few, "200 more blobs in a repository cost the catalog nothing");
  assert.equal(driver.walks, 0);
});
