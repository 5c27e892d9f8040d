// fillHoles: background cavities inside a label, filled with it (SPEC section 14).
import { InputError } from "../errors.js";
import { componentKernels } from "../kernels/components.js";
import { distanceKernels } from "../kernels/distance.js";
import type { Box6, Dims } from "../kernels/types.js";
import { SegmentationMask } from "../mask.js";
import { checkOptions } from "../options.js";
import { layerCopies, sameMaskWith } from "../same-mask.js";

/**
 * The ids of `ids` (components of a box, x fastest) that touch the box's faces: regions of the
 * complement there reach past the box (all outside it is the complement), so they are no
 * cavity. Returns a 0/1 flag per id.
 */
function touchingFaces(ids: Uint32Array, count: number, [nz, ny, nx]: Dims): Uint8Array {
  const open = new Uint8Array(count + 1);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = (z * ny + y) * nx;
      if (z === 0 || z === nz - 1 || y === 0 || y === ny - 1) for (let x = 0; x < nx; x++) open[ids[row + x]!] = 1;
      else {
        open[ids[row]!] = 1;
        open[ids[row + nx - 1]!] = 1;
      }
    }
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
    const inside = kernels.cropLabel(seg.layers[seg.layerOf(stat.label)]!, stat.label, seg.shape, box);
    for (let i = 0; i < inside.length; i++) inside[i] = inside[i]! ^ 1; // the complement
    const { ids, count } = kernels.components(inside, dims, 6);
    const open = touchingFaces(ids, count, dims);
    if (open.subarray(1).every((o) => o === 1)) continue;
    const target = layers[seg.layerOf(stat.label)]!;
    for (let z = 0, j = 0; z < dims[0]; z++) {
      for (let y = 0; y < dims[1]; y++) {
        const row = ((min[0] + z) * ny + min[1] + y) * nx + min[2];
        for (let x = 0; x < dims[2]; x++, j++) {
          const id = ids[j]!;
          if (id === 0 || open[id]) continue;
          // Background in every layer only: other labels keep their voxels.
          if (layers.every((l) => l[row + x] === 0)) target[row + x] = stat.label;
        }
      }
    }
  }
  return sameMaskWith(seg, layers);
}
