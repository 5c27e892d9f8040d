import type { BitDepth } from "./bitdepth.js";
import { checkOptions } from "./options.js";
import { GeometryError } from "./errors.js";
import type { AddLabelResult, OverlapPolicy } from "./mask.js";
import { SegmentationMask } from "./mask.js";
import type { Space } from "./space.js";
import type { LabelMetadata } from "./label-metadata.js";

/** One binary mask with its name (e.g. a TotalSegmentator file stem). */
export interface NamedBinaryMask {
  name: string;
  data: ArrayLike<number>;
  /** Its colour and codes, kept with its label. */
  metadata?: LabelMetadata;
}

/** What `combineBinaryMasks` built and what overlapped on the way. */
export interface CombinedMasks {
  mask: SegmentationMask<string>;
  /**
   * Every region voxel that already had a label when its mask was painted (with the default
   * "layer" policy they are all kept, in other layers; `mask.layerCount` says how many).
   */
  overlaps: Array<{ name: string; label: number; overlapped: AddLabelResult["overlapCounts"] }>;
}

/** Options of `combiner` and `combineBinaryMasks`. */
export interface CombineOptions {
  /**
   * What an overlap does (see `addLabel`): by default "layer", every voxel of every mask
   * kept (overlapping masks go to further layers, packed greedily: each into the first layer
   * where it fits); "overwrite" makes one layer where the later mask wins.
   */
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
    add({ name, data, metadata }) {
      if (data.length !== space.voxelCount) {
        throw new GeometryError("SHAPE_MISMATCH", `Mask "${name}" has ${data.length} voxels; the space holds ${space.voxelCount}.`);
      }
      const label = next++;
      const result = mask.addLabel(data, label, name, { onOverlap: options.onOverlap ?? "layer", ...(metadata ? { metadata } : {}) });
      if (result.overlapped > 0) overlaps.push({ name, label, overlapped: result.overlapCounts });
    },
    result: () => ({ mask, overlaps }),
  };
}

/**
 * Paints binary masks into one multi-label mask, label i+1 for the i-th mask, and reports
 * every overlap. Every voxel is kept: masks that overlap go to further layers (`onOverlap:
 * "overwrite"` for one layer where the later mask wins, as Python medmask does).
 * @example combineBinaryMasks(space, [{ name: "liver", data: liver }, { name: "spleen", data: spleen }])
 */
export function combineBinaryMasks(space: Space, masks: readonly NamedBinaryMask[], options: CombineOptions = {}): CombinedMasks {
  checkOptions(options, COMBINE_OPTIONS, "combineBinaryMasks");
  const build = combiner(space, masks.length, options);
  for (const m of masks) build.add(m);
  return build.result();
}
