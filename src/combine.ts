import type { BitDepth } from "./bitdepth.js";
import { GeometryError } from "./errors.js";
import type { AddLabelResult, OverlapPolicy } from "./mask.js";
import { SegmentationMask } from "./mask.js";
import type { Space } from "./space.js";

/** One binary mask with its name (e.g. a TotalSegmentator file stem). */
export interface NamedBinaryMask {
  name: string;
  data: ArrayLike<number>;
}

/** What `combineBinaryMasks` built and what overlapped on the way. */
export interface CombinedMasks {
  mask: SegmentationMask<string>;
  /** Every region voxel that already had a label when its mask was painted. */
  overlaps: Array<{ name: string; label: number; overlapped: AddLabelResult["overlapCounts"] }>;
}

/**
 * Paints binary masks into one multi-label mask, label i+1 for the i-th mask, and reports
 * every overlap (the later mask wins with "overwrite", the default, as in Python).
 * @example combineBinaryMasks(space, [{ name: "liver", data: liver }, { name: "spleen", data: spleen }])
 */
export function combineBinaryMasks(space: Space, masks: readonly NamedBinaryMask[], options: { onOverlap?: OverlapPolicy } = {}): CombinedMasks {
  const bitDepth: BitDepth = masks.length <= 0xff ? 8 : masks.length <= 0xffff ? 16 : 32;
  const mask = SegmentationMask.lazyInit(bitDepth, { space });
  const overlaps: CombinedMasks["overlaps"] = [];
  masks.forEach(({ name, data }, i) => {
    if (data.length !== space.voxelCount) {
      throw new GeometryError("SHAPE_MISMATCH", `Mask "${name}" has ${data.length} voxels; the space holds ${space.voxelCount}.`);
    }
    const result = mask.addLabel(data, i + 1, name, options);
    if (result.overlapped > 0) overlaps.push({ name, label: i + 1, overlapped: result.overlapCounts });
  });
  return { mask, overlaps };
}
