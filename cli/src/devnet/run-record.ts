// Which processes a devnet runs, recorded OUTSIDE its home, so that `devnet down` finds them even when the home was
// deleted under a running devnet. One file per home, in a per-user run directory:
//   $XDG_RUNTIME_DIR/trustnet/devnet-<sha256(home)[:16]>.json, else <tmpdir>/trustnet-<uid>/devnet-….json
// (a record written with $XDG_RUNTIME_DIR is also found from a shell without it, under /run/user/<uid>).
// The directory is created 0700 and must be owned by this user (a directory planted by someone else in /tmp is
// refused). Each process is recorded with its PID and its command line; a PID is only ever signalled when the live
// process's command line still equals the recorded one, so a PID reused by another program is never killed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeFileAtomicSync } from "@trustnet/installer";
import { CliError } from "../errors.ts";
import { childEnv } from "../child-env.ts";

export interface RecordedProcess {
  readonly role: string;
  readonly pid: number;
  /** argv joined with single spaces, as /proc/<pid>/cmdline (or `ps -o command=`) shows it. */
  readonly cmdline: string;
}

export interface RunRecord {
  readonly home: string;
  readonly supervisor: RecordedProcess;
  /** The supervisor's children (apps, CometBFT nodes, registry) as last started. */
  readonly processes: readonly RecordedProcess[];
}

const recordName = (home: string): string => `devnet-${createHash("sha256").update(resolve(home)).digest("hex").slice(0, 16)}.json`;

/** Where run records may live: $XDG_RUNTIME_DIR/trustnet (when set), and <tmpdir>/trustnet-<uid>. */
function candidateDirs(env: NodeJS.ProcessEnv): string[] {
  const tmp = join(tmpdir(), `trustnet-${process.getuid?.() ?? 0}`);
  return env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, "trustnet"), tmp] : [tmp];
}

/** Throws unless `dir` is a directory of this user that nobody else can write or read. */
function assertPrivate(dir: string): void {
  const st = lstatSync(dir);
  if (!st.isDirectory() || (process.getuid !== undefined && st.uid !== process.getuid()) || (st.mode & 0o077) !== 0) {
    throw new CliError(`the devnet run directory ${dir} is not a private directory of this user (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)}); refusing to trust its PID records`, {
      hint: `remove it (or set XDG_RUNTIME_DIR to a private directory) and start the devnet again`,
    });
  }
}

/** The per-user directory run records are written to (created 0700; refused when owned by another user or open to others). */
export function runRecordDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = candidateDirs(env)[0] ?? join(tmpdir(), "trustnet");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  assertPrivate(dir);
  return dir;
}

/** Where the record of `home` is written. */
export function runRecordPath(home: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(runRecordDir(env), recordName(home));
}

/** Existing records of `home` (a shell without $XDG_RUNTIME_DIR still finds one written with it, and vice versa). */
function existingRecordPaths(home: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [...new Set([...candidateDirs(env), ...(env.XDG_RUNTIME_DIR ? [] : [join("/run/user", String(process.getuid?.() ?? 0), "trustnet")])])];
  return dirs.filter((d) => {
    try {
      assertPrivate(d);
      return true;
    } catch {
      return false;
    }
  }).map((d) => join(d, recordName(home)));
}

/** Writes the record (0600) through an exclusive temp file of a random name: nothing planted at a temp path is followed. */
export function writeRunRecord(rec: RunRecord): void {
  writeFileAtomicSync(runRecordPath(rec.home), JSON.stringify({ ...rec, home: resolve(rec.home) }, null, 2), "replace");
}

function isProc(v: unknown): v is RecordedProcess {
  const p = v as RecordedProcess;
  return typeof p === "object" && p !== null && typeof p.role === "string" && Number.isSafeInteger(p.pid) && p.pid > 1 && typeof p.cmdline === "string" && p.cmdline !== "";
}

/** The record of this home, or undefined (missing, or not a record written for this home). */
export function readRunRecord(home: string): RunRecord | undefined {
  for (const path of existingRecordPaths(home)) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, "utf8"));
    } catch {
      continue;
    }
    const r = doc as RunRecord;
    if (typeof r !== "object" || r === null || r.home !== resolve(home) || !isProc(r.supervisor) || !Array.isArray(r.processes)) continue;
    return { home: r.home, supervisor: r.supervisor, processes: r.processes.filter(isProc) };
  }
  return undefined;
}

export function removeRunRecord(home: string): void {
  for (const path of existingRecordPaths(home)) rmSync(path, { force: true });
}

/** The command line of a live process (Linux: /proc; elsewhere `ps`), or undefined when it is gone. */
export function liveCmdline(pid: number): string | undefined {
  if (process.platform === "linux") {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    } catch {
      return undefined;
    }
  }
  try {
    return execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env: childEnv() }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** True when the recorded process is still running the recorded command line (not a reused PID). */
export function stillRunning(p: RecordedProcess): boolean {
  return liveCmdline(p.pid) === p.cmdline;
}

/** A child's command line as recorded: its argv joined with spaces. */
export function cmdlineOf(argv: readonly string[]): string {
  return argv.filter((a) => a !== "").join(" ");
}
