// The launchers start CometBFT once their app answers ABCI, not once "something accepts on the port": a real app
// process answers over both transports; a process that accepts and never answers, another app process on the port,
// and an app that exits are each told apart, with why.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { appNodeArgv } from "@trustnet/abci-app";
import { waitForAppAnswer } from "./app-ready.ts";
import { exited, stopChild } from "./process-util.ts";
import { freePort, listen, portOf } from "../testing/loopback-ports.ts";

const root = mkdtempSync(join(tmpdir(), "trustnet-app-ready-spec-"));
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) await stopChild(c, 2000);
  rmSync(root, { recursive: true, force: true });
});

function child(args: readonly string[]): ChildProcess {
  const c = spawn(process.execPath, args, { stdio: "ignore" });
  children.push(c);
  return c;
}
/** A live process that is not an ABCI app (it listens on nothing). */
const idle = (): ChildProcess => child(["-e", "setInterval(() => {}, 1000)"]);
/** The real app process, serving on 127.0.0.1:`port`. */
const realApp = (name: string, port: number, transport: "socket" | "grpc"): ChildProcess =>
  child(appNodeArgv(["--home", join(root, name), "--address", `tcp://127.0.0.1:${port}`, "--transport", transport, "--rest-address", "off", "--sig-workers", "0", "--log-level", "warn"]));

for (const transport of ["socket", "grpc"] as const) {
  test(`a real app process is ready once it answers an ABCI Echo over ${transport}`, { timeout: 60_000 }, async () => {
    const port = await freePort();
    const app = realApp(transport, port, transport);
    assert.deepEqual(await waitForAppAnswer(app, port, transport, { timeoutMs: 45_000 }), { ready: true });
    await stopChild(app);
  });
}

test("a process that accepts on the ABCI port but never answers ABCI is not the app: not ready, with why", { timeout: 30_000 }, async () => {
  const silent = await listen((c) => c.on("error", () => undefined).resume()); // reads, never answers
  const app = idle();
  try {
    const r = await waitForAppAnswer(app, portOf(silent), "socket", { timeoutMs: 1500 });
    assert.equal(r.ready, false);
    assert.match(r.ready ? "" : r.why, new RegExp(`the app \\(pid ${app.pid}\\) did not answer ABCI \\(socket\\) on tcp://127\\.0\\.0\\.1:${portOf(silent)} within 1\\.5 s`));
  } finally {
    await stopChild(app);
    await new Promise((r) => silent.close(r));
  }
});

test("another app process answering on the port (not the process started) is refused, naming its holder", { timeout: 60_000 }, async () => {
  const port = await freePort();
  const other = realApp("other", port, "socket");
  assert.deepEqual(await waitForAppAnswer(other, port, "socket", { timeoutMs: 45_000 }), { ready: true });
  const app = idle();
  try {
    const r = await waitForAppAnswer(app, port, "socket", { timeoutMs: 5000 });
    assert.equal(r.ready, false);
    assert.match(r.ready ? "" : r.why, new RegExp(`another process answers ABCI on tcp://127\\.0\\.0\\.1:${port}: port ${port} is already in use by pid ${other.pid} .*not the app started as pid ${app.pid}`));
  } finally {
    await stopChild(app);
    await stopChild(other);
  }
});

test("an app that exits before it answers: not ready, saying how it ended", { timeout: 30_000 }, async () => {
  const app = child(["-e", "process.exit(3)"]);
  await exited(app);
  const r = await waitForAppAnswer(app, await freePort(), "socket", { timeoutMs: 5000 });
  assert.deepEqual(r, { ready: false, why: "the app exited before it answered ABCI (code 3)" });
});
