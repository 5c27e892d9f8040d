import { readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, affineFromSpace, getKernels, mappingFromLabelsJson, niftiBytes, readNifti, spaceFromAffine } from "../../src/index.js";
import { readNiftiFile, readNiftiFolder } from "../../src/node.js";
import { ownBytes } from "../../src/node/bytes.js";
import { asyncCodeOf, codeOf } from "../helpers/errors.js";
import { tempDir } from "../helpers/files.js";
import { TOTALSEG_SPACE_ZYX } from "../helpers/totalseg-space.js";

const DIR = new URL("../../data/totalsegmentator-s0000/", import.meta.url).pathname;

const EXPECTED_ZYX = TOTALSEG_SPACE_ZYX;

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance));
}

describe("NIfTI import", () => {
  it("reproduces spacetransformer's geometry of the real TotalSegmentator masks to 1e-6", async () => {
    // 25 of the 117 files (aorta among them) carry exactly the sform the README's numbers
    // come from; the other 92 differ by float32 noise (~1e-4), checked below.
    const { data, space } = await readNiftiFile(DIR + "aorta.nii.gz");
    const json = space.toJSON();
    expect(json.shape).toEqual(EXPECTED_ZYX.shape);
    for (const key of ["origin", "spacing", "x_orientation", "y_orientation", "z_orientation"] as const) {
      expectClose(json[key], EXPECTED_ZYX[key]);
    }
    expect(data).toBeInstanceOf(Uint8Array);
    expect(data.length).toBe(179 * 192 * 294);
  });

  it("reads the other files' sform within its float32 noise of the same geometry", async () => {
    const { space } = await readNiftiFile(DIR + "liver.nii.gz");
    const json = space.toJSON();
    for (const key of ["origin", "spacing", "x_orientation", "y_orientation", "z_orientation"] as const) {
      expectClose(json[key], EXPECTED_ZYX[key], 2e-4);
    }
  });

  it("converts Space -> affine -> Space exactly", () => {
    const space = Space.fromJSON(EXPECTED_ZYX);
    const back = spaceFromAffine(affineFromSpace(space), [...space.shape].reverse());
    expect(back.equals(space, 1e-12)).toBe(true);
  });

  it("reads a folder of binary masks with the file stem as name", async () => {
    const { space, masks } = await readNiftiFolder(DIR);
    expect(masks.length).toBe(117);
    expect(masks[0]!.name).toBe("adrenal_gland_left");
    expect(space.shape).toEqual([179, 192, 294]);
    // The data README says 20 organs; rib_right_12 has 13 voxels, which makes 21.
    const nonEmpty = masks.filter((m) => getKernels().scan(m.data, space.shape, false).labels.some((l) => l !== 0));
    expect(nonEmpty.map((m) => m.name)).toContain("rib_right_12");
    expect(nonEmpty.length).toBe(21);
  });

  it("rejects bytes that are not NIfTI, and truncated files, with codes", async () => {
    expect(codeOf(() => readNifti(new Uint8Array(10)))).toBe("BAD_FORMAT");
    expect(codeOf(() => readNifti(Uint8Array.from([0x1f, 0x8b, 1, 2, 3])))).toBe("BAD_FORMAT");
    const { gunzipSync } = await import("fflate");
    const raw = gunzipSync(new Uint8Array(await readFile(DIR + "liver.nii.gz")));
    expect(codeOf(() => readNifti(raw.subarray(0, 5000)))).toBe("TRUNCATED");
    // Found by the fuzzer: the "n+1" magic with sizeof_hdr != 348 made nifti-reader-js throw
    // a plain Error.
    const odd = niftiBytes(new Uint8Array(8), new Space({ shape: [2, 2, 2] }), { gzip: false });
    odd[0] = 168;
    expect(codeOf(() => readNifti(odd))).toBe("BAD_FORMAT");
    // Also found by the fuzzer: negative or zero dims, an impossible dim count, a NaN offset.
    const withHeader = (edit: (v: DataView) => void) => {
      const b = niftiBytes(new Uint8Array(8), new Space({ shape: [2, 2, 2] }), { gzip: false });
      edit(new DataView(b.buffer));
      return b;
    };
    expect(codeOf(() => readNifti(withHeader((v) => v.setInt16(42, -5, true))))).toBe("BAD_FORMAT");
    expect(codeOf(() => readNifti(withHeader((v) => v.setInt16(44, 0, true))))).toBe("BAD_FORMAT");
    expect(codeOf(() => readNifti(withHeader((v) => v.setInt16(40, 99, true))))).toBe("BAD_FORMAT");
    expect(codeOf(() => readNifti(withHeader((v) => v.setFloat32(108, Number.NaN, true))))).toBe("BAD_FORMAT");
  });
});

describe("NIfTI export", () => {
  it("round-trips voxels, geometry (float32-exact for NIfTI-born spaces) and names through .nii.gz + sidecar", async () => {
    const { loadNifti, saveNifti, sidecarPath } = await import("../../src/node.js");
    const { tempDir, sha256 } = await import("../helpers/files.js");
    const { readFileSync } = await import("node:fs");
    const { data, space } = await readNiftiFile(DIR + "urinary_bladder.nii.gz");
    const seg = new SegmentationMask(data, { urinary_bladder: 1 }, space);
    for (const file of ["bladder.nii.gz", "bladder.nii"]) {
      const path = tempDir() + "/" + file;
      await saveNifti(seg, path);
      expect(JSON.parse(readFileSync(sidecarPath(path), "utf8"))).toEqual({ urinary_bladder: 1 });
      const back = await loadNifti(path);
      expect(sha256(back.data)).toBe(sha256(seg.data));
      expect(back.mapping.toJSON()).toEqual({ urinary_bladder: 1 });
      expect(back.space.equals(space, 1e-9)).toBe(true);
    }
  });

  it("reads .nii and .nii.gz into volumes of their own, large or small (no share of Node's pool of small buffers)", async () => {
    for (const gzip of [false, true]) {
      for (const shape of [[1, 2, 3], [40, 64, 64]] as const) {
        const data = Uint8Array.from({ length: shape[0] * shape[1] * shape[2] }, (_, i) => (i % 11 === 0 ? 2 : i % 3 === 0 ? 1 : 0));
        const path = join(tempDir(), gzip ? "mask.nii.gz" : "mask.nii");
        await writeFile(path, niftiBytes(data, new Space({ shape }), { gzip }));
        const back = await readNiftiFile(path);
        expect(back.data).toEqual(data);
        // The file's inflated bytes (header + voxels) and nothing else behind the volume.
        expect(back.data.buffer.byteLength).toBeLessThanOrEqual(352 + data.length + 16);
      }
    }
    // Large Buffers are kept as they are (a view, even with spare bytes after it, as zlib's
    // one output chunk has); small ones cut from the pool are copied.
    const large = Buffer.allocUnsafe(100_000);
    expect(ownBytes(large.subarray(0, 99_999)).buffer).toBe(large.buffer);
    const small = Buffer.from("a few bytes");
    expect(small.buffer.byteLength).toBeGreaterThan(small.length); // Node's pool
    const own = ownBytes(small);
    expect(own.buffer).not.toBe(small.buffer);
    expect(own.buffer.byteLength).toBe(small.length);
    expect(Buffer.from(own).toString()).toBe("a few bytes");
  });

  it("writes a qform that matches the sform (readers that prefer the qform see the same space)", () => {
    // A qform is a pure rotation: the real scan's float32 directions, orthogonal only to
    // ~2e-4, come back within that; exact orthonormal spaces come back to float32 precision.
    const spaces: Array<[Space, number]> = [
      [Space.fromJSON(EXPECTED_ZYX), 1e-3],
      ...[
      new Space({ shape: [4, 5, 6], spacing: [2, 0.5, 0.7], origin: [1, 2, 3] }),
      new Space({ shape: [4, 5, 6], spacing: [1, 1, 1], xOrientation: [0, 0, 1], yOrientation: [0, -1, 0], zOrientation: [1, 0, 0] }),
      new Space({ shape: [2, 2, 2], xOrientation: [0, 1, 0], yOrientation: [1, 0, 0], zOrientation: [0, 0, -1] }),
      ].map((s): [Space, number] => [s, 1e-5]),
    ];
    for (const [space, tolerance] of spaces) {
      const bytes = niftiBytes(new Uint8Array(space.voxelCount), space, { gzip: false });
      new DataView(bytes.buffer).setInt16(254, 0, true); // drop the sform: only the qform is left
      const back = readNifti(bytes).space;
      expect(back.equals(space, tolerance)).toBe(true);
    }
  });

  it("picks the NIfTI type from the bit depth", () => {
    const space = new Space({ shape: [1, 1, 3] });
    for (const [data, code] of [[Uint8Array.of(0, 1, 2), 2], [Uint16Array.of(0, 300, 2), 512], [Uint32Array.of(0, 70000, 2), 768]] as const) {
      const bytes = niftiBytes(data, space, { gzip: false });
      expect(new DataView(bytes.buffer).getInt16(70, true)).toBe(code);
      expect(Array.from(readNifti(bytes).data)).toEqual(Array.from(data));
    }
  });

  it("reads label names from the JSON people keep: {name: label}, {label: name}, nnU-Net dataset.json", () => {
    expect(mappingFromLabelsJson('{"liver": 1, "spleen": 2}').items()).toEqual([["liver", 1], ["spleen", 2]]);
    expect(mappingFromLabelsJson({ "1": "liver", "2": "spleen" }).items()).toEqual([["liver", 1], ["spleen", 2]]);
    expect(mappingFromLabelsJson({ labels: { background: 0, liver: 1 } }).items()).toEqual([["liver", 1]]);
    expect(() => mappingFromLabelsJson("[1]")).toThrow(/JSON object/);
  });

  it("folder readers stop at the first bad file with its code, whichever file is read ahead", async () => {
    const { loadNiftiFolder, niftiFolderToArchive } = await import("../../src/node.js");
    const space = new Space({ shape: [3, 4, 5], spacing: [2, 1, 1] });
    const organ = (i: number) => Uint8Array.from({ length: 60 }, (_, v) => (v % 7 === i ? 1 : 0));
    // Seven masks, more than the readers read at once; one of them bad.
    const folder = async (bad: number, file: (i: number) => Uint8Array) => {
      const dir = tempDir();
      for (let i = 0; i < 7; i++) await writeFile(join(dir, `m${i}.nii.gz`), i === bad ? file(i) : niftiBytes(organ(i), space));
      return dir;
    };
    const corrupt = await folder(4, (i) => niftiBytes(organ(i), space).subarray(0, 30));
    const otherGrid = await folder(5, (i) => niftiBytes(organ(i).subarray(0, 48), new Space({ shape: [3, 4, 4] })));
    for (const [dir, code] of [[corrupt, "BAD_FORMAT"], [otherGrid, "SHAPE_MISMATCH"]] as const) {
      expect(await asyncCodeOf(() => readNiftiFolder(dir))).toBe(code);
      expect(await asyncCodeOf(() => loadNiftiFolder(dir))).toBe(code);
      const target = join(tempDir(), "folder.mska");
      expect(await asyncCodeOf(() => niftiFolderToArchive(dir, target))).toBe(code);
      expect(existsSync(target)).toBe(false); // nothing half-written left behind
    }
    const good = await folder(-1, organ);
    const { masks } = await readNiftiFolder(good);
    expect(masks.map((m) => m.name)).toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m6"]);
    masks.forEach((m, i) => expect(m.data).toEqual(organ(i)));
  });

  it("exports a folder of binary masks and imports it back, and converts a folder to an archive with overlaps kept", async () => {
    const { loadNiftiFolder, saveNiftiFolder, niftiFolderToArchive } = await import("../../src/node.js");
    const { tempDir } = await import("../helpers/files.js");
    const space = new Space({ shape: [3, 4, 5], spacing: [2, 1, 1] });
    const data = new Uint8Array(60);
    data.fill(1, 0, 10);
    data.fill(2, 30, 45);
    const seg = new SegmentationMask(data, { kidney: 1, spleen: 2 }, space);
    const dir = tempDir();
    expect((await saveNiftiFolder(seg, dir)).map((p) => p.split("/").pop())).toEqual(["kidney.nii.gz", "spleen.nii.gz"]);
    const { mask, overlaps } = await loadNiftiFolder(dir);
    expect(mask.mapping.toJSON()).toEqual({ kidney: 1, spleen: 2 });
    expect(Array.from(mask.data)).toEqual(Array.from(data));
    expect(overlaps).toEqual([]);
    const archive = await niftiFolderToArchive(DIR, tempDir() + "/ts.mska");
    expect(archive.size).toBe(117);
    const rib = await archive.load("rib_right_12");
    expect(rib.labelStats()[0]!.voxels).toBe(13); // kept although sacrum covers it
    await archive.close();
    // The Python library's layout: numpy bool entries, the same voxels.
    const pythonPath = tempDir() + "/ts-python.mska";
    await (await niftiFolderToArchive(DIR, pythonPath, { format: "python" })).close();
    const { MaskArchive } = await import("../../src/node.js");
    const reopened = await MaskArchive.open(pythonPath);
    expect(reopened.format).toBe("python");
    expect(reopened.size).toBe(117);
    // (Compared as bytes: a deep toStrictEqual of 10 M voxels takes minutes.)
    expect(Buffer.compare((await reopened.load("rib_right_12")).getBinaryMaskByNames("rib_right_12"), rib.getBinaryMaskByNames("rib_right_12"))).toBe(0);
    await reopened.close();
    await expect(niftiFolderToArchive(DIR, tempDir() + "/x.mska", { layout: "python" } as never)).rejects.toThrow(/niftiFolderToArchive does not take "layout"/);
  });
});
