// `trustnet lease ssh <id> [-i key] [--fetch-host-key] [-- command…]`: execs ssh into a ready lease's VM with the on-chain host key pinned.
import { spawn } from "node:child_process";
import type { NodeTarget } from "../chain/index.ts";
import type { Argv, CommandModule } from "yargs";
import { leasingTypes as L, stateName } from "@trustnet/abci-app";
import { CliError } from "../errors.ts";
import type { GlobalOptions } from "../global-options.ts";
import { leaseId } from "../leasing/args.ts";
import { queryLease } from "../leasing/queries.ts";
import { checkLoginUser, fetchHostKey, leaseSshArgs, type ReadyLease, writeLeaseKnownHosts } from "../provider/lease-ssh.ts";
import { childEnv } from "../child-env.ts";

type SshArgs = GlobalOptions & { id: string; identity?: string; user?: string; "fetch-host-key"?: boolean; command?: string[]; _?: (string | number)[] };

/** The words after the lease id: yargs keeps those after `--` in `_`, behind the command path (lease ssh). */
export function remoteCommand(a: Pick<SshArgs, "command" | "_">): string[] {
  const rest = (a._ ?? []).map(String);
  const at = rest.indexOf("ssh");
  return [...(a.command ?? []).map(String), ...(at >= 0 ? rest.slice(at + 1) : [])];
}

async function readyLease(target: NodeTarget, id: bigint): Promise<ReadyLease> {
  const l = await queryLease(target, id);
  if (l.state !== L.LeaseState.ready) throw new CliError(`lease ${id} is ${stateName(l.state)}`, { hint: l.state === L.LeaseState.pending ? "wait for the provider to announce it ready ('trustnet lease show')" : "the VM is gone" });
  return { id: id.toString(), sshHost: l.sshHost, sshPort: Number(l.sshPort), hostKeyFingerprint: l.hostKeyFingerprint, hostPublicKey: l.hostPublicKey };
}

export const leaseSshCommand: CommandModule<GlobalOptions, SshArgs> = {
  command: "ssh <id> [command..]",
  describe: "SSH into a ready lease's VM, its host key pinned from the chain (use -- before a remote command)",
  builder: (y) => (y as Argv<GlobalOptions>)
    .positional("id", { type: "string", demandOption: true, describe: "lease id" })
    .positional("command", { type: "string", array: true, describe: "remote command" })
    .option("identity", { alias: "i", type: "string", describe: "private key file (default: ssh's own choice)" })
    .option("user", { alias: "l", type: "string", describe: "login user (default: tenant, the user cloud-init creates)" })
    .option("fetch-host-key", { type: "boolean", default: false, describe: "for a lease whose provider published only the host key fingerprint: take the key the VM offers ssh-keyscan, if it hashes to that fingerprint" }) as unknown as Argv<SshArgs>,
  handler: async (a) => {
    checkLoginUser(a.user); // before the chain is asked or a file written
    const onChain = await readyLease(a, leaseId(a.id));
    const lease = onChain.hostPublicKey === "" && a["fetch-host-key"] === true ? { ...onChain, hostPublicKey: await fetchHostKey(onChain) } : onChain;
    if (lease !== onChain) process.stderr.write(`lease ${lease.id}: host key fetched from the VM; it matches the on-chain fingerprint ${lease.hostKeyFingerprint}\n`);
    const knownHosts = await writeLeaseKnownHosts(a.home, lease);
    const args = leaseSshArgs(lease, knownHosts, { identity: a.identity, user: a.user, command: remoteCommand(a) });
    process.exitCode = await new Promise<number>((resolve, reject) => {
      const p = spawn("ssh", args, { stdio: "inherit", env: childEnv() });
      p.on("error", (e) => reject(new CliError(`cannot run ssh: ${e.message}`, { hint: "install the OpenSSH client" })));
      p.on("exit", (code) => resolve(code ?? 255));
    });
  },
};
