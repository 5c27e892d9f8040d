import { bitDepthFor, labelArrayType, type LabelArray } from "../../bitdepth.js";
import { FormatError } from "../../errors.js";
import { bytesOfBlob, checkBytes, isBlob } from "../../sources/bytes.js";
import { inflateExactly } from "../../codecs/deflate.js";
import { checkMetadata, type Code, type LabelMetadata } from "../../label-metadata.js";
import { checkFits, maxBytesOf, type LimitOptions } from "../../limits.js";
import { LabelMapping } from "../../mapping.js";
import { SegmentationMask } from "../../mask.js";
import { Space } from "../../space.js";
import { dicomLabToRgb } from "./cielab.js";
import { decodeRleFrame } from "../../dicom/rle.js";
import { TRANSFER_SYNTAXES, parseDicom, type DicomDataset } from "../../dicom/parse.js";
import { LABELMAP_SOP_CLASS, RT_STRUCT_SOP_CLASS, SEG_SOP_CLASS, T } from "../../dicom/tags.js";
import { getKernels } from "../../kernels/index.js";
import { uniqueNames } from "../segment-names.js";
import { maxOf } from "../../numbers.js";

// DICOM Segmentation objects (PS3.3 A.51, C.8.20) read into a mask: every frame is put at
// the slice its ImagePositionPatient lies on (frames in any order, empty slices left out,
// the grid from the positions themselves), in the frame's geometry from the shared or
// per-frame functional groups (LPS, as DICOM and medmask both use).

/** One segment of a SEG as the file describes it. */
export interface DicomSegment {
  /** SegmentNumber: the label it has in the mask. */
  number: number;
  /** The mask's name for it (SegmentLabel, or `segment_<number>` when it has none). */
  name: string;
  /** The layer of the mask that holds it (segments that overlap go to further layers). */
  layer: number;
  /** The label's metadata: colour (from RecommendedDisplayCIELabValue) and codes. */
  metadata: LabelMetadata;
}

/** What `decodeDicomSeg` returns. */
export interface DecodedDicomSeg {
  mask: SegmentationMask<string>;
  segments: DicomSegment[];
  /** BINARY, FRACTIONAL or LABELMAP, as the file says. */
  segmentationType: "BINARY" | "FRACTIONAL" | "LABELMAP";
  /** The file's transfer syntax UID. */
  transferSyntax: string;
  /** The file's FrameOfReferenceUID, where it has one. */
  frameOfReference?: string;
}

/** Options of `decodeDicomSeg`. */
export interface DicomSegReadOptions extends LimitOptions {
  /** Give segments that share a label distinct names (`name_2`, ...) instead of DUPLICATE_NAME. */
  renameDuplicates?: boolean;
}

/** DICOM objects people open by mistake for a segmentation, by SOP class: what to call them. */
const OTHER_SOP_CLASSES: Record<string, string> = {
  [RT_STRUCT_SOP_CLASS]: "an RT Structure Set (contours)",
  "1.2.840.10008.5.1.4.1.1.481.2": "an RT Dose",
  "1.2.840.10008.5.1.4.1.1.481.5": "an RT Plan",
  "1.2.840.10008.5.1.4.1.1.2": "a CT image",
  "1.2.840.10008.5.1.4.1.1.2.1": "an enhanced CT image",
  "1.2.840.10008.5.1.4.1.1.4": "an MR image",
  "1.2.840.10008.5.1.4.1.1.4.1": "an enhanced MR image",
  "1.2.840.10008.5.1.4.1.1.128": "a PET image",
};

const bad = (message: string) => new FormatError("BAD_FORMAT", `Not a valid DICOM SEG: ${message}`);

/** Distance within which two frame positions are the same slice, and a position lies on the grid (mm). */
const POSITION_TOLERANCE = 1e-3;

/**
 * Reads a DICOM SEG (BINARY, FRACTIONAL read as binary at half of MaximumFractionalValue,
 * or LABELMAP) into a mask whose labels are the segment numbers, named by SegmentLabel,
 * with colours and codes as label metadata; overlapping segments go to layers.
 * @example const { mask, segments } = decodeDicomSeg(bytes); mask.labelStats("liver")
 * @example const { mask } = await decodeDicomSeg(file); // a Blob or File
 */
export function decodeDicomSeg(bytes: Uint8Array, options?: DicomSegReadOptions): DecodedDicomSeg;
export function decodeDicomSeg(blob: Blob, options?: DicomSegReadOptions): Promise<DecodedDicomSeg>;
/** Either: bytes give the result, a Blob a Promise of it (`await` takes both). */
export function decodeDicomSeg(input: Uint8Array | Blob, options?: DicomSegReadOptions): DecodedDicomSeg | Promise<DecodedDicomSeg>;
export function decodeDicomSeg(input: Uint8Array | Blob, options: DicomSegReadOptions = {}): DecodedDicomSeg | Promise<DecodedDicomSeg> {
  if (isBlob(input)) return bytesOfBlob(input).then((bytes) => decodeDicomSeg(bytes, options));
  return decodeDicomSegBytes(input, options);
}

function decodeDicomSegBytes(bytes: Uint8Array, options: DicomSegReadOptions): DecodedDicomSeg {
  checkBytes(bytes, "decodeDicomSeg");
  const maxBytes = maxBytesOf(options);
  const { dataset: ds, transferSyntax } = parseDicom(bytes, maxBytes);
  const sopClass = ds.string(T.SOPClassUID);
  if (sopClass !== SEG_SOP_CLASS && sopClass !== LABELMAP_SOP_CLASS) {
    const what = OTHER_SOP_CLASSES[sopClass ?? ""];
    if (what) throw new FormatError("BAD_FORMAT", `This DICOM file is ${what} (SOP class ${sopClass}), not a segmentation (DICOM SEG); ${what.startsWith("an RT Structure Set") ? "open it with decodeRtStruct (or loadRtStruct) and the images it was drawn on ({ source }) or a { space }" : "medmask reads DICOM SEG"}.`);
    throw bad(`its SOP class is ${sopClass ?? "missing"}, not Segmentation Storage (${SEG_SOP_CLASS}) or Label Map Segmentation Storage (${LABELMAP_SOP_CLASS}).`);
  }
  const type = ds.string(T.SegmentationType);
  if (type !== "BINARY" && type !== "FRACTIONAL" && type !== "LABELMAP") throw bad(`SegmentationType is ${JSON.stringify(type)}; it must be BINARY, FRACTIONAL or LABELMAP.`);
  const rows = required(ds.uint16(T.Rows), "Rows");
  const columns = required(ds.uint16(T.Columns), "Columns");
  const frames = ds.numbers(T.NumberOfFrames, "NumberOfFrames")?.[0] ?? 1;
  if (!Number.isInteger(frames) || frames < 1 || rows < 1 || columns < 1) throw bad(`it declares ${frames} frames of ${rows} x ${columns}.`);
  const bits = required(ds.uint16(T.BitsAllocated), "BitsAllocated");
  const expectedBits = type === "BINARY" ? [1] : type === "FRACTIONAL" ? [8] : [8, 16];
  if (!expectedBits.includes(bits)) throw bad(`a ${type} SEG has BitsAllocated ${expectedBits.join(" or ")}, this one ${bits}.`);
  const pixels = frameReader(ds, transferSyntax, frames, rows * columns, bits);

  const segments = readSegments(ds, type, options.renameDuplicates === true);
  const byNumber = new Map(segments.map((s) => [s.number, s]));
  const perFrame = ds.items(T.PerFrameFunctionalGroupsSequence);
  if (perFrame.length !== frames) throw bad(`it declares ${frames} frames but its PerFrameFunctionalGroupsSequence has ${perFrame.length} items.`);
  const shared = ds.item(T.SharedFunctionalGroupsSequence);
  const geometry = frameGeometry(shared, perFrame, rows, columns);
  const voxels = geometry.space.voxelCount;
  const top = maxOf(segments.map((s) => s.number), 0);
  const depth = bitDepthFor(top);
  const Labels = labelArrayType(depth);
  checkFits(voxels * Labels.BYTES_PER_ELEMENT, maxBytes, "The SEG's label volume");
  const plane = rows * columns;
  const layers: LabelArray[] = [new Labels(voxels)];

  if (type === "LABELMAP") {
    const padding = ds.integer(T.PixelPaddingValue);
    const layer = layers[0]!;
    for (let f = 0; f < frames; f++) {
      const values = pixels.values(f);
      const base = geometry.slice[f]! * plane;
      for (let i = 0; i < plane; i++) {
        const v = values[i]!;
        if (v === 0 || v === padding) continue;
        if (!byNumber.has(v)) throw bad(`frame ${f + 1} holds the value ${v}, a segment number no segment declares.`);
        layer[base + i] = v;
      }
    }
  } else {
    const threshold = type === "FRACTIONAL" ? fractionalThreshold(ds) : 1;
    // Frames of one segment together: a segment that meets another in its layer moves, whole, to the next.
    const order = perFrame.map((item, f) => ({ f, segment: referencedSegment(item, shared, f, byNumber) }));
    order.sort((a, b) => a.segment - b.segment || a.f - b.f);
    let i = 0;
    while (i < order.length) {
      let j = i;
      while (j < order.length && order[j]!.segment === order[i]!.segment) j++;
      const group = order.slice(i, j);
      const segment = byNumber.get(group[0]!.segment)!;
      for (let l = 0; ; l++) {
        if (l === layers.length) {
          // Every layer counts against the limit: overlapping segments make one each.
          checkFits((l + 1) * voxels * Labels.BYTES_PER_ELEMENT, maxBytes, `The SEG's ${l + 1} label layers (its segments overlap)`);
          layers.push(new Labels(voxels));
        }
        if (paintSegment(layers[l]!, group, segment.number, pixels, threshold, geometry.slice, plane)) {
          segment.layer = l;
          break;
        }
      }
      i = j;
    }
  }
  const mapping = new LabelMapping<string>();
  const metadata: Record<string, LabelMetadata> = Object.create(null) as Record<string, LabelMetadata>; // a name may be "__proto__"
  for (const s of segments) {
    if (s.number === 0) continue;
    mapping.set(s.name, s.number);
    if (Object.keys(s.metadata).length > 0) metadata[s.name] = s.metadata;
  }
  const mask = new SegmentationMask(layers.length === 1 ? layers[0]! : layers, mapping, geometry.space, { metadata });
  const frameOfReference = ds.string(T.FrameOfReferenceUID);
  return { mask, segments: segments.filter((s) => s.number !== 0), segmentationType: type, transferSyntax, ...(frameOfReference ? { frameOfReference } : {}) };
}

function required(value: number | undefined, name: string): number {
  if (value === undefined) throw bad(`it has no ${name}.`);
  return value;
}

/**
 * Paints `label` where the segment's frames are set, into `layer`, unless a voxel there
 * already holds another label: then the segment's voxels written so far are cleared and
 * false says to try the next layer.
 */
function paintSegment(layer: LabelArray, group: readonly { f: number }[], label: number, pixels: FrameReader, threshold: number, slice: readonly number[], plane: number): boolean {
  for (let g = 0; g < group.length; g++) {
    const f = group[g]!.f;
    const base = slice[f]! * plane;
    if (!pixels.eachRuns(f, threshold, (runs) => paintRuns(runs, layer, base, label))) {
      for (let h = 0; h <= g; h++) {
        const b = slice[group[h]!.f]! * plane;
        for (let i = b; i < b + plane; i++) if (layer[i] === label) layer[i] = 0;
      }
      return false;
    }
  }
  return true;
}

function fractionalThreshold(ds: DicomDataset): number {
  const max = ds.uint16(T.MaximumFractionalValue);
  if (max === undefined || max < 1 || max > 255) throw bad(`a FRACTIONAL SEG needs MaximumFractionalValue in 1..255, this one has ${max ?? "none"}.`);
  // Binary at half the maximum: a voxel is in the segment when its fraction is >= 0.5.
  return Math.ceil(max / 2);
}

function readSegments(ds: DicomDataset, type: string, rename: boolean): DicomSegment[] {
  const items = ds.items(T.SegmentSequence);
  if (items.length === 0) throw bad("its SegmentSequence is empty or missing.");
  const seenNumbers = new Set<number>();
  const read = items.map((item) => {
    const number = item.uint16(T.SegmentNumber);
    if (number === undefined) throw bad("a segment has no SegmentNumber.");
    if (number === 0 && type !== "LABELMAP") throw bad("segment number 0 is only for a LABELMAP's background.");
    if (seenNumbers.has(number)) throw bad(`two segments have the number ${number}.`);
    seenNumbers.add(number);
    const given = item.string(T.SegmentLabel) ?? "";
    return { item, number, base: given === "" ? `segment_${number}` : given };
  });
  // A LABELMAP's Background segment (number 0) is no label: its name clashes with none.
  const labelled = read.filter((r) => r.number !== 0);
  const unique = uniqueNames(labelled.map((r) => r.base), rename, "");
  const names = new Map(labelled.map((r, i) => [r, unique[i]!]));
  return read.map((r) => {
    const name = names.get(r) ?? r.base;
    return { number: r.number, name, layer: 0, metadata: segmentMetadata(r.item, name) };
  });
}

function segmentMetadata(item: DicomDataset, name: string): LabelMetadata {
  const record: Record<string, unknown> = {};
  const lab = item.bytes(T.RecommendedDisplayCIELabValue);
  if (lab !== undefined && lab.length >= 6) {
    const v = new DataView(lab.buffer, lab.byteOffset, 6);
    const le = item.littleEndian;
    record.color = dicomLabToRgb([v.getUint16(0, le), v.getUint16(2, le), v.getUint16(4, le)]);
  }
  const category = code(item.item(T.SegmentedPropertyCategoryCodeSequence));
  const typeItem = item.item(T.SegmentedPropertyTypeCodeSequence);
  const type = code(typeItem);
  const modifier = code(typeItem?.item(T.SegmentedPropertyTypeModifierCodeSequence));
  if (category) record.category = category;
  if (type) record.type = type;
  if (modifier) record.modifier = modifier;
  return checkMetadata(record, name, "file");
}

function code(item: DicomDataset | undefined): Code | undefined {
  if (!item) return undefined;
  const value = item.string(T.CodeValue) ?? item.string(T.LongCodeValue);
  const scheme = item.string(T.CodingSchemeDesignator);
  if (!value || !scheme) return undefined;
  return [scheme, value, item.string(T.CodeMeaning) ?? ""];
}

/** The segment a BINARY / FRACTIONAL frame belongs to (per-frame, or shared when every frame is one segment). */
function referencedSegment(item: DicomDataset, shared: DicomDataset | undefined, f: number, byNumber: ReadonlyMap<number, DicomSegment>): number {
  const id = item.item(T.SegmentIdentificationSequence) ?? shared?.item(T.SegmentIdentificationSequence);
  const n = id?.uint16(T.ReferencedSegmentNumber);
  if (n === undefined) throw bad(`frame ${f + 1} has no ReferencedSegmentNumber.`);
  if (!byNumber.has(n)) throw bad(`frame ${f + 1} refers to segment ${n}, which no segment declares.`);
  return n;
}

interface Geometry {
  space: Space;
  /** The slice index of every frame. */
  slice: number[];
}

const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/**
 * The mask's space and every frame's slice (a SEG without positions or orientations, of
 * projection images, is one plane of its pixel spacing): slices are the distinct positions along the
 * plane normal, in increasing order; the spacing is their smallest step, and every other
 * step must be a whole number of it (missing slices are empty) on the same line.
 */
function frameGeometry(shared: DicomDataset | undefined, perFrame: readonly DicomDataset[], rows: number, columns: number): Geometry {
  let orientation: number[] | undefined;
  let spacing: number[] | undefined;
  let between: number | undefined;
  const positions: number[][] = [];
  // A frame's functional group, else the shared one (read once here, not once per frame).
  const sharedOrientation = shared?.item(T.PlaneOrientationSequence)?.numbers(T.ImageOrientationPatient, "ImageOrientationPatient");
  const sharedMeasures = shared?.item(T.PixelMeasuresSequence);
  const sharedPosition = shared?.item(T.PlanePositionSequence)?.numbers(T.ImagePositionPatient, "ImagePositionPatient");
  // Position and orientation are required only with a frame of reference: a SEG of projection
  // images (mammography, a chest X-ray) has neither, and is one plane.
  if (!sharedOrientation && !sharedPosition && perFrame.every((item) => !item.item(T.PlaneOrientationSequence) && !item.item(T.PlanePositionSequence))) {
    const measures = sharedMeasures ?? perFrame[0]?.item(T.PixelMeasuresSequence);
    const s = measures?.numbers(T.PixelSpacing, "PixelSpacing");
    const pixel = s && s.length === 2 && s.every((v) => v > 0) ? s : [1, 1];
    return { space: new Space({ shape: [1, rows, columns], spacing: [1, pixel[0]!, pixel[1]!] }), slice: perFrame.map(() => 0) };
  }
  perFrame.forEach((item, f) => {
    const o = item.item(T.PlaneOrientationSequence)?.numbers(T.ImageOrientationPatient, "ImageOrientationPatient") ?? sharedOrientation;
    if (!o || o.length !== 6) throw bad(`frame ${f + 1} has no ImageOrientationPatient of 6 numbers.`);
    if (!orientation) orientation = o;
    else if (o.some((v, i) => Math.abs(v - orientation![i]!) > 1e-4)) throw bad(`frame ${f + 1}'s orientation ${o.join("\\")} differs from frame 1's ${orientation.join("\\")}; a mask has one orientation.`);
    const measures = item.item(T.PixelMeasuresSequence) ?? sharedMeasures;
    const s = measures?.numbers(T.PixelSpacing, "PixelSpacing");
    if (!s || s.length !== 2 || s.some((v) => !(v > 0))) throw bad(`frame ${f + 1} has no PixelSpacing of 2 positive numbers.`);
    if (!spacing) spacing = s;
    else if (s.some((v, i) => Math.abs(v - spacing![i]!) > 1e-4)) throw bad(`frame ${f + 1}'s PixelSpacing differs from frame 1's.`);
    between ??= measures?.numbers(T.SpacingBetweenSlices, "SpacingBetweenSlices")?.[0] ?? measures?.numbers(T.SliceThickness, "SliceThickness")?.[0];
    const p = item.item(T.PlanePositionSequence)?.numbers(T.ImagePositionPatient, "ImagePositionPatient") ?? sharedPosition;
    if (!p || p.length !== 3) throw bad(`frame ${f + 1} has no ImagePositionPatient of 3 numbers.`);
    positions.push(p);
  });
  const row = orientation!.slice(0, 3), col = orientation!.slice(3, 6);
  const normal = [row[1]! * col[2]! - row[2]! * col[1]!, row[2]! * col[0]! - row[0]! * col[2]!, row[0]! * col[1]! - row[1]! * col[0]!];
  // Axis 0 runs the way the frames are stored (the first two at different positions): files
  // in slice order, as medmask writes them, come back with the axis they were written with.
  let sign = 1;
  const d0 = dot(positions[0]!, normal);
  for (const p of positions) {
    const d = dot(p, normal) - d0;
    if (Math.abs(d) > POSITION_TOLERANCE) {
      sign = d < 0 ? -1 : 1;
      break;
    }
  }
  const axis = normal.map((v) => v * sign);
  const depths = positions.map((p) => dot(p, axis));
  const sorted = [...depths].sort((a, b) => a - b);
  const distinct = sorted.filter((d, i) => i === 0 || d - sorted[i - 1]! > POSITION_TOLERANCE);
  const first = positions[depths.indexOf(sorted[0]!)]!;
  let step = between !== undefined && between > 0 ? between : 1;
  if (distinct.length > 1) {
    let smallest = Infinity;
    for (let i = 1; i < distinct.length; i++) smallest = Math.min(smallest, distinct[i]! - distinct[i - 1]!);
    // The whole span over the number of steps in it: the step to the precision of the positions.
    // SpacingBetweenSlices (or SliceThickness) is the step when the positions agree, so
    // slices left out between two frames are not mistaken for a wider step.
    const span = distinct[distinct.length - 1]! - distinct[0]!;
    const onGrid = (d: number, unit: number) => Math.abs(d / unit - Math.round(d / unit)) * unit <= POSITION_TOLERANCE * 10;
    const unit = between !== undefined && between > 0 && between <= smallest * (1 + 1e-6) && distinct.every((d) => onGrid(d - distinct[0]!, between!)) ? between : smallest;
    step = span / Math.round(span / unit);
  }
  const sliceOf = (d: number) => {
    const k = (d - distinct[0]!) / step;
    const r = Math.round(k);
    if (Math.abs(k - r) * step > Math.max(POSITION_TOLERANCE * 10, step * 1e-3)) throw bad(`the frame positions do not form a grid: a slice lies ${(k * step).toFixed(4)} mm from the first, not a multiple of the ${step.toFixed(4)} mm step.`);
    return r;
  };
  const slice = depths.map(sliceOf);
  positions.forEach((p, f) => {
    const offset = [p[0]! - first[0]!, p[1]! - first[1]!, p[2]! - first[2]!];
    if (Math.abs(dot(offset, row)) > 1e-2 || Math.abs(dot(offset, col)) > 1e-2) throw bad(`frame ${f + 1}'s position is off the line through frame positions along the plane normal; the frames do not form a grid.`);
  });
  const depth = maxOf(slice, 0) + 1;
  if (depth > 1 << 16) throw bad(`its frames span ${depth} slices of ${step} mm; the positions do not form a plausible grid.`);
  return {
    space: new Space({ shape: [depth, rows, columns], spacing: [step, spacing![0]!, spacing![1]!], origin: first, xOrientation: axis, yOrientation: col, zOrientation: row }),
    slice,
  };
}

/**
 * Paints `label` over `runs` ([begin, end) pairs, from `Kernels.bitRuns`) at `out[base + i]`.
 * False, with the frame partly painted, where a voxel holds another label.
 */
function paintRuns(runs: Int32Array, out: LabelArray, base: number, label: number): boolean {
  for (let r = 0; r < runs.length; r += 2) {
    for (let i = base + runs[r]!, end = base + runs[r + 1]!; i < end; i++) {
      const old = out[i]!;
      if (old !== 0 && old !== label) return false;
      out[i] = label;
    }
  }
  return true;
}

/**
 * Pixels per piece a frame's runs are found and painted in: a frame of alternating pixels has
 * a run edge per pixel, and its runs whole would take four bytes per pixel of the frame.
 */
const RUN_PIECE = 1 << 20;

/** Visits runs of a frame (relative to it); false from `visit` stops the walk. */
type RunVisitor = (runs: Int32Array) => boolean;

interface FrameReader {
  /**
   * Calls `visit` with the pixels of frame `f` that are set (BINARY: `Kernels.bitRuns` over
   * its packed bits) or at least `threshold` (FRACTIONAL), as [begin, end) runs, a piece of
   * at most RUN_PIECE pixels at a time; false when `visit` said so.
   */
  eachRuns(f: number, threshold: number, visit: RunVisitor): boolean;
  /** Frame `f` as one value per pixel (LABELMAP, FRACTIONAL); BAD_FORMAT for 1-bit frames. */
  values(f: number): Uint8Array | Uint16Array;
}

/** The runs of the set bits of `plane` pixels from bit `start` of `packed`, piece by piece. */
function bitRunPieces(packed: Uint8Array, start: number, plane: number, visit: RunVisitor): boolean {
  for (let at = 0; at < plane; at += RUN_PIECE) {
    const runs = getKernels().bitRuns(packed, start + at, Math.min(RUN_PIECE, plane - at));
    if (at > 0) for (let r = 0; r < runs.length; r++) runs[r]! += at;
    if (!visit(runs)) return false;
  }
  return true;
}

/** The runs of pixels at least `threshold` in one frame of values, piece by piece. */
function valueRunPieces(values: Uint8Array | Uint16Array, threshold: number, visit: RunVisitor): boolean {
  const scratch = new Int32Array(Math.min(RUN_PIECE, values.length) + 1);
  for (let at = 0; at < values.length; at += RUN_PIECE) {
    const end = Math.min(values.length, at + RUN_PIECE);
    let n = 0;
    let inside = false;
    for (let i = at; i < end; i++) {
      if (values[i]! >= threshold !== inside) {
        scratch[n++] = i;
        inside = !inside;
      }
    }
    if (inside) scratch[n++] = end;
    if (!visit(scratch.subarray(0, n))) return false;
  }
  return true;
}

const noValues = (): never => {
  throw bad("a BINARY SEG has no label values (1-bit frames).");
};

/** Access to the frames of the pixel data, checked against the declared frame count first. */
function frameReader(ds: DicomDataset, syntax: string, frames: number, plane: number, bits: number): FrameReader {
  if (!ds.has(T.PixelData)) throw bad("it has no PixelData.");
  let frame: (f: number) => Uint8Array;
  let bitFrames = false;
  if (syntax === TRANSFER_SYNTAXES.rle || syntax === TRANSFER_SYNTAXES.deflatedFrames) {
    // Encapsulated: one fragment per frame, each frame's bits start at its first byte.
    const fragments = ds.fragments(T.PixelData);
    const what = syntax === TRANSFER_SYNTAXES.rle ? "RLE" : "deflated";
    if (fragments.length !== frames) throw bad(`it declares ${frames} frames but its ${what} pixel data holds ${fragments.length} fragments.`);
    const frameBytes = bits === 1 ? Math.ceil(plane / 8) : plane * (bits / 8);
    frame =
      syntax === TRANSFER_SYNTAXES.rle
        ? (f) => decodeRleFrame(fragments[f]!, frameBytes, bits === 1 ? 8 : bits)
        : (f) => {
            try {
              return inflateExactly(fragments[f]!, frameBytes);
            } catch (e) {
              throw bad(`frame ${f + 1} does not inflate to its ${frameBytes} bytes (${(e as Error).message}).`);
            }
          };
    bitFrames = bits === 1;
  } else {
    let data = ds.bytes(T.PixelData)!;
    const need = bits === 1 ? Math.ceil((frames * plane) / 8) : frames * plane * (bits / 8);
    if (data.length < need) throw bad(`it declares ${frames} frames of ${plane} pixels (${need} bytes) but its PixelData holds ${data.length} bytes.`);
    // Big endian OW: the bytes of every 16-bit word are swapped (PS3.5 8.1.1), bits included.
    if (!ds.littleEndian && (bits === 16 || ds.vr(T.PixelData) === "OW")) data = swapPairs(data);
    // Frames packed one after the other, across byte boundaries.
    if (bits === 1) return { eachRuns: (f, _, visit) => bitRunPieces(data, f * plane, plane, visit), values: noValues };
    frame = (f) => data.subarray(f * plane * (bits / 8), (f + 1) * plane * (bits / 8));
  }
  if (bitFrames) return { eachRuns: (f, _, visit) => bitRunPieces(frame(f), 0, plane, visit), values: noValues };
  const values = (f: number): Uint8Array | Uint16Array => {
    const b = frame(f);
    if (bits === 8) return b;
    const out = new Uint16Array(plane);
    for (let i = 0; i < plane; i++) out[i] = b[2 * i]! | (b[2 * i + 1]! << 8);
    return out;
  };
  return { values, eachRuns: (f, threshold, visit) => valueRunPieces(values(f), threshold, visit) };
}

function swapPairs(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i + 1 < data.length; i += 2) {
    out[i] = data[i + 1]!;
    out[i + 1] = data[i]!;
  }
  return out;
}
