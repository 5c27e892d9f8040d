// crop and pad a mask (SPEC section 13): a box of the grid, end exclusive, copied row by
// row; what lies outside the input is background. The space follows applyBbox, so every
// voxel keeps its world position.
import { labelsLike, type LabelArray } from "../bitdepth.js";
import { InputError, LabelError, describeValue } from "../errors.js";
import { SegmentationMask } from "../mask.js";
import { checkOptions } from "../options.js";
import { checkMask, sameMaskWith } from "../same-mask.js";

/** A box in array axes: `[[start, end], [start, end], [start, end]]`, end exclusive. */
export type Bbox = readonly (readonly number[])[];

/** `crop`'s other form: the box of some labels, grown by a margin. */
export interface CropToLabels {
  /** The labels whose box to keep (default: every label of the mask). */
  names?: readonly string[];
  /** Millimetres to keep around them on each side (default 0): whole voxels, rounded up, clipped to the grid. */
  marginMm?: number;
}

/** The box `box` of `layer` (a volume of `shape`); voxels of the box outside it are 0. */
function cutBox(layer: LabelArray, shape: readonly number[], box: Bbox): LabelArray {
  const [[z0, z1], [y0, y1], [x0, x1]] = box as [[number, number], [number, number], [number, number]];
  const [nz, ny, nx] = shape as [number, number, number];
  const [oy, ox] = [y1 - y0, x1 - x0];
  const out = labelsLike(layer, (z1 - z0) * oy * ox);
  // The part of the box on the grid.
  const [zs, ze, ys, ye, xs, xe] = [Math.max(z0, 0), Math.min(z1, nz), Math.max(y0, 0), Math.min(y1, ny), Math.max(x0, 0), Math.min(x1, nx)];
  if (xs >= xe) return out;
  for (let z = zs; z < ze; z++) {
    for (let y = ys; y < ye; y++) {
      const from = (z * ny + y) * nx;
      out.set(layer.subarray(from + xs, from + xe), ((z - z0) * oy + (y - y0)) * ox + (xs - x0));
    }
  }
  return out;
}

function boxed<N extends string>(seg: SegmentationMask<N>, box: Bbox): SegmentationMask<N> {
  return sameMaskWith(seg, seg.layers.map((l) => cutBox(l, seg.shape, box)), seg.space.applyBbox(box));
}

const isPair = (r: unknown): r is [number, number] => Array.isArray(r) && r.length === 2 && r.every((v) => Number.isSafeInteger(v));

/** The box of the labels `names` (default all), grown by `marginMm`, inside the grid. */
function labelBox(seg: SegmentationMask<string>, options: CropToLabels): Bbox {
  checkOptions(options, ["names", "marginMm"], "crop");
  const margin = options.marginMm ?? 0;
  if (typeof margin !== "number" || !Number.isFinite(margin) || margin < 0) throw new InputError("INVALID_ARGUMENT", `crop's marginMm must be a number of millimetres, at least 0, got ${describeValue(margin)}.`);
  const stats = options.names === undefined ? seg.labelStats() : seg.labelStats(options.names);
  const boxes = stats.filter((s) => s.bbox).map((s) => s.bbox!);
  if (boxes.length === 0) {
    const what = options.names === undefined ? "the mask has no labelled voxels" : `${options.names.map((n) => JSON.stringify(n)).join(", ")} ${options.names.length === 1 ? "has" : "have"} no voxels`;
    throw new LabelError("EMPTY_LABEL", `crop has no box to keep: ${what}.`);
  }
  return [0, 1, 2].map((a) => {
    // Whole voxels covering at least the margin (a hair under a whole number is that number).
    const reach = Math.ceil(margin / seg.space.spacing[a]! - 1e-9);
    const lo = Math.min(...boxes.map((b) => b.min[a]!)), hi = Math.max(...boxes.map((b) => b.max[a]!));
    return [Math.max(0, lo - reach), Math.min(seg.shape[a]!, hi + 1 + reach)];
  }) as unknown as Bbox;
}

/**
 * A new mask of a box of `seg`: `bbox` (`[[start, end], x3]` in array axes, end exclusive,
 * inside the grid), or the box of labels grown by a margin, clipped to the grid. Mapping,
 * layers and metadata are kept; the space follows `applyBbox`.
 * @example crop(seg, { names: ["liver"], marginMm: 10 }).shape; // the liver's box and 10 mm around it
 * @example crop(seg, [[10, 20], [0, 64], [0, 64]]).shape; // [10, 64, 64]
 */
export function crop<N extends string>(seg: SegmentationMask<N>, bbox: Bbox | CropToLabels): SegmentationMask<N> {
  checkMask(seg, "crop");
  if (Array.isArray(bbox)) {
    const ok = bbox.length === 3 && bbox.every(isPair) && bbox.every(([s, e], a) => 0 <= s && s < e && e <= seg.shape[a]!);
    if (!ok) throw new InputError("INVALID_ARGUMENT", `crop takes a box [[start, end], x3] inside the shape ${JSON.stringify(seg.shape)} (array axes, end exclusive; pad grows a mask), got ${describeValue(bbox)}.`);
    return boxed(seg, bbox as Bbox);
  }
  if (typeof bbox !== "object" || bbox === null) throw new InputError("INVALID_ARGUMENT", `crop takes a box [[start, end], x3] or { names, marginMm }, got ${describeValue(bbox)}.`);
  return boxed(seg, labelBox(seg, bbox as CropToLabels));
}

/**
 * A new mask grown by background: `[[before, after], x3]` voxels on each side of each
 * array axis (whole numbers, at least 0). The space follows `applyBbox` of the grown box.
 * @example pad(seg, [[0, 0], [2, 2], [2, 2]]).shape; // [z, y + 4, x + 4]
 */
export function pad<N extends string>(seg: SegmentationMask<N>, padding: readonly (readonly [number, number])[]): SegmentationMask<N> {
  checkMask(seg, "pad");
  const ok = Array.isArray(padding) && padding.length === 3 && padding.every(isPair) && padding.every(([b, a]) => b >= 0 && a >= 0);
  if (!ok) throw new InputError("INVALID_ARGUMENT", `pad takes [[before, after], x3] whole numbers of voxels, at least 0, got ${describeValue(padding)}.`);
  return boxed(seg, padding.map(([b, a], k) => [-b, seg.shape[k]! + a]) as unknown as Bbox);
}
