import { ErrInvalidEndpoint, ErrInvalidName, ErrInvalidDigest } from "./errors.ts";

const NAMESPACE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
/** Printable ASCII without the space: what an endpoint may hold (no control characters, no confusable Unicode). */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
/** Printable ASCII (parameters may hold a quoted space). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MAX_ENDPOINT_CHARS = 256;
const MAX_MEDIA_TYPE_CHARS = 255;

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

/** `type/subtype`, optionally followed by `;` parameters; at most 255 printable ASCII chars in all (it is stored in every record). */
export function validateMediaType(mt: string): void {
  if (mt.length > MAX_MEDIA_TYPE_CHARS || !PRINTABLE_ASCII.test(mt) || !MEDIA_TYPE.test(mt.split(";")[0]?.trimEnd() ?? "")) {
    throw ErrInvalidName.wrap(`media type ${JSON.stringify(mt.slice(0, 140))} is not a valid type/subtype (at most ${MAX_MEDIA_TYPE_CHARS} printable ASCII chars)`);
  }
}

/**
 * A registry's endpoint: an http(s) URL of at most 256 printable ASCII chars, without user info. Spaces and control
 * characters (which the URL parser drops: "http://exa\tmple.com" is example.com), non-ASCII hosts (confusables: spell
 * them in punycode) and `user@` (`http://trusted.example@evil.example` is evil.example) would let an endpoint read as
 * another registry's than the one it names.
 */
export function validateEndpoint(e: string): void {
  if (e.length > MAX_ENDPOINT_CHARS || !VISIBLE_ASCII.test(e)) {
    throw ErrInvalidEndpoint.wrap(`endpoint ${JSON.stringify(e.slice(0, 100))} must be 1-${MAX_ENDPOINT_CHARS} printable ASCII chars without spaces (an http(s) URL)`);
  }
  let u: URL;
  try {
    u = new URL(e);
  } catch {
    throw ErrInvalidEndpoint.wrap(`endpoint ${JSON.stringify(e.slice(0, 100))} is not a URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw ErrInvalidEndpoint.wrap(`endpoint must be an http(s) URL, got ${u.protocol}`);
  if (u.username !== "" || u.password !== "" || e.slice(u.protocol.length).split("/")[2]?.includes("@")) {
    throw ErrInvalidEndpoint.wrap(`endpoint ${JSON.stringify(e.slice(0, 100))} must not carry user info (user@host)`);
  }
}
