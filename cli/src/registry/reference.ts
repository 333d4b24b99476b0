import { UsageError } from "../errors.ts";

export const DEFAULT_REGISTRY = "127.0.0.1:8000";
export const DEFAULT_NAMESPACE = "library";

/** A parsed image reference: [registry/]namespace/repo[:tag|@digest]; a one-component name is in the default namespace. */
export interface ImageRef {
  readonly registry: string;
  readonly namespace: string;
  readonly repo: string;
  readonly tag: string;
}

export function parseRef(input: string, defaults: { registry?: string; namespace?: string } = {}): ImageRef {
  if (input.length === 0 || input.length > 512 || /\s/.test(input)) throw new UsageError(`invalid image reference ${JSON.stringify(input.slice(0, 100))}`);
  let rest = input;
  let registry = defaults.registry ?? DEFAULT_REGISTRY;
  const first = rest.split("/")[0] ?? "";
  if (rest.includes("/") && (first.includes(":") || first.includes(".") || first === "localhost")) {
    registry = first;
    rest = rest.slice(first.length + 1);
  }
  let tag = "latest";
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split("/");
  const namespace = parts.length > 1 ? (parts[0] ?? "") : (defaults.namespace ?? DEFAULT_NAMESPACE);
  const repo = parts.length > 1 ? parts.slice(1).join("/") : (parts[0] ?? "");
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(namespace) || !/^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/.test(repo)) {
    throw new UsageError(`invalid image reference ${JSON.stringify(input)}: expected [registry/]namespace/repo[:tag] in lowercase`);
  }
  if (!/^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/.test(tag)) throw new UsageError(`invalid tag ${JSON.stringify(tag)}`);
  return { registry, namespace, repo, tag };
}
