// The registries `trustnet registry login` logged Docker in to, kept in `<home>/config/docker-logins`, so that
// `install.sh --uninstall` can run `docker logout` for each (and only those) before it deletes the home.
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";

const HEADER = [
  "# Registries 'trustnet registry login' logged Docker in to: 'install.sh --uninstall' runs docker logout for each.",
  "# One a line: <registry>, then a tab and the DOCKER_CONFIG of that login when one was set.",
];

export function dockerLoginsPath(home: string): string {
  return join(home, "config", "docker-logins");
}

/**
 * Adds `registry` (as given to `docker login`) and the Docker config directory of this process (`DOCKER_CONFIG`,
 * absolute; none: Docker's default) to the record, once. A registry or directory holding a tab or a line break
 * cannot be written as a line: not recorded (it returns false).
 */
export async function recordDockerLogin(home: string, registry: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const config = env.DOCKER_CONFIG ? resolve(env.DOCKER_CONFIG) : "";
  if (/[\t\r\n]/u.test(registry + config) || registry === "") return false;
  const line = config === "" ? registry : `${registry}\t${config}`;
  const path = dockerLoginsPath(home);
  let lines: string[] = [];
  try {
    lines = (await readFile(path, "utf8")).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (lines.includes(line)) return true;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, [...HEADER, ...lines, line, ""].join("\n"), "replace");
  return true;
}
