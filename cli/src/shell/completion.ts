// Tab completion for the shell, driven by the same yargs help text users see (so it follows every command).

export interface HelpEntries {
  readonly subcommands: readonly string[];
  readonly options: readonly string[];
}

/** Subcommand names and --options listed in the `--help` text of the command at `path`. */
export function parseHelp(help: string, path: readonly string[]): HelpEntries {
  const prefix = ["trustnet", ...path].join(" ") + " ";
  const subcommands = new Set<string>();
  const options = new Set<string>();
  for (const line of help.split("\n")) {
    const t = line.trimStart();
    if (t.startsWith(prefix)) {
      const name = t.slice(prefix.length).split(/\s/u)[0] ?? "";
      if (/^[a-z][a-z0-9-]*$/u.test(name)) subcommands.add(name);
    }
    const opt = /^(?:-[a-zA-Z], )?--([a-zA-Z][a-zA-Z0-9-]*)/u.exec(t);
    if (opt) options.add(`--${opt[1] ?? ""}`);
  }
  return { subcommands: [...subcommands], options: [...options] };
}

export const SHELL_WORDS = ["help", "exit"] as const;

/** Options whose value is a key name. */
const KEY_OPTIONS = new Set(["--from"]);

/**
 * Completes the last word of `line`: options when it starts with "-"; after `--from`, key names; else the
 * subcommands of the command path typed so far (plus `help`/`exit` at the top level), or key names once the path
 * is a leaf command (its positionals take an address or key name). Returns readline's [candidates, word].
 */
export async function completeLine(
  line: string,
  helpFor: (path: readonly string[]) => Promise<HelpEntries>,
  keyNames: () => Promise<readonly string[]> = () => Promise.resolve([]),
): Promise<[string[], string]> {
  const words = line.split(/\s+/u).filter((w, i, all) => w !== "" || i === all.length - 1);
  const partial = words.pop() ?? "";
  const path: string[] = [];
  for (const w of words) {
    if (w.startsWith("-")) break;
    path.push(w);
  }
  if (path[0] === "trustnet") path.shift();
  let pool: readonly string[];
  try {
    if (KEY_OPTIONS.has(words.at(-1) ?? "")) pool = await keyNames();
    else {
      const entries = await helpFor(path);
      if (partial.startsWith("-")) pool = entries.options;
      else if (path.length === 0) pool = [...entries.subcommands, ...SHELL_WORDS];
      else if (entries.subcommands.length > 0) pool = entries.subcommands;
      else pool = await keyNames();
    }
  } catch {
    return [[], partial];
  }
  const hits = pool.filter((c) => c.startsWith(partial)).sort();
  return [hits.length === 1 ? [`${hits[0] ?? ""} `] : hits, partial];
}
