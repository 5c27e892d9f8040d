import { FormatError, InputError, MedMaskError, describeValue } from "./errors.js";

// What travels with a label besides its name: a display colour and coded terminology, as
// 3D Slicer (Segment*_Color, TerminologyEntry) and DICOM SEG (RecommendedDisplayCIELabValue,
// the category / type / modifier code sequences) keep them.

/** A coded concept: `[coding scheme designator, code value, code meaning]`, e.g. `["SCT", "10200004", "Liver"]`. */
export type Code = readonly [scheme: string, value: string, meaning: string];

/** Optional per-label metadata. */
export interface LabelMetadata {
  /** Display colour, RGB, each in [0, 1] (as Slicer stores it). */
  color?: readonly [number, number, number];
  /** Segmented property category (e.g. `["SCT", "123037004", "Anatomical Structure"]`). */
  category?: Code;
  /** Segmented property type (e.g. `["SCT", "10200004", "Liver"]`). */
  type?: Code;
  /** Type modifier (e.g. `["SCT", "7771000", "Left"]`). */
  modifier?: Code;
}

const KEYS = ["color", "category", "type", "modifier"] as const;

/** Where a check runs: API arguments (INVALID_ARGUMENT) or a file's contents (BAD_FORMAT). */
export type MetadataSource = "argument" | "file";

function fail(source: MetadataSource, message: string): MedMaskError {
  return source === "file" ? new FormatError("BAD_FORMAT", message) : new InputError("INVALID_ARGUMENT", message);
}

function checkCode(value: unknown, what: string, source: MetadataSource): Code {
  const ok = Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === "string") && value[0] !== "" && value[1] !== "";
  if (!ok) throw fail(source, `${what} must be [scheme, value, meaning], three strings (scheme and value not empty), got ${describeValue(value)}.`);
  return [value[0], value[1], value[2]] as Code;
}

/**
 * `value` checked as metadata of the label `name` and copied (only the keys it has):
 * a colour of three numbers in [0, 1], codes of three strings; anything else, and unknown
 * keys, INVALID_ARGUMENT (or BAD_FORMAT when read from a file).
 * @example checkMetadata({ color: [0.8, 0.2, 0.2], type: ["SCT", "10200004", "Liver"] }, "liver")
 */
export function checkMetadata(value: unknown, name: string, source: MetadataSource = "argument"): LabelMetadata {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail(source, `The metadata of "${name}" must be an object, got ${describeValue(value)}.`);
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) throw fail(source, `The metadata of "${name}" has unknown key(s) ${unknown.join(", ")}; it takes ${KEYS.join(", ")}.`);
  const out: { -readonly [K in keyof LabelMetadata]: LabelMetadata[K] } = {};
  if (record.color !== undefined) {
    const c = record.color;
    if (!(Array.isArray(c) && c.length === 3 && c.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 1))) {
      throw fail(source, `The colour of "${name}" must be three numbers in [0, 1] (RGB), got ${describeValue(c)}.`);
    }
    out.color = [c[0], c[1], c[2]];
  }
  for (const key of ["category", "type", "modifier"] as const) {
    if (record[key] !== undefined) out[key] = checkCode(record[key], `The ${key} code of "${name}"`, source);
  }
  return out;
}

/** Whether `meta` holds anything. */
export function hasMetadata(meta: LabelMetadata | undefined): meta is LabelMetadata {
  return meta !== undefined && KEYS.some((k) => meta[k] !== undefined);
}

/** Metadata by name, checked (see `checkMetadata`); entries without content are dropped. */
export function checkMetadataRecord(value: unknown, source: MetadataSource = "argument"): Map<string, LabelMetadata> {
  if (value === undefined) return new Map();
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail(source, `Label metadata must be an object of {name: metadata}, got ${describeValue(value)}.`);
  const out = new Map<string, LabelMetadata>();
  for (const [name, meta] of Object.entries(value as Record<string, unknown>)) {
    const checked = checkMetadata(meta, name, source);
    if (hasMetadata(checked)) out.set(name, checked);
  }
  return out;
}

/** A Map of metadata by name as a plain object, for JSON (names in the map's order). */
export function metadataToJSON(metadata: ReadonlyMap<string, LabelMetadata>): Record<string, LabelMetadata> {
  return Object.fromEntries(metadata);
}
