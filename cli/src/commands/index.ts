import type { CommandModule } from "yargs";
import { accountCommand } from "./account.ts";
import { balanceCommand } from "./balance.ts";
import { devnetCommand } from "./devnet.ts";
import { registryCommand } from "./registry.ts";
import { keysCommand } from "./keys.ts";
import { leaseCommand } from "./lease.ts";
import { providerCommand } from "./provider.ts";
import { sendCommand } from "./send.ts";
import { type BuildCli, shellCommand } from "./shell.ts";
import { txCommand } from "./tx.ts";
import { queryCommand } from "./query.ts";
import { statusCommand } from "./chain-query.ts";
import { nodeCommand } from "./node.ts";
import { validatorCommand } from "./validator.ts";
import { STATE_FORMAT_VERSION } from "@trustnet/abci-app";
import { makeVmCommand, realVmIo } from "@trustnet/provisioner";
import { terminalSafe } from "../terminal-text.ts";

/**
 * Every top-level command, in the order `--help` lists them. Wiring happens here and nowhere else.
 * The shell runs lines through the same parser, so the builder is handed in rather than imported (no cycle).
 */
export const commands = (buildCli: BuildCli): readonly CommandModule<object, never>[] => [
  devnetCommand as unknown as CommandModule<object, never>,
  keysCommand as unknown as CommandModule<object, never>,
  registryCommand as unknown as CommandModule<object, never>,
  balanceCommand as unknown as CommandModule<object, never>,
  sendCommand as unknown as CommandModule<object, never>,
  nodeCommand as unknown as CommandModule<object, never>,
  validatorCommand as unknown as CommandModule<object, never>,
  txCommand as unknown as CommandModule<object, never>,
  queryCommand as unknown as CommandModule<object, never>,
  statusCommand as unknown as CommandModule<object, never>,
  accountCommand as unknown as CommandModule<object, never>,
  providerCommand as unknown as CommandModule<object, never>,
  leaseCommand as unknown as CommandModule<object, never>,
  // The VM commands learn the app's state format here (the provisioner does not import the app), and print a VM's
  // console with its control characters escaped, as `provider lease-logs` (terminal-text.ts).
  makeVmCommand(realVmIo({ stateFormat: STATE_FORMAT_VERSION }, terminalSafe)),
  shellCommand(buildCli) as unknown as CommandModule<object, never>,
];
