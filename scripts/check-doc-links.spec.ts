// The docs-links check: relative links in README.md, docs/*.md and */README.md must reach an existing file and, for a
// #anchor into Markdown, a heading of it. Each case lays out a tiny tree in a temporary directory.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { checkCodePaths, checkDocLinks, headingIds } from "./check-doc-links.ts";

const made: string[] = [];
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "tn-doclinks-"));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("docs-links check", () => {
  test("heading ids follow GitHub: lower case, punctuation dropped, code spans kept, repeats numbered", () => {
    const ids = headingIds("# Top\n## Devnet: processes, ports, supervision\n### `trustnet vm up`\n## Top\n```\n# not a heading\n```\n");
    assert.deepEqual([...ids].sort(), ["devnet-processes-ports-supervision", "top", "top-1", "trustnet-vm-up"]);
  });

  test("links that resolve pass; links in code are not checked; other sites are not checked", () => {
    const root = tree({
      "README.md": "[a](docs/A.md) [b](docs/A.md#ports-and-users) [c](cli/src/x.ts) [d](https://example.com/nope) `[e](nope.md)`\n```\n[f](nope.md)\n```\n",
      "docs/A.md": "# A\n## Ports and users\n[self](#a) [up](../README.md)\n",
      "cli/src/x.ts": "export {};\n",
    });
    assert.deepEqual(checkDocLinks(root), []);
  });

  test("a link to a missing file and an anchor without a heading are each reported with file and line", () => {
    const root = tree({
      "README.md": "ok\n[gone](docs/GONE.md)\n",
      "docs/A.md": "# A\n[bad](#nowhere)\n[bad2](B.md#missing)\n",
      "docs/B.md": "# B\n",
      "provisioner/README.md": "[x](src/none.ts)\n",
    });
    assert.deepEqual(checkDocLinks(root), [
      "README.md:2: docs/GONE.md (no such file: docs/GONE.md)",
      "docs/A.md:2: #nowhere (no heading #nowhere in docs/A.md)",
      "docs/A.md:3: B.md#missing (no heading #missing in docs/B.md)",
      "provisioner/README.md:1: src/none.ts (no such file: provisioner/src/none.ts)",
    ]);
  });

  test("repository paths named in code spans must exist; placeholders, packages and home files are not paths", () => {
    const root = tree({
      "README.md": [
        "`cli/src/x.ts` and `cli/src/x.ts:12` and `cli/src/` and `config/vm.json` and `src/lifecycle/launch.ts` and `launch.ts`",
        "`cli/src/<name>.ts` `installer/src/{a,b}.spec.ts` `cli/src/*.ts` `hpack.js` `registry/chain-queue.json` `devnet.json`",
        "```",
        "`cli/src/in-a-fence.ts`",
        "```",
        "`cli/src/gone.ts` `config/nope.json` `moved.ts` `docs/NOPE.md`",
      ].join("\n") + "\n",
      "docs/A.md": "`../cli/src/x.ts` `B.md`\n",
      "cli/src/x.ts": "export {};\n",
      "config/vm.json": "{}\n",
      "provisioner/src/lifecycle/launch.ts": "export {};\n",
      "registry/README.md": "`src/lifecycle/launch.ts` `src/old-name.ts`\n",
    });
    assert.deepEqual(checkCodePaths(root), [
      "README.md:6: cli/src/gone.ts (no such file or directory)",
      "README.md:6: config/nope.json (no such file or directory)",
      "README.md:6: moved.ts (no file of the repository ends with it)",
      "README.md:6: docs/NOPE.md (no such file or directory)",
      "registry/README.md:1: src/old-name.ts (no file of the repository ends with it)",
    ]);
  });
});
