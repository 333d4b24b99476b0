// The docs-links check: every relative link in README.md, docs/*.md and the packages' README.md points at a file that
// exists, and its #anchor (if any) at a heading of that Markdown file (GitHub's heading ids). Links to other sites and
// links inside code blocks or code spans are not checked.
// It also checks the repository paths the prose names in code spans (`abci-app/src/app/modules.ts`, `config/vm.json`,
// `src/lifecycle/launch.ts`, `dispatch.ts`): a span that is one path starting with a top-level directory of the
// repository must name a file or directory there (source, Markdown and shell files, and anything under config/),
// and a shorter one ending in .ts/.mjs/.sh must be the end of some file's path. A span with a placeholder (`<id>`,
// `{a,b}`, `*`, `…`) is not a path; other files (`devnet.json`, `registry/chain-queue.json`) live in a TrustNet home.
// Usage: node scripts/check-doc-links.ts [--root DIR]   (exit 1 and one line per broken link or path)
import { existsSync, globSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The Markdown files whose links are checked, relative to `root`. */
export function docFiles(root: string): string[] {
  return ["README.md", "docs/*.md", "*/README.md"]
    .flatMap((p) => globSync(p, { cwd: root, exclude: (f: string) => f.includes("node_modules") }))
    .sort();
}

/** Markdown's lines with fenced code blocks blanked, and code spans too unless `keepSpans` (links there are examples). */
function prose(text: string, keepSpans = false): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const m = /^\s*(```|~~~)/.exec(line);
    if (m) {
      if (fence === undefined) fence = m[1];
      else if (fence === m[1]) fence = undefined;
      lines.push("");
      continue;
    }
    lines.push(fence !== undefined ? "" : keepSpans ? line : line.replace(/`[^`]*`/g, ""));
  }
  return lines;
}

/** GitHub's heading id: lower case, punctuation dropped (but `-` and `_`), spaces to `-`; repeats get `-1`, `-2`… */
export function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown, true)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = (m[1] ?? "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]+>/g, "");
    const base = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) if (m[1]) ids.add(m[1]);
  return ids;
}

/** One line per broken relative link: `file:line: target (why)`. */
export function checkDocLinks(root = projectRoot): string[] {
  const broken: string[] = [];
  for (const file of docFiles(root)) {
    const path = join(root, file);
    const lines = prose(readFileSync(path, "utf8"));
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = m[1] ?? "";
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
        const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
        const dest = pathPart === "" ? path : resolve(dirname(path), decodeURIComponent(pathPart));
        const where = `${file}:${i + 1}: ${target}`;
        if (!existsSync(dest)) { broken.push(`${where} (no such file: ${relative(root, dest)})`); continue; }
        if (anchor === undefined || anchor === "" || !dest.endsWith(".md") || statSync(dest).isDirectory()) continue;
        if (!headingIds(readFileSync(dest, "utf8")).has(decodeURIComponent(anchor).toLowerCase())) {
          broken.push(`${where} (no heading #${anchor} in ${relative(root, dest)})`);
        }
      }
    });
  }
  return broken;
}

const SOURCE_FILE = /\.(?:ts|js|mjs|sh)$/;
/** A short path is checked when it ends like a source file of ours (not `.js`: `hpack.js` is a package's name). */
const SHORT_SOURCE_FILE = /\.(?:ts|mjs|sh)$/;

/** The repository's files (relative, `/`-separated), without node_modules and .git. */
function repoFiles(root: string): string[] {
  return globSync("**/*", { cwd: root, exclude: (f: string) => f === "node_modules" || f === ".git" || f.endsWith("/node_modules") || f.endsWith("/.git") });
}

/** One line per code span naming a repository path that does not exist: `file:line: path (why)`. */
export function checkCodePaths(root = projectRoot): string[] {
  const files = repoFiles(root);
  const topDirs = new Set(files.filter((f) => !f.includes("/") && statSync(join(root, f)).isDirectory()));
  const broken: string[] = [];
  for (const file of docFiles(root)) {
    const lines = prose(readFileSync(join(root, file), "utf8"), true);
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/`([^`\s]+)`/g)) {
        const path = (m[1] ?? "").replace(/(?::\d+(?:-\d+)?|#[\w-]*)$/, "");
        if (/[<>{}*…$~]/.test(path) || !/^[\w@-][\w.@-]*(?:\/[\w.@-]+)*\/?$/.test(path)) continue;
        const top = path.split("/")[0] ?? "";
        const where = `${file}:${i + 1}: ${path}`;
        if (path.includes("/") && topDirs.has(top)) {
          if (!(SOURCE_FILE.test(path) || path.endsWith(".md") || path.endsWith("/") || top === "config")) continue;
          if (!existsSync(join(root, path)) && !existsSync(join(root, dirname(file), path))) broken.push(`${where} (no such file or directory)`);
        } else if (SHORT_SOURCE_FILE.test(path) && !files.some((f) => f === path || f.endsWith(`/${path}`))) {
          broken.push(`${where} (no file of the repository ends with it)`);
        }
      }
    });
  }
  return broken;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--root");
  const root = i > 0 ? resolve(process.argv[i + 1] ?? ".") : projectRoot;
  const broken = [...checkDocLinks(root), ...checkCodePaths(root)];
  for (const b of broken) console.log(b);
  console.log(broken.length === 0 ? `doc links: ${docFiles(root).length} files, every relative link and named path resolves` : `doc links: ${broken.length} broken`);
  process.exit(broken.length === 0 ? 0 : 1);
}
