// One naming grid for every format (issue 18): decodeF (bytes -> mask), encodeF (mask ->
// bytes), loadF / saveF (paths, Node). The names from before the grid still work, giving
// what their replacements give.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  SegmentationMask,
  Space,
  combineBinaryMasks,
  decodeDicomSeg,
  decodeMask,
  decodeNifti,
  decodeSegNrrd,
  encodeDicomSeg,
  encodeMask,
  encodeNifti,
  encodeSegNrrd,
  init,
  loadDicomSeg,
  loadMask,
  loadNifti,
  loadSegNrrd,
  niftiBytes,
  readNifti,
  readSegNrrd,
  saveDicomSeg,
  saveMask,
  saveNifti,
  saveSegNrrd,
  segNrrdSegments,
  writeNifti,
  writeSegNrrd,
  writeSegNrrdLayers,
} from "../../src/node.js";
import { asyncCodeOf, tempDir } from "../helpers/files.js";

const space = new Space({ shape: [2, 3, 4], spacing: [2.5, 0.7, 0.7], origin: [10, -20, 30] });
const data = Uint8Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? 0 : 1 + (i % 3)));
const seg: SegmentationMask<string> = new SegmentationMask(data, { liver: 1, spleen: 2, kidney: 3 }, space, { metadata: { liver: { color: [0.8, 0.5, 0.4] } } });

/** Same names, labels' voxels and geometry (to float32 for NIfTI). */
function expectSame(a: SegmentationMask<string>, b: SegmentationMask<string>): void {
  expect(a.mapping.toJSON()).toEqual(b.mapping.toJSON());
  for (const name of b.mapping.names()) expect(Array.from(a.getBinaryMaskByNames(name)), name).toEqual(Array.from(b.getBinaryMaskByNames(name)));
  expect(a.space.equals(b.space, 1e-4)).toBe(true);
}

describe("the naming grid", () => {
  const formats = [
    { name: "medmask", decode: (b: Uint8Array) => decodeMask(b), encode: (s: SegmentationMask<string>) => encodeMask(s), load: loadMask, save: saveMask, ext: "msk" },
    { name: "NIfTI", decode: (b: Uint8Array) => decodeNifti(b), encode: (s: SegmentationMask<string>) => encodeNifti(s), load: (p: string) => loadNifti(p), save: saveNifti, ext: "nii.gz" },
    { name: ".seg.nrrd", decode: (b: Uint8Array) => decodeSegNrrd(b).mask, encode: (s: SegmentationMask<string>) => encodeSegNrrd(s), load: async (p: string) => (await loadSegNrrd(p)).mask, save: saveSegNrrd, ext: "seg.nrrd" },
    { name: "DICOM SEG", decode: (b: Uint8Array) => decodeDicomSeg(b).mask, encode: (s: SegmentationMask<string>) => encodeDicomSeg(s), load: async (p: string) => (await loadDicomSeg(p)).mask, save: saveDicomSeg, ext: "dcm" },
  ];

  it.each(formats)("$name: decodeF(encodeF(seg)) and loadF(saveF(seg)) give the mask back; saveF refuses to replace a file", async ({ decode, encode, load, save, ext }) => {
    expectSame(decode(encode(seg)), seg);
    const path = join(tempDir(), `case.${ext}`);
    await save(seg, path);
    expectSame(await load(path), seg);
    expect(await asyncCodeOf(() => save(seg, path))).toBe("FILE_EXISTS");
    await save(seg, path, { overwrite: true });
    expect(existsSync(path)).toBe(true);
  });

  it("the names from before the grid give what their replacements give", () => {
    expect(writeNifti(seg, { gzip: false })).toEqual(encodeNifti(seg, { gzip: false }));
    expect(Array.from(decodeNifti(niftiBytes(data, space)).data)).toEqual(Array.from(data));
    const nifti = encodeNifti(seg);
    expect(Array.from(readNifti(nifti).data)).toEqual(Array.from(decodeNifti(nifti).data));
    expect(writeSegNrrd(seg, { gzip: false })).toEqual(encodeSegNrrd(seg, { gzip: false }));
    const nrrd = encodeSegNrrd(seg);
    const raw = readSegNrrd(nrrd);
    expect(raw.segments.map((s) => s.name)).toEqual(decodeSegNrrd(nrrd).segments.map((s) => s.name));
    const binaries = segNrrdSegments(raw);
    for (const { name, data: binary } of binaries) expect(Array.from(binary), name).toEqual(Array.from(seg.getBinaryMaskByNames(name)));
    // Overlapping binary masks: layers either way, the same voxels by name.
    const masks = [
      { name: "lung", data: Uint8Array.from({ length: 24 }, (_, i) => (i < 12 ? 1 : 0)) },
      { name: "tumour", data: Uint8Array.from({ length: 24 }, (_, i) => (i >= 8 && i < 16 ? 1 : 0)) },
    ];
    const old = decodeSegNrrd(writeSegNrrdLayers(space, masks)).mask;
    const grid = decodeSegNrrd(encodeSegNrrd(combineBinaryMasks(space, masks).mask)).mask;
    expect(old.layerCount).toBe(2);
    expect(grid.layerCount).toBe(2);
    for (const { name } of masks) expect(Array.from(old.getBinaryMaskByNames(name))).toEqual(Array.from(grid.getBinaryMaskByNames(name)));
  });
});

describe("Blobs and Files, where bytes are taken", () => {
  it("decodeMask(blob) and decodeNifti(blob) give what the bytes give (a Promise)", async () => {
    await init(); // the Python writer's zstd where Node has none
    const files = [encodeMask(seg), encodeMask(seg, { format: "python" }), encodeNifti(seg), encodeSegNrrd(seg), encodeDicomSeg(seg)];
    for (const bytes of files) {
      const fromBlob = decodeMask(new Blob([bytes as BlobPart]));
      expect(fromBlob).toBeInstanceOf(Promise);
      expectSame(await fromBlob, decodeMask(bytes));
    }
    expectSame(await decodeNifti(new Blob([encodeNifti(seg) as BlobPart])), decodeNifti(encodeNifti(seg)));
    const nrrd = encodeSegNrrd(seg), dicom = encodeDicomSeg(seg);
    expect((await decodeSegNrrd(new Blob([nrrd as BlobPart]))).segments).toEqual(decodeSegNrrd(nrrd).segments);
    expect((await decodeDicomSeg(new Blob([dicom as BlobPart]))).segments).toEqual(decodeDicomSeg(dicom).segments);
    expect(await asyncCodeOf(() => decodeMask(new Blob([new Uint8Array(64) as BlobPart])))).toBe("BAD_FORMAT");
    expect(await asyncCodeOf(async () => decodeNifti("case.nii.gz" as never))).toBe("INVALID_ARGUMENT");
  });
});
