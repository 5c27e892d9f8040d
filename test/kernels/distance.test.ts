// The distance family (assembly/distance.ts, src/kernels/js/distance.ts): surfaceDistances on
// both backends against a brute-force reference written from the definitions (every surface
// voxel against every other), on random volumes of random spacing and on edge sizes; the two
// backends give the same bits.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { distanceKernels } from "../../src/kernels/distance.js";
import { jsKernels as jsCore } from "../../src/kernels/js.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import type { Dims } from "../../src/kernels/types.js";
import { SegmentationMask, Space } from "../../src/index.js";
import { codeOf } from "../helpers/errors.js";

// The family's two builds, named as their backends.
const jsKernels = { name: "js", ...distanceKernels(jsCore) };
const wasm = { name: "wasm", ...distanceKernels(createWasmKernels()) };
type Spacing = readonly [number, number, number];

/** The surface voxels (6-neighbour outside; the edge counts) of `m`, as (z, y, x). */
function surfacePoints(m: Uint8Array, [nz, ny, nx]: Dims): number[][] {
  const at = (z: number, y: number, x: number) => (z < 0 || y < 0 || x < 0 || z >= nz || y >= ny || x >= nx ? 0 : m[(z * ny + y) * nx + x]!);
  const points: number[][] = [];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (!at(z, y, x)) continue;
        if (!at(z - 1, y, x) || !at(z + 1, y, x) || !at(z, y - 1, x) || !at(z, y + 1, x) || !at(z, y, x - 1) || !at(z, y, x + 1)) points.push([z, y, x]);
      }
  return points;
}

function reference(a: Uint8Array, b: Uint8Array, dims: Dims, s: Spacing): { ab: number[]; ba: number[] } {
  const sa = surfacePoints(a, dims), sb = surfacePoints(b, dims);
  const d = (p: number[], q: number[]) => Math.hypot((p[0]! - q[0]!) * s[0], (p[1]! - q[1]!) * s[1], (p[2]! - q[2]!) * s[2]);
  const nearest = (from: number[][], to: number[][]) => from.map((p) => to.reduce((m, q) => Math.min(m, d(p, q)), Infinity));
  return { ab: nearest(sa, sb), ba: nearest(sb, sa) };
}

function check(a: Uint8Array, b: Uint8Array, dims: Dims, spacing: Spacing): void {
  const want = reference(a, b, dims, spacing);
  const js = jsKernels.surfaceDistances(a, b, dims, spacing);
  const w = wasm.surfaceDistances(a, b, dims, spacing);
  for (const k of ["ab", "ba"] as const) {
    expect(Array.from(w[k]), `wasm = js (${k})`).toEqual(Array.from(js[k]));
    expect(js[k].length, k).toBe(want[k].length);
    js[k].forEach((v, i) => (want[k][i] === Infinity ? expect(v).toBe(Infinity) : expect(Math.abs(v - want[k][i]!), `${k}[${i}]`).toBeLessThan(1e-9)));
  }
}

const volume = (dims: Dims, density: number) => fc.uint8Array({ minLength: dims[0] * dims[1] * dims[2], maxLength: dims[0] * dims[1] * dims[2] }).map((v) => v.map((x) => (x < density * 256 ? 1 : 0)));

describe("Kernels.surfaceDistances on both backends", () => {
  it("random volumes, random anisotropic spacing: exact against the brute force", () => {
    const dimsArb = fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 11 }));
    const spacingArb = fc.tuple(fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: 0.2, max: 5, noNaN: true }));
    fc.assert(
      fc.property(
        dimsArb.chain((dims) => fc.tuple(fc.constant(dims as Dims), fc.double({ min: 0.02, max: 0.9, noNaN: true }).chain((p) => fc.tuple(volume(dims, p), volume(dims, p))), spacingArb)),
        ([dims, [a, b], spacing]) => check(a, b, dims, spacing),
      ),
      { numRuns: 150 },
    );
  });

  it("rows long enough for the 16-voxel steps (x up to 70), surfaces and distances exact on both backends", () => {
    const dimsArb = fc.tuple(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 3, max: 6 }), fc.integer({ min: 17, max: 70 }));
    fc.assert(
      fc.property(
        dimsArb.chain((dims) => fc.tuple(fc.constant(dims as Dims), fc.double({ min: 0.3, max: 0.97, noNaN: true }).chain((p) => fc.tuple(volume(dims, p), volume(dims, p))))),
        ([dims, [a, b]]) => check(a, b, dims, [1.3, 0.9, 0.7]),
      ),
      { numRuns: 60 },
    );
  });

  it("edge sizes: one voxel, lines along each axis, a full block (all surface at the edge), one side empty (Infinity)", () => {
    check(Uint8Array.of(1), Uint8Array.of(1), [1, 1, 1], [1, 1, 1]);
    for (const dims of [[17, 1, 1], [1, 17, 1], [1, 1, 17]] as Dims[]) {
      const a = new Uint8Array(17).fill(1, 2, 5), b = new Uint8Array(17).fill(1, 11, 16);
      check(a, b, dims, [0.7, 1.3, 2.1]);
    }
    check(new Uint8Array(60).fill(1), new Uint8Array(60).fill(1, 20), [3, 4, 5], [2, 1, 0.5]);
    const empty = jsKernels.surfaceDistances(new Uint8Array(8).fill(1), new Uint8Array(8), [2, 2, 2], [1, 1, 1]);
    expect(Array.from(empty.ab)).toEqual(Array(8).fill(Infinity));
    expect(empty.ba.length).toBe(0);
    check(new Uint8Array(8).fill(1), new Uint8Array(8), [2, 2, 2], [1, 1, 1]);
  });

  it("a volume past the longest line both ways (80 x 3 x 3 and 3 x 3 x 80), far-apart objects", () => {
    for (const dims of [[80, 3, 3], [3, 3, 80]] as Dims[]) {
      const a = new Uint8Array(720), b = new Uint8Array(720);
      a[0] = 1;
      b[719] = 1;
      check(a, b, dims, [1.5, 0.8, 0.8]);
    }
  });

  it("bad arguments are INVALID_ARGUMENT on both backends", () => {
    for (const k of [jsKernels, wasm]) {
      expect(codeOf(() => k.surfaceDistances(new Uint8Array(7), new Uint8Array(8), [2, 2, 2], [1, 1, 1]))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.surfaceDistances(new Uint8Array(8), new Uint8Array(8), [2, 2, 2], [1, 0, 1]))).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("Kernels.cropLabel on both backends", () => {
  it("every bit depth, random boxes: equal to cutting the box by hand; a resident volume read in place", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(Uint8Array, Uint16Array, Uint32Array),
        fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 40 })),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (Type, dims, seed) => {
          const [nz, ny, nx] = dims;
          const data = new Type(nz * ny * nx).map((_, i) => ((i * 2654435761 + seed) >>> 28) % 3);
          const pick = (n: number, s: number) => [s % n, s % n + ((s >>> 5) % (n - (s % n)))] as const;
          const [z0, z1] = pick(nz, seed), [y0, y1] = pick(ny, seed >>> 3), [x0, x1] = pick(nx, seed >>> 7);
          const box = [z0, y0, x0, z1, y1, x1] as const;
          const want: number[] = [];
          for (let z = z0; z <= z1; z++) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) want.push(data[(z * ny + y) * nx + x] === 2 ? 1 : 0);
          for (const k of [jsKernels, wasm]) expect(Array.from(k.cropLabel(data, 2, dims, box)), k.name).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
    const space = new Space({ shape: [3, 4, 40] });
    const seg = new SegmentationMask(new Uint8Array(480).map((_, i) => i % 3), { a: 1, b: 2 }, space).toResident();
    const want = jsKernels.cropLabel(seg.data, 1, [3, 4, 40], [1, 1, 5, 2, 3, 30]);
    expect(Array.from(distanceKernels().cropLabel(seg.data, 1, [3, 4, 40], [1, 1, 5, 2, 3, 30]))).toEqual(Array.from(want));
    seg.dispose();
    for (const k of [jsKernels, wasm]) {
      expect(Array.from(k.cropLabel(Uint8Array.of(1, 2, 3), 300, [1, 1, 3], [0, 0, 0, 0, 0, 2]))).toEqual([0, 0, 0]);
      expect(codeOf(() => k.cropLabel(new Uint8Array(8), 1, [2, 2, 2], [0, 0, 0, 2, 1, 1]))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.cropLabel(new Uint8Array(8), 1, [2, 2, 2], [0, 0, 0, 1, 1, 1], new Uint8Array(7)))).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("Kernels.distanceSquared on both backends", () => {
  it("random features and spacing: every voxel's squared distance to the nearest feature, exact", () => {
    const dimsArb = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 9 }));
    fc.assert(
      fc.property(dimsArb.chain((dims) => fc.tuple(fc.constant(dims as Dims), volume(dims, 0.1))), ([dims, features]) => {
        const [, ny, nx] = dims;
        const spacing = [1.3, 0.7, 2.1] as const;
        const points: number[][] = [];
        features.forEach((f, i) => f && points.push([Math.floor(i / (ny * nx)), Math.floor(i / nx) % ny, i % nx]));
        const js = jsKernels.distanceSquared(features, dims, spacing), w = wasm.distanceSquared(features, dims, spacing);
        expect(Array.from(w)).toEqual(Array.from(js));
        for (let i = 0; i < features.length; i++) {
          const p = [Math.floor(i / (ny * nx)), Math.floor(i / nx) % ny, i % nx];
          const want = points.reduce((m, q) => Math.min(m, ((p[0]! - q[0]!) * 1.3) ** 2 + ((p[1]! - q[1]!) * 0.7) ** 2 + ((p[2]! - q[2]!) * 2.1) ** 2), Infinity);
          if (want === Infinity) expect(js[i]).toBe(Infinity);
          else expect(Math.abs(js[i]! - want)).toBeLessThan(1e-9);
        }
      }),
      { numRuns: 150 },
    );
  });
});
