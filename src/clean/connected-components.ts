// connectedComponents: the pieces of one label, largest first, with their statistics; the
// label volume over the whole grid only when asked for (SPEC section 14).
import { InputError, describeValue } from "../errors.js";
import { componentKernels } from "../kernels/components.js";
import { distanceKernels } from "../kernels/distance.js";
import type { Box6, Dims } from "../kernels/types.js";
import { SegmentationMask } from "../mask.js";
import { checkOptions } from "../options.js";
import type { LabelStat } from "../stats.js";

/** 6 (faces), 18 (and edges) or 26 (and corners) neighbours make voxels one component. */
export type Connectivity = 6 | 18 | 26;

/** One connected piece of a label. */
export interface Component {
  /** 1 for the largest, then by decreasing size (equal sizes in the order of their first voxel). */
  id: number;
  voxels: number;
  volumeMl: number;
  /** Inclusive bounding box, (z, y, x) indices. */
  bbox: { min: [number, number, number]; max: [number, number, number] };
  /** Mean voxel position, (z, y, x) in index space. */
  centroid: [number, number, number];
}

/** What `connectedComponents` gives. */
export interface Components {
  count: number;
  /** Component ids over the whole grid (0 background), made when first read. */
  readonly labels: Uint32Array;
  components: Component[];
}

/** The connectivity option, checked; 26 by default. */
export function connectivityOf(value: unknown): Connectivity {
  if (value === undefined) return 26;
  if (value !== 6 && value !== 18 && value !== 26) throw new InputError("INVALID_ARGUMENT", `connectivity is 6, 18 or 26, got ${describeValue(value)}.`);
  return value;
}

/** The pieces of `label` inside its box: ids in the box by decreasing size, and each piece's statistics. */
export interface BoxComponents {
  box: Box6;
  dims: Dims;
  /** Per box voxel, the component's final id (1 = largest), 0 outside. */
  ids: Uint32Array;
  components: Component[];
}

/** The components of the label `stat` describes, on its box (null when it has no voxel). */
export function labelComponents(seg: SegmentationMask<string>, stat: LabelStat, connectivity: Connectivity): BoxComponents | null {
  const label = stat.label;
  if (!stat.bbox) return null;
  const { min, max } = stat.bbox;
  const box = [min[0], min[1], min[2], max[0], max[1], max[2]] as unknown as Box6;
  const dims: Dims = [max[0] - min[0] + 1, max[1] - min[1] + 1, max[2] - min[2] + 1];
  const kernels = { ...distanceKernels(), ...componentKernels() };
  const binary = kernels.cropLabel(seg.layers[seg.layerOf(label)]!, label, seg.shape, box);
  const { ids, count } = kernels.components(binary, dims, connectivity);
  const voxels = new Float64Array(count + 1), sums = new Float64Array(3 * (count + 1));
  const lo = new Int32Array(3 * (count + 1)).fill(2 ** 30), hi = new Int32Array(3 * (count + 1)).fill(-1);
  const [nzBox, ny, nx] = dims;
  for (let z = 0, i = 0; z < nzBox; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const id = ids[i]!;
        if (id === 0) continue;
        voxels[id]!++;
        const k = 3 * id;
        sums[k]! += z;
        sums[k + 1]! += y;
        sums[k + 2]! += x;
        if (z < lo[k]!) lo[k] = z;
        if (y < lo[k + 1]!) lo[k + 1] = y;
        if (x < lo[k + 2]!) lo[k + 2] = x;
        if (z > hi[k]!) hi[k] = z;
        if (y > hi[k + 1]!) hi[k + 1] = y;
        if (x > hi[k + 2]!) hi[k + 2] = x;
      }
    }
  }
  // Largest first; equal sizes keep the order of their first voxel (the kernel's numbering).
  const order = Array.from({ length: count }, (_, i) => i + 1).sort((a, b) => voxels[b]! - voxels[a]! || a - b);
  const rank = new Uint32Array(count + 1);
  order.forEach((id, r) => (rank[id] = r + 1));
  for (let i = 0; i < ids.length; i++) ids[i] = rank[ids[i]!]!;
  const ml = seg.space.voxelVolume / 1000;
  const components = order.map((id, r): Component => {
    const k = 3 * id, n = voxels[id]!;
    return {
      id: r + 1,
      voxels: n,
      volumeMl: n * ml,
      bbox: { min: [lo[k]! + min[0], lo[k + 1]! + min[1], lo[k + 2]! + min[2]], max: [hi[k]! + min[0], hi[k + 1]! + min[1], hi[k + 2]! + min[2]] },
      centroid: [sums[k]! / n + min[0], sums[k + 1]! / n + min[1], sums[k + 2]! / n + min[2]],
    };
  });
  return { box, dims, ids, components };
}

/**
 * The connected pieces of one label: their count, each one's voxels, mL, bounding box and
 * centroid (index space), largest first, and `labels`, the ids over the whole grid, built
 * only when read. The work is bounded to the label's box.
 * @example const { count, components } = connectedComponents(seg, "liver", { connectivity: 6 }); // count 2: the liver and an island
 */
export function connectedComponents(seg: SegmentationMask<string>, name: string, options: { connectivity?: Connectivity } = {}): Components {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", "connectedComponents takes a SegmentationMask.");
  checkOptions(options, ["connectivity"], "connectedComponents");
  const connectivity = connectivityOf(options.connectivity);
  const label = seg.mapping.get(name);
  const found = labelComponents(seg, seg.labelStats().find((s) => s.label === label)!, connectivity);
  let labels: Uint32Array | null = null;
  return {
    count: found?.components.length ?? 0,
    components: found?.components ?? [],
    get labels(): Uint32Array {
      if (labels) return labels;
      labels = new Uint32Array(seg.space.voxelCount);
      if (found) {
        const [, ny, nx] = seg.shape;
        const [z0, y0, x0] = found.box;
        const [dz, dy, dx] = found.dims;
        for (let z = 0, j = 0; z < dz; z++) for (let y = 0; y < dy; y++, j += dx) labels.set(found.ids.subarray(j, j + dx), ((z0 + z) * ny + y0 + y) * nx + x0);
      }
      return labels;
    },
  };
}
