// The contours family (assembly/contours.ts; js/contours.ts; wasm/contours.ts): closed planar
// contours filled into a slice by the even-odd rule, and a slice's voxels traced as contours,
// for RT Structure Sets both ways.
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
  /**
   * The boundary of the voxels that are 1 in `grid` (`ny` rows of `nx`, 0/1, its first and last
   * rows and columns 0) as closed contours, by marching squares: x, y pairs in doubled
   * coordinates (the centre of voxel (x, y) is (2x, 2y), so every point, a midpoint between two
   * centres, is whole), a point only where the direction changes; contour c is the points
   * `starts[c]` to `starts[c + 1]`. Voxels touching at a corner are joined; a contour inside
   * another is a hole, so `fillContours` of the contours gives the voxels back.
   */
  traceContours(grid: Uint8Array, ny: number, nx: number): { points: Int32Array; starts: Uint32Array };
}

function check(points: Float64Array, starts: Uint32Array, ny: number, nx: number, out: Uint8Array): void {
  const pairs = points instanceof Float64Array && points.length % 2 === 0 && points.every(Number.isFinite);
  const ok = pairs && starts instanceof Uint32Array && starts.length >= 1 && starts[0] === 0 && starts[starts.length - 1] === points.length / 2 && starts.every((v, i) => i === 0 || v >= starts[i - 1]!);
  if (!ok) throw new InputError("INVALID_ARGUMENT", `fillContours takes finite x, y pairs and the start of each contour among them (0 first, their count last), got ${describeValue(points)} and ${describeValue(starts)}.`);
  if (!(Number.isSafeInteger(ny) && ny >= 1 && Number.isSafeInteger(nx) && nx >= 1 && out instanceof Uint8Array && out.length === ny * nx)) throw new InputError("INVALID_ARGUMENT", `fillContours needs a slice of ${ny} x ${nx} voxels, got ${describeValue(out)}.`);
}

function checkGrid(grid: Uint8Array, ny: number, nx: number): void {
  const ok = Number.isSafeInteger(ny) && ny >= 1 && Number.isSafeInteger(nx) && nx >= 1 && grid instanceof Uint8Array && grid.length === ny * nx && grid.every((v) => v <= 1);
  if (!ok) throw new InputError("INVALID_ARGUMENT", `traceContours needs a slice of ${ny} x ${nx} voxels of 0 or 1, got ${describeValue(grid)}.`);
  let border = 0;
  for (let x = 0; x < nx; x++) border |= grid[x]! | grid[(ny - 1) * nx + x]!;
  for (let y = 0; y < ny; y++) border |= grid[y * nx]! | grid[y * nx + nx - 1]!;
  if (border !== 0) throw new InputError("INVALID_ARGUMENT", "traceContours needs a slice whose first and last rows and columns are 0 (every contour closes inside it).");
}

/** The contours family on `kernels`' backend (default: the one in use). */
export const contourKernels = kernelFamily<ContourKernels>(
  {
    fillContours: (points, starts, ny, nx, out) => {
      check(points, starts, ny, nx, out);
      js.fillContours(points, starts, ny, nx, out);
    },
    traceContours: (grid, ny, nx) => {
      checkGrid(grid, ny, nx);
      return js.traceContours(grid, ny, nx);
    },
  },
  (run) => ({
    fillContours: (points, starts, ny, nx, out) => {
      check(points, starts, ny, nx, out);
      wasm.fillContours(run, points, starts, ny, nx, out);
    },
    traceContours: (grid, ny, nx) => {
      checkGrid(grid, ny, nx);
      return wasm.traceContours(run, grid, ny, nx);
    },
  }),
);
