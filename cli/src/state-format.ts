// The state-format marker of a chain home (see abci-app/src/app/state-format.ts): written into devnet.json by
// `devnet generate|up` and into node.json by `node init`, and checked before anything starts a chain from that
// home. TrustNet has no state migrations, so a home of another format — or of none, which means it was made before
// the marker existed — is refused with what to run and what it deletes, and nothing is changed.
import { join } from "node:path";
import { APP_VERSION, STATE_FORMAT_VERSION } from "@trustnet/abci-app";
import { CliError } from "./errors.ts";

/** The field of devnet.json and node.json that records the state format. */
export interface StateFormatMarker {
  /** STATE_FORMAT_VERSION of the build that made the home; absent in homes made before it was recorded. */
  readonly stateFormat?: number;
}

/** The exit code of a refused home (install.sh tells it apart from other start failures). */
export const INCOMPATIBLE_HOME_EXIT = 3;

/** What a new home records. */
export const currentStateFormat = (): { readonly stateFormat: number } => ({ stateFormat: STATE_FORMAT_VERSION });

const describeFound = (found: unknown): string =>
  found === undefined ? "none recorded: it was made by a TrustNet version older than the state-format marker" : `state format ${JSON.stringify(found)}`;

/** `trustnet devnet up|start` and the supervisor: refuses a devnet made by an incompatible version. */
export function assertDevnetStateFormat(home: string, root: string, manifest: StateFormatMarker): void {
  if (manifest.stateFormat === STATE_FORMAT_VERSION) return;
  throw new CliError(
    `the devnet in ${root} was made by an incompatible TrustNet version (${describeFound(manifest.stateFormat)}); ` +
      `this TrustNet ${APP_VERSION} runs state format ${STATE_FORMAT_VERSION} and has no state migrations, so it cannot continue that chain. Nothing was started or changed`,
    {
      hint: `start a new chain: trustnet devnet reset --home "${home}" --yes && trustnet devnet up --home "${home}". ` +
        `The reset deletes ${root}: the old chain's blocks and state (balances, delegations, leases, registry records) and its ` +
        `validator, faucet and registry-operator keys; your keystore (${join(home, "keys")}) and the logs are kept. ` +
        `To keep the old chain instead, run it with the TrustNet version that made it`,
      exitCode: INCOMPATIBLE_HOME_EXIT,
    },
  );
}

/** `trustnet node start` (and `validator join`): refuses a full node made by an incompatible version. */
export function assertFullNodeStateFormat(home: string, root: string, manifest: StateFormatMarker): void {
  if (manifest.stateFormat === STATE_FORMAT_VERSION) return;
  throw new CliError(
    `the node in ${root} was made by an incompatible TrustNet version (${describeFound(manifest.stateFormat)}); ` +
      `this TrustNet ${APP_VERSION} runs state format ${STATE_FORMAT_VERSION} and has no state migrations, so it cannot continue from that node's state. Nothing was started or changed`,
    {
      hint: `move ${root} aside (or delete it) and run 'trustnet node init --home "${home}" …' again, then let it sync. ` +
        `That drops the node's synced blocks and state and its node and consensus keys (${join(root, "cometbft", "config")}): ` +
        `keep a copy of priv_validator_key.json if this node is a validator. Your keystore (${join(home, "keys")}) is kept`,
      exitCode: INCOMPATIBLE_HOME_EXIT,
    },
  );
}
