// `trustnet node start`: runs the full node's ABCI app and CometBFT as a pair in the foreground, as the devnet
// supervisor does for each validator (the app first, CometBFT once the app answers ABCI). SIGTERM/SIGINT stop CometBFT
// and then the app; if either exits on its own, the other is stopped and the command fails with the logs' paths.
import type { ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { appNodeArgv } from "@trustnet/abci-app";
import { describePortsInUse, portsInUse } from "@trustnet/installer";
import { CliError } from "../errors.ts";
import { howExited, waitForAppAnswer } from "../devnet/app-ready.ts";
import { exited, spawnSupervised, stopChild } from "../devnet/process-util.ts";
import { type FullNodeManifest, fullNodeLayout } from "./init.ts";
import { childEnv } from "../child-env.ts";
import { assertFullNodeStateFormat } from "../state-format.ts";
import { startLogRotation } from "../devnet/log-rotation.ts";

const APP_START_MS = 120_000;

export interface RunOptions {
  readonly home: string;
  readonly cometbft: string;
  readonly manifest: FullNodeManifest;
  readonly appArgs: readonly string[];
  readonly log: (line: string) => void;
}

/** `cometbft start`'s arguments: CometBFT itself refuses a genesis.json other than the one `node init` checked. */
export function cometStartArgs(home: string, m: FullNodeManifest): string[] {
  return ["start", "--home", fullNodeLayout(home).cometHome, ...(m.genesisSha256 === undefined ? [] : ["--genesis_hash", m.genesisSha256])];
}

/**
 * Every port the node listens on must be free before anything starts: a port held by another process (this node
 * already running, another node or devnet) would be refused only later (the app waited for must be the one started,
 * app-ready.ts), with both processes started.
 */
async function assertPortsFree(home: string, m: FullNodeManifest): Promise<void> {
  const { p2p, rpc, abci, rest, metrics } = m.ports;
  const busy = await portsInUse([p2p, rpc, abci, ...(rest === undefined ? [] : [rest]), ...(metrics === undefined ? [] : [metrics])]);
  if (busy.length === 0) return;
  throw new CliError(`cannot start the node: ${describePortsInUse(busy)}. Nothing was started`, {
    hint: `is this node already running (trustnet node start --home ${home} stays in the foreground)? Stop whatever holds the port, then retry`,
  });
}

/** Resolves when the node was stopped by a signal; rejects when the app or CometBFT exited by itself. */
export async function runFullNode(o: RunOptions): Promise<void> {
  const layout = fullNodeLayout(o.home);
  assertFullNodeStateFormat(o.home, layout.root, o.manifest);
  await assertPortsFree(o.home, o.manifest);
  mkdirSync(layout.logs, { recursive: true });
  const logFile = (name: string): number => openSync(join(layout.logs, name), "a");
  // capped as the devnet's: copied to .1 … .3 and truncated past 64 MiB (devnet/log-rotation.ts)
  const stopRotation = startLogRotation(layout.logs, { onError: (err) => o.log(`warning: cannot rotate the logs in ${layout.logs}: ${err.message}`) });
  const { ports } = o.manifest;
  const appOut = logFile("node-app.out");
  const app = spawnSupervised(process.execPath, appNodeArgv([
    "--home", layout.appHome, "--address", `tcp://127.0.0.1:${ports.abci}`, "--transport", o.manifest.transport ?? "socket",
    "--log-file", join(layout.logs, "node-app.log"), "--rpc", `http://127.0.0.1:${ports.rpc}`,
    "--rest-address", ports.rest === undefined ? "off" : `127.0.0.1:${ports.rest}`, ...o.appArgs,
  ]), { stdio: ["ignore", appOut, appOut], env: childEnv() });
  closeSync(appOut);
  let comet: ChildProcess | undefined;
  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    await stopChild(comet);
    await stopChild(app);
  };
  // `on`, not `once`: a second Ctrl-C while CometBFT and the app stop must not fall to Node's default, which would
  // end this command at once and leave both running (they lead their own process groups).
  const onSignal = (): void => {
    if (stopping) o.log("stopping: waiting for CometBFT, then the app, to exit");
    else void stop();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    // CometBFT starts once this app answers ABCI (not once something accepts on the port: another process could)
    const readiness = await waitForAppAnswer(app, ports.abci, o.manifest.transport ?? "socket", { timeoutMs: APP_START_MS, cancelled: () => stopping });
    if (stopping) return;
    if (!readiness.ready) throw new CliError(`${readiness.why}; nothing else was started`, { hint: `see ${join(layout.logs, "node-app.out")}` });
    const cometOut = logFile("node-cometbft.log");
    comet = spawnSupervised(o.cometbft, cometStartArgs(o.home, o.manifest), { stdio: ["ignore", cometOut, cometOut], env: childEnv() });
    closeSync(cometOut);
    o.log(`node ${o.manifest.moniker} (${o.manifest.nodeId}) started: RPC http://127.0.0.1:${ports.rpc}, REST http://127.0.0.1:${ports.rest ?? "off"}, P2P ${ports.p2p}; syncing from ${o.manifest.peer}`);
    const which = await Promise.race([exited(app).then(() => "app" as const), exited(comet).then(() => "cometbft" as const)]);
    const how = howExited(which === "app" ? app : comet);
    if (stopping) {
      await exited(app);
      return;
    }
    await stop();
    throw new CliError(`${which} exited (${how}); the node stopped`, { hint: `see ${join(layout.logs, which === "app" ? "node-app.out" : "node-cometbft.log")}` });
  } catch (err) {
    await stop();
    throw err;
  } finally {
    stopRotation();
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}
