/**
 * Everything a VM needs to run TrustNet without internet access of its own, resolved on the host before the seed
 * ISO is written: the app bundle (built from this install), the Node runtime for glibc guests (npm registry
 * package, checked against its pinned sha512 and the registry's integrity, cached), and CometBFT for the guest's
 * architecture (the release tarball checked against its pin and SHA256SUMS, else a Go cross-build; cached). Explicit files (--app-tarball, --node-tarball,
 * --cometbft-binary) win over all of these.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { COMETBFT_VERSION, ensureCometbft, NODE_VERSION } from "@trustnet/installer";
import type { GuestOs } from "../cloud-init/services.ts";
import { APP_TARBALL, COMETBFT_FILE, NODE_BINARY, type SeedPayloads } from "../cloud-init/seed.ts";
import type { EnsureImageDeps } from "../images/ensure-image.ts";
import type { GuestArch } from "../qemu/types.ts";
import { buildAppBundle } from "./app-bundle.ts";
import { DEFAULT_NPM_REGISTRY, ensureNodeRuntime, extractNodeBinary } from "./node-runtime.ts";

export interface PayloadFile {
  readonly name: string;
  readonly path: string;
}

export interface GuestPayloads {
  /** For node and validator VMs (with CometBFT). */
  readonly node: { readonly flags: SeedPayloads; readonly files: readonly PayloadFile[] };
  /** For the registry VM (no CometBFT). */
  readonly registry: { readonly flags: SeedPayloads; readonly files: readonly PayloadFile[] };
}

export interface PayloadRequest {
  readonly home: string;
  readonly os: GuestOs;
  readonly arch: GuestArch;
  /** Scratch directory that lives until the seeds are written (the app bundle is built there). */
  readonly workDir: string;
  readonly appTarball?: string | undefined;
  readonly nodeTarball?: string | undefined;
  readonly cometbftBinary?: string | undefined;
}

/** The image downloader's dependencies, plus the install whose app is shipped. */
export interface PayloadDeps extends EnsureImageDeps {
  /** The TrustNet install whose app is shipped (the repo / unpacked release root). */
  readonly appRoot: string;
}

export type ResolvePayloads = (req: PayloadRequest) => Promise<GuestPayloads>;

export function guestCometbftPath(home: string, arch: GuestArch): string {
  return join(home, "cache", `cometbft-${COMETBFT_VERSION}-linux-${arch === "aarch64" ? "arm64" : "amd64"}`, "cometbft");
}

export function realPayloads(deps: PayloadDeps): ResolvePayloads {
  return async (req) => {
    let node = req.nodeTarball;
    if (node === undefined && req.os === "ubuntu") {
      const r = await ensureNodeRuntime({
        arch: req.arch, version: NODE_VERSION, home: req.home, registry: deps.env.TRUSTNET_NPM_REGISTRY ?? DEFAULT_NPM_REGISTRY,
        progress: deps.progress, env: deps.env, log: deps.log, ...(deps.transfer === undefined ? {} : { transfer: deps.transfer }),
      });
      deps.log(`${r.reused ? "using cached" : "downloaded"} Node ${NODE_VERSION} for ${req.arch} guests (${r.path})`);
      node = r.path;
    }
    let cometbft = req.cometbftBinary;
    if (cometbft === undefined) {
      const r = await ensureCometbft({
        home: req.home, binPath: guestCometbftPath(req.home, req.arch),
        platform: { os: "linux", arch: req.arch === "aarch64" ? "arm64" : "amd64" },
        ...(deps.env.TRUSTNET_COMETBFT_MIRROR !== undefined ? { baseUrl: deps.env.TRUSTNET_COMETBFT_MIRROR } : {}),
        log: (l) => deps.log(l.trim()),
        env: deps.env,
        ...(deps.transfer === undefined ? {} : { transfer: deps.transfer }),
        progress: process.stderr,
      });
      deps.log(`${r.source === "cached" ? "using cached" : `got (${r.source})`} CometBFT ${r.version} for ${req.arch} guests`);
      cometbft = r.path;
    }
    let app = req.appTarball;
    if (app === undefined) {
      await mkdir(req.workDir, { recursive: true });
      app = join(req.workDir, APP_TARBALL);
      await buildAppBundle(deps.$, deps.appRoot, app);
      deps.log(`built the app bundle from ${deps.appRoot}`);
    }
    const nodeBinary = node === undefined ? undefined : await extractNodeBinary(deps.$, node);
    const common: PayloadFile[] = [{ name: APP_TARBALL, path: app }, ...(nodeBinary !== undefined ? [{ name: NODE_BINARY, path: nodeBinary }] : [])];
    const flags = { app: true, nodeRuntime: nodeBinary !== undefined };
    return {
      node: { flags: { ...flags, cometbft: true }, files: [...common, { name: COMETBFT_FILE, path: cometbft }] },
      registry: { flags, files: common },
    };
  };
}
