// `trustnet node init|start`: a full node of an existing chain (e.g. a devnet) in this home — its own CometBFT and
// app, synced from a peer. `trustnet validator join` then makes it a validator.
import { protoJson } from "@trustnet/abci-app";
import type { Argv, CommandModule } from "yargs";
import { findCometbft } from "../devnet/cometbft-bin.ts";
import { fullNodeLayout, initFullNode, readFullNode } from "../fullnode/init.ts";
import { runFullNode } from "../fullnode/run.ts";
import { UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";

type InitArgs = GlobalOptions & { peer: string; genesis: string; "genesis-sha256"?: string; "chain-id"?: string; "p2p-laddr"?: string; "external-address"?: string; seeds?: string; "persistent-peers"?: string; "port-offset": number; moniker: string; "block-time": string };
type StartArgs = GlobalOptions & { "app-arg"?: string[] };

const init: CommandModule<GlobalOptions, InitArgs> = {
  command: "init",
  describe: "set up a full node of an existing chain under <home>/fullnode (new node and consensus keys)",
  builder: (y) => y
    .option("peer", { type: "string", demandOption: true, describe: "a node to sync from: <node id>@host:port" })
    .option("genesis", { type: "string", demandOption: true, describe: "the chain's genesis.json (a path or an http(s) URL ending in .json), or a CometBFT RPC URL to fetch it from" })
    .option("genesis-sha256", { type: "string", describe: "the sha256 (hex) the genesis bytes must have; a URL --genesis needs this and/or --chain-id" })
    .option("chain-id", { type: "string", describe: "the chain id the genesis must name" })
    .option("p2p-laddr", { type: "string", describe: "P2P listen address tcp://HOST:PORT (default tcp://0.0.0.0:<26656 + port offset>)" })
    .option("external-address", { type: "string", describe: "host:port other nodes dial to reach this one (default: CometBFT's guess)" })
    .option("seeds", { type: "string", describe: "comma-separated <node id>@host:port seed nodes" })
    .option("persistent-peers", { type: "string", describe: "comma-separated <node id>@host:port to stay connected to (default: --peer)" })
    .option("port-offset", { type: "number", default: 0, describe: "added to every contract port (P2P 26656, RPC 26657, ABCI 26658, REST 1317)" })
    .option("moniker", { type: "string", default: "fullnode", describe: "the node's name" })
    .option("block-time", { type: "string", default: "1s", describe: "CometBFT timeout_commit (use the chain's)" })
    .example("$0 node init --home ~/n1 --peer 3f2a…@10.0.0.1:26656 --genesis http://10.0.0.1:26657 --chain-id trustnet-1 --genesis-sha256 <hex> --port-offset 100", "") as unknown as Argv<InitArgs>,
  handler: async (a) => {
    const offset = a["port-offset"];
    if (!Number.isInteger(offset) || offset < 0 || offset > 30_000) throw new UsageError(`--port-offset must be a whole number from 0 to 30000, got ${offset}`);
    const p = printerFor(a);
    const m = await initFullNode({ home: a.home, cometbft: findCometbft(a.home), peer: a.peer, genesis: a.genesis, genesisSha256: a["genesis-sha256"], chainId: a["chain-id"], p2pLaddr: a["p2p-laddr"], externalAddress: a["external-address"], seeds: a.seeds, persistentPeers: a["persistent-peers"], portOffset: offset, moniker: a.moniker, blockTime: a["block-time"], log: (l) => p.info(l) });
    // The manifest as node.json holds it, its keys snake_case (every key is a field name: no data map).
    p.result(protoJson({ ...m, home: fullNodeLayout(a.home).root }), () => [`node ${m.moniker} of ${m.chainId} set up in ${fullNodeLayout(a.home).root}`, `node id: ${m.nodeId}`, `genesis sha256: ${m.genesisSha256 ?? "?"}`, `RPC http://127.0.0.1:${m.ports.rpc}  P2P ${m.ports.p2p}  REST ${m.ports.rest}`, `start it: trustnet node start --home ${a.home}`].join("\n"));
  },
};

const start: CommandModule<GlobalOptions, StartArgs> = {
  command: "start",
  describe: "run the node (CometBFT + the app) in the foreground until SIGTERM/SIGINT",
  builder: (y) => y.option("app-arg", { type: "string", array: true, hidden: true }) as unknown as Argv<StartArgs>,
  handler: async (a) => {
    const manifest = await readFullNode(a.home);
    await runFullNode({ home: a.home, cometbft: findCometbft(a.home), manifest, appArgs: a["app-arg"] ?? [], log: (l) => printerFor(a).info(l) });
  },
};

export const nodeCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "node <command>",
  describe: "a full node of an existing chain (init, start)",
  builder: (y) => y
    .command(init as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(start as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .demandCommand(1, "name a node command"),
  handler: () => undefined,
};
