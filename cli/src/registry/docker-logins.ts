// The registries `trustnet registry login` logged Docker in to, kept in `<home>/config/docker-logins`, so that
// `install.sh --uninstall` can run `docker logout` for each (and only those) before it deletes the home.
import { mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";

const HEADER = [
  "# Registries 'trustnet registry login' logged Docker in to: 'install.sh --uninstall' runs docker logout for each.",
  "# One a line: <registry>, then a tab and the DOCKER_CONFIG of that login when one was set.",
];

export function dockerLoginsPath(home: string): string {
  return join(home, "config", "docker-logins");
}

/** The record's line for a login to `registry` in this process's Docker config, or undefined when none can be written. */
function lineOf(registry: string, env: NodeJS.ProcessEnv): string | undefined {
  const config = env.DOCKER_CONFIG ? resolve(env.DOCKER_CONFIG) : "";
  if (/[\t\r\n]/u.test(registry + config) || registry === "") return undefined;
  return config === "" ? registry : `${registry}\t${config}`;
}

async function recorded(path: string): Promise<string[]> {
  try {
    return (await readFile(path, "utf8")).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    return [];
  }
}

/**
 * Adds `registry` (as given to `docker login`) and the Docker config directory of this process (`DOCKER_CONFIG`,
 * absolute; none: Docker's default) to the record, once. A registry or directory holding a tab or a line break
 * cannot be written as a line: not recorded (it returns false).
 */
export async function recordDockerLogin(home: string, registry: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const line = lineOf(registry, env);
  if (line === undefined) return false;
  const path = dockerLoginsPath(home);
  const lines = await recorded(path);
  if (lines.includes(line)) return true;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, [...HEADER, ...lines, line, ""].join("\n"), "replace");
  return true;
}

/**
 * After a successful `docker logout <registry>` (`trustnet registry logout`): takes the registry's line for this
 * process's Docker config directory (as recordDockerLogin wrote it) out of the record, keeping every other line (the
 * same registry in another DOCKER_CONFIG too: that login is still in place). The record goes when no line is left.
 * Returns whether a line was removed.
 */
export async function forgetDockerLogin(home: string, registry: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const line = lineOf(registry, env);
  const path = dockerLoginsPath(home);
  const lines = await recorded(path);
  if (line === undefined || !lines.includes(line)) return false;
  const kept = lines.filter((l) => l !== line);
  if (kept.length === 0) await rm(path, { force: true });
  else await writeFileAtomic(path, [...HEADER, ...kept, ""].join("\n"), "replace");
  return true;
}
