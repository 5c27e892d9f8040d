// The geometry family (assembly/geometry.ts; js/geometry.ts; wasm/geometry.ts): voxels moved
// with their axes, and resampling along rows, for flip / permute / reorient and resample.
import type { LabelArray } from "../bitdepth.js";
import { checkPermuteAxes, checkResample, checkReverseRows } from "./checks.js";
import { kernelFamily } from "./family.js";
import * as js from "./js/geometry.js";
import type { Dims } from "./types.js";
import * as wasm from "./wasm/geometry.js";

/** What the geometry family does, on either backend. */
export interface GeometryKernels {
  /**
   * The volume `data` of `dims` with its axes reordered and reversed: output axis k is input
   * axis `order[k]` (a permutation of 0, 1, 2), reversed where `flips[k]`; a new array of the
   * same type and length, C order over the output's dims.
   */
  permuteAxes(data: LabelArray, dims: Dims, order: readonly number[], flips: readonly boolean[]): LabelArray;
  /**
   * `data` (a volume of `dims`) resampled onto a grid of `outDims`: `map` is the 3x4 affine
   * (12 numbers, row by row) from output indices to input indices. "nearest" takes the
   * input voxel nearest each output voxel's position (halves up, as scipy's order 0, and
   * within 1e-9 below a half); "label-linear" interpolates each label's indicator
   * trilinearly and takes the largest (on a tie, the nearest voxel's label when tied, else
   * the smaller). Positions off the input are background.
   */
  resample(data: LabelArray, dims: Dims, outDims: Dims, map: readonly number[], method: "nearest" | "label-linear"): LabelArray;
  /**
   * `data` with each consecutive row of `rowLength` elements reversed (a new array of the
   * same type): a row of x is a flip of x, a slice (ny * nx) flips y and x at once, the whole
   * volume all three axes.
   */
  reverseRows(data: LabelArray, rowLength: number): LabelArray;
}

/** The geometry family on `kernels`' backend (default: the one in use). */
export const geometryKernels = kernelFamily<GeometryKernels>(
  {
    permuteAxes: (data, dims, order, flips) => {
      checkPermuteAxes(data, dims, order, flips);
      return js.permuteAxes(data, dims, order, flips);
    },
    resample: (data, dims, outDims, map, method) => {
      checkResample(data, dims, outDims, map, method);
      return (method === "nearest" ? js.resampleNearest : js.resampleLabelLinear)(data, dims, outDims, map);
    },
    reverseRows: (data, rowLength) => {
      checkReverseRows(data, rowLength);
      return js.reverseRows(data, rowLength);
    },
  },
  (run) => ({
    permuteAxes: (data, dims, order, flips) => {
      checkPermuteAxes(data, dims, order, flips);
      return wasm.permuteAxes(run, data, dims, order, flips);
    },
    resample: (data, dims, outDims, map, method) => {
      checkResample(data, dims, outDims, map, method);
      return wasm.resample(run, data, dims, outDims, map, method);
    },
    reverseRows: (data, rowLength) => {
      checkReverseRows(data, rowLength);
      return wasm.reverseRows(run, data, rowLength);
    },
  }),
);
