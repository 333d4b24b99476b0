#!/usr/bin/env node
// Launcher for the `trustnet` CLI. Written as plain JS so that any Node can start it: when the Node running
// this is older than 22.18 (no TypeScript type stripping, no node:sqlite), it re-executes itself with the
// private Node 24 that install.sh put under $TRUSTNET_HOME/node.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const [major, minor] = process.versions.node.split(".").map(Number);
const modern = major > 22 || (major === 22 && minor >= 18);
if (!modern) {
  const home = process.env.TRUSTNET_HOME || join(homedir(), ".trustnet");
  const node = join(process.env.TRUSTNET_NODE_DIR || join(home, "node"), "bin", "node");
  if (!existsSync(node)) {
    console.error(`trustnet needs Node >= 22.18 (this is ${process.version}). Run ./install.sh, which installs Node 24 into ${join(home, "node")}.`);
    process.exit(1);
  }
  const r = spawnSync(node, [process.argv[1], ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
