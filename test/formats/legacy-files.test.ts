// Files of older or unusual layouts that other producers write (SPEC section 18): a legacy
// 3D Slicer .seg.nrrd (4-D space, RAS numbers, voxels cropped to Segmentation_Extent) and a
// 2-D DICOM SEG of projection images (no plane position or orientation), from
// ../shared/fixtures/outside.
import { describe, expect, it } from "vitest";
import { loadMask } from "../../src/node.js";
import { hasOutside, outside } from "../helpers/outside.js";

describe.skipIf(!hasOutside)("legacy .seg.nrrd (3D Slicer 4.5-4.10)", () => {
  it("SlicerRT's EclipseProstate_Bladder_Union_PTV: a 4-D space, RAS numbers, voxels cropped to Segmentation_Extent", async () => {
    const seg = await loadMask(outside("slicerrt/EclipseProstate_Bladder_Union_PTV.seg.nrrd"));
    expect([...seg.shape]).toEqual([38, 89, 60]);
    expect([...seg.space.spacing]).toEqual([2.5, 0.976562, 0.976562]);
    // RAS (250, 250, -122.5) is LPS (-250, -250, -122.5); the stored voxels start at the
    // extent's first voxel (223, 199, 9) of the full grid, 0.976562 / 0.976562 / 2.5 mm apart.
    const want = [-250 + 223 * 0.976562, -250 + 199 * 0.976562, -122.5 + 9 * 2.5];
    seg.space.origin.forEach((o, k) => expect(o).toBeCloseTo(want[k]!, 9));
    expect(seg.space.axisCodes).toEqual(["S", "P", "L"]);
    const [bladder] = seg.labelStats();
    expect([bladder!.name, bladder!.voxels]).toEqual(["Bladder_Union_PTV", 69989]);
  });
});

describe.skipIf(!hasOutside)("2-D DICOM SEG (projection images: no frame of reference, no plane position or orientation)", () => {
  it("dcmjs' mammography SEG opens as one plane of its pixel spacing, its two overlapping segments in layers", async () => {
    const seg = await loadMask(outside("dcmjs/seg-test-SEG.dcm"));
    expect([...seg.shape]).toEqual([1, 3328, 2560]);
    expect([...seg.space.spacing]).toEqual([1, 0.065238, 0.065238]);
    expect(seg.labelStats().map((s) => [s.name, s.voxels])).toEqual([["Breast", 2491411], ["Glandular tissue", 487372]]);
    expect(seg.layerCount).toBe(2);
  });
});

describe.skipIf(!hasOutside)("files medmask does not read say what they are and what would open them", () => {
  it("nibabel's BrainVoyager test.msk (medmask's own extension) is named a BrainVoyager mask with its grid; ITK-SNAP's 4-D seg4d is a series of 11 volumes, one frame to take out", async () => {
    const { asyncCodeOf } = await import("../helpers/errors.js");
    const brainVoyager = outside("nibabel/test.msk"), series = outside("itksnap/seg4d_11f_label1.nii.gz");
    expect(await asyncCodeOf(() => loadMask(brainVoyager))).toBe("BAD_FORMAT");
    await expect(loadMask(brainVoyager)).rejects.toThrow(/BrainVoyager mask \(\.msk: 10x10x10 voxels at 3 mm\).*export it as NIfTI/);
    await expect(loadMask(series)).rejects.toThrow(/a series of 11 volumes.*take one frame out first/);
  });
});
