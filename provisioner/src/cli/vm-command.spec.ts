// `trustnet vm …`'s --home default: $TRUSTNET_HOME, else ~/.trustnet; an empty variable counts as unset, never as "".
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import ssh2 from "ssh2";
import yargs from "yargs";
import { InvalidConfigError, LockedError, NotOwnerError, VmStateError } from "../errors.ts";
import { FILES, lockFile, vmDir, vmsRoot } from "../lifecycle/layout.ts";
import { withLock } from "../lifecycle/lock.ts";
import { runState } from "../lifecycle/state.ts";
import { fakeDeps, testRecord } from "../lifecycle/testing.ts";
import { createVm } from "../lifecycle/vm.ts";
import { userName } from "../lifecycle/owner.ts";
import { MAX_SIGN_STATE_BYTES, vmDevnetHome } from "../payloads/vm-devnet.ts";
import { fakeShell } from "../testing/fake-shell.ts";
import { realShell } from "../shell.ts";
import { generateEd25519, openSshPrivateKey } from "../ssh/keys.ts";
import { defaultVmHome, makeVmCommand } from "./vm-command.ts";
import type { UpDeps } from "./vm-up.ts";

/** A process that passes for the VM's QEMU (runState: its argv names the pidfile), written to the pidfile. */
async function fakeQemu(home: string, name: string): Promise<ReturnType<typeof spawn>> {
  const pidfile = join(vmDir(home, name), FILES.pid);
  const qemu = spawn("sh", ["-c", "sleep 600; true", "qemu-system-aarch64", "-pidfile", pidfile], { stdio: "ignore" });
  await writeFile(pidfile, `${qemu.pid}\n`);
  return qemu;
}

test("defaultVmHome: $TRUSTNET_HOME when set, ~/.trustnet when unset or empty", () => {
  assert.equal(defaultVmHome({ TRUSTNET_HOME: "/srv/tn" }), "/srv/tn");
  assert.equal(defaultVmHome({}), join(homedir(), ".trustnet"));
  assert.equal(defaultVmHome({ TRUSTNET_HOME: "" }), join(homedir(), ".trustnet"));
});

// Bad numbers are refused before anything happens. yargs turns `abc` into NaN: `vm stop --timeout abc` used to skip the
// guest's power-down and kill QEMU at once, and NaN readiness deadlines were never reached.
test("vm commands: a bad --timeout, --lines or VM name is a clear error that changes nothing (a running VM stays up)", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmcmd-"));
  const pidfile = join(vmDir(home, "trustnet-node"), FILES.pid);
  const qemu = spawn("sh", ["-c", "sleep 600; true", "qemu-system-aarch64", "-pidfile", pidfile], { stdio: "ignore" });
  try {
    await createVm(home, testRecord("trustnet-node", 2299), async () => undefined, fakeDeps());
    await writeFile(pidfile, `${qemu.pid}\n`);
    const run = (argv: string[]): Promise<unknown> => {
      const cmd = makeVmCommand({ consoleText: (t) => t, out: () => undefined, err: () => undefined, deps: () => assert.fail("nothing may start") });
      return yargs([...argv, "--home", home]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
    };
    const before = readdirSync(vmDir(home, "trustnet-node")).sort();
    for (const argv of [["vm", "stop", "--timeout", "abc"], ["vm", "stop", "node", "--timeout", "-1"], ["vm", "start", "node", "--timeout", "0"],
      ["vm", "restart", "node", "--timeout", "abc"], ["vm", "up", "--timeout", "nope"], ["vm", "create", "node", "--timeout", "-5"],
      // Past 2^31-1 ms the readiness wait's SSH timers fired at once (it never saw the VM ready): a day at most.
      ["vm", "start", "node", "--timeout", "3000000"], ["vm", "restart", "node", "--timeout", "86401"], ["vm", "up", "--timeout", "1e9"], ["vm", "stop", "--timeout", "1e12"]]) {
      await assert.rejects(run(argv), (e: unknown) => e instanceof InvalidConfigError && /^--timeout must be a number of seconds above 0/.test(e.message), argv.join(" "));
    }
    for (const lines of ["abc", "0", "-5", "2.5"]) {
      await assert.rejects(run(["vm", "logs", "node", "--lines", lines]), (e: unknown) => e instanceof InvalidConfigError && /^--lines must be a whole number from 1 up/.test(e.message), lines);
    }
    // A name that is not a VM, beside one that is: refused before any VM is stopped (its QMP socket hears nothing).
    const qmpHeard: string[] = [];
    const qmp = createServer((c) => {
      c.write('{"QMP": {}}\n');
      c.on("data", (d) => {
        qmpHeard.push(d.toString().trim());
        c.write('{"return": {}}\n');
      });
    });
    await new Promise<void>((r) => qmp.listen(join(vmDir(home, "trustnet-node"), FILES.qmp), r));
    await assert.rejects(run(["vm", "stop", "node", "validator-9", "--timeout", "1"]), (e: unknown) => e instanceof VmStateError && /no VM named trustnet-validator-9/.test(e.message));
    await new Promise((r) => setTimeout(r, 300));
    qmp.close();
    assert.deepEqual(qmpHeard, [], "no power-down was sent");
    assert.equal((await runState(vmDir(home, "trustnet-node"))).state, "running", "the VM was not stopped");
    assert.deepEqual(readdirSync(vmDir(home, "trustnet-node")).sort(), before);
    assert.ok(!existsSync(lockFile(home)));
  } finally {
    qemu.kill("SIGKILL");
    await rm(home, { recursive: true, force: true });
  }
});

// `vm logs --follow` (lifecycle/serial-follow.ts, whose loop serial-follow.spec.ts tests): text only, and a VM that is
// not running gets its last lines and a note instead of a follow that waits for nothing.
test("vm logs --follow: --output json and a bad --lines are refused; a stopped VM's last lines, then a note; vm logs -o json (no lines: [])", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmlogs-"));
  try {
    await createVm(home, testRecord("trustnet-node", 2299), async () => undefined, fakeDeps());
    await writeFile(join(vmDir(home, "trustnet-node"), FILES.serialLog), "boot\nlogin:\nreboot: Power down\n");
    let out = "";
    let err = "";
    const run = (argv: string[]): Promise<unknown> => {
      const cmd = makeVmCommand({ consoleText: (t) => t, out: (t) => void (out += t), err: (t) => void (err += t), deps: () => assert.fail("not needed") });
      return yargs([...argv, "--home", home]).command(cmd).strict().fail((msg, e) => { throw e ?? new Error(msg); }).parseAsync();
    };
    await assert.rejects(run(["vm", "logs", "node", "--follow", "--output", "json"]), (e: unknown) => e instanceof InvalidConfigError && /--follow .* takes no --output json/.test(e.message));
    await assert.rejects(run(["vm", "logs", "node", "-f", "--lines", "-1"]), (e: unknown) => e instanceof InvalidConfigError && /^--lines must be a whole number from 1 up/.test(e.message));
    assert.equal(out + err, "");
    await run(["vm", "logs", "node", "-f", "--lines", "2"]);
    assert.equal(out, "login:\nreboot: Power down\n");
    assert.match(err, /^trustnet-node is not running: its log as it is, nothing to follow/);
    // Without --follow, --output json is a JSON document (it printed the text as it is).
    out = "";
    await run(["vm", "logs", "node", "--lines", "2", "--output", "json"]);
    assert.deepEqual(JSON.parse(out), { name: "trustnet-node", lines: ["login:", "reboot: Power down"] });
    // A console that printed nothing: no lines in JSON (it gave the text's note as a console line), the note in text.
    await writeFile(join(vmDir(home, "trustnet-node"), FILES.serialLog), "");
    out = "";
    await run(["vm", "logs", "node", "--output", "json"]);
    assert.deepEqual(JSON.parse(out), { name: "trustnet-node", lines: [] });
    out = "";
    await run(["vm", "logs", "node"]);
    assert.equal(out, "(the serial console printed nothing)\n");
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

// `vm ssh`: no ssh config file (a `Host *` ProxyJump or HostKeyAlias in ~/.ssh/config broke it), only the VM's
// pinned known_hosts counts (a system-wide entry for [127.0.0.1]:<port> was accepted too), a
// connect timeout, and a guest command with options passes after `--` (yargs refused `ls -la`, and dropped what
// followed `--`, opening a login shell instead).
test("vm ssh: a stopped VM is refused; pinned known_hosts only, a connect timeout, and the command after -- reaches the guest as given", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmssh-"));
  let qemu: ReturnType<typeof spawn> | undefined;
  try {
    await createVm(home, testRecord("trustnet-node", 2299, { user: "warden", clientKey: "/k/id" }), async () => undefined, fakeDeps());
    const seen: string[] = [];
    const $ = fakeShell(() => ({ exitCode: 0 }), seen);
    const cmd = makeVmCommand({ consoleText: (t) => t, out: () => undefined, err: () => undefined, deps: () => ({ $ }) as unknown as UpDeps });
    const ssh = (): Promise<unknown> => yargs(["vm", "ssh", "node", "--home", home, "--", "ls", "-la", "/var/lib/trustnet"]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
    // A stopped VM: a clear error, and no ssh run (it printed "Connection refused", or met whatever holds the port now).
    await assert.rejects(ssh(), (e: unknown) => e instanceof VmStateError && /^trustnet-node is not running: nothing to ssh into/.test(e.message) && /trustnet vm start trustnet-node/.test(e.hint ?? ""));
    assert.deepEqual(seen, []);
    qemu = await fakeQemu(home, "trustnet-node");
    await ssh();
    const knownHosts = join(vmDir(home, "trustnet-node"), FILES.knownHosts);
    assert.deepEqual(seen, [
      `ssh -F /dev/null -o $'UserKnownHostsFile="${knownHosts}"' -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o PasswordAuthentication=no ` +
        `-o IdentitiesOnly=yes -o ConnectTimeout=15 -o $'IdentityFile="/k/id"' -p 2299 -- warden@127.0.0.1 ls -la /var/lib/trustnet`,
    ]);
  } finally {
    qemu?.kill("SIGKILL");
    process.exitCode = undefined;
    await rm(home, { recursive: true, force: true });
  }
});

// A relative --home (or $TRUSTNET_HOME) went into the generated start script (`cd rel/vms/x` then `rel/vms/x/disk.qcow2`,
// relative to the wrong directory) and into QEMU's command line, which `vm status` matches from any directory.
test("vm commands: a relative --home is made absolute", async () => {
  const home = await mkdtemp(join(process.cwd(), ".tn-vmrel-"));
  try {
    await createVm(home, testRecord("trustnet-node", 2299), async () => undefined, fakeDeps());
    let out = "";
    const cmd = makeVmCommand({ consoleText: (t) => t, out: (t) => void (out += t), err: () => undefined, deps: () => assert.fail("not needed") });
    await yargs(["vm", "status", "node", "--home", relative(process.cwd(), home), "--no-health", "--output", "json"]).command(cmd).strict().parseAsync();
    const st = JSON.parse(out) as { dir: string }[];
    assert.equal(st[0]?.dir, vmDir(home, "trustnet-node"));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

// vm start / restart ran without the vm lock that up, stop and destroy take: a destroy running meanwhile could delete
// the directory QEMU was being started in.
test("vm start / restart take the vm lock: while another vm command holds it they are refused, changing nothing", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmlock-"));
  try {
    await createVm(home, testRecord("trustnet-node", 2299), async () => undefined, fakeDeps());
    let release = (): void => undefined;
    let taken = (): void => undefined;
    const locked = new Promise<void>((r) => (taken = r));
    const held = withLock(lockFile(home), () => new Promise<void>((r) => ((release = r), taken())));
    await locked; // held from here on (taking it is several file operations: no fixed delay is sure to cover them)
    let ran = false;
    const launch = async (): Promise<{ pid: number }> => ((ran = true), { pid: 1 });
    const cmd = makeVmCommand({ consoleText: (t) => t, out: () => undefined, err: () => undefined, deps: () => ({ lifecycle: fakeDeps({ launch }) }) as unknown as UpDeps });
    for (const argv of [["vm", "start", "node", "--no-wait"], ["vm", "restart", "node"]]) {
      await assert.rejects(yargs([...argv, "--home", home]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync(),
        (e: unknown) => e instanceof LockedError && e.holderPid === process.pid, argv.join(" "));
    }
    assert.equal(ran, false, "QEMU was not started");
    release();
    await held;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

/** Every path under `root` with its mtime and size (a directory's mtime changes with its entries). */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      const s = await lstat(p);
      out[relative(root, p)] = `${s.mtimeMs} ${s.size}`;
      if (e.isDirectory()) await walk(p);
    }
  };
  out["."] = `${(await stat(root)).mtimeMs}`;
  await walk(root);
  return out;
}

// The vm commands that write (start, stop, restart, destroy, up, create, import-validator-state, logs) run as the owner
// of the VMs' files. Run by another user (sudo, as root) they left a pidfile, start/stop scripts, serial.log, a QMP
// socket or a signing state that user owned, and `vm start` ran QEMU as root for an unprivileged user's VM. The other
// user is an injected euid here (cli/src/commands/vm-owner.spec.ts runs the real CLI on a chowned home, as root).
test("vm commands that write, run by another user than the VMs' owner: refused naming the owner and sudo -u; nothing written, QEMU untouched", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmowner-"));
  const other = await mkdtemp(join(tmpdir(), "tn-vmowner-in-"));
  const pidfile = join(vmDir(home, "trustnet-node"), FILES.pid);
  const qemu = spawn("sh", ["-c", "sleep 600; true", "qemu-system-aarch64", "-pidfile", pidfile], { stdio: "ignore" });
  const qmpHeard: string[] = [];
  const qmp = createServer((c) => {
    c.write('{"QMP": {}}\n');
    c.on("data", (d) => {
      qmpHeard.push(d.toString().trim());
      c.write('{"return": {}}\n');
    });
  });
  try {
    // A running node VM (a process with QEMU's command line, a QMP socket), a stopped registry VM, the VMs' chain.
    await createVm(home, testRecord("trustnet-node", 2299), async () => undefined, fakeDeps());
    await createVm(home, testRecord("trustnet-registry", 2298), async () => undefined, fakeDeps());
    await writeFile(pidfile, `${qemu.pid}\n`);
    await new Promise<void>((r) => qmp.listen(join(vmDir(home, "trustnet-node"), FILES.qmp), r));
    const signState = join(vmDevnetHome(home), "devnet", "node0", "cometbft", "data");
    await mkdir(signState, { recursive: true });
    await writeFile(join(signState, "priv_validator_state.json"), '{"height":"3","round":0,"step":0}');
    await writeFile(join(other, "state.json"), '{"height":"9","round":0,"step":0}');
    const owner = (await stat(home)).uid;
    const name = await userName(owner);
    let launched = false;
    const launch = async (): Promise<{ exitCode: number; stderr: string }> => ((launched = true), { exitCode: 1, stderr: "no QEMU" });
    let out = "";
    const cmd = makeVmCommand({
      consoleText: (t) => t, out: (t) => void (out += t), err: (t) => void (out += t), euid: owner + 1,
      deps: () => ({ lifecycle: fakeDeps({ launch }), log: () => undefined }) as unknown as UpDeps,
    });
    const before = await snapshot(home);
    const cases: [argv: string[], dir: string, command: string][] = [
      [["vm", "start", "registry", "--no-wait"], vmsRoot(home), "vm start trustnet-registry"],
      [["vm", "restart", "node"], vmsRoot(home), "vm restart trustnet-node"],
      [["vm", "stop", "node", "--timeout", "1"], vmsRoot(home), "vm stop trustnet-node"],
      [["vm", "stop", "--timeout", "1"], vmsRoot(home), "vm stop"],
      [["vm", "destroy", "registry"], vmsRoot(home), "vm destroy trustnet-registry"],
      [["vm", "destroy", "node", "--force"], vmsRoot(home), "vm destroy trustnet-node"],
      [["vm", "up", "--no-wait"], home, "vm up"],
      [["vm", "create", "registry"], home, "vm create trustnet-registry"],
      [["vm", "import-validator-state", "node", join(other, "state.json")], vmDevnetHome(home), "vm import-validator-state trustnet-node"],
      [["vm", "logs", "registry"], vmDir(home, "trustnet-registry"), "vm logs trustnet-registry"],
    ];
    for (const [argv, dir, command] of cases) {
      await assert.rejects(yargs([...argv, "--home", home]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync(), (e: unknown) => e instanceof NotOwnerError
        && e.message.startsWith(`${dir} belongs to ${name} (uid ${owner}), not to this user (uid ${owner + 1}): '${command}' runs as its owner only`)
        && (e.hint ?? "").endsWith(`sudo -u ${name.startsWith("#") ? `'${name}'` : name} trustnet ${command} …`), argv.join(" "));
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await snapshot(home), before, "nothing under the home was written, renamed or deleted");
    assert.deepEqual(qmpHeard, [], "the running VM heard nothing over QMP");
    assert.equal(launched, false, "QEMU was not started");
    assert.equal((await runState(vmDir(home, "trustnet-node"))).state, "running");
    assert.equal(out, "");
    // `vm status` (as `vm ssh`) only reads: open to another user.
    await yargs(["vm", "status", "--no-health", "--home", home]).command(cmd).strict().parseAsync();
    assert.match(out, /trustnet-node \(node\): running/);
  } finally {
    qmp.close();
    qemu.kill("SIGKILL");
    await rm(home, { recursive: true, force: true });
    await rm(other, { recursive: true, force: true });
  }
});

// withLock makes the lock's directory: `vm start|restart|stop|destroy --home <typo>` created `<typo>/vms` (and the home
// itself) before it found no VM there. The VM is looked up first; `vm stop` with no VM at all takes no lock.
test("vm start / restart / stop / destroy on a home with no VMs: a clear error (stop: a note, exit 0), and no directory made", async () => {
  const parent = await mkdtemp(join(tmpdir(), "tn-vmtypo-"));
  const home = join(parent, "typo");
  try {
    let out = "";
    let err = "";
    const cmd = makeVmCommand({ consoleText: (t) => t, out: (t) => void (out += t), err: (t) => void (err += t), deps: () => ({ lifecycle: fakeDeps() }) as unknown as UpDeps });
    const run = (argv: string[]): Promise<unknown> => yargs([...argv, "--home", home]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
    for (const argv of [["vm", "start", "node", "--no-wait"], ["vm", "restart", "node"], ["vm", "stop", "node"], ["vm", "destroy", "registry", "--force"]]) {
      await assert.rejects(run(argv), (e: unknown) => e instanceof VmStateError && /^no VM named trustnet-(node|registry) /.test(e.message), argv.join(" "));
      assert.equal(existsSync(home), false, argv.join(" "));
    }
    await run(["vm", "stop", "--output", "json"]);
    assert.deepEqual(JSON.parse(out), []);
    assert.equal(existsSync(home), false, "vm stop");
    // In text, a note on stderr and nothing on stdout (it printed an empty line); exit 0.
    out = "";
    err = "";
    await run(["vm", "stop"]);
    assert.equal(out, "");
    assert.equal(err, "no VMs to stop (create them with 'trustnet vm up')\n");
    assert.equal(process.exitCode ?? 0, 0);
    assert.equal(existsSync(home), false, "vm stop");
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

// ssh splits an unquoted UserKnownHostsFile on whitespace and expands % tokens in it and in the key's path: with a home such as
// "/srv/my home" (install.sh allows spaces) `vm ssh` read `/srv/my` and `home/vms/…` and refused the VM's pinned key.
// The real ssh against an ssh2 server: it gets as far as offering its key only once the host key is verified.
test("vm ssh with a home whose path has a space, quotes, a backslash and a %: the real ssh verifies the VM's pinned key and offers the recorded key", { skip: spawnSync("sh", ["-c", "command -v ssh"]).status !== 0 && "no ssh client" }, async () => {
  const parent = await mkdtemp(join(tmpdir(), "tn-vmssh-space-"));
  const home = join(parent, "my \"home\" 100%d\\");
  const host = ssh2.utils.generateKeyPairSync("ed25519");
  const methods: string[] = [];
  const server = new ssh2.Server({ hostKeys: [host.private] }, (c) => {
    c.on("error", () => undefined);
    c.on("authentication", (ctx) => {
      methods.push(ctx.method);
      ctx.reject(["publickey"]);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  let qemu: ReturnType<typeof spawn> | undefined;
  try {
    await mkdir(join(home, "ssh"), { recursive: true });
    const clientKey = join(home, "ssh", "id_ed25519");
    await writeFile(clientKey, openSshPrivateKey(generateEd25519(), "t"), { mode: 0o600 });
    const hostKey = host.public.trim().split(/\s+/u).slice(0, 2).join(" ");
    await createVm(home, testRecord("trustnet-node", (server.address() as AddressInfo).port, { clientKey, hostKey }), async () => undefined, fakeDeps());
    qemu = await fakeQemu(home, "trustnet-node");
    const cmd = makeVmCommand({ consoleText: (t) => t, out: () => undefined, err: () => undefined, deps: () => ({ $: realShell }) as unknown as UpDeps });
    await yargs(["vm", "ssh", "node", "--home", home, "--", "true"]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
    assert.equal(process.exitCode, 255, "the server refuses every login");
    assert.ok(methods.includes("publickey"), `ssh verified the pinned host key and offered the recorded key (methods tried: ${methods.join(", ") || "none"})`);
  } finally {
    qemu?.kill("SIGKILL");
    process.exitCode = undefined;
    server.close();
    await rm(parent, { recursive: true, force: true });
  }
});

// `vm import-validator-state <name> FILE` read FILE whole: `/dev/zero` (or a disk image) passed by mistake filled memory,
// a FIFO without a writer hung. At most MAX_SIGN_STATE_BYTES of a regular file; the host copy is left as it was.
test("vm import-validator-state: a FILE that is too large, /dev/zero or a FIFO, or a name that is no VM (validator-02), is refused, changing nothing", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmimport-"));
  try {
    const data = join(vmDevnetHome(home), "devnet", "node0", "cometbft", "data");
    await mkdir(data, { recursive: true });
    const target = join(data, "priv_validator_state.json");
    const current = JSON.stringify({ height: "5", round: 0, step: 3 });
    await writeFile(target, current);
    let out = "";
    const cmd = makeVmCommand({ consoleText: (t) => t, out: (t) => void (out += t), err: () => undefined, deps: () => assert.fail("not needed") });
    const run = (argv: string[]): Promise<unknown> => yargs([...argv, "--home", home]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
    const state = (height: string, size: number): string => JSON.stringify({ height, round: 0, step: 3 }).padEnd(size, " ");
    const big = join(home, "big.json");
    await writeFile(big, state("9", MAX_SIGN_STATE_BYTES + 1));
    const fifo = join(home, "fifo");
    assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
    for (const [file, why] of [[big, /is larger than 65536 bytes/], [fifo, /is not a regular file/], ["/dev/zero", /is not a regular file/], [home, /is not a regular file/]] as const) {
      await assert.rejects(run(["vm", "import-validator-state", "node", file]), (e: unknown) => e instanceof InvalidConfigError && why.test(e.message), file);
      assert.equal(readFileSync(target, "utf8"), current, file);
    }
    assert.equal(out, "");
    // Validator VMs are trustnet-validator-N: a zero-padded N names no VM (it imported into validator 2's state).
    const v2 = join(vmDevnetHome(home), "devnet", "node1", "cometbft", "data");
    await mkdir(v2, { recursive: true });
    await writeFile(join(v2, "priv_validator_state.json"), current);
    await writeFile(big, state("9", 100));
    for (const name of ["validator-02", "trustnet-validator-002", "validator-2x", "validator-0", "validator-1"]) {
      await assert.rejects(run(["vm", "import-validator-state", name, big]), (e: unknown) => e instanceof InvalidConfigError && /^unknown VM "(trustnet-)?validator-/.test(e.message) &&
        (!/-0+2$/.test(name) || /\(did you mean validator-2\?\)/.test(e.message)), name);
      assert.equal(readFileSync(join(v2, "priv_validator_state.json"), "utf8"), current, name);
    }
    assert.equal(out, "");
    await run(["vm", "import-validator-state", "validator-2", big]);
    assert.match(out, /^validator 1 \(trustnet-validator-2\): signing state at height 9 imported/);
    out = "";
    await writeFile(big, state("9", MAX_SIGN_STATE_BYTES));
    await run(["vm", "import-validator-state", "node", big]);
    assert.match(out, /validator 0 \(trustnet-node\): signing state at height 9 imported/);
    // --output json: snake_case keys, as every JSON document trustnet prints; the height (int64) a string.
    out = "";
    await run(["vm", "import-validator-state", "validator-2", big, "--output", "json"]);
    assert.deepEqual(JSON.parse(out), { name: "trustnet-validator-2", node_index: 1, height: "9", file: join(v2, "priv_validator_state.json") });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

// listVms took every directory under vms/ for a VM: one without a record (made by hand, or what an interrupted `rm` of
// `vm destroy` left) made `vm status` and `vm stop` fail with "no VM named <it>", reporting none of the real VMs.
test("vm status / vm stop (all VMs): a directory under vms/ without a VM record is no VM; creating over it says what is in the way", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmstray-"));
  try {
    await createVm(home, testRecord("trustnet-node", 2299), async () => undefined, fakeDeps());
    for (const stray of ["backup", "trustnet-registry", "Old_Copy"]) await mkdir(join(vmsRoot(home), stray));
    let out = "";
    const cmd = makeVmCommand({ consoleText: (t) => t, out: (t) => void (out += t), err: () => undefined, deps: () => assert.fail("not needed") });
    const run = (argv: string[]): Promise<unknown> => yargs([...argv, "--home", home]).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
    await run(["vm", "status", "--no-health", "--output", "json"]);
    assert.deepEqual((JSON.parse(out) as { name: string }[]).map((s) => s.name), ["trustnet-node"]);
    // `vm list` is `vm status` (it was "Did you mean logs?").
    out = "";
    await run(["vm", "list", "--no-health"]);
    assert.match(out, /^trustnet-node \(node\): stopped\n/);
    out = "";
    await run(["vm", "stop"]);
    assert.equal(out, "trustnet-node: not running\n");
    await assert.rejects(createVm(home, testRecord("trustnet-registry", 2300), async () => undefined, fakeDeps()), (e: unknown) =>
      e instanceof VmStateError && /trustnet-registry is in the way of VM trustnet-registry: it holds no VM record/.test(e.message) && /rm -r /.test(e.hint ?? ""));
    assert.deepEqual(readdirSync(join(vmsRoot(home), "trustnet-registry")), []);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
