// The contours family (assembly/contours.ts, src/kernels/js/contours.ts) on both backends
// against the definition: a voxel is 1 when its centre is inside an odd number of the
// contours (a ray to +x crossing edges, a centre on an edge inside on one side only), on
// random polygons (self-intersecting ones too), rows and columns outside the slice, edge sizes;
// and traceContours: the same contours on both backends, which fill back to the slice, one per
// piece (voxels joined through faces and corners) and one per hole (joined through faces).
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

/** The pieces of `grid` whose value is `value`, joined through faces (4) or faces and corners (8); the ones touching the border apart. */
function pieces(grid: Uint8Array, ny: number, nx: number, value: number, neighbours: 4 | 8): { inner: number; border: number } {
  const seen = new Uint8Array(ny * nx);
  let inner = 0, border = 0;
  const steps = neighbours === 4 ? [[0, 1], [1, 0], [0, -1], [-1, 0]] : [[0, 1], [1, 0], [0, -1], [-1, 0], [1, 1], [1, -1], [-1, 1], [-1, -1]];
  for (let start = 0; start < ny * nx; start++) {
    if (seen[start] || grid[start] !== value) continue;
    let touches = false;
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const at = stack.pop()!, y = Math.floor(at / nx), x = at % nx;
      if (y === 0 || x === 0 || y === ny - 1 || x === nx - 1) touches = true;
      for (const [dy, dx] of steps) {
        const v = y + dy!, u = x + dx!;
        if (v < 0 || u < 0 || v >= ny || u >= nx || seen[v * nx + u] || grid[v * nx + u] !== value) continue;
        seen[v * nx + u] = 1;
        stack.push(v * nx + u);
      }
    }
    if (touches) border++;
    else inner++;
  }
  return { inner, border };
}

/** A random slice whose first and last rows and columns are 0. */
const slice = fc.record({ ny: fc.integer({ min: 1, max: 14 }), nx: fc.integer({ min: 1, max: 14 }), density: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer() }).map(({ ny, nx, density, seed }) => {
  let s = seed >>> 0;
  const grid = new Uint8Array(ny * nx);
  for (let y = 1; y < ny - 1; y++)
    for (let x = 1; x < nx - 1; x++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      grid[y * nx + x] = s / 2 ** 32 < density ? 1 : 0;
    }
  return { ny, nx, grid };
});

describe("traceContours on both backends", () => {
  it("random slices: the same contours on both, filled back they give the slice, a contour per piece and per hole, no point on a straight run", () => {
    fc.assert(
      fc.property(slice, ({ ny, nx, grid }) => {
        const a = js.traceContours(grid, ny, nx), b = wasm.traceContours(grid, ny, nx);
        expect(b.points).toStrictEqual(a.points);
        expect(b.starts).toStrictEqual(a.starts);
        const back = new Uint8Array(ny * nx);
        js.fillContours(Float64Array.from(a.points, (v) => v / 2), a.starts, ny, nx, back);
        expect(back).toStrictEqual(grid);
        // Pieces joined through corners, holes through faces (the background's pieces inside).
        const count = a.starts.length - 1;
        expect(count).toBe(pieces(grid, ny, nx, 1, 8).inner + pieces(grid, ny, nx, 0, 4).inner);
        for (let c = 0; c < count; c++) {
          const n = a.starts[c + 1]! - a.starts[c]!;
          expect(n).toBeGreaterThanOrEqual(4);
          for (let p = 0; p < n; p++) {
            const at = (q: number) => 2 * (a.starts[c]! + ((q + n) % n));
            const [dx, dy] = [a.points[at(p + 1)]! - a.points[at(p)]!, a.points[at(p + 1) + 1]! - a.points[at(p) + 1]!];
            const [ex, ey] = [a.points[at(p)]! - a.points[at(p - 1)]!, a.points[at(p) + 1]! - a.points[at(p - 1) + 1]!];
            // Steps along a row, a column or a diagonal; a turn at every point.
            expect(dx === 0 || dy === 0 || Math.abs(dx) === Math.abs(dy)).toBe(true);
            expect(Math.sign(dx) === Math.sign(ex) && Math.sign(dy) === Math.sign(ey)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("edge sizes: a slice of one voxel or of only its border has no contour; one voxel a diamond through its faces' middles; two voxels at a corner one contour; a ring two", () => {
    for (const k of [js, wasm]) {
      for (const [ny, nx] of [[1, 1], [1, 5], [2, 2], [3, 1]] as const) expect(k.traceContours(new Uint8Array(ny * nx), ny, nx).starts).toStrictEqual(Uint32Array.of(0));
      const one = new Uint8Array(9);
      one[4] = 1;
      const diamond = k.traceContours(one, 3, 3);
      expect(diamond.starts).toStrictEqual(Uint32Array.of(0, 4));
      // Starting at the first cell met (row by row), the left face's middle, then clockwise as the slice is drawn.
      expect([...diamond.points].join()).toBe("1,2,2,1,3,2,2,3");
      const corner = new Uint8Array(16);
      corner[5] = corner[10] = 1;
      expect(k.traceContours(corner, 4, 4).starts.length - 1).toBe(1);
      const ring = new Uint8Array(25).map((_, i) => (i % 5 >= 1 && i % 5 <= 3 && i >= 5 && i < 20 && i !== 12 ? 1 : 0));
      const r = k.traceContours(ring, 5, 5);
      expect(r.starts.length - 1).toBe(2);
    }
  });

  it("refuses a slice whose border is not 0, values other than 0 and 1, a slice of the wrong size", () => {
    for (const k of [js, wasm]) {
      expect(codeOf(() => k.traceContours(Uint8Array.of(1), 1, 1))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.traceContours(new Uint8Array(9).fill(2, 4, 5), 3, 3))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.traceContours(new Uint8Array(8), 3, 3))).toBe("INVALID_ARGUMENT");
    }
  });
});
