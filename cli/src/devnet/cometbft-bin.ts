import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { COMETBFT_VERSION } from "@trustnet/installer";
import { CliError } from "../errors.ts";

/** `<home>/bin/cometbft` (where install.sh puts it), else the first `cometbft` on PATH. */
export function findCometbft(home: string, env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [join(home, "bin", "cometbft"), ...(env.PATH ?? "").split(delimiter).filter(Boolean).map((d) => join(d, "cometbft"))];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  throw new CliError(`cometbft v${COMETBFT_VERSION} is not installed (looked in ${join(home, "bin")} and on PATH)`, {
    hint: `run ./install.sh, or: node installer/src/main.ts cometbft --home ${home}`,
  });
}
