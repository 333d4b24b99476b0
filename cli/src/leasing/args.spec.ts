import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CliError, UsageError } from "../errors.ts";
import { checkOffer, leaseId, type Offer, parseCapacityFilter, pauseChange, parseCpu, parseImages, parseLeaseCpu, parseAttributes, parseOffer, parsePrices, parseSizeGib, parseSizeMib, parseSshBind, readSshKeys } from "./args.ts";

describe("leasing CLI arguments", () => {
  test("provider update: a flag left out keeps the offer's current value (prices one by one); register needs them", () => {
    const current: Offer = {
      endpoint: "ssh://p.example:22", region: "eu-west", cpuMillis: 4000n, memoryMib: 8192n, diskGib: 100n, bandwidthMbps: 100n, images: ["alpine-3.22"],
      attributes: ["arch=arm64"], priceCpu: 10n, priceMemory: 5n, priceDisk: 1n, priceBandwidth: 1n,
    };
    assert.deepEqual(parseOffer({}, current), current, "nothing given: nothing changes");
    assert.deepEqual(parseOffer({ cpu: "8", price: "cpu=20utrust" }, current), { ...current, cpuMillis: 8000n, priceCpu: 20n }, "only what is named changes");
    assert.deepEqual(parseOffer({ attribute: [""] }, current).attributes, [], "--attribute \"\" clears them");
    assert.deepEqual(parseOffer({ region: "us-east", image: "alpine-3.22,ubuntu-24.04" }, current), { ...current, region: "us-east", images: ["alpine-3.22", "ubuntu-24.04"] });
    const all = { endpoint: "https://x:1", region: "r", cpu: "1", memory: "1GiB", disk: "1", bandwidth: "0", image: "alpine-3.22", price: "cpu=1" };
    assert.deepEqual(parseOffer(all).priceMemory, 0n, "register: unnamed prices are 0");
    assert.throws(() => parseOffer({ ...all, cpu: undefined }), (e: unknown) => e instanceof UsageError && /--cpu is required/u.test(e.message));
    assert.throws(() => parseOffer({ cpu: "lots" }, current), /is not a number of vCPUs/u, "a bad value is still refused");
    for (const endpoint of ["ssh://-oProxyCommand=x/", "ssh://-x@p.example/", "ssh://p.example/ ", "ftp://p.example"]) {
      assert.throws(() => parseOffer({ ...all, endpoint }), (e: unknown) => e instanceof UsageError && /^--endpoint: endpoint .* (starts with "-"|must not carry user info|must be an http\(s\) or ssh URL)/u.test(e.message), `register --endpoint ${endpoint}`);
      assert.throws(() => parseOffer({ endpoint }, current), UsageError, `update --endpoint ${endpoint}`);
    }
    assert.throws(() => parseOffer({ cpu: "8" }, { ...current, endpoint: "ssh://-x/" }), (e: unknown) => e instanceof UsageError && /pass a new --endpoint/u.test(e.hint ?? ""), "a kept endpoint the chain now refuses");
    assert.equal(parseOffer({ endpoint: "ssh://[2001:db8::1]:2222/" }, current).endpoint, "ssh://[2001:db8::1]:2222/");
    for (const attributes of [["gpu=a100", "gpu=h100"], ["note=a\rb"], ["gpu=a100\u202e"]]) {
      const old = { ...current, attributes };
      assert.throws(() => parseOffer({ cpu: "8" }, old), (e: unknown) => e instanceof UsageError && /^--attribute: /u.test(e.message) && /pass --attribute/u.test(e.hint ?? ""), `kept attributes the chain now refuses: ${JSON.stringify(attributes)}`);
      assert.deepEqual(parseOffer({ attribute: ["gpu=a100"] }, old).attributes, ["gpu=a100"], "restating them is the way out");
      assert.deepEqual(parseOffer({ attribute: [""] }, old).attributes, [], "as is clearing them");
    }
  });

  test("--ssh-bind: an IPv4 address, probed where it listens (loopback for 0.0.0.0); IPv6 and names are usage errors", () => {
    assert.deepEqual(parseSshBind("127.0.0.1"), { bind: "127.0.0.1", probeHost: "127.0.0.1" });
    assert.deepEqual(parseSshBind("0.0.0.0"), { bind: "0.0.0.0", probeHost: "127.0.0.1" });
    assert.deepEqual(parseSshBind("203.0.113.5"), { bind: "203.0.113.5", probeHost: "203.0.113.5" }, "probed on the address QEMU listens on");
    for (const bad of ["::", "::1", "fd00::1", "example.org", "", "127.0.0.1:22", "300.1.1.1"]) assert.throws(() => parseSshBind(bad), /is not an IPv4 address/, bad);
  });

  test("sizes, vCPUs and millicores in human units", () => {
    assert.equal(parseSizeMib("2GiB", "--memory", "MiB"), 2048n);
    assert.equal(parseSizeMib("512MiB", "--memory", "MiB"), 512n);
    assert.equal(parseSizeMib("8G", "--memory", "MiB"), 8192n);
    assert.equal(parseSizeMib("512", "--memory", "MiB"), 512n);
    assert.equal(parseSizeGib("20GiB", "--disk"), 20n);
    assert.equal(parseSizeGib("100", "--disk"), 100n);
    assert.equal(parseSizeGib("1TiB", "--disk"), 1024n);
    // one meaning for --cpu on leases and providers, as Kubernetes writes CPU: vCPUs, or millicores with m
    assert.equal(parseCpu("2"), 2000n);
    assert.equal(parseCpu("0.5"), 500n);
    assert.equal(parseCpu("0.125"), 125n);
    assert.equal(parseCpu("250m"), 250n);
    assert.equal(parseCpu("4000m"), 4000n);
    assert.equal(parseCpu("4cpu"), 4000n);
    assert.equal(parseCpu(" 8 "), 8000n);
    // a lease takes whole vCPUs only (the chain refuses the rest): refused before any transaction
    assert.equal(parseLeaseCpu("2"), 2000n);
    assert.equal(parseLeaseCpu("3000m"), 3000n);
    for (const bad of ["0.5", "500m", "1.5", "1001m"]) assert.throws(() => parseLeaseCpu(bad), /not a whole number of vCPUs/, bad);
  });

  test("bad sizes and counts are usage errors naming the flag", () => {
    for (const [fn, what] of [
      [() => parseSizeMib("-1GiB", "--memory", "MiB"), /--memory/], [() => parseSizeMib("0", "--memory", "MiB"), /--memory/], [() => parseSizeMib("2 lots", "--memory", "MiB"), /--memory/],
      [() => parseSizeGib("1.5GiB", "--disk"), /whole number of GiB/], [() => parseCpu("-2"), /--cpu/], [() => parseCpu("0"), /greater than zero/], [() => parseCpu("0.0001"), /not a number of vCPUs/], [() => parseCpu("2.5m"), /not a number of vCPUs/], [() => parseCpu("1e3"), /not a number of vCPUs/], [() => parseCpu("2 cpu"), /not a number of vCPUs/],
      [() => parseImages("debian-12"), /unknown image/], [() => parsePrices("gpu=1utrust"), /unknown resource/],
      [() => parsePrices("cpu=-1utrust"), /negative/], [() => parsePrices("cpu=1utrust,cpu=2utrust"), /twice/],
    ] as const) assert.throws(fn, (e: unknown) => e instanceof UsageError && what.test(e.message));
  });

  test("prices per block, in utrust or TRUST; unlisted resources are free", () => {
    assert.deepEqual(parsePrices("cpu=10utrust,memory=5utrust,disk=1utrust,bandwidth=1utrust"), { priceCpu: 10n, priceMemory: 5n, priceDisk: 1n, priceBandwidth: 1n });
    assert.deepEqual(parsePrices("cpu=0.001TRUST,mem=3"), { priceCpu: 1000n, priceMemory: 3n, priceDisk: 0n, priceBandwidth: 0n });
    assert.deepEqual(parseImages("alpine-3.22, ubuntu-24.04,alpine-3.22"), ["alpine-3.22", "ubuntu-24.04"]);
  });

  test("lease ids: positive 64-bit numbers; anything else is a usage error (exit 2) pointing at lease list", () => {
    assert.equal(leaseId("7"), 7n);
    assert.equal(leaseId("18446744073709551615"), 2n ** 64n - 1n);
    for (const bad of ["0", "-1", "07", "1.5", "seven", "", "18446744073709551616"]) {
      assert.throws(() => leaseId(bad), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /is not a lease id/.test(e.message) && /trustnet lease list/.test(e.hint ?? ""), bad);
    }
  });

  test("provider update --paused / --resume: pause (1) or resume (2); neither sends 0, which keeps the chain's state; both is a usage error", () => {
    assert.equal(pauseChange({}), 0n, "neither: unchanged (an update of prices does not resume)");
    assert.equal(pauseChange({ paused: true }), 1n);
    assert.equal(pauseChange({ resume: true }), 2n);
    assert.equal(pauseChange({ paused: false, resume: false }), 0n, "--no-paused is not --resume");
    assert.throws(() => pauseChange({ paused: true, resume: true }), (e: unknown) => e instanceof UsageError && /--paused and --resume contradict/u.test(e.message));
  });

  test("lease create: a paused provider, or one that does not offer the image, is refused before anything is sent", () => {
    const offer = { paused: false, images: ["alpine-3.22"] };
    checkOffer("trust1p", offer, "alpine-3.22");
    assert.throws(() => checkOffer("trust1p", { ...offer, paused: true }, "alpine-3.22"), (e: unknown) => e instanceof CliError && /trust1p is paused: it takes no new leases/u.test(e.message) && /provider list/u.test(e.hint ?? ""));
    assert.throws(() => checkOffer("trust1p", offer, "ubuntu-24.04"), (e: unknown) => e instanceof UsageError && /--image ubuntu-24\.04: trust1p offers alpine-3\.22/u.test(e.message));
  });

  test("provider list's free-capacity filters: parsed first, then 0 means any; a bad value is refused, not read as 0", () => {
    const none = { cpu: "0", memory: "0MiB", disk: "0", bandwidth: "0" };
    assert.deepEqual(parseCapacityFilter(none), { "cpu-millis": 0n, "memory-mib": 0n, "disk-gib": 0n, "bandwidth-mbps": 0n });
    assert.deepEqual(parseCapacityFilter({ cpu: "2cpu", memory: "0.5GiB", disk: "20GiB", bandwidth: "10" }), { "cpu-millis": 2000n, "memory-mib": 512n, "disk-gib": 20n, "bandwidth-mbps": 10n });
    assert.deepEqual(parseCapacityFilter({ ...none, memory: "0GiB", cpu: "0m" }), parseCapacityFilter(none));
    assert.equal(parseCapacityFilter({ ...none, cpu: "2" })["cpu-millis"], 2000n, "vCPUs, as lease create and provider register read --cpu");
    for (const [flag, bad] of [["memory", "0abc"], ["memory", "0 lots"], ["cpu", "0abc"], ["cpu", "0.5x"], ["disk", "0x1"], ["disk", "0.5GiB"], ["bandwidth", "0abc"], ["memory", "-1GiB"]] as const) {
      assert.throws(() => parseCapacityFilter({ ...none, [flag]: bad }), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && e.message.includes(`--${flag}`), `${flag} ${bad}`);
    }
  });
});

test("--attribute takes exactly what the chain takes (its own rule): a 33rd attribute, a bad key, a space at a value's end and every control, bidi, invisible or non-ASCII space character refused here", () => {
  assert.deepEqual(parseAttributes(["gpu=a100", "note=café 日本 🚀", "k="]), ["gpu=a100", "note=café 日本 🚀", "k="]);
  for (const bad of [["Key=v"], ["-k=v"], ["k =v"], ["=v"], [`k=${"v".repeat(129)}`], Array.from({ length: 33 }, (_, i) => `k${i}=v`)]) {
    assert.throws(() => parseAttributes(bad), (e: unknown) => e instanceof UsageError && /--attribute: .*(key=value|at most 32)/.test(e.message), JSON.stringify(bad).slice(0, 60));
  }
  for (const bad of ["tier= gold", "tier=gold "]) {
    assert.throws(() => parseAttributes([bad]), (e: unknown) => e instanceof UsageError && /^--attribute: .*the value starts or ends with a space \(U\+0020\)/.test(e.message), bad);
  }
  // CR and tab too (the chain took them before): a value is shown on one line, and CR rewrites it in a terminal
  for (const value of ["a\0b", "a\nb", "a\rb", "a\tb", "\u001b[2J", "a\u007f", "\u009b2J", "a100\u202e", "\u2066a\u2069", "a\u200bb", "\ufeffa", "a\u2028", "a\ud800", "acme\u00a0cloud", "a\u3000"]) {
    assert.throws(() => parseAttributes([`note=${value}`]), (e: unknown) => e instanceof UsageError && /^--attribute: .*holds U\+[0-9A-F]{4}: a value may not hold control, bidi, invisible format or non-ASCII space characters/.test(e.message), JSON.stringify(value));
  }
});

test("--attribute: a key given twice is refused before signing, naming it (the chain keeps one value per key)", () => {
  for (const bad of [["gpu=a100", "gpu=h100"], ["tier=gold", "arch=arm64", "tier=gold"], ["k=", "k="]]) {
    assert.throws(() => parseAttributes(bad), (e: unknown) => e instanceof UsageError && /^--attribute: .*attribute key "(gpu|tier|k)" appears twice/.test(e.message), JSON.stringify(bad));
  }
  assert.deepEqual(parseAttributes(["gpu=a100", "gpu.count=2", "gpu/model=a100"]), ["gpu=a100", "gpu.count=2", "gpu/model=a100"], "keys that share a prefix are different keys");
});

// abci-app/src/modules/leasing/testing/ssh-keys.ts (not exported to the CLI)
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEDLADmzpnTNPs8QWGn3acBbnRy0o/fwdwICqmz+DiK0 t@x";
const RSA_1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDAzzj5Wv8rO/EXz8xISdPDCUXGEokkf4EwVKsS52+HhgZE7xM7KOtXLBj7unXeKG7l3Ui6vPT4VpZ3B/qyjzGOo5kuf1iCjCM8krXdRqV1sNvXjLdMQAebrFQyTBHMESmJP4hwif2mQiIcnlsDuSaop44Aehp+Ijhie1+tkRnTYw== t@x";

test("--ssh-key takes what the chain takes (its own rule): a bad type, RSA-1024, garbage, a bidi or control character or a 9th key is refused here, naming the key", async () => {
  const refused = (what: RegExp) => (e: unknown): boolean => e instanceof UsageError && e.exitCode === 2 && what.test(e.message);
  assert.deepEqual(await readSshKeys([ED25519, `  ${ED25519.replace("t@x", "other")}  `]), [ED25519, ED25519.replace("t@x", "other")]);
  await assert.rejects(readSshKeys([ED25519, "ssh-dss AAAAB3NzaC1kc3MAAAA= t@x"]), refused(/^--ssh-key #2: ssh key .*unsupported key type "ssh-dss".*: invalid ssh public key$/u));
  await assert.rejects(readSshKeys([RSA_1024]), refused(/^--ssh-key #1: .*RSA.*1024/u));
  await assert.rejects(readSshKeys(["ssh-ed25519 not*base64 t@x"]), refused(/^--ssh-key #1: .*the key data is not base64/u));
  await assert.rejects(readSshKeys(["ssh-ed25519 AAAA t@x"]), refused(/^--ssh-key #1: ssh key .*: invalid ssh public key$/u));
  // A key line of a type the chain does not take, naming no file: the chain's key error, not "cannot read … ENOENT".
  await assert.rejects(readSshKeys(["sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t t@x"]), refused(/^--ssh-key #1: ssh key .*unsupported key type "sk-ssh-ed25519@openssh.com"/u));
  await assert.rejects(readSshKeys(["/no/such/dir/id_ed25519.pub"]), refused(/^--ssh-key: cannot read \/no\/such\/dir\/id_ed25519\.pub: ENOENT/u), "a path with no spaces is still a path");
  for (const comment of ["t\u202e@x", "t\u001b[2J", "a\u200bb", "t\u0007"]) {
    await assert.rejects(readSshKeys([ED25519.replace("t@x", comment)]), refused(/^--ssh-key #1: .*the comment holds U\+[0-9A-F]{4}/u), JSON.stringify(comment));
  }
  await assert.rejects(readSshKeys(Array.from({ length: 9 }, (_, i) => ED25519.replace("t@x", `k${i}`))), refused(/^--ssh-key: a lease takes 1 to 8 ssh public keys, got 9/u));
  const dir = await mkdtemp(join(tmpdir(), "tn-ssh-keys-"));
  try {
    const file = join(dir, "keys.pub");
    await writeFile(file, `# mine\n${ED25519}\n\n${RSA_1024}\n`);
    await assert.rejects(readSshKeys([ED25519, file]), refused(new RegExp(`^--ssh-key #2 \\(${file.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")} line 4\\): .*RSA`, "u")), "names the file and line");
    await writeFile(file, Array.from({ length: 8 }, (_, i) => ED25519.replace("t@x", `k${i}`)).join("\n"));
    assert.equal((await readSshKeys([file])).length, 8);
    await assert.rejects(readSshKeys([file, ED25519]), refused(/got 9/u), "the count is over all --ssh-key arguments");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
