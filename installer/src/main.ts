// The installer's Node entry, called by install.sh once Node 24 is in place:
//   node installer/src/main.ts cometbft [--home DIR] [--mirror URL] [--no-go] [--stage FILE]
//   node installer/src/main.ts ports [--home DIR] PORT...
//   node installer/src/main.ts release --out DIR [--allow-untracked]  (release artefacts for TRUSTNET_BASE_URL)
// Exit codes: 0 ok, 1 failure (message + hint on stderr), 2 bad usage,
// ports: 3 = taken by another program, 4 = taken only by processes of this TrustNet home.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureCometbft, reportedVersion, versionMatches } from "./cometbft.ts";
import { COMETBFT_VERSION } from "./versions.ts";
import { InstallerError } from "./errors.ts";
import { installerHome } from "./home.ts";
import { commandUsesHome, describePortInUse, portsInUse } from "./ports.ts";
import { buildRelease } from "./release.ts";

const USAGE = `usage: node installer/src/main.ts cometbft [--home DIR] [--mirror URL] [--no-go] [--stage FILE]
       node installer/src/main.ts ports [--home DIR] PORT...
       node installer/src/main.ts release --out DIR [--allow-untracked]`;

const homeOf = (v: string | undefined): string => installerHome(v);

async function cometbftCmd(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { home: { type: "string" }, mirror: { type: "string" }, "no-go": { type: "boolean" }, stage: { type: "string" } },
    strict: true,
  });
  const home = homeOf(values.home);
  // --stage FILE (install.sh's upgrade): the installed <home>/bin/cometbft stays as it is (a running devnet restarts
  // its processes from it); a missing or other version is installed at FILE, which install.sh swaps in later.
  if (values.stage !== undefined) {
    const installed = join(home, "bin", "cometbft");
    if (versionMatches(await reportedVersion(installed), COMETBFT_VERSION)) {
      process.stdout.write(`${installed}\t${COMETBFT_VERSION}\tinstalled\n`);
      return 0;
    }
  }
  const r = await ensureCometbft({
    home,
    ...(values.stage === undefined ? {} : { binPath: resolve(values.stage) }),
    ...(values.mirror === undefined ? {} : { baseUrl: values.mirror }),
    goFallback: values["no-go"] !== true,
  });
  process.stdout.write(`${r.path}\t${r.version}\t${r.source}\n`);
  return 0;
}

async function portsCmd(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { home: { type: "string" } }, allowPositionals: true, strict: true });
  const ports = positionals.map(Number);
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    process.stderr.write(`error: ports must be numbers 1-65535\n${USAGE}\n`);
    return 2;
  }
  const home = homeOf(values.home);
  const taken = await portsInUse(ports);
  if (taken.length === 0) return 0;
  const foreign = taken.filter((t) => !commandUsesHome(t.command, home));
  for (const t of taken) process.stdout.write(`${describePortInUse(t)}${foreign.includes(t) ? "" : " [this TrustNet home]"}\n`);
  return foreign.length === 0 ? 4 : 3;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === "cometbft") return await cometbftCmd(rest);
    if (cmd === "ports") return await portsCmd(rest);
    if (cmd === "release") {
      const { values } = parseArgs({ args: rest, options: { out: { type: "string" }, "allow-untracked": { type: "boolean" } }, strict: true });
      const r = await buildRelease(resolve(import.meta.dirname, "../.."), resolve(values.out ?? "dist/release"), { allowUntracked: values["allow-untracked"] === true });
      process.stdout.write(`${r.tarball}\n${r.tarball}.sha256\n${r.installSh}\n`);
      return 0;
    }
    process.stderr.write(`${cmd === undefined ? "" : `error: unknown command '${cmd}'\n`}${USAGE}\n`);
    return 2;
  } catch (err) {
    if (err instanceof InstallerError) {
      process.stderr.write(`error: ${err.message}\n${err.hint === undefined ? "" : `hint: ${err.hint}\n`}`);
      return 1;
    }
    if (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`error: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
