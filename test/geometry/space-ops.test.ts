// spacetransformer's operations on Space, held to the world for every orientation (where
// the peer is wrong off the identity, space-ops-peer.test.ts compares identity spaces
// only), and their errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Space } from "../../src/index.js";
import { codeOf } from "../helpers/errors.js";
import { spaceArb } from "../helpers/spaces.js";

const close = (a: readonly number[], b: readonly number[], tol = 1e-7): void => a.forEach((v, i) => expect(Math.abs(v - b[i]!), `${a} vs ${b}`).toBeLessThan(tol * Math.max(1, Math.abs(b[i]!))));

describe("Space operations keep the world", () => {
  it("applyFlip: a flipped index is the same world point, for every orientation", () => {
    fc.assert(
      fc.property(spaceArb([9, 9, 9]), fc.constantFrom(0, 1, 2), fc.tuple(fc.nat(8), fc.nat(8), fc.nat(8)), (s, axis, idx) => {
        const index = idx.map((v, a) => v % s.shape[a]!);
        const flipped = index.map((v, a) => (a === axis ? s.shape[a]! - 1 - v : v));
        close(s.applyFlip(axis).indexToWorld(flipped), s.indexToWorld(index));
      }),
    );
  });

  it("applyPermute and applyBbox move indices, not points", () => {
    fc.assert(
      fc.property(spaceArb([9, 9, 9]), fc.constantFrom([0, 1, 2], [2, 0, 1], [1, 2, 0], [2, 1, 0]), fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })), (s, order, start) => {
        const index = [1, 2, 3];
        close(s.applyPermute(order).indexToWorld(order.map((a) => index[a]!)), s.indexToWorld(index));
        const box = start.map((v, a) => [v, v + s.shape[a]!]);
        close(s.applyBbox(box).indexToWorld(index.map((v, a) => v - start[a]!)), s.indexToWorld(index));
      }),
    );
  });

  it("applyShape: aligned corners keep the corner voxels; unaligned keep the outer faces, for every orientation", () => {
    fc.assert(
      fc.property(spaceArb([9, 9, 9]).filter((s) => s.shape.every((n) => n > 1)), fc.tuple(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 2, max: 30 })), (s, shape) => {
        const aligned = s.applyShape(shape, true);
        close(aligned.origin, s.origin);
        close(aligned.end, s.end);
        const faces = s.applyShape(shape, false);
        const outer = (sp: Space): number[] => [...sp.indexToWorld([-0.5, -0.5, -0.5]), ...sp.indexToWorld(sp.shape.map((n) => n - 0.5))];
        close(outer(faces), outer(s));
      }),
    );
  });

  it("applySpacing keeps the extent; an axis of one voxel keeps the spacing asked", () => {
    const s = new Space({ shape: [1, 10, 21], spacing: [3, 1, 0.5] });
    const t = s.applySpacing([2, 2, 2]);
    // 9 mm over 2 is 4.5 steps: numpy's round makes it 4, so five voxels 2.25 mm apart.
    expect(t.shape).toEqual([1, 5, 6]);
    close(t.spacing, [2, 9 / 4, 10 / 5]);
    close(t.end, s.end);
    // Halves to even both ways: 3.5 steps -> 4.
    expect(new Space({ shape: [1, 8, 1] }).applySpacing([1, 2, 1]).shape).toEqual([1, 5, 1]);
  });

  it("applyRotate turns about the centre, which stays put", () => {
    fc.assert(
      fc.property(spaceArb([9, 9, 9]), fc.constantFrom(0, 1, 2), fc.double({ min: -360, max: 360, noNaN: true }), (s, axis, angle) => {
        const r = s.applyRotate(axis, angle);
        const centre = (sp: Space): readonly number[] => sp.indexToWorld(sp.shape.map((n) => (n - 1) / 2));
        close(centre(r), centre(s), 1e-6);
        close(s.applyRotate(axis, (angle / 180) * Math.PI, { unit: "radian", center: "origin" }).origin, s.origin);
      }),
    );
  });

  it("refuses bad arguments with clear codes", () => {
    const s = new Space({ shape: [4, 5, 6] });
    expect(codeOf(() => s.applyFlip(3))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => s.applySwap(1, 1))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => s.applyPermute([0, 1, 1]))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => s.applyBbox([[0, 0], [0, 5], [0, 6]]))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => s.applyBbox([[0, 1.5], [0, 5], [0, 6]]))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => s.applyShape([0, 5, 6]))).toBe("INVALID_SHAPE");
    expect(codeOf(() => s.applySpacing([1, 0, 1]))).toBe("INVALID_SPACE");
    expect(codeOf(() => s.applyZoom(0))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => s.applyZoom(2, { mode: "up" as "floor" }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => s.applyRotate(0, 90, { unit: "grad" as "degree" }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => s.containsIndex([[1, 2]]))).toBe("INVALID_SPACE");
    expect(s.containsIndex([[0, 0, 0], [3, 4, 5], [3, 4, 5.1], [-0.1, 0, 0]])).toEqual([true, true, false, false]);
  });
});
