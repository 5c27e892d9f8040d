import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MaskArchive, SegmentationMask, Space } from "../../src/index.js";
import { loadMask, saveMask, saveNifti, saveNiftiFolder, sidecarPath } from "../../src/node.js";
import { asyncCodeOf, tempDir } from "../helpers/files.js";

// Issue 23, item 2: one rule for every writer. An existing file is refused with FILE_EXISTS,
// nothing written, unless the caller passes { overwrite: true }.

const space = new Space({ shape: [1, 2, 2] });
const first = new SegmentationMask(Uint8Array.of(1, 0, 0, 0), { liver: 1 }, space);
const second = new SegmentationMask(Uint8Array.of(0, 2, 2, 0), { spleen: 2 }, space);

describe("saves refuse to replace a file unless { overwrite: true }", () => {
  it("saveMask, seg.save (native and Python), saveNifti (image or sidecar), saveNiftiFolder, MaskArchive.create", async () => {
    const dir = tempDir();
    const msk = join(dir, "case.msk");
    await saveMask(first, msk);
    const kept = readFileSync(msk);
    expect(await asyncCodeOf(() => saveMask(second, msk))).toBe("FILE_EXISTS");
    expect(await asyncCodeOf(() => second.save(msk))).toBe("FILE_EXISTS");
    expect(await asyncCodeOf(() => saveMask(second, msk, { format: "python" }))).toBe("FILE_EXISTS");
    expect(readFileSync(msk)).toEqual(kept);
    await second.save(msk, { overwrite: true });
    expect((await loadMask(msk)).mapping.names()).toEqual(["spleen"]);

    const nii = join(dir, "case.nii.gz");
    await saveNifti(first, nii);
    expect(await asyncCodeOf(() => saveNifti(second, nii))).toBe("FILE_EXISTS");
    expect((await loadMask(nii)).mapping.names()).toEqual(["liver"]);
    // A sidecar that exists alone (someone else's JSON) is refused too, and no image is written.
    const other = join(dir, "other.nii.gz");
    writeFileSync(sidecarPath(other), "{}");
    expect(await asyncCodeOf(() => saveNifti(first, other))).toBe("FILE_EXISTS");
    expect(existsSync(other)).toBe(false);
    await saveNifti(second, nii, { overwrite: true });
    expect((await loadMask(nii)).mapping.names()).toEqual(["spleen"]);

    const both = new SegmentationMask(Uint8Array.of(1, 2, 0, 0), { liver: 1, spleen: 2 }, space);
    await saveNiftiFolder(both, dir, { names: ["spleen"] });
    // liver.nii.gz is new but spleen.nii.gz exists: refused before either is written.
    expect(await asyncCodeOf(() => saveNiftiFolder(both, dir))).toBe("FILE_EXISTS");
    expect(existsSync(join(dir, "liver.nii.gz"))).toBe(false);
    expect(await saveNiftiFolder(both, dir, { overwrite: true })).toHaveLength(2);

    const mska = join(dir, "case.mska");
    await (await MaskArchive.create(mska, { space })).close();
    expect(await asyncCodeOf(() => MaskArchive.create(mska, { space }))).toBe("FILE_EXISTS");
  });
});
