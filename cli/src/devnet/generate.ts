import { BECH32_PREFIX, DEFAULT_GAS_PRICE, DENOM } from "@trustnet/abci-app";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile, mkdtemp } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { fromBase64, fromBech32, toBech32 } from "@cosmjs/encoding";
import { Description } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { authGenesisJson, bankGenesisJson, bankGenesisOf, DefaultAuthParams, parseGasPrice, parseStakingParams, registryGenesisJson, stakingGenesisJson, DefaultLeasingParams, leasingGenesisJson } from "@trustnet/abci-app";
import { CliError, UsageError } from "../errors.ts";
import { type CometNodeConfig, devnetNetworking, renderCometConfig } from "./cometbft-config.ts";
import { type AbciTransport, DEFAULT_ABCI_TRANSPORT, DEVNET_CHAIN_ID, devnetLayout, type DevnetManifest } from "./layout.ts";
import { type NodeNetwork, persistentPeers, planNetwork } from "./network.ts";
import { childEnv } from "../child-env.ts";
import { currentStateFormat } from "../state-format.ts";

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
  /** Added to every port (tests and side-by-side devnets); 0 keeps the contract ports. One machine only. */
  readonly portOffset?: number;
  /**
   * One IPv4/IPv6 literal per validator: the devnet spans separate machines. Node i listens for P2P on
   * Hi:26656, every node on the contract ports, and the peers are dialled at Hj:26656.
   */
  readonly p2pHosts?: readonly string[];
  /** Separate machines only: every node's CometBFT RPC listen address (default tcp://127.0.0.1:26657). */
  readonly rpcLaddr?: string;
  /** The registry endpoint genesis registers for the operator (default http://127.0.0.1:<registry port>). */
  readonly registryEndpoint?: string;
  /** The staking unbonding period written to genesis, e.g. "5m" (default) or "20s"; a real network uses 21 days. */
  readonly unbondingTime?: string;
  /** A fixed annual inflation (min = max = this), e.g. "0"; default: x/mint's 7–20% band starting at 13%. */
  readonly inflation?: string;
  /** Leasing: blocks a lease may stay not ready before the sweep refunds it (default DEVNET_LEASING_READY_TIMEOUT). */
  readonly leasingReadyTimeout?: number;
  readonly log?: (line: string) => void;
}

/** Devnet unbonding is minutes, not the 21 days of a real network, so undelegations can be watched completing. */
export const DEVNET_UNBONDING_TIME = "5m";
/**
 * Devnet liveness: a 20-block window of which half must be signed, so a validator that stops for ~10 blocks after
 * its first 20 is jailed for 20 s and slashed 1% (seconds, not the hours of a 100-block window at 5 s blocks).
 * Double signing: 5%, tombstoned, as on a real network.
 */
export const DEVNET_SLASHING_PARAMS = {
  signed_blocks_window: "20", min_signed_per_window: "0.5", downtime_jail_duration: "20s", slash_fraction_double_sign: "0.05", slash_fraction_downtime: "0.01",
} as const;
/** Each genesis validator's self-delegation: 10 TRUST = CometBFT power 10 (power = bonded utrust / 10^6). */
export const GENESIS_SELF_DELEGATION = 10n * 1_000_000n;
export const GENESIS_POWER = GENESIS_SELF_DELEGATION / 1_000_000n;
/** What each validator operator holds beyond its self-delegation (fees, more self-delegation). */
export const VALIDATOR_OPERATOR_FUNDS = 1_000n * 1_000_000n;

/** The staking genesis' duration form: digits and one unit of ms, s, m or h (as the app parses it). */
export function validateUnbondingTime(t: string): string {
  if (!/^[1-9]\d{0,11}(ms|s|m|h)$/.test(t)) throw new UsageError(`--unbonding-time: "${t}" is not a duration like 20s, 5m or 504h`);
  return t;
}

/** A decimal in [0, 1] with at most 18 fraction digits, as the mint genesis takes it. */
export function validateInflation(v: string): string {
  if (!/^(0(\.\d{1,18})?|1(\.0{1,18})?)$/.test(v)) throw new UsageError(`--inflation: "${v}" is not a rate between 0 and 1, like 0, 0.05 or 0.13`);
  return v;
}

/** "300ms" / "1s" -> milliseconds of one block (CometBFT's timeout_commit forms the devnet accepts). */
function blockMs(t: string): bigint {
  const m = /^(\d+)(ms|s)$/.exec(t);
  return m ? BigInt(m[1] ?? "1000") * (m[2] === "s" ? 1000n : 1n) || 1000n : 1000n;
}

/**
 * The devnet's x/mint and x/distribution sections: blocks per year from the block time (so the yearly rate holds
 * at devnet speed), the SDK's inflation band (or a fixed rate), a 2% community tax.
 */
export function rewardsGenesis(blockTime: string, inflation: string | undefined): Record<string, unknown> {
  const blocksPerYear = (365n * 24n * 3600n * 1000n + 6n * 3600n * 1000n) / blockMs(blockTime);
  const band = inflation === undefined ? { inflation_min: "0.07", inflation_max: "0.2" } : { inflation_min: inflation, inflation_max: inflation };
  return {
    mint: {
      params: { mint_denom: DENOM, inflation_rate_change: "0.13", ...band, goal_bonded: "0.67", blocks_per_year: blocksPerYear.toString() },
      minter: { inflation: inflation ?? "0.13", annual_provisions: "0" },
    },
    distribution: { params: { community_tax: "0.02", withdraw_addr_enabled: true } },
  };
}

export const DEFAULT_FAUCET_FUNDS = 1_000_000_000n * 1_000_000n; // 1e9 TRUST
export const BLOCK_MAX_GAS = 100_000_000n;
/** Ten minutes of 1 s blocks: enough for a provider to boot a VM under TCG. */
export const DEVNET_LEASING_READY_TIMEOUT = 600;

export const OPERATOR_FUNDS = 1_000n * 1_000_000n; // 1000 TRUST for the registry operator's fees
export const REGISTRY_PORT = 8000;
export const DEFAULT_NAMESPACE = "library";

/** The chain's own rule for a registry endpoint (registry module, MsgRegisterRegistry): an http(s) URL of ≤ 256 chars. */
export function validateRegistryEndpoint(e: string): string {
  let u: URL | undefined;
  try {
    u = new URL(e);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:") || e.length > 256) {
    throw new UsageError(`--registry-endpoint: "${e}" is not an http(s) URL of at most 256 characters`, "e.g. http://[fd12:3456:789a::2]:8000");
  }
  return e;
}

const E18 = 10n ** 18n;
const utrust = (amount: bigint) => [{ denom: DENOM, amount }];

/**
 * The devnet's app_state, built with the modules' own genesis builders (@trustnet/abci-app): the faucet, the
 * registry operator and each validator operator funded; each validator self-delegating; the registry operator
 * registered and owning the default namespace.
 */
export function devnetAppState(o: {
  readonly faucet: { readonly address: string; readonly funds: bigint };
  readonly operator: string;
  readonly endpoint: string;
  readonly unbondingTime: string;
  readonly validators: readonly { readonly operator: string; readonly consensusPubkey: string; readonly moniker: string }[];
  /** The mint and distribution sections (rewardsGenesis); absent: the modules' defaults. */
  readonly rewards?: Record<string, unknown>;
  /** The slashing section; absent: the module's defaults. */
  readonly slashing?: Record<string, unknown>;
  /** The leasing section; absent: the module's defaults. */
  readonly leasing?: Record<string, unknown>;
}): Record<string, unknown> {
  const accounts = [o.faucet.address, o.operator, ...o.validators.map((v) => v.operator)];
  return {
    auth: authGenesisJson({
      params: { ...DefaultAuthParams, minGasPrice: parseGasPrice(DEFAULT_GAS_PRICE) },
      accounts: accounts.map((address, i) => ({ address, accountNumber: BigInt(i), sequence: 0n })),
    }),
    bank: bankGenesisJson(bankGenesisOf([
      { address: o.faucet.address, coins: utrust(o.faucet.funds) },
      { address: o.operator, coins: utrust(OPERATOR_FUNDS) },
      ...o.validators.map((v) => ({ address: v.operator, coins: utrust(VALIDATOR_OPERATOR_FUNDS + GENESIS_SELF_DELEGATION) })),
    ])),
    staking: stakingGenesisJson({
      params: parseStakingParams({ unbonding_time: o.unbondingTime, bond_denom: DENOM }),
      validators: o.validators.map((v) => ({
        operatorAddress: toBech32("trustvaloper", fromBech32(v.operator, 90).data), consensusPubkey: fromBase64(v.consensusPubkey),
        selfDelegation: GENESIS_SELF_DELEGATION, minSelfDelegation: 1n, description: Description.fromPartial({ moniker: v.moniker }),
        rates: { rate: E18 / 10n, maxRate: E18 / 5n, maxChangeRate: E18 / 100n },
      })),
    }),
    ...o.rewards,
    ...(o.slashing ? { slashing: o.slashing } : {}),
    ...(o.leasing ? { leasing: o.leasing } : {}),
    // The default namespace belongs to the devnet registry operator, which authorises its own registry for it.
    registry: registryGenesisJson({
      registries: [{ operator: o.operator, endpoint: o.endpoint }],
      namespaces: [{ namespace: DEFAULT_NAMESPACE, owner: o.operator, authorized: [o.operator] }],
    }),
  };
}

/** A new devnet never replaces anything: refuses when `<home>/devnet` exists at all. */
export function assertNoDevnet(home: string): void {
  const layout = devnetLayout(home);
  if (!existsSync(layout.root)) return;
  throw new CliError(existsSync(layout.manifest)
    ? `a devnet already exists in ${layout.root}; nothing was changed`
    : `${layout.root} already exists (without a devnet.json); nothing was changed`, {
    hint: "use another --home, or delete it first with 'trustnet devnet reset --yes'",
  });
}

/** One devnet node's config.toml settings: the shared base, the devnet's lab networking profile. */
export function devnetNodeConfig(net: NodeNetwork, peers: string, transport: AbciTransport, blockTime: string): CometNodeConfig {
  return { moniker: `node${net.index}`, ports: net.ports, transport, blockTime, rpcLaddr: net.rpcLaddr, p2pLaddr: net.p2pLaddr, persistentPeers: peers, networking: devnetNetworking };
}

/**
 * Generates a complete devnet under `<home>/devnet`: per-validator CometBFT homes (keys, config.toml), one shared
 * genesis (chain id, validators, consensus params, app_state with the faucet funded) and a manifest. Everything is
 * written into a temporary directory that is renamed into place at the end, so a failure leaves nothing behind.
 * The options are validated before anything is written, and an existing devnet is never touched.
 */
export async function generateDevnet(opts: GenerateOptions): Promise<DevnetManifest> {
  const layout = devnetLayout(opts.home);
  const chainId = opts.chainId ?? DEVNET_CHAIN_ID;
  const blockTime = opts.blockTime ?? "1s";
  const transport = opts.transport ?? DEFAULT_ABCI_TRANSPORT;
  const plan = planNetwork({
    validators: opts.validators, portOffset: opts.portOffset ?? 0,
    ...(opts.p2pHosts ? { p2pHosts: opts.p2pHosts } : {}), ...(opts.rpcLaddr !== undefined ? { rpcLaddr: opts.rpcLaddr } : {}),
  });
  const registryEndpoint = opts.registryEndpoint === undefined ? undefined : validateRegistryEndpoint(opts.registryEndpoint);
  const unbondingTime = validateUnbondingTime(opts.unbondingTime ?? DEVNET_UNBONDING_TIME);
  const inflation = opts.inflation === undefined ? undefined : validateInflation(opts.inflation);
  const readyTimeout = opts.leasingReadyTimeout ?? DEVNET_LEASING_READY_TIMEOUT;
  if (!Number.isInteger(readyTimeout) || readyTimeout < 1 || readyTimeout > 1_000_000) throw new UsageError(`--leasing-ready-timeout: ${readyTimeout} must be a whole number of blocks in 1..1000000`);
  assertNoDevnet(opts.home);
  await mkdir(dirname(layout.root), { recursive: true, mode: 0o700 });
  const tmp = await mkdtemp(`${layout.root}.tmp-`);
  try {
    const tmpLayout = devnetLayout(opts.home);
    const nodeDir = (i: number): string => join(tmp, `node${i}`);
    const nodes: { index: number; nodeId: string; net: NodeNetwork; pubKey: { type: string; value: string }; address: string; operator: { address: string; mnemonic: string } }[] = [];
    for (const net of plan) {
      const i = net.index;
      const cometHome = join(nodeDir(i), "cometbft");
      opts.log?.(`  node${i}: cometbft init`);
      await run(opts.cometbft, ["init", "--home", cometHome], { env: childEnv() });
      const { stdout } = await run(opts.cometbft, ["show-node-id", "--home", cometHome], { env: childEnv() });
      const pv = JSON.parse(await readFile(join(cometHome, "config", "priv_validator_key.json"), "utf8")) as { address: string; pub_key: { type: string; value: string } };
      // The validator's operator account: it self-delegates at genesis (the gentx equivalent) and signs edit-validator.
      const opWallet = await DirectSecp256k1HdWallet.generate(24, { prefix: BECH32_PREFIX });
      const [opAccount] = await opWallet.getAccounts();
      if (!opAccount) throw new Error("operator wallet has no account");
      nodes.push({ index: i, nodeId: stdout.trim(), net, pubKey: pv.pub_key, address: pv.address, operator: { address: opAccount.address, mnemonic: opWallet.mnemonic } });
      await mkdir(join(nodeDir(i), "app"), { recursive: true, mode: 0o700 });
    }
    const faucet = await DirectSecp256k1HdWallet.generate(24, { prefix: BECH32_PREFIX });
    const [faucetAccount] = await faucet.getAccounts();
    if (!faucetAccount) throw new Error("faucet wallet has no account");
    // The registry operator signs MsgRecordTag; registered at genesis, owns the default namespace.
    const operator = await DirectSecp256k1HdWallet.generate(24, { prefix: BECH32_PREFIX });
    const [operatorAccount] = await operator.getAccounts();
    if (!operatorAccount) throw new Error("operator wallet has no account");
    const registryPort = REGISTRY_PORT + (opts.portOffset ?? 0);
    const endpoint = registryEndpoint ?? `http://127.0.0.1:${registryPort}`;
    const base = JSON.parse(await readFile(join(nodeDir(0), "cometbft", "config", "genesis.json"), "utf8")) as Record<string, unknown>;
    const consensus = base.consensus_params as { block: Record<string, string> };
    const genesis = {
      ...base,
      chain_id: chainId,
      initial_height: "1",
      consensus_params: { ...consensus, block: { ...consensus.block, max_gas: BLOCK_MAX_GAS.toString() } },
      validators: nodes.map((n) => ({ address: n.address, pub_key: n.pubKey, power: GENESIS_POWER.toString(), name: `node${n.index}` })),
      app_hash: "",
      app_state: devnetAppState({
        faucet: { address: faucetAccount.address, funds: opts.faucetFunds ?? DEFAULT_FAUCET_FUNDS },
        operator: operatorAccount.address, endpoint, unbondingTime, rewards: rewardsGenesis(blockTime, inflation), slashing: { params: DEVNET_SLASHING_PARAMS },
        // Leasing: the chain's defaults, but a devnet-sized bond and ready timeout (docs/leasing.md, "Parameters").
        leasing: leasingGenesisJson({ ...DefaultLeasingParams, minBond: "1000000", readyTimeoutBlocks: BigInt(readyTimeout) }),
        validators: nodes.map((n) => ({ operator: n.operator.address, consensusPubkey: n.pubKey.value, moniker: `node${n.index}` })),
      }),
    };
    for (const n of nodes) {
      const cfgDir = join(nodeDir(n.index), "cometbft", "config");
      await writeFile(join(cfgDir, "genesis.json"), JSON.stringify(genesis, null, 2) + "\n");
      const peers = persistentPeers(plan, nodes.map((p) => p.nodeId), n.index);
      await writeFile(join(nodeDir(n.index), "validator-operator.json"), JSON.stringify({ note: `devnet validator node${n.index}'s operator key (self-delegation, edit-validator; test funds only)`, address: n.operator.address, validator: toBech32("trustvaloper", fromBech32(n.operator.address, 90).data), mnemonic: n.operator.mnemonic }, null, 2) + "\n", { mode: 0o600 });
      const toml = await readFile(join(cfgDir, "config.toml"), "utf8");
      await writeFile(join(cfgDir, "config.toml"), renderCometConfig(toml, devnetNodeConfig(n.net, peers, transport, blockTime)));
    }
    await writeFile(join(tmp, "registry-operator.json"), JSON.stringify({ note: "devnet registry operator key (signs MsgRecordTag)", address: operatorAccount.address, mnemonic: operator.mnemonic }, null, 2) + "\n", { mode: 0o600 });
    await writeFile(join(tmp, "faucet.json"), JSON.stringify({ note: "devnet faucet key (test funds only; never use on a real network)", address: faucetAccount.address, mnemonic: faucet.mnemonic }, null, 2) + "\n", { mode: 0o600 });
    const multiHost = opts.p2pHosts !== undefined;
    const manifest: DevnetManifest = {
      ...currentStateFormat(), chainId, validators: opts.validators, blockTime, transport, faucetAddress: faucetAccount.address, unbondingTime,
      registry: { port: registryPort, operator: operatorAccount.address, defaultNamespace: DEFAULT_NAMESPACE, endpoint },
      ...(multiHost ? { rpcLaddr: plan[0]?.rpcLaddr } : {}),
      nodes: nodes.map(({ index, nodeId, net }) => ({ index, nodeId, ports: net.ports, ...(net.p2pHost !== undefined ? { p2pHost: net.p2pHost } : {}) })),
    };
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
