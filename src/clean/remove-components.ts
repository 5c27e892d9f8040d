// keepLargestComponents and removeSmallComponents: pieces of labels taken out, each label on
// its own, into a new mask with the same mapping, metadata and layers (SPEC section 14).
import { InputError, describeValue } from "../errors.js";
import { SegmentationMask } from "../mask.js";
import { checkOptions } from "../options.js";
import { layerCopies, sameMaskWith } from "../same-mask.js";
import { connectivityOf, labelComponents, type Component, type Connectivity } from "./connected-components.js";

/** Options every cleaning call takes. */
interface Which {
  /** Only these labels (default: every label, each on its own). */
  names?: readonly string[];
  connectivity?: Connectivity;
}

/**
 * A copy of `seg` with, for each label named (every label by default), the components `drop`
 * picks set to background in that label's layer.
 */
function withoutComponents(seg: SegmentationMask<string>, which: Which, drop: (components: readonly Component[]) => (component: Component) => boolean): SegmentationMask<string> {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", "takes a SegmentationMask.");
  const connectivity = connectivityOf(which.connectivity);
  const labels = which.names === undefined ? null : new Set(which.names.map((n) => seg.mapping.get(n)));
  const layers = layerCopies(seg);
  const [, ny, nx] = seg.shape;
  for (const stat of seg.labelStats()) {
    if (labels && !labels.has(stat.label)) continue;
    const found = labelComponents(seg, stat, connectivity);
    if (!found) continue;
    const gone = drop(found.components);
    const away = new Uint8Array(found.components.length + 1);
    for (const c of found.components) away[c.id] = gone(c) ? 1 : 0;
    if (!away.includes(1)) continue;
    const layer = layers[seg.layerOf(stat.label)]!;
    const [z0, y0, x0] = found.box;
    const [dz, dy, dx] = found.dims;
    for (let z = 0, j = 0; z < dz; z++) {
      for (let y = 0; y < dy; y++) {
        const row = ((z0 + z) * ny + y0 + y) * nx + x0;
        for (let x = 0; x < dx; x++, j++) if (away[found.ids[j]!]) layer[row + x] = 0;
      }
    }
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
  return withoutComponents(seg, options, () => (c) => c.id > count);
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
  return withoutComponents(seg, options, () => (c) => c.voxels < minVoxels || c.volumeMl < minMl);
}
