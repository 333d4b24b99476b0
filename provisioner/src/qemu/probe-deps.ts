/** The real machine behind ProbeDeps. */
import { constants } from "node:fs";
import { access, open, readdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { shell } from "../shell.ts";
import type { ProbeDeps } from "./probe.ts";

export function realProbeDeps(): ProbeDeps {
  const $ = shell({ timeout: "20s" });
  return {
    platform: process.platform,
    hostArch: process.arch,
    home: homedir(),
    exec: async (file, args) => {
      const r = await $`${file} ${args}`;
      return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
    },
    readFile: async (path) => readFile(path, "utf8").catch(() => undefined),
    listDir: async (path) => readdir(path).catch(() => []),
    exists: async (path) => access(path, constants.R_OK).then(() => true, () => false),
    canOpenReadWrite: async (path) => {
      try {
        const fh = await open(path, "r+");
        await fh.close();
        return true;
      } catch {
        return false;
      }
    },
  };
}
