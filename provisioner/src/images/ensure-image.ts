/** Gets a catalog image into $TRUSTNET_HOME/cache: reuse when the digest matches, else download and verify. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { DownloadError, ProvisionError } from "../errors.ts";
import type { Run } from "../exec.ts";
import { fileNameOf, resolveBase, type ImageEntry } from "./catalog.ts";
import { findDigest, hashFile } from "./checksums.ts";
import { downloadVerified, type Fetch } from "./download.ts";
import type { Progress } from "./progress.ts";
import { keyringCandidates, verifySums } from "./signature.ts";

export interface EnsureImageDeps {
  readonly fetch: Fetch;
  readonly run: Run;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly progress: (label: string) => Progress;
  readonly log: (line: string) => void;
}

export interface CachedImage {
  readonly path: string;
  readonly algorithm: string;
  readonly digest: string;
  readonly reused: boolean;
}

async function fetchText(f: Fetch, url: string): Promise<string> {
  let res: Response;
  try {
    res = await f(url);
  } catch (e) {
    throw new DownloadError(url, (e as Error).message, { cause: e });
  }
  if (!res.ok) throw new DownloadError(url, `HTTP ${res.status} ${res.statusText}`);
  return res.text();
}

const exists = async (p: string): Promise<boolean> => access(p).then(() => true, () => false);

async function expectedDigest(entry: ImageEntry, base: string, deps: EnsureImageDeps): Promise<string> {
  const file = fileNameOf(entry.path);
  const cs = entry.checksum;
  const text = await fetchText(deps.fetch, `${base}/${cs.path}`);
  if (cs.kind === "sums") {
    const sig = await deps.fetch(`${base}/${cs.signaturePath}`).catch(() => undefined);
    if (sig?.ok) {
      const dir = await mkdtemp(join(tmpdir(), "tn-sums-"));
      try {
        await writeFile(join(dir, "SHA256SUMS"), text);
        await writeFile(join(dir, "SHA256SUMS.gpg"), Buffer.from(await sig.arrayBuffer()));
        const r = await verifySums(deps.run, exists, keyringCandidates(deps.env), join(dir, "SHA256SUMS.gpg"), join(dir, "SHA256SUMS"), cs.fingerprint);
        deps.log(r.verified ? `SHA256SUMS signature verified (key ${r.fingerprint})` : `warning: SHA256SUMS signature not checked: ${r.reason}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } else {
      deps.log(`warning: no SHA256SUMS.gpg at ${base}/${cs.signaturePath}; relying on the checksum alone`);
    }
  }
  const hex = findDigest(text, file, cs.algorithm);
  if (hex === undefined) throw new ProvisionError(`${base}/${cs.path} lists no ${cs.algorithm} digest for ${file}`, "check --mirror / TRUSTNET_IMAGE_MIRROR");
  return hex;
}

/** Ensures the image is in `<home>/cache`, verified. `mirror` (--mirror) wins over $TRUSTNET_IMAGE_MIRROR. */
export async function ensureImage(entry: ImageEntry, home: string, mirror: string | undefined, deps: EnsureImageDeps): Promise<CachedImage> {
  const base = resolveBase(entry, mirror ?? deps.env.TRUSTNET_IMAGE_MIRROR);
  const cacheDir = join(home, "cache");
  await mkdir(cacheDir, { recursive: true });
  const file = fileNameOf(entry.path);
  const dest = join(cacheDir, file);
  const algorithm = entry.checksum.algorithm;
  const hex = await expectedDigest(entry, base, deps);
  if (await exists(dest)) {
    const have = await hashFile(dest, algorithm);
    if (have === hex) return { path: dest, algorithm, digest: hex, reused: true };
    deps.log(`cached ${file} does not match the published ${algorithm} digest; downloading it again`);
    await rm(dest, { force: true });
  }
  await downloadVerified(deps.fetch, `${base}/${entry.path}`, dest, { algorithm, hex }, deps.progress(`downloading ${file}`));
  return { path: dest, algorithm, digest: hex, reused: false };
}
