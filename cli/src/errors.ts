/** A failure the user can act on: `message` says what went wrong, `hint` what to do about it. */
export class CliError extends Error {
  override readonly name: string = "CliError";
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Bad flags or arguments (exit code 2, as yargs uses). */
export class UsageError extends CliError {
  override readonly name: string = "UsageError";
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? { exitCode: 2 } : { hint, exitCode: 2 });
  }
}

/**
 * Not a failure: `--generate-only` printed the unsigned tx and the command stops there, before anything is signed or
 * sent (main answers exit 0 and prints nothing more).
 */
export class TxGenerated extends Error {
  override readonly name: string = "TxGenerated";
  constructor() {
    super("the unsigned transaction was printed (--generate-only)");
  }
}
