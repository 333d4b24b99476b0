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

/**
 * Spinners for VMs waited on in parallel: one status line on a TTY ("⠋ trustnet-node: cloud-init | trustnet-registry: SSH"),
 * so concurrent waits do not overwrite each other; plain lines otherwise.
 */
export function makeSpinnerGroup(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): (label: string) => Spinner {
  if (!stream.isTTY) return (label) => makeSpinner(label, stream, now);
  const phases = new Map<string, string>();
  const start = now();
  let i = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    const line = [...phases].map(([l, p]) => `${l}: ${p}`).join(" | ");
    stream.write(`\r\x1b[2K${FRAMES[i++ % FRAMES.length] ?? ""} ${line} (${Math.round((now() - start) / 1000)}s)`);
  };
  return (label) => {
    if (timer === undefined) {
      timer = setInterval(draw, 100);
      timer.unref();
    }
    return {
      phase(t) {
        phases.set(label, t);
        draw();
      },
      stop(final) {
        phases.delete(label);
        stream.write("\r\x1b[2K");
        if (final !== undefined) stream.write(`${label}: ${final}\n`);
        if (phases.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        } else draw();
      },
    };
  };
}
