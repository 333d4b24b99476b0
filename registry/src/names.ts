import { validateRegistryNamespace, validateRegistryRepo } from "@trustnet/abci-app";
import { RegistryError } from "./errors.ts";
import { looksLikeDigest, parseDigest, type ParsedDigest } from "./digest.ts";

const COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const NAME = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
export const MAX_NAME_LENGTH = 255;

/** Validates a repository name against the distribution-spec grammar (no `..`, no uppercase, ≤ 255 chars). */
export function validateName(name: string): string {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || !NAME.test(name)) {
    throw new RegistryError("NAME_INVALID", `invalid repository name: ${JSON.stringify(name.slice(0, 300))}`, name.slice(0, 300));
  }
  return name;
}

export function validateTag(tag: string): string {
  if (!TAG.test(tag)) throw new RegistryError("TAG_INVALID", `invalid tag: ${JSON.stringify(tag.slice(0, 200))}`, tag.slice(0, 200));
  return tag;
}

export type Reference = { readonly kind: "tag"; readonly tag: string } | { readonly kind: "digest"; readonly digest: ParsedDigest };

/** A manifest reference is either a tag or a digest, nothing else. */
export function parseReference(ref: string): Reference {
  if (looksLikeDigest(ref)) return { kind: "digest", digest: parseDigest(ref) };
  return { kind: "tag", tag: validateTag(ref) };
}

export interface NamespacedName {
  readonly namespace: string;
  readonly repo: string;
}

/**
 * Splits `<namespace>/<repo...>`. A single-component name (`app`) belongs to `defaultNamespace`
 * for authorization and chain records; it is stored and served under its own name.
 */
export function splitNamespace(name: string, defaultNamespace: string): NamespacedName {
  const slash = name.indexOf("/");
  if (slash < 0) return { namespace: defaultNamespace, repo: name };
  return { namespace: name.slice(0, slash), repo: name.slice(slash + 1) };
}

/**
 * The one repository a name stands for. `<defaultNamespace>/<repo>` (one level: `library/app`) is another name for the
 * single-component `app`, whose chain record it shares (`splitNamespace` gives both (`library`, `app`)): so both are
 * stored, served, authorised and recorded as `app`, and `trustnet registry verify app:1` checks what `docker pull
 * <registry>/app:1` gets. Deeper names (`library/a/b`) are their own.
 */
export function canonicalName(name: string, defaultNamespace: string): string {
  const prefix = `${defaultNamespace}/`;
  if (!name.startsWith(prefix)) return name;
  const rest = name.slice(prefix.length);
  return rest.length > 0 && !rest.includes("/") ? rest : name;
}

/**
 * The chain record a pushed name stands for, checked against the chain's own rules (the registry module's
 * namespace grammar: 1-64 chars of [a-z0-9] separated by single `.`, `_` or `-`; the record `<namespace>/<repo>` at
 * most 255 chars), so that a name the chain would refuse is NAME_INVALID at once, never a retryable error.
 */
export function validateChainName(name: string, defaultNamespace: string): NamespacedName {
  const n = splitNamespace(name, defaultNamespace);
  try {
    validateRegistryNamespace(n.namespace);
    validateRegistryRepo(n.namespace, n.repo);
  } catch (err) {
    throw new RegistryError("NAME_INVALID", `invalid repository name ${JSON.stringify(name.slice(0, 300))}: ${(err as Error).message}`, name.slice(0, 300));
  }
  return n;
}
