import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { RegistryError, StartupError } from "../errors.ts";
import { writePrivateFile } from "./secret.ts";

/** Addresses with a live cut-off the registry keeps; beyond, a revocation is refused (429), never an old one dropped. */
export const MAX_CUTOFFS = 100_000;
const FILE = "login-cutoffs.json";
const HINT = "it lists the revoked logins of each address; fix it, or remove it (revoked login tokens then work again until they expire)";

/**
 * Per-address login cut-offs (`registry logout`): every login token of the address with `iat` at or before the
 * cut-off (unix seconds) is refused, and every bearer token issued from such a login. Kept in
 * <dataDir>/auth/login-cutoffs.json (`{"v":1,"cutoffs":{"trust1…":s}}`, 0600, written atomically) when `dataDir` is
 * set; in memory only otherwise. An entry older than `horizonSeconds` (the longest a login and a bearer token made from
 * it can live, skew included) can no longer refuse anything and is dropped on the next write.
 */
export class LoginCutoffs {
  readonly #dir: string | undefined;
  readonly #horizon: number;
  #cutoffs: ReadonlyMap<string, number>;
  #writing: Promise<unknown> = Promise.resolve();

  private constructor(dir: string | undefined, horizonSeconds: number, cutoffs: ReadonlyMap<string, number>) {
    this.#dir = dir;
    this.#horizon = horizonSeconds;
    this.#cutoffs = cutoffs;
  }

  /** Loads the file under <dataDir>/auth (none: no cut-off); a file that is not what this registry writes stops the start. */
  static async load(dataDir: string | undefined, horizonSeconds: number): Promise<LoginCutoffs> {
    if (dataDir === undefined) return new LoginCutoffs(undefined, horizonSeconds, new Map());
    const dir = join(dataDir, "auth");
    const file = join(dir, FILE);
    let text: string;
    try {
      const h = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        if (!(await h.stat()).isFile()) throw new StartupError(`${file} is not a regular file`, { hint: HINT });
        text = await h.readFile("utf8");
      } finally {
        await h.close();
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "ENOENT") return new LoginCutoffs(dir, horizonSeconds, new Map());
      if (code === "ELOOP") throw new StartupError(`${file} is a symbolic link`, { hint: HINT, cause: err });
      throw err;
    }
    return new LoginCutoffs(dir, horizonSeconds, parseCutoffs(text, file));
  }

  /** The cut-off of `address` (unix s), if it has one. */
  of(address: string): number | undefined {
    return this.#cutoffs.get(address);
  }

  /**
   * Moves the cut-off of `address` to `through` (never back) and persists it before it takes effect: when the write
   * fails, nothing changed. Revocations are written one at a time. Returns the cut-off in force.
   */
  revoke(address: string, through: number, nowSeconds: number): Promise<number> {
    const run = this.#writing.then(async () => {
      const next = new Map([...this.#cutoffs].filter(([, s]) => s + this.#horizon >= nowSeconds));
      const cutoff = Math.max(through, next.get(address) ?? 0);
      next.set(address, cutoff);
      if (next.size > MAX_CUTOFFS) throw new RegistryError("TOO_MANY_REQUESTS", `this registry already holds ${MAX_CUTOFFS} login revocations of the last ${this.#horizon} s; try again later`);
      if (this.#dir !== undefined) await writePrivateFile(this.#dir, FILE, Buffer.from(JSON.stringify({ v: 1, cutoffs: Object.fromEntries(next) })));
      this.#cutoffs = next;
      return cutoff;
    });
    this.#writing = run.catch(() => undefined);
    return run;
  }
}

function parseCutoffs(text: string, file: string): Map<string, number> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StartupError(`${file} is corrupt: not JSON (${(err as Error).message})`, { hint: HINT });
  }
  const d = doc as { v?: unknown; cutoffs?: unknown } | null;
  if (d === null || typeof d !== "object" || d.v !== 1 || d.cutoffs === null || typeof d.cutoffs !== "object" || Array.isArray(d.cutoffs)) {
    throw new StartupError(`${file} is corrupt: expected {"v":1,"cutoffs":{"trust1…":<unix seconds>}}`, { hint: HINT });
  }
  const out = new Map<string, number>();
  for (const [address, s] of Object.entries(d.cutoffs)) {
    if (!/^trust1[02-9ac-hj-np-z]{38,58}$/.test(address) || !Number.isSafeInteger(s) || (s as number) < 0) {
      throw new StartupError(`${file} is corrupt: entry ${JSON.stringify(address).slice(0, 80)} is not a trust1… address with a cut-off in unix seconds`, { hint: HINT });
    }
    out.set(address, s as number);
  }
  return out;
}
