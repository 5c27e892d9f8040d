// The format registry (src/formats/registry.ts): each single-mask format told by its content
// and its name; gzip as a container whose content decides, so the files other producers
// write that medmask does not read are said to be what they are (a GIPL, an RT Structure
// Set), in the library and in the command line; a FreeSurfer .mgz is read as one.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeMask, encodeDicomSeg, encodeMask, encodeMetaImage, encodeMgh, encodeNifti, encodeNrrd, encodeSegNrrd, readMaskInfo } from "../../src/index.js";
import { FORMATS, formatOf, formatOfName } from "../../src/internals.js";
import { medmask } from "../helpers/cli.js";
import { codeOf, errorOf } from "../helpers/errors.js";
import { tempDir } from "../helpers/files.js";
import { hasOutside, outside } from "../helpers/outside.js";

const seg = new SegmentationMask(Uint8Array.from({ length: 24 }, (_, i) => i % 3), { a: 1, b: 2 }, new Space({ shape: [2, 3, 4] }));

describe("the format registry", () => {
  it("tells every format by its content, and by its name", () => {
    const files: Array<[string, Uint8Array]> = [
      ["native", encodeMask(seg)],
      ["nifti", encodeNifti(seg)],
      ["nifti", encodeNifti(seg, { gzip: false })],
      ["seg-nrrd", encodeSegNrrd(seg)],
      ["dicom-seg", encodeDicomSeg(seg)],
    ];
    for (const [id, bytes] of files) expect(formatOf(bytes)?.id, id).toBe(id);
    expect(FORMATS.map((f) => f.id)).toEqual(["native", "python", "seg-nrrd", "nrrd", "metaimage", "nifti", "mgh", "gipl", "dicom-seg"]);
    expect(formatOf(encodeMetaImage(seg))?.id).toBe("metaimage");
    // A plain NRRD is read by the .seg.nrrd reader (it has no segments): the same format by content.
    expect(formatOf(encodeNrrd(seg))?.id).toBe("seg-nrrd");
    expect(formatOfName("x.nrrd")?.id).toBe("nrrd");
    expect(formatOfName("x.MHA")?.id).toBe("metaimage");
    expect(formatOfName("x.mhd")?.id).toBe("metaimage");
    expect(formatOf(encodeMgh(seg))?.id).toBe("mgh");
    expect(formatOf(encodeMgh(seg, { gzip: false }))?.id).toBe("mgh");
    expect(formatOfName("a/B.NII.GZ")?.id).toBe("nifti");
    expect(formatOfName("x.seg.nrrd")?.id).toBe("seg-nrrd");
    expect(formatOfName("x.msk")?.id).toBe("native");
    expect(formatOfName("x.mgz")?.id).toBe("mgh");
    expect(formatOfName("x.gipl.gz")?.id).toBe("gipl");
    expect(formatOfName("x.dat")).toBeNull();
  });

  it("a gzip stream of something else than NIfTI is not taken for a broken NIfTI", () => {
    const other = gzipSync(new Uint8Array(4096).fill(7));
    expect(formatOf(other)).toBeNull();
    expect(errorOf(() => decodeMask(other)).message).toMatch(/gzip stream whose content is not a mask file/);
    // A stream cut short is still NIfTI's to report.
    expect(codeOf(() => decodeMask(encodeNifti(seg).subarray(0, 30)))).toMatch(/TRUNCATED|BAD_FORMAT/);
    expect(errorOf(() => readMaskInfo(encodeNifti(seg))).message).toMatch(/this is a NIfTI file: decode it/);
  });
});

describe.skipIf(!hasOutside)("gzip streams are opened and their content decides; files medmask does not read are said to be what they are", () => {
  it("ITK-SNAP's .gipl.gz and a FreeSurfer .mgz are read as what they are, not taken for broken NIfTI", () => {
    const gipl = new Uint8Array(readFileSync(outside("itksnap/MRIcrop-seg.gipl.gz")));
    expect(formatOf(gipl)?.id).toBe("gipl");
    expect([...decodeMask(gipl).shape]).toEqual([64, 110, 78]);
    expect(formatOf(new Uint8Array(readFileSync(outside("niivue/aparc.a2009s+aseg.mgz"))))?.id).toBe("mgh");
    // A gzip stream of something else is named as that, not as a broken NIfTI.
    const error = errorOf(() => decodeMask(new Uint8Array(gzipSync(new Uint8Array(4096).fill(7)))));
    expect(error.code).toBe("BAD_FORMAT");
    expect(error.message).toMatch(/gzip stream whose content is not a mask file/);
    expect(error.message).not.toMatch(/gzip bomb|NIfTI-1/);
  });

  it("the command line says what a file it does not read is, instead of 'unknown file type'", () => {
    const dir = tempDir();
    expect(medmask("info", outside("itksnap/MRIcrop-seg.gipl.gz")).code).toBe(0);
    const rt = medmask("info", outside("slicerrt/RS.1.2.246.352.71.4.2088656855.2404649.20110920153449.dcm"));
    expect(rt.code).toBe(1);
    expect(rt.stderr).toMatch(/RT Structure Set \(contours\)/);
    writeFileSync(join(dir, "renamed.bin"), encodeMask(seg));
    expect(medmask("info", join(dir, "renamed.bin")).code).toBe(0);
  });
});
