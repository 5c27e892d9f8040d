// The geometry family (assembly/geometry.ts, src/kernels/js/geometry.ts) on both backends
// against references written from the definitions, on random volumes, maps and edge sizes.
// Maps of multiples of 1/8 keep every position and weight exact, so the references match
// to the voxel, ties included; maps of any doubles hold the two backends to each other.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LabelArray } from "../../src/bitdepth.js";
import { geometryKernels } from "../../src/kernels/geometry.js";
import { jsKernels as jsCore } from "../../src/kernels/js.js";
import type { Dims } from "../../src/kernels/types.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import { codeOf } from "../helpers/errors.js";

// The family's two builds, named as their backends.
const jsKernels = { name: "js", ...geometryKernels(jsCore) };
const wasm = { name: "wasm", ...geometryKernels(createWasmKernels()) };
const BACKENDS = [jsKernels, wasm] as const;
const ORDERS = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] as const;

function permuteReference(data: LabelArray, dims: Dims, order: readonly number[], flips: readonly boolean[]): number[] {
  const out: number[] = [];
  const n = order.map((a) => dims[a]!);
  for (let i = 0; i < n[0]!; i++)
    for (let j = 0; j < n[1]!; j++)
      for (let k = 0; k < n[2]!; k++) {
        const at = [0, 0, 0];
        [i, j, k].forEach((v, axis) => (at[order[axis]!] = flips[axis] ? n[axis]! - 1 - v : v));
        out.push(data[(at[0]! * dims[1] + at[1]!) * dims[2] + at[2]!]!);
      }
  return out;
}

/** The map applied to output index (i, j, k): the input position. */
const position = (m: readonly number[], i: number, j: number, k: number): number[] => [0, 1, 2].map((r) => m[4 * r]! * i + m[4 * r + 1]! * j + m[4 * r + 2]! * k + m[4 * r + 3]!);

function resampleReference(data: LabelArray, dims: Dims, out: Dims, m: readonly number[], method: "nearest" | "label-linear"): number[] {
  const label = (p: readonly number[]): number => (p.every((v, a) => v >= 0 && v < dims[a]!) ? data[(p[0]! * dims[1] + p[1]!) * dims[2] + p[2]!]! : 0);
  const result: number[] = [];
  for (let i = 0; i < out[0]; i++)
    for (let j = 0; j < out[1]; j++)
      for (let k = 0; k < out[2]; k++) {
        const p = position(m, i, j, k);
        if (method === "nearest") {
          result.push(label(p.map((v) => Math.floor(v + 0.5 + 1e-9))));
          continue;
        }
        const sums = new Map<number, number>();
        for (const corner of [0, 1, 2, 3, 4, 5, 6, 7]) {
          const d = [corner >> 2, (corner >> 1) & 1, corner & 1];
          const w = p.reduce((acc, v, a) => acc * (d[a] ? v - Math.floor(v) : 1 - (v - Math.floor(v))), 1);
          const l = label(p.map((v, a) => Math.floor(v) + d[a]!));
          sums.set(l, (sums.get(l) ?? 0) + w);
        }
        // Ties: the nearest voxel's label when it is among them, else the smallest.
        const near = label(p.map((v) => Math.floor(v + 0.5 + 1e-9)));
        const [best] = [...sums].sort((a, b) => b[1] - a[1] || Number(b[0] === near) - Number(a[0] === near) || a[0] - b[0])[0]!;
        result.push(best);
      }
  return result;
}

const dimsArb = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }));
/** Labels of one bit depth, few distinct (so regions and ties occur). */
const volumeArb = (dims: Dims) =>
  fc.tuple(fc.constantFrom(8, 16, 32), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: dims[0] * dims[1] * dims[2], maxLength: dims[0] * dims[1] * dims[2] }), fc.integer({ min: 1, max: 2 ** 32 - 4 })).map(([bits, values, top]) => {
    const label = (v: number): number => (v === 0 ? 0 : Math.min(2 ** bits - 4, top) + v);
    return (bits === 8 ? Uint8Array.from(values, label) : bits === 16 ? Uint16Array.from(values, label) : Uint32Array.from(values, label)) as LabelArray;
  });
const eighthArb = (lo: number, hi: number) => fc.integer({ min: lo * 8, max: hi * 8 }).map((v) => v / 8);
/** A map of eighths: scaling, shearing (rotated grids) and shifts, some exactly axis-aligned. */
const exactMapArb = fc.oneof(
  fc.tuple(eighthArb(0, 3), eighthArb(0, 3), eighthArb(0, 3), eighthArb(-3, 3), eighthArb(-3, 3), eighthArb(-3, 3)).map(([a, b, c, t0, t1, t2]) => [a, 0, 0, t0, 0, b, 0, t1, 0, 0, c, t2]),
  fc.array(eighthArb(-2, 2), { minLength: 12, maxLength: 12 }),
);

describe("permuteAxes", () => {
  it("matches the reference for every order and flip, on random volumes (both backends)", () => {
    fc.assert(
      fc.property(dimsArb.chain((d) => fc.tuple(fc.constant(d), volumeArb(d), fc.constantFrom(...ORDERS), fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()))), ([dims, data, order, flips]) => {
        const want = permuteReference(data, dims, order, flips);
        for (const k of BACKENDS) {
          const got = k.permuteAxes(data, dims, order, flips);
          expect(got.constructor, k.name).toBe(data.constructor);
          expect(Array.from(got), k.name).toEqual(want);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("handles edge sizes: one voxel, one row, tiles not dividing the axes", () => {
    for (const dims of [[1, 1, 1], [1, 1, 33], [33, 1, 1], [1, 65, 2], [3, 33, 31]] as Dims[]) {
      const data = Uint16Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, i) => i);
      for (const order of ORDERS)
        for (const flips of [[false, false, false], [true, true, true], [false, true, false]]) {
          const want = permuteReference(data, dims, order, flips);
          for (const k of BACKENDS) expect(Array.from(k.permuteAxes(data, dims, order, flips)), `${k.name} ${dims} ${order} ${flips}`).toEqual(want);
        }
    }
  });

  it("refuses what is not a volume of its dims or not an order", () => {
    for (const k of BACKENDS) {
      expect(codeOf(() => k.permuteAxes(new Uint8Array(5), [1, 2, 3], [0, 1, 2], [false, false, false]))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.permuteAxes(new Uint8Array(6), [1, 2, 3], [0, 1, 1], [false, false, false]))).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("resample", () => {
  for (const method of ["nearest", "label-linear"] as const) {
    it(`${method}: matches the reference on random volumes and exact maps (both backends)`, () => {
      fc.assert(
        fc.property(dimsArb.chain((d) => fc.tuple(fc.constant(d), volumeArb(d), dimsArb, exactMapArb)), ([dims, data, out, map]) => {
          const want = resampleReference(data, dims, out, map, method);
          for (const k of BACKENDS) {
            const got = k.resample(data, dims, out, map, method);
            expect(got.constructor, k.name).toBe(data.constructor);
            expect(Array.from(got), `${k.name} ${JSON.stringify(map)}`).toEqual(want);
          }
        }),
        { numRuns: 150 },
      );
    });

    it(`${method}: the two backends agree on maps of any doubles`, () => {
      const anyMap = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 });
      fc.assert(
        fc.property(dimsArb.chain((d) => fc.tuple(fc.constant(d), volumeArb(d), dimsArb, anyMap)), ([dims, data, out, map]) => {
          expect(Array.from(wasm.resample(data, dims, out, map, method))).toEqual(Array.from(jsKernels.resample(data, dims, out, map, method)));
        }),
        { numRuns: 100 },
      );
    });
  }

  it("label-linear invents no label and keeps a uniform volume uniform", () => {
    const data = new Uint8Array(4 * 5 * 6).fill(7);
    for (const k of BACKENDS) {
      const out = k.resample(data, [4, 5, 6], [7, 9, 11], [0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5, 0], "label-linear");
      expect(new Set(out), k.name).toEqual(new Set([7]));
    }
  });

  it("makes positions off the input background, and refuses bad maps", () => {
    const data = new Uint8Array(8).fill(3);
    for (const k of BACKENDS) {
      expect(Array.from(k.resample(data, [2, 2, 2], [1, 1, 3], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -0.6], "nearest")), k.name).toEqual([0, 3, 3]);
      expect(codeOf(() => k.resample(data, [2, 2, 2], [1, 1, 1], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, NaN], "nearest"))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.resample(data, [2, 2, 2], [1, 1, 1], new Array(12).fill(0), "cubic" as "nearest"))).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("reverseRows", () => {
  const reference = (data: LabelArray, n: number): number[] => Array.from(data, (_, i) => data[Math.floor(i / n) * n + (n - 1 - (i % n))]!);

  it("reverses every row, at every bit depth and row length, random volumes (both backends)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(8, 16, 32), (n, rows, bits) => {
        const values = Array.from({ length: n * rows }, (_, i) => (i * 2654435761) % 251);
        const data = (bits === 8 ? Uint8Array.from(values) : bits === 16 ? Uint16Array.from(values, (v) => v * 257) : Uint32Array.from(values, (v) => v * 16777259)) as LabelArray;
        const want = reference(data, n);
        for (const k of BACKENDS) {
          const got = k.reverseRows(data, n);
          expect(got.constructor, k.name).toBe(data.constructor);
          expect(Array.from(got), `${k.name} n=${n}`).toEqual(want);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("rows longer than the WASM chunk, and many short rows over several chunks", () => {
    for (const [bits, n, rows] of [[8, 300_001, 2], [16, 140_000, 1], [32, 70_001, 2], [8, 3, 200_000]] as const) {
      const values = Array.from({ length: n * rows }, (_, i) => (i * 7919) % 65521);
      const data = (bits === 8 ? Uint8Array.from(values) : bits === 16 ? Uint16Array.from(values) : Uint32Array.from(values)) as LabelArray;
      const want = reference(data, n);
      for (const k of BACKENDS) expect(Array.from(k.reverseRows(data, n)).every((v, i) => v === want[i]), `${k.name} ${bits} bits n=${n}`).toBe(true);
    }
  });

  it("refuses a row length that does not divide the volume", () => {
    for (const k of BACKENDS) expect(codeOf(() => k.reverseRows(new Uint8Array(10), 3))).toBe("INVALID_ARGUMENT");
  });
});
