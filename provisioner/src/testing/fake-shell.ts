/** A zx shell whose spawn is faked (tests): `answer` sees each command line and says what the "process" printed. */
import { spawn } from "node:child_process";
import { shell, type Shell } from "../shell.ts";

export interface FakeAnswer {
  readonly exitCode?: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

const PRINT = "const a = JSON.parse(process.argv[1]); process.stdout.write(a.stdout ?? ''); process.stderr.write(a.stderr ?? ''); process.exitCode = a.exitCode ?? 0;";

/**
 * zx hands its spawn `("set -euo pipefail;<command>", [], { shell: bash, … })`; the fake records `<command>` in `seen`
 * and starts a tiny Node process that prints `answer(<command>)` and exits with its code, so zx sees a real child.
 */
export function fakeShell(answer: (command: string) => FakeAnswer, seen: string[] = []): Shell {
  const fake = (line: string, _args: readonly string[], options: object) => {
    const command = line.replace(/^set -euo pipefail;/u, "");
    seen.push(command);
    return spawn(process.execPath, ["-e", PRINT, JSON.stringify(answer(command))], { ...options, shell: false });
  };
  return shell({ spawn: fake as unknown as typeof spawn });
}
