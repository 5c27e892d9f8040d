import { LITTLE_ENDIAN, bitDepthFor, labelArrayType, type BitDepth, type LabelArray } from "../../bitdepth.js";
import type { CombinedMasks, NamedBinaryMask } from "../../combine.js";
import { uniqueNames } from "../segment-names.js";
import { labelColor } from "../../label-colors.js";
import { FormatError } from "../../errors.js";
import { checkFits, maxBytesOf, type LimitOptions } from "../../limits.js";
import { getKernels } from "../../kernels/index.js";
import type { Box6 } from "../../kernels/types.js";
import { scanOccupied } from "../../kernels/occupied.js";
import { SegmentationMask } from "../../mask.js";
import { Space } from "../../space.js";
import { checkMetadata, type Code, type LabelMetadata } from "../../label-metadata.js";
import { LabelMapping } from "../../mapping.js";
import { voxelLayers } from "../../mask.js";
import { PastLimitError, gunzip } from "../../codecs/gzip.js";
import { nrrdFile } from "../nrrd/nrrd-file.js";
import { bytesOfBlob, checkBytes, isBlob } from "../../sources/bytes.js";
import { floatLabels, integerLabels, storedView, valueLabels, type StoredFloatType, type StoredIntegerType } from "../stored-labels.js";
import { maxOf } from "../../numbers.js";

// 3D Slicer segmentations (.seg.nrrd): an NRRD volume (3-D, or 4-D with a first "list"
// axis of layers, so that overlapping segments can live in different layers) whose header
// key/value pairs describe each segment: Segment<N>_ID, _Name, _LabelValue, _Layer,
// _Color, _Extent. NRRD axes are listed fastest first (x, y, z); medmask's are (z, y, x).

/** One segment as Slicer describes it. */
export interface SlicerSegment {
  id: string;
  name: string;
  /** Voxel value of the segment in its layer. */
  labelValue: number;
  layer: number;
  /** RGB, 0..1. */
  color: [number, number, number];
  /** Inclusive voxel extent in NRRD order: x0 x1 y0 y1 z0 z1 (empty: 0 -1 0 -1 0 -1). */
  extent: [number, number, number, number, number, number];
  /** Category, type and modifier codes of its `TerminologyEntry` tag, where it has one. */
  terminology?: Pick<LabelMetadata, "category" | "type" | "modifier">;
}

/** A parsed .seg.nrrd: the space (z, y, x), one label array per layer, and the segments. */
export interface SegNrrd {
  space: Space;
  layers: LabelArray[];
  segments: SlicerSegment[];
}

/** NRRD's types: size, a reader of one value, and their typed array. */
const TYPES: Record<string, { bytes: number; read: (v: DataView, o: number, le: boolean) => number; array: StoredIntegerType | StoredFloatType }> = {
  uint8: { bytes: 1, read: (v, o) => v.getUint8(o), array: Uint8Array },
  int8: { bytes: 1, read: (v, o) => v.getInt8(o), array: Int8Array },
  uint16: { bytes: 2, read: (v, o, le) => v.getUint16(o, le), array: Uint16Array },
  int16: { bytes: 2, read: (v, o, le) => v.getInt16(o, le), array: Int16Array },
  uint32: { bytes: 4, read: (v, o, le) => v.getUint32(o, le), array: Uint32Array },
  int32: { bytes: 4, read: (v, o, le) => v.getInt32(o, le), array: Int32Array },
  float: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le), array: Float32Array },
  double: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le), array: Float64Array },
};

const notALabel = (i: number, v: number) => new FormatError("BAD_FORMAT", `NRRD voxel ${i} is ${v}; segmentations hold labels (integers from 0 to 4294967295).`);

/** NRRD's many spellings of each type. */
function typeName(raw: string): string {
  const t = raw.trim().toLowerCase().replace(/_t$/, "");
  const aliases: Record<string, string> = {
    "signed char": "int8", int8: "int8", "unsigned char": "uint8", uchar: "uint8", uint8: "uint8",
    short: "int16", "short int": "int16", "signed short": "int16", "signed short int": "int16", int16: "int16",
    ushort: "uint16", "unsigned short": "uint16", "unsigned short int": "uint16", uint16: "uint16",
    int: "int32", "signed int": "int32", int32: "int32", uint: "uint32", "unsigned int": "uint32", uint32: "uint32",
    float: "float", double: "double",
  };
  const name = aliases[t];
  if (!name) throw new FormatError("BAD_FORMAT", `NRRD type "${raw}" cannot hold labels.`);
  return name;
}

function parseVector(text: string, length = 3): number[] | null {
  const t = text.trim();
  if (t === "none") return null;
  const m = /^\(([^)]*)\)$/.exec(t);
  if (!m) throw new FormatError("BAD_FORMAT", `NRRD vector "${text}" is not "(x,y,z)".`);
  const v = m[1]!.split(",").map(Number);
  if (v.length !== length || v.some((x) => !Number.isFinite(x))) throw new FormatError("BAD_FORMAT", `NRRD vector "${text}" is not ${length === 3 ? "three" : length} numbers.`);
  return v;
}

/** Splits an NRRD header into fields ("key: value") and key/value pairs ("key:=value"). */
function parseHeader(text: string): { fields: Map<string, string>; pairs: Map<string, string> } {
  const lines = text.split(/\r?\n/);
  if (!/^NRRD000[1-5]$/.test(lines[0]!.trim())) throw new FormatError("BAD_FORMAT", "Not an NRRD file (no NRRD000x magic line).");
  const fields = new Map<string, string>();
  const pairs = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const kv = line.indexOf(":=");
    const f = line.indexOf(": ");
    if (kv >= 0 && (f < 0 || kv < f)) pairs.set(line.slice(0, kv), line.slice(kv + 2).replace(/\\n/g, "\n").replace(/\\\\/g, "\\"));
    else if (f >= 0) fields.set(line.slice(0, f).trim().toLowerCase(), line.slice(f + 2).trim());
    else throw new FormatError("BAD_FORMAT", `NRRD header line "${line.slice(0, 60)}" is neither a field nor a key/value pair.`);
  }
  return { fields, pairs };
}

function required(fields: Map<string, string>, key: string): string {
  const value = fields.get(key);
  if (value === undefined) throw new FormatError("BAD_FORMAT", `The NRRD header has no "${key}" field.`);
  return value;
}

/**
 * The segments the key/value pairs describe, in their numbers' order. Every number present
 * counts (a file edited by hand may skip one; the segments after a gap are not dropped), and a
 * label value or layer that is not a whole number a layer can hold is BAD_FORMAT, naming the
 * segment, rather than a segment silently without voxels.
 */
function segmentsFrom(pairs: Map<string, string>, legacy: boolean): SlicerSegment[] {
  const numbers = new Set<number>();
  for (const key of pairs.keys()) {
    const m = /^Segment(\d{1,9})_/.exec(key);
    if (m && (pairs.has(`Segment${m[1]}_ID`) || pairs.has(`Segment${m[1]}_Name`))) numbers.add(Number(m[1]));
  }
  return [...numbers]
    .sort((a, b) => a - b)
    .map((n, i) => {
      const get = (k: string) => pairs.get(`Segment${n}_${k}`);
      const extent = (get("Extent") ?? "0 -1 0 -1 0 -1").trim().split(/\s+/).map(Number);
      const name = get("Name") ?? get("ID") ?? `Segment_${i + 1}`;
      const color = (get("Color") ?? "0.5 0.5 0.5").trim().split(/\s+/).map(Number);
      if (color.length !== 3 || color.some((c) => !Number.isFinite(c) || c < 0 || c > 1)) {
        throw new FormatError("BAD_FORMAT", `Segment${n}_Color of segment "${name}" is "${get("Color")}"; a colour is three numbers in [0, 1].`);
      }
      const whole = (key: string, fallback: number, min: number): number => {
        const text = get(key);
        const value = text === undefined ? fallback : /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
        if (!Number.isSafeInteger(value) || value < min) {
          throw new FormatError("BAD_FORMAT", `Segment${n}_${key} of segment "${name}" is "${text}"; it must be a whole number of at least ${min}.`);
        }
        return value;
      };
      return {
        id: get("ID") ?? `Segment_${i + 1}`,
        name,
        // A legacy file (Slicer 4.5-4.10) keeps each segment in a layer of its own, its voxels 1.
        labelValue: whole("LabelValue", legacy ? 1 : i + 1, 1),
        layer: whole("Layer", legacy ? i : 0, 0),
        color: [color[0]!, color[1]!, color[2]!],
        extent: extent.length === 6 ? (extent as SlicerSegment["extent"]) : [0, -1, 0, -1, 0, -1],
        ...terminologyOf(get("Tags"), name),
      };
    });
}

/** Slicer's context names, written with a terminology entry (its defaults). */
const CATEGORY_CONTEXT = "Segmentation category and type - 3D Slicer General Anatomy list";
const ANATOMY_CONTEXT = "Anatomic codes - DICOM master list";

/**
 * The codes of a `TerminologyEntry:` tag: `context~category~type~modifier~anatomic
 * context~region~region modifier`, each code `scheme^value^meaning` (empty: `^^`).
 * BAD_FORMAT, naming the segment, for an entry that does not have that shape.
 */
function terminologyOf(tags: string | undefined, name: string): { terminology?: SlicerSegment["terminology"] } {
  const entry = tags?.split("|").find((t) => t.startsWith("TerminologyEntry:"));
  if (entry === undefined) return {};
  const fields = entry.slice("TerminologyEntry:".length).split("~");
  const codes = fields.slice(1, 4).map((f) => f.split("^"));
  if (fields.length < 4 || codes.some((c) => c.length !== 3)) {
    throw new FormatError("BAD_FORMAT", `The TerminologyEntry of segment "${name}" is "${entry.slice(0, 200)}"; it must be context~category~type~modifier~..., each code scheme^value^meaning.`);
  }
  const terminology: { -readonly [K in keyof NonNullable<SlicerSegment["terminology"]>]: Code } = {};
  (["category", "type", "modifier"] as const).forEach((key, i) => {
    const [scheme, value, meaning] = codes[i]!;
    if (scheme !== "" && value !== "") terminology[key] = [scheme!, value!, meaning!];
  });
  return Object.keys(terminology).length > 0 ? { terminology } : {};
}

/** A TerminologyEntry tag of `meta`'s codes (Slicer's layout), or null without a category and type. */
function terminologyTag(meta: LabelMetadata): string | null {
  if (!meta.category && !meta.type) return null;
  const code = (c: Code | undefined) => (c ? c.join("^") : "^^");
  return `TerminologyEntry:${CATEGORY_CONTEXT}~${code(meta.category)}~${code(meta.type)}~${code(meta.modifier)}~${ANATOMY_CONTEXT}~^^~^^`;
}

/**
 * Parses a 3D Slicer `.seg.nrrd` (raw or gzip encoding; LPS or RAS space; 3-D, or 4-D with
 * layers). Plain label-map NRRDs parse too, with no segments.
 */
export function readSegNrrd(bytes: Uint8Array, options: LimitOptions = {}): SegNrrd {
  checkBytes(bytes, "readSegNrrd");
  const maxBytes = maxBytesOf(options);
  // The header ends at an empty line, "\n\n" (or "\r\n\r\n" from Windows tools), however long
  // it is (a Slicer file of thousands of segments has a header of megabytes).
  let end = -1, gap = 2;
  for (let i = bytes.indexOf(10); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(10, i + 1)) {
    if (bytes[i + 1] === 10) {
      end = i;
      break;
    }
    if (bytes[i + 1] === 13 && bytes[i + 2] === 10 && i > 0 && bytes[i - 1] === 13) {
      end = i - 1;
      gap = 4;
      break;
    }
  }
  if (end < 0) throw new FormatError(bytes.length < 16 ? "TRUNCATED" : "BAD_FORMAT", "No complete NRRD header (it ends with an empty line).");
  const { fields, pairs } = parseHeader(new TextDecoder().decode(bytes.subarray(0, end)));
  if (fields.has("data file") || fields.has("datafile")) throw new FormatError("BAD_FORMAT", "Detached NRRD data files are not supported; save the segmentation as one .seg.nrrd.");
  const type = typeName(required(fields, "type"));
  const dimension = Number(required(fields, "dimension"));
  const sizes = required(fields, "sizes").split(/\s+/).map(Number);
  if ((dimension !== 3 && dimension !== 4) || sizes.length !== dimension || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new FormatError("BAD_FORMAT", `NRRD dimension ${dimension} with sizes ${sizes.join(" ")}: a segmentation is 3-D, or 4-D with layers first.`);
  }
  // Slicer 4.5-4.10 wrote a 4-D space ("space dimension: 4"): the layer axis is the one whose
  // direction is (0,0,0,1), there is no "space" field (the numbers are RAS), and the voxels
  // are those of Segmentation_Extent while the origin is the full grid's.
  const legacy = fields.get("space dimension") === "4";
  const legacyDirections = legacy ? ((fields.get("space directions") ?? "").match(/\([^()]*\)|none/g) ?? []).map((d) => parseVector(d, 4)) : [];
  const layerAxis = legacy ? legacyLayerAxis(legacyDirections) : dimension === 4 ? layerAxisOf(fields.get("kinds"), fields.get("space directions")) : 0;
  const layerCount = dimension === 4 ? sizes[layerAxis]! : 1;
  const [nx, ny, nz] = (dimension === 4 ? sizes.filter((_, i) => i !== layerAxis) : sizes) as [number, number, number];
  const spaceName = (fields.get("space") ?? (legacy ? "right-anterior-superior" : "left-posterior-superior")).toLowerCase();
  const ras = spaceName === "right-anterior-superior" || spaceName === "ras";
  if (!ras && spaceName !== "left-posterior-superior" && spaceName !== "lps") {
    throw new FormatError("BAD_FORMAT", `NRRD space "${spaceName}" is not LPS or RAS.`);
  }
  const directions = legacy
    ? legacyDirections.filter((_, i) => i !== layerAxis).map((v) => v!.slice(0, 3))
    : ((fields.get("space directions") ?? "(1,0,0) (0,1,0) (0,0,1)").match(/\([^()]*\)|none/g) ?? []).map((d) => parseVector(d)).filter((v): v is number[] => v !== null);
  if (directions.length !== 3) throw new FormatError("BAD_FORMAT", "NRRD space directions must give three spatial axes.");
  let origin = (legacy ? parseVector(fields.get("space origin") ?? "(0,0,0,0)", 4)?.slice(0, 3) : parseVector(fields.get("space origin") ?? "(0,0,0)")) ?? [0, 0, 0];
  if (legacy) origin = extentOrigin(origin, directions, pairs.get("Segmentation_Extent"), [nx, ny, nz]);
  const negate = (x: number) => (x === 0 ? 0 : -x);
  const toLps = (v: number[]) => (ras ? [negate(v[0]!), negate(v[1]!), v[2]!] : v);
  const lpsDirections = directions.map(toLps);
  const spacing = lpsDirections.map((d) => Math.hypot(...d));
  const xyz = new Space({
    shape: [nx, ny, nz],
    spacing,
    origin: toLps(origin),
    xOrientation: lpsDirections[0]!.map((v) => v / spacing[0]!),
    yOrientation: lpsDirections[1]!.map((v) => v / spacing[1]!),
    zOrientation: lpsDirections[2]!.map((v) => v / spacing[2]!),
  });
  const encoding = required(fields, "encoding").toLowerCase();
  // What the header declares, checked before any of it is inflated or allocated: the
  // stored voxels of every layer (10^7 layers in a 10 KB file are refused here).
  const declared = sizes.reduce((a, b) => a * b, 1) * (TYPES[type]?.bytes ?? 1);
  checkFits(declared, maxBytes, `This .seg.nrrd (${sizes.join(" x ")} voxels of ${type})`);
  let data = bytes.subarray(end + gap);
  const skip = dataSkips(fields, encoding);
  // Line skip counts lines of the file as stored, before any decoding (NRRD 5: line skip).
  for (let l = 0; l < skip.lines; l++) {
    const newline = data.indexOf(10);
    if (newline < 0) throw new FormatError("TRUNCATED", `The NRRD's data ends before the ${skip.lines} lines its "line skip" passes over.`);
    data = data.subarray(newline + 1);
  }
  let inflated = false; // gzip's output is this reader's own, the caller's bytes are not
  if (encoding === "gzip" || encoding === "gz") {
    try {
      // Never past what the header declares, whatever the gzip trailer says.
      data = gunzip(data, declared + skip.bytes);
      inflated = true;
    } catch (cause) {
      if (cause instanceof PastLimitError) throw new FormatError("BAD_FORMAT", "The NRRD's gzip data holds more than its header declares (a gzip bomb, or a corrupt file); inflating stopped there.", { cause });
      throw new FormatError("BAD_FORMAT", `The NRRD's gzip data is corrupt: ${(cause as Error).message}.`, { cause });
    }
  } else if (encoding === "txt" || encoding === "text" || encoding === "ascii" || encoding === "hex") {
    data = textVoxels(data, encoding, TYPES[type]!, declared);
    inflated = true;
  } else if (encoding !== "raw") {
    throw new FormatError("BAD_FORMAT", `NRRD encoding "${encoding}" is not supported (raw, gzip, ascii or hex); save the file again with gzip.`);
  }
  const { bytes: size, read, array } = TYPES[type]!;
  const count = nx * ny * nz;
  // Byte skip counts decoded bytes; -1 (raw only) says the data are the file's last bytes.
  const skipped = skip.bytes === -1 ? data.length - count * layerCount * size : skip.bytes;
  if (skipped < 0 || data.length - skipped < count * layerCount * size) {
    throw new FormatError("TRUNCATED", `The NRRD holds ${data.length} data bytes${skip.bytes ? ` (byte skip ${skip.bytes})` : ""}; its sizes need ${count * layerCount * size}${skip.bytes > 0 ? " after the skip" : ""}.`);
  }
  data = data.subarray(skipped);
  // Layer l's value of voxel i, as stored: interleaved (layers first) or layer after layer.
  const at = layerAxis === 0 ? (i: number, l: number) => i * layerCount + l : (i: number, l: number) => l * count + i;
  // Text voxels were made here in this platform's order; hex bytes are in the file's.
  const littleEndian = encoding === "txt" || encoding === "text" || encoding === "ascii" ? LITTLE_ENDIAN : (fields.get("endian") ?? "little").toLowerCase() !== "big";
  const layers: LabelArray[] = [];
  if (littleEndian === LITTLE_ENDIAN) {
    // In this platform's byte order: typed arrays of the stored type, each layer gathered
    // from its place among the interleaved ones (the layer axis is the fastest).
    const { stored, copied } = storedView(array, data.buffer as ArrayBuffer, data.byteOffset, count * layerCount);
    const toLabels = (values: typeof stored, owned: boolean): LabelArray =>
      values instanceof Float32Array || values instanceof Float64Array ? floatLabels(values, notALabel) : integerLabels(values, owned, notALabel);
    for (let l = 0; l < layerCount; l++) {
      if (layerCount === 1) {
        layers.push(toLabels(stored, copied || inflated));
        break;
      }
      if (layerAxis !== 0) {
        layers.push(toLabels(stored.subarray(l * count, (l + 1) * count) as typeof stored, false));
        continue;
      }
      const layer = new array(count);
      for (let i = 0, j = l; i < count; i++, j += layerCount) layer[i] = stored[j]!;
      layers.push(toLabels(layer, true));
    }
  } else {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let l = 0; l < layerCount; l++) layers.push(valueLabels(count, (i) => read(view, at(i, l) * size, littleEndian), notALabel));
  }
  const segments = segmentsFrom(pairs, legacy);
  // A value the stored type cannot hold names no voxel: the file is wrong, not just empty.
  const top = { uint8: 0xff, int8: 0x7f, uint16: 0xffff, int16: 0x7fff, int32: 0x7fffffff }[type] ?? 0xffffffff;
  for (const s of segments) {
    if (s.labelValue > top) throw new FormatError("BAD_FORMAT", `Segment "${s.name}" has label value ${s.labelValue}; the file stores ${type} voxels, which hold at most ${top}.`);
  }
  return { space: xyz.reverseAxisOrder(), layers, segments };
}

/** The layer axis of a legacy 4-D space: the one whose direction is (0,0,0,1) (or none), first or last. */
function legacyLayerAxis(directions: ReadonlyArray<number[] | null>): number {
  const axes = directions.flatMap((d, i) => (d === null || (d[0] === 0 && d[1] === 0 && d[2] === 0) ? [i] : []));
  if (directions.length !== 4 || axes.length !== 1 || (axes[0] !== 0 && axes[0] !== 3)) throw new FormatError("BAD_FORMAT", "A legacy 4-D .seg.nrrd needs one segment axis, first or last, with direction (0,0,0,1).");
  return axes[0]!;
}

/**
 * The origin of voxels stored cropped to `extent` ("x0 x1 y0 y1 z0 z1" of the full grid,
 * whose origin is `origin`): moved to the extent's first voxel when the stored sizes are the
 * extent's (else left as it is).
 */
function extentOrigin(origin: number[], directions: number[][], extent: string | undefined, sizes: readonly number[]): number[] {
  const e = (extent ?? "").trim().split(/\s+/).map(Number);
  if (e.length !== 6 || e.some((v) => !Number.isInteger(v)) || [0, 1, 2].some((k) => e[2 * k + 1]! - e[2 * k]! + 1 !== sizes[k])) return origin;
  return origin.map((o, r) => o + e[0]! * directions[0]![r]! + e[2]! * directions[1]![r]! + e[4]! * directions[2]![r]!);
}

/**
 * The voxel bytes of NRRD text encodings: "ascii" (numbers separated by white space, as the
 * platform's values of the file's type) or "hex" (two hex digits a byte, in the file's order).
 * At most `declared` bytes are made, whatever the text holds.
 */
function textVoxels(text: Uint8Array, encoding: string, type: { bytes: number; array: StoredIntegerType | StoredFloatType }, declared: number): Uint8Array {
  const content = new TextDecoder("latin1").decode(text);
  if (encoding === "hex") {
    const digits = content.replace(/\s+/g, "");
    if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0) throw new FormatError("BAD_FORMAT", "The NRRD's hex data holds something other than pairs of hex digits.");
    const out = new Uint8Array(Math.min(digits.length / 2, declared));
    for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
    return out;
  }
  const values = content.trim().split(/[\s,]+/, declared / type.bytes).filter(Boolean).map(Number);
  if (values.some((v) => !Number.isFinite(v))) throw new FormatError("BAD_FORMAT", "The NRRD's ascii data holds something other than numbers.");
  const typed = new type.array(values.length);
  typed.set(values);
  return new Uint8Array(typed.buffer, 0, typed.byteLength);
}

/** Kinds of NRRD axes that are space (every other kind of a 4-D segmentation is its layers). */
const SPATIAL_KINDS: ReadonlySet<string> = new Set(["domain", "space"]);

/**
 * Which axis of a 4-D NRRD holds the layers: the one whose kind is not spatial (or, without
 * kinds, whose space direction is "none"); first or last, else BAD_FORMAT.
 */
function layerAxisOf(kinds: string | undefined, directions: string | undefined): number {
  const byKind = kinds?.trim().split(/\s+/).map((k) => !SPATIAL_KINDS.has(k.toLowerCase()));
  const byDirection = directions?.match(/\([^()]*\)|none/g)?.map((d) => d === "none");
  const flags = byKind?.length === 4 ? byKind : byDirection?.length === 4 ? byDirection : [true, false, false, false];
  const axes = flags.flatMap((f, i) => (f ? [i] : []));
  if (axes.length !== 1 || (axes[0] !== 0 && axes[0] !== 3)) {
    throw new FormatError("BAD_FORMAT", `A 4-D .seg.nrrd needs one layer axis, first or last; its kinds are "${kinds ?? "(none)"}".`);
  }
  return axes[0]!;
}

/** The header's "line skip" and "byte skip" (NRRD 5), checked against the encoding. */
function dataSkips(fields: ReadonlyMap<string, string>, encoding: string): { lines: number; bytes: number } {
  const number = (key: string): number => {
    const text = fields.get(key) ?? fields.get(key.replace(" ", ""));
    if (text === undefined) return 0;
    const n = Number(text.trim());
    if (!Number.isSafeInteger(n) || n < -1 || (n === -1 && key === "line skip")) throw new FormatError("BAD_FORMAT", `NRRD "${key}: ${text}" is not a number of ${key === "line skip" ? "lines" : "bytes"}.`);
    return n;
  };
  const lines = number("line skip");
  const bytes = number("byte skip");
  if (bytes === -1 && encoding !== "raw") throw new FormatError("BAD_FORMAT", `NRRD "byte skip: -1" is only defined for raw data, not ${encoding}.`);
  return { lines, bytes };
}

/** The layer that holds segment `s`. */
function layerOf(nrrd: SegNrrd, s: SlicerSegment): LabelArray {
  const layer = nrrd.layers[s.layer];
  if (!layer) throw new FormatError("BAD_FORMAT", `Segment "${s.name}" is in layer ${s.layer}; the file has ${nrrd.layers.length}.`);
  return layer;
}

/** One binary mask per segment (overlaps between layers kept exactly). */
export function segNrrdSegments(nrrd: SegNrrd): NamedBinaryMask[] {
  return nrrd.segments.map((s) => ({ name: s.name, data: getKernels().equals(layerOf(nrrd, s), s.labelValue, false) }));
}

/** Options of `decodeSegNrrd`. */
export interface SegNrrdReadOptions extends LimitOptions {
  /**
   * Two segments of one name (Slicer allows it; a mapping does not) are DUPLICATE_NAME
   * unless this is true, when the later ones are renamed `<name>_2`, `<name>_3`, ...
   */
  renameDuplicates?: boolean;
}

/** Segment names, checked unique (or made unique with `rename`). */
function segmentNames(segments: readonly SlicerSegment[], rename: boolean): string[] {
  return uniqueNames(segments.map((s) => s.name), rename, "Rename one in Slicer, or read both: ");
}

/**
 * The label of every (layer, value) in memory: a segment in layer l takes its value plus the
 * largest value of the layers before it, so labels are unique across layers and the value
 * comes back on the way out (`encodeSegNrrd` subtracts the same). Values no segment describes
 * are kept the same way (named `idx_<label>` by the mask).
 */
function layerOffsets(nrrd: SegNrrd): { offsets: number[]; top: number } {
  const kernels = getKernels();
  const offsets: number[] = [];
  let offset = 0;
  nrrd.layers.forEach((layer, l) => {
    offsets.push(offset);
    const described = nrrd.segments.filter((s) => s.layer === l).map((s) => s.labelValue);
    offset += Math.max(0, kernels.largest(layer), maxOf(described, 0));
  });
  // `top`: the largest label in memory, the last layer's largest plus its offset.
  return { offsets, top: offset };
}

/**
 * A `.seg.nrrd` as one SegmentationMask: names, voxels and layers as Slicer keeps them (a
 * 4-D file's layers become the mask's, so overlapping segments keep every voxel), colours and
 * terminology codes as label metadata. One layer keeps Slicer's label values; in layer l a
 * segment's label is its value plus the largest value of the layers before it.
 * BAD_FORMAT for a segment in a layer that does not exist, two segments of one value in one
 * layer, a colour outside [0, 1]; DUPLICATE_NAME for two segments of one name (see
 * `renameDuplicates`).
 * @example const { mask } = decodeSegNrrd(bytes); mask.metadata("ribs").color;
 * @example const { mask } = await decodeSegNrrd(file); // a Blob or File
 */
export function decodeSegNrrd(bytes: Uint8Array, options?: SegNrrdReadOptions): DecodedSegNrrd;
export function decodeSegNrrd(blob: Blob, options?: SegNrrdReadOptions): Promise<DecodedSegNrrd>;
/** Either: bytes give the result, a Blob a Promise of it (`await` takes both). */
export function decodeSegNrrd(input: Uint8Array | Blob, options?: SegNrrdReadOptions): DecodedSegNrrd | Promise<DecodedSegNrrd>;
export function decodeSegNrrd(input: Uint8Array | Blob, options: SegNrrdReadOptions = {}): DecodedSegNrrd | Promise<DecodedSegNrrd> {
  if (isBlob(input)) return bytesOfBlob(input).then((bytes) => decodeSegNrrd(bytes, options));
  return decodeSegNrrdBytes(input, options);
}

/** What `decodeSegNrrd` gives: the mask, and each segment as the file describes it. */
export type DecodedSegNrrd = Pick<CombinedMasks, "mask" | "overlaps"> & { segments: SlicerSegment[] };

function decodeSegNrrdBytes(bytes: Uint8Array, options: SegNrrdReadOptions): DecodedSegNrrd {
  const { renameDuplicates, ...limits } = options;
  const nrrd = readSegNrrd(bytes, limits);
  const names = segmentNames(nrrd.segments, renameDuplicates === true);
  const seen = new Set<string>();
  for (const s of nrrd.segments) {
    layerOf(nrrd, s);
    const key = `${s.layer}:${s.labelValue}`;
    if (seen.has(key)) throw new FormatError("BAD_FORMAT", `Two segments have label value ${s.labelValue} in layer ${s.layer}; each segment needs its own value in its layer.`);
    seen.add(key);
  }
  const { offsets, top } = layerOffsets(nrrd);
  // Labels are unique across layers by raising each layer's; past 32 bits they would wrap.
  if (top > 0xffffffff) throw new FormatError("BAD_FORMAT", `The .seg.nrrd's ${nrrd.layers.length} layers need labels up to ${top} to stay distinct, more than 32 bits hold; its label values are too large to read as one mask.`);
  const depth = bitDepthFor(top);
  const layers = nrrd.layers.map((layer, l) => shifted(layer, offsets[l]!, depth));
  const mapping = new LabelMapping<string>();
  const metadata: Record<string, LabelMetadata> = Object.create(null) as Record<string, LabelMetadata>; // a name may be "__proto__"
  nrrd.segments.forEach((s, i) => {
    mapping.set(names[i]!, s.labelValue + offsets[s.layer]!);
    metadata[names[i]!] = checkMetadata({ color: s.color, ...s.terminology }, names[i]!, "file");
  });
  const mask = new SegmentationMask(layers.length === 1 ? layers[0]! : layers, mapping, nrrd.space, { metadata });
  return { mask, overlaps: [], segments: nrrd.segments };
}

/** `layer`'s non-zero values raised by `offset`, in labels of `depth` bits (the layer itself when nothing changes). */
function shifted(layer: LabelArray, offset: number, depth: BitDepth): LabelArray {
  if (offset === 0 && layer.BYTES_PER_ELEMENT * 8 === depth) return layer;
  const out = new (labelArrayType(depth))(layer.length);
  for (let i = 0; i < layer.length; i++) {
    const v = layer[i]!;
    if (v !== 0) out[i] = v + offset;
  }
  return out;
}

/** A colour written to six decimals, as Slicer reads it back. */
const sixDigits = (rgb: readonly number[]): [number, number, number] => rgb.map((c) => +c.toFixed(6)) as [number, number, number];

/** Slicer's extent (x0 x1 y0 y1 z0 z1) of a (z, y, x) box; empty (x1 < x0) for none. */
function extentFrom(box: Box6 | null): SlicerSegment["extent"] {
  if (!box) return [0, -1, 0, -1, 0, -1];
  return [box[2], box[5], box[1], box[4], box[0], box[3]];
}

/** The box of the non-zero voxels of a binary mask of `space`; null when there are none. */
function boxOf(region: Uint8Array, space: Space): Box6 | null {
  const scan = scanOccupied(getKernels(), region, space.shape, true);
  const i = scan.labels.indexOf(1);
  if (i < 0) return null;
  const [z0, y0, x0, z1, y1, x1] = scan.boxes.subarray(i * 6, i * 6 + 6);
  return [z0!, y0!, x0!, z1!, y1!, x1!];
}

/** Options of `encodeSegNrrd`. */
export interface SegNrrdWriteOptions {
  /** gzip the voxels (default true), as Slicer does. */
  gzip?: boolean;
  /** Colours by name (RGB 0..1); others get distinct generated colours. */
  colors?: Readonly<Record<string, readonly [number, number, number]>>;
}

function segNrrdFile(space: Space, layers: LabelArray[], segments: SlicerSegment[], options: SegNrrdWriteOptions): Uint8Array {
  const pairs: Array<[string, string]> = [];
  segments.forEach((s, n) => {
    pairs.push(
      [`Segment${n}_Color`, s.color.join(" ")],
      [`Segment${n}_ColorAutoGenerated`, "0"],
      [`Segment${n}_Extent`, s.extent.join(" ")],
      [`Segment${n}_ID`, s.id],
      [`Segment${n}_LabelValue`, String(s.labelValue)],
      [`Segment${n}_Layer`, String(s.layer)],
      [`Segment${n}_Name`, s.name],
      [`Segment${n}_NameAutoGenerated`, "0"],
      [`Segment${n}_Tags`, `Segmentation.Status:inprogress|${s.terminology ? `${terminologyTag(s.terminology)}|` : ""}`],
    );
  });
  pairs.push(
    ["Segmentation_ContainedRepresentationNames", "Binary labelmap|"],
    ["Segmentation_ConversionParameters", ""],
    ["Segmentation_MasterRepresentation", "Binary labelmap"],
    ["Segmentation_ReferenceImageExtentOffset", "0 0 0"],
  );
  return nrrdFile(space, layers, maxOf(segments.map((s) => s.labelValue), 0), pairs, options.gzip !== false);
}

/**
 * A SegmentationMask as a 3D Slicer `.seg.nrrd`: one segment per mapped label, in the mask's
 * layers (a 4-D file, layers first, for a layered mask, as Slicer writes overlapping
 * segments), with extents, colours (`options.colors`, else the label's metadata, else
 * distinct generated ones) and terminology codes. Label values are the labels, except that a
 * layer whose labels all lie above those of the layers before it is numbered from its own
 * values again (what `decodeSegNrrd` read as a layer's values comes back as it was).
 * @example const bytes = encodeSegNrrd(seg, { colors: { liver: [0.86, 0.55, 0.39] } });
 */
export function encodeSegNrrd(seg: SegmentationMask<string>, options: SegNrrdWriteOptions = {}): Uint8Array {
  // Every label's box from one scan, not a scan per label.
  const stats = seg.labelStats();
  const boxes = new Map(stats.map((s): [number, Box6 | null] => [s.label, s.bbox && [...s.bbox.min, ...s.bbox.max]]));
  const voxels = seg[voxelLayers]();
  const layerOfLabel = new Map(stats.map((s) => [s.label, s.voxels > 0 && voxels.length > 1 ? seg.layerOf(s.label) : 0]));
  const offsets: number[] = [];
  let below = 0;
  voxels.forEach((_, l) => {
    const labels = stats.filter((s) => layerOfLabel.get(s.label) === l && s.voxels > 0).map((s) => s.label);
    offsets.push(l > 0 && labels.length > 0 && labels.every((label) => label > below) ? below : 0);
    below = Math.max(below, maxOf(labels, 0));
  });
  const segments = seg.mapping.items().map(([name, label]): SlicerSegment => {
    const meta = seg.metadata(name);
    const layer = layerOfLabel.get(label) ?? 0;
    const terminology = { ...(meta.category ? { category: meta.category } : {}), ...(meta.type ? { type: meta.type } : {}), ...(meta.modifier ? { modifier: meta.modifier } : {}) };
    return {
      id: `Segment_${label}`,
      name,
      labelValue: label - offsets[layer]!,
      layer,
      color: [...((options.colors?.[name] ?? meta.color ?? sixDigits(labelColor(label))) as [number, number, number])] as [number, number, number],
      extent: extentFrom(boxes.get(label) ?? null),
      ...(Object.keys(terminology).length > 0 ? { terminology } : {}),
    };
  });
  const depth = seg.bitDepth === 1 ? 8 : seg.bitDepth;
  return segNrrdFile(seg.space, voxels.map((layer, l) => shifted(layer, -offsets[l]!, depth)), segments, options);
}

/**
 * Binary masks (which may overlap) as a layered `.seg.nrrd`: each segment goes to the first
 * layer where it overlaps nothing, so overlaps are kept exactly, as Slicer keeps them.
 */
export function writeSegNrrdLayers(space: Space, masks: readonly NamedBinaryMask[], options: SegNrrdWriteOptions = {}): Uint8Array {
  const kernels = getKernels();
  const layers: Uint8Array[] = [];
  const segments: SlicerSegment[] = [];
  const dims = space.shape;
  const slice = dims[1] * dims[2];
  masks.forEach(({ name, data }, i) => {
    const region = data instanceof Uint8Array ? data : Uint8Array.from(data, (v) => (v ? 1 : 0));
    // Overlaps can only lie in the segment's box, and painting it touches only its slices,
    // not the whole volume per segment.
    const box = boxOf(region, space);
    let l = layers.findIndex((layer) => box === null || kernels.countOverlap(layer, region, dims, box) === 0);
    if (l < 0) {
      l = layers.length;
      layers.push(new Uint8Array(space.voxelCount));
    }
    const value = segments.filter((s) => s.layer === l).length + 1;
    if (value > 255) throw new FormatError("BAD_FORMAT", "More than 255 segments in one layer cannot be written as unsigned char.");
    if (box) {
      const slab = (a: Uint8Array) => a.subarray(box[0] * slice, (box[3] + 1) * slice);
      kernels.paint(slab(layers[l]!), slab(region), value, false);
    }
    segments.push({
      id: `Segment_${i + 1}`,
      name,
      labelValue: value,
      layer: l,
      color: (options.colors?.[name] as [number, number, number] | undefined) ?? sixDigits(labelColor(i + 1)),
      extent: extentFrom(box),
    });
  });
  if (layers.length === 0) layers.push(new Uint8Array(space.voxelCount));
  return segNrrdFile(space, layers, segments, options);
}
