// The one rule for free text a client shows (a provider attribute's value, an SSH key line's comment): no character
// that could rewrite, reorder or hide what is shown, or make two texts that look the same differ.

/**
 * What such text may not hold: Unicode's controls (Cc: C0 with NUL, tab, LF, CR and ESC; DEL; C1), its format characters
 * (Cf as of Unicode 17.0: soft hyphen, zero-width space and joiners, LRM/RLM/ALM, the bidi embeddings and overrides
 * U+202A–202E and isolates U+2066–2069, word joiner, BOM, tags …), the line and paragraph separators (Zl, Zp), every
 * space but U+0020 (Zs as of Unicode 17.0: the no-break spaces U+00A0 and U+202F, U+1680, the en/em/thin/hair spaces
 * U+2000–200A, U+205F, the ideographic space U+3000), and lone surrogates. Written out as explicit ranges, not
 * `\p{Cc}\p{Cf}\p{Zs}`: those tables are the Unicode version of the node's Node.js, and a consensus rule must not move
 * with it (validate.spec.ts checks the list against the running Node's tables, so a new Unicode version is noticed).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb\ud800-\udfff\u{110bd}\u{110cd}\u{13430}-\u{1343f}\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0001}\u{e0020}-\u{e007f}]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, "gu");

/** What a refusal says the text may not hold. */
export const UNSAFE_CHARS = "control, bidi, invisible format or non-ASCII space characters";

/** The first character of `text` the rule refuses, as `U+202E`, or undefined when there is none. */
export function unsafeCodePoint(text: string): string | undefined {
  const m = UNSAFE.exec(text);
  return m === null ? undefined : `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** `text`'s first `max` UTF-16 units, quoted for an error, with every character the rule refuses escaped (`\u{202e}`). */
export function shownEscaped(text: string, max: number): string {
  return JSON.stringify(text.slice(0, max)).replace(UNSAFE_ALL, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`);
}
