// A folder of TotalSegmentator masks combines into TotalSegmentator's own label numbers (task
// "total", v2), not alphabetical ones; other folders into the mapping given or name order
// (issue 23, item 5).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, TOTALSEGMENTATOR_CLASSES, combineBinaryMasks, combiner, totalSegmentatorLabels, usesTotalSegmentatorLabels } from "../../src/index.js";
import { loadMask, loadNifti, loadNiftiFolder, readNiftiFolder, saveNifti } from "../../src/node.js";
import { asyncCodeOf, codeOf, tempDir } from "../helpers/files.js";
import { ROOT, medmask } from "../helpers/cli.js";

const DATA = join(ROOT, "data/totalsegmentator-s0000");

describe("TotalSegmentator's class map", () => {
  it("is task total v2 as TotalSegmentator numbers it: spleen 1 ... costal_cartilages 117, ribs in number order", () => {
    const entries = Object.entries(TOTALSEGMENTATOR_CLASSES);
    expect(entries).toHaveLength(117);
    expect(new Set(Object.values(TOTALSEGMENTATOR_CLASSES)).size).toBe(117);
    expect(Object.values(TOTALSEGMENTATOR_CLASSES).sort((a, b) => a - b)).toEqual(Array.from({ length: 117 }, (_, i) => i + 1));
    expect(TOTALSEGMENTATOR_CLASSES).toMatchObject({ spleen: 1, kidney_right: 2, liver: 5, colon: 20, urinary_bladder: 21, heart: 51, brain: 90 });
    expect(TOTALSEGMENTATOR_CLASSES).toMatchObject({ rib_left_1: 92, rib_left_2: 93, rib_left_10: 101, rib_right_12: 115, sternum: 116, costal_cartilages: 117 });
    expect(Object.isFrozen(TOTALSEGMENTATOR_CLASSES)).toBe(true);
  });

  it("applies to names that are all its classes (a subset too), and to no others", () => {
    expect(totalSegmentatorLabels(["liver", "spleen"])).toEqual({ liver: 5, spleen: 1 });
    expect(totalSegmentatorLabels(["liver", "tumour"])).toBeNull();
    expect(totalSegmentatorLabels([])).toBeNull();
    expect(totalSegmentatorLabels(["toString"])).toBeNull();
    expect(usesTotalSegmentatorLabels([["liver", 5], ["spleen", 1]])).toBe(true);
    expect(usesTotalSegmentatorLabels([["liver", 1]])).toBe(false);
    expect(usesTotalSegmentatorLabels([])).toBe(false);
  });

  it("numbers the 117-organ folder as TotalSegmentator does, every voxel kept", async () => {
    const { mask, numbering } = await loadNiftiFolder(DATA);
    expect(numbering).toBe("totalsegmentator");
    expect(mask.mapping.toJSON()).toEqual(TOTALSEGMENTATOR_CLASSES);
    expect(mask.mapping.get("colon")).toBe(20);
    expect(mask.mapping.get("rib_left_10")).toBe(101);
    const { masks } = await readNiftiFolder(DATA);
    const stats = new Map(mask.labelStats().map((s) => [s.name, s.voxels]));
    const ones = (data: ArrayLike<number>): number => {
      let n = 0;
      for (let i = 0; i < data.length; i++) n += data[i]!;
      return n;
    };
    for (const m of masks) expect(stats.get(m.name), m.name).toBe(ones(m.data));
  });

  it("numbers a --roi_subset folder by the class map too; a folder of other names by name order", async () => {
    const subset = tempDir();
    for (const organ of ["liver", "spleen", "urinary_bladder"]) cpSync(join(DATA, `${organ}.nii.gz`), join(subset, `${organ}.nii.gz`));
    const ts = await loadNiftiFolder(subset);
    expect(ts.numbering).toBe("totalsegmentator");
    expect(ts.mask.mapping.toJSON()).toEqual({ liver: 5, spleen: 1, urinary_bladder: 21 });
    cpSync(join(DATA, "liver.nii.gz"), join(subset, "tumour.nii.gz"));
    const other = await loadNiftiFolder(subset);
    expect(other.numbering).toBe("order");
    expect(other.mask.mapping.toJSON()).toEqual({ liver: 1, spleen: 2, tumour: 3, urinary_bladder: 4 });
  });

  it("takes { mapping } over both, refuses a mask the mapping does not name, and a misspelt option", async () => {
    const space = new Space({ shape: [1, 2, 2] });
    const masks = [{ name: "liver", data: Uint8Array.of(1, 1, 0, 0) }, { name: "tumour", data: Uint8Array.of(0, 1, 0, 0) }];
    const { mask, numbering } = combineBinaryMasks(space, masks, { mapping: { tumour: 300, liver: 7 } });
    expect(numbering).toBe("mapping");
    expect(mask.bitDepth).toBe(16);
    expect(mask.mapping.toJSON()).toEqual({ liver: 7, tumour: 300 });
    expect(mask.labelStats().map((s) => [s.name, s.voxels])).toEqual([["liver", 2], ["tumour", 1]]);
    expect(codeOf(() => combineBinaryMasks(space, masks, { mapping: { liver: 1 } }))).toBe("UNKNOWN_NAME");
    expect(combiner(space, 2).result().numbering).toBe("order");
    expect(await asyncCodeOf(() => loadNiftiFolder(DATA, { labels: {} } as never))).toBe("INVALID_ARGUMENT");
    const subset = tempDir();
    for (const organ of ["liver", "spleen"]) cpSync(join(DATA, `${organ}.nii.gz`), join(subset, `${organ}.nii.gz`));
    expect((await loadNiftiFolder(subset, { mapping: { liver: 1, spleen: 2 } })).mask.mapping.toJSON()).toEqual({ liver: 1, spleen: 2 });
  });

  it("names TotalSegmentator's multi-label output, which carries no names", async () => {
    const dir = tempDir();
    const space = new Space({ shape: [1, 1, 3] });
    await saveNifti(new SegmentationMask(Uint8Array.of(5, 1, 117), undefined, space), join(dir, "s0000_ml.nii.gz"), { sidecar: false });
    const seg = await loadNifti(join(dir, "s0000_ml.nii.gz"), { labels: TOTALSEGMENTATOR_CLASSES });
    expect(seg.labelStats().filter((s) => s.voxels > 0).map((s) => s.name)).toEqual(["spleen", "liver", "costal_cartilages"]);
    expect(seg.mapping.size).toBe(117);
  });

  it("the CLI: convert of a folder says so and keeps the numbers, info names the class map, --labels numbers other folders", () => {
    const dir = tempDir();
    const subset = join(dir, "case");
    mkdirSync(subset);
    for (const organ of ["liver", "spleen"]) cpSync(join(DATA, `${organ}.nii.gz`), join(subset, `${organ}.nii.gz`));
    const conv = medmask("convert", subset, join(dir, "case.msk"));
    expect(conv.code, conv.stderr).toBe(0);
    expect(conv.stderr).toMatch(/TotalSegmentator's class map/);
    const info = medmask("info", join(dir, "case.msk"));
    expect(info.stdout).toMatch(/label numbers: TotalSegmentator's class map \(task "total", v2/);
    expect(info.stdout).toMatch(/^liver\s+5\s/m);
    expect(JSON.parse(medmask("info", join(dir, "case.msk"), "--json").stdout).classMap).toBe("totalsegmentator-total-v2");
    writeFileSync(join(dir, "numbers.json"), JSON.stringify({ liver: 1, spleen: 2 }));
    expect(medmask("convert", subset, join(dir, "own.msk"), "--labels", join(dir, "numbers.json")).code).toBe(0);
    const own = medmask("info", join(dir, "own.msk"), "--json");
    expect(JSON.parse(own.stdout).classMap).toBeUndefined();
    expect(JSON.parse(own.stdout).labels.map((l: { name: string; label: number }) => [l.name, l.label])).toEqual([["liver", 1], ["spleen", 2]]);
  });

  it("the numbers survive a save: the .msk of the folder loads with them", async () => {
    const dir = tempDir();
    const subset = join(dir, "case");
    mkdirSync(subset);
    cpSync(join(DATA, "kidney_left.nii.gz"), join(subset, "kidney_left.nii.gz"));
    expect(medmask("convert", subset, join(dir, "k.msk")).code).toBe(0);
    expect((await loadMask(join(dir, "k.msk"))).mapping.toJSON()).toEqual({ kidney_left: 3 });
  });
});
