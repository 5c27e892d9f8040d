import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeMask, decodeNifti, decodeSegNrrd, encodeMask, niftiBytes, readNifti, encodeNifti, encodeSegNrrd } from "../../src/index.js";
import { loadMask, saveNifti } from "../../src/node.js";
import { asyncCodeOf, codeOf, tempDir } from "../helpers/files.js";

// Issue 23, item 3: one call opens whatever single-mask file it is given, by its content.

const space = new Space({ shape: [1, 2, 3], spacing: [3, 0.8, 0.8] });
const seg = new SegmentationMask(Uint8Array.of(0, 1, 1, 2, 2, 0), { liver: 1, spleen: 2 }, space, { metadata: { liver: { color: [1, 0, 0] } } });

describe("decodeMask and loadMask open every single-mask format by its content", () => {
  it("decodeMask: native, NIfTI (plain and gzip, its own names), .seg.nrrd; a path or an out that does not apply is INVALID_ARGUMENT", () => {
    for (const bytes of [encodeMask(seg), encodeNifti(seg), encodeNifti(seg, { gzip: false }), encodeSegNrrd(seg)]) {
      const back = decodeMask(bytes);
      expect(Array.from(back.data)).toEqual(Array.from(seg.data));
      expect(back.mapping.toJSON()).toEqual({ liver: 1, spleen: 2 });
      expect(back.metadata("liver").color).toEqual([1, 0, 0]);
      expect(back.space.equals(space, 1e-5)).toBe(true);
    }
    expect(Array.from(decodeNifti(niftiBytes(seg.data, space)).mapping.names())).toEqual(["idx_1", "idx_2"]);
    expect(decodeMask(encodeNifti(seg), { resident: true }).resident).toBe(true);
    expect(codeOf(() => decodeMask(encodeNifti(seg), { out: new Uint8Array(6) }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decodeMask("case.nii.gz" as unknown as Uint8Array))).toBe("INVALID_ARGUMENT");
    expect(() => decodeMask("case.nii.gz" as unknown as Uint8Array)).toThrow(/loadMask/);
    expect(codeOf(() => readNifti("case.nii.gz" as unknown as Uint8Array))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decodeSegNrrd("x.seg.nrrd" as unknown as Uint8Array))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decodeMask(new TextEncoder().encode("hello, not a mask")))).toBe("BAD_FORMAT");
  });

  it("loadMask: a NIfTI with its sidecar, a one-label NIfTI named by its stem, a .seg.nrrd; bytes given for a path are INVALID_ARGUMENT", async () => {
    const dir = tempDir();
    await saveNifti(seg, join(dir, "case.nii.gz"));
    const nifti = await loadMask(join(dir, "case.nii.gz"));
    expect(nifti.mapping.toJSON()).toEqual({ liver: 1, spleen: 2 });
    writeFileSync(join(dir, "urinary_bladder.nii.gz"), niftiBytes(Uint8Array.of(0, 1, 1, 0, 0, 0), space));
    expect((await loadMask(join(dir, "urinary_bladder.nii.gz"))).mapping.names()).toEqual(["urinary_bladder"]);
    writeFileSync(join(dir, "case.seg.nrrd"), encodeSegNrrd(seg));
    expect((await loadMask(join(dir, "case.seg.nrrd"))).mapping.toJSON()).toEqual({ liver: 1, spleen: 2 });
    expect((await SegmentationMask.load(join(dir, "case.seg.nrrd"))).labelStats().map((s) => s.voxels)).toEqual([2, 2]);
    expect(await asyncCodeOf(() => loadMask(encodeMask(seg) as unknown as string))).toBe("INVALID_ARGUMENT");
  });
});
