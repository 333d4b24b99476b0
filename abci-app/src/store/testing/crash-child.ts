// Child process of the crash test: commits blocks forever and reports each commit on stdout after it returns.
import { writeSync } from "node:fs";
import { toHex } from "../bytes.ts";
import { StateStore } from "../state-store.ts";
import { crashBlock } from "./crash-workload.ts";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: crash-child.ts <db path>");
const store = StateStore.open(path, { keepVersions: 5 });
writeSync(1, "ready\n");
for (;;) {
  const h = store.lastHeight + 1n;
  store.stage(h, crashBlock(h));
  const { height, appHash } = store.commit();
  writeSync(1, `${String(height)} ${toHex(appHash)}\n`);
}
