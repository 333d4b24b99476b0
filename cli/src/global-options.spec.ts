// The home every command defaults to: $TRUSTNET_HOME, else ~/.trustnet. An empty variable counts as unset, as in
// install.sh (`${TRUSTNET_HOME:-…}`) and the launcher (cli/bin/trustnet.js), never as the current directory.
import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_CHAIN_ID, DEFAULT_NODE, defaultChainId, defaultHome, defaultNode } from "./global-options.ts";

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
