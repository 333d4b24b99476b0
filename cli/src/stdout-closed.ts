// `trustnet … | head -1`: the reader of stdout exits once it has what it wants, and the CLI's next write fails with
// EPIPE (Node ignores SIGPIPE), which crashed with "Unhandled 'error' event … write EPIPE" and a stack trace.
// Coreutils-style tools end quietly then; so does the CLI, for every command (the launcher installs this first).
// Stderr carries only notes, warnings and errors: its reader going away (`trustnet … 2>&1 | head -1`) crashed the CLI
// at its next note, exit 1, its result unprinted (and a foreground `node start` crashing so could leave CometBFT and
// the app running: they lead their own process groups). Those notes are dropped instead; the command goes on, and
// its result and exit code stay what they are.

/** From now on, `stream` (stdout) failing with EPIPE ends the process at once, quietly, with exit 0; other errors still throw. */
export function exitQuietlyWhenReaderCloses(stream: NodeJS.WritableStream = process.stdout, exit: (code: number) => void = process.exit): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    exit(0);
  });
}

/** From now on, `stream` (stderr) failing with EPIPE drops what was written (notes, logs) and the command goes on. */
export function dropNotesWhenReaderCloses(stream: NodeJS.WritableStream = process.stderr): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
}
