/** A download progress bar on stderr: redrawn in place on a TTY, a line per 10% otherwise. */

export interface Progress {
  update(done: number, total: number | undefined): void;
  finish(): void;
}

const MiB = 1024 * 1024;

/** Pure rendering, for tests: "[#########...........]  45%  12.3/27.0 MiB". */
export function renderBar(done: number, total: number | undefined, width = 30): string {
  if (total === undefined || total <= 0) return `${(done / MiB).toFixed(1)} MiB`;
  const frac = Math.min(1, done / total);
  const fill = Math.round(frac * width);
  return `[${"#".repeat(fill)}${".".repeat(width - fill)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${(done / MiB).toFixed(1)}/${(total / MiB).toFixed(1)} MiB`;
}

export function stderrProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  let lastDecile = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (stream.isTTY) {
        stream.write(`\r${label} ${renderBar(done, total)}`);
        drawn = true;
        return;
      }
      const decile = total ? Math.floor((done / total) * 10) : -1;
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${label} ${renderBar(done, total)}\n`);
      }
    },
    finish() {
      if (drawn) stream.write("\n");
    },
  };
}

export const silentProgress: Progress = { update() {}, finish() {} };
