// What the command line and the library say instead of losing something in silence
// (Reliability III item 13): voxels --flatten painted over, organs with no voxels, names a
// labels file left out, masks of two grids, masks where binary masks are expected.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, combineBinaryMasks, encodeMask, findOverlaps } from "../../src/node.js";
import { niftiBytes } from "../../src/formats/nifti/encode.js";
import { medmask } from "../helpers/cli.js";
import { codeOf } from "../helpers/errors.js";
import { tempDir } from "../helpers/files.js";

const space = new Space({ shape: [2, 4, 4] });

describe("said, not lost", () => {
  it("convert --flatten names every organ that lost voxels, and warns of one it emptied", () => {
    const dir = tempDir();
    const seg = SegmentationMask.lazyInit(8, { space });
    seg.addLabel(new Uint8Array(32).fill(1, 0, 20), 1, "femur_right");
    seg.addLabel(new Uint8Array(32).fill(1, 14, 20), 2, "rib_right_12", { onOverlap: "layer" });
    seg.addLabel(new Uint8Array(32).fill(1, 14, 30), 3, "hip", { onOverlap: "layer" });
    expect(seg.layerCount).toBeGreaterThan(1);
    writeFileSync(join(dir, "case.msk"), encodeMask(seg));
    const r = medmask("convert", join(dir, "case.msk"), join(dir, "out.nii.gz"), "--flatten");
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l.includes("--flatten:"));
    expect(lines.join("\n")).toMatch(/femur_right lost 6 voxel\(s\) to labels painted over it \(14 kept\)/);
    expect(lines.join("\n")).toMatch(/rib_right_12 lost 6 voxel\(s\) to labels painted over it; it is EMPTY in the output/);
    expect(lines.some((l) => l.includes("hip"))).toBe(false);
    // Without --flatten it is refused, as before.
    expect(medmask("convert", join(dir, "case.msk"), join(dir, "out2.nii.gz")).stderr).toMatch(/Pass --flatten/);
  });

  it("extract --names of an organ with no voxels warns; --strict fails with EMPTY_LABEL and writes nothing", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "case.msk"), encodeMask(new SegmentationMask(new Uint8Array(32).fill(1, 0, 5), { liver: 1, spleen: 2 }, space)));
    const warned = medmask("extract", join(dir, "case.msk"), "--names", "liver,spleen", "-o", join(dir, "a.nii.gz"));
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/spleen has no voxels in .*case\.msk \(--strict makes this an error\)/);
    const empty = medmask("extract", join(dir, "case.msk"), "--names", "spleen", "-o", join(dir, "b.nii.gz"));
    expect(empty.stderr).toMatch(/spleen has no voxels in .*; the output would be empty/);
    const strict = medmask("extract", join(dir, "case.msk"), "--names", "spleen", "-o", join(dir, "c.nii.gz"), "--strict");
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/Nothing was written \(--strict\)/);
    expect(existsSync(join(dir, "c.nii.gz"))).toBe(false);
  });

  it("--labels FILE that names some labels of a NIfTI lists the ones it left out", () => {
    const dir = tempDir();
    const data = new Uint8Array(32).fill(1, 0, 4).fill(2, 4, 8).fill(3, 8, 12).fill(7, 12, 13);
    writeFileSync(join(dir, "plain.nii.gz"), niftiBytes(data, space)); // no names of its own
    writeFileSync(join(dir, "labels.json"), JSON.stringify({ liver: 1 }));
    const r = medmask("convert", join(dir, "plain.nii.gz"), join(dir, "out.msk"), "--labels", join(dir, "labels.json"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--labels .*labels\.json names 1 of the 4 labels in .*plain\.nii\.gz; the others are named idx_2, idx_3, idx_7/);
  });

  it("findOverlaps of masks on two grids is SPACE_MISMATCH, not an answer as if they shared one", () => {
    const a = new SegmentationMask(new Uint8Array(32).fill(1), { a: 1 }, space);
    const shifted = new SegmentationMask(new Uint8Array(32).fill(1), { b: 1 }, new Space({ shape: [2, 4, 4], origin: [0, 0, 5] }));
    expect(codeOf(() => findOverlaps({ a, shifted }))).toBe("SPACE_MISMATCH");
    const same = new SegmentationMask(new Uint8Array(32).fill(1, 0, 3), { c: 1 }, new Space({ shape: [2, 4, 4], origin: [0, 0, 1e-5] }));
    expect(findOverlaps({ a, same })).toEqual([{ a: "a", b: "same", voxels: 3 }]);
  });

  it("combineBinaryMasks given masks instead of { name, data } says what it takes", () => {
    const a = new SegmentationMask(new Uint8Array(32).fill(1), { a: 1 }, space);
    let message = "";
    try {
      combineBinaryMasks(space, [a, a] as never);
    } catch (e) {
      message = `${(e as { code?: string }).code}: ${(e as Error).message}`;
    }
    expect(message).toMatch(/^INVALID_ARGUMENT: combineBinaryMasks takes \{ name, data \} binary masks; item 0 is a SegmentationMask/);
    expect(codeOf(() => combineBinaryMasks(space, [{ liver: new Uint8Array(32) }] as never))).toBe("INVALID_ARGUMENT");
  });
});
