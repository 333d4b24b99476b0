// `trustnet registry serve|login|logout|namespace|tags|verify`: the registry server, and its on-chain half from the command line.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import type { NodeTarget } from "../chain/index.ts";
import type { Argv, CommandModule } from "yargs";
import { formatCoin, trustnetRegistry, validateRegistryNamespace } from "@trustnet/abci-app";
import { createLoginToken } from "@trustnet/registry";
import { CliError, UsageError } from "../errors.ts";
import { parseSeconds } from "../seconds.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveKeyName, unlockKey } from "../keyring/index.ts";
import {
  queryNamespace, queryNamespaceDeposit, queryNamespaceOwner, queryNamespaceRights, queryNamespaces, queryRegistries, queryRightsAt, queryTagHistory, queryTags,
} from "../registry/chain-queries.ts";
import { audienceAt, operatorAt, registryIdentity } from "../registry/identity.ts";
import { DEFAULT_REGISTRY, parseRef } from "../registry/reference.ts";
import { forgetDockerLogin, recordDockerLogin } from "../registry/docker-logins.ts";
import { revokeLogins } from "../registry/revoke-logins.ts";
import { defaultOperatorKeyPath, serve, type ServeArgs } from "../registry/serve.ts";
import { resolveAddress } from "../address-arg.ts";
import { sendTx, withTxOptions, type SentTx, type TxArgs } from "./tx-options.ts";
import { passphraseSource, withPassphraseOption, type PassphraseOptions } from "./wallet-options.ts";
import { childEnv } from "../child-env.ts";

/** Registries refuse login tokens living longer than this by default (`maxTokenLifetimeSeconds`). */
const MAX_LOGIN_TTL = 24 * 3600;
const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** `registry login`: a key to sign the token with (no transaction). */
type KeyArgs = GlobalOptions & PassphraseOptions & { readonly from?: string };

type Msg = { typeUrl: string; value: unknown };

/** A tag record's time (seconds since the epoch, the block's) as ISO 8601; the seconds when no date has them. */
const secondsIso = (s: bigint): string => {
  const d = new Date(Number(s) * 1000);
  return Number.isNaN(d.getTime()) ? `${s.toString()} s since the epoch` : d.toISOString();
};
/** A namespace's held deposit for people: "1 TRUST (1000000utrust)", "none". */
const depositText = (coins: readonly { denom: string; amount: string }[]): string => (coins.length === 0 ? "none" : coins.map(formatCoin).join(", "));

/** Signs and broadcasts registry-module messages like every tx command (commands/tx-options.ts). */
async function execMsg(a: TxArgs, build: (from: string) => Msg | Msg[] | Promise<Msg[]>): Promise<{ hash: string; height: string; from: string; fee: SentTx["fee"] }> {
  const { res, from, fee } = await sendTx(a, build, { registry: trustnetRegistry() });
  return { hash: res.hash, height: String(res.height), from, fee }; // a 64-bit number in JSON: a string
}

function withKey<T>(y: Argv<T>): Argv<T & KeyArgs> {
  return withPassphraseOption(y.option("from", { type: "string", describe: "key to sign with: a key name or its trust1… address (default: the active key)" })) as unknown as Argv<T & KeyArgs>;
}

/** host:port of a URL, lowercased, with the scheme's default port made explicit. */
function authorityOf(u: string): string | undefined {
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(u) ? u : `http://${u}`);
    return `${url.hostname.toLowerCase()}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  } catch {
    return undefined;
  }
}

/** The registries registered on chain whose endpoint has the host and port of `endpoint`. */
async function registeredAt(target: NodeTarget, endpoint: string): Promise<{ operator: string; endpoint: string }[]> {
  const want = authorityOf(endpoint);
  return (await queryRegistries(target)).filter((r) => authorityOf(r.endpoint) === want);
}

/**
 * The audience of a login token for `registry` (host:port): the operator address of the registry registered on
 * chain with that endpoint (the one the registry says it is, when several are), else the registry's URL
 * (`http://host:port`), which a registry without an operator key accepts. A token for one registry is refused by every other.
 */
export async function registryAudience(target: NodeTarget, registry: string): Promise<string> {
  const registered = await registeredAt(target, registry);
  return audienceAt(registry, registered, registered.length > 0 ? await registryIdentity(registry) : undefined);
}

function withNamespaces<T>(y: Argv<T>): Argv<T & { namespace?: string[] }> {
  return y.option("namespace", { type: "string", array: true, describe: "namespace(s) to change [default: every namespace the key owns]" }) as unknown as Argv<T & { namespace?: string[] }>;
}

/** Looks like a registry endpoint (host:port or a URL) rather than an address or a key name. */
const isEndpoint = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/i.test(s);

/**
 * A registry's operator address from what the user typed: an address or key name, or the endpoint of a registry
 * registered on chain (`127.0.0.1:8000`): the registered operator at that endpoint that the registry itself says it
 * is, so that someone who registered the same endpoint cannot be authorised in its place.
 */
export async function resolveOperator(target: NodeTarget, home: string, input: string): Promise<string> {
  if (!isEndpoint(input)) return resolveAddress(home, input);
  const registered = await registeredAt(target, input);
  return operatorAt(input, registered, registered.length > 0 ? await registryIdentity(input) : undefined);
}

async function authorizeOrRevoke(a: TxArgs & { operator: string; namespace?: string[] }, what: "authorize" | "revoke"): Promise<void> {
  const operator = await resolveOperator(a, a.home, a.operator);
  let namespaces: string[] = [];
  const r = await execMsg(a, async (owner) => {
    namespaces = a.namespace && a.namespace.length > 0 ? [...new Set(a.namespace)] : (await queryNamespaces(a, owner)).map((n) => n.namespace);
    if (namespaces.length === 0) throw new CliError(`${owner} owns no namespace`, { hint: "claim one first: trustnet registry namespace claim <name>" });
    const typeUrl = what === "authorize" ? "/trustnet.registry.v1.MsgAuthorizeRegistry" : "/trustnet.registry.v1.MsgRevokeRegistry";
    return namespaces.map((namespace) => ({ typeUrl, value: { owner, namespace, operator } }));
  });
  printerFor(a).result({ operator, namespaces, [what === "authorize" ? "authorized" : "revoked"]: true, txhash: r.hash, fee: r.fee, height: r.height }, () =>
    `${what === "authorize" ? "authorised" : "revoked"} registry ${operator} for ${namespaces.join(", ")} (tx ${r.hash}, height ${r.height})`);
}

async function member(a: TxArgs & { namespace: string; member: string }, what: "add" | "remove"): Promise<void> {
  const who = await resolveAddress(a.home, a.member);
  const typeUrl = what === "add" ? "/trustnet.registry.v1.MsgAddMember" : "/trustnet.registry.v1.MsgRemoveMember";
  const r = await execMsg(a, (owner) => ({ typeUrl, value: { owner, namespace: a.namespace, member: who } }));
  printerFor(a).result({ namespace: a.namespace, member: who, [what === "add" ? "added" : "removed"]: true, txhash: r.hash, fee: r.fee, height: r.height }, () =>
    `${who} ${what === "add" ? "may now push to" : "may no longer push to"} ${a.namespace} (tx ${r.hash})`);
}

/** Runs the docker CLI (stdin `input`), its output merged; code 127 when it is not installed. */
function runDocker(args: readonly string[], input = ""): Promise<{ code: number; text: string }> {
  return new Promise((resolve) => {
    const d = spawn("docker", [...args], { stdio: ["pipe", "pipe", "pipe"], env: childEnv() });
    let text = "";
    d.stdout.on("data", (c: Buffer) => (text += c.toString()));
    d.stderr.on("data", (c: Buffer) => (text += c.toString()));
    d.on("error", (err) => resolve({ code: 127, text: err.message }));
    d.on("close", (code) => resolve({ code: code ?? 1, text }));
    d.stdin.on("error", () => undefined);
    d.stdin.end(input);
  });
}

async function login(a: KeyArgs & { registry: string; print: boolean; ttl: number; audience?: string }): Promise<void> {
  if (!Number.isInteger(a.ttl) || a.ttl < 60 || a.ttl > MAX_LOGIN_TTL) throw new UsageError(`--ttl must be between 60 seconds and ${MAX_LOGIN_TTL / 3600} hours`, "registries refuse longer-lived tokens");
  const audience = a.audience ?? (await registryAudience(a, a.registry));
  const key = await unlockKey(a.home, await resolveKeyName(a.home, a.from), passphraseSource(a));
  const token = createLoginToken({ privkey: key.privkey, pubkey: key.pubkey, audience, ttlSeconds: a.ttl, now: new Date() });
  const p = printerFor(a);
  if (a.print) {
    p.result({ registry: a.registry, audience, username: key.address, password: token, expires_in_seconds: a.ttl }, () => `username: ${key.address}\npassword: ${token}`);
    return;
  }
  const out = await runDocker(["login", a.registry, "--username", key.address, "--password-stdin"], token);
  if (out.code === 127) throw new CliError("the docker CLI is not installed", { hint: "use 'trustnet registry login --print' and give the username and password to your client" });
  if (out.code !== 0) throw new CliError(`docker login ${a.registry} failed: ${out.text.trim()}`, { hint: "is the registry running (trustnet devnet status) and is the Docker engine up?" });
  // Docker now keeps the password: recorded, so that 'install.sh --uninstall' logs Docker out of this registry. A
  // record that cannot be written does not undo the login; it says so.
  try {
    if (!(await recordDockerLogin(a.home, a.registry))) p.info(`warning: could not record the login to ${a.registry} for 'install.sh --uninstall' (a tab or line break in it or in DOCKER_CONFIG): run 'docker logout ${a.registry}' yourself when you uninstall`);
  } catch (err) {
    p.info(`warning: could not record the login to ${a.registry} in ${a.home}/config/docker-logins (${(err as Error).message}): 'install.sh --uninstall' will not log Docker out of it; run 'docker logout ${a.registry}' then`);
  }
  p.result({ registry: a.registry, audience, username: key.address, logged_in: true, expires_in_seconds: a.ttl }, () => `Logged in to ${a.registry} (${audience}) as ${key.address} (token valid ${Math.round(a.ttl / 3600)} h)`);
}

/**
 * Revokes at the registry every login token of the key made so far (and the bearer tokens issued for them), proven by
 * a fresh one-minute token that the revocation ends too; then waits out the cut-off's second (at most 2 s), so that a
 * `registry login` right after works.
 */
async function logout(a: KeyArgs & { registry: string; audience?: string }): Promise<void> {
  const audience = a.audience ?? (await registryAudience(a, a.registry));
  const key = await unlockKey(a.home, await resolveKeyName(a.home, a.from), passphraseSource(a));
  const token = createLoginToken({ privkey: key.privkey, pubkey: key.pubkey, audience, ttlSeconds: 60, now: new Date() });
  const r = await revokeLogins(a.registry, key.address, token);
  const wait = (r.revokedThrough + 1) * 1000 - Date.now();
  if (wait > 0 && wait <= 2000) await new Promise((done) => setTimeout(done, wait));
  const through = new Date(r.revokedThrough * 1000).toISOString();
  // `registry login` put the password in Docker's credentials: take it out again, as `docker logout` does.
  const docker = await runDocker(["logout", a.registry]);
  const dockerText = docker.code === 0 ? `Docker's credentials for ${a.registry} removed (docker logout ${a.registry}); `
    : docker.code === 127 ? "" : `'docker logout ${a.registry}' failed (${docker.text.trim().split("\n").at(-1) ?? ""}): run it to drop the revoked password from Docker's credentials; `;
  // Docker no longer holds a password for it: out of the record 'install.sh --uninstall' logs Docker out of.
  if (docker.code === 0) {
    try {
      await forgetDockerLogin(a.home, a.registry);
    } catch (err) {
      printerFor(a).info(`warning: could not remove ${a.registry} from ${a.home}/config/docker-logins (${(err as Error).message}): 'install.sh --uninstall' will run 'docker logout ${a.registry}' again, which is harmless`);
    }
  }
  // A cut-off later than this machine's clock by more than the wait (its clock is behind the registry's): a login made
  // here is stamped at or before it and refused until this clock passes it. Say so rather than promise a new login works.
  const behind = wait > 2000 ? Math.ceil(wait / 1000) : 0;
  const next = behind === 0 ? "'trustnet registry login' makes a new one."
    : `'trustnet registry login' from this machine is refused for ${behind} s more: its clock is behind the registry's (login tokens are stamped with it); correct the clock, or wait until ${new Date((r.revokedThrough + 1) * 1000).toISOString()}.`;
  printerFor(a).result({ registry: a.registry, audience, address: key.address, revoked: true, revoked_through: r.revokedThrough, revoked_through_time: through, docker_logged_out: docker.code === 0 }, () =>
    `Revoked every login of ${key.address} at ${a.registry} made at or before ${through} (and the bearer tokens issued for them).\n` +
    `${dockerText}${next}`);
}

async function verify(a: GlobalOptions & { ref: string; wait: number }): Promise<void> {
  const wait = parseSeconds(a.wait, "--wait");
  const ref = parseRef(a.ref);
  const url = `http://${ref.registry}/v2/${ref.namespace}/${ref.repo}/manifests/${ref.tag}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: MANIFEST_TYPES }, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new CliError(`cannot reach the registry at ${ref.registry}: ${(err as Error).message}`, { hint: "is it running? trustnet devnet status" });
  }
  if (res.status !== 200) throw new CliError(`${ref.namespace}/${ref.repo}:${ref.tag}: the registry answered ${res.status}`, { hint: res.status === 401 ? "the registry requires login for pulls" : "check the reference" });
  const body = new Uint8Array(await res.arrayBuffer());
  const served = `sha256:${createHash("sha256").update(body).digest("hex")}`;
  const header = res.headers.get("docker-content-digest");
  let record: Awaited<ReturnType<typeof queryTags>>[number] | undefined;
  const end = Date.now() + wait * 1000;
  for (;;) {
    record = (await queryTags(a, ref.namespace, ref.repo)).find((t) => t.tag === ref.tag);
    if (record?.digest === served || Date.now() >= end) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const digestOk = record !== undefined && record.digest === served && (header === null || header === served);
  const rights = record === undefined ? undefined : await queryRightsAt(a, ref.namespace, record.operator, record.pusher, record.height);
  const rightsOk = rights !== undefined && rights.operatorAuthorized && (rights.pusherIsOwner || rights.pusherIsMember);
  const ok = digestOk && rightsOk;
  const name = `${ref.namespace}/${ref.repo}:${ref.tag}`;
  const json = {
    ref: `${ref.registry}/${name}`, served, header,
    recorded: record?.digest ?? null,
    record: record === undefined ? null : { digest: record.digest, media_type: record.mediaType, size: record.size.toString(), height: record.height.toString(), time: record.time.toString() },
    operator: record?.operator ?? null,
    pusher: record?.pusher ?? null,
    rights_at_record_height: rights === undefined ? null : { owner: rights.owner, operator_authorized: rights.operatorAuthorized, pusher_is_owner: rights.pusherIsOwner, pusher_is_member: rights.pusherIsMember },
    verified: ok,
  };
  const yes = (b: boolean): string => (b ? "yes" : "NO");
  printerFor(a).result(json, () => [
    `${ok ? "verified" : "NOT VERIFIED"}: ${name}`,
    `  served    ${served}${header && header !== served ? ` (header ${header})` : ""}`,
    `  recorded  ${record ? `${record.digest} at height ${record.height}` : "(no record)"}`,
    ...(record && rights ? [
      `  operator  ${record.operator}  authorised by the owner at height ${record.height}: ${yes(rights.operatorAuthorized)}`,
      `  pusher    ${record.pusher}  owner or member at height ${record.height}: ${yes(rights.pusherIsOwner || rights.pusherIsMember)}${rights.pusherIsOwner ? " (owner)" : rights.pusherIsMember ? " (member)" : ""}`,
    ] : []),
  ].join("\n"));
  if (!ok) {
    const why = record === undefined ? "the tag has no on-chain record"
      : !digestOk ? "the digest served differs from the one recorded on chain"
        : !rights?.operatorAuthorized ? `the registry that recorded it (${record.operator}) was not authorised by the owner of ${ref.namespace} at height ${record.height}`
          : `the pusher ${record.pusher} was neither the owner nor a member of ${ref.namespace} at height ${record.height}`;
    throw new CliError(why, { exitCode: 1 });
  }
}

async function tags(a: GlobalOptions & { repo: string; history?: string }): Promise<void> {
  const ref = parseRef(a.repo.includes(":") ? a.repo : `${a.repo}:latest`);
  const recs = a.history ? await queryTagHistory(a, ref.namespace, ref.repo, a.history) : await queryTags(a, ref.namespace, ref.repo);
  // Each field as `query registry tags` and the REST route print the record: `time` in seconds, a string (text shows
  // it as ISO), and a deletion's `digest` "" as on chain (text shows "(deleted)").
  const json = recs.map((r) => ({ tag: r.tag, digest: r.digest, media_type: r.mediaType, size: r.size, pusher: r.pusher, height: r.height, time: r.time }));
  printerFor(a).result({ namespace: ref.namespace, repo: ref.repo, records: json }, () =>
    json.length === 0 ? `no tags recorded for ${ref.namespace}/${ref.repo}` : json.map((r) => `${r.tag.padEnd(20)} ${r.digest === "" ? "(deleted)" : r.digest}  height ${r.height}  at ${secondsIso(r.time)}  by ${r.pusher || "-"}`).join("\n"));
}

export const registryCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "registry <command>",
  describe: "the OCI registry: serve it, docker login, namespaces and on-chain tag records",
  builder: (y: Argv<GlobalOptions>) => y
    .command({
      command: "serve",
      describe: "run the OCI registry in the foreground against a node (namespace owners from the chain, tags recorded on it)",
      builder: (b: Argv<GlobalOptions>) => b
        .option("listen", { type: "string", describe: "host:port to listen on; IPv6 in brackets, e.g. [::]:8000 [default: 127.0.0.1:8000, or the --config file's]" })
        .option("data", { type: "string", describe: "storage directory [default: <home>/registry, or the --config file's dataDir]" })
        .option("operator-key", { type: "string", describe: `registry operator key file (JSON {"mnemonic"}, mode 0600) that signs the tag records [default: ${defaultOperatorKeyPath("<home>")} if it exists]` })
        .option("operator-key-trusted-mount", { type: "boolean", describe: "the operator key file is on a mount no other user can reach (a Kubernetes secret volume): accept it readable by its group and others (it must still be yours or root's and writable by no one else)" })
        .option("config", { type: "string", describe: "registry JSON config file (see config/registry.json); flags override it" })
        .option("foreground", { type: "boolean", describe: "accepted for service managers: serve always runs in the foreground, logs JSON to stdout and stops on SIGTERM/SIGINT" })
        .example("$0 registry serve", "127.0.0.1:8000, node 127.0.0.1:26657, key and data in ~/.trustnet")
        .example('$0 registry serve --listen "[::]:8000"', "on every interface, IPv6 and IPv4")
        .epilog([
          "--node is the CometBFT RPC URL (http://, https:// or tcp://; IPv6 hosts in brackets). The node need",
          "not be up: the registry serves anyway, GET /health reports chain.reachable=false, and it retries.",
          "Without an operator key it checks namespace ownership on chain but records no tags (and warns).",
          "A bad flag, an unreadable key, a taken port or an unwritable data directory stop it before it",
          "writes anything.",
        ].join("\n")),
      handler: (a) => {
        if ((a as { foreground?: boolean }).foreground === false) throw new UsageError("'registry serve' always runs in the foreground", "let the service manager (or your shell's &) put it in the background");
        return serve(a as unknown as ServeArgs);
      },
    })
    .command({
      command: "login",
      describe: "sign a short-lived registry token with your chain key and log docker in",
      builder: (b: Argv<GlobalOptions>) => withKey(b)
        .option("registry", { type: "string", default: DEFAULT_REGISTRY, describe: "registry host:port" })
        .option("print", { type: "boolean", default: false, describe: "print the username and token instead of running docker login" })
        .option("ttl", { type: "number", default: 12 * 3600, describe: "token lifetime in seconds (max 24 h: registries refuse longer ones)" })
        .option("audience", { type: "string", describe: "the registry's identity the token is for [default: the operator address registered on chain with this endpoint, else http://<registry>]" })
        .example("$0 registry login", "docker login 127.0.0.1:8000 as the active key")
        .example("$0 registry login --print --output json", "credentials for skopeo/crane/containerd")
        .epilog("A successful docker login is recorded in <home>/config/docker-logins: 'install.sh --uninstall' runs docker logout for each registry there."),
      handler: (a) => login(a as never),
    })
    .command({
      command: "logout",
      describe: "revoke at the registry every login token your key made so far (a leaked docker password stops working at once), then docker logout",
      builder: (b: Argv<GlobalOptions>) => withKey(b)
        .option("registry", { type: "string", default: DEFAULT_REGISTRY, describe: "registry host:port" })
        .option("audience", { type: "string", describe: "the registry's identity [default: as for registry login]" })
        .example("$0 registry logout", "every login of the active key at 127.0.0.1:8000 ends now")
        .epilog("Login tokens made after the revocation (the next second) work: run 'trustnet registry login' again. Docker's stored password for the registry is removed too (docker logout <registry>), where the docker CLI is installed."),
      handler: (a) => logout(a as never),
    })
    .command({
      command: "namespace <command>",
      describe: "claim, transfer, release or list namespaces",
      builder: (b: Argv<GlobalOptions>) => b
        .command({
          command: "claim <namespace>", describe: "claim an unclaimed namespace (locks the chain's namespace deposit until you release it)",
          builder: (c: Argv<GlobalOptions>) => withTxOptions(c).positional("namespace", { type: "string", demandOption: true }).example("$0 registry namespace claim acme", "push to 127.0.0.1:8000/acme/…")
            // The chain's own rule, checked as the line is parsed: a bad name is never signed (nor its deposit announced).
            .check((argv) => {
              try {
                validateRegistryNamespace(String(argv.namespace));
              } catch {
                throw new UsageError(`invalid namespace ${JSON.stringify(String(argv.namespace).slice(0, 80))}: 1-64 characters of [a-z0-9] separated by single . _ or -`, "e.g. acme, my-team or acme.dev (lower case)");
              }
              return true;
            }),
          handler: async (a) => {
            const args = a as unknown as TxArgs & { namespace: string };
            const p = printerFor(args);
            const deposit = await queryNamespaceDeposit(args);
            const locks = deposit.amount === "0" ? [] : [deposit];
            p.info(locks.length === 0
              ? `claiming ${args.namespace} locks no deposit (the chain's namespace_deposit is 0)`
              : `claiming ${args.namespace} locks a deposit of ${formatCoin(deposit)} besides the fee; releasing the namespace refunds it`);
            const r = await execMsg(args, (owner) => ({ typeUrl: "/trustnet.registry.v1.MsgClaimNamespace", value: { owner, namespace: args.namespace } }));
            p.result({ namespace: args.namespace, owner: r.from, deposit: locks, txhash: r.hash, fee: r.fee, height: r.height }, () =>
              `namespace ${args.namespace} claimed by ${r.from}, deposit ${depositText(locks)} locked (tx ${r.hash})`);
          },
        })
        .command({
          command: "transfer <namespace> <new-owner>", describe: "give a namespace to another address or key (its deposit goes with it: the new owner gets it back on release)",
          builder: (c: Argv<GlobalOptions>) => withTxOptions(c).positional("namespace", { type: "string", demandOption: true }).positional("new-owner", { type: "string", demandOption: true }).example("$0 registry namespace transfer acme trust1…", "hand over acme"),
          handler: async (a) => {
            const args = a as unknown as TxArgs & { namespace: string; "new-owner": string };
            const to = await resolveAddress(args.home, args["new-owner"]);
            const r = await execMsg(args, (owner) => ({ typeUrl: "/trustnet.registry.v1.MsgTransferNamespace", value: { owner, namespace: args.namespace, newOwner: to } }));
            printerFor(args).result({ namespace: args.namespace, from: r.from, to, txhash: r.hash, fee: r.fee }, () => `namespace ${args.namespace} transferred to ${to}, with the deposit it holds (tx ${r.hash})`);
          },
        })
        .command({
          command: "release <namespace>", describe: "give up a namespace (its deposit is refunded to you)",
          builder: (c: Argv<GlobalOptions>) => withTxOptions(c).positional("namespace", { type: "string", demandOption: true }),
          handler: async (a) => {
            const args = a as unknown as TxArgs & { namespace: string };
            const refund = (await queryNamespace(args, args.namespace))?.deposit ?? [];
            const r = await execMsg(args, (owner) => ({ typeUrl: "/trustnet.registry.v1.MsgReleaseNamespace", value: { owner, namespace: args.namespace } }));
            printerFor(args).result({ namespace: args.namespace, released: true, refund, txhash: r.hash, fee: r.fee }, () =>
              `namespace ${args.namespace} released, deposit refunded: ${depositText(refund)} (tx ${r.hash})`);
          },
        })
        .command({
          command: "list [owner]", describe: "namespaces of an address or key (--all: every namespace)",
          builder: (c: Argv<GlobalOptions>) => c.positional("owner", { type: "string" }).option("all", { type: "boolean", default: false }).example("$0 registry namespace list --all -o json", "every claimed namespace"),
          handler: async (a) => {
            const args = a as unknown as GlobalOptions & { owner?: string; all: boolean };
            const owner = args.all ? "" : await resolveAddress(args.home, args.owner);
            const list = await queryNamespaces(args, owner);
            printerFor(args).result({ namespaces: list }, () => (list.length === 0 ? "no namespaces" : list.map((n) => `${n.namespace.padEnd(24)} ${n.owner}  deposit ${depositText(n.deposit)}`).join("\n")));
          },
        })
        .command({
          command: "show <namespace>", describe: "a namespace: its owner and the deposit it holds",
          builder: (c: Argv<GlobalOptions>) => c.positional("namespace", { type: "string", demandOption: true }).example("$0 registry namespace show library -o json", "owner and deposit"),
          handler: async (a) => {
            const args = a as unknown as GlobalOptions & { namespace: string };
            const n = await queryNamespace(args, args.namespace);
            if (n === undefined) throw new CliError(`namespace ${args.namespace} is not claimed`, { hint: `trustnet registry namespace claim ${args.namespace}` });
            printerFor(args).result(n, () => [`namespace  ${n.namespace}`, `owner      ${n.owner}`, `deposit    ${depositText(n.deposit)} (refunded to the owner who releases it)`].join("\n"));
          },
        })
        .command({
          command: "owner <namespace>", describe: "who owns a namespace",
          builder: (c: Argv<GlobalOptions>) => c.positional("namespace", { type: "string", demandOption: true }),
          handler: async (a) => {
            const args = a as unknown as GlobalOptions & { namespace: string };
            const owner = await queryNamespaceOwner(args, args.namespace);
            printerFor(args).result({ namespace: args.namespace, owner: owner ?? null }, () => owner ?? `${args.namespace} is not claimed`);
          },
        })
        .demandCommand(1, "name a namespace command: claim, transfer, release, list, show or owner"),
      handler: () => undefined,
    })
    .command({
      command: "authorize <operator>", describe: "let the registry run by <operator> (address, key name, or a registered endpoint such as 127.0.0.1:8000) record tags in your namespaces",
      builder: (b: Argv<GlobalOptions>) => withNamespaces(withTxOptions(b).positional("operator", { type: "string", demandOption: true, describe: "the registry's operator address (trustnet registry list), a key name, or its endpoint as registered on chain" }))
        .example("$0 registry authorize 127.0.0.1:8000", "the registry at that endpoint (the registered operator it says it is), in every namespace you own")
        .example("$0 registry authorize trust1…", "in every namespace you own").example("$0 registry authorize trust1… --namespace acme", "in acme only"),
      handler: (a) => authorizeOrRevoke(a as never, "authorize"),
    })
    .command({
      command: "revoke <operator>", describe: "stop the registry run by <operator> from recording tags in your namespaces (its next push is refused)",
      builder: (b: Argv<GlobalOptions>) => withNamespaces(withTxOptions(b).positional("operator", { type: "string", demandOption: true }))
        .example("$0 registry revoke trust1… --namespace acme", "acme only"),
      handler: (a) => authorizeOrRevoke(a as never, "revoke"),
    })
    .command({
      command: "member <command>",
      describe: "who may push to a namespace besides its owner",
      builder: (b: Argv<GlobalOptions>) => b
        .command({
          command: "add <namespace> <member>", describe: "let an address or key push to your namespace",
          builder: (c: Argv<GlobalOptions>) => withTxOptions(c).positional("namespace", { type: "string", demandOption: true }).positional("member", { type: "string", demandOption: true }),
          handler: (a) => member(a as never, "add"),
        })
        .command({
          command: "remove <namespace> <member>", describe: "take that right back",
          builder: (c: Argv<GlobalOptions>) => withTxOptions(c).positional("namespace", { type: "string", demandOption: true }).positional("member", { type: "string", demandOption: true }),
          handler: (a) => member(a as never, "remove"),
        })
        .command({
          command: "list <namespace>", describe: "the owner, members and authorised registries of a namespace",
          builder: (c: Argv<GlobalOptions>) => c.positional("namespace", { type: "string", demandOption: true }),
          handler: async (a) => {
            const args = a as unknown as GlobalOptions & { namespace: string };
            const r = await queryNamespaceRights(args, args.namespace);
            if (r === undefined) throw new CliError(`namespace ${args.namespace} is not claimed`, { hint: `trustnet registry namespace claim ${args.namespace}` });
            printerFor(args).result({ namespace: args.namespace, ...r }, () => [`owner       ${r.owner}`, `members     ${r.members.join(", ") || "(none)"}`, `registries  ${r.authorized.join(", ") || "(none authorised)"}`].join("\n"));
          },
        })
        .demandCommand(1, "name a member command: add, remove or list"),
      handler: () => undefined,
    })
    .command({
      command: "list", describe: "registries registered on chain (operator address and endpoint)",
      builder: (b: Argv<GlobalOptions>) => b,
      handler: async (a) => {
        const args = a as unknown as GlobalOptions;
        const list = await queryRegistries(args);
        printerFor(args).result({ registries: list }, () => (list.length === 0 ? "no registries" : list.map((r) => `${r.operator}  ${r.endpoint}`).join("\n")));
      },
    })
    .command({
      command: "tags <repo>", describe: "tags of a repository as recorded on chain (--history <tag>: every version)",
      builder: (b: Argv<GlobalOptions>) => b.positional("repo", { type: "string", demandOption: true }).option("history", { type: "string", describe: "show every recorded digest of this tag" })
        .example("$0 registry tags acme/app", "current tags").example("$0 registry tags acme/app --history 1 -o json", "tag 1's digest history"),
      handler: (a) => tags(a as never),
    })
    .command({
      command: "verify <ref>", describe: "check that the digest served for a tag equals the one recorded on chain",
      builder: (b: Argv<GlobalOptions>) => b.positional("ref", { type: "string", demandOption: true }).option("wait", { type: "number", default: 0, describe: "seconds to wait for the on-chain record (it is written asynchronously)" })
        .example("$0 registry verify 127.0.0.1:8000/acme/app:1", "exit 0 only when they match"),
      handler: (a) => verify(a as never),
    })
    .demandCommand(1, "name a registry command: serve, login, logout, namespace, authorize, revoke, member, list, tags or verify"),
  handler: () => undefined,
};

