// Drives a command in a real pseudo-terminal through util-linux `script`, expect-style.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
// Strip ANSI escape sequences (cursor movement, clear line) that readline writes.
const ANSI = new RegExp(String.raw`\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r`, "gu");

export function requireScript(): void {
  const r = spawnSync("script", ["--version"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error("`script` (util-linux) is required for the pty tests: apt-get install bsdutils (or run sh scripts/prereqs.sh)");
}

export class Pty {
  private readonly child: ChildProcessWithoutNullStreams;
  private buf = "";
  private cursor = 0;
  private exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;

  constructor(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string) {
    requireScript();
    const cmd = `stty cols 150 rows 50; exec ${argv.map(quote).join(" ")}`;
    this.child = spawn("script", ["-qfec", cmd, "/dev/null"], { env, cwd, stdio: "pipe" });
    this.child.stdout.on("data", (d: Buffer) => { this.buf += d.toString("utf8"); });
    this.child.stderr.on("data", (d: Buffer) => { this.buf += d.toString("utf8"); });
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => { this.exitCode = code; resolve(code); }));
  }

  /** Everything printed so far, without ANSI sequences. */
  get text(): string {
    return this.buf.replace(ANSI, "");
  }

  /** Waits until the output after the previous match matches `re`; returns the text up to and including it. */
  async expect(re: RegExp, timeoutMs = 20_000): Promise<string> {
    const start = Date.now();
    for (;;) {
      const rest = this.text.slice(this.cursor);
      const m = re.exec(rest);
      if (m) {
        const upto = rest.slice(0, m.index + m[0].length);
        this.cursor += upto.length;
        return upto;
      }
      if (this.exitCode !== undefined) throw new Error(`process exited (${String(this.exitCode)}) before ${String(re)}; output:\n${rest}`);
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${String(re)}; output since last match:\n${rest}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  write(s: string): void {
    this.child.stdin.write(s);
  }

  async wait(timeoutMs = 10_000): Promise<number | null> {
    const t = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(t);
    }
  }

  kill(): void {
    if (this.exitCode === undefined) this.child.kill("SIGKILL");
  }
}
