// encodeRtStruct / saveRtStruct (SPEC section 17): a mask's labels as closed planar contours,
// read back by our decoder voxel for voxel (random masks, layers, rotated grids, both
// backends), by pydicom (an independent reader: names, numbers, colours, types, each contour's
// image, the study and frame of reference of the CT), and checked by dciodvfy (the standard's
// validator); contours too long for explicit VR in implicit VR; the refusals; the CLI both ways.
import fc from "fast-check";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeRtStruct, type DecodedRtStruct, encodeRtStruct, loadMask, loadRtStruct, saveRtStruct } from "../../src/node.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { medmask } from "../helpers/cli.js";
import { dciodvfyErrors, hasDciodvfy, pydicomImages } from "../helpers/dicom-tools.js";
import { asyncCodeOf, codeOf } from "../helpers/errors.js";
import { tempDir } from "../helpers/files.js";
import { CT, hasPydicom, pydicomRtStruct, space, writeCase } from "../helpers/rtstruct-case.js";
import { spaceArb } from "../helpers/spaces.js";

/** Every name's voxels the same in both. */
function expectSameVoxels(a: SegmentationMask<string>, b: SegmentationMask<string>): void {
  expect(b.mapping.toJSON()).toStrictEqual(a.mapping.toJSON());
  for (const name of a.mapping.names()) expect(b.getBinaryMaskByNames(name), name).toStrictEqual(a.getBinaryMaskByNames(name));
}

/** A random mask: blobs of a few labels, a second layer overlapping the first sometimes. */
const maskCase = fc
  .record({ space: spaceArb([4, 9, 11]), seed: fc.integer(), labels: fc.integer({ min: 1, max: 5 }), density: fc.double({ min: 0.1, max: 0.9, noNaN: true }), layered: fc.boolean() })
  .map(({ space, seed, labels, density, layered }) => {
    let s = seed >>> 0;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const data = new Uint8Array(space.voxelCount).map(() => (rnd() < density ? 1 + Math.floor(rnd() * labels) : 0));
    const mapping = Object.fromEntries(Array.from({ length: labels }, (_, l) => [`organ ${l + 1}`, l + 1]));
    if (!layered) return new SegmentationMask(data, mapping, space);
    const second = new Uint8Array(space.voxelCount).map(() => (rnd() < 0.3 ? 40 : 0));
    return new SegmentationMask([data, second], { ...mapping, overlap: 40 }, space);
  });

describe.each(BACKENDS)("encodeRtStruct (%s)", (backend) => {
  useBackend(backend);

  it("random masks on any grid (rotated, anisotropic, layers): decodeRtStruct of the contours gives every voxel back, names and labels kept", () => {
    fc.assert(
      fc.property(maskCase, (mask) => {
        expectSameVoxels(mask, decodeRtStruct(encodeRtStruct(mask), { space: mask.space }).mask);
      }),
      { numRuns: 80 },
    );
  });

  it("edge sizes: a single voxel, a slice of one row, voxels on every face of the grid, an empty label (a structure with no contour)", () => {
    for (const shape of [[1, 1, 1], [1, 1, 7], [3, 1, 1], [2, 3, 3]] as const) {
      const s = new Space({ shape, spacing: [2, 0.5, 0.7] });
      const mask = new SegmentationMask(new Uint8Array(s.voxelCount).fill(1), { all: 1, none: 2 }, s);
      const { mask: back, rois } = decodeRtStruct(encodeRtStruct(mask), { space: s });
      expectSameVoxels(mask, back);
      expect(rois.find((r) => r.name === "none")!.contours).toBe(0);
      expect(rois.find((r) => r.name === "all")!.contours).toBe(shape[0]);
    }
  });
});

describe.skipIf(!hasPydicom)("encodeRtStruct on a CT series", () => {
  let written: ReturnType<typeof writeCase>;
  let decoded: DecodedRtStruct;
  let path: string;
  beforeAll(() => {
    written = writeCase();
    decoded = decodeRtStruct(written.rtstruct, { source: written.ct });
    path = join(written.dir, "ours.dcm");
    const types = Object.fromEntries(decoded.rois.map((r) => [r.name, r.type ?? ""]));
    writeFileSync(path, encodeRtStruct(decoded.mask, { source: written.ct, types }));
  });

  it("read back onto the CT: every structure's voxels (the ring's hole, the two kidneys, the overlapping GTV), names, numbers, colours, types", () => {
    const again = decodeRtStruct(new Uint8Array(readFileSync(path)), { source: written.ct });
    expectSameVoxels(decoded.mask, again.mask);
    expect(again.rois.map((r) => [r.number, r.name, r.color, r.type])).toStrictEqual(decoded.rois.map((r) => [r.number, r.name, r.color, r.type]));
    expect(again.frameOfReference).toBe(CT.frameOfReference);
  });

  it("as pydicom reads it: the CT's patient, study and frame of reference; every CT image referenced; each contour on its slice's image, at its z; CLOSED_PLANAR with its point count", () => {
    const ours = pydicomRtStruct(path);
    const images = pydicomImages(readdirSorted(join(written.dir, "ct")));
    expect(ours).toMatchObject({ syntax: "1.2.840.10008.1.2.1", modality: "RTSTRUCT", study: CT.study, frameOfReference: CT.frameOfReference, referencedFrame: CT.frameOfReference, patientId: "RT-1" });
    expect(new Set(ours.images)).toStrictEqual(new Set(images.map((im) => im.sop)));
    expect(ours.rois.map((r) => [r.number, r.name, r.type, r.color])).toStrictEqual([
      [1, "Ball", "ORGAN", [255, 0, 0]],
      [2, "Ring", "PTV", [0, 255, 0]],
      [5, "Kidneys", "ORGAN", [0, 0, 255]],
      [7, "GTV", "GTV", [255, 255, 0]],
      [9, "Marker", "MARKER", [255, 0, 255]],
    ]);
    // The ring: an outer contour and a hole on each of its three slices; the kidneys two pieces on each of two.
    expect(ours.rois[1]!.contours).toHaveLength(6);
    expect(ours.rois[2]!.contours).toHaveLength(4);
    expect(ours.rois[4]!.contours).toHaveLength(0);
    for (const roi of ours.rois)
      for (const c of roi.contours) {
        expect(c.type).toBe("CLOSED_PLANAR");
        expect(c.points).toBe(c.data);
        const image = images.find((im) => im.sop === c.image)!;
        expect(image.position[2]).toBeCloseTo(c.z, 3);
      }
  });

  it("dciodvfy reports no error, with the CT's references and without", () => {
    if (!hasDciodvfy) return;
    expect(dciodvfyErrors(path)).toStrictEqual([]);
    const bare = join(written.dir, "bare.dcm");
    writeFileSync(bare, encodeRtStruct(decoded.mask));
    expect(dciodvfyErrors(bare)).toStrictEqual([]);
  });

  it("saveRtStruct with the CT's folder and loadRtStruct: the same structures; an existing file kept without { overwrite }", async () => {
    const out = join(written.dir, "saved.dcm");
    await saveRtStruct(decoded.mask, out, { source: join(written.dir, "ct") });
    expectSameVoxels(decoded.mask, (await loadRtStruct(out, { source: join(written.dir, "ct") })).mask);
    expect(await asyncCodeOf(() => saveRtStruct(decoded.mask, out))).toBe("FILE_EXISTS");
    await saveRtStruct(decoded.mask, out, { overwrite: true });
    await expect(saveRtStruct(decoded.mask, out, { overwrite: true, colour: 1 } as never)).rejects.toThrow(/saveRtStruct does not take "colour"/);
  });

  it("refuses a mask off the CT's grid (SHAPE_MISMATCH), no label, labels beyond ROI numbers, bad options", () => {
    const shifted = new SegmentationMask(new Uint8Array(space.voxelCount), { a: 1 }, Space.fromJSON({ ...space.toJSON(), origin: [CT.origin[0]!, CT.origin[1]!, CT.origin[2]! + 1] }));
    expect(codeOf(() => encodeRtStruct(shifted, { source: written.ct }))).toBe("SHAPE_MISMATCH");
    expect(codeOf(() => encodeRtStruct(new SegmentationMask(new Uint8Array(8), {}, new Space({ shape: [2, 2, 2] }))))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeRtStruct(new SegmentationMask(new Uint32Array(8), { big: 2 ** 31 }, new Space({ shape: [2, 2, 2] }))))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeRtStruct(decoded.mask, { types: { Ball: "organ" } }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeRtStruct(decoded.mask, { algorithmType: "BY HAND" as never }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeRtStruct({} as never))).toBe("INVALID_ARGUMENT");
    expect(() => encodeRtStruct(decoded.mask, { source: [new Uint8Array(4)] })).toThrow(/encodeRtStruct \{ source \}|Source image 1/);
  });
});

describe("encodeRtStruct of a contour too long for explicit VR", () => {
  it("a comb of 1000 teeth (4000 points, ContourData over 64 KB): written in implicit VR little endian, read back voxel for voxel", () => {
    const s = new Space({ shape: [1, 5, 2003], spacing: [3, 0.977, 0.977], origin: [-123.456, -456.789, 1000.5] });
    const data = new Uint8Array(s.voxelCount);
    for (let x = 1; x < 2002; x++) {
      data[1 * 2003 + x] = 1;
      if (x % 2 === 1) data[2 * 2003 + x] = data[3 * 2003 + x] = 1;
    }
    const mask = new SegmentationMask(data, { comb: 1 }, s);
    const bytes = encodeRtStruct(mask);
    expect(new TextDecoder().decode(bytes.subarray(132, 400))).toContain("1.2.840.10008.1.2\0");
    expectSameVoxels(mask, decodeRtStruct(bytes, { space: s }).mask);
    if (hasPydicom) {
      const path = join(tempDir(), "comb.dcm");
      writeFileSync(path, bytes);
      const read = pydicomRtStruct(path);
      expect(read.syntax).toBe("1.2.840.10008.1.2");
      expect(read.rois[0]!.contours[0]!.points).toBeGreaterThan(4000);
      if (hasDciodvfy) expect(dciodvfyErrors(path)).toStrictEqual([]);
    }
  });
});

describe.skipIf(!hasPydicom)("medmask convert to an RT Structure Set", () => {
  it("--format rtstruct --source CT_FOLDER writes the contours on the CT; converted back with --source, the same voxels; --format rtstruct on another file type refused", async () => {
    const { dir, ct, rtstruct } = writeCase();
    const mask = decodeRtStruct(rtstruct, { source: ct }).mask;
    const r1 = medmask("convert", join(dir, "rs.dcm"), join(dir, "labels.msk"), "--source", join(dir, "ct"));
    expect(r1.code, r1.stderr).toBe(0);
    const r2 = medmask("convert", join(dir, "labels.msk"), join(dir, "out-rs.dcm"), "--format", "rtstruct", "--source", join(dir, "ct"));
    expect(r2.code, r2.stderr).toBe(0);
    expect(pydicomRtStruct(join(dir, "out-rs.dcm")).study).toBe(CT.study);
    const r3 = medmask("convert", join(dir, "out-rs.dcm"), join(dir, "back.msk"), "--source", join(dir, "ct"));
    expect(r3.code, r3.stderr).toBe(0);
    expectSameVoxels(mask, await loadMask(join(dir, "back.msk")));
    const wrong = medmask("convert", join(dir, "labels.msk"), join(dir, "x.nii.gz"), "--format", "rtstruct");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--format rtstruct writes \.dcm/);
  }, 60_000);
});

function readdirSorted(dir: string): string[] {
  return readdirSync(dir).sort().map((f) => join(dir, f));
}
