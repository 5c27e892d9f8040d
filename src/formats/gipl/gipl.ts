// GIPL (`.gipl`, `.gipl.gz`: Guy's Image Processing Lab; ITK-SNAP writes label images in it),
// read only (SPEC section 18): a 256-byte big-endian header (dims, voxel type, spacing, origin,
// a magic number at byte 252), then the voxels, big-endian, x fastest. As ITK's GiplImageIO
// reads it: the direction is the identity (GIPL keeps none that ITK uses), spacing and origin
// from the header, in LPS.
import { FormatError } from "../../errors.js";
import type { LabelArray } from "../../bitdepth.js";
import { gunzipDeclared } from "../../codecs/gzip.js";
import { checkFits, maxBytesOf, type LimitOptions } from "../../limits.js";
import { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";
import { checkBytes } from "../../sources/bytes.js";
import { Space } from "../../space.js";
import { isGzip } from "../nifti/read.js";
import { integerLabels, storedView, valueLabels } from "../stored-labels.js";

const HEADER_BYTES = 256;
/** The two magic numbers ITK accepts at byte 252. */
const MAGIC = [0xefffe9b0, 0x2ae389b8];

/** GIPL voxel types medmask reads as labels: code -> bytes and a big-endian reader. */
const TYPES: Record<number, { name: string; bytes: number; read: (v: DataView, at: number) => number }> = {
  1: { name: "binary", bytes: 1, read: (v, at) => v.getUint8(at) },
  7: { name: "char", bytes: 1, read: (v, at) => v.getInt8(at) },
  8: { name: "unsigned char", bytes: 1, read: (v, at) => v.getUint8(at) },
  15: { name: "short", bytes: 2, read: (v, at) => v.getInt16(at, false) },
  16: { name: "unsigned short", bytes: 2, read: (v, at) => v.getUint16(at, false) },
  31: { name: "unsigned int", bytes: 4, read: (v, at) => v.getUint32(at, false) },
  32: { name: "int", bytes: 4, read: (v, at) => v.getInt32(at, false) },
  64: { name: "float", bytes: 4, read: (v, at) => v.getFloat32(at, false) },
  65: { name: "double", bytes: 8, read: (v, at) => v.getFloat64(at, false) },
};

/** Whether `head` (at least 256 bytes, inflated) is a GIPL header: one of its magic numbers at byte 252. */
export function looksLikeGipl(head: Uint8Array): boolean {
  return head.length >= HEADER_BYTES && MAGIC.includes(new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(252, false));
}

const notALabel = (i: number, v: number) => new FormatError("BAD_FORMAT", `GIPL voxel ${i} is ${v}; a label volume holds integers from 0 to 4294967295.`);

/** The header: dims (x, y, z), type, and the grid in (z, y, x) order. */
function header(raw: Uint8Array): { dims: number[]; type: number; space: Space } {
  if (!looksLikeGipl(raw)) throw new FormatError(raw.length < HEADER_BYTES ? "TRUNCATED" : "BAD_FORMAT", "Not a GIPL file (no GIPL magic number at byte 252 of a 256-byte header).");
  const v = new DataView(raw.buffer, raw.byteOffset, HEADER_BYTES);
  const dims = [0, 1, 2, 3].map((k) => v.getUint16(2 * k, false));
  if (dims[3]! > 1) throw new FormatError("BAD_FORMAT", `This GIPL holds ${dims[3]} volumes; a label volume is one.`);
  const xyz = dims.slice(0, 3).map((d) => Math.max(d, 1));
  const type = v.getUint16(8, false);
  if (!TYPES[type]) throw new FormatError("BAD_FORMAT", `GIPL voxel type ${type} is not one medmask reads as labels (${Object.values(TYPES).map((t) => t.name).join(", ")}).`);
  const spacing = [0, 1, 2].map((k) => v.getFloat32(10 + 4 * k, false) || 1);
  const origin = [0, 1, 2].map((k) => v.getFloat64(204 + 8 * k, false));
  if (spacing.some((s) => !(s > 0 && Number.isFinite(s))) || origin.some((o) => !Number.isFinite(o))) throw new FormatError("BAD_FORMAT", `This GIPL's geometry is not usable (spacing ${spacing.join(" ")}).`);
  return { dims: xyz, type, space: new Space({ shape: xyz, spacing, origin }).reverseAxisOrder() };
}

/**
 * A GIPL file's bytes (`.gipl`, or gzip-compressed `.gipl.gz`) as a SegmentationMask, as
 * ITK reads it: labels unnamed (`idx_<label>`; ITK-SNAP keeps its names in a `.label` file
 * beside it, which `loadMask` reads), the identity direction, spacing and origin from the
 * header. `maxBytes` as for every reader.
 * @example const seg = decodeGipl(readFileSync("MRIcrop-seg.gipl.gz"));
 */
export function decodeGipl(bytes: Uint8Array, options: LimitOptions = {}): SegmentationMask<string> {
  checkBytes(bytes, "decodeGipl");
  checkOptions(options, ["maxBytes"], "decodeGipl");
  const maxBytes = maxBytesOf(options);
  let raw = bytes;
  if (isGzip(bytes)) {
    raw = gunzipDeclared(bytes, HEADER_BYTES, (head) => {
      const { dims, type } = header(head);
      return { bytes: HEADER_BYTES + dims[0]! * dims[1]! * dims[2]! * TYPES[type]!.bytes, what: `This GIPL volume (${dims.join(" x ")} voxels)` };
    }, maxBytes, "The GIPL file");
  }
  const { dims, type, space } = header(raw);
  const count = space.voxelCount, size = TYPES[type]!.bytes;
  checkFits(count * size, maxBytes, `This GIPL volume (${dims.join(" x ")} voxels of ${TYPES[type]!.name})`);
  if (raw.length < HEADER_BYTES + count * size) throw new FormatError("TRUNCATED", `The GIPL file holds ${raw.length - HEADER_BYTES} voxel bytes; its header needs ${count * size}.`);
  let labels: LabelArray;
  if (size === 1 && type !== 7) labels = integerLabels(storedView(Uint8Array, raw.buffer as ArrayBuffer, raw.byteOffset + HEADER_BYTES, count).stored, raw !== bytes, notALabel);
  else {
    const view = new DataView(raw.buffer, raw.byteOffset + HEADER_BYTES, count * size);
    labels = valueLabels(count, (i) => TYPES[type]!.read(view, i * size), notALabel);
  }
  return new SegmentationMask(labels, undefined, space);
}
