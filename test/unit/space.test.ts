import { describe, expect, it } from "vitest";
import { Space } from "../../src/index.js";
import { codeOf } from "../helpers/errors.js";

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

describe("affines and axis codes (issue 23, item 7)", () => {
  it("affine maps array indices (z, y, x) to LPS millimetres as indexToWorld does", () => {
    const angle = 0.3;
    const s = new Space({ shape: [4, 5, 6], spacing: [2.5, 0.8, 0.7], origin: [10, -20, 30], xOrientation: [0, 0, 1], yOrientation: [Math.cos(angle), Math.sin(angle), 0], zOrientation: [Math.sin(angle), -Math.cos(angle), 0] });
    for (const index of [[0, 0, 0], [3, 4, 5], [1.5, 2, 0.25]]) {
      const w = [0, 1, 2].map((r) => s.affine[r]![0]! * index[0]! + s.affine[r]![1]! * index[1]! + s.affine[r]![2]! * index[2]! + s.affine[r]![3]!);
      s.indexToWorld(index).forEach((v, r) => expect(w[r]).toBeCloseTo(v, 9));
    }
    expect(s.affine[3]).toEqual([0, 0, 0, 1]);
    expect(s.axisCodes).toEqual(["S", "L", "A"]); // +z; mostly +x; mostly -y
  });

  it("rasAffine is the sform nibabel reads from a real NIfTI, and axis codes follow it", async () => {
    const { readFileSync } = await import("node:fs");
    const { gunzipSync } = await import("node:zlib");
    const { loadNifti } = await import("../../src/node.js");
    const path = new URL("../../data/totalsegmentator-s0000/liver.nii.gz", import.meta.url).pathname;
    const header = new DataView(gunzipSync(readFileSync(path)).buffer);
    const srow = [280, 296, 312].map((at) => [0, 1, 2, 3].map((k) => header.getFloat32(at + 4 * k, true)));
    const space = (await loadNifti(path)).space;
    space.rasAffine.slice(0, 3).forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(srow[r]![c]!, 3)));
    expect(space.rasAffine[3]).toEqual([0, 0, 0, 1]);
    // NIfTI axis i increases toward the RAS letter of its column's dominant component (+) or its opposite (-).
    const codes = [0, 1, 2].map((i) => {
      const col = srow.map((row) => row[i]!);
      const c = [0, 1, 2].reduce((b, k) => (Math.abs(col[k]!) > Math.abs(col[b]!) ? k : b), 0);
      return col[c]! > 0 ? "RAS"[c]! : "LPI"[c]!;
    });
    expect(space.axisCodes).toEqual(codes.reverse());
    expect(space.describeAxes()[0]).toMatch(/^axis 0 \(z\): (inferior -> superior|superior -> inferior)$/);
  });

  it("describes the axes as a person reads them", () => {
    expect(new Space({ shape: [1, 1, 1] }).describeAxes()).toEqual(["axis 0 (z): right -> left", "axis 1 (y): anterior -> posterior", "axis 2 (x): inferior -> superior"]);
    const axial = new Space({ shape: [2, 2, 2], xOrientation: [0, 0, 1], yOrientation: [0, -1, 0], zOrientation: [-1, 0, 0] });
    expect(axial.axisCodes).toEqual(["S", "A", "R"]);
    expect(axial.describeAxes()).toEqual(["axis 0 (z): inferior -> superior", "axis 1 (y): posterior -> anterior", "axis 2 (x): left -> right"]);
  });
});
