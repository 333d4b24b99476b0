// The test runner's children, run one at a time in the foreground (stdio inherited), so that the runner can be
// stopped: with spawnSync its event loop was blocked for a whole phase, so a SIGTERM (a CI job's timeout) or SIGINT
// waited for the phase to end, and its handler, which stops the background image build, ran only then.
import { type ChildProcess, spawn } from "node:child_process";

/** How long a stopped child gets to exit (it may clean up: the e2e tests stop their devnets) before SIGKILL. */
const STOP_GRACE_MS = 10_000;

const SIGNALS = [["SIGINT", 130], ["SIGTERM", 143]] as const;

export class Foreground {
  #child: ChildProcess | undefined;

  /**
   * On SIGINT or SIGTERM: `onStop` (e.g. stop a background build), the signal passed to the child running (a
   * terminal's Ctrl-C reaches it anyway), and once it has exited, this process exits with 128 + the signal's number.
   */
  constructor(onStop: () => void = () => {}) {
    for (const [sig, code] of SIGNALS) {
      process.once(sig, () => {
        onStop();
        const child = this.#child;
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) process.exit(code);
        child.once("exit", () => process.exit(code));
        child.kill(sig);
        setTimeout(() => { child.kill("SIGKILL"); }, STOP_GRACE_MS).unref();
      });
    }
  }

  /** Runs `cmd argv` with this process's stdio; resolves with its exit status (1 if killed, 127 if it cannot start). */
  run(cmd: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    return new Promise((resolve) => {
      const child = spawn(cmd, argv, { stdio: "inherit", env });
      this.#child = child;
      child.once("error", () => { resolve(127); });
      child.once("exit", (code) => { resolve(code ?? 1); });
    });
  }
}
