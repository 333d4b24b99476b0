/** Host port checks before QEMU starts (QEMU's own error for a taken hostfwd port names no process). */
import { createServer } from "node:net";
import { InvalidConfigError, PortInUseError } from "../errors.ts";
import type { PortForward } from "../qemu/types.ts";
import { portHolder } from "./proc.ts";

export async function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** Throws PortInUseError naming the holder for the first taken port. */
export async function ensurePortsFree(ports: readonly { readonly port: number; readonly flag: string }[]): Promise<void> {
  for (const p of ports) {
    if (!(await portFree(p.port))) throw new PortInUseError(p.port, await portHolder(p.port), p.flag);
  }
}

/** A free ephemeral port on 127.0.0.1 (for tests and automatic choices). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The host ports a VM takes on 127.0.0.1: its SSH forward and its other forwards (26657, 8000). */
export interface PortUse {
  readonly vm: string;
  readonly sshPort: number;
  readonly forwards: readonly PortForward[];
}

/**
 * Refuses a plan in which two VMs (or one VM's SSH and a forward) would take one host port, or a port past 65535
 * (validator-N's is the validator sshPort + N - 2): QEMU would fail only at start, after the VMs were created.
 * `taken`: the ports of the VMs that exist already (their records).
 */
export function checkPortPlan(planned: readonly PortUse[], taken: readonly PortUse[] = []): void {
  const uses = (u: PortUse): [number, string][] => [[u.sshPort, `${u.vm}'s SSH`], ...u.forwards.map((f): [number, string] => [f.hostPort, `${u.vm}'s forward to guest port ${f.guestPort}`])];
  const owner = new Map<number, string>();
  for (const [port, what] of taken.flatMap(uses)) if (!owner.has(port)) owner.set(port, what);
  const hint = "give each VM its own ports: --ssh-port, and sshPort / forwardRpc / forwardRegistry in config/vm.json";
  for (const [port, what] of planned.flatMap(uses)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidConfigError(`${what} would be host port ${port}, outside 1-65535`, hint);
    const prior = owner.get(port);
    if (prior !== undefined) throw new InvalidConfigError(`host port ${port} is planned twice: ${prior} and ${what}`, hint);
    owner.set(port, what);
  }
}
