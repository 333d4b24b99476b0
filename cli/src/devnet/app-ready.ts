// When the app a launcher started (the devnet supervisor's pairs, `node start`) is ready for CometBFT: it answers
// ABCI (an Echo over the configured transport), and the port's listener is that process, not another one that
// took the port (or an app of another node) and would be handed this node's blocks.
import type { ChildProcess } from "node:child_process";
import { abciEchoes, type AbciTransport } from "@trustnet/abci-app";
import { describePortInUse, portsInUse } from "@trustnet/installer";
import { sleep } from "./process-util.ts";

export type AppReadiness = { readonly ready: true } | { readonly ready: false; readonly why: string };

/** How a child ended: "code 1" or "signal SIGKILL". */
export const howExited = (p: ChildProcess): string => (p.signalCode !== null ? `signal ${p.signalCode}` : `code ${p.exitCode}`);

const hasExited = (p: ChildProcess): boolean => p.exitCode !== null || p.signalCode !== null;

/**
 * Waits until `app` answers ABCI on 127.0.0.1:`port` over `transport`: an Echo of a fresh nonce comes back, and the
 * port's listener is `app`'s pid (where the holder is visible: Linux /proc, else lsof; where it is not, the Echo
 * alone). Not ready, with why: the child exited, another process answers on the port, `timeoutMs` passed, or
 * `cancelled()` became true.
 */
export async function waitForAppAnswer(app: ChildProcess, port: number, transport: AbciTransport, o: { readonly timeoutMs: number; readonly cancelled?: () => boolean }): Promise<AppReadiness> {
  const deadline = Date.now() + o.timeoutMs;
  const address = `tcp://127.0.0.1:${port}`;
  for (;;) {
    if (hasExited(app)) return { ready: false, why: `the app exited before it answered ABCI (${howExited(app)})` };
    if (o.cancelled?.() === true) return { ready: false, why: "cancelled" };
    if (await abciEchoes(address, transport, 1000)) {
      const holder = (await portsInUse([port]).catch(() => []))[0];
      if (holder?.pid === undefined || holder.pid === app.pid) return { ready: true };
      if (!hasExited(app)) return { ready: false, why: `another process answers ABCI on ${address}: ${describePortInUse(holder)}, not the app started as pid ${app.pid}` };
    }
    if (Date.now() > deadline) return { ready: false, why: `the app (pid ${app.pid}) did not answer ABCI (${transport}) on ${address} within ${o.timeoutMs / 1000} s` };
    await sleep(100);
  }
}
