import type { BitDepth } from "./bitdepth.js";
import { checkOptions } from "./options.js";
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

/** Options of `combiner` and `combineBinaryMasks`. */
export interface CombineOptions {
  /** What an overlap does (see `addLabel`); the later mask wins by default. */
  onOverlap?: OverlapPolicy;
  /** Build the mask resident (see `SegmentationMask.lazyInit`): every mask is painted in place. */
  resident?: boolean;
}

const COMBINE_OPTIONS = ["onOverlap", "resident"] as const;

/**
 * Builds one multi-label mask from binary masks given one at a time (so a caller can read
 * them one by one and keep a single input in memory): label i+1 for the i-th mask, every
 * overlap recorded.
 */
export function combiner(space: Space, count: number, options: CombineOptions = {}): { add(mask: NamedBinaryMask): void; result(): CombinedMasks } {
  checkOptions(options, COMBINE_OPTIONS, "combiner");
  const bitDepth: BitDepth = count <= 0xff ? 8 : count <= 0xffff ? 16 : 32;
  const mask = SegmentationMask.lazyInit(bitDepth, { space, resident: options.resident });
  const overlaps: CombinedMasks["overlaps"] = [];
  let next = 1;
  return {
    add({ name, data }) {
      if (data.length !== space.voxelCount) {
        throw new GeometryError("SHAPE_MISMATCH", `Mask "${name}" has ${data.length} voxels; the space holds ${space.voxelCount}.`);
      }
      const label = next++;
      const result = mask.addLabel(data, label, name, { onOverlap: options.onOverlap });
      if (result.overlapped > 0) overlaps.push({ name, label, overlapped: result.overlapCounts });
    },
    result: () => ({ mask, overlaps }),
  };
}

/**
 * Paints binary masks into one multi-label mask, label i+1 for the i-th mask, and reports
 * every overlap (the later mask wins with "overwrite", the default, as in Python).
 * @example combineBinaryMasks(space, [{ name: "liver", data: liver }, { name: "spleen", data: spleen }])
 */
export function combineBinaryMasks(space: Space, masks: readonly NamedBinaryMask[], options: CombineOptions = {}): CombinedMasks {
  checkOptions(options, COMBINE_OPTIONS, "combineBinaryMasks");
  const build = combiner(space, masks.length, options);
  for (const m of masks) build.add(m);
  return build.result();
}
