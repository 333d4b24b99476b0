import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { makeSpinner, makeSpinnerGroup } from "./spinner.ts";

function fakeStream(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let buf = "";
  const stream = { isTTY: tty, write: (s: string) => ((buf += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => buf };
}

describe("spinners", () => {
  test("not a TTY: one plain line per phase", () => {
    const f = fakeStream(false);
    const s = makeSpinner("trustnet-node", f.stream, () => 0);
    s.phase("waiting for SSH");
    s.phase("waiting for cloud-init");
    s.stop("ready");
    assert.equal(f.text(), "trustnet-node: waiting for SSH\ntrustnet-node: waiting for cloud-init\ntrustnet-node: ready\n");
  });
  test("TTY group: parallel VMs share one redrawn line", () => {
    const f = fakeStream(true);
    let t = 0;
    const group = makeSpinnerGroup(f.stream, () => t);
    const a = group("trustnet-node");
    const b = group("trustnet-registry");
    a.phase("waiting for SSH");
    t = 5000;
    b.phase("waiting for cloud-init");
    const last = f.text().split("\r").pop() ?? "";
    assert.ok(last.startsWith("\u001b[2K"), "clears the line before redrawing");
    assert.match(last, /. trustnet-node: waiting for SSH \| trustnet-registry: waiting for cloud-init \(5s\)$/);
    a.stop("ready");
    b.stop("ready");
    assert.match(f.text(), /trustnet-node: ready\n/);
    assert.match(f.text(), /trustnet-registry: ready\n$/);
  });
});
