// Persistent shell history in `<home>/shell_history` (0600), newest last, capped.
import { appendFile, chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export const HISTORY_LIMIT = 1000;

export function historyPath(home: string): string {
  return join(home, "shell_history");
}

/** Lines oldest first; missing file → empty. */
export async function loadHistory(path: string): Promise<string[]> {
  try {
    return (await readFile(path, "utf8")).split("\n").filter((l) => l.trim() !== "").slice(-HISTORY_LIMIT);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

/** Whether a line goes to history: not blank, not starting with a space (like bash's ignorespace). */
export function shouldRecord(line: string, previous: string | undefined): boolean {
  return line.trim() !== "" && !/^\s/u.test(line) && line !== previous;
}

export async function appendHistory(path: string, line: string, current: readonly string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  if (current.length >= HISTORY_LIMIT * 2) {
    await writeFile(path, [...current.slice(-HISTORY_LIMIT), line].join("\n") + "\n", { mode: 0o600 });
  } else {
    await appendFile(path, line + "\n", { mode: 0o600 });
  }
  await chmod(path, 0o600);
}
