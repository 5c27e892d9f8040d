// The components family (assembly/components.ts, src/kernels/js/components.ts) on both
// backends against a flood fill written from the definition, on random label volumes of each
// bit depth and edge sizes, for one label and for every label at once; the two backends give
// the same runs, numbering and statistics.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LabelArray } from "../../src/bitdepth.js";
import { componentKernels } from "../../src/kernels/components.js";
import { jsKernels as jsCore } from "../../src/kernels/js.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import { COMPONENT_STATS, type Dims } from "../../src/kernels/types.js";
import { codeOf } from "../helpers/errors.js";

// The family's two builds, named as their backends.
const jsKernels = { name: "js", ...componentKernels(jsCore) };
const wasm = { name: "wasm", ...componentKernels(createWasmKernels()) };

/**
 * Components of `label` (0: of each non-zero value on its own) by breadth-first flood fill,
 * numbered 1.. in the order of their first voxel.
 */
function reference(src: LabelArray, [nz, ny, nx]: Dims, connectivity: 6 | 18 | 26, label = 0): { ids: number[]; count: number } {
  const ids = new Array<number>(src.length).fill(0);
  let count = 0;
  const offsets: number[][] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const far = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        if (far > 0 && (connectivity === 26 || (connectivity === 18 && far <= 2) || far === 1)) offsets.push([dz, dy, dx]);
      }
  for (let start = 0; start < src.length; start++) {
    const value = src[start]!;
    if (!value || ids[start] || (label !== 0 && value !== label)) continue;
    ids[start] = ++count;
    const queue = [start];
    while (queue.length) {
      const i = queue.pop()!;
      const x = i % nx, y = Math.floor(i / nx) % ny, z = Math.floor(i / (nx * ny));
      for (const [dz, dy, dx] of offsets) {
        const zz = z + dz!, yy = y + dy!, xx = x + dx!;
        if (zz < 0 || yy < 0 || xx < 0 || zz >= nz || yy >= ny || xx >= nx) continue;
        const j = (zz * ny + yy) * nx + xx;
        if (src[j] === value && !ids[j]) {
          ids[j] = count;
          queue.push(j);
        }
      }
    }
  }
  return { ids, count };
}

/** Per voxel, the component (1-based) the runs give it; 0 outside them. */
function idsOf(runs: Uint32Array, component: Uint32Array, voxels: number, nx: number): number[] {
  const ids = new Array<number>(voxels).fill(0);
  for (let i = 0; i < component.length; i++) ids.fill(component[i]! + 1, runs[4 * i]! * nx + runs[4 * i + 1]!, runs[4 * i]! * nx + runs[4 * i + 2]!);
  return ids;
}

/** The statistics of each reference component, as runComponents lays them out. */
function statsOf(src: LabelArray, ids: number[], count: number, [, ny, nx]: Dims): number[] {
  const stats = new Array<number>(count * COMPONENT_STATS).fill(0);
  for (let c = 0; c < count; c++) stats.fill(Infinity, c * COMPONENT_STATS + 4, c * COMPONENT_STATS + 7).fill(-1, c * COMPONENT_STATS + 7, c * COMPONENT_STATS + 10);
  ids.forEach((id, i) => {
    if (id === 0) return;
    const p = (id - 1) * COMPONENT_STATS, at = [Math.floor(i / (nx * ny)), Math.floor(i / nx) % ny, i % nx];
    stats[p]!++;
    for (let k = 0; k < 3; k++) {
      stats[p + 1 + k]! += at[k]!;
      stats[p + 4 + k] = Math.min(stats[p + 4 + k]!, at[k]!);
      stats[p + 7 + k] = Math.max(stats[p + 7 + k]!, at[k]!);
    }
    stats[p + 10] = src[i]!;
  });
  return stats;
}

function check(src: LabelArray, dims: Dims, label = 0): void {
  for (const c of [6, 18, 26] as const) {
    const want = reference(src, dims, c, label);
    const js = jsKernels.runComponents(src, dims, c, label), w = wasm.runComponents(src, dims, c, label);
    expect(js.count, `${c}`).toBe(want.count);
    expect(idsOf(js.runs, js.component, src.length, dims[2]), `${c}`).toEqual(want.ids);
    expect(Array.from(js.stats), `${c}`).toEqual(statsOf(src, want.ids, want.count, dims));
    expect(w, `wasm ${c}`).toEqual(js);
  }
}

/** A label volume of `dims` of type `Type` with values 0..labels, of which about `p` are not background. */
const volumes = (labels: number, Type: new (n: number) => LabelArray) =>
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40 })).chain((dims) => {
    const n = dims[0] * dims[1] * dims[2];
    return fc.tuple(
      fc.constant(dims as Dims),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }).chain((p) =>
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: labels })), { minLength: n, maxLength: n }).map((v) => {
          const out = new Type(n);
          v.forEach(([u, l], i) => (out[i] = u < p ? (Type === Uint8Array ? l : l * 997) : 0));
          return out;
        }),
      ),
    );
  });

describe("ComponentKernels.runComponents on both backends", () => {
  it("random binary volumes of any density (rows long enough for the 16-voxel steps): the flood fill's components, numbered alike, for 6, 18 and 26", () => {
    fc.assert(fc.property(volumes(1, Uint8Array), ([dims, src]) => check(src, dims)), { numRuns: 200 });
  });

  it("random label volumes of every bit depth: every label at once, and one label alone, as the flood fill has them", () => {
    for (const Type of [Uint8Array, Uint16Array, Uint32Array]) {
      fc.assert(
        fc.property(volumes(3, Type), fc.integer({ min: 1, max: 3 }), ([dims, src], l) => {
          check(src, dims);
          check(src, dims, Type === Uint8Array ? l : l * 997);
        }),
        { numRuns: 60 },
      );
    }
  });

  it("a label the bit depth cannot hold has no component; labels next to each other in a row are separate runs", () => {
    for (const k of [jsKernels, wasm]) expect(k.runComponents(Uint8Array.of(1, 1), [1, 1, 2], 26, 257).count).toBe(0);
    check(Uint8Array.of(1, 2, 2, 3, 1, 1), [1, 1, 6]);
    check(Uint8Array.of(1, 2, 2, 1, 0, 0, 2, 1, 1, 2, 0, 0), [2, 1, 6]);
  });

  it("edge sizes and shapes that merge late: one voxel, lines, a U whose arms meet at the bottom, a checkerboard, a spiral", () => {
    check(Uint8Array.of(1), [1, 1, 1]);
    check(Uint8Array.of(0), [1, 1, 1]);
    check(new Uint8Array(40).fill(1), [40, 1, 1]);
    const u = new Uint8Array(5 * 7);
    for (let y = 0; y < 5; y++) u[y * 7] = u[y * 7 + 6] = 1;
    u.fill(1, 28, 35);
    check(u, [1, 5, 7]);
    check(new Uint8Array(4 * 5 * 6).map((_, i) => (i + Math.floor(i / 6) + Math.floor(i / 30)) % 2), [4, 5, 6]);
    const n = 15, spiral = new Uint8Array(n * n);
    let [x, y, dx, dy, len] = [7, 7, 1, 0, 1];
    for (let k = 0, step = 0; k < 60; k++, step++) {
      spiral[y * n + x] = 1;
      if (step === len) [dx, dy, step, len] = [-dy, dx, 0, dx === 0 ? len + 1 : len];
      x = Math.min(n - 1, Math.max(0, x + dx));
      y = Math.min(n - 1, Math.max(0, y + dy));
    }
    check(spiral, [1, n, n]);
  });

  it("bad arguments are INVALID_ARGUMENT on both backends", () => {
    for (const k of [jsKernels, wasm]) {
      expect(codeOf(() => k.runComponents(new Uint8Array(7), [2, 2, 2], 26))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.runComponents(new Uint8Array(8), [2, 2, 2], 8 as 6))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.runComponents(new Uint8Array(8), [2, 2, 2], 26, -1))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.runComponents([0, 1] as unknown as Uint8Array, [1, 1, 2], 26))).toBe("INVALID_ARGUMENT");
    }
  });
});
