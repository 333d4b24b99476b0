import { after } from "node:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeDriverConformance } from "./driver-conformance.ts";
import { FsDriver } from "./fs-driver.ts";

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describeDriverConformance("filesystem", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-fsdriver-"));
  dirs.push(dir);
  return new FsDriver(dir);
});
