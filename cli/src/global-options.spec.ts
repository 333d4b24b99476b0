// The home every command defaults to: $TRUSTNET_HOME, else ~/.trustnet. An empty variable counts as unset, as in
// install.sh (`${TRUSTNET_HOME:-…}`) and the launcher (cli/bin/trustnet.js), never as the current directory.
import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultHome } from "./global-options.ts";

test("defaultHome: $TRUSTNET_HOME when set, ~/.trustnet when unset or empty", () => {
  assert.equal(defaultHome({ TRUSTNET_HOME: "/srv/tn" }), "/srv/tn");
  assert.equal(defaultHome({}), join(homedir(), ".trustnet"));
  assert.equal(defaultHome({ TRUSTNET_HOME: "" }), join(homedir(), ".trustnet"));
});
