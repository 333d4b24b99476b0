import { RegistryError } from "../errors.ts";
import { parseDigest } from "../digest.ts";

export const MEDIA_TYPES = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
} as const;

const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);
/**
 * The manifest types this registry stores (distribution's registered schema-2 handlers). An artifact is an OCI image
 * manifest with an `artifactType`. Any other type is refused: it is served back as the manifest's Content-Type, so a
 * free-form one could break the header or make a manifest pass for a web page.
 */
const MANIFEST_TYPES: ReadonlySet<string> = new Set(Object.values(MEDIA_TYPES));
const FOREIGN_LAYERS: ReadonlySet<string> = new Set([
  "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  "application/vnd.oci.image.layer.nondistributable.v1.tar",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
]);

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** What the registry needs to know about a manifest (parsed once, from its exact bytes). */
export interface ParsedManifest {
  readonly mediaType: string;
  readonly isIndex: boolean;
  /**
   * Blobs that must exist in the repository: config and distributable layers, and an index's entries whose media type
   * is not a manifest type (BuildKit's registry cache lists its layers and cache config in an index).
   */
  readonly blobs: readonly string[];
  /** Child manifests of an index (its entries of a manifest media type). */
  readonly manifests: readonly string[];
  readonly subject: Descriptor | undefined;
  readonly artifactType: string | undefined;
  readonly annotations: Readonly<Record<string, string>> | undefined;
}

const invalid = (why: string): RegistryError => new RegistryError("MANIFEST_INVALID", `manifest invalid: ${why}`);

/** A JSON object of strings (JSON keys are always strings): what `annotations` must be. */
const isStringMap = (v: unknown): boolean => v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");

/** The optional `artifactType` and `annotations` of a manifest or a descriptor, when present, have their types. */
function checkOptionalFields(o: Record<string, unknown>, where: string): void {
  if (o["artifactType"] !== undefined && typeof o["artifactType"] !== "string") throw invalid(`artifactType is not a string in ${where}`);
  if (o["annotations"] !== undefined && !isStringMap(o["annotations"])) throw invalid(`annotations is not an object of strings in ${where}`);
}

/**
 * A descriptor: `mediaType` a string, `digest` a valid digest, `size` a non-negative integer, and `artifactType` and
 * `annotations`, if present, of their types. `stored` (a manifest already in storage, read for its references):
 * only what finding the references needs (an earlier version stored manifests checked that far).
 */
function descriptor(v: unknown, where: string, stored: boolean): Descriptor {
  const d = v as Partial<Descriptor> | null;
  if (!d || typeof d !== "object" || Array.isArray(d) || typeof d.digest !== "string" || typeof d.mediaType !== "string" || typeof d.size !== "number") {
    throw invalid(`bad descriptor in ${where}`);
  }
  try {
    parseDigest(d.digest);
  } catch {
    // a digest inside the manifest is the manifest's fault, not the request's
    throw invalid(`bad digest ${JSON.stringify(d.digest.slice(0, 150))} in ${where}`);
  }
  if (!stored) {
    if (!Number.isSafeInteger(d.size) || d.size < 0) throw invalid(`size ${d.size} is not a non-negative integer in ${where}`);
    checkOptionalFields(d as Record<string, unknown>, where);
  }
  return d as Descriptor;
}

/** Strips parameters: `application/x; charset=utf-8` → `application/x`. */
export function bareMediaType(contentType: string | undefined): string | undefined {
  const t = contentType?.split(";")[0]?.trim().toLowerCase();
  return t ? t : undefined;
}

/**
 * Parses and checks a pushed manifest; anything malformed is MANIFEST_INVALID. `stored`: a manifest read back from
 * storage (GC, delete) is checked only as far as finding its references needs, so that one stored by an earlier,
 * laxer version never stops a GC.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined, opts: { stored?: boolean } = {}): ParsedManifest {
  const stored = opts.stored ?? false;
  let doc: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(bytes.toString("utf8"));
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
    doc = v as Record<string, unknown>;
  } catch {
    throw new RegistryError("MANIFEST_INVALID", "manifest invalid: not a JSON object");
  }
  if (doc["schemaVersion"] !== 2) throw new RegistryError("MANIFEST_INVALID", "manifest invalid: schemaVersion must be 2");
  if (!stored) {
    if (doc["mediaType"] !== undefined && typeof doc["mediaType"] !== "string") throw invalid("mediaType is not a string");
    checkOptionalFields(doc, "the manifest");
  }
  const declared = typeof doc["mediaType"] === "string" ? doc["mediaType"] : undefined;
  const header = bareMediaType(contentType);
  const mediaType = declared ?? (header && header !== "application/octet-stream" ? header : undefined);
  if (!mediaType) throw new RegistryError("MANIFEST_INVALID", "manifest invalid: no media type");
  if (!MANIFEST_TYPES.has(mediaType)) {
    throw new RegistryError("MANIFEST_INVALID", `manifest invalid: unsupported media type ${JSON.stringify(mediaType.slice(0, 200))} (one of ${[...MANIFEST_TYPES].join(", ")}; an artifact is an OCI image manifest with an artifactType)`);
  }
  if (declared && header && header !== declared && header !== "application/octet-stream") {
    throw new RegistryError("MANIFEST_INVALID", `manifest invalid: Content-Type ${header} differs from mediaType ${declared}`);
  }
  // The media type alone decides: an image manifest that also carries `manifests` is still checked for its blobs.
  const isIndex = INDEX_TYPES.has(mediaType);
  const blobs: string[] = [];
  const manifests: string[] = [];
  if (isIndex) {
    if (!Array.isArray(doc["manifests"])) throw new RegistryError("MANIFEST_INVALID", "manifest invalid: index without manifests");
    // An entry is a child manifest when its media type says so; any other entry is a blob (as distribution 2.x,
    // which finds an index's entries among the repository's manifests and its blobs, and as BuildKit's registry cache
    // pushes them: an index of layers and a cache config, each pushed as a blob).
    for (const m of doc["manifests"]) {
      const d = descriptor(m, "manifests", stored);
      (MANIFEST_TYPES.has(d.mediaType) ? manifests : blobs).push(d.digest);
    }
  } else {
    if (doc["config"] === undefined) throw new RegistryError("MANIFEST_INVALID", "manifest invalid: no config");
    blobs.push(descriptor(doc["config"], "config", stored).digest);
    const layers = doc["layers"] ?? [];
    if (!Array.isArray(layers)) throw new RegistryError("MANIFEST_INVALID", "manifest invalid: layers is not a list");
    for (const l of layers) {
      const d = descriptor(l, "layers", stored);
      if (!FOREIGN_LAYERS.has(d.mediaType)) blobs.push(d.digest);
    }
  }
  const subject = doc["subject"] === undefined ? undefined : descriptor(doc["subject"], "subject", stored);
  let artifactType = typeof doc["artifactType"] === "string" ? doc["artifactType"] : undefined;
  if (!artifactType && !isIndex) {
    const cfg = doc["config"] as Descriptor;
    artifactType = cfg.mediaType;
  }
  const ann = doc["annotations"];
  const annotations = ann && typeof ann === "object" && !Array.isArray(ann) ? (ann as Record<string, string>) : undefined;
  return { mediaType, isIndex, blobs, manifests, subject, artifactType, annotations };
}
