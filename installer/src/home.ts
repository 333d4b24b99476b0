// The TrustNet home the installer's Node entry works in: --home, else $TRUSTNET_HOME, else ~/.trustnet. An empty
// variable counts as unset, as in install.sh (`${TRUSTNET_HOME:-…}`) and the CLI.
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function installerHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? (env.TRUSTNET_HOME || join(homedir(), ".trustnet")));
}
