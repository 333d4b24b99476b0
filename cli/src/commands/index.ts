import type { CommandModule } from "yargs";

/** Every top-level command, in the order `--help` lists them. Wiring happens here and nowhere else. */
export const commands: readonly CommandModule<object, never>[] = [];
