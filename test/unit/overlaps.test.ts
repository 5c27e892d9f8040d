import { describe, expect, it } from "vitest";
import { MedMaskError, SegmentationMask, Space, findOverlaps } from "../../src/index.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";

describe.each(BACKENDS)("findOverlaps on %s", (backend) => {
  useBackend(backend);
  const shape = [3, 4, 5] as const;
  const cube = (z0: number, z1: number, y0: number, y1: number, x0: number, x1: number) => {
    const m = new Uint8Array(60);
    for (let z = z0; z <= z1; z++) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[(z * 4 + y) * 5 + x] = 1;
    return m;
  };

  it("reports every overlapping pair with voxel counts, in input order", () => {
    const a = cube(0, 1, 0, 1, 0, 1); // 8 voxels
    const b = cube(1, 2, 1, 2, 1, 2); // shares z1 y1 x1 with a
    const c = cube(2, 2, 3, 3, 4, 4); // far away
    const d = cube(0, 2, 0, 3, 0, 4); // everything
    const empty = new Uint8Array(60);
    expect(findOverlaps({ a, b, c, empty, d }, { shape })).toEqual([
      { a: "a", b: "b", voxels: 1 },
      { a: "a", b: "d", voxels: 8 },
      { a: "b", b: "d", voxels: 8 },
      { a: "c", b: "d", voxels: 1 },
    ]);
  });

  it("gives the same counts with or without a shape, and accepts SegmentationMasks and Maps", () => {
    const a = cube(0, 2, 0, 0, 0, 4);
    const b = cube(0, 2, 0, 3, 4, 4);
    const flat = findOverlaps(new Map([["a", a], ["b", b]]));
    expect(flat).toEqual([{ a: "a", b: "b", voxels: 3 }]);
    const space = new Space({ shape });
    const segs = findOverlaps([["a", new SegmentationMask(a, { a: 1 }, space)], ["b", new SegmentationMask(b, { b: 1 }, space)]]);
    expect(segs).toEqual(flat);
  });

  it("refuses masks of different sizes", () => {
    try {
      findOverlaps({ a: new Uint8Array(4), b: new Uint8Array(5) });
      expect.unreachable();
    } catch (e) {
      expect((e as MedMaskError).code).toBe("SHAPE_MISMATCH");
    }
  });
});
