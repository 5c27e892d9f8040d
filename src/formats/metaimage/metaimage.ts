// MetaImage (`.mha`; `.mhd` with its voxels in a file beside it), both ways (SPEC section
// 18): ITK's text header of `Key = value` lines, ending with ElementDataFile, then the voxels,
// x fastest (C order for (z, y, x)), raw or zlib-compressed. The geometry is ITK's
// MetaImageIO: Offset (or Position, Origin) is the first voxel's LPS position, row i of
// TransformMatrix (or Rotation, Orientation) the direction of index axis i, ElementSpacing
// the spacing. AnatomicalOrientation only describes those and is written to agree.
import { LITTLE_ENDIAN, type LabelArray } from "../../bitdepth.js";
import { deflateRaw, inflateExactly } from "../../codecs/deflate.js";
import { FormatError, InputError, describeValue } from "../../errors.js";
import { getKernels } from "../../kernels/index.js";
import { checkFits, maxBytesOf, type LimitOptions } from "../../limits.js";
import { SegmentationMask } from "../../mask.js";
import { oneVolume } from "../../one-volume.js";
import { checkOptions } from "../../options.js";
import { checkBytes } from "../../sources/bytes.js";
import { Space } from "../../space.js";
import { floatLabels, integerLabels, storedView, valueLabels, type StoredFloatType, type StoredIntegerType } from "../stored-labels.js";

/** MetaImage element types medmask reads as labels. */
const TYPES: Record<string, { bytes: number; array: StoredIntegerType | StoredFloatType; read: (v: DataView, at: number, little: boolean) => number }> = {
  MET_UCHAR: { bytes: 1, array: Uint8Array, read: (v, at) => v.getUint8(at) },
  MET_CHAR: { bytes: 1, array: Int8Array, read: (v, at) => v.getInt8(at) },
  MET_USHORT: { bytes: 2, array: Uint16Array, read: (v, at, le) => v.getUint16(at, le) },
  MET_SHORT: { bytes: 2, array: Int16Array, read: (v, at, le) => v.getInt16(at, le) },
  MET_UINT: { bytes: 4, array: Uint32Array, read: (v, at, le) => v.getUint32(at, le) },
  MET_INT: { bytes: 4, array: Int32Array, read: (v, at, le) => v.getInt32(at, le) },
  MET_ULONG: { bytes: 4, array: Uint32Array, read: (v, at, le) => v.getUint32(at, le) },
  MET_LONG: { bytes: 4, array: Int32Array, read: (v, at, le) => v.getInt32(at, le) },
  MET_FLOAT: { bytes: 4, array: Float32Array, read: (v, at, le) => v.getFloat32(at, le) },
  MET_DOUBLE: { bytes: 8, array: Float64Array, read: (v, at, le) => v.getFloat64(at, le) },
};

/** Keys a MetaImage header starts with (the first line of any writer's file). */
const FIRST_KEYS = /^\s*(ObjectType|NDims|ObjectSubType|Comment|FormTypeName)\s*=/i;

/** Whether `head` (a file's first bytes) starts a MetaImage header. */
export function looksLikeMetaImage(head: Uint8Array): boolean {
  const text = new TextDecoder("latin1").decode(head.subarray(0, 64));
  return FIRST_KEYS.test(text);
}

/** A MetaImage header: its fields (keys as written, looked up case-insensitively) and where its voxels start. */
export interface MetaImageHeader {
  fields: Map<string, string>;
  /** The byte after the ElementDataFile line. */
  dataStart: number;
  /** The data file a `.mhd` names (null for LOCAL: the voxels follow the header). */
  dataFile: string | null;
}

const notALabel = (i: number, v: number) => new FormatError("BAD_FORMAT", `MetaImage voxel ${i} is ${v}; a label volume holds integers from 0 to 4294967295.`);

/** The header of MetaImage bytes (a `.mha`, or a `.mhd` alone). */
export function metaImageHeader(bytes: Uint8Array): MetaImageHeader {
  checkBytes(bytes, "metaImageHeader");
  if (!looksLikeMetaImage(bytes)) throw new FormatError("BAD_FORMAT", "Not a MetaImage file (its header starts with ObjectType = Image or NDims = 3).");
  const fields = new Map<string, string>();
  let at = 0;
  // Lines of "Key = value" up to and including ElementDataFile, which ends the header.
  for (;;) {
    const newline = bytes.indexOf(10, at);
    if (newline < 0) throw new FormatError(bytes.length < 4096 ? "TRUNCATED" : "BAD_FORMAT", "The MetaImage header has no ElementDataFile line (it ends the header).");
    const line = new TextDecoder("latin1").decode(bytes.subarray(at, newline)).replace(/\r$/, "");
    at = newline + 1;
    const eq = line.indexOf("=");
    if (eq < 0) {
      if (line.trim() === "") continue;
      throw new FormatError("BAD_FORMAT", `MetaImage header line "${line.slice(0, 80)}" is not "Key = value".`);
    }
    const key = line.slice(0, eq).trim().toLowerCase();
    fields.set(key, line.slice(eq + 1).trim());
    if (key === "elementdatafile") break;
  }
  const file = fields.get("elementdatafile")!;
  return { fields, dataStart: at, dataFile: file.toUpperCase() === "LOCAL" ? null : file };
}

function numbers(fields: Map<string, string>, keys: readonly string[], count: number, fallback: number[] | null): number[] {
  const key = keys.find((k) => fields.has(k));
  if (key === undefined) {
    if (fallback) return fallback;
    throw new FormatError("BAD_FORMAT", `The MetaImage header has no ${keys[0]}.`);
  }
  const values = fields.get(key)!.split(/\s+/).filter(Boolean).map(Number);
  if (values.length !== count || values.some((v) => !Number.isFinite(v))) throw new FormatError("BAD_FORMAT", `MetaImage ${key} "${fields.get(key)}" is not ${count} numbers.`);
  return values;
}

const isTrue = (value: string | undefined): boolean => value !== undefined && /^(true|1)$/i.test(value);

/** The grid a header describes, in (z, y, x) order. */
function spaceOf(fields: Map<string, string>): Space {
  const dims = numbers(fields, ["dimsize"], 3, null);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1)) throw new FormatError("BAD_FORMAT", `MetaImage DimSize ${dims.join(" ")} is not three sizes of at least 1.`);
  const spacing = numbers(fields, ["elementspacing", "elementsize"], 3, [1, 1, 1]);
  if (spacing.some((s) => !(s > 0))) throw new FormatError("BAD_FORMAT", `MetaImage ElementSpacing ${spacing.join(" ")} is not three positive numbers.`);
  const origin = numbers(fields, ["offset", "position", "origin"], 3, [0, 0, 0]);
  const m = numbers(fields, ["transformmatrix", "rotation", "orientation"], 9, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  return new Space({ shape: dims, spacing, origin, xOrientation: m.slice(0, 3), yOrientation: m.slice(3, 6), zOrientation: m.slice(6, 9) }).reverseAxisOrder();
}

/** Options of `decodeMetaImage`. */
export interface MetaImageReadOptions extends LimitOptions {
  /** The voxels of a `.mhd` that names a data file (`loadMetaImage` reads it beside the header). */
  data?: Uint8Array;
}

/**
 * MetaImage bytes as a SegmentationMask: a `.mha`, or a `.mhd` header with `{ data }` (its
 * data file's bytes); raw or zlib-compressed voxels of any integer type (or float holding
 * integers), either byte order; labels unnamed (`idx_<label>`), geometry as ITK reads it.
 * @example const seg = decodeMetaImage(readFileSync("vb-seg.mha"));
 */
export function decodeMetaImage(bytes: Uint8Array, options: MetaImageReadOptions = {}): SegmentationMask<string> {
  checkBytes(bytes, "decodeMetaImage");
  checkOptions(options, ["maxBytes", "data"], "decodeMetaImage");
  const { fields, dataStart, dataFile } = metaImageHeader(bytes);
  const ndims = Number(fields.get("ndims"));
  if (ndims !== 3) throw new FormatError("BAD_FORMAT", `This MetaImage has NDims = ${fields.get("ndims")}; a label volume is 3-D.`);
  const channels = Number(fields.get("elementnumberofchannels") ?? 1);
  if (channels !== 1) throw new FormatError("BAD_FORMAT", `This MetaImage has ${channels} channels per voxel; a label volume has one.`);
  const typeName = (fields.get("elementtype") ?? "").toUpperCase();
  const type = TYPES[typeName];
  if (!type) throw new FormatError("BAD_FORMAT", `MetaImage ElementType "${fields.get("elementtype")}" is not one medmask reads as labels (${Object.keys(TYPES).join(", ")}).`);
  const space = spaceOf(fields);
  const count = space.voxelCount;
  const needed = count * type.bytes;
  checkFits(needed, maxBytesOf(options), `This MetaImage (${[...space.shape].reverse().join(" x ")} voxels of ${typeName})`);
  let data: Uint8Array;
  if (dataFile === null) data = bytes.subarray(dataStart);
  else {
    if (/^list$/i.test(dataFile) || /%/.test(dataFile)) throw new FormatError("BAD_FORMAT", `This MetaImage's voxels are in a list of slice files ("${dataFile}"); medmask reads one data file.`);
    if (options.data === undefined) throw new InputError("INVALID_ARGUMENT", `This .mhd keeps its voxels in "${dataFile}": pass its bytes as { data }, or use loadMetaImage / loadMask, which read it beside the header.`);
    checkBytes(options.data, "decodeMetaImage's data");
    data = options.data;
  }
  const headerSize = Number(fields.get("headersize") ?? 0);
  if (isTrue(fields.get("compresseddata"))) {
    // zlib: a 2-byte header, raw deflate, a 4-byte Adler-32.
    if (data.length < 6 || (data[0]! & 0x0f) !== 8 || ((data[0]! << 8) | data[1]!) % 31 !== 0) throw new FormatError("BAD_FORMAT", "The MetaImage says its data is compressed, but it is not a zlib stream.");
    try {
      data = inflateExactly(data.subarray(2, data.length - 4), needed);
    } catch (cause) {
      throw new FormatError("BAD_FORMAT", `The MetaImage's zlib data does not hold the ${needed} bytes its header declares: ${(cause as Error).message}.`, { cause });
    }
  } else if (headerSize === -1) data = data.subarray(Math.max(0, data.length - needed));
  else if (headerSize > 0) data = data.subarray(headerSize);
  if (data.length < needed) throw new FormatError("TRUNCATED", `The MetaImage holds ${data.length} voxel bytes; its header needs ${needed}.`);
  const little = !isTrue(fields.get("binarydatabyteordermsb") ?? fields.get("elementbyteordermsb"));
  let labels: LabelArray;
  if (little === LITTLE_ENDIAN || type.bytes === 1) {
    const { stored, copied } = storedView(type.array, data.buffer as ArrayBuffer, data.byteOffset, count);
    labels = stored instanceof Float32Array || stored instanceof Float64Array ? floatLabels(stored, notALabel) : integerLabels(stored, copied, notALabel);
  } else {
    const view = new DataView(data.buffer, data.byteOffset, needed);
    labels = valueLabels(count, (i) => type.read(view, i * type.bytes, little), notALabel);
  }
  return new SegmentationMask(labels, undefined, space);
}

/** Adler-32 of `bytes` (zlib's trailer). */
function adler32(bytes: Uint8Array): number {
  let a = 1, b = 0;
  // 5552 bytes at most between reductions keeps the sums inside 2^32.
  for (let at = 0; at < bytes.length; at += 5552) {
    const end = Math.min(bytes.length, at + 5552);
    for (let i = at; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream (RFC 1950) of `bytes`, as ITK's MetaImage writer compresses. */
function zlib(bytes: Uint8Array): Uint8Array {
  const deflated = deflateRaw(bytes, 6);
  const out = new Uint8Array(deflated.length + 6);
  out[0] = 0x78;
  out[1] = 0x9c;
  out.set(deflated, 2);
  new DataView(out.buffer).setUint32(out.length - 4, adler32(bytes), false);
  return out;
}

/** Options of `encodeMetaImage`. */
export interface MetaImageWriteOptions {
  /** zlib-compress the voxels (CompressedData = True); default true. */
  compress?: boolean;
  /** Paint a layered mask into one volume (later layers win), as for NIfTI. */
  flatten?: boolean;
}

/** The ITK AnatomicalOrientation code of a grid: for each index axis (x, y, z), the letter its index runs from. */
function anatomicalOrientation(xyz: Space): string {
  return xyz.axisCodes.map((c) => ({ L: "R", R: "L", P: "A", A: "P", S: "I", I: "S" })[c]).join("");
}

/**
 * The header and voxels of a MetaImage of `seg`, the voxels in the file `dataFile` (a
 * `.mhd`) or after the header (LOCAL, a `.mha`).
 */
export function metaImageParts(seg: SegmentationMask<string>, dataFile: string, options: MetaImageWriteOptions = {}): { header: Uint8Array; data: Uint8Array } {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", `encodeMetaImage takes a SegmentationMask, got ${describeValue(seg)}.`);
  checkOptions(options, ["compress", "flatten"], "encodeMetaImage");
  const labels = oneVolume(seg, options.flatten, "A MetaImage");
  const top = getKernels().largest(labels);
  // The narrowest unsigned type that holds every label.
  const [typeName, Type] = top <= 0xff ? (["MET_UCHAR", Uint8Array] as const) : top <= 0xffff ? (["MET_USHORT", Uint16Array] as const) : (["MET_UINT", Uint32Array] as const);
  const stored = labels instanceof Type ? labels : new Type(labels);
  const raw = new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
  const data = options.compress === false ? raw : zlib(raw);
  const xyz = seg.space.reverseAxisOrder();
  const lines = [
    "ObjectType = Image",
    "NDims = 3",
    "BinaryData = True",
    `BinaryDataByteOrderMSB = ${LITTLE_ENDIAN ? "False" : "True"}`,
    `CompressedData = ${options.compress === false ? "False" : "True"}`,
    ...(options.compress === false ? [] : [`CompressedDataSize = ${data.length}`]),
    `TransformMatrix = ${[...xyz.xOrientation, ...xyz.yOrientation, ...xyz.zOrientation].join(" ")}`,
    `Offset = ${xyz.origin.join(" ")}`,
    "CenterOfRotation = 0 0 0",
    `AnatomicalOrientation = ${anatomicalOrientation(xyz)}`,
    `ElementSpacing = ${xyz.spacing.join(" ")}`,
    `DimSize = ${xyz.shape.join(" ")}`,
    `ElementType = ${typeName}`,
    `ElementDataFile = ${dataFile}`,
  ];
  return { header: new TextEncoder().encode(lines.join("\n") + "\n"), data };
}

/**
 * A mask as a MetaImage `.mha` (the header, then the voxels: the narrowest unsigned type that
 * holds its labels, zlib-compressed unless `{ compress: false }`), with the geometry ITK,
 * ITK-SNAP and 3D Slicer read back. MetaImage has no place for names: keep them in a label
 * table beside it.
 * @example writeFileSync("seg.mha", encodeMetaImage(seg));
 */
export function encodeMetaImage(seg: SegmentationMask<string>, options: MetaImageWriteOptions = {}): Uint8Array {
  const { header, data } = metaImageParts(seg, "LOCAL", options);
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}
