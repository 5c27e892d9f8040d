import type { Codec, EncodeOptions, MaskFormat } from "../encode-options.js";
import { LITTLE_ENDIAN, bytesPerVoxel, depthOfDtype, dtypeOf, maxLabel, type BitDepth, type Dtype, type LabelArray } from "../../bitdepth.js";
import { decodeLayersTarget, type TargetOptions } from "../decode-target.js";
import { describeValue, FormatError, InputError, MedMaskError, ResourceError } from "../../errors.js";
import { getKernels } from "../../kernels/index.js";
import { RLE_HEAD } from "../../kernels/rle-rows.js";
import { LabelMapping } from "../../mapping.js";
import { SegmentationMask, statsPass, voxelLayers } from "../../mask.js";
import { checkMetadataRecord, metadataToJSON, type LabelMetadata } from "../../label-metadata.js";
import { overOccupied } from "../../kernels/occupied.js";
import { Space, type SpaceJSON } from "../../space.js";
import { labelStat, type LabelStat } from "../../stats.js";
import { ByteReader, magicOf } from "../../sources/bytes.js";
import { crc32 } from "../../codecs/crc32.js";
import { deflateRaw, inflateExactly } from "../../codecs/deflate.js";

// The native single-mask format; docs/FORMAT.md describes it byte by byte.

export const NATIVE_MAGIC = "MMSK";
/**
 * The newest version this library writes and reads: 2.0 adds layers. A writer uses the
 * oldest version that holds the mask (1.0; 1.1 when labels carry metadata, which 1.0
 * readers skip; 2.0 only for several layers), so readers of older versions read what they can.
 */
export const NATIVE_MAJOR = 2;
/** magic(4) major(1) minor(1) flags(2) headerLength(4) headerCrc32(4) */
export const PREFIX_BYTES = 16;

const CODECS: readonly Codec[] = ["rle-rows-deflate", "deflate", "none"];

export { dtypeOf, depthOfDtype, type Dtype } from "../../bitdepth.js";
export type { Codec, EncodeOptions, MaskFormat };

/** One label's statistics as stored in the header. */
export interface HeaderLabel {
  label: number;
  name: string;
  voxels: number;
  /** [minZ, minY, minX, maxZ, maxY, maxX], inclusive, or null when empty. */
  bbox: number[] | null;
  /** The layer that holds the label (version 2; absent: 0). */
  layer?: number;
}

/** One z-slab: slices z0..z1 (inclusive), its bytes and checksum. */
export interface HeaderSlab {
  z0: number;
  z1: number;
  /** Offset from the end of the header JSON. */
  offset: number;
  length: number;
  /** Bytes after inflating (before the rle-rows decode). */
  raw_length: number;
  crc32: number;
}

/** The header JSON of a native mask file. */
export interface NativeHeader {
  format: "medmask";
  version: string;
  axis_order: "zyx";
  /** Absent in archive entries: the archive's space applies. */
  space?: SpaceJSON;
  mapping: Record<string, number>;
  dtype: Dtype;
  codec: Codec;
  /** Absent in archive entries: the archive's index holds them. */
  labels?: HeaderLabel[];
  /** Version 1: the slabs of the one volume. */
  slabs?: HeaderSlab[];
  /** Version 2: the slabs of each layer. */
  layers?: Array<{ slabs: HeaderSlab[] }>;
  /** Version 1.1 and later: colours and codes by name (names of the mapping). */
  metadata?: Record<string, LabelMetadata>;
}

/** How an encoded mask will be used: alone (self-contained) or inside an archive. */
export interface EncodeContext {
  /** Inside an archive, space and label statistics live once, in the archive's index. */
  inArchive?: boolean;
  /**
   * Statistics already computed: the encoder then scans nothing itself (the two-pass path,
   * which the tests hold the one-pass encoder to).
   */
  stats?: LabelStat[];
}

/** What a mask file says about itself without decoding voxels. */
export interface MaskInfo {
  format: "medmask" | "python-medmask";
  version: string;
  space: Space;
  mapping: LabelMapping<string>;
  bitDepth: BitDepth;
  codec: string;
  /** Per-label statistics from the header; null when the file does not store them. */
  stats: LabelStat[] | null;
  /** Layers of the mask (1 for an ordinary one). */
  layerCount: number;
  /** Colours and codes by name, as the file stores them. */
  metadata: Record<string, LabelMetadata>;
  /** Total bytes of the file (or entry). */
  bytes: number;
}

function rawBytes(view: LabelArray): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Encodes a mask in the native format: header (space, mapping, dtype, per-label counts and
 * boxes) + independently compressed z-slabs, each with a CRC-32.
 * @example const bytes = encodeMask(seg); const back = decodeMask(bytes);
 */
export function encodeNative(seg: SegmentationMask<string>, options: EncodeOptions = {}, context: EncodeContext = {}): Uint8Array {
  return encodeNativeWithStats(seg, options, context).bytes;
}

/** An encoded mask and the label statistics it was encoded with (an archive indexes them). */
export interface EncodedMask {
  bytes: Uint8Array;
  stats: LabelStat[];
}

/** Per layer: the labelled slices and the slab streams, from the read that also gave the statistics. */
interface LayerStreams {
  slices: [number, number] | null;
  streams: Uint8Array[];
}

/** Statistics, and per layer the labelled slices and slab streams, from one read of a mask (see `Kernels.scanEncode`). */
function scanAndEncode(seg: SegmentationMask<string>, slabDepth: number): { stats: LabelStat[]; layers: LayerStreams[] } {
  const kernels = getKernels();
  const [, ny] = seg.shape;
  const { stats, extra } = seg[statsPass]((data, dims) => {
    const pass = overOccupied(kernels, data, dims, true, (part, partDims) => {
      const { scan, streams } = kernels.scanEncode(part, partDims, slabDepth * ny);
      return { scan, extra: streams };
    });
    return { scan: pass.scan, extra: { slices: pass.slices, streams: pass.extra ?? [] } };
  });
  return { stats, layers: extra };
}

/** The version a mask needs: 2.0 for layers, 1.1 for metadata, else 1.0 (readable by every version-1 reader). */
function versionFor(layerCount: number, metadata: boolean): [number, number] {
  return layerCount > 1 ? [2, 0] : metadata ? [1, 1] : [1, 0];
}

/** `encodeNative`, also returning the statistics (computed in the encoder's own pass). */
export function encodeNativeWithStats(seg: SegmentationMask<string>, options: EncodeOptions = {}, context: EncodeContext = {}): EncodedMask {
  if (!LITTLE_ENDIAN) throw new ResourceError("UNSUPPORTED_PLATFORM", "medmask files store little-endian voxels; this platform is big-endian.");
  const codec = options.codec ?? "rle-rows-deflate";
  if (!CODECS.includes(codec)) throw new InputError("INVALID_ARGUMENT", `Unknown codec ${describeValue(codec)}; use ${CODECS.join(", ")}.`);
  const level = options.level ?? DEFAULT_LEVEL;
  const slabDepth = options.slabDepth ?? DEFAULT_SLAB_DEPTH;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new InputError("INVALID_ARGUMENT", `Deflate level must be 0-9, got ${describeValue(level)}.`);
  if (!Number.isInteger(slabDepth) || slabDepth < 1) throw new InputError("INVALID_ARGUMENT", `slabDepth must be a positive integer, got ${describeValue(slabDepth)}.`);

  const [nz, ny, nx] = seg.shape;
  const kernels = getKernels();
  const voxels = seg[voxelLayers]();
  // Without statistics at hand, the rle-rows transform computes them as it reads the
  // voxels: one read of the labelled slices instead of a scan and then an encode.
  const fused = codec === "rle-rows-deflate" && !context.stats ? scanAndEncode(seg, slabDepth) : null;
  const stats = fused?.stats ?? context.stats ?? seg.labelStats();
  const layerOfLabel = (label: number): number => (voxels.length === 1 ? 0 : seg.layerOf(label));
  const payloads: Uint8Array[] = [];
  let offset = 0;
  const layerSlabs = voxels.map((layer, l): HeaderSlab[] => {
    const slabs: HeaderSlab[] = [];
    let slab = 0;
    const slices = fused ? fused.layers[l]!.slices : labelledSlices(stats.filter((s) => s.voxels > 0 && layerOfLabel(s.label) === l));
    for (const [z0, z1, empty] of slabRanges(slices, nz, slabDepth)) {
      if (empty) {
        // All background: no payload at all (length 0, raw_length 0).
        slabs.push({ z0, z1, offset, length: 0, raw_length: 0, crc32: 0 });
        continue;
      }
      const rows = (z1 - z0 + 1) * ny;
      const part = layer.subarray(z0 * ny * nx, (z1 + 1) * ny * nx) as LabelArray;
      const raw = fused ? fused.layers[l]!.streams[slab++]! : codec === "rle-rows-deflate" ? kernels.encodeRows(part, rows, nx) : rawBytes(part);
      const payload = codec === "none" ? raw : deflateRaw(raw, level);
      slabs.push({ z0, z1, offset, length: payload.length, raw_length: raw.length, crc32: crc32(payload) });
      payloads.push(payload);
      offset += payload.length;
    }
    return slabs;
  });
  const metadata = seg.allMetadata();
  const hasMeta = Object.keys(metadata).length > 0;
  const [major, minor] = versionFor(voxels.length, hasMeta);
  const labels = layeredHeaderLabels(seg, stats);
  const header: NativeHeader = {
    format: "medmask",
    version: `${major}.${minor}`,
    axis_order: "zyx",
    ...(context.inArchive ? {} : { space: seg.space.toJSON() }),
    mapping: seg.mapping.toJSON(),
    dtype: dtypeOf(seg.bitDepth),
    codec,
    ...(context.inArchive ? {} : { labels }),
    ...(hasMeta ? { metadata } : {}),
    ...(major >= 2 ? { layers: layerSlabs.map((slabs) => ({ slabs })) } : { slabs: layerSlabs[0]! }),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX_BYTES + json.length + offset);
  const view = new DataView(out.buffer);
  out.set([...NATIVE_MAGIC].map((c) => c.charCodeAt(0)), 0);
  view.setUint8(4, major);
  view.setUint8(5, minor);
  view.setUint16(6, 0, true);
  view.setUint32(8, json.length, true);
  view.setUint32(12, crc32(json), true);
  out.set(json, PREFIX_BYTES);
  let at = PREFIX_BYTES + json.length;
  for (const p of payloads) {
    out.set(p, at);
    at += p.length;
  }
  return { bytes: out, stats };
}

/**
 * Deflate level of a save. The rle-rows streams are small and already run-length coded, so
 * higher levels buy little size for much time (on the 117 organ masks' streams, level 6
 * wrote a few percent less than 4 in over twice the time, and 9 about 1 % less again for
 * twice 6's: `npm run bench platform`, "deflate level").
 */
export const DEFAULT_LEVEL = 4;

/** Slices per slab: few enough slabs to keep headers small, each still decodable alone. */
export const DEFAULT_SLAB_DEPTH = 64;

/** The first and last slice that hold a label, from label statistics; null when none does. */
function labelledSlices(stats: readonly LabelStat[]): [number, number] | null {
  let first = Infinity, last = -1;
  for (const s of stats) {
    if (!s.bbox) continue;
    first = Math.min(first, s.bbox.min[0]);
    last = Math.max(last, s.bbox.max[0]);
  }
  return last < 0 ? null : [first, last];
}

/**
 * The slabs of a volume of `nz` slices whose labels lie in slices `labelled` (first, last):
 * the background before and after them is one empty slab each, and the labelled slices are
 * cut into slabs of at most `depth` slices from the first labelled one. Slabs then hold
 * (and a decoder writes) only the slices an organ spans, not whole 64-slice blocks around it.
 */
export function slabRanges(labelled: readonly [number, number] | null, nz: number, depth: number): [number, number, boolean][] {
  if (!labelled) return nz > 0 ? [[0, nz - 1, true]] : [];
  const [first, last] = labelled;
  const ranges: [number, number, boolean][] = first > 0 ? [[0, first - 1, true]] : [];
  for (let z0 = first; z0 <= last; z0 += depth) ranges.push([z0, Math.min(last, z0 + depth - 1), false]);
  if (last < nz - 1) ranges.push([last + 1, nz - 1, true]);
  return ranges;
}

/**
 * `headerLabels` of a mask, each label with voxels outside layer 0 saying its `layer` (as a
 * version-2 header and an archive index store them; absent means 0).
 */
export function layeredHeaderLabels(seg: SegmentationMask<string>, stats: readonly LabelStat[]): HeaderLabel[] {
  const layered = seg.layerCount > 1;
  return headerLabels(stats).map((l) => {
    const layer = layered && l.voxels > 0 ? seg.layerOf(l.label) : 0;
    return layer > 0 ? { ...l, layer } : l;
  });
}

/** Statistics in the header's compact form. */
export function headerLabels(stats: readonly LabelStat[]): HeaderLabel[] {
  return stats.map((s) => ({ label: s.label, name: s.name, voxels: s.voxels, bbox: s.bbox ? [...s.bbox.min, ...s.bbox.max] : null }));
}

function bad(message: string): FormatError {
  return new FormatError("BAD_FORMAT", `Not a valid medmask file: ${message}.`);
}

const isInt = (v: unknown, min = 0): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= min;

/** An inclusive [minZ, minY, minX, maxZ, maxY, maxX] inside `shape`, min <= max per axis. */
function isBox(v: unknown, shape: readonly number[]): v is number[] {
  return Array.isArray(v) && v.length === 6 && v.every((n) => isInt(n)) && [0, 1, 2].every((a) => v[a]! <= v[a + 3]! && v[a + 3]! < shape[a]!);
}

/**
 * Per-label statistics from a header or an archive index, checked: a label of the bit
 * depth, a string name, a voxel count its box can hold, and a box inside the shape (null
 * exactly when the count is 0). BAD_FORMAT otherwise: header facts are read without
 * decoding, so nothing else would catch a writer's bad numbers.
 */
export function checkHeaderLabels(value: unknown, space: Space, bitDepth: BitDepth, what: string, layerCount = 1): HeaderLabel[] {
  if (!Array.isArray(value)) throw new FormatError("BAD_FORMAT", `Not a valid ${what}: its label statistics are not a list.`);
  return value.map((entry: unknown, i) => {
    const l = (typeof entry === "object" && entry !== null ? entry : {}) as Partial<Record<keyof HeaderLabel, unknown>>;
    const box = l.bbox === null ? null : isBox(l.bbox, space.shape) ? l.bbox : undefined;
    const voxels = isInt(l.voxels) ? l.voxels : -1;
    const fits = typeof l.name === "string" && isInt(l.label, 1) && l.label <= maxLabel(bitDepth) && voxels >= 0 && box !== undefined;
    const holds = fits && (box === null ? voxels === 0 : voxels > 0 && voxels <= (box[3]! - box[0]! + 1) * (box[4]! - box[1]! + 1) * (box[5]! - box[2]! + 1));
    const layer = l.layer === undefined ? 0 : isInt(l.layer) && l.layer < layerCount ? l.layer : -1;
    if (!holds || layer < 0) throw new FormatError("BAD_FORMAT", `Not a valid ${what}: label statistics entry ${i} is malformed or does not fit the shape, dtype and layers.`);
    return { label: l.label as number, name: l.name as string, voxels, bbox: box === null ? null : [...box!], ...(layer > 0 ? { layer } : {}) };
  });
}

/** The slabs of each layer: version 1's one list, or version 2's list per layer. */
export function layerSlabsOf(h: NativeHeader): HeaderSlab[][] {
  return h.layers ? h.layers.map((l) => l.slabs) : [h.slabs!];
}

/** Checks the header's structure so decoding can trust every number it reads. */
function validateHeader(h: Partial<NativeHeader>, fileBytes: number, dataStart: number, major: number, outer?: Space): { space: Space; bitDepth: BitDepth } {
  if (typeof h !== "object" || h === null) throw bad("the header is not a JSON object");
  if (h.axis_order !== "zyx") throw bad(`axis_order must be "zyx", got ${JSON.stringify(h.axis_order)}`);
  const bitDepth = depthOfDtype(h.dtype);
  if (!bitDepth) throw bad(`unknown dtype ${JSON.stringify(h.dtype)}`);
  if (!h.codec || !CODECS.includes(h.codec)) throw new FormatError("UNSUPPORTED_VERSION", `This file uses codec ${JSON.stringify(h.codec)}, which this medmask version does not know; upgrade medmask.`);
  let space: Space;
  try {
    if (h.space === undefined && !outer) throw new Error("the header has no space");
    space = h.space === undefined ? outer! : Space.fromJSON(h.space);
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `Not a valid medmask file: its space is invalid (${(cause as Error).message})`, { cause });
  }
  if (typeof h.mapping !== "object" || h.mapping === null || Array.isArray(h.mapping)) throw bad("mapping must be an object");
  if (major >= 2) {
    if (h.slabs !== undefined || !Array.isArray(h.layers) || h.layers.length < 1 || !h.layers.every((l) => typeof l === "object" && l !== null && Array.isArray(l.slabs))) {
      throw bad("a version-2 header lists its slabs per layer: layers must be a non-empty list of {slabs}");
    }
  } else if (!Array.isArray(h.slabs) || h.layers !== undefined) {
    throw bad("slabs must be a list");
  }
  const layerSlabs = layerSlabsOf(h as NativeHeader);
  if (h.labels !== undefined) h.labels = checkHeaderLabels(h.labels, space, bitDepth, "medmask file", layerSlabs.length);
  if (h.metadata !== undefined) {
    const metadata = checkMetadataRecord(h.metadata, "file");
    const unnamed = [...metadata.keys()].filter((name) => !Object.hasOwn(h.mapping!, name));
    if (unnamed.length > 0) throw bad(`its metadata names ${unnamed.map((n) => JSON.stringify(n)).join(", ")}, which the mapping does not`);
    h.metadata = metadataToJSON(metadata);
  }
  const [nz, ny, nx] = space.shape;
  const size = bytesPerVoxel(bitDepth);
  for (const slabs of layerSlabs) {
    let nextZ = 0;
    for (const s of slabs) {
      if (!s || !isInt(s.z0) || !isInt(s.z1) || !isInt(s.offset) || !isInt(s.length) || !isInt(s.raw_length) || !isInt(s.crc32)) throw bad("a slab entry has missing or non-integer fields");
      if (s.z0 !== nextZ || s.z1 < s.z0 || s.z1 >= nz) throw bad(`slabs must cover z = 0..${nz - 1} in order; found ${s.z0}..${s.z1}`);
      nextZ = s.z1 + 1;
      const rows = (s.z1 - s.z0 + 1) * ny;
      const bound = h.codec === "rle-rows-deflate" ? RLE_HEAD + rows * (5 + nx * (size + 5)) : rows * nx * size;
      const empty = s.length === 0 && s.raw_length === 0;
      if (!empty && (s.raw_length > bound || (h.codec !== "rle-rows-deflate" && s.raw_length !== bound))) {
        throw bad(`slab z ${s.z0}..${s.z1} declares ${s.raw_length} bytes, more than its ${rows} rows can hold`);
      }
      if (dataStart + s.offset + s.length > fileBytes) {
        throw new FormatError("TRUNCATED", `The medmask file is truncated: slab z ${s.z0}..${s.z1} ends at byte ${dataStart + s.offset + s.length}, the file has ${fileBytes}.`);
      }
    }
    if (nextZ !== nz) throw bad(`slabs cover z = 0..${nextZ - 1}, the shape has ${nz} slices`);
  }
  return { space, bitDepth };
}

/** Parses and checks the prefix and header JSON; never touches voxels. */
export function readNativeHeader(bytes: Uint8Array, outer?: Space): { header: NativeHeader; dataStart: number; space: Space; bitDepth: BitDepth } {
  const reader = new ByteReader(bytes, "medmask file");
  reader.need(0, PREFIX_BYTES);
  if (magicOf(bytes) !== NATIVE_MAGIC) throw bad(`it starts with ${JSON.stringify(magicOf(bytes))}, not "${NATIVE_MAGIC}"`);
  const major = reader.u8(4);
  if (major < 1 || major > NATIVE_MAJOR) {
    throw new FormatError("UNSUPPORTED_VERSION", `This medmask file is format version ${major}.${reader.u8(5)}; this library reads versions 1.x to ${NATIVE_MAJOR}.x. Upgrade medmask.`);
  }
  const length = reader.u32(8);
  const json = reader.slice(PREFIX_BYTES, length);
  if (crc32(json) !== reader.u32(12)) throw new FormatError("CHECKSUM", "The medmask file's header fails its CRC-32 check: the file is corrupt.");
  const header = reader.json(PREFIX_BYTES, length, "header") as NativeHeader;
  const dataStart = PREFIX_BYTES + length;
  const { space, bitDepth } = validateHeader(header, bytes.length, dataStart, major, outer);
  return { header, dataStart, space, bitDepth };
}

/** Header-only facts of a native mask: space, mapping, bit depth, per-label statistics. */
export function nativeInfo(bytes: Uint8Array): MaskInfo {
  const { header, space, bitDepth } = readNativeHeader(bytes);
  let mapping: LabelMapping<string>;
  try {
    mapping = LabelMapping.fromJSON(header.mapping);
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `Not a valid medmask file: its mapping is invalid (${(cause as Error).message})`, { cause });
  }
  return {
    format: "medmask",
    version: header.version,
    space,
    mapping,
    bitDepth,
    codec: header.codec,
    stats: statsFromHeader(header.labels ?? [], space),
    layerCount: layerSlabsOf(header).length,
    metadata: header.metadata ?? {},
    bytes: bytes.length,
  };
}

/** Label statistics from a header's (checked) compact form. */
export function statsFromHeader(labels: readonly HeaderLabel[], space: Space): LabelStat[] {
  return labels.map((l) => labelStat(l.name, l.label, l.voxels, space.voxelVolume, l.bbox));
}

/**
 * Checks the statistics a header or an index claims against the decoded voxels: a label it
 * lists must have the voxel count and box it says (`info` and `archive.stats()` answer from
 * the header alone, so a header that lies gives wrong answers there). Labels it does not list
 * are not claims (they are named idx_<label> as in any mask). The scan is the one the mask's
 * first use would make anyway: it also names the mask's labels, so that use needs no scan.
 */
export function checkStatsAgree(mask: SegmentationMask<string>, claimed: readonly HeaderLabel[], what: string): void {
  const actual = new Map(mask.labelStats().map((s) => [s.label, s]));
  for (const c of claimed) {
    const a = actual.get(c.label);
    const voxels = a?.voxels ?? 0;
    const box = a?.bbox ? [...a.bbox.min, ...a.bbox.max] : null;
    const layer = voxels > 0 ? mask.layerOf(c.label) : 0;
    if (voxels > 0 && layer !== (c.layer ?? 0)) {
      throw new FormatError("BAD_FORMAT", `${what}'s header says label ${c.label} ("${c.name}") is in layer ${c.layer ?? 0}; its voxels are in layer ${layer}. The file is inconsistent.`);
    }
    if (voxels !== c.voxels || JSON.stringify(box) !== JSON.stringify(c.bbox)) {
      throw new FormatError(
        "BAD_FORMAT",
        `${what}'s header says label ${c.label} ("${c.name}") has ${c.voxels} voxels${c.bbox ? ` in [${c.bbox.join(", ")}]` : ""}; its voxels hold ${voxels}${box ? ` in [${box.join(", ")}]` : ""}. The file is inconsistent (hand-edited or written by a faulty tool).`,
      );
    }
  }
}

/**
 * Decodes a native mask file. `outer` is the archive's space for archive entries, which do
 * not repeat it; `options.out` or `options.resident` say where the voxels go. Every slab's
 * checksum is verified before any voxel is written, so a corrupt file leaves `out` as it was
 * (a header whose statistics disagree with its voxels is found once they are decoded).
 */
export function decodeNative(bytes: Uint8Array, outer?: Space, options: TargetOptions = {}): SegmentationMask<string> {
  const { header, dataStart, space, bitDepth } = readNativeHeader(bytes, outer);
  const [, ny, nx] = space.shape;
  const layerSlabs = layerSlabsOf(header);
  // OUT_OF_MEMORY (or a misfit `out`) up front, before any slab is read.
  const { layers, zeroed } = decodeLayersTarget(bitDepth, space.voxelCount, layerSlabs.length, options, bytes);
  const kernels = getKernels();
  const isEmpty = (slab: HeaderSlab): boolean => slab.length === 0 && slab.raw_length === 0;
  const payloadOf = (slab: HeaderSlab): Uint8Array => bytes.subarray(dataStart + slab.offset, dataStart + slab.offset + slab.length);
  for (const slab of layerSlabs.flat()) {
    if (!isEmpty(slab) && crc32(payloadOf(slab)) !== slab.crc32) {
      throw new FormatError("CHECKSUM", `Slab z ${slab.z0}..${slab.z1} fails its CRC-32 check: the file is corrupt.`);
    }
  }
  layerSlabs.forEach((slabs, l) => {
    const data = layers[l]!;
    for (const slab of slabs) {
      const target = data.subarray(slab.z0 * ny * nx, (slab.z1 + 1) * ny * nx) as LabelArray;
      if (isEmpty(slab)) {
        if (!zeroed[l]) target.fill(0); // all background
        continue;
      }
      const payload = payloadOf(slab);
      let raw = payload;
      if (header.codec !== "none") {
        try {
          raw = inflateExactly(payload, slab.raw_length);
        } catch (cause) {
          throw new FormatError("BAD_FORMAT", `Slab z ${slab.z0}..${slab.z1} does not inflate to its declared size: ${(cause as Error).message}.`, { cause });
        }
      } else if (raw.length !== slab.raw_length) {
        throw new FormatError("BAD_FORMAT", `Slab z ${slab.z0}..${slab.z1} holds ${raw.length} bytes; the header says ${slab.raw_length}.`);
      }
      const rows = (slab.z1 - slab.z0 + 1) * ny;
      if (header.codec === "rle-rows-deflate") {
        if (!kernels.decodeRows(raw, rows, nx, maxLabel(bitDepth), target, zeroed[l])) {
          throw new FormatError("BAD_FORMAT", `Slab z ${slab.z0}..${slab.z1} is malformed: its runs do not fit the shape or bit depth.`);
        }
      } else {
        new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(raw);
      }
    }
  });
  try {
    // The mapping and statistics are the header's word, and the CRCs vouch only for bytes, not
    // that header and voxels agree: statistics it claims are checked against the voxels, and a
    // label its mapping lacks is named idx_<label> (by that scan, or on first use, as in every
    // mask), so names, labels and statistics never disagree; bit depth 1 is checked for values
    // above 1 in the constructor, a label in two layers by the first scan.
    const mask = new SegmentationMask(layers.length === 1 ? layers[0]! : layers, header.mapping, space, { bitDepth, metadata: header.metadata });
    if (header.labels) checkStatsAgree(mask, header.labels, "the file");
    else if (layers.length > 1) mask.presentLabels();
    return mask;
  } catch (cause) {
    if (cause instanceof MedMaskError) {
      throw new FormatError("BAD_FORMAT", `Not a valid medmask file: ${cause.message}`, { cause });
    }
    throw cause;
  }
}
