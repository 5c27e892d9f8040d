import * as nifti from "nifti-reader-js";
import type { LabelArray } from "../../bitdepth.js";
import { FormatError } from "../../errors.js";
import { Space } from "../../space.js";
import { gunzip, gunzipHead, gzipStreamError } from "../../codecs/gzip.js";
import { checkBytes } from "../../sources/bytes.js";
import { checkFits, maxBytesOf, type LimitOptions } from "../../limits.js";
import { floatLabels, integerLabels, storedView, valueLabels, type StoredFloatType, type StoredIntegerType } from "../stored-labels.js";
import { trimEndOf } from "../../text.js";

/** A label volume read from NIfTI: voxels in (z, y, x) C order and its Space. */
export interface NiftiVolume {
  data: LabelArray;
  /** Geometry in array order (z, y, x), LPS, as spacetransformer computes it. */
  space: Space;
  /**
   * Label names the file carries itself (`encodeNifti`'s header extension), or null: `{name:
   * label}`, or `{labels, metadata}` when labels carry colours and codes (see `parseLabelsJson`).
   */
  labels: object | null;
}

/** NIFTI_ECODE_COMMENT, where `encodeNifti` keeps the names. */
const NAMES_ECODE = 6;

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * The label table of a CaretExtension (the XML TotalSegmentator writes into its multi-label
 * NIfTI, as Connectome Workbench does): `<Label Key="1" Red="1" Green="0" Blue="0" ...>` with
 * the name as text or CDATA, as `{labels, metadata}`; null for any other content.
 */
function caretLabels(text: string): object | null {
  if (!text.includes("<CaretExtension")) return null;
  const labels: Record<string, number> = Object.create(null) as Record<string, number>;
  const metadata: Record<string, { color: number[] }> = Object.create(null) as Record<string, { color: number[] }>;
  for (const m of text.matchAll(/<Label\b([^>]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/Label>/g)) {
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[1]!)?.[1];
    const key = Number(attribute("Key"));
    const name = (m[2] ?? m[3]!.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!)).trim();
    if (!Number.isSafeInteger(key) || key <= 0 || name === "" || name in labels) continue;
    labels[name] = key;
    const color = ["Red", "Green", "Blue"].map((c) => Number(attribute(c)));
    if (color.every((c) => c >= 0 && c <= 1)) metadata[name] = { color };
  }
  return Object.keys(labels).length > 0 ? { labels, metadata } : null;
}

/**
 * The names of a `encodeNifti` header extension (or TotalSegmentator's label table), if the file has one: extensions lie from
 * byte 352 up to the voxels, each `esize` (a multiple of 16, at least 8) bytes. Anything
 * else (other extensions, malformed sizes, other JSON) is passed over, as readers do.
 */
function embeddedLabels(view: DataView, voxOffset: number, le: boolean): object | null {
  if (view.byteLength < 352 || view.getUint8(348) === 0) return null;
  // medmask's own names (with all their metadata) win over a CaretExtension beside them.
  let caret: object | null = null;
  for (let at = 352; at + 8 <= Math.min(voxOffset, view.byteLength); ) {
    const size = view.getInt32(at, le), code = view.getInt32(at + 4, le);
    if (size < 8 || at + size > Math.min(voxOffset, view.byteLength)) return caret;
    const text = trimEndOf(new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + at + 8, size - 8)), "\0");
    if (code !== NAMES_ECODE) {
      // TotalSegmentator's multi-label output: a CaretExtension's label table.
      caret ??= caretLabels(text);
    } else {
      try {
        const own = (JSON.parse(text) as { medmask?: { labels?: unknown; metadata?: unknown } })?.medmask;
        const labels = own?.labels;
        if (labels && typeof labels === "object" && !Array.isArray(labels)) return own.metadata === undefined ? labels : { labels, metadata: own.metadata };
      } catch {
        // a comment of someone else's
      }
    }
    at += size;
  }
  return caret;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** The header and the extension flag after it: what geometry needs of a file. */
const HEADER_AND_EXTENSION_FLAG = 352;

/** Whether `bytes` start with the gzip magic (a `.nii.gz`). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** NIfTI datatype codes medmask reads as labels. */
const DATATYPES: Record<number, { name: string; bytes: number }> = {
  2: { name: "uint8", bytes: 1 },
  4: { name: "int16", bytes: 2 },
  8: { name: "int32", bytes: 4 },
  16: { name: "float32", bytes: 4 },
  64: { name: "float64", bytes: 8 },
  256: { name: "int8", bytes: 1 },
  512: { name: "uint16", bytes: 2 },
  768: { name: "uint32", bytes: 4 },
};

/**
 * The 4x4 RAS affine as nibabel's `get_best_affine` chooses it: the sform when
 * sform_code > 0, else the qform, else the pixdim diagonal centred on the volume.
 */
function bestAffine(header: nifti.NIFTI1, view: DataView, dims: number[]): number[][] {
  const le = header.littleEndian;
  if (header.sform_code > 0) {
    const rows = [280, 296, 312].map((offset) => [0, 1, 2, 3].map((k) => view.getFloat32(offset + 4 * k, le)));
    return [...rows, [0, 0, 0, 1]];
  }
  if (header.qform_code > 0) return qformAffine(view, le);
  const p = header.pixDims;
  const affine = [
    [p[1]!, 0, 0, 0],
    [0, p[2]!, 0, 0],
    [0, 0, p[3]!, 0],
    [0, 0, 0, 1],
  ];
  for (let i = 0; i < 3; i++) affine[i]![3] = -((dims[i]! - 1) / 2) * p[i + 1]!;
  return affine;
}

/**
 * The qform affine as nifti1_io's quatern_to_mat44 computes it (nifti-reader-js skips its
 * clamp of tiny `a`, which tilts 180-degree rotations by ~1e-4).
 */
function qformAffine(view: DataView, le: boolean): number[][] {
  let b = view.getFloat32(256, le), c = view.getFloat32(260, le), d = view.getFloat32(264, le);
  const pixdim = [76, 80, 84, 88].map((o) => view.getFloat32(o, le));
  const qfac = pixdim[0]! < 0 ? -1 : 1;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    const norm = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= norm;
    c *= norm;
    d *= norm;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  const [x, y, z] = [pixdim[1]! > 0 ? pixdim[1]! : 1, pixdim[2]! > 0 ? pixdim[2]! : 1, (pixdim[3]! > 0 ? pixdim[3]! : 1) * qfac];
  const offsets = [268, 272, 276].map((o) => view.getFloat32(o, le));
  return [
    [(a * a + b * b - c * c - d * d) * x, 2 * (b * c - a * d) * y, 2 * (b * d + a * c) * z, offsets[0]!],
    [2 * (b * c + a * d) * x, (a * a + c * c - b * b - d * d) * y, 2 * (c * d - a * b) * z, offsets[1]!],
    [2 * (b * d - a * c) * x, 2 * (c * d + a * b) * y, (a * a + d * d - c * c - b * b) * z, offsets[2]!],
    [0, 0, 0, 1],
  ];
}

/**
 * Converts a RAS affine and NIfTI dims (x, y, z) to a Space in array order (z, y, x):
 * flip to LPS, spacing = column norms, orientations = normalised columns, then reverse.
 */
export function spaceFromAffine(affine: readonly (readonly number[])[], dims: readonly number[]): Space {
  const lps = affine.slice(0, 3).map((row, r) => row.map((v) => (r < 2 ? -v : v)));
  const column = (c: number) => [lps[0]![c]!, lps[1]![c]!, lps[2]![c]!];
  const spacing = [0, 1, 2].map((c) => Math.hypot(...column(c)));
  const orient = [0, 1, 2].map((c) => column(c).map((v) => v / spacing[c]!));
  return new Space({
    shape: dims.slice(0, 3),
    spacing,
    origin: column(3),
    xOrientation: orient[0],
    yOrientation: orient[1],
    zOrientation: orient[2],
  }).reverseAxisOrder();
}

/** The RAS affine of a Space in array order (z, y, x), for writing NIfTI: `space.rasAffine`. */
export function affineFromSpace(space: Space): number[][] {
  return space.rasAffine;
}

function readTyped(view: DataView, offset: number, code: number, le: boolean): (i: number) => number {
  switch (code) {
    case 2: return (i) => view.getUint8(offset + i);
    case 256: return (i) => view.getInt8(offset + i);
    case 4: return (i) => view.getInt16(offset + 2 * i, le);
    case 512: return (i) => view.getUint16(offset + 2 * i, le);
    case 8: return (i) => view.getInt32(offset + 4 * i, le);
    case 768: return (i) => view.getUint32(offset + 4 * i, le);
    case 16: return (i) => view.getFloat32(offset + 4 * i, le);
    default: return (i) => view.getFloat64(offset + 8 * i, le);
  }
}

/** Typed arrays of the integer datatypes, by code. */
const INTEGER_ARRAYS: Record<number, StoredIntegerType> = {
  2: Uint8Array,
  256: Int8Array,
  4: Int16Array,
  512: Uint16Array,
  8: Int32Array,
  768: Uint32Array,
};

/** Typed arrays of the float datatypes, by code. */
const FLOAT_ARRAYS: Record<number, StoredFloatType> = { 16: Float32Array, 64: Float64Array };

const notALabel = (i: number, v: number) => new FormatError("BAD_FORMAT", `NIfTI voxel ${i} is ${v}; a label volume holds integers from 0 to 4294967295.`);

/**
 * Converts stored voxels to the smallest label array that holds them; rejects non-labels.
 * With `owned`, the bytes are this reader's to keep, and voxels already in the right type
 * stay where they are instead of being copied.
 */
function toLabels(view: DataView, offset: number, count: number, code: number, le: boolean, slope: number, inter: number, owned: boolean): LabelArray {
  // A slope of 0, NaN or infinity means "not scaled", as nibabel and nifti1_io read it.
  const scaled = Number.isFinite(slope) && slope !== 0 && (slope !== 1 || (Number.isFinite(inter) && inter !== 0));
  if (!Number.isFinite(inter)) inter = 0;
  const Stored = INTEGER_ARRAYS[code];
  if (Stored && !scaled && le) {
    const { stored, copied } = storedView(Stored, view.buffer as ArrayBuffer, view.byteOffset + offset, count);
    return integerLabels(stored, owned || copied, notALabel);
  }
  const Float = FLOAT_ARRAYS[code];
  if (Float && !scaled && le) return floatLabels(storedView(Float, view.buffer as ArrayBuffer, view.byteOffset + offset, count).stored, notALabel);
  // Scaled or big-endian: value by value.
  const read = readTyped(view, offset, code, le);
  return valueLabels(count, scaled ? (i) => read(i) * slope + inter : read, notALabel);
}

/** Bytes a gzip stream may inflate to past what its NIfTI header declares (trailing padding). */
const TRAILING_SLACK = 1 << 20;

/**
 * The most a `.nii.gz` may inflate to: what its header (read from the first 352 inflated
 * bytes, before anything else is inflated) says the file holds, plus a little; TOO_LARGE
 * when that is over `maxBytes`. A gzip bomb behind a small header stops there, whatever its
 * trailer claims, and an honest trailer cannot make an 8-voxel mask a huge allocation.
 */
export function niftiInflateLimit(gz: Uint8Array, maxBytes: number): number {
  return niftiLimitOfHead(gunzipHead(gz, 352), maxBytes);
}

/** `niftiInflateLimit` from the first (up to 352) inflated bytes. */
export function niftiLimitOfHead(head: Uint8Array, maxBytes: number): number {
  if (head.length < 348) return 352 + TRAILING_SLACK; // not a NIfTI: parseNifti says so
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const le = view.getInt32(0, true) === 348;
  const rank = view.getInt16(40, le);
  const dims = Array.from({ length: Math.min(7, Math.max(0, rank)) }, (_, i) => Math.max(1, view.getInt16(42 + 2 * i, le)));
  const bytes = DATATYPES[view.getInt16(70, le)]?.bytes ?? 1;
  const voxOffset = Number.isFinite(view.getFloat32(108, le)) ? Math.max(352, Math.floor(view.getFloat32(108, le))) : 352;
  const needed = voxOffset + dims.reduce((a, b) => a * b, 1) * bytes;
  checkFits(needed, maxBytes, `This NIfTI file (${dims.join(" x ")} voxels of ${bytes} bytes)`);
  return needed + TRAILING_SLACK;
}

/** A gzip failure of a NIfTI as medmask reports it. */
export const niftiGzipError = (cause: unknown): FormatError => gzipStreamError(cause, "The NIfTI file");

/**
 * Reads a NIfTI-1 label volume (`.nii` or gzip-compressed `.nii.gz` bytes). The voxels
 * stay in file order, which is C order for the (z, y, x) shape of the returned Space.
 * `maxBytes` (default 2 GiB): TOO_LARGE for a volume that needs more, before it is inflated.
 * @example const { data, space } = readNifti(bytes);
 */
export function readNifti(bytes: Uint8Array, options: LimitOptions = {}): NiftiVolume {
  checkBytes(bytes, "readNifti");
  const maxBytes = maxBytesOf(options);
  if (!isGzip(bytes)) return parseNifti(bytes, false, maxBytes);
  const limit = niftiInflateLimit(bytes, maxBytes);
  let raw: Uint8Array;
  try {
    raw = gunzip(bytes, limit);
  } catch (cause) {
    throw niftiGzipError(cause);
  }
  return parseNifti(raw, true, maxBytes);
}

/**
 * `readNifti` of bytes the caller hands over (inflated already, or not): the voxels may
 * stay in that memory instead of being copied, so the caller must not change the bytes
 * afterwards. For readers that inflate files themselves (Node's zlib, a browser's
 * DecompressionStream).
 */
export function readNiftiTaking(bytes: Uint8Array, options: LimitOptions = {}): NiftiVolume {
  return isGzip(bytes) ? readNifti(bytes, options) : parseNifti(bytes, true, maxBytesOf(options));
}

/** The header and 3-D dims of uncompressed NIfTI-1 bytes (at least the 348-byte header). */
function parseHeader(raw: Uint8Array): { header: nifti.NIFTI1; dims: number[] } {
  if (raw.byteLength < 348) throw new FormatError("BAD_FORMAT", "Not a NIfTI-1 file (shorter than its 348-byte header).");
  // nifti-reader-js reads from an ArrayBuffer of its own: it gets a copy of the header and
  // the extension flag, not of the file (a view into a larger buffer, as zlib returns, cost
  // a copy of the whole volume). Extensions are read from the file's bytes (embeddedLabels).
  const head = raw.slice(0, Math.min(raw.byteLength, 352)).buffer;
  if (!nifti.isNIFTI1(head)) {
    throw new FormatError("BAD_FORMAT", "Not a NIfTI-1 file (no 'n+1' magic in a 348-byte header).");
  }
  const sizeofHdr = new DataView(head).getInt32(0, true);
  if (sizeofHdr !== 348 && new DataView(head).getInt32(0, false) !== 348) {
    throw new FormatError("BAD_FORMAT", `Not a valid NIfTI-1 file: sizeof_hdr is ${sizeofHdr}, not 348.`);
  }
  let header: nifti.NIFTI1;
  try {
    header = nifti.readHeader(head) as nifti.NIFTI1;
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `The NIfTI header cannot be read: ${(cause as Error).message}`, { cause });
  }
  const rank = header.dims[0]!;
  if (!(rank >= 1 && rank <= 7)) throw new FormatError("BAD_FORMAT", `Not a valid NIfTI-1 file: dim[0] is ${rank}, not 1..7.`);
  const dims = header.dims.slice(1, 1 + rank);
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new FormatError("BAD_FORMAT", `Not a valid NIfTI-1 file: dims ${JSON.stringify(dims)} must be positive.`);
  }
  if (dims.length < 3) dims.push(...new Array(3 - dims.length).fill(1));
  if (dims.slice(3).some((d) => d !== 1)) {
    const frames = dims.slice(3).reduce((a, b) => a * b, 1);
    throw new FormatError("BAD_FORMAT", `NIfTI dims ${JSON.stringify(dims)}: a series of ${frames} volumes (4-D or more), and only a 3-D volume is a mask; take one frame out first (nibabel's img.slicer[..., t], fslroi, or ITK-SNAP's export of one time point).`);
  }
  return { header, dims };
}

/**
 * The geometry of a NIfTI-1 file (`.nii` or `.nii.gz`) of any datatype, from its header
 * only: what `resample(seg, niftiSpace(ctBytes))` needs of a CT to bring a mask to its grid.
 * @example const ctGrid = niftiSpace(readFileSync("ct.nii.gz"));
 */
export function niftiSpace(bytes: Uint8Array): Space {
  checkBytes(bytes, "niftiSpace");
  let head = bytes;
  if (isGzip(bytes)) {
    try {
      head = gunzipHead(bytes, HEADER_AND_EXTENSION_FLAG);
    } catch (cause) {
      throw niftiGzipError(cause);
    }
  }
  const { header, dims } = parseHeader(head);
  return spaceFromAffine(bestAffine(header, new DataView(head.buffer, head.byteOffset, head.byteLength), dims), dims);
}

/** The volume of uncompressed NIfTI-1 bytes; `owned`: see `toLabels`. */
function parseNifti(raw: Uint8Array, owned: boolean, maxBytes: number): NiftiVolume {
  const { header, dims } = parseHeader(raw);
  const type = DATATYPES[header.datatypeCode];
  if (!type) throw new FormatError("BAD_FORMAT", `NIfTI datatype ${header.datatypeCode} cannot hold labels.`);
  const count = dims[0]! * dims[1]! * dims[2]!;
  checkFits(count * type.bytes, maxBytes, `This NIfTI volume (${dims.slice(0, 3).join(" x ")} voxels of ${type.name})`);
  if (!Number.isFinite(header.vox_offset)) throw new FormatError("BAD_FORMAT", `Not a valid NIfTI-1 file: vox_offset is ${header.vox_offset}.`);
  const offset = Math.max(352, Math.floor(header.vox_offset));
  if (offset + count * type.bytes > raw.byteLength) {
    throw new FormatError("TRUNCATED", `The NIfTI file holds ${raw.byteLength - offset} voxel bytes; its header needs ${count * type.bytes}.`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = toLabels(view, offset, count, header.datatypeCode, header.littleEndian, header.scl_slope, header.scl_inter, owned);
  return { data, space: spaceFromAffine(bestAffine(header, view, dims), dims), labels: embeddedLabels(view, offset, header.littleEndian) };
}
