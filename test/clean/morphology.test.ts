// dilate, erode, open, close on both backends: label safety, the radius in mm through the
// spacing, inputs unchanged (scipy as the oracle: morphology-scipy.test.ts).
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, close, dilate, erode, open } from "../../src/node.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { codeOf } from "../helpers/errors.js";
import { sha256 } from "../helpers/files.js";

describe.each(BACKENDS)("morphology on %s", (backend) => {
  useBackend(backend);
  // One row of 12 voxels, 2 mm apart along x (the grid's outside 5 mm away along z and y):
  // tumour at x 3..4, liver at x 7..11.
  const space = new Space({ shape: [1, 1, 12], spacing: [5, 5, 2] });
  const row = Uint8Array.of(0, 0, 0, 1, 1, 0, 0, 2, 2, 2, 2, 2);
  const seg = new SegmentationMask(row, { tumour: 1, liver: 2 }, space, { metadata: { tumour: { color: [1, 0, 0] } } });

  it("dilate by 4 mm claims background within two voxels, never the liver; metadata kept; input unchanged", () => {
    const before = sha256(seg.data);
    const grown = dilate(seg, 4, { names: ["tumour"] });
    expect(Array.from(grown.data)).toEqual([0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(grown.metadata("tumour").color).toEqual([1, 0, 0]);
    expect(sha256(seg.data)).toBe(before);
    // Both grow; the background between goes to the first in label order.
    expect(Array.from(dilate(seg, 3.9).data)).toEqual([0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(Array.from(dilate(seg, 0).data)).toEqual(Array.from(row));
  });

  it("erode by 2 mm takes the voxels next to anything else, the grid's edge included; open and close compose them", () => {
    expect(Array.from(erode(seg, 2).data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 0]);
    expect(Array.from(erode(seg, 1.9).data)).toEqual(Array.from(row));
    expect(Array.from(open(seg, 2).data)).toEqual([0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2]);
    // The gap closes; the voxel at the grid's edge goes (the outside counts as outside).
    const gap = new SegmentationMask(Uint8Array.of(2, 2, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0), { liver: 2 }, space);
    expect(Array.from(close(gap, 2).data).slice(0, 7)).toEqual([0, 2, 2, 2, 2, 2, 0]);
    // One voxel thick along z: within 1 mm of the outside there, so a 1 mm erosion empties it.
    const thin = new SegmentationMask(row, { tumour: 1, liver: 2 }, new Space({ shape: [1, 1, 12], spacing: [1, 5, 2] }));
    expect(erode(thin, 1).labelStats().map((s) => s.voxels)).toEqual([0, 0]);
  });

  it("anisotropic: a 1.5 mm radius reaches along 1 mm axes, not along 2 mm ones", () => {
    const sp = new Space({ shape: [3, 3, 3], spacing: [1, 1, 2] });
    const d = new Uint8Array(27);
    d[13] = 1;
    const grown = dilate(new SegmentationMask(d, { a: 1 }, sp), 1.5);
    expect(grown.labelStats()[0]!.voxels).toBe(1 + 4 + 4); // the centre, 4 along z/y, 4 diagonals in z-y (1.41 mm)
  });

  it("bad radii and names are refused", () => {
    expect(codeOf(() => dilate(seg, -1))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => erode(seg, Number.NaN))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => dilate(seg, 2, { names: ["livr"] }))).toBe("UNKNOWN_NAME");
  });
});
