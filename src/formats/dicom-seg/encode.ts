import { bitDepthFor, type LabelArray } from "../../bitdepth.js";
import { InputError } from "../../errors.js";
import type { LabelMetadata } from "../../label-metadata.js";
import { SegmentationMask, voxelLayers } from "../../mask.js";
import { rgbToDicomLab } from "./cielab.js";
import { LABELMAP_SOP_CLASS, SEG_SOP_CLASS, T } from "../../dicom/tags.js";
import { instanceModules, withSourceIdentity } from "../../dicom/instance.js";
import { dicomNow, encodeDicomFile, formatDS, newUid, type DicomElements } from "../../dicom/write.js";
import { derivationItem, readSourceSeries, referencedSeries } from "../../dicom/source-images.js";

// A mask as a DICOM Segmentation (PS3.3 A.51): the Patient, General Study, General Series,
// Segmentation Series, Frame of Reference, General and Enhanced General Equipment, General
// Image, Image Pixel, Segmentation Image, Multi-frame Functional Groups, Multi-frame
// Dimension and SOP Common modules; LABELMAP follows Supplement 243.

/** Options of `encodeDicomSeg`. */
export interface DicomSegWriteOptions {
  /** BINARY (default: one bit-packed frame per segment per slice that holds it) or LABELMAP (one frame per slice). */
  type?: "BINARY" | "LABELMAP";
  /** SegmentAlgorithmType of every segment (default MANUAL); AUTOMATIC and SEMIAUTOMATIC need `algorithmName`. */
  algorithmType?: "MANUAL" | "AUTOMATIC" | "SEMIAUTOMATIC";
  algorithmName?: string;
  /** SeriesDescription (default "Segmentation"). */
  seriesDescription?: string;
  /**
   * The bytes of each source image (one series; any order): the SEG then shares their frame
   * of reference, study and patient, lists them as its referenced series, and says per frame
   * which image it was derived from. The mask must lie on their grid (SHAPE_MISMATCH).
   */
  source?: readonly Uint8Array[];
}

const OPTION_KEYS = ["type", "algorithmType", "algorithmName", "seriesDescription", "source"];

const VERSION = "0.2";

/** The generic code DICOM uses for segments nobody coded (so the file stays valid). */
const GENERIC_CATEGORY = ["SCT", "85756007", "Tissue"] as const;
const GENERIC_TYPE = ["SCT", "85756007", "Tissue"] as const;

function checkOptions(options: DicomSegWriteOptions): Required<Pick<DicomSegWriteOptions, "type" | "algorithmType">> {
  if (typeof options !== "object" || options === null) throw new InputError("INVALID_ARGUMENT", "encodeDicomSeg options must be an object.");
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.includes(k));
  if (unknown.length > 0) throw new InputError("INVALID_ARGUMENT", `encodeDicomSeg does not take ${unknown.join(", ")}; it takes ${OPTION_KEYS.join(", ")}.`);
  const type = options.type ?? "BINARY";
  if (type !== "BINARY" && type !== "LABELMAP") throw new InputError("INVALID_ARGUMENT", `type must be "BINARY" or "LABELMAP", got ${JSON.stringify(type)}.`);
  const algorithmType = options.algorithmType ?? "MANUAL";
  if (!["MANUAL", "AUTOMATIC", "SEMIAUTOMATIC"].includes(algorithmType)) throw new InputError("INVALID_ARGUMENT", `algorithmType must be MANUAL, AUTOMATIC or SEMIAUTOMATIC, got ${JSON.stringify(algorithmType)}.`);
  if (algorithmType !== "MANUAL" && !options.algorithmName) throw new InputError("INVALID_ARGUMENT", `algorithmType ${algorithmType} needs an algorithmName.`);
  return { type, algorithmType };
}

interface Segment {
  label: number;
  /** SegmentNumber: 1, 2, ... in label order (C.8.20.2.1), the label itself when labels are 1..n. */
  number: number;
  name: string;
  layer: number;
  box: readonly [number, number, number, number, number, number] | null;
  metadata: LabelMetadata;
}

const codeItem = (c: readonly [string, string, string]): DicomElements => [
  [T.CodeValue, "SH", c[1]],
  [T.CodingSchemeDesignator, "SH", c[0]],
  [T.CodeMeaning, "LO", c[2] || c[1]],
];

function segmentItem(s: Segment, options: DicomSegWriteOptions, algorithmType: string): DicomElements {
  const type: DicomElements = codeItem(s.metadata.type ?? GENERIC_TYPE);
  if (s.metadata.modifier) type.push([T.SegmentedPropertyTypeModifierCodeSequence, "SQ", [codeItem(s.metadata.modifier)]]);
  const item: DicomElements = [
    [T.SegmentNumber, "US", [s.number]],
    [T.SegmentLabel, "LO", s.name.slice(0, 64)],
    [0x00620008, "CS", algorithmType],
    [T.SegmentedPropertyCategoryCodeSequence, "SQ", [codeItem(s.metadata.category ?? GENERIC_CATEGORY)]],
    [T.SegmentedPropertyTypeCodeSequence, "SQ", [type]],
  ];
  if (algorithmType !== "MANUAL") item.push([0x00620009, "LO", options.algorithmName!.slice(0, 64)]);
  if (s.metadata.color) item.push([T.RecommendedDisplayCIELabValue, "US", rgbToDicomLab(s.metadata.color)]);
  return item;
}

/** Frames of `plane` bits each, one after the other, packed across frame boundaries (PS3.5 8.1.1). */
function concatFrames(frames: readonly Uint8Array[], plane: number): Uint8Array {
  const length = Math.ceil((frames.length * plane) / 8);
  const out = new Uint8Array(length + (length % 2));
  frames.forEach((frame, f) => {
    const start = f * plane;
    const shift = start & 7;
    let at = start >>> 3;
    if (shift === 0) {
      out.set(frame.subarray(0, Math.ceil(plane / 8)), at);
      return;
    }
    for (let i = 0; i < frame.length; i++, at++) {
      const v = frame[i]!;
      if (v === 0) continue;
      out[at]! |= (v << shift) & 0xff;
      if (at + 1 < out.length) out[at + 1]! |= v >>> (8 - shift);
    }
  });
  return out;
}

/** Packs the voxels of `label` in slice `z` of `layer`, inside the label's box, from bit `bit`; the number set. */
function packSlice(layer: LabelArray, label: number, z: number, box: readonly number[], rows: number, columns: number, out: Uint8Array, bit: number): number {
  let set = 0;
  const plane = rows * columns;
  for (let y = box[1]!; y <= box[4]!; y++) {
    const base = z * plane + y * columns;
    const rowBit = bit + y * columns;
    for (let x = box[2]!; x <= box[5]!; x++) {
      if (layer[base + x] === label) {
        const b = rowBit + x;
        out[b >>> 3]! |= 1 << (b & 7);
        set++;
      }
    }
  }
  return set;
}

/** The label volume as LABELMAP pixels: segment numbers, little endian; labels no segment names are background. */
function labelmapPixels(layer: LabelArray, segments: readonly Segment[], bits: number): Uint8Array {
  const bytes = layer.length * (bits / 8);
  const pixels = new Uint8Array(bytes + (bytes % 2));
  const same = segments.every((s) => s.label === s.number);
  if (same && bits === 8 && layer.BYTES_PER_ELEMENT === 1) {
    pixels.set(layer);
    return pixels;
  }
  const numberOf = new Map(segments.map((s) => [s.label, s.number]));
  const view = new DataView(pixels.buffer);
  let last = 0, lastNumber = 0;
  for (let i = 0; i < layer.length; i++) {
    const v = layer[i]!;
    if (v === 0) continue;
    if (v !== last) {
      last = v;
      lastNumber = numberOf.get(v) ?? 0;
    }
    if (bits === 8) pixels[i] = lastNumber;
    else view.setUint16(2 * i, lastNumber, true);
  }
  return pixels;
}

/**
 * A mask as a DICOM SEG: BINARY by default (bit-packed frames, one per segment per slice
 * that holds it, the mask's first and last slices always present so the grid keeps its
 * extent), or `{ type: "LABELMAP" }` (Supplement 243, 8 or 16 bits as the labels need; one
 * frame per slice). Segments are numbered 1, 2, ... in label order as the standard asks
 * (so the labels come back as they were when they are 1..n), named by the SegmentLabels, colours and
 * codes from the label metadata (uncoded labels get the generic Tissue category and type).
 * A new series is made each time; with `{ source }` (the bytes of the images it was made
 * from) the SEG joins their study and frame of reference and references each image, else a
 * new study and frame of reference are made too.
 * @example const bytes = encodeDicomSeg(seg); const back = decodeDicomSeg(bytes).mask;
 */
export function encodeDicomSeg(seg: SegmentationMask<string>, options: DicomSegWriteOptions = {}): Uint8Array {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", "encodeDicomSeg takes a SegmentationMask.");
  const { type, algorithmType } = checkOptions(options);
  const layers = seg[voxelLayers]();
  const stats = seg.labelStats();
  const segments: Segment[] = stats.map((s, i) => ({
    label: s.label,
    number: i + 1,
    name: s.name,
    layer: s.voxels > 0 && layers.length > 1 ? seg.layerOf(s.label) : 0,
    box: s.bbox && ([...s.bbox.min, ...s.bbox.max] as const),
    metadata: seg.metadata(s.name),
  }));
  if (segments.length === 0) throw new InputError("INVALID_ARGUMENT", "A DICOM SEG needs at least one segment; this mask names no label.");
  const top = segments.length;
  if (top > 0xffff) throw new InputError("INVALID_ARGUMENT", `DICOM segment numbers are 16-bit; this mask has ${top} labels.`);
  if (type === "LABELMAP" && layers.length > 1) throw new InputError("INVALID_ARGUMENT", `A LABELMAP SEG holds one label per voxel; this mask has ${layers.length} layers (labels that overlap). Write BINARY, or flatten() first.`);
  const space = seg.space;
  const [depth, rows, columns] = space.shape;
  const plane = rows * columns;
  const source = options.source === undefined ? null : readSourceSeries(options.source, space);
  // On a source series, a frame repeats its image's position to the digit.
  const position = (z: number) => source?.bySlice[z]!.position ?? [0, 1, 2].map((i) => formatDS(space.origin[i]! + z * space.spacing[0] * space.xOrientation[i]!)).join("\\");

  const perFrame: DicomElements[] = [];
  const frameItem = (z: number, segment: number | null): DicomElements => {
    const item: DicomElements = [
      [0x00209111, "SQ", [[[0x00209157, "UL", segment === null ? [z + 1] : [segment, z + 1]]]]],
      [T.PlanePositionSequence, "SQ", [[[T.ImagePositionPatient, "DS", position(z)]]]],
    ];
    if (segment !== null) item.push([T.SegmentIdentificationSequence, "SQ", [[[T.ReferencedSegmentNumber, "US", [segment]]]]]);
    if (source) item.push(...derivationItem(source.bySlice[z]!));
    return item;
  };
  let pixels: Uint8Array;
  let bits: number;
  if (type === "BINARY") {
    bits = 1;
    // Packed per frame, then stored in slice order (segments in order within a slice).
    const found: { z: number; number: number; bits: Uint8Array }[] = [];
    const scratch = new Uint8Array(Math.ceil(plane / 8));
    const emitted = new Set<number>();
    for (const s of segments) {
      if (!s.box) continue;
      for (let z = s.box[0]; z <= s.box[3]; z++) {
        if (packSlice(layers[s.layer]!, s.label, z, s.box, rows, columns, scratch, 0) === 0) continue;
        found.push({ z, number: s.number, bits: scratch.slice() });
        scratch.fill(0);
        emitted.add(z);
      }
    }
    // Empty frames at the first and last slices keep the grid's extent for readers that build it from the frames.
    for (const z of depth === 1 ? [0] : [0, depth - 1]) if (!emitted.has(z)) found.push({ z, number: segments[0]!.number, bits: scratch });
    found.sort((a, b) => a.z - b.z || a.number - b.number);
    for (const f of found) perFrame.push(frameItem(f.z, f.number));
    pixels = concatFrames(found.map((f) => f.bits), plane);
  } else {
    bits = bitDepthFor(top); // 8 or 16: more than 65535 segments are refused above
    pixels = labelmapPixels(layers[0]!, segments, bits);
    for (let z = 0; z < depth; z++) perFrame.push(frameItem(z, null));
  }

  const now = dicomNow();
  const sopClass = type === "LABELMAP" ? LABELMAP_SOP_CLASS : SEG_SOP_CLASS;
  const sopInstance = newUid();
  const dimensionOrganization = newUid();
  const dimension = (pointer: number, group: number, label: string): DicomElements => [
    [0x00209164, "UI", dimensionOrganization],
    [0x00209165, "AT", [pointer]],
    [0x00209167, "AT", [group]],
    [0x00209421, "LO", label],
  ];
  const dimensions =
    type === "BINARY"
      ? [dimension(T.ReferencedSegmentNumber, T.SegmentIdentificationSequence, "ReferencedSegmentNumber"), dimension(T.ImagePositionPatient, T.PlanePositionSequence, "ImagePositionPatient")]
      : [dimension(T.ImagePositionPatient, T.PlanePositionSequence, "ImagePositionPatient")];
  const orientation = [...space.zOrientation, ...space.yOrientation].map(formatDS).join("\\");
  const made: DicomElements = [
    ...instanceModules({ sopClass, sopInstance, modality: "SEG", seriesDescription: options.seriesDescription ?? "Segmentation", version: VERSION, now }),
    [0x00080008, "CS", "DERIVED\\PRIMARY"],
    [0x00080023, "DA", now.date],
    [0x00080033, "TM", now.time],
    [0x00181000, "LO", "1"],
    [0x00209221, "SQ", [[[0x00209164, "UI", dimensionOrganization]]]],
    [0x00209222, "SQ", dimensions],
    [T.SamplesPerPixel, "US", [1]],
    [0x00280004, "CS", "MONOCHROME2"],
    [T.NumberOfFrames, "IS", String(perFrame.length)],
    [T.Rows, "US", [rows]],
    [T.Columns, "US", [columns]],
    [T.BitsAllocated, "US", [bits]],
    [0x00280101, "US", [bits]],
    [0x00280102, "US", [bits - 1]],
    [0x00280103, "US", [0]],
    [0x00282110, "CS", "00"],
    [T.SegmentationType, "CS", type],
    [T.SegmentSequence, "SQ", segments.map((s) => segmentItem(s, options, algorithmType))],
    [0x00620013, "CS", layers.length > 1 ? "YES" : "NO"],
    [0x00700080, "CS", "SEGMENTATION"],
    [0x00700081, "LO", ""],
    [0x00700084, "PN", ""],
    [
      T.SharedFunctionalGroupsSequence,
      "SQ",
      [
        [
          [T.PixelMeasuresSequence, "SQ", [[[T.PixelSpacing, "DS", `${formatDS(space.spacing[1])}\\${formatDS(space.spacing[2])}`], [T.SliceThickness, "DS", formatDS(space.spacing[0])], [T.SpacingBetweenSlices, "DS", formatDS(space.spacing[0])]]]],
          [T.PlaneOrientationSequence, "SQ", [[[T.ImageOrientationPatient, "DS", orientation]]]],
        ],
      ],
    ],
    [T.PerFrameFunctionalGroupsSequence, "SQ", perFrame],
    [T.PixelData, bits === 16 ? "OW" : "OB", pixels],
  ];
  // The source's patient, study and frame of reference replace the new ones.
  const dataset: DicomElements = [...withSourceIdentity(made, source?.copied ?? []), ...(source ? referencedSeries(source) : [])];
  return encodeDicomFile(dataset, sopClass, sopInstance, VERSION);
}
