// The surfaces family (assembly/surfaces.ts, src/kernels/js/surfaces.ts) on both backends:
// the two give the same vertices, keys and triangles on random label volumes of every bit
// depth and edge sizes; every surface is closed, oriented outward and a 2-manifold; and its
// counts agree with the voxels, counted here from the definitions (faces between the label
// and the rest, edges it touches diagonally, sheets of faces joined around each corner).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LabelArray } from "../../src/bitdepth.js";
import { jsKernels as jsCore } from "../../src/kernels/js.js";
import { surfaceTables } from "../../src/kernels/surface-tables.js";
import { surfaceKernels, type RawSurface } from "../../src/kernels/surfaces.js";
import type { Box6, Dims } from "../../src/kernels/types.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import { codeOf } from "../helpers/errors.js";
import { meshFacts } from "../helpers/meshes.js";

const js = surfaceKernels(jsCore);
const wasm = surfaceKernels(createWasmKernels());

/** The box of `label`'s voxels (z0, y0, x0, z1, y1, x1), or null. */
function boxOf(data: LabelArray, [nz, ny, nx]: Dims, label: number): Box6 | null {
  let box: number[] | null = null;
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (data[i] !== label) continue;
        if (!box) box = [z, y, x, z, y, x];
        else box = [Math.min(box[0]!, z), Math.min(box[1]!, y), Math.min(box[2]!, x), Math.max(box[3]!, z), Math.max(box[4]!, y), Math.max(box[5]!, x)];
      }
  return box as Box6 | null;
}

/**
 * From the definitions: faces between `label` and the rest; edges with the label on two
 * diagonal voxels of the four around them; and sheets: at each lattice corner, the boundary
 * faces of the 2x2x2 voxels around it, joined when they bound one run of the label's voxels
 * around one of the six half-edges from the corner.
 */
function counted(data: LabelArray, [nz, ny, nx]: Dims, label: number): { faces: number; pinches: number; sheets: number } {
  const is = (x: number, y: number, z: number) => x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz && data[(z * ny + y) * nx + x] === label;
  let faces = 0, pinches = 0, sheets = 0;
  for (let z = -1; z < nz; z++)
    for (let y = -1; y < ny; y++)
      for (let x = -1; x < nx; x++) {
        if (is(x, y, z) !== is(x + 1, y, z)) faces++;
        if (is(x, y, z) !== is(x, y + 1, z)) faces++;
        if (is(x, y, z) !== is(x, y, z + 1)) faces++;
      }
  const voxel = (c: number[], o: number[]) => is(c[0]! - 1 + o[0]!, c[1]! - 1 + o[1]!, c[2]! - 1 + o[2]!);
  for (let cz = 0; cz <= nz; cz++)
    for (let cy = 0; cy <= ny; cy++)
      for (let cx = 0; cx <= nx; cx++) {
        const c = [cx, cy, cz];
        // Faces of the block: a voxel offset (0/1 each axis) and the axis to its neighbour.
        const faceId = (o: number[], axis: number) => {
          const low = [...o];
          low[axis] = 0;
          return axis * 4 + low[(axis + 1) % 3]! + 2 * low[(axis + 2) % 3]!;
        };
        const parent = Array.from({ length: 12 }, (_, i) => i);
        const find = (f: number): number => (parent[f] === f ? f : (parent[f] = find(parent[f]!)));
        const boundary = new Set<number>();
        for (let axis = 0; axis < 3; axis++)
          for (const side of [0, 1]) {
            // The four voxels around the half-edge, in turn round it.
            const ring = [[0, 0], [1, 0], [1, 1], [0, 1]].map(([u, v]) => {
              const o = [0, 0, 0];
              o[axis] = side;
              o[(axis + 1) % 3] = u!;
              o[(axis + 2) % 3] = v!;
              return o;
            });
            const inside = ring.map((o) => voxel(c, o));
            const faceAfter = (i: number) => {
              const a = ring[i]!, b = ring[(i + 1) % 4]!;
              return faceId(a, a.findIndex((v, k) => v !== b[k]));
            };
            for (let i = 0; i < 4; i++) if (inside[i] !== inside[(i + 1) % 4]) boundary.add(faceAfter(i));
            if (inside.filter(Boolean).length === 2 && inside[0] === inside[2]) if (side === 1) pinches++;
            for (let i = 0; i < 4; i++) {
              if (!inside[i] || inside[(i + 3) % 4]) continue;
              let j = i;
              while (inside[(j + 1) % 4]) j++;
              parent[find(faceAfter((i + 3) % 4))] = find(faceAfter(j % 4));
            }
          }
        sheets += new Set([...boundary].map(find)).size;
      }
  return { faces, pinches, sheets };
}

const labelArray = (bits: 8 | 16 | 32, values: number[]): LabelArray => (bits === 8 ? Uint8Array.from(values) : bits === 16 ? Uint16Array.from(values) : Uint32Array.from(values));

/** The surfaces of every label present, on both backends, checked equal. */
function both(data: LabelArray, dims: Dims): { labels: number[]; surfaces: RawSurface[] } {
  const labels = [...new Set(data)].filter((v) => v !== 0).sort((a, b) => a - b);
  const boxes = labels.map((l) => boxOf(data, dims, l)!);
  const a = js.surfaces(data, dims, labels, boxes), b = wasm.surfaces(data, dims, labels, boxes);
  for (let i = 0; i < labels.length; i++) {
    expect(b[i]!.positions).toStrictEqual(a[i]!.positions);
    expect(b[i]!.keys).toStrictEqual(a[i]!.keys);
    expect(b[i]!.indices).toStrictEqual(a[i]!.indices);
    expect(b[i]!.mids).toStrictEqual(a[i]!.mids);
  }
  return { labels, surfaces: a };
}

describe("surface tables", () => {
  it("every configuration has at most four sheets, each of three faces or more, and a vertex inside the corner's cell", () => {
    const t = surfaceTables();
    for (let m = 0; m < 256; m++) {
      expect(t.counts[m]).toBeLessThanOrEqual(4);
      for (let s = 0; s < t.counts[m]!; s++) expect(Array.from(t.sheets.subarray(12 * m, 12 * m + 12)).filter((v) => v === s).length).toBeGreaterThanOrEqual(3);
      for (let k = 0; k < 3 * t.counts[m]!; k++) expect(Math.abs(t.offsets[m * 12 + k]!)).toBeLessThanOrEqual(0.5);
    }
    expect(t.counts[0]).toBe(0);
    expect(t.counts[255]).toBe(0);
    // Two voxels meeting at the corner only: two sheets; a diagonal pair in a face: two.
    expect(t.counts[0b10000001]).toBe(2);
    expect(t.counts[0b00001001]).toBe(2);
  });
});

describe("surfaces on both backends", () => {
  it("one voxel: a cube a third of the voxel wide (each corner's vertex the mean of its three faces), eight vertices, twelve triangles facing out", () => {
    const data = new Uint8Array(27);
    data[13] = 4;
    const { surfaces } = both(data, [3, 3, 3]);
    const s = surfaces[0]!;
    expect(s.positions.length / 3).toBe(8);
    expect(s.indices.length / 3).toBe(12);
    for (const v of s.positions) expect([1 - 1 / 6, 1 + 1 / 6]).toContainEqual(expect.closeTo(v, 6));
    const facts = meshFacts(s.positions, s.indices);
    expect(facts).toMatchObject({ openEdges: 0, pinchedVertices: 0, euler: 2, pieces: 1 });
    expect(facts.volume).toBeCloseTo(1 / 27, 6);
  });

  it("random volumes of every bit depth and edge sizes: the same on both backends, closed, outward, manifold, and as many faces, pinches and sheets as the voxels have", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8 as const, 16 as const, 32 as const),
        fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        (bits, dims, seed, density) => {
          let s = seed;
          const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
          const big = bits === 8 ? 3 : bits === 16 ? 60000 : 4_000_000_000;
          const values = Array.from({ length: dims[0] * dims[1] * dims[2] }, () => (rnd() < density ? [1, 2, big][Math.floor(rnd() * 3)]! : 0));
          const data = labelArray(bits, values);
          const { labels, surfaces } = both(data, dims);
          labels.forEach((label, i) => {
            const surface = surfaces[i]!;
            const facts = meshFacts(surface.positions, surface.indices);
            const want = counted(data, dims, label);
            expect(facts.openEdges).toBe(0);
            expect(facts.pinchedVertices).toBe(0);
            expect(facts.unusedVertices).toBe(0);
            expect(facts.volume).toBeGreaterThan(0);
            expect(surface.mids.length / 3).toBe(2 * want.pinches);
            expect(surface.positions.length / 3).toBe(want.sheets + 2 * want.pinches);
            expect(surface.indices.length / 3).toBe(2 * want.faces + 2 * (surface.mids.length / 3));
            // Every vertex within the label's box grown by one voxel, every key a corner's.
            const box = boxOf(data, dims, label)!;
            for (let v = 0; v < surface.positions.length / 3; v++) {
              for (let k = 0; k < 3; k++) {
                expect(surface.positions[3 * v + k]!).toBeGreaterThanOrEqual(box[2 - k]! - 1);
                expect(surface.positions[3 * v + k]!).toBeLessThanOrEqual(box[5 - k]! + 1);
              }
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a ball: one piece, a sphere (Euler 2), its volume within 3% of its voxels'; a torus: Euler 0", () => {
    const n = 26, dims: Dims = [n, n, n];
    const ball = new Uint8Array(n ** 3), torus = new Uint8Array(n ** 3);
    for (let z = 0, i = 0; z < n; z++)
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++, i++) {
          if ((x - 12.3) ** 2 + (y - 12.6) ** 2 + (z - 12.1) ** 2 <= 8.5 ** 2) ball[i] = 1;
          if ((Math.hypot(x - 12.5, y - 12.5) - 7) ** 2 + (z - 12.5) ** 2 <= 2.6 ** 2) torus[i] = 2;
        }
    const b = both(ball, dims).surfaces[0]!, t = both(torus, dims).surfaces[0]!;
    const fb = meshFacts(b.positions, b.indices), ft = meshFacts(t.positions, t.indices);
    expect(fb).toMatchObject({ openEdges: 0, pinchedVertices: 0, euler: 2, pieces: 1 });
    expect(Math.abs(fb.volume / ball.filter(Boolean).length - 1)).toBeLessThan(0.03);
    expect(ft).toMatchObject({ openEdges: 0, pinchedVertices: 0, euler: 0, pieces: 1 });
  });

  it("a label filling the whole grid is closed at the grid's faces; two labels touching share the vertices of their common boundary", () => {
    const full = new Uint16Array(4 * 5 * 6).fill(7);
    const f = both(full, [4, 5, 6]).surfaces[0]!;
    expect(meshFacts(f.positions, f.indices)).toMatchObject({ openEdges: 0, pinchedVertices: 0, euler: 2 });
    expect(meshFacts(f.positions, f.indices).volume).toBeGreaterThan(0);
    // Left half 1, right half 2, with a background margin.
    const dims: Dims = [6, 6, 10], data = new Uint8Array(360);
    for (let z = 1; z < 5; z++) for (let y = 1; y < 5; y++) for (let x = 1; x < 9; x++) data[(z * 6 + y) * 10 + x] = x < 5 ? 1 : 2;
    const [a, b] = both(data, dims).surfaces;
    const at = new Map<number, number[]>();
    for (let v = 0; v < a!.keys.length; v++) at.set(a!.keys[v]!, Array.from(a!.positions.subarray(3 * v, 3 * v + 3)));
    let shared = 0;
    for (let v = 0; v < b!.keys.length; v++) {
      const mine = at.get(b!.keys[v]!);
      if (!mine) continue;
      shared++;
      expect(Array.from(b!.positions.subarray(3 * v, 3 * v + 3))).toStrictEqual(mine);
    }
    // The 5x5 corners of the shared wall.
    expect(shared).toBe(25);
  });

  it("refuses a label array of the wrong size, a label of 0 and a box outside the grid", () => {
    const data = new Uint8Array(8);
    for (const k of [js, wasm]) {
      expect(codeOf(() => k.surfaces(data, [2, 2, 3], [1], [[0, 0, 0, 1, 1, 1]]))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.surfaces(data, [2, 2, 2], [0], [[0, 0, 0, 1, 1, 1]]))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.surfaces(data, [2, 2, 2], [1], [[0, 0, 0, 2, 1, 1]]))).toBe("INVALID_ARGUMENT");
    }
  });
});
