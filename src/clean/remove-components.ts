// keepLargestComponents and removeSmallComponents: pieces of labels taken out, each label on
// its own, into a new mask with the same mapping, metadata and layers (SPEC section 14).
import { InputError, describeValue } from "../errors.js";
import { SegmentationMask } from "../mask.js";
import { checkOptions } from "../options.js";
import { layerCopies, sameMaskWith } from "../same-mask.js";
import { connectivityOf, paintPieces, piecesOf, type Component, type Connectivity } from "./connected-components.js";

/** Options every cleaning call takes. */
interface Which {
  /** Only these labels (default: every label, each on its own). */
  names?: readonly string[];
  connectivity?: Connectivity;
}

/**
 * A copy of `seg` with, for each label named (every label by default), the components `drop`
 * picks set to background in that label's layer: one pass per layer finds every label's pieces.
 */
function withoutComponents(seg: SegmentationMask<string>, which: Which, drop: (component: Component) => boolean): SegmentationMask<string> {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", "takes a SegmentationMask.");
  const connectivity = connectivityOf(which.connectivity);
  const labels = which.names === undefined ? null : [...new Set(which.names.map((n) => seg.mapping.get(n)))];
  const layers = layerCopies(seg);
  for (const [label, pieces] of piecesOf(seg, labels, connectivity)) {
    const away = new Uint8Array(pieces.components.length + 1);
    for (const c of pieces.components) away[c.id] = drop(c) ? 1 : 0;
    if (away.includes(1)) paintPieces(pieces, layers[seg.layerOf(label)]!, seg.shape[2], (id) => (away[id] ? 0 : -1));
  }
  return sameMaskWith(seg, layers);
}

/**
 * A new mask in which each label keeps only its `count` largest connected pieces (1 by
 * default: TotalSegmentator's and MONAI's KeepLargestConnectedComponent), every label on its
 * own unless `names` says which; other labels' voxels are untouched.
 * @example const clean = keepLargestComponents(seg, { names: ["liver", "spleen"] });
 */
export function keepLargestComponents(seg: SegmentationMask<string>, options: Which & { count?: number } = {}): SegmentationMask<string> {
  checkOptions(options, ["names", "count", "connectivity"], "keepLargestComponents");
  const count = options.count ?? 1;
  if (!(Number.isSafeInteger(count) && count >= 1)) throw new InputError("INVALID_ARGUMENT", `count must be a whole number of at least 1, got ${describeValue(options.count)}.`);
  return withoutComponents(seg, options, (c) => c.id > count);
}

/**
 * A new mask without the connected pieces smaller than `minVoxels` voxels or `minMl` mL
 * (islands a model left), every label on its own unless `names` says which.
 * @example const clean = removeSmallComponents(seg, { minMl: 0.5 });
 */
export function removeSmallComponents(seg: SegmentationMask<string>, options: Which & { minVoxels?: number; minMl?: number } = {}): SegmentationMask<string> {
  checkOptions(options, ["names", "minVoxels", "minMl", "connectivity"], "removeSmallComponents");
  const { minVoxels = 0, minMl = 0 } = options;
  if (!(Number.isFinite(minVoxels) && minVoxels >= 0 && Number.isFinite(minMl) && minMl >= 0)) {
    throw new InputError("INVALID_ARGUMENT", `minVoxels and minMl must be numbers of at least 0, got ${describeValue(options.minVoxels)} and ${describeValue(options.minMl)}.`);
  }
  if (options.minVoxels === undefined && options.minMl === undefined) throw new InputError("INVALID_ARGUMENT", "removeSmallComponents needs minVoxels or minMl.");
  return withoutComponents(seg, options, (c) => c.voxels < minVoxels || c.volumeMl < minMl);
}
