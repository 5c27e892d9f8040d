// decodeRtStruct: a DICOM RT Structure Set's closed planar contours rasterised onto the grid
// of the images they were drawn on (SPEC section 17).
//
// Rules (the notes of issue 37 hold them too):
// - A voxel is in a structure when its centre is inside the structure's contours on its slice
//   by the even-odd rule: contours inside contours are holes (Eclipse's and plastimatch's
//   convention), a centre exactly on an edge belongs to one side only.
// - A contour lies on the slice nearest its plane; every point of it must lie within a tenth
//   of the slice spacing of that slice's plane, else SHAPE_MISMATCH (contours drawn on another
//   grid). Contours beyond the first or last slice are counted in `outside`, not rasterised.
// - POINT, OPEN_PLANAR and OPEN_NONPLANAR contours are counted in `skipped`, not rasterised.
// - Structures are labelled by their ROI numbers and named by their ROI names (a name given
//   twice gets `_<number>`); structures that overlap go to layers, every voxel kept.
import { FormatError, GeometryError, InputError, describeValue } from "../../errors.js";
import { contourKernels, type ContourKernels } from "../../kernels/contours.js";
import { DEFAULT_MAX_BYTES, type LimitOptions } from "../../limits.js";
import type { LabelArray } from "../../bitdepth.js";
import type { LabelMetadata } from "../../label-metadata.js";
import { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";
import { Space } from "../../space.js";
import { bytesOfBlob, checkBytes, isBlob } from "../../sources/bytes.js";
import { parseDicom, type DicomDataset } from "../../dicom/parse.js";
import { seriesSpace } from "../../dicom/series-space.js";
import { LABELMAP_SOP_CLASS, RT_STRUCT_SOP_CLASS, SEG_SOP_CLASS, T } from "../../dicom/tags.js";

/** A contour's distance from its slice's plane, at most, as a share of the slice spacing. */
const PLANE_TOLERANCE = 0.1;

/** One structure (ROI) of the set. */
export interface RtStructRoi {
  number: number;
  /** Its name in the mask (the ROI name, `_<number>` added when another ROI has it). */
  name: string;
  /** ROIDisplayColor in 0..1, or null. */
  color: [number, number, number] | null;
  /** RTROIInterpretedType (ORGAN, PTV, CTV, EXTERNAL, ...), or null. */
  type: string | null;
  /** Closed planar contours rasterised. */
  contours: number;
  /** Contours of other kinds, not rasterised: POINT, OPEN_PLANAR, ... with their counts. */
  skipped: Record<string, number>;
  /** Closed contours beyond the grid's first or last slice. */
  outside: number;
}

/** What `decodeRtStruct` gives. */
export interface DecodedRtStruct {
  /** A label per structure (its ROI number), overlapping structures in layers. */
  mask: SegmentationMask<string>;
  rois: RtStructRoi[];
  frameOfReference: string | undefined;
}

/** Options of `decodeRtStruct`: the grid to rasterise onto. */
export interface RtStructReadOptions extends LimitOptions {
  /** The images the contours were drawn on (each file's bytes): their grid. */
  source?: readonly Uint8Array[];
  /** Or a grid given directly. */
  space?: Space;
}

const bad = (message: string) => new FormatError("BAD_FORMAT", `Not a valid RT Structure Set: ${message}`);

/**
 * Reads a DICOM RT Structure Set: every structure's closed planar contours rasterised onto the
 * grid of `source` (the images' bytes) or `space`, contours inside contours as holes; labels
 * are ROI numbers, names ROI names, colours ROI display colours, and `rois` says each one's
 * type and what was not rasterised (see the file's comment for the rules).
 * @example const { mask, rois } = decodeRtStruct(rtss, { source: ctSlices }); mask.labelStats(["Bladder"])
 */
export function decodeRtStruct(bytes: Uint8Array, options?: RtStructReadOptions): DecodedRtStruct;
export function decodeRtStruct(blob: Blob, options?: RtStructReadOptions): Promise<DecodedRtStruct>;
/** Either: bytes give the result, a Blob a Promise of it (`await` takes both). */
export function decodeRtStruct(input: Uint8Array | Blob, options?: RtStructReadOptions): DecodedRtStruct | Promise<DecodedRtStruct>;
export function decodeRtStruct(input: Uint8Array | Blob, options: RtStructReadOptions = {}): DecodedRtStruct | Promise<DecodedRtStruct> {
  if (isBlob(input)) return bytesOfBlob(input).then((bytes) => decodeRtStruct(bytes, options));
  checkBytes(input, "decodeRtStruct");
  checkOptions(options, ["source", "space", "maxBytes"], "decodeRtStruct");
  const { dataset } = parseDicom(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const sopClass = dataset.string(T.SOPClassUID);
  if (sopClass === SEG_SOP_CLASS || sopClass === LABELMAP_SOP_CLASS) throw new FormatError("BAD_FORMAT", "This DICOM file is a segmentation (DICOM SEG), not an RT Structure Set: open it with decodeDicomSeg (or loadMask).");
  if (sopClass !== RT_STRUCT_SOP_CLASS) throw new FormatError("BAD_FORMAT", `This DICOM file is not an RT Structure Set (SOP class ${sopClass ?? "missing"}); decodeRtStruct reads RT Structure Sets (${RT_STRUCT_SOP_CLASS}).`);
  const grid = gridOf(options);
  const frameOfReference = dataset.item(T.StructureSetROISequence)?.string(T.ReferencedFrameOfReferenceUID);
  if (grid.frameOfReference && frameOfReference && grid.frameOfReference !== frameOfReference) {
    throw new GeometryError("SHAPE_MISMATCH", `The structures were drawn in frame of reference ${frameOfReference}; the images given are in ${grid.frameOfReference}: give the images the structure set references.`);
  }
  const rois = roisOf(dataset);
  const space = grid.space;
  const top = Math.max(1, ...rois.map((r) => r.number));
  const [nz, ny, nx] = space.shape, plane = ny * nx;
  const make = (): LabelArray => (top <= 255 ? new Uint8Array(space.voxelCount) : top <= 65535 ? new Uint16Array(space.voxelCount) : new Uint32Array(space.voxelCount));
  // Every voxel kept, as addLabel's "layer" does: a structure goes into the first layer where
  // it overlaps nothing. Each slice is filled once into a buffer and looked at only within the
  // box of its contours, so a structure costs its own area, not the volume's.
  const layers: LabelArray[] = [make()];
  const mapping: Record<string, number> = {}, metadata: Record<string, LabelMetadata> = {};
  const kernels = contourKernels();
  const out: RtStructRoi[] = [];
  for (const roi of rois) {
    const bySlice = new Map<number, number[][]>();
    const result: RtStructRoi = { number: roi.number, name: roi.name, color: roi.color, type: roi.type, contours: 0, skipped: {}, outside: 0 };
    for (const contour of roi.contours) {
      if (contour.type !== "CLOSED_PLANAR") {
        result.skipped[contour.type] = (result.skipped[contour.type] ?? 0) + 1;
        continue;
      }
      const onSlice = sliceOf(space, contour.points, roi.name);
      if (onSlice === null) continue;
      if (onSlice.k < 0 || onSlice.k >= nz) {
        result.outside++;
        continue;
      }
      let list = bySlice.get(onSlice.k);
      if (!list) bySlice.set(onSlice.k, (list = []));
      list.push(onSlice.xy);
      result.contours++;
    }
    const slices = [...bySlice].map(([k, contours]) => filledSlice(kernels, k, contours, ny, nx));
    let layer = layers.find((l) => slices.every((f) => !overlaps(f, l, plane, nx)));
    if (!layer) layers.push((layer = make()));
    for (const f of slices) paint(f, layer, plane, nx, roi.number);
    mapping[roi.name] = roi.number;
    if (roi.color) metadata[roi.name] = { color: roi.color };
    out.push(result);
  }
  const mask = new SegmentationMask(layers.length === 1 ? layers[0]! : layers, mapping, space, { metadata });
  return { mask, rois: out, frameOfReference };
}

/** One slice of a structure: its voxels (0/1) within the box of its contours (rows y0..y1, columns x0..x1). */
interface FilledSlice {
  k: number;
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  voxels: Uint8Array;
}

/** The even-odd fill of `contours` (x, y pairs in voxels) on slice k, kept within their box. */
function filledSlice(kernels: ContourKernels, k: number, contours: number[][], ny: number, nx: number): FilledSlice {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const c of contours) {
    for (let p = 0; p < c.length; p += 2) {
      x0 = Math.min(x0, c[p]!);
      x1 = Math.max(x1, c[p]!);
      y0 = Math.min(y0, c[p + 1]!);
      y1 = Math.max(y1, c[p + 1]!);
    }
  }
  const box = { k, x0: Math.max(0, Math.ceil(x0)), x1: Math.min(nx - 1, Math.floor(x1)), y0: Math.max(0, Math.ceil(y0)), y1: Math.min(ny - 1, Math.floor(y1)) };
  const w = box.x1 - box.x0 + 1, h = box.y1 - box.y0 + 1;
  if (w <= 0 || h <= 0) return { ...box, voxels: new Uint8Array(0) };
  // The contours moved into the box: voxel centres inside it are the only ones they can hold.
  const starts = new Uint32Array(contours.length + 1);
  contours.forEach((c, i) => (starts[i + 1] = starts[i]! + c.length / 2));
  const points = new Float64Array(2 * starts[contours.length]!);
  let q = 0;
  for (const c of contours) for (let p = 0; p < c.length; p += 2) [points[q++], points[q++]] = [c[p]! - box.x0, c[p + 1]! - box.y0];
  const voxels = new Uint8Array(w * h);
  kernels.fillContours(points, starts, h, w, voxels);
  return { ...box, voxels };
}

/** Whether a filled slice meets a labelled voxel of `layer`. */
function overlaps(f: FilledSlice, layer: LabelArray, plane: number, nx: number): boolean {
  const w = f.x1 - f.x0 + 1;
  for (let y = f.y0, i = 0; y <= f.y1; y++) {
    const row = f.k * plane + y * nx + f.x0;
    for (let x = 0; x < w; x++, i++) if (f.voxels[i] !== 0 && layer[row + x] !== 0) return true;
  }
  return false;
}

/** Writes `label` over a filled slice's voxels in `layer`. */
function paint(f: FilledSlice, layer: LabelArray, plane: number, nx: number, label: number): void {
  const w = f.x1 - f.x0 + 1;
  for (let y = f.y0, i = 0; y <= f.y1; y++) {
    const row = f.k * plane + y * nx + f.x0;
    for (let x = 0; x < w; x++, i++) if (f.voxels[i] !== 0) layer[row + x] = label;
  }
}

/** The grid to rasterise onto, from `source` or `space`. */
function gridOf(options: RtStructReadOptions): { space: Space; frameOfReference: string | undefined } {
  if (options.source !== undefined && options.space !== undefined) throw new InputError("INVALID_ARGUMENT", "decodeRtStruct takes { source } or { space }, not both.");
  if (options.space !== undefined) {
    if (!(options.space instanceof Space)) throw new InputError("INVALID_ARGUMENT", `decodeRtStruct { space } takes a Space, got ${describeValue(options.space)}.`);
    return { space: options.space, frameOfReference: undefined };
  }
  if (options.source === undefined) throw new InputError("INVALID_ARGUMENT", "decodeRtStruct needs the grid to rasterise the contours onto: { source } (the bytes of the images they were drawn on) or { space }.");
  return seriesSpace(options.source);
}

interface Roi {
  number: number;
  name: string;
  color: [number, number, number] | null;
  type: string | null;
  contours: { type: string; points: number[] }[];
}

/** Every structure with its contours, in the order the set lists them. */
function roisOf(dataset: DicomDataset): Roi[] {
  const listed = dataset.items(T.StructureSetROISequence);
  if (listed.length === 0) throw bad("it lists no structure (StructureSetROISequence is empty).");
  const types = new Map<number, string>();
  for (const o of dataset.items(T.RTROIObservationsSequence)) {
    const n = o.numbers(T.ReferencedROINumber, "ReferencedROINumber")?.[0];
    const type = o.string(T.RTROIInterpretedType);
    if (n !== undefined && type) types.set(n, type);
  }
  const contoursOf = new Map<number, DicomDataset>();
  for (const c of dataset.items(T.ROIContourSequence)) {
    const n = c.numbers(T.ReferencedROINumber, "ReferencedROINumber")?.[0];
    if (n !== undefined) contoursOf.set(n, c);
  }
  const seen = new Set<string>();
  return listed.map((item, i) => {
    const number = item.numbers(T.ROINumber, "ROINumber")?.[0];
    if (number === undefined || !(number >= 1 && number < 2 ** 32)) throw bad(`structure ${i + 1} has no ROI number from 1 (ROINumber ${describeValue(number)}).`);
    let name = item.string(T.ROIName) || `roi_${number}`;
    if (seen.has(name)) name = `${name}_${number}`;
    seen.add(name);
    const item2 = contoursOf.get(number);
    const rgb = item2?.numbers(T.ROIDisplayColor, "ROIDisplayColor");
    const color = rgb?.length === 3 ? (rgb.map((v) => Math.min(1, Math.max(0, v / 255))) as [number, number, number]) : null;
    const contours = (item2?.items(T.ContourSequence) ?? []).map((c, k) => {
      const points = c.numbers(T.ContourData, "ContourData") ?? [];
      if (points.length % 3 !== 0) throw bad(`a contour of structure "${name}" (${k + 1}) has ${points.length} numbers in ContourData, not x, y, z triples.`);
      return { type: c.string(T.ContourGeometricType) || "CLOSED_PLANAR", points };
    });
    return { number, name, color, type: types.get(number) ?? null, contours };
  });
}

/** The slice a closed contour lies on and its points there (x, y in voxels), or SHAPE_MISMATCH when it lies off the slices' planes. */
function sliceOf(space: Space, points: readonly number[], name: string): { k: number; xy: number[] } | null {
  const n = points.length / 3;
  if (n < 3) return null;
  const ks: number[] = [], xy: number[] = [];
  for (let p = 0; p < n; p++) {
    const [k, j, i] = space.worldToIndex([points[3 * p]!, points[3 * p + 1]!, points[3 * p + 2]!]);
    ks.push(k);
    xy.push(i, j);
  }
  const k = Math.round(ks.reduce((a, b) => a + b, 0) / n);
  const off = Math.max(...ks.map((v) => Math.abs(v - k)));
  if (off > PLANE_TOLERANCE) {
    throw new GeometryError("SHAPE_MISMATCH", `A contour of "${name}" lies ${(off * space.spacing[0]).toFixed(2)} mm off the plane of slice ${k} (more than a tenth of the slice spacing): the contours were not drawn on this grid's slices.`);
  }
  return { k, xy };
}
