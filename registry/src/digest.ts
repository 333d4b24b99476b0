import { createHash, type Hash } from "node:crypto";
import { RegistryError } from "./errors.ts";

export type DigestAlgorithm = "sha256" | "sha512";

export interface ParsedDigest {
  readonly algorithm: DigestAlgorithm;
  readonly hex: string;
  /** `<algorithm>:<hex>` */
  readonly value: string;
}

const HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { sha256: 64, sha512: 128 };
const DIGEST_SHAPE = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

/** Parses and validates an OCI digest; only sha256 and sha512 with lowercase hex are accepted. */
export function parseDigest(input: string): ParsedDigest {
  const m = DIGEST_SHAPE.exec(input);
  if (!m) throw new RegistryError("DIGEST_INVALID", `malformed digest: ${JSON.stringify(input.slice(0, 200))}`, input.slice(0, 200));
  const algorithm = m[1] as string;
  const hex = m[2] as string;
  if (algorithm !== "sha256" && algorithm !== "sha512") {
    throw new RegistryError("DIGEST_INVALID", `unsupported digest algorithm: ${algorithm}`, input.slice(0, 200));
  }
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex)) {
    throw new RegistryError("DIGEST_INVALID", `malformed ${algorithm} digest: ${JSON.stringify(input.slice(0, 200))}`, input.slice(0, 200));
  }
  return { algorithm, hex, value: `${algorithm}:${hex}` };
}

/** True when `input` looks like a digest (has an algorithm prefix), whether or not it is valid. */
export function looksLikeDigest(input: string): boolean {
  return input.includes(":");
}

export function newHash(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}
