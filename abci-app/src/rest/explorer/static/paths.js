// The explorer's page paths, as pure functions (no DOM): where a search leads, and the href of a page named by
// chain data. Shared by app.js (in the browser) and paths.spec.ts (in Node).

/** Nothing the explorer looks up is longer (a tag reference is at most 64 + 1 + 255 + 1 + 128 characters). */
export const MAX_SEARCH_CHARS = 512;
const MAX_HEIGHT = 9223372036854775807n; // int64, CometBFT's height type
const ADDRESS = /^trust1[02-9ac-hj-np-z]{38,58}$/;
const VALOPER = /^trustvaloper1[02-9ac-hj-np-z]{38,58}$/;
export const NAMESPACE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const REPO = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
export const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** A whole number from 1 to int64's maximum, without leading zeros; or a sentence saying why `digits` is not one. */
function positive(digits, what) {
  const n = digits.replace(/^0+(?=\d)/, "");
  if (n === "0") return { error: `${what} start at 1.` };
  if (n.length > 19 || BigInt(n) > MAX_HEIGHT) return { error: `“${digits}” is too large: ${what.toLowerCase()} go up to ${MAX_HEIGHT}.` };
  return { value: n };
}

/**
 * Where a search for `input` leads: `{ path }` of the page to show, or `{ error }` (a sentence for a not-found page)
 * when nothing the explorer shows can match it. Never a path that the browser would resolve to another page: every
 * part of the query is checked against the shape it must have before it goes into a path.
 */
export function searchTarget(input) {
  const s = String(input ?? "").trim();
  if (s === "") return { path: "/" };
  if (s.length > MAX_SEARCH_CHARS) return { error: `The search text is longer than ${MAX_SEARCH_CHARS} characters; nothing the explorer looks up is that long.` };
  if (/^\d+$/.test(s)) {
    const h = positive(s, "Block heights");
    return h.error ? h : { path: `/block/${h.value}` };
  }
  // Something a number parser would take (-5, +5, 1.5, 1e309, Infinity) is still not a height.
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(s) || /^[-+]?infinity$/i.test(s)) {
    return { error: `“${s}” is not a block height: heights are whole numbers from 1.` };
  }
  const lease = /^lease\s*#?\s*(\d+)$/i.exec(s);
  if (lease) {
    const id = positive(lease[1], "Lease ids");
    return id.error ? id : { path: `/lease/${id.value}` };
  }
  if (/^(?:0x)?[0-9A-Fa-f]{64}$/.test(s)) return { path: `/tx/${s.replace(/^0x/, "").toUpperCase()}` };
  if (s.startsWith("trustvaloper1")) return VALOPER.test(s) ? { path: `/validator/${s}` } : { error: `“${s}” is not a trustvaloper1… address.` };
  if (s.startsWith("trust1")) return ADDRESS.test(s) ? { path: `/account/${s}` } : { error: `“${s}” is not a trust1… address.` };
  const [ns, ...parts] = s.split("/");
  if (!NAMESPACE.test(ns) || ns.length > 64) {
    return { error: `“${s}” is not a block height, tx hash, address, lease or registry name (namespaces are lower-case letters and digits separated by . _ or -).` };
  }
  if (!parts.length) return { path: `/registry/${ns}` };
  let repo = parts.join("/"), tag = null;
  const colon = repo.lastIndexOf(":");
  if (colon >= 0) { tag = repo.slice(colon + 1); repo = repo.slice(0, colon); }
  if (!REPO.test(repo) || (tag !== null && !TAG.test(tag))) return { error: `“${s}” is not a repository or tag name.` };
  return { path: `/registry/${ns}/${repo}${tag === null ? "" : `:${tag}`}` };
}

/** One value inside a path: percent-encoded, except `/` `:` `@` which name registry repos and tags readably. */
const segment = (v) => encodeURIComponent(String(v ?? "")).replace(/%2F/gi, "/").replace(/%3A/gi, ":").replace(/%40/g, "@");

/**
 * A tagged template for the path of an explorer page named by chain data (page`/account/${addr}`): every value is
 * percent-encoded, so `?`, `#` and `%` stay part of the path. Gives null when a value would make an empty, `.` or
 * `..` path segment (the browser would resolve those to another page): such a value is shown as text, not linked.
 */
export function page(strings, ...values) {
  const path = strings.reduce((acc, s, i) => acc + s + (i < values.length ? segment(values[i]) : ""), "");
  if (!path.startsWith("/") || path.startsWith("//")) return null;
  const parts = path.slice(1).split("/");
  if (path !== "/" && parts.some((p) => p === "" || p === "." || p === "..")) return null;
  return path;
}

/** The /providers page's filters, as the CLI's `provider list --status` and the REST `status` name them. */
export const PROVIDER_STATUSES = ["all", "active", "paused"];

/**
 * The /providers page's status from its query string (`?status=active`): `{ status }`, "all" when it names none, or
 * `{ error }` (a sentence for a not-found page) when it names something else, or names it twice.
 */
export function providerStatus(search) {
  const given = new URLSearchParams(String(search ?? "")).getAll("status");
  if (given.length === 0) return { status: "all" };
  if (given.length > 1) return { error: "The providers page takes one status: all, active or paused." };
  const status = given[0];
  return PROVIDER_STATUSES.includes(status) ? { status } : { error: `“${status}” is not a provider status: all, active (taking new leases) or paused.` };
}

/** The page's href for a status, and the REST path that lists its providers (the node filters on `paused`). */
export const providersHref = (status) => (status === "all" ? "/providers" : `/providers?status=${status}`);
export const providersApi = (status) => `/trustnet/leasing/v1/providers?pagination.limit=1000${status === "all" ? "" : `&status=${status}`}`;
