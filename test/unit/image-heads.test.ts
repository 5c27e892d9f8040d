// readImageHeads: a folder of DICOM images read up to their pixel data (what the SEG and RT
// Structure Set readers and writers need of a source series): each head a prefix of its file
// that parses to the same attributes and ends where the pixel data begins; other files and
// folders skipped; a file without pixel data, a deflated one, and one whose header is longer
// than the first read, read as far as needed.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readImageHeads } from "../../src/internals.js";
import { parseDicom, tag } from "../../src/dicom/parse.js";
import { T } from "../../src/dicom/tags.js";
import { encodeDicomFile } from "../../src/dicom/write.js";
import "../../src/node.js";
import { hasPydicom, pydicomTranscode } from "../helpers/dicom-tools.js";
import { asyncCodeOf } from "../helpers/errors.js";
import { tempDir } from "../helpers/files.js";
import { writeCase } from "../helpers/rtstruct-case.js";

const PIXEL_DATA = tag(0x7fe0, 0x0010);

/** Where a file's pixel data element begins: the last (7FE0,0010) tag in its bytes, little endian. */
function pixelDataAt(bytes: Uint8Array): number {
  for (let p = bytes.length - 4; p >= 0; p--) if (bytes[p] === 0xe0 && bytes[p + 1] === 0x7f && bytes[p + 2] === 0x10 && bytes[p + 3] === 0x00) return p;
  return bytes.length;
}

describe.skipIf(!hasPydicom)("readImageHeads", () => {
  it("a CT series: each file up to its pixel data, in name order; the same attributes as the whole file; a folder and a text file beside them skipped", async () => {
    const { dir } = writeCase();
    const ct = join(dir, "ct");
    mkdirSync(join(ct, "sub"));
    writeFileSync(join(ct, "notes.txt"), "not DICOM");
    const heads = await readImageHeads(ct);
    const files = readdirSync(ct).filter((f) => f.endsWith(".dcm")).sort().map((f) => new Uint8Array(readFileSync(join(ct, f))));
    expect(heads).toHaveLength(files.length);
    heads.forEach((head, i) => {
      const whole = files[i]!;
      expect(head.length).toBe(pixelDataAt(whole));
      expect(head.length).toBeLessThan(whole.length);
      expect(head).toStrictEqual(whole.subarray(0, head.length));
      const [a, b] = [parseDicom(head, 1 << 30).dataset, parseDicom(whole, 1 << 30).dataset];
      for (const t of [T.SOPInstanceUID, T.ImagePositionPatient, T.ImageOrientationPatient, T.PixelSpacing]) expect(a.string(t)).toBe(b.string(t));
    });
  });

  it("a file with no pixel data whole; a deflated file whole; a header longer than the first read in full; no DICOM file at all refused", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "images"));
    // A data set of 100 KB before its pixel data (a long description), then 8 KB of pixels.
    const long = encodeDicomFile([[tag(0x0008, 0x0016), "UI", "1.2.3"], [tag(0x0008, 0x0018), "UI", "1.2.3.4"], [tag(0x0040, 0xa160), "UT", "x".repeat(100_000)], [PIXEL_DATA, "OW", new Uint8Array(8192)]], "1.2.3", "1.2.3.4", "1");
    const none = encodeDicomFile([[tag(0x0008, 0x0016), "UI", "1.2.3"], [tag(0x0008, 0x0018), "UI", "1.2.3.5"]], "1.2.3", "1.2.3.5", "1");
    writeFileSync(join(dir, "images", "a.dcm"), long);
    writeFileSync(join(dir, "images", "b.dcm"), none);
    pydicomTranscode(join(dir, "images", "a.dcm"), join(dir, "images", "c.dcm"), "deflated");
    const [a, b, c] = await readImageHeads(join(dir, "images"));
    expect(a!.length).toBe(long.length - 8192 - 12);
    expect(b).toStrictEqual(none);
    expect(c).toStrictEqual(new Uint8Array(readFileSync(join(dir, "images", "c.dcm"))));
    mkdirSync(join(dir, "empty"));
    writeFileSync(join(dir, "empty", "x.txt"), "text");
    expect(await asyncCodeOf(() => readImageHeads(join(dir, "empty")))).toBe("INVALID_ARGUMENT");
  });
});
