// decodeRtStruct (SPEC section 17) on a CT series and a structure set written with pydicom
// (test/helpers/rtstruct_peer.py): every kind of structure (a ball, a ring with a hole, an
// organ in two pieces, two overlapping structures, a point, an open contour) rasterised
// voxel for voxel as the definition says (a voxel is in when its centre is inside its slice's
// contours by the even-odd rule), names, numbers, colours and types kept; overlapping
// structures in layers; the grid from the images or a Space; the refusals.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Space, decodeRtStruct, loadMask, loadRtStruct } from "../../src/node.js";
import { medmask } from "../helpers/cli.js";
import { codeOf } from "../helpers/errors.js";
import { tempDir } from "../helpers/files.js";
import { hasOutside, outside } from "../helpers/outside.js";
import { CT, ROIS, expected, hasPydicom, peer, space, writeCase } from "../helpers/rtstruct-case.js";

describe.skipIf(!hasPydicom)("decodeRtStruct", () => {
  let written: ReturnType<typeof writeCase>;
  beforeAll(() => {
    written = writeCase();
  });

  it("rasterises every structure voxel for voxel as the definition says, on the CT's grid: holes empty, two pieces, overlapping structures in layers", () => {
    const { mask, rois, frameOfReference } = decodeRtStruct(written.rtstruct, { source: written.ct });
    expect(mask.space.equals(space, 1e-6)).toBe(true);
    expect(frameOfReference).toBe(CT.frameOfReference);
    expect(mask.mapping.toJSON()).toStrictEqual({ Ball: 1, Ring: 2, Kidneys: 5, GTV: 7, Marker: 9 });
    for (const roi of ROIS) {
      const got = mask.getBinaryMaskByNames(roi.name), want = expected(roi);
      expect(got.reduce((a, b) => a + b, 0), roi.name).toBe(want.reduce((a, b) => a + b, 0));
      expect(got, roi.name).toStrictEqual(want);
    }
    // The ring's hole is empty; the ball and the GTV overlap: two layers, every voxel kept.
    expect(mask.getBinaryMaskByNames("Ring").some(Boolean)).toBe(true);
    expect(mask.layerCount).toBe(2);
    expect(rois.map((r) => [r.number, r.name, r.type, r.contours, r.skipped, r.outside])).toStrictEqual([
      [1, "Ball", "ORGAN", 5, {}, 0],
      [2, "Ring", "PTV", 6, {}, 0],
      [5, "Kidneys", "ORGAN", 4, {}, 0],
      [7, "GTV", "GTV", 2, {}, 0],
      [9, "Marker", "MARKER", 0, { POINT: 1, OPEN_PLANAR: 1 }, 0],
    ]);
    expect(mask.metadata("Ring").color).toStrictEqual([0, 1, 0]);
  });

  it("onto a Space given instead of the images: the same mask; contours beyond the grid's slices counted, not drawn", () => {
    const a = decodeRtStruct(written.rtstruct, { source: written.ct }).mask;
    const b = decodeRtStruct(written.rtstruct, { space }).mask;
    expect(b.getBinaryMaskByNames("Ring")).toStrictEqual(a.getBinaryMaskByNames("Ring"));
    const cut = decodeRtStruct(written.rtstruct, { space: Space.fromJSON({ ...space.toJSON(), shape: [5, CT.rows, CT.columns] }) });
    expect(cut.rois.find((r) => r.name === "Ball")!.outside).toBe(2);
  });

  it("refuses no grid, both grids, a DICOM SEG or a CT image, contours off the slices' planes, images of another frame of reference", () => {
    expect(codeOf(() => decodeRtStruct(written.rtstruct))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decodeRtStruct(written.rtstruct, { source: written.ct, space }))).toBe("INVALID_ARGUMENT");
    expect(() => decodeRtStruct(written.ct[0]!, { space })).toThrow(/not an RT Structure Set/);
    const between = Space.fromJSON({ ...space.toJSON(), origin: [CT.origin[0]!, CT.origin[1]!, CT.origin[2]! + 1.25] });
    expect(codeOf(() => decodeRtStruct(written.rtstruct, { space: between }))).toBe("SHAPE_MISMATCH");
    // A structure set drawn in another frame of reference than the images given.
    const dir = tempDir();
    peer({ rtstruct: join(dir, "other.dcm"), ct: join(written.dir, "ct"), frameOfReference: "1.2.826.0.1.3680043.8.498.99", study: CT.study, rois: [ROIS[0]] });
    expect(codeOf(() => decodeRtStruct(new Uint8Array(readFileSync(join(dir, "other.dcm"))), { source: written.ct }))).toBe("SHAPE_MISMATCH");
  });
});

describe.skipIf(!hasPydicom)("loadRtStruct", () => {
  it("reads the file and the images of the folder { source } names: the same as decodeRtStruct of their bytes", async () => {
    const { dir, ct, rtstruct } = writeCase();
    const fromPath = await loadRtStruct(join(dir, "rs.dcm"), { source: join(dir, "ct") });
    const fromBytes = decodeRtStruct(rtstruct, { source: ct });
    expect(fromPath.rois).toStrictEqual(fromBytes.rois);
    expect(fromPath.mask.getBinaryMaskByNames(["Ball", "Ring"])).toStrictEqual(fromBytes.mask.getBinaryMaskByNames(["Ball", "Ring"]));
    await expect(loadRtStruct(rtstruct as never)).rejects.toThrow(/takes a path/);
  });
});

describe.skipIf(!hasOutside)("a real structure set: Varian Eclipse (SlicerRT's EclipseProstate)", () => {
  it("its 16 structures with their numbers, names and types; on the grid of SlicerRT's own Bladder_Union_PTV.seg.nrrd, the union of Bladder and PTV is SlicerRT's", async () => {
    const segmentation = await loadMask(outside("slicerrt/EclipseProstate_Bladder_Union_PTV.seg.nrrd"));
    const { mask, rois } = await loadRtStruct(outside("slicerrt/RS.1.2.246.352.71.4.2088656855.2404649.20110920153449.dcm"), { space: segmentation.space });
    expect(rois).toHaveLength(16);
    expect(rois.slice(0, 3).map((r) => [r.number, r.name, r.type])).toStrictEqual([[1, "BODY", "EXTERNAL"], [2, "Bladder", "AVOIDANCE"], [3, "CTV", "CTV"]]);
    expect(rois.find((r) => r.name === "PTV")!.contours).toBe(20);
    const ours = mask.getBinaryMaskByNames(["Bladder", "PTV"]), theirs = segmentation.toBinary();
    let both = 0, sum = 0;
    for (let i = 0; i < ours.length; i++) {
      both += ours[i]! & theirs[i]!;
      sum += ours[i]! + theirs[i]!;
    }
    expect((2 * both) / sum).toBeGreaterThan(0.999);
  });
});

describe.skipIf(!hasPydicom)("medmask convert of an RT Structure Set", () => {
  it("--source CT_FOLDER: the structures as a mask (and as a DICOM SEG of the same images), points said; without --source, what to give", async () => {
    const { dir, ct, rtstruct } = writeCase();
    const r = medmask("convert", join(dir, "rs.dcm"), join(dir, "rs.msk"), "--source", join(dir, "ct"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Marker: 1 POINT, 1 OPEN_PLANAR contour\(s\) not rasterised/);
    const back = await loadMask(join(dir, "rs.msk"));
    expect(back.getBinaryMaskByNames("Kidneys")).toStrictEqual(decodeRtStruct(rtstruct, { source: ct }).mask.getBinaryMaskByNames("Kidneys"));
    const seg = medmask("convert", join(dir, "rs.dcm"), join(dir, "rs-seg.dcm"), "--source", join(dir, "ct"));
    expect(seg.code, seg.stderr).toBe(0);
    expect((await loadMask(join(dir, "rs-seg.dcm"))).getBinaryMaskByNames("Ring")).toStrictEqual(back.getBinaryMaskByNames("Ring"));
    const bare = medmask("convert", join(dir, "rs.dcm"), join(dir, "x.msk"));
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/RT Structure Set \(contours\): give the images it was drawn on, --source CT_FOLDER/);
  }, 60_000);
});
