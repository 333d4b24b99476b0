/** Host port checks before QEMU starts (QEMU's own error for a taken hostfwd port names no process). */
import { createServer } from "node:net";
import { PortInUseError } from "../errors.ts";
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
