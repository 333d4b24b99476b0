// A chain of the unmodified CometBFT behind the null app (bench/lib/null-app.ts): the same generated devnet config as
// TrustNet's in send-vs-sdk (bench/lib/bench-devnet.ts), the same transport and ports, only the app swapped.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_GRPC_SERVER, type GrpcServerKind } from "../../abci-app/src/abci/index.ts";
import { findCometbft } from "../../cli/src/devnet/cometbft-bin.ts";
import { devnetLayout } from "../../cli/src/devnet/layout.ts";
import { canConnect, stopChild, waitFor } from "../../cli/src/devnet/process-util.ts";
import { type BenchDevnetOptions, generateBenchDevnet } from "./bench-devnet.ts";
import { waitForHeight } from "./chain-ready.ts";

export const NULL_APP_MAIN = fileURLToPath(new URL("./null-app-main.ts", import.meta.url));

export interface NullChain {
  readonly rpc: string;
  /** CometBFT's Prometheus endpoint (the devnet config's instrumentation listener). */
  readonly cometMetrics: string;
  /** Stops CometBFT, then the app; resolves when both have exited. */
  stop(): Promise<void>;
}

const exitReason = (p: ChildProcess, what: string, log: string): string | undefined =>
  p.exitCode === null && p.signalCode === null ? undefined : `${what} exited (${p.exitCode ?? p.signalCode}); see ${log}:\n${readFileSync(log, "utf8").slice(-2000)}`;

/** Generates the devnet home, starts the null app, then CometBFT; resolves when height 2 exists. */
export async function startNullChain(o: BenchDevnetOptions & { readonly log: (line: string) => void; readonly grpcServer?: GrpcServerKind }): Promise<NullChain> {
  const manifest = await generateBenchDevnet(o);
  const node = manifest.nodes[0]!;
  const appLog = join(o.home, "null-app.log");
  const cometLog = join(o.home, "cometbft.log");
  const out = openSync(appLog, "a");
  const app = spawn(process.execPath, [NULL_APP_MAIN, "--address", `tcp://127.0.0.1:${node.ports.abci}`, "--transport", o.transport, "--grpc-server", o.grpcServer ?? DEFAULT_GRPC_SERVER, "--log-file", appLog], { stdio: ["ignore", out, out] });
  closeSync(out);
  let comet: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    await stopChild(comet);
    await stopChild(app);
  };
  try {
    // CometBFT must find the app listening, or it gives up on the handshake.
    if (!(await waitFor(async () => exitReason(app, "null app", appLog) !== undefined || canConnect(node.ports.abci), 30_000, 100))) {
      throw new Error(`the null app did not listen on ${node.ports.abci} within 30 s; see ${appLog}`);
    }
    const cout = openSync(cometLog, "a");
    comet = spawn(findCometbft(o.home), ["start", "--home", devnetLayout(o.home).node(0).cometHome], { stdio: ["ignore", cout, cout] });
    closeSync(cout);
    const rpc = `http://127.0.0.1:${node.ports.rpc}`;
    const c = comet;
    await waitForHeight(rpc, 2, 120_000, () => exitReason(app, "null app", appLog) ?? exitReason(c, "cometbft", cometLog));
    o.log(`null chain up: rpc ${rpc}, ${o.transport} ABCI, app pid ${app.pid}, cometbft pid ${comet.pid}`);
    return { rpc, cometMetrics: `http://127.0.0.1:${node.ports.metrics ?? 26660}/metrics`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
