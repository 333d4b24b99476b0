import type { DigestAlgorithm } from "../digest.ts";

/**
 * The one mapping from logical objects to driver paths (house rule 14). Layout:
 *
 *   /blobs/<alg>/<hex[0:2]>/<hex>/data                          global content-addressed store
 *   /blobs/<alg>/<hex[0:2]>/<hex>/pusher                        the account whose open push stored it (OpenPushQuota)
 *   /repositories/<name>/_layers/<alg>/<hex>/link                 blob linked into a repo
 *   /repositories/<name>/_manifests/revisions/<alg>/<hex>/link    manifest known in a repo (JSON {digest, mediaType, size})
 *   /repositories/<name>/_manifests/tags/<tag>/current/link       tag → digest
 *   /repositories/<name>/_referrers/<alg>/<hex>/<alg2>/<hex2>/link  descriptor of a referrer of subject <alg>:<hex>
 *   /uploads/<id>/data                                             bytes received so far
 *   /uploads/<id>/info                                             JSON {repo, startedAt}
 *   /uploads/<id>/offset                                           last acknowledged offset (decimal)
 *
 * Names and tags are validated before they get here; the driver re-checks every component.
 */
export type PathSpec =
  | { readonly kind: "blobsRoot" }
  | { readonly kind: "blobData"; readonly alg: DigestAlgorithm; readonly hex: string }
  | { readonly kind: "blobPusher"; readonly alg: DigestAlgorithm; readonly hex: string }
  | { readonly kind: "repositoriesRoot" }
  | { readonly kind: "repository"; readonly name: string }
  | { readonly kind: "layerLinksRoot"; readonly name: string }
  | { readonly kind: "layerDir"; readonly name: string; readonly alg: DigestAlgorithm; readonly hex: string }
  | { readonly kind: "layerLink"; readonly name: string; readonly alg: DigestAlgorithm; readonly hex: string }
  | { readonly kind: "revisionsRoot"; readonly name: string }
  | { readonly kind: "revisionDir"; readonly name: string; readonly alg: DigestAlgorithm; readonly hex: string }
  | { readonly kind: "revisionLink"; readonly name: string; readonly alg: DigestAlgorithm; readonly hex: string }
  | { readonly kind: "tagsRoot"; readonly name: string }
  | { readonly kind: "tagLink"; readonly name: string; readonly tag: string }
  | { readonly kind: "tagDir"; readonly name: string; readonly tag: string }
  | { readonly kind: "referrersDir"; readonly name: string; readonly alg: DigestAlgorithm; readonly hex: string }
  | {
      readonly kind: "referrerLink";
      readonly name: string;
      readonly alg: DigestAlgorithm;
      readonly hex: string;
      readonly refAlg: DigestAlgorithm;
      readonly refHex: string;
    }
  | { readonly kind: "uploadsRoot" }
  | { readonly kind: "uploadDir"; readonly id: string }
  | { readonly kind: "uploadData"; readonly id: string }
  | { readonly kind: "uploadInfo"; readonly id: string }
  | { readonly kind: "uploadOffset"; readonly id: string };

export function pathFor(spec: PathSpec): string {
  switch (spec.kind) {
    case "blobsRoot":
      return "/blobs";
    case "blobData":
      return `/blobs/${spec.alg}/${spec.hex.slice(0, 2)}/${spec.hex}/data`;
    case "blobPusher":
      return `/blobs/${spec.alg}/${spec.hex.slice(0, 2)}/${spec.hex}/pusher`;
    case "repositoriesRoot":
      return "/repositories";
    case "repository":
      return `/repositories/${spec.name}`;
    case "layerLinksRoot":
      return `/repositories/${spec.name}/_layers`;
    case "layerDir":
      return `/repositories/${spec.name}/_layers/${spec.alg}/${spec.hex}`;
    case "layerLink":
      return `${pathFor({ ...spec, kind: "layerDir" })}/link`;
    case "revisionsRoot":
      return `/repositories/${spec.name}/_manifests/revisions`;
    case "revisionDir":
      return `/repositories/${spec.name}/_manifests/revisions/${spec.alg}/${spec.hex}`;
    case "revisionLink":
      return `${pathFor({ ...spec, kind: "revisionDir" })}/link`;
    case "tagsRoot":
      return `/repositories/${spec.name}/_manifests/tags`;
    case "tagDir":
      return `/repositories/${spec.name}/_manifests/tags/${spec.tag}`;
    case "tagLink":
      return `/repositories/${spec.name}/_manifests/tags/${spec.tag}/current/link`;
    case "referrersDir":
      return `/repositories/${spec.name}/_referrers/${spec.alg}/${spec.hex}`;
    case "referrerLink":
      return `/repositories/${spec.name}/_referrers/${spec.alg}/${spec.hex}/${spec.refAlg}/${spec.refHex}/link`;
    case "uploadsRoot":
      return "/uploads";
    case "uploadDir":
      return `/uploads/${spec.id}`;
    case "uploadData":
      return `/uploads/${spec.id}/data`;
    case "uploadInfo":
      return `/uploads/${spec.id}/info`;
    case "uploadOffset":
      return `/uploads/${spec.id}/offset`;
  }
}
