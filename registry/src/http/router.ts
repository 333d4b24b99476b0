/** Pure routing of the raw (undecoded) request path. Parameters are validated by the handlers. */
export type Route =
  | { readonly kind: "base" }
  | { readonly kind: "catalog" }
  | { readonly kind: "token" }
  | { readonly kind: "revoke" }
  | { readonly kind: "health" }
  | { readonly kind: "uploads"; readonly name: string }
  | { readonly kind: "upload"; readonly name: string; readonly id: string }
  | { readonly kind: "blob"; readonly name: string; readonly digest: string }
  | { readonly kind: "manifest"; readonly name: string; readonly reference: string }
  | { readonly kind: "tags"; readonly name: string }
  | { readonly kind: "referrers"; readonly name: string; readonly digest: string }
  | { readonly kind: "none" };

const RULES: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => Route]> = [
  [/^\/v2\/?$/, () => ({ kind: "base" })],
  [/^\/v2\/_catalog$/, () => ({ kind: "catalog" })],
  [/^\/token$/, () => ({ kind: "token" })],
  [/^\/auth\/revoke$/, () => ({ kind: "revoke" })],
  [/^\/health$/, () => ({ kind: "health" })],
  [/^\/v2\/(.+)\/blobs\/uploads\/?$/, (m) => ({ kind: "uploads", name: m[1] as string })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (m) => ({ kind: "upload", name: m[1] as string, id: m[2] as string })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (m) => ({ kind: "blob", name: m[1] as string, digest: m[2] as string })],
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, (m) => ({ kind: "manifest", name: m[1] as string, reference: m[2] as string })],
  [/^\/v2\/(.+)\/tags\/list$/, (m) => ({ kind: "tags", name: m[1] as string })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (m) => ({ kind: "referrers", name: m[1] as string, digest: m[2] as string })],
];

/** Percent-decodes one captured parameter (after splitting, so an encoded `/` cannot change the route). */
function decode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p; // stays invalid and fails validation
  }
}

export function route(path: string): Route {
  for (const [re, make] of RULES) {
    const m = re.exec(path);
    if (m) return make(Object.assign([...m].map((v) => (v === undefined ? v : decode(v))), { index: m.index, input: m.input }) as RegExpExecArray);
  }
  return { kind: "none" };
}
