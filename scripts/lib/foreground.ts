// The test runner's children, run in the foreground (stdio inherited, or one lane's output to a file), so that the
// runner can be stopped: with spawnSync its event loop was blocked for a whole phase, so a SIGTERM (a CI job's
// timeout) or SIGINT waited for the phase to end, and its handler, which stops the background image build, ran only
// then. Several children may run at once (the end-to-end phase's two lanes); a signal stops them all.
import { type ChildProcess, spawn } from "node:child_process";

/** How long a stopped child gets to exit (it may clean up: the e2e tests stop their devnets) before SIGKILL. */
const STOP_GRACE_MS = 10_000;

const SIGNALS = [["SIGINT", 130], ["SIGTERM", 143]] as const;

const running = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;

export class Foreground {
  readonly #children = new Set<ChildProcess>();

  /**
   * On SIGINT or SIGTERM: `onStop` (e.g. stop a background build), the signal passed to every child running (a
   * terminal's Ctrl-C reaches them anyway), and once all have exited, this process exits with 128 + the signal's number.
   */
  constructor(onStop: () => void = () => {}) {
    for (const [sig, code] of SIGNALS) {
      process.once(sig, () => {
        onStop();
        const children = [...this.#children].filter(running);
        if (children.length === 0) process.exit(code);
        let left = children.length;
        for (const child of children) {
          child.once("exit", () => { if (--left === 0) process.exit(code); });
          child.kill(sig);
          setTimeout(() => { child.kill("SIGKILL"); }, STOP_GRACE_MS).unref();
        }
      });
    }
  }

  /**
   * Runs `cmd argv` with this process's stdio, or with its output (stdout and stderr) appended to the file open as
   * `outFd`; resolves with its exit status (1 if killed, 127 if it cannot start).
   */
  run(cmd: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env, outFd?: number): Promise<number> {
    return new Promise((resolve) => {
      const child = spawn(cmd, argv, { stdio: outFd === undefined ? "inherit" : ["ignore", outFd, outFd], env });
      this.#children.add(child);
      child.once("error", () => { this.#children.delete(child); resolve(127); });
      child.once("exit", (code) => { this.#children.delete(child); resolve(code ?? 1); });
    });
  }
}
