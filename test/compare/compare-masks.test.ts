// compareMasks from its definitions (SPEC section 15): analytic cases on both backends,
// pairing by name and by label, empty sides, grids that differ, layered masks, and the
// percentile against numpy's formula on random sets.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, compareMasks } from "../../src/index.js";
import { percentileOf } from "../../src/compare/percentile.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { codeOf } from "../helpers/errors.js";

/** numpy.percentile's linear method, from a full sort. */
function numpyPercentile(values: readonly number[], p: number): number {
  const v = [...values].sort((x, y) => x - y);
  const rank = (p / 100) * (v.length - 1);
  const lo = Math.floor(rank), hi = Math.min(lo + 1, v.length - 1);
  return v[lo]! + (v[hi]! - v[lo]!) * (rank - lo);
}

/** A ball of radius `r` mm about `centre` (z, y, x index) on `space`, painted `label`. */
function ball(space: Space, centre: readonly number[], r: number, label = 1, into: Uint8Array = new Uint8Array(space.voxelCount)): Uint8Array {
  const [nz, ny, nx] = space.shape;
  const [sz, sy, sx] = space.spacing;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (Math.hypot((z - centre[0]!) * sz, (y - centre[1]!) * sy, (x - centre[2]!) * sx) <= r) into[(z * ny + y) * nx + x] = label;
      }
  return into;
}

describe("the percentile, by selection", () => {
  it("equals numpy's linear interpolation on random sets and percentiles", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0, max: 100, noNaN: true }), (values, p) => {
        expect(Math.abs(percentileOf(Float64Array.from(values), p) - numpyPercentile(values, p))).toBeLessThan(1e-9);
      }),
      { numRuns: 500 },
    );
    expect(percentileOf(Float64Array.of(1, 2, 3, 4), 95)).toBeCloseTo(3.85, 12);
    expect(percentileOf(new Float64Array(0), 95)).toBeNaN();
    expect(percentileOf(new Float64Array(1000).fill(7), 50)).toBe(7);
  });
});

describe.each(BACKENDS)("compareMasks on %s", (backend) => {
  useBackend(backend);
  const space = new Space({ shape: [24, 30, 30], spacing: [2, 0.8, 0.9] });

  it("a mask against itself: dice 1, every distance 0, nsd 1", () => {
    const seg = new SegmentationMask(ball(space, [12, 15, 15], 8), { liver: 1 }, space);
    const [row] = compareMasks(seg, seg);
    expect(row).toMatchObject({ name: "liver", labelA: 1, labelB: 1, dice: 1, jaccard: 1, hausdorff: 0, hd95: 0, assd: 0, nsd: 1, empty: null, volumeDifferenceMl: 0 });
    expect(row!.intersection).toBe(row!.voxelsA);
  });

  it("concentric balls on an anisotropic grid: counts exact, Hausdorff near the radii's difference", () => {
    const a = new SegmentationMask(ball(space, [12, 15, 15], 6), { organ: 1 }, space);
    const b = new SegmentationMask(ball(space, [12, 15, 15], 10), { organ: 1 }, space);
    const [row] = compareMasks(a, b);
    expect(row!.intersection).toBe(row!.voxelsA); // a inside b
    expect(row!.dice).toBeCloseTo((2 * row!.voxelsA) / (row!.voxelsA + row!.voxelsB), 12);
    expect(row!.volumeDifferenceMl).toBeCloseTo(((row!.voxelsB - row!.voxelsA) * 2 * 0.8 * 0.9) / 1000, 12);
    // Surfaces are voxel centres: within a voxel diagonal of the 4 mm between the spheres.
    expect(row!.hausdorff).toBeGreaterThan(4 - Math.hypot(2, 0.8, 0.9));
    expect(row!.hausdorff).toBeLessThan(4 + Math.hypot(2, 0.8, 0.9));
    expect(row!.hd95).toBeLessThanOrEqual(row!.hausdorff);
    expect(row!.nsd).toBeLessThan(0.5);
    expect(compareMasks(a, b, { toleranceMm: 10 })[0]!.nsd).toBe(1);
  });

  it("one-voxel objects and objects at the grid's edge: distances between voxel centres in mm", () => {
    const one = (z: number, y: number, x: number) => {
      const d = new Uint8Array(space.voxelCount);
      d[(z * 30 + y) * 30 + x] = 1;
      return new SegmentationMask(d, { dot: 1 }, space);
    };
    const [row] = compareMasks(one(0, 0, 0), one(23, 29, 29));
    const far = Math.hypot(23 * 2, 29 * 0.8, 29 * 0.9);
    expect(row).toMatchObject({ dice: 0, intersection: 0 });
    for (const k of ["hausdorff", "hd95", "assd"] as const) expect(row![k]).toBeCloseTo(far, 10);
    // A block filling the grid: every voxel on its faces is surface (the edge counts as outside).
    const full = new SegmentationMask(new Uint8Array(space.voxelCount).fill(1), { dot: 1 }, space);
    const [edge] = compareMasks(full, one(0, 0, 0));
    expect(edge!.hausdorff).toBeCloseTo(far, 10);
  });

  it("pairs by name whatever the numbers (v1 against v2), by label on request; a name in one mask only is a row with that side empty", () => {
    const data = ball(space, [8, 10, 10], 5, 1);
    ball(space, [16, 20, 20], 5, 2, data);
    const a = new SegmentationMask(data, { liver: 1, spleen: 2 }, space);
    const swapped = data.map((v) => (v === 1 ? 7 : v === 2 ? 3 : 0));
    const b = new SegmentationMask(swapped, { spleen: 3, liver: 7, kidney: 9 }, space);
    const rows = compareMasks(a, b);
    expect(rows.map((r) => [r.name, r.labelA, r.labelB, r.dice])).toEqual([
      ["liver", 1, 7, 1],
      ["spleen", 2, 3, 1],
      ["kidney", null, 9, NaN],
    ]);
    expect(rows[2]!.empty).toBe("both");
    const byLabel = compareMasks(a, b, { match: "label" });
    expect(byLabel.map((r) => [r.name, r.labelA, r.labelB])).toEqual([
      ["liver", 1, null],
      ["spleen", 2, null],
      ["spleen", null, 3],
      ["liver", null, 7],
      ["kidney", null, 9],
    ]);
    expect(compareMasks(a, b, { names: ["spleen"] }).map((r) => r.name)).toEqual(["spleen"]);
    expect(codeOf(() => compareMasks(a, b, { names: ["livr"] }))).toBe("UNKNOWN_NAME");
  });

  it("empty sides: one empty is dice 0, distances Infinity, nsd 0; both empty is NaN everywhere", () => {
    const a = new SegmentationMask(ball(space, [12, 15, 15], 5), { tumour: 1, cyst: 2 }, space);
    const b = new SegmentationMask(new Uint8Array(space.voxelCount), { tumour: 1, cyst: 2 }, space);
    const [tumour, cyst] = compareMasks(a, b);
    expect(tumour).toMatchObject({ empty: "b", dice: 0, jaccard: 0, hausdorff: Infinity, hd95: Infinity, assd: Infinity, nsd: 0, voxelsB: 0 });
    expect(cyst!.empty).toBe("both");
    for (const k of ["dice", "jaccard", "hausdorff", "hd95", "assd", "nsd"] as const) expect(cyst![k]).toBeNaN();
    expect(compareMasks(b, a)[0]!.empty).toBe("a");
  });

  it("layered masks compare label by label; grids that differ are SHAPE_MISMATCH / SPACE_MISMATCH; inputs unchanged", () => {
    const layered = SegmentationMask.lazyInit(8, { space });
    layered.addLabel(ball(space, [12, 15, 15], 6), 1, "liver");
    layered.addLabel(ball(space, [12, 15, 18], 6), 2, "tumour", { onOverlap: "layer" });
    expect(layered.layerCount).toBe(2);
    const before = layered.layers.map((l) => l.slice());
    const plain = new SegmentationMask(ball(space, [12, 15, 18], 6, 5), { tumour: 5 }, space);
    const rows = compareMasks(layered, plain);
    expect(rows.find((r) => r.name === "tumour")!.dice).toBe(1);
    expect(rows.find((r) => r.name === "liver")!.empty).toBe("b");
    expect(layered.layers.map((l) => l.slice())).toEqual(before);
    const other = new SegmentationMask(new Uint8Array(24 * 30 * 31), { liver: 1 }, new Space({ shape: [24, 30, 31], spacing: [2, 0.8, 0.9] }));
    expect(codeOf(() => compareMasks(layered, other))).toBe("SHAPE_MISMATCH");
    const moved = new SegmentationMask(new Uint8Array(space.voxelCount), { liver: 1 }, new Space({ shape: [24, 30, 30], spacing: [2, 0.8, 0.9], origin: [0, 0, 3] }));
    expect(codeOf(() => compareMasks(layered, moved))).toBe("SPACE_MISMATCH");
    expect(codeOf(() => compareMasks(layered, plain, { percentile: 101 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => compareMasks(layered, plain, { match: "number" as "label" }))).toBe("INVALID_ARGUMENT");
  });
});
