import { test } from "node:test";
import assert from "node:assert/strict";
import { pathFor, type PathSpec } from "./paths.ts";

const H = "ab".repeat(32);
const CASES: ReadonlyArray<readonly [PathSpec, string]> = [
  [{ kind: "blobsRoot" }, "/blobs"],
  [{ kind: "blobData", alg: "sha256", hex: H }, `/blobs/sha256/ab/${H}/data`],
  [{ kind: "blobPusher", alg: "sha256", hex: H }, `/blobs/sha256/ab/${H}/pusher`],
  [{ kind: "repositoriesRoot" }, "/repositories"],
  [{ kind: "repository", name: "ns/app" }, "/repositories/ns/app"],
  [{ kind: "layerLinksRoot", name: "ns/app" }, "/repositories/ns/app/_layers"],
  [{ kind: "layerDir", name: "ns/app", alg: "sha256", hex: H }, `/repositories/ns/app/_layers/sha256/${H}`],
  [{ kind: "layerLink", name: "ns/app", alg: "sha256", hex: H }, `/repositories/ns/app/_layers/sha256/${H}/link`],
  [{ kind: "revisionsRoot", name: "a" }, "/repositories/a/_manifests/revisions"],
  [{ kind: "revisionDir", name: "a", alg: "sha512", hex: H + H }, `/repositories/a/_manifests/revisions/sha512/${H}${H}`],
  [{ kind: "revisionLink", name: "a", alg: "sha512", hex: H + H }, `/repositories/a/_manifests/revisions/sha512/${H}${H}/link`],
  [{ kind: "tagsRoot", name: "a/b/c" }, "/repositories/a/b/c/_manifests/tags"],
  [{ kind: "tagDir", name: "a", tag: "v1.0" }, "/repositories/a/_manifests/tags/v1.0"],
  [{ kind: "tagLink", name: "a", tag: "latest" }, "/repositories/a/_manifests/tags/latest/current/link"],
  [{ kind: "referrersDir", name: "a", alg: "sha256", hex: H }, `/repositories/a/_referrers/sha256/${H}`],
  [{ kind: "referrerLink", name: "a", alg: "sha256", hex: H, refAlg: "sha256", refHex: "cd".repeat(32) }, `/repositories/a/_referrers/sha256/${H}/sha256/${"cd".repeat(32)}/link`],
  [{ kind: "uploadsRoot" }, "/uploads"],
  [{ kind: "uploadDir", id: "u1" }, "/uploads/u1"],
  [{ kind: "uploadData", id: "u1" }, "/uploads/u1/data"],
  [{ kind: "uploadInfo", id: "u1" }, "/uploads/u1/info"],
  [{ kind: "uploadOffset", id: "u1" }, "/uploads/u1/offset"],
];

test("pathFor maps every spec to its documented path", () => {
  for (const [spec, want] of CASES) assert.equal(pathFor(spec), want, spec.kind);
});
