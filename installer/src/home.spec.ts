import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { installerHome } from "./home.ts";

test("installerHome: --home, else $TRUSTNET_HOME, else ~/.trustnet; an empty variable counts as unset", () => {
  assert.equal(installerHome("/opt/tn", { TRUSTNET_HOME: "/srv/tn" }), "/opt/tn");
  assert.equal(installerHome(undefined, { TRUSTNET_HOME: "/srv/tn" }), "/srv/tn");
  assert.equal(installerHome(undefined, {}), join(homedir(), ".trustnet"));
  assert.equal(installerHome(undefined, { TRUSTNET_HOME: "" }), join(homedir(), ".trustnet"));
});
