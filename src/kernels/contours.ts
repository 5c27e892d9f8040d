// The contours family (assembly/contours.ts; js/contours.ts; wasm/contours.ts): closed planar
// contours filled into a slice by the even-odd rule, for RT Structure Sets.
import { InputError, describeValue } from "../errors.js";
import { kernelFamily } from "./family.js";
import * as js from "./js/contours.js";
import * as wasm from "./wasm/contours.js";

/** What the contours family does, on either backend. */
export interface ContourKernels {
  /**
   * XOR-fills each contour (points `starts[c]` to `starts[c + 1]` of `points`: x, y pairs in
   * voxel units of the slice, x along a row, y down the rows, voxel centres at whole numbers)
   * into `out` (`ny` rows of `nx`, 0/1): a voxel flips when its centre is inside the contour, so
   * after all of them a voxel is 1 when an odd number enclose it (even-odd). Contours of fewer
   * than three points fill nothing.
   */
  fillContours(points: Float64Array, starts: Uint32Array, ny: number, nx: number, out: Uint8Array): void;
}

function check(points: Float64Array, starts: Uint32Array, ny: number, nx: number, out: Uint8Array): void {
  const ok = points instanceof Float64Array && points.length % 2 === 0 && points.every(Number.isFinite) && starts instanceof Uint32Array && starts.length >= 1 && starts[0] === 0 && starts[starts.length - 1] === points.length / 2 && starts.every((v, i) => i === 0 || v >= starts[i - 1]!);
  if (!ok) throw new InputError("INVALID_ARGUMENT", `fillContours takes finite x, y pairs and the start of each contour among them (0 first, their count last), got ${describeValue(points)} and ${describeValue(starts)}.`);
  if (!(Number.isSafeInteger(ny) && ny >= 1 && Number.isSafeInteger(nx) && nx >= 1 && out instanceof Uint8Array && out.length === ny * nx)) throw new InputError("INVALID_ARGUMENT", `fillContours needs a slice of ${ny} x ${nx} voxels, got ${describeValue(out)}.`);
}

/** The contours family on `kernels`' backend (default: the one in use). */
export const contourKernels = kernelFamily<ContourKernels>(
  {
    fillContours: (points, starts, ny, nx, out) => {
      check(points, starts, ny, nx, out);
      js.fillContours(points, starts, ny, nx, out);
    },
  },
  (run) => ({
    fillContours: (points, starts, ny, nx, out) => {
      check(points, starts, ny, nx, out);
      wasm.fillContours(run, points, starts, ny, nx, out);
    },
  }),
);
