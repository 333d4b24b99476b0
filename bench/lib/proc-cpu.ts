// CPU time of a chain's processes, from /proc (Linux): the processes whose command line mentions the chain's home
// directory (TrustNet: its app, CometBFT, the devnet supervisor and registry; simd: the one simd process), grouped
// by what they run. Sampled before and after a shape, the difference is the CPU that chain spent on it, a figure the
// machine's load moves far less than wall-clock rates.
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux architecture). */
const USER_HZ = 100;

export type CpuByRole = Readonly<Record<string, number>>;

/** Seconds of CPU (user + system) used so far by each live process whose command line contains `marker`, by `role(argv)`. */
export function processCpu(marker: string, role: (argv: readonly string[]) => string): CpuByRole {
  const out: Record<string, number> = {};
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
      if (!argv.some((a) => a.includes(marker))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const seconds = (Number(fields[11]) + Number(fields[12])) / USER_HZ;
      const r = role(argv);
      out[r] = (out[r] ?? 0) + seconds;
    } catch {
      // The process exited between listing and reading: it no longer counts.
    }
  }
  return out;
}

/** after − before per role (a role that appeared counts from 0). */
export function cpuDelta(before: CpuByRole, after: CpuByRole): CpuByRole {
  const out: Record<string, number> = {};
  for (const [r, s] of Object.entries(after)) out[r] = s - (before[r] ?? 0);
  return out;
}

/** "app 1.23 + cometbft 0.80 = 2.03 ms of CPU per tx" for `txs` transactions. */
export function formatCpuPerTx(cpu: CpuByRole, txs: number): string {
  const roles = Object.entries(cpu).filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]);
  const total = roles.reduce((t, [, s]) => t + s, 0);
  const ms = (s: number): string => ((s / Math.max(1, txs)) * 1000).toFixed(2);
  return `${roles.map(([r, s]) => `${r} ${ms(s)}`).join(" + ")} = ${ms(total)} ms of CPU per tx`;
}
