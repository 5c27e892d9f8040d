// The components family (assembly/components.ts, src/kernels/js/components.ts) on both
// backends against a flood fill written from the definition, on random volumes and edge
// sizes; the two backends number components alike.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { componentKernels } from "../../src/kernels/components.js";
import { jsKernels as jsCore } from "../../src/kernels/js.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import type { Dims } from "../../src/kernels/types.js";
import { codeOf } from "../helpers/errors.js";

// The family's two builds, named as their backends.
const jsKernels = { name: "js", ...componentKernels(jsCore) };
const wasm = { name: "wasm", ...componentKernels(createWasmKernels()) };

/** Components by breadth-first flood fill, numbered in the order of their first voxel. */
function reference(src: Uint8Array, [nz, ny, nx]: Dims, connectivity: 6 | 18 | 26): { ids: number[]; count: number } {
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
    if (!src[start] || ids[start]) continue;
    ids[start] = ++count;
    const queue = [start];
    while (queue.length) {
      const i = queue.pop()!;
      const x = i % nx, y = Math.floor(i / nx) % ny, z = Math.floor(i / (nx * ny));
      for (const [dz, dy, dx] of offsets) {
        const zz = z + dz!, yy = y + dy!, xx = x + dx!;
        if (zz < 0 || yy < 0 || xx < 0 || zz >= nz || yy >= ny || xx >= nx) continue;
        const j = (zz * ny + yy) * nx + xx;
        if (src[j] && !ids[j]) {
          ids[j] = count;
          queue.push(j);
        }
      }
    }
  }
  return { ids, count };
}

function check(src: Uint8Array, dims: Dims): void {
  for (const c of [6, 18, 26] as const) {
    const want = reference(src, dims, c);
    const js = jsKernels.components(src, dims, c), w = wasm.components(src, dims, c);
    expect(js.count, `${c}`).toBe(want.count);
    expect(Array.from(js.ids), `${c}`).toEqual(want.ids);
    expect(w.count).toBe(js.count);
    expect(Array.from(w.ids), `wasm ${c}`).toEqual(Array.from(js.ids));
  }
}

describe("Kernels.components on both backends", () => {
  it("random volumes of any density: the flood fill's components, numbered alike, for 6, 18 and 26", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 })).chain((dims) =>
      fc.tuple(fc.constant(dims as Dims), fc.double({ min: 0.05, max: 0.95, noNaN: true }).chain((p) => fc.uint8Array({ minLength: dims[0] * dims[1] * dims[2], maxLength: dims[0] * dims[1] * dims[2] }).map((v) => v.map((x) => (x < p * 256 ? 1 : 0))))),
    );
    fc.assert(fc.property(arb, ([dims, src]) => check(src, dims)), { numRuns: 200 });
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
      expect(codeOf(() => k.components(new Uint8Array(7), [2, 2, 2], 26))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => k.components(new Uint8Array(8), [2, 2, 2], 8 as 6))).toBe("INVALID_ARGUMENT");
    }
  });
});
