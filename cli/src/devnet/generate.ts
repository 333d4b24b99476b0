import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, rename, rm, writeFile, mkdtemp } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { setTomlKeys } from "./toml.ts";
import { DEVNET_CHAIN_ID, devnetLayout, type DevnetManifest, portsFor } from "./layout.ts";

const run = promisify(execFile);

export interface GenerateOptions {
  readonly home: string;
  readonly validators: number;
  readonly cometbft: string;
  readonly chainId?: string;
  /** CometBFT timeout_commit, e.g. "1s" or "300ms". */
  readonly blockTime?: string;
  readonly transport?: "socket" | "grpc";
  /** utrust given to the faucet at genesis. */
  readonly faucetFunds?: bigint;
  /** Added to every port (tests and side-by-side devnets); 0 keeps the contract ports. */
  readonly portOffset?: number;
  readonly log?: (line: string) => void;
}

export const DEFAULT_FAUCET_FUNDS = 1_000_000_000n * 1_000_000n; // 1e9 TRUST
export const BLOCK_MAX_GAS = 100_000_000n;
export const OPERATOR_FUNDS = 1_000n * 1_000_000n; // 1000 TRUST for the registry operator's fees
export const REGISTRY_PORT = 8000;
export const DEFAULT_NAMESPACE = "library";

/**
 * Generates a complete devnet under `<home>/devnet`: per-validator CometBFT homes (keys, config.toml), one shared
 * genesis (chain id, validators, consensus params, app_state with the faucet funded) and a manifest. Everything is
 * written into a temporary directory that is renamed into place at the end, so a failure leaves nothing behind.
 */
export async function generateDevnet(opts: GenerateOptions): Promise<DevnetManifest> {
  const layout = devnetLayout(opts.home);
  const chainId = opts.chainId ?? DEVNET_CHAIN_ID;
  const blockTime = opts.blockTime ?? "1s";
  const transport = opts.transport ?? "socket";
  await mkdir(dirname(layout.root), { recursive: true, mode: 0o700 });
  const tmp = await mkdtemp(`${layout.root}.tmp-`);
  try {
    const tmpLayout = devnetLayout(opts.home);
    const nodeDir = (i: number): string => join(tmp, `node${i}`);
    const nodes: { index: number; nodeId: string; ports: ReturnType<typeof portsFor>; pubKey: unknown; address: string }[] = [];
    for (let i = 0; i < opts.validators; i++) {
      const cometHome = join(nodeDir(i), "cometbft");
      opts.log?.(`  node${i}: cometbft init`);
      await run(opts.cometbft, ["init", "--home", cometHome]);
      const { stdout } = await run(opts.cometbft, ["show-node-id", "--home", cometHome]);
      const pv = JSON.parse(await readFile(join(cometHome, "config", "priv_validator_key.json"), "utf8")) as { address: string; pub_key: unknown };
      nodes.push({ index: i, nodeId: stdout.trim(), ports: portsFor(i, opts.portOffset ?? 0), pubKey: pv.pub_key, address: pv.address });
      await mkdir(join(nodeDir(i), "app"), { recursive: true, mode: 0o700 });
    }
    const faucet = await DirectSecp256k1HdWallet.generate(24, { prefix: "trust" });
    const [faucetAccount] = await faucet.getAccounts();
    if (!faucetAccount) throw new Error("faucet wallet has no account");
    // The registry operator signs MsgRecordTag; registered at genesis, owns the default namespace.
    const operator = await DirectSecp256k1HdWallet.generate(24, { prefix: "trust" });
    const [operatorAccount] = await operator.getAccounts();
    if (!operatorAccount) throw new Error("operator wallet has no account");
    const registryPort = REGISTRY_PORT + (opts.portOffset ?? 0);
    const base = JSON.parse(await readFile(join(nodeDir(0), "cometbft", "config", "genesis.json"), "utf8")) as Record<string, unknown>;
    const consensus = base.consensus_params as { block: Record<string, string> };
    const genesis = {
      ...base,
      chain_id: chainId,
      initial_height: "1",
      consensus_params: { ...consensus, block: { ...consensus.block, max_gas: BLOCK_MAX_GAS.toString() } },
      validators: nodes.map((n) => ({ address: n.address, pub_key: n.pubKey, power: "10", name: `node${n.index}` })),
      app_hash: "",
      app_state: {
        auth: { params: { min_gas_price: "0.025utrust" }, accounts: [{ address: faucetAccount.address }, { address: operatorAccount.address }] },
        bank: {
          balances: [
            { address: faucetAccount.address, coins: [{ denom: "utrust", amount: (opts.faucetFunds ?? DEFAULT_FAUCET_FUNDS).toString() }] },
            { address: operatorAccount.address, coins: [{ denom: "utrust", amount: OPERATOR_FUNDS.toString() }] },
          ],
        },
        registry: {
          registries: [{ operator: operatorAccount.address, endpoint: `http://127.0.0.1:${registryPort}` }],
          namespaces: [{ namespace: DEFAULT_NAMESPACE, owner: operatorAccount.address }],
        },
      },
    };
    for (const n of nodes) {
      const cfgDir = join(nodeDir(n.index), "cometbft", "config");
      await writeFile(join(cfgDir, "genesis.json"), JSON.stringify(genesis, null, 2) + "\n");
      const peers = nodes.filter((p) => p.index !== n.index).map((p) => `${p.nodeId}@127.0.0.1:${p.ports.p2p}`).join(",");
      const toml = await readFile(join(cfgDir, "config.toml"), "utf8");
      await writeFile(join(cfgDir, "config.toml"), setTomlKeys(toml, [
        ["", "moniker", `node${n.index}`],
        // CometBFT's gRPC client wants a bare host:port; the socket client a tcp:// URL.
        ["", "proxy_app", transport === "grpc" ? `127.0.0.1:${n.ports.abci}` : `tcp://127.0.0.1:${n.ports.abci}`],
        ["", "abci", transport],
        ["rpc", "laddr", `tcp://127.0.0.1:${n.ports.rpc}`],
        ["rpc", "cors_allowed_origins", "__CORS__"],
        ["p2p", "laddr", `tcp://127.0.0.1:${n.ports.p2p}`],
        ["p2p", "persistent_peers", peers],
        ["p2p", "addr_book_strict", false],
        ["p2p", "allow_duplicate_ip", true],
        ["consensus", "timeout_commit", blockTime],
        ["tx_index", "indexer", "kv"],
      ]).replace(`cors_allowed_origins = "__CORS__"`, `cors_allowed_origins = ["*"]`));
    }
    await writeFile(join(tmp, "registry-operator.json"), JSON.stringify({ note: "devnet registry operator key (signs MsgRecordTag)", address: operatorAccount.address, mnemonic: operator.mnemonic }, null, 2) + "\n", { mode: 0o600 });
    await writeFile(join(tmp, "faucet.json"), JSON.stringify({ note: "devnet faucet key (test funds only; never use on a real network)", address: faucetAccount.address, mnemonic: faucet.mnemonic }, null, 2) + "\n", { mode: 0o600 });
    const manifest: DevnetManifest = { chainId, validators: opts.validators, blockTime, transport, faucetAddress: faucetAccount.address, registry: { port: registryPort, operator: operatorAccount.address, defaultNamespace: DEFAULT_NAMESPACE }, nodes: nodes.map(({ index, nodeId, ports }) => ({ index, nodeId, ports })) };
    await writeFile(join(tmp, "devnet.json"), JSON.stringify(manifest, null, 2) + "\n");
    await chmod(tmp, 0o700);
    await rename(tmp, tmpLayout.root);
    return manifest;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export async function readManifest(home: string): Promise<DevnetManifest | undefined> {
  try {
    return JSON.parse(await readFile(devnetLayout(home).manifest, "utf8")) as DevnetManifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

export async function readFaucet(home: string): Promise<{ address: string; mnemonic: string }> {
  return JSON.parse(await readFile(devnetLayout(home).faucet, "utf8")) as { address: string; mnemonic: string };
}
