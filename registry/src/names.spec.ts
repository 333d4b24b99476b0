import { test } from "node:test";
import assert from "node:assert/strict";
import { RegistryError } from "./errors.ts";
import { canonicalName, parseReference, splitNamespace, validateName, validateTag } from "./names.ts";
import { parseDigest } from "./digest.ts";

const kind = (fn: () => unknown): string => {
  try {
    fn();
    return "ok";
  } catch (err) {
    return err instanceof RegistryError ? err.kind : String(err);
  }
};

test("repository names follow the spec grammar", () => {
  for (const ok of ["a", "ns/app", "a.b/c_d/e__f/g-h", "a--b", "x/y/z/w"]) assert.equal(kind(() => validateName(ok)), "ok", ok);
  for (const bad of ["", "A", "ns/App", "..", "a/../b", "a/./b", "a//b", "/a", "a/", "-a", "a_", "a___b", "a%2f..", "a b", "a".repeat(256)]) {
    assert.equal(kind(() => validateName(bad)), "NAME_INVALID", bad);
  }
  assert.equal(kind(() => validateName("a".repeat(255))), "ok");
});

test("tags follow [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}", () => {
  for (const ok of ["1", "latest", "V1.0_rc-2", "_x", "a".repeat(128)]) assert.equal(kind(() => validateTag(ok)), "ok", ok);
  for (const bad of ["", ".x", "-x", "..", "a/b", "a:b", "a".repeat(129), "%2e%2e"]) assert.equal(kind(() => validateTag(bad)), "TAG_INVALID", bad);
});

test("digests: sha256 and sha512 only, lowercase hex of the right length", () => {
  assert.equal(parseDigest(`sha256:${"a".repeat(64)}`).algorithm, "sha256");
  assert.equal(parseDigest(`sha512:${"b".repeat(128)}`).algorithm, "sha512");
  for (const bad of ["sha256:abc", `sha256:${"A".repeat(64)}`, `md5:${"a".repeat(32)}`, `sha384:${"a".repeat(96)}`, "sha256", `sha256:${"a".repeat(63)}/`, `sha256:../${"a".repeat(61)}`]) {
    assert.equal(kind(() => parseDigest(bad)), "DIGEST_INVALID", bad);
  }
});

test("references are a tag or a digest", () => {
  assert.deepEqual(parseReference("v1"), { kind: "tag", tag: "v1" });
  assert.equal(parseReference(`sha256:${"c".repeat(64)}`).kind, "digest");
  assert.equal(kind(() => parseReference("sha256:zz")), "DIGEST_INVALID");
});

test("single-component names belong to the default namespace", () => {
  assert.deepEqual(splitNamespace("app", "library"), { namespace: "library", repo: "app" });
  assert.deepEqual(splitNamespace("acme/tools/app", "library"), { namespace: "acme", repo: "tools/app" });
});

test("<default namespace>/<repo> one level deep is another name for the single-component repo; nothing else is rewritten", () => {
  assert.equal(canonicalName("library/app", "library"), "app");
  assert.equal(canonicalName("app", "library"), "app");
  for (const own of ["library/a/b", "libraryx/app", "acme/app", "acme/library/app", "library"]) assert.equal(canonicalName(own, "library"), own);
  assert.equal(canonicalName("base/app", "base"), "app");
  assert.equal(canonicalName("library/app", "base"), "library/app");
  // both names share one chain record
  assert.deepEqual(splitNamespace(canonicalName("library/app", "library"), "library"), splitNamespace("library/app", "library"));
});
