// TotalSegmentator's multi-label NIfTI (`--ml`) keeps its label names in the file: a NIfTI
// header extension holding a CaretExtension XML label table (Connectome Workbench's layout).
// Written here with nibabel (Debian's python3-nibabel) the way TotalSegmentator writes it
// (an extension of code 0, names in CDATA, colours 0..1), read by loadMask with its names and
// colours. An oracle suite: it runs once, not per Node.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMask } from "../../src/node.js";
import { requireComponent } from "../helpers/component.js";
import { counts, tempDir } from "../helpers/files.js";

const hasNibabel = requireComponent("nibabel", spawnSync("/usr/bin/python3", ["-c", "import nibabel"]).status === 0, "apt-get install python3-nibabel");

/** A TotalSegmentator-style file: labels 1, 2, 5 named (5 with an "&" to escape), 7 present but unnamed. */
const WRITER = `
import sys, numpy as np, nibabel as nib
data = np.zeros((6, 5, 4), dtype=np.uint8)
data[1:3, 1:3, 1] = 1; data[3, :, 2] = 2; data[5, 4, 3] = 5; data[0, 0, 0] = 7
img = nib.Nifti1Image(data, np.diag([1.5, 1.5, 3.0, 1.0]))
names = {1: "spleen", 2: "kidney_right", 5: "heart & vessels"}
rgb = {1: (1, 0, 0), 2: (0, 1, 0), 5: (0, 0, 1)}
rows = "".join(f'<Label Key="{k}" Red="{rgb[k][0]}" Green="{rgb[k][1]}" Blue="{rgb[k][2]}" Alpha="1"><![CDATA[{v}]]></Label>\\n' for k, v in names.items())
xml = ('<?xml version="1.0" encoding="UTF-8"?> <CaretExtension> <VolumeInformation Index="0"> <LabelTable>\\n'
       + rows + ' </LabelTable> <VolumeType><![CDATA[Label]]></VolumeType> </VolumeInformation></CaretExtension>\\n      ')
img.header.extensions.append(nib.nifti1.Nifti1Extension(0, xml.encode("utf-8")))
nib.save(img, sys.argv[1])
`;

describe.skipIf(!hasNibabel)("TotalSegmentator's label table inside its NIfTI", () => {
  it("loadMask names the labels and colours them from the CaretExtension; labels it leaves out stay idx_<label>", async () => {
    const path = join(tempDir(), "ts_ml.nii.gz");
    const r = spawnSync("/usr/bin/python3", ["-c", WRITER, path], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const seg = await loadMask(path);
    expect(seg.mapping.toJSON()).toEqual({ spleen: 1, kidney_right: 2, "heart & vessels": 5, idx_7: 7 });
    expect(seg.metadata("kidney_right").color).toEqual([0, 1, 0]);
    expect(counts(seg.data)).toEqual({ 0: 109, 1: 4, 2: 5, 5: 1, 7: 1 });
  });
});

describe.skipIf(!hasNibabel)("TotalSegmentator's label table written by medmask", () => {
  it("encodeNifti({ caretExtension: true }): nibabel's first extension is the CaretExtension TotalSegmentator parses, with our names, keys and colours; medmask reads its own names back", async () => {
    const { SegmentationMask, Space, encodeNifti, decodeNifti } = await import("../../src/node.js");
    const { writeFileSync } = await import("node:fs");
    const seg = new SegmentationMask(Uint8Array.from({ length: 24 }, (_, i) => [0, 1, 5, 9][i % 4]!), { spleen: 1, "heart ]]> & <lungs>": 5, kidney_left: 9 }, new Space({ shape: [2, 3, 4] }), { metadata: { spleen: { color: [1, 0, 0] } } });
    const path = join(tempDir(), "ours.nii.gz");
    writeFileSync(path, encodeNifti(seg, { caretExtension: true }));
    // What TotalSegmentator's load_multilabel_nifti does (with ElementTree for xmltodict): the first extension's label table.
    const reader = `
import sys, json, nibabel as nib, xml.etree.ElementTree as ET
img = nib.load(sys.argv[1])
root = ET.fromstring(img.header.extensions[0].get_content())
print(json.dumps({e.get("Key"): [e.text, e.get("Red"), e.get("Green"), e.get("Blue")] for e in root.iter("Label")}))
`;
    const r = spawnSync("/usr/bin/python3", ["-c", reader, path], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const table = JSON.parse(r.stdout) as Record<string, [string, string, string, string]>;
    expect(Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[0]]))).toEqual({ 1: "spleen", 5: "heart ]]> & <lungs>", 9: "kidney_left" });
    expect(table["1"]!.slice(1).map(Number)).toEqual([1, 0, 0]);
    // medmask's own extension (all metadata) is still read first by medmask.
    expect(decodeNifti(encodeNifti(seg, { caretExtension: true })).mapping.toJSON()).toEqual(seg.mapping.toJSON());
  });
});
