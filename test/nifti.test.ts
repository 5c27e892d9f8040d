import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MedMaskError, Space, affineFromSpace, getKernels, readNifti, spaceFromAffine } from "../src/index.js";
import { readNiftiFile, readNiftiFolder } from "../src/node.js";

const DIR = new URL("../data/totalsegmentator-s0000/", import.meta.url).pathname;

// From data/totalsegmentator-s0000/README.md: spacetransformer's Space, reversed to (z, y, x).
// Copied verbatim from Python's output; the literals do round-trip (no-loss-of-precision misjudges 17 digits).
/* eslint-disable no-loss-of-precision */
const EXPECTED_ZYX = {
  shape: [179, 192, 294],
  origin: [251.34739685058594, -82.56399536132812, 93.0927734375],
  spacing: [1.5, 1.500000096778767, 1.4999999673219924],
  x_orientation: [0.0, 0.0, 1.0],
  y_orientation: [-0.3147874668791464, -0.9491621835575891, -0.0],
  z_orientation: [-0.9490937598680198, 0.3149937062539274, -0.0],
};
/* eslint-enable no-loss-of-precision */

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance));
}

describe("NIfTI import", () => {
  it("reproduces spacetransformer's geometry of the real TotalSegmentator masks to 1e-6", async () => {
    // 25 of the 117 files (aorta among them) carry exactly the sform the README's numbers
    // come from; the other 92 differ by float32 noise (~1e-4), checked below.
    const { data, space } = await readNiftiFile(DIR + "aorta.nii.gz");
    const json = space.toJSON();
    expect(json.shape).toEqual(EXPECTED_ZYX.shape);
    for (const key of ["origin", "spacing", "x_orientation", "y_orientation", "z_orientation"] as const) {
      expectClose(json[key], EXPECTED_ZYX[key]);
    }
    expect(data).toBeInstanceOf(Uint8Array);
    expect(data.length).toBe(179 * 192 * 294);
  });

  it("reads the other files' sform within its float32 noise of the same geometry", async () => {
    const { space } = await readNiftiFile(DIR + "liver.nii.gz");
    const json = space.toJSON();
    for (const key of ["origin", "spacing", "x_orientation", "y_orientation", "z_orientation"] as const) {
      expectClose(json[key], EXPECTED_ZYX[key], 2e-4);
    }
  });

  it("converts Space -> affine -> Space exactly", () => {
    const space = Space.fromJSON(EXPECTED_ZYX);
    const back = spaceFromAffine(affineFromSpace(space), [...space.shape].reverse());
    expect(back.equals(space, 1e-12)).toBe(true);
  });

  it("reads a folder of binary masks with the file stem as name", async () => {
    const { space, masks } = await readNiftiFolder(DIR);
    expect(masks.length).toBe(117);
    expect(masks[0]!.name).toBe("adrenal_gland_left");
    expect(space.shape).toEqual([179, 192, 294]);
    // The data README says 20 organs; rib_right_12 has 13 voxels, which makes 21.
    const nonEmpty = masks.filter((m) => getKernels().scan(m.data, space.shape, false).labels.some((l) => l !== 0));
    expect(nonEmpty.map((m) => m.name)).toContain("rib_right_12");
    expect(nonEmpty.length).toBe(21);
  });

  it("rejects bytes that are not NIfTI, and truncated files, with codes", async () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as MedMaskError).code;
      }
      return undefined;
    };
    expect(codeOf(() => readNifti(new Uint8Array(10)))).toBe("BAD_FORMAT");
    expect(codeOf(() => readNifti(Uint8Array.from([0x1f, 0x8b, 1, 2, 3])))).toBe("BAD_FORMAT");
    const { gunzipSync } = await import("fflate");
    const raw = gunzipSync(new Uint8Array(await readFile(DIR + "liver.nii.gz")));
    expect(codeOf(() => readNifti(raw.subarray(0, 5000)))).toBe("TRUNCATED");
  });
});
