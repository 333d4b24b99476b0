// The state format: one number for everything a chain home holds whose shape this build must understand (genesis
// sections and params, the records in the state, the state database's layout). TrustNet has no state migrations: a
// change to any of these makes homes written before it unreadable to this build, or (worse) readable with a
// different app hash. Such a change increments STATE_FORMAT_VERSION; `trustnet devnet generate|up` and
// `trustnet node init` record it in the home (devnet.json, node.json), and every start refuses a home that records
// another version or none (cli/src/state-format.ts). The golden app hashes (golden-app-hash.spec.ts) are pinned
// with this version: re-pinning them means incrementing it.

/** The state format this build writes and runs. Homes of any other format must be reset. 2: the registry's params
 * (namespace_deposit) are in InitChain's state and claims lock a deposit (docs/registry.md, "Namespace deposits"). */
export const STATE_FORMAT_VERSION = 2;
