// resample a mask onto another grid (SPEC section 13): the map from target indices to
// source indices is one affine (target index -> world -> source index), handed to the
// kernel, which walks each target row as a start and a step (the geometry family's resample).
import { InputError, describeValue } from "../errors.js";
import { geometryKernels } from "../kernels/geometry.js";
import type { Dims } from "../kernels/types.js";
import { SegmentationMask } from "../mask.js";
import { checkOptions } from "../options.js";
import { checkMask, sameMaskWith } from "../same-mask.js";
import { Space } from "../space.js";

/** Options of `resample`. */
export interface ResampleOptions {
  /**
   * "nearest" (default): the label of the source voxel nearest each target voxel's centre.
   * "label-linear": each label's indicator interpolated trilinearly, the largest wins (a
   * tie goes to the nearest voxel's label): smoother boundaries, no label invented.
   */
  method?: "nearest" | "label-linear";
}

/** Where to resample to: a grid, or a spacing over the same physical extent (`applySpacing`). */
export type ResampleTarget = Space | { spacing: number | readonly number[] };

/**
 * The 3x4 map (row by row) from indices of `target` to indices of `source`: source's
 * inverse affine times target's affine.
 */
export function indexMap(source: Space, target: Space): number[] {
  const start = source.worldToIndex(target.origin);
  const axes = [target.xOrientation, target.yOrientation, target.zOrientation];
  // Each target axis step, as a step in source indices (the linear part, no origin).
  const columns = axes.map((dir, k) => source.worldToIndex([0, 1, 2].map((r) => source.origin[r]! + dir[r]! * target.spacing[k]!)));
  return [0, 1, 2].flatMap((r) => [columns[0]![r]!, columns[1]![r]!, columns[2]![r]!, start[r]!]);
}

function targetSpace(seg: SegmentationMask<string>, target: unknown): Space {
  if (target instanceof Space) return target;
  if (typeof target === "object" && target !== null && "spacing" in target) {
    const s = (target as { spacing: unknown }).spacing;
    const spacing = typeof s === "number" ? [s, s, s] : s;
    if (!Array.isArray(spacing) || spacing.length !== 3 || spacing.some((v) => typeof v !== "number" || !Number.isFinite(v) || v <= 0)) {
      throw new InputError("INVALID_ARGUMENT", `resample's spacing must be a positive number of mm or three (array axes), got ${describeValue(s)}.`);
    }
    return seg.space.applySpacing(spacing as number[]);
  }
  throw new InputError("INVALID_ARGUMENT", `resample takes a target Space or { spacing }, got ${describeValue(target)}.`);
}

/**
 * A new mask on `target` (a `Space`: the CT's grid, say; or `{ spacing }`, the same extent
 * at that spacing, as `Space.applySpacing`), each target voxel taking the label at its
 * world position in `seg`. Mapping, layers and metadata are kept; target voxels outside
 * `seg`'s grid are background.
 * @example resample(seg, { spacing: 1.5 }).space.spacing; // ~[1.5, 1.5, 1.5] (the extent kept exactly)
 * @example resample(seg, ct.space, { method: "label-linear" }).shape; // ct.space.shape
 */
export function resample<N extends string>(seg: SegmentationMask<N>, target: ResampleTarget, options: ResampleOptions = {}): SegmentationMask<N> {
  checkMask(seg, "resample");
  checkOptions(options, ["method"], "resample");
  const method = options.method ?? "nearest";
  if (method !== "nearest" && method !== "label-linear") throw new InputError("INVALID_ARGUMENT", `resample's method must be "nearest" or "label-linear", got ${describeValue(method)}.`);
  const space = targetSpace(seg, target);
  const map = indexMap(seg.space, space);
  const kernels = geometryKernels();
  const layers = seg.layers.map((layer) => kernels.resample(layer, seg.shape as Dims, space.shape as Dims, map, method));
  return sameMaskWith(seg, layers, space);
}
