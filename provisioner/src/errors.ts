/** Typed errors of the provisioner. Every message says what went wrong; `hint` says what to do about it. */
export class ProvisionError extends Error {
  override readonly name: string = "ProvisionError";
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.hint = hint;
  }
}

/** qemu-system-<arch>, qemu-img, the UEFI firmware or an ISO tool is missing. */
export class MissingDependencyError extends ProvisionError {
  override readonly name: string = "MissingDependencyError";
  readonly what: string;
  constructor(what: string, message: string, hint: string) {
    super(message, hint);
    this.what = what;
  }
}

/** Bad configuration or flags (sizes, names, counts, ports). Nothing was changed. */
export class InvalidConfigError extends ProvisionError {
  override readonly name: string = "InvalidConfigError";
}

/**
 * The host copy of the VMs' chain was made by a TrustNet of another state format (cli/src/state-format.ts): VMs
 * created now would run an app that refuses it. Nothing was created or changed. The CLI exits 3 on it, as on a
 * refused devnet or node home.
 */
export class IncompatibleChainError extends InvalidConfigError {
  override readonly name: string = "IncompatibleChainError";
}

/** A download's digest does not match the published checksum; the file was deleted. */
export class ChecksumMismatchError extends ProvisionError {
  override readonly name: string = "ChecksumMismatchError";
  readonly file: string;
  readonly expected: string;
  readonly actual: string;
  constructor(file: string, algorithm: string, expected: string, actual: string, message?: string) {
    super(
      message ?? `checksum mismatch for ${file}: expected ${algorithm}:${expected}, got ${algorithm}:${actual}; the download was deleted`,
      "run the command again to download it afresh; if it keeps failing, the mirror serves a corrupted file (try --mirror)",
    );
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/** An HTTP download failed (status, connection lost). A partial file is kept for resuming. */
export class DownloadError extends ProvisionError {
  override readonly name: string = "DownloadError";
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: unknown }, hint = "run the command again: the download resumes where it stopped") {
    super(`download of ${url} failed: ${message}`, hint, options);
    this.url = url;
  }
}

/** A host port the VM needs is already taken. */
export class PortInUseError extends ProvisionError {
  override readonly name: string = "PortInUseError";
  readonly port: number;
  readonly holder: string | undefined;
  constructor(port: number, holder: string | undefined, flag: string) {
    super(
      `port 127.0.0.1:${port} is already in use${holder ? ` by ${holder}` : ""}`,
      `stop that process, or choose another port with ${flag}`,
    );
    this.port = port;
    this.holder = holder;
  }
}

/** A VM is in the wrong state for the request (running, missing, already exists). */
export class VmStateError extends ProvisionError {
  override readonly name: string = "VmStateError";
  readonly vm: string;
  constructor(vm: string, message: string, hint?: string) {
    super(message, hint);
    this.vm = vm;
  }
}

/** Another `trustnet vm` command holds the lock. */
export class LockedError extends ProvisionError {
  override readonly name: string = "LockedError";
  readonly holderPid: number;
  constructor(lockFile: string, holderPid: number, what = "another 'trustnet vm' command") {
    super(`${what} (pid ${holderPid}) is running (lock ${lockFile})`, "wait for it to finish, then try again");
    this.holderPid = holderPid;
  }
}

/** A VM did not become ready in time; `serialTail` holds the last lines of its serial console. */
export class VmTimeoutError extends ProvisionError {
  override readonly name: string = "VmTimeoutError";
  readonly phase: string;
  readonly serialTail: string;
  constructor(vm: string, phase: string, seconds: number, serialTail: string, cause?: unknown) {
    super(
      `VM ${vm} did not become ready within ${seconds}s (stuck at: ${phase})\n--- last serial console lines ---\n${serialTail}`,
      "check the serial log with 'trustnet vm logs <name>'; slow hosts (TCG emulation) may need a longer --timeout",
      { cause },
    );
    this.phase = phase;
    this.serialTail = serialTail;
  }
}

/** An external command failed (qemu-img, xorriso, gpgv...). */
export class CommandFailedError extends ProvisionError {
  override readonly name: string = "CommandFailedError";
  readonly command: string;
  readonly exitCode: number | undefined;
  readonly stderr: string;
  constructor(command: string, exitCode: number | undefined, stderr: string) {
    super(`${command} failed (exit ${exitCode ?? "?"}): ${stderr.trim().split("\n").slice(-5).join("\n")}`);
    this.command = command;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** A command that writes into a state directory was run by another user than its owner (sudo, as root). Nothing was changed. */
export class NotOwnerError extends ProvisionError {
  override readonly name: string = "NotOwnerError";
}
