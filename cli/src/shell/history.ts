// Persistent shell history in `<home>/shell_history` (0600), newest last, capped.
import { constants } from "node:fs";
import { mkdir, open, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";

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

/**
 * Appends `line`, or, once the file holds twice the cap, rewrites it whole with the newest HISTORY_LIMIT lines
 * (writeFileAtomic). Neither follows a symbolic link at `path`: the append opens with O_NOFOLLOW (ELOOP, and the
 * shell records nothing), the rewrite replaces the link. The file is 0600 either way.
 */
export async function appendHistory(path: string, line: string, current: readonly string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  if (current.length >= HISTORY_LIMIT * 2) {
    await writeFileAtomic(path, [...current.slice(-HISTORY_LIMIT), line].join("\n") + "\n", "replace");
    return;
  }
  const h = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    await h.chmod(0o600);
    await h.appendFile(line + "\n");
  } finally {
    await h.close();
  }
}
