/** A minimal QMP client over the VM's unix socket: greeting, qmp_capabilities, then commands. */
import { createConnection } from "node:net";
import { ProvisionError } from "../errors.ts";

/** A QMP command with its arguments (`{ execute, arguments }` on the wire). */
export interface QmpCommand {
  readonly execute: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

export async function qmpExecute(socketPath: string, commands: readonly string[], timeoutMs = 5000): Promise<void> {
  await qmpRun(socketPath, commands.map((execute) => ({ execute })), timeoutMs);
}

/** Runs one command and returns its `return` value (undefined when QEMU closed the socket first, as `quit` does). */
export async function qmpQuery(socketPath: string, command: QmpCommand, timeoutMs = 5000): Promise<unknown> {
  return (await qmpRun(socketPath, [command], timeoutMs))[0];
}

/** The commands' `return` values, in order. */
async function qmpRun(socketPath: string, commands: readonly QmpCommand[], timeoutMs: number): Promise<unknown[]> {
  const returns: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    const sock = createConnection(socketPath);
    const queue: QmpCommand[] = [{ execute: "qmp_capabilities" }, ...commands];
    let sent = 0;
    let buf = "";
    let greeted = false;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new ProvisionError(`QMP on ${socketPath} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const sendNext = (): void => {
      const cmd = queue.shift();
      if (cmd === undefined) {
        clearTimeout(timer);
        sock.end();
        resolve();
        return;
      }
      sent++;
      sock.write(`${JSON.stringify(cmd)}\n`);
    };
    sock.on("data", (d) => {
      buf += d.toString("utf8");
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line === "") continue;
        let msg: { QMP?: unknown; return?: unknown; error?: { desc?: string }; event?: string };
        try {
          msg = JSON.parse(line) as typeof msg;
        } catch {
          // A throw here would be uncaught (an event listener): it would end the whole CLI process.
          clearTimeout(timer);
          sock.destroy();
          reject(new ProvisionError(`${socketPath} does not speak QMP: ${JSON.stringify(line.slice(0, 60))}`));
          return;
        }
        if (msg.QMP !== undefined && !greeted) {
          greeted = true;
          sendNext();
        } else if (msg.error !== undefined) {
          clearTimeout(timer);
          sock.destroy();
          reject(new ProvisionError(`QMP error: ${msg.error.desc ?? "unknown"}`));
        } else if (msg.return !== undefined) {
          if (sent > 1) returns.push(msg.return);
          sendNext();
        }
      }
    });
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(new ProvisionError(`cannot talk QMP on ${socketPath}: ${e.message}`, undefined, { cause: e }));
    });
    // `quit` closes the socket before answering; that is success. Closed before the greeting: nothing was sent.
    sock.on("close", () => {
      clearTimeout(timer);
      if (greeted) resolve();
      else reject(new ProvisionError(`QMP on ${socketPath} closed before its greeting`));
    });
  });
  return returns;
}
