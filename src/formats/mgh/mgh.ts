// FreeSurfer MGH (`.mgh`) and its gzip form (`.mgz`), both ways (SPEC section 18): a 284-byte
// big-endian header (dims, voxel type, spacing, the direction cosines and the RAS position
// of the volume's centre) and the voxels, x fastest, which is C order for (z, y, x). The
// geometry is nibabel's `MGHHeader.get_affine`: vox2ras = [Mdc * delta | Pxyz_c - Mdc *
// delta * dims / 2], in RAS.
import { FormatError, InputError, describeValue } from "../../errors.js";
import type { LabelArray } from "../../bitdepth.js";
import { gunzipDeclared, gzip } from "../../codecs/gzip.js";
import { checkFits, maxBytesOf, type LimitOptions } from "../../limits.js";
import { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";
import { checkBytes } from "../../sources/bytes.js";
import { isGzip, spaceFromAffine } from "../nifti/read.js";
import { integerLabels, storedView, valueLabels } from "../stored-labels.js";
import { oneVolume } from "../../one-volume.js";

/** Where the voxels start. */
const DATA_OFFSET = 284;

/** MGH voxel types medmask reads as labels: code -> name, bytes. */
const TYPES: Record<number, { name: string; bytes: number }> = { 0: { name: "uchar", bytes: 1 }, 4: { name: "short", bytes: 2 }, 1: { name: "int", bytes: 4 }, 3: { name: "float", bytes: 4 } };

/** Whether `head` (at least 28 bytes, inflated) starts an MGH header: version 1, plausible dims and type. */
export function looksLikeMgh(head: Uint8Array): boolean {
  if (head.length < 28) return false;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims = [4, 8, 12, 16].map((at) => v.getInt32(at, false));
  return v.getInt32(0, false) === 1 && dims.every((d) => d >= 1 && d < 1 << 24) && TYPES[v.getInt32(20, false)] !== undefined;
}

const notALabel = (i: number, v: number) => new FormatError("BAD_FORMAT", `MGH voxel ${i} is ${v}; a label volume holds integers from 0 to 4294967295.`);

/** The header of MGH bytes (inflated): dims, type, and the RAS affine of (x, y, z) indices. */
function header(raw: Uint8Array): { dims: number[]; type: number; affine: number[][] } {
  if (raw.length < DATA_OFFSET || !looksLikeMgh(raw)) throw new FormatError("BAD_FORMAT", "Not a FreeSurfer MGH file (no version 1 header of 284 bytes with a voxel type medmask reads: uchar, short, int, float).");
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims = [4, 8, 12, 16].map((at) => v.getInt32(at, false));
  if (dims[3] !== 1) throw new FormatError("BAD_FORMAT", `This MGH file holds ${dims[3]} frames; a label volume is one.`);
  const delta = [0, 1, 2].map((k) => v.getFloat32(30 + 4 * k, false));
  // Stored row by row as x_r x_a x_s, y_r ...: row k is axis k's direction.
  let rows = [0, 1, 2].map((k) => [0, 1, 2].map((r) => v.getFloat32(42 + 12 * k + 4 * r, false)));
  if (rows.every((row) => row.every((x) => x === 0))) rows = [[-1, 0, 0], [0, 0, -1], [0, 1, 0]]; // FreeSurfer's coronal default
  const centre = [0, 1, 2].map((k) => v.getFloat32(78 + 4 * k, false));
  if (delta.some((d) => !(d > 0 && Number.isFinite(d))) || [...rows.flat(), ...centre].some((x) => !Number.isFinite(x))) throw new FormatError("BAD_FORMAT", `This MGH file's geometry is not usable (spacing ${JSON.stringify(delta)}).`);
  const m = [0, 1, 2].map((r) => [0, 1, 2].map((c) => rows[c]![r]! * delta[c]!));
  const origin = [0, 1, 2].map((r) => centre[r]! - (m[r]![0]! * dims[0]! + m[r]![1]! * dims[1]! + m[r]![2]! * dims[2]!) / 2);
  return { dims: dims.slice(0, 3), type: v.getInt32(20, false), affine: [...m.map((row, r) => [...row, origin[r]!]), [0, 0, 0, 1]] };
}

/** The labels of MGH voxels (big-endian; one byte types read in place). */
function labelsOf(raw: Uint8Array, type: number, count: number, owned: boolean): LabelArray {
  if (type === 0) return integerLabels(storedView(Uint8Array, raw.buffer as ArrayBuffer, raw.byteOffset + DATA_OFFSET, count).stored, owned, notALabel);
  const v = new DataView(raw.buffer, raw.byteOffset + DATA_OFFSET, count * TYPES[type]!.bytes);
  const read = type === 4 ? (i: number) => v.getInt16(2 * i, false) : type === 1 ? (i: number) => v.getInt32(4 * i, false) : (i: number) => v.getFloat32(4 * i, false);
  return valueLabels(count, read, notALabel);
}

/**
 * A FreeSurfer MGH or MGZ file's bytes as a SegmentationMask (aseg, aparc+aseg, any label
 * volume of uchar, short, int or float voxels); its labels unnamed (`idx_<label>`), geometry
 * as nibabel computes it. `maxBytes` as for every reader.
 * @example const seg = decodeMgh(readFileSync("aparc+aseg.mgz"));
 */
export function decodeMgh(bytes: Uint8Array, options: LimitOptions = {}): SegmentationMask<string> {
  checkBytes(bytes, "decodeMgh");
  checkOptions(options, ["maxBytes"], "decodeMgh");
  const maxBytes = maxBytesOf(options);
  let raw = bytes;
  if (isGzip(bytes)) {
    // The header says how much the stream holds; FreeSurfer's optional tail (scan parameters,
    // tags) is allowed a little room past it.
    raw = gunzipDeclared(bytes, DATA_OFFSET, (head) => {
      const { dims, type } = header(head);
      return { bytes: DATA_OFFSET + dims[0]! * dims[1]! * dims[2]! * TYPES[type]!.bytes, what: `This MGZ volume (${dims.join(" x ")} voxels)` };
    }, maxBytes, "The MGZ file", 1 << 20);
  }
  const { dims, type, affine } = header(raw);
  const count = dims[0]! * dims[1]! * dims[2]!;
  checkFits(count * TYPES[type]!.bytes, maxBytes, `This MGH volume (${dims.join(" x ")} voxels of ${TYPES[type]!.name})`);
  if (raw.length < DATA_OFFSET + count * TYPES[type]!.bytes) throw new FormatError("TRUNCATED", `The MGH file holds ${raw.length - DATA_OFFSET} voxel bytes; its header needs ${count * TYPES[type]!.bytes}.`);
  return new SegmentationMask(labelsOf(raw, type, count, raw !== bytes), undefined, spaceFromAffine(affine, dims));
}

/** Options of `encodeMgh`. */
export interface MghWriteOptions {
  /** gzip the file (`.mgz`); default true. */
  gzip?: boolean;
  /** Paint a layered mask into one volume (later layers win), as for NIfTI. */
  flatten?: boolean;
}

/**
 * A mask as FreeSurfer MGH bytes (`.mgz` gzip-compressed by default, `{ gzip: false }` for
 * `.mgh`): uchar voxels for labels up to 255, int above; the geometry nibabel and FreeSurfer
 * read back. MGH has no place for names: keep them in a label table beside it.
 * @example writeFileSync("seg.mgz", encodeMgh(seg));
 */
export function encodeMgh(seg: SegmentationMask<string>, options: MghWriteOptions = {}): Uint8Array {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", `encodeMgh takes a SegmentationMask, got ${describeValue(seg)}.`);
  checkOptions(options, ["gzip", "flatten"], "encodeMgh");
  const data = oneVolume(seg, options.flatten, "An MGH file");
  const xyz = seg.space.reverseAxisOrder();
  const dims = [...xyz.shape];
  const ras = seg.space.rasAffine;
  let top = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! > top) top = data[i]!;
  // MGH's widest integer is a signed int.
  if (top > 0x7fffffff) throw new InputError("INVALID_ARGUMENT", `Label ${top} does not fit an MGH file (its widest voxel type is a signed 32-bit int); renumber the labels below 2147483648.`);
  const wide = top > 255;
  const out = new Uint8Array(DATA_OFFSET + data.length * (wide ? 4 : 1));
  const v = new DataView(out.buffer);
  v.setInt32(0, 1, false);
  dims.forEach((d, k) => v.setInt32(4 + 4 * k, d, false));
  v.setInt32(16, 1, false);
  v.setInt32(20, wide ? 1 : 0, false);
  v.setInt16(28, 1, false);
  const delta = [0, 1, 2].map((c) => Math.hypot(ras[0]![c]!, ras[1]![c]!, ras[2]![c]!));
  delta.forEach((d, k) => v.setFloat32(30 + 4 * k, d, false));
  for (let k = 0; k < 3; k++) for (let r = 0; r < 3; r++) v.setFloat32(42 + 12 * k + 4 * r, ras[r]![k]! / delta[k]!, false);
  // The RAS position of voxel dims / 2: the origin plus the affine's columns times it.
  for (let r = 0; r < 3; r++) v.setFloat32(78 + 4 * r, ras[r]![3]! + (ras[r]![0]! * dims[0]! + ras[r]![1]! * dims[1]! + ras[r]![2]! * dims[2]!) / 2, false);
  if (wide) for (let i = 0; i < data.length; i++) v.setInt32(DATA_OFFSET + 4 * i, data[i]!, false);
  else out.set(data, DATA_OFFSET);
  return options.gzip === false ? out : gzip(out, 6);
}
