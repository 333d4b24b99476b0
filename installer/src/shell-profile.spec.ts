// install.sh's shell integration, run for real in a throwaway HOME: its own profile functions (taken from install.sh's
// text, as the installer defines them) write the env file and the profile lines and remove them again, and real shells
// (sh, and Debian's zsh) start with them. zsh reads neither ~/.profile nor ~/.bash*: when zsh is the user's shell or is
// installed, ${ZDOTDIR:-$HOME}/.zshenv gets the line too. fish reads no sh profile and cannot source the sh env file:
// when fish is the user's shell or installed, ${XDG_CONFIG_HOME:-~/.config}/fish/conf.d/trustnet.fish sources
// $TRUSTNET_HOME/env.fish. And install.sh itself runs under zsh, as sh and as zsh.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const installSh = join(root, "install.sh");
const HEADER = "# Created by TrustNet's install.sh; 'install.sh --uninstall' deletes this file if nothing else is added to it.";
const SYSTEM_PATH = "/usr/bin:/bin";

/** The definition of the shell function NAME in install.sh (one line, or through the `}` at its indentation). */
function shellFunction(name: string): string {
  const lines = readFileSync(installSh, "utf8").split("\n");
  const start = lines.findIndex((l) => l.trimStart().startsWith(`${name}() {`));
  assert.ok(start >= 0, `install.sh defines ${name}`);
  const first = lines[start] ?? "";
  if (first.trimEnd().endsWith("}")) return first.trim();
  const indent = /^\s*/u.exec(first)?.[0] ?? "";
  const end = lines.findIndex((l, i) => i > start && l === `${indent}}`);
  assert.ok(end > start, `install.sh: ${name} ends`);
  return lines.slice(start, end + 1).map((l) => l.slice(indent.length)).join("\n");
}

function fishPath(): string {
  const r = spawnSync("/bin/sh", ["-c", "command -v fish"], { encoding: "utf8", env: { PATH: SYSTEM_PATH } });
  assert.equal(r.status, 0, "fish is installed (scripts/prereqs.sh installs Debian's fish package)");
  return r.stdout.trim();
}

function setprivPath(): string {
  const r = spawnSync("/bin/sh", ["-c", "command -v setpriv"], { encoding: "utf8", env: { PATH: SYSTEM_PATH } });
  assert.equal(r.status, 0, "setpriv is installed (util-linux), to run a step as another user than root");
  return r.stdout.trim();
}

function zshPath(): string {
  const r = spawnSync("/bin/sh", ["-c", "command -v zsh"], { encoding: "utf8", env: { PATH: SYSTEM_PATH } });
  assert.equal(r.status, 0, "zsh is installed (scripts/prereqs.sh installs Debian's zsh package)");
  return r.stdout.trim();
}

let work = "";
let harness = "";
/** A PATH with the tools the profile functions use, and no zsh or fish. */
let noZshBin = "";
let n = 0;

before(() => {
  zshPath();
  fishPath();
  work = mkdtempSync(join(tmpdir(), "tn-shell-profile-"));
  harness = join(work, "harness.sh");
  const header = readFileSync(installSh, "utf8").split("\n").find((l) => l.startsWith("TN_PROFILE_HEADER="));
  assert.ok(header !== undefined, "install.sh sets TN_PROFILE_HEADER");
  const fns = ["say", "sq", "fish_sq", "profiles", "fish_conf", "profile_line", "write_env", "profile_lines", "warn_other_homes", "remove_profile_lines"].map(shellFunction);
  writeFileSync(harness, `set -eu\n${header}\n${fns.join("\n")}\n"$@"\n`);
  noZshBin = join(work, "no-zsh-bin");
  mkdirSync(noZshBin);
  for (const t of ["grep", "awk", "sed", "mv", "chmod", "cat", "rm", "tail", "tr", "dirname", "mkdir", "rmdir"]) {
    const at = spawnSync("/bin/sh", ["-c", `command -v ${t}`], { encoding: "utf8", env: { PATH: SYSTEM_PATH } }).stdout.trim();
    assert.ok(at.startsWith("/"), `${t} is installed`);
    symlinkSync(at, join(noZshBin, t));
  }
});
after(() => rmSync(work, { recursive: true, force: true }));

interface Account { home: string; tn: string; app: string }
/** A fresh HOME with an installed-looking TrustNet home (a path with a space) holding bin/. */
function account(): Account {
  const home = join(work, `home${++n}`);
  const tn = join(home, "tn home");
  mkdirSync(join(tn, "bin"), { recursive: true });
  return { home, tn, app: join(home, "app") };
}

/** Runs install.sh's FN (write_env, remove_profile_lines) under /bin/sh for the account. */
function runFn(fn: string, a: Account, env: Record<string, string>): string {
  const r = spawnSync("/bin/sh", [harness, fn], { encoding: "utf8", env: { HOME: a.home, TRUSTNET_HOME: a.tn, APP: a.app, ...env } });
  assert.equal(r.status, 0, `${fn}: ${r.stderr}`);
  return r.stderr;
}

/** A new shell (argv: the shell and its options) run with `-c SCRIPT` in the account, stdin closed. */
function shell(a: Account, argv: string[], script: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const [cmd = "", ...opts] = argv;
  return spawnSync(cmd, [...opts, "-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { HOME: a.home, PATH: SYSTEM_PATH, ...env } });
}

const lineFor = (a: Account): string => `. "${a.tn}/env"  # TrustNet (added by install.sh)`;

describe("install.sh shell integration with zsh", () => {
  test("SHELL=/bin/zsh, no ~/.zshrc: ~/.zshenv is created with the line; new zsh shells (interactive, login, plain) find trustnet; --uninstall's removal deletes the files it created", () => {
    const a = account();
    const zsh = zshPath();
    // zsh is the login shell but not on the installer's PATH: $SHELL alone decides.
    const out = runFn("write_env", a, { SHELL: "/bin/zsh", PATH: noZshBin });
    const zshenv = join(a.home, ".zshenv");
    assert.ok(out.includes(`created ${zshenv}: ${lineFor(a)}`), out);
    assert.equal(readFileSync(zshenv, "utf8"), `${HEADER}\n\n${lineFor(a)}\n`);
    assert.equal(readFileSync(join(a.home, ".profile"), "utf8"), `${HEADER}\n\n${lineFor(a)}\n`);
    assert.equal(existsSync(join(a.home, ".zshrc")), false, "no ~/.zshrc is created");
    for (const argv of [[zsh, "-i"], [zsh, "-l"], [zsh]]) {
      const r = shell(a, argv, "command -v trustnet; print -r -- $TRUSTNET_HOME");
      assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
      assert.deepEqual(r.stdout.trim().split("\n"), [join(a.tn, "bin", "trustnet"), a.tn], argv.join(" "));
    }
    // A re-run adds nothing.
    runFn("write_env", a, { SHELL: "/bin/zsh", PATH: noZshBin });
    assert.equal(readFileSync(zshenv, "utf8"), `${HEADER}\n\n${lineFor(a)}\n`);
    runFn("remove_profile_lines", a, { SHELL: "/bin/zsh", PATH: noZshBin });
    assert.equal(existsSync(zshenv), false, "the ~/.zshenv the installer created is deleted");
    assert.equal(existsSync(join(a.home, ".profile")), false, "the ~/.profile the installer created is deleted");
    const gone = shell(a, [zsh, "-i"], "command -v trustnet");
    assert.notEqual(gone.status, 0, gone.stdout);
  });

  test("zsh only installed (SHELL=/bin/bash), ZDOTDIR set, the user's own .zshenv and .zshrc: the line goes to $ZDOTDIR/.zshenv and .zshrc, PATH gets trustnet once, and removal leaves the user's files as they were", () => {
    const a = account();
    const zsh = zshPath();
    const zdot = join(a.home, ".config", "zsh");
    mkdirSync(zdot, { recursive: true });
    const mineEnv = "# my zshenv\nexport EDITOR=vi\n";
    const mineRc = "# my zshrc\nsetopt no_beep\n\n";
    writeFileSync(join(zdot, ".zshenv"), mineEnv);
    writeFileSync(join(a.home, ".zshrc"), mineRc);
    const out = runFn("write_env", a, { SHELL: "/bin/bash", PATH: SYSTEM_PATH, ZDOTDIR: zdot });
    assert.ok(out.includes(`added to ${join(zdot, ".zshenv")}: ${lineFor(a)}`), out);
    assert.equal(readFileSync(join(zdot, ".zshenv"), "utf8"), `${mineEnv}\n${lineFor(a)}\n`);
    assert.equal(readFileSync(join(a.home, ".zshrc"), "utf8"), `${mineRc}\n${lineFor(a)}\n`);
    assert.equal(existsSync(join(a.home, ".zshenv")), false, "zsh reads $ZDOTDIR/.zshenv, not ~/.zshenv");
    // An interactive zsh sources the env file twice (.zshenv, then .zshrc): trustnet's directories are on PATH once.
    const r = shell(a, [zsh, "-i"], "command -v trustnet; print -rl -- $path", { ZDOTDIR: zdot });
    assert.equal(r.status, 0, r.stderr);
    const [found, ...path] = r.stdout.trim().split("\n");
    assert.equal(found, join(a.tn, "bin", "trustnet"));
    assert.deepEqual(path.filter((p) => p.startsWith(a.tn)), [join(a.tn, "bin"), join(a.tn, "node", "bin")], path.join(":"));
    runFn("remove_profile_lines", a, { SHELL: "/bin/bash", PATH: SYSTEM_PATH, ZDOTDIR: zdot });
    assert.equal(readFileSync(join(zdot, ".zshenv"), "utf8"), mineEnv, "the user's .zshenv is as it was");
    assert.equal(readFileSync(join(a.home, ".zshrc"), "utf8"), mineRc, "the user's .zshrc is as it was");
  });

  test("no zsh (not the shell, not on PATH): no .zshenv is written", () => {
    const a = account();
    runFn("write_env", a, { SHELL: "/bin/bash", PATH: noZshBin });
    assert.equal(existsSync(join(a.home, ".zshenv")), false);
    assert.ok(existsSync(join(a.home, ".profile")));
  });

  test("the env file is idempotent: sourced twice, in sh and in zsh, it puts trustnet's directories on PATH once", () => {
    const a = account();
    runFn("write_env", a, { SHELL: "/bin/bash", PATH: noZshBin });
    const env = join(a.tn, "env");
    const script = `. "${env}"; first=$PATH; . "${env}"; [ "$PATH" = "$first" ] || exit 3; printf '%s\\n' "$PATH"`;
    for (const sh of ["/bin/sh", zshPath()]) {
      const r = shell(a, [sh], script, { PATH: SYSTEM_PATH });
      assert.equal(r.status, 0, `${sh}: ${r.stderr}`);
      assert.equal(r.stdout.trim(), `${join(a.tn, "bin")}:${join(a.tn, "node", "bin")}:${SYSTEM_PATH}`, sh);
    }
  });
});

describe("install.sh shell integration with bash", () => {
  test("a ~/.bash_login and no ~/.bash_profile (a login bash then never reads ~/.profile): the line goes to ~/.bash_login too, a new login bash finds trustnet, removal restores the file; with a ~/.bash_profile, ~/.bash_login is left alone", () => {
    const a = account();
    const mine = "# my bash_login\nexport EDITOR=vi\n";
    const login = join(a.home, ".bash_login");
    mkdirSync(a.home, { recursive: true });
    writeFileSync(login, mine);
    const out = runFn("write_env", a, { SHELL: "/bin/bash", PATH: noZshBin });
    assert.ok(out.includes(`added to ${login}: ${lineFor(a)}`), out);
    const r = shell(a, ["/bin/bash", "-l"], "command -v trustnet; echo $EDITOR");
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n"), [join(a.tn, "bin", "trustnet"), "vi"]);
    runFn("remove_profile_lines", a, { SHELL: "/bin/bash", PATH: noZshBin });
    assert.equal(readFileSync(login, "utf8"), mine, "the user's ~/.bash_login is as it was");

    const b = account();
    const bLogin = join(b.home, ".bash_login");
    writeFileSync(join(b.home, ".bash_profile"), "# my bash_profile\n");
    writeFileSync(bLogin, mine);
    runFn("write_env", b, { SHELL: "/bin/bash", PATH: noZshBin });
    assert.equal(readFileSync(bLogin, "utf8"), mine, "bash does not read ~/.bash_login beside a ~/.bash_profile: unchanged");
    assert.ok(readFileSync(join(b.home, ".bash_profile"), "utf8").includes(lineFor(b)));
  });

  test("--uninstall's removal makes no file beside a profile: a read-only home, a directory named ~/.bashrc.trustnet-tmp and a file of the user's named ~/.profile.trustnet-tmp change nothing; each profile is as it was, the user's files too", () => {
    const a = account();
    const mineProfile = "# my profile\nexport EDITOR=vi\n\n\n";
    const mineRc = "# my bashrc\nalias ll='ls -l'\n";
    writeFileSync(join(a.home, ".profile"), mineProfile);
    writeFileSync(join(a.home, ".bashrc"), mineRc);
    runFn("write_env", a, { SHELL: "/bin/bash", PATH: noZshBin });
    assert.equal(readFileSync(join(a.home, ".bashrc"), "utf8"), `${mineRc}\n${lineFor(a)}\n`);
    assert.equal(readFileSync(join(a.home, ".profile"), "utf8"), `${mineProfile}\n${lineFor(a)}\n`);
    mkdirSync(join(a.home, ".bashrc.trustnet-tmp"));
    writeFileSync(join(a.home, ".profile.trustnet-tmp"), "my own notes\n");
    chmodSync(a.home, 0o555);
    try {
      const out = runFn("remove_profile_lines", a, { SHELL: "/bin/bash", PATH: noZshBin });
      assert.doesNotMatch(out, /warning/u, out);
    } finally {
      chmodSync(a.home, 0o755);
    }
    assert.equal(readFileSync(join(a.home, ".bashrc"), "utf8"), mineRc, "~/.bashrc is as it was");
    assert.equal(readFileSync(join(a.home, ".profile"), "utf8"), mineProfile, "~/.profile is as it was, its trailing blank lines too");
    assert.ok(statSync(join(a.home, ".bashrc.trustnet-tmp")).isDirectory(), "the directory of that name is left alone");
    assert.equal(readFileSync(join(a.home, ".profile.trustnet-tmp"), "utf8"), "my own notes\n", "the user's file of that name is left alone");
    assert.deepEqual(readdirSync(a.home).sort(), [".bashrc", ".bashrc.trustnet-tmp", ".profile", ".profile.trustnet-tmp", "tn home"]);
  });

  test("--uninstall's removal as a user who cannot write the home or ~/.bashrc: it goes on (status 0); the installer's ~/.profile loses the line and is named to delete, ~/.bashrc is left with a warning naming the line", () => {
    const a = account();
    const mineRc = "# my bashrc\n";
    writeFileSync(join(a.home, ".bashrc"), mineRc);
    runFn("write_env", a, { SHELL: "/bin/bash", PATH: noZshBin });
    // Directory and file permissions bind only a user who is not root: as root, the removal runs as nobody (setpriv),
    // the owner of the account.
    const root = process.getuid?.() === 0;
    const nobody = 65534;
    if (root) {
      chmodSync(work, 0o711);
      for (const p of [a.home, join(a.home, ".profile"), join(a.home, ".bashrc")]) chownSync(p, nobody, nobody);
    }
    chmodSync(join(a.home, ".bashrc"), 0o444);
    chmodSync(a.home, 0o555);
    let r;
    try {
      const env = { HOME: a.home, TRUSTNET_HOME: a.tn, APP: a.app, SHELL: "/bin/bash", PATH: noZshBin };
      r = root
        ? spawnSync(setprivPath(), [`--reuid=${nobody}`, `--regid=${nobody}`, "--clear-groups", "/bin/sh", harness, "remove_profile_lines"], { encoding: "utf8", env })
        : spawnSync("/bin/sh", [harness, "remove_profile_lines"], { encoding: "utf8", env });
    } finally {
      chmodSync(a.home, 0o755);
      chmodSync(work, 0o700);
    }
    assert.equal(r.status, 0, r.stderr);
    const profile = join(a.home, ".profile");
    assert.ok(r.stderr.includes(`warning: cannot remove ${profile} (its directory is read-only); the TrustNet line is gone from it and nothing else is in it: delete it yourself`), r.stderr);
    assert.equal(readFileSync(profile, "utf8"), `${HEADER}\n`);
    assert.ok(r.stderr.includes(`warning: cannot write to ${join(a.home, ".bashrc")} (read-only, or managed by another tool); remove this line from it yourself: ${lineFor(a)}`), r.stderr);
    assert.equal(readFileSync(join(a.home, ".bashrc"), "utf8"), `${mineRc}\n${lineFor(a)}\n`, "~/.bashrc is left as it was");
  });
});

describe("install.sh shell integration with fish", () => {
  const fishLine = (a: Account): string => `source "${a.tn}/env.fish"  # TrustNet (added by install.sh)`;

  test("SHELL=fish, no fish config yet: conf.d/trustnet.fish is created; new fish shells (plain, login, interactive) find trustnet once, also under a home with a quote; removal deletes the file", () => {
    const fish = fishPath();
    const a = account();
    // A home whose path holds a single quote (allowed in a prefix) must survive fish's quoting too.
    const tn = join(a.home, "it's tn");
    mkdirSync(join(tn, "bin"), { recursive: true });
    const acct = { ...a, tn };
    // fish is the login shell but not on the installer's PATH: $SHELL alone decides.
    const out = runFn("write_env", acct, { SHELL: "/usr/bin/fish", PATH: noZshBin });
    const conf = join(a.home, ".config", "fish", "conf.d", "trustnet.fish");
    assert.ok(out.includes(`created ${conf}: ${fishLine(acct)}`), out);
    assert.equal(readFileSync(conf, "utf8"), `${HEADER}\n\n${fishLine(acct)}\n`);
    assert.equal(existsSync(join(a.home, ".zshenv")), false, "no zsh: no ~/.zshenv");
    for (const opts of [[], ["-l"], ["-i"]]) {
      const r = shell(acct, [fish, ...opts], "source $__fish_config_dir/conf.d/trustnet.fish; command -v trustnet; printf '%s\\n' $TRUSTNET_HOME; string join : $PATH");
      assert.equal(r.status, 0, `fish ${opts.join(" ")}: ${r.stderr}`);
      const [found, home, path = ""] = r.stdout.trim().split("\n");
      assert.equal(found, join(tn, "bin", "trustnet"), `fish ${opts.join(" ")}`);
      assert.equal(home, tn);
      // conf.d is read at startup, and the test sources the file once more: the directories are on PATH once.
      assert.deepEqual(path.split(":").filter((p) => p.startsWith(tn)), [join(tn, "bin"), join(tn, "node", "bin")], path);
    }
    // A re-run adds nothing.
    runFn("write_env", acct, { SHELL: "/usr/bin/fish", PATH: noZshBin });
    assert.equal(readFileSync(conf, "utf8"), `${HEADER}\n\n${fishLine(acct)}\n`);
    runFn("remove_profile_lines", acct, { SHELL: "/usr/bin/fish", PATH: noZshBin });
    assert.equal(existsSync(conf), false, "the conf.d file the installer created is deleted");
    const gone = shell(acct, [fish], "command -v trustnet");
    assert.notEqual(gone.status, 0, gone.stdout);
  });

  test("fish only installed (SHELL=/bin/bash), XDG_CONFIG_HOME set, the user's own conf.d file of that name: the line is added there and removed again, the user's file left as it was", () => {
    const fish = fishPath();
    const a = account();
    const xdg = join(a.home, "xdg");
    const confd = join(xdg, "fish", "conf.d");
    mkdirSync(confd, { recursive: true });
    const mine = "# my fish setup\nset -gx EDITOR vi\n";
    writeFileSync(join(confd, "trustnet.fish"), mine);
    const env = { SHELL: "/bin/bash", PATH: `${dirname(fish)}:${noZshBin}`, XDG_CONFIG_HOME: xdg };
    const out = runFn("write_env", a, env);
    assert.ok(out.includes(`added to ${join(confd, "trustnet.fish")}: ${fishLine(a)}`), out);
    assert.equal(existsSync(join(a.home, ".config")), false, "fish reads $XDG_CONFIG_HOME/fish, not ~/.config/fish");
    const r = shell(a, [fish], "command -v trustnet; echo $EDITOR", { XDG_CONFIG_HOME: xdg });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n"), [join(a.tn, "bin", "trustnet"), "vi"]);
    runFn("remove_profile_lines", a, env);
    assert.equal(readFileSync(join(confd, "trustnet.fish"), "utf8"), mine, "the user's file is as it was");
  });

  test("the directories made for conf.d/trustnet.fish go with it when it was all they held; a config directory with other files stays", () => {
    const a = account();
    runFn("write_env", a, { SHELL: "/usr/bin/fish", PATH: noZshBin });
    assert.ok(existsSync(join(a.home, ".config", "fish", "conf.d", "trustnet.fish")));
    runFn("remove_profile_lines", a, { SHELL: "/usr/bin/fish", PATH: noZshBin });
    assert.equal(existsSync(join(a.home, ".config")), false, "~/.config/fish/conf.d, made for the file, is gone with it");
    const b = account();
    mkdirSync(join(b.home, ".config", "git"), { recursive: true });
    writeFileSync(join(b.home, ".config", "git", "config"), "[user]\n");
    runFn("write_env", b, { SHELL: "/usr/bin/fish", PATH: noZshBin });
    runFn("remove_profile_lines", b, { SHELL: "/usr/bin/fish", PATH: noZshBin });
    assert.equal(existsSync(join(b.home, ".config", "fish")), false, "fish/ and conf.d/ made for the file are gone");
    assert.equal(readFileSync(join(b.home, ".config", "git", "config"), "utf8"), "[user]\n", "the rest of ~/.config stays");
  });

  test("no fish (not the shell, not on PATH): no fish config is written", () => {
    const a = account();
    runFn("write_env", a, { SHELL: "/bin/bash", PATH: noZshBin });
    assert.equal(existsSync(join(a.home, ".config")), false);
    assert.ok(existsSync(join(a.tn, "env.fish")), "env.fish is written for a fish installed later");
  });
});

describe("install.sh under zsh", () => {
  test("as sh (zsh invoked as sh) and as zsh: --help and --dry-run work, find this clone, and plan the ~/.zshenv line", () => {
    const zsh = zshPath();
    const home = join(work, "dry-run-home");
    const asSh = join(work, "zsh-as-sh");
    mkdirSync(home);
    mkdirSync(asSh);
    symlinkSync(zsh, join(asSh, "sh"));
    const env = { HOME: home, SHELL: zsh, PATH: process.env.PATH ?? SYSTEM_PATH };
    for (const argv0 of [join(asSh, "sh"), zsh]) {
      const help = spawnSync(argv0, [installSh, "--help"], { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
      assert.equal(help.status, 0, `${argv0} --help: ${help.stderr}`);
      assert.match(help.stdout + help.stderr, /Usage: install\.sh \[options\]/u);
      const prefix = join(home, "tn");
      const dry = spawnSync(argv0, [installSh, "--dry-run", "--prefix", prefix], { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
      assert.equal(dry.status, 0, `${argv0} --dry-run: ${dry.stderr}`);
      assert.ok(dry.stderr.includes(`app          : use the clone at ${root}`), dry.stderr);
      assert.ok(dry.stderr.includes(`to ${join(home, ".profile")} ${join(home, ".zshenv")}`), dry.stderr);
      assert.doesNotMatch(dry.stderr, /no matches found|command not found|bad substitution/u);
      assert.equal(existsSync(prefix), false, "a dry run creates nothing");
    }
  });
});
