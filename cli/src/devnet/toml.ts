/**
 * Sets `key = value` inside `[section]` ("" = top level) of a CometBFT config.toml, keeping everything else
 * byte-for-byte. Throws when the key is absent: CometBFT writes every key, so absence means a wrong version.
 */
export function setTomlKey(text: string, section: string, key: string, value: string | number | boolean): string {
  const lines = text.split("\n");
  let current = "";
  const rendered = typeof value === "string" ? JSON.stringify(value) : String(value);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (sec) {
      current = sec[1] ?? "";
      continue;
    }
    if (current === section && new RegExp(`^\\s*${key.replace(/[.]/g, "\\.")}\\s*=`).test(line)) {
      lines[i] = `${key} = ${rendered}`;
      return lines.join("\n");
    }
  }
  throw new Error(`config.toml has no key ${section ? section + "." : ""}${key}`);
}

export function setTomlKeys(text: string, entries: readonly (readonly [string, string, string | number | boolean])[]): string {
  return entries.reduce((t, [section, key, value]) => setTomlKey(t, section, key, value), text);
}

/** The value of `key` inside `[section]` ("" = top level) when it is a quoted string, else undefined. */
export function getTomlString(text: string, section: string, key: string): string | undefined {
  let current = "";
  for (const line of text.split("\n")) {
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (sec) {
      current = sec[1] ?? "";
      continue;
    }
    if (current !== section) continue;
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(line);
    if (m?.[1] === key) return JSON.parse(`"${m[2] ?? ""}"`) as string;
  }
  return undefined;
}
