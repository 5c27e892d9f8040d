// The morphology family (assembly/morphology.ts, src/kernels/js/morphology.ts) on both
// backends against dilation and erosion written from their definitions (every voxel against
// every offset of the element), on random label volumes, spacings and radii and edge sizes;
// the two backends give the same intervals.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LabelArray } from "../../src/bitdepth.js";
import { jsKernels as jsCore } from "../../src/kernels/js.js";
import { ellipsoidRows, morphologyKernels } from "../../src/kernels/morphology.js";
import type { Box6, Dims } from "../../src/kernels/types.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import { codeOf } from "../helpers/errors.js";

const jsKernels = morphologyKernels(jsCore);
const wasm = morphologyKernels(createWasmKernels());

type Spacing = [number, number, number];

/** Every offset of the ellipsoid, from the definition. */
function offsets(radius: number, [sz, sy, sx]: Spacing): [number, number, number][] {
  const out: [number, number, number][] = [];
  const [rz, ry, rx] = [sz, sy, sx].map((s) => Math.floor(radius / s)) as Spacing;
  for (let dz = -rz; dz <= rz; dz++)
    for (let dy = -ry; dy <= ry; dy++)
      for (let dx = -rx; dx <= rx; dx++) if ((dz * sz) ** 2 + (dy * sy) ** 2 + (dx * sx) ** 2 <= radius * radius) out.push([dz, dy, dx]);
  return out;
}

/** 0/1 per voxel: what `label` gains by dilation (grow) or loses by erosion. */
function reference(data: LabelArray, [nz, ny, nx]: Dims, label: number, element: [number, number, number][], grow: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  const at = (z: number, y: number, x: number): number => (z < 0 || y < 0 || x < 0 || z >= nz || y >= ny || x >= nx ? -1 : data[(z * ny + y) * nx + x]!);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const mine = data[i] === label;
        if (grow) out[i] = !mine && element.some(([dz, dy, dx]) => at(z - dz, y - dy, x - dx) === label) ? 1 : 0;
        else out[i] = mine && element.some(([dz, dy, dx]) => at(z + dz, y + dy, x + dx) !== label) ? 1 : 0;
      }
  return out;
}

function painted(intervals: Uint32Array, voxels: number, nx: number): Uint8Array {
  const out = new Uint8Array(voxels);
  for (let k = 0; k < intervals.length; k += 3) {
    expect(intervals[k + 1]!).toBeLessThan(intervals[k + 2]!);
    out.fill(1, intervals[k]! * nx + intervals[k + 1]!, intervals[k]! * nx + intervals[k + 2]!);
  }
  return out;
}

/** The label's bounding box (the label must be present). */
function boxOf(data: LabelArray, [nz, ny, nx]: Dims, label: number): Box6 {
  const lo = [nz, ny, nx], hi = [-1, -1, -1];
  data.forEach((v, i) => {
    if (v !== label) return;
    const p = [Math.floor(i / (ny * nx)), Math.floor(i / nx) % ny, i % nx];
    for (let k = 0; k < 3; k++) [lo[k], hi[k]] = [Math.min(lo[k]!, p[k]!), Math.max(hi[k]!, p[k]!)];
  });
  return [lo[0]!, lo[1]!, lo[2]!, hi[0]!, hi[1]!, hi[2]!];
}

function check(data: LabelArray, dims: Dims, label: number, radius: number, spacing: Spacing): void {
  if (!data.includes(label)) return;
  const rows = ellipsoidRows(radius, spacing), element = offsets(radius, spacing);
  const box = boxOf(data, dims, label);
  for (const grow of [true, false]) {
    const js = grow ? jsKernels.dilateRuns(data, dims, label, rows, box) : jsKernels.erodeRuns(data, dims, label, rows, box);
    const w = grow ? wasm.dilateRuns(data, dims, label, rows, box) : wasm.erodeRuns(data, dims, label, rows, box);
    expect(Array.from(painted(js, data.length, dims[2])), grow ? "dilate" : "erode").toEqual(Array.from(reference(data, dims, label, element, grow)));
    expect(w).toEqual(js);
  }
}

describe("MorphologyKernels on both backends", () => {
  it("ellipsoidRows: every offset within the radius, as (dz, dy, half-width) rows, the widest first", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 6, noNaN: true }), fc.tuple(...[0, 0, 0].map(() => fc.double({ min: 0.3, max: 3, noNaN: true }))), (radius, spacing) => {
        const rows = ellipsoidRows(radius, spacing as Spacing);
        const fromRows: string[] = [];
        for (let e = 0; e < rows.length; e += 3) {
          if (e > 0) expect(rows[e + 2]!).toBeLessThanOrEqual(rows[e - 1]!);
          for (let dx = -rows[e + 2]!; dx <= rows[e + 2]!; dx++) fromRows.push(`${rows[e]},${rows[e + 1]},${dx}`);
        }
        expect(fromRows.sort()).toEqual(offsets(radius, spacing as Spacing).map((o) => o.join()).sort());
      }),
      { numRuns: 200 },
    );
  });

  it("random label volumes, spacings and radii: what a label gains and loses is the definition's, alike on both backends", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 30 })).chain((dims) =>
      fc.tuple(
        fc.constant(dims as Dims),
        // Sparse to dense: sparse volumes leave the element's edges uncovered by neighbours.
        fc.double({ min: 0.005, max: 0.7, noNaN: true }).chain((p) =>
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: dims[0] * dims[1] * dims[2], maxLength: dims[0] * dims[1] * dims[2] }).map((v) => Uint8Array.from(v, (u) => (u < p ? 1 : u < 1.3 * p ? 2 : 0))),
        ),
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.tuple(...[0, 0, 0].map(() => fc.double({ min: 0.4, max: 2.5, noNaN: true }))),
      ),
    );
    fc.assert(fc.property(arb, ([dims, data, radius, spacing]) => check(data, dims, 1, radius, spacing as Spacing)), { numRuns: 250 });
  });

  it("random solid blobs (boxes and balls, where erosion leaves something), spacings and radii: the definition's, alike on both backends", () => {
    const arb = fc.tuple(fc.integer({ min: 3, max: 10 }), fc.integer({ min: 3, max: 12 }), fc.integer({ min: 8, max: 40 })).chain((dims) =>
      fc.tuple(
        fc.constant(dims as Dims),
        fc.array(fc.tuple(fc.boolean(), ...[0, 1, 2].map((k) => fc.tuple(fc.integer({ min: 0, max: dims[k]! - 1 }), fc.integer({ min: 1, max: dims[k]! })))), { minLength: 1, maxLength: 3 }),
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        fc.tuple(...[0, 0, 0].map(() => fc.double({ min: 0.4, max: 2, noNaN: true }))),
      ),
    );
    fc.assert(
      fc.property(arb, ([dims, blobs, radius, spacing]) => {
        const [nz, ny, nx] = dims, data = new Uint8Array(nz * ny * nx);
        for (const [ball, ...axes] of blobs) {
          for (let z = 0, i = 0; z < nz; z++)
            for (let y = 0; y < ny; y++)
              for (let x = 0; x < nx; x++, i++) {
                const t = [z, y, x].map((v, k) => (v - axes[k]![0]) / axes[k]![1]);
                if (ball ? t.reduce((a, b) => a + b * b, 0) <= 1 : t.every((v) => v >= 0 && v < 1)) data[i] = 1;
              }
        }
        check(data, dims, 1, radius, spacing as Spacing);
      }),
      { numRuns: 120 },
    );
  });

  it("wider labels, blocks at the grid's edges, one voxel, radius 0, a grid-filling label", () => {
    const dims: Dims = [4, 5, 37];
    const data = new Uint16Array(4 * 5 * 37);
    data.fill(700, 0, 40);
    data.fill(700, 3 * 185 + 150, 3 * 185 + 185);
    data[2 * 185 + 2 * 37 + 18] = 700;
    data.fill(3, 100, 120);
    for (const r of [0, 0.9, 1, 1.5, 2.5, 9]) check(data, dims, 700, r, [1, 1, 1]);
    const lone = new Uint8Array(5 * 7 * 40);
    lone[(2 * 7 + 3) * 40 + 20] = lone[(2 * 7 + 3) * 40 + 21] = 1;
    for (const r of [1, 2.2, 3, 5.5]) check(lone, [5, 7, 40], 1, r, [1.5, 0.8, 0.6]);
    check(Uint8Array.of(1), [1, 1, 1], 1, 3, [1, 1, 1]);
    check(new Uint8Array(60).fill(1), [3, 4, 5], 1, 1.2, [0.7, 1, 1.3]);
    check(Uint32Array.of(0, 2 ** 31, 0), [1, 1, 3], 2 ** 31, 1, [1, 1, 1]);
  });

  it("bad arguments are INVALID_ARGUMENT on both backends; a label the bit depth cannot hold gains and loses nothing", () => {
    const rows = ellipsoidRows(1, [1, 1, 1]);
    for (const k of [jsKernels, wasm]) {
      expect(codeOf(() => k.dilateRuns(new Uint8Array(7), [2, 2, 2], 1, rows, [0, 0, 0, 1, 1, 1]))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.dilateRuns(new Uint8Array(8), [2, 2, 2], 1, rows, [0, 0, 0, 2, 1, 1]))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.erodeRuns(new Uint8Array(8), [2, 2, 2], 1, Int32Array.of(1, 0, 0), [0, 0, 0, 1, 1, 1]))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.erodeRuns(new Uint8Array(8), [2, 2, 2], 1, Int32Array.of(0, 0, -1), [0, 0, 0, 1, 1, 1]))).toBe("INVALID_ARGUMENT");
    }
    expect(wasm.dilateRuns(new Uint8Array(8).fill(1), [2, 2, 2], 300, rows, [0, 0, 0, 1, 1, 1]).length).toBe(0);
  });
});
