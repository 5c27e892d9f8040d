// encodeRtStruct: a mask's labels as a DICOM RT Structure Set (PS3.3 A.19: the Patient,
// General Study, RT Series, Frame of Reference, General Equipment, Structure Set, ROI Contour,
// RT ROI Observations and SOP Common modules), each label's voxels on each slice traced as closed planar contours
// by marching squares (the contours family): the contours run halfway between the centres of
// voxels in and out, so the rule decodeRtStruct and plastimatch rasterise by (a voxel is in
// when its centre is inside, even-odd) gives every voxel back; holes are contours inside
// contours. Voxels touching only at a corner are one contour.
import { InputError, describeValue } from "../../errors.js";
import { contourKernels } from "../../kernels/contours.js";
import type { LabelArray } from "../../bitdepth.js";
import { labelColor } from "../../label-colors.js";
import { SegmentationMask, voxelLayers } from "../../mask.js";
import { checkOptions } from "../../options.js";
import type { Space } from "../../space.js";
import { readSourceSeries, type SourceImage, type SourceSeries } from "../../dicom/source-images.js";
import { instanceModules, withSourceIdentity } from "../../dicom/instance.js";
import { RT_STRUCT_SOP_CLASS, T } from "../../dicom/tags.js";
import { SHORT_VALUE_BYTES, dicomNow, encodeDicomFile, newUid, type DicomElements } from "../../dicom/write.js";

/** Options of `encodeRtStruct`. */
export interface RtStructWriteOptions {
  /**
   * The bytes of each image the mask lies on (one series, any order): the structure set then
   * shares their patient, study and frame of reference and each contour names its image; the
   * mask must lie on their grid (SHAPE_MISMATCH). Without it, a new study and frame of
   * reference are made, and a planning system cannot place the contours on a CT.
   */
  source?: readonly Uint8Array[];
  /** RTROIInterpretedType by name (ORGAN, PTV, CTV, GTV, EXTERNAL, AVOIDANCE, ...); default ORGAN. */
  types?: Readonly<Record<string, string>>;
  /** ROIGenerationAlgorithm of every structure (default MANUAL). */
  algorithmType?: "MANUAL" | "AUTOMATIC" | "SEMIAUTOMATIC";
  /** StructureSetLabel (default "medmask"). */
  label?: string;
  /** SeriesDescription (default "Structure set"). */
  seriesDescription?: string;
}

const OPTION_KEYS = ["source", "types", "algorithmType", "label", "seriesDescription"];
const VERSION = "0.2";
/** The study's SOP class in RTReferencedStudySequence, as planning systems write it (Study Component Management). */
const STUDY_SOP_CLASS = "1.2.840.10008.3.1.2.3.1";
/** ROI numbers are IS values: at most 2^31 - 1. */
const MAX_ROI_NUMBER = 2 ** 31 - 1;

function checkWriteOptions(options: RtStructWriteOptions): void {
  checkOptions(options, OPTION_KEYS, "encodeRtStruct");
  const algorithm = options.algorithmType ?? "MANUAL";
  if (!["MANUAL", "AUTOMATIC", "SEMIAUTOMATIC"].includes(algorithm)) throw new InputError("INVALID_ARGUMENT", `algorithmType must be MANUAL, AUTOMATIC or SEMIAUTOMATIC, got ${describeValue(algorithm)}.`);
  const types = options.types ?? {};
  if (typeof types !== "object" || types === null) throw new InputError("INVALID_ARGUMENT", `encodeRtStruct { types } takes { name: type }, got ${describeValue(types)}.`);
  for (const [name, type] of Object.entries(types)) {
    // A CS value: upper case letters, digits, space and underscore, 16 at most.
    if (typeof type !== "string" || !/^[A-Z0-9_ ]{0,16}$/.test(type)) throw new InputError("INVALID_ARGUMENT", `The interpreted type of "${name}" must be a DICOM code string (ORGAN, PTV, ...: upper case, 16 characters at most), got ${describeValue(type)}.`);
  }
}

/**
 * How a coordinate in mm is written in ContourData: rounded to a thousandth of the smallest
 * spacing (a micrometre at 1 mm voxels and up), far below the third of a voxel between a
 * contour and the centres on either side of it.
 */
function writerOf(space: Space): (v: number) => string {
  const scale = 10 ** Math.min(6, Math.max(3, Math.ceil(3 - Math.log10(Math.min(...space.spacing)))));
  return (v) => String(Math.round(v * scale) / scale);
}

/** One label's contours: per slice, ContourSequence items. */
function labelContours(layer: LabelArray, label: number, box: readonly number[], space: Space, image: ((z: number) => SourceImage) | null): { items: DicomElements[]; longest: number } {
  const [z0, y0, x0, z1, y1, x1] = box as [number, number, number, number, number, number];
  const [, ny, nx] = space.shape, plane = ny * nx;
  const w = x1 - x0 + 3, h = y1 - y0 + 3;
  const grid = new Uint8Array(w * h);
  const kernels = contourKernels();
  const [a0, a1, a2] = [space.xOrientation, space.yOrientation, space.zOrientation];
  // A doubled grid step along the rows and the columns, in mm.
  const dj = a1.map((v) => (v * space.spacing[1]) / 2), di = a2.map((v) => (v * space.spacing[2]) / 2);
  const mm = writerOf(space);
  const items: DicomElements[] = [];
  let longest = 0;
  for (let z = z0; z <= z1; z++) {
    let any = 0;
    for (let y = y0; y <= y1; y++) {
      const row = z * plane + y * nx, out = (y - y0 + 1) * w + 1 - x0;
      for (let x = x0; x <= x1; x++) any |= grid[out + x] = layer[row + x] === label ? 1 : 0;
    }
    if (any === 0) continue;
    const { points, starts } = kernels.traceContours(grid, h, w);
    // The grid's doubled (0, 0) is voxel (x0 - 1, y0 - 1) of the slice: its place in mm.
    const origin = [0, 1, 2].map((r) => space.origin[r]! + z * space.spacing[0] * a0[r]! + (y0 - 1) * space.spacing[1] * a1[r]! + (x0 - 1) * space.spacing[2] * a2[r]!);
    for (let c = 0; c + 1 < starts.length; c++) {
      const text: string[] = [];
      for (let p = starts[c]!; p < starts[c + 1]!; p++) {
        const X = points[2 * p]!, Y = points[2 * p + 1]!;
        for (let r = 0; r < 3; r++) text.push(mm(origin[r]! + Y * dj[r]! + X * di[r]!));
      }
      const data = text.join("\\");
      longest = Math.max(longest, data.length);
      const item: DicomElements = [
        [T.ContourGeometricType, "CS", "CLOSED_PLANAR"],
        [T.NumberOfContourPoints, "IS", String(starts[c + 1]! - starts[c]!)],
        [T.ContourNumber, "IS", String(items.length + 1)],
        [T.ContourData, "DS", data],
      ];
      if (image) item.push([T.ContourImageSequence, "SQ", [imageItem(image(z))]]);
      items.push(item);
    }
  }
  return { items, longest };
}

const imageItem = (image: SourceImage): DicomElements => [
  [T.ReferencedSOPClassUID, "UI", image.sopClass],
  [T.ReferencedSOPInstanceUID, "UI", image.sopInstance],
];

/** ReferencedFrameOfReferenceSequence: the frame of reference and, with a source, its study, series and every image. */
function referencedFrame(frameOfReference: string, study: string | undefined, source: SourceSeries | null): DicomElements {
  const item: DicomElements = [[T.FrameOfReferenceUID, "UI", frameOfReference]];
  if (source && study) {
    const series: DicomElements = [[T.SeriesInstanceUID, "UI", source.seriesUid], [T.ContourImageSequence, "SQ", source.images.map(imageItem)]];
    item.push([T.RTReferencedStudySequence, "SQ", [[[T.ReferencedSOPClassUID, "UI", STUDY_SOP_CLASS], [T.ReferencedSOPInstanceUID, "UI", study], [T.RTReferencedSeriesSequence, "SQ", [series]]]]]);
  }
  return [[T.ReferencedFrameOfReferenceSequence, "SQ", [item]]];
}

/**
 * A mask as a DICOM RT Structure Set: a structure (ROI) per label (its number the label, its
 * name the label's, its colour the metadata's or medmask's colour of the label), each label's
 * voxels on each slice as closed planar contours in patient coordinates (mm), holes as
 * contours inside contours; overlapping labels (layers) are contoured each on its own. With
 * `{ source }` (the bytes of the images the mask lies on) the set joins their patient, study
 * and frame of reference and references every image, each contour its own; written in
 * explicit VR little endian, or implicit VR when a contour is too long for explicit VR's 64 KB.
 * `decodeRtStruct` of it gives every voxel back.
 * @example const rs = encodeRtStruct(seg, { source: ctSlices, types: { PTV: "PTV" } });
 */
export function encodeRtStruct(seg: SegmentationMask<string>, options: RtStructWriteOptions = {}): Uint8Array {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", `encodeRtStruct takes a SegmentationMask, got ${describeValue(seg)}.`);
  checkWriteOptions(options);
  const space = seg.space;
  const source = options.source === undefined ? null : readSourceSeries(options.source, space, "encodeRtStruct");
  const stats = seg.labelStats();
  if (stats.length === 0) throw new InputError("INVALID_ARGUMENT", "An RT Structure Set needs at least one structure; this mask names no label.");
  const tooBig = stats.find((s) => s.label > MAX_ROI_NUMBER);
  if (tooBig) throw new InputError("INVALID_ARGUMENT", `RT Structure Set ROI numbers are at most ${MAX_ROI_NUMBER}; "${tooBig.name}" is label ${tooBig.label}.`);
  const layers = seg[voxelLayers]();
  const copied = source?.copied ?? [];
  const frameOfReference = (copied.find(([t]) => t === T.FrameOfReferenceUID)?.[2] as string | undefined) ?? newUid();
  const study = (copied.find(([t]) => t === T.StudyInstanceUID)?.[2] as string | undefined) ?? newUid();
  const algorithm = options.algorithmType ?? "MANUAL";
  const roiItems: DicomElements[] = [], contourItems: DicomElements[] = [], observationItems: DicomElements[] = [];
  let longest = 0;
  for (const s of stats) {
    const layer = layers.length > 1 && s.voxels > 0 ? layers[seg.layerOf(s.label)]! : layers[0]!;
    const box = s.bbox ? [...s.bbox.min, ...s.bbox.max] : null;
    const traced = box ? labelContours(layer, s.label, box, space, source ? (z) => source.bySlice[z]! : null) : { items: [], longest: 0 };
    longest = Math.max(longest, traced.longest);
    const color = seg.metadata(s.name).color ?? labelColor(s.label);
    roiItems.push([
      [T.ROINumber, "IS", String(s.label)],
      [T.ReferencedFrameOfReferenceUID, "UI", frameOfReference],
      [T.ROIName, "LO", s.name.slice(0, 64)],
      [T.ROIGenerationAlgorithm, "CS", algorithm],
    ]);
    const contours: DicomElements = [
      [T.ROIDisplayColor, "IS", color.map((v) => String(Math.round(v * 255))).join("\\")],
      [T.ReferencedROINumber, "IS", String(s.label)],
    ];
    if (traced.items.length > 0) contours.push([T.ContourSequence, "SQ", traced.items]);
    contourItems.push(contours);
    observationItems.push([
      [T.ObservationNumber, "IS", String(s.label)],
      [T.ReferencedROINumber, "IS", String(s.label)],
      [T.RTROIInterpretedType, "CS", options.types?.[s.name] ?? "ORGAN"],
      [T.ROIInterpreter, "PN", ""],
    ]);
  }
  const now = dicomNow();
  const sopInstance = newUid();
  const made: DicomElements = [
    ...instanceModules({ sopClass: RT_STRUCT_SOP_CLASS, sopInstance, modality: "RTSTRUCT", seriesDescription: options.seriesDescription ?? "Structure set", version: VERSION, now, study, frameOfReference }),
    [0x00080012, "DA", now.date],
    [0x00080013, "TM", now.time],
    [0x00081070, "PN", ""],
    [T.StructureSetLabel, "SH", (options.label ?? "medmask").slice(0, 16)],
    [T.StructureSetDate, "DA", now.date],
    [T.StructureSetTime, "TM", now.time],
    ...referencedFrame(frameOfReference, study, source),
    [T.StructureSetROISequence, "SQ", roiItems],
    [T.ROIContourSequence, "SQ", contourItems],
    [T.RTROIObservationsSequence, "SQ", observationItems],
  ];
  // The source's patient and study replace the new ones.
  return encodeDicomFile(withSourceIdentity(made, copied), RT_STRUCT_SOP_CLASS, sopInstance, VERSION, { implicit: longest > SHORT_VALUE_BYTES });
}
