// The interactive shell: reads lines, runs them as `trustnet` commands in-process, survives their errors.
import { createInterface, type Interface } from "node:readline";
import { describeError } from "../report-error.ts";
import { completeLine, parseHelp, type HelpEntries } from "./completion.ts";
import { appendHistory, loadHistory, shouldRecord } from "./history.ts";
import { splitArgs } from "./split-args.ts";

export interface ShellDeps {
  readonly input: NodeJS.ReadStream;
  /** The prompt and the commands' results (stdout). */
  readonly output: NodeJS.WritableStream;
  /** Error messages (stderr). */
  readonly errors: NodeJS.WritableStream;
  /** Runs one command line's arguments and returns its exit status (0: success); throws what the command throws. */
  readonly run: (args: readonly string[]) => Promise<number>;
  /** The `--help` text of the command at `path` ([] = top level). */
  readonly help: (path: readonly string[]) => Promise<string>;
  readonly historyFile: string;
  /** Names of local keys, for completing `--from` and addresses. */
  readonly keyNames?: () => Promise<readonly string[]>;
  readonly prompt?: string;
}

type Completer = (line: string, cb: (err: null, result: [string[], string]) => void) => void;

/** One line at a time. On a terminal each line gets a fresh readline, so commands can prompt (no echo) in between. */
function lineSource(deps: ShellDeps, history: string[], completer: Completer): { next(): Promise<string | null>; close(): void } {
  const prompt = deps.prompt ?? "trustnet> ";
  if (deps.input.isTTY) {
    return {
      next: () =>
        new Promise((resolve) => {
          const rl: Interface = createInterface({
            input: deps.input, output: deps.output, terminal: true, completer, prompt,
            history: [...history].reverse(), historySize: 1000, removeHistoryDuplicates: true,
          });
          let done = false;
          const finish = (v: string | null): void => {
            if (done) return;
            done = true;
            rl.close();
            resolve(v);
          };
          rl.on("line", (l) => finish(l));
          rl.on("close", () => finish(null));
          rl.on("SIGINT", () => {
            deps.output.write("^C\n");
            finish("");
          });
          rl.prompt();
        }),
      close: () => undefined,
    };
  }
  const rl = createInterface({ input: deps.input, terminal: false });
  const it = rl[Symbol.asyncIterator]();
  return {
    async next() {
      deps.output.write(prompt);
      const r = await it.next();
      if (r.done === true) {
        deps.output.write("\n");
        return null;
      }
      return r.value;
    },
    close: () => rl.close(),
  };
}

/**
 * Runs the shell until `exit` or end of input. A failed command prints its error on `errors` and the shell goes on.
 * Returns the shell's exit status: 0 on a terminal; when reading a script (stdin not a terminal), 1 if any command
 * failed, so that `trustnet shell < script` can be checked like any command.
 */
export async function runShell(deps: ShellDeps): Promise<number> {
  const history = await loadHistory(deps.historyFile);
  const cache = new Map<string, Promise<HelpEntries>>();
  const helpFor = (path: readonly string[]): Promise<HelpEntries> => {
    const key = path.join(" ");
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = deps.help(path).then((text) => parseHelp(text, path));
      cache.set(key, hit);
    }
    return hit;
  };
  const completer: Completer = (line, cb) => {
    void completeLine(line, helpFor, deps.keyNames).then((r) => cb(null, r));
  };
  const lines = lineSource(deps, history, completer);
  let failed = false;
  const fail = (text: string): void => {
    failed = true;
    deps.errors.write(text);
  };
  deps.output.write("TrustNet shell: type a command without `trustnet` (e.g. `keys list`), `help`, or `exit`. Tab completes.\n");
  try {
    for (;;) {
      const line = await lines.next();
      if (line === null) break;
      if (shouldRecord(line, history.at(-1))) {
        await appendHistory(deps.historyFile, line, history).catch(() => undefined);
        history.push(line);
      }
      let args: string[];
      try {
        args = splitArgs(line);
      } catch (err) {
        fail(describeError(err).text);
        continue;
      }
      if (args[0] === "trustnet") args = args.slice(1);
      if (args.length === 0) continue;
      if (args[0] === "exit" || args[0] === "quit") break;
      if (args[0] === "help") args = [...args.slice(1), "--help"];
      if (args[0] === "shell") {
        fail("error: already in the shell\n");
        continue;
      }
      try {
        if ((await deps.run(args)) !== 0) failed = true;
      } catch (err) {
        fail(describeError(err, { argv: args }).text);
      }
    }
  } finally {
    lines.close();
  }
  return failed && deps.input.isTTY !== true ? 1 : 0;
}
