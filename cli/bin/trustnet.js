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
// Node 22.6-22.17 (e.g. Alpine 3.22's nodejs package) strips types only behind a flag: re-run with it, passed in
// NODE_OPTIONS so that the processes the CLI starts (the ABCI app, the registry) inherit it.
const stripFlag = "--experimental-strip-types";
if (!modern && major === 22 && minor >= 6 && !(process.env.NODE_OPTIONS ?? "").includes(stripFlag)) {
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${stripFlag} --disable-warning=ExperimentalWarning`.trim() };
  const r = spawnSync(process.execPath, [process.argv[1], ...process.argv.slice(2)], { stdio: "inherit", env });
  process.exit(r.status ?? 1);
}
if (!modern && !(major === 22 && minor >= 6)) {
  const home = process.env.TRUSTNET_HOME || join(homedir(), ".trustnet");
  const node = join(process.env.TRUSTNET_NODE_DIR || join(home, "node"), "bin", "node");
  if (!existsSync(node)) {
    console.error(`trustnet needs Node >= 22.18 (this is ${process.version}). Run ./install.sh, which installs Node 24 into ${join(home, "node")}.`);
    process.exit(1);
  }
  const r = spawnSync(node, [process.argv[1], ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
const { dropNotesWhenReaderCloses, exitQuietlyWhenReaderCloses } = await import("../src/stdout-closed.ts");
exitQuietlyWhenReaderCloses(); // `trustnet … | head`: exit 0 when stdout's reader goes away (EPIPE)
dropNotesWhenReaderCloses(); // `… 2>&1 | head`: stderr's notes dropped, the command goes on
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
