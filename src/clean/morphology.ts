// dilate, erode, open, close by a radius in millimetres, label-safe (SPEC section 14). The
// structuring element is the ellipsoid of voxel offsets within the radius through the
// spacing; a voxel is within it of a label exactly when the exact distance transform says
// so, so each label takes one transform on its box, whatever the radius.
import type { LabelArray } from "../bitdepth.js";
import { InputError, describeValue } from "../errors.js";
import { distanceKernels } from "../kernels/distance.js";
import { ellipsoidRows, morphologyKernels } from "../kernels/morphology.js";
import type { Box6, Dims } from "../kernels/types.js";
import { SegmentationMask, voxelLayers } from "../mask.js";
import { checkOptions } from "../options.js";
import { layerCopies, sameMaskWith } from "../same-mask.js";
import type { LabelStat } from "../stats.js";

/** Options of the morphology calls. */
export interface MorphologyOptions {
  /** Only these labels (default: every label, in label order). */
  names?: readonly string[];
}

/**
 * Element rows times target rows per voxel of the grown box at which one distance transform
 * costs as much as the element's rows (measured on the CT-sized organ of bench/clean.bench.mjs
 * at 5, 10, 20 and 40 mm: the rows win to about 20 mm there, the transform beyond).
 */
const ROWS_PER_VOXEL = 4;

/** One label's step; `element` is the ellipsoid's rows (`ellipsoidRows`), the same for every label of a call. */
type Step = (seg: SegmentationMask<string>, layers: LabelArray[], stat: LabelStat, radius: number, element: Int32Array) => void;

function checkRadius(radiusMm: unknown, what: string): number {
  if (!(typeof radiusMm === "number" && Number.isFinite(radiusMm) && radiusMm >= 0)) throw new InputError("INVALID_ARGUMENT", `${what} takes a radius in mm (a finite number, at least 0), got ${describeValue(radiusMm)}.`);
  return radiusMm;
}

/** `step` for each label asked, on copies of the layers; a new mask of them. */
function eachLabel(seg: SegmentationMask<string>, radiusMm: unknown, options: MorphologyOptions, what: string, step: Step): SegmentationMask<string> {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", `${what} takes a SegmentationMask.`);
  checkOptions(options, ["names"], what);
  const radius = checkRadius(radiusMm, what);
  const labels = options.names === undefined ? null : new Set(options.names.map((n) => seg.mapping.get(n)));
  const layers = layerCopies(seg);
  if (radius > 0) {
    const element = ellipsoidRows(radius, seg.space.spacing as unknown as readonly [number, number, number]);
    for (const stat of seg.labelStats()) if (stat.bbox && (!labels || labels.has(stat.label))) step(seg, layers, stat, radius, element);
  }
  return sameMaskWith(seg, layers);
}

/** Sets `label` on the background voxels of `intervals` (row, first x, end x triples), in `target`, one of `layers`. */
function claim(intervals: Uint32Array, nx: number, layers: LabelArray[], target: LabelArray, label: number): void {
  const others = layers.filter((l) => l !== target);
  for (let k = 0; k < intervals.length; k += 3) {
    const row = intervals[k]! * nx;
    for (let i = row + intervals[k + 1]!; i < row + intervals[k + 2]!; i++) {
      // Growth claims background only: never another label's voxel, in any layer.
      if (target[i] !== 0) continue;
      let free = true;
      for (const l of others) free &&= l[i] === 0;
      if (free) target[i] = label;
    }
  }
}

/** The mask's own layer that holds `label` (read, not copied). */
const sourceOf = (seg: SegmentationMask<string>, label: number): LabelArray => seg[voxelLayers]()[seg.layerOf(label)]!;

/** The label's box (inclusive) as the kernels take it. */
const boxOf = ({ bbox }: LabelStat): Box6 => [bbox!.min[0], bbox!.min[1], bbox!.min[2], bbox!.max[0], bbox!.max[1], bbox!.max[2]];

/**
 * Whether the element's rows (runs along x, assembly/morphology.ts) cost less than one
 * distance transform of the grown box (inside the grid): the rows' work grows with the radius
 * squared (rows of the grown box times rows of the element), the transform's with the box's
 * voxels. Exported for the tests, which cover both ways against scipy.
 */
export function byElementRows(seg: SegmentationMask<string>, stat: LabelStat, element: Int32Array, radius: number): boolean {
  const { min, max } = stat.bbox!;
  const grown = [0, 1, 2].map((k) => Math.min(seg.shape[k]! - 1, max[k]! + Math.floor(radius / seg.space.spacing[k]!)) - Math.max(0, min[k]! - Math.floor(radius / seg.space.spacing[k]!)) + 1);
  return grown[0]! * grown[1]! * (element.length / 3) <= ROWS_PER_VOXEL * grown[0]! * grown[1]! * grown[2]!;
}

/** Grows a label into the background within `radius` mm (the original voxels of the label decide). */
const grow: Step = (seg, layers, stat, radius, element) => {
  const target = layers[seg.layerOf(stat.label)]!;
  if (byElementRows(seg, stat, element, radius)) {
    claim(morphologyKernels().dilateRuns(sourceOf(seg, stat.label), seg.shape, stat.label, element, boxOf(stat)), seg.shape[2], layers, target, stat.label);
    return;
  }
  const { min, max } = stat.bbox!;
  const shape = seg.shape;
  // The label's box grown by the radius in voxels along each axis, inside the grid.
  const reach = seg.space.spacing.map((s) => Math.floor(radius / s));
  const lo = min.map((v, k) => Math.max(0, v - reach[k]!)), hi = max.map((v, k) => Math.min(shape[k]! - 1, v + reach[k]!));
  const box = [lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]] as unknown as Box6;
  const dims: Dims = [hi[0]! - lo[0]! + 1, hi[1]! - lo[1]! + 1, hi[2]! - lo[2]! + 1];
  const kernels = distanceKernels();
  const inside = kernels.cropLabel(sourceOf(seg, stat.label), stat.label, shape, box);
  const dist = kernels.distanceSquared(inside, dims, seg.space.spacing as unknown as readonly [number, number, number]);
  const limit = radius * radius;
  const [, ny, nx] = shape;
  for (let z = 0, j = 0; z < dims[0]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      const row = ((lo[0]! + z) * ny + lo[1]! + y) * nx + lo[2]!;
      for (let x = 0; x < dims[2]; x++, j++) {
        // Growth claims background only: never another label's voxel, in any layer.
        if (inside[j] === 0 && dist[j]! <= limit && layers.every((l) => l[row + x] === 0)) target[row + x] = stat.label;
      }
    }
  }
};

/** Takes from a label every voxel within `radius` mm of anything else (other labels and the grid's outside count as outside). */
const shrink: Step = (seg, layers, stat, radius, element) => {
  const target = layers[seg.layerOf(stat.label)]!;
  if (byElementRows(seg, stat, element, radius)) {
    const lost = morphologyKernels().erodeRuns(sourceOf(seg, stat.label), seg.shape, stat.label, element, boxOf(stat));
    for (let k = 0; k < lost.length; k += 3) target.fill(0, lost[k]! * seg.shape[2] + lost[k + 1]!, lost[k]! * seg.shape[2] + lost[k + 2]!);
    return;
  }
  const { min, max } = stat.bbox!;
  const [, ny, nx] = seg.shape;
  // The box and one voxel more each way, beyond the grid too: outside the label, so the
  // nearest outside voxel of any voxel of it lies in there.
  const dims: Dims = [max[0] - min[0] + 3, max[1] - min[1] + 3, max[2] - min[2] + 3];
  const outside = new Uint8Array(dims[0] * dims[1] * dims[2]).fill(1);
  const kernels = distanceKernels();
  const inner = kernels.cropLabel(sourceOf(seg, stat.label), stat.label, seg.shape, [min[0], min[1], min[2], max[0], max[1], max[2]] as unknown as Box6);
  const [iz, iy, ix] = [dims[0] - 2, dims[1] - 2, dims[2] - 2];
  for (let z = 0, j = 0; z < iz; z++) for (let y = 0; y < iy; y++) for (let x = 0; x < ix; x++, j++) if (inner[j]) outside[((z + 1) * dims[1] + y + 1) * dims[2] + x + 1] = 0;
  const dist = kernels.distanceSquared(outside, dims, seg.space.spacing as unknown as readonly [number, number, number]);
  const limit = radius * radius;
  for (let z = 0, j = 0; z < iz; z++) {
    for (let y = 0; y < iy; y++) {
      const row = ((min[0] + z) * ny + min[1] + y) * nx + min[2];
      for (let x = 0; x < ix; x++, j++) if (inner[j] && dist[((z + 1) * dims[1] + y + 1) * dims[2] + x + 1]! <= limit) target[row + x] = 0;
    }
  }
};

/**
 * A new mask in which each label (every one, in label order, or `names`) has grown by
 * `radiusMm` into the background: every background voxel within that distance (between voxel
 * centres, through the spacing: an ellipsoidal element in voxels) of the label takes it.
 * Label-safe: growth never claims another label's voxel; where two labels reach the same
 * background voxel, the first in label order has it.
 * @example const margin = dilate(seg, 5, { names: ["tumour"] }); // a 5 mm planning margin
 */
export function dilate(seg: SegmentationMask<string>, radiusMm: number, options: MorphologyOptions = {}): SegmentationMask<string> {
  return eachLabel(seg, radiusMm, options, "dilate", grow);
}

/**
 * A new mask in which each label (every one, or `names`) has lost every voxel within
 * `radiusMm` of something that is not it: background, another label, or the outside of the
 * grid (as scipy's `binary_erosion` with `border_value=0`).
 * @example const core = erode(seg, 2, { names: ["liver"] });
 */
export function erode(seg: SegmentationMask<string>, radiusMm: number, options: MorphologyOptions = {}): SegmentationMask<string> {
  return eachLabel(seg, radiusMm, options, "erode", shrink);
}

/** Erosion then dilation by `radiusMm` (thin bridges and specks go), label-safe as both. @example open(seg, 1.5) */
export function open(seg: SegmentationMask<string>, radiusMm: number, options: MorphologyOptions = {}): SegmentationMask<string> {
  return dilate(erode(seg, radiusMm, options), radiusMm, options);
}

/** Dilation then erosion by `radiusMm` (small gaps and dents close), label-safe as both. @example close(seg, 1.5) */
export function close(seg: SegmentationMask<string>, radiusMm: number, options: MorphologyOptions = {}): SegmentationMask<string> {
  return erode(dilate(seg, radiusMm, options), radiusMm, options);
}
