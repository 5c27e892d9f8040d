// The contours family (assembly/contours.ts, src/kernels/js/contours.ts) on both backends
// against the definition: a voxel is 1 when its centre is inside an odd number of the
// contours (a ray to +x crossing edges, a centre on an edge inside on one side only), on
// random polygons (self-intersecting ones too), rows and columns outside the slice, edge sizes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contourKernels } from "../../src/kernels/contours.js";
import { jsKernels as jsCore } from "../../src/kernels/js.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import { codeOf } from "../helpers/errors.js";

const js = contourKernels(jsCore);
const wasm = contourKernels(createWasmKernels());

/** Even-odd by crossings, voxel by voxel: an edge counts when y0 <= y < y1 (or y1 <= y < y0) and it crosses at x > the centre's x... or at it. */
function reference(points: Float64Array, starts: Uint32Array, ny: number, nx: number): Uint8Array {
  const out = new Uint8Array(ny * nx);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      let inside = 0;
      for (let c = 0; c + 1 < starts.length; c++) {
        const a = starts[c]!, b = starts[c + 1]!;
        if (b - a < 3) continue;
        let crossings = 0;
        for (let e = a; e < b; e++) {
          const f = e + 1 === b ? a : e + 1;
          const x0 = points[2 * e]!, y0 = points[2 * e + 1]!, x1 = points[2 * f]!, y1 = points[2 * f + 1]!;
          if (y0 === y1 || !(Math.min(y0, y1) <= j && j < Math.max(y0, y1))) continue;
          // The crossing at or to the right of the centre, to the precision the kernels use.
          const x = x0 + ((j - y0) * (x1 - x0)) / (y1 - y0);
          if (Math.ceil(x) <= i) crossings++;
        }
        inside ^= crossings & 1;
      }
      out[j * nx + i] = inside;
    }
  return out;
}

const polygon = (ny: number, nx: number) => fc.array(fc.tuple(fc.double({ min: -3, max: nx + 3, noNaN: true }), fc.integer({ min: -3, max: ny + 3 }).chain((y) => fc.constantFrom(y, y + 0.5, y + 0.25))), { minLength: 0, maxLength: 12 });

describe("fillContours on both backends", () => {
  it("random contours (holes, crossings, vertices on voxel centres, beyond the slice): the definition's voxels, the same on both", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (ny, nx) =>
        fc.assert(
          fc.property(fc.array(polygon(ny, nx), { minLength: 1, maxLength: 4 }), fc.uint8Array({ minLength: ny * nx, maxLength: ny * nx, min: 0, max: 1 }), (contours, start) => {
            const starts = new Uint32Array(contours.length + 1);
            contours.forEach((c, k) => (starts[k + 1] = starts[k]! + c.length));
            const points = Float64Array.from(contours.flat(2));
            const want = reference(points, starts, ny, nx);
            for (const k of [js, wasm]) {
              const out = start.slice();
              k.fillContours(points, starts, ny, nx, out);
              // XOR onto what was there.
              expect(out).toStrictEqual(start.map((v, i) => v ^ want[i]!));
            }
          }),
          { numRuns: 10 },
        ),
      ),
      { numRuns: 30 },
    );
  });

  it("a square with a square hole: the ring; two squares sharing an edge: every voxel once", () => {
    const starts = Uint32Array.of(0, 4, 8);
    const ring = Float64Array.of(0.5, 0.5, 8.5, 0.5, 8.5, 8.5, 0.5, 8.5, 2.5, 2.5, 6.5, 2.5, 6.5, 6.5, 2.5, 6.5);
    for (const k of [js, wasm]) {
      const out = new Uint8Array(100);
      k.fillContours(ring, starts, 10, 10, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(64 - 16);
      expect(out[5 * 10 + 5]).toBe(0);
      const halves = new Uint8Array(100);
      k.fillContours(Float64Array.of(0, 0, 5, 0, 5, 10, 0, 10, 5, 0, 10, 0, 10, 10, 5, 10), starts, 10, 10, halves);
      // Centres on the shared edge x = 5 belong to the right square only; each voxel once, none flipped twice.
      expect(halves.reduce((a, b) => a + b, 0)).toBe(10 * 10);
    }
  });

  it("refuses points that are not finite pairs, starts that do not cover them, a slice of the wrong size", () => {
    for (const k of [js, wasm]) {
      expect(codeOf(() => k.fillContours(Float64Array.of(0, 0, 1), Uint32Array.of(0, 1), 2, 2, new Uint8Array(4)))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.fillContours(Float64Array.of(0, NaN), Uint32Array.of(0, 1), 2, 2, new Uint8Array(4)))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.fillContours(Float64Array.of(0, 0), Uint32Array.of(0, 2), 2, 2, new Uint8Array(4)))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.fillContours(Float64Array.of(0, 0), Uint32Array.of(0, 1), 2, 2, new Uint8Array(3)))).toBe("INVALID_ARGUMENT");
    }
  });
});
