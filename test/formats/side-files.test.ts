// Label tables beside an image: NiiVue's label JSON (aal.json beside aal.nii.gz) names and
// colours the labels; a JSON that is no label table (a BIDS sidecar) never stops a load;
// a table the caller names must be right.
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, encodeNifti, loadMask, loadNifti, parseLabelsJson } from "../../src/node.js";
import { asyncCodeOf } from "../helpers/errors.js";
import { tempDir } from "../helpers/files.js";
import { hasOutside, outside } from "../helpers/outside.js";

describe("label tables beside an image", () => {
  const seg = new SegmentationMask(Uint8Array.from({ length: 24 }, (_, i) => i % 3), undefined, new Space({ shape: [2, 3, 4] }));

  it("a BIDS sidecar (no label table) is passed over: the image loads, unnamed", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "sub-01_dseg.nii.gz"), encodeNifti(seg));
    writeFileSync(join(dir, "sub-01_dseg.json"), JSON.stringify({ Manual: false, Description: "a BIDS sidecar" }));
    const loaded = await loadMask(join(dir, "sub-01_dseg.nii.gz"));
    expect(loaded.labelStats().map((s) => [s.name, s.voxels])).toEqual([["idx_1", 8], ["idx_2", 8]]);
    // Named by the caller, it must be a label table.
    expect(await asyncCodeOf(() => loadNifti(join(dir, "sub-01_dseg.nii.gz"), { labels: join(dir, "sub-01_dseg.json") }))).toMatch(/BAD_FORMAT|INVALID_LABEL|LABEL/);
  });

  it("NiiVue's label JSON: names by index (I, or position), colours from R, G, B", () => {
    const { mapping, metadata } = parseLabelsJson({ R: [0, 255, 0], G: [0, 0, 255], B: [0, 0, 0], I: [0, 5, 9], labels: ["air", "left", "left"] });
    expect(mapping.toJSON()).toEqual({ left: 5, left_9: 9 });
    expect(metadata.left!.color).toEqual([1, 0, 0]);
  });

  it.skipIf(!hasOutside)("NiiVue's aal.nii.gz with aal.json and inia19-NeuroMaps: every label named and coloured", async () => {
    const dir = tempDir();
    for (const f of ["aal.nii.gz", "aal.json"]) copyFileSync(outside(`niivue/${f}`), join(dir, f));
    const aal = await loadMask(join(dir, "aal.nii.gz"));
    const present = aal.labelStats().filter((s) => s.voxels > 0);
    expect(present.length).toBe(116);
    expect(present.slice(0, 2).map((s) => [s.name, s.label, s.voxels])).toEqual([["Precentral_L", 1, 28174], ["Precentral_R", 2, 27058]]);
    expect(aal.metadata("Precentral_L").color).toEqual([71 / 255, 46 / 255, 154 / 255]);
    const inia = await loadMask(outside("niivue/inia19-NeuroMaps.nii.gz"));
    expect(inia.labelStats().filter((s) => s.voxels > 0 && s.name.startsWith("idx_"))).toEqual([]);
  });
});
