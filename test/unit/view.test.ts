// The demo's slice view: axial slices in the radiological convention (anterior up, the
// patient's right on the screen's left), derived from the mask's Space (issue 23, item 8).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Space } from "../../src/index.js";
import { axialView, screenToVoxel, sliceIndexer, voxelToScreen } from "../../web/view.js";
import { TOTALSEG_SPACE_ZYX } from "../helpers/totalseg-space.js";

/** The TotalSegmentator case's space (data/totalsegmentator-s0000/README.md): axes S, A, R, rotated about z. */
const TOTALSEG = Space.fromJSON(TOTALSEG_SPACE_ZYX);

/** A rotation about z by `angle`, then the array axes permuted and signed. */
const spaces = fc
  .record({
    perm: fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]),
    signs: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
    angle: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
    shape: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
  })
  .map(({ perm, signs, angle, shape }) => {
    const c = Math.cos(angle), s = Math.sin(angle);
    const basis = [[c, s, 0], [-s, c, 0], [0, 0, 1]];
    const dirs = perm.map((p, a) => basis[p]!.map((v) => (signs[a] ? -v : v) + 0));
    return new Space({ shape, spacing: [1, 2, 3], xOrientation: dirs[0], yOrientation: dirs[1], zOrientation: dirs[2] });
  });

const sub = (a: readonly number[], b: readonly number[]) => a.map((v, i) => v - b[i]!);

describe("axialView", () => {
  it("shows the TotalSegmentator case with anterior up and the patient's right on the left", () => {
    const view = axialView(TOTALSEG);
    expect(view).toMatchObject({ sliceAxis: 0, rowAxis: 1, colAxis: 2, flipRow: true, flipCol: true, width: 294, height: 192, depth: 179 });
    expect(view.letters).toEqual({ top: "A", bottom: "P", left: "R", right: "L" });
  });

  it("needs no flip for a volume in DICOM order (rows to the left, columns to the back, slices up)", () => {
    const dicom = new Space({ shape: [5, 6, 7], xOrientation: [0, 0, 1], yOrientation: [0, 1, 0], zOrientation: [1, 0, 0] });
    expect(axialView(dicom)).toMatchObject({ sliceAxis: 0, rowAxis: 1, colAxis: 2, flipRow: false, flipCol: false });
    // The identity orientation (axis 0 towards L) is sliced along axis 2, which points S.
    expect(axialView(new Space({ shape: [5, 6, 7] }))).toMatchObject({ sliceAxis: 2, colAxis: 0, rowAxis: 1, flipCol: false, flipRow: false, width: 5, height: 6, depth: 7 });
  });

  it("for any axis order, direction and rotation: right is towards L, down towards P, slices along S-I", () => {
    fc.assert(
      fc.property(spaces, (space) => {
        const view = axialView(space);
        const dirs = [space.xOrientation, space.yOrientation, space.zOrientation];
        expect(Math.abs(dirs[view.sliceAxis]![2]!)).toBeCloseTo(1, 9);
        expect(view.letters).toEqual({ top: "A", bottom: "P", left: "R", right: "L" });
        const k = view.depth - 1;
        const world = (x: number, y: number) => space.indexToWorld(screenToVoxel(view, k, x, y));
        expect(sub(world(1, 0), world(0, 0))[0]!).toBeGreaterThan(0); // one pixel right: towards the patient's left
        expect(sub(world(0, 1), world(0, 0))[1]!).toBeGreaterThan(0); // one pixel down: towards posterior
      }),
      { numRuns: 300 },
    );
  });

  it("maps screen and voxels both ways, and the indexer reads the same voxel as screenToVoxel", () => {
    fc.assert(
      fc.property(spaces, (space) => {
        const view = axialView(space);
        const [, n1, n2] = space.shape;
        const { columns, rowStart } = sliceIndexer(view, space.shape);
        for (let k = 0; k < view.depth; k++) {
          for (let y = 0; y < view.height; y++) {
            for (let x = 0; x < view.width; x++) {
              const index = screenToVoxel(view, k, x, y);
              expect(voxelToScreen(view, index)).toEqual({ k, x, y });
              expect(rowStart(k, y) + columns[x]!).toBe((index[0] * n1 + index[1]) * n2 + index[2]);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
