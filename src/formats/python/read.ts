import { bytesPerVoxel, checkVoxelCount, depthOfDtype, labelsOf, type BitDepth, type LabelArray } from "../../bitdepth.js";
import { getKernels } from "../../kernels/index.js";
import { checkVolume, decodeTarget, intoNewMemory, type DecodeOptions, type TargetOptions } from "../decode-target.js";
import { FormatError, MedMaskError } from "../../errors.js";
import { LabelMapping } from "../../mapping.js";
import { SegmentationMask } from "../../mask.js";
import { Space, type SpaceJSON } from "../../space.js";
import { ByteReader, magicOf } from "../../sources/bytes.js";
import type { MaskInfo } from "../native/native.js";
import { zstdDecompress } from "../../codecs/zstd.js";

// Readers for the Python medmask library's files (1.x): ".msk" (MSK1) and ".mska" (MSKA).
// Little-endian, no padding; space JSON stored in (x, y, z) order; data blocks hold one
// zstd frame of the C-order voxels (bool masks packed with numpy.packbits, big bit order).

export const PYTHON_MASK_MAGIC = "MSK1";
export const PYTHON_ARCHIVE_MAGIC = "MSKA";
const SUPPORTED_MAJOR = 1;
const CODEC_ZSTD = 0;

function bad(what: string, message: string): FormatError {
  return new FormatError("BAD_FORMAT", `Not a valid Python medmask ${what}: ${message}.`);
}

function checkVersion(reader: ByteReader, what: string): void {
  const major = reader.u8(4), minor = reader.u8(5), codec = reader.u8(6);
  if (major !== SUPPORTED_MAJOR) {
    throw new FormatError("UNSUPPORTED_VERSION", `This Python medmask ${what} is version ${major}.${minor}; medmask reads version 1.x.`);
  }
  if (codec !== CODEC_ZSTD) {
    throw new FormatError("UNSUPPORTED_VERSION", `This Python medmask ${what} uses codec ${codec}; medmask reads codec 0 (zstd).`);
  }
}

/** The space JSON of a Python file, in (x, y, z) order, turned into array order (z, y, x). */
function readSpace(reader: ByteReader, offset: number, length: number, what: string): Space {
  const json = reader.json(offset, length, "space");
  try {
    return Space.fromJSON(json as SpaceJSON).reverseAxisOrder();
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `Not a valid Python medmask ${what}: its space is invalid (${(cause as Error).message}).`, { cause });
  }
}

function readMapping(json: unknown, what: string): LabelMapping<string> {
  try {
    return LabelMapping.fromJSON(json as Record<string, number>);
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `Not a valid Python medmask ${what}: its mapping is invalid (${(cause as Error).message}).`, { cause });
  }
}

/** A data block's header: flag, dtype and shape; `frame` is where the zstd frame starts. */
interface DataBlock {
  packed: boolean;
  bitDepth: BitDepth;
  shape: number[];
  frame: number;
}

function readDataBlock(reader: ByteReader, offset: number, length: number, what: string): DataBlock {
  reader.need(offset, length);
  const end = offset + length;
  const packed = reader.u8(offset) === 1;
  const dtypeLength = reader.u8(offset + 1);
  const dtype = new TextDecoder().decode(reader.slice(offset + 2, dtypeLength));
  const bitDepth = depthOfDtype(dtype);
  if (!bitDepth) throw bad(what, `dtype "${dtype}" is not a label type`);
  if (packed !== (bitDepth === 1)) throw bad(what, `the packed flag does not match dtype "${dtype}"`);
  let at = offset + 2 + dtypeLength;
  const ndim = reader.u8(at++);
  if (ndim !== 3) throw bad(what, `masks have 3 dimensions, this one has ${ndim}`);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++, at += 8) shape.push(reader.i64(at));
  if (at > end) throw new FormatError("TRUNCATED", `The Python medmask ${what}'s data block is shorter than its header.`);
  return { packed, bitDepth, shape, frame: at };
}

/** Decodes one data block into a label array of `space`'s shape (where `options` say). */
function decodeBlock(reader: ByteReader, offset: number, length: number, space: Space, what: string, options: TargetOptions): { data: LabelArray; bitDepth: BitDepth } {
  const block = readDataBlock(reader, offset, length, what);
  if (block.shape.some((n, i) => n !== space.shape[i])) {
    throw new FormatError("BAD_FORMAT", `The Python medmask ${what}'s array is ${block.shape.join("x")}, but its own space says ${space.shape.join("x")}: the file contradicts itself.`);
  }
  const count = space.voxelCount;
  const frame = reader.slice(block.frame, offset + length - block.frame);
  if (!block.packed && intoNewMemory(options)) {
    // Into new memory: the frame decompresses into new bytes of exactly the volume's size,
    // which become the voxels, without a second copy.
    checkVoxelCount(count, bytesPerVoxel(block.bitDepth));
    checkVolume(block.bitDepth, count, options);
    const raw = zstdDecompress(frame, count * bytesPerVoxel(block.bitDepth), what);
    return { data: labelsOf(block.bitDepth, raw), bitDepth: block.bitDepth };
  }
  const { data, zeroed } = decodeTarget(block.bitDepth, count, options, frame);
  // Decompressed in full before the first voxel is written: a bad frame leaves `out` as it was.
  if (block.packed) {
    const packed = zstdDecompress(frame, Math.ceil(count / 8), what);
    getKernels().unpackBits(packed, data as Uint8Array, zeroed);
  } else {
    const raw = zstdDecompress(frame, data.byteLength, what);
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(raw);
  }
  return { data, bitDepth: block.bitDepth };
}

function toMask(data: LabelArray, mapping: LabelMapping<string>, space: Space, bitDepth: BitDepth, what: string): SegmentationMask<string> {
  try {
    // Unpacked bits are 0 or 1, so a bool mask whose mapping names 1 needs no scan of its
    // voxels (for the values, or for unnamed labels).
    const mappingComplete = bitDepth === 1 && mapping.hasLabel(1);
    return new SegmentationMask(data, mapping, space, { bitDepth, mappingComplete });
  } catch (cause) {
    if (cause instanceof MedMaskError) throw new FormatError("BAD_FORMAT", `Not a valid Python medmask ${what}: ${cause.message}`, { cause });
    throw cause;
  }
}

interface PythonMaskLayout {
  space: Space;
  mapping: LabelMapping<string>;
  dataOffset: number;
  dataLength: number;
  reader: ByteReader;
}

function readPythonMaskLayout(bytes: Uint8Array): PythonMaskLayout {
  const reader = new ByteReader(bytes, "Python medmask file");
  reader.need(0, 62);
  if (magicOf(bytes) !== PYTHON_MASK_MAGIC) throw bad("file", `it starts with ${JSON.stringify(magicOf(bytes))}`);
  checkVersion(reader, "file");
  const [spaceOffset, spaceLength, mappingOffset, mappingLength, dataOffset, dataLength] = [7, 15, 23, 31, 39, 47].map((o) => reader.u64(o)) as [number, number, number, number, number, number];
  const space = readSpace(reader, spaceOffset, spaceLength, "file");
  const mapping = readMapping(reader.json(mappingOffset, mappingLength, "mapping"), "file");
  reader.need(dataOffset, dataLength);
  return { space, mapping, dataOffset, dataLength, reader };
}

/** Decodes a Python `.msk` file (where `options` say). */
export function decodePythonMask(bytes: Uint8Array, options: DecodeOptions = {}): SegmentationMask<string> {
  const { space, mapping, dataOffset, dataLength, reader } = readPythonMaskLayout(bytes);
  const { data, bitDepth } = decodeBlock(reader, dataOffset, dataLength, space, "file", options);
  return toMask(data, mapping, space, bitDepth, "file");
}

/** Header facts of a Python `.msk` (it stores no statistics). */
export function pythonMaskInfo(bytes: Uint8Array): MaskInfo {
  const { space, mapping, dataOffset, dataLength, reader } = readPythonMaskLayout(bytes);
  const block = readDataBlock(reader, dataOffset, dataLength, "file");
  return { format: "python-medmask", version: "1.0", space, mapping, bitDepth: block.bitDepth, codec: "zstd", stats: null, layerCount: 1, metadata: {}, bytes: bytes.length };
}

/** One entry of a Python `.mska` index. */
export interface PythonArchiveEntry {
  name: string;
  offset: number;
  length: number;
  mapping: LabelMapping<string>;
}

/** The fixed header of a Python `.mska`: where the space and the index are. */
export function readPythonArchiveHeader(head: Uint8Array): { spaceOffset: number; spaceLength: number; indexOffset: number; indexLength: number; dataOffset: number; dataLength: number; count: number } {
  const reader = new ByteReader(head, "Python medmask archive");
  reader.need(0, 90);
  if (magicOf(head) !== PYTHON_ARCHIVE_MAGIC) throw bad("archive", `it starts with ${JSON.stringify(magicOf(head))}`);
  checkVersion(reader, "archive");
  const [spaceOffset, spaceLength, indexOffset, indexLength, dataOffset, dataLength, count] = [7, 15, 23, 31, 39, 47, 55].map((o) => reader.u64(o)) as [number, number, number, number, number, number, number];
  return { spaceOffset, spaceLength, indexOffset, indexLength, dataOffset, dataLength, count };
}

/** Parses the archive's space JSON bytes. */
export function parsePythonArchiveSpace(bytes: Uint8Array): Space {
  return readSpace(new ByteReader(bytes, "Python medmask archive"), 0, bytes.length, "archive");
}

/** Parses the archive's zero-padded index JSON. */
export function parsePythonArchiveIndex(bytes: Uint8Array, archiveBytes: number): PythonArchiveEntry[] {
  const list = new ByteReader(bytes, "Python medmask archive").json(0, bytes.length, "index");
  if (!Array.isArray(list)) throw bad("archive", "the index is not a list");
  return list.map((e: unknown, i) => {
    const entry = e as { name?: unknown; offset?: unknown; length?: unknown; mapping?: unknown };
    if (typeof entry?.name !== "string" || !isOffset(entry.offset) || !isOffset(entry.length)) throw bad("archive", `index entry ${i} lacks a name, offset or length`);
    if (entry.offset + entry.length > archiveBytes) {
      throw new FormatError("TRUNCATED", `The Python medmask archive is truncated: entry "${entry.name}" ends at byte ${entry.offset + entry.length}, the file has ${archiveBytes}.`);
    }
    return { name: entry.name, offset: entry.offset, length: entry.length, mapping: readMapping(entry.mapping ?? {}, "archive") };
  });
}

const isOffset = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Decodes one archive entry's data block (the bytes of exactly that entry), where `options` say. */
export function decodePythonArchiveEntry(block: Uint8Array, entry: PythonArchiveEntry, space: Space, options: TargetOptions = {}): SegmentationMask<string> {
  const reader = new ByteReader(block, "Python medmask archive entry");
  const { data, bitDepth } = decodeBlock(reader, 0, block.length, space, `archive entry "${entry.name}"`, options);
  return toMask(data, entry.mapping, space, bitDepth, `archive entry "${entry.name}"`);
}
