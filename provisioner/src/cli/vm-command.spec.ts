// `trustnet vm …`'s --home default: $TRUSTNET_HOME, else ~/.trustnet; an empty variable counts as unset, never as "".
import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultVmHome } from "./vm-command.ts";

test("defaultVmHome: $TRUSTNET_HOME when set, ~/.trustnet when unset or empty", () => {
  assert.equal(defaultVmHome({ TRUSTNET_HOME: "/srv/tn" }), "/srv/tn");
  assert.equal(defaultVmHome({}), join(homedir(), ".trustnet"));
  assert.equal(defaultVmHome({ TRUSTNET_HOME: "" }), join(homedir(), ".trustnet"));
});
