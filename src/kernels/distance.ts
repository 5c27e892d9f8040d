// The distance family (assembly/distance.ts; js/distance.ts; wasm/distance.ts): surfaces,
// exact distance transforms and a label's box cut out, for compare and clean.
import type { LabelArray } from "../bitdepth.js";
import { checkCrop, checkDistanceVolumes } from "./checks.js";
import { kernelFamily } from "./family.js";
import * as js from "./js/distance.js";
import type { Box6, Dims } from "./types.js";
import * as wasm from "./wasm/distance.js";

type Spacing = readonly [number, number, number];

/** What the distance family does, on either backend. */
export interface DistanceKernels {
  /**
   * Squared exact Euclidean distances (mm^2, through `spacing` (z, y, x)) from every voxel of a
   * volume of `dims` to its nearest non-zero voxel of `features` (Infinity when there is none).
   */
  distanceSquared(features: Uint8Array, dims: Dims, spacing: Spacing): Float64Array;
  /**
   * 0/1 of `label` in `box` (inclusive z0, y0, x0, z1, y1, x1) of `data` (a volume of `dims`),
   * into `out` (at least the box's voxels) or a new array: a label's box cut out, x fastest.
   */
  cropLabel(data: LabelArray, label: number, dims: Dims, box: Box6, out?: Uint8Array): Uint8Array;
  /**
   * Directed surface distances between two binary volumes of `dims` (non-zero = inside; a
   * label's box, say): the surface of each is its voxels with a 6-neighbour outside it (the
   * volume's edge counts as outside); `ab[i]` is the exact Euclidean distance (mm, through
   * `spacing` (z, y, x)) from the i-th surface voxel of `a`, in index order, to the nearest
   * surface voxel of `b`, and `ba` the other way. Infinity where the other has no surface.
   */
  surfaceDistances(a: Uint8Array, b: Uint8Array, dims: Dims, spacing: Spacing): { ab: Float64Array; ba: Float64Array };
}

/** The distance family on `kernels`' backend (default: the one in use). */
export const distanceKernels = kernelFamily<DistanceKernels>(
  {
    distanceSquared: (features, dims, spacing) => {
      checkDistanceVolumes(features, features, dims, spacing);
      const dist = new Float64Array(features.length);
      js.edtSquared(features, dist, dims, spacing);
      return dist;
    },
    cropLabel: (data, label, dims, box, out) => {
      const voxels = checkCrop(data, dims, box, out);
      return js.cropLabel(data, label, dims, box, out ?? new Uint8Array(voxels));
    },
    surfaceDistances: (a, b, dims, spacing) => {
      checkDistanceVolumes(a, b, dims, spacing);
      return js.surfaceDistances(a, b, dims, spacing);
    },
  },
  (run) => ({
    distanceSquared: (features, dims, spacing) => {
      checkDistanceVolumes(features, features, dims, spacing);
      return wasm.distanceSquared(run, features, dims, spacing);
    },
    cropLabel: (data, label, dims, box, out) => {
      const voxels = checkCrop(data, dims, box, out);
      return wasm.cropLabel(run, data, label, dims, box, out ?? new Uint8Array(voxels));
    },
    surfaceDistances: (a, b, dims, spacing) => {
      checkDistanceVolumes(a, b, dims, spacing);
      return wasm.surfaceDistances(run, a, b, dims, spacing);
    },
  }),
);
