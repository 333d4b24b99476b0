import { ErrInvalidName, ErrInvalidDigest } from "./errors.ts";

const NAMESPACE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/** Stateless checks shared by the messages; every failure names the field and the rule. */
export function validateNamespace(ns: string): void {
  if (ns.length === 0 || ns.length > 64 || !NAMESPACE.test(ns)) {
    throw ErrInvalidName.wrap(`namespace ${JSON.stringify(ns.slice(0, 80))} must be 1-64 chars of [a-z0-9] separated by single . _ or -`);
  }
}

/** The repository path inside a namespace (OCI name components joined by "/"); with the namespace ≤ 255 chars. */
export function validateRepo(ns: string, repo: string): void {
  if (repo.length === 0 || ns.length + 1 + repo.length > 255 || !repo.split("/").every((c) => COMPONENT.test(c))) {
    throw ErrInvalidName.wrap(`repository ${JSON.stringify(repo.slice(0, 80))} is not a valid OCI repository path (lowercase components, at most 255 chars with the namespace)`);
  }
}

export function validateTag(tag: string): void {
  if (!TAG.test(tag)) throw ErrInvalidName.wrap(`tag ${JSON.stringify(tag.slice(0, 140))} must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`);
}

export function validateDigest(d: string): void {
  if (!DIGEST.test(d)) throw ErrInvalidDigest.wrap(`digest ${JSON.stringify(d.slice(0, 140))} must be sha256:<64 hex> or sha512:<128 hex>`);
}

export function validateMediaType(mt: string): void {
  if (!MEDIA_TYPE.test(mt.split(";")[0]?.trim() ?? "")) throw ErrInvalidName.wrap(`media type ${JSON.stringify(mt.slice(0, 140))} is not a valid type/subtype`);
}
