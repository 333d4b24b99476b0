/** A download progress bar: redrawn in place on a terminal; nothing at all when the sink is not a TTY (logs, CI). */
export interface ProgressReporter {
  update(received: number, total: number | undefined): void;
  finish(): void;
}

export interface ProgressSink {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): unknown;
}

const mb = (n: number): string => (n / 1048576).toFixed(1);

/** Renders one bar line; exported for tests. */
export function renderBar(label: string, received: number, total: number | undefined, width = 30): string {
  if (total === undefined || total <= 0) return `${label} ${mb(received)} MB`;
  const frac = Math.min(1, received / total);
  const full = Math.round(frac * width);
  return `${label} [${"#".repeat(full)}${" ".repeat(width - full)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${mb(received)}/${mb(total)} MB`;
}

export const silentProgress: ProgressReporter = { update: () => undefined, finish: () => undefined };

/** A bar on `sink` when it is a terminal, redrawn once per percent (per MB when the size is unknown). */
export function ttyProgress(label: string, sink: ProgressSink | undefined = process.stderr): ProgressReporter {
  if (sink?.isTTY !== true) return silentProgress;
  let last = -1;
  let drawn = false;
  let received = 0;
  let size: number | undefined;
  return {
    update: (n: number, total: number | undefined): void => {
      received = n;
      size = total;
      const step = total ? Math.floor((n / total) * 100) : Math.floor(n / 1048576);
      if (step === last) return;
      last = step;
      drawn = true;
      sink.write(`\r${renderBar(label, n, total)}`);
    },
    finish: (): void => {
      if (drawn) sink.write(`\r${renderBar(label, received, size)}\n`);
    },
  };
}
