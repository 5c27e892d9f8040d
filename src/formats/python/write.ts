import { LITTLE_ENDIAN, dtypeOf } from "../../bitdepth.js";
import { InputError, ResourceError } from "../../errors.js";
import { oneVolume } from "../../one-volume.js";
import { getKernels } from "../../kernels/index.js";
import type { SegmentationMask } from "../../mask.js";
import type { Space } from "../../space.js";
import { concatBytes } from "../../sources/bytes.js";
import { PYTHON_ARCHIVE_MAGIC, PYTHON_MASK_MAGIC } from "./read.js";
import { ZSTD_DEFAULT_LEVEL, zstdCompress } from "../../codecs/zstd.js";

// Writers of the Python medmask library's files (1.0), byte for byte the layout its
// `MaskFile.write` and `MaskArchive.add_segmask` produce (medmask/storage/, SPEC section 5):
// little-endian, no padding, the space JSON in (x, y, z) order, each data block one zstd
// frame (with its content size) of the C-order voxels, bool masks packed by numpy.packbits.

/** The fixed header sizes: "<4s2B B 6Q 7x" and "<4s2B B 7Q27x". */
export const PYTHON_MASK_HEADER_BYTES = 62;
export const PYTHON_ARCHIVE_HEADER_BYTES = 90;
/** The Python archive's first index reservation, and the room it wants for one more entry. */
const INDEX_START_BYTES = 4000;
const INDEX_ENTRY_ROOM = 200;

/** Options of the Python writers. */
export interface PythonWriteOptions {
  /** zstd level, 1-22 (default 3, python-zstandard's default, as the Python library writes). */
  level?: number;
  /** A layered mask: LAYERED unless true, then flattened (see `NiftiWriteOptions.flatten`). */
  flatten?: boolean;
}

const text = new TextEncoder();

/**
 * Packed bits of the last bool mask written, reused by the next: they only live until zstd
 * has compressed them, and a fresh array per mask costs its page faults (for an organ mask
 * of 10 M voxels, more than the packing itself: `npm run bench python`, the .mska write).
 */
let packScratch = new Uint8Array(0);

function packed(data: Uint8Array): Uint8Array {
  const need = Math.ceil(data.length / 8);
  if (packScratch.length < need) packScratch = new Uint8Array(need);
  return getKernels().packBits(data, packScratch).subarray(0, need);
}

function zstdLevel(options: PythonWriteOptions): number {
  const level = options.level ?? ZSTD_DEFAULT_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 22) throw new InputError("INVALID_ARGUMENT", `A zstd level is an integer from 1 to 22, got ${String(level)}.`);
  return level;
}

/** The space JSON as the Python library stores it: axes reversed to (x, y, z). */
export function pythonSpaceBytes(space: Space): Uint8Array {
  return text.encode(JSON.stringify(space.reverseAxisOrder().toJSON()));
}

/**
 * A data block, `encode_mask_bytes` of the Python library: flag (1 = bool), dtype length,
 * dtype, ndim, ndim x i64 shape, one zstd frame of the voxels (bit depth 1 packed).
 */
export function encodePythonBlock(seg: SegmentationMask<string>, options: PythonWriteOptions = {}): Uint8Array {
  const level = zstdLevel(options);
  if (!LITTLE_ENDIAN) throw new ResourceError("UNSUPPORTED_PLATFORM", "Python medmask files store little-endian voxels; this platform is big-endian.");
  const bool = seg.bitDepth === 1;
  const dtype = text.encode(dtypeOf(seg.bitDepth));
  const data = oneVolume(seg, options.flatten, "A Python medmask file");
  const voxels = bool ? packed(data as Uint8Array) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const frame = zstdCompress(voxels, level);
  const head = new Uint8Array(2 + dtype.length + 1 + 24);
  const view = new DataView(head.buffer);
  head[0] = bool ? 1 : 0;
  head[1] = dtype.length;
  head.set(dtype, 2);
  let at = 2 + dtype.length;
  head[at++] = 3;
  for (const n of seg.shape) {
    view.setBigInt64(at, BigInt(n), true);
    at += 8;
  }
  return concatBytes([head, frame]);
}

/** Writes `fields` as u64s from byte 7 after the magic, major 1, minor 0 and codec 0 (zstd). */
function header(magic: string, size: number, fields: readonly number[]): Uint8Array {
  const head = new Uint8Array(size);
  head.set(text.encode(magic), 0);
  head[4] = 1;
  const view = new DataView(head.buffer);
  fields.forEach((v, i) => view.setBigUint64(7 + 8 * i, BigInt(v), true));
  return head;
}

/**
 * A Python `.msk` of `seg` (what `MaskFile.write` writes). Where Node's zlib has no zstd,
 * `await initZstd()` first.
 * @example await initZstd(); const bytes = encodePythonMask(seg); // read in Python by medmask.storage.load_mask
 */
export function encodePythonMask(seg: SegmentationMask<string>, options: PythonWriteOptions = {}): Uint8Array {
  const space = pythonSpaceBytes(seg.space);
  const mapping = text.encode(JSON.stringify(seg.mapping.toJSON()));
  const block = encodePythonBlock(seg, options);
  const spaceAt = PYTHON_MASK_HEADER_BYTES, mappingAt = spaceAt + space.length, dataAt = mappingAt + mapping.length;
  const head = header(PYTHON_MASK_MAGIC, PYTHON_MASK_HEADER_BYTES, [spaceAt, space.length, mappingAt, mapping.length, dataAt, block.length]);
  return concatBytes([head, space, mapping, block]);
}

/** One entry of a Python archive's index, as its JSON list holds it. */
export interface PythonIndexEntry {
  name: string;
  offset: number;
  length: number;
  mapping: Record<string, number>;
}

/** Where the parts of a Python archive lie. */
export interface PythonArchivePlan {
  spaceOffset: number;
  spaceLength: number;
  indexOffset: number;
  /** Bytes reserved for the index (its JSON, zero-padded). */
  indexLength: number;
  dataOffset: number;
}

/**
 * The index reservation the Python library would have grown to for `jsonBytes` of index:
 * 4000 bytes doubled until one more entry fits, so that its own `add_segmask` appends to
 * our archives exactly as to its own. At least `current` (a reservation is never shrunk).
 */
export function pythonIndexCapacity(jsonBytes: number, current = 0): number {
  let size = Math.max(current, INDEX_START_BYTES);
  while (size < jsonBytes + INDEX_ENTRY_ROOM) size *= 2;
  return size;
}

/**
 * The header, space and zero-padded index of a Python archive whose data (`dataLength`
 * bytes of blocks, from `plan.dataOffset`) the index's offsets point into.
 */
export function pythonArchiveHead(plan: PythonArchivePlan, space: Uint8Array, index: Uint8Array, dataLength: number, count: number): Uint8Array {
  const head = header(PYTHON_ARCHIVE_MAGIC, PYTHON_ARCHIVE_HEADER_BYTES, [plan.spaceOffset, plan.spaceLength, plan.indexOffset, plan.indexLength, plan.dataOffset, dataLength, count]);
  const out = new Uint8Array(plan.dataOffset);
  out.set(head, 0);
  out.set(space, plan.spaceOffset);
  out.set(index, plan.indexOffset);
  return out;
}

/** The JSON bytes of an index list. */
export function pythonIndexBytes(entries: readonly PythonIndexEntry[]): Uint8Array {
  return text.encode(JSON.stringify(entries));
}
