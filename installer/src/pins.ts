// Turns the pins of installer/src/versions.ts into the checks a download must pass: the pin first, then the
// mirror's checksum file. TRUSTNET_PINS_FILE (sha256sum format: `<hex>  <file name>`, 64 hex digits for sha256,
// 128 for sha512) replaces pins for mirrors that serve their own builds, e.g. the test suite's; every use is
// logged. TRUSTNET_REQUIRE_PINS=1 turns a missing pin from a warning into an error.
import { readFileSync } from "node:fs";
import { ChecksumError, type DigestCheck } from "./errors.ts";
import { PINS } from "./versions.ts";

export interface PinContext {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
}

/** Parses a TRUSTNET_PINS_FILE; a line that is not `<hex>  <name>` is an error (a typo must not drop a pin). */
export function parsePinsFile(text: string, path: string): ReadonlyMap<string, DigestCheck> {
  const out = new Map<string, DigestCheck>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([0-9a-fA-F]{64}|[0-9a-fA-F]{128})\s+\*?(\S+)$/.exec(line);
    if (m === null) throw new ChecksumError(path, `${path}:${i + 1} is not '<sha256 or sha512 hex>  <file name>': ${JSON.stringify(line)}`, "fix TRUSTNET_PINS_FILE or unset it");
    const hex = m[1]!.toLowerCase();
    out.set(m[2]!, { algorithm: hex.length === 64 ? "sha256" : "sha512", hex, source: `TRUSTNET_PINS_FILE=${path}` });
  }
  return out;
}

/** The pin check for `name`, or undefined when there is none (after warning, or throwing under TRUSTNET_REQUIRE_PINS=1). */
export function pinCheck(name: string, mirrorSource: string, ctx: PinContext = {}): DigestCheck | undefined {
  const env = ctx.env ?? process.env;
  const log = ctx.log ?? ((l: string): void => void process.stderr.write(`${l}\n`));
  const file = env.TRUSTNET_PINS_FILE;
  if (file !== undefined && file !== "") {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new ChecksumError(file, `cannot read TRUSTNET_PINS_FILE=${file}: ${(err as Error).message}`, "fix or unset TRUSTNET_PINS_FILE");
    }
    const o = parsePinsFile(text, file).get(name);
    if (o !== undefined) {
      log(`    warning: the pin for ${name} comes from TRUSTNET_PINS_FILE=${file}, not installer/src/versions.ts`);
      return o;
    }
  }
  const pin = PINS[name];
  if (pin !== undefined && pin !== null) {
    return { algorithm: pin.algorithm, hex: pin.hex, source: `pinned in installer/src/versions.ts, as published in ${pin.publishedIn}` };
  }
  const why = pin === null ? "no published hash has been pinned for it yet" : "it is not the pinned version";
  if (env.TRUSTNET_REQUIRE_PINS === "1") {
    throw new ChecksumError(name, `no pinned hash for ${name} in installer/src/versions.ts (${why}); refusing it because TRUSTNET_REQUIRE_PINS=1`, "add the published hash to installer/src/versions.ts or TRUSTNET_PINS_FILE, or unset TRUSTNET_REQUIRE_PINS");
  }
  log(`    warning: no pinned hash for ${name} in installer/src/versions.ts (${why}); only ${mirrorSource} checks it, which catches corruption but not a tampered mirror`);
  return undefined;
}

/** The checks for a download: the pin (when there is one) and the mirror's digest. */
export function checksFor(name: string, mirror: DigestCheck, ctx: PinContext = {}): DigestCheck[] {
  const pin = pinCheck(name, mirror.source, ctx);
  return pin === undefined ? [mirror] : [pin, mirror];
}
