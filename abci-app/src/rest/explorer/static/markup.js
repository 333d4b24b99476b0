// The explorer's markup, as pure functions (no DOM): the escaping `html` template, coin amounts, links, and the
// fragments that show registry namespaces (with their deposit) and whether a provider takes new leases. Shared by
// app.js (in the browser) and markup.spec.ts (in Node), which renders them from the REST shapes.
import { page, PROVIDER_STATUSES, providersHref } from "./paths.js";

const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
export const esc = (s) => String(s ?? "").replace(/[&<>"'`]/g, (c) => ESC[c]);
class Raw { constructor(s) { this.s = s; } toString() { return this.s; } }
/** Markup built by the explorer itself, inserted as it is (never chain or URL data). */
export const raw = (s) => new Raw(s);
/** A value as markup: `raw()` as it is, a list joined, anything else escaped. */
export const part = (v) => (v instanceof Raw ? v.s : Array.isArray(v) ? v.map(part).join("") : esc(v));
/** A tagged template: every value is escaped unless it is `raw()` markup (or a list of them). */
export const html = (strings, ...vals) => raw(strings.reduce((acc, s, i) => acc + s + (i < vals.length ? part(vals[i]) : ""), ""));

export const DENOM = "utrust";
const DISPLAY = "TRUST", EXP = 6;
/** A coin for people: utrust as TRUST with thousands separators ("1,000.5 TRUST"); another denom as it is. */
export function coin(c) {
  if (!c) return "";
  if (c.denom === DENOM && /^\d+$/.test(c.amount)) {
    const s = c.amount.padStart(EXP + 1, "0");
    const whole = s.slice(0, -EXP), frac = s.slice(-EXP).replace(/0+$/, "");
    return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac ? "." + frac : ""} ${DISPLAY}`;
  }
  return `${c.amount} ${c.denom}`;
}
/** A list of coins (Cosmos `Coin[]`), "0" when empty. */
export const coins = (list) => (list && list.length ? list.map(coin).join(", ") : "0");
export const short = (s, n = 10) => (s && s.length > 2 * n + 1 ? `${s.slice(0, n)}…${s.slice(-6)}` : s ?? "");
// A null href (chain data that names no page, see paths.js `page`) shows the text unlinked.
export const link = (href, text, testid) => (href === null
  ? html`<span${testid ? raw(` data-testid="${esc(testid)}"`) : ""}>${text}</span>`
  : html`<a href="${href}" data-link${testid ? raw(` data-testid="${esc(testid)}"`) : ""}>${text}</a>`);

/**
 * The namespaces table (overview and /registry): name, owner, and the deposit the claim locked (refunded on release;
 * hidden on a phone, where the namespace's page shows it).
 */
export const nsTable = (list) => (list.length
  ? html`<table data-testid="namespaces"><thead><tr><th>Namespace</th><th>Owner</th><th class="hide-s">Deposit</th></tr></thead><tbody>${list.map((n) => html`<tr data-testid="namespace-row" data-namespace="${n.namespace}"><td>${link(page`/registry/${n.namespace}`, n.namespace)}</td><td>${link(page`/account/${n.owner}`, short(n.owner))}</td><td class="hide-s" data-testid="namespace-deposit">${coins(n.deposit)}</td></tr>`)}</tbody></table>`
  : html`<p class="dim">No namespaces claimed yet.</p>`);

/** A namespace page's facts: its owner and the deposit it holds (what `release` refunds). */
export const namespaceFacts = (n) => html`<dl><dt>Owner</dt><dd>${link(page`/account/${n.owner}`, n.owner)}</dd>
  <dt>Deposit</dt><dd data-testid="namespace-deposit">${coins(n.deposit)} <span class="dim">(locked by the claim; refunded to the owner on release)</span></dd></dl>`;

/** Beside a provider's open leases on /providers: a paused provider takes no new leases. */
export const pausedNote = (p) => (p.paused ? html` <span class="dim" data-testid="provider-paused">(paused: no new leases)</span>` : "");
/** A provider page's "New leases". */
export const accepting = (p) => (p.paused ? "paused by its owner (maintenance): its open leases run on, new ones are refused" : "accepted");
const STATUS_LABEL = { all: "All", active: "Taking new leases", paused: "Paused" };
/** The /providers page's status filter: a link per status, the current one in bold. */
export const providerStatusLinks = (current) => html`<p class="dim" data-testid="provider-status">Show: ${PROVIDER_STATUSES.map((s, i) => html`${i ? " · " : ""}${s === current ? html`<strong data-status="${s}">${STATUS_LABEL[s]}</strong>` : html`<a href="${providersHref(s)}" data-link data-status="${s}">${STATUS_LABEL[s]}</a>`}`)}</p>`;
/** What an empty /providers list says, by status. */
export const noProviders = (status) => (status === "active" ? "No provider is taking new leases." : status === "paused" ? "No provider is paused." : "No providers registered.");
