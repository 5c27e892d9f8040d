import { bitDepthFor } from "./bitdepth.js";
import { checkOptions } from "./options.js";
import { GeometryError, InputError, LabelError, describeValue } from "./errors.js";
import type { AddLabelResult, OverlapPolicy } from "./mask.js";
import { SegmentationMask } from "./mask.js";
import type { Space } from "./space.js";
import type { LabelMetadata } from "./label-metadata.js";
import { LabelMapping, type MappingInit } from "./mapping.js";
import { totalSegmentatorLabels } from "./totalsegmentator.js";
import { maxOf } from "./numbers.js";

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
  /**
   * Where the labels came from: the `mapping` given, TotalSegmentator's class map (every
   * name one of its classes, see `TOTALSEGMENTATOR_CLASSES`), or the order of the masks
   * (label i+1 for the i-th).
   */
  numbering: Numbering;
}

/** Where `combineBinaryMasks` took its label numbers from. */
export type Numbering = "mapping" | "totalsegmentator" | "order";

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
  /**
   * Each mask's label by its name (every mask must have one). Without it, masks whose names
   * are all TotalSegmentator classes get its labels (liver 5, spleen 1), others label i+1
   * in the order given.
   */
  mapping?: MappingInit;
}

const COMBINE_OPTIONS = ["onOverlap", "resident", "mapping"] as const;

/** The label of each name, and where the numbers came from (see `CombinedMasks.numbering`). */
function numberingOf(names: number | readonly string[], mapping: MappingInit | undefined): { labelOf: (name: string, index: number) => number; top: number; numbering: Numbering } {
  const given = mapping === undefined ? null : new LabelMapping(mapping);
  const table = given ? Object.fromEntries(given.items()) : typeof names === "number" ? null : totalSegmentatorLabels(names);
  if (!table) return { labelOf: (_, i) => i + 1, top: typeof names === "number" ? names : names.length, numbering: "order" };
  const lookup = new Map(Object.entries(table));
  return {
    labelOf: (name) => {
      const label = lookup.get(name);
      if (label === undefined) throw new LabelError("UNKNOWN_NAME", `Mask "${name}" has no label in the mapping given (${lookup.size} names: ${[...lookup.keys()].slice(0, 10).join(", ")}${lookup.size > 10 ? ", ..." : ""}).`);
      return label;
    },
    top: maxOf(lookup.values(), 0),
    numbering: given ? "mapping" : "totalsegmentator",
  };
}

/**
 * Builds one multi-label mask from binary masks given one at a time (so a caller can read
 * them one by one and keep a single input in memory), every overlap recorded. `names` are
 * the names of the masks to come, in order (or just how many there will be): labels come
 * from `options.mapping`, else TotalSegmentator's class map when every name is one of its
 * classes, else label i+1 for the i-th mask.
 * @example const build = combiner(space, ["liver", "spleen"]); build.add({ name: "liver", data }); build.result();
 */
export function combiner(space: Space, names: number | readonly string[], options: CombineOptions = {}): { add(mask: NamedBinaryMask): void; result(): CombinedMasks } {
  checkOptions(options, COMBINE_OPTIONS, "combiner");
  const { labelOf, top, numbering } = numberingOf(names, options.mapping);
  const bitDepth = bitDepthFor(top);
  const mask = SegmentationMask.lazyInit(bitDepth, { space, resident: options.resident });
  const overlaps: CombinedMasks["overlaps"] = [];
  let index = 0;
  return {
    add({ name, data, metadata }) {
      if (data.length !== space.voxelCount) {
        throw new GeometryError("SHAPE_MISMATCH", `Mask "${name}" has ${data.length} voxels; the space holds ${space.voxelCount}.`);
      }
      const label = labelOf(name, index++);
      const result = mask.addLabel(data, label, name, { onOverlap: options.onOverlap ?? "layer", ...(metadata ? { metadata } : {}) });
      if (result.overlapped > 0) overlaps.push({ name, label, overlapped: result.overlapCounts });
    },
    result: () => ({ mask, overlaps, numbering }),
  };
}

/**
 * Paints binary masks into one multi-label mask and reports every overlap. Labels come from
 * `options.mapping`, else TotalSegmentator's class map when every name is one of its classes
 * (liver 5, spleen 1, as its own multi-label output), else label i+1 for the i-th mask.
 * Every voxel is kept: masks that overlap go to further layers (`onOverlap: "overwrite"` for
 * one layer where the later mask wins, as Python medmask does).
 * @example combineBinaryMasks(space, [{ name: "liver", data: liver }, { name: "spleen", data: spleen }])
 * @example combineBinaryMasks(space, masks, { mapping: { tumour: 1, cyst: 2 } })
 */
export function combineBinaryMasks(space: Space, masks: readonly NamedBinaryMask[], options: CombineOptions = {}): CombinedMasks {
  checkOptions(options, COMBINE_OPTIONS, "combineBinaryMasks");
  if (!Array.isArray(masks)) throw new InputError("INVALID_ARGUMENT", `combineBinaryMasks takes an array of { name, data } (a binary Uint8Array per name), got ${describeValue(masks)}.`);
  masks.forEach((m: unknown, i) => {
    if (m instanceof SegmentationMask) {
      throw new InputError("INVALID_ARGUMENT", `combineBinaryMasks takes { name, data } binary masks; item ${i} is a SegmentationMask. Pass its labels as { name, data: seg.getBinaryMaskByNames(name) } (one per name), or merge whole masks with addLabel.`);
    }
    if (typeof m !== "object" || m === null || !("name" in m) || !("data" in m)) {
      throw new InputError("INVALID_ARGUMENT", `combineBinaryMasks takes { name, data } binary masks; item ${i} is ${describeValue(m)}.`);
    }
  });
  const build = combiner(space, masks.map((m) => m.name), options);
  for (const m of masks) build.add(m);
  return build.result();
}
