// MetaImage (.mha, .mhd + .raw/.zraw) and plain NRRD label maps, both ways: round trips on
// random grids of every orientation and bit depth, what the readers refuse, loadMask by
// content, the command line, and ITK-SNAP's own .mha and pyradiomics' NRRD label maps
// (metaimage-plastimatch.test.ts holds both against ITK's readers and writers).
import fc from "fast-check";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeMetaImage, decodeNrrd, encodeMask, encodeMetaImage, encodeNrrd, loadMask, loadMetaImage, loadNrrd, saveMetaImage, saveNrrd } from "../../src/node.js";
import { medmask } from "../helpers/cli.js";
import { asyncCodeOf, codeOf, errorOf } from "../helpers/errors.js";
import { counts, sha256, tempDir } from "../helpers/files.js";
import { hasOutside, outside } from "../helpers/outside.js";
import { spaceArb } from "../helpers/spaces.js";

const hashOf = (seg: SegmentationMask<string>): string => sha256(new Uint8Array(Uint32Array.from(seg.data).buffer));

/** A mask on `space` with labels up to `top` (sparse, seeded by the space's voxel count). */
function maskOn(space: Space, top: number): SegmentationMask<string> {
  const Type = top <= 0xff ? Uint8Array : top <= 0xffff ? Uint16Array : Uint32Array;
  const data = new Type(space.voxelCount);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) % 7 < 3 ? 0 : top - ((i * 40503) % 3);
  return new SegmentationMask(data, undefined, space);
}

describe("MetaImage and NRRD label maps: round trips", () => {
  it("random grids (any orientation), labels of 8, 16 and 32 bits, compressed or not: the same voxels and space back", () => {
    fc.assert(
      fc.property(spaceArb(), fc.constantFrom(7, 300, 70000), fc.boolean(), (space, top, compress) => {
        const seg = maskOn(space, top);
        for (const back of [decodeMetaImage(encodeMetaImage(seg, { compress })), decodeNrrd(encodeNrrd(seg, { gzip: compress }))]) {
          expect(hashOf(back)).toBe(hashOf(seg));
          expect(back.space.equals(seg.space, 1e-9), `${JSON.stringify(back.space)} vs ${JSON.stringify(seg.space)}`).toBe(true);
        }
      }),
      { numRuns: 120 },
    );
  });

  it("the header ITK writes: the geometry as ITK reads it (row i of TransformMatrix is axis i), AnatomicalOrientation to match", () => {
    // Axis order (z, y, x) here; x runs toward patient right, y toward anterior, z toward superior.
    const space = new Space({ shape: [2, 3, 4], spacing: [3, 2, 1], origin: [10, 20, 30], xOrientation: [0, 0, 1], yOrientation: [0, -1, 0], zOrientation: [-1, 0, 0] });
    const text = new TextDecoder().decode(encodeMetaImage(maskOn(space, 5), { compress: false }).subarray(0, 400));
    expect(text).toMatch(/^ObjectType = Image\nNDims = 3\n/);
    expect(text).toContain("\nTransformMatrix = -1 0 0 0 -1 0 0 0 1\n");
    expect(text).toContain("\nOffset = 10 20 30\n");
    expect(text).toContain("\nElementSpacing = 1 2 3\n");
    expect(text).toContain("\nDimSize = 4 3 2\n");
    expect(text).toContain("\nAnatomicalOrientation = LPI\n");
    expect(text).toContain("\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n");
  });

  it("files: .mha, .mhd with .zraw or .raw beside it, .nrrd; loadMask opens each by content; FILE_EXISTS without overwrite", async () => {
    const dir = tempDir();
    const seg = maskOn(new Space({ shape: [3, 4, 5], spacing: [2, 1, 0.5], origin: [1, 2, 3] }), 9);
    await saveMetaImage(seg, join(dir, "a.mha"));
    await saveMetaImage(seg, join(dir, "b.mhd"));
    await saveMetaImage(seg, join(dir, "c.mhd"), { compress: false });
    await saveNrrd(seg, join(dir, "d.nrrd"));
    expect(existsSync(join(dir, "b.zraw")) && existsSync(join(dir, "c.raw"))).toBe(true);
    expect(readFileSync(join(dir, "c.raw")).length).toBe(60);
    for (const name of ["a.mha", "b.mhd", "c.mhd", "d.nrrd"]) {
      for (const back of [await loadMask(join(dir, name)), name.endsWith(".nrrd") ? await loadNrrd(join(dir, name)) : await loadMetaImage(join(dir, name))]) {
        expect(hashOf(back), name).toBe(hashOf(seg));
        expect(back.space.equals(seg.space, 1e-9), name).toBe(true);
      }
    }
    expect(await asyncCodeOf(() => saveMetaImage(seg, join(dir, "b.mhd")))).toBe("FILE_EXISTS");
    expect(await asyncCodeOf(() => saveNrrd(seg, join(dir, "d.nrrd")))).toBe("FILE_EXISTS");
    await saveMetaImage(seg, join(dir, "b.mhd"), { overwrite: true });
    // A .mhd without its data file, or its bytes alone, says what is missing.
    expect(await asyncCodeOf(() => loadMask(join(dir, "x.mhd")))).toBe("FILE_NOT_FOUND");
    writeFileSync(join(dir, "lost.mhd"), readFileSync(join(dir, "b.mhd")).toString().replace("b.zraw", "gone.zraw"));
    expect(await asyncCodeOf(() => loadMask(join(dir, "lost.mhd")))).toBe("FILE_NOT_FOUND");
    expect(codeOf(() => decodeMetaImage(readFileSync(join(dir, "b.mhd"))))).toBe("INVALID_ARGUMENT");
    expect(hashOf(decodeMetaImage(readFileSync(join(dir, "c.mhd")), { data: readFileSync(join(dir, "c.raw")) }))).toBe(hashOf(seg));
  });

  it("what the readers refuse: truncated voxels, a corrupt zlib stream, 4-D, several channels, vectors, unknown types, layers", () => {
    const seg = maskOn(new Space({ shape: [3, 4, 5] }), 9);
    const raw = encodeMetaImage(seg, { compress: false });
    expect(codeOf(() => decodeMetaImage(raw.subarray(0, raw.length - 1)))).toBe("TRUNCATED");
    const zipped = encodeMetaImage(maskOn(new Space({ shape: [20, 30, 40] }), 9)).slice();
    zipped.fill(0x55, zipped.length - 60, zipped.length - 6); // inside the deflate stream
    expect(codeOf(() => decodeMetaImage(zipped))).toBe("BAD_FORMAT");
    const edit = (from: string, to: string) => new Uint8Array([...new TextEncoder().encode(new TextDecoder("latin1").decode(raw).replace(from, to))]);
    expect(codeOf(() => decodeMetaImage(edit("NDims = 3", "NDims = 4")))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMetaImage(edit("ElementType", "ElementNumberOfChannels = 3\nElementType")))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMetaImage(edit("MET_UCHAR", "MET_STRING")))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMetaImage(edit("DimSize = 5 4 3", "DimSize = 5 4")))).toBe("BAD_FORMAT");
    // A header that never ends (no ElementDataFile line) is cut short.
    expect(codeOf(() => decodeMetaImage(edit("ElementDataFile = LOCAL\n", "")))).toBe("TRUNCATED");
    expect(codeOf(() => decodeMetaImage(new TextEncoder().encode("NRRD0004\n")))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMetaImage(edit("DimSize = 5 4 3", "DimSize = 5000 4000 3000"), { maxBytes: 1e6 }))).toBe("TOO_LARGE");
    // Big-endian 16-bit voxels read as the same labels.
    const wide = maskOn(new Space({ shape: [2, 3, 4] }), 300);
    const le = encodeMetaImage(wide, { compress: false });
    const text = new TextDecoder("latin1").decode(le);
    const start = text.indexOf("ElementDataFile = LOCAL\n") + "ElementDataFile = LOCAL\n".length;
    const head = new TextEncoder().encode(text.slice(0, start).replace("BinaryDataByteOrderMSB = False", "BinaryDataByteOrderMSB = True"));
    const be = new Uint8Array(head.length + 48);
    be.set(head);
    for (let i = 0; i < 24; i++) new DataView(be.buffer).setUint16(head.length + 2 * i, wide.data[i]!, false);
    expect(hashOf(decodeMetaImage(be))).toBe(hashOf(wide));
    const layered = new SegmentationMask(new Uint8Array(60).fill(1), { a: 1 }, new Space({ shape: [3, 4, 5] }));
    layered.addLabel(new Uint8Array(60).fill(1, 0, 5), 2, "b", { onOverlap: "layer" });
    expect(codeOf(() => encodeMetaImage(layered))).toBe("LAYERED");
    expect(codeOf(() => encodeNrrd(layered))).toBe("LAYERED");
    expect(counts(decodeNrrd(encodeNrrd(layered, { flatten: true })).data)).toEqual({ 1: 55, 2: 5 });
  });

  it("NRRD's text encodings (ascii, hex) read as raw does; bzip2 is refused saying what would do", () => {
    const head = (encoding: string, type = "short") => `NRRD0004\ntype: ${type}\ndimension: 3\nspace: left-posterior-superior\nsizes: 3 2 1\nspace directions: (1,0,0) (0,1,0) (0,0,2)\nendian: big\nencoding: ${encoding}\nspace origin: (0,0,0)\n\n`;
    const values = [0, 1, 300, 300, 7, 0];
    const ascii = decodeNrrd(new TextEncoder().encode(head("ascii") + "0 1 300\n300 7 0\n"));
    expect(Array.from(ascii.data)).toEqual(values);
    expect([...ascii.space.spacing]).toEqual([2, 1, 1]);
    // hex: two digits a byte, in the file's (big-endian) order.
    const hex = decodeNrrd(new TextEncoder().encode(head("hex") + values.map((v) => v.toString(16).padStart(4, "0")).join(" ") + "\n"));
    expect(Array.from(hex.data)).toEqual(values);
    expect(codeOf(() => decodeNrrd(new TextEncoder().encode(head("ascii") + "0 1 x 3 4 5\n")))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeNrrd(new TextEncoder().encode(head("ascii") + "0 1\n")))).toBe("TRUNCATED");
    const bz = errorOf(() => decodeNrrd(new TextEncoder().encode(head("bzip2") + "BZh9")));
    expect([bz.code, /gzip/.test(bz.message)]).toEqual(["BAD_FORMAT", true]);
  });

  it("medmask convert to .mha, .mhd and .nrrd, saying the names stay behind, and back", async () => {
    const dir = tempDir();
    const seg = new SegmentationMask(Uint8Array.from({ length: 60 }, (_, i) => (i * 7) % 4), { liver: 1, spleen: 2, kidney: 3 }, new Space({ shape: [3, 4, 5], spacing: [2, 1, 1] }));
    writeFileSync(join(dir, "case.msk"), encodeMask(seg));
    for (const out of ["case.mha", "case.mhd", "case.nrrd"]) {
      const r = medmask("convert", join(dir, "case.msk"), join(dir, out));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/keeps label numbers only; the names \(liver, spleen, kidney\) are not written/);
      const back = await loadMask(join(dir, out));
      expect(hashOf(back), out).toBe(hashOf(seg));
      const info = medmask("info", join(dir, out));
      expect(info.code, info.stderr).toBe(0);
    }
  });
});

describe.skipIf(!hasOutside)("label maps other tools wrote", () => {
  it("ITK-SNAP's vb-seg.mha (zlib, 640x633x299, 8 labels): its grid and labels", async () => {
    const seg = await loadMask(outside("itksnap/vb-seg.mha"));
    expect([...seg.shape]).toEqual([299, 633, 640]);
    expect([...seg.space.spacing]).toEqual([1, 0.34375, 0.34375]);
    expect(seg.space.axisCodes).toEqual(["S", "P", "L"]);
    expect(Object.keys(counts(seg.data)).map(Number).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("pyradiomics' NRRD label maps (int32 with a negative y direction; int16 with labels 1, 7, 8, 9)", async () => {
    const brain = await loadNrrd(outside("pyradiomics/brain1_label.nrrd"));
    expect(brain.space.axisCodes[1]).toBe("A");
    const prostate = await loadMask(outside("pyradiomics/prostate_phantom_subvolume-label.nrrd"));
    expect(Object.keys(counts(prostate.data)).map(Number).filter((l) => l > 0)).toEqual([1, 7, 8, 9]);
  });
});
