// fillHoles: background cavities inside a label, filled with it (SPEC section 14).
import { InputError } from "../errors.js";
import { componentKernels } from "../kernels/components.js";
import { distanceKernels } from "../kernels/distance.js";
import { COMPONENT_STATS, type Box6, type Dims, type RunComponents } from "../kernels/types.js";
import { SegmentationMask, voxelLayers } from "../mask.js";
import { checkOptions } from "../options.js";
import { layerCopies, sameMaskWith } from "../same-mask.js";

/**
 * Which components of `found` (a box's complement) touch the box's faces: they reach past
 * the box (all outside it is the complement), so they are no cavity. A 0/1 flag per component.
 */
function touchingFaces({ count, stats }: RunComponents, [nz, ny, nx]: Dims): Uint8Array {
  const open = new Uint8Array(count);
  for (let c = 0, p = 0; c < count; c++, p += COMPONENT_STATS) {
    open[c] = stats[p + 4] === 0 || stats[p + 5] === 0 || stats[p + 6] === 0 || stats[p + 7] === nz - 1 || stats[p + 8] === ny - 1 || stats[p + 9] === nx - 1 ? 1 : 0;
  }
  return open;
}

/**
 * A new mask in which each label's cavities (regions of everything else, 6-connected as
 * scipy's `binary_fill_holes` takes them, that do not reach the grid's border) are filled
 * with it where they are background: another label's voxels inside a cavity (a tumour in the
 * liver) stay that label's. Every label on its own unless `names` says which.
 * @example const solid = fillHoles(seg, { names: ["liver"] });
 */
export function fillHoles(seg: SegmentationMask<string>, options: { names?: readonly string[] } = {}): SegmentationMask<string> {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", "fillHoles takes a SegmentationMask.");
  checkOptions(options, ["names"], "fillHoles");
  const labels = options.names === undefined ? null : new Set(options.names.map((n) => seg.mapping.get(n)));
  const kernels = { ...distanceKernels(), ...componentKernels() };
  const layers = layerCopies(seg);
  const [, ny, nx] = seg.shape;
  for (const stat of seg.labelStats()) {
    if ((labels && !labels.has(stat.label)) || !stat.bbox) continue;
    const { min, max } = stat.bbox;
    const box = [min[0], min[1], min[2], max[0], max[1], max[2]] as unknown as Box6;
    const dims: Dims = [max[0] - min[0] + 1, max[1] - min[1] + 1, max[2] - min[2] + 1];
    const inside = kernels.cropLabel(seg[voxelLayers]()[seg.layerOf(stat.label)]!, stat.label, seg.shape, box);
    for (let i = 0; i < inside.length; i++) inside[i] = inside[i]! ^ 1; // the complement
    const found = kernels.runComponents(inside, dims, 6, 1);
    const open = touchingFaces(found, dims);
    if (open.every((o) => o === 1)) continue;
    const target = layers[seg.layerOf(stat.label)]!;
    const { runs, component } = found;
    for (let i = 0; i < runs.length / 4; i++) {
      if (open[component[i]!]) continue;
      const z = Math.floor(runs[4 * i]! / dims[1]), y = runs[4 * i]! % dims[1];
      const row = ((min[0] + z) * ny + min[1] + y) * nx + min[2];
      for (let x = runs[4 * i + 1]!; x < runs[4 * i + 2]!; x++) {
        // Background in every layer only: other labels keep their voxels.
        if (layers.every((l) => l[row + x] === 0)) target[row + x] = stat.label;
      }
    }
  }
  return sameMaskWith(seg, layers);
}
