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
    expect(FORMATS.map((f) => f.id)).toEqual(["native", "python", "seg-nrrd", "nrrd", "metaimage", "nifti", "mgh", "dicom-seg"]);
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
    expect(formatOfName("x.gipl.gz")).toBeNull();
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

describe.skipIf(!hasOutside)("files medmask does not read are said to be what they are", () => {
  it("GIPL (ITK-SNAP's .gipl.gz) is named, with what would open it; a FreeSurfer .mgz is read", () => {
    const gipl = new Uint8Array(readFileSync(outside("itksnap/MRIcrop-seg.gipl.gz")));
    expect(formatOf(gipl)).toBeNull();
    const error = errorOf(() => decodeMask(gipl));
    expect(error.code).toBe("BAD_FORMAT");
    expect(error.message).toMatch(/GIPL volume/);
    expect(error.message).not.toMatch(/gzip bomb|NIfTI-1/);
    expect(formatOf(new Uint8Array(readFileSync(outside("niivue/aparc.a2009s+aseg.mgz"))))?.id).toBe("mgh");
  });

  it("the command line says so too, instead of 'unknown file type'", () => {
    const dir = tempDir();
    const r = medmask("info", outside("itksnap/MRIcrop-seg.gipl.gz"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GIPL volume/);
    const rt = medmask("info", outside("slicerrt/RS.1.2.246.352.71.4.2088656855.2404649.20110920153449.dcm"));
    expect(rt.code).toBe(1);
    expect(rt.stderr).toMatch(/RT Structure Set \(contours\)/);
    writeFileSync(join(dir, "renamed.bin"), encodeMask(seg));
    expect(medmask("info", join(dir, "renamed.bin")).code).toBe(0);
  });
});
