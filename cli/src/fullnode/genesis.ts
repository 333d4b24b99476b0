// The genesis a full node starts from, and how `node init` makes sure it is the chain's. The bytes are written
// exactly as received (never re-serialised), and their sha256 is what CometBFT's `start --genesis_hash` checks.
//
// Sources: a genesis.json path or an http(s) URL whose path ends in `.json` (the file as the chain published it:
// its sha256 is `sha256sum genesis.json` on any node), or a CometBFT RPC URL. CometBFT's RPC never returns the file
// itself: both /genesis (a JSON object inside the JSON-RPC answer) and /genesis_chunked re-serialise the genesis
// doc in Go's compact JSON. /genesis_chunked hands those compact bytes over base64-encoded, without a JSON-RPC
// re-encoding of the document, and has no 16 MB limit (/genesis refuses larger ones), so it is what is used: the
// canonical form of an RPC-fetched genesis is the concatenation of its decoded chunks. Its hash from a trusted node:
//   curl -s 'http://<rpc>/genesis_chunked?chunk=0' | jq -r .result.data | base64 -d | sha256sum   (one chunk)
// A genesis from a URL is trusted only when pinned: by --genesis-sha256 and/or --chain-id.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { blockMaxBytesProblem, LARGEST_MESSAGE_BYTES } from "@trustnet/abci-app";
import { CliError, UsageError } from "../errors.ts";

export interface GenesisPins {
  /** Hex sha256 the genesis bytes must have. */
  readonly sha256?: string | undefined;
  /** The chain id the genesis must name. */
  readonly chainId?: string | undefined;
}

export interface LoadedGenesis {
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly chainId: string;
}

const TIMEOUT_MS = 15_000;
/** A guard against an endless chunk stream: 64 chunks of CometBFT's 16 MB. */
const MAX_CHUNKS = 64;
const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** `--genesis-sha256`: 64 hex characters (any case), returned in lower case. */
export function parseSha256(s: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(s)) throw new UsageError(`--genesis-sha256: "${s}" is not a sha256 (64 hex characters)`, "e.g. the output of: sha256sum genesis.json");
  return s.toLowerCase();
}

async function get(url: string, what: string): Promise<Buffer> {
  const fail = (why: string): CliError => new CliError(`cannot fetch the genesis from ${what}: ${why}`, { hint: "is the node's RPC (or the genesis URL) reachable? (--genesis <rpc-url|url.json|file>)" });
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "error" });
  } catch (err) {
    throw fail(err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err));
  }
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw fail(`HTTP ${res.status} ${body.toString("utf8", 0, 200)}`);
  return body;
}

/** The genesis via CometBFT's /genesis_chunked: the decoded chunks, concatenated. */
async function fromRpc(rpc: string): Promise<Buffer> {
  const base = rpc.replace(/\/+$/, "");
  const parts: Buffer[] = [];
  let total = 1;
  for (let i = 0; i < total; i++) {
    const raw = await get(`${base}/genesis_chunked?chunk=${i}`, base);
    let ans: { result?: { chunk?: unknown; total?: unknown; data?: unknown }; error?: { message?: string; data?: string } };
    try {
      ans = JSON.parse(raw.toString("utf8")) as typeof ans;
    } catch {
      throw new CliError(`cannot fetch the genesis from ${base}: /genesis_chunked did not answer JSON`, { hint: "is it a CometBFT RPC URL? (or give the genesis.json file, or its URL ending in .json)" });
    }
    if (ans.error) throw new CliError(`cannot fetch the genesis from ${base}: ${ans.error.message ?? "error"} ${ans.error.data ?? ""}`.trimEnd());
    const r = ans.result;
    const t = Number(r?.total);
    if (!r || typeof r.data !== "string" || Number(r.chunk) !== i || !Number.isInteger(t) || t < 1 || t > MAX_CHUNKS || (i > 0 && t !== total)) {
      throw new CliError(`cannot fetch the genesis from ${base}: /genesis_chunked chunk ${i} is malformed`);
    }
    total = t;
    parts.push(Buffer.from(r.data, "base64"));
  }
  return Buffer.concat(parts);
}

async function fetchBytes(src: string): Promise<Buffer> {
  if (isUrl(src)) return new URL(src).pathname.endsWith(".json") ? get(src, src) : fromRpc(src);
  return readFile(src).catch(() => {
    throw new UsageError(`--genesis: cannot read ${src}`, "give a genesis.json path, its http(s) URL, or a CometBFT RPC URL (http://host:26657)");
  });
}

/**
 * Loads the genesis and checks it: it is JSON with a chain id, and matches the pins. A URL source must be pinned
 * (a usage error otherwise), since anyone answering on that address could hand over a chain of their own.
 */
export async function loadGenesis(src: string, pins: GenesisPins): Promise<LoadedGenesis> {
  const wantHash = pins.sha256 === undefined ? undefined : parseSha256(pins.sha256);
  if (pins.chainId !== undefined && pins.chainId === "") throw new UsageError("--chain-id must not be empty");
  if (isUrl(src) && wantHash === undefined && pins.chainId === undefined) {
    throw new UsageError("--genesis is a URL: give --genesis-sha256 <hex> and/or --chain-id <id> so a forged genesis is refused", "the sha256 of the chain's genesis comes from a source you trust (the network's announcement, or `trustnet node init` output on a node you run)");
  }
  const bytes = await fetchBytes(src);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (wantHash !== undefined && sha256 !== wantHash) throw new CliError(`the genesis from ${src} has sha256 ${sha256}, expected ${wantHash} (--genesis-sha256); nothing was written`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new UsageError(`--genesis: ${src} is not JSON`);
  }
  const chainId = (doc as { chain_id?: unknown } | null)?.chain_id;
  if (typeof chainId !== "string" || chainId === "") throw new CliError("the genesis has no chain_id");
  if (pins.chainId !== undefined && chainId !== pins.chainId) throw new CliError(`the genesis from ${src} is for chain "${chainId}", expected "${pins.chainId}" (--chain-id); nothing was written`);
  // A block size no app setting can take (max_bytes -1 hands PrepareProposal the whole mempool) would stop this node
  // at the first full block: refuse it now, not at InitChain. What fits the app's own --max-message-bytes InitChain checks.
  const maxBytes = (doc as { consensus_params?: { block?: { max_bytes?: unknown } } }).consensus_params?.block?.max_bytes;
  if (typeof maxBytes === "string" && /^-?\d{1,20}$/.test(maxBytes)) {
    const problem = blockMaxBytesProblem(BigInt(maxBytes), LARGEST_MESSAGE_BYTES);
    if (problem) throw new CliError(`the genesis from ${src}: ${problem}; nothing was written`);
  }
  return { bytes, sha256, chainId };
}
