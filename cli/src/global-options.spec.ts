// The home every command defaults to: $TRUSTNET_HOME, else ~/.trustnet. An empty variable counts as unset, as in
// install.sh (`${TRUSTNET_HOME:-…}`) and the launcher (cli/bin/trustnet.js), never as the current directory.
import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { resolve } from "node:path";
import { DEFAULT_CHAIN_ID, DEFAULT_NODE, defaultChainId, defaultHome, defaultNode, homeArg } from "./global-options.ts";

test("defaultHome: $TRUSTNET_HOME when set, ~/.trustnet when unset or empty", () => {
  assert.equal(defaultHome({ TRUSTNET_HOME: "/srv/tn" }), "/srv/tn");
  assert.equal(defaultHome({}), join(homedir(), ".trustnet"));
  assert.equal(defaultHome({ TRUSTNET_HOME: "" }), join(homedir(), ".trustnet"));
});

test("defaultNode and defaultChainId: the variable when set, the devnet's when unset or empty (never \"\")", () => {
  assert.equal(defaultNode({ TRUSTNET_NODE: "http://10.0.0.2:26657" }), "http://10.0.0.2:26657");
  assert.equal(defaultNode({}), DEFAULT_NODE);
  assert.equal(defaultNode({ TRUSTNET_NODE: "" }), DEFAULT_NODE);
  assert.equal(defaultChainId({ TRUSTNET_CHAIN_ID: "trustnet-2" }), "trustnet-2");
  assert.equal(defaultChainId({}), DEFAULT_CHAIN_ID);
  assert.equal(defaultChainId({ TRUSTNET_CHAIN_ID: "" }), DEFAULT_CHAIN_ID);
});

test("homeArg: the --home a printed command needs to act on this home, none when a bare command uses it anyway", () => {
  const env = { TRUSTNET_HOME: "/srv/tn" };
  assert.equal(homeArg("/srv/tn", env), "", "$TRUSTNET_HOME is what a bare `trustnet devnet down` uses");
  assert.equal(homeArg("/srv/tn/", env), "");
  assert.equal(homeArg(join(homedir(), ".trustnet"), {}), "", "~/.trustnet when the variable is unset");
  assert.equal(homeArg("/tmp/cos-home", env), " --home /tmp/cos-home");
  assert.equal(homeArg("/tmp/cos-home", {}), " --home /tmp/cos-home");
  assert.equal(homeArg("/tmp/my home/it's", {}), " --home '/tmp/my home/it'\\''s'", "quoted for a POSIX shell");
  assert.equal(homeArg("rel", {}), ` --home ${resolve("rel")}`, "absolute, so it works from any directory");
});
