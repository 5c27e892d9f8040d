import { describe, expect, it } from "vitest";
import { Space } from "../src/index.js";
import { codeOf } from "./helpers/errors.js";


describe("Space", () => {
  it("has identity defaults and the spacetransformer JSON layout", () => {
    const s = new Space({ shape: [1, 3, 4] });
    expect(s.spacing).toEqual([1, 1, 1]);
    expect(s.voxelCount).toBe(12);
    expect(JSON.stringify(s)).toBe(
      '{"shape":[1,3,4],"origin":[0,0,0],"spacing":[1,1,1],"x_orientation":[1,0,0],"y_orientation":[0,1,0],"z_orientation":[0,0,1]}',
    );
  });

  it("parses Python's JSON (string or object) and round-trips", () => {
    const json = '{"shape": [47, 33, 20], "origin": [-100.5, 20.25, 3.0], "spacing": [0.7, 0.8, 2.5], "x_orientation": [0.0, 0.0, 1.0], "y_orientation": [-1.0, 0.0, 0.0], "z_orientation": [0.0, 1.0, 0.0]}';
    const s = Space.fromJSON(json);
    expect(s.shape).toEqual([47, 33, 20]);
    expect(Space.fromJSON(JSON.stringify(s)).equals(s)).toBe(true);
    expect(Space.fromJSON(JSON.parse(json)).equals(s)).toBe(true);
    expect(Space.fromJSON({ shape: [2, 2, 2] }).origin).toEqual([0, 0, 0]);
  });

  it("reverses axis order like spacetransformer (origin is a world point and stays)", () => {
    const xyz = new Space({ shape: [294, 192, 179], spacing: [1.4, 1.5, 1.6], origin: [5, 6, 7], xOrientation: [0, 1, 0], yOrientation: [-1, 0, 0], zOrientation: [0, 0, 1] });
    const zyx = xyz.reverseAxisOrder();
    expect(zyx.shape).toEqual([179, 192, 294]);
    expect(zyx.spacing).toEqual([1.6, 1.5, 1.4]);
    expect(zyx.origin).toEqual([5, 6, 7]);
    expect(zyx.xOrientation).toEqual([0, 0, 1]);
    expect(zyx.zOrientation).toEqual([0, 1, 0]);
    expect(zyx.reverseAxisOrder().equals(xyz)).toBe(true);
    // The same voxel lands at the same world point in both axis orders.
    expect(zyx.indexToWorld([3, 2, 1])).toEqual(xyz.indexToWorld([1, 2, 3]));
  });

  it("maps index <-> world through the direction matrix", () => {
    const s = new Space({ shape: [10, 10, 10], spacing: [2, 3, 4], origin: [10, 20, 30], xOrientation: [0, 1, 0], yOrientation: [-1, 0, 0], zOrientation: [0, 0, 1] });
    expect(s.indexToWorld([1, 1, 1])).toEqual([10 - 3, 20 + 2, 30 + 4]);
    const back = s.worldToIndex(s.indexToWorld([1.5, 2, 7]));
    back.forEach((v, i) => expect(v).toBeCloseTo([1.5, 2, 7][i]!, 12));
    expect(s.voxelVolume).toBe(24);
  });

  it("rejects invalid geometry with INVALID_SPACE / INVALID_SHAPE", () => {
    expect(codeOf(() => new Space({ shape: [1, 0, 4] }))).toBe("INVALID_SHAPE");
    expect(codeOf(() => new Space({ shape: [1, 2.5, 4] }))).toBe("INVALID_SHAPE");
    expect(codeOf(() => new Space({ shape: [1, 2] }))).toBe("INVALID_SPACE");
    expect(codeOf(() => new Space({ shape: [2 ** 20, 2 ** 20, 2 ** 20] }))).toBe("INVALID_SHAPE");
    expect(codeOf(() => new Space({ shape: [1, 1, 1], spacing: [1, 0, 1] }))).toBe("INVALID_SPACE");
    expect(codeOf(() => new Space({ shape: [1, 1, 1], spacing: [1, -1, 1] }))).toBe("INVALID_SPACE");
    expect(codeOf(() => new Space({ shape: [1, 1, 1], spacing: [1, Number.NaN, 1] }))).toBe("INVALID_SPACE");
    expect(codeOf(() => new Space({ shape: [1, 1, 1], origin: [0, Infinity, 0] }))).toBe("INVALID_SPACE");
    expect(codeOf(() => new Space({ shape: [1, 1, 1], xOrientation: [1, 1, 0] }))).toBe("INVALID_SPACE");
    expect(codeOf(() => new Space({ shape: [1, 1, 1], yOrientation: [1, 0, 0] }))).toBe("INVALID_SPACE");
    expect(codeOf(() => Space.fromJSON("{"))).toBe("BAD_FORMAT");
    expect(() => new Space({ shape: [1, 1, 1], spacing: [1, 0, 1] })).toThrow(/spacing must be positive/);
  });
});
