// Text from the chain (memos, monikers, repo names, event attributes …) is written to a terminal in text mode; a
// control character in it could move the cursor, rewrite a line, set the window title (ESC, CSI, OSC, CR, BEL, C1
// controls) or reorder what is shown (bidi overrides), and a newline in it could start a line that reads as the
// CLI's own. This renders such characters visibly instead.

/**
 * C0 controls but newline and tab, DEL, C1 controls, the bidi embeddings/overrides U+202A–202E and isolates
 * U+2066–2069, the marks U+200E/U+200F/U+061C, and the line/paragraph separators U+2028/U+2029.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function visible(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
}

/** `text` with every terminal control character written as `\xNN` or `\uNNNN`; newlines and tabs are kept. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Like terminalSafe, but for one field: newlines and tabs are escaped too, so a value cannot start a line of its own. */
export function terminalSafeField(text: string): string {
  return terminalSafe(text).replace(/[\n\t]/gu, visible);
}

/** Every string in `value` (array items, object keys and values, nested), each once. */
function stringsOf(value: unknown, found: Set<string>): Set<string> {
  if (typeof value === "string") found.add(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, found);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      found.add(k);
      stringsOf(v, found);
    }
  }
  return found;
}

/**
 * `text` (a result's text form) with every string of `data` (the same result's JSON: chain strings as received)
 * that holds a newline or tab written on one line, as terminalSafeField writes it: a moniker, description, tag or
 * memo cannot start a line of its own, whichever printer shows it. Longest first, so a string is escaped whole.
 */
export function singleLineValues(text: string, data: unknown): string {
  const multiLine = [...stringsOf(data, new Set())].filter((s) => /[\n\t]/u.test(s)).sort((a, b) => b.length - a.length);
  return multiLine.reduce((t, s) => t.split(s).join(terminalSafeField(s)), text);
}
