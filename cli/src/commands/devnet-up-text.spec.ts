// What `devnet up` prints for people: the commands it suggests act on the devnet it started. A devnet in another
// home (`--home /x`) prints `--home /x` in them, or its `trustnet devnet down` would stop the default home's devnet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import type { UpResult } from "../devnet/control.ts";
import { upText } from "./devnet.ts";

const r = {
  alreadyRunning: false, supervisorPid: 42, height: 1n,
  manifest: {
    chainId: "trustnet-local-1", validators: 1, faucetAddress: "trust1faucet",
    nodes: [{ ports: { p2p: 26956, rpc: 26957, abci: 26958, rest: 1617 } }], registry: { port: 8300 },
  },
} as unknown as Pick<UpResult, "alreadyRunning" | "supervisorPid" | "manifest" | "height">;

test("devnet up --home /x: the printed stop, faucet and registry login commands carry --home /x", () => {
  const saved = process.env.TRUSTNET_HOME;
  delete process.env.TRUSTNET_HOME;
  try {
    const text = upText("/tmp/cos-home", r, "http://127.0.0.1:26957", undefined);
    assert.match(text, /^ {2}stop {6}trustnet devnet down --home \/tmp\/cos-home$/mu);
    assert.match(text, /\(trustnet devnet faucet --home \/tmp\/cos-home <key or address> \[amount\]\)/u);
    assert.match(text, /\(trustnet registry login --home \/tmp\/cos-home --registry 127\.0\.0\.1:8300;/u);
    // The default home: the bare commands, as before.
    const plain = upText(join(homedir(), ".trustnet"), r, "http://127.0.0.1:26957", undefined);
    assert.match(plain, /^ {2}stop {6}trustnet devnet down$/mu);
    assert.doesNotMatch(plain, /--home/u);
  } finally {
    if (saved !== undefined) process.env.TRUSTNET_HOME = saved;
  }
});
