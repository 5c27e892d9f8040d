/**
 * Every error medmask raises on purpose is a `MedMaskError` with a stable `code`, so
 * callers can branch on `err.code` (like Node's `ENOENT`) instead of parsing messages.
 */
export type MedMaskErrorCode =
  | "UNKNOWN_NAME"
  | "UNKNOWN_LABEL"
  | "DUPLICATE_LABEL"
  | "DUPLICATE_NAME"
  | "INVALID_NAME"
  | "INVALID_LABEL"
  | "LABEL_OUT_OF_RANGE"
  | "OVERLAP"
  | "SHAPE_MISMATCH"
  | "INVALID_SHAPE"
  | "INVALID_SPACE"
  | "INVALID_DATA"
  | "INVALID_ARGUMENT"
  | "BAD_FORMAT"
  | "CHECKSUM"
  | "UNSUPPORTED_VERSION"
  | "TRUNCATED"
  | "OUT_OF_MEMORY"
  | "TOO_LARGE"
  | "WASM_UNAVAILABLE"
  | "NOT_INITIALIZED"
  | "DISPOSED"
  | "NO_FILE_SYSTEM"
  | "FILE_NOT_FOUND"
  | "FILE_EXISTS"
  | "NOT_A_FILE"
  | "IO_ERROR"
  | "READ_ONLY"
  | "LOCKED"
  | "CONFLICT"
  | "RANGE_UNSUPPORTED"
  | "LAYERED"
  | "UNSUPPORTED_PLATFORM"
  | "ABORTED"
  | "SPACE_MISMATCH"
  | "EMPTY_LABEL";

/**
 * Base class of all medmask errors.
 * @example
 * try { mapping.get("livr"); } catch (e) { if (e instanceof MedMaskError && e.code === "UNKNOWN_NAME") ... }
 */
export class MedMaskError extends Error {
  /** Stable machine-readable code; messages may change, codes do not. */
  readonly code: MedMaskErrorCode;

  constructor(code: MedMaskErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A name or label problem: unknown, duplicate, invalid or out of the bit depth's range. */
export class LabelError extends MedMaskError {}

/** Geometry problems: data length vs shape, invalid spacing, origin or orientation. */
export class GeometryError extends MedMaskError {}

/** Voxels that overlap where the caller asked for no overlap. */
export class OverlapError extends MedMaskError {}

/** Bad input that is not a label or geometry problem: wrong array types, bad options. */
export class InputError extends MedMaskError {}

/** Files and bytes that cannot be read: bad magic, truncation, checksums, versions. */
export class FormatError extends MedMaskError {}

/** Memory that cannot be had, a WASM module that cannot load, a mask already disposed. */
export class ResourceError extends MedMaskError {}

/** Files, folders, locks and servers: missing, existing, unreadable, taken, changed. */
export class FileError extends MedMaskError {}

type ErrorClass = new (code: MedMaskErrorCode, message: string, options?: { cause?: unknown }) => MedMaskError;

/** The class of every code: one table, which every error medmask raises follows. */
export const ERROR_CLASSES: Readonly<Record<MedMaskErrorCode, ErrorClass>> = {
  UNKNOWN_NAME: LabelError,
  UNKNOWN_LABEL: LabelError,
  DUPLICATE_LABEL: LabelError,
  DUPLICATE_NAME: LabelError,
  INVALID_NAME: LabelError,
  INVALID_LABEL: LabelError,
  LABEL_OUT_OF_RANGE: LabelError,
  EMPTY_LABEL: LabelError,
  OVERLAP: OverlapError,
  SHAPE_MISMATCH: GeometryError,
  INVALID_SHAPE: GeometryError,
  INVALID_SPACE: GeometryError,
  SPACE_MISMATCH: GeometryError,
  INVALID_DATA: InputError,
  INVALID_ARGUMENT: InputError,
  LAYERED: InputError,
  BAD_FORMAT: FormatError,
  CHECKSUM: FormatError,
  UNSUPPORTED_VERSION: FormatError,
  TRUNCATED: FormatError,
  OUT_OF_MEMORY: ResourceError,
  TOO_LARGE: ResourceError,
  WASM_UNAVAILABLE: ResourceError,
  NOT_INITIALIZED: ResourceError,
  DISPOSED: ResourceError,
  UNSUPPORTED_PLATFORM: ResourceError,
  NO_FILE_SYSTEM: FileError,
  FILE_NOT_FOUND: FileError,
  FILE_EXISTS: FileError,
  NOT_A_FILE: FileError,
  IO_ERROR: FileError,
  READ_ONLY: FileError,
  LOCKED: FileError,
  CONFLICT: FileError,
  RANGE_UNSUPPORTED: FileError,
  ABORTED: FileError,
};

/**
 * An error of `code`, of the class the table gives it (where the code is not known until run
 * time: an error passed on with more context, or one that crossed from a worker).
 * @example throw errorOf(error.code, `Source image 2: ${error.message}`, { cause: error });
 */
export function errorOf(code: MedMaskErrorCode, message: string, options?: { cause?: unknown }): MedMaskError {
  return new ERROR_CLASSES[code](code, message, options);
}

/**
 * A short description of any value for an error message, that never throws: `String()`
 * throws on objects without a usable `toString`, `JSON.stringify` on BigInts and cycles,
 * and a bad argument must still get its typed error. Strings come quoted; long arrays are
 * described by type and length, not printed.
 */
export function describeValue(value: unknown): string {
  try {
    if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
    if (typeof value !== "object" || value === null) return typeof value === "symbol" ? value.toString() : `${value as string}`;
    const length = (value as { length?: unknown }).length;
    if ((Array.isArray(value) || ArrayBuffer.isView(value)) && typeof length === "number" && length > 8) {
      return `a ${value.constructor?.name ?? "array"} of ${length}`;
    }
    const json = JSON.stringify(ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value);
    if (json !== undefined) return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    // a cycle, a BigInt, a throwing getter or toJSON: fall through to the type
  }
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return "a value that cannot be described";
  }
}
