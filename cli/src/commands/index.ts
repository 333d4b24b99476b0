import type { CommandModule } from "yargs";
import { accountCommand } from "./account.ts";
import { balanceCommand } from "./balance.ts";
import { devnetCommand } from "./devnet.ts";
import { registryCommand } from "./registry.ts";
import { keysCommand } from "./keys.ts";
import { sendCommand } from "./send.ts";
import { shellCommand } from "./shell.ts";
import { txCommand } from "./tx.ts";
import { vmCommand } from "@trustnet/provisioner";

/** Every top-level command, in the order `--help` lists them. Wiring happens here and nowhere else. */
export const commands: readonly CommandModule<object, never>[] = [
  devnetCommand as unknown as CommandModule<object, never>,
  keysCommand as unknown as CommandModule<object, never>,
  registryCommand as unknown as CommandModule<object, never>,
  balanceCommand as unknown as CommandModule<object, never>,
  sendCommand as unknown as CommandModule<object, never>,
  txCommand as unknown as CommandModule<object, never>,
  accountCommand as unknown as CommandModule<object, never>,
  vmCommand as unknown as CommandModule<object, never>,
  shellCommand as unknown as CommandModule<object, never>,
];
