// `trustnet devnet up|status|down|reset|faucet`: the local embedded devnet (CometBFT + app processes on this host).
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { Argv, CommandModule } from "yargs";
import { parseAddress } from "../address.ts";
import { connectSigningClient, parseGasPrice, translateChainError } from "../chain/index.ts";
import { signBroadcastAndWait } from "../chain/broadcast.ts";
import { formatTrust, parseAmount } from "../coins.ts";
import { keplrChainInfo } from "../devnet/chain-info.ts";
import { devnetDown, devnetReset, devnetStartForeground, devnetUp, runningSupervisor } from "../devnet/control.ts";
import { readFaucet, readManifest } from "../devnet/generate.ts";
import { devnetLayout, MAX_VALIDATORS, PORT_STRIDE } from "../devnet/layout.ts";
import { nodeStatus, peerCount } from "../devnet/rpc.ts";
import { CliError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";

type UpArgs = GlobalOptions & { "port-offset": number; validators: number; "block-time": string; transport: "socket" | "grpc"; timeout: number; "app-arg"?: string[] };

async function up(a: UpArgs): Promise<void> {
  const p = printerFor(a);
  const r = await devnetUp({
    home: a.home, validators: a.validators, blockTime: a["block-time"], transport: a.transport, timeoutMs: a.timeout * 1000, portOffset: a["port-offset"],
    appArgs: a["app-arg"] ?? [], log: (l) => p.info(l),
  });
  const faucet = await readFaucet(a.home);
  const rpc = `http://127.0.0.1:${r.manifest.nodes[0]?.ports.rpc}`;
  p.result(
    { chainId: r.manifest.chainId, validators: r.manifest.validators, rpc, registry: r.manifest.registry ? `http://127.0.0.1:${r.manifest.registry.port}` : undefined, height: r.height, supervisorPid: r.supervisorPid, created: r.created, alreadyRunning: r.alreadyRunning, faucet: faucet.address, home: a.home },
    () => [
      r.alreadyRunning ? `devnet already running (supervisor pid ${r.supervisorPid})` : `devnet ${r.manifest.chainId} is up: ${r.manifest.validators} validator(s), height ${r.height}`,
      `  RPC       ${rpc}   (P2P ${r.manifest.nodes[0]?.ports.p2p}, ABCI 127.0.0.1:${r.manifest.nodes[0]?.ports.abci}; validator i adds ${PORT_STRIDE}·i)`,
      `  faucet    ${faucet.address}   (trustnet devnet faucet <address> [amount])`,
      ...(r.manifest.registry ? [`  registry  127.0.0.1:${r.manifest.registry.port}   (trustnet registry login; docker push 127.0.0.1:${r.manifest.registry.port}/<namespace>/<repo>:<tag>)`] : []),
      ...(r.manifest.nodes[0]?.ports.rest ? [`  REST      http://127.0.0.1:${r.manifest.nodes[0].ports.rest}   (Cosmos REST, /metrics, explorer at /)`] : []),
      `  logs      ${devnetLayout(a.home).logs}`,
      `  query     curl -s localhost:${r.manifest.nodes[0]?.ports.rpc}/status | jq .result.sync_info.latest_block_height`,
      `  stop      trustnet devnet down`,
    ].join("\n"),
  );
}

async function status(a: GlobalOptions): Promise<void> {
  const manifest = await readManifest(a.home);
  if (!manifest) throw new CliError(`no devnet in ${devnetLayout(a.home).root}`, { hint: "create and start one with 'trustnet devnet up'" });
  const pid = runningSupervisor(a.home);
  const nodes = await Promise.all(manifest.nodes.map(async (n) => {
    const rpc = `http://127.0.0.1:${n.ports.rpc}`;
    const s = await nodeStatus(rpc).catch(() => undefined);
    const peers = s ? await peerCount(rpc).catch(() => undefined) : undefined;
    return { index: n.index, rpc, up: s !== undefined, height: s?.height, appHash: s?.appHash, catchingUp: s?.catchingUp, peers, version: s?.version };
  }));
  const top = nodes[0];
  printerFor(a).result(
    { chainId: manifest.chainId, running: pid !== undefined, supervisorPid: pid, height: top?.height, appHash: top?.appHash, peers: top?.peers, nodes },
    () => [
      `devnet ${manifest.chainId}: ${pid !== undefined ? `running (supervisor pid ${pid})` : "stopped"}`,
      ...nodes.map((n) => `  node${n.index}  ${n.rpc}  ${n.up ? `height ${n.height}  app hash ${n.appHash}  peers ${n.peers}${n.catchingUp ? "  (catching up)" : ""}` : "down"}`),
    ].join("\n"),
  );
}

async function down(a: GlobalOptions): Promise<void> {
  const r = await devnetDown(a.home);
  printerFor(a).result({ stopped: r.wasRunning }, () => (r.wasRunning ? "devnet stopped" : "devnet was not running"));
}

async function reset(a: GlobalOptions & { yes: boolean }): Promise<void> {
  if (!a.yes) throw new CliError("reset deletes the devnet's chain data, validator keys and faucet key", { hint: "re-run with --yes to confirm", exitCode: 2 });
  await devnetReset(a.home);
  printerFor(a).result({ reset: true }, () => `devnet deleted from ${devnetLayout(a.home).root} (logs kept)`);
}

async function faucet(a: GlobalOptions & { address: string; amount: string }): Promise<void> {
  const to = parseAddress(a.address);
  const amount = parseAmount(a.amount);
  const manifest = await readManifest(a.home);
  if (!manifest) throw new CliError("no devnet here", { hint: "start one with 'trustnet devnet up'" });
  const f = await readFaucet(a.home);
  const node = a.node;
  const client = await connectSigningClient({
    node, chainId: manifest.chainId, gasPrice: parseGasPrice("0.025utrust"),
    signer: () => DirectSecp256k1HdWallet.fromMnemonic(f.mnemonic, { prefix: "trust" }),
  });
  try {
    const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: f.address, toAddress: to, amount: [{ denom: "utrust", amount: amount.toString() }] } };
    const r = await signBroadcastAndWait(client, f.address, [msg], 1.4, "devnet faucet");
    if (r.code !== 0) throw new CliError(`faucet tx failed (code ${r.code}): ${r.rawLog}`);
    printerFor(a).result({ txhash: r.hash, height: r.height, to, utrust: amount.toString() }, () => `sent ${formatTrust(amount)} to ${to} (tx ${r.hash}, height ${r.height})`);
  } catch (err) {
    throw err instanceof CliError ? err : translateChainError(err, { node });
  } finally {
    client.disconnect();
  }
}

export const devnetCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "devnet <command>",
  describe: "run a local devnet (CometBFT + the TrustNet app as host processes)",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .command({
        command: "up",
        describe: "create (first time) and start the devnet; returns once block 1 is committed",
        builder: (b: Argv<GlobalOptions>) => b
          .option("validators", { type: "number", default: 1, describe: `validators (1-${MAX_VALIDATORS}); validator i uses ports base+${PORT_STRIDE}·i` })
          .option("block-time", { type: "string", default: "1s", describe: "CometBFT timeout_commit (new devnets only)" })
          .option("transport", { choices: ["socket", "grpc"] as const, default: "socket" as const, describe: "ABCI transport (new devnets only)" })
          .option("timeout", { type: "number", default: 90, describe: "seconds to wait for the first block" })
          .option("port-offset", { type: "number", default: 0, describe: "added to every port (new devnets only; to run beside another devnet)" })
          .option("app-arg", { type: "string", array: true, hidden: true })
          .example("$0 devnet up", "one validator: RPC 26657, P2P 26656, ABCI 26658")
          .example("$0 devnet up --validators 4", "four validators on loopback (RPC 26657, 26667, 26677, 26687)") as unknown as Argv<UpArgs>,
        handler: (a) => up(a as unknown as UpArgs),
      })
      .command({
        command: "start",
        describe: "run the devnet in the foreground until SIGTERM (for systemd/OpenRC services, e.g. in the node VM)",
        builder: (b: Argv<GlobalOptions>) => b
          .option("foreground", { type: "boolean", default: false, describe: "required: stay attached (use 'devnet up' to detach)" })
          .option("validators", { type: "number", default: 1 })
          .option("block-time", { type: "string", default: "1s" })
          .option("transport", { choices: ["socket", "grpc"] as const, default: "socket" as const })
          .option("port-offset", { type: "number", default: 0 })
          .option("p2p-laddr", { type: "string", describe: "CometBFT P2P listen address of node 0, e.g. tcp://[fd12:3456:789a::1]:26656" })
          .option("rpc-laddr", { type: "string", describe: "CometBFT RPC listen address of node 0, e.g. tcp://0.0.0.0:26657" })
          .option("app-arg", { type: "string", array: true, hidden: true })
          .example("$0 devnet start --foreground --home /var/lib/trustnet --rpc-laddr tcp://0.0.0.0:26657", "as a service's ExecStart"),
        handler: async (raw) => {
          const a = raw as unknown as UpArgs & { foreground: boolean; "p2p-laddr"?: string; "rpc-laddr"?: string };
          if (!a.foreground) throw new CliError("'devnet start' runs in the foreground: pass --foreground (or use 'devnet up' to start it in the background)", { exitCode: 2 });
          await devnetStartForeground({
            home: a.home, validators: a.validators, blockTime: a["block-time"], transport: a.transport, portOffset: a["port-offset"],
            appArgs: a["app-arg"] ?? [], log: (l) => process.stderr.write(l + "\n"),
            ...(a["p2p-laddr"] ? { p2pLaddr: a["p2p-laddr"] } : {}), ...(a["rpc-laddr"] ? { rpcLaddr: a["rpc-laddr"] } : {}),
          });
          process.stderr.write(`devnet running in the foreground (pid ${process.pid}); logs in ${devnetLayout(a.home).logs}; stop with SIGTERM\n`);
        },
      })
      .command({
        command: "status",
        describe: "height, app hash and peers of every node",
        builder: (b: Argv<GlobalOptions>) => b.example("$0 devnet status --output json", "machine-readable status"),
        handler: (a) => status(a),
      })
      .command({ command: "down", describe: "stop the devnet (keeps its data)", builder: (b: Argv<GlobalOptions>) => b.example("$0 devnet down", "stop all processes"), handler: (a) => down(a) })
      .command({
        command: "reset",
        describe: "stop the devnet and delete its chain data and keys",
        builder: (b: Argv<GlobalOptions>) => b.option("yes", { type: "boolean", default: false, describe: "confirm" }).example("$0 devnet reset --yes", "start over"),
        handler: (a) => reset(a as GlobalOptions & { yes: boolean }),
      })
      .command({
        command: "faucet <address> [amount]",
        describe: "send test tokens from the devnet faucet",
        builder: (b: Argv<GlobalOptions>) => b
          .positional("address", { type: "string", demandOption: true, describe: "trust1… recipient" })
          .positional("amount", { type: "string", default: "100TRUST", describe: "amount, e.g. 100TRUST or 5000000utrust" })
          .example("$0 devnet faucet trust1… 50TRUST", "fund an address"),
        handler: (a) => faucet(a as GlobalOptions & { address: string; amount: string }),
      })
      .command({
        command: "keplr",
        describe: "print the devnet's Keplr ChainInfo (for window.keplr.experimentalSuggestChain)",
        builder: (b: Argv<GlobalOptions>) => b.example("$0 devnet keplr > trustnet-devnet.json", "save it for a dApp"),
        handler: async (a) => {
          const manifest = await readManifest(a.home);
          if (!manifest) throw new CliError("no devnet here", { hint: "start one with 'trustnet devnet up'" });
          printerFor({ ...a, output: "json" }).result(keplrChainInfo(manifest));
        },
      })
      .demandCommand(1, "name a devnet command: up, status, down, reset, faucet or keplr"),
  handler: () => undefined,
};
