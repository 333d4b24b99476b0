// `trustnet … | head -1`: the reader of stdout exits once it has what it wants, and the CLI's next write fails with
// EPIPE (Node ignores SIGPIPE), which crashed with "Unhandled 'error' event … write EPIPE" and a stack trace.
// Coreutils-style tools end quietly then; so does the CLI, for every command (the launcher installs this first).

/** From now on, `stream` (stdout) failing with EPIPE ends the process at once, quietly, with exit 0; other errors still throw. */
export function exitQuietlyWhenReaderCloses(stream: NodeJS.WritableStream = process.stdout, exit: (code: number) => void = process.exit): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    exit(0);
  });
}
