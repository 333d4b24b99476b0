/** A download progress bar on stderr: redrawn in place on a terminal, a start and an end line otherwise. */
export interface Progress {
  readonly update: (received: number) => void;
  readonly done: () => void;
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

export function startProgress(label: string, total: number | undefined, sink: ProgressSink | undefined = process.stderr): Progress {
  if (sink === undefined) return { update: () => undefined, done: () => undefined };
  const tty = sink.isTTY === true;
  let last = -1;
  let received = 0;
  if (!tty) sink.write(`${label} (${total === undefined ? "size unknown" : `${mb(total)} MB`})\n`);
  return {
    update: (n: number): void => {
      received = n;
      if (!tty) return;
      const pct = total ? Math.floor((n / total) * 100) : Math.floor(n / 1048576);
      if (pct === last) return;
      last = pct;
      sink.write(`\r${renderBar(label, n, total)}`);
    },
    done: (): void => {
      sink.write(tty ? `\r${renderBar(label, received, total)}\n` : `${label}: ${mb(received)} MB received\n`);
    },
  };
}
