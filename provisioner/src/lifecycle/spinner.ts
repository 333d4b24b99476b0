/** A phase spinner on stderr ("⠋ trustnet-node: waiting for SSH (12s)"); plain lines when not a TTY. */

export interface Spinner {
  phase(text: string): void;
  stop(final?: string): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function makeSpinner(label: string, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Spinner {
  const start = now();
  let text = "";
  let i = 0;
  const draw = (): void => {
    stream.write(`\r\x1b[2K${FRAMES[i++ % FRAMES.length] ?? ""} ${label}: ${text} (${Math.round((now() - start) / 1000)}s)`);
  };
  const timer = stream.isTTY ? setInterval(draw, 100) : undefined;
  timer?.unref();
  return {
    phase(t) {
      text = t;
      if (stream.isTTY) draw();
      else stream.write(`${label}: ${t}\n`);
    },
    stop(final) {
      if (timer !== undefined) clearInterval(timer);
      if (stream.isTTY) stream.write("\r\x1b[2K");
      if (final !== undefined) stream.write(`${label}: ${final}\n`);
    },
  };
}

export const silentSpinner: Spinner = { phase() {}, stop() {} };
