// `lease` and `provider` transactions take the same flags as every tx command (--from as a name or an address,
// --memo and the fee flags), and bad values are refused before the node is contacted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { UsageError } from "../errors.ts";
import { createKey, MIN_SCRYPT } from "../keyring/index.ts";
import { buildCli } from "../main.ts";

const fast = { passphrase: { env: { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" }, prompt: null }, scrypt: MIN_SCRYPT } as const;
const provider = toBech32("trust", new Uint8Array(20).fill(5));
const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDyS7xFhaTb7Dh1Ql5Z0r5Dm0ZVA4g+8eB6Z4rXQm0Xv test";

describe("lease and provider transactions: flags", () => {
  let home: string;
  let alice: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-lease-cmd-"));
    alice = (await createKey(home, "alice", fast)).address;
  });
  after(() => rm(home, { recursive: true, force: true }));
  // Port 1 refuses at once: a command that got as far as the node fails there, not on its flags.
  const run = async (...argv: string[]): Promise<unknown> => buildCli([...argv, "--home", home, "--node", "http://127.0.0.1:1"]).parseAsync();
  const usage = (what: RegExp) => (err: unknown): boolean => err instanceof UsageError && err.exitCode === 2 && what.test(err.message);
  const atNode = /127\.0\.0\.1:1/u;

  test("lease create --wait-timeout: NaN, negative or infinite is a usage error before the provider is looked up", async () => {
    const create = ["lease", "create", "--provider", provider, "--ssh-key", SSH, "--deposit", "1TRUST"];
    for (const bad of ["abc", "-5", "Infinity"]) await assert.rejects(run(...create, "--wait-timeout", bad), usage(/--wait-timeout must be a number of seconds/u), bad);
    await assert.rejects(run(...create, "--wait-timeout", "30"), atNode);
  });

  test("--fees, --gas, --gas-prices, --gas-adjustment and --memo work as on send; bad values are usage errors", async () => {
    await assert.rejects(run("lease", "close", "1", "--gas-prices", "1uatom"), usage(/invalid --gas-prices "1uatom"/u));
    await assert.rejects(run("lease", "deposit", "1", "1TRUST", "--gas", "lots"), usage(/invalid --gas "lots"/u));
    await assert.rejects(run("provider", "deregister", "--gas-adjustment", "0.5"), usage(/invalid --gas-adjustment/u));
    await assert.rejects(run("provider", "withdraw", "1", "--fees", "1xyz"), usage(/invalid amount "1xyz"/u));
    await assert.rejects(run("lease", "close", "1", "--memo", "bye", "--fees", "5000utrust", "--gas", "200000", "--gas-prices", "0.03utrust", "--gas-adjustment", "1.5"), atNode);
  });

  test("$TRUSTNET_GAS_PRICES is the default --gas-prices, as on send", async () => {
    const saved = process.env.TRUSTNET_GAS_PRICES;
    process.env.TRUSTNET_GAS_PRICES = "0.5uatom";
    try {
      await assert.rejects(run("lease", "close", "1"), usage(/invalid --gas-prices "0\.5uatom"/u));
    } finally {
      if (saved === undefined) delete process.env.TRUSTNET_GAS_PRICES;
      else process.env.TRUSTNET_GAS_PRICES = saved;
    }
  });

  test("--from takes the key's address; an address with no local key is refused before the node is asked", async () => {
    await assert.rejects(run("lease", "close", "1", "--from", alice), atNode);
    await assert.rejects(run("lease", "close", "1", "--from", provider), /no key in .* has the address/u);
  });

  test("lease create --ssh-key: a key the chain would refuse (RSA-1024, a bidi character) is a usage error before the node is asked", async () => {
    const create = ["lease", "create", "--provider", provider, "--deposit", "1TRUST"];
    const rsa1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDAzzj5Wv8rO/EXz8xISdPDCUXGEokkf4EwVKsS52+HhgZE7xM7KOtXLBj7unXeKG7l3Ui6vPT4VpZ3B/qyjzGOo5kuf1iCjCM8krXdRqV1sNvXjLdMQAebrFQyTBHMESmJP4hwif2mQiIcnlsDuSaop44Aehp+Ijhie1+tkRnTYw== t@x";
    await assert.rejects(run(...create, "--ssh-key", SSH, "--ssh-key", rsa1024), usage(/^--ssh-key #2: .*RSA.*: invalid ssh public key$/u));
    await assert.rejects(run(...create, "--ssh-key", `${SSH}\u202e`), usage(/^--ssh-key #1: .*the comment holds U\+202E/u));
    await assert.rejects(run(...create, "--ssh-key", SSH), atNode);
  });

  test("lease create --image: an unknown image, or two, is a usage error before the provider is looked up", async () => {
    const create = ["lease", "create", "--provider", provider, "--ssh-key", SSH, "--deposit", "1TRUST"];
    await assert.rejects(run(...create, "--image", "debian-12"), usage(/--image: unknown image "debian-12"/u));
    await assert.rejects(run(...create, "--image", "alpine-3.22,ubuntu-24.04"), usage(/one image/u));
    await assert.rejects(run(...create, "--image", "ubuntu-24.04"), atNode);
  });

  test("provider run: a remote --ssh-host with the forwards on loopback (the default --ssh-bind) is a usage error", async () => {
    const runArgs = ["provider", "run", "--from", "alice"];
    await assert.rejects(run(...runArgs, "--ssh-host", "203.0.113.7"), usage(/--ssh-host 203\.0\.113\.7 .* listen on 127\.0\.0\.1 only/u));
    await assert.rejects(run(...runArgs, "--ssh-host", "provider.example.org"), usage(/listen on 127\.0\.0\.1 only/u));
    // what the chain refuses in MsgLeaseReady: every lease would fail as it became ready
    for (const bad of ["-oProxyCommand", "a host", "host\n", ""]) await assert.rejects(run(...runArgs, `--ssh-host=${bad}`, "--ssh-bind", "0.0.0.0"), usage(/^--ssh-host: ssh_host ".*" (starts with "-"|is not a host name or IP address)/u), JSON.stringify(bad));
    // given, or a loopback host: the daemon goes on (and here fails at the node, not on its flags)
    for (const ok of [["--ssh-host", "203.0.113.7", "--ssh-bind", "0.0.0.0"], ["--ssh-host", "203.0.113.7", "--ssh-bind", "127.0.0.1"], ["--ssh-host", "127.0.0.1"], []]) {
      await assert.rejects(run(...runArgs, ...ok), (e: unknown) => !(e instanceof UsageError), ok.join(" "));
    }
  });

  test("provider withdraw <ids>: 0, a negative, one above 2^64 − 1, non-digits or a repeat are usage errors naming the id", async () => {
    // the largest u64, and ids past 15 digits, are lease ids: the command gets as far as the node
    await assert.rejects(run("provider", "withdraw", "--from", "alice", "18446744073709551615", "1234567890123456"), atNode);
    await assert.rejects(run("provider", "withdraw", "--from", "alice", "3", "4", "3"), usage(/lease id 3 is given twice/u));
    for (const bad of ["007", "0", "-1", "-5", "18446744073709551616", "123456789012345678901", "1e3", "0x10", "abc", "1.5", ""]) {
      await assert.rejects(run("provider", "withdraw", bad, "--from", "alice"), usage(new RegExp(`lease id "${bad.replace(/[.+]/gu, "\\$&")}" is not a lease id`, "u")), JSON.stringify(bad));
    }
  });

  test("provider update --paused --resume is a usage error before the node is asked; either alone gets there", async () => {
    await assert.rejects(run("provider", "update", "--from", "alice", "--paused", "--resume"), usage(/--paused and --resume contradict/u));
    for (const one of ["--paused", "--resume"]) await assert.rejects(run("provider", "update", "--from", "alice", one), atNode, one);
  });

  test("provider list: a bad capacity filter is a usage error, not 0", async () => {
    for (const bad of ["0abc", "0.5x"]) await assert.rejects(run("provider", "list", "--memory", bad), usage(/--memory: ".*" is not a size/u));
    await assert.rejects(run("provider", "list", "--memory", "0.5GiB"), atNode);
  });
});
