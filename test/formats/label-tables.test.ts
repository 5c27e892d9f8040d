// Label tables beside label images (SPEC section 18): decodeLabelTable / encodeLabelTable for
// ITK-SNAP, BIDS, NiiVue, FreeSurfer, Slicer and medmask, each both ways and told apart by
// content; loadMask naming an unnamed image from the table beside it (ITK-SNAP's real
// .gipl.gz and .label among them) and passing over a side file that is no table; GIPL read.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeGipl, decodeLabelTable, encodeLabelTable, encodeMetaImage, encodeNifti, loadMask, type LabelTableFormat } from "../../src/node.js";
import { codeOf } from "../helpers/errors.js";
import { counts, tempDir } from "../helpers/files.js";
import { hasOutside, outside } from "../helpers/outside.js";

const FORMATS: LabelTableFormat[] = ["itksnap", "bids", "niivue", "freesurfer", "slicer", "medmask"];
const seg = new SegmentationMask(Uint8Array.from({ length: 60 }, (_, i) => [0, 1, 2, 7][i % 4]!), { liver: 1, "left kidney": 2, spleen: 7 }, new Space({ shape: [3, 4, 5] }), { metadata: { liver: { color: [1, 0.5, 0] } } });

describe("label tables", () => {
  it.each(FORMATS)("%s: encodeLabelTable then decodeLabelTable gives the names and colours back, the format told by content", (format) => {
    const text = encodeLabelTable(seg, format);
    for (const table of [decodeLabelTable(text), decodeLabelTable(text, format)]) {
      expect(table.format).toBe(format);
      // FreeSurfer and Slicer names have no spaces: theirs have underscores.
      const kidney = format === "freesurfer" || format === "slicer" ? "left_kidney" : "left kidney";
      expect(table.mapping.toJSON()).toEqual({ liver: 1, [kidney]: 2, spleen: 7 });
      expect(table.colors.liver!.map((c) => Math.round(c * 255))).toEqual([255, 128, 0]);
      expect(Object.keys(table.colors).length).toBe(3);
    }
  });

  it("tables as their tools write them: ITK-SNAP's (quoted names, a clear label 0), a BIDS dseg.tsv, FreeSurfer's LUT, a Slicer .ctbl, NiiVue's JSON", () => {
    const itk = decodeLabelTable(['# ITK-SnAP Label Description File', '    0     0    0    0        0  0  0    "Clear Label"', '    1   255    0    0        1  1  1    "Label 1"', '    4     0   30  255     0.50  1  0    "two words"'].join("\r\n"));
    expect([itk.format, itk.mapping.toJSON(), itk.colors["two words"]]).toEqual(["itksnap", { "Label 1": 1, "two words": 4 }, [0, 30 / 255, 1]]);
    const bids = decodeLabelTable("index\tname\tabbreviation\tcolor\n0\tbackground\tBG\t#000000\n1\tgray matter\tGM\t#ff0000\n2\twhite matter\tWM\t\n");
    expect([bids.format, bids.mapping.toJSON(), bids.colors["gray matter"], bids.colors["white matter"]]).toEqual(["bids", { "gray matter": 1, "white matter": 2 }, [1, 0, 0], undefined]);
    const fs = decodeLabelTable("#$Id: FreeSurferColorLUT.txt\n\n#No. Label Name:                            R   G   B   A\n\n0   Unknown                                 0   0   0   0\n2   Left-Cerebral-White-Matter              245 245 245 0\n17  Left-Hippocampus                        220 216 20  0\n");
    expect([fs.format, fs.mapping.toJSON()]).toEqual(["freesurfer", { "Left-Cerebral-White-Matter": 2, "Left-Hippocampus": 17 }]);
    expect(decodeLabelTable("# Color table file /tmp/x.ctbl\n# 3 values\n0 Background 0 0 0 0\n1 tissue 128 174 128 255\n5 bone 241 214 145 255\n").format).toBe("slicer");
    const niivue = decodeLabelTable('{"R":[0,255,0],"G":[0,0,255],"B":[0,0,0],"labels":["","a","b"]}');
    expect([niivue.format, niivue.mapping.toJSON(), niivue.colors.b]).toEqual(["niivue", { a: 1, b: 2 }, [0, 1, 0]]);
    // A name used twice gets its label after it, as NiiVue's reader does.
    expect(decodeLabelTable("1 x 1 2 3 0\n2 x 1 2 3 0\n").mapping.toJSON()).toEqual({ x: 1, x_2: 2 });
  });

  it("what is no table is BAD_FORMAT; bad arguments are INVALID_ARGUMENT", () => {
    expect(codeOf(() => decodeLabelTable("just some notes\nabout the scan\n"))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeLabelTable('{"Manual": false}'))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeLabelTable("1 a 0 0 0 0\n1 b 0 0 0 0\n"))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeLabelTable("index\tname\n"))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeLabelTable("1 a 0 0 0 0", "csv" as LabelTableFormat))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decodeLabelTable('{"R":[0],"G":[0],"B":[0],"labels":["a"]}', "medmask"))).toBe("BAD_FORMAT");
    expect(codeOf(() => encodeLabelTable(seg, "xml" as LabelTableFormat))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decodeLabelTable(7 as unknown as string))).toBe("INVALID_ARGUMENT");
  });

  it("loadMask names an unnamed image from the table beside it (.label, .tsv, .ctbl, .txt), and passes over one that is no table", async () => {
    const dir = tempDir();
    const unnamed = new SegmentationMask(seg.data, undefined, seg.space);
    writeFileSync(join(dir, "a.mha"), encodeMetaImage(unnamed));
    writeFileSync(join(dir, "a.label"), encodeLabelTable(seg, "itksnap"));
    writeFileSync(join(dir, "b_dseg.nii.gz"), encodeNifti(unnamed, { gzip: true }));
    writeFileSync(join(dir, "b_dseg.tsv"), encodeLabelTable(seg, "bids"));
    writeFileSync(join(dir, "c.mha"), encodeMetaImage(unnamed));
    writeFileSync(join(dir, "c.txt"), "notes: scanned on Tuesday\n");
    writeFileSync(join(dir, "c.ctbl"), encodeLabelTable(seg, "slicer"));
    writeFileSync(join(dir, "d.mha"), encodeMetaImage(unnamed));
    writeFileSync(join(dir, "d.json"), '{"Manual": false, "Sources": ["bids::x"]}');
    for (const name of ["a.mha", "b_dseg.nii.gz"]) {
      const back = await loadMask(join(dir, name));
      expect(back.mapping.toJSON(), name).toEqual({ liver: 1, "left kidney": 2, spleen: 7 });
      expect(back.metadata("liver").color!.map((c) => Math.round(c * 255))).toEqual([255, 128, 0]);
      expect(counts(back.data)).toEqual(counts(seg.data));
    }
    expect((await loadMask(join(dir, "c.mha"))).mapping.toJSON()).toEqual({ liver: 1, left_kidney: 2, spleen: 7 });
    expect((await loadMask(join(dir, "d.mha"))).mapping.names().sort()).toEqual(["idx_1", "idx_2", "idx_7"]);
  });
});

describe("GIPL", () => {
  /** A GIPL of `values` (x fastest) of `type` (8: uchar, 15: short), big-endian, as ITK writes it. */
  function gipl(dims: [number, number, number], type: number, values: number[], spacing: number[], origin: number[]): Uint8Array {
    const size = type === 8 ? 1 : 2;
    const out = new Uint8Array(256 + values.length * size), v = new DataView(out.buffer);
    [...dims, 1].forEach((d, k) => v.setUint16(2 * k, d, false));
    v.setUint16(8, type, false);
    spacing.forEach((s, k) => v.setFloat32(10 + 4 * k, s, false));
    origin.forEach((o, k) => v.setFloat64(204 + 8 * k, o, false));
    v.setUint32(252, 0xefffe9b0, false);
    values.forEach((x, i) => (size === 1 ? v.setUint8(256 + i, x) : v.setInt16(256 + 2 * i, x, false)));
    return out;
  }

  it("reads ITK's header (spacing, origin, identity direction) and big-endian voxels, plain or gzip; refuses what is no label volume", () => {
    const values = Array.from({ length: 24 }, (_, i) => (i * 5) % 300);
    const bytes = gipl([4, 3, 2], 15, values, [0.5, 0.75, 2], [10, -5, 3.5]);
    for (const b of [bytes, new Uint8Array(gzipSync(bytes))]) {
      const seg = decodeGipl(b);
      expect([...seg.shape]).toEqual([2, 3, 4]);
      expect([...seg.space.spacing]).toEqual([2, 0.75, 0.5]);
      expect([...seg.space.origin]).toEqual([10, -5, 3.5]);
      expect(seg.space.axisCodes).toEqual(["S", "P", "L"]);
      expect(Array.from(seg.data)).toEqual(values);
    }
    expect(codeOf(() => decodeGipl(bytes.subarray(0, 260)))).toBe("TRUNCATED");
    expect(codeOf(() => decodeGipl(gipl([2, 1, 1], 15, [-1, 0], [1, 1, 1], [0, 0, 0])))).toBe("BAD_FORMAT");
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint16(8, 99, false);
    expect(codeOf(() => decodeGipl(bad))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeGipl(new Uint8Array(300)))).toBe("BAD_FORMAT");
  });

  it.skipIf(!hasOutside)("ITK-SNAP's MRIcrop-seg.gipl.gz opens with the names and colours of the .label beside it", async () => {
    const seg = await loadMask(outside("itksnap/MRIcrop-seg.gipl.gz"));
    expect([...seg.shape]).toEqual([64, 110, 78]);
    expect(seg.mapping.get("hippo-L")).toBe(5);
    expect(seg.metadata("hippo-L").color!.map((c) => Math.round(c * 255))).toEqual([145, 255, 11]);
    const table = decodeLabelTable(readFileSync(outside("itksnap/MRIcrop-seg.label"), "utf8"));
    expect(table.format).toBe("itksnap");
    for (const s of seg.labelStats().filter((x) => x.voxels > 0)) expect(table.mapping.hasLabel(s.label), s.name).toBe(true);
  });
});
