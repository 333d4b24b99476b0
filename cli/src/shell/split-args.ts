// Splits a shell line into arguments: whitespace separates; '…' is literal; "…" allows \" and \\; \ escapes.
import { UsageError } from "../errors.ts";

export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? "";
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) cur += line[++i] ?? "";
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\") {
      if (i + 1 >= line.length) throw new UsageError("a line cannot end with a backslash");
      cur += line[++i] ?? "";
      inWord = true;
    } else if (/\s/u.test(ch)) {
      if (inWord) out.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new UsageError(`unterminated ${quote} quote`, "close the quote, or escape it with a backslash");
  if (inWord) out.push(cur);
  return out;
}
